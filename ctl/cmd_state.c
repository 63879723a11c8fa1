// SPDX-License-Identifier: GPL-2.0
/*
 * state: the per-netns state tables of clickup.ko (TABLE_* and FLOW_*
 * commands): list, show, flush, delete, set, and save/restore through a
 * checked file (state_file.c, docs/state.md).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "json.h"
#include "state_file.h"

/* FLOW_NEW messages stay below this (the flows are top-level attributes,
 * so there is no 64 KiB nest limit; this keeps each skb modest).
 */
#define RESTORE_MSG_BYTES	(96 * 1024)

static int sub_usage(const char *sub, const char *fmt, const char *arg);

static void nomem(struct nlerr *e)
{
	*e = (struct nlerr){ .err = ENOMEM, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "cannot build the netlink message");
}

/* ---- tables ------------------------------------------------------------- */

struct tinfo {
	char name[CLICKUP_NAME_MAX];
	uint32_t entries, max, entry_size, users;
	uint64_t inserted, refused, expired, memory;
};

struct tlist {
	struct tinfo *v;
	size_t n;
};

static int on_table(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *t[CLICKUP_TABLE_A_MAX + 1];
	struct tlist *l = arg;
	struct tinfo *ti;

	(void)cmd;
	if (!tb[CLICKUP_A_TABLE] ||
	    nla_parse_nested(t, CLICKUP_TABLE_A_MAX, tb[CLICKUP_A_TABLE], NULL) < 0)
		return 0;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	ti = &l->v[l->n++];
	nla_str_to(t[CLICKUP_TABLE_A_NAME], ti->name, sizeof(ti->name));
	ti->entries = nla_u32_or(t[CLICKUP_TABLE_A_ENTRIES], 0);
	ti->max = nla_u32_or(t[CLICKUP_TABLE_A_LIMIT], 0);
	ti->inserted = nla_u64_or(t[CLICKUP_TABLE_A_INSERTED], 0);
	ti->refused = nla_u64_or(t[CLICKUP_TABLE_A_REFUSED], 0);
	ti->expired = nla_u64_or(t[CLICKUP_TABLE_A_EXPIRED], 0);
	ti->entry_size = nla_u32_or(t[CLICKUP_TABLE_A_ENTRY_SIZE], 0);
	ti->memory = nla_u64_or(t[CLICKUP_TABLE_A_MEMORY], 0);
	ti->users = nla_u32_or(t[CLICKUP_TABLE_A_USERS], 0);
	return 0;
}

static int fetch_tables(struct nlctx *nl, struct tlist *l, struct nlerr *e)
{
	struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_TABLE_GET, NLM_F_DUMP, 0);

	if (!m) {
		nomem(e);
		return -1;
	}
	return nlc_talk(nl, m, on_table, l, e) < 0 ? -1 : 0;
}

static const struct tinfo *find_table(const struct tlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static int decimals(uint64_t v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static int state_list(struct ctx *c)
{
	static const char *const head[] = { "TABLE", "ENTRIES", "MAX", "INSERTED",
		"REFUSED", "EXPIRED", "ENTRY_SIZE", "MEMORY", "USERS" };
	int w[9];
	struct tlist l = { 0 };
	struct nlctx *nl = ctx_nl(c);
	struct nlerr e;

	if (!nl)
		return EXIT_KERNEL;
	if (fetch_tables(nl, &l, &e) < 0) {
		free(l.v);
		return kfail("state", &e, "");
	}
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_arr_open(&j, NULL);
		for (size_t i = 0; i < l.n; i++) {
			const struct tinfo *t = &l.v[i];

			json_obj_open(&j, NULL);
			json_str(&j, "name", t->name);
			json_u64(&j, "entries", t->entries);
			json_u64(&j, "max", t->max);
			json_u64(&j, "inserted", t->inserted);
			json_u64(&j, "refused", t->refused);
			json_u64(&j, "expired", t->expired);
			json_u64(&j, "entry_size", t->entry_size);
			json_u64(&j, "memory", t->memory);
			json_u64(&j, "users", t->users);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_end(&j);
		free(l.v);
		return 0;
	}
	for (int k = 0; k < 9; k++)
		w[k] = (int)strlen(head[k]);
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[9] = { 0, t->entries, t->max, t->inserted, t->refused,
				  t->expired, t->entry_size, t->memory, t->users };

		if ((int)strlen(t->name) > w[0])
			w[0] = (int)strlen(t->name);
		for (int k = 1; k < 9; k++)
			if (decimals(v[k]) > w[k])
				w[k] = decimals(v[k]);
	}
	printf("%-*s", w[0], head[0]);
	for (int k = 1; k < 9; k++)
		printf("  %*s", w[k], head[k]);
	putchar('\n');
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[9] = { 0, t->entries, t->max, t->inserted, t->refused,
				  t->expired, t->entry_size, t->memory, t->users };

		printf("%-*s", w[0], t->name);
		for (int k = 1; k < 9; k++)
			printf("  %*" PRIu64, w[k], v[k]);
		putchar('\n');
	}
	fflush(stdout);
	free(l.v);
	return 0;
}

