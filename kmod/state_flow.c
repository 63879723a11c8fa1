// SPDX-License-Identifier: GPL-2.0
/*
 * Flows: two tuples each (ORIGINAL and REPLY, as nf_conntrack's
 * tuplehash), both in the table's rhashtable, so a lookup by either finds
 * the flow and its direction. Creating one in a full table evicts an
 * unassured flow first (early drop); assured flows are never evicted.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include "internal.h"

/*
 * Both tuples of a flow are in the hash; lookups compare and hash a tuple
 * up to its pad, where a stored tuple keeps its direction.
 */
#define CLICKUP_KEY_LEN		offsetof(struct clickup_flow_key, pad)
#define CLICKUP_TUPLE_DIR(t)	((t)->key.pad[0])

/* Internal status bits: both tuples are linked (conntrack's "confirmed");
 * the table teardown saw one tuple of the flow.
 */
#define CLICKUP_FLOW_CONFIRMED	BIT(7)
#define CLICKUP_FLOW_TORN	BIT(6)

/*
 * Early drop looks at this many hash buckets from the new flow's own
 * (nf_conntrack looks at 8; a table of a few hundred flows has buckets
 * enough that 8 are often empty).
 */
#define CLICKUP_EVICT_BUCKETS	64

static const struct rhashtable_params clickup_flow_params = {
	.head_offset		= offsetof(struct clickup_flow_tuple, node),
	.key_offset		= offsetof(struct clickup_flow_tuple, key),
	.key_len		= CLICKUP_KEY_LEN,
	.automatic_shrinking	= true,
};

struct kmem_cache *clickup_flow_cache __read_mostly;

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

static bool clickup_flow_confirmed(const struct clickup_flow *flow)
{
	/* Pairs with clickup_flow_link(): confirmed means fully set up. */
	return smp_load_acquire(&flow->status) & CLICKUP_FLOW_CONFIRMED;
}

static struct clickup_flow *clickup_tuple_flow(struct clickup_flow_tuple *t)
{
	return container_of(t - CLICKUP_TUPLE_DIR(t), struct clickup_flow,
			    tuple[0]);
}

/**
 * clickup_flow_key_reverse - the tuple of the answer to @key
 * @rev: set to @key with source and destination swapped
 * @key: a tuple
 */
void clickup_flow_key_reverse(struct clickup_flow_key *rev,
			      const struct clickup_flow_key *key)
{
	memset(rev, 0, sizeof(*rev));
	rev->addr[0] = key->addr[1];
	rev->addr[1] = key->addr[0];
	rev->port[0] = key->port[1];
	rev->port[1] = key->port[0];
	rev->proto = key->proto;
}
EXPORT_SYMBOL_GPL(clickup_flow_key_reverse);

/**
 * clickup_flow_find - the live flow with a tuple of @key in @table
 * @table: a table the caller's atom holds (clickup_table_get())
 * @key: a tuple as seen on the wire (pad zero)
 * @dir: set to the direction @key matched (enum clickup_dir), or NULL
 *
 * Under RCU (the packet path). An expired flow, or one whose other tuple
 * is not linked yet, counts as absent.
 *
 * Return: the flow, valid until the RCU read section ends, or NULL.
 */
struct clickup_flow *clickup_flow_find(struct clickup_table *table,
				       const struct clickup_flow_key *key,
				       u8 *dir)
{
	struct clickup_flow_tuple *t;
	struct clickup_flow *flow;

	t = rhashtable_lookup(&table->ht, key, clickup_flow_params);
	if (!t)
		return NULL;
	flow = clickup_tuple_flow(t);
	if (!clickup_flow_confirmed(flow) || clickup_flow_expired(flow))
		return NULL;
	if (dir)
		*dir = CLICKUP_TUPLE_DIR(t);
	return flow;
}
EXPORT_SYMBOL_GPL(clickup_flow_find);

/*
 * Unlinks a confirmed @flow. Whoever unlinks its ORIGINAL tuple owns it:
 * unlinks the REPLY tuple too and frees it after a grace period; a
 * concurrent caller gets false.
 */
static bool clickup_flow_unlink(struct clickup_table *table,
				struct clickup_flow *flow)
{
	if (rhashtable_remove_fast(&table->ht, &flow->tuple[0].node,
				   clickup_flow_params))
		return false;
	WARN_ON_ONCE(rhashtable_remove_fast(&table->ht, &flow->tuple[1].node,
					    clickup_flow_params));
	atomic_dec(&table->count);
	call_rcu(&flow->rcu, clickup_flow_free_rcu);
	return true;
}

/* Removes @flow if it is expired; true if it was (its tuples are free). */
bool clickup_flow_reap(struct clickup_table *table, struct clickup_flow *flow)
{
	if (!clickup_flow_confirmed(flow) || !clickup_flow_expired(flow))
		return false;
	if (clickup_flow_unlink(table, flow))
		atomic64_inc(&table->expired);
	return true;
}

