// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP tracker's window checks: nf_conntrack's tcp_in_window(), after
 * Guido van Rooij's "Real Stateful TCP Packet Filtering in IP Filter"
 * with RFC 793's bounds, per direction:
 *
 *   I.   seq <= sender.td_maxend                    (upper bound, data)
 *   II.  seq + len >= sender.td_end - receiver.td_maxwin (lower bound)
 *   III. sack <= receiver.td_end                    (upper bound, ack)
 *   IV.  sack >= receiver.td_end - MAXACKWINDOW      (lower bound, ack)
 *
 * and the one-way view: with the receiver never seen, only what the
 * sender sent before bounds it (CLICKUP_ONEWAY_WINDOW each way).
 */

#include <net/tcp.h>
#include "internal.h"
#include "state_tcp.h"

/* conntrack's MAXACKWINDOW: how far below td_end an ACK may lag. */
#define MAXACKWINCONST		66000
#define MAXACKWINDOW(s)		max_t(u32, (s)->td_maxwin, MAXACKWINCONST)
/* One-way: how far from what it sent before a sender's seq may be. */
#define CLICKUP_ONEWAY_WINDOW	(16U << 20)

/* The TCP options of @seg, or NULL (none, or unreadable). */
static const u8 *clickup_tcp_opts(const struct clickup_seg *seg, u8 *buf)
{
	if (!seg->optlen)
		return NULL;
	return skb_header_pointer(seg->skb, seg->thoff + sizeof(struct tcphdr),
				  seg->optlen, buf);
}

/* Window scale and SACK-permitted of a SYN (conntrack's tcp_options). */
void clickup_tcp_options(const struct clickup_seg *seg,
				struct clickup_tcp_seen *state)
{
	u8 buf[40];
	const u8 *ptr = clickup_tcp_opts(seg, buf);
	int length = seg->optlen;

