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
			struct sk_buff *skb, struct clickup_pkt *pkt)
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
		pkt->in_port = atom->next_in[port];
		atom = atom->next[port];
	}
}

/*
 * What the stack expects of an skb it gets back with NF_ACCEPT. Atoms move
 * the data pointer (strip, unstrip, encap) and may set headers
 * (checkipheader, encap), but change the length only at the front, so the
 * distance moved is the change in length; those that change it elsewhere
 * (reassembly) say so with clickup_pkt_resized().
 */
struct clickup_skb_saved {
	unsigned int	len;
	int		mac;		/* from the network header; 0: unset */
	int		transport;	/* from the network header */
	bool		mac_set;
	bool		transport_set;
	u16		mac_len;
	__be16		protocol;
};

static void clickup_skb_save(const struct sk_buff *skb,
			     struct clickup_skb_saved *saved)
{
	saved->len = skb->len;
	saved->mac_set = skb_mac_header_was_set(skb);
	saved->mac = saved->mac_set ?
		     skb_mac_header(skb) - skb_network_header(skb) : 0;
	saved->transport_set = skb_transport_header_was_set(skb);
	saved->transport = saved->transport_set ?
			   skb_transport_header(skb) - skb_network_header(skb) :
			   0;
	saved->mac_len = skb->mac_len;
	saved->protocol = skb->protocol;
}

/* Data back where the hook found it, headers as the stack set them. */
static void clickup_skb_restore(struct sk_buff *skb,
				const struct clickup_skb_saved *saved)
{
	if (skb->len > saved->len)
		skb_pull_rcsum(skb, skb->len - saved->len);
	else if (skb->len < saved->len)
		skb_push_rcsum(skb, saved->len - skb->len);
	skb_reset_network_header(skb);
	if (saved->transport_set)
		skb_set_transport_header(skb, saved->transport);
	if (saved->mac_set)
		skb_set_mac_header(skb, saved->mac);
	else
		skb_unset_mac_header(skb);
	skb->mac_len = saved->mac_len;
	skb->protocol = saved->protocol;
}

/* The packet's context and what the hook must give back on ACCEPT. */
struct clickup_pkt_ctx {
	struct clickup_pkt		pkt;
	struct clickup_skb_saved	saved;
};

/**
 * clickup_pkt_resized - the packet's length changed other than at the front
 * @pkt: the packet's context, as process() got it
 * @delta: bytes added (or removed, negative) past the data pointer, the
 *	   data pointer staying where it was relative to the headers
 *
 * For atoms that reassemble (ip_defrag()) or trim: an ACCEPT then still
 * hands the stack the data where the hook found it.
 */
void clickup_pkt_resized(const struct clickup_pkt *pkt, int delta)
{
	struct clickup_pkt_ctx *ctx = container_of(pkt, struct clickup_pkt_ctx,
						   pkt);

	ctx->saved.len += delta;
}
EXPORT_SYMBOL_GPL(clickup_pkt_resized);

unsigned int clickup_hook_fn(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	const struct clickup_hook *hook = priv;
	struct clickup_pkt_ctx ctx = {
		.pkt = { .state = state, .net = state->net },
	};
	struct clickup_skb_saved *saved = &ctx.saved;
	const struct clickup_dag *dag;
	struct clickup_atom *entry;
	int verdict;

	dag = rcu_dereference(hook->ne->dag);
	if (unlikely(!dag))
		return NF_ACCEPT;
	entry = clickup_entry_atom(dag, hook);
	if (unlikely(!entry))	/* hook being attached or detached */
		return NF_ACCEPT;

	/* At every hook the stack hands over data at the network header. */
	clickup_skb_save(skb, saved);
	/*
	 * Click's FromDevice semantics: atoms see whole frames. The push
	 * keeps a CHECKSUM_COMPLETE sum covering the data, as a frame
	 * leaving by todevice must have it.
	 */
	if (state->pf == NFPROTO_NETDEV && saved->mac_set && saved->mac < 0)
		skb_push_rcsum(skb, -saved->mac);

	/* Per-CPU counters assume no softirq re-entry on this CPU. */
	local_bh_disable();
	verdict = clickup_walk(dag, entry, skb, &ctx.pkt);
	local_bh_enable();

	switch (verdict) {
	case CLICKUP_STOLEN:
		return NF_STOLEN;
	case CLICKUP_ACCEPT:
		clickup_skb_restore(skb, saved);
		return NF_ACCEPT;
	default:
		return NF_DROP;
	}
}
