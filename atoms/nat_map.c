// SPDX-License-Identifier: GPL-2.0
/*
 * nat: the mapping store. A mapping is two flows in the core-owned table,
 * one per direction: the inside tuple (client:cport -> server:sport) with
 * ADDR:port to rewrite the source to, and the outside tuple
 * (server:sport -> ADDR:port) with client:cport to rewrite the destination
 * to. A packet refreshes both, so they expire together.
 */
#include <linux/random.h>
#include "nat.h"

#define NAT_PORT_TRIES	64

/* The tuple of the other direction: what its packets carry. */
static void nat_map_other(const struct clickup_flow_key *key, int side,
			  const struct nat_map *m,
			  struct clickup_flow_key *other)
{
	*other = *key;
	if (side == NAT_INSIDE) {
		other->addr[0] = key->addr[1];
		other->port[0] = key->port[1];
		other->addr[1] = m->addr;
		other->port[1] = m->port;
	} else {
		other->addr[0] = m->addr;
		other->port[0] = m->port;
		other->addr[1] = key->addr[0];
		other->port[1] = key->port[0];
	}
}

/**
 * nat_map_find - the mapping a packet of tuple @key from @side belongs to
 * @priv: the atom
 * @key: the packet's tuple as seen
 * @side: NAT_INSIDE or NAT_OUTSIDE, where it entered
 * @m: filled in when found
 *
 * Under RCU. Only the direction's own tuple matches: a packet from the
 * inside never uses an outside tuple, nor the other way round.
 *
 * Return: whether there is one.
 */
bool nat_map_find(const struct nat_priv *priv,
		  const struct clickup_flow_key *key, int side,
		  struct nat_map *m)
{
	struct clickup_flow *flow;
	__be32 xaddr;

	if (side == NAT_OUTSIDE && key->addr[1] != priv->addr)
		return false;
	flow = clickup_flow_lookup(priv->table, key);
	/* A mapping being set up by another CPU has no xaddr yet. */
	xaddr = flow ? smp_load_acquire(&flow->xaddr) : 0;
	if (!xaddr)
		return false;
	/* The inside tuple translates to ADDR, the outside one never does. */
	if ((xaddr == priv->addr) != (side == NAT_INSIDE))
		return false;
	m->flow = flow;
	m->addr = xaddr;
	m->port = flow->xport;
	return true;
}

/**
 * nat_map_create - a new mapping for the inside tuple @key
 * @priv: the atom
 * @key: the tuple of a packet from the inside that found none
 * @m: filled in on success
 *
 * Under RCU. The port (or ICMP id) is drawn at random from the atom's
 * range, like nf_nat: a lost mapping does not come back the same.
 *
 * Return: false when the table is full or no port is free.
 */
bool nat_map_create(const struct nat_priv *priv,
		    const struct clickup_flow_key *key, struct nat_map *m)
{
	u32 range = priv->port_max - priv->port_min + 1;
	struct clickup_flow *out, *in;
	struct clickup_flow_key rkey;
	bool existed;
	u32 i, start;

	/* The outside tuple: from the peer to ADDR:port. Claim a port. */
	m->addr = priv->addr;
	start = get_random_u32();
	for (i = 0; i < NAT_PORT_TRIES; i++) {
		m->port = htons(priv->port_min + (start + i) % range);
		nat_map_other(key, NAT_INSIDE, m, &rkey);
		in = clickup_flow_insert(priv->table, &rkey,
					 CLICKUP_FLOW_GENERIC, &existed);
		if (!in)
			return false;
		if (!existed)
			break;
	}
	if (i == NAT_PORT_TRIES)
		return false;
	in->xport = key->port[0];
	/* Pairs with nat_map_find()'s acquire: xaddr set means xport is. */
	smp_store_release(&in->xaddr, key->addr[0]);

	out = clickup_flow_insert(priv->table, key, CLICKUP_FLOW_GENERIC,
				  &existed);
	if (!out || existed) {
		/* Another CPU mapped this flow first: use its mapping. */
		clickup_flow_remove(priv->table, in);
		return out && nat_map_find(priv, key, NAT_INSIDE, m);
	}
	out->xport = m->port;
	/* As above: the outside tuple is published before the inside one. */
	smp_store_release(&out->xaddr, priv->addr);
	m->flow = out;
	return true;
}

/**
 * nat_map_used - account a packet of @side to its mapping
 * @priv: the atom
 * @skb: the packet
 * @l4: its headers; @l4->key is the mapping's tuple for @side
 * @side: where it entered
 * @m: its mapping (nat_map_find() or nat_map_create())
 *
 * Refreshes the mapping, both directions: it lives as long as either
 * direction is in use. ICMP errors do not call this (as in conntrack,
 * a related packet keeps no flow alive).
 *
 * Return: whether the packet may pass (always, until flows are tracked).
 */
bool nat_map_used(const struct nat_priv *priv, const struct sk_buff *skb,
		  const struct clickup_l4 *l4, int side,
		  const struct nat_map *m)
{
	struct clickup_flow_key other;
	struct clickup_flow *flow;

	clickup_flow_refresh(priv->table, m->flow);
	nat_map_other(&l4->key, side, m, &other);
	flow = clickup_flow_lookup(priv->table, &other);
	if (flow)
		clickup_flow_refresh(priv->table, flow);
	return true;
}