/* ---- flows ---------------------------------------------------------------- */

static void flow_from_attr(struct nlattr *nest, struct sf_table *t)
{
	struct nlattr *f[CLICKUP_FLOW_A_MAX + 1];
	struct sf_flow fl = { 0 };

	if (nla_parse_nested(f, CLICKUP_FLOW_A_MAX, nest, NULL) < 0)
		return;
	if (f[CLICKUP_FLOW_A_PROTO] && nla_len(f[CLICKUP_FLOW_A_PROTO]) >= 1)
		fl.proto = nla_get_u8(f[CLICKUP_FLOW_A_PROTO]);
	fl.saddr = nla_u32_or(f[CLICKUP_FLOW_A_SADDR], 0);
	fl.daddr = nla_u32_or(f[CLICKUP_FLOW_A_DADDR], 0);
	fl.xaddr = nla_u32_or(f[CLICKUP_FLOW_A_XADDR], 0);
	if (f[CLICKUP_FLOW_A_SPORT] && nla_len(f[CLICKUP_FLOW_A_SPORT]) >= 2)
		fl.sport = nla_get_u16(f[CLICKUP_FLOW_A_SPORT]);
	if (f[CLICKUP_FLOW_A_DPORT] && nla_len(f[CLICKUP_FLOW_A_DPORT]) >= 2)
		fl.dport = nla_get_u16(f[CLICKUP_FLOW_A_DPORT]);
	if (f[CLICKUP_FLOW_A_XPORT] && nla_len(f[CLICKUP_FLOW_A_XPORT]) >= 2)
		fl.xport = nla_get_u16(f[CLICKUP_FLOW_A_XPORT]);
	if (f[CLICKUP_FLOW_A_STATE] && nla_len(f[CLICKUP_FLOW_A_STATE]) >= 1)
		fl.state = nla_get_u8(f[CLICKUP_FLOW_A_STATE]);
	if (f[CLICKUP_FLOW_A_INIT_DIR] && nla_len(f[CLICKUP_FLOW_A_INIT_DIR]) >= 1)
		fl.init_dir = nla_get_u8(f[CLICKUP_FLOW_A_INIT_DIR]) ? 1 : 0;
	if (f[CLICKUP_FLOW_A_FIN_DIR] && nla_len(f[CLICKUP_FLOW_A_FIN_DIR]) >= 1)
		fl.fin_dir = nla_get_u8(f[CLICKUP_FLOW_A_FIN_DIR]) ? 1 : 0;
	fl.timeout_ms = nla_u32_or(f[CLICKUP_FLOW_A_TIMEOUT], 0);
	if (fl.state >= __CLICKUP_FLOW_S_MAX)
		fl.state = CLICKUP_FLOW_S_NONE;
	sf_add_flow(t, &fl);
}

/* genlmsg_parse keeps only the last CLICKUP_A_FLOW of a message: walk
 * every attribute from the first to the last one it found (they are
 * contiguous in the message) and take each flow.
 */
static int on_flows(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct sf_table *t = arg;
	char *start = NULL, *end = NULL;
	struct nlattr *a;
	int rem;

	(void)cmd;
	for (int i = 0; i <= CLICKUP_A_MAX; i++) {
		char *p = (char *)tb[i];

		if (!p)
			continue;
		if (!start || p < start)
			start = p;
		if (!end || p + nla_total_size(nla_len(tb[i])) > end)
			end = p + nla_total_size(nla_len(tb[i]));
	}
	if (!start || !tb[CLICKUP_A_FLOW])
		return 0;
	nla_for_each_attr(a, (struct nlattr *)start, (int)(end - start), rem)
		if (nla_type(a) == CLICKUP_A_FLOW)
			flow_from_attr(a, t);
	return 0;
}

