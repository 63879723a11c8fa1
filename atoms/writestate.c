// SPDX-License-Identifier: GPL-2.0
/*
 * writestate([TABLE]) (alias writewhitelist): record the packet's TCP
 * flow as whitelisted (established); output 0. A flow refused because the
 * table is full is dropped: the table's limit policy keeps old flows.
 */
#include "whitelist.h"

static int writestate_process(struct clickup_atom *atom, struct sk_buff *skb,
			      const struct clickup_pkt *pkt)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	bool existed;

	if (!whitelist_parse(skb, &l4))
		return 0;
	flow = clickup_flow_find(priv->table, &l4.key, NULL);
	existed = flow;
	if (!flow)
		flow = clickup_flow_create(priv->table, &l4.key, NULL,
					   CLICKUP_FLOW_ESTABLISHED, &existed);
	if (!flow)
		return CLICKUP_DROP;
	if (existed)
		clickup_flow_set_state(priv->table, flow,
				       CLICKUP_FLOW_ESTABLISHED);
	return 0;
}

static const char *const writestate_aliases[] = { "writewhitelist", NULL };

static struct clickup_atom_type writestate_type = {
	.name		= "writestate",
	.aliases	= writestate_aliases,
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.max_args	= 1,
	.priv_size	= sizeof(struct whitelist_priv),
	.init		= whitelist_init,
	.destroy	= whitelist_destroy,
	.process	= writestate_process,
};

module_clickup_atom(writestate_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom writestate: whitelist this TCP flow");
MODULE_ALIAS_CLICKUP_ATOM("writestate");
MODULE_ALIAS_CLICKUP_ATOM("writewhitelist");
