// SPDX-License-Identifier: GPL-2.0
/*
 * checkipheader([OFFSET]): check the IPv4 header OFFSET bytes (default 0)
 * into the packet (Click's CheckIPHeader): version 4, header length at
 * least 20 and within the packet, total length at least the header length
 * and at most the packet, valid header checksum. Good packets leave on
 * output 0 with the network header (and the transport header) set there;
 * bad ones on output 1, which is optional: left unconnected, the core
 * drops and counts them. Trailing bytes past the total length are kept,
 * as in Click.
 */
#include <linux/kernel.h>
#include <linux/ip.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/clickup.h>

#define CHECKIPHEADER_MAX_OFFSET	128

struct checkipheader_priv {
	u32 offset;
};

static int checkipheader_init(struct clickup_atom *atom, u32 argc,
			      char *const *argv, struct netlink_ext_ack *extack)
{
	struct checkipheader_priv *priv = clickup_atom_priv(atom);

	priv->offset = 0;
	if (!argc)
		return 0;
	return clickup_arg_u32(atom, 0, 0, CHECKIPHEADER_MAX_OFFSET,
			       &priv->offset, extack);
}

static int checkipheader_process(struct clickup_atom *atom, struct sk_buff *skb,
				 const struct clickup_pkt *pkt)
{
	const struct checkipheader_priv *priv = clickup_atom_priv(atom);
	unsigned int off = priv->offset, plen, hlen, tot;
	union {
		struct iphdr iph;
		u32 words[15];	/* 60 bytes, aligned for ip_fast_csum() */
	} buf;
	const struct iphdr *iph;

	if (skb->len < off + sizeof(struct iphdr))
		return 1;
	plen = skb->len - off;
	iph = skb_header_pointer(skb, off, sizeof(struct iphdr), &buf);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return 1;
	hlen = iph->ihl * 4;
	if (hlen > plen)
		return 1;
	if (hlen > sizeof(struct iphdr)) {
		iph = skb_header_pointer(skb, off, hlen, &buf);
		if (!iph)
			return 1;
	}
	if (ip_fast_csum(iph, iph->ihl))
		return 1;
	tot = ntohs(iph->tot_len);
	if (tot < hlen || tot > plen)
		return 1;
	skb_set_network_header(skb, off);
	skb_set_transport_header(skb, off + hlen);
	return 0;
}

static struct clickup_atom_type checkipheader_type = {
	.name		= "checkipheader",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 2,
	.optional_outputs = BIT_ULL(1),
	.min_args	= 0,
	.max_args	= 1,
	.priv_size	= sizeof(struct checkipheader_priv),
	.init		= checkipheader_init,
	.process	= checkipheader_process,
};

module_clickup_atom(checkipheader_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom checkipheader: validate an IPv4 header");
MODULE_ALIAS_CLICKUP_ATOM("checkipheader");
