// SPDX-License-Identifier: GPL-2.0
/*
 * Flow state tables: per-netns, named, refcounted rhashtables of flows.
 * Owned by the core rather than by atom instances, so a DAG swap, or the
 * unload of the atom modules using them, keeps every entry. Entries carry
 * a per-state timeout and a periodic GC removes expired ones; a table
 * never grows past its limit (new flows are refused and counted).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ip.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/netns/generic.h>
#include <net/tcp.h>
#include "internal.h"

#define CLICKUP_TABLE_DEFAULT_MAX	(1U << 20)
#define CLICKUP_GC_INTERVAL		(5 * HZ)

/* Seconds; modelled on nf_conntrack_proto_tcp's defaults. */
static const unsigned int clickup_flow_timeout[__CLICKUP_FLOW_MAX] = {
	[CLICKUP_FLOW_NONE]		= 30,
	[CLICKUP_FLOW_SYN_SENT]		= 120,
	[CLICKUP_FLOW_SYN_RECV]		= 60,
	[CLICKUP_FLOW_ESTABLISHED]	= 5 * 24 * 3600,
	[CLICKUP_FLOW_FIN_WAIT]		= 120,
	[CLICKUP_FLOW_TIME_WAIT]	= 120,
	[CLICKUP_FLOW_CLOSE]		= 10,
	[CLICKUP_FLOW_GENERIC]		= 300,
};

static const struct rhashtable_params clickup_flow_params = {
	.head_offset		= offsetof(struct clickup_flow, node),
	.key_offset		= offsetof(struct clickup_flow, key),
	.key_len		= sizeof(struct clickup_flow_key),
	.automatic_shrinking	= true,
};

static struct kmem_cache *clickup_flow_cache __read_mostly;
static unsigned int clickup_table_net_id __read_mostly;

struct clickup_table_net {
	struct list_head	tables;
};

struct list_head *clickup_net_tables(struct net *net)
{
	struct clickup_table_net *tn = net_generic(net, clickup_table_net_id);

	return &tn->tables;
}

static unsigned long clickup_timeout(u8 state)
{
	return (unsigned long)clickup_flow_timeout[state] * HZ;
}

static void clickup_flow_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(clickup_flow_cache,
			container_of(head, struct clickup_flow, rcu));
}

struct clickup_flow *clickup_flow_lookup(struct clickup_table *table,
					 const struct clickup_flow_key *key)
{
	return rhashtable_lookup(&table->ht, key, clickup_flow_params);
}
EXPORT_SYMBOL_GPL(clickup_flow_lookup);

/*
 * Returns the flow for @key, inserting one in @state if there is none
 * (*existed tells which); NULL when the table is full or memory is short.
 */
struct clickup_flow *clickup_flow_insert(struct clickup_table *table,
					 const struct clickup_flow_key *key,
					 u8 state, bool *existed)
{
	struct clickup_flow *flow, *old;

	/*
	 * An existing flow is returned without touching the count: in a full
	 * table, writestate must still be able to promote a flow it already
	 * has (else the handshake ACK of the last admitted flow is dropped).
	 */
	old = rhashtable_lookup_fast(&table->ht, key, clickup_flow_params);
	if (old) {
		*existed = true;
		return old;
	}
	*existed = false;
	if (atomic_inc_return(&table->count) > table->max) {
		atomic_dec(&table->count);
		atomic64_inc(&table->refused);
		return NULL;
	}
	flow = kmem_cache_zalloc(clickup_flow_cache, GFP_ATOMIC);
	if (!flow)
		goto fail;
	flow->key = *key;
	spin_lock_init(&flow->lock);
	flow->state = state;
	flow->expires = jiffies + clickup_timeout(state);
	old = rhashtable_lookup_get_insert_fast(&table->ht, &flow->node,
						clickup_flow_params);
	if (!old) {
		atomic64_inc(&table->inserted);
		return flow;
	}
	kmem_cache_free(clickup_flow_cache, flow);
	atomic_dec(&table->count);
	if (IS_ERR(old)) {
		atomic64_inc(&table->refused);
		return NULL;
	}
	*existed = true;
	return old;
fail:
	atomic_dec(&table->count);
	atomic64_inc(&table->refused);
	return NULL;
}
EXPORT_SYMBOL_GPL(clickup_flow_insert);

