// SPDX-License-Identifier: GPL-2.0
/*
 * readstate([TABLE]) (alias readwhitelist): output 1 if the packet's TCP
 * flow is whitelisted (established, and not a FIN or RST that must go
 * through sessioncheck), else output 0 (to sessioncheck).
 */
#include <net/tcp.h>
#include "whitelist.h"

static int readstate_process(struct clickup_atom *atom, struct sk_buff *skb,
			     const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;

	if (!whitelist_parse(skb, &l4))
		return 0;
	flow = clickup_flow_find(priv->table, &l4.key, NULL);
	if (!flow || READ_ONCE(flow->state) != CLICKUP_FLOW_ESTABLISHED ||
	    (l4.tcp_flags & (TCPHDR_FIN | TCPHDR_RST | TCPHDR_SYN)))
		return 0;
	clickup_flow_refresh(priv->table, flow);
	return 1;
}

static const char *const readstate_aliases[] = { "readwhitelist", NULL };

static struct clickup_atom_type readstate_type = {
	.name		= "readstate",
	.aliases	= readstate_aliases,
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 2,
	.max_args	= 1,
	.priv_size	= sizeof(struct whitelist_priv),
	.init		= whitelist_init,
	.destroy	= whitelist_destroy,
	.process	= readstate_process,
};

module_clickup_atom(readstate_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom readstate: is this TCP flow whitelisted?");
MODULE_ALIAS_CLICKUP_ATOM("readstate");
MODULE_ALIAS_CLICKUP_ATOM("readwhitelist");
