// SPDX-License-Identifier: GPL-2.0
/*
 * strip(N): remove N bytes from the front of the packet (Click's Strip),
 * e.g. strip(14) takes the Ethernet header off a frame from fromdevice.
 * A packet shorter than N is dropped. Only the data pointer moves: the
 * bytes stay in the buffer, where unstrip(N) can take them back.
 */
#include <linux/kernel.h>
#include <net/clickup.h>

#define STRIP_MAX	128

struct strip_priv {
	u32 len;
};

static int strip_init(struct clickup_atom *atom, u32 argc,
		      char *const *argv, struct netlink_ext_ack *extack)
{
	struct strip_priv *priv = clickup_atom_priv(atom);

	return clickup_arg_u32(atom, 0, 0, STRIP_MAX, &priv->len, extack);
}

static int strip_process(struct clickup_atom *atom, struct sk_buff *skb,
			 const struct clickup_pkt *pkt)
{
	const struct strip_priv *priv = clickup_atom_priv(atom);

	if (unlikely(!pskb_may_pull(skb, priv->len)))
		return CLICKUP_DROP;
	skb_pull_rcsum(skb, priv->len);
	return 0;
}

static struct clickup_atom_type strip_type = {
	.name		= "strip",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.min_args	= 1,
	.max_args	= 1,
	.priv_size	= sizeof(struct strip_priv),
	.init		= strip_init,
	.process	= strip_process,
};

module_clickup_atom(strip_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom strip: remove bytes from the packet front");
MODULE_ALIAS_CLICKUP_ATOM("strip");
