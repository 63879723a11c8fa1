// SPDX-License-Identifier: GPL-2.0
/*
 * The /api/v1 routes: each runs the lib query clickupctl runs for the same
 * question, printing JSON into memory, and answers with it or with the
 * error line clickupctl would print.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickup.h"
#include "daemon.h"
#include "json.h"
#include "modload.h"
#include "parse.h"
#include "print.h"
#include "state.h"

#define FLOWS_LIMIT	1000

static struct nlctx nl;
static bool nl_open;

struct nlctx *api_nl(struct nlerr *e)
{
	if (nl_open)
		return &nl;
	if (daemon_nl_open(&nl, e))
		return NULL;
	nl_open = true;
	return &nl;
}

int daemon_nl_open(struct nlctx *c, struct nlerr *e)
{
	struct diag d;

	if (nlc_open(c, &d) < 0) {
		*e = (struct nlerr){ .err = ENOENT, .offs = -1, .miss_type = -1 };
		snprintf(e->msg, sizeof(e->msg), "%.*s", (int)sizeof(e->msg) - 1, d.msg);
		return -1;
	}
	nlc_set_timeout(c, NL_TIMEOUT_MS);
	return 0;
}

/* After a failed request: the next one starts on a fresh socket (the
 * module may have been reloaded, a reply may be left unread).
 */
void api_nl_reset(void)
{
	if (nl_open)
		nlc_close(&nl);
	nl_open = false;
}

static enum MHD_Result no_kernel(struct MHD_Connection *c, const struct nlerr *e)
{
	return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "", "%s", e->msg);
}

static enum MHD_Result ok_json(struct MHD_Connection *c, unsigned int status,
			       struct out *o)
{
	return reply(c, status, "application/json", o->buf, o->len);
}

/* A JSON member fragment ",\"key\":\"value\"" for reply_error's more. */
static void more_str(char *buf, size_t size, const char *key, const char *v)
{
	char *p = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&p, &n);

	if (!f) {
		buf[0] = 0;
		return;
	}
	fprintf(f, ",\"%s\":", key);
	json_escape(f, v);
	fclose(f);
	snprintf(buf, size, "%s", n < size ? p : "");
	free(p);
}

/* A query's common end: 200 with what it printed, or its error. */
static enum MHD_Result finish(struct MHD_Connection *c, int r, struct out *o,
			      const char *what, const struct nlerr *e,
			      const char *more)
{
	if (r == 0)
		return ok_json(c, MHD_HTTP_OK, o);
	free(o->buf);
	api_nl_reset();
	return reply_nlerr(c, what, e, "", more, false);
}

static enum MHD_Result get_list(struct MHD_Connection *c, bool atoms)
{
	struct nlerr e;
	struct nlctx *n = api_nl(&e);
	struct out o;
	int r;

	if (!n)
		return no_kernel(c, &e);
	out_open(&o);
	r = atoms ? atoms_show(n, true, &e) : ne_show(n, NULL, true, &e);
	out_close(&o);
	return finish(c, r, &o, atoms ? "atoms" : "show", &e, "");
}

static enum MHD_Result tables_get(struct MHD_Connection *c)
{
	struct nlerr e;
	struct nlctx *n = api_nl(&e);
	struct out o;
	int r;

	if (!n)
		return no_kernel(c, &e);
	out_open(&o);
	r = tables_show(n, true, &e);
	out_close(&o);
	return finish(c, r, &o, "state", &e, "");
}

static enum MHD_Result get_ne(struct MHD_Connection *c, const char *ne)
{
	char what[128];
	struct nlerr e;
	struct nlctx *n = api_nl(&e);
	struct out o;
	int r;

	if (!n)
		return no_kernel(c, &e);
	snprintf(what, sizeof(what), "show %s", ne);
	out_open(&o);
	r = ne_show_as(n, ne, true, false, &e);
	out_close(&o);
	return finish(c, r, &o, what, &e, "");
}

/* A parse or validation error: 400 with where in the body. */
static enum MHD_Result dag_error(struct MHD_Connection *c, const struct diag *d)
{
	char more[64] = "";

	if (d->loc.line > 0)
		snprintf(more, sizeof(more), ",\"line\":%d,\"col\":%d",
			 d->loc.line, d->loc.col);
	return reply_error(c, MHD_HTTP_BAD_REQUEST, more, "%s", d->msg);
}

