// SPDX-License-Identifier: GPL-2.0
/* The offline DAG commands: check, convert, flatten. No kernel needed. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "parse.h"

static void json_dag(const struct dag *g)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j, NULL);
	json_str(&j, "file", g->file);
	json_arr_open(&j, "atoms");
	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		json_obj_open(&j, NULL);
		json_u64(&j, "index", i);
		json_str(&j, "name", a->name);
		json_str(&j, "type", a->type);
		json_arr_open(&j, "args");
		for (unsigned int k = 0; k < a->nargs; k++)
			json_str(&j, NULL, a->args[k]);
		json_arr_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "edges");
	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		json_obj_open(&j, NULL);
		json_u64(&j, "src", e->src);
		json_u64(&j, "port", e->port);
		json_u64(&j, "dst", e->dst);
		json_u64(&j, "dst_port", e->dst_port);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_u64(&j, "nr_atoms", g->nr_atoms);
	json_u64(&j, "nr_edges", g->nr_edges);
	json_u64(&j, "nr_entries", dag_nr_entries(g));
	json_obj_close(&j);
	json_end(&j);
}

/* Loads path into g (validated unless syntax_only); prints the error. */
static int load(struct dag *g, const char *path, enum dag_format *fmt,
		bool syntax_only)
{
	struct diag d;

	dag_init(g, shown(path));
	if (dag_load(g, path, fmt, &d) < 0 ||
	    (!syntax_only && dag_validate(g, &d) < 0)) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_FAILURE;
	}
	return 0;
}

/* check [--syntax] FILE: parse (+ structural validation) without the
 * kernel; --syntax knows nothing of atom types, like click-flatten.
 */
int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct dag g;
	size_t n;
	int ret;

	(void)argc;
	ret = load(&g, argv[1], NULL, c->syntax);
	if (ret) {
		/* nothing */
	} else if (c->json) {
		json_dag(&g);
	} else if (c->syntax) {
		printf("%s: syntax ok: %zu element%s, %zu connection%s\n", g.file,
		       g.nr_atoms, g.nr_atoms == 1 ? "" : "s", g.nr_edges,
		       g.nr_edges == 1 ? "" : "s");
	} else {
		n = dag_nr_entries(&g);
		printf("%s: ok: %zu atom%s, %zu edge%s, %zu entr%s\n", g.file,
		       g.nr_atoms, g.nr_atoms == 1 ? "" : "s", g.nr_edges,
		       g.nr_edges == 1 ? "" : "s", n, n == 1 ? "y" : "ies");
	}
	dag_free(&g);
	return ret;
}

/* convert FILE: Click language <-> edge list. */
int cmd_convert(struct ctx *c, int argc, char **argv)
{
	enum dag_format fmt;
	struct dag g;
	struct diag d;
	int ret;

	(void)c;
	(void)argc;
	ret = load(&g, argv[1], &fmt, true);
	if (!ret && (fmt == FMT_CLICK ? emit_edges(&g, stdout, &d)
				      : emit_click(&g, stdout, &d))) {
		fprintf(stderr, "%s\n", d.msg);
		ret = EXIT_FAILURE;
	}
	dag_free(&g);
	return ret;
}

/* flatten FILE: the flat DAG (compounds expanded, variables substituted,
 * anonymous elements named) in the Click language, offline.
 */
int cmd_flatten(struct ctx *c, int argc, char **argv)
{
	struct dag g;
	struct diag d;
	int ret;

	(void)argc;
	ret = load(&g, argv[1], NULL, true);
	if (!ret && c->json) {
		json_dag(&g);
	} else if (!ret && emit_click(&g, stdout, &d)) {
		fprintf(stderr, "%s\n", d.msg);
		ret = EXIT_FAILURE;
	}
	dag_free(&g);
	return ret;
}