/* The flows of one table, sorted by key, each once. */
static int fetch_flows(struct nlctx *nl, struct sf_table *t, struct nlerr *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_FLOW_GET, NLM_F_DUMP, 64);
		int r;

		t->n = 0;
		if (!m || nla_put_string(m, CLICKUP_A_TABLE_NAME, t->name) < 0) {
			nlmsg_free(m);
			nomem(e);
			return -1;
		}
		r = nlc_talk(nl, m, on_flows, t, e);
		/* 6.1 drops the extack of a dump's start callback */
		if (r < 0 && e->err == ENOENT && !e->msg[0])
			snprintf(e->msg, sizeof(e->msg), "no state table '%s'",
				 t->name);
		if (r < 0)
			return -1;
		if (r == 0) {
			sf_sort_dedup(t);
			return 0;
		}
	}
	*e = (struct nlerr){ .err = EAGAIN, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "table kept changing during the dump");
	return -1;
}

static const char *proto_name(uint8_t p, char *buf, size_t size)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	}
	snprintf(buf, size, "%u", p);
	return buf;
}

static void addr_port(uint32_t addr, uint16_t port, char *buf, size_t size)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(buf, size, "%s:%u", a, ntohs(port));
}

static void json_flow(struct json *j, const struct sf_flow *f)
{
	char a[INET_ADDRSTRLEN], p[8];

	json_obj_open(j, NULL);
	json_str(j, "proto", proto_name(f->proto, p, sizeof(p)));
	json_u64(j, "proto_num", f->proto);
	json_str(j, "saddr", inet_ntop(AF_INET, &f->saddr, a, sizeof(a)));
	json_u64(j, "sport", ntohs(f->sport));
	json_str(j, "daddr", inet_ntop(AF_INET, &f->daddr, a, sizeof(a)));
	json_u64(j, "dport", ntohs(f->dport));
	json_str(j, "state", sf_state_name(f->state));
	json_u64(j, "init_dir", f->init_dir);
	json_u64(j, "fin_dir", f->fin_dir);
	json_str(j, "xaddr", inet_ntop(AF_INET, &f->xaddr, a, sizeof(a)));
	json_u64(j, "xport", ntohs(f->xport));
	json_u64(j, "expires_ms", f->timeout_ms);
	json_obj_close(j);
}

/* proto src dst state [-> x] expires: aligned columns */
static void print_flows(const struct sf_table *t)
{
	char s[32], d[32], x[40], p[8];
	int ws = 1, wd = 1, wx = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct sf_flow *f = &t->flows[i];

		addr_port(f->saddr, f->sport, s, sizeof(s));
		addr_port(f->daddr, f->dport, d, sizeof(d));
		ws = (int)strlen(s) > ws ? (int)strlen(s) : ws;
		wd = (int)strlen(d) > wd ? (int)strlen(d) : wd;
		if (f->xaddr || f->xport) {
			addr_port(f->xaddr, f->xport, x + 3, sizeof(x) - 3);
			wx = (int)strlen(x + 3) + 3 > wx ? (int)strlen(x + 3) + 3 : wx;
		}
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct sf_flow *f = &t->flows[i];

		addr_port(f->saddr, f->sport, s, sizeof(s));
		addr_port(f->daddr, f->dport, d, sizeof(d));
		x[0] = 0;
		if (f->xaddr || f->xport) {
			memcpy(x, "-> ", 3);
			addr_port(f->xaddr, f->xport, x + 3, sizeof(x) - 3);
		}
		printf("%-4s %-*s  %-*s  %-11s", proto_name(f->proto, p, sizeof(p)),
		       ws, s, wd, d, sf_state_name(f->state));
		if (wx)
			printf("  %-*s", wx, x);
		printf("  expires %u.%us\n", f->timeout_ms / 1000,
		       f->timeout_ms % 1000 / 100);
	}
}

static int state_show(struct ctx *c, const char *name)
{
	struct sf_table t = { 0 };
	struct nlctx *nl = ctx_nl(c);
	char what[64];
	struct nlerr e;

	snprintf(what, sizeof(what), "state show %s", name);
	if (!nl)
		return EXIT_KERNEL;
	snprintf(t.name, sizeof(t.name), "%s", name);
	if (fetch_flows(nl, &t, &e) < 0) {
		free(t.flows);
		return kfail(what, &e, "");
	}
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_arr_open(&j, NULL);
		for (size_t i = 0; i < t.n; i++)
			json_flow(&j, &t.flows[i]);
		json_arr_close(&j);
		json_end(&j);
	} else {
		print_flows(&t);
	}
	fflush(stdout);
	free(t.flows);
	return 0;
}

