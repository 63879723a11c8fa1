// SPDX-License-Identifier: GPL-2.0
/*
 * readstate([TABLE[, SIDE]]) (alias readwhitelist): the fast path of the
 * whitelist. Output 1 for a packet of a whitelisted flow (a TCP flow
 * established, the packet no SYN, FIN or RST; any UDP flow), once the
 * tracker accepted it; output 0 for everything else (to sessioncheck):
 * unknown flows, TCP handshake and teardown, packets from the wrong
 * SIDE (whitelist.h). Output 2 (optional; unconnected: dropped): a packet
 * the tracker finds out of window when the table's policy is strict
 * (liberal: counted, and it leaves on 1).
 */
#include <net/tcp.h>
#include "whitelist.h"

enum { RS_CHECK, RS_PASS, RS_INVALID };

static int readstate_process(struct clickup_atom *atom, struct sk_buff *skb,
			     const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	u8 dir;

	if (!whitelist_parse(skb, &l4))
		return RS_CHECK;
	flow = clickup_flow_find(priv->table, &l4.key, &dir);
	if (!flow || !whitelist_side_ok(priv, dir))
		return RS_CHECK;
	if (l4.key.proto == IPPROTO_TCP &&
	    (READ_ONCE(flow->state) != CLICKUP_FLOW_ESTABLISHED ||
	     (l4.tcp_flags & (TCPHDR_FIN | TCPHDR_RST | TCPHDR_SYN))))
		return RS_CHECK;
	if (clickup_flow_track(priv->table, flow, skb, &l4, dir) ==
	    CLICKUP_TRACK_INVALID && clickup_table_strict(priv->table))
		return RS_INVALID;
	return RS_PASS;
}

static const char *const readstate_aliases[] = { "readwhitelist", NULL };

static struct clickup_atom_type readstate_type = {
	.name			= "readstate",
	.aliases		= readstate_aliases,
	.owner			= THIS_MODULE,
	.inputs			= 1,
	.outputs		= 3,
	.optional_outputs	= BIT_ULL(RS_INVALID),
	.max_args		= 2,
	.priv_size		= sizeof(struct whitelist_priv),
	.init			= whitelist_init,
	.destroy		= whitelist_destroy,
	.process		= readstate_process,
};

module_clickup_atom(readstate_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom readstate: is this flow whitelisted?");
MODULE_ALIAS_CLICKUP_ATOM("readstate");
MODULE_ALIAS_CLICKUP_ATOM("readwhitelist");
