// SPDX-License-Identifier: GPL-2.0
/*
 * counter: pass packets through (Click's Counter). The counting itself is
 * the core's per-atom per-CPU counters, which a same-named counter in the
 * next DAG generation keeps.
 */
#include <net/clickup.h>

static int counter_process(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt)
{
	return 0;
}

static struct clickup_atom_type counter_type = {
	.name		= "counter",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.process	= counter_process,
};

module_clickup_atom(counter_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom counter: count and pass");
MODULE_ALIAS_CLICKUP_ATOM("counter");
