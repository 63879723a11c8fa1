// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink side of the flows of a state table: dump, insert (restore) and
 * delete. Every field of a flow travels (both tuples, state, status, the
 * TCP window tracking), so a save and restore gives the same flow.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/rhashtable.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "internal.h"

static int clickup_tcp_put(struct sk_buff *skb, int type,
			   const struct clickup_tcp_seen *seen)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u32(skb, CLICKUP_TCP_A_END, seen->td_end) ||
	    nla_put_u32(skb, CLICKUP_TCP_A_MAXEND, seen->td_maxend) ||
	    nla_put_u32(skb, CLICKUP_TCP_A_MAXWIN, seen->td_maxwin) ||
	    nla_put_u32(skb, CLICKUP_TCP_A_MAXACK, seen->td_maxack) ||
	    nla_put_u8(skb, CLICKUP_TCP_A_SCALE, seen->td_scale) ||
	    nla_put_u8(skb, CLICKUP_TCP_A_FLAGS,
		       seen->flags & CLICKUP_TCP_F_ALL))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Every field of @flow: a restore of it gives the same flow. */
static int clickup_flow_put(struct sk_buff *skb, struct clickup_flow *flow)
{
	const struct clickup_flow_key *o = &flow->tuple[0].key;
	const struct clickup_flow_key *r = &flow->tuple[1].key;
	struct nlattr *nest = nla_nest_start(skb, CLICKUP_A_FLOW);
	struct clickup_tcp_seen seen[CLICKUP_DIR_MAX];
	u8 state, status;
	long left;

	if (!nest)
		return -EMSGSIZE;
	/* A snapshot: the tracker changes these under the lock. */
	spin_lock_bh(&flow->lock);
	state = flow->state;
	status = flow->status & CLICKUP_FLOW_F_ALL;
	memcpy(seen, flow->seen, sizeof(seen));
	left = READ_ONCE(flow->expires) - jiffies;
	spin_unlock_bh(&flow->lock);
	if (nla_put_u8(skb, CLICKUP_FLOW_A_PROTO, o->proto) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_SADDR, o->addr[0]) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_DADDR, o->addr[1]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_SPORT, o->port[0]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_DPORT, o->port[1]) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_R_SADDR, r->addr[0]) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_R_DADDR, r->addr[1]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_R_SPORT, r->port[0]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_R_DPORT, r->port[1]) ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_STATE, state) ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_STATUS, status) ||
	    nla_put_u32(skb, CLICKUP_FLOW_A_TIMEOUT,
			left > 0 ? jiffies_to_msecs(left) : 0) ||
	    (o->proto == IPPROTO_TCP &&
	     (clickup_tcp_put(skb, CLICKUP_FLOW_A_TCP_ORIG, &seen[0]) ||
	      clickup_tcp_put(skb, CLICKUP_FLOW_A_TCP_REPLY, &seen[1])))) {
		/* No half flow at the end of a batch: it starts the next. */
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

struct clickup_flow_dump {
	struct rhashtable_iter	iter;
	struct clickup_table	*table;
	u32			restarts;	/* walks restarted by a resize */
};

/*
 * Takes a reference on the table for the whole dump. Errors are reported
 * from the first dumpit call: 6.1 hands .start no extack for its text.
 */
int clickup_nl_flow_dump_start(struct netlink_callback *cb)
{
	const struct nlattr *nla = clickup_dumpit_attrs(cb)[CLICKUP_A_TABLE_NAME];
	struct clickup_flow_dump *d;
	struct clickup_table *table;

	if (!nla)
		return 0;
	mutex_lock(clickup_net_mutex(sock_net(cb->skb->sk)));
	table = clickup_table_find(sock_net(cb->skb->sk), nla_data(nla));
	if (table)
		refcount_inc(&table->ref);
	mutex_unlock(clickup_net_mutex(sock_net(cb->skb->sk)));
	if (!table)
		return 0;
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d) {
		clickup_table_unref(table);
		return -ENOMEM;
	}
	d->table = table;
	rhashtable_walk_enter(&table->ht, &d->iter);
	cb->args[0] = (long)d;
	return 0;
}

