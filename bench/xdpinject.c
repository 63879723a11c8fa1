// SPDX-License-Identifier: GPL-2.0
/*
 * xdpinject: feed one Ethernet frame REPEAT times into the receive path of
 * a device, from inside the kernel, and print the kernel's time per packet.
 *
 *   xdpinject IFNAME HEXFRAME REPEAT [BATCH [CHUNKS]]
 *
 * BPF_PROG_RUN of an XDP program in live-frame mode (Linux >= 5.18,
 * BPF_F_TEST_XDP_LIVE_FRAMES): the kernel runs the program on a fresh
 * copy of the frame and, on XDP_PASS, hands batches of them to
 * netif_receive_skb_list() as if IFNAME had received them: the netdev
 * ingress hook, the bridge, a CLICK-UP element's whole path and the
 * transmit to the next device all run in that call, with no user space
 * and no TCP stack in the loop. The reported duration is the kernel's
 * (ktime around the batches, softirqs raised by them included) divided
 * by REPEAT. pktgen's netif_receive mode does the same for UDP only;
 * this takes any frame (TCP of an established flow, here).
 *
 * Pages of the frame are recycled without being rewritten, so an element
 * that rewrites packets (NAT) would see its own output again: the program
 * writes the original frame back first (8 bytes a store, the frame length
 * a multiple of 8), a constant cost for every configuration.
 *
 * With CHUNKS, the REPEAT packets go in CHUNKS runs of their own, and
 * the figures of every run are printed with their 10th percentile: on a
 * loaded host the emulated CPU is descheduled now and then, which only
 * ever adds time, and a short run (a few batches) often has none of it;
 * the low percentile of many short runs is the cost without the host.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>

#define MAX_FRAME 256
#define MAX_INSNS (8 + 3 * MAX_FRAME / 8)

static struct bpf_insn insn(__u8 code, __u8 dst, __u8 src, __s16 off, __s32 imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src,
			      .off = off, .imm = imm };
	return i;
}

/* r2 = data, r3 = data_end; if the frame fits, store it; return act. */
static int build_prog(struct bpf_insn *p, const unsigned char *frame, int len,
		      int act)
{
	int n = 0, words = len / 8;

	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct xdp_md, data), 0);
	p[n++] = insn(BPF_LDX | BPF_W | BPF_MEM, 3, 1, offsetof(struct xdp_md, data_end), 0);
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_X, 4, 2, 0, 0);
	p[n++] = insn(BPF_ALU64 | BPF_ADD | BPF_K, 4, 0, 0, len);
	p[n++] = insn(BPF_JMP | BPF_JGT | BPF_X, 4, 3, (__s16)(3 * words), 0);
	for (int w = 0; w < words; w++) {
		__u64 v;

		memcpy(&v, frame + 8 * w, 8);
		p[n++] = insn(BPF_LD | BPF_DW | BPF_IMM, 5, 0, 0, (__s32)(__u32)v);
		p[n++] = insn(0, 0, 0, 0, (__s32)(__u32)(v >> 32));
		p[n++] = insn(BPF_STX | BPF_DW | BPF_MEM, 2, 5, (__s16)(8 * w), 0);
	}
	p[n++] = insn(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, act);
	p[n++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return n;
}

static int unhex(const char *s, unsigned char *out, int max)
{
	int n = 0;

	while (s[0] && s[1]) {
		unsigned int b;

		if (n == max || sscanf(s, "%2x", &b) != 1)
			return -1;
		out[n++] = (unsigned char)b;
		s += 2;
	}
	return *s ? -1 : n;
}

static int load(struct bpf_insn *prog, int n)
{
	char log[4096] = "";
	LIBBPF_OPTS(bpf_prog_load_opts, lopts, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 1);
	int fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "xdpinject", "GPL", prog, n, &lopts);

	if (fd < 0)
		fprintf(stderr, "xdpinject: load: %s\n%s", strerror(errno), log);
	return fd;
}

/* One BPF_PROG_RUN of repeat frames; the kernel's ns per frame, or -1. */
static long run(int fd, unsigned char *frame, int len, unsigned int ifindex,
		unsigned long repeat, __u32 batch)
{
	struct xdp_md ctx = { .data_end = (__u32)len, .ingress_ifindex = ifindex };
	LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = frame,
		    .data_size_in = (__u32)len, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = (int)repeat,
		    .batch_size = batch, .flags = BPF_F_TEST_XDP_LIVE_FRAMES);

	if (bpf_prog_test_run_opts(fd, &topts)) {
		fprintf(stderr, "xdpinject: run: %s\n", strerror(errno));
		return -1;
	}
	return topts.duration;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned char frame[MAX_FRAME];
	struct bpf_insn prog[MAX_INSNS];
	unsigned long repeat, chunks = 0, each;
	unsigned int ifindex;
	int len, n, fd;
	__u32 batch = 64;
	long t, *v;

	if (argc < 4 || argc > 6) {
		fprintf(stderr, "usage: xdpinject IFNAME HEXFRAME REPEAT [BATCH [CHUNKS]]\n");
		return 1;
	}
	ifindex = if_nametoindex(argv[1]);
	len = unhex(argv[2], frame, MAX_FRAME);
	repeat = strtoul(argv[3], NULL, 0);
	if (argc > 4)
		batch = (__u32)strtoul(argv[4], NULL, 0);
	if (argc > 5)
		chunks = strtoul(argv[5], NULL, 0);
	if (!ifindex || len < 14 || len % 8 || !repeat || repeat > 0x7fffffffUL ||
	    (chunks && (repeat / chunks == 0 || chunks > 100000))) {
		fprintf(stderr, "xdpinject: bad device, frame (14..%d bytes, a multiple of 8) or count\n",
			MAX_FRAME);
		return 1;
	}
	n = build_prog(prog, frame, len, XDP_PASS);
	fd = load(prog, n);
	if (fd < 0)
		return 1;
	if (!chunks) {
		t = run(fd, frame, len, ifindex, repeat, batch);
		if (t < 0)
			return 1;
		printf("{\"ns_per_packet\": %ld, \"repeat\": %lu, \"batch\": %u, \"len\": %d}\n",
		       t, repeat, batch, len);
		return 0;
	}
	each = repeat / chunks;
	v = calloc(chunks, sizeof(*v));
	if (!v)
		return 1;
	for (unsigned long i = 0; i < chunks; i++) {
		v[i] = run(fd, frame, len, ifindex, each, batch);
		if (v[i] < 0)
			return 1;
	}
	printf("{\"repeat\": %lu, \"each\": %lu, \"batch\": %u, \"len\": %d, \"chunks\": [",
	       each * chunks, each, batch, len);
	for (unsigned long i = 0; i < chunks; i++)
		printf("%s%ld", i ? ", " : "", v[i]);
	qsort(v, chunks, sizeof(*v), cmp_long);
	printf("], \"ns_per_packet\": %ld, \"min\": %ld, \"median\": %ld}\n",
	       v[chunks / 10], v[0], v[chunks / 2]);
	free(v);
	return 0;
}
