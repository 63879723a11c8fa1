// SPDX-License-Identifier: GPL-2.0
/*
 * nat: the mapping store. A mapping is one flow of the core-owned table
 * with two tuples, as an nf_conntrack entry: ORIGINAL is what the inside
 * host sends (client:cport -> server:sport), REPLY what comes back from
 * the outside (server:sport -> ADDR:port). The translation is the other
 * tuple; the flow's tracker (TCP states, UDP replied/stream) sets its
 * timeout, so both directions live and expire as one.
 */
#include <linux/random.h>
#include "nat.h"

#define NAT_PORT_TRIES	64

static u8 nat_map_dir(int side)
{
	return side == NAT_INSIDE ? CLICKUP_DIR_ORIGINAL : CLICKUP_DIR_REPLY;
}

/* From the inside: REPLY's destination; from the outside: ORIGINAL's source. */
static void nat_map_fill(struct clickup_flow *flow, int side,
			 struct nat_map *m)
{
	const struct clickup_flow_key *to;

	m->flow = flow;
	if (side == NAT_INSIDE) {
		to = clickup_flow_tuple(flow, CLICKUP_DIR_REPLY);
		m->addr = to->addr[1];
		m->port = to->port[1];
	} else {
		to = clickup_flow_tuple(flow, CLICKUP_DIR_ORIGINAL);
		m->addr = to->addr[0];
		m->port = to->port[0];
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
 * inside never uses a REPLY tuple, nor the other way round.
 *
 * Return: whether there is one.
 */
bool nat_map_find(const struct nat_priv *priv,
		  const struct clickup_flow_key *key, int side,
		  struct nat_map *m)
{
	struct clickup_flow *flow;
	u8 dir;

	flow = clickup_flow_find(priv->table, key, &dir);
	if (!flow || dir != nat_map_dir(side))
		return false;
	nat_map_fill(flow, side, m);
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
	u8 state = key->proto == IPPROTO_TCP ? CLICKUP_FLOW_NONE :
					       CLICKUP_FLOW_GENERIC;
	struct clickup_flow_key rkey;
	struct clickup_flow *flow;
	u32 i, start;
	bool existed;

	clickup_flow_key_reverse(&rkey, key);
	rkey.addr[1] = priv->addr;
	start = get_random_u32();
	for (i = 0; i < NAT_PORT_TRIES; i++) {
		rkey.port[1] = htons(priv->port_min + (start + i) % range);
		flow = clickup_flow_create(priv->table, key, &rkey, state,
					   &existed);
		/* Ours, or another CPU's made just now for the same packet. */
		if (flow)
			return nat_map_find(priv, key, NAT_INSIDE, m);
		/* NULL: the port is taken (try another) or the table full. */
		if (!clickup_flow_find(priv->table, &rkey, NULL))
			return false;
	}
	return false;
}

/**
 * nat_map_used - account a packet of @side to its mapping
 * @priv: the atom
 * @skb: the packet
 * @l4: its headers; @l4->key is the mapping's tuple for @side
 * @side: where it entered
 * @m: its mapping (nat_map_find() or nat_map_create())
 *
 * The flow's tracker moves its state and timeout (TCP window checks, UDP
 * replied/stream). ICMP errors do not call this: as in conntrack, a
 * related packet keeps no flow alive.
 *
 * Return: false when the packet is invalid for the flow and the table's
 * policy is strict: drop it.
 */
bool nat_map_used(const struct nat_priv *priv, const struct sk_buff *skb,
		  const struct clickup_l4 *l4, int side,
		  const struct nat_map *m)
{
	return clickup_flow_track(priv->table, m->flow, skb, l4,
				  nat_map_dir(side)) == CLICKUP_TRACK_OK ||
	       !clickup_table_strict(priv->table);
}
