// SPDX-License-Identifier: GPL-2.0
/*
 * writestate([TABLE[, SIDE]]) (alias writewhitelist): record the packet's
 * flow as whitelisted (TCP: established; UDP: a flow) if it is not yet;
 * output 0. After sessioncheck, whose tracker has already established the
 * flow, it changes nothing. A flow refused because the table is full of
 * assured flows is dropped: the table's limit policy keeps old flows.
 */
#include "whitelist.h"

static int writestate_process(struct clickup_atom *atom, struct sk_buff *skb,
			      const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	bool existed;
	u8 state;

	if (!whitelist_parse(skb, &l4))
		return 0;
	state = l4.key.proto == IPPROTO_TCP ? CLICKUP_FLOW_ESTABLISHED :
					      CLICKUP_FLOW_GENERIC;
	flow = clickup_flow_find(priv->table, &l4.key, NULL);
	existed = flow;
	if (!flow && priv->side != WL_OUTSIDE)
		flow = clickup_flow_create(priv->table, &l4.key, NULL, state,
					   &existed);
	if (!flow)
		return CLICKUP_DROP;
	if (existed && READ_ONCE(flow->state) != state)
		clickup_flow_set_state(priv->table, flow, state);
	return 0;
}

static const char *const writestate_aliases[] = { "writewhitelist", NULL };

static struct clickup_atom_type writestate_type = {
	.name		= "writestate",
	.aliases	= writestate_aliases,
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.max_args	= 2,
	.priv_size	= sizeof(struct whitelist_priv),
	.init		= whitelist_init,
	.destroy	= whitelist_destroy,
	.process	= writestate_process,
};

module_clickup_atom(writestate_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom writestate: whitelist this flow");
MODULE_ALIAS_CLICKUP_ATOM("writestate");
MODULE_ALIAS_CLICKUP_ATOM("writewhitelist");