static int parse_body(struct dag *g, const char *body, size_t len,
		      bool syntax, struct diag *d)
{
	dag_init(g, "<body>");
	return dag_parse_buf(g, "", body, len, NULL, NULL, d) < 0 ||
	       (!syntax && dag_validate(g, d) < 0) ? -1 : 0;
}

static enum MHD_Result post_check(struct MHD_Connection *c, const char *body,
				  size_t len)
{
	const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
						    "syntax");
	bool syntax = s && strcmp(s, "0");
	struct diag d;
	struct dag g;
	struct out o;
	enum MHD_Result ret;

	if (parse_body(&g, body, len, syntax, &d) < 0) {
		ret = dag_error(c, &d);
	} else {
		out_open(&o);
		print_start(true);
		print_dag(&g, syntax);
		print_end();
		out_close(&o);
		ret = ok_json(c, MHD_HTTP_OK, &o);
	}
	dag_free(&g);
	return ret;
}

/*
 * Atom modules that cannot be loaded (modload_dag(): one line per type,
 * each naming it as 'TYPE'): clickupctl's lines, the first line's atom.
 * No module has the type: the DAG's fault (422 and ENOENT, as the
 * kernel's refusal); a module that is there but does not load: the
 * server's (500).
 */
static enum MHD_Result modload_error(struct MHD_Connection *c, const char *ne,
				     bool up, const struct dag *g,
				     const struct modload *ml)
{
	const char *what = up ? "upgrade" : "create";
	const char *first = ml->errors ? ml->errors : "";
	size_t n1 = strcspn(first, "\n");
	char text[1024] = "", more[320] = "", quoted[CLICKUP_NAME_MAX + 3];
	size_t used = 0;

	for (size_t i = 0; i < g->nr_atoms && !*more; i++) {
		snprintf(quoted, sizeof(quoted), "'%s'", g->atoms[i].type);
		if (memmem(first, n1, quoted, strlen(quoted))) {
			more_str(more, sizeof(more), "atom", g->atoms[i].name);
			snprintf(more + strlen(more), sizeof(more) - strlen(more),
				 ",\"line\":%d", g->atoms[i].loc.line);
		}
	}
	for (const char *l = first; *l && used < sizeof(text); ) {
		size_t n = strcspn(l, "\n");
		int w = snprintf(text + used, sizeof(text) - used, "%s%s %s: %.*s",
				 used ? "\n" : "", what, ne, (int)n, l);

		used += w > 0 ? (size_t)w : sizeof(text);
		l += n + (l[n] == '\n');
	}
	if (!*text)	/* no line: ml_err() itself ran out of memory */
		snprintf(text, sizeof(text), "%s %s: cannot load its atom modules", what, ne);
	if (!strstr(first, "unknown atom type"))
		return reply_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR, more, "%s", text);
	snprintf(more + strlen(more), sizeof(more) - strlen(more), ",\"errno\":%d", ENOENT);
	return reply_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, more, "%s", text);
}

static enum MHD_Result put_ne(struct MHD_Connection *c, const char *ne,
			      const char *body, size_t len)
{
	char what[128], where[320], more[256] = "";
	struct nlerr e;
	struct nlctx *n;
	struct diag d;
	struct dag g;
	struct out o;
	struct modload ml = { 0 };
	enum MHD_Result ret;
	long atom;
	int exists, r;

	if (parse_body(&g, body, len, false, &d) < 0) {
		ret = dag_error(c, &d);
		goto out;
	}
	for (size_t i = 0; i < g.nr_atoms; i++)
		if (atom_has_fd(&g.atoms[i])) {
			more_str(more, sizeof(more), "atom", g.atoms[i].name);
			snprintf(where, sizeof(where), ",\"line\":%d%s",
				 g.atoms[i].loc.line, more);
			ret = reply_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, where,
					  "<body>:%d: atom '%s': bpf atoms load their program from a file of the caller: use clickupctl",
					  g.atoms[i].loc.line, g.atoms[i].name);
			goto out;
		}
	n = api_nl(&e);
	if (!n) {
		ret = no_kernel(c, &e);
		goto out;
	}
	exists = ne_exists(n, ne, &e);
	if (exists < 0) {
		api_nl_reset();
		ret = reply_nlerr(c, "show", &e, "", "", false);
		goto out;
	}
	/* Missing atom modules from here first (libkmod), as clickupctl;
	 * the kernel's request_module() stays the fallback.
	 */
	if (modload_dag(n, &g, &ml) < 0) {
		ret = modload_error(c, ne, exists, &g, &ml);
		goto out;
	}
	out_open(&o);
	r = ne_put(n, ne, exists, &g, &ml, true, &e, where, sizeof(where), &atom);
	if (r < 0 && !exists && e.err == EEXIST) {	/* created meanwhile */
		exists = 1;
		r = ne_put(n, ne, true, &g, &ml, true, &e, where, sizeof(where), &atom);
	}
	out_close(&o);
	if (r == 0) {
		ret = ok_json(c, exists ? MHD_HTTP_OK : MHD_HTTP_CREATED, &o);
		goto out;
	}
	free(o.buf);
	api_nl_reset();
	if (atom >= 0) {
		more_str(more, sizeof(more), "atom", g.atoms[atom].name);
		snprintf(more + strlen(more), sizeof(more) - strlen(more),
			 ",\"line\":%d", g.atoms[atom].loc.line);
	}
	snprintf(what, sizeof(what), "%s %s", exists ? "upgrade" : "create", ne);
	ret = reply_nlerr(c, what, &e, where, more, true);