/* ---- flush, delete, set ------------------------------------------------------ */

/* One doit request on a table; put adds more attributes (or NULL). */
static int table_req(struct ctx *c, const char *what, uint8_t cmd,
		     const char *name, int (*put)(struct nl_msg *, void *),
		     void *arg)
{
	struct nlctx *nl = ctx_nl(c);
	struct nl_msg *m;
	struct nlerr e;

	if (!nl)
		return EXIT_KERNEL;
	m = nlc_msg(nl, cmd, NLM_F_ACK, 256);
	if (!m || nla_put_string(m, CLICKUP_A_TABLE_NAME, name) < 0 ||
	    (put && put(m, arg) < 0)) {
		nlmsg_free(m);
		return fail(what, "cannot build the netlink message");
	}
	if (nlc_talk(nl, m, NULL, NULL, &e) < 0)
		return kfail(what, &e, "");
	return 0;
}

static int put_max(struct nl_msg *m, void *arg)
{
	return nla_put_u32(m, CLICKUP_A_TABLE_MAX, *(uint32_t *)arg);
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long n;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

static int parse_proto(const char *s, uint8_t *p)
{
	uint32_t v;

	if (!strcasecmp(s, "tcp"))
		*p = 6;
	else if (!strcasecmp(s, "udp"))
		*p = 17;
	else if (!strcasecmp(s, "icmp"))
		*p = 1;
	else if (!parse_u32(s, &v) && v <= 255)
		*p = (uint8_t)v;
	else
		return -1;
	return 0;
}

/* ADDR:PORT or ADDR (port 0); address and port in network order. */
static int parse_endpoint(const char *s, uint32_t *addr, uint16_t *port)
{
	char buf[64], *colon;
	uint32_t v = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (parse_u32(colon + 1, &v) || v > 65535)
			return -1;
	}
	if (inet_pton(AF_INET, buf, addr) != 1)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

struct flow_key {
	uint8_t proto;
	uint32_t saddr, daddr;
	uint16_t sport, dport;
};

static int put_key(struct nl_msg *m, void *arg)
{
	const struct flow_key *k = arg;
	struct nlattr *nest = nla_nest_start(m, CLICKUP_A_FLOW);

	if (!nest || nla_put_u8(m, CLICKUP_FLOW_A_PROTO, k->proto) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_SADDR, k->saddr) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_DADDR, k->daddr) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_SPORT, k->sport) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_DPORT, k->dport) < 0)
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

static int state_delete(struct ctx *c, int argc, char **argv)
{
	char what[160];
	struct flow_key k;

	if (argc == 3) {
		snprintf(what, sizeof(what), "state delete %s", argv[2]);
		return table_req(c, what, CLICKUP_CMD_TABLE_DEL, argv[2], NULL, NULL);
	}
	if (argc != 6)
		return sub_usage("delete", "wrong number of arguments%s", "");
	if (parse_proto(argv[3], &k.proto))
		return sub_usage("delete", "bad protocol '%s' (tcp, udp, icmp or 0-255)",
			     argv[3]);
	if (parse_endpoint(argv[4], &k.saddr, &k.sport))
		return sub_usage("delete", "bad endpoint '%s' (want ADDR:PORT)", argv[4]);
	if (parse_endpoint(argv[5], &k.daddr, &k.dport))
		return sub_usage("delete", "bad endpoint '%s' (want ADDR:PORT)", argv[5]);
	snprintf(what, sizeof(what), "state delete %s %s %s %s", argv[2],
		 argv[3], argv[4], argv[5]);
	return table_req(c, what, CLICKUP_CMD_FLOW_DEL, argv[2], put_key, &k);
}

static int state_set(struct ctx *c, int argc, char **argv)
{
	char what[64];
	uint32_t max;

	if (argc != 5 || strcmp(argv[3], "max"))
		return sub_usage("set", "want 'set TABLE max N'%s", "");
	if (parse_u32(argv[4], &max))
		return sub_usage("set", "bad limit '%s' (0 to 4294967295)", argv[4]);
	snprintf(what, sizeof(what), "state set %s", argv[2]);
	return table_req(c, what, CLICKUP_CMD_TABLE_SET, argv[2], put_max, &max);
}