int clickup_nl_flow_dump_done(struct netlink_callback *cb)
{
	struct clickup_flow_dump *d = (struct clickup_flow_dump *)cb->args[0];

	if (d) {
		rhashtable_walk_exit(&d->iter);
		clickup_table_unref(d->table);
		kfree(d);
	}
	return 0;
}

/*
 * One message per batch of flows. NLM_F_DUMP_INTR marks the batches after
 * a netlink change of the table (restore, flush, delete of a flow) or a
 * resize that restarted the walk (flows may then repeat): cb->seq is the
 * table's generation plus the restarts. Flows the packet path adds or the
 * GC removes do not: a live table has no snapshot. Expired flows, which
 * the packet path no longer sees, are left out.
 */
int clickup_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clickup_flow_dump *d = (struct clickup_flow_dump *)cb->args[0];
	struct clickup_flow_tuple *t;
	struct clickup_flow *flow;
	void *hdr;
	int n = 0;

	if (!d) {
		const struct nlattr *nla =
			clickup_dumpit_attrs(cb)[CLICKUP_A_TABLE_NAME];

		if (!nla) {
			NL_SET_ERR_MSG(cb->extack, "missing attribute: table name");
			return -EINVAL;
		}
		/* Dumps get constant texts on 6.1 (extack.c). */
		NL_SET_ERR_MSG_ATTR(cb->extack, nla, "no such state table");
		return -ENOENT;
	}
	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &clickup_family, NLM_F_MULTI, CLICKUP_CMD_FLOW_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, CLICKUP_A_TABLE_NAME, d->table->name))
		goto cancel;
	rhashtable_walk_start(&d->iter);
	for (;;) {
		/* Peek first: a flow that does not fit starts the next skb. */
		t = rhashtable_walk_peek(&d->iter);
		if (PTR_ERR(t) == -EAGAIN) {
			d->restarts++;
			continue;
		}
		if (IS_ERR_OR_NULL(t))
			break;
		/* Each flow once, at its ORIGINAL tuple. */
		flow = clickup_tuple_original(t);
		if (flow && !clickup_flow_expired(flow)) {
			if (clickup_flow_put(skb, flow))
				break;
			n++;
		}
		rhashtable_walk_next(&d->iter);
	}
	rhashtable_walk_stop(&d->iter);
	if (!n)
		goto cancel;
	cb->seq = atomic_read(&d->table->gen) + d->restarts;
	genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return skb->len;
cancel:
	genlmsg_cancel(skb, hdr);
	return skb->len;
}

/*
 * The ORIGINAL tuple of flow attribute @nla (what FLOW_DEL takes, either
 * tuple in fact) and, if @reply, its REPLY tuple (the reverse of ORIGINAL
 * unless R_* say otherwise).
 */
static int clickup_flow_parse(const struct nlattr *nla,
			      struct clickup_flow_key *key,
			      struct clickup_flow_key *reply,
			      struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLICKUP_FLOW_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CLICKUP_FLOW_A_MAX, nla, clickup_flow_policy,
			       extack);
	if (err)
		return err;
	if (!tb[CLICKUP_FLOW_A_PROTO] || !tb[CLICKUP_FLOW_A_SADDR] ||
	    !tb[CLICKUP_FLOW_A_DADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "flow needs at least proto, saddr and daddr");
		return -EINVAL;
	}
	memset(key, 0, sizeof(*key));
	key->proto = nla_get_u8(tb[CLICKUP_FLOW_A_PROTO]);
	key->addr[0] = nla_get_be32(tb[CLICKUP_FLOW_A_SADDR]);
	key->addr[1] = nla_get_be32(tb[CLICKUP_FLOW_A_DADDR]);
	if (tb[CLICKUP_FLOW_A_SPORT])
		key->port[0] = nla_get_be16(tb[CLICKUP_FLOW_A_SPORT]);
	if (tb[CLICKUP_FLOW_A_DPORT])
		key->port[1] = nla_get_be16(tb[CLICKUP_FLOW_A_DPORT]);
	if (!reply)
		return 0;
	clickup_flow_key_reverse(reply, key);
	if (tb[CLICKUP_FLOW_A_R_SADDR])
		reply->addr[0] = nla_get_be32(tb[CLICKUP_FLOW_A_R_SADDR]);
	if (tb[CLICKUP_FLOW_A_R_DADDR])
		reply->addr[1] = nla_get_be32(tb[CLICKUP_FLOW_A_R_DADDR]);
	if (tb[CLICKUP_FLOW_A_R_SPORT])
		reply->port[0] = nla_get_be16(tb[CLICKUP_FLOW_A_R_SPORT]);
	if (tb[CLICKUP_FLOW_A_R_DPORT])
		reply->port[1] = nla_get_be16(tb[CLICKUP_FLOW_A_R_DPORT]);
	if (!memcmp(key, reply, sizeof(*key))) {
		NL_SET_ERR_MSG_ATTR(extack, nla,
				    "the flow's ORIGINAL and REPLY tuples are the same");
		return -EINVAL;
	}
	return 0;
}

