// SPDX-License-Identifier: GPL-2.0
/*
 * TCP tracking of a flow, after nf_conntrack_proto_tcp.c: a state machine
 * driven by a table of (direction, flag set, state) -> new state, and
 * tcp_in_window()'s sequence and window checks per direction
 * (state_tcp_win.c). A packet outside the window, or illegal in its
 * state, changes nothing and is reported INVALID.
 *
 * What differs from conntrack: no NAT sequence offsets, no synproxy and no
 * retransmission counter; and the one-way view. An element that sees
 * only the ORIGINAL direction (the seed's firewall) never sees the
 * receiver's window or sequence numbers, so for a flow whose REPLY side
 * was never seen the checks that need them are skipped: the sender's own
 * sequence numbers are still checked against what it sent before (within
 * CLICKUP_ONEWAY_WINDOW), and the handshake's ACK (sequence number right
 * after the SYN's) establishes the flow without a SYN/ACK, unassured.
 */

#include <net/tcp.h>
#include "internal.h"
#include "state_tcp.h"

#define sNO CLICKUP_FLOW_NONE
#define sSS CLICKUP_FLOW_SYN_SENT
#define sSR CLICKUP_FLOW_SYN_RECV
#define sES CLICKUP_FLOW_ESTABLISHED
#define sFW CLICKUP_FLOW_FIN_WAIT
#define sCW CLICKUP_FLOW_CLOSE_WAIT
#define sLA CLICKUP_FLOW_LAST_ACK
#define sTW CLICKUP_FLOW_TIME_WAIT
#define sCL CLICKUP_FLOW_CLOSE
#define sS2 CLICKUP_FLOW_SYN_SENT2
#define sIV __CLICKUP_FLOW_MAX		/* invalid */
#define sIG (__CLICKUP_FLOW_MAX + 1)	/* ignored: may be out of sync */

/*
 * nf_conntrack's tcp_conntracks[][][] (its comments explain each entry),
 * with the columns in this module's state numbering, which keeps the
 * save file's version 1 values: sNO sSS sSR sES sFW sTW sCL (GENERIC) sCW
 * sLA sS2. GENERIC is not a TCP state: every packet is invalid there.
 */
