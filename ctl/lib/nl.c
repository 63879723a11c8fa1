// SPDX-License-Identifier: GPL-2.0
/*
 * libnl-genl transport. libnl 3.7 does not decode extended ACKs, so the
 * error and done callbacks read the NLMSGERR_ATTR_* TLVs themselves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct talk {
	nl_reply_fn fn;
	void *arg;
	struct nlerr *e;
	bool done, intr;
	bool one;	/* the first reply message ends the request */
	bool counted;	/* an NLMSG_ERROR or _DONE came: libnl counted it */
	uint32_t seq;	/* of the request */
};

static void bufsize(int fd, int opt_force, int opt, int size)
{
	/* FORCE needs CAP_NET_ADMIN; otherwise capped by [rw]mem_max */
	if (setsockopt(fd, SOL_SOCKET, opt_force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int nlc_open_family(struct nlctx *c, const char *family, struct diag *d)
{
	int one = 1, fd, r;

	c->timeout_ms = 0;
	c->seq = 0;
	c->sk = nl_socket_alloc();
	if (!c->sk) {
		diag_set(d, "cannot allocate a netlink socket");
		return -1;
	}
	r = genl_connect(c->sk);
	if (r < 0) {
		diag_set(d, "cannot open a generic netlink socket: %s",
			 nl_geterror(r));
		goto fail;
	}
	fd = nl_socket_get_fd(c->sk);
	/* kernel error strings, and no echo of multi-MB requests in acks */
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* a 1024-atom DAG can be far bigger than the default socket buffer */
	bufsize(fd, SO_SNDBUFFORCE, SO_SNDBUF, 8 << 20);
	bufsize(fd, SO_RCVBUFFORCE, SO_RCVBUF, 4 << 20);
	nl_socket_enable_msg_peek(c->sk);
	c->family = genl_ctrl_resolve(c->sk, family);
	if (c->family < 0) {
		diag_set(d, "genl family '%s' not found%s", family,
			 strcmp(family, CLICKUP_GENL_NAME) ? "" :
			 ": is clickup.ko loaded?");
		goto fail;
	}
	return 0;
fail:
	nl_socket_free(c->sk);
	c->sk = NULL;
	return -1;
}

int nlc_open(struct nlctx *c, struct diag *d)
{
	return nlc_open_family(c, CLICKUP_GENL_NAME, d);
}

void nlc_close(struct nlctx *c)
{
	if (c->sk)
		nl_socket_free(c->sk);
	c->sk = NULL;
}

int nlc_set_timeout(struct nlctx *c, unsigned int ms)
{
	struct timeval tv = { ms / 1000, (long)(ms % 1000) * 1000 };

	c->timeout_ms = ms;
	return setsockopt(nl_socket_get_fd(c->sk), SOL_SOCKET, SO_RCVTIMEO,
			  &tv, sizeof(tv));
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct nl_msg *nlc_msg(struct nlctx *c, uint8_t cmd, int flags, size_t size)
{
	struct nl_msg *m = nlmsg_alloc_size(size + NLMSG_HDRLEN +
					    GENL_HDRLEN + 256);

	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, c->family, 0, flags,
			 cmd, CLICKUP_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* TLVs start at byte off of h (NLM_F_ACK_TLVS says they are there). */
static void extack(const struct nlmsghdr *h, size_t off, struct nlerr *e)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];

	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) || off >= h->nlmsg_len)
		return;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + off),
		      (int)(h->nlmsg_len - off), NULL) < 0)
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		nla_str_to(tb[NLMSGERR_ATTR_MSG], e->msg, sizeof(e->msg));
	if (tb[NLMSGERR_ATTR_OFFS])
		e->offs = nla_u32_or(tb[NLMSGERR_ATTR_OFFS], 0);
	if (tb[NLMSGERR_ATTR_MISS_TYPE])
		e->miss_type = nla_u32_or(tb[NLMSGERR_ATTR_MISS_TYPE], 0);
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *err, void *arg)
{
	struct talk *t = arg;
	/* libnl hands us nlmsg_data() of the NLMSG_ERROR message */
	const struct nlmsghdr *h =
		(const struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	size_t payload = sizeof(*err);

	(void)who;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		payload = sizeof(err->error) + err->msg.nlmsg_len;
	t->e->err = err->error < 0 ? -err->error : err->error;
	extack(h, NLMSG_ALIGN(NLMSG_HDRLEN + payload), t->e);
	t->done = t->counted = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->done = t->counted = true;
	return NL_STOP;
}

/* NLMSG_DONE carries the dump's final errno (and extack) since 4.x. */
static int on_finish(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);

	if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int)) {
		int err;

		memcpy(&err, nlmsg_data(h), sizeof(err));
		if (err < 0) {
			t->e->err = -err;
			extack(h, NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(int)), t->e);
		}
	}
	t->done = t->counted = true;
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	(void)msg;
	t->intr = true;
	return NL_OK;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;
	struct nlmsghdr *h = nlmsg_hdr(msg);
	struct genlmsghdr *gh = nlmsg_data(h);
	struct nlattr *tb[CLICKUP_A_MAX + 1];
	int r;

	if (t->e->err)		/* already failed: drain the rest quietly */
		return NL_SKIP;
	if (genlmsg_parse(h, 0, tb, CLICKUP_A_MAX, NULL) < 0) {
		t->e->err = EPROTO;
		snprintf(t->e->msg, sizeof(t->e->msg), "malformed reply");
		t->done = t->one;
		return NL_SKIP;
	}
	r = t->fn ? t->fn(gh->cmd, tb, t->arg) : 0;
	if (r < 0)
		t->e->err = -r;
	if (t->one) {
		t->done = true;
		return NL_STOP;
	}
	return NL_OK;
}

