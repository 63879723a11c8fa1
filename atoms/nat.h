/* SPDX-License-Identifier: GPL-2.0 */
/* nat atom: what its files (nat.c, nat_map.c, nat_icmp.c) share. */
#ifndef _CLICKUP_ATOM_NAT_H
#define _CLICKUP_ATOM_NAT_H

#include <net/clickup.h>

/* Input ports: where a packet entered says its direction. */
enum { NAT_INSIDE, NAT_OUTSIDE };

/* Output ports. */
enum {
	NAT_TO_OUTSIDE,		/* from the inside, source translated */
	NAT_TO_INSIDE,		/* from the outside, destination translated */
	NAT_UNTRANSLATED,	/* no mapping, none possible, or not ours */
};

struct nat_priv {
	struct clickup_table	*table;
	__be32			addr;
	u16			port_min;
	u16			port_max;
};

/*
 * One mapping as one packet sees it: the address and port its source
 * (from the inside) or destination (from the outside) becomes.
 */
struct nat_map {
	struct clickup_flow	*flow;
	__be32			addr;
	__be16			port;
};

/*
 * The mapping store (nat_map.c): the only code that knows how mappings
 * are kept in the table. @key is the packet's tuple as seen (echo: the
 * ICMP id as source port of a request, destination port of a reply).
 */
bool nat_map_find(const struct nat_priv *priv,
		  const struct clickup_flow_key *key, int side,
		  struct nat_map *m);
bool nat_map_create(const struct nat_priv *priv,
		    const struct clickup_flow_key *key, struct nat_map *m);
bool nat_map_used(const struct nat_priv *priv, const struct sk_buff *skb,
		  const struct clickup_l4 *l4, int side,
		  const struct nat_map *m);

/* nat.c */
int nat_rewrite(struct sk_buff *skb, const struct clickup_l4 *l4, bool src,
		__be32 addr, __be16 port);
int nat_translate(const struct nat_priv *priv, struct sk_buff *skb,
		  const struct clickup_l4 *l4, int side);

/* nat_icmp.c */
int nat_icmp(const struct nat_priv *priv, struct sk_buff *skb,
	     const struct clickup_l4 *l4, int side);

#endif /* _CLICKUP_ATOM_NAT_H */
