/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport: one socket per process, request/response
 * and dump loops, extack decoding, multicast subscription.
 */
#ifndef CLICKUPCTL_NL_H
#define CLICKUPCTL_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/clickup.h>

#include "diag.h"

struct nlctx {
	struct nl_sock *sk;
	int family;
	unsigned int timeout_ms;	/* per request; 0 = wait forever */
	uint32_t seq;	/* the last nlc_talk_one() request's */
};

/* What went wrong, as the kernel told us. */
struct nlerr {
	int err;		/* positive errno, 0 = none */
	char msg[512];		/* NLMSGERR_ATTR_MSG or local explanation */
	long offs;		/* NLMSGERR_ATTR_OFFS into our request, or -1 */
	long miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, or -1 */
};

/* Called for every reply message; tb is indexed by enum clickup_attr.
 * Return 0, or a negative errno to fail the request.
 */
typedef int (*nl_reply_fn)(uint8_t cmd, struct nlattr **tb, void *arg);

int nlc_open(struct nlctx *c, struct diag *d);
/* Any genl family (the tests talk to nlctrl to exercise extack). */
int nlc_open_family(struct nlctx *c, const char *family, struct diag *d);
void nlc_close(struct nlctx *c);
/* Give up on a request whose answer takes longer than ms (ETIMEDOUT):
 * a daemon must not hang on a reply that never comes. The socket may
 * then hold a late answer: close it.
 */
int nlc_set_timeout(struct nlctx *c, unsigned int ms);

/* A request of cmd with room for size bytes of attributes. */
struct nl_msg *nlc_msg(struct nlctx *c, uint8_t cmd, int flags, size_t size);

/* Send msg (consumed) and process replies until the ACK or the end of
 * the dump. Returns 0, 1 when a dump was interrupted (NLM_F_DUMP_INTR:
 * the caller retries), or -1 with e filled.
 */
int nlc_talk(struct nlctx *c, struct nl_msg *msg, nl_reply_fn fn, void *arg,
	     struct nlerr *e);
/* The same for a request sent without NLM_F_ACK whose answer is one
 * message of at most NLMSG_GOODSIZE (the reply, or the error): one
 * recvmsg() instead of four (libnl peeks at each message's size first,
 * and the ACK is a message of its own). Under emulation each system call
 * costs tens of microseconds.
 */
int nlc_talk_one(struct nlctx *c, struct nl_msg *msg, nl_reply_fn fn,
		 void *arg, struct nlerr *e);

/* Join multicast group name of the family and call fn for every message
 * until an error; never returns 0.
 */
int nlc_listen(struct nlctx *c, const char *group, nl_reply_fn fn, void *arg,
	       struct nlerr *e);

/* e = ENOMEM "cannot build the netlink message". */
void nlerr_nomem(struct nlerr *e);
/* "strerror: kernel message" for the error line. */
void nlerr_str(const struct nlerr *e, char *buf, size_t size);

/* Length-checked attribute readers (replies are not policy-validated). */
uint32_t nla_u32_or(const struct nlattr *a, uint32_t dflt);
uint64_t nla_u64_or(const struct nlattr *a, uint64_t dflt);
/* Copies a string attribute into buf (always NUL-terminated). */
const char *nla_str_to(const struct nlattr *a, char *buf, size_t size);

#endif
