// SPDX-License-Identifier: GPL-2.0
/*
 * nat: ICMP. Echo requests from the inside are mapped like a flow (the id
 * plays the port); errors about a mapped flow are translated, the quoted
 * packet included, as nf_nat_icmp_reply_translation() does, so that a
 * "fragmentation needed" from a router past the NAT reaches the client
 * in terms of its own connection (path MTU discovery), and a port
 * unreachable ends the client's socket.
 */
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/checksum.h>
#include <net/ip.h>
#include "nat.h"

/* RFC 792: an error quotes the IP header and 8 bytes past it. */
#define NAT_ICMP_QUOTE	8

/* The errors nf_conntrack relates to a flow, less redirects (not ours). */
static bool nat_icmp_translatable(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB;
}

/*
 * The ports of the quoted packet, as a tuple has them: an echo request's
 * id is its source port, an echo reply's its destination port.
 */
static bool nat_icmp_quoted_ports(const struct sk_buff *skb, unsigned int off,
				  u8 proto, __be16 *port)
{
	const struct icmphdr *ih;
	struct icmphdr _ih;
	__be16 _p[2];
	const __be16 *p;

	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		p = skb_header_pointer(skb, off, sizeof(_p), _p);
		if (!p)
			return false;
		port[0] = p[0];
		port[1] = p[1];
		return true;
	case IPPROTO_ICMP:
		ih = skb_header_pointer(skb, off, sizeof(_ih), &_ih);
		if (!ih || (ih->type != ICMP_ECHO && ih->type != ICMP_ECHOREPLY))
			return false;
		port[0] = ih->type == ICMP_ECHO ? ih->un.echo.id : 0;
		port[1] = ih->type == ICMP_ECHO ? 0 : ih->un.echo.id;
		return true;
	}
	return false;
}

/*
 * Rewrites the source (or destination) address and port of the quoted
 * packet at @ioff, its IP checksum and, when quoted in full, its L4
 * checksum (a TCP header may be cut after 8 bytes, as nf_nat knows).
 */
static void nat_icmp_rewrite_quoted(struct sk_buff *skb, unsigned int ioff,
				    unsigned int end, bool src, __be32 addr,
				    __be16 port)
{
	struct iphdr *iph = (struct iphdr *)(skb->data + ioff);
	unsigned int thoff = ioff + iph->ihl * 4;
	__be32 *paddr = src ? &iph->saddr : &iph->daddr;
	__sum16 *check = NULL;
	__be16 *pport;

	if (iph->protocol == IPPROTO_TCP) {
		struct tcphdr *th = (struct tcphdr *)(skb->data + thoff);

		pport = src ? &th->source : &th->dest;
		if (end >= thoff + sizeof(*th))
			check = &th->check;
	} else if (iph->protocol == IPPROTO_UDP) {
		struct udphdr *uh = (struct udphdr *)(skb->data + thoff);

		pport = src ? &uh->source : &uh->dest;
		if (uh->check)
			check = &uh->check;
	} else {
		struct icmphdr *ih = (struct icmphdr *)(skb->data + thoff);

		pport = &ih->un.echo.id;
		csum_replace2(&ih->checksum, *pport, port);
	}
	if (check) {
		csum_replace4(check, *paddr, addr);
		csum_replace2(check, *pport, port);
		if (iph->protocol == IPPROTO_UDP && !*check)
			*check = CSUM_MANGLED_0;
	}
	csum_replace4(&iph->check, *paddr, addr);
	*paddr = addr;
	*pport = port;
}

/*
 * An error from @side quoting a packet that went the other way: look up
 * the quoted packet's reverse, which is a tuple of @side, and undo on the
 * quote what the NAT did to the original; the outer header gets the
 * inside client (from the outside) or ADDR (from the inside).
 */
