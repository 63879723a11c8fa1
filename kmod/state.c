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
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/netns/generic.h>
#include "internal.h"

#define CLICKUP_TABLE_DEFAULT_MAX	(1U << 20)

static unsigned int max_tables = 256;
module_param(max_tables, uint, 0644);
MODULE_PARM_DESC(max_tables, "State tables per network namespace (default 256)");

static unsigned int table_max_limit = 1U << 24;
module_param(table_max_limit, uint, 0644);
MODULE_PARM_DESC(table_max_limit,
		 "Highest entry limit (max) a state table may be given (default 16777216)");

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
	clickup_flow_ht_destroy(&table->ht);
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
	err = clickup_flow_ht_init(&table->ht);
	if (err) {
		kfree(table);
		return ERR_PTR(err);
	}
	strscpy(table->name, name, sizeof(table->name));
	table->max = CLICKUP_TABLE_DEFAULT_MAX;
	memcpy(table->timeouts, clickup_default_timeouts,
	       sizeof(table->timeouts));
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

	/* Bytes per flow, both tuples included: 128 at most (issue 11). */
#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_DEBUG_LOCK_ALLOC)
	BUILD_BUG_ON(sizeof(struct clickup_flow) > 128);
#endif
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
