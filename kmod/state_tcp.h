/* SPDX-License-Identifier: GPL-2.0 */
/* The TCP tracker's pieces shared by state_tcp.c and state_tcp_win.c. */
#ifndef _CLICKUP_STATE_TCP_H
#define _CLICKUP_STATE_TCP_H

#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/clickup.h>

/* Flag sets, nf_conntrack's tcp_bit_set. */
enum {
	TCP_SYN_SET,
	TCP_SYNACK_SET,
	TCP_FIN_SET,
	TCP_ACK_SET,
	TCP_RST_SET,
	TCP_NONE_SET,
	TCP_SETS
};

/* The facts of one segment the tracker needs. */
struct clickup_seg {
	const struct sk_buff	*skb;
	unsigned int		thoff;
	unsigned int		optlen;
	const struct tcphdr	*th;
	u32			seq, ack, end;
	u16			win;
	unsigned int		index;
};

/* clickup_tcp_in_window() verdicts, conntrack's nf_ct_tcp_action. */
enum { TCP_ACCEPT, TCP_IGNORE, TCP_INVALID };

void clickup_tcp_options(const struct clickup_seg *seg,
			 struct clickup_tcp_seen *state);
int clickup_tcp_in_window(struct clickup_flow *flow, u8 dir,
			  const struct clickup_seg *seg);

#endif /* _CLICKUP_STATE_TCP_H */
