// SPDX-License-Identifier: GPL-2.0
/*
 * nat(TABLE, ADDR[, PORTMIN-PORTMAX]): source NAT with port mapping, in the
 * spirit of Click's IPRewriter with a single "pattern ADDR PORTS" rule.
 * Both directions may pass through one instance: a packet addressed to
 * ADDR is a reply and is translated back, any other TCP/UDP packet is
 * outbound and gets ADDR and a mapped port as its source. Each mapping is
 * one flow in the core-owned TABLE (ORIGINAL: client -> server, REPLY:
 * server -> ADDR:port), so it outlives DAG swaps. Outputs say the direction, so one instance can
 * serve both: 0 outbound (source translated), 1 reply (destination
 * translated back), 2 (optional) no mapping for a reply or no free port.
 * IPv4 that is not TCP/UDP passes unchanged to 0, or to 1 if for ADDR.
 */
#include <linux/ip.h>
#include <linux/random.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include <net/clickup.h>

#define NAT_PORT_TRIES	64

enum { NAT_OUT, NAT_REPLY, NAT_NONE };

struct nat_priv {
	struct clickup_table	*table;
	__be32			addr;
	u16			port_min;
	u16			port_max;
};

static int nat_init(struct clickup_atom *atom, u32 argc, char *const *argv,
		    struct netlink_ext_ack *extack)
{
	struct nat_priv *priv = clickup_atom_priv(atom);
	u32 lo = 20000, hi = 59999;

	if (clickup_arg_ipv4(atom, 1, &priv->addr, extack) ||
	    (argc > 2 && clickup_arg_range(atom, 2, 1, 65535, &lo, &hi, extack)))
		return -EINVAL;
	priv->port_min = lo;
	priv->port_max = hi;
	priv->table = clickup_arg_table(atom, 0, NULL, extack);
	return PTR_ERR_OR_ZERO(priv->table);
}

static void nat_destroy(struct clickup_atom *atom)
{
	struct nat_priv *priv = clickup_atom_priv(atom);

	clickup_table_put(priv->table);
}

/* Rewrites the source (or destination) address and port of the packet. */
static int nat_rewrite(struct sk_buff *skb, const struct clickup_l4 *l4,
		       bool src, __be32 addr, __be16 port)
{
	unsigned int hdrlen = l4->key.proto == IPPROTO_TCP ?
			      sizeof(struct tcphdr) : sizeof(struct udphdr);
	__be32 *paddr;
	__be16 *pport;
	__sum16 *check;
	struct iphdr *iph;

	if (skb_ensure_writable(skb, l4->thoff + hdrlen))
		return -ENOMEM;
	iph = (struct iphdr *)(skb->data + l4->nhoff);
	paddr = src ? &iph->saddr : &iph->daddr;
	if (l4->key.proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(skb->data + l4->thoff);

		pport = src ? &th->source : &th->dest;
		check = &th->check;
	} else {
		struct udphdr *uh = (struct udphdr *)(skb->data + l4->thoff);

		pport = src ? &uh->source : &uh->dest;
		/* A zero UDP checksum means none: keep it that way. */
		check = uh->check || skb->ip_summed == CHECKSUM_PARTIAL ?
			&uh->check : NULL;
	}
	if (check) {
		inet_proto_csum_replace4(check, skb, *paddr, addr, true);
		inet_proto_csum_replace2(check, skb, *pport, port, false);
		if (l4->key.proto == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	csum_replace4(&iph->check, *paddr, addr);
	*paddr = addr;
	*pport = port;
	return 0;
}

/*
 * Finds or creates the mapping of outbound @key: one flow whose ORIGINAL
 * tuple is @key and whose REPLY tuple is peer -> ADDR:port; NULL if none
 * can be.
 */
static struct clickup_flow *nat_map(struct nat_priv *priv,
				    const struct clickup_flow_key *key)
{
	u32 range = priv->port_max - priv->port_min + 1;
	struct clickup_flow_key rkey;
	struct clickup_flow *flow;
	bool existed;
	u32 i, start;
	u8 dir;

	flow = clickup_flow_find(priv->table, key, &dir);
	if (flow)
		return dir == CLICKUP_DIR_ORIGINAL ? flow : NULL;

	clickup_flow_key_reverse(&rkey, key);
	rkey.addr[1] = priv->addr;
	/* Random like nf_nat: a lost mapping does not come back the same. */
	start = get_random_u32();
	for (i = 0; i < NAT_PORT_TRIES; i++) {
		rkey.port[1] = htons(priv->port_min + (start + i) % range);
		flow = clickup_flow_create(priv->table, key, &rkey,
					   CLICKUP_FLOW_GENERIC, &existed);
		if (flow)
			return flow;	/* ours, or another CPU's just made */
		/* NULL: table full, or that port is taken: try another. */
		if (!clickup_flow_find(priv->table, &rkey, NULL))
			return NULL;
	}
	return NULL;
}

static int nat_process(struct clickup_atom *atom, struct sk_buff *skb,
		       const struct clickup_pkt *pkt)
{
	struct nat_priv *priv = clickup_atom_priv(atom);
	const struct clickup_flow_key *to;
	struct clickup_flow *flow;
	struct clickup_l4 l4;
	bool reply;
	u8 dir;

	if (!clickup_l4_parse(skb, &l4))
		return NAT_OUT;
	reply = l4.key.addr[1] == priv->addr;
	if ((l4.key.proto != IPPROTO_TCP && l4.key.proto != IPPROTO_UDP) ||
	    !l4.key.port[1])
		return reply ? NAT_REPLY : NAT_OUT;
	if (reply) {
		flow = clickup_flow_find(priv->table, &l4.key, &dir);
		if (flow && dir != CLICKUP_DIR_REPLY)
			flow = NULL;
	} else {
		flow = nat_map(priv, &l4.key);
	}
	if (!flow)
		return NAT_NONE;
	clickup_flow_refresh(priv->table, flow);
	/* Out: the source the REPLY tuple expects; back: ORIGINAL's source. */
	to = clickup_flow_tuple(flow, reply ? CLICKUP_DIR_ORIGINAL :
					      CLICKUP_DIR_REPLY);
	if (nat_rewrite(skb, &l4, !reply, reply ? to->addr[0] : to->addr[1],
			reply ? to->port[0] : to->port[1]))
		return CLICKUP_DROP;
	return reply ? NAT_REPLY : NAT_OUT;
}

static struct clickup_atom_type nat_type = {
	.name			= "nat",
	.owner			= THIS_MODULE,
	.inputs			= 1,
	.outputs		= 3,
	.optional_outputs	= BIT_ULL(NAT_NONE),
	.min_args		= 2,
	.max_args		= 3,
	.priv_size		= sizeof(struct nat_priv),
	.init			= nat_init,
	.destroy		= nat_destroy,
	.process		= nat_process,
};

module_clickup_atom(nat_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom nat: source NAT with port mapping");
MODULE_ALIAS_CLICKUP_ATOM("nat");
