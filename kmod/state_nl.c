// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink side of the state tables: list, set (limit, policy, timeouts),
 * flush and delete tables (the flows: state_flow_nl.c). Writers hold the
 * netns mutex so a table cannot be deleted under them; the packet path
 * never takes it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/rhashtable.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "internal.h"

const char *clickup_table_name(struct genl_info *info)
{
	if (clickup_missing(info, CLICKUP_A_TABLE_NAME, "table name"))
		return NULL;
	return nla_data(info->attrs[CLICKUP_A_TABLE_NAME]);
}

struct clickup_table *clickup_table_lookup(struct net *net, const char *name,
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

static int clickup_timeouts_put(struct sk_buff *skb,
				const struct clickup_table *table)
{
	struct nlattr *nest = nla_nest_start(skb, CLICKUP_TABLE_A_TIMEOUTS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i <= CLICKUP_TIMEOUT_A_MAX; i++)
		if (nla_put_u32(skb, i, READ_ONCE(table->timeouts[i])))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
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
			      CLICKUP_TABLE_A_PAD) ||
	    nla_put_u8(skb, CLICKUP_TABLE_A_POLICY, READ_ONCE(table->policy)) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_INVALID,
			      atomic64_read(&table->invalid), CLICKUP_TABLE_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TABLE_A_EVICTED,
			      atomic64_read(&table->evicted), CLICKUP_TABLE_A_PAD) ||
	    clickup_timeouts_put(skb, table)) {
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

/*
 * TABLE_SET: creates the table if missing, then sets what the request
 * carries: MAX, the policy, any of the timeouts (all validated by the
 * policy before anything changes).
 */
int clickup_nl_table_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct nlattr *max = info->attrs[CLICKUP_A_TABLE_MAX];
	struct nlattr *pol = info->attrs[CLICKUP_A_TABLE_POLICY];
	struct nlattr *tos = info->attrs[CLICKUP_A_TABLE_TIMEOUTS];
	struct nlattr *tb[CLICKUP_TIMEOUT_A_MAX + 1] = {};
	unsigned int limit = clickup_table_max_limit();
	struct clickup_table *table;
	const char *name = clickup_table_name(info);
	int err, i;

	if (!name)
		return -EINVAL;
	if (max && nla_get_u32(max) > limit) {
		NL_SET_BAD_ATTR(info->extack, max);
		clickup_extack_fmt(info->extack,
				   "table max %u is over the limit of %u entries (clickup.table_max_limit)",
				   nla_get_u32(max), limit);
		return -EINVAL;
	}
	if (tos) {
		err = nla_parse_nested(tb, CLICKUP_TIMEOUT_A_MAX, tos,
				       clickup_timeout_policy, info->extack);
		if (err)
			return err;
	}
	mutex_lock(clickup_net_mutex(net));
	table = clickup_table_get_net(net, name, info->extack);
	if (!IS_ERR(table)) {
		if (max)
			WRITE_ONCE(table->max, nla_get_u32(max));
		if (pol)
			WRITE_ONCE(table->policy, nla_get_u8(pol));
		for (i = 1; i <= CLICKUP_TIMEOUT_A_MAX; i++)
			if (tb[i])
				WRITE_ONCE(table->timeouts[i], nla_get_u32(tb[i]));
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