	if (!ptr)
		return;
	state->td_scale = 0;
	state->flags &= ~(CLICKUP_TCP_F_WINDOW_SCALE | CLICKUP_TCP_F_SACK_PERM);
	while (length > 0) {
		int opcode = *ptr++, opsize;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;
		if (opcode == TCPOPT_SACK_PERM && opsize == TCPOLEN_SACK_PERM) {
			state->flags |= CLICKUP_TCP_F_SACK_PERM;
		} else if (opcode == TCPOPT_WINDOW && opsize == TCPOLEN_WINDOW) {
			state->td_scale = min_t(u8, *ptr, TCP_MAX_WSCALE);
			state->flags |= CLICKUP_TCP_F_WINDOW_SCALE;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}

/* The highest right edge of the SACK blocks, if above *@sack. */
static void clickup_tcp_sack(const struct clickup_seg *seg, u32 *sack)
{
	u8 buf[40];
	const u8 *ptr = clickup_tcp_opts(seg, buf);
	int length = seg->optlen, i;

	if (!ptr)
		return;
	while (length > 0) {
		int opcode = *ptr++, opsize;

		if (opcode == TCPOPT_EOL)
			return;
		if (opcode == TCPOPT_NOP) {
			length--;
			continue;
		}
		if (length < 2)
			return;
		opsize = *ptr++;
		if (opsize < 2 || opsize > length)
			return;
		if (opcode == TCPOPT_SACK &&
		    opsize >= TCPOLEN_SACK_BASE + TCPOLEN_SACK_PERBLOCK &&
		    !((opsize - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_PERBLOCK)) {
			for (i = 0; i < opsize - TCPOLEN_SACK_BASE;
			     i += TCPOLEN_SACK_PERBLOCK) {
				__be32 edge;
				u32 tmp;

				/* The right edge; options are not aligned. */
				memcpy(&edge, ptr + i + 4, sizeof(edge));
				tmp = ntohl(edge);

				if (after(tmp, *sack))
					*sack = tmp;
			}
			return;
		}
		ptr += opsize - 2;
		length -= opsize;
	}
}

/* A SYN (or SYN/ACK) starts what @sender sends (conntrack's). */
static void clickup_tcp_init_sender(struct clickup_flow *flow, u8 dir,
				    const struct clickup_seg *seg)
{
	struct clickup_tcp_seen *sender = &flow->seen[dir];
	struct clickup_tcp_seen *receiver = &flow->seen[!dir];

	sender->td_end = seg->end;
	sender->td_maxend = seg->end;
	sender->td_maxwin = seg->win ? seg->win : 1;
	clickup_tcp_options(seg, sender);
	/* RFC 1323: scaling only if both sides offered it. */
	if (dir == CLICKUP_DIR_REPLY &&
	    !(sender->flags & CLICKUP_TCP_F_WINDOW_SCALE &&
	      receiver->flags & CLICKUP_TCP_F_WINDOW_SCALE)) {
		sender->td_scale = 0;
		receiver->td_scale = 0;
	}
}

/*
 * conntrack's tcp_in_window(): whether @seg lies in the window of @dir,
 * updating what each side has sent and allows if it does. IGNORE: out of
 * the window in a way a lost packet can explain (state not changed, not
 * counted); INVALID: out of it.
 */
int clickup_tcp_in_window(struct clickup_flow *flow, u8 dir,
				 const struct clickup_seg *seg)
{
	struct clickup_tcp_seen *sender = &flow->seen[dir];
	struct clickup_tcp_seen *receiver = &flow->seen[!dir];
	const struct tcphdr *th = seg->th;
	u32 seq = seg->seq, ack, sack, end = seg->end, win = seg->win, swin;
	bool one_way;

	ack = sack = seg->ack;
	if (receiver->flags & CLICKUP_TCP_F_SACK_PERM)
		clickup_tcp_sack(seg, &sack);

	if (!sender->td_maxwin) {
		if (th->syn) {
			clickup_tcp_init_sender(flow, dir, seg);
			if (!th->ack)	/* simultaneous open */
				return TCP_ACCEPT;
		} else {
			/* Picked up mid-connection: trust this packet. */
			sender->td_end = end;
			swin = win << sender->td_scale;
			sender->td_maxwin = swin ? swin : 1;
			sender->td_maxend = end + sender->td_maxwin;
			if (!receiver->td_maxwin)
				receiver->td_end = receiver->td_maxend = sack;
			else if (sack == receiver->td_end + 1)
				receiver->td_end++;	/* keepalive reply */
		}
	} else if (th->syn && after(end, sender->td_end) &&
		   (flow->state == CLICKUP_FLOW_SYN_SENT ||
		    flow->state == CLICKUP_FLOW_SYN_RECV)) {
		/* RFC 793: a reinitialised TCP uses higher numbers. */
		clickup_tcp_init_sender(flow, dir, seg);
		if (dir == CLICKUP_DIR_REPLY && !th->ack)
			return TCP_ACCEPT;
	}

	/*
	 * One-way: the receiver was never seen (its window, its sequence
	 * numbers, so the ACKs of this side, are unknown). Check what this
	 * side sends against what it sent before, and no more.
	 */
	one_way = !receiver->td_maxwin;
	if (one_way) {
		if (th->rst && seq == 0 && flow->state == CLICKUP_FLOW_SYN_SENT)
			return TCP_ACCEPT;
		if (after(seq, sender->td_end + CLICKUP_ONEWAY_WINDOW) ||
		    before(end, sender->td_end - CLICKUP_ONEWAY_WINDOW))
			return TCP_INVALID;
		if (after(end, sender->td_end))
			sender->td_end = end;
		return TCP_ACCEPT;
	}

	if (!th->ack) {
		ack = sack = receiver->td_end;
	} else if (th->rst && !ack) {
		/* Broken stacks: RST with ACK set and a zero ack. */
		ack = sack = receiver->td_end;
	}
	if (th->rst && seq == 0 && flow->state == CLICKUP_FLOW_SYN_SENT)
		seq = end = sender->td_end;	/* RST answering a SYN */

	/* I. Upper bound for valid data: seq <= sender.td_maxend */
	if (!before(seq, sender->td_maxend + 1)) {
		u32 overshot = end - sender->td_maxend + 1;

		/* A sender that overshoots the window: let its ACK sync. */
		if (receiver->td_maxwin &&
		    after(end, sender->td_end - receiver->td_maxwin - 1) &&
		    after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1) &&
		    overshot <= receiver->td_maxwin &&
		    before(sack, receiver->td_end + 1)) {
			sender->td_end = end;
			sender->flags |= CLICKUP_TCP_F_UNACKED;
			return TCP_IGNORE;
		}
		return TCP_INVALID;
	}
	/* III. Upper bound for valid (s)ack: sack <= receiver.td_end */
	if (!before(sack, receiver->td_end + 1))
		return TCP_INVALID;
	/* II. Lower bound for valid data, IV. for valid (s)ack. */
	if (!after(end, sender->td_end - receiver->td_maxwin - 1) ||
	    !after(sack, receiver->td_end - MAXACKWINDOW(sender) - 1))
		return TCP_IGNORE;

	if (!th->syn)
		win <<= sender->td_scale;
	swin = win + (sack - ack);
	if (sender->td_maxwin < swin)
		sender->td_maxwin = swin;
	if (after(end, sender->td_end)) {
		sender->td_end = end;
		sender->flags |= CLICKUP_TCP_F_UNACKED;
	}
	if (th->ack) {
		if (!(sender->flags & CLICKUP_TCP_F_MAXACK_SET) ||
		    after(ack, sender->td_maxack)) {
			sender->td_maxack = ack;
			sender->flags |= CLICKUP_TCP_F_MAXACK_SET;
		}
	}
	if (receiver->td_maxwin && after(end, sender->td_maxend))
		receiver->td_maxwin += end - sender->td_maxend;
	if (after(sack + win, receiver->td_maxend - 1)) {
		receiver->td_maxend = sack + win;
		if (!win)
			receiver->td_maxend++;
	}
	if (ack == receiver->td_end)
		receiver->flags &= ~CLICKUP_TCP_F_UNACKED;
	if (seg->index == TCP_ACK_SET)
		flow->last_end = end;
	return TCP_ACCEPT;
}

