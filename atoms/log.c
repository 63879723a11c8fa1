// SPDX-License-Identifier: GPL-2.0
/*
 * log([PREFIX]): pass packets through, logging a one-line summary of each
 * to the kernel log, rate limited per atom (LOG_BURST lines per
 * LOG_INTERVAL), and within the netns's budget (clickup_net_log_ok():
 * from a netns other than the initial one only with
 * net.netfilter.nf_log_all_netns=1, as the kernel's own LOG target).
 * PREFIX defaults to the atom's name. Examples:
 *
 *   fw-drop: in p1 len 74: IP 10.0.0.1.43210 > 10.0.0.2.80: tcp [S]
 *   fw-drop: in p1 len 98: IP 10.0.0.1 > 10.0.0.2: icmp type 8 code 0
 *   fw-drop: in p1 len 42: ether 02:00:00:00:00:01 > ff:ff:ff:ff:ff:ff type 0x0806
 *
 * The IPv4 header is found whether the packet still starts with its
 * Ethernet header (MAC header at the data) or not (the network header,
 * else the data itself).
 */
#include <linux/etherdevice.h>
#include <linux/icmp.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/clickup.h>

#define LOG_PREFIX_MAX	64
#define LOG_INTERVAL	(5 * HZ)
#define LOG_BURST	20
#define LOG_LINE_MAX	160

struct log_priv {
	struct ratelimit_state	rs;
	char			prefix[LOG_PREFIX_MAX];
};

static int log_init(struct clickup_atom *atom, u32 argc,
		    char *const *argv, struct netlink_ext_ack *extack)
{
	struct log_priv *priv = clickup_atom_priv(atom);

	/* Click-style quoting, log("drop: "), is undone by the helper. */
	priv->prefix[0] = '\0';
	if (argc && clickup_arg_string(atom, 0, priv->prefix,
				       sizeof(priv->prefix), extack))
		return -EINVAL;
	if (!priv->prefix[0])	/* atom names are shorter than the prefix */
		strscpy(priv->prefix, atom->name, sizeof(priv->prefix));
	ratelimit_state_init(&priv->rs, LOG_INTERVAL, LOG_BURST);
	ratelimit_set_flags(&priv->rs, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

static void log_destroy(struct clickup_atom *atom)
{
	struct log_priv *priv = clickup_atom_priv(atom);

	ratelimit_state_exit(&priv->rs);
}

/* tcpdump's flag letters, in tcpdump's order: [S.] is a SYN-ACK. */
static int log_tcp_flags(char *buf, size_t size, u8 flags)
{
	static const char letters[] = "FSRP.UEW";
	static const u8 bits[] = { 0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40,
				   0x80 };
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(bits); i++)
		if (flags & bits[i])
			n += scnprintf(buf + n, size - n, "%c", letters[i]);
	if (!n)
		n = scnprintf(buf, size, "none");
	return n;
}

static int log_ip(char *buf, size_t size, const struct sk_buff *skb,
		  int off)
{
	struct iphdr _iph;
	const struct iphdr *iph;
	char flags[12];
	int thoff;

	iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5)
		return scnprintf(buf, size, "not IPv4 (protocol 0x%04x)",
				 ntohs(skb->protocol));
	thoff = off + iph->ihl * 4;
	if (ntohs(iph->frag_off) & IP_OFFSET)
		return scnprintf(buf, size, "IP %pI4 > %pI4: proto %u frag",
				 &iph->saddr, &iph->daddr, iph->protocol);

	switch (iph->protocol) {
	case IPPROTO_TCP: {
		struct tcphdr _th;
		const struct tcphdr *th;

		th = skb_header_pointer(skb, thoff, sizeof(_th), &_th);
		if (!th)
			break;
		log_tcp_flags(flags, sizeof(flags), ((const u8 *)th)[13]);
		return scnprintf(buf, size, "IP %pI4.%u > %pI4.%u: tcp [%s]",
				 &iph->saddr, ntohs(th->source),
				 &iph->daddr, ntohs(th->dest), flags);
	}
	case IPPROTO_UDP: {
		struct udphdr _uh;
		const struct udphdr *uh;

		uh = skb_header_pointer(skb, thoff, sizeof(_uh), &_uh);
		if (!uh)
			break;
		return scnprintf(buf, size, "IP %pI4.%u > %pI4.%u: udp",
				 &iph->saddr, ntohs(uh->source),
				 &iph->daddr, ntohs(uh->dest));
	}
	case IPPROTO_ICMP: {
		struct icmphdr _ih;
		const struct icmphdr *ih;

		ih = skb_header_pointer(skb, thoff, 2, &_ih);
		if (!ih)
			break;
		return scnprintf(buf, size, "IP %pI4 > %pI4: icmp type %u code %u",
				 &iph->saddr, &iph->daddr, ih->type, ih->code);
	}
	default:
		return scnprintf(buf, size, "IP %pI4 > %pI4: proto %u",
				 &iph->saddr, &iph->daddr, iph->protocol);
	}
	return scnprintf(buf, size, "IP %pI4 > %pI4: proto %u truncated",
			 &iph->saddr, &iph->daddr, iph->protocol);
}

static int log_process(struct clickup_atom *atom, struct sk_buff *skb,
		       const struct clickup_pkt *pkt)
{
	struct log_priv *priv = clickup_atom_priv(atom);
	const struct net_device *in = pkt->state ? pkt->state->in : NULL;
	const struct net_device *out = pkt->state ? pkt->state->out : NULL;
	int noff = skb_network_offset(skb);
	char line[LOG_LINE_MAX];
	int n;

	/* Per atom, then per netns: one tenant cannot flood the log. */
	if (!__ratelimit(&priv->rs) || !clickup_net_log_ok(pkt->net))
		return 0;

	if (in)
		n = scnprintf(line, sizeof(line), "in %s", in->name);
	else if (out)
		n = scnprintf(line, sizeof(line), "out %s", out->name);
	else
		n = scnprintf(line, sizeof(line), "in -");
	n += scnprintf(line + n, sizeof(line) - n, " len %u: ", skb->len);

	if (skb_mac_header_was_set(skb) && skb_mac_offset(skb) == 0 &&
	    skb->len >= ETH_HLEN) {
		struct ethhdr _eth;
		const struct ethhdr *eth;

		/* A whole frame: the Ethernet header says what follows. */
		eth = skb_header_pointer(skb, 0, ETH_HLEN, &_eth);
		if (eth && eth->h_proto == htons(ETH_P_IP)) {
			if (noff < ETH_HLEN || noff >= skb->len)
				noff = ETH_HLEN;
			log_ip(line + n, sizeof(line) - n, skb, noff);
		} else if (eth) {
			scnprintf(line + n, sizeof(line) - n,
				  "ether %pM > %pM type 0x%04x", eth->h_source,
				  eth->h_dest, ntohs(eth->h_proto));
		}
	} else {
		/* Headers already stripped: the network header, or the data. */
		if (noff < 0 || noff >= skb->len)
			noff = 0;
		log_ip(line + n, sizeof(line) - n, skb, noff);
	}
	pr_info("%s: %s\n", priv->prefix, line);
	return 0;
}

static struct clickup_atom_type log_type = {
	.name		= "log",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.min_args	= 0,
	.max_args	= 1,
	.priv_size	= sizeof(struct log_priv),
	.init		= log_init,
	.destroy	= log_destroy,
	.process	= log_process,
};

module_clickup_atom(log_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom log: log a summary line per packet");
MODULE_ALIAS_CLICKUP_ATOM("log");