/* ---- the tables an NE uses ------------------------------------------------- */

struct ne_tables {
	char (*names)[CLICKUP_NAME_MAX];
	size_t n;
	uint64_t generation;
	bool gen_seen, gen_mixed;
};

static int on_atom_table(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *t[CLICKUP_ATOM_A_MAX + 1];
	struct ne_tables *nt = arg;
	uint64_t gen = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	char name[CLICKUP_NAME_MAX];

	(void)cmd;
	if (!tb[CLICKUP_A_ATOM] ||
	    nla_parse_nested(t, CLICKUP_ATOM_A_MAX, tb[CLICKUP_A_ATOM], NULL) < 0)
		return 0;
	if (nt->gen_seen && gen != nt->generation)
		nt->gen_mixed = true;
	nt->gen_seen = true;
	nt->generation = gen;
	if (!t[CLICKUP_ATOM_A_TABLE] ||
	    !*nla_str_to(t[CLICKUP_ATOM_A_TABLE], name, sizeof(name)))
		return 0;
	for (size_t i = 0; i < nt->n; i++)
		if (!strcmp(nt->names[i], name))
			return 0;
	nt->names = realloc(nt->names, (nt->n + 1) * sizeof(*nt->names));
	if (!nt->names)
		abort();
	memcpy(nt->names[nt->n++], name, sizeof(name));
	return 0;
}

static int fetch_ne_tables(struct nlctx *nl, const char *ne,
			   struct ne_tables *nt, struct nlerr *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_DAG_GET, NLM_F_DUMP, 64);
		int r;

		nt->n = 0;
		nt->gen_seen = nt->gen_mixed = false;
		if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0) {
			nlmsg_free(m);
			nomem(e);
			return -1;
		}
		r = nlc_talk(nl, m, on_atom_table, nt, e);
		if (r < 0)
			return -1;
		if (r == 0 && !nt->gen_mixed)
			return 0;
	}
	*e = (struct nlerr){ .err = EAGAIN, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "DAG kept changing during the dump");
	return -1;
}

/* ---- save ------------------------------------------------------------------- */

