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
	const char *name = argc ? argv[0] : atom->ne_name;

	priv->table = clickup_table_get(atom, name, extack);
	return PTR_ERR_OR_ZERO(priv->table);
}

static inline void whitelist_destroy(struct clickup_atom *atom)
{
	struct whitelist_priv *priv = clickup_atom_priv(atom);

	clickup_table_put(priv->table);
}

/* The flow of a TCP packet, its key normalised; false if not TCP/IPv4. */
static inline bool whitelist_parse(const struct sk_buff *skb,
				   struct clickup_l4 *l4, u8 *dir)
{
	if (!clickup_l4_parse(skb, l4) || l4->key.proto != IPPROTO_TCP)
		return false;
	*dir = clickup_flow_key_normalise(&l4->key);
	return true;
}

/* Two registrations per module: the seed's name and its alias. */
#define module_clickup_atom_pair(__a, __b)				\
static int __init __a##_pair_init(void)					\
{									\
	int err = clickup_atom_register(&(__a));			\
									\
	if (err)							\
		return err;						\
	err = clickup_atom_register(&(__b));				\
	if (err)							\
		clickup_atom_unregister(&(__a));			\
	return err;							\
}									\
module_init(__a##_pair_init);						\
static void __exit __a##_pair_exit(void)				\
{									\
	clickup_atom_unregister(&(__b));				\
	clickup_atom_unregister(&(__a));				\
}									\
module_exit(__a##_pair_exit)

#endif /* _CLICKUP_ATOM_WHITELIST_H */
