// SPDX-License-Identifier: GPL-2.0
/*
 * classifier(PATTERN, ...): Click's Classifier. Each argument is a pattern
 * of space-separated terms OFFSET/VALUE[%MASK]: OFFSET in decimal bytes
 * from the packet data, VALUE and MASK in hex digits (an even number of
 * them, MASK as long as VALUE; '?' in VALUE is a wildcard nibble). A term
 * starting with '!' is negated. A packet matches a pattern when all its
 * terms match; '-' matches everything. The packet leaves on the output of
 * the first matching pattern, or is dropped (and counted) when none
 * matches. Bytes past the end of the packet never match.
 *
 *   classifier(12/0800, 12/0806 20/0001, -)	IPv4, ARP request, the rest
 */
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <net/clickup.h>

#define CL_VALUE_MAX	32	/* bytes per term */
#define CL_OFFSET_END	4096	/* terms look at bytes below this */

struct classifier_term {
	u16	off;
	u8	len;
	u8	neg;
	u8	value[CL_VALUE_MAX];
	u8	mask[CL_VALUE_MAX];
};

struct classifier_priv {
	u32			nr_patterns;
	u32			start[CLICKUP_MAX_ARGS + 1];
	struct classifier_term	*terms;
	struct clickup_port_counts *counts;	/* "counts" handler */
};

/* Hex digits to bytes; '?' (wildcard nibble) only when @mask is given. */
static int classifier_hex(const char *s, size_t n, u8 *val, u8 *mask)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int v = hex_to_bin(s[i]);
		u8 m = 0xf;

		if (v < 0) {
			if (s[i] != '?' || !mask)
				return -EINVAL;
			v = 0;
			m = 0;
		}
		if (i & 1) {
			val[i / 2] |= v;
			if (mask)
				mask[i / 2] |= m;
		} else {
			val[i / 2] = v << 4;
			if (mask)
				mask[i / 2] = m << 4;
		}
	}
	return 0;
}

