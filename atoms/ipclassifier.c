// SPDX-License-Identifier: GPL-2.0
/*
 * ipclassifier(EXPR, ...): a subset of Click's IPClassifier on the IPv4
 * header at the network header (set by the stack, or by checkipheader).
 * Each argument is a conjunction of primitives, separated by spaces or
 * 'and'; a primitive may be negated with 'not' or '!':
 *
 *   tcp | udp | icmp | ip proto (N|tcp|udp|icmp)
 *   [src|dst] host A.B.C.D
 *   [src|dst] net A.B.C.D/LEN
 *   [tcp|udp] [src|dst] port N        (no tcp/udp: either of them)
 *   tcp [opt] (syn|ack|fin|rst|psh|urg)
 *   icmp type N
 *   -                                  (everything, alone)
 *
 * Without src/dst a host, net or port primitive matches either side.
 * Ports, flags and ICMP types are only seen in first fragments. The
 * packet leaves on the output of the first matching expression, or is
 * dropped (and counted) when none matches. A packet without a readable
 * IPv4 header at the network header only matches '-'.
 */
#include <linux/ctype.h>
#include <linux/icmp.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/clickup.h>

enum ipc_kind {
	IPC_PROTO,	/* proto */
	IPC_ADDR,	/* dir, addr, mask */
	IPC_PORT,	/* dir, proto (0: tcp or udp), port */
	IPC_TCPFLAG,	/* flag */
	IPC_ICMPTYPE,	/* icmp_type */
};

#define IPC_SRC		1
#define IPC_DST		2
#define IPC_EITHER	(IPC_SRC | IPC_DST)

struct ipc_prim {
	u8	kind;
	u8	dir;
	u8	neg;
	u8	proto;
	u8	flag;
	u8	icmp_type;
	u16	port;
	__be32	addr;
	__be32	mask;
};

struct ipclassifier_priv {
	u32		nr_exprs;
	u32		start[CLICKUP_MAX_ARGS + 1];
	bool		any[CLICKUP_MAX_ARGS];
	struct ipc_prim	*prims;
	struct clickup_port_counts *counts;	/* "counts" handler */
};

/* One expression being parsed. */
struct ipc_parser {
	const char		*s;	/* after the current word */
	const char		*w;	/* current word */
	size_t			wl;
	u32			idx;	/* the argument, for messages */
	struct netlink_ext_ack	*extack;
};

static bool ipc_next(struct ipc_parser *p)
{
	const char *s = skip_spaces(p->s);

	p->w = s;
	while (*s && !isspace(*s))
		s++;
	p->wl = s - p->w;
	p->s = s;
	return p->wl;
}

static bool ipc_is(const struct ipc_parser *p, const char *word)
{
	return p->wl == strlen(word) && !strncmp(p->w, word, p->wl);
}

/* The word after the current one, without consuming it. */
static bool ipc_peek_is(const struct ipc_parser *p, const char *word)
{
	struct ipc_parser q = *p;

	return ipc_next(&q) && ipc_is(&q, word);
}

