/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by readstate, sessioncheck and writestate: the table argument,
 * defaulting to one table per NE (named after it).
 */
#ifndef _CLICKUP_ATOM_WHITELIST_H
#define _CLICKUP_ATOM_WHITELIST_H

#include <net/clickup.h>

struct whitelist_priv {
	struct clickup_table *table;
};

static inline int whitelist_init(struct clickup_atom *atom, u32 argc,
				 char *const *argv,
				 struct netlink_ext_ack *extack)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);

	priv->table = clickup_arg_table(atom, 0, atom->ne_name, extack);
	return PTR_ERR_OR_ZERO(priv->table);
}

static inline void whitelist_destroy(struct clickup_atom *atom)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);

	clickup_table_put(priv->table);
}

/* The tuple of a TCP packet; false if not TCP/IPv4 with a TCP header. */
static inline bool whitelist_parse(const struct sk_buff *skb,
				   struct clickup_l4 *l4)
{
	return clickup_l4_parse(skb, l4) && l4->key.proto == IPPROTO_TCP &&
	       !l4->later_frag;
}

#endif /* _CLICKUP_ATOM_WHITELIST_H */
