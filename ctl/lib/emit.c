// SPDX-License-Identifier: GPL-2.0
/*
 * convert: print a DAG in the other format. Neither format can express
 * every DAG (the edge list names atoms by type + args and resolves
 * sources by recency), so each output is re-parsed and compared with the
 * input: convert either prints an equivalent file or fails.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static void print_click(const struct dag *g, FILE *f)
{
	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		fprintf(f, "%s :: %s", a->name, a->type);
		for (unsigned int j = 0; j < a->nargs; j++)
			fprintf(f, "%s%s", j ? ", " : "(", a->args[j]);
		fputs(a->nargs ? ");\n" : ";\n", f);
	}
	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		fputs(g->atoms[e->src].name, f);
		if (e->port)
			fprintf(f, " [%u]", e->port);
		fputs(" -> ", f);
		if (e->dst_port)
			fprintf(f, "[%u] ", e->dst_port);
		fprintf(f, "%s;\n", g->atoms[e->dst].name);
	}
}

/* Re-parse text and compare: true when it denotes the same DAG. */
static bool reparses(const struct dag *g, const char *text, size_t len,
		     enum dag_format fmt)
{
	struct dag h;
	struct diag d;
	bool same;

	dag_init(&h, "convert");
	same = (fmt == FMT_CLICK ? parse_click(&h, text, len, &d)
				 : parse_edges(&h, text, len, &d)) == 0 &&
	       dag_same(g, &h);
	dag_free(&h);
	return same;
}

int emit_click(const struct dag *g, FILE *out, struct diag *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int ret = 0;

	if (!m)
		abort();
	print_click(g, m);
	fclose(m);
	if (reparses(g, buf, len, FMT_CLICK)) {
		fwrite(buf, 1, len, out);
	} else {
		diag_at(d, g->file, (struct loc){ 0, 0 },
			"cannot express this DAG in the Click language (an argument with unbalanced brackets, quotes or a top-level comma?)");
		ret = -1;
	}
	free(buf);
	return ret;
}

/* Out-edges of one atom, by port. */
static size_t out_edges(const struct dag *g, size_t a, size_t *idx)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nr_edges; i++)
		if (g->edges[i].src == a)
			idx[n++] = i;
	for (size_t i = 1; i < n; i++)	/* insertion sort: n is tiny */
		for (size_t j = i; j && g->edges[idx[j]].port <
				       g->edges[idx[j - 1]].port; j--) {
			size_t t = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	return n;
}

static void print_inst(const struct atom *a, FILE *f)
{
	fputs(a->type, f);
	for (unsigned int j = 0; j < a->nargs; j++)
		fprintf(f, " %s", a->args[j]);
	if (!a->nargs)
		fputs(" -", f);
	fputc('\n', f);
}

struct walk {
	const struct dag *g;
	FILE *f;
	bool *created;
	bool depth_first;
};

/* Prints atom a's out-edges while a is the newest of its type. Breadth
 * first visits the new destinations after all of a's edges, depth first
 * right after the edge that created them; convert tries both.
 */
static void visit(struct walk *w, size_t a)
{
	const struct dag *g = w->g;
	size_t *idx = malloc((g->nr_edges + 1) * sizeof(*idx));
	size_t *fresh = malloc((g->nr_edges + 1) * sizeof(*fresh));
	size_t n, nf = 0;

	if (!idx || !fresh)
		abort();
	n = out_edges(g, a, idx);
	for (size_t i = 0; i < n; i++) {
		const struct edge *e = &g->edges[idx[i]];

		fprintf(w->f, "%s ", g->atoms[a].type);
		if (e->port || n > 1)
			fprintf(w->f, "%u ", e->port);
		else
			fputs("- ", w->f);
		if (e->dst_port)
			fprintf(w->f, "%u ", e->dst_port);
		else
			fputs("- ", w->f);
		print_inst(&g->atoms[e->dst], w->f);
		if (w->created[e->dst])
			continue;
		w->created[e->dst] = true;
		if (w->depth_first)
			visit(w, e->dst);
		else
			fresh[nf++] = e->dst;
	}
	for (size_t i = 0; i < nf; i++)
		visit(w, fresh[i]);
	free(idx);
	free(fresh);
}

static void print_edges(const struct dag *g, FILE *f, bool depth_first)
{
	bool *has_in = calloc(g->nr_atoms + 1, sizeof(bool));
	struct walk w = { g, f, calloc(g->nr_atoms + 1, sizeof(bool)),
			  depth_first };

	if (!has_in || !w.created)
		abort();
	for (size_t i = 0; i < g->nr_edges; i++)
		has_in[g->edges[i].dst] = true;
	/* roots: entries first, then other atoms nothing feeds */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < g->nr_atoms; i++) {
			if (has_in[i] || w.created[i] ||
			    atom_is_entry(&g->atoms[i]) != !pass)
				continue;
			fputs("- - - ", f);
			print_inst(&g->atoms[i], f);
			w.created[i] = true;
			visit(&w, i);
		}
	free(has_in);
	free(w.created);
}

static bool edge_arg_ok(const char *s)
{
	if (!*s || *s == '#')
		return false;
	for (; *s; s++)
		if (isspace((unsigned char)*s))
			return false;
	return true;
}

int emit_edges(const struct dag *g, FILE *out, struct diag *d)
{
	struct loc none = { 0, 0 };

	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		for (unsigned int j = 0; j < a->nargs; j++)
			if (!edge_arg_ok(a->args[j])) {
				diag_at(d, g->file, a->loc,
					"cannot express '%s' in the edge-list format: argument '%s' is empty, has spaces or starts with '#'",
					a->name, a->args[j]);
				return -1;
			}
		if (a->nargs == 1 && !strcmp(a->args[0], "-")) {
			diag_at(d, g->file, a->loc,
				"cannot express '%s' in the edge-list format: a lone '-' argument means no arguments there",
				a->name);
			return -1;
		}
	}
	for (int df = 0; df < 2; df++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		bool ok;

		if (!m)
			abort();
		print_edges(g, m, df);
		fclose(m);
		ok = reparses(g, buf, len, FMT_EDGES);
		if (ok)
			fwrite(buf, 1, len, out);
		free(buf);
		if (ok)
			return 0;
	}
	diag_at(d, g->file, none,
		"cannot express this DAG in the edge-list format (atoms with the same type and arguments, or sources of one type that cannot be ordered)");
	return -1;
}