#define IPC_ERR(p, fmt, ...) \
	clickup_arg_error((p)->extack, (p)->idx, fmt, ##__VA_ARGS__)

/* Next word as a decimal number up to @max; @what names it in errors. */
static int ipc_number(struct ipc_parser *p, const char *what, u32 max,
		      u32 *val)
{
	if (!ipc_next(p)) {
		IPC_ERR(p, "'%s' needs a number from 0 to %u", what, max);
		return -EINVAL;
	}
	if (!clickup_parse_u32(p->w, p->wl, 0, max, val))
		return 0;
	IPC_ERR(p, "'%s' needs a number from 0 to %u, not '%.*s'", what, max,
		(int)p->wl, p->w);
	return -EINVAL;
}

static int ipc_proto(struct ipc_parser *p, struct ipc_prim *prim)
{
	u32 v;

	if (!ipc_next(p)) {
		IPC_ERR(p, "'ip proto' needs a protocol (tcp, udp, icmp or a number from 0 to 255)");
		return -EINVAL;
	}
	if (ipc_is(p, "tcp")) {
		v = IPPROTO_TCP;
	} else if (ipc_is(p, "udp")) {
		v = IPPROTO_UDP;
	} else if (ipc_is(p, "icmp")) {
		v = IPPROTO_ICMP;
	} else {
		p->s = p->w;	/* re-read it as a number */
		if (ipc_number(p, "ip proto", 255, &v))
			return -EINVAL;
	}
	prim->kind = IPC_PROTO;
	prim->proto = v;
	return 0;
}

/* host A.B.C.D or net A.B.C.D/LEN, with the keyword current. */
static int ipc_addr(struct ipc_parser *p, struct ipc_prim *prim)
{
	bool net = ipc_is(p, "net");
	u8 len = 32;

	if (!ipc_next(p)) {
		IPC_ERR(p, "'%s' needs %s", net ? "net" : "host",
			net ? "A.B.C.D/LEN" : "an IPv4 address");
		return -EINVAL;
	}
	if (net ? clickup_parse_prefix(p->w, p->wl, &prim->addr, &len) :
		  clickup_parse_ipv4(p->w, p->wl, &prim->addr))
		goto bad;
	prim->kind = IPC_ADDR;
	prim->mask = len ? htonl(~0U << (32 - len)) : 0;
	prim->addr &= prim->mask;
	return 0;
bad:
	if (net)
		IPC_ERR(p, "'net' needs A.B.C.D/LEN (LEN 0 to 32), not '%.*s'",
			(int)p->wl, p->w);
	else
		IPC_ERR(p, "'host' needs an IPv4 address, not '%.*s'",
			(int)p->wl, p->w);
	return -EINVAL;
}

static int ipc_port(struct ipc_parser *p, struct ipc_prim *prim)
{
	u32 v;

	if (ipc_number(p, "port", 65535, &v))
		return -EINVAL;
	prim->kind = IPC_PORT;
	prim->port = v;
	return 0;
}

/* [src|dst] (host|net|port) ...; @proto qualifies a port (0: tcp/udp). */
static int ipc_dir_prim(struct ipc_parser *p, struct ipc_prim *prim, u8 proto)
{
	prim->dir = IPC_EITHER;
	if (ipc_is(p, "src") || ipc_is(p, "dst")) {
		const char *d = ipc_is(p, "src") ? "src" : "dst";

		prim->dir = ipc_is(p, "src") ? IPC_SRC : IPC_DST;
		if (!ipc_next(p)) {
			IPC_ERR(p, "'%s' needs host, net or port after it", d);
			return -EINVAL;
		}
		if (!ipc_is(p, "host") && !ipc_is(p, "net") &&
		    !ipc_is(p, "port")) {
			IPC_ERR(p, "'%s' needs host, net or port after it, not '%.*s'",
				d, (int)p->wl, p->w);
			return -EINVAL;
		}
	}
	if (ipc_is(p, "port")) {
		prim->proto = proto;
		return ipc_port(p, prim);
	}
	if (proto) {
		IPC_ERR(p, "'%s' after a protocol must be port, not '%.*s'",
			prim->dir == IPC_SRC ? "src" : "dst", (int)p->wl, p->w);
		return -EINVAL;
	}
	return ipc_addr(p, prim);
}

static const struct {
	const char	*name;
	u8		bit;
} ipc_flags[] = {
	{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 },
	{ "psh", 0x08 }, { "ack", 0x10 }, { "urg", 0x20 },
};

static int ipc_tcp_flag(struct ipc_parser *p, struct ipc_prim *prim)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ipc_flags); i++) {
		if (ipc_is(p, ipc_flags[i].name)) {
			prim->kind = IPC_TCPFLAG;
			prim->flag = ipc_flags[i].bit;
			return 0;
		}
	}
	IPC_ERR(p, "'tcp opt' needs syn, ack, fin, rst, psh or urg, not '%.*s'",
		(int)p->wl, p->w);
	return -EINVAL;
}

static bool ipc_is_flag(const struct ipc_parser *p)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ipc_flags); i++)
		if (ipc_is(p, ipc_flags[i].name))
			return true;
	return false;
}

