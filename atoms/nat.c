// SPDX-License-Identifier: GPL-2.0
/*
 * nat(TABLE, ADDR[, PORTMIN-PORTMAX]): source NAT with port mapping, in the
 * spirit of Click's IPRewriter with one "pattern ADDR PORTS 0 1" rule.
 * The input port says the direction, never the addresses: input 0 is the
 * inside, input 1 the outside. A TCP or UDP flow or an ICMP echo from the
 * inside gets a mapping (source ADDR and a port, or echo id, from the
 * range) and leaves on output 0; packets from the outside that belong to
 * a mapping get the inside destination back and leave on output 1.
 * Nothing from the outside creates a mapping. ICMP errors about a mapped
 * flow are translated both ways, the quoted packet included, so path MTU
 * discovery works through the NAT. Fragments are reassembled first, as
 * nf_defrag_ipv4 does (todevice fragments again what exceeds the MTU).
 * Output 2 (optional: unconnected, dropped) gets what is not translated:
 * from the outside with no mapping, from the inside with no free port or
 * a full table, and protocols NAT does not handle. The mappings live in
 * the core-owned TABLE, so they outlive DAG swaps.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "nat.h"

/*
 * Our own reassembly queues, apart from the stack's and conntrack's
 * (ip_defrag_users ends at IP_DEFRAG_MACVLAN in every kernel we build for).
 */
#define NAT_DEFRAG_USER	(IP_DEFRAG_MACVLAN + 0x100)

static int nat_init(struct clickup_atom *atom, u32 argc, char *const *argv,
		    struct netlink_ext_ack *extack)
{
	struct nat_priv *priv = clickup_atom_priv(atom);
	u32 lo = 20000, hi = 59999;

