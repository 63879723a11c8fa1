// SPDX-License-Identifier: GPL-2.0
/* state save, restore and check: the tables to and from a checked file
 * (state_file.c, docs/state.md).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "print.h"
#include "state.h"
#include "state_file.h"

/* FLOW_NEW messages stay below this (the flows are top-level attributes,
 * so there is no 64 KiB nest limit; this keeps each skb modest).
 */
#define RESTORE_MSG_BYTES	(96 * 1024)
#define FLOW_NEST_BYTES (4 + 13 * 8 + 2 * (4 + 6 * 8))

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

int state_save(struct ctx *c, const char *ne, const char *path)
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

static int load_file(const char *what, const char *path, struct sf *s,
		     uint32_t *version)
{
	char err[4200], msg[512];
	uint8_t *buf;
	size_t len;
	int r;

	if (read_file(path, &buf, &len, err, sizeof(err)) < 0)
		return fail(what, "%s", err);
	r = sf_decode(buf, len, s, msg, sizeof(msg), version);
	free(buf);
	if (r < 0)
		return fail(what, "%s: %s", strcmp(path, "-") ? path : "<stdin>",
			    msg);
	return 0;
}

static int put_tcp(struct nl_msg *m, int type, const struct sf_tcp *t)
{
	struct nlattr *nest = nla_nest_start(m, type);

	if (!nest ||
	    nla_put_u32(m, CLICKUP_TCP_A_END, t->end) < 0 ||
	    nla_put_u32(m, CLICKUP_TCP_A_MAXEND, t->maxend) < 0 ||
	    nla_put_u32(m, CLICKUP_TCP_A_MAXWIN, t->maxwin) < 0 ||
	    nla_put_u32(m, CLICKUP_TCP_A_MAXACK, t->maxack) < 0 ||
	    nla_put_u8(m, CLICKUP_TCP_A_SCALE, t->scale) < 0 ||
	    nla_put_u8(m, CLICKUP_TCP_A_FLAGS, t->flags) < 0)
		return -1;
	return nla_nest_end(m, nest) < 0 ? -1 : 0;
}

static int put_flow(struct nl_msg *m, const struct sf_flow *f)
{
	struct nlattr *nest = nla_nest_start(m, CLICKUP_A_FLOW);

	if (!nest ||
	    put_tuple(m, f->proto, f->saddr, f->daddr, f->sport, f->dport) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_R_SADDR, f->r_saddr) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_R_DADDR, f->r_daddr) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_R_SPORT, f->r_sport) < 0 ||
	    nla_put_u16(m, CLICKUP_FLOW_A_R_DPORT, f->r_dport) < 0 ||
	    nla_put_u8(m, CLICKUP_FLOW_A_STATE, f->state) < 0 ||
	    nla_put_u8(m, CLICKUP_FLOW_A_STATUS, f->status) < 0 ||
	    nla_put_u32(m, CLICKUP_FLOW_A_TIMEOUT, f->timeout_ms) < 0)
		return -1;
	if (f->proto == 6 &&
	    (put_tcp(m, CLICKUP_FLOW_A_TCP_ORIG, &f->tcp[0]) < 0 ||
	     put_tcp(m, CLICKUP_FLOW_A_TCP_REPLY, &f->tcp[1]) < 0))
		return -1;
	return nla_nest_end(m, nest) < 0 ? -1 : 0;
}

static int on_count(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	*(uint32_t *)arg += nla_u32_or(tb[CLICKUP_A_COUNT], 0);
	return 0;
}

int state_restore(struct ctx *c, const char *ne, const char *path)
{
	const size_t per_msg = RESTORE_MSG_BYTES / FLOW_NEST_BYTES;
	struct ne_tables nt = { 0 };
	struct sf s;
	struct nlctx *nl;
	char what[64], m[1024];
	struct nlerr e;
	bool have_ne = false;
	uint32_t *added;
	int ret = 1;

	snprintf(what, sizeof(what), "state restore %s", ne);
	/* the whole file is checked before anything is sent */
	if (load_file(what, path, &s, NULL))
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
	print_start(c->json);
	open_arr(NULL);
	for (size_t i = 0; i < s.n; i++) {
		const struct sf_table *t = &s.tables[i];
		bool used = !have_ne;

		for (size_t k = 0; k < nt.n; k++)
			used |= !strcmp(nt.names[k], t->name);
		open_obj(NULL);
		print_str("table", t->name, "table %s: ", t->name);
		jprint_u64("flows", t->n);
		print_u64("restored", added[i], "%u flow%s restored", added[i],
			  added[i] == 1 ? "" : "s");
		jprint_u64("present", t->n - added[i]);
		if (t->n - added[i])
			tprint(", %zu already present", t->n - added[i]);
		jprint_bool("used_by_ne", have_ne && used);
		if (!used)
			tprint(" (not used by %s)", ne);
		tprint("\n");
		close_obj();
	}
	close_arr();
	print_end();
	ret = 0;
out:
	free(added);
out_free:
	free(nt.names);
	sf_free(&s);
	return ret;
}

/* check FILE: validate a save file offline and summarise it. */
int state_check(struct ctx *c, const char *path)
{
	char what[64], when[64];
	struct tm tmb, *tm;
	struct sf s;
	time_t t;
	size_t total = 0;
	uint32_t version;

	snprintf(what, sizeof(what), "state check");
	if (load_file(what, path, &s, &version))
		return 1;
	/* a valid CRC does not make the time representable */
	t = (time_t)s.created;
	tm = s.created <= INT64_MAX ? gmtime_r(&t, &tmb) : NULL;
	if (!tm || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", tm))
		snprintf(when, sizeof(when), "at %" PRIu64 " s (not a date)",
			 s.created);
	for (size_t i = 0; i < s.n; i++)
		total += s.tables[i].n;
	print_start(c->json);
	open_obj(NULL);
	print_str("file", path, "%s: ok: ", path);
	print_u64("version", version, "version %u", version);
	print_str("ne", s.ne, ", NE %s", s.ne);
	print_u64("created", s.created, ", saved %s", when);
	tprint(", %zu table%s, %zu flow%s\n", s.n, s.n == 1 ? "" : "s",
	       total, total == 1 ? "" : "s");
	open_arr("tables");
	for (size_t i = 0; i < s.n; i++) {
		const struct sf_table *st = &s.tables[i];

		open_obj(NULL);
		print_str("name", st->name, "table %s: ", st->name);
		print_u64("max", st->max, "max %u, %zu flow%s\n", st->max,
			  st->n, st->n == 1 ? "" : "s");
		open_arr("flows");
		if (print_json())	/* the text summarises the flows */
			print_flows(st, 0, 0, true);
		close_arr();
		close_obj();
	}
	close_arr();
	close_obj();
	print_end();
	sf_free(&s);
	return 0;
}
