// SPDX-License-Identifier: GPL-2.0
/*
 * todevice(DEV): transmit the frame out of DEV (Click's ToDevice); the
 * packet leaves the hook as NF_STOLEN. The frame is sent from its MAC
 * header: one that strip() pulled is put back (as the kernel's own
 * nf_do_netdev_egress does), one that encap() wrote is used as is. The
 * device is looked up per packet by ifindex, so a DAG never pins a device
 * that is going away. It needs frames, so it is refused under an L3
 * entry (fromhook): there the stack owns the packet's route and header.
 * An IPv4 frame larger than DEV's MTU (a datagram that nat reassembled)
 * leaves in fragments, as a router sends it, keeping the geometry it came
 * in with when it can (as the bridge's nf_br_ip_fragment); one with DF
 * set that was not reassembled, or any other oversized frame, is dropped.
 */
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <net/ip.h>
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

/* One fragment out, behind a copy of the frame's Ethernet header. */
static int todevice_xmit_frag(struct sk_buff *skb, struct net_device *dev,
			      const u8 *mac)
{
	if (skb_cow_head(skb, ETH_HLEN)) {
		kfree_skb(skb);
		return -ENOMEM;
	}
	memcpy(__skb_push(skb, ETH_HLEN), mac, ETH_HLEN);
	skb_reset_mac_header(skb);
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IP);
	dev_queue_xmit(skb);
	return 0;
}

/* An oversized frame whose fragments fit the MTU as they are. */
static bool todevice_fraglist_fits(struct sk_buff *skb, unsigned int hlen,
				   unsigned int mtu, unsigned int ll_rs)
{
	unsigned int first_len = skb_pagelen(skb);
	struct sk_buff *frag;

	if (!skb_has_frag_list(skb) || first_len - hlen > mtu ||
	    ((first_len - hlen) & 7) || skb_cloned(skb) ||
	    skb_headroom(skb) < ll_rs)
		return false;
	skb_walk_frags(skb, frag)
		if (frag->len > mtu || ((frag->len & 7) && frag->next) ||
		    skb_shared(frag) || skb_headroom(frag) < hlen + ll_rs)
			return false;
	return true;
}

/*
 * Sends the frame @skb (data at its Ethernet header, larger than @dev's
 * MTU) in IPv4 fragments: CLICKUP_STOLEN, or CLICKUP_DROP if it cannot be
 * fragmented.
 */
static int todevice_fragment(struct sk_buff *skb, struct net_device *dev)
{
	unsigned int ll_rs = LL_RESERVED_SPACE(dev), hlen, mtu;
	struct ip_fraglist_iter iter;
	struct ip_frag_state state;
	u8 mac[ETH_HLEN];
	struct iphdr *iph;

	if (dev->type != ARPHRD_ETHER || skb_network_offset(skb) != ETH_HLEN ||
	    !pskb_may_pull(skb, ETH_HLEN + sizeof(*iph)) ||
	    ((struct ethhdr *)skb->data)->h_proto != htons(ETH_P_IP))
		return CLICKUP_DROP;
	iph = ip_hdr(skb);
	hlen = iph->ihl * 4;
	if (iph->version != 4 || hlen < sizeof(*iph) ||
	    ntohs(iph->tot_len) != skb->len - ETH_HLEN ||
	    ((iph->frag_off & htons(IP_DF)) && !skb->ignore_df) ||
	    dev->mtu < hlen + 8 || !pskb_may_pull(skb, ETH_HLEN + hlen))
		return CLICKUP_DROP;
	memcpy(mac, skb->data, ETH_HLEN);
	__skb_pull(skb, ETH_HLEN);
	/*
	 * ip_frag_next() reads IPCB: no options recorded there, so a
	 * header's options go to every fragment as they are.
	 */
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return CLICKUP_DROP;
	iph = ip_hdr(skb);
	mtu = dev->mtu - hlen;

	if (todevice_fraglist_fits(skb, hlen, mtu, ll_rs)) {
		ip_fraglist_init(skb, iph, hlen, &iter);
		for (;;) {
			if (iter.frag)
				ip_fraglist_prepare(skb, &iter);
			if (todevice_xmit_frag(skb, dev, mac) || !iter.frag)
				break;
			skb = ip_fraglist_next(&iter);
		}
		kfree_skb_list(iter.frag);
		return CLICKUP_STOLEN;
	}

	ip_frag_init(skb, hlen, ll_rs, mtu, false, &state);
	while (state.left > 0) {
		struct sk_buff *skb2 = ip_frag_next(skb, &state);

		if (IS_ERR(skb2) || todevice_xmit_frag(skb2, dev, mac)) {
			kfree_skb(skb);
			return CLICKUP_STOLEN;
		}
	}
	consume_skb(skb);
	return CLICKUP_STOLEN;
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
	if (unlikely(skb->len > dev->mtu + dev->hard_header_len &&
		     !skb_is_gso(skb)))
		return todevice_fragment(skb, dev);
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
