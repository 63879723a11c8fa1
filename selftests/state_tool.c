// SPDX-License-Identifier: GPL-2.0
/*
 * state_tool: raw state-table requests for selftests/state_limits.sh, one
 * process per scenario (process starts are slow in the TCG VM), with the
 * errno and extack of every rejection printed as
 *	error ERRNO_NAME: extack text
 *
 *   set TABLE [MAX]                TABLE_SET
 *   del TABLE | flush TABLE        TABLE_DEL / TABLE_FLUSH
 *   tables PREFIX N                TABLE_SET PREFIX0..N-1, stop at the first error
 *   flow TABLE PROTO SADDR SPORT DADDR DPORT STATE [TIMEOUT_MS [STATUS]]
 *                                  FLOW_NEW of one flow
 *   bulk TABLE N STATE [TIMEOUT_MS]
 *                                  FLOW_NEW of N distinct TCP flows, 1000 a message
 *   stats TABLE                    its TABLE_GET counters, "-" if absent
 *   race tables | race flows TABLE a dump that a change interrupts: prints
 *                                  "intr=0|1 messages=N items=N"
 *   lockrace TABLE                 TABLE_DEL TABLE in a child; meanwhile
 *                                  TABLE_GET dumps: "del=ERR MS dumps=N max_dump_ms=N"
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/clickup.h>

#define RXBUF		(1 << 20)
#define PER_MSG		1000

struct cu {
	struct nl_sock *sk;
	int fd, family;
	char *rx;
	size_t rxlen;		/* bytes asked of each recv() */
	char ext[512];
	int nmsgs, intr;
};

typedef void (*cu_cb)(struct nlmsghdr *nlh, void *arg);

