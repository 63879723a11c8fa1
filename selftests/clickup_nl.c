// SPDX-License-Identifier: GPL-2.0
/*
 * clickup_nl: the CLICK-UP generic netlink contract, message by message.
 *
 * Every test runs in its own forked child and its own network namespace
 * (FIXTURE_SETUP unshares one) holding two veth pairs, p1/p1x and p2/p2x,
 * and a network element "br" bridging p1 <-> p2 with a counter each way.
 * Messages are built by hand with libnl so that malformed ones can be
 * sent too; replies, errors and extack TLVs are parsed here, not by libnl,
 * so each rejection is checked for its errno, its extack message, and for
 * leaving the running DAG untouched (generation unchanged).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include <linux/clickup.h>

/*
 * The 6.1 harness is not -Wextra clean: an unused parameter in the header,
 * and its ASSERT_*() compare an int literal with the value seen, so every
 * ASSERT_EQ(1, some_u64) trips -Wsign-compare.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop
#pragma GCC diagnostic ignored "-Wsign-compare"

#define NE		"br"
#define RXBUF_SIZE	(1 << 20)
#define MSG_SIZE	(1 << 20)

/*
 * Type of each element of a nest array (DAG_A_ATOMS, DAG_A_EDGES,
 * ATOM_A_ARGS).  The kernel ignores it (nla_for_each_nested); we use the
 * element's 1-based position.  Every element is a nest: an atom's ARGS is
 * a nest array of nests each holding one CLICKUP_ARG_A_VALUE.
 */
#define ELEM_TYPE(i)	((i) + 1)

struct cu {
	struct nl_sock *sk;
	int fd;
	int family;
	char *rxbuf;
	/* filled by every cu_xfer() */
	char ext[512];		/* NLMSGERR_ATTR_MSG, "" if none */
	int ext_miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, -1 if none */
	int ext_offs;		/* NLMSGERR_ATTR_OFFS, -1 if none */
};

/* One reply attribute set (the last data message of a doit). */
struct reply {
	bool got;
	char name[64];
	uint64_t generation;
	uint32_t nr_atoms, nr_edges, nr_entries;
	bool has_times;
	uint64_t t_validate, t_load, t_instantiate, t_publish, t_total;
	uint32_t t_loaded, t_new_atoms, t_migrated;
	bool has_t[CLICKUP_TIMES_A_MAX + 1];
	int nmsgs;
};

typedef void (*cu_cb)(struct nlmsghdr *nlh, void *arg);

static int cu_open(struct cu *cu)
{
	int one = 1;

	memset(cu, 0, sizeof(*cu));
	cu->sk = nl_socket_alloc();
	if (!cu->sk)
		return -ENOMEM;
	if (genl_connect(cu->sk))
		return -ENOTCONN;
	cu->family = genl_ctrl_resolve(cu->sk, CLICKUP_GENL_NAME);
	if (cu->family < 0)
		return -ENOENT;
	cu->fd = nl_socket_get_fd(cu->sk);
	if (setsockopt(cu->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)))
		return -errno;
	/* We only need the error and the TLVs, not our request echoed. */
	if (setsockopt(cu->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one)))
		return -errno;
	nl_socket_set_buffer_size(cu->sk, RXBUF_SIZE, RXBUF_SIZE);
	cu->rxbuf = malloc(RXBUF_SIZE);
	return cu->rxbuf ? 0 : -ENOMEM;
}

static void cu_close(struct cu *cu)
{
	if (cu->sk)
		nl_socket_free(cu->sk);
	free(cu->rxbuf);
	memset(cu, 0, sizeof(*cu));
}

static struct nl_msg *cu_msg(struct cu *cu, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc_size(MSG_SIZE);

	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, cu->family, 0, flags,
			 cmd, CLICKUP_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static void parse_ext_tlvs(struct cu *cu, const void *p, int len)
{
	const struct nlattr *a;

	for (a = p; len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
		    a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const char *d = (const char *)a + NLA_HDRLEN;
		int dlen = a->nla_len - NLA_HDRLEN;

		switch (a->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			snprintf(cu->ext, sizeof(cu->ext), "%.*s", dlen, d);
			break;
		case NLMSGERR_ATTR_OFFS:
			if (dlen >= 4)
				cu->ext_offs = *(const uint32_t *)d;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (dlen >= 4)
				cu->ext_miss_type = *(const uint32_t *)d;
			break;
		}
	}
}

/*
 * Send @m (consumed), read until the ACK/error or the end of the dump,
 * feed every data message to @cb. Returns 0 or a negative errno.
 */
static int cu_xfer(struct cu *cu, struct nl_msg *m, cu_cb cb, void *arg)
{
	int ret;

	cu->ext[0] = '\0';
	cu->ext_miss_type = -1;
	cu->ext_offs = -1;
	if (!m)
		return -ENOMEM;
	ret = nl_send_auto(cu->sk, m);
	nlmsg_free(m);
	if (ret < 0)
		return -EIO;

	for (;;) {
		struct nlmsghdr *nlh;
		ssize_t len;

		len = recv(cu->fd, cu->rxbuf, RXBUF_SIZE, 0);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (nlh = (struct nlmsghdr *)cu->rxbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(nlh);
				int off = sizeof(*e);

				if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
					off += e->msg.nlmsg_len - NLMSG_HDRLEN;
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					parse_ext_tlvs(cu, (char *)e + off,
						       nlh->nlmsg_len - NLMSG_HDRLEN - off);
				return e->error;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					err = *(int *)NLMSG_DATA(nlh);
				if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
					parse_ext_tlvs(cu, (char *)NLMSG_DATA(nlh) + sizeof(int),
						       nlh->nlmsg_len - NLMSG_LENGTH(sizeof(int)));
				return err;
			}
			if (cb)
				cb(nlh, arg);
		}
	}
}

/* ---- building DAGs ---------------------------------------------------- */

#define MAX_TEST_ARGS	(CLICKUP_MAX_ARGS + 2)

struct atom {
	const char *name;
	const char *type;	/* NULL: leave CLICKUP_ATOM_A_TYPE out */
	const char *args[MAX_TEST_ARGS];	/* NULL-terminated */
};

#define NOPORT	UINT32_MAX	/* leave the attribute out */

struct edge {
	uint32_t src, port, dst, dst_port;
};

static int put_atoms(struct nl_msg *m, const struct atom *a, int na)
{
	struct nlattr *atoms = nla_nest_start(m, CLICKUP_DAG_A_ATOMS);
	int i, j;

	if (!atoms)
		return -1;
	for (i = 0; i < na; i++) {
		struct nlattr *at = nla_nest_start(m, ELEM_TYPE(i)), *args;

		if (!at)
			return -1;
		if (a[i].name && nla_put_string(m, CLICKUP_ATOM_A_NAME, a[i].name))
			return -1;
		if (a[i].type && nla_put_string(m, CLICKUP_ATOM_A_TYPE, a[i].type))
			return -1;
		if (a[i].args[0]) {
			args = nla_nest_start(m, CLICKUP_ATOM_A_ARGS);
			if (!args)
				return -1;
			for (j = 0; j < MAX_TEST_ARGS && a[i].args[j]; j++) {
				struct nlattr *arg = nla_nest_start(m, ELEM_TYPE(j));

				if (!arg ||
				    nla_put_string(m, CLICKUP_ARG_A_VALUE, a[i].args[j]))
					return -1;
				nla_nest_end(m, arg);
			}
			nla_nest_end(m, args);
		}
		nla_nest_end(m, at);
	}
	nla_nest_end(m, atoms);
	return 0;
}