out:
	modload_free(&ml);
	dag_free(&g);
	return ret;
}

static enum MHD_Result delete_ne(struct MHD_Connection *c, const char *ne)
{
	char what[128];
	struct nlerr e;
	struct nlctx *n = api_nl(&e);

	if (!n)
		return no_kernel(c, &e);
	snprintf(what, sizeof(what), "delete %s", ne);
	if (ne_delete(n, ne, &e) < 0) {
		api_nl_reset();
		return reply_nlerr(c, what, &e, "", "", false);
	}
	return reply(c, MHD_HTTP_NO_CONTENT, NULL, NULL, 0);
}

/* GET reads, PUT writes (the body is the value). */
static enum MHD_Result handler(struct MHD_Connection *c, bool write,
			       const char *ne, const char *atom,
			       const char *h, const char *body, size_t len)
{
	char what[256], more[128];
	struct nlerr e;
	struct nlctx *n = api_nl(&e);
	struct out o;
	int r;

	if (!n)
		return no_kernel(c, &e);
	more_str(more, sizeof(more), "atom", atom);
	snprintf(what, sizeof(what), "%s %s %s.%s", write ? "write" : "read",
		 ne, atom, h);
	if (write && (len >= CLICKUP_ARG_MAX || strlen(body) != len))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, more,
				   "%s: value longer than %d characters or binary",
				   what, CLICKUP_ARG_MAX - 1);
	out_open(&o);
	r = write ? handler_write(n, ne, atom, h, body, true, &e) :
		    handler_read(n, ne, atom, h, true, &e);
	out_close(&o);
	return finish(c, r, &o, what, &e, more);
}

static bool arg_size(struct MHD_Connection *c, const char *key, size_t dflt,
		     size_t max, size_t *v)
{
	const char *s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, key);
	uint32_t n;

	*v = dflt;
	if (!s)
		return true;
	if (parse_u32(s, &n) || n > max)
		return false;
	*v = n;
	return true;
}

static enum MHD_Result get_flows(struct MHD_Connection *c, const char *table)
{
	char what[128], total_s[32];
	size_t offset, limit, total = 0;
	struct nlerr e;
	struct nlctx *n;
	struct out o;
	int r;