/* FLOW_DEL: the flow that has the given tuple, in either direction. */
int clickup_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct clickup_flow_key key;
	struct clickup_table *table;
	struct clickup_flow *flow;
	const char *name = clickup_table_name(info);
	int err;

	if (!name)
		return -EINVAL;
	if (clickup_missing(info, CLICKUP_A_FLOW, "flow"))
		return -EINVAL;
	err = clickup_flow_parse(info->attrs[CLICKUP_A_FLOW], &key, NULL,
				 info->extack);
	if (err)
		return err;
	mutex_lock(clickup_net_mutex(genl_info_net(info)));
	table = clickup_table_lookup(genl_info_net(info), name, info->extack);
	if (!table) {
		err = -ENOENT;
		goto out;
	}
	rcu_read_lock();
	flow = clickup_flow_find(table, &key, NULL);
	if (flow)
		clickup_flow_remove(table, flow);
	rcu_read_unlock();
	atomic_inc(&table->gen);
	if (!flow) {
		NL_SET_ERR_MSG(info->extack, "no such flow in the table");
		err = -ENOENT;
	}
out:
	mutex_unlock(clickup_net_mutex(genl_info_net(info)));
	return err;
}

static void clickup_tcp_from_nl(struct clickup_tcp_seen *seen,
				const struct nlattr *nla)
{
	struct nlattr *tb[CLICKUP_TCP_A_MAX + 1];

	if (!nla ||
	    nla_parse_nested(tb, CLICKUP_TCP_A_MAX, nla, clickup_tcp_policy,
			     NULL))
		return;
	if (tb[CLICKUP_TCP_A_END])
		seen->td_end = nla_get_u32(tb[CLICKUP_TCP_A_END]);
	if (tb[CLICKUP_TCP_A_MAXEND])
		seen->td_maxend = nla_get_u32(tb[CLICKUP_TCP_A_MAXEND]);
	if (tb[CLICKUP_TCP_A_MAXWIN])
		seen->td_maxwin = nla_get_u32(tb[CLICKUP_TCP_A_MAXWIN]);
	if (tb[CLICKUP_TCP_A_MAXACK])
		seen->td_maxack = nla_get_u32(tb[CLICKUP_TCP_A_MAXACK]);
	if (tb[CLICKUP_TCP_A_SCALE])
		seen->td_scale = nla_get_u8(tb[CLICKUP_TCP_A_SCALE]);
	if (tb[CLICKUP_TCP_A_FLAGS])
		seen->flags = nla_get_u8(tb[CLICKUP_TCP_A_FLAGS]);
}

/*
 * A restored flow, every field set before it is published: its tuples as
 * given, state, status, window tracking. Its timer is TIMEOUT ms, at most
 * the full timeout of its state; a TIMEOUT of 0 or none means the full
 * timeout (a dump never gives 0: it leaves expired flows out, so a 0
 * comes from a file written without times).
 */
