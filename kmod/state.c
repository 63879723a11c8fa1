// SPDX-License-Identifier: GPL-2.0
/*
 * Flow state tables: per-netns, named, refcounted rhashtables of flows.
 * Owned by the core rather than by atom instances, so a DAG swap, or the
 * unload of the atom modules using them, keeps every entry. Entries carry
 * a per-state timeout and a periodic GC (state_gc.c) removes expired
 * ones; a table never grows past its limit (new flows are refused and
 * counted).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ip.h>
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/netns/generic.h>
#include <net/tcp.h>
#include "internal.h"

#define CLICKUP_TABLE_DEFAULT_MAX	(1U << 20)

static unsigned int max_tables = 256;
module_param(max_tables, uint, 0644);
MODULE_PARM_DESC(max_tables, "State tables per network namespace (default 256)");

static unsigned int table_max_limit = 1U << 24;
module_param(table_max_limit, uint, 0644);
MODULE_PARM_DESC(table_max_limit,
		 "Highest entry limit (max) a state table may be given (default 16777216)");

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
	unsigned int		nr_tables;
	u32			gen;	/* table dumps: bumped by every change */
};

static struct clickup_table_net *clickup_table_net(struct net *net)
{
	return net_generic(net, clickup_table_net_id);
}

/* With the netns mutex held: changes when a table comes, goes or is set. */
u32 clickup_net_tables_gen(struct net *net)
{
	return clickup_table_net(net)->gen;
}

unsigned int clickup_table_max_limit(void)
{
	return READ_ONCE(table_max_limit);
}

struct list_head *clickup_net_tables(struct net *net)
{
	return &clickup_table_net(net)->tables;
}


static unsigned long clickup_timeout(u8 state)
{
	return (unsigned long)clickup_flow_timeout[state] * HZ;
}

/* The full timeout of @state, in jiffies. */
unsigned long clickup_flow_state_timeout(u8 state)
{
	return clickup_timeout(state);
}

static void clickup_flow_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(clickup_flow_cache,
			container_of(head, struct clickup_flow, rcu));
}

/* Past its timeout: absent for every lookup, whether or not the GC ran. */
bool clickup_flow_expired(const struct clickup_flow *flow)
{
	return time_after(jiffies, READ_ONCE(flow->expires));
}

/**
 * clickup_flow_lookup - the live flow of @key in @table
 * @table: a table the caller's atom holds (clickup_table_get())
 * @key: normalised key (clickup_flow_key_normalise())
 *
 * Under RCU (the packet path). An expired flow counts as absent.
 *
 * Return: the flow, valid until the RCU read section ends, or NULL.
 */
struct clickup_flow *clickup_flow_lookup(struct clickup_table *table,
					 const struct clickup_flow_key *key)
{
	struct clickup_flow *flow;

	flow = rhashtable_lookup(&table->ht, key, clickup_flow_params);
	if (flow && clickup_flow_expired(flow))
		return NULL;
	return flow;
}
EXPORT_SYMBOL_GPL(clickup_flow_lookup);

/* Unlinks @flow, which only the caller that unlinks it may free. */
static bool clickup_flow_unlink(struct clickup_table *table,
				struct clickup_flow *flow)
{
	if (rhashtable_remove_fast(&table->ht, &flow->node,
				   clickup_flow_params))
		return false;
	atomic_dec(&table->count);
	call_rcu(&flow->rcu, clickup_flow_free_rcu);
	return true;
}

/* Removes @flow if it is expired; true if it was (its key is free). */
bool clickup_flow_reap(struct clickup_table *table,
			      struct clickup_flow *flow)
{
	if (!clickup_flow_expired(flow))
		return false;
	if (clickup_flow_unlink(table, flow))
		atomic64_inc(&table->expired);
	return true;
}

/* Takes one of the table's max slots; false (and counted) when full. */
static bool clickup_table_charge(struct clickup_table *table)
{
	if (atomic_inc_return(&table->count) > READ_ONCE(table->max)) {
		atomic_dec(&table->count);
		atomic64_inc(&table->refused);
		return false;
	}
	return true;
}

/*
 * Under the RCU read lock: links @flow, whose every field is set, into
 * @table (a slot already charged). Returns NULL once it is linked, else
 * the live flow that holds its key, or an ERR_PTR of rhashtable's.
 */
static struct clickup_flow *clickup_flow_link(struct clickup_table *table,
					      struct clickup_flow *flow)
{
	struct clickup_flow *old;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		old = rhashtable_lookup_get_insert_fast(&table->ht, &flow->node,
							clickup_flow_params);
		if (!old) {
			atomic64_inc(&table->inserted);
			return NULL;
		}
		/* An expired flow holding the key gives way. */
		if (IS_ERR(old) || !clickup_flow_reap(table, old))
			return old;
	}
	return old;
}

