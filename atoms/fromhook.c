// SPDX-License-Identifier: GPL-2.0
/*
 * fromhook(FAMILY, HOOK[, PRIORITY]): entry atom on an L3 netfilter hook,
 * e.g. fromhook(ipv4, forward). Packets start at the network header;
 * terminals are verdicts (accept, discard).
 */
#include <linux/kernel.h>
#include <linux/netfilter.h>
#include <net/clickup.h>

static const char *const fromhook_names[NF_INET_NUMHOOKS] = {
	[NF_INET_PRE_ROUTING]	= "prerouting",
	[NF_INET_LOCAL_IN]	= "input",
	[NF_INET_FORWARD]	= "forward",
	[NF_INET_LOCAL_OUT]	= "output",
	[NF_INET_POST_ROUTING]	= "postrouting",
};

static const char *const fromhook_families[] = { "ipv4", "ipv6" };
static const u8 fromhook_pf[] = { NFPROTO_IPV4, NFPROTO_IPV6 };

static int fromhook_init(struct clickup_atom *atom, u32 argc,
			 char *const *argv, struct netlink_ext_ack *extack)
{
	u32 family, hook;
	int prio = 0;

	if (clickup_arg_enum(atom, 0, fromhook_families,
			     ARRAY_SIZE(fromhook_families), &family, extack) ||
	    clickup_arg_enum(atom, 1, fromhook_names, ARRAY_SIZE(fromhook_names),
			     &hook, extack) ||
	    (argc > 2 && clickup_arg_int(atom, 2, INT_MIN, INT_MAX, &prio,
					 extack)))
		return -EINVAL;
	atom->entry.pf = fromhook_pf[family];
	atom->entry.hooknum = hook;
	atom->entry.priority = prio;
	return 0;
}

static int fromhook_process(struct clickup_atom *atom, struct sk_buff *skb,
			    const struct clickup_pkt *pkt)
{
	return 0;
}

static struct clickup_atom_type fromhook_type = {
	.name		= "fromhook",
	.owner		= THIS_MODULE,
	.inputs		= 0,
	.outputs	= 1,
	.flags		= CLICKUP_TYPE_F_ENTRY,
	.min_args	= 2,
	.max_args	= 3,
	.init		= fromhook_init,
	.process	= fromhook_process,
};

module_clickup_atom(fromhook_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom fromhook: IPv4/IPv6 netfilter hook entry");
MODULE_ALIAS_CLICKUP_ATOM("fromhook");
