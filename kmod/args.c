// SPDX-License-Identifier: GPL-2.0
/*
 * Argument parsing for atoms' init(), in the spirit of Click's Args: one
 * parser per kind of value, one message format for every atom. A helper
 * reads argument @idx of the atom (0-based), stores the value only when it
 * is valid, and otherwise leaves "argument N: 'TEXT' is not ..." (N
 * 1-based) in the extack and returns a negative errno; the core prefixes
 * it with "atom 'NAME' (TYPE): " when init() fails (dag.c).
 */

#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/inet.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/string.h>
#include "internal.h"

/**
 * clickup_arg_error - set a message about one argument of an atom
 * @extack: the request's extack, as passed to init() (may be NULL)
 * @idx: the argument, 0-based (the message counts from 1)
 * @fmt: printf-style format of what is wrong with it
 *
 * For an atom's own checks of an argument, so that its messages read like
 * the helpers': "argument 2: term '12/0?': missing value". The core adds
 * "atom 'NAME' (TYPE): " in front when init() fails.
 */
void clickup_arg_error(struct netlink_ext_ack *extack, u32 idx,
		       const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	clickup_extack_fmt(extack, "argument %u: %pV", idx + 1, &vaf);
	va_end(ap);
}
EXPORT_SYMBOL_GPL(clickup_arg_error);

/* argv[idx], or NULL with a message when the atom has no such argument. */
static const char *clickup_arg(const struct clickup_atom *atom, u32 idx,
			       struct netlink_ext_ack *extack)
{
	if (idx >= atom->argc) {
		clickup_extack_fmt(extack, "argument %u is missing", idx + 1);
		return NULL;
	}
	return atom->argv[idx];
}

/* Whether @s[0..@len) is all decimal digits (and not empty). */
static bool clickup_all_digits(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isdigit(s[i]))
			return false;
	return len;
}