static void cu_open(struct cu *cu, size_t rxlen)
{
	int one = 1;

	memset(cu, 0, sizeof(*cu));
	cu->sk = nl_socket_alloc();
	if (!cu->sk || genl_connect(cu->sk)) {
		fprintf(stderr, "state_tool: no generic netlink\n");
		exit(2);
	}
	cu->family = genl_ctrl_resolve(cu->sk, CLICKUP_GENL_NAME);
	if (cu->family < 0) {
		fprintf(stderr, "state_tool: no clickup family\n");
		exit(2);
	}
	cu->fd = nl_socket_get_fd(cu->sk);
	setsockopt(cu->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(cu->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(cu->sk, RXBUF, RXBUF);
	cu->rxlen = rxlen;
	cu->rx = malloc(RXBUF);
	if (!cu->rx)
		exit(2);
}

/*
 * A socket that has received nothing yet: the kernel sizes a dump's
 * parts by the largest read so far (libnl's own family lookup reads 16
 * KiB), so the dump socket of race() must start fresh.
 */
static void cu_open_fresh(struct cu *cu, int family, size_t rxlen)
{
	int one = 1;

	memset(cu, 0, sizeof(*cu));
	cu->sk = nl_socket_alloc();
	if (!cu->sk || nl_connect(cu->sk, NETLINK_GENERIC)) {
		fprintf(stderr, "state_tool: no generic netlink\n");
		exit(2);
	}
	cu->family = family;
	cu->fd = nl_socket_get_fd(cu->sk);
	setsockopt(cu->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(cu->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl_socket_set_buffer_size(cu->sk, RXBUF, RXBUF);
	cu->rxlen = rxlen;
	cu->rx = malloc(RXBUF);
	if (!cu->rx)
		exit(2);
}

static struct nl_msg *cu_msg(struct cu *cu, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(128 * 1024);

	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, cu->family, 0,
			       flags, cmd, CLICKUP_GENL_VERSION)) {
		fprintf(stderr, "state_tool: out of memory\n");
		exit(2);
	}
	return m;
}

static int cu_send(struct cu *cu, struct nl_msg *m)
{
	int r = nl_send_auto(cu->sk, m);

	nlmsg_free(m);
	cu->ext[0] = '\0';
	cu->nmsgs = 0;
	cu->intr = 0;
	return r < 0 ? -EIO : 0;
}

static void parse_ext(struct cu *cu, const char *p, int len)
{
	const struct nlattr *a = (const void *)p;

	while (len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
			snprintf(cu->ext, sizeof(cu->ext), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

/*
 * Read one datagram; feed its data messages to @cb. Returns 1 while more
 * is to come, else 0 or the negative errno of the ACK / NLMSG_DONE.
 */
static int cu_recv_one(struct cu *cu, cu_cb cb, void *arg)
{
	struct nlmsghdr *nlh;
	ssize_t len;

	do {
		len = recv(cu->fd, cu->rx, cu->rxlen, MSG_TRUNC);
	} while (len < 0 && errno == EINTR);
	if (len < 0)
		return -errno;
	if ((size_t)len > cu->rxlen) {
		fprintf(stderr, "state_tool: a %zd-byte datagram, read %zu\n",
			len, cu->rxlen);
		exit(2);
	}
	for (nlh = (void *)cu->rx; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
		if (nlh->nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr *e = NLMSG_DATA(nlh);
			int off = sizeof(*e);

			if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
				off += e->msg.nlmsg_len - NLMSG_HDRLEN;
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
				parse_ext(cu, (char *)e + off,
					  nlh->nlmsg_len - NLMSG_HDRLEN - off);
			return e->error;
		}
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			cu->intr = 1;
		if (nlh->nlmsg_type == NLMSG_DONE) {
			int err = 0;

			if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
				err = *(int *)NLMSG_DATA(nlh);
			if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
				parse_ext(cu, (char *)NLMSG_DATA(nlh) + sizeof(int),
					  nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int)));
			return err;
		}
		cu->nmsgs++;
		if (cb)
			cb(nlh, arg);
	}
	return 1;
}

static int cu_xfer(struct cu *cu, struct nl_msg *m, cu_cb cb, void *arg)
{
	int r = cu_send(cu, m);

	while (r == 0 && (r = cu_recv_one(cu, cb, arg)) == 1)
		r = 0;
	return r;
}

static int report(struct cu *cu, int r)
{
	if (r < 0) {
		printf("error %s: %s\n", strerrorname_np(-r) ?: "?", cu->ext);
		return 1;
	}
	return 0;
}

/*
 * STATE_TOOL_RELEASE_FD=N, N open on the memory.max of the memory cgroup
 * bulk runs in (open before, as ip netns exec remounts /sys, and as a
 * struct file is charged too): bulk lifts the limit before it prints
 * anything (a pipe page charged to a cgroup full of flows would wake its
 * OOM killer).
 */
static int release_fd = -1;

static void release_cgroup(void)
{
	if (release_fd >= 0 && write(release_fd, "max\n", 4) != 4)
		perror("state_tool: STATE_TOOL_RELEASE_FD");
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* ---- commands -------------------------------------------------------- */

static int table_set(struct cu *cu, const char *name, const char *max)
{
	struct nl_msg *m = cu_msg(cu, CLICKUP_CMD_TABLE_SET, NLM_F_ACK);

	nla_put_string(m, CLICKUP_A_TABLE_NAME, name);
	if (max)
		nla_put_u32(m, CLICKUP_A_TABLE_MAX, strtoul(max, NULL, 0));
	return cu_xfer(cu, m, NULL, NULL);
}

static int table_cmd(struct cu *cu, uint8_t cmd, const char *name)
{
	struct nl_msg *m = cu_msg(cu, cmd, NLM_F_ACK);

	nla_put_string(m, CLICKUP_A_TABLE_NAME, name);
	return cu_xfer(cu, m, NULL, NULL);
}

static void on_count(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CLICKUP_A_MAX + 1];

	if (!genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL) && tb[CLICKUP_A_COUNT])
		*(uint32_t *)arg += nla_get_u32(tb[CLICKUP_A_COUNT]);
}

static void put_flow(struct nl_msg *m, uint8_t proto, uint32_t saddr,
		     uint16_t sport, uint32_t daddr, uint16_t dport,
		     uint8_t state, long timeout, int status)
{
	struct nlattr *f = nla_nest_start(m, CLICKUP_A_FLOW);

	nla_put_u8(m, CLICKUP_FLOW_A_PROTO, proto);
	nla_put_u32(m, CLICKUP_FLOW_A_SADDR, saddr);
	nla_put_u32(m, CLICKUP_FLOW_A_DADDR, daddr);
	nla_put_u16(m, CLICKUP_FLOW_A_SPORT, htons(sport));
	nla_put_u16(m, CLICKUP_FLOW_A_DPORT, htons(dport));
	nla_put_u8(m, CLICKUP_FLOW_A_STATE, state);
	if (timeout >= 0)
		nla_put_u32(m, CLICKUP_FLOW_A_TIMEOUT, timeout);
	if (status >= 0)
		nla_put_u8(m, CLICKUP_FLOW_A_STATUS, status);
	nla_nest_end(m, f);
}

static int flow_one(struct cu *cu, char **av)
{
	struct nl_msg *m = cu_msg(cu, CLICKUP_CMD_FLOW_NEW, NLM_F_ACK);
	uint32_t added = 0;
	int r;

	nla_put_string(m, CLICKUP_A_TABLE_NAME, av[0]);
	put_flow(m, atoi(av[1]), inet_addr(av[2]), atoi(av[3]),
		 inet_addr(av[4]), atoi(av[5]), atoi(av[6]),
		 av[7] ? atol(av[7]) : -1, av[7] && av[8] ? atoi(av[8]) : -1);
	r = cu_xfer(cu, m, on_count, &added);
	if (report(cu, r))
		return 1;
	printf("added %u\n", added);
	return 0;
}

/* N flows 10.1.x.y:p -> 10.2.0.1:80. */
static int flow_bulk(struct cu *cu, char **av)
{
	long n = atol(av[1]), timeout = av[3] ? atol(av[3]) : -1, i = 0;
	uint8_t state = atoi(av[2]);
	uint32_t added = 0;
	double t0 = now_ms();

	while (i < n) {
		struct nl_msg *m = cu_msg(cu, CLICKUP_CMD_FLOW_NEW, NLM_F_ACK);
		long k;
		int r;

		nla_put_string(m, CLICKUP_A_TABLE_NAME, av[0]);
		for (k = 0; k < PER_MSG && i < n; k++, i++)
			put_flow(m, 6, htonl(0x0a010000 | (i >> 8 & 0xffff)),
				 1024 + (i & 0xff), htonl(0x0a020001), 80,
				 state, timeout, 0);
		r = cu_xfer(cu, m, on_count, &added);
		if (r < 0) {
			release_cgroup();
			printf("added %u of %ld, then ", added, n);
			return report(cu, r);
		}
	}
	release_cgroup();
	printf("added %u of %ld in %.0f ms\n", added, n, now_ms() - t0);
	return 0;
}

struct stats_arg {
	const char *name;
	bool found;
};

static void on_table(struct nlmsghdr *nlh, void *arg)
{
	static const char *const names[CLICKUP_TABLE_A_MAX + 1] = {
		[CLICKUP_TABLE_A_ENTRIES] = "entries",
		[CLICKUP_TABLE_A_LIMIT] = "max",
		[CLICKUP_TABLE_A_INSERTED] = "inserted",
		[CLICKUP_TABLE_A_REFUSED] = "refused",
		[CLICKUP_TABLE_A_EXPIRED] = "expired",
		[CLICKUP_TABLE_A_MEMORY] = "memory",
		[CLICKUP_TABLE_A_USERS] = "users",
		[CLICKUP_TABLE_A_GC_PASS_US] = "gc_pass_us",
		[CLICKUP_TABLE_A_GC_CHUNK_US] = "gc_chunk_us",
		[CLICKUP_TABLE_A_INVALID] = "invalid",
		[CLICKUP_TABLE_A_EVICTED] = "evicted",
	};
	const char *sep = "";
	struct nlattr *tb[CLICKUP_A_MAX + 1], *t[CLICKUP_TABLE_A_MAX + 1];
	struct stats_arg *s = arg;
	int i;

	if (!s || genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL) ||
	    !tb[CLICKUP_A_TABLE] ||
	    nla_parse_nested(t, CLICKUP_TABLE_A_MAX, tb[CLICKUP_A_TABLE], NULL) ||
	    !t[CLICKUP_TABLE_A_NAME] ||
	    strcmp(nla_get_string(t[CLICKUP_TABLE_A_NAME]), s->name))
		return;
	s->found = true;
	for (i = 0; i <= CLICKUP_TABLE_A_MAX; i++) {
		if (!names[i])
			continue;
		if (!t[i])
			printf("%s%s -", sep, names[i]);
		else if (nla_len(t[i]) == 4)
			printf("%s%s %u", sep, names[i], nla_get_u32(t[i]));
		else
			printf("%s%s %llu", sep, names[i],
			       (unsigned long long)nla_get_u64(t[i]));
		sep = " ";
	}
	printf("\n");
}

static int stats(struct cu *cu, const char *name)
{
	struct stats_arg s = { name, false };
	int r;

	r = cu_xfer(cu, cu_msg(cu, CLICKUP_CMD_TABLE_GET, NLM_F_DUMP),
		    on_table, &s);
	if (report(cu, r))
		return 1;
	if (!s.found) {
		printf("no table %s\n", name);
		return 1;
	}
	return 0;
}

static void count_items(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem)
		if (nla_type(a) == CLICKUP_A_TABLE || nla_type(a) == CLICKUP_A_FLOW)
			(*(long *)arg)++;
}

