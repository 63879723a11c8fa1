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

static int fromhook_init(struct clickup_atom *atom, u32 argc,
			 char *const *argv, struct netlink_ext_ack *extack)
{
	int hook, prio = 0;

	if (!strcasecmp(argv[0], "ipv4")) {
		atom->entry.pf = NFPROTO_IPV4;
	} else if (!strcasecmp(argv[0], "ipv6")) {
		atom->entry.pf = NFPROTO_IPV6;
	} else {
		clickup_extack_fmt(extack, "fromhook: family '%s' is not ipv4 or ipv6",
				   argv[0]);
		return -EINVAL;
	}
	hook = match_string(fromhook_names, ARRAY_SIZE(fromhook_names), argv[1]);
	if (hook < 0) {
		clickup_extack_fmt(extack,
				   "fromhook: hook '%s' is not prerouting, input, forward, output or postrouting",
				   argv[1]);
		return -EINVAL;
	}
	if (argc > 2 && kstrtoint(argv[2], 0, &prio)) {
		clickup_extack_fmt(extack, "fromhook: priority '%s' is not an integer",
				   argv[2]);
		return -EINVAL;
	}
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
