// SPDX-License-Identifier: GPL-2.0
/*
 * unstrip(N): put N bytes back at the front of the packet (Click's
 * Unstrip), e.g. the header a strip(N) took off. Bytes that were part of
 * the packet (from its MAC header, or its network header when it has
 * none) come back as they were; bytes in front of that were never sent
 * and are zeroed, so no stale headroom leaves the host. The header is
 * made private (skb_cow_head) first, with room for N bytes. A packet
 * that cannot get the room is dropped.
 */
#include <linux/kernel.h>
#include <net/clickup.h>

#define UNSTRIP_MAX	128

struct unstrip_priv {
	u32 len;
};

static int unstrip_init(struct clickup_atom *atom, u32 argc,
			char *const *argv, struct netlink_ext_ack *extack)
{
	struct unstrip_priv *priv = clickup_atom_priv(atom);

	return clickup_arg_u32(atom, 0, 0, UNSTRIP_MAX, &priv->len, extack);
}

static int unstrip_process(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt)
{
	const struct unstrip_priv *priv = clickup_atom_priv(atom);

	unsigned char *start;

	if (unlikely(skb_cow_head(skb, priv->len)))
		return CLICKUP_DROP;
	__skb_push(skb, priv->len);
	/* Where the packet began: headers only move forward from there. */
	start = skb_network_header(skb);
	if (skb_mac_header_was_set(skb) && skb_mac_header(skb) < start)
		start = skb_mac_header(skb);
	if (start > skb->data)
		memset(skb->data, 0, min_t(unsigned int, start - skb->data,
					   priv->len));
	skb_postpush_rcsum(skb, skb->data, priv->len);
	return 0;
}

static struct clickup_atom_type unstrip_type = {
	.name		= "unstrip",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.min_args	= 1,
	.max_args	= 1,
	.priv_size	= sizeof(struct unstrip_priv),
	.init		= unstrip_init,
	.process	= unstrip_process,
};

module_clickup_atom(unstrip_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom unstrip: push bytes back on the packet front");
MODULE_ALIAS_CLICKUP_ATOM("unstrip");
