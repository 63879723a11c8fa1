// SPDX-License-Identifier: GPL-2.0
/*
 * Programs of selftests/bpf.sh, all in one object (so PROGRAM picks one):
 *   by_port   socket filter: TCP dport 80 -> 0, 8080 -> 1, 9090 -> 2,
 *             7777 -> 7 (past the last port), anything else -> 0
 *   xdp_pass  an XDP program: the kernel refuses it ("not a socket filter")
 *   bad_ctx   reads __sk_buff->data, which socket filters may not: the
 *             verifier rejects it
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

SEC("socket")
int by_port(struct __sk_buff *skb)
{
	__u8 vihl, proto;
	__u16 dport;

	if (skb->protocol != bpf_htons(ETH_P_IP) ||
	    bpf_skb_load_bytes(skb, 0, &vihl, 1) ||
	    bpf_skb_load_bytes(skb, 9, &proto, 1) || proto != IPPROTO_TCP ||
	    bpf_skb_load_bytes(skb, (vihl & 0xf) * 4 + 2, &dport, 2))
		return 0;
	switch (bpf_ntohs(dport)) {
	case 8080:
		return 1;
	case 9090:
		return 2;
	case 7777:
		return 7;
	default:
		return 0;
	}
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("socket")
int bad_ctx(struct __sk_buff *skb)
{
	return skb->data != 0;
}

char _license[] SEC("license") = "GPL";
