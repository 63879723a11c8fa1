// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: random and mutated Ethernet frames into a device, for the
 * atoms behind a fromdevice entry (selftests/fuzz/pkt_fuzz.sh).
 *
 *   pktfuzz -i DEV [-i DEV...] [--seed N] [-n COUNT] [-t SECONDS]
 *           [--mtu M] [--hex FROM]
 *
 * Frames come in classes (valid TCP/UDP/ICMP to keep state tables and
 * NAT mappings busy, then every way a header can be wrong); the class
 * and the frame depend on the seed only, so `--seed N --hex I -n I+1`
 * prints frame I again. Prints frames sent per class. AF_PACKET sends
 * what it is given: the kernel receive path (veth, netdev ingress, the
 * atoms) sees it as is.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#define FRAME_MAX	70000

enum cls {
	C_TCP, C_UDP, C_ICMP, C_RANDOM, C_TRUNC, C_IPOPT, C_FRAG, C_VLAN,
	C_QINQ, C_BADSUM, C_ZEROPAY, C_MINMAX, C_BADHDR, C_IPV6, C_ARP,
	C_FLIP, C_MAX
};

static const char *const cls_name[C_MAX] = {
	"tcp", "udp", "icmp", "random", "truncated", "ip-options",
	"fragment", "vlan", "qinq", "bad-checksum", "zero-payload",
	"min-max-size", "bad-ihl-len-doff", "ipv6-ext", "arp", "byte-flip",
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static uint32_t rndn(uint32_t n) { return n ? (uint32_t)(rnd() % n) : 0; }
static bool chance(uint32_t pct) { return rndn(100) < pct; }

static unsigned int mtu = 1500;

static uint16_t csum_add(uint32_t s, const uint8_t *p, size_t n)
{
	while (n > 1) {
		s += (uint32_t)(p[0] << 8 | p[1]);
		p += 2;
		n -= 2;
	}
	if (n)
		s += (uint32_t)p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static uint16_t csum(const uint8_t *p, size_t n)
{
	return (uint16_t)~csum_add(0, p, n);
}

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v & 0xff; }

static size_t eth(uint8_t *f, uint16_t type)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, type);
	return 14;
}

/* A few hosts and ports, so flows repeat and tables and NAT get hits. */
static uint32_t host(bool server)
{
	if (!server)
		return 0x0a000001 + rndn(4);
	return chance(20) ? 0x0a0000fe : 0x0a000002 + rndn(4);
}

static size_t l4(uint8_t *p, uint8_t proto, size_t paylen, uint32_t sa,
		 uint32_t da)
{
	static const uint8_t flags[] = { 0x02, 0x12, 0x10, 0x11, 0x04, 0x18,
					 0x14, 0x01, 0x00, 0x3f };
	uint8_t ph[12];
	size_t n;

	switch (proto) {
	case 6:
		memset(p, 0, 20);
		put16(p, (uint16_t)(chance(50) ? 1000 + rndn(8) : 80));
		put16(p + 2, (uint16_t)(chance(50) ? 80 : 20000 + rndn(100)));
		p[4] = (uint8_t)rnd();
		p[12] = 5 << 4;
		p[13] = flags[rndn(sizeof(flags))];
		put16(p + 14, 65535);
		n = 20;
		break;
	case 17:
		put16(p, (uint16_t)(1000 + rndn(8)));
		put16(p + 2, chance(50) ? 53 : (uint16_t)(20000 + rndn(100)));
		put16(p + 4, (uint16_t)(8 + paylen));
		put16(p + 6, 0);
		n = 8;
		break;
	case 1:
		p[0] = chance(50) ? 8 : (uint8_t)rndn(20);
		p[1] = 0;
		put16(p + 2, 0);
		put16(p + 4, 1);
		put16(p + 6, 1);
		n = 8;
		break;
	default:
		n = 0;
	}
	memset(p + n, 0xab, paylen);
	if (proto == 6 || proto == 17) {
		uint32_t s;

		sa = htonl(sa);
		da = htonl(da);
		memcpy(ph, &sa, 4);
		memcpy(ph + 4, &da, 4);
		ph[8] = 0;
		ph[9] = proto;
		put16(ph + 10, (uint16_t)(n + paylen));
		s = csum_add(0, ph, 12);
		put16(p + (proto == 6 ? 16 : 6),
		      (uint16_t)~csum_add(s, p, n + paylen));
	} else if (proto == 1) {
		put16(p + 2, csum(p, n + paylen));
	}
	return n + paylen;
}