static int put_edges(struct nl_msg *m, const struct edge *e, int ne)
{
	struct nlattr *edges = nla_nest_start(m, CLICKUP_DAG_A_EDGES);
	int i;

	if (!edges)
		return -1;
	for (i = 0; i < ne; i++) {
		struct nlattr *ed = nla_nest_start(m, ELEM_TYPE(i));

		if (!ed)
			return -1;
		if ((e[i].src != NOPORT && nla_put_u32(m, CLICKUP_EDGE_A_SRC, e[i].src)) ||
		    (e[i].port != NOPORT && nla_put_u32(m, CLICKUP_EDGE_A_PORT, e[i].port)) ||
		    (e[i].dst != NOPORT && nla_put_u32(m, CLICKUP_EDGE_A_DST, e[i].dst)) ||
		    (e[i].dst_port != NOPORT &&
		     nla_put_u32(m, CLICKUP_EDGE_A_DST_PORT, e[i].dst_port)))
			return -1;
		nla_nest_end(m, ed);
	}
	nla_nest_end(m, edges);
	return 0;
}

static int put_dag(struct nl_msg *m, const struct atom *a, int na,
		   const struct edge *e, int ne)
{
	struct nlattr *dag = nla_nest_start(m, CLICKUP_A_DAG);

	if (!dag || put_atoms(m, a, na) || put_edges(m, e, ne))
		return -1;
	nla_nest_end(m, dag);
	return 0;
}

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

/* The fixture's DAG: p1 -> c12 -> p2, p2 -> c21 -> p1. */
static const struct atom bridge_atoms[] = {
	{ "in1",  "fromdevice", { "p1" } },	/* 0 */
	{ "c12",  "counter", {} },			/* 1 */
	{ "out2", "todevice",   { "p2" } },	/* 2 */
	{ "in2",  "fromdevice", { "p2" } },	/* 3 */
	{ "c21",  "counter", {} },			/* 4 */
	{ "out1", "todevice",   { "p1" } },	/* 5 */
};
static const struct edge bridge_edges[] = {
	{ 0, 0, 1, 0 }, { 1, 0, 2, 0 }, { 3, 0, 4, 0 }, { 4, 0, 5, 0 },
};

/* Same bridge without counters: p1 -> p2, p2 -> p1. */
static const struct atom plain_atoms[] = {
	{ "in1",  "fromdevice", { "p1" } },
	{ "out2", "todevice",   { "p2" } },
	{ "in2",  "fromdevice", { "p2" } },
	{ "out1", "todevice",   { "p1" } },
};
static const struct edge plain_edges[] = { { 0, 0, 1, 0 }, { 2, 0, 3, 0 } };

static void put_name(struct nl_msg *m, const char *ne)
{
	nla_put_string(m, CLICKUP_A_NE_NAME, ne);
}

static void build_bridge(struct nl_msg *m, const char *ne)
{
	nla_put_string(m, CLICKUP_A_NE_NAME, ne);
	put_dag(m, bridge_atoms, ARRAY_SIZE(bridge_atoms),
		bridge_edges, ARRAY_SIZE(bridge_edges));
}

/* The same, telling the kernel not to autoload (clickupctl's first try). */
static void build_bridge_noautoload(struct nl_msg *m, const char *ne)
{
	build_bridge(m, ne);
	nla_put_flag(m, CLICKUP_A_NO_AUTOLOAD);
}

/* ---- reply parsing ---------------------------------------------------- */

static void parse_reply(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CLICKUP_A_MAX + 1], *tt[CLICKUP_TIMES_A_MAX + 1];
	struct reply *r = arg;
	int i;

	r->nmsgs++;
	if (genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL))
		return;
	r->got = true;
	if (tb[CLICKUP_A_NE_NAME])
		snprintf(r->name, sizeof(r->name), "%s",
			 nla_get_string(tb[CLICKUP_A_NE_NAME]));
	if (tb[CLICKUP_A_GENERATION])
		r->generation = nla_get_u64(tb[CLICKUP_A_GENERATION]);
	if (tb[CLICKUP_A_NR_ATOMS])
		r->nr_atoms = nla_get_u32(tb[CLICKUP_A_NR_ATOMS]);
	if (tb[CLICKUP_A_NR_EDGES])
		r->nr_edges = nla_get_u32(tb[CLICKUP_A_NR_EDGES]);
	if (tb[CLICKUP_A_NR_ENTRIES])
		r->nr_entries = nla_get_u32(tb[CLICKUP_A_NR_ENTRIES]);
	if (!tb[CLICKUP_A_TIMES] ||
	    nla_parse_nested(tt, CLICKUP_TIMES_A_MAX, tb[CLICKUP_A_TIMES], NULL))
		return;
	r->has_times = true;
	for (i = 0; i <= CLICKUP_TIMES_A_MAX; i++)
		r->has_t[i] = tt[i];
#define T64(a, f) if (tt[a]) r->f = nla_get_u64(tt[a])
#define T32(a, f) if (tt[a]) r->f = nla_get_u32(tt[a])
	T64(CLICKUP_TIMES_A_VALIDATE, t_validate);
	T64(CLICKUP_TIMES_A_LOAD, t_load);
	T64(CLICKUP_TIMES_A_INSTANTIATE, t_instantiate);
	T64(CLICKUP_TIMES_A_PUBLISH, t_publish);
	T64(CLICKUP_TIMES_A_TOTAL, t_total);
	T32(CLICKUP_TIMES_A_LOADED, t_loaded);
	T32(CLICKUP_TIMES_A_NEW_ATOMS, t_new_atoms);
	T32(CLICKUP_TIMES_A_MIGRATED, t_migrated);
}

/* NE_GET doit. Returns 0 or -errno; *r filled on success. */
static int cu_ne_get(struct cu *cu, const char *ne, struct reply *r)
{
	struct nl_msg *m = cu_msg(cu, CLICKUP_CMD_NE_GET, 0);

	memset(r, 0, sizeof(*r));
	if (m && ne)
		nla_put_string(m, CLICKUP_A_NE_NAME, ne);
	return cu_xfer(cu, m, parse_reply, r);
}

static int cu_ne_del(struct cu *cu, const char *ne)
{
	struct nl_msg *m = cu_msg(cu, CLICKUP_CMD_NE_DEL, 0);

	if (m)
		nla_put_string(m, CLICKUP_A_NE_NAME, ne);
	return cu_xfer(cu, m, NULL, NULL);
}

/* NE_NEW / NE_UPGRADE with a DAG built by @build. */
static int cu_ne_send(struct cu *cu, uint8_t cmd, const char *ne,
		   void (*build)(struct nl_msg *, const char *), struct reply *r)
{
	struct nl_msg *m = cu_msg(cu, cmd, 0);
	struct reply dummy;

	if (!r)
		r = &dummy;
	memset(r, 0, sizeof(*r));
	if (m)
		build(m, ne);
	return cu_xfer(cu, m, parse_reply, r);
}

