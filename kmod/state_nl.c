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
			atomic_read(&table->users)) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_GC_PASS_US,
			      div_u64(READ_ONCE(table->gc_pass_ns), NSEC_PER_USEC),
			      CLICKUP_TABLE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_GC_CHUNK_US,
			      div_u64(READ_ONCE(table->gc_step_ns), NSEC_PER_USEC),
			      CLICKUP_TABLE_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genl_dump_check_consistent(cb, hdr);
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Dump cursor: cb->args[0] = tables already sent. A table created or
 * deleted between two parts of the dump flags NLM_F_DUMP_INTR (cb->seq is
 * the netns's table generation, as nf_tables does with its base_seq).
 */
int clickup_nl_table_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct clickup_table *table;
	long idx = 0;

	mutex_lock(clickup_net_mutex(net));
	cb->seq = clickup_net_tables_gen(net);
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
	struct nlattr *max = info->attrs[CLICKUP_A_TABLE_MAX];
	unsigned int limit = clickup_table_max_limit();
	struct clickup_table *table;
	const char *name = clickup_table_name(info);

	if (!name)
		return -EINVAL;
	if (max && nla_get_u32(max) > limit) {
		NL_SET_BAD_ATTR(info->extack, max);
		clickup_extack_fmt(info->extack,
				   "table max %u is over the limit of %u entries (clickup.table_max_limit)",
				   nla_get_u32(max), limit);
		return -EINVAL;
	}
	mutex_lock(clickup_net_mutex(net));
	table = clickup_table_get_net(net, name, info->extack);
	if (!IS_ERR(table)) {
		if (max)
			WRITE_ONCE(table->max, nla_get_u32(max));
		clickup_table_unref(table);
	}
	mutex_unlock(clickup_net_mutex(net));
	return PTR_ERR_OR_ZERO(table);
}

/*
 * With the netns mutex held: the NE and atom that use table @name, for the
 * message refusing its delete; false if no published DAG does (an atom of
 * a DAG being built or being freed holds it).
 */
static bool clickup_table_user(struct net *net, const char *name,
			       const char **ne_name, const char **atom_name)
{
	struct clickup_ne *ne;
	u32 i;

	list_for_each_entry(ne, clickup_net_nes(net), list) {
		const struct clickup_dag *dag;

		dag = rcu_dereference_protected(ne->dag,
						lockdep_is_held(clickup_net_mutex(net)));
		for (i = 0; dag && i < dag->nr_atoms; i++) {
			if (strcmp(dag->atoms[i]->table, name))
				continue;
			*ne_name = ne->name;
			*atom_name = dag->atoms[i]->name;
			return true;
		}
	}
	return false;
}

/*
 * TABLE_FLUSH empties a table; TABLE_DEL also forgets it, but only when no
 * atom uses it (EBUSY, as nf_tables_delset does): a forgotten table still
 * in a DAG would take flows that no restore or show could reach again.
 * The flows go after the netns mutex is dropped: a flush walks the table
 * holding only a reference, a deleted table is freed by its last put.
 */
