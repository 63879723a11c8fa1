// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink side of the state tables: list, size, flush and delete tables;
 * dump, insert (restore) and delete flows. Writers hold the netns mutex so a
 * table cannot be deleted under them; the packet path never takes it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/rhashtable.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "internal.h"

const struct nla_policy clickup_flow_policy[CLICKUP_FLOW_A_MAX + 1] = {
	[CLICKUP_FLOW_A_PROTO]		= { .type = NLA_U8 },
	[CLICKUP_FLOW_A_SADDR]		= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_DADDR]		= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_SPORT]		= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_DPORT]		= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_STATE]		= NLA_POLICY_MAX(NLA_U8, __CLICKUP_FLOW_S_MAX - 1),
	[CLICKUP_FLOW_A_INIT_DIR]	= NLA_POLICY_MAX(NLA_U8, 1),
	[CLICKUP_FLOW_A_FIN_DIR]	= NLA_POLICY_MAX(NLA_U8, 1),
	[CLICKUP_FLOW_A_XADDR]		= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_XPORT]		= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_TIMEOUT]	= { .type = NLA_U32 },
};

static const char *clickup_table_name(struct genl_info *info)
{
	if (clickup_missing(info, CLICKUP_A_TABLE_NAME, "table name"))
		return NULL;
	return nla_data(info->attrs[CLICKUP_A_TABLE_NAME]);
}

static struct clickup_table *clickup_table_lookup(struct net *net,
						  const char *name,
						  struct netlink_ext_ack *extack)
{
	struct clickup_table *table = clickup_table_find(net, name);

	if (!table)
		clickup_extack_fmt(extack, "no state table '%s'", name);
	return table;
}

static u64 clickup_table_memory(struct clickup_table *table)
{
	const struct bucket_table *tbl;
	u64 mem;

	rcu_read_lock();
	tbl = rht_dereference_rcu(table->ht.tbl, &table->ht);
	mem = (u64)tbl->size * sizeof(tbl->buckets[0]);
	rcu_read_unlock();
	return mem + (u64)atomic_read(&table->count) * clickup_flow_size();
}

static int clickup_table_fill(struct sk_buff *skb, struct netlink_callback *cb,
			      struct clickup_table *table)
{
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &clickup_family, NLM_F_MULTI, CLICKUP_CMD_TABLE_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, CLICKUP_A_TABLE);
	if (!nest ||
	    nla_put_string(skb, CLICKUP_TABLE_A_NAME, table->name) ||
	    nla_put_u32(skb, CLICKUP_TABLE_A_ENTRIES, atomic_read(&table->count)) ||
	    nla_put_u32(skb, CLICKUP_TABLE_A_LIMIT, table->max) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_INSERTED,
			      atomic64_read(&table->inserted), CLICKUP_TABLE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_REFUSED,
			      atomic64_read(&table->refused), CLICKUP_TABLE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_EXPIRED,
			      atomic64_read(&table->expired), CLICKUP_TABLE_A_PAD) ||
	    nla_put_u32(skb, CLICKUP_TABLE_A_ENTRY_SIZE, clickup_flow_size()) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_MEMORY,
			      clickup_table_memory(table), CLICKUP_TABLE_A_PAD) ||
	    nla_put_u32(skb, CLICKUP_TABLE_A_USERS,
			refcount_read(&table->ref) - 1)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump cursor: cb->args[0] = tables already sent. */
int clickup_nl_table_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct clickup_table *table;
	long idx = 0;

	mutex_lock(clickup_net_mutex(net));
	list_for_each_entry(table, clickup_net_tables(net), list) {
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		if (clickup_table_fill(skb, cb, table))
			break;
		idx++;
	}
	mutex_unlock(clickup_net_mutex(net));
	cb->args[0] = idx;
	return skb->len;
}

int clickup_nl_table_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct clickup_table *table;
	const char *name = clickup_table_name(info);

	if (!name)
		return -EINVAL;
	mutex_lock(clickup_net_mutex(net));
	table = clickup_table_get_net(net, name, info->extack);
	if (!IS_ERR(table)) {
		if (info->attrs[CLICKUP_A_TABLE_MAX])
			WRITE_ONCE(table->max,
				   nla_get_u32(info->attrs[CLICKUP_A_TABLE_MAX]));
		clickup_table_put(table);
	}
	mutex_unlock(clickup_net_mutex(net));
	return PTR_ERR_OR_ZERO(table);
}