/* IPv4 header with optl bytes of options (NOP-padded), then L4. */
static size_t ipv4(uint8_t *p, uint8_t proto, size_t paylen, size_t optl,
		   uint16_t frag)
{
	uint32_t sa = host(false), da = host(true);
	size_t hl = 20 + ((optl + 3) & ~3u), n;

	if (chance(50)) {	/* a reply: server to client */
		uint32_t t = sa;

		sa = da;
		da = t;
	}
	memset(p, 0, hl);
	p[0] = (uint8_t)(0x40 | hl / 4);
	p[8] = 64;
	p[9] = proto;
	put16(p + 4, (uint16_t)rnd());
	put16(p + 6, frag);
	*(uint32_t *)(p + 12) = htonl(sa);
	*(uint32_t *)(p + 16) = htonl(da);
	memset(p + 20, 1, hl - 20);	/* NOPs */
	if (optl >= 4 && chance(70)) {
		/* a real option, often with a wrong length */
		static const uint8_t kinds[] = { 7, 68, 131, 137, 148, 0, 130 };

		p[20] = kinds[rndn(sizeof(kinds))];
		p[21] = (uint8_t)(chance(50) ? rndn(hl - 20 + 1) : rnd());
		p[22] = (uint8_t)rndn(44);
	}
	n = l4(p + hl, proto, paylen, sa, da);
	put16(p + 2, (uint16_t)(hl + n));
	put16(p + 10, csum(p, hl));
	return hl + n;
}

static uint8_t l4_proto(void)
{
	static const uint8_t pr[] = { 6, 6, 6, 17, 17, 1, 47, 0, 255 };

	return pr[rndn(sizeof(pr))];
}

static size_t pay(void)
{
	return chance(80) ? rndn(200) : rndn(mtu > 100 ? mtu - 80 : 1);
}

static size_t ipv6(uint8_t *p)
{
	static const uint8_t ext[] = { 0, 43, 44, 60, 51, 50, 135, 59 };
	size_t n = 40, i, next_off = 6;
	int k = (int)rndn(5);

	memset(p, 0, 40);
	p[0] = 0x60;
	p[7] = 64;
	p[8] = 0xfd;
	p[23] = 1;
	p[24] = 0xfd;
	p[39] = 2;
	while (k--) {
		uint8_t t = ext[rndn(sizeof(ext))];
		size_t len = t == 44 ? 8 : 8 * (1 + rndn(3));

		p[next_off] = t;
		memset(p + n, 0, len);
		if (t != 44)
			p[n + 1] = (uint8_t)(chance(80) ? len / 8 - 1 : rnd());
		else
			put16(p + n + 2, (uint16_t)rnd());	/* frag */
		next_off = n;
		n += len;
	}
	p[next_off] = l4_proto();
	i = l4(p + n, p[next_off], rndn(64), 0, 0);
	n += i;
	put16(p + 4, (uint16_t)(chance(90) ? n - 40 : rnd()));
	return n;
}

