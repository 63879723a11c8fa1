// SPDX-License-Identifier: GPL-2.0
/*
 * A TCP port classifier for the bpf atom (docs/atoms.md): a plain socket
 * filter program. It returns 1 (the atom's output 1) for IPv4 TCP segments
 * to destination port PORT (8080 unless built with -DPORT=N), 0 for
 * everything else. Like every socket filter run by the bpf atom it sees
 * the packet from its IPv4 header: offset 0 is the IP version byte.
 *
 *   clang -O2 -g -target bpf -c tcp_port.c -o tcp_port.o
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef PORT
#define PORT 8080
#endif

SEC("socket")
int tcp_port(struct __sk_buff *skb)
{
	__u8 vihl, proto;
	__u16 frag, dport;

	if (skb->protocol != bpf_htons(ETH_P_IP))
		return 0;
	if (bpf_skb_load_bytes(skb, 0, &vihl, 1) ||
	    bpf_skb_load_bytes(skb, 9, &proto, 1) ||
	    bpf_skb_load_bytes(skb, 6, &frag, 2))
		return 0;
	/* TCP, and the first fragment (the only one with the ports) */
	if (proto != IPPROTO_TCP || (frag & bpf_htons(0x1fff)))
		return 0;
	if (bpf_skb_load_bytes(skb, (vihl & 0xf) * 4 + 2, &dport, 2))
		return 0;
	return dport == bpf_htons(PORT);
}

char _license[] SEC("license") = "GPL";