/*
 * Netlink (restore) side: flows are allocated in process context, charged
 * to the caller's memory cgroup, and may fail rather than OOM-kill.
 */
struct clickup_flow *clickup_flow_alloc(gfp_t gfp)
{
	struct clickup_flow *flow = kmem_cache_zalloc(clickup_flow_cache, gfp);

	if (flow)
		spin_lock_init(&flow->lock);
	return flow;
}

void clickup_flow_free(struct clickup_flow *flow)
{
	kmem_cache_free(clickup_flow_cache, flow);
}

/*
 * Publishes @flow, initialised in full by the caller: 0, -EEXIST when a
 * live flow has its key (@flow is then the caller's to free), -ENOSPC when
 * the table is full, or rhashtable's error.
 */
int clickup_flow_add(struct clickup_table *table, struct clickup_flow *flow)
{
	struct clickup_flow *old;

	if (!clickup_table_charge(table))
		return -ENOSPC;
	rcu_read_lock();
	old = clickup_flow_link(table, flow);
	rcu_read_unlock();
	if (!old)
		return 0;
	atomic_dec(&table->count);
	return IS_ERR(old) ? PTR_ERR(old) : -EEXIST;
}

/**
 * clickup_flow_insert - find or add the flow of @key
 * @table: a table the caller's atom holds
 * @key: normalised key
 * @state: the state of a new flow (enum clickup_flow_state)
 * @existed: set to whether the flow was already there
 *
 * Under RCU, from the packet path; allocates with GFP_ATOMIC.
 *
 * Return: the flow, or NULL when the table is full (counted as refused)
 * or memory is short.
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
	if (old && !clickup_flow_reap(table, old)) {
		*existed = true;
		return old;
	}
	*existed = false;
	if (!clickup_table_charge(table))
		return NULL;
	/*
	 * Packet path, softirq: no memory cgroup to charge (as for
	 * nf_conntrack's entries); the table's max bounds it instead.
	 */
	flow = kmem_cache_zalloc(clickup_flow_cache, GFP_ATOMIC);
	if (!flow)
		goto fail;
	flow->key = *key;
	spin_lock_init(&flow->lock);
	flow->state = state;
	flow->expires = jiffies + clickup_timeout(state);
	old = clickup_flow_link(table, flow);
	if (!old)
		return flow;
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

/**
 * clickup_flow_remove - unlink @flow from @table; freed after a grace period
 * @table: the flow's table
 * @flow: a flow from clickup_flow_lookup() or clickup_flow_insert()
 */
void clickup_flow_remove(struct clickup_table *table, struct clickup_flow *flow)
{
	clickup_flow_unlink(table, flow);
}
EXPORT_SYMBOL_GPL(clickup_flow_remove);

/**
 * clickup_flow_set_state - move @flow to @state and restart its timeout
 * @table: the flow's table
 * @flow: the flow
 * @state: enum clickup_flow_state
 */
void clickup_flow_set_state(struct clickup_table *table,
			    struct clickup_flow *flow, u8 state)
{
	if (WARN_ON_ONCE(state >= __CLICKUP_FLOW_MAX))
		return;
	WRITE_ONCE(flow->state, state);
	WRITE_ONCE(flow->expires, jiffies + clickup_timeout(state));
}
EXPORT_SYMBOL_GPL(clickup_flow_set_state);

/**
 * clickup_flow_refresh - restart @flow's timeout in its current state
 * @table: the flow's table
 * @flow: the flow
 *
 * Writes only when the expiry moves by more than a second, so busy flows
 * do not bounce their cache line on every packet.
 */
void clickup_flow_refresh(struct clickup_table *table, struct clickup_flow *flow)
{
	unsigned long expires = jiffies + clickup_timeout(READ_ONCE(flow->state));

	/* Write at most once a second: the line is shared by all CPUs. */
	if (time_after(expires, READ_ONCE(flow->expires) + HZ))
		WRITE_ONCE(flow->expires, expires);
}
EXPORT_SYMBOL_GPL(clickup_flow_refresh);

/**
 * clickup_flow_key_normalise - order the endpoints of @key
 * @key: a key as seen on the wire; rewritten in place
 *
 * Both directions of a connection normalise to one key.
 *
 * Return: 1 if the endpoints were swapped (the packet goes from the
 * higher endpoint to the lower), else 0.
 */
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

/**
 * clickup_l4_parse - the 5-tuple and TCP flags of an IPv4 packet
 * @skb: the packet; its IPv4 header at the network header (set by the
 *	 stack, or by checkipheader), which may lie after a MAC header still
 *	 in the data
 * @l4: filled in: key as seen (not normalised), offsets from skb->data,
 *	TCP flags
 *
 * Return: false when there is no IPv4 header there, or a TCP/UDP header
 * is cut short; other protocols and later fragments get a key of their
 * addresses and protocol only.
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

static void clickup_flow_destroy(void *ptr, void *arg)
{
	kmem_cache_free(clickup_flow_cache, ptr);
}

/*
 * The last reference is gone: no atom, dump or request can reach the
 * table. Its flows are freed here, in clickup_wq after a grace period,
 * never under the lock of whoever dropped that reference
 * (rhashtable_free_and_destroy reschedules between buckets).
 */