static size_t build(uint8_t *f, enum cls c)
{
	size_t n = 0, m;
	uint16_t frag;

	switch (c) {
	case C_TCP:
	case C_UDP:
	case C_ICMP:
		n = eth(f, ETH_P_IP);
		return n + ipv4(f + n, c == C_TCP ? 6 : c == C_UDP ? 17 : 1,
				pay(), 0, chance(50) ? 0x4000 : 0);
	case C_RANDOM:
		n = rndn(chance(90) ? 128 : mtu + 14);
		for (m = 0; m < n; m++)
			f[m] = (uint8_t)rnd();
		if (n >= 14 && chance(50))
			put16(f + 12, chance(50) ? ETH_P_IP : ETH_P_IPV6);
		return n;
	case C_TRUNC:
		/* a whole frame, cut at any byte: every layer's header */
		n = build(f, (enum cls)rndn(3));
		return rndn((uint32_t)n);
	case C_IPOPT:
		n = eth(f, ETH_P_IP);
		return n + ipv4(f + n, l4_proto(), pay(), 1 + rndn(40), 0);
	case C_FRAG:
		/* first (MF, offset 0), middle, last, or overlapping */
		switch (rndn(4)) {
		case 0: frag = 0x2000; break;
		case 1: frag = (uint16_t)(0x2000 | (1 + rndn(100))); break;
		case 2: frag = (uint16_t)(1 + rndn(100)); break;
		default: frag = (uint16_t)(rnd() & 0x3fff); break;
		}
		n = eth(f, ETH_P_IP);
		return n + ipv4(f + n, l4_proto(), rndn(64), 0, frag);
	case C_VLAN:
	case C_QINQ:
		n = eth(f, c == C_QINQ ? ETH_P_8021AD : ETH_P_8021Q);
		put16(f + n, (uint16_t)rndn(4096));
		n += 2;
		if (c == C_QINQ) {
			put16(f + n, ETH_P_8021Q);
			put16(f + n + 2, (uint16_t)rndn(4096));
			n += 4;
		}
		put16(f + n, chance(80) ? ETH_P_IP : ETH_P_IPV6);
		n += 2;
		return n + ipv4(f + n, l4_proto(), pay(), 0, 0);
	case C_BADSUM:
		n = build(f, (enum cls)rndn(3));
		f[14 + (chance(50) ? 10 : 20 + rndn(20))] ^= (uint8_t)(1 + rndn(255));
		return n;
	case C_ZEROPAY:
		n = eth(f, ETH_P_IP);
		return n + ipv4(f + n, l4_proto(), 0, 0, 0);
	case C_MINMAX:
		switch (rndn(4)) {
		case 0:	/* the smallest: an Ethernet header alone */
			return eth(f, ETH_P_IP);
		case 1:	/* 60 bytes: a TCP SYN plus padding */
			n = eth(f, ETH_P_IP);
			n += ipv4(f + n, 6, 0, 0, 0);
			memset(f + n, 0, 60 - n);
			return 60;
		default: /* MTU-sized, or beyond it */
			n = eth(f, ETH_P_IP);
			m = mtu - 20 - 20 + (chance(50) ? 0 : 1 + rndn(100));
			return n + ipv4(f + n, chance(50) ? 6 : 17, m, 0, 0);
		}
	case C_BADHDR:
		n = build(f, (enum cls)rndn(3));
		switch (rndn(4)) {
		case 0: f[14] = (uint8_t)((f[14] & 0xf0) | rndn(16)); break;
		case 1: put16(f + 16, (uint16_t)rnd()); break;
		case 2: f[14] = (uint8_t)((rndn(16) << 4) | (f[14] & 15)); break;
		default: f[14 + 20 + 12] = (uint8_t)(rndn(16) << 4); break;
		}
		if (chance(70)) {	/* keep the checksum right */
			put16(f + 24, 0);
			put16(f + 24, csum(f + 14, 20));
		}
		return n;
	case C_IPV6:
		n = eth(f, ETH_P_IPV6);
		n += ipv6(f + n);
		return chance(20) ? rndn((uint32_t)n) : n;
	case C_ARP:
		n = eth(f, chance(70) ? ETH_P_ARP : (uint16_t)rnd());
		m = rndn(60);
		memset(f + n, 0, m);
		if (m > 8)
			put16(f + n + 6, 1);
		return n + m;
	case C_FLIP:
	default:
		n = build(f, (enum cls)rndn(C_FLIP));
		for (m = 1 + rndn(6); m && n; m--)
			f[rndn((uint32_t)n)] ^= (uint8_t)(1u << rndn(8));
		return n;
	}
}