/* ---- dumps ------------------------------------------------------------ */

struct type_seen {
	const char *name;
	uint32_t flags;
	int count;
};

struct type_dump {
	struct type_seen t[6];
	int total;
};

static void parse_type(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CLICKUP_A_MAX + 1], *ty[CLICKUP_TYPE_A_MAX + 1];
	struct type_dump *d = arg;
	const char *name;
	size_t i;

	d->total++;
	if (genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL) || !tb[CLICKUP_A_TYPE])
		return;
	if (nla_parse_nested(ty, CLICKUP_TYPE_A_MAX, tb[CLICKUP_A_TYPE], NULL) ||
	    !ty[CLICKUP_TYPE_A_NAME])
		return;
	name = nla_get_string(ty[CLICKUP_TYPE_A_NAME]);
	for (i = 0; i < ARRAY_SIZE(d->t); i++) {
		if (strcasecmp(name, d->t[i].name))
			continue;
		d->t[i].count++;
		if (ty[CLICKUP_TYPE_A_FLAGS])
			d->t[i].flags = nla_get_u32(ty[CLICKUP_TYPE_A_FLAGS]);
	}
}

/* readstate's entry in the type dump: its aliases, and no readwhitelist type. */
struct alias_dump {
	int readstate, readwhitelist;
	char aliases[128];
};

static void parse_type_aliases(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CLICKUP_A_MAX + 1], *ty[CLICKUP_TYPE_A_MAX + 1];
	struct alias_dump *d = arg;
	struct nlattr *pos;
	const char *name;
	int rem;

	if (genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL) || !tb[CLICKUP_A_TYPE])
		return;
	if (nla_parse_nested(ty, CLICKUP_TYPE_A_MAX, tb[CLICKUP_A_TYPE], NULL) ||
	    !ty[CLICKUP_TYPE_A_NAME])
		return;
	name = nla_get_string(ty[CLICKUP_TYPE_A_NAME]);
	if (!strcmp(name, "readwhitelist"))
		d->readwhitelist++;
	if (strcmp(name, "readstate"))
		return;
	d->readstate++;
	if (!ty[CLICKUP_TYPE_A_ALIASES])
		return;
	nla_for_each_nested(pos, ty[CLICKUP_TYPE_A_ALIASES], rem) {
		if (nla_type(pos) != CLICKUP_TYPE_A_NAME)
			continue;
		strncat(d->aliases, " ", sizeof(d->aliases) - strlen(d->aliases) - 1);
		strncat(d->aliases, nla_get_string(pos),
			sizeof(d->aliases) - strlen(d->aliases) - 1);
	}
}

struct dag_atom {
	uint32_t index, nr_outputs;
	char name[CLICKUP_NAME_MAX + 8], type[CLICKUP_NAME_MAX + 8];
	int nargs;
	char arg0[64];
	bool has_counters;
	int nedges;
	uint32_t edge_dst[4], edge_port[4];
};

struct dag_dump {
	int n;
	bool bad;
	struct dag_atom a[16];
};

static void parse_dag_atom(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[CLICKUP_A_MAX + 1], *at[CLICKUP_ATOM_A_MAX + 1];
	struct nlattr *et[CLICKUP_EDGE_A_MAX + 1], *pos;
	struct dag_dump *d = arg;
	struct dag_atom *x;
	int rem;

	if (d->n >= (int)ARRAY_SIZE(d->a)) {
		d->bad = true;
		return;
	}
	x = &d->a[d->n++];
	if (genlmsg_parse(nlh, 0, tb, CLICKUP_A_MAX, NULL) || !tb[CLICKUP_A_ATOM] ||
	    nla_parse_nested(at, CLICKUP_ATOM_A_MAX, tb[CLICKUP_A_ATOM], NULL)) {
		d->bad = true;
		return;
	}
	if (!at[CLICKUP_ATOM_A_INDEX] || !at[CLICKUP_ATOM_A_NAME] ||
	    !at[CLICKUP_ATOM_A_TYPE] || !at[CLICKUP_ATOM_A_NR_OUTPUTS])
		d->bad = true;
	if (at[CLICKUP_ATOM_A_INDEX])
		x->index = nla_get_u32(at[CLICKUP_ATOM_A_INDEX]);
	if (at[CLICKUP_ATOM_A_NR_OUTPUTS])
		x->nr_outputs = nla_get_u32(at[CLICKUP_ATOM_A_NR_OUTPUTS]);
	if (at[CLICKUP_ATOM_A_NAME])
		snprintf(x->name, sizeof(x->name), "%s",
			 nla_get_string(at[CLICKUP_ATOM_A_NAME]));
	if (at[CLICKUP_ATOM_A_TYPE])
		snprintf(x->type, sizeof(x->type), "%s",
			 nla_get_string(at[CLICKUP_ATOM_A_TYPE]));
	x->has_counters = at[CLICKUP_ATOM_A_PACKETS] && at[CLICKUP_ATOM_A_BYTES] &&
			  at[CLICKUP_ATOM_A_DROPS];
	if (at[CLICKUP_ATOM_A_ARGS]) {
		nla_for_each_nested(pos, at[CLICKUP_ATOM_A_ARGS], rem) {
			struct nlattr *vt[CLICKUP_ARG_A_MAX + 1];

			if (nla_parse_nested(vt, CLICKUP_ARG_A_MAX, pos, NULL) ||
			    !vt[CLICKUP_ARG_A_VALUE]) {
				d->bad = true;
				continue;
			}
			if (!x->nargs++)
				snprintf(x->arg0, sizeof(x->arg0), "%s",
					 nla_get_string(vt[CLICKUP_ARG_A_VALUE]));
		}
	}
	if (at[CLICKUP_ATOM_A_EDGES]) {
		nla_for_each_nested(pos, at[CLICKUP_ATOM_A_EDGES], rem) {
			if (x->nedges >= 4 ||
			    nla_parse_nested(et, CLICKUP_EDGE_A_MAX, pos, NULL) ||
			    !et[CLICKUP_EDGE_A_DST]) {
				d->bad = true;
				continue;
			}
			x->edge_dst[x->nedges] = nla_get_u32(et[CLICKUP_EDGE_A_DST]);
			x->edge_port[x->nedges] = et[CLICKUP_EDGE_A_PORT] ?
				nla_get_u32(et[CLICKUP_EDGE_A_PORT]) : 0;
			x->nedges++;
		}
	}
}

/* ---- fixture: a netns with p1, p2 and the NE "br" --------------------- */

static int sh(const char *cmd)
{
	int ret = system(cmd);

	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

static void __attribute__((constructor)) load_core(void)
{
	/* Once per run: the core, and the first-set atoms for ATOM_GET. */
	if (sh("modprobe clickup 2>/dev/null"))
		return;
	sh("for a in fromdevice todevice discard accept counter fromhook; do "
	   "modprobe clickup_atom_$a 2>/dev/null; done");
}

static int make_netns(void)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	return sh("ip -batch - <<'EOF'\n"
		  "link set lo up\n"
		  "link add p1 type veth peer name p1x\n"
		  "link add p2 type veth peer name p2x\n"
		  "link set p1 up\n"
		  "link set p1x up\n"
		  "link set p2 up\n"
		  "link set p2x up\n"
		  "EOF\n");
}