/*
 * nlc_talk_one()'s check. libnl's own counts the answers that end with
 * an NLMSG_ERROR or _DONE (the next one expected), which a successful
 * request of these does not have: they carry sequence numbers of our own
 * (nlctx.seq), so libnl's count stays right for everything else
 * (including libnl's own requests, genl_ctrl_*); when one does end with
 * an error, talk() moves libnl's next number on as its count moved. A
 * message of another request (a late answer) is skipped.
 */
static int seq_check(struct nl_msg *msg, void *arg)
{
	struct talk *t = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == t->seq ? NL_OK : NL_SKIP;
}

static struct nl_cb *callbacks(struct talk *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);

	if (!cb)
		return NULL;
	if (t->one)
		nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, seq_check, t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);
	return cb;
}

static void lib_error(struct nlerr *e, int r)
{
	if (e->err)
		return;
	e->err = r == -NLE_NOMEM ? ENOMEM : r == -NLE_MSGSIZE ? EMSGSIZE : EPROTO;
	snprintf(e->msg, sizeof(e->msg), "%s", nl_geterror(r));
}

static int talk(struct nlctx *c, struct nl_msg *msg, nl_reply_fn fn,
		void *arg, struct nlerr *e, bool one)
{
	struct talk t = { fn, arg, e, false, false, one, false, 0 };
	/* no clock read without a timeout: a syscall under emulation */
	long long deadline = c->timeout_ms ? now_ms() + c->timeout_ms : 0;
	struct nl_cb *cb;
	int r;

	*e = (struct nlerr){ .offs = -1, .miss_type = -1 };
	cb = callbacks(&t);
	if (!cb) {
		nlmsg_free(msg);
		e->err = ENOMEM;
		return -1;
	}
	/* libnl adds NLM_F_ACK to every request unless told not to */
	if (one) {
		t.seq = ++c->seq;
		nlmsg_hdr(msg)->nlmsg_seq = t.seq;
		nl_socket_disable_auto_ack(c->sk);
	}
	r = nl_send_auto(c->sk, msg);
	if (one)
		nl_socket_enable_auto_ack(c->sk);
	nlmsg_free(msg);
	if (r < 0) {
		/* EMSGSIZE here means the DAG exceeds the socket buffer */
		e->err = r == -NLE_MSGSIZE ? EMSGSIZE : EIO;
		snprintf(e->msg, sizeof(e->msg), "send: %s", nl_geterror(r));
		nl_cb_put(cb);
		return -1;
	}
	/* One bounded message: read it at once, without libnl's MSG_PEEK
	 * of its size first (a second recvmsg per message).
	 */
	if (one)
		nl_socket_disable_msg_peek(c->sk);
	while (!t.done) {
		r = nl_recvmsgs(c->sk, cb);
		if (r < 0 && !t.done) {
			lib_error(e, r);
			break;
		}
		/* SO_RCVTIMEO expired: libnl returns 0 for EAGAIN */
		if (!t.done && c->timeout_ms && now_ms() >= deadline) {
			e->err = ETIMEDOUT;
			snprintf(e->msg, sizeof(e->msg),
				 "no answer from the kernel within %u ms",
				 c->timeout_ms);
			break;
		}
	}
	if (one)
		nl_socket_enable_msg_peek(c->sk);
	if (one && t.counted)
		nl_socket_use_seq(c->sk);
	nl_cb_put(cb);
	if (e->err)
		return -1;
	return t.intr ? 1 : 0;
}

