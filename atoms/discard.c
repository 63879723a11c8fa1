// SPDX-License-Identifier: GPL-2.0
/* discard: drop the packet, counted as a drop (Click's Discard). */
#include <net/clickup.h>

static int discard_process(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt)
{
	return CLICKUP_DROP;
}

static struct clickup_atom_type discard_type = {
	.name		= "discard",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.flags		= CLICKUP_TYPE_F_TERMINAL,
	.process	= discard_process,
};

module_clickup_atom(discard_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom discard: drop");
MODULE_ALIAS_CLICKUP_ATOM("discard");