/* Common to every fixture: fresh netns, socket, NE "br" at generation 1. */
#define SETUP_NE(self)							\
	do {								\
		struct reply __r;					\
		int __e;						\
									\
		ASSERT_EQ(0, make_netns());				\
		__e = cu_open(&(self)->cu);				\
		if (__e == -ENOENT)					\
			/* 6.1's harness would run the test after a \
			 * SKIP in setup: exit with the skip code. */	\
			SKIP(_exit(255), "genl family '%s' not found (clickup.ko not loaded?)", \
			     CLICKUP_GENL_NAME);			\
		ASSERT_EQ(0, __e);					\
		__e = cu_ne_send(&(self)->cu, CLICKUP_CMD_NE_NEW, NE,	\
			      build_bridge, &__r);			\
		ASSERT_EQ(0, __e) TH_LOG("NE_NEW %s: %s: %s", NE,	\
					 strerror(-__e), (self)->cu.ext); \
		ASSERT_EQ(1, __r.generation);				\
	} while (0)

/* The NE is exactly as the fixture created it. */
#define ASSERT_UNTOUCHED(self, gen)					\
	do {								\
		struct reply __g;					\
									\
		ASSERT_EQ(0, cu_ne_get(&(self)->cu, NE, &__g));		\
		ASSERT_EQ(gen, __g.generation);				\
		ASSERT_EQ(ARRAY_SIZE(bridge_atoms), __g.nr_atoms);	\
		ASSERT_EQ(ARRAY_SIZE(bridge_edges), __g.nr_edges);	\
	} while (0)

#define ASSERT_EXTACK(cu, substr)					\
	do {								\
		ASSERT_NE(0, (cu)->ext[0]) TH_LOG("no extack message");	\
		if (substr) {						\
			ASSERT_NE(NULL, strstr((cu)->ext, substr))	\
				TH_LOG("extack '%s' lacks '%s'", (cu)->ext, \
				       (const char *)(substr));	\
		}							\
	} while (0)

FIXTURE(ne) {
	struct cu cu;
};

FIXTURE_SETUP(ne)
{
	SETUP_NE(self);
}

FIXTURE_TEARDOWN(ne)
{
	cu_close(&self->cu);
}

TEST_F(ne, get)
{
	struct reply r;

	ASSERT_EQ(0, cu_ne_get(&self->cu, NE, &r));
	ASSERT_EQ(1, r.nmsgs);
	ASSERT_STREQ(NE, r.name);
	ASSERT_EQ(1, r.generation);
	ASSERT_EQ(6, r.nr_atoms);
	ASSERT_EQ(4, r.nr_edges);
	ASSERT_EQ(2, r.nr_entries);
}

static void build_plain(struct nl_msg *m, const char *ne)
{
	nla_put_string(m, CLICKUP_A_NE_NAME, ne);
	put_dag(m, plain_atoms, ARRAY_SIZE(plain_atoms),
		plain_edges, ARRAY_SIZE(plain_edges));
}

TEST_F(ne, get_dump)
{
	struct reply r = {};
	struct nl_msg *m;

	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, "other",
			     build_plain, NULL));
	m = cu_msg(&self->cu, CLICKUP_CMD_NE_GET, NLM_F_DUMP);
	ASSERT_EQ(0, cu_xfer(&self->cu, m, parse_reply, &r));
	ASSERT_EQ(2, r.nmsgs);
}

TEST_F(ne, create_reply)
{
	struct reply r;

	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, "other",
			     build_plain, &r));
	ASSERT_EQ(1, r.nmsgs);
	ASSERT_STREQ("other", r.name);
	ASSERT_EQ(1, r.generation);
	ASSERT_TRUE(r.has_times);
	ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_TOTAL]);
	ASSERT_EQ(4, r.t_new_atoms);
	ASSERT_EQ(0, r.t_migrated);
}

/* Longest legal NE name: CLICKUP_NAME_MAX - 1 characters. */
TEST_F(ne, name_max)
{
	char name[CLICKUP_NAME_MAX];
	struct reply r;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, name,
			     build_plain, &r)) TH_LOG("%s", self->cu.ext);
	ASSERT_EQ(0, cu_ne_get(&self->cu, name, &r));
	ASSERT_STREQ(name, r.name);
}

/*
 * The largest legal DAG: CLICKUP_MAX_ATOMS atoms in one chain,
 * fromdevice -> 1022 counters -> todevice. Edges carry SRC and DST only
 * (PORT and DST_PORT default to 0) so that the DAG nest stays under the
 * 64 KiB an attribute can hold.
 */
static void build_max_chain(struct nl_msg *m, const char *ne)
{
	static struct atom a[CLICKUP_MAX_ATOMS];
	static struct edge e[CLICKUP_MAX_ATOMS - 1];
	static char names[CLICKUP_MAX_ATOMS][16];
	int i, n = CLICKUP_MAX_ATOMS;

	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "a%d", i);
		a[i].name = names[i];
		a[i].type = "counter";
		a[i].args[0] = NULL;
		if (i < n - 1)
			e[i] = (struct edge){ i, NOPORT, i + 1, NOPORT };
	}
	a[0].type = "fromdevice";
	a[0].args[0] = "p1";
	a[n - 1].type = "todevice";
	a[n - 1].args[0] = "p2";
	put_name(m, ne);
	put_dag(m, a, n, e, n - 1);
}

TEST_F(ne, max_atoms)
{
	struct reply r;
	int e;

	e = cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, "big", build_max_chain, &r);
	ASSERT_EQ(0, e) TH_LOG("%s: %s", strerror(-e), self->cu.ext);
	ASSERT_EQ(CLICKUP_MAX_ATOMS, r.t_new_atoms);
	TH_LOG("%d atoms: validate %llu us, load %llu us, instantiate %llu us, publish %llu us, total %llu us",
	       CLICKUP_MAX_ATOMS, (unsigned long long)r.t_validate / 1000,
	       (unsigned long long)r.t_load / 1000,
	       (unsigned long long)r.t_instantiate / 1000,
	       (unsigned long long)r.t_publish / 1000,
	       (unsigned long long)r.t_total / 1000);
	ASSERT_EQ(0, cu_ne_get(&self->cu, "big", &r));
	ASSERT_EQ(CLICKUP_MAX_ATOMS, r.nr_atoms);
	ASSERT_EQ(CLICKUP_MAX_ATOMS - 1, r.nr_edges);
	/* and an upgrade of it migrates every atom */
	e = cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, "big", build_max_chain, &r);
	ASSERT_EQ(0, e) TH_LOG("%s: %s", strerror(-e), self->cu.ext);
	ASSERT_EQ(2, r.generation);
	ASSERT_EQ(0, r.t_new_atoms);
	ASSERT_EQ(CLICKUP_MAX_ATOMS, r.t_migrated);
	ASSERT_EQ(0, cu_ne_del(&self->cu, "big"));
}

