// SPDX-License-Identifier: GPL-2.0
/* A parsed DAG as check prints it (clickupctl check, POST /api/v1/check). */
#include <stdio.h>

#include "clickup.h"
#include "print.h"

/* check's summary line; with -j, the whole parsed DAG as well. */
void print_dag(const struct dag *g, bool syntax)
{
	size_t e = dag_nr_entries(g);

	open_obj(NULL);
	print_str("file", g->file, "%s: ", g->file);
	open_arr("atoms");
	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		open_obj(NULL);
		jprint_u64("index", i);
		jprint_str("name", a->name);
		jprint_str("type", a->type);
		jprint_strv("args", a->args, a->nargs);
		close_obj();
	}
	close_arr();
	open_arr("edges");
	for (size_t i = 0; i < g->nr_edges; i++) {
		open_obj(NULL);
		jprint_u64("src", g->edges[i].src);
		jprint_u64("port", g->edges[i].port);
		jprint_u64("dst", g->edges[i].dst);
		jprint_u64("dst_port", g->edges[i].dst_port);
		close_obj();
	}
	close_arr();
	if (syntax) {	/* Click's words: no atoms, entries or edges yet */
		print_u64("nr_atoms", g->nr_atoms, "syntax ok: %zu element%s",
			  g->nr_atoms, g->nr_atoms == 1 ? "" : "s");
		print_u64("nr_edges", g->nr_edges, ", %zu connection%s\n",
			  g->nr_edges, g->nr_edges == 1 ? "" : "s");
	} else {
		print_u64("nr_atoms", g->nr_atoms, "ok: %zu atom%s", g->nr_atoms,
			  g->nr_atoms == 1 ? "" : "s");
		print_u64("nr_edges", g->nr_edges, ", %zu edge%s", g->nr_edges,
			  g->nr_edges == 1 ? "" : "s");
	}
	if (syntax)
		jprint_u64("nr_entries", e);
	else
		print_u64("nr_entries", e, ", %zu entr%s\n", e, e == 1 ? "y" : "ies");
	close_obj();
}
