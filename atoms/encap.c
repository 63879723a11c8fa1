// SPDX-License-Identifier: GPL-2.0
/*
 * encap(ETHERTYPE, SRC, DST): push a 14-byte Ethernet header (Click's
 * EtherEncap), e.g. encap(0x0800, 02:00:00:00:00:01, 02:00:00:00:00:02).
 * The header is made private with room for it first (skb_cow_head); a
 * packet that cannot get the room is dropped. The MAC header is set to the
 * new header; skb->protocol becomes ETHERTYPE.
 */
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/kernel.h>
#include <net/clickup.h>

struct encap_priv {
	struct ethhdr eth;
};

static int encap_init(struct clickup_atom *atom, u32 argc,
		      char *const *argv, struct netlink_ext_ack *extack)
{
	struct encap_priv *priv = clickup_atom_priv(atom);

	if (clickup_arg_ethertype(atom, 0, &priv->eth.h_proto, extack) ||
	    clickup_arg_mac(atom, 1, priv->eth.h_source, extack) ||
	    clickup_arg_mac(atom, 2, priv->eth.h_dest, extack))
		return -EINVAL;
	return 0;
}

static int encap_process(struct clickup_atom *atom, struct sk_buff *skb,
			 const struct clickup_pkt *pkt)
{
	const struct encap_priv *priv = clickup_atom_priv(atom);

	if (unlikely(skb_cow_head(skb, ETH_HLEN)))
		return CLICKUP_DROP;
	memcpy(__skb_push(skb, ETH_HLEN), &priv->eth, ETH_HLEN);
	skb_postpush_rcsum(skb, skb->data, ETH_HLEN);
	skb_reset_mac_header(skb);
	skb->mac_len = ETH_HLEN;
	skb->protocol = priv->eth.h_proto;
	return 0;
}

static struct clickup_atom_type encap_type = {
	.name		= "encap",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.min_args	= 3,
	.max_args	= 3,
	.priv_size	= sizeof(struct encap_priv),
	.init		= encap_init,
	.process	= encap_process,
};

module_clickup_atom(encap_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom encap: push an Ethernet header");
MODULE_ALIAS_CLICKUP_ATOM("encap");