	if (clickup_arg_ipv4(atom, 1, &priv->addr, extack) ||
	    (argc > 2 && clickup_arg_range(atom, 2, 1, 65535, &lo, &hi, extack)))
		return -EINVAL;
	if (!priv->addr) {
		clickup_arg_error(extack, 1, "0.0.0.0 cannot be the NAT address");
		return -EINVAL;
	}
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

/**
 * nat_rewrite - rewrite the source (or destination) address and port
 * @skb: the packet
 * @l4: its parsed headers; a TCP, UDP or ICMP echo packet
 * @src: rewrite the source, else the destination
 * @addr: the new address
 * @port: the new port (ICMP echo: the new id, whichever @src)
 *
 * Return: 0, or -ENOMEM when the headers cannot be made writable.
 */
int nat_rewrite(struct sk_buff *skb, const struct clickup_l4 *l4, bool src,
		__be32 addr, __be16 port)
{
	unsigned int hdrlen;
	__sum16 *check = NULL;
	bool pseudo = true;
	struct iphdr *iph;
	__be16 *pport;
	__be32 *paddr;

	switch (l4->key.proto) {
	case IPPROTO_TCP:
		hdrlen = sizeof(struct tcphdr);
		break;
	case IPPROTO_UDP:
		hdrlen = sizeof(struct udphdr);
		break;
	default:
		hdrlen = sizeof(struct icmphdr);
		break;
	}
	if (skb_ensure_writable(skb, l4->thoff + hdrlen))
		return -ENOMEM;
	iph = (struct iphdr *)(skb->data + l4->nhoff);
	paddr = src ? &iph->saddr : &iph->daddr;
	if (l4->key.proto == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(skb->data + l4->thoff);

		pport = src ? &th->source : &th->dest;
		check = &th->check;
	} else if (l4->key.proto == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)(skb->data + l4->thoff);

		pport = src ? &uh->source : &uh->dest;
		/* A zero UDP checksum means none: keep it that way. */
		if (uh->check || skb->ip_summed == CHECKSUM_PARTIAL)
			check = &uh->check;
	} else {
		struct icmphdr *ih = (struct icmphdr *)(skb->data + l4->thoff);

		/* The id, in requests and replies alike; no pseudo header. */
		pport = &ih->un.echo.id;
		check = &ih->checksum;
		pseudo = false;
	}
	if (check) {
		if (pseudo)
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

/**
 * nat_translate - translate a packet by the mapping of its tuple
 * @priv: the atom
 * @skb: the packet
 * @l4: its headers; @l4->key is the mapping's tuple for @side
 * @side: where it entered
 *
 * From the inside a missing mapping is created; from the outside never.
 *
 * Return: the output port or a verdict.
 */
int nat_translate(const struct nat_priv *priv, struct sk_buff *skb,
		  const struct clickup_l4 *l4, int side)
{
	struct nat_map m;

	if (!nat_map_find(priv, &l4->key, side, &m) &&
	    (side == NAT_OUTSIDE || !nat_map_create(priv, &l4->key, &m)))
		return NAT_UNTRANSLATED;
	if (!nat_map_used(priv, skb, l4, side, &m))
		return CLICKUP_DROP;
	if (nat_rewrite(skb, l4, side == NAT_INSIDE, m.addr, m.port))
		return CLICKUP_DROP;
	return side == NAT_INSIDE ? NAT_TO_OUTSIDE : NAT_TO_INSIDE;
}

/*
 * A fragment is queued for reassembly, as nf_defrag_ipv4 does: only the
 * first one has the ports, and every one needs its address rewritten.
 * Returns 0 with a whole datagram in @skb (just reassembled, or never a
 * fragment), else a verdict: the fragment is queued or gone.
 */
static int nat_defrag(struct sk_buff *skb, const struct clickup_pkt *pkt)
{
	int nhoff = skb_network_offset(skb);
	unsigned int len = skb->len, ihl, tot;
	const struct iphdr *iph;
	struct iphdr _iph;

	if (nhoff < 0)
		return 0;
	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || !ip_is_fragment(iph))
		return 0;
	ihl = iph->ihl * 4;
	tot = ntohs(iph->tot_len);
	if (ihl < sizeof(*iph) || tot < ihl || nhoff + tot > len ||
	    skb_shared(skb))
		return CLICKUP_DROP;
	/* As ip_rcv() leaves it: data at the IP header, trimmed, IPCB clear. */
	if (!pskb_may_pull(skb, nhoff + ihl) ||
	    pskb_trim_rcsum(skb, nhoff + tot))
		return CLICKUP_DROP;
	skb_pull_rcsum(skb, nhoff);
	memset(IPCB(skb), 0, sizeof(struct inet_skb_parm));
	if (ip_defrag(pkt->net, skb, NAT_DEFRAG_USER))
		return CLICKUP_STOLEN;
	/* One datagram now: as nf_defrag, its DF does not stop refragmenting. */
	skb->ignore_df = 1;
	skb_clear_hash(skb);
	skb_push_rcsum(skb, nhoff);
	clickup_pkt_resized(pkt, (int)skb->len - (int)len);
	return 0;
}

static int nat_process(struct clickup_atom *atom, struct sk_buff *skb,
		       const struct clickup_pkt *pkt)
{
	const struct nat_priv *priv = clickup_atom_priv(atom);
	int side = pkt->in_port;
	struct clickup_l4 l4;
	int ret;

	ret = nat_defrag(skb, pkt);
	if (ret)
		return ret;
	if (!clickup_l4_parse(skb, &l4))
		return NAT_UNTRANSLATED;
	switch (l4.key.proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (!l4.key.port[0] || !l4.key.port[1])
			return NAT_UNTRANSLATED;
		return nat_translate(priv, skb, &l4, side);
	case IPPROTO_ICMP:
		return nat_icmp(priv, skb, &l4, side);
	}
	return NAT_UNTRANSLATED;
}

static struct clickup_atom_type nat_type = {
	.name			= "nat",
	.owner			= THIS_MODULE,
	.inputs			= 2,
	.outputs		= 3,
	.optional_outputs	= BIT_ULL(NAT_UNTRANSLATED),
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
