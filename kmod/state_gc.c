// SPDX-License-Identifier: GPL-2.0
/*
 * Walking a state table in bounded steps: the periodic GC of expired
 * flows, and the flush that empties a table without holding a lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ktime.h>
#include <linux/moduleparam.h>
#include <linux/rhashtable.h>
#include <linux/workqueue.h>
#include "internal.h"

/*
 * The GC, like nf_conntrack's gc_worker, never holds the CPU or the RCU
 * read lock for a whole table: one run of the work looks at most at
 * CLICKUP_GC_BUDGET hash buckets, in steps of CLICKUP_GC_STEP buckets
 * (one RCU read section each, cond_resched() between), and the next run
 * resumes where this one stopped, one jiffy later. A pass that reached
 * the end starts again after gc_interval_ms. The table stays under 0.75
 * tuples (two per flow) per bucket on average (rhashtable grows it), so a
 * step sees about a hundred flows.
 */
#define CLICKUP_GC_BUDGET		8192
#define CLICKUP_GC_STEP			256

static unsigned int gc_interval_ms = 5000;
module_param(gc_interval_ms, uint, 0644);
MODULE_PARM_DESC(gc_interval_ms,
		 "Time between two whole GC passes over a state table, ms (default 5000)");

unsigned long clickup_gc_interval(void)
{
	return msecs_to_jiffies(max(READ_ONCE(gc_interval_ms), 10U));
}

/*
 * Under the RCU read lock: every flow in buckets [*cursor, *cursor + n) of
 * the table's current bucket array goes (all) or goes if expired. Returns
 * true once *cursor is past the last bucket. Buckets rather than an
 * rhashtable walker, as nf_conntrack's gc_worker does: a walker's next()
 * may scan any number of empty buckets (a table emptied by the GC) in one
 * call. A concurrent resize can make a pass miss or repeat some flows;
 * the next pass has them.
 */
static bool clickup_table_scan(struct clickup_table *table,
			       unsigned int *cursor, unsigned int n, bool all)
{
	const struct bucket_table *tbl;
	struct clickup_flow_tuple *t;
	struct rhash_head *pos;

	tbl = rht_dereference_rcu(table->ht.tbl, &table->ht);
	for (; n && *cursor < tbl->size; n--, (*cursor)++) {
		rht_for_each_entry_rcu(t, pos, tbl, *cursor, node)
			clickup_flow_scan(table, t, all);
	}
	return *cursor >= tbl->size;
}

/*
 * One run of the GC: at most CLICKUP_GC_BUDGET buckets, resuming the pass
 * where the previous run stopped, CLICKUP_GC_STEP buckets per RCU read
 * section.
 */
void clickup_table_gc(struct work_struct *work)
{
	struct clickup_table *table = container_of(to_delayed_work(work),
						   struct clickup_table, gc);
	unsigned int budget = CLICKUP_GC_BUDGET;
	bool done = false;
	u64 t0;

	if (!table->gc_walking) {
		table->gc_walking = true;
		table->gc_cursor = 0;
		table->gc_pass_start = ktime_get_ns();
	}
	while (budget && !done) {
		t0 = ktime_get_ns();
		rcu_read_lock();
		done = clickup_table_scan(table, &table->gc_cursor,
					  CLICKUP_GC_STEP, false);
		rcu_read_unlock();
		t0 = ktime_get_ns() - t0;
		if (t0 > READ_ONCE(table->gc_step_ns))
			WRITE_ONCE(table->gc_step_ns, t0);
		budget -= CLICKUP_GC_STEP;
		cond_resched();
	}
	if (!done) {
		/* Budget spent: go on soon, from here. */
		queue_delayed_work(system_power_efficient_wq, &table->gc, 1);
		return;
	}
	table->gc_walking = false;
	t0 = ktime_get_ns() - table->gc_pass_start;
	if (t0 > READ_ONCE(table->gc_pass_ns))
		WRITE_ONCE(table->gc_pass_ns, t0);
	queue_delayed_work(system_power_efficient_wq, &table->gc,
			   clickup_gc_interval());
}

/*
 * Removes every flow, in steps like the GC's; may sleep, so callers hold
 * a reference on the table but no lock (a table of millions of flows must
 * not keep the netns mutex, under which requests of its netns wait).
 * The removals make rhashtable shrink the table meanwhile, and a flow its
 * worker moves behind the cursor is missed (a tenth of 100,000 were):
 * passes go on, each after the queued resize finished, while one removes
 * something. Flows packets add meanwhile may stay.
 */
void clickup_table_flush(struct clickup_table *table)
{
	unsigned int cursor, left, last = UINT_MAX;
	bool done;

	atomic_inc(&table->gen);
	for (;;) {
		left = atomic_read(&table->count);
		if (!left || left >= last)
			break;
		last = left;
		flush_work(&table->ht.run_work);
		cursor = 0;
		do {
			rcu_read_lock();
			done = clickup_table_scan(table, &cursor,
						  CLICKUP_GC_STEP, true);
			rcu_read_unlock();
			cond_resched();
		} while (!done);
	}
}
