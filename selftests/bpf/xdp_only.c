// SPDX-License-Identifier: GPL-2.0
/* An object with no socket filter program (selftests/bpf.sh). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_only(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