static int write_all(int fd, const uint8_t *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* FILE, written whole to FILE.tmp.PID and renamed over it; or stdout. */
static int write_file(const char *path, const uint8_t *b, size_t n,
		      char *err, size_t errsize)
{
	char tmp[4096];
	int fd, saved;

	if (!strcmp(path, "-")) {
		if (write_all(STDOUT_FILENO, b, n) < 0) {
			snprintf(err, errsize, "<stdout>: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >=
	    (int)sizeof(tmp)) {
		snprintf(err, errsize, "%s: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errsize, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (write_all(fd, b, n) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		unlink(tmp);
		snprintf(err, errsize, "%s: %s", tmp, strerror(saved));
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		saved = errno;
		unlink(tmp);
		snprintf(err, errsize, "%s: %s", path, strerror(saved));
		return -1;
	}
	return 0;
}

static int state_save(struct ctx *c, const char *ne, const char *path)
{
	struct ne_tables nt = { 0 };
	struct tlist tl = { 0 };
	struct sf s = { 0 };
	struct nlctx *nl = ctx_nl(c);
	char what[64], err[4200];
	uint8_t *buf = NULL;
	size_t len, total = 0;
	struct nlerr e;
	int ret = 1;

	snprintf(what, sizeof(what), "state save %s", ne);
	if (!nl)
		return EXIT_KERNEL;
	if (fetch_ne_tables(nl, ne, &nt, &e) < 0 ||
	    fetch_tables(nl, &tl, &e) < 0) {
		ret = kfail(what, &e, "");
		goto out;
	}
	snprintf(s.ne, sizeof(s.ne), "%s", ne);
	s.created = (uint64_t)time(NULL);
	for (size_t i = 0; i < nt.n; i++) {
		const struct tinfo *ti = find_table(&tl, nt.names[i]);
		struct sf_table *t;

		if (!ti) {
			fail(what, "%s: table '%s' of the NE is not in the table list",
			     strerror(ENOENT), nt.names[i]);
			goto out;
		}
		t = sf_add_table(&s, nt.names[i], ti->max);
		if (fetch_flows(nl, t, &e) < 0) {
			char m[1024];

			nlerr_str(&e, m, sizeof(m));
			fail(what, "table %s: %s", t->name, m);
			ret = EXIT_KERNEL;
			goto out;
		}
		total += t->n;
	}
	len = sf_encode(&s, &buf);
	if (write_file(path, buf, len, err, sizeof(err)) < 0) {
		fail(what, "%s", err);
		goto out;
	}
	if (strcmp(path, "-")) {
		for (size_t i = 0; i < s.n; i++)
			printf("table %s: %zu flow%s saved\n", s.tables[i].name,
			       s.tables[i].n, s.tables[i].n == 1 ? "" : "s");
		printf("saved %s: %zu table%s, %zu flow%s, %zu bytes to %s\n", ne,
		       s.n, s.n == 1 ? "" : "s", total, total == 1 ? "" : "s",
		       len, path);
		fflush(stdout);
	}
	ret = 0;
out:
	free(buf);
	sf_free(&s);
	free(nt.names);
	free(tl.v);
	return ret;
}

/* ---- restore, check ----------------------------------------------------------- */

/* The whole file (or stdin) in memory. */
static int read_file(const char *path, uint8_t **bufp, size_t *lenp,
		     char *err, size_t errsize)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	size_t cap = 1 << 16, len = 0, r;
	uint8_t *b;

	if (!f) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
	b = malloc(cap);
	if (!b)
		abort();
	while ((r = fread(b + len, 1, cap - len, f)) > 0) {
		len += r;
		if (len == cap) {
			cap *= 2;
			b = realloc(b, cap);
			if (!b)
				abort();
		}
	}
	if (ferror(f)) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		free(b);
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	*bufp = b;
	*lenp = len;
	return 0;
}

static int load_file(const char *what, const char *path, struct sf *s)
{
	char err[4200], msg[512];
	uint8_t *buf;
	size_t len;
	int r;

	if (read_file(path, &buf, &len, err, sizeof(err)) < 0)
		return fail(what, "%s", err);
	r = sf_decode(buf, len, s, msg, sizeof(msg));
	free(buf);
	if (r < 0)
		return fail(what, "%s: %s", strcmp(path, "-") ? path : "<stdin>",
			    msg);
	return 0;
}

static int put_flow(struct nl_msg *m, const struct sf_flow *f)
{
	struct nlattr *nest = nla_nest_start(m, CLICKUP_A_FLOW);

	if (!nest || nla_put_u8(m, CLICKUP_FLOW_A_PROTO, f->proto) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_SADDR, f->saddr) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_DADDR, f->daddr) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_SPORT, f->sport) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_DPORT, f->dport) < 0 ||
	    nla_put_u8(m, CLICKUP_FLOW_A_STATE, f->state) < 0 ||
	    nla_put_u8(m, CLICKUP_FLOW_A_INIT_DIR, f->init_dir) < 0 ||
	    nla_put_u8(m, CLICKUP_FLOW_A_FIN_DIR, f->fin_dir) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_XADDR, f->xaddr) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_XPORT, f->xport) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_TIMEOUT, f->timeout_ms) < 0)
		return -1;
	nla_nest_end(m, nest);
	return 0;
}

/* bytes of one flow nest: 4 + 5 u8 + 3 be32/u32 + 3 be16, 8 each */
#define FLOW_NEST_BYTES (4 + 11 * 8)

static int on_count(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	*(uint32_t *)arg += nla_u32_or(tb[CLICKUP_A_COUNT], 0);
	return 0;
}