/*
 * Start a dump on a socket that reads 8 KiB at a time, so the kernel
 * fills it a few messages per step; after the first step another socket
 * changes what is dumped (a table created and deleted, or a flow
 * restored), then the rest is read.
 */
static int race(struct cu *ctl, char **av)
{
	bool flows = !strcmp(av[0], "flows");
	struct cu d;
	struct nl_msg *m;
	long items = 0;
	int r;

	cu_open_fresh(&d, ctl->family, 8192);
	m = cu_msg(&d, flows ? CLICKUP_CMD_FLOW_GET : CLICKUP_CMD_TABLE_GET,
		   NLM_F_DUMP);
	if (flows)
		nla_put_string(m, CLICKUP_A_TABLE_NAME, av[1]);
	r = cu_send(&d, m);
	if (!r)
		r = cu_recv_one(&d, count_items, &items);
	if (r == 1) {
		if (flows) {
			m = cu_msg(ctl, CLICKUP_CMD_FLOW_NEW, NLM_F_ACK);
			nla_put_string(m, CLICKUP_A_TABLE_NAME, av[1]);
			put_flow(m, 6, inet_addr("10.9.9.1"), 9, inet_addr("10.9.9.2"),
				 9, CLICKUP_FLOW_S_ESTABLISHED, -1, 0);
			if (report(ctl, cu_xfer(ctl, m, NULL, NULL)))
				return 1;
		} else if (report(ctl, table_set(ctl, "race-new", NULL)) ||
			   report(ctl, table_cmd(ctl, CLICKUP_CMD_TABLE_DEL,
						 "race-new"))) {
			return 1;
		}
		while ((r = cu_recv_one(&d, count_items, &items)) == 1)
			;
	} else {
		printf("the dump fit one step (%d)\n", r);
		return 1;
	}
	if (report(&d, r))
		return 1;
	printf("intr=%d messages=%d items=%ld\n", d.intr, d.nmsgs, items);
	return 0;
}