int nlc_talk(struct nlctx *c, struct nl_msg *msg, nl_reply_fn fn, void *arg,
	     struct nlerr *e)
{
	return talk(c, msg, fn, arg, e, false);
}

int nlc_talk_one(struct nlctx *c, struct nl_msg *msg, nl_reply_fn fn,
		 void *arg, struct nlerr *e)
{
	return talk(c, msg, fn, arg, e, true);
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

int nlc_listen(struct nlctx *c, const char *group, nl_reply_fn fn, void *arg,
	       struct nlerr *e)
{
	struct talk t = { fn, arg, e, false, false, false, false, 0 };
	struct nl_cb *cb;
	int grp, r;

	*e = (struct nlerr){ .offs = -1, .miss_type = -1 };
	grp = genl_ctrl_resolve_grp(c->sk, CLICKUP_GENL_NAME, group);
	if (grp < 0) {
		e->err = ENOENT;
		snprintf(e->msg, sizeof(e->msg),
			 "multicast group '%s' not found", group);
		return -1;
	}
	r = nl_socket_add_membership(c->sk, grp);
	if (r < 0) {
		lib_error(e, r);
		return -1;
	}
	cb = callbacks(&t);
	if (!cb) {
		e->err = ENOMEM;
		return -1;
	}
	/* events are unsolicited: no sequence numbers to match */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	while (!e->err) {
		r = nl_recvmsgs(c->sk, cb);
		/* ENOBUFS: we were too slow and lost events; say so, go on */
		if (r == -NLE_NOMEM) {
			fprintf(stderr, "clickupctl: monitor: events lost (receive buffer overrun)\n");
			continue;
		}
		if (r < 0)
			lib_error(e, r);
	}
	nl_cb_put(cb);
	return -1;
}

void nlerr_nomem(struct nlerr *e)
{
	*e = (struct nlerr){ .err = ENOMEM, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "cannot build the netlink message");
}

void nlerr_str(const struct nlerr *e, char *buf, size_t size)
{
	if (e->msg[0])
		snprintf(buf, size, "%s: %s", strerror(e->err), e->msg);
	else
		snprintf(buf, size, "%s", strerror(e->err));
}

uint32_t nla_u32_or(const struct nlattr *a, uint32_t dflt)
{
	return a && nla_len(a) >= (int)sizeof(uint32_t) ? nla_get_u32((struct nlattr *)a) : dflt;
}

uint64_t nla_u64_or(const struct nlattr *a, uint64_t dflt)
{
	uint64_t v;

	if (!a || nla_len(a) < (int)sizeof(v))
		return dflt;
	memcpy(&v, nla_data(a), sizeof(v));	/* may be unaligned */
	return v;
}

const char *nla_str_to(const struct nlattr *a, char *buf, size_t size)
{
	size_t n = 0;

	if (a) {
		const char *s = nla_data(a);
		size_t len = (size_t)nla_len(a);

		while (n < len && n + 1 < size && s[n])
			n++;
		memcpy(buf, s, n);
	}
	buf[n] = 0;
	return buf;
}
