// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: fuzz the "clickup" generic netlink family from its own policy.
 *
 *   nlfuzz [--seed N] [-n COUNT] [-t SECONDS] [--dev a,b] [--hex FROM] [-v]
 *
 * Sends COUNT messages or runs SECONDS (whichever ends first), reading
 * every reply. Messages depend on the seed only (never on replies), so
 * `--seed N --hex I -n I+1` prints message I again. Exit 1 when the
 * kernel stops answering (5 s) or when the closing checks fail: a valid
 * create / get / dump / delete and a table round trip must still work.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/bpf.h>
#include <linux/genetlink.h>
#include <linux/clickup.h>

#include "nlfuzz.h"

#define HANG_SECS	120	/* a create may autoload many modules (KASAN, TCG) */

static uint64_t rng_state;
static uint64_t seed;
static unsigned long cur_index;
static struct msg *cur_msg;

uint64_t rnd(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hexdump(const char *what, const uint8_t *p, size_t n)
{
	size_t i;

	printf("# %s (%zu bytes): ", what, n);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* A request the kernel sits on (doit runs inside our send()): say which. */
static void on_alarm(int sig)
{
	(void)sig;
	printf("not ok - message %lu blocked in the kernel for %d s, seed %llu\n",
	       cur_index, HANG_SECS, (unsigned long long)seed);
	if (cur_msg)
		hexdump("it was", cur_msg->buf, cur_msg->len);
	fflush(stdout);
	_exit(1);
}

/* A socket filter returning 1: lets valid DAGs carry bpf atoms. */
static int load_bpf(void)
{
	struct bpf_insn insn[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)insn;
	a.insn_cnt = 2;
	a.license = (uintptr_t)"GPL";
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
}

/* Starts a dump on a socket of its own and closes it unread. */
static void abandon_dump(struct msg *m, struct stats *st)
{
	uint8_t rx[4096];
	int fd = nl_open();

	if (fd < 0)
		return;
	if (send(fd, m->buf, m->len, 0) >= 0 && chance(50))
		(void)recv(fd, rx, sizeof(rx), MSG_DONTWAIT);
	close(fd);
	st->sent++;
	st->abandoned++;
}

/* ---- the closing checks -------------------------------------------- */

static int replies;

static void count_reply(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(void)arg;
	replies++;
}

static int expect(const char *what, int err, int want_err, int got, int want)
{
	bool ok = err == want_err && (want < 0 || got == want);

	printf("%s - after the fuzz: %s (error %d, %d replies)\n",
	       ok ? "ok" : "not ok", what, err, got);
	return ok ? 0 : 1;
}

static int final_checks(int fd, const struct family *f)
{
	static struct msg m;
	int bad = 0, i, err;
	size_t dag, list, at, args, arg, e;
	const char *types[] = { "fromhook", "counter", "discard" };
	uint32_t seq = 0x7000000;

	/* create: fromhook(ipv4, forward) -> counter -> discard */
	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_NE_NEW);
	put_str(&m, CLICKUP_A_NE_NAME, "nlfuzz-check");
	dag = nest_start(&m, CLICKUP_A_DAG);
	list = nest_start(&m, CLICKUP_DAG_A_ATOMS);
	for (i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "c%d", i);
		at = nest_start(&m, (uint16_t)(i + 1));
		put_str(&m, CLICKUP_ATOM_A_NAME, name);
		put_str(&m, CLICKUP_ATOM_A_TYPE, types[i]);
		if (!i) {
			args = nest_start(&m, CLICKUP_ATOM_A_ARGS);
			arg = nest_start(&m, 1);
			put_str(&m, CLICKUP_ARG_A_VALUE, "ipv4");
			nest_end(&m, arg);
			arg = nest_start(&m, 2);
			put_str(&m, CLICKUP_ARG_A_VALUE, "forward");
			nest_end(&m, arg);
			nest_end(&m, args);
		}
		nest_end(&m, at);
	}
	nest_end(&m, list);
	list = nest_start(&m, CLICKUP_DAG_A_EDGES);
	for (i = 0; i < 2; i++) {
		e = nest_start(&m, (uint16_t)(i + 1));
		put_u32(&m, CLICKUP_EDGE_A_SRC, (uint32_t)i);
		put_u32(&m, CLICKUP_EDGE_A_PORT, 0);
		put_u32(&m, CLICKUP_EDGE_A_DST, (uint32_t)i + 1);
		nest_end(&m, e);
	}
	nest_end(&m, list);
	nest_end(&m, dag);
	replies = 0;
	err = nl_request(fd, &m, 30000, count_reply, NULL);
	bad |= expect("create a valid NE", err, 0, replies, 1);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_NE_GET);
	put_str(&m, CLICKUP_A_NE_NAME, "nlfuzz-check");
	replies = 0;
	err = nl_request(fd, &m, 5000, count_reply, NULL);
	bad |= expect("get it", err, 0, replies, 1);

	msg_init(&m, f->id, NLM_F_REQUEST | NLM_F_DUMP, ++seq,
		 CLICKUP_CMD_DAG_GET);
	put_str(&m, CLICKUP_A_NE_NAME, "nlfuzz-check");
	replies = 0;
	err = nl_request(fd, &m, 5000, count_reply, NULL);
	bad |= expect("dump its 3 atoms", err, 0, replies, 3);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_NE_DEL);
	put_str(&m, CLICKUP_A_NE_NAME, "nlfuzz-check");
	err = nl_request(fd, &m, 30000, NULL, NULL);
	bad |= expect("delete it", err, 0, 0, -1);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_NE_GET);
	put_str(&m, CLICKUP_A_NE_NAME, "nlfuzz-check");
	err = nl_request(fd, &m, 5000, NULL, NULL);
	bad |= expect("it is gone", err, -ENOENT, 0, -1);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_TABLE_SET);
	put_str(&m, CLICKUP_A_TABLE_NAME, "nlfuzz-t");
	put_u32(&m, CLICKUP_A_TABLE_MAX, 10);
	err = nl_request(fd, &m, 5000, NULL, NULL);
	bad |= expect("create a table", err, 0, 0, -1);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_FLOW_NEW);
	put_str(&m, CLICKUP_A_TABLE_NAME, "nlfuzz-t");
	{
		uint8_t proto = 6, st = CLICKUP_FLOW_S_ESTABLISHED;
		uint32_t sa = htonl(0x0a000001), da = htonl(0x0a000002);
		uint16_t sp = htons(1000), dp = htons(80);
		size_t fl = nest_start(&m, CLICKUP_A_FLOW);

		put(&m, CLICKUP_FLOW_A_PROTO, &proto, 1);
		put(&m, CLICKUP_FLOW_A_SADDR, &sa, 4);
		put(&m, CLICKUP_FLOW_A_DADDR, &da, 4);
		put(&m, CLICKUP_FLOW_A_SPORT, &sp, 2);
		put(&m, CLICKUP_FLOW_A_DPORT, &dp, 2);
		put(&m, CLICKUP_FLOW_A_STATE, &st, 1);
		nest_end(&m, fl);
	}
	replies = 0;
	err = nl_request(fd, &m, 5000, count_reply, NULL);
	bad |= expect("restore one flow", err, 0, replies, 1);

	msg_init(&m, f->id, NLM_F_REQUEST | NLM_F_DUMP, ++seq,
		 CLICKUP_CMD_FLOW_GET);
	put_str(&m, CLICKUP_A_TABLE_NAME, "nlfuzz-t");
	replies = 0;
	err = nl_request(fd, &m, 5000, count_reply, NULL);
	bad |= expect("dump the flow", err, 0, replies, 1);

	msg_init(&m, f->id, NLM_F_REQUEST, ++seq, CLICKUP_CMD_TABLE_DEL);
	put_str(&m, CLICKUP_A_TABLE_NAME, "nlfuzz-t");
	err = nl_request(fd, &m, 5000, NULL, NULL);
	bad |= expect("delete the table", err, 0, 0, -1);
	return bad;
}