TEST_F(ne, upgrade)
{
	struct reply r;
	int i;

	for (i = 2; i <= 5; i++) {
		ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, NE,
				     i % 2 ? build_bridge : build_plain, &r))
			TH_LOG("%s", self->cu.ext);
		ASSERT_STREQ(NE, r.name);
		ASSERT_EQ(i, r.generation);
		ASSERT_TRUE(r.has_times);
		ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_VALIDATE]);
		ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_LOAD]);
		ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_INSTANTIATE]);
		ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_PUBLISH]);
		ASSERT_TRUE(r.has_t[CLICKUP_TIMES_A_TOTAL]);
		ASSERT_GT(r.t_total, 0);
		ASSERT_GE(r.t_total, r.t_validate + r.t_load +
				     r.t_instantiate + r.t_publish);
		/* every type is loaded already */
		ASSERT_EQ(0, r.t_loaded);
		if (i % 2) {	/* plain -> bridge: c12, c21 are new */
			ASSERT_EQ(2, r.t_new_atoms);
			ASSERT_EQ(4, r.t_migrated);
		} else {	/* bridge -> plain: nothing new */
			ASSERT_EQ(0, r.t_new_atoms);
			ASSERT_EQ(4, r.t_migrated);
		}
		ASSERT_EQ(0, cu_ne_get(&self->cu, NE, &r));
		ASSERT_EQ(i, r.generation);
		ASSERT_EQ(i % 2 ? 6 : 4, r.nr_atoms);
	}
}

/* With every type registered, NO_AUTOLOAD changes nothing. */
TEST_F(ne, upgrade_no_autoload)
{
	struct reply r;

	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, NE,
			     build_bridge_noautoload, &r))
		TH_LOG("%s", self->cu.ext);
	ASSERT_EQ(2, r.generation);
	ASSERT_EQ(0, r.t_loaded);
}

TEST_F(ne, del)
{
	struct reply r;

	ASSERT_EQ(0, cu_ne_del(&self->cu, NE)) TH_LOG("%s", self->cu.ext);
	ASSERT_EQ(-ENOENT, cu_ne_get(&self->cu, NE, &r));
	ASSERT_EQ(-ENOENT, cu_ne_del(&self->cu, NE));
	ASSERT_EXTACK(&self->cu, "no network element '" NE "'");
	/* the name is free again; a new NE starts at generation 1 */
	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, NE, build_bridge, &r));
	ASSERT_EQ(1, r.generation);
}

TEST_F(ne, dag_dump)
{
	struct dag_dump d = {};
	struct nl_msg *m;
	int i;

	m = cu_msg(&self->cu, CLICKUP_CMD_DAG_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, m);
	nla_put_string(m, CLICKUP_A_NE_NAME, NE);
	ASSERT_EQ(0, cu_xfer(&self->cu, m, parse_dag_atom, &d))
		TH_LOG("%s", self->cu.ext);
	ASSERT_FALSE(d.bad);
	ASSERT_EQ(6, d.n);
	for (i = 0; i < 6; i++) {
		const struct dag_atom *x = &d.a[i];
		const struct atom *want = &bridge_atoms[x->index];

		ASSERT_LT(x->index, 6);
		ASSERT_STREQ(want->name, x->name);
		ASSERT_EQ(0, strcasecmp(want->type, x->type));
		ASSERT_TRUE(x->has_counters);
		if (want->args[0]) {
			ASSERT_EQ(1, x->nargs);
			ASSERT_STREQ(want->args[0], x->arg0);
		}
		if (!strcmp(x->type, "todevice")) {
			ASSERT_EQ(0, x->nr_outputs);
			ASSERT_EQ(0, x->nedges);
		} else {
			/* fromdevice, counter: one output, to the next atom */
			ASSERT_EQ(1, x->nr_outputs);
			ASSERT_EQ(1, x->nedges);
			ASSERT_EQ(x->index + 1, x->edge_dst[0]);
			ASSERT_EQ(0, x->edge_port[0]);
		}
	}
}

TEST_F(ne, dag_dump_unknown)
{
	struct dag_dump d = {};
	struct nl_msg *m;

	m = cu_msg(&self->cu, CLICKUP_CMD_DAG_GET, NLM_F_DUMP);
	ASSERT_NE(NULL, m);
	nla_put_string(m, CLICKUP_A_NE_NAME, "nosuch");
	ASSERT_EQ(-ENOENT, cu_xfer(&self->cu, m, parse_dag_atom, &d));
	ASSERT_EXTACK(&self->cu, "no such network element");
	ASSERT_EQ(0, d.n);
}

TEST_F(ne, atom_types)
{
	static const char *const names[] = {
		"fromdevice", "todevice", "discard", "accept", "counter", "fromhook",
	};
	struct type_dump d = {};
	struct nl_msg *m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(d.t); i++)
		d.t[i].name = names[i];
	m = cu_msg(&self->cu, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP);
	ASSERT_EQ(0, cu_xfer(&self->cu, m, parse_type, &d));
	ASSERT_GE(d.total, (int)ARRAY_SIZE(d.t));
	for (i = 0; i < ARRAY_SIZE(d.t); i++) {
		ASSERT_EQ(1, d.t[i].count) TH_LOG("type %s", d.t[i].name);
	}
	ASSERT_TRUE(d.t[0].flags & CLICKUP_TYPE_F_ENTRY);	/* fromdevice */
	ASSERT_TRUE(d.t[5].flags & CLICKUP_TYPE_F_ENTRY);	/* fromhook */
	ASSERT_TRUE(d.t[1].flags & CLICKUP_TYPE_F_TERMINAL);	/* todevice */
	ASSERT_TRUE(d.t[2].flags & CLICKUP_TYPE_F_TERMINAL);	/* discard */
	ASSERT_TRUE(d.t[3].flags & CLICKUP_TYPE_F_TERMINAL);	/* accept */
	ASSERT_FALSE(d.t[4].flags &
		     (CLICKUP_TYPE_F_ENTRY | CLICKUP_TYPE_F_TERMINAL));
}

/* An alias is a name of the type: autoload finds it, the dump lists it. */
TEST_F(ne, atom_type_aliases)
{
	struct alias_dump d = {};
	struct nl_msg *m;

	ASSERT_EQ(0, sh("modprobe clickup-atom-readwhitelist"));
	m = cu_msg(&self->cu, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP);
	ASSERT_EQ(0, cu_xfer(&self->cu, m, parse_type_aliases, &d));
	ASSERT_EQ(1, d.readstate);
	ASSERT_EQ(0, d.readwhitelist);
	ASSERT_STREQ(" readwhitelist", d.aliases);
}

TEST_F(ne, new_exists)
{
	ASSERT_EQ(-EEXIST, cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, NE,
				   build_plain, NULL));
	ASSERT_EXTACK(&self->cu, "network element '" NE "' exists");
	ASSERT_UNTOUCHED(self, 1);
}