/*
 * TABLE_DEL in a child; meanwhile, from 20 ms on until the child is done
 * and for at least 2 s (the table may be freed by a worker after the
 * reply), TABLE_GET dumps one after the other: the longest shows how long
 * the delete kept the core's lock.
 */
static int lockrace(struct cu *cu, const char *name)
{
	double t0 = now_ms(), t, max = 0;
	int st = 0, fd[2], dumps = 0;
	bool done = false;
	char buf[64] = "";
	ssize_t n;
	pid_t pid;

	if (pipe(fd))
		return 1;
	pid = fork();
	if (pid == 0) {
		struct cu c;
		int r;

		cu_open(&c, RXBUF);
		r = table_cmd(&c, CLICKUP_CMD_TABLE_DEL, name);
		n = snprintf(buf, sizeof(buf), "%d %.0f", r, now_ms() - t0);
		if (write(fd[1], buf, n) != n)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	usleep(20 * 1000);
	while (!done || now_ms() - t0 < 2000) {
		t = now_ms();
		st = cu_xfer(cu, cu_msg(cu, CLICKUP_CMD_TABLE_GET, NLM_F_DUMP),
			     NULL, NULL);
		if (st < 0)
			break;
		t = now_ms() - t;
		if (t > max)
			max = t;
		dumps++;
		if (!done && waitpid(pid, NULL, WNOHANG) == pid)
			done = true;
		usleep(1000);
	}
	if (!done)
		waitpid(pid, NULL, 0);
	n = read(fd[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (report(cu, st))
		return 1;
	/* buf: "errno del_ms" */
	printf("del=%s dumps=%d max_dump_ms=%.0f\n", buf, dumps, max);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	struct cu cu;
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/*
	 * bulk may run in a memory cgroup that the kernel's flows fill up:
	 * take the heap we need now, and keep it, so that no page fault of
	 * ours meets the full cgroup later (its OOM killer would end us).
	 */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
	free(memset(malloc(8 << 20), 1, 8 << 20));
	if (getenv("STATE_TOOL_RELEASE_FD"))
		release_fd = atoi(getenv("STATE_TOOL_RELEASE_FD"));
	cu_open(&cu, RXBUF);
	if (!strcmp(cmd, "set") && argc >= 3)
		return report(&cu, table_set(&cu, argv[2], argv[3]));
	if (!strcmp(cmd, "del") && argc == 3)
		return report(&cu, table_cmd(&cu, CLICKUP_CMD_TABLE_DEL, argv[2]));
	if (!strcmp(cmd, "flush") && argc == 3)
		return report(&cu, table_cmd(&cu, CLICKUP_CMD_TABLE_FLUSH, argv[2]));
	if (!strcmp(cmd, "tables") && argc == 4) {
		long i, n = atol(argv[3]);
		char name[CLICKUP_NAME_MAX];

		for (i = 0; i < n; i++) {
			snprintf(name, sizeof(name), "%s%ld", argv[2], i);
			r = table_set(&cu, name, NULL);
			if (r < 0)
				break;
		}
		printf("created %ld\n", i);
		return report(&cu, i < n ? r : 0);
	}
	if (!strcmp(cmd, "flow") && argc >= 9)
		return flow_one(&cu, argv + 2);
	if (!strcmp(cmd, "bulk") && argc >= 5)
		return flow_bulk(&cu, argv + 2);
	if (!strcmp(cmd, "stats") && argc == 3)
		return stats(&cu, argv[2]);
	if (!strcmp(cmd, "race") && argc >= 3)
		return race(&cu, argv + 2);
	if (!strcmp(cmd, "lockrace") && argc == 3)
		return lockrace(&cu, argv[2]);
	fprintf(stderr, "usage: see the comment at the top of state_tool.c\n");
	return 2;
}