/*
 * For the GC and the flush (state_gc.c): @tuple's flow goes, all or if
 * expired. Each flow is handled through its ORIGINAL tuple only; flows
 * still being linked are left alone.
 */
void clickup_flow_scan(struct clickup_table *table,
		       struct clickup_flow_tuple *tuple, bool all)
{
	struct clickup_flow *flow = clickup_tuple_flow(tuple);

	if (CLICKUP_TUPLE_DIR(tuple) != CLICKUP_DIR_ORIGINAL ||
	    !clickup_flow_confirmed(flow))
		return;
	if (all)
		clickup_flow_unlink(table, flow);
	else
		clickup_flow_reap(table, flow);
}

/* For dumps: @t's confirmed flow if @t is its ORIGINAL tuple, else NULL. */
struct clickup_flow *clickup_tuple_original(struct clickup_flow_tuple *t)
{
	struct clickup_flow *flow = clickup_tuple_flow(t);

	if (CLICKUP_TUPLE_DIR(t) != CLICKUP_DIR_ORIGINAL ||
	    !clickup_flow_confirmed(flow))
		return NULL;
	return flow;
}

/*
 * nf_conntrack's early drop: a flow that is not assured (no handshake
 * seen completing), or assured but closing, may make room for a new one.
 */
static bool clickup_flow_evictable(const struct clickup_flow *flow)
{
	if (!clickup_flow_assured(flow))
		return true;
	switch (READ_ONCE(flow->state)) {
	case CLICKUP_FLOW_FIN_WAIT:
	case CLICKUP_FLOW_CLOSE_WAIT:
	case CLICKUP_FLOW_LAST_ACK:
	case CLICKUP_FLOW_TIME_WAIT:
	case CLICKUP_FLOW_CLOSE:
		return true;
	}
	return false;
}

/*
 * Under RCU: removes one evictable flow found in the buckets from @key's
 * own; true if one went (its slot is free).
 */
static bool clickup_table_evict(struct clickup_table *table,
				const struct clickup_flow_key *key)
{
	const struct bucket_table *tbl;
	struct clickup_flow_tuple *t;
	struct rhash_head *pos;
	unsigned int hash, i;

	tbl = rht_dereference_rcu(table->ht.tbl, &table->ht);
	hash = rht_key_hashfn(&table->ht, tbl, key, clickup_flow_params);
	for (i = 0; i < CLICKUP_EVICT_BUCKETS && i < tbl->size; i++) {
		rht_for_each_entry_rcu(t, pos, tbl, (hash + i) & (tbl->size - 1),
				       node) {
			struct clickup_flow *flow = clickup_tuple_flow(t);

			if (!clickup_flow_confirmed(flow) ||
			    !clickup_flow_evictable(flow))
				continue;
			if (clickup_flow_unlink(table, flow)) {
				atomic64_inc(&table->evicted);
				return true;
			}
		}
	}
	return false;
}

/* Takes one of the table's max slots; false when full. */
static bool clickup_table_charge(struct clickup_table *table)
{
	if (atomic_inc_return(&table->count) > READ_ONCE(table->max)) {
		atomic_dec(&table->count);
		return false;
	}
	return true;
}

/*
 * Under RCU: links @t. NULL once linked, else the tuple that holds its
 * key (a live flow's) or an ERR_PTR of rhashtable's. An expired flow
 * holding the key gives way.
 */
static struct clickup_flow_tuple *
clickup_tuple_link(struct clickup_table *table, struct clickup_flow_tuple *t)
{
	struct clickup_flow_tuple *old;
	int tries;

	for (tries = 0; tries < 2; tries++) {
		old = rhashtable_lookup_get_insert_fast(&table->ht, &t->node,
							clickup_flow_params);
		if (!old || IS_ERR(old) ||
		    !clickup_flow_reap(table, clickup_tuple_flow(old)))
			return old;
	}
	return old;
}

/*
 * Under RCU: links both tuples of @flow, every other field set, into
 * @table (its slot already charged) and confirms it. 0, -EEXIST when a
 * live flow holds its ORIGINAL tuple (*old set to that flow), -EAGAIN
 * when a flow not yet confirmed does, -EADDRINUSE when another flow holds
 * its REPLY tuple, -EINVAL when both tuples are the same, or rhashtable's
 * error (-ENOMEM, -EBUSY: a resize it could not do in atomic context;
 * -E2BIG), never mistaken for a clash; @flow is then unlinked, the
 * caller's to free (with call_rcu after an error on the REPLY tuple: its
 * ORIGINAL tuple was seen).
 */