static const u8 clickup_tcp_states[CLICKUP_DIR_MAX][TCP_SETS][__CLICKUP_FLOW_MAX] = {
	[CLICKUP_DIR_ORIGINAL] = {
/*		     sNO  sSS  sSR  sES  sFW  sTW  sCL  gen  sCW  sLA  sS2 */
/* syn */	   { sSS, sSS, sIG, sIG, sIG, sSS, sSS, sIV, sIG, sIG, sS2 },
/* synack */	   { sIV, sIV, sSR, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sSR },
/* fin */	   { sIV, sIV, sFW, sFW, sLA, sTW, sCL, sIV, sLA, sLA, sIV },
/* ack */	   { sES, sIV, sES, sES, sCW, sTW, sCL, sIV, sCW, sTW, sIV },
/* rst */	   { sIV, sCL, sCL, sCL, sCL, sCL, sCL, sIV, sCL, sCL, sCL },
/* none */	   { sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
	[CLICKUP_DIR_REPLY] = {
/*		     sNO  sSS  sSR  sES  sFW  sTW  sCL  gen  sCW  sLA  sS2 */
/* syn */	   { sIV, sS2, sIV, sIV, sIV, sSS, sIV, sIV, sIV, sIV, sS2 },
/* synack */	   { sIV, sSR, sIG, sIG, sIG, sIG, sIG, sIV, sIG, sIG, sSR },
/* fin */	   { sIV, sIV, sFW, sFW, sLA, sTW, sCL, sIV, sLA, sLA, sIV },
/* ack */	   { sIV, sIG, sSR, sES, sCW, sTW, sCL, sIV, sCW, sTW, sIG },
/* rst */	   { sIV, sCL, sCL, sCL, sCL, sCL, sCL, sIV, sCL, sCL, sCL },
/* none */	   { sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV, sIV },
	},
};

/* Valid flag combinations (PSH, ECE, CWR always are), as conntrack's. */
static const u8 clickup_tcp_valid_flags[(TCPHDR_FIN | TCPHDR_SYN | TCPHDR_RST |
					 TCPHDR_ACK | TCPHDR_URG) + 1] = {
	[TCPHDR_SYN]				= 1,
	[TCPHDR_SYN | TCPHDR_URG]		= 1,
	[TCPHDR_SYN | TCPHDR_ACK]		= 1,
	[TCPHDR_RST]				= 1,
	[TCPHDR_RST | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK]		= 1,
	[TCPHDR_FIN | TCPHDR_ACK | TCPHDR_URG]	= 1,
	[TCPHDR_ACK]				= 1,
	[TCPHDR_ACK | TCPHDR_URG]		= 1,
};

/* Internal last_flags: an ignored SYN's options, and conntrack's bits. */
#define LAST_F_WSCALE		BIT(0)
#define LAST_F_SACK_PERM	BIT(1)
#define LAST_F_CHALLENGE_ACK	BIT(2)	/* a SYN in LAST_ACK was ignored */
#define LAST_F_SIMULTANEOUS	BIT(3)	/* simultaneous open seen */

static unsigned int clickup_tcp_index(const struct tcphdr *th)
{
	if (th->rst)
		return TCP_RST_SET;
	if (th->syn)
		return th->ack ? TCP_SYNACK_SET : TCP_SYN_SET;
	if (th->fin)
		return TCP_FIN_SET;
	if (th->ack)
		return TCP_ACK_SET;
	return TCP_NONE_SET;
}

static void clickup_set_last(struct clickup_flow *flow, u8 dir,
			     unsigned int index)
{
	flow->last = dir << 3 | index;
}

static u8 clickup_last_dir(const struct clickup_flow *flow)
{
	return flow->last >> 3;
}

static unsigned int clickup_last_index(const struct clickup_flow *flow)
{
	return flow->last & 7;
}

/* A flow's first packet, of the ORIGINAL direction (conntrack's tcp_new). */
static bool clickup_tcp_new(struct clickup_flow *flow,
			    const struct clickup_seg *seg)
{
	struct clickup_tcp_seen *s = &flow->seen[CLICKUP_DIR_ORIGINAL];
	u8 next = clickup_tcp_states[0][seg->index][CLICKUP_FLOW_NONE];

	if (next >= __CLICKUP_FLOW_MAX)
		return false;
	memset(flow->seen, 0, sizeof(flow->seen));
	s->td_end = seg->end;
	s->td_maxwin = seg->win ? seg->win : 1;
	if (next == CLICKUP_FLOW_SYN_SENT) {
		s->td_maxend = s->td_end;
		clickup_tcp_options(seg, s);
	} else {
		/* Picked up mid-connection (conntrack's tcp_loose). */
		s->td_maxend = s->td_end + s->td_maxwin;
		s->flags = CLICKUP_TCP_F_SACK_PERM;
		flow->seen[1].flags = CLICKUP_TCP_F_SACK_PERM;
	}
	flow->last = TCP_NONE_SET;
	flow->last_flags = 0;
	return true;
}

/*
 * conntrack's handling of an "ignored" packet: it passes, the state does
 * not change, and it is remembered so that the answer to it can bring the
 * flow back in sync (a SYN of a new connection the flow's state missed).
 */
static void clickup_tcp_ignore(struct clickup_flow *flow, u8 dir,
			       const struct clickup_seg *seg, u8 old)
{
	clickup_set_last(flow, dir, seg->index);
	flow->last_end = seg->end;
	flow->last_win = seg->win;
	if (seg->index == TCP_SYN_SET && dir == CLICKUP_DIR_ORIGINAL) {
		struct clickup_tcp_seen seen = {};

		clickup_tcp_options(seg, &seen);
		flow->last_flags = 0;
		flow->last_wscale = 0;
		if (seen.flags & CLICKUP_TCP_F_WINDOW_SCALE) {
			flow->last_flags |= LAST_F_WSCALE;
			flow->last_wscale = seen.td_scale;
		}
		if (seen.flags & CLICKUP_TCP_F_SACK_PERM)
			flow->last_flags |= LAST_F_SACK_PERM;
		/* RFC 5961: its challenge ACK must not end LAST_ACK. */
		if (old == CLICKUP_FLOW_LAST_ACK)
			flow->last_flags |= LAST_F_CHALLENGE_ACK;
	}
}

/* A SYN/ACK answering a SYN that was ignored: take that SYN as the start. */
static bool clickup_tcp_resync(struct clickup_flow *flow, u8 dir,
			       const struct clickup_seg *seg)
{
	u8 ldir = clickup_last_dir(flow);
	struct clickup_tcp_seen *s = &flow->seen[ldir];

	if (seg->index != TCP_SYNACK_SET ||
	    clickup_last_index(flow) != TCP_SYN_SET || ldir == dir ||
	    seg->ack != flow->last_end)
		return false;
	s->td_end = flow->last_end;
	s->td_maxend = flow->last_end;
	s->td_maxwin = flow->last_win ? flow->last_win : 1;
	s->td_scale = flow->last_wscale;
	s->flags = (flow->last_flags & LAST_F_WSCALE ?
		    CLICKUP_TCP_F_WINDOW_SCALE : 0) |
		   (flow->last_flags & LAST_F_SACK_PERM ?
		    CLICKUP_TCP_F_SACK_PERM : 0);
	flow->last_flags &= ~LAST_F_CHALLENGE_ACK;
	memset(&flow->seen[dir], 0, sizeof(flow->seen[dir]));
	return true;
}

/* A SYN in ORIGINAL reopens a closed flow in place (RFC 1122). */
static void clickup_tcp_reopen(struct clickup_flow *flow)
{
	memset(flow->seen, 0, sizeof(flow->seen));
	flow->status &= ~(CLICKUP_FLOW_ASSURED | CLICKUP_FLOW_SEEN_REPLY);
	flow->state = CLICKUP_FLOW_NONE;
}

/*
 * conntrack's RST checks (its TCP_CONNTRACK_CLOSE case): RFC 5961 wants a
 * RST to end a connection only if its seq is exactly the next one
 * expected; one in the window but not exact passes without changing the
 * state (the receiver answers with a challenge ACK). Returns the new
 * state, or sIV; *skip_window when the window check is to be skipped.
 */
static u8 clickup_tcp_rst(struct clickup_flow *flow, u8 dir,
			  const struct clickup_seg *seg, u8 old, u8 next,
			  bool *skip_window)
{
	const struct clickup_tcp_seen *peer = &flow->seen[!dir];
	bool established = old == CLICKUP_FLOW_ESTABLISHED;
	unsigned int lindex = clickup_last_index(flow);
	u8 ldir = clickup_last_dir(flow);

	switch (old) {
	case CLICKUP_FLOW_FIN_WAIT:
	case CLICKUP_FLOW_CLOSE_WAIT:
	case CLICKUP_FLOW_LAST_ACK:
	case CLICKUP_FLOW_TIME_WAIT:
	case CLICKUP_FLOW_CLOSE:
		*skip_window = true;	/* closing: may be reused already */
		return next;
	}
	/* One-way: only the exact next seq of this side ends the flow. */
	if (!peer->td_maxwin)
		return seg->seq == flow->seen[dir].td_end ? next : old;
	if ((peer->flags & CLICKUP_TCP_F_MAXACK_SET) && lindex != TCP_SYN_SET) {
		if (seg->seq == 0 && !established)
			return next;
		if (before(seg->seq, peer->td_maxack))
			return sIV;
		if (!established || seg->seq == peer->td_maxack)
			return next;
		/* Part of a train: data, then a RST at its end. */
		if (lindex == TCP_ACK_SET && ldir == dir &&
		    seg->seq == flow->last_end)
			return next;
		next = old;	/* in window, not exact: keep the state */
	}
	if ((((flow->status & CLICKUP_FLOW_SEEN_REPLY) &&
	      lindex == TCP_SYN_SET && ldir != dir) ||
	     (!(flow->status & CLICKUP_FLOW_ASSURED) && lindex == TCP_ACK_SET)) &&
	    seg->ack == flow->last_end)
		*skip_window = true;	/* answers a packet we let through */
	return next;
}

/* The timeout of @next after an accepted segment, in seconds. */
static u32 clickup_tcp_timeout(const struct clickup_table *table,
			       const struct clickup_flow *flow,
			       const struct clickup_seg *seg, u8 next)
{
	const u32 *to = table->timeouts;
	u32 t = clickup_flow_timeout_secs(table, flow, next);
	u32 unack = READ_ONCE(to[CLICKUP_TIMEOUT_A_TCP_UNACK]);

	if (seg->index == TCP_RST_SET)
		return READ_ONCE(to[CLICKUP_TIMEOUT_A_TCP_CLOSE]);
	if (((flow->seen[0].flags | flow->seen[1].flags) &
	     CLICKUP_TCP_F_UNACKED) && t > unack)
		return unack;
	return t;
}

/* Under flow->lock; the packet is TCP with a whole header. */
static int clickup_tcp_step(struct clickup_table *table,
			    struct clickup_flow *flow,
			    const struct clickup_seg *seg, u8 dir)
{
	bool skip_window = false, seen_reply, changed;
	u8 old, next;
	int res;
	u32 t;

	if (flow->state == CLICKUP_FLOW_NONE) {
		if (dir != CLICKUP_DIR_ORIGINAL || !clickup_tcp_new(flow, seg))
			return CLICKUP_TRACK_INVALID;
	}
	old = flow->state;
	next = clickup_tcp_states[dir][seg->index][old];

	switch (next) {
	case sSS:
		if (old != CLICKUP_FLOW_TIME_WAIT && old != CLICKUP_FLOW_CLOSE)
			break;
		if (dir == CLICKUP_DIR_REPLY) {
			/* The server reopens in its own name: a new flow. */
			clickup_flow_remove(table, flow);
			return CLICKUP_TRACK_INVALID;
		}
		clickup_tcp_reopen(flow);
		if (!clickup_tcp_new(flow, seg))
			return CLICKUP_TRACK_INVALID;
		old = CLICKUP_FLOW_NONE;
		break;
	case sIG:
		/* One-way: a new SYN of the originator starts over. */
		if (seg->index == TCP_SYN_SET && dir == CLICKUP_DIR_ORIGINAL &&
		    !(flow->status & CLICKUP_FLOW_SEEN_REPLY)) {
			clickup_tcp_reopen(flow);
			if (!clickup_tcp_new(flow, seg))
				return CLICKUP_TRACK_INVALID;
			old = CLICKUP_FLOW_NONE;
			next = CLICKUP_FLOW_SYN_SENT;
			break;
		}
		if (clickup_tcp_resync(flow, dir, seg)) {
			old = CLICKUP_FLOW_SYN_SENT;
			next = CLICKUP_FLOW_SYN_RECV;
			break;
		}
		clickup_tcp_ignore(flow, dir, seg, old);
		goto seen;
	case sIV:
		/* One-way: the handshake's ACK, right after the SYN. */
		if (old == CLICKUP_FLOW_SYN_SENT && dir == CLICKUP_DIR_ORIGINAL &&
		    seg->index == TCP_ACK_SET && !flow->seen[1].td_maxwin &&
		    !(flow->status & CLICKUP_FLOW_SEEN_REPLY) &&
		    seg->seq == flow->seen[0].td_end) {
			next = CLICKUP_FLOW_ESTABLISHED;
			break;
		}
		return CLICKUP_TRACK_INVALID;
	case sTW:
		/* RFC 5961: a challenge ACK to an ignored SYN is not the
		 * last ACK.
		 */
		if (old == CLICKUP_FLOW_LAST_ACK && seg->index == TCP_ACK_SET &&
		    clickup_last_dir(flow) != dir &&
		    clickup_last_index(flow) == TCP_SYN_SET &&
		    (flow->last_flags & LAST_F_CHALLENGE_ACK)) {
			flow->last_flags &= ~LAST_F_CHALLENGE_ACK;
			return CLICKUP_TRACK_OK;
		}
		break;
	case sS2:
		flow->last_flags |= LAST_F_SIMULTANEOUS;
		break;
	case sSR:
		if (dir == CLICKUP_DIR_REPLY && seg->index == TCP_ACK_SET &&
		    (flow->last_flags & LAST_F_SIMULTANEOUS))
			next = CLICKUP_FLOW_ESTABLISHED;
		break;
	case sCL:
		if (seg->index == TCP_RST_SET)
			next = clickup_tcp_rst(flow, dir, seg, old, next,
					       &skip_window);
		if (next == sIV)
			return CLICKUP_TRACK_INVALID;
		break;
	}

	if (!skip_window) {
		res = clickup_tcp_in_window(flow, dir, seg);
		if (res == TCP_INVALID)
			return CLICKUP_TRACK_INVALID;
		if (res == TCP_IGNORE)
			return CLICKUP_TRACK_OK;
	}
	clickup_set_last(flow, dir, seg->index);
	changed = old != next;
	WRITE_ONCE(flow->state, next);
	if (changed && next == CLICKUP_FLOW_FIN_WAIT)
		flow->seen[dir].flags |= CLICKUP_TCP_F_CLOSE_INIT;
	t = clickup_tcp_timeout(table, flow, seg, next);

	seen_reply = flow->status & CLICKUP_FLOW_SEEN_REPLY;
	if (!seen_reply) {
		/* A RST and no answer: no connection (conntrack kills it). */
		if (seg->th->rst) {
			clickup_flow_remove(table, flow);
			return CLICKUP_TRACK_OK;
		}
		/* A retransmitted SYN does not renew the timeout, so that
		 * retries never keep a flow alive.
		 */
		if (seg->index == TCP_SYN_SET && old == CLICKUP_FLOW_SYN_SENT)
			goto seen;
		if (next == CLICKUP_FLOW_ESTABLISHED)
			t = min(t, READ_ONCE(table->timeouts[CLICKUP_TIMEOUT_A_TCP_UNACK]));
	} else if (!(flow->status & CLICKUP_FLOW_ASSURED) &&
		   (old == CLICKUP_FLOW_SYN_RECV ||
		    old == CLICKUP_FLOW_ESTABLISHED) &&
		   next == CLICKUP_FLOW_ESTABLISHED) {
		/* The handshake completed (or a picked-up flow answered). */
		WRITE_ONCE(flow->status, flow->status | CLICKUP_FLOW_ASSURED);
	}
	clickup_flow_expire_in(flow, t, changed);
seen:
	if (dir == CLICKUP_DIR_REPLY && !(flow->status & CLICKUP_FLOW_SEEN_REPLY))
		WRITE_ONCE(flow->status, flow->status | CLICKUP_FLOW_SEEN_REPLY);
	return CLICKUP_TRACK_OK;
}

/**
 * clickup_tcp_track - run one TCP segment through its flow's tracker
 * @table: the flow's table
 * @flow: the flow @l4 matched
 * @skb: the packet
 * @l4: its parsed headers (clickup_l4_parse)
 * @dir: the direction it matched (enum clickup_dir)
 *
 * Return: CLICKUP_TRACK_OK or CLICKUP_TRACK_INVALID (truncated, bad flags,
 * out of window or illegal in its state; nothing changed).
 */
int clickup_tcp_track(struct clickup_table *table, struct clickup_flow *flow,
		      const struct sk_buff *skb, const struct clickup_l4 *l4,
		      u8 dir)
{
	struct clickup_seg seg;
	struct tcphdr _th;
	unsigned int doff;
	int ret;

	seg.th = skb_header_pointer(skb, l4->thoff, sizeof(_th), &_th);
	if (!seg.th)
		return CLICKUP_TRACK_INVALID;
	doff = seg.th->doff * 4;
	if (doff < sizeof(struct tcphdr) || l4->end < l4->thoff + doff ||
	    !clickup_tcp_valid_flags[tcp_flag_byte(seg.th) &
				     ~(TCPHDR_ECE | TCPHDR_CWR | TCPHDR_PSH)])
		return CLICKUP_TRACK_INVALID;
	seg.skb = skb;
	seg.thoff = l4->thoff;
	seg.optlen = doff - sizeof(struct tcphdr);
	seg.seq = ntohl(seg.th->seq);
	seg.ack = ntohl(seg.th->ack_seq);
	seg.win = ntohs(seg.th->window);
	seg.end = seg.seq + (l4->end - l4->thoff - doff) + seg.th->syn +
		  seg.th->fin;
	seg.index = clickup_tcp_index(seg.th);

	spin_lock(&flow->lock);
	ret = clickup_tcp_step(table, flow, &seg, dir);
	spin_unlock(&flow->lock);
	return ret;
}
