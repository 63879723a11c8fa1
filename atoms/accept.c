// SPDX-License-Identifier: GPL-2.0
/* accept: hand the packet back to the stack (NF_ACCEPT). */
#include <net/clickup.h>

static int accept_process(struct clickup_atom *atom, struct sk_buff *skb,
			  const struct clickup_pkt *pkt)
{
	return CLICKUP_ACCEPT;
}

static struct clickup_atom_type accept_type = {
	.name		= "accept",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.flags		= CLICKUP_TYPE_F_TERMINAL,
	.process	= accept_process,
};

module_clickup_atom(accept_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom accept: let the stack carry on");
MODULE_ALIAS_CLICKUP_ATOM("accept");