/* Deletes the NEs the fuzz may have left (z0..z3), quietly. */
static void cleanup(int fd, const struct family *f)
{
	static struct msg m;
	char name[4];
	int i;

	for (i = 0; i < 4; i++) {
		snprintf(name, sizeof(name), "z%d", i);
		msg_init(&m, f->id, NLM_F_REQUEST, 0x7100000 + (uint32_t)i,
			 CLICKUP_CMD_NE_DEL);
		put_str(&m, CLICKUP_A_NE_NAME, name);
		nl_request(fd, &m, 30000, NULL, NULL);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: nlfuzz [--seed N] [-n COUNT] [-t SECONDS] "
		"[--dev DEV,...] [--hex FROM] [--no-check] [-v]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "dev", required_argument, NULL, 'd' },
		{ "hex", required_argument, NULL, 'x' },
		{ "no-check", no_argument, NULL, 'C' },
		{ "policy", no_argument, NULL, 'p' },
		{ 0 }
	};
	static struct family fam;
	static struct msg m;
	static struct stats st;
	unsigned long count = 100000, i, hex_from = ~0UL, family_reloads = 0;
	unsigned long by_kind[K_MAX] = { 0 };
	double kind_time[K_MAX] = { 0 }, tk;
	double secs = 60, t0, t;
	bool seeded = false, check = true, verbose = false, print_pol = false;
	const char *devs = NULL;
	int fd, c, err, bad = 0, bpf_fd;

	while ((c = getopt_long(argc, argv, "n:t:vs:", opts, NULL)) != -1) {
		switch (c) {
		case 's': seed = strtoull(optarg, NULL, 0); seeded = true; break;
		case 'n': count = strtoul(optarg, NULL, 0); break;
		case 't': secs = strtod(optarg, NULL); break;
		case 'd': devs = optarg; break;
		case 'x': hex_from = strtoul(optarg, NULL, 0); break;
		case 'C': check = false; break;
		case 'p': print_pol = true; break;
		case 'v': verbose = true; break;
		default: usage();
		}
	}
	if (!seeded)
		seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
	rng_state = seed ? seed : 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# nlfuzz --seed %llu -n %lu -t %g\n", (unsigned long long)seed,
	       count, secs);

	bpf_fd = load_bpf();
	gen_init(devs, bpf_fd);
	fd = nl_open();
	if (fd < 0) {
		printf("not ok - netlink socket: %s\n", strerror(-fd));
		return 1;
	}
	err = family_load(fd, CLICKUP_GENL_NAME, &fam);
	if (err) {
		printf("not ok - family %s and its policy: %s\n",
		       CLICKUP_GENL_NAME, strerror(-err));
		return 1;
	}
	if (print_pol || verbose)
		family_print(&fam);

	signal(SIGALRM, on_alarm);
	cur_msg = &m;
	t0 = now();
	for (i = 0; i < count && (t = now()) - t0 < secs; i++) {
		enum kind k;
		bool dump;

		/* the module may be reloaded under us (race test) */
		if (i && !(i % 500)) {
			struct family nf;

			if (!family_load(fd, CLICKUP_GENL_NAME, &nf)) {
				if (nf.id != fam.id)
					family_reloads++;
				fam = nf;
			}
		}
		if (i && !(i % 10000))
			printf("# %lu messages at %.0f s\n", i, t - t0);
		k = gen_message(&m, &fam, (uint32_t)i + 1, &dump);
		by_kind[k]++;
		if (i >= hex_from) {
			char what[64];

			snprintf(what, sizeof(what), "message %lu %s", i,
				 kind_name[k]);
			hexdump(what, m.buf, m.len);
		}
		cur_index = i;
		alarm(HANG_SECS);
		tk = now();
		if (k == K_ABANDON) {
			abandon_dump(&m, &st);
			kind_time[k] += now() - tk;
			continue;
		}
		err = nl_xfer(fd, m.buf, m.len, dump, &st, 5000);
		kind_time[k] += now() - tk;
		if (err == -ETIMEDOUT) {
			printf("not ok - no answer for 5 s to message %lu (%s), "
			       "seed %llu\n", i, kind_name[k],
			       (unsigned long long)seed);
			hexdump("it was", m.buf, m.len);
			bad = 1;
			break;
		} else if (err) {
			printf("not ok - netlink: %s at message %lu\n",
			       strerror(-err), i);
			bad = 1;
			break;
		}
	}
	alarm(0);
	t = now() - t0;

	printf("# sent %lu messages in %.1f s (%.0f/s), %lu refused by send()\n",
	       st.sent, t, (double)st.sent / (t > 0 ? t : 1), st.send_err);
	printf("# by kind:");
	for (c = 0; c < K_MAX; c++)
		printf(" %s %lu (%.1f s)", kind_name[c], by_kind[c],
		       kind_time[c]);
	printf("\n# replies %lu: acks %lu, dump parts %lu, dumps completed %lu, "
	       "interrupted %lu, abandoned %lu, ENOBUFS %lu, family reloads %lu\n",
	       st.replies, st.acks, st.dump_parts, st.dumps, st.dump_intr,
	       st.abandoned, st.enobufs, family_reloads);
	printf("# errors by errno:");
	for (c = 1; c < 4096; c++)
		if (st.err[c])
			printf(" %s %lu", strerrorname_np(c) ?: "?", st.err[c]);
	printf("\n");

	if (!bad) {
		cleanup(fd, &fam);
		if (check)
			bad = final_checks(fd, &fam);
	}
	printf("%s - nlfuzz seed %llu\n", bad ? "not ok" : "ok",
	       (unsigned long long)seed);
	close(fd);
	if (bpf_fd >= 0)
		close(bpf_fd);
	return bad;
}