static unsigned long refused_total(const unsigned long *r)
{
	unsigned long s = 0;
	int c;

	for (c = 0; c < C_MAX; c++)
		s += r[c];
	return s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "mtu", required_argument, NULL, 'm' },
		{ "hex", required_argument, NULL, 'x' },
		{ 0 }
	};
	static uint8_t f[FRAME_MAX];
	unsigned long count = 1000000, i, hex_from = ~0UL;
	unsigned long sent[C_MAX] = { 0 }, refused[C_MAX] = { 0 }, total = 0;
	int fds[8], ifx[8], nif = 0, c, k;
	double secs = 60, t0, t;
	uint64_t seed = 0;
	bool seeded = false;

	while ((c = getopt_long(argc, argv, "i:n:t:s:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (nif == 8 || !(ifx[nif] = (int)if_nametoindex(optarg))) {
				fprintf(stderr, "pktfuzz: no device %s\n", optarg);
				return 2;
			}
			nif++;
			break;
		case 's': seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'm': mtu = (unsigned int)strtoul(optarg, NULL, 0); break;
		case 'x': hex_from = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: pktfuzz -i DEV... [--seed N] [-n COUNT] "
				"[-t SECONDS] [--mtu M] [--hex FROM]\n");
			return 2;
		}
	}
	if (!nif) {
		fprintf(stderr, "pktfuzz: give a device (-i)\n");
		return 2;
	}
	if (mtu < 100 || mtu > FRAME_MAX - 200)
		mtu = 1500;
	if (!seeded)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	rng_state = seed ? seed : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# pktfuzz --seed %llu -n %lu -t %g --mtu %u\n",
	       (unsigned long long)seed, count, secs, mtu);

	for (k = 0; k < nif; k++) {
		struct sockaddr_ll sa = {
			.sll_family = AF_PACKET, .sll_ifindex = ifx[k],
		};

		fds[k] = socket(AF_PACKET, SOCK_RAW, 0);	/* tx only */
		if (fds[k] < 0 || bind(fds[k], (void *)&sa, sizeof(sa))) {
			printf("not ok - AF_PACKET socket: %s\n", strerror(errno));
			return 1;
		}
	}

	t0 = now();
	for (i = 0; i < count; i++) {
		enum cls cl;
		size_t n;

		if (!(i & 255)) {
			t = now() - t0;
			if (t >= secs)
				break;
			if (i && !(i % 200000))
				printf("# %lu frames at %.0f s\n", i, t);
		}
		cl = (enum cls)rndn(C_MAX);
		n = build(f, cl);
		k = (int)rndn((uint32_t)nif);
		if (i >= hex_from) {
			size_t j;

			printf("# frame %lu %s dev %d (%zu bytes): ", i,
			       cls_name[cl], k, n);
			for (j = 0; j < n; j++)
				printf("%02x", f[j]);
			printf("\n");
		}
		if (send(fds[k], f, n, 0) < 0)
			refused[cl]++;	/* EMSGSIZE beyond the MTU, EINVAL runts */
		else
			sent[cl]++;
		total++;
	}
	t = now() - t0;

	printf("# sent-total %lu\n", total - refused_total(refused));
	printf("# %lu frames in %.1f s (%.0f/s); sent (refused by send) per class:\n#",
	       total, t, (double)total / (t > 0 ? t : 1));
	for (c = 0; c < C_MAX; c++)
		printf(" %s %lu (%lu)", cls_name[c], sent[c], refused[c]);
	printf("\n");
	return 0;
}
