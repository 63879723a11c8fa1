/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by readstate, sessioncheck and writestate: the table argument,
 * defaulting to one table per NE (named after it), and the side the atom
 * sees packets from.
 */
#ifndef _CLICKUP_ATOM_WHITELIST_H
#define _CLICKUP_ATOM_WHITELIST_H

#include <net/clickup.h>

/*
 * SIDE: "any" (the seed's: any packet may open a flow, and a flow's
 * packets pass whichever way they go), "inside" (may open flows; only a
 * flow's ORIGINAL direction comes from here) or "outside" (opens none;
 * only a flow's REPLY direction comes from here).
 */
enum { WL_ANY, WL_INSIDE, WL_OUTSIDE };

struct whitelist_priv {
	struct clickup_table	*table;
	u32			side;
};

static inline int whitelist_init(struct clickup_atom *atom, u32 argc,
				 char *const *argv,
				 struct netlink_ext_ack *extack)
{
	static const char *const sides[] = { "any", "inside", "outside" };
	struct whitelist_priv *priv = clickup_atom_priv(atom);

	priv->side = WL_ANY;
	if (argc > 1 && clickup_arg_enum(atom, 1, sides, ARRAY_SIZE(sides),
					 &priv->side, extack))
		return -EINVAL;
	priv->table = clickup_arg_table(atom, 0, atom->ne_name, extack);
	return PTR_ERR_OR_ZERO(priv->table);
}

static inline void whitelist_destroy(struct clickup_atom *atom)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);

	clickup_table_put(priv->table);
}

/*
 * The tuple of a TCP or UDP packet with its L4 header; false otherwise
 * (not IPv4, another protocol, a fragment past the first).
 */
static inline bool whitelist_parse(const struct sk_buff *skb,
				   struct clickup_l4 *l4)
{
	return clickup_l4_parse(skb, l4) && !l4->later_frag &&
	       (l4->key.proto == IPPROTO_TCP || l4->key.proto == IPPROTO_UDP);
}

/* Whether a packet of direction @dir may come from the atom's side. */
static inline bool whitelist_side_ok(const struct whitelist_priv *priv,
				     u8 dir)
{
	return priv->side == WL_ANY ||
	       (priv->side == WL_INSIDE) == (dir == CLICKUP_DIR_ORIGINAL);
}

#endif /* _CLICKUP_ATOM_WHITELIST_H */