static int clickup_flow_link(struct clickup_table *table,
			     struct clickup_flow *flow,
			     struct clickup_flow **old)
{
	struct clickup_flow_tuple *t;

	flow->tuple[0].key.pad[0] = CLICKUP_DIR_ORIGINAL;
	flow->tuple[1].key.pad[0] = CLICKUP_DIR_REPLY;
	if (!memcmp(&flow->tuple[0].key, &flow->tuple[1].key, CLICKUP_KEY_LEN))
		return -EINVAL;
	t = clickup_tuple_link(table, &flow->tuple[0]);
	if (t) {
		if (IS_ERR(t))
			return PTR_ERR(t);
		/* One being linked by another CPU is nobody's to use yet. */
		*old = clickup_tuple_flow(t);
		return clickup_flow_confirmed(*old) ? -EEXIST : -EAGAIN;
	}
	t = clickup_tuple_link(table, &flow->tuple[1]);
	if (t) {
		/* Unconfirmed: nobody else unlinks it. */
		rhashtable_remove_fast(&table->ht, &flow->tuple[0].node,
				       clickup_flow_params);
		return IS_ERR(t) ? PTR_ERR(t) : -EADDRINUSE;
	}
	/* Every field, both tuples linked: lookups may now return it. */
	smp_store_release(&flow->status, flow->status | CLICKUP_FLOW_CONFIRMED);
	atomic64_inc(&table->inserted);
	return 0;
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
 * Process context: lets a resize that rhashtable has queued finish before
 * the next insert. A bulk insert (restore) can outrun the deferred
 * worker: past 100% load every insert takes rhashtable's slow path, which
 * allocates the next bucket array itself with GFP_ATOMIC (a nested one,
 * or -ENOMEM, when that fails). Waiting keeps the load under 75%, the
 * inserts on the fast path and each doubling in the worker (GFP_KERNEL).
 */
static void clickup_table_settle(struct clickup_table *table)
{
	const struct bucket_table *tbl;
	bool grow;

	rcu_read_lock();
	tbl = rht_dereference_rcu(table->ht.tbl, &table->ht);
	grow = rht_grow_above_75(&table->ht, tbl) ||
	       rcu_access_pointer(tbl->future_tbl);
	rcu_read_unlock();
	if (grow)
		flush_work(&table->ht.run_work);
}

/*
 * Publishes @flow, initialised in full by the caller, in process context
 * (a restore): 0, or -EEXIST when a live flow has one of its tuples,
 * -EINVAL when its two tuples are the same, -ENOSPC when the table is
 * full (a restore does not evict), or rhashtable's error (-ENOMEM,
 * -EBUSY: retried once after the worker's resize when its ORIGINAL tuple
 * was never linked); @flow is freed on error.
 */
int clickup_flow_add(struct clickup_table *table, struct clickup_flow *flow)
{
	struct clickup_flow *old;
	int err;

	if (!clickup_table_charge(table)) {
		clickup_flow_free(flow);
		return -ENOSPC;
	}
	clickup_table_settle(table);
	rcu_read_lock();
	err = clickup_flow_link(table, flow, &old);
	rcu_read_unlock();
	if ((err == -ENOMEM || err == -EBUSY) &&
	    !rcu_access_pointer(flow->tuple[0].node.next)) {
		/* A resize rhashtable could not do: once the worker did it. */
		flush_work(&table->ht.run_work);
		rcu_read_lock();
		err = clickup_flow_link(table, flow, &old);
		rcu_read_unlock();
	}
	if (!err)
		return 0;
	atomic_dec(&table->count);
	if (err == -EINVAL || err == -EEXIST || err == -EAGAIN) {
		clickup_flow_free(flow);	/* never linked */
		return err == -EAGAIN ? -EEXIST : err;
	}
	/* Its ORIGINAL tuple may have been linked for a moment. */
	call_rcu(&flow->rcu, clickup_flow_free_rcu);
	return err == -EADDRINUSE ? -EEXIST : err;
}

/**
 * clickup_flow_create - find or add the flow whose ORIGINAL tuple is @orig
 * @table: a table the caller's atom holds
 * @orig: the ORIGINAL tuple (pad zero)
 * @reply: the REPLY tuple, or NULL for the reverse of @orig
 * @state: the state of a new flow (enum clickup_flow_state)
 * @existed: set to whether a flow with tuple @orig was already there
 *
 * Under RCU, from the packet path; allocates with GFP_ATOMIC. When the
 * table is full, an unassured (or closing) flow near @orig in the hash is
 * evicted first, as nf_conntrack's early drop; assured flows never are.
 *
 * Return: the flow (the existing one if *@existed); NULL when the table
 * is full and nothing could be evicted, or memory is short (both counted
 * in the table's refused), or when another flow holds the @reply tuple
 * (not counted: a NAT picks another).
 */
struct clickup_flow *clickup_flow_create(struct clickup_table *table,
					 const struct clickup_flow_key *orig,
					 const struct clickup_flow_key *reply,
					 u8 state, bool *existed)
{
	struct clickup_flow *flow, *old;
	int err;

	*existed = false;
	if (WARN_ON_ONCE(state >= __CLICKUP_FLOW_MAX))
		return NULL;
	/*
	 * An existing flow is returned without touching the count: in a full
	 * table, writestate must still be able to promote a flow it already
	 * has (else the handshake ACK of the last admitted flow is dropped).
	 */
	flow = clickup_flow_find(table, orig, NULL);
	if (flow) {
		*existed = true;
		return flow;
	}
	if (!clickup_table_charge(table) &&
	    !(clickup_table_evict(table, orig) && clickup_table_charge(table))) {
		atomic64_inc(&table->refused);
		return NULL;
	}
	/*
	 * Packet path, softirq: no memory cgroup to charge (as for
	 * nf_conntrack's entries); the table's max bounds it instead.
	 */
	flow = kmem_cache_zalloc(clickup_flow_cache, GFP_ATOMIC);
	if (!flow) {
		atomic_dec(&table->count);
		atomic64_inc(&table->refused);
		return NULL;
	}
	spin_lock_init(&flow->lock);
	flow->tuple[0].key = *orig;
	if (reply)
		flow->tuple[1].key = *reply;
	else
		clickup_flow_key_reverse(&flow->tuple[1].key, orig);
	flow->state = state;
	/* UDP: replied traffic 2 s from now on is a stream (state_track.c). */
	flow->seen[0].td_end = (u32)jiffies + 2 * HZ;
	flow->expires = jiffies + clickup_flow_timeout(table, flow, state);
	err = clickup_flow_link(table, flow, &old);
	if (!err)
		return flow;
	atomic_dec(&table->count);
	if (err == -EINVAL || err == -EEXIST || err == -EAGAIN)
		kmem_cache_free(clickup_flow_cache, flow);	/* never seen */
	else
		call_rcu(&flow->rcu, clickup_flow_free_rcu);
	if (err == -EEXIST) {
		*existed = true;
		return old;
	}
	if (err != -EADDRINUSE && err != -EINVAL && err != -EAGAIN)
		atomic64_inc(&table->refused);
	return NULL;
}
EXPORT_SYMBOL_GPL(clickup_flow_create);

/**
 * clickup_flow_remove - unlink @flow from @table; freed after a grace period
 * @table: the flow's table
 * @flow: a flow from clickup_flow_find() or clickup_flow_create()
 */
void clickup_flow_remove(struct clickup_table *table, struct clickup_flow *flow)
{
	if (clickup_flow_confirmed(flow))
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
	WRITE_ONCE(flow->expires,
		   jiffies + clickup_flow_timeout(table, flow, state));
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
	unsigned long expires = jiffies +
		clickup_flow_timeout(table, flow, READ_ONCE(flow->state));

	if (time_after(expires, READ_ONCE(flow->expires) + HZ))
		WRITE_ONCE(flow->expires, expires);
}
EXPORT_SYMBOL_GPL(clickup_flow_refresh);

/**
 * clickup_table_strict - whether @table drops the packets its tracker
 * finds invalid (else it passes them, counted)
 * @table: a table the caller's atom holds
 *
 * Return: true under the strict policy.
 */
bool clickup_table_strict(const struct clickup_table *table)
{
	return READ_ONCE(table->policy) == CLICKUP_POLICY_STRICT;
}
EXPORT_SYMBOL_GPL(clickup_table_strict);

/*
 * Table teardown (no packet, dump or request can reach it any more):
 * rhashtable_free_and_destroy() calls this once per tuple and may still
 * read a tuple after the other tuple of its flow was visited, so the flow
 * is freed at its second visit, not its first. Every flow then has both
 * tuples linked: unlinking removes both at once, and a flow whose second
 * tuple failed to link was removed by its creator.
 */
static void clickup_flow_destroy(void *ptr, void *arg)
{
	struct clickup_flow *flow = clickup_tuple_flow(ptr);

	if (!(flow->status & CLICKUP_FLOW_TORN)) {
		flow->status |= CLICKUP_FLOW_TORN;
		return;
	}
	kmem_cache_free(clickup_flow_cache, flow);
}

int clickup_flow_ht_init(struct rhashtable *ht)
{
	return rhashtable_init(ht, &clickup_flow_params);
}

/* The table's last reference is gone: frees it, flows and all. */
void clickup_flow_ht_destroy(struct rhashtable *ht)
{
	rhashtable_free_and_destroy(ht, clickup_flow_destroy, NULL);
}