static int clickup_parse_u32_base(const char *s, size_t len,
				  unsigned int base, u32 min, u32 max,
				  u32 *out)
{
	char buf[24];
	u32 v;
	int err;

	if (!len)
		return -EINVAL;
	if (base == 10 && !clickup_all_digits(s, len))
		return -EINVAL;
	if (len >= sizeof(buf))
		return base == 10 ? -ERANGE : -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	err = kstrtou32(buf, base, &v);
	if (err)
		return err;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/**
 * clickup_parse_u32 - parse a decimal number in a range
 * @s: the text, digits only (need not be NUL-terminated)
 * @len: its length
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 *
 * Return: 0; -EINVAL if @s is not a decimal number, -ERANGE if it is one
 * outside [@min, @max].
 */
int clickup_parse_u32(const char *s, size_t len, u32 min, u32 max, u32 *out)
{
	return clickup_parse_u32_base(s, len, 10, min, max, out);
}
EXPORT_SYMBOL_GPL(clickup_parse_u32);

/**
 * clickup_parse_ipv4 - parse a dotted-quad IPv4 address
 * @s: the text (need not be NUL-terminated)
 * @len: its length; all of it must be the address
 * @addr: the address, set only on success
 *
 * Return: 0 or -EINVAL.
 */
int clickup_parse_ipv4(const char *s, size_t len, __be32 *addr)
{
	const char *end;
	__be32 a;

	if (!len || !in4_pton(s, len, (u8 *)&a, -1, &end) || end != s + len)
		return -EINVAL;
	*addr = a;
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_parse_ipv4);

/**
 * clickup_parse_prefix - parse an IPv4 prefix A.B.C.D/LEN
 * @s: the text (need not be NUL-terminated)
 * @len: its length
 * @addr: the address as written (host bits are not cleared)
 * @plen: the prefix length, 0 to 32
 *
 * Both are set only on success; "/LEN" is required.
 *
 * Return: 0 or -EINVAL.
 */
int clickup_parse_prefix(const char *s, size_t len, __be32 *addr, u8 *plen)
{
	const char *slash = memchr(s, '/', len);
	__be32 a;
	u32 l;

	if (!slash || clickup_parse_ipv4(s, slash - s, &a) ||
	    clickup_parse_u32(slash + 1, s + len - slash - 1, 0, 32, &l))
		return -EINVAL;
	*addr = a;
	*plen = l;
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_parse_prefix);

/**
 * clickup_arg_u32 - a decimal number in a range
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 * @extack: for the message
 *
 * Digits only. Message: "argument N: 'X' is not a number from MIN to MAX"
 * (with @max U32_MAX: "... of at least MIN", or just "... a number").
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_u32(const struct clickup_atom *atom, u32 idx, u32 min,
		    u32 max, u32 *out, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);

	if (!s)
		return -EINVAL;
	if (clickup_parse_u32(s, strlen(s), min, max, out)) {
		if (max != U32_MAX)
			clickup_arg_error(extack, idx,
					  "'%s' is not a number from %u to %u",
					  s, min, max);
		else if (min)
			clickup_arg_error(extack, idx,
					  "'%s' is not a number of at least %u",
					  s, min);
		else
			clickup_arg_error(extack, idx, "'%s' is not a number", s);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_u32);

/**
 * clickup_arg_int - a signed integer in a range
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @min: smallest value accepted
 * @max: largest value accepted
 * @out: the value, set only on success
 * @extack: for the message
 *
 * Decimal, or hex with "0x" (kstrtoint() base 0). Message: "argument N:
 * 'X' is not an integer", followed by " from MIN to MAX" unless the range
 * is all of int.
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_int(const struct clickup_atom *atom, u32 idx, int min,
		    int max, int *out, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	int v;

	if (!s)
		return -EINVAL;
	if (kstrtoint(s, 0, &v) || v < min || v > max) {
		if (min == INT_MIN && max == INT_MAX)
			clickup_arg_error(extack, idx, "'%s' is not an integer", s);
		else
			clickup_arg_error(extack, idx,
					  "'%s' is not an integer from %d to %d",
					  s, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_int);

/**
 * clickup_arg_range - a range LO-HI of decimal numbers
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @min: smallest LO accepted
 * @max: largest HI accepted
 * @lo: the range's start, set only on success
 * @hi: the range's end (at least @lo), set only on success
 * @extack: for the message
 *
 * Message: "argument N: 'X' is not LO-HI within MIN-MAX".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_range(const struct clickup_atom *atom, u32 idx, u32 min,
		      u32 max, u32 *lo, u32 *hi,
		      struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	const char *dash;
	u32 l, h;

	if (!s)
		return -EINVAL;
	dash = strchr(s, '-');
	if (!dash || clickup_parse_u32(s, dash - s, min, max, &l) ||
	    clickup_parse_u32(dash + 1, strlen(dash + 1), min, max, &h) ||
	    l > h) {
		clickup_arg_error(extack, idx, "'%s' is not LO-HI within %u-%u",
				  s, min, max);
		return -EINVAL;
	}
	*lo = l;
	*hi = h;
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_range);

/**
 * clickup_arg_ipv4 - an IPv4 address A.B.C.D
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @addr: the address, set only on success
 * @extack: for the message
 *
 * Message: "argument N: 'X' is not an IPv4 address".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_ipv4(const struct clickup_atom *atom, u32 idx, __be32 *addr,
		     struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);

	if (!s)
		return -EINVAL;
	if (clickup_parse_ipv4(s, strlen(s), addr)) {
		clickup_arg_error(extack, idx, "'%s' is not an IPv4 address", s);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_ipv4);

/**
 * clickup_arg_prefix - an IPv4 prefix A.B.C.D/LEN
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @addr: the address as written (host bits are not cleared)
 * @len: the prefix length, 0 to 32
 * @extack: for the message
 *
 * Both are set only on success. Message: "argument N: 'X' is not an IPv4
 * prefix A.B.C.D/LEN (LEN 0 to 32)".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_prefix(const struct clickup_atom *atom, u32 idx,
		       __be32 *addr, u8 *len, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);

	if (!s)
		return -EINVAL;
	if (clickup_parse_prefix(s, strlen(s), addr, len)) {
		clickup_arg_error(extack, idx,
				  "'%s' is not an IPv4 prefix A.B.C.D/LEN (LEN 0 to 32)",
				  s);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_prefix);

/**
 * clickup_arg_mac - an Ethernet address aa:bb:cc:dd:ee:ff
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @mac: ETH_ALEN bytes, set only on success
 * @extack: for the message
 *
 * Exactly six colon-separated pairs of hex digits, either case. Message:
 * "argument N: 'X' is not a MAC address".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_mac(const struct clickup_atom *atom, u32 idx, u8 *mac,
		    struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);

	if (!s)
		return -EINVAL;
	/* mac_pton() ignores what follows the 17th character. */
	if (strlen(s) != 3 * ETH_ALEN - 1 || !mac_pton(s, mac)) {
		clickup_arg_error(extack, idx, "'%s' is not a MAC address", s);
		return -EINVAL;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_mac);

/**
 * clickup_arg_ethertype - an Ethernet protocol number
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @type: the protocol in network order, set only on success
 * @extack: for the message
 *
 * Hex with "0x" (0x0800) or decimal (2048). Message: "argument N: 'X' is
 * not an ethertype from 0 to 0xffff".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_ethertype(const struct clickup_atom *atom, u32 idx,
			  __be16 *type, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	u32 v;

	if (!s)
		return -EINVAL;
	if (clickup_parse_u32_base(s, strlen(s), 0, 0, 0xffff, &v)) {
		clickup_arg_error(extack, idx,
				  "'%s' is not an ethertype from 0 to 0xffff", s);
		return -EINVAL;
	}
	*type = htons(v);
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_ethertype);

/**
 * clickup_arg_enum - one of a list of keywords
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @names: the keywords, lower case; NULL entries are skipped
 * @n: number of entries in @names
 * @out: index in @names of the keyword given, set only on success
 * @extack: for the message
 *
 * Compared case-insensitively, as type names are. Message: "argument N:
 * 'X' is not A, B or C".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_enum(const struct clickup_atom *atom, u32 idx,
		     const char *const *names, u32 n, u32 *out,
		     struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	char list[96] = "";
	u32 i, left = 0;
	int len = 0;

	if (!s)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (names[i] && !strcasecmp(s, names[i])) {
			*out = i;
			return 0;
		}
		left += !!names[i];
	}
	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		left--;
		len += scnprintf(list + len, sizeof(list) - len, "%s%s",
				 !len ? "" : left ? ", " : " or ", names[i]);
	}
	clickup_arg_error(extack, idx, "'%s' is not %s", s, list);
	return -EINVAL;
}
EXPORT_SYMBOL_GPL(clickup_arg_enum);

/**
 * clickup_arg_string - a printable string
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @buf: the string, NUL-terminated, set only on success
 * @size: size of @buf; the string may have up to @size - 1 bytes
 * @extack: for the message
 *
 * One pair of surrounding double quotes is removed (Click's quoting:
 * log("drop: ")); what remains may be empty and must be printable ASCII.
 * Messages: "argument N: 'X' is longer than SIZE-1 bytes", "argument N:
 * non-printable byte 0xHH at I".
 *
 * Return: 0 or -EINVAL.
 */
int clickup_arg_string(const struct clickup_atom *atom, u32 idx, char *buf,
		       size_t size, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	const char *p = s;
	size_t len, i;

	if (!s)
		return -EINVAL;
	len = strlen(p);
	if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
		p++;
		len -= 2;
	}
	if (len >= size) {
		clickup_arg_error(extack, idx, "'%s' is longer than %zu bytes",
				  s, size - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] > 0x7e) {
			clickup_arg_error(extack, idx,
					  "non-printable byte 0x%02x at %zu",
					  (u8)p[i], i);
			return -EINVAL;
		}
	}
	memcpy(buf, p, len);
	buf[len] = '\0';
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_string);