TEST_F(ne, unknown_ne)
{
	struct reply r;

	ASSERT_EQ(-ENOENT, cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, "nosuch",
				   build_plain, NULL));
	ASSERT_EXTACK(&self->cu, "no network element 'nosuch'");
	ASSERT_EQ(-ENOENT, cu_ne_get(&self->cu, "nosuch", &r));
	ASSERT_EXTACK(&self->cu, "no network element 'nosuch'");
	ASSERT_EQ(-ENOENT, cu_ne_del(&self->cu, "nosuch"));
	ASSERT_EXTACK(&self->cu, "no network element 'nosuch'");
	ASSERT_UNTOUCHED(self, 1);
}

/* An unprivileged caller is refused every operation (GENL_UNS_ADMIN_PERM). */
TEST_F(ne, eperm)
{
	pid_t pid = fork();
	int status;

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct reply r;
		struct cu cu;
		int e;

		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (cu_open(&cu))
			_exit(11);
		if (cu_ne_get(&cu, NE, &r) != -EPERM)
			_exit(12);
		if (cu_ne_send(&cu, CLICKUP_CMD_NE_NEW, "x", build_plain, NULL) != -EPERM)
			_exit(13);
		if (cu_ne_send(&cu, CLICKUP_CMD_NE_UPGRADE, NE, build_plain, NULL) != -EPERM)
			_exit(14);
		if (cu_ne_del(&cu, NE) != -EPERM)
			_exit(15);
		e = cu_xfer(&cu, cu_msg(&cu, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP),
			    NULL, NULL);
		if (e != -EPERM)
			_exit(16);
		e = cu_xfer(&cu, cu_msg(&cu, CLICKUP_CMD_NE_GET, NLM_F_DUMP),
			    NULL, NULL);
		if (e != -EPERM)
			_exit(17);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	/* 12..17: which operation was not refused with EPERM */
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_UNTOUCHED(self, 1);
}

/* ---- rejected DAGs: one variant per bad input ------------------------- */

#define DAG(m, ne, atoms, edges)					\
	do {								\
		put_name(m, ne);					\
		put_dag(m, atoms, ARRAY_SIZE(atoms), edges, ARRAY_SIZE(edges)); \
	} while (0)

static void bad_no_name(struct nl_msg *m, const char *ne)
{
	(void)ne;
	put_dag(m, bridge_atoms, ARRAY_SIZE(bridge_atoms),
		bridge_edges, ARRAY_SIZE(bridge_edges));
}

static void bad_no_dag(struct nl_msg *m, const char *ne)
{
	put_name(m, ne);
}

static void bad_no_atoms(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	put_edges(m, bridge_edges, ARRAY_SIZE(bridge_edges));
	nla_nest_end(m, dag);
}

static void bad_atom_no_type(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[1].type = NULL;
	DAG(m, ne, a, bridge_edges);
}

static void bad_edge_no_dst(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[1].dst = NOPORT;
	DAG(m, ne, bridge_atoms, e);
}

static void bad_edge_no_src(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[2].src = NOPORT;
	DAG(m, ne, bridge_atoms, e);
}

static void bad_ne_name_long(struct nl_msg *m, const char *ne)
{
	char name[CLICKUP_NAME_MAX + 1];

	(void)ne;
	memset(name, 'x', CLICKUP_NAME_MAX);	/* 32 chars + NUL */
	name[CLICKUP_NAME_MAX] = '\0';
	nla_put_string(m, CLICKUP_A_NE_NAME, name);
	put_dag(m, bridge_atoms, ARRAY_SIZE(bridge_atoms),
		bridge_edges, ARRAY_SIZE(bridge_edges));
}

static char long_name[CLICKUP_NAME_MAX + 1] =
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";	/* 32 chars */

static void bad_atom_name_long(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[1].name = long_name;
	DAG(m, ne, a, bridge_edges);
}

static void bad_atom_type_long(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[1].type = long_name;
	DAG(m, ne, a, bridge_edges);
}

static void bad_arg_long(struct nl_msg *m, const char *ne)
{
	static char arg[CLICKUP_ARG_MAX + 1];
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memset(arg, 'd', CLICKUP_ARG_MAX);
	memcpy(a, bridge_atoms, sizeof(a));
	a[0].args[0] = arg;
	DAG(m, ne, a, bridge_edges);
}

/* NE name as a string without its NUL. */
static void bad_ne_name_nonul(struct nl_msg *m, const char *ne)
{
	nla_put(m, CLICKUP_A_NE_NAME, strlen(ne), ne);
	put_dag(m, bridge_atoms, ARRAY_SIZE(bridge_atoms),
		bridge_edges, ARRAY_SIZE(bridge_edges));
}

/* An edge with a u16 where a u32 belongs. */
static void bad_edge_u16(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag, *edges, *ed;
	size_t i;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	put_atoms(m, bridge_atoms, ARRAY_SIZE(bridge_atoms));
	edges = nla_nest_start(m, CLICKUP_DAG_A_EDGES);
	for (i = 0; i < ARRAY_SIZE(bridge_edges); i++) {
		ed = nla_nest_start(m, ELEM_TYPE(i));
		if (i == 1)
			nla_put_u16(m, CLICKUP_EDGE_A_SRC, bridge_edges[i].src);
		else
			nla_put_u32(m, CLICKUP_EDGE_A_SRC, bridge_edges[i].src);
		nla_put_u32(m, CLICKUP_EDGE_A_PORT, bridge_edges[i].port);
		nla_put_u32(m, CLICKUP_EDGE_A_DST, bridge_edges[i].dst);
		nla_put_u32(m, CLICKUP_EDGE_A_DST_PORT, bridge_edges[i].dst_port);
		nla_nest_end(m, ed);
	}
	nla_nest_end(m, edges);
	nla_nest_end(m, dag);
}

/* An atom type given as a u32 instead of a string. */
static void bad_atom_type_u32(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag, *atoms, *at;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	atoms = nla_nest_start(m, CLICKUP_DAG_A_ATOMS);
	at = nla_nest_start(m, ELEM_TYPE(0));
	nla_put_string(m, CLICKUP_ATOM_A_NAME, "in1");
	nla_put_u32(m, CLICKUP_ATOM_A_TYPE, 0x12345678);	/* no NUL */
	nla_nest_end(m, at);
	nla_nest_end(m, atoms);
	put_edges(m, NULL, 0);
	nla_nest_end(m, dag);
}

static void bad_unknown_attr(struct nl_msg *m, const char *ne)
{
	put_name(m, ne);
	put_dag(m, bridge_atoms, ARRAY_SIZE(bridge_atoms),
		bridge_edges, ARRAY_SIZE(bridge_edges));
	nla_put_u32(m, CLICKUP_A_MAX + 1, 1);
}

static void bad_unknown_dag_attr(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	put_atoms(m, bridge_atoms, ARRAY_SIZE(bridge_atoms));
	put_edges(m, bridge_edges, ARRAY_SIZE(bridge_edges));
	nla_put_u32(m, CLICKUP_DAG_A_MAX + 1, 1);
	nla_nest_end(m, dag);
}

static void bad_unknown_type(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[4].type = "nosuchatom";
	DAG(m, ne, a, bridge_edges);
}