void clickup_flow_remove(struct clickup_table *table, struct clickup_flow *flow)
{
	/* Only the caller that unlinks it may free it. */
	if (rhashtable_remove_fast(&table->ht, &flow->node,
				   clickup_flow_params))
		return;
	atomic_dec(&table->count);
	call_rcu(&flow->rcu, clickup_flow_free_rcu);
}
EXPORT_SYMBOL_GPL(clickup_flow_remove);

void clickup_flow_set_state(struct clickup_table *table,
			    struct clickup_flow *flow, u8 state)
{
	if (WARN_ON_ONCE(state >= __CLICKUP_FLOW_MAX))
		return;
	WRITE_ONCE(flow->state, state);
	WRITE_ONCE(flow->expires, jiffies + clickup_timeout(state));
}
EXPORT_SYMBOL_GPL(clickup_flow_set_state);

void clickup_flow_refresh(struct clickup_table *table, struct clickup_flow *flow)
{
	unsigned long expires = jiffies + clickup_timeout(READ_ONCE(flow->state));

	/* Write at most once a second: the line is shared by all CPUs. */
	if (time_after(expires, READ_ONCE(flow->expires) + HZ))
		WRITE_ONCE(flow->expires, expires);
}
EXPORT_SYMBOL_GPL(clickup_flow_refresh);

/* Orders the endpoints; returns 1 if they were swapped, else 0. */
u8 clickup_flow_key_normalise(struct clickup_flow_key *key)
{
	u32 a0 = ntohl(key->addr[0]), a1 = ntohl(key->addr[1]);

	if (a0 < a1 || (a0 == a1 && ntohs(key->port[0]) <= ntohs(key->port[1])))
		return 0;
	swap(key->addr[0], key->addr[1]);
	swap(key->port[0], key->port[1]);
	return 1;
}
EXPORT_SYMBOL_GPL(clickup_flow_key_normalise);

/*
 * IPv4 header at the skb's network header (set by the stack, or by
 * checkipheader), which may lie after a MAC header still in the data.
 */
bool clickup_l4_parse(const struct sk_buff *skb, struct clickup_l4 *l4)
{
	const struct iphdr *iph;
	struct iphdr _iph;
	int nhoff = skb_network_offset(skb);

	memset(l4, 0, sizeof(*l4));
	if (nhoff < 0)
		return false;
	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return false;
	l4->nhoff = nhoff;
	l4->thoff = nhoff + iph->ihl * 4;
	l4->key.addr[0] = iph->saddr;
	l4->key.addr[1] = iph->daddr;
	l4->key.proto = iph->protocol;
	/* Later fragments carry no ports: they key on addresses only. */
	if (iph->frag_off & htons(IP_OFFSET))
		return true;
	if (iph->protocol == IPPROTO_TCP) {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, l4->thoff, sizeof(_th), &_th);
		if (!th)
			return false;
		l4->key.port[0] = th->source;
		l4->key.port[1] = th->dest;
		l4->tcp_flags = tcp_flag_byte(th);
	} else if (iph->protocol == IPPROTO_UDP) {
		const struct udphdr *uh;
		struct udphdr _uh;

		uh = skb_header_pointer(skb, l4->thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		l4->key.port[0] = uh->source;
		l4->key.port[1] = uh->dest;
	}
	return true;
}
EXPORT_SYMBOL_GPL(clickup_l4_parse);

