// SPDX-License-Identifier: GPL-2.0
/*
 * sessioncheck([TABLE[, SIDE]]): runs each TCP or UDP packet through its
 * flow's tracker (conntrack's TCP state machine and window checks, the
 * core's state_tcp.c) and sends it to
 *   output 0: the step that whitelists a TCP flow (the handshake's ACK,
 *             the flow now established; to writestate),
 *   output 1: any other accepted packet,
 *   output 2: a packet to drop: of no flow and unable to open one (a TCP
 *             segment other than a bare SYN; anything from the outside
 *             SIDE; the table full of assured flows), from the wrong
 *             side, or invalid for its flow while the table's policy is
 *             strict (liberal: counted, and it leaves on 1).
 * Works whether the element sees both directions or only the inside's
 * (state_tcp.c says what the one-way view cannot check).
 */
#include <net/tcp.h>
#include "whitelist.h"

enum { SC_WHITELIST, SC_PASS, SC_ILLEGAL };

/* A new flow for @l4, or NULL: only the inside opens, TCP with a SYN. */
static struct clickup_flow *sessioncheck_open(struct whitelist_priv *priv,
					      const struct clickup_l4 *l4)
{
	bool tcp = l4->key.proto == IPPROTO_TCP, existed;

	if (priv->side == WL_OUTSIDE ||
	    (tcp && (l4->tcp_flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST |
				      TCPHDR_FIN)) != TCPHDR_SYN))
		return NULL;
	return clickup_flow_create(priv->table, &l4->key, NULL,
				   tcp ? CLICKUP_FLOW_NONE :
					 CLICKUP_FLOW_GENERIC, &existed);
}

static int sessioncheck_process(struct clickup_atom *atom, struct sk_buff *skb,
				const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	bool created = false;
	u8 dir, old;

	if (!whitelist_parse(skb, &l4))
		return SC_ILLEGAL;
	flow = clickup_flow_find(priv->table, &l4.key, &dir);
	if (!flow) {
		flow = sessioncheck_open(priv, &l4);
		if (!flow)
			return SC_ILLEGAL;
		created = true;
		dir = CLICKUP_DIR_ORIGINAL;
	} else if (!whitelist_side_ok(priv, dir)) {
		return SC_ILLEGAL;
	}
	old = READ_ONCE(flow->state);
	if (clickup_flow_track(priv->table, flow, skb, &l4, dir) ==
	    CLICKUP_TRACK_INVALID) {
		/* A packet that made a flow and is invalid leaves none. */
		if (created && old == CLICKUP_FLOW_NONE)
			clickup_flow_remove(priv->table, flow);
		return clickup_table_strict(priv->table) ? SC_ILLEGAL : SC_PASS;
	}
	if (l4.key.proto == IPPROTO_TCP && old != CLICKUP_FLOW_ESTABLISHED &&
	    READ_ONCE(flow->state) == CLICKUP_FLOW_ESTABLISHED)
		return SC_WHITELIST;
	return SC_PASS;
}

static struct clickup_atom_type sessioncheck_type = {
	.name		= "sessioncheck",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 3,
	.max_args	= 2,
	.priv_size	= sizeof(struct whitelist_priv),
	.init		= whitelist_init,
	.destroy	= whitelist_destroy,
	.process	= sessioncheck_process,
};

module_clickup_atom(sessioncheck_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom sessioncheck: TCP/UDP session tracking for the whitelist");
MODULE_ALIAS_CLICKUP_ATOM("sessioncheck");
