// SPDX-License-Identifier: GPL-2.0
/*
 * sessioncheck([TABLE]): the seed's TCP session check. Tracks the
 * handshake and teardown of each flow in the table and sends a packet to
 *   output 0: a legal step that makes the flow whitelisted (the ACK that
 *             completes the handshake; to writestate),
 *   output 1: a legal step that passes (SYN, SYN-ACK, FIN, RST, ...),
 *   output 2: an illegal one (a segment of no known session): drop.
 * Works whether the element sees both directions or only the client's.
 */
#include <net/tcp.h>
#include "whitelist.h"

enum { SC_WHITELIST, SC_PASS, SC_ILLEGAL };

static int sessioncheck_step(struct clickup_table *table,
			     struct clickup_flow *flow, u8 flags, u8 dir)
{
	bool syn = flags & TCPHDR_SYN, ack = flags & TCPHDR_ACK;
	bool fin = flags & TCPHDR_FIN, rst = flags & TCPHDR_RST;
	bool from_init = dir == CLICKUP_DIR_ORIGINAL;

	if (rst) {
		clickup_flow_set_state(table, flow, CLICKUP_FLOW_CLOSE);
		return SC_PASS;
	}
	switch (flow->state) {
	case CLICKUP_FLOW_SYN_SENT:
		if (syn && !ack && from_init)
			return SC_PASS;			/* retransmitted SYN */
		if (syn && ack && !from_init) {
			clickup_flow_set_state(table, flow,
					       CLICKUP_FLOW_SYN_RECV);
			return SC_PASS;
		}
		if (!syn && ack && from_init)
			return SC_WHITELIST;		/* one-way view */
		return SC_ILLEGAL;
	case CLICKUP_FLOW_SYN_RECV:
		if (syn && ack && !from_init)
			return SC_PASS;
		if (!syn && ack && from_init)
			return SC_WHITELIST;
		return SC_ILLEGAL;
	case CLICKUP_FLOW_ESTABLISHED:
		if (syn)
			return SC_ILLEGAL;
		if (fin) {
			flow->seen[dir].flags |= CLICKUP_TCP_F_CLOSE_INIT;
			clickup_flow_set_state(table, flow,
					       CLICKUP_FLOW_FIN_WAIT);
		}
		return SC_PASS;
	case CLICKUP_FLOW_FIN_WAIT:
		if (syn)
			return SC_ILLEGAL;
		if (fin && !(flow->seen[dir].flags & CLICKUP_TCP_F_CLOSE_INIT))
			clickup_flow_set_state(table, flow,
					       CLICKUP_FLOW_TIME_WAIT);
		return SC_PASS;
	case CLICKUP_FLOW_TIME_WAIT:
	case CLICKUP_FLOW_CLOSE:
		if (syn && !ack) {			/* the tuple is reused */
			clickup_flow_set_state(table, flow,
					       CLICKUP_FLOW_SYN_SENT);
			return SC_PASS;
		}
		return flow->state == CLICKUP_FLOW_TIME_WAIT ? SC_PASS :
							       SC_ILLEGAL;
	default:
		return SC_ILLEGAL;
	}
}

static int sessioncheck_process(struct clickup_atom *atom, struct sk_buff *skb,
				const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	bool existed = true;
	u8 dir, flags;
	int ret;

	if (!whitelist_parse(skb, &l4))
		return SC_ILLEGAL;
	flags = l4.tcp_flags;
	flow = clickup_flow_find(priv->table, &l4.key, &dir);
	if (!flow) {
		/* Only a bare SYN opens a session. */
		if ((flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST | TCPHDR_FIN)) !=
		    TCPHDR_SYN)
			return SC_ILLEGAL;
		flow = clickup_flow_create(priv->table, &l4.key, NULL,
					   CLICKUP_FLOW_SYN_SENT, &existed);
		if (!flow)
			return SC_ILLEGAL;	/* table full: refused */
		dir = CLICKUP_DIR_ORIGINAL;
	}
	spin_lock(&flow->lock);
	if (!existed) {
		ret = SC_PASS;
	} else {
		ret = sessioncheck_step(priv->table, flow, flags, dir);
		/* The handshake seen through: never evicted for a new flow. */
		if (ret == SC_WHITELIST)
			WRITE_ONCE(flow->status,
				   flow->status | CLICKUP_FLOW_ASSURED);
	}
	spin_unlock(&flow->lock);
	clickup_flow_refresh(priv->table, flow);
	return ret;
}

static struct clickup_atom_type sessioncheck_type = {
	.name		= "sessioncheck",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 3,
	.max_args	= 1,
	.priv_size	= sizeof(struct whitelist_priv),
	.init		= whitelist_init,
	.destroy	= whitelist_destroy,
	.process	= sessioncheck_process,
};

module_clickup_atom(sessioncheck_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom sessioncheck: TCP session tracking for the whitelist");
MODULE_ALIAS_CLICKUP_ATOM("sessioncheck");