static void clickup_flow_from_nl(struct clickup_table *table,
				 struct clickup_flow *flow,
				 const struct nlattr *nla)
{
	struct nlattr *tb[CLICKUP_FLOW_A_MAX + 1];
	unsigned long timeout;

	/* Both already passed clickup_flow_parse(). */
	nla_parse_nested(tb, CLICKUP_FLOW_A_MAX, nla, clickup_flow_policy, NULL);
	clickup_flow_parse(nla, &flow->tuple[0].key, &flow->tuple[1].key, NULL);
	flow->state = tb[CLICKUP_FLOW_A_STATE] ?
		nla_get_u8(tb[CLICKUP_FLOW_A_STATE]) : CLICKUP_FLOW_GENERIC;
	if (tb[CLICKUP_FLOW_A_STATUS])
		flow->status = nla_get_u8(tb[CLICKUP_FLOW_A_STATUS]);
	if (flow->tuple[0].key.proto == IPPROTO_TCP) {
		clickup_tcp_from_nl(&flow->seen[0], tb[CLICKUP_FLOW_A_TCP_ORIG]);
		clickup_tcp_from_nl(&flow->seen[1], tb[CLICKUP_FLOW_A_TCP_REPLY]);
	}
	timeout = clickup_flow_timeout(table, flow, flow->state);
	if (tb[CLICKUP_FLOW_A_TIMEOUT] && nla_get_u32(tb[CLICKUP_FLOW_A_TIMEOUT]))
		timeout = min(timeout,
			      msecs_to_jiffies(nla_get_u32(tb[CLICKUP_FLOW_A_TIMEOUT])));
	flow->expires = jiffies + timeout;
}

/*
 * Restore: every flow of the message is parsed before any is inserted, so
 * a malformed one changes nothing. Flows with a tuple already present are
 * kept as they are (the running table wins) and counted as skipped. The flows are
 * charged to the caller's memory cgroup; past its limit the restore stops
 * with ENOMEM (and no OOM kill).
 */
int clickup_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	const char *name = clickup_table_name(info);
	struct clickup_flow_key key, rkey;
	struct clickup_table *table;
	const struct nlattr *nla;
	struct sk_buff *reply;
	u32 added = 0, n = 0;
	int err = 0, rem;
	void *hdr;

	if (!name)
		return -EINVAL;
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nla) != CLICKUP_A_FLOW)
			continue;
		err = clickup_flow_parse(nla, &key, &rkey, info->extack);
		if (err)
			return err;
		n++;
	}
	mutex_lock(clickup_net_mutex(genl_info_net(info)));
	table = clickup_table_get_net(genl_info_net(info), name, info->extack);
	if (IS_ERR(table)) {
		mutex_unlock(clickup_net_mutex(genl_info_net(info)));
		return PTR_ERR(table);
	}
	nlmsg_for_each_attr(nla, info->nlhdr, GENL_HDRLEN, rem) {
		struct clickup_flow *flow;

		if (nla_type(nla) != CLICKUP_A_FLOW)
			continue;
		flow = clickup_flow_alloc(gfp);
		if (!flow) {
			clickup_extack_fmt(info->extack,
					   "out of memory (memory cgroup limit?): %u of %u flows restored to table '%s'",
					   added, n, name);
			err = -ENOMEM;
			break;
		}
		clickup_flow_from_nl(table, flow, nla);
		err = clickup_flow_add(table, flow);
		if (err) {
			if (err == -EEXIST) {
				err = 0;
				continue;
			}
			if (err == -ENOSPC)
				clickup_extack_fmt(info->extack,
						   "table '%s' is full: %u of %u flows restored",
						   name, added, n);
			else
				clickup_extack_fmt(info->extack,
						   "table '%s': cannot insert a flow (%d): %u of %u flows restored",
						   name, err, added, n);
			break;
		}
		added++;
		cond_resched();
	}
	if (added)
		atomic_inc(&table->gen);
	clickup_table_unref(table);
	mutex_unlock(clickup_net_mutex(genl_info_net(info)));
	if (err)
		return err;

	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &clickup_family, 0,
				CLICKUP_CMD_FLOW_NEW);
	if (!hdr || nla_put_string(reply, CLICKUP_A_TABLE_NAME, name) ||
	    nla_put_u32(reply, CLICKUP_A_COUNT, added)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}