/* One primitive, starting at the current word. */
static int ipc_prim_parse(struct ipc_parser *p, struct ipc_prim *prim)
{
	u32 v;

	if (ipc_is(p, "not") || ipc_is(p, "!")) {
		prim->neg = 1;
		if (!ipc_next(p)) {
			IPC_ERR(p, "nothing after 'not'");
			return -EINVAL;
		}
	}
	if (ipc_is(p, "tcp") || ipc_is(p, "udp")) {
		u8 proto = ipc_is(p, "tcp") ? IPPROTO_TCP : IPPROTO_UDP;
		struct ipc_parser q = *p;

		prim->kind = IPC_PROTO;
		prim->proto = proto;
		if (!ipc_next(&q))
			return 0;
		if (ipc_is(&q, "src") || ipc_is(&q, "dst") ||
		    ipc_is(&q, "port")) {
			*p = q;
			return ipc_dir_prim(p, prim, proto);
		}
		if (proto == IPPROTO_TCP && ipc_is(&q, "opt")) {
			*p = q;
			if (!ipc_next(p)) {
				IPC_ERR(p, "'tcp opt' needs syn, ack, fin, rst, psh or urg");
				return -EINVAL;
			}
			return ipc_tcp_flag(p, prim);
		}
		if (proto == IPPROTO_TCP && ipc_is_flag(&q)) {
			*p = q;
			return ipc_tcp_flag(p, prim);
		}
		return 0;
	}
	if (ipc_is(p, "icmp")) {
		prim->kind = IPC_PROTO;
		prim->proto = IPPROTO_ICMP;
		if (ipc_peek_is(p, "type")) {
			ipc_next(p);
			if (ipc_number(p, "icmp type", 255, &v))
				return -EINVAL;
			prim->kind = IPC_ICMPTYPE;
			prim->icmp_type = v;
		}
		return 0;
	}
	if (ipc_is(p, "ip")) {
		if (!ipc_next(p) || !ipc_is(p, "proto")) {
			IPC_ERR(p, "'ip' must be followed by 'proto'");
			return -EINVAL;
		}
		return ipc_proto(p, prim);
	}
	if (ipc_is(p, "src") || ipc_is(p, "dst") || ipc_is(p, "host") ||
	    ipc_is(p, "net") || ipc_is(p, "port"))
		return ipc_dir_prim(p, prim, 0);
	if (ipc_is(p, "or") || ipc_is(p, "||") || ipc_is(p, "(") ||
	    *p->w == '(') {
		IPC_ERR(p, "'%.*s' is not supported (use one pattern per alternative)",
			(int)p->wl, p->w);
		return -EINVAL;
	}
	if (ipc_is(p, "-")) {
		IPC_ERR(p, "'-' must be the whole pattern");
		return -EINVAL;
	}
	IPC_ERR(p, "unknown word '%.*s'", (int)p->wl, p->w);
	return -EINVAL;
}

static int ipc_expr_parse(struct ipc_parser *p, struct ipc_prim *prims,
			  u32 *n, u32 max)
{
	bool after_and = false;
	int err;

	while (ipc_next(p)) {
		if (ipc_is(p, "and") || ipc_is(p, "&&")) {
			if (!*n || after_and) {
				IPC_ERR(p, "'%.*s' without a primitive before it",
					(int)p->wl, p->w);
				return -EINVAL;
			}
			after_and = true;
			continue;
		}
		if (WARN_ON_ONCE(*n >= max))
			return -EINVAL;
		err = ipc_prim_parse(p, &prims[*n]);
		if (err)
			return err;
		(*n)++;
		after_and = false;
	}
	if (after_and) {
		IPC_ERR(p, "pattern ends with 'and'");
		return -EINVAL;
	}
	return 0;
}

static u32 ipc_words(const char *s)
{
	u32 n = 0;

	while (*(s = skip_spaces(s))) {
		n++;
		while (*s && !isspace(*s))
			s++;
	}
	return n;
}

static bool ipc_is_any(const char *s)
{
	s = skip_spaces(s);
	return s[0] == '-' && !*skip_spaces(s + 1);
}

static int ipclassifier_init(struct clickup_atom *atom, u32 argc,
			     char *const *argv, struct netlink_ext_ack *extack)
{
	struct ipclassifier_priv *priv = clickup_atom_priv(atom);
	u32 i, n = 0, max = 0;
	int err;

	if (!argc) {
		clickup_extack_fmt(extack,
				   "no patterns (give at least one; '-' matches everything)");
		return -EINVAL;
	}
	for (i = 0; i < argc; i++) {
		u32 w = ipc_words(argv[i]);

		if (!w) {
			clickup_arg_error(extack, i, "empty pattern");
			return -EINVAL;
		}
		max += w;
	}
	priv->prims = kcalloc(max, sizeof(*priv->prims), GFP_KERNEL_ACCOUNT);
	if (!priv->prims)
		return -ENOMEM;
	for (i = 0; i < argc; i++) {
		struct ipc_parser p = {
			.s = argv[i], .idx = i, .extack = extack,
		};

		priv->start[i] = n;
		if (ipc_is_any(argv[i])) {
			priv->any[i] = true;
			continue;
		}
		err = ipc_expr_parse(&p, priv->prims, &n, max);
		if (err) {
			kfree(priv->prims);
			priv->prims = NULL;
			return err;
		}
	}
	priv->start[argc] = n;
	priv->nr_exprs = argc;
	atom->nr_outputs = argc;
	priv->counts = clickup_port_counts_alloc(argc);
	if (!priv->counts) {
		kfree(priv->prims);
		return -ENOMEM;
	}
	return 0;
}

static void ipclassifier_destroy(struct clickup_atom *atom)
{
	struct ipclassifier_priv *priv = clickup_atom_priv(atom);

	kfree(priv->prims);
	clickup_port_counts_put(priv->counts);
}

static int ipclassifier_migrate(struct clickup_atom *new,
				struct clickup_atom *old,
				struct netlink_ext_ack *extack)
{
	struct ipclassifier_priv *n = clickup_atom_priv(new);
	struct ipclassifier_priv *o = clickup_atom_priv(old);