	if (!arg_size(c, "offset", 0, UINT32_MAX, &offset) ||
	    !arg_size(c, "limit", FLOWS_LIMIT, FLOWS_LIMIT, &limit) || !limit)
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "",
				   "offset and limit are numbers (limit 1..%d)",
				   FLOWS_LIMIT);
	n = api_nl(&e);
	if (!n)
		return no_kernel(c, &e);
	snprintf(what, sizeof(what), "state show %s", table);
	out_open(&o);
	r = flows_show(n, table, true, offset, limit, &total, &e);
	out_close(&o);
	if (r == 0) {
		struct MHD_Response *resp;
		enum MHD_Result ret;

		resp = MHD_create_response_from_buffer(o.len, o.buf,
						       MHD_RESPMEM_MUST_FREE);
		if (!resp)
			return MHD_NO;
		snprintf(total_s, sizeof(total_s), "%zu", total);
		MHD_add_response_header(resp, "Content-Type", "application/json");
		MHD_add_response_header(resp, "X-Total-Count", total_s);
		set_common_headers(resp, true);
		ret = MHD_queue_response(c, MHD_HTTP_OK, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	return finish(c, r, &o, what, &e, "");
}

static enum MHD_Result delete_flow(struct MHD_Connection *c, const char *table,
				   const char *key)
{
	char what[256];
	struct flow_key k;
	struct nlerr e;
	struct nlctx *n;

	snprintf(what, sizeof(what), "state delete %s %s", table, key);
	if (parse_flow_key(key, &k))
		return reply_error(c, MHD_HTTP_BAD_REQUEST, "",
				   "%s: bad flow key (want PROTO-SADDR:SPORT-DADDR:DPORT)",
				   what);
	n = api_nl(&e);
	if (!n)
		return no_kernel(c, &e);
	if (table_req_nl(n, CLICKUP_CMD_FLOW_DEL, table, put_key, &k, &e) < 0) {
		api_nl_reset();
		return reply_nlerr(c, what, &e, "", "", false);
	}
	return reply(c, MHD_HTTP_NO_CONTENT, NULL, NULL, 0);
}

static enum MHD_Result not_allowed(struct MHD_Connection *c, const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body;
	struct out o;

	out_open(&o);
	fprintf(o.f, "{\"error\":\"method not allowed (allowed: %s)\",\"status\":405}\n",
		allow);
	out_close(&o);
	body = o.buf;
	r = MHD_create_response_from_buffer(o.len, body, MHD_RESPMEM_MUST_FREE);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "Allow", allow);
	set_common_headers(r, true);
	ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, r);
	MHD_destroy_response(r);
	return ret;
}

/* Splits "a/b/c" in place into at most max segments; the last keeps
 * the rest, slashes included (atom names may hold '/').
 */
static int split(char *p, char **seg, int max)
{
	int n = 0;

	while (n < max) {
		seg[n++] = p;
		if (n == max)
			break;
		p = strchr(p, '/');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static bool name_ok(const char *s)
{
	return *s && strlen(s) < CLICKUP_NAME_MAX;
}

enum MHD_Result api_request(struct MHD_Connection *c, const char *method,
			    const char *url, const char *body, size_t len)
{
	bool get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	bool put = !strcmp(method, "PUT"), del = !strcmp(method, "DELETE");
	char path[1024], *s[8], *last;
	int n;

	if (strncmp(url, "/api/v1/", 8) || strlen(url) >= sizeof(path))
		return reply_error(c, MHD_HTTP_NOT_FOUND, "", "no such path");
	snprintf(path, sizeof(path), "%s", url + 8);
	if (!strcmp(path, "atoms") || !strcmp(path, "elements") ||
	    !strcmp(path, "tables"))
		return !get ? not_allowed(c, "GET") :
		       path[0] == 't' ? tables_get(c) : get_list(c, path[0] == 'a');
	if (!strcmp(path, "check"))
		return strcmp(method, "POST") ? not_allowed(c, "POST") :
		       post_check(c, body, len);
	/* elements/NE/atoms/ATOM.../HANDLER: ATOM is all between */
	n = split(path, s, 4);
	last = n == 4 ? strrchr(s[3], '/') : NULL;
	if (n == 2 && !strcmp(s[0], "elements") && name_ok(s[1]))
		return get ? get_ne(c, s[1]) : put ? put_ne(c, s[1], body, len) :
		       del ? delete_ne(c, s[1]) : not_allowed(c, "GET, PUT, DELETE");
	if (n == 3 && !strcmp(s[0], "tables") && !strcmp(s[2], "flows") &&
	    name_ok(s[1]))
		return get ? get_flows(c, s[1]) : not_allowed(c, "GET");
	if (n == 4 && !strcmp(s[0], "tables") && !strcmp(s[2], "flows") &&
	    name_ok(s[1]) && !last)
		return del ? delete_flow(c, s[1], s[3]) : not_allowed(c, "DELETE");
	if (n == 4 && !strcmp(s[0], "elements") && !strcmp(s[2], "atoms") &&
	    name_ok(s[1]) && last && last > s[3]) {
		*last = 0;
		if (name_ok(s[3]) && name_ok(last + 1))
			return get ? handler(c, false, s[1], s[3], last + 1, body, len) :
			       put ? handler(c, true, s[1], s[3], last + 1, body, len) :
			       not_allowed(c, "GET, PUT");
	}
	return reply_error(c, MHD_HTTP_NOT_FOUND, "", "no such path");
}