static int nat_icmp_error(const struct nat_priv *priv, struct sk_buff *skb,
			  const struct clickup_l4 *l4, int side)
{
	unsigned int ioff = l4->thoff + sizeof(struct icmphdr);
	struct clickup_flow_key key = {};
	const struct iphdr *qiph, *iph;
	struct iphdr _iph, _qiph;
	struct iphdr *oiph;
	struct icmphdr *ih;
	unsigned int qthoff, end, len;
	struct nat_map m;
	__be16 qport[2];

	if (side == NAT_OUTSIDE && l4->key.addr[1] != priv->addr)
		return NAT_UNTRANSLATED;
	/* The message ends where the outer IP packet does. */
	iph = skb_header_pointer(skb, l4->nhoff, sizeof(_iph), &_iph);
	if (!iph)
		return NAT_UNTRANSLATED;
	end = l4->nhoff + ntohs(iph->tot_len);
	if (end > skb->len || end < ioff + sizeof(*qiph))
		return NAT_UNTRANSLATED;
	len = end - l4->thoff;
	qiph = skb_header_pointer(skb, ioff, sizeof(_qiph), &_qiph);
	if (!qiph || qiph->version != 4 || qiph->ihl < 5 ||
	    (qiph->frag_off & htons(IP_OFFSET)))
		return NAT_UNTRANSLATED;
	qthoff = ioff + qiph->ihl * 4;
	if (end < qthoff + NAT_ICMP_QUOTE ||
	    !nat_icmp_quoted_ports(skb, qthoff, qiph->protocol, qport))
		return NAT_UNTRANSLATED;
	key.addr[0] = qiph->daddr;
	key.addr[1] = qiph->saddr;
	key.port[0] = qport[1];
	key.port[1] = qport[0];
	key.proto = qiph->protocol;
	if (!nat_map_find(priv, &key, side, &m))
		return NAT_UNTRANSLATED;

	/* A bad checksum is not made good by translating the message. */
	if (skb->ip_summed != CHECKSUM_UNNECESSARY &&
	    csum_fold(skb_checksum(skb, l4->thoff, len, 0)))
		return NAT_UNTRANSLATED;
	if (skb_ensure_writable(skb, min_t(unsigned int, end,
					   qthoff + sizeof(struct tcphdr))))
		return CLICKUP_DROP;

	nat_icmp_rewrite_quoted(skb, ioff, end, side == NAT_OUTSIDE, m.addr,
				m.port);
	ih = (struct icmphdr *)(skb->data + l4->thoff);
	ih->checksum = 0;
	ih->checksum = csum_fold(skb_checksum(skb, l4->thoff, len, 0));
	/* The message changed under any sum the device gave. */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;

	oiph = (struct iphdr *)(skb->data + l4->nhoff);
	if (side == NAT_OUTSIDE) {
		csum_replace4(&oiph->check, oiph->daddr, m.addr);
		oiph->daddr = m.addr;
		return NAT_TO_INSIDE;
	}
	csum_replace4(&oiph->check, oiph->saddr, priv->addr);
	oiph->saddr = priv->addr;
	return NAT_TO_OUTSIDE;
}

/* Echo: requests from the inside are mapped, their replies come back. */
static int nat_icmp_echo(const struct nat_priv *priv, struct sk_buff *skb,
			 const struct clickup_l4 *l4, __be16 id, int side)
{
	struct clickup_l4 el4 = *l4;

	el4.key.port[side == NAT_INSIDE ? 0 : 1] = id;
	return nat_translate(priv, skb, &el4, side);
}

/**
 * nat_icmp - translate an ICMP packet
 * @priv: the atom
 * @skb: the packet (not a fragment)
 * @l4: its headers
 * @side: where it entered
 *
 * Return: the output port or a verdict.
 */
int nat_icmp(const struct nat_priv *priv, struct sk_buff *skb,
	     const struct clickup_l4 *l4, int side)
{
	const struct icmphdr *ih;
	struct icmphdr _ih;

	ih = skb_header_pointer(skb, l4->thoff, sizeof(_ih), &_ih);
	if (!ih)
		return NAT_UNTRANSLATED;
	if (nat_icmp_translatable(ih->type))
		return nat_icmp_error(priv, skb, l4, side);
	if (ih->type == (side == NAT_INSIDE ? ICMP_ECHO : ICMP_ECHOREPLY))
		return nat_icmp_echo(priv, skb, l4, ih->un.echo.id, side);
	return NAT_UNTRANSLATED;
}