	clickup_port_counts_migrate(&n->counts, o->counts);
	return 0;
}

static int ipclassifier_counts(struct clickup_atom *atom, char *buf,
			       size_t size)
{
	struct ipclassifier_priv *priv = clickup_atom_priv(atom);

	return clickup_port_counts_print(priv->counts, buf, size);
}

static const struct clickup_handler ipclassifier_handlers[] = {
	{ "counts", ipclassifier_counts },
	{ }
};

/* The headers of one packet, read once. */
struct ipc_pkt {
	const struct iphdr	*iph;
	const u8		*th;	/* NULL: not a first fragment/short */
	unsigned int		thlen;	/* bytes readable at th, up to 14 */
};

static bool ipc_match(const struct ipc_prim *prim, const struct ipc_pkt *k)
{
	const struct iphdr *iph = k->iph;
	bool m;

	switch (prim->kind) {
	case IPC_PROTO:
		return iph->protocol == prim->proto;
	case IPC_ADDR:
		m = (prim->dir & IPC_SRC) &&
		    (iph->saddr & prim->mask) == prim->addr;
		return m || ((prim->dir & IPC_DST) &&
			     (iph->daddr & prim->mask) == prim->addr);
	case IPC_PORT:
		if (prim->proto ? iph->protocol != prim->proto :
		    iph->protocol != IPPROTO_TCP && iph->protocol != IPPROTO_UDP)
			return false;
		if (!k->th || k->thlen < 4)
			return false;
		m = (prim->dir & IPC_SRC) &&
		    (k->th[0] << 8 | k->th[1]) == prim->port;
		return m || ((prim->dir & IPC_DST) &&
			     (k->th[2] << 8 | k->th[3]) == prim->port);
	case IPC_TCPFLAG:
		return iph->protocol == IPPROTO_TCP && k->th && k->thlen >= 14 &&
		       (k->th[13] & prim->flag);
	case IPC_ICMPTYPE:
		return iph->protocol == IPPROTO_ICMP && k->th && k->thlen >= 1 &&
		       k->th[0] == prim->icmp_type;
	}
	return false;
}

static int ipclassifier_match(struct clickup_atom *atom, struct sk_buff *skb,
			      const struct clickup_pkt *pkt)
{
	const struct ipclassifier_priv *priv = clickup_atom_priv(atom);
	int noff = skb_network_offset(skb);
	struct iphdr _iph;
	u8 _th[14];
	struct ipc_pkt k = {};
	u32 e, i;

	if (noff >= 0) {
		k.iph = skb_header_pointer(skb, noff, sizeof(_iph), &_iph);
		if (k.iph && (k.iph->version != 4 || k.iph->ihl < 5))
			k.iph = NULL;
	}
	if (k.iph && !(ntohs(k.iph->frag_off) & IP_OFFSET)) {
		unsigned int thoff = noff + k.iph->ihl * 4;

		if (skb->len > thoff) {
			k.thlen = min_t(unsigned int, skb->len - thoff,
					sizeof(_th));
			k.th = skb_header_pointer(skb, thoff, k.thlen, _th);
		}
	}

	for (e = 0; e < priv->nr_exprs; e++) {
		if (priv->any[e])
			return e;
		if (!k.iph)
			continue;
		for (i = priv->start[e]; i < priv->start[e + 1]; i++) {
			const struct ipc_prim *prim = &priv->prims[i];

			if (ipc_match(prim, &k) == !!prim->neg)
				break;
		}
		if (i == priv->start[e + 1])
			return e;
	}
	return CLICKUP_DROP;
}

static int ipclassifier_process(struct clickup_atom *atom, struct sk_buff *skb,
				const struct clickup_pkt *pkt)
{
	const struct ipclassifier_priv *priv = clickup_atom_priv(atom);
	int port = ipclassifier_match(atom, skb, pkt);

	if (port >= 0)
		clickup_port_count(priv->counts, port);
	return port;
}

static struct clickup_atom_type ipclassifier_type = {
	.name		= "ipclassifier",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.flags		= CLICKUP_TYPE_F_VAR_OUTPUTS,
	.min_args	= 0,
	.max_args	= CLICKUP_MAX_ARGS,
	.priv_size	= sizeof(struct ipclassifier_priv),
	.init		= ipclassifier_init,
	.destroy	= ipclassifier_destroy,
	.migrate	= ipclassifier_migrate,
	.process	= ipclassifier_process,
	.handlers	= ipclassifier_handlers,
};

module_clickup_atom(ipclassifier_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom ipclassifier: Click's IPClassifier (subset)");
MODULE_ALIAS_CLICKUP_ATOM("ipclassifier");
