// SPDX-License-Identifier: GPL-2.0
/*
 * Raw generic netlink for nlfuzz: build messages byte by byte (so any
 * malformed shape can be sent) and read every reply, dump parts included,
 * until a NOOP "sentinel" sent after the request is acked. Netlink runs a
 * doit in the sender's sendmsg(), so the sentinel's ack comes after the
 * request's own replies; a dump goes on until NLMSG_DONE.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlfuzz.h"

#define SENTINEL_SEQ	0xfee1dead
#define RXBUF		(256 * 1024)

void msg_init(struct msg *m, uint16_t type, uint16_t flags, uint32_t seq,
	      uint8_t cmd)
{
	struct nlmsghdr *nlh = (void *)m->buf;
	struct genlmsghdr *g = NLMSG_DATA(nlh);

	memset(m->buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	g->cmd = cmd;
	g->version = 1;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
}

/* Appends one attribute; a full buffer silently drops it (fuzz input). */
void *put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (void *)(m->buf + m->len);
	size_t tot = NLA_ALIGN(NLA_HDRLEN + len);

	if (m->len + tot > sizeof(m->buf))
		return NULL;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	if (data)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	else
		memset((uint8_t *)a + NLA_HDRLEN, 0, len);
	memset((uint8_t *)a + NLA_HDRLEN + len, 0, tot - NLA_HDRLEN - len);
	m->len += tot;
	return (uint8_t *)a + NLA_HDRLEN;
}

void put_u32(struct msg *m, uint16_t type, uint32_t v)
{
	put(m, type, &v, sizeof(v));
}

void put_str(struct msg *m, uint16_t type, const char *s)
{
	put(m, type, s, strlen(s) + 1);
}

size_t nest_start(struct msg *m, uint16_t type)
{
	size_t off = m->len;

	if (!put(m, type | NLA_F_NESTED, NULL, 0))
		return (size_t)-1;
	return off;
}

/* A nest over 64 KiB wraps its 16-bit length, as a careless sender's would. */
void nest_end(struct msg *m, size_t off)
{
	struct nlattr *a = (void *)(m->buf + off);

	if (off == (size_t)-1)
		return;
	a->nla_len = (uint16_t)(m->len - off);
}

void msg_finish(struct msg *m)
{
	((struct nlmsghdr *)m->buf)->nlmsg_len = (uint32_t)m->len;
}

int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, sz = 4 << 20;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (fd < 0)
		return -errno;
	if (bind(fd, (void *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -errno;
	}
	/* big buffers so replies are not lost; FORCE needs root, try both */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* errors without the request echoed: less to read */
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

static int send_sentinel(int fd)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_HDRLEN,
		.nlmsg_type = NLMSG_NOOP,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = SENTINEL_SEQ,
	};

	return send(fd, &nlh, sizeof(nlh), 0) < 0 ? -errno : 0;
}

static void count_error(struct stats *st, int err)
{
	int e = err < 0 ? -err : err;

	if (e >= 4096)
		e = 4095;
	st->err[e]++;
}

/*
 * Sends one request (any bytes), then the sentinel, and reads until the
 * sentinel's ack has come and no dump is open. Returns 0, or -ETIMEDOUT
 * when the kernel said nothing for timeout_ms (a hang, unless replies
 * were lost to ENOBUFS, which is counted and tolerated).
 */
int nl_xfer(int fd, const void *buf, size_t len, bool want_dump,
	    struct stats *st, int timeout_ms)
{
	static uint8_t rx[RXBUF];
	bool sentinel = false, dump_open = false, lost = false;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	(void)want_dump;
	st->sent++;
	if (send(fd, buf, len, 0) < 0) {
		/* EMSGSIZE, EINVAL for runts: the kernel never saw it */
		st->send_err++;
		count_error(st, errno);
	}
	if (send_sentinel(fd))
		return -EIO;

	while (!sentinel || dump_open) {
		struct nlmsghdr *nlh;
		ssize_t n;
		int r;

		r = poll(&pfd, 1, lost ? 200 : timeout_ms);
		if (r == 0)
			return lost ? 0 : -ETIMEDOUT;
		n = recv(fd, rx, sizeof(rx), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				st->enobufs++;
				lost = true;
				continue;
			}
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (void *)rx; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (nlh->nlmsg_seq == SENTINEL_SEQ &&
				    e->msg.nlmsg_type == NLMSG_NOOP) {
					sentinel = true;
					continue;
				}
				st->replies++;
				if (!e->error)
					st->acks++;
				count_error(st, e->error);
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *derr = NLMSG_DATA(nlh);

				st->dumps++;
				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) &&
				    *derr)
					count_error(st, *derr);
				dump_open = false;
				continue;
			}
			st->replies++;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				st->dump_intr++;
			if (nlh->nlmsg_flags & NLM_F_MULTI) {
				st->dump_parts++;
				dump_open = true;
			}
		}
	}
	return 0;
}

/*
 * A well-formed request of our own (family and policy lookup, the final
 * checks): cb sees every reply that is not an ack, error or DONE.
 * Returns the kernel's error (0 or -errno).
 */
int nl_request(int fd, struct msg *m, int timeout_ms,
	       void (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	static uint8_t rx[RXBUF];
	struct nlmsghdr *req = (void *)m->buf;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t seq = req->nlmsg_seq;

	req->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	msg_finish(m);
	if (send(fd, m->buf, m->len, 0) < 0)
		return -errno;
	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t n;

		if (poll(&pfd, 1, timeout_ms) == 0)
			return -ETIMEDOUT;
		n = recv(fd, rx, sizeof(rx), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (void *)rx; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;	/* a late reply to an older one */
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				if (e->error || !dump)
					return e->error;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int *derr = NLMSG_DATA(nlh);

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					return *derr;
				return 0;
			}
			if (cb)
				cb(nlh, arg);
		}
	}
}
