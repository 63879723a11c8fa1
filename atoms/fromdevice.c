// SPDX-License-Identifier: GPL-2.0
/*
 * fromdevice(DEV): entry atom on DEV's netdev ingress hook (Click's
 * FromDevice). Frames arrive whole, MAC header included: the core pushes
 * it back before the walk and pulls it again on accept.
 */
#include <net/clickup.h>

static int fromdevice_init(struct clickup_atom *atom, u32 argc,
			   char *const *argv, struct netlink_ext_ack *extack)
{
	int ifindex, err;

	/*
	 * No RTNL here: the core attaches under RTNL later and fails the
	 * swap if this device is gone by then.
	 */
	err = clickup_arg_ifindex(atom, 0, &ifindex, extack);
	if (err)
		return err;
	atom->entry.pf = NFPROTO_NETDEV;
	atom->entry.hooknum = NF_NETDEV_INGRESS;
	atom->entry.ifindex = ifindex;
	return 0;
}

static int fromdevice_process(struct clickup_atom *atom, struct sk_buff *skb,
			      const struct clickup_pkt *pkt)
{
	return 0;
}

static struct clickup_atom_type fromdevice_type = {
	.name		= "fromdevice",
	.owner		= THIS_MODULE,
	.inputs		= 0,
	.outputs	= 1,
	.flags		= CLICKUP_TYPE_F_ENTRY,
	.min_args	= 1,
	.max_args	= 1,
	.init		= fromdevice_init,
	.process	= fromdevice_process,
};

module_clickup_atom(fromdevice_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom fromdevice: netdev ingress entry");
MODULE_ALIAS_CLICKUP_ATOM("fromdevice");