static void clickup_table_gc(struct work_struct *work)
{
	struct clickup_table *table = container_of(to_delayed_work(work),
						   struct clickup_table, gc);
	struct rhashtable_iter iter;
	struct clickup_flow *flow;

	rhashtable_walk_enter(&table->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((flow = rhashtable_walk_next(&iter))) {
		if (IS_ERR(flow))
			continue;	/* -EAGAIN: resized, keep walking */
		if (time_after(jiffies, READ_ONCE(flow->expires))) {
			clickup_flow_remove(table, flow);
			atomic64_inc(&table->expired);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	queue_delayed_work(system_power_efficient_wq, &table->gc,
			   CLICKUP_GC_INTERVAL);
}

static void clickup_flow_free(void *ptr, void *arg)
{
	kmem_cache_free(clickup_flow_cache, ptr);
}

static void clickup_table_free(struct clickup_table *table)
{
	cancel_delayed_work_sync(&table->gc);
	/* No DAG refers to the table any more: no reader is left. */
	rhashtable_free_and_destroy(&table->ht, clickup_flow_free, NULL);
	kfree(table);
}

struct clickup_table *clickup_table_find(struct net *net, const char *name)
{
	struct clickup_table *table;

	list_for_each_entry(table, clickup_net_tables(net), list)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

/* With the netns mutex held: find @name in @net, or create it. */
struct clickup_table *clickup_table_get_net(struct net *net, const char *name,
					    struct netlink_ext_ack *extack)
{
	struct clickup_table *table;
	int err;

	lockdep_assert_held(clickup_net_mutex(net));
	if (!*name || strlen(name) >= CLICKUP_NAME_MAX) {
		clickup_extack_fmt(extack, "table name '%s' is empty or too long",
				   name);
		return ERR_PTR(-EINVAL);
	}
	table = clickup_table_find(net, name);
	if (table) {
		refcount_inc(&table->ref);
		return table;
	}
	table = kzalloc(sizeof(*table), GFP_KERNEL_ACCOUNT);
	if (!table)
		return ERR_PTR(-ENOMEM);
	err = rhashtable_init(&table->ht, &clickup_flow_params);
	if (err) {
		kfree(table);
		return ERR_PTR(err);
	}
	strscpy(table->name, name, sizeof(table->name));
	table->max = CLICKUP_TABLE_DEFAULT_MAX;
	/* One reference for the netns list, one for the caller. */
	refcount_set(&table->ref, 2);
	INIT_DELAYED_WORK(&table->gc, clickup_table_gc);
	list_add_tail(&table->list, clickup_net_tables(net));
	queue_delayed_work(system_power_efficient_wq, &table->gc,
			   CLICKUP_GC_INTERVAL);
	pr_debug("table %s created\n", name);
	return table;
}

/* From an atom's init(): also records the table's name on the atom. */
struct clickup_table *clickup_table_get(struct clickup_atom *atom,
					const char *name,
					struct netlink_ext_ack *extack)
{
	struct clickup_table *table = clickup_table_get_net(atom->net, name,
							    extack);

	if (!IS_ERR(table))
		strscpy(atom->table, name, sizeof(atom->table));
	return table;
}
EXPORT_SYMBOL_GPL(clickup_table_get);

void clickup_table_put(struct clickup_table *table)
{
	if (table && refcount_dec_and_test(&table->ref))
		clickup_table_free(table);
}
EXPORT_SYMBOL_GPL(clickup_table_put);

/* Unlinks @table from its netns; it goes when its last user does. */
void clickup_table_unlink(struct clickup_table *table)
{
	list_del(&table->list);
	clickup_table_put(table);
}

unsigned int clickup_flow_size(void)
{
	return kmem_cache_size(clickup_flow_cache);
}

static int __net_init clickup_table_net_init(struct net *net)
{
	INIT_LIST_HEAD(clickup_net_tables(net));
	return 0;
}

static void __net_exit clickup_table_net_exit(struct net *net)
{
	struct clickup_table *table, *tmp;

	mutex_lock(clickup_net_mutex(net));
	list_for_each_entry_safe(table, tmp, clickup_net_tables(net), list)
		clickup_table_unlink(table);
	mutex_unlock(clickup_net_mutex(net));
}

static struct pernet_operations clickup_table_net_ops = {
	.init	= clickup_table_net_init,
	.exit	= clickup_table_net_exit,
	.id	= &clickup_table_net_id,
	.size	= sizeof(struct clickup_table_net),
};

int clickup_state_init(void)
{
	int err;

	clickup_flow_cache = KMEM_CACHE(clickup_flow, 0);
	if (!clickup_flow_cache)
		return -ENOMEM;
	err = register_pernet_subsys(&clickup_table_net_ops);
	if (err)
		kmem_cache_destroy(clickup_flow_cache);
	return err;
}

void clickup_state_exit(void)
{
	unregister_pernet_subsys(&clickup_table_net_ops);
	/* Flows freed by call_rcu must be gone before their cache. */
	rcu_barrier();
	kmem_cache_destroy(clickup_flow_cache);
}