static void bad_unknown_type_noautoload(struct nl_msg *m, const char *ne)
{
	bad_unknown_type(m, ne);
	nla_put_flag(m, CLICKUP_A_NO_AUTOLOAD);
}

static void bad_cycle(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "in1", "fromdevice", { "p1" } },
		{ "ca", "counter", {} },
		{ "cb", "counter", {} },
	};
	static const struct edge e[] = {
		{ 0, 0, 1, 0 }, { 1, 0, 2, 0 }, { 2, 0, 1, 0 },
	};
	DAG(m, ne, a, e);
}

static void bad_self_loop(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "in1", "fromdevice", { "p1" } },
		{ "ca", "counter", {} },
	};
	static const struct edge e[] = { { 0, 0, 1, 0 }, { 1, 0, 1, 0 } };

	DAG(m, ne, a, e);
}

static void bad_edge_index(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[3].dst = ARRAY_SIZE(bridge_atoms);	/* one past the end */
	DAG(m, ne, bridge_atoms, e);
}

static void bad_edge_src_index(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[3].src = 1000;
	DAG(m, ne, bridge_atoms, e);
}

static void bad_out_port(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[1].port = 1;		/* counter has one output: port 0 */
	DAG(m, ne, bridge_atoms, e);
}

static void bad_in_port(struct nl_msg *m, const char *ne)
{
	struct edge e[ARRAY_SIZE(bridge_edges)];

	memcpy(e, bridge_edges, sizeof(e));
	e[0].dst_port = 1;	/* counter has one input: port 0 */
	DAG(m, ne, bridge_atoms, e);
}

static void bad_out_twice(struct nl_msg *m, const char *ne)
{
	static const struct edge e[] = {
		{ 0, 0, 1, 0 }, { 1, 0, 2, 0 }, { 3, 0, 4, 0 }, { 4, 0, 5, 0 },
		{ 1, 0, 5, 0 },	/* c12 output 0 again, to out1 */
	};
	DAG(m, ne, bridge_atoms, e);
}

static void bad_out_unconnected(struct nl_msg *m, const char *ne)
{
	static const struct edge e[] = {
		{ 0, 0, 1, 0 }, { 1, 0, 2, 0 }, { 3, 0, 4, 0 },
	};
	put_name(m, ne);
	put_dag(m, bridge_atoms, 5, e, ARRAY_SIZE(e));
}

static void bad_entry_incoming(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "in1", "fromdevice", { "p1" } },
		{ "c12", "counter", {} },
		{ "in2", "fromdevice", { "p2" } },
		{ "out1", "todevice", { "p1" } },
	};
	static const struct edge e[] = {
		{ 0, 0, 1, 0 }, { 1, 0, 2, 0 },	/* c12 -> in2: an entry */
		{ 2, 0, 3, 0 },
	};
	DAG(m, ne, a, e);
}

static void bad_no_entry(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "c", "counter", {} }, { "d", "discard", {} },
	};
	static const struct edge e[] = { { 0, 0, 1, 0 } };

	DAG(m, ne, a, e);
}

/*
 * libnl's nla_nest_end() strips empty nests: write the empty ATOMS and
 * EDGES attributes by hand so the DAG is present but empty.
 */
static void bad_empty_dag(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	nla_put(m, CLICKUP_DAG_A_ATOMS | NLA_F_NESTED, 0, NULL);
	nla_put(m, CLICKUP_DAG_A_EDGES | NLA_F_NESTED, 0, NULL);
	nla_nest_end(m, dag);
}

static void bad_too_many_atoms(struct nl_msg *m, const char *ne)
{
	static struct atom a[CLICKUP_MAX_ATOMS + 1];
	static struct edge e[CLICKUP_MAX_ATOMS];
	static char names[CLICKUP_MAX_ATOMS + 1][16];
	int i, n = CLICKUP_MAX_ATOMS + 1;

	/* a valid chain: fromdevice -> counter x 1023 -> todevice */
	for (i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "a%d", i);
		a[i].name = names[i];
		a[i].type = "counter";
		a[i].args[0] = NULL;
		if (i < n - 1)
			e[i] = (struct edge){ i, 0, i + 1, 0 };
	}
	a[0].type = "fromdevice";
	a[0].args[0] = "p1";
	a[n - 1].type = "todevice";
	a[n - 1].args[0] = "p2";
	put_name(m, ne);
	put_dag(m, a, n, e, n - 1);
}

/*
 * 4097 edges cannot be sent as real edges: even the shortest (SRC and DST
 * only, 20 bytes) overflow the 16-bit nla_len of CLICKUP_DAG_A_EDGES at
 * 3276 edges. Empty edge elements (4 bytes each) reach the count check,
 * which comes before any edge is parsed.
 */
static void bad_too_many_edges(struct nl_msg *m, const char *ne)
{
	struct nlattr *dag, *edges;
	int i;

	put_name(m, ne);
	dag = nla_nest_start(m, CLICKUP_A_DAG);
	put_atoms(m, bridge_atoms, ARRAY_SIZE(bridge_atoms));
	edges = nla_nest_start(m, CLICKUP_DAG_A_EDGES);
	for (i = 0; i < CLICKUP_MAX_EDGES + 1; i++)
		nla_put(m, ELEM_TYPE(i) | NLA_F_NESTED, 0, NULL);
	nla_nest_end(m, edges);
	nla_nest_end(m, dag);
}

static void bad_too_many_args(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];
	int i;

	memcpy(a, bridge_atoms, sizeof(a));
	for (i = 0; i < CLICKUP_MAX_ARGS + 1; i++)
		a[1].args[i] = "x";
	a[1].args[CLICKUP_MAX_ARGS + 1] = NULL;
	DAG(m, ne, a, bridge_edges);
}

static void bad_fromdevice_nodev(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[3].args[0] = "nosuchdev";
	DAG(m, ne, a, bridge_edges);
}

static void bad_todevice_nodev(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[2].args[0] = "nosuchdev";
	DAG(m, ne, a, bridge_edges);
}

static void bad_fromdevice_noargs(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[3].args[0] = NULL;
	DAG(m, ne, a, bridge_edges);
}

static void bad_todevice_2args(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[5].args[1] = "p2";
	DAG(m, ne, a, bridge_edges);
}

static void bad_fromhook_family(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "h", "fromhook", { "ipx", "input" } },
		{ "ok", "accept", {} },
	};
	static const struct edge e[] = { { 0, 0, 1, 0 } };

	DAG(m, ne, a, e);
}

static void bad_fromhook_hook(struct nl_msg *m, const char *ne)
{
	static const struct atom a[] = {
		{ "h", "fromhook", { "ipv4", "nosuchhook" } },
		{ "ok", "accept", {} },
	};
	static const struct edge e[] = { { 0, 0, 1, 0 } };

	DAG(m, ne, a, e);
}

static void bad_dup_atom_name(struct nl_msg *m, const char *ne)
{
	struct atom a[ARRAY_SIZE(bridge_atoms)];

	memcpy(a, bridge_atoms, sizeof(a));
	a[4].name = "c12";
	DAG(m, ne, a, bridge_edges);
}

FIXTURE(bad) {
	struct cu cu;
};