static int state_restore(struct ctx *c, const char *ne, const char *path)
{
	const size_t per_msg = RESTORE_MSG_BYTES / FLOW_NEST_BYTES;
	struct ne_tables nt = { 0 };
	struct sf s;
	struct nlctx *nl;
	char what[64], m[1024];
	struct nlerr e;
	bool have_ne = false;
	uint32_t *added;
	struct json j;
	int ret = 1;

	snprintf(what, sizeof(what), "state restore %s", ne);
	/* the whole file is checked before anything is sent */
	if (load_file(what, path, &s))
		return 1;
	nl = ctx_nl(c);
	if (!nl) {
		sf_free(&s);
		return EXIT_KERNEL;
	}
	/* the NE need not exist yet: tables may be restored before it */
	if (fetch_ne_tables(nl, ne, &nt, &e) == 0)
		have_ne = true;
	else if (e.err != ENOENT) {
		ret = kfail(what, &e, "");
		goto out_free;
	}
	added = calloc(s.n + 1, sizeof(*added));
	if (!added)
		abort();
	for (size_t i = 0; i < s.n; i++) {
		struct sf_table *t = &s.tables[i];
		char tw[128];

		snprintf(tw, sizeof(tw), "%s: table %s", what, t->name);
		ret = table_req(c, tw, CLICKUP_CMD_TABLE_SET, t->name, put_max,
				&t->max);
		if (ret)
			goto out;
		ret = 1;
		for (size_t k = 0; k < t->n; k += per_msg) {
			size_t end = k + per_msg < t->n ? k + per_msg : t->n;
			struct nl_msg *msg = nlc_msg(nl, CLICKUP_CMD_FLOW_NEW, NLM_F_ACK,
						     (end - k) * FLOW_NEST_BYTES + 64);

			if (!msg || nla_put_string(msg, CLICKUP_A_TABLE_NAME, t->name) < 0) {
				nlmsg_free(msg);
				fail(tw, "cannot build the netlink message");
				goto out;
			}
			for (size_t q = k; q < end; q++)
				if (put_flow(msg, &t->flows[q]) < 0) {
					nlmsg_free(msg);
					fail(tw, "cannot build the netlink message");
					goto out;
				}
			if (nlc_talk(nl, msg, on_count, &added[i], &e) < 0) {
				nlerr_str(&e, m, sizeof(m));
				fail(what, "table %s: %s (%u of %zu flows restored)",
				     t->name, m, added[i], t->n);
				ret = EXIT_KERNEL;
				goto out;
			}
		}
	}
	if (c->json) {
		json_init(&j, stdout);
		json_arr_open(&j, NULL);
	}
	for (size_t i = 0; i < s.n; i++) {
		const struct sf_table *t = &s.tables[i];
		bool used = !have_ne;

		for (size_t k = 0; k < nt.n; k++)
			used |= !strcmp(nt.names[k], t->name);
		if (c->json) {
			json_obj_open(&j, NULL);
			json_str(&j, "table", t->name);
			json_u64(&j, "flows", t->n);
			json_u64(&j, "restored", added[i]);
			json_u64(&j, "present", t->n - added[i]);
			json_bool(&j, "used_by_ne", have_ne && used);
			json_obj_close(&j);
			continue;
		}
		printf("table %s: %u flow%s restored", t->name, added[i],
		       added[i] == 1 ? "" : "s");
		if (t->n - added[i])
			printf(", %zu already present", t->n - added[i]);
		if (!used)
			printf(" (not used by %s)", ne);
		putchar('\n');
	}
	if (c->json) {
		json_arr_close(&j);
		json_end(&j);
	}
	fflush(stdout);
	ret = 0;
out:
	free(added);
out_free:
	free(nt.names);
	sf_free(&s);
	return ret;
}

