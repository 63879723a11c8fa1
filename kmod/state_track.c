// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet tracking of a flow: the parser of the packet path, the
 * timeouts (per table, nf_conntrack's defaults), and
 * clickup_flow_track(), which hands TCP to state_tcp.c and handles UDP
 * and other protocols as nf_conntrack's udp and generic trackers do.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ip.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/tcp.h>
#include "internal.h"

/* Seconds, nf_conntrack's defaults (tcp, udp and generic trackers). */
const u32 clickup_default_timeouts[__CLICKUP_TIMEOUT_A_MAX] = {
	[CLICKUP_TIMEOUT_A_TCP_SYN_SENT]	= 120,
	[CLICKUP_TIMEOUT_A_TCP_SYN_RECV]	= 60,
	[CLICKUP_TIMEOUT_A_TCP_ESTABLISHED]	= 5 * 24 * 3600,
	[CLICKUP_TIMEOUT_A_TCP_FIN_WAIT]	= 120,
	[CLICKUP_TIMEOUT_A_TCP_CLOSE_WAIT]	= 60,
	[CLICKUP_TIMEOUT_A_TCP_LAST_ACK]	= 30,
	[CLICKUP_TIMEOUT_A_TCP_TIME_WAIT]	= 120,
	[CLICKUP_TIMEOUT_A_TCP_CLOSE]		= 10,
	[CLICKUP_TIMEOUT_A_TCP_UNACK]		= 300,
	[CLICKUP_TIMEOUT_A_UDP_UNREPLIED]	= 30,
	[CLICKUP_TIMEOUT_A_UDP_REPLIED]		= 120,
	[CLICKUP_TIMEOUT_A_GENERIC]		= 600,
};

static const u8 clickup_state_timeout[__CLICKUP_FLOW_MAX] = {
	[CLICKUP_FLOW_NONE]		= CLICKUP_TIMEOUT_A_TCP_CLOSE,
	[CLICKUP_FLOW_SYN_SENT]		= CLICKUP_TIMEOUT_A_TCP_SYN_SENT,
	[CLICKUP_FLOW_SYN_RECV]		= CLICKUP_TIMEOUT_A_TCP_SYN_RECV,
	[CLICKUP_FLOW_ESTABLISHED]	= CLICKUP_TIMEOUT_A_TCP_ESTABLISHED,
	[CLICKUP_FLOW_FIN_WAIT]		= CLICKUP_TIMEOUT_A_TCP_FIN_WAIT,
	[CLICKUP_FLOW_TIME_WAIT]	= CLICKUP_TIMEOUT_A_TCP_TIME_WAIT,
	[CLICKUP_FLOW_CLOSE]		= CLICKUP_TIMEOUT_A_TCP_CLOSE,
	[CLICKUP_FLOW_GENERIC]		= CLICKUP_TIMEOUT_A_GENERIC,
	[CLICKUP_FLOW_CLOSE_WAIT]	= CLICKUP_TIMEOUT_A_TCP_CLOSE_WAIT,
	[CLICKUP_FLOW_LAST_ACK]		= CLICKUP_TIMEOUT_A_TCP_LAST_ACK,
	[CLICKUP_FLOW_SYN_SENT2]	= CLICKUP_TIMEOUT_A_TCP_SYN_SENT,
};

/*
 * The full timeout of @flow in @state, seconds: the state's, except that
 * a UDP flow has its unreplied or (assured) replied one, and a TCP flow
 * established without any answer seen (one-way) the unacknowledged one.
 */
u32 clickup_flow_timeout_secs(const struct clickup_table *table,
			      const struct clickup_flow *flow, u8 state)
{
	u8 status = READ_ONCE(flow->status);
	u8 idx = clickup_state_timeout[state];
	u32 t;

	if (state == CLICKUP_FLOW_GENERIC &&
	    flow->tuple[0].key.proto == IPPROTO_UDP)
		idx = status & CLICKUP_FLOW_ASSURED ?
		      CLICKUP_TIMEOUT_A_UDP_REPLIED :
		      CLICKUP_TIMEOUT_A_UDP_UNREPLIED;
	t = READ_ONCE(table->timeouts[idx]);
	if (state == CLICKUP_FLOW_ESTABLISHED &&
	    !(status & CLICKUP_FLOW_SEEN_REPLY))
		t = min(t, READ_ONCE(table->timeouts[CLICKUP_TIMEOUT_A_TCP_UNACK]));
	return t;
}

unsigned long clickup_flow_timeout(const struct clickup_table *table,
				   const struct clickup_flow *flow, u8 state)
{
	return (unsigned long)clickup_flow_timeout_secs(table, flow, state) * HZ;
}

/*
 * Sets @flow to expire @secs from now; a busy flow writes it about once
 * a second rather than on every packet, unless @force.
 */
void clickup_flow_expire_in(struct clickup_flow *flow, u32 secs, bool force)
{
	unsigned long expires = jiffies + (unsigned long)secs * HZ;
	unsigned long cur = READ_ONCE(flow->expires);

	if (force || time_after(expires, cur + HZ) || time_before(expires, cur))
		WRITE_ONCE(flow->expires, expires);
}

/*
 * nf_conntrack's udp tracker: unreplied until a REPLY packet is seen;
 * replied traffic still going 2 s after the flow began (a stream, not a
 * query and its answer) makes it assured, with the longer timeout. A
 * UDP flow keeps that 2 s mark in seen[0].td_end (jiffies, 32 bits).
 * Other protocols: refreshed with the generic timeout.
 */
static int clickup_other_track(struct clickup_table *table,
			       struct clickup_flow *flow, u8 dir)
{
	u8 status;

	spin_lock(&flow->lock);
	status = flow->status;
	if (dir == CLICKUP_DIR_REPLY)
		status |= CLICKUP_FLOW_SEEN_REPLY;
	if (flow->tuple[0].key.proto == IPPROTO_UDP &&
	    (status & CLICKUP_FLOW_SEEN_REPLY) &&
	    time_after32((u32)jiffies, flow->seen[0].td_end))
		status |= CLICKUP_FLOW_ASSURED;
	if (status != flow->status)
		WRITE_ONCE(flow->status, status);
	clickup_flow_expire_in(flow, clickup_flow_timeout_secs(table, flow,
							       flow->state),
			       false);
	spin_unlock(&flow->lock);
	return CLICKUP_TRACK_OK;
}

/**
 * clickup_flow_track - account one packet to its flow
 * @table: the flow's table
 * @flow: the flow found (clickup_flow_find) or made (clickup_flow_create)
 *	  for the packet; a new TCP flow is made in CLICKUP_FLOW_NONE
 * @skb: the packet
 * @l4: its headers (clickup_l4_parse)
 * @dir: the direction its tuple matched (enum clickup_dir)
 *
 * TCP runs through the state machine and window checks of state_tcp.c;
 * UDP and other protocols are refreshed, and marked replied and assured
 * as nf_conntrack does. Under RCU, from the packet path.
 *
 * Return: CLICKUP_TRACK_OK: accepted (its state, timeout and assured bit
 * may have changed; the flow may even be gone, as after a RST that was
 * the only answer to a SYN). CLICKUP_TRACK_INVALID: truncated, illegal in
 * its state or out of the window: nothing changed, counted in the table's
 * invalid; the caller drops it if clickup_table_strict(), else passes it.
 */
int clickup_flow_track(struct clickup_table *table, struct clickup_flow *flow,
		       const struct sk_buff *skb, const struct clickup_l4 *l4,
		       u8 dir)
{
	int ret;

	if (l4->key.proto != IPPROTO_TCP ||
	    flow->tuple[0].key.proto != IPPROTO_TCP)
		return clickup_other_track(table, flow, dir);
	/* Later fragments have no TCP header: they change nothing. */
	if (l4->later_frag)
		return CLICKUP_TRACK_OK;
	ret = clickup_tcp_track(table, flow, skb, l4, dir);
	if (ret == CLICKUP_TRACK_INVALID)
		atomic64_inc(&table->invalid);
	return ret;
}
EXPORT_SYMBOL_GPL(clickup_flow_track);

/**
 * clickup_l4_parse - the 5-tuple and TCP flags of an IPv4 packet
 * @skb: the packet; its IPv4 header at the network header (set by the
 *	 stack, or by checkipheader), which may lie after a MAC header still
 *	 in the data
 * @l4: filled in: key as seen on the wire, offsets from skb->data (the
 *	end from the IP total length), TCP flags
 *
 * Return: false when there is no IPv4 header there, its total length does
 * not fit the packet, or a TCP/UDP header is cut short; other protocols
 * and later fragments get a key of their addresses and protocol only.
 */
bool clickup_l4_parse(const struct sk_buff *skb, struct clickup_l4 *l4)
{
	const struct iphdr *iph;
	struct iphdr _iph;
	int nhoff = skb_network_offset(skb);

	memset(l4, 0, sizeof(*l4));
	if (nhoff < 0)
		return false;
	iph = skb_header_pointer(skb, nhoff, sizeof(_iph), &_iph);
	if (!iph || iph->version != 4 || iph->ihl < 5 ||
	    ntohs(iph->tot_len) < iph->ihl * 4 ||
	    ntohs(iph->tot_len) > skb->len - nhoff)
		return false;
	l4->nhoff = nhoff;
	l4->thoff = nhoff + iph->ihl * 4;
	l4->end = nhoff + ntohs(iph->tot_len);
	l4->key.addr[0] = iph->saddr;
	l4->key.addr[1] = iph->daddr;
	l4->key.proto = iph->protocol;
	/* Later fragments carry no ports: they key on addresses only. */
	if (iph->frag_off & htons(IP_OFFSET)) {
		l4->later_frag = 1;
		return true;
	}
	if (iph->protocol == IPPROTO_TCP) {
		const struct tcphdr *th;
		struct tcphdr _th;

		th = skb_header_pointer(skb, l4->thoff, sizeof(_th), &_th);
		if (!th)
			return false;
		l4->key.port[0] = th->source;
		l4->key.port[1] = th->dest;
		l4->tcp_flags = tcp_flag_byte(th);
	} else if (iph->protocol == IPPROTO_UDP) {
		const struct udphdr *uh;
		struct udphdr _uh;

		uh = skb_header_pointer(skb, l4->thoff, sizeof(_uh), &_uh);
		if (!uh)
			return false;
		l4->key.port[0] = uh->source;
		l4->key.port[1] = uh->dest;
	}
	return true;
}
EXPORT_SYMBOL_GPL(clickup_l4_parse);