int clickup_nl_table_empty(struct sk_buff *skb, struct genl_info *info)
{
	bool forget = info->genlhdr->cmd == CLICKUP_CMD_TABLE_DEL;
	struct net *net = genl_info_net(info);
	const char *name = clickup_table_name(info);
	const char *ne_name, *atom_name;
	struct clickup_table *table;
	unsigned int users;
	int err = 0;

	if (!name)
		return -EINVAL;
	mutex_lock(clickup_net_mutex(net));
	table = clickup_table_lookup(net, name, info->extack);
	if (!table) {
		err = -ENOENT;
		goto unlock;
	}
	users = atomic_read(&table->users);
	if (forget && users) {
		if (clickup_table_user(net, name, &ne_name, &atom_name))
			clickup_extack_fmt(info->extack,
					   "table '%s' is in use by NE '%s' (atom '%s'): delete the NE first, or flush the table",
					   name, ne_name, atom_name);
		else
			clickup_extack_fmt(info->extack,
					   "table '%s' is in use by %u atoms of a DAG being built or freed",
					   name, users);
		err = -EBUSY;
		goto unlock;
	}
	refcount_inc(&table->ref);
	if (forget)
		clickup_table_unlink(net, table);
unlock:
	mutex_unlock(clickup_net_mutex(net));
	if (err)
		return err;
	if (!forget)
		clickup_table_flush(table);
	clickup_table_unref(table);
	clickup_log(net, "table %s %s\n", name, forget ? "deleted" : "flushed");
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
			left > 0 ? jiffies_to_msecs(left) : 0)) {
		/* No half flow at the end of a batch: it starts the next. */
		if (nest)
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
		if (PTR_ERR(flow) == -EAGAIN) {
			d->restarts++;
			continue;
		}
		if (IS_ERR_OR_NULL(flow))
			break;
		if (!clickup_flow_expired(flow)) {
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
	atomic_inc(&table->gen);
	if (!flow) {
		NL_SET_ERR_MSG(info->extack, "no such flow in the table");
		err = -ENOENT;
	}
out:
	mutex_unlock(clickup_net_mutex(genl_info_net(info)));
	return err;
}

/*
 * A restored flow, every field set before it is published. A whitelist
 * flow (a TCP state) is keyed as the packet path keys it, lower endpoint
 * first, whatever the direction it was given in (its directions follow);
 * a generic flow (a NAT mapping) is keyed exactly as given. Its timer is
 * TIMEOUT ms, at most its state's full timeout; a TIMEOUT of 0 or none
 * means the full timeout (a dump never gives 0: it leaves expired flows
 * out, so a 0 comes from a file written without times).
 */
static void clickup_flow_from_nl(struct clickup_flow *flow,
				 const struct nlattr *nla)
{
	struct nlattr *tb[CLICKUP_FLOW_A_MAX + 1];
	unsigned long timeout;
	u8 swapped = 0;

	/* Both already passed clickup_flow_parse(). */
	nla_parse_nested(tb, CLICKUP_FLOW_A_MAX, nla, clickup_flow_policy, NULL);
	clickup_flow_parse(nla, &flow->key, NULL);
	flow->state = tb[CLICKUP_FLOW_A_STATE] ?
		nla_get_u8(tb[CLICKUP_FLOW_A_STATE]) : CLICKUP_FLOW_GENERIC;
	if (flow->state != CLICKUP_FLOW_GENERIC)
		swapped = clickup_flow_key_normalise(&flow->key);
	if (tb[CLICKUP_FLOW_A_INIT_DIR])
		flow->init_dir = nla_get_u8(tb[CLICKUP_FLOW_A_INIT_DIR]) ^ swapped;
	if (tb[CLICKUP_FLOW_A_FIN_DIR])
		flow->fin_dir = nla_get_u8(tb[CLICKUP_FLOW_A_FIN_DIR]) ^ swapped;
	if (tb[CLICKUP_FLOW_A_XADDR])
		flow->xaddr = nla_get_be32(tb[CLICKUP_FLOW_A_XADDR]);
	if (tb[CLICKUP_FLOW_A_XPORT])
		flow->xport = nla_get_be16(tb[CLICKUP_FLOW_A_XPORT]);
	timeout = clickup_flow_state_timeout(flow->state);
	if (tb[CLICKUP_FLOW_A_TIMEOUT] && nla_get_u32(tb[CLICKUP_FLOW_A_TIMEOUT]))
		timeout = min(timeout,
			      msecs_to_jiffies(nla_get_u32(tb[CLICKUP_FLOW_A_TIMEOUT])));
	flow->expires = jiffies + timeout;
}

/*
 * Restore: every flow of the message is parsed before any is inserted, so
 * a malformed one changes nothing. Flows already present are kept as they
 * are (the running table wins) and counted as skipped. The flows are
 * charged to the caller's memory cgroup; past its limit the restore stops
 * with ENOMEM (and no OOM kill).
 */
int clickup_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	const gfp_t gfp = GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
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
		clickup_flow_from_nl(flow, nla);
		err = clickup_flow_add(table, flow);
		if (err) {
			clickup_flow_free(flow);
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
