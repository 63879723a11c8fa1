// SPDX-License-Identifier: GPL-2.0
/*
 * arpresponder(IP, MAC): answer ARP requests for IP with MAC (Click's
 * ARPResponder), e.g. for an address no host owns, as a NAT's. Input:
 * Ethernet frames. An Ethernet/IPv4 ARP request whose target is IP is
 * turned into the reply in place and leaves on output 0 (send it back out
 * of the device it came from); every other frame leaves on output 1,
 * which is optional (unconnected: dropped). A request that claims IP as
 * its sender's own address (another host using it) is not answered.
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <net/clickup.h>

struct arpresponder_priv {
	__be32	ip;
	u8	mac[ETH_ALEN];
};

/* An Ethernet/IPv4 ARP packet as it is on the wire. */
struct arpresponder_frame {
	struct ethhdr	eth;
	struct arphdr	arp;
	u8		sha[ETH_ALEN];
	__be32		spa;
	u8		tha[ETH_ALEN];
	__be32		tpa;
} __packed __aligned(2);

static int arpresponder_init(struct clickup_atom *atom, u32 argc,
			     char *const *argv, struct netlink_ext_ack *extack)
{
	struct arpresponder_priv *priv = clickup_atom_priv(atom);

	if (clickup_arg_ipv4(atom, 0, &priv->ip, extack) ||
	    clickup_arg_mac(atom, 1, priv->mac, extack))
		return -EINVAL;
	if (!priv->ip) {
		clickup_arg_error(extack, 0, "0.0.0.0 cannot be answered for");
		return -EINVAL;
	}
	if (!is_valid_ether_addr(priv->mac)) {
		clickup_arg_error(extack, 1, "'%s' is not a unicast MAC address",
				  argv[1]);
		return -EINVAL;
	}
	return 0;
}

static int arpresponder_process(struct clickup_atom *atom,
				struct sk_buff *skb,
				const struct clickup_pkt *pkt)
{
	const struct arpresponder_priv *priv = clickup_atom_priv(atom);
	const struct arpresponder_frame *f;
	struct arpresponder_frame *r, _f;

	f = skb_header_pointer(skb, 0, sizeof(_f), &_f);
	if (!f || f->eth.h_proto != htons(ETH_P_ARP) ||
	    f->arp.ar_hrd != htons(ARPHRD_ETHER) ||
	    f->arp.ar_pro != htons(ETH_P_IP) ||
	    f->arp.ar_hln != ETH_ALEN || f->arp.ar_pln != 4 ||
	    f->arp.ar_op != htons(ARPOP_REQUEST) || f->tpa != priv->ip ||
	    f->spa == priv->ip || !is_valid_ether_addr(f->sha))
		return 1;
	if (skb_ensure_writable(skb, sizeof(*r)))
		return CLICKUP_DROP;
	r = (struct arpresponder_frame *)skb->data;
	/* Checksums do not cover ARP: the frame's sum is rebuilt below. */
	ether_addr_copy(r->eth.h_dest, r->sha);
	ether_addr_copy(r->eth.h_source, priv->mac);
	r->arp.ar_op = htons(ARPOP_REPLY);
	ether_addr_copy(r->tha, r->sha);
	r->tpa = r->spa;
	ether_addr_copy(r->sha, priv->mac);
	r->spa = priv->ip;
	skb_reset_mac_header(skb);
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

static struct clickup_atom_type arpresponder_type = {
	.name			= "arpresponder",
	.owner			= THIS_MODULE,
	.inputs			= 1,
	.outputs		= 2,
	.optional_outputs	= BIT_ULL(1),
	.min_args		= 2,
	.max_args		= 2,
	.priv_size		= sizeof(struct arpresponder_priv),
	.init			= arpresponder_init,
	.process		= arpresponder_process,
};

module_clickup_atom(arpresponder_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom arpresponder: answer ARP requests for an address");
MODULE_ALIAS_CLICKUP_ATOM("arpresponder");