static void clickup_table_free_work(struct work_struct *work)
{
	struct clickup_table *table = container_of(to_rcu_work(work),
						   struct clickup_table,
						   free_work);

	cancel_delayed_work_sync(&table->gc);
	rhashtable_free_and_destroy(&table->ht, clickup_flow_destroy, NULL);
	kfree(table);
}

/* The netns mutex guards the list: no reference is taken here. */
struct clickup_table *clickup_table_find(struct net *net, const char *name)
{
	struct clickup_table *table;

	lockdep_assert_held(clickup_net_mutex(net));
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

	struct clickup_table_net *tn = clickup_table_net(net);
	unsigned int limit = READ_ONCE(max_tables);

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
	if (tn->nr_tables >= limit) {
		clickup_extack_fmt(extack,
				   "cannot create table '%s': the netns has %u state tables, the limit (clickup.max_tables) is %u",
				   name, tn->nr_tables, limit);
		return ERR_PTR(-ENOSPC);
	}
	/* Charged to the caller's memory cgroup (the buckets are not). */
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
	atomic_set(&table->gen, 1);
	INIT_DELAYED_WORK(&table->gc, clickup_table_gc);
	list_add_tail(&table->list, clickup_net_tables(net));
	tn->nr_tables++;
	tn->gen++;
	queue_delayed_work(system_power_efficient_wq, &table->gc,
			   clickup_gc_interval());
	pr_debug("table %s created\n", name);
	return table;
}

/**
 * clickup_table_get - the state table @name of the atom's netns
 * @atom: the atom being initialised (from its init())
 * @name: table name, created if the netns has none of that name
 * @extack: for the reason of a refusal
 *
 * Also records the name on the atom (show, and the delete check).
 *
 * Return: a reference to drop with clickup_table_put(), or an ERR_PTR.
 */
struct clickup_table *clickup_table_get(struct clickup_atom *atom,
					const char *name,
					struct netlink_ext_ack *extack)
{
	struct clickup_table *table = clickup_table_get_net(atom->net, name,
							    extack);

	if (!IS_ERR(table)) {
		atomic_inc(&table->users);
		strscpy(atom->table, name, sizeof(atom->table));
	}
	return table;
}
EXPORT_SYMBOL_GPL(clickup_table_get);

/* Drops a reference of the core's own (a request, a dump, the list). */
void clickup_table_unref(struct clickup_table *table)
{
	if (refcount_dec_and_test(&table->ref)) {
		INIT_RCU_WORK(&table->free_work, clickup_table_free_work);
		queue_rcu_work(clickup_wq, &table->free_work);
	}
}

/**
 * clickup_table_put - drop the reference clickup_table_get() took
 * @table: the table, or NULL
 *
 * From an atom's destroy(). A table the netns no longer lists is freed
 * with its last reference.
 */
void clickup_table_put(struct clickup_table *table)
{
	if (!table)
		return;
	atomic_dec(&table->users);
	clickup_table_unref(table);
}
EXPORT_SYMBOL_GPL(clickup_table_put);

/*
 * With the netns mutex held: unlinks @table from @net; it is freed (in
 * clickup_wq) when its last user goes.
 */
void clickup_table_unlink(struct net *net, struct clickup_table *table)
{
	struct clickup_table_net *tn = clickup_table_net(net);

	list_del(&table->list);
	tn->nr_tables--;
	tn->gen++;
	clickup_table_unref(table);
}

unsigned int clickup_flow_size(void)
{
	return kmem_cache_size(clickup_flow_cache);
}

static int __net_init clickup_table_net_init(struct net *net)
{
	struct clickup_table_net *tn = clickup_table_net(net);

	INIT_LIST_HEAD(&tn->tables);
	tn->nr_tables = 0;
	tn->gen = 1;
	return 0;
}

static void __net_exit clickup_table_net_exit(struct net *net)
{
	struct clickup_table *table, *tmp;

	mutex_lock(clickup_net_mutex(net));
	list_for_each_entry_safe(table, tmp, clickup_net_tables(net), list)
		clickup_table_unlink(net, table);
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
	/*
	 * DAGs freed by rcu_work drop the last table references, tables are
	 * freed by rcu_work, flows by call_rcu: all gone before the cache.
	 */
	rcu_barrier();
	flush_workqueue(clickup_wq);
	rcu_barrier();
	flush_workqueue(clickup_wq);
	rcu_barrier();
	kmem_cache_destroy(clickup_flow_cache);
}
