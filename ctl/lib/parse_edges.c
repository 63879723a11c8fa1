// SPDX-License-Identifier: GPL-2.0
/*
 * The original demo's edge-list format, one edge per line:
 *   SRC SRCPORT DSTPORT DST [ARGS...]
 * SRC is a type and means its most recently created instance; DST with
 * its ARGS names an instance (same type and args = same atom). A line
 * "- - - Type args" declares an atom with no source (an entry).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_TOKS (4 + CLICKUP_MAX_ARGS + 1)

struct tok {
	const char *s;
	size_t len;
	struct loc loc;
};

static bool is_dash(const struct tok *t)
{
	return t->len == 1 && t->s[0] == '-';
}

/* Splits one line into whitespace-separated tokens; '#' starting a token
 * starts a comment. Returns the count (at most max; more sets *over).
 */
static size_t split(const char *s, const char *e, int line, struct tok *t,
		    size_t max, bool *over)
{
	size_t n = 0;
	const char *bol = s;

	*over = false;
	while (s < e) {
		const char *b;

		while (s < e && isspace((unsigned char)*s))
			s++;
		if (s >= e || *s == '#')
			break;
		b = s;
		while (s < e && !isspace((unsigned char)*s))
			s++;
		if (n == max) {
			*over = true;
			break;
		}
		t[n++] = (struct tok){ b, (size_t)(s - b),
				       { line, (int)(b - bol) + 1 } };
	}
	return n;
}

static int port(const struct dag *g, const struct tok *t, uint32_t *out,
		struct diag *d)
{
	uint32_t v = 0;

	*out = 0;
	if (is_dash(t))
		return 0;
	/* bounded by the token: the text need not be NUL-terminated */
	for (size_t i = 0; i < t->len; i++) {
		if (!isdigit((unsigned char)t->s[i])) {
			diag_at(d, g->file, t->loc,
				"expected a port number or '-', found '%.*s'",
				(int)t->len, t->s);
			return -1;
		}
		if (v < CLICKUP_MAX_PORTS)
			v = v * 10 + (uint32_t)(t->s[i] - '0');
	}
	if (v >= CLICKUP_MAX_PORTS) {
		diag_at(d, g->file, t->loc, "port number must be below %d",
			CLICKUP_MAX_PORTS);
		return -1;
	}
	*out = v;
	return 0;
}

static int lower_type(const struct dag *g, const struct tok *t, char *out,
		      struct diag *d)
{
	if (t->len >= CLICKUP_NAME_MAX) {
		diag_at(d, g->file, t->loc, "type name longer than %d characters",
			CLICKUP_NAME_MAX - 1);
		return -1;
	}
	for (size_t i = 0; i < t->len; i++) {
		unsigned char c = (unsigned char)t->s[i];

		if (!isalnum(c) && c != '_') {
			diag_at(d, g->file, t->loc,
				"invalid type name '%.*s' (letters, digits, _)",
				(int)t->len, t->s);
			return -1;
		}
		out[i] = (char)tolower(c);
	}
	out[t->len] = 0;
	return 0;
}

/* Most recently created atom of this type, or -1. */
static int latest(const struct dag *g, const char *type)
{
	for (size_t i = g->nr_atoms; i-- > 0;)
		if (!strcmp(g->atoms[i].type, type))
			return (int)i;
	return -1;
}

/* The atom with this type and args; created when there is none yet. */
static int instance(struct dag *g, const struct tok *t, size_t n,
		    struct diag *d)
{
	char type[CLICKUP_NAME_MAX];
	const struct tok *args = t + 1;
	size_t nargs = n - 1;
	int a;

	if (lower_type(g, t, type, d) < 0)
		return -1;
	if (nargs == 1 && is_dash(&args[0]))
		nargs = 0;	/* "Type -" is the demo's way to say "no args" */
	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *x = &g->atoms[i];
		size_t j;

		if (strcmp(x->type, type) || x->nargs != nargs)
			continue;
		for (j = 0; j < nargs; j++)
			if (strlen(x->args[j]) != args[j].len ||
			    memcmp(x->args[j], args[j].s, args[j].len))
				break;
		if (j == nargs)
			return (int)i;
	}
	a = dag_add_atom(g, NULL, type, t->loc, d);
	for (size_t j = 0; a >= 0 && j < nargs; j++)
		if (dag_add_arg(g, (size_t)a, args[j].s, args[j].len,
				args[j].loc, d) < 0)
			return -1;
	return a;
}

static int line(struct dag *g, struct tok *t, size_t n, struct diag *d)
{
	uint32_t sport, dport;
	char type[CLICKUP_NAME_MAX];
	int src, dst;

	if (n < 4) {
		diag_at(d, g->file, t[0].loc,
			"expected 'SRC SRCPORT DSTPORT DST [ARGS...]' (%zu field%s)",
			n, n == 1 ? "" : "s");
		return -1;
	}
	if (is_dash(&t[0])) {
		for (int i = 1; i < 3; i++)
			if (!is_dash(&t[i])) {
				diag_at(d, g->file, t[i].loc,
					"an entry line is '- - - Type [ARGS...]'");
				return -1;
			}
		return instance(g, &t[3], n - 3, d) < 0 ? -1 : 0;
	}
	if (lower_type(g, &t[0], type, d) < 0 || port(g, &t[1], &sport, d) < 0 ||
	    port(g, &t[2], &dport, d) < 0)
		return -1;
	src = latest(g, type);
	if (src < 0) {
		diag_at(d, g->file, t[0].loc,
			"no '%s' atom exists yet (it must appear as a destination or '- - -' entry first)",
			type);
		return -1;
	}
	dst = instance(g, &t[3], n - 3, d);
	if (dst < 0)
		return -1;
	return dag_add_edge(g, (uint32_t)src, sport, (uint32_t)dst, dport,
			    t[0].loc, d);
}

/* "type" when the type has one instance, else "type@k", k counting the
 * instances of that type from 1 in order of appearance.
 */
static void name_atoms(struct dag *g)
{
	for (size_t i = 0; i < g->nr_atoms; i++) {
		struct atom *a = &g->atoms[i];
		size_t k = 0, total = 0;

		for (size_t j = 0; j < g->nr_atoms; j++) {
			if (strcmp(g->atoms[j].type, a->type))
				continue;
			total++;
			k += j <= i;
		}
		if (total == 1)
			snprintf(a->name, sizeof(a->name), "%s", a->type);
		else
			snprintf(a->name, sizeof(a->name), "%.*s@%zu",
				 (int)(CLICKUP_NAME_MAX - 6), a->type, k);
		a->anon = false;
	}
}

int parse_edges(struct dag *g, const char *text, size_t len, struct diag *d)
{
	const char *p = text, *end = text + len;
	struct tok t[MAX_TOKS];
	int lineno = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		bool over;
		size_t n;

		if (!eol)
			eol = end;
		lineno++;
		n = split(p, eol, lineno, t, MAX_TOKS, &over);
		if (over) {
			diag_at(d, g->file, t[MAX_TOKS - 1].loc,
				"too many arguments (at most %d)", CLICKUP_MAX_ARGS);
			return -1;
		}
		if (n && line(g, t, n, d) < 0)
			return -1;
		p = eol + 1;
	}
	name_atoms(g);
	return 0;
}