/**
 * clickup_arg_ifindex - a network device of the atom's netns, by name
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @ifindex: the device's ifindex, set only on success
 * @extack: for the message
 *
 * The device is looked up now, under RCU, and not held: keep the ifindex
 * and look the device up again per packet (dev_get_by_index_rcu()), so
 * that a DAG never pins one. Message: "argument N: no device 'X' in this
 * netns".
 *
 * Return: 0 or -ENODEV.
 */
int clickup_arg_ifindex(const struct clickup_atom *atom, u32 idx,
			int *ifindex, struct netlink_ext_ack *extack)
{
	const char *s = clickup_arg(atom, idx, extack);
	struct net_device *dev;
	int i = 0;

	if (!s)
		return -EINVAL;
	rcu_read_lock();
	dev = dev_get_by_name_rcu(atom->net, s);
	if (dev)
		i = dev->ifindex;
	rcu_read_unlock();
	if (!i) {
		clickup_arg_error(extack, idx, "no device '%s' in this netns", s);
		return -ENODEV;
	}
	*ifindex = i;
	return 0;
}
EXPORT_SYMBOL_GPL(clickup_arg_ifindex);

/**
 * clickup_arg_table - a state table, by name
 * @atom: the atom being initialised
 * @idx: the argument, 0-based
 * @def: the name to use when the atom has no argument @idx, or NULL when
 *	 the argument is required
 * @extack: for the message
 *
 * Checks the name as the core checks table names (1 to CLICKUP_NAME_MAX - 1
 * bytes) and takes a reference on the table with clickup_table_get(),
 * creating it if need be; release it with clickup_table_put() in
 * destroy(). Message: "argument N: 'X' is not a table name (1 to 31
 * bytes)".
 *
 * Return: the table, or an ERR_PTR().
 */
struct clickup_table *clickup_arg_table(struct clickup_atom *atom, u32 idx,
					const char *def,
					struct netlink_ext_ack *extack)
{
	const char *s;

	if (idx >= atom->argc && def)
		return clickup_table_get(atom, def, extack);
	s = clickup_arg(atom, idx, extack);
	if (!s)
		return ERR_PTR(-EINVAL);
	if (!*s || strlen(s) >= CLICKUP_NAME_MAX) {
		clickup_arg_error(extack, idx,
				  "'%s' is not a table name (1 to %d bytes)",
				  s, CLICKUP_NAME_MAX - 1);
		return ERR_PTR(-EINVAL);
	}
	return clickup_table_get(atom, s, extack);
}
EXPORT_SYMBOL_GPL(clickup_arg_table);