/* Long terms are cut short in messages, so that the reason fits. */
#define CL_TERM_ECHO	24
#define CL_ERR(fmt, ...) \
	clickup_arg_error(extack, idx, "term '%.*s%s': " fmt, \
			  (int)min_t(size_t, tlen, CL_TERM_ECHO), term, \
			  tlen > CL_TERM_ECHO ? "..." : "", ##__VA_ARGS__)

/* One term of argument @idx. */
static int classifier_term_parse(struct classifier_term *t, u32 idx,
				 const char *term, size_t tlen,
				 struct netlink_ext_ack *extack)
{
	const char *s = term, *end = term + tlen, *slash, *pct;
	size_t vlen, mlen;
	u8 mask[CL_VALUE_MAX];
	u32 i, off;
	int err;

	if (s < end && *s == '!') {
		t->neg = 1;
		s++;
	}
	slash = memchr(s, '/', end - s);
	if (!slash) {
		CL_ERR("expected OFFSET/VALUE[%%MASK]");
		return -EINVAL;
	}
	if (slash == s) {
		CL_ERR("missing offset");
		return -EINVAL;
	}
	err = clickup_parse_u32(s, slash - s, 0, CL_OFFSET_END - 1, &off);
	if (err == -ERANGE) {
		CL_ERR("offset too large (bytes must lie below %u)",
		       CL_OFFSET_END);
		return -ERANGE;
	}
	if (err) {
		CL_ERR("offset is not a decimal number");
		return -EINVAL;
	}
	s = slash + 1;
	pct = memchr(s, '%', end - s);
	vlen = (pct ? pct : end) - s;
	if (!vlen) {
		CL_ERR("missing value");
		return -EINVAL;
	}
	if (vlen & 1) {
		CL_ERR("value '%.*s' has an odd number of hex digits",
		       (int)vlen, s);
		return -EINVAL;
	}
	if (vlen / 2 > CL_VALUE_MAX) {
		CL_ERR("value longer than %u bytes", CL_VALUE_MAX);
		return -EINVAL;
	}
	if (off + vlen / 2 > CL_OFFSET_END) {
		CL_ERR("offset too large (bytes must lie below %u)",
		       CL_OFFSET_END);
		return -ERANGE;
	}
	if (classifier_hex(s, vlen, t->value, t->mask)) {
		CL_ERR("bad hex value '%.*s'", (int)vlen, s);
		return -EINVAL;
	}
	t->off = off;
	t->len = vlen / 2;
	if (!pct)
		return 0;
	s = pct + 1;
	mlen = end - s;
	if (mlen != vlen) {
		CL_ERR("mask '%.*s' is not as long as value (%zu hex digits)",
		       (int)mlen, s, vlen);
		return -EINVAL;
	}
	if (classifier_hex(s, mlen, mask, NULL)) {
		CL_ERR("bad hex mask '%.*s'", (int)mlen, s);
		return -EINVAL;
	}
	for (i = 0; i < t->len; i++)
		t->mask[i] &= mask[i];
	return 0;
}

#undef CL_ERR

/* Number of space-separated words in @s. */
static u32 classifier_words(const char *s)
{
	u32 n = 0;

	while (*s) {
		s = skip_spaces(s);
		if (!*s)
			break;
		n++;
		while (*s && !isspace(*s))
			s++;
	}
	return n;
}

static bool classifier_is_any(const char *s)
{
	s = skip_spaces(s);
	return s[0] == '-' && !*skip_spaces(s + 1);
}

static int classifier_init(struct clickup_atom *atom, u32 argc,
			   char *const *argv, struct netlink_ext_ack *extack)
{
	struct classifier_priv *priv = clickup_atom_priv(atom);
	u32 i, n = 0;
	int err;

	if (!argc) {
		clickup_extack_fmt(extack,
				   "no patterns (give at least one; '-' matches everything)");
		return -EINVAL;
	}
	for (i = 0; i < argc; i++) {
		u32 w = classifier_words(argv[i]);

		if (!w) {
			clickup_arg_error(extack, i, "empty pattern");
			return -EINVAL;
		}
		if (!classifier_is_any(argv[i]))
			n += w;
	}
	priv->terms = kcalloc(max(n, 1U), sizeof(*priv->terms), GFP_KERNEL_ACCOUNT);
	if (!priv->terms)
		return -ENOMEM;

	n = 0;
	for (i = 0; i < argc; i++) {
		const char *s = argv[i];

		priv->start[i] = n;
		if (classifier_is_any(s))
			continue;
		while (*(s = skip_spaces(s))) {
			const char *e = s;

			while (*e && !isspace(*e))
				e++;
			err = classifier_term_parse(&priv->terms[n], i, s,
						    e - s, extack);
			if (err) {
				kfree(priv->terms);
				priv->terms = NULL;
				return err;
			}
			n++;
			s = e;
		}
	}
	priv->start[argc] = n;
	priv->nr_patterns = argc;
	atom->nr_outputs = argc;
	priv->counts = clickup_port_counts_alloc(argc);
	if (!priv->counts) {
		kfree(priv->terms);
		return -ENOMEM;
	}
	return 0;
}

static void classifier_destroy(struct clickup_atom *atom)
{
	struct classifier_priv *priv = clickup_atom_priv(atom);

	kfree(priv->terms);
	clickup_port_counts_put(priv->counts);
}

static int classifier_migrate(struct clickup_atom *new, struct clickup_atom *old,
			      struct netlink_ext_ack *extack)
{
	struct classifier_priv *n = clickup_atom_priv(new);
	struct classifier_priv *o = clickup_atom_priv(old);

	clickup_port_counts_migrate(&n->counts, o->counts);
	return 0;
}

static int classifier_counts(struct clickup_atom *atom, char *buf, size_t size)
{
	struct classifier_priv *priv = clickup_atom_priv(atom);

	return clickup_port_counts_print(priv->counts, buf, size);
}

static const struct clickup_handler classifier_handlers[] = {
	{ "counts", classifier_counts },
	{ }
};

static bool classifier_term_match(const struct classifier_term *t,
				  const struct sk_buff *skb)
{
	u8 buf[CL_VALUE_MAX];
	const u8 *p;
	u32 i;

	p = skb_header_pointer(skb, t->off, t->len, buf);
	if (!p)
		return false;
	for (i = 0; i < t->len; i++)
		if ((p[i] ^ t->value[i]) & t->mask[i])
			return false;
	return true;
}

static int classifier_process(struct clickup_atom *atom, struct sk_buff *skb,
			      const struct clickup_pkt *pkt)
{
	const struct classifier_priv *priv = clickup_atom_priv(atom);
	u32 pat, i;

	for (pat = 0; pat < priv->nr_patterns; pat++) {
		for (i = priv->start[pat]; i < priv->start[pat + 1]; i++) {
			const struct classifier_term *t = &priv->terms[i];

			if (classifier_term_match(t, skb) == !!t->neg)
				break;
		}
		if (i == priv->start[pat + 1]) {
			clickup_port_count(priv->counts, pat);
			return pat;
		}
	}
	return CLICKUP_DROP;
}

static struct clickup_atom_type classifier_type = {
	.name		= "classifier",
	.owner		= THIS_MODULE,
	.inputs		= 1,
	.outputs	= 1,
	.flags		= CLICKUP_TYPE_F_VAR_OUTPUTS,
	.min_args	= 0,
	.max_args	= CLICKUP_MAX_ARGS,
	.priv_size	= sizeof(struct classifier_priv),
	.init		= classifier_init,
	.destroy	= classifier_destroy,
	.migrate	= classifier_migrate,
	.process	= classifier_process,
	.handlers	= classifier_handlers,
};

module_clickup_atom(classifier_type);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("CLICK-UP atom classifier: Click's Classifier (byte patterns)");
MODULE_ALIAS_CLICKUP_ATOM("classifier");