/* check FILE: validate a save file offline and summarise it. */
static int state_check(struct ctx *c, const char *path)
{
	char what[64], when[64];
	struct tm tmb, *tm;
	struct sf s;
	time_t t;
	size_t total = 0;

	snprintf(what, sizeof(what), "state check");
	if (load_file(what, path, &s))
		return 1;
	/* a valid CRC does not make the time representable */
	t = (time_t)s.created;
	tm = s.created <= INT64_MAX ? gmtime_r(&t, &tmb) : NULL;
	if (!tm || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", tm))
		snprintf(when, sizeof(when), "at %" PRIu64 " s (not a date)",
			 s.created);
	for (size_t i = 0; i < s.n; i++)
		total += s.tables[i].n;
	if (c->json) {
		struct json j;

		json_init(&j, stdout);
		json_obj_open(&j, NULL);
		json_str(&j, "file", path);
		json_u64(&j, "version", SF_VERSION);
		json_str(&j, "ne", s.ne);
		json_u64(&j, "created", s.created);
		json_arr_open(&j, "tables");
		for (size_t i = 0; i < s.n; i++) {
			json_obj_open(&j, NULL);
			json_str(&j, "name", s.tables[i].name);
			json_u64(&j, "max", s.tables[i].max);
			json_arr_open(&j, "flows");
			for (size_t k = 0; k < s.tables[i].n; k++)
				json_flow(&j, &s.tables[i].flows[k]);
			json_arr_close(&j);
			json_obj_close(&j);
		}
		json_arr_close(&j);
		json_obj_close(&j);
		json_end(&j);
	} else {
		printf("%s: ok: version %u, NE %s, saved %s, %zu table%s, %zu flow%s\n",
		       path, SF_VERSION, s.ne, when, s.n, s.n == 1 ? "" : "s",
		       total, total == 1 ? "" : "s");
		for (size_t i = 0; i < s.n; i++)
			printf("table %s: max %u, %zu flow%s\n", s.tables[i].name,
			       s.tables[i].max, s.tables[i].n,
			       s.tables[i].n == 1 ? "" : "s");
	}
	fflush(stdout);
	sf_free(&s);
	return 0;
}

/* ---- dispatch -------------------------------------------------------------- */

static int do_list(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	(void)argv;
	return state_list(c);
}

static int do_show(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_show(c, argv[2]);
}

static int do_flush(struct ctx *c, int argc, char **argv)
{
	char what[64];

	(void)argc;
	snprintf(what, sizeof(what), "state flush %s", argv[2]);
	return table_req(c, what, CLICKUP_CMD_TABLE_FLUSH, argv[2], NULL, NULL);
}

static int do_save(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_save(c, argv[2], argv[3]);
}

static int do_restore(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_restore(c, argv[2], argv[3]);
}

static int do_check(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_check(c, argv[2]);
}

static const struct state_cmd {
	const char *name, *args, *help;
	int min, max;	/* words after the subcommand */
	int (*fn)(struct ctx *c, int argc, char **argv);	/* argv[1]: name */
} state_cmds[] = {
	{ "list", "", "every table: entries, limit, counters", 0, 0, do_list },
	{ "show", " TABLE", "the flows of TABLE", 1, 1, do_show },
	{ "flush", " TABLE", "remove every flow of TABLE", 1, 1, do_flush },
	{ "delete", " TABLE [PROTO SADDR:SPORT DADDR:DPORT]",
	  "delete TABLE (unused), or one flow of it", 1, 4, state_delete },
	{ "set", " TABLE max N", "limit TABLE to N flows", 3, 3, state_set },
	{ "save", " NE FILE", "write the tables of NE to FILE", 2, 2, do_save },
	{ "restore", " NE FILE", "load FILE's flows into the tables", 2, 2,
	  do_restore },
	{ "check", " FILE", "verify a save file offline", 1, 1, do_check },
};

#define NR_STATE_CMDS (sizeof(state_cmds) / sizeof(*state_cmds))

static const struct state_cmd *state_find(const char *sub)
{
	for (size_t i = 0; i < NR_STATE_CMDS; i++)
		if (!strcmp(sub, state_cmds[i].name))
			return &state_cmds[i];
	return NULL;
}

static void state_usage(FILE *f, const struct state_cmd *only)
{
	for (size_t i = 0; i < NR_STATE_CMDS; i++) {
		const struct state_cmd *s = &state_cmds[i];

		if (!only || only == s)
			fprintf(f, "%s clickupctl state %s%s\n", only || !i ?
				"usage:" : "      ", s->name, s->args);
	}
}

bool state_help(FILE *f, const char *sub)
{
	const struct state_cmd *s = sub ? state_find(sub) : NULL;

	if (sub && !s)
		return false;
	state_usage(f, s);
	if (s)
		fprintf(f, "%c%s (docs/state.md).\n", toupper(*s->help), s->help + 1);
	else
		for (size_t i = 0; i < NR_STATE_CMDS; i++)
			fprintf(f, "  %-8s %s\n", state_cmds[i].name, state_cmds[i].help);
	return true;
}

static int usage(const struct state_cmd *s, const char *fmt, const char *arg)
{
	fprintf(stderr, "clickupctl: state%s%s: ", s ? " " : "", s ? s->name : "");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	state_usage(stderr, s);
	return EXIT_FAILURE;
}

static int sub_usage(const char *sub, const char *fmt, const char *arg)
{
	return usage(state_find(sub), fmt, arg);
}

int cmd_state(struct ctx *c, int argc, char **argv)
{
	char *list[] = { argv[0], "list", NULL };
	const struct state_cmd *s;

	if (argc < 2) {
		argv = list;
		argc = 2;
	}
	s = state_find(argv[1]);
	if (!s)
		return usage(NULL, "unknown subcommand '%s'", argv[1]);
	if (argc - 2 < s->min || argc - 2 > s->max)
		return usage(s, "wrong number of arguments%s", "");
	return s->fn(c, argc, argv);
}