static void clickup_table_flush(struct clickup_table *table)
{
	struct rhashtable_iter iter;
	struct clickup_flow *flow;

	rhashtable_walk_enter(&table->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((flow = rhashtable_walk_next(&iter)))
		if (!IS_ERR(flow))
			clickup_flow_remove(table, flow);
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

/* TABLE_FLUSH empties a table; TABLE_DEL also forgets it. */
int clickup_nl_table_empty(struct sk_buff *skb, struct genl_info *info)
{
	bool forget = info->genlhdr->cmd == CLICKUP_CMD_TABLE_DEL;
	struct clickup_table *table;
	const char *name = clickup_table_name(info);

	if (!name)
		return -EINVAL;
	mutex_lock(clickup_net_mutex(genl_info_net(info)));
	table = clickup_table_lookup(genl_info_net(info), name, info->extack);
	if (table) {
		clickup_table_flush(table);
		/* Atoms still using a forgotten table keep it, empty. */
		if (forget)
			clickup_table_unlink(table);
	}
	mutex_unlock(clickup_net_mutex(genl_info_net(info)));
	if (!table)
		return -ENOENT;
	pr_info("table %s %s\n", name, forget ? "deleted" : "flushed");
	return 0;
}

static int clickup_flow_put(struct sk_buff *skb, const struct clickup_flow *flow)
{
	long left = READ_ONCE(flow->expires) - jiffies;
	struct nlattr *nest = nla_nest_start(skb, CLICKUP_A_FLOW);

	if (!nest ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_PROTO, flow->key.proto) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_SADDR, flow->key.addr[0]) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_DADDR, flow->key.addr[1]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_SPORT, flow->key.port[0]) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_DPORT, flow->key.port[1]) ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_STATE, READ_ONCE(flow->state)) ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_INIT_DIR, flow->init_dir) ||
	    nla_put_u8(skb, CLICKUP_FLOW_A_FIN_DIR, flow->fin_dir) ||
	    nla_put_be32(skb, CLICKUP_FLOW_A_XADDR, READ_ONCE(flow->xaddr)) ||
	    nla_put_be16(skb, CLICKUP_FLOW_A_XPORT, flow->xport) ||
	    nla_put_u32(skb, CLICKUP_FLOW_A_TIMEOUT,
			left > 0 ? jiffies_to_msecs(left) : 0))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct clickup_flow_dump {
	struct rhashtable_iter	iter;
	struct clickup_table	*table;
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
		clickup_table_put(table);
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
		clickup_table_put(d->table);
		kfree(d);
	}
	return 0;
}

/* One message per batch of flows; a walk that sees a resize may repeat. */
int clickup_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clickup_flow_dump *d = (struct clickup_flow_dump *)cb->args[0];
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
		flow = rhashtable_walk_peek(&d->iter);
		if (PTR_ERR(flow) == -EAGAIN)
			continue;
		if (IS_ERR_OR_NULL(flow) || clickup_flow_put(skb, flow))
			break;
		rhashtable_walk_next(&d->iter);
		n++;
	}
	rhashtable_walk_stop(&d->iter);
	if (!n)
		goto cancel;
	genlmsg_end(skb, hdr);
	return skb->len;
cancel:
	genlmsg_cancel(skb, hdr);
	return skb->len;
}

static int clickup_flow_parse(const struct nlattr *nla,
			      struct clickup_flow_key *key,
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
	return 0;
}

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
	err = clickup_flow_parse(info->attrs[CLICKUP_A_FLOW], &key, info->extack);
	if (err)
		return err;
	mutex_lock(clickup_net_mutex(genl_info_net(info)));
	table = clickup_table_lookup(genl_info_net(info), name, info->extack);
	if (!table) {
		err = -ENOENT;
		goto out;
	}
	rcu_read_lock();
	flow = clickup_flow_lookup(table, &key);
	if (flow)
		clickup_flow_remove(table, flow);
	rcu_read_unlock();
	if (!flow) {
		NL_SET_ERR_MSG(info->extack, "no such flow in the table");
		err = -ENOENT;
	}
out:
	mutex_unlock(clickup_net_mutex(genl_info_net(info)));
	return err;
}

/*
 * Restore: every flow of the message is parsed before any is inserted, so
 * a malformed one changes nothing. Flows already present are kept as they
 * are (the running table wins) and counted as skipped.
 */
int clickup_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	const char *name = clickup_table_name(info);
	struct clickup_flow_key key;
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
		err = clickup_flow_parse(nla, &key, info->extack);
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
		struct nlattr *tb[CLICKUP_FLOW_A_MAX + 1];
		struct clickup_flow *flow;
		bool existed;
		u8 state;

		if (nla_type(nla) != CLICKUP_A_FLOW)
			continue;
		nla_parse_nested(tb, CLICKUP_FLOW_A_MAX, nla, clickup_flow_policy,
				 NULL);
		clickup_flow_parse(nla, &key, NULL);
		state = tb[CLICKUP_FLOW_A_STATE] ?
			nla_get_u8(tb[CLICKUP_FLOW_A_STATE]) : CLICKUP_FLOW_GENERIC;
		local_bh_disable();
		flow = clickup_flow_insert(table, &key, state, &existed);
		local_bh_enable();
		if (!flow) {
			clickup_extack_fmt(info->extack,
					   "table '%s' is full: %u of %u flows restored",
					   name, added, n);
			err = -ENOSPC;
			break;
		}
		if (existed)
			continue;
		if (tb[CLICKUP_FLOW_A_INIT_DIR])
			flow->init_dir = nla_get_u8(tb[CLICKUP_FLOW_A_INIT_DIR]);
		if (tb[CLICKUP_FLOW_A_FIN_DIR])
			flow->fin_dir = nla_get_u8(tb[CLICKUP_FLOW_A_FIN_DIR]);
		if (tb[CLICKUP_FLOW_A_XPORT])
			flow->xport = nla_get_be16(tb[CLICKUP_FLOW_A_XPORT]);
		if (tb[CLICKUP_FLOW_A_XADDR]) {
			__be32 xaddr = nla_get_be32(tb[CLICKUP_FLOW_A_XADDR]);

			/* Pairs with nat's acquire: xaddr set means xport is. */
			smp_store_release(&flow->xaddr, xaddr);
		}
		added++;
	}
	clickup_table_put(table);
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
