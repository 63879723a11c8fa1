// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: one netfilter hook function for every NE. It finds its
 * entry atom in the NE's current DAG and walks the DAG iteratively: no
 * allocation, no lock, no recursion.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include "internal.h"
#include "trace.h"

static void clickup_count(struct clickup_atom *atom, unsigned int len,
			  bool drop)
{
	struct clickup_cpu_stats *s = this_cpu_ptr(atom->stats->pcpu);

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->packets);
	u64_stats_add(&s->bytes, len);
	if (drop)
		u64_stats_inc(&s->drops);
	u64_stats_update_end(&s->syncp);
}

static struct clickup_atom *clickup_entry_atom(const struct clickup_dag *dag,
					       const struct clickup_hook *hook)
{
	u32 i;

	for (i = 0; i < dag->nr_entries; i++)
		if (dag->entries[i].hook == hook)
			return dag->entries[i].atom;
	return NULL;
}

/* Returns a clickup_verdict; the skb is gone unless it is ACCEPT or DROP. */
static int clickup_walk(const struct clickup_dag *dag, struct clickup_atom *atom,
			struct sk_buff *skb, const struct clickup_pkt *pkt)
{
	u32 budget = dag->nr_atoms;	/* acyclic: never exhausted */

	for (;;) {
		unsigned int len = skb->len;
		int port = atom->type->process(atom, skb, pkt);

		trace_clickup_atom(atom, port, len);
		if (port < 0) {
			clickup_count(atom, len, port == CLICKUP_DROP);
			return port;
		}
		if (unlikely(port >= atom->nr_outputs || !atom->next[port] ||
			     !budget--)) {
			/* optional output left unconnected */
			clickup_count(atom, len, true);
			return CLICKUP_DROP;
		}
		clickup_count(atom, len, false);
		atom = atom->next[port];
	}
}

unsigned int clickup_hook_fn(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct clickup_hook *hook = priv;
	struct clickup_pkt pkt = { .state = state, .net = state->net };
	const struct clickup_dag *dag;
	struct clickup_atom *entry;
	bool netdev = state->pf == NFPROTO_NETDEV;
	int verdict;

	dag = rcu_dereference(hook->ne->dag);
	if (unlikely(!dag))
		return NF_ACCEPT;
	entry = clickup_entry_atom(dag, hook);
	if (unlikely(!entry))	/* hook being attached or detached */
		return NF_ACCEPT;

	/* Click's FromDevice semantics: atoms see whole frames. */
	if (netdev && skb_mac_header_was_set(skb))
		__skb_push(skb, skb->data - skb_mac_header(skb));

	/* Per-CPU counters assume no softirq re-entry on this CPU. */
	local_bh_disable();
	verdict = clickup_walk(dag, entry, skb, &pkt);
	local_bh_enable();

	switch (verdict) {
	case CLICKUP_STOLEN:
		return NF_STOLEN;
	case CLICKUP_ACCEPT:
		/* The stack expects data at the network header again. */
		if (netdev) {
			int off = skb_network_offset(skb);

			if (off > 0)
				__skb_pull(skb, off);
			else if (off < 0)
				__skb_push(skb, -off);
		}
		return NF_ACCEPT;
	default:
		return NF_DROP;
	}
}
