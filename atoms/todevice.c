// SPDX-License-Identifier: GPL-2.0
/*
 * todevice(DEV): transmit the frame out of DEV (Click's ToDevice); the
 * packet leaves the hook as NF_STOLEN. The frame is sent from its MAC
 * header: one that strip() pulled is put back (as the kernel's own
 * nf_do_netdev_egress does), one that encap() wrote is used as is. The
 * device is looked up per packet by ifindex, so a DAG never pins a device
 * that is going away. It needs frames, so it is refused under an L3
 * entry (fromhook): there the stack owns the packet's route and header.
 */
#include <linux/netdevice.h>
#include <net/clickup.h>

struct todevice_priv {
	int ifindex;
};

static int todevice_init(struct clickup_atom *atom, u32 argc,
			 char *const *argv, struct netlink_ext_ack *extack)
{
	struct todevice_priv *priv = clickup_atom_priv(atom);

	/* By ifindex per packet: a device gone later just drops. */
	return clickup_arg_ifindex(atom, 0, &priv->ifindex, extack);
}

static int todevice_process(struct clickup_atom *atom, struct sk_buff *skb,
			    const struct clickup_pkt *pkt)
{
	const struct todevice_priv *priv = clickup_atom_priv(atom);
	struct net_device *dev;

	dev = dev_get_by_index_rcu(pkt->net, priv->ifindex);
	if (unlikely(!dev))
		return CLICKUP_DROP;
	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) < skb->data)
		skb_push_rcsum(skb, skb->data - skb_mac_header(skb));
	skb->dev = dev;
	skb_clear_tstamp(skb);
	/*
	 * A frame from a packet socket of this netns still belongs to it
	 * (veth orphans only across netns); sent on, it would pin the
	 * socket and so the netns: a forwarding loop outlived ip netns del.
	 */
	skb_orphan(skb);
	dev_queue_xmit(skb);
	return CLICKUP_STOLEN;
}

static struct clickup_atom_type todevice_type = {
	.name		= "todevice",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 0,
	.flags		= CLICKUP_TYPE_F_TERMINAL | CLICKUP_TYPE_F_FRAMES,
	.min_args	= 1,
	.max_args	= 1,
	.priv_size	= sizeof(struct todevice_priv),
	.init		= todevice_init,
	.process	= todevice_process,
};

module_clickup_atom(todevice_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom todevice: transmit out of a device");
MODULE_ALIAS_CLICKUP_ATOM("todevice");