FIXTURE_VARIANT(bad) {
	void (*build)(struct nl_msg *m, const char *ne);
	int err, err2;		/* accepted errnos; err2 0: only err */
	const char *ext;	/* substring of the extack; NULL: any */
	int miss_type;		/* missing attribute: NLMSGERR_ATTR_MISS_TYPE ok */
};

#define BAD(id, fn, e1, e2, msg)					\
	FIXTURE_VARIANT_ADD(bad, id) {					\
		.build = fn, .err = e1, .err2 = e2, .ext = msg,		\
		.miss_type = -1,					\
	}
#define BAD_MISSING(id, fn, attr)					\
	FIXTURE_VARIANT_ADD(bad, id) {					\
		.build = fn, .err = EINVAL, .miss_type = attr,		\
	}

BAD_MISSING(no_ne_name, bad_no_name, CLICKUP_A_NE_NAME);
BAD_MISSING(no_dag, bad_no_dag, CLICKUP_A_DAG);
BAD_MISSING(no_atoms, bad_no_atoms, CLICKUP_DAG_A_ATOMS);
BAD_MISSING(atom_no_type, bad_atom_no_type, CLICKUP_ATOM_A_TYPE);
BAD_MISSING(edge_no_src, bad_edge_no_src, CLICKUP_EDGE_A_SRC);
BAD_MISSING(edge_no_dst, bad_edge_no_dst, CLICKUP_EDGE_A_DST);
BAD(ne_name_long, bad_ne_name_long, EINVAL, ERANGE, NULL);
BAD(atom_name_long, bad_atom_name_long, EINVAL, ERANGE, NULL);
BAD(atom_type_long, bad_atom_type_long, EINVAL, ERANGE, NULL);
BAD(arg_long, bad_arg_long, EINVAL, ERANGE, NULL);
BAD(ne_name_nonul, bad_ne_name_nonul, EINVAL, ERANGE, NULL);
BAD(edge_u16, bad_edge_u16, EINVAL, ERANGE, NULL);
BAD(atom_type_u32, bad_atom_type_u32, EINVAL, ERANGE, NULL);
BAD(unknown_attr, bad_unknown_attr, EINVAL, 0, NULL);
BAD(unknown_dag_attr, bad_unknown_dag_attr, EINVAL, 0, NULL);
BAD(unknown_atom_type, bad_unknown_type, ENOENT, 0,
    "unknown atom type 'nosuchatom'");
BAD(unknown_atom_type_noautoload, bad_unknown_type_noautoload, ENOENT, 0,
    "unknown atom type 'nosuchatom' (not loaded)");
BAD(cycle, bad_cycle, ELOOP, 0, "cycle");
BAD(self_loop, bad_self_loop, ELOOP, 0, "cycle");
BAD(edge_dst_index, bad_edge_index, EINVAL, 0,
    "edge 3: atom index out of range");
BAD(edge_src_index, bad_edge_src_index, EINVAL, 0,
    "edge 3: atom index out of range");
BAD(output_port_range, bad_out_port, ERANGE, 0, "output port");
BAD(input_port_range, bad_in_port, ERANGE, 0, "input port");
BAD(output_twice, bad_out_twice, EINVAL, 0, NULL);
BAD(output_unconnected, bad_out_unconnected, EINVAL, 0, "not connected");
BAD(entry_incoming, bad_entry_incoming, EINVAL, 0, NULL);
BAD(no_entry, bad_no_entry, EINVAL, 0, "entry");
BAD(empty_dag, bad_empty_dag, EINVAL, 0, NULL);
BAD(dup_atom_name, bad_dup_atom_name, EINVAL, EEXIST, "c12");
BAD(too_many_atoms, bad_too_many_atoms, E2BIG, 0, "1024");
BAD(too_many_edges, bad_too_many_edges, E2BIG, 0, "1024");
BAD(too_many_args, bad_too_many_args, E2BIG, 0, "16");
BAD(fromdevice_nodev, bad_fromdevice_nodev, ENODEV, 0, "nosuchdev");
BAD(todevice_nodev, bad_todevice_nodev, ENODEV, 0, "nosuchdev");
BAD(fromdevice_no_args, bad_fromdevice_noargs, EINVAL, 0, NULL);
BAD(todevice_two_args, bad_todevice_2args, EINVAL, 0, NULL);
BAD(fromhook_family, bad_fromhook_family, EINVAL, EAFNOSUPPORT, NULL);
BAD(fromhook_hook, bad_fromhook_hook, EINVAL, 0, NULL);

FIXTURE_SETUP(bad)
{
	SETUP_NE(self);
}

FIXTURE_TEARDOWN(bad)
{
	cu_close(&self->cu);
}

static void check_rejection(struct __test_metadata *_metadata,
			    const FIXTURE_VARIANT(bad) *variant,
			    struct cu *cu, int ret)
{
	ASSERT_TRUE(ret == -variant->err || (variant->err2 && ret == -variant->err2))
		TH_LOG("got %d (%s), want -%d%s; extack '%s'", ret,
		       ret < 0 ? strerror(-ret) : "success", variant->err,
		       variant->err2 ? " or the alternative" : "", cu->ext);
	if (variant->miss_type >= 0 && !cu->ext[0]) {
		/* GENL_REQ_ATTR_CHECK() style: the attribute, no text */
		ASSERT_EQ(variant->miss_type, cu->ext_miss_type)
			TH_LOG("neither an extack message nor the missing attribute");
		TH_LOG("extack: missing attribute %d (no message)", cu->ext_miss_type);
		return;
	}
	ASSERT_EXTACK(cu, variant->ext);
	TH_LOG("extack: %s", cu->ext);
}

TEST_F(bad, upgrade)
{
	int ret = cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, NE,
			  variant->build, NULL);

	check_rejection(_metadata, variant, &self->cu, ret);
	ASSERT_UNTOUCHED(self, 1);
	/* and the NE still takes a good upgrade */
	ASSERT_EQ(0, cu_ne_send(&self->cu, CLICKUP_CMD_NE_UPGRADE, NE,
			     build_bridge, NULL)) TH_LOG("%s", self->cu.ext);
	ASSERT_UNTOUCHED(self, 2);
}

TEST_F(bad, create)
{
	struct reply r;
	int ret = cu_ne_send(&self->cu, CLICKUP_CMD_NE_NEW, "new",
			  variant->build, NULL);

	check_rejection(_metadata, variant, &self->cu, ret);
	/* nothing half-created */
	ASSERT_EQ(-ENOENT, cu_ne_get(&self->cu, "new", &r));
	ASSERT_UNTOUCHED(self, 1);
}

/* TEST_HARNESS_MAIN, but the whole binary skips (exit 4) without the family. */
static void __attribute__((constructor)) __constructor_order_last(void)
{
	if (!__constructor_order)
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;
}

int main(int argc, char **argv)
{
	struct cu cu;
	int e = cu_open(&cu);

	cu_close(&cu);
	if (e == -ENOENT) {
		ksft_print_header();
		ksft_exit_skip("genl family '%s' not found: clickup.ko not loaded\n",
			       CLICKUP_GENL_NAME);
	}
	return test_harness_run(argc, argv);
}
