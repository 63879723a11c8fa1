// SPDX-License-Identifier: GPL-2.0
/*
 * After parsing: a compound element's input and output are pass nodes
 * (input port p of the node continues as its output port p); splicing
 * them out leaves Click's flat configuration. Anonymous atoms get their
 * names last, so that N in "type@N" can skip names declared later.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "click_parse.h"

/* Appends e unless the same connection is there already. */
static void push(struct edge **v, size_t *n, size_t *cap, struct edge e)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].src == e.src && (*v)[i].port == e.port &&
		    (*v)[i].dst == e.dst && (*v)[i].dst_port == e.dst_port)
			return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*v = realloc(*v, *cap * sizeof(**v));
		if (!*v)
			abort();
	}
	(*v)[(*n)++] = e;
}

/* A [a] -> [p] n and n [p] -> [b] B become A [a] -> [b] B; ports of the
 * compound nobody connects simply vanish, as in Click.
 */
static void splice(struct dag *g, uint32_t n)
{
	struct edge *v = NULL;
	size_t nv = 0, cap = 0;

	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		if (e->src == n)
			continue;
		if (e->dst != n) {
			push(&v, &nv, &cap, *e);
			continue;
		}
		for (size_t j = 0; j < g->nr_edges; j++) {
			const struct edge *f = &g->edges[j];

			if (f->src == n && f->port == e->dst_port && f->dst != n)
				push(&v, &nv, &cap, (struct edge){ e->src, e->port,
					f->dst, f->dst_port, e->loc });
		}
	}
	free(g->edges);
	g->edges = v;
	g->nr_edges = nv;
	g->cap_edges = cap;
}

static void drop_pass_nodes(struct dag *g)
{
	int *map = malloc((g->nr_atoms + 1) * sizeof(*map));
	size_t k = 0;

	if (!map)
		abort();
	for (size_t i = 0; i < g->nr_atoms; i++) {
		map[i] = g->atoms[i].pass ? -1 : (int)k;
		if (!g->atoms[i].pass)
			g->atoms[k++] = g->atoms[i];
	}
	for (size_t i = 0; i < g->nr_edges; i++) {
		g->edges[i].src = (uint32_t)map[g->edges[i].src];
		g->edges[i].dst = (uint32_t)map[g->edges[i].dst];
	}
	g->nr_atoms = k;
	g->nr_pass = 0;
	free(map);
}

/* Click names anonymous elements prefix + Type@N, N the element's
 * position in its scope; N counts up while the name is taken.
 */
static void name_anonymous(struct dag *g)
{
	for (size_t i = 0; i < g->nr_atoms; i++) {
		struct atom *a = &g->atoms[i];
		char prefix[CLICKUP_NAME_MAX], name[CLICKUP_NAME_MAX + 32];
		unsigned int n = a->anon_n;

		if (!a->anon)
			continue;
		strcpy(prefix, a->name);
		do {
			/* shorten the type part so that the name fits */
			int w = snprintf(name, sizeof(name), "%s@%u", prefix, n);
			int tl = (int)strlen(a->type);

			if (tl + w >= CLICKUP_NAME_MAX)
				tl = CLICKUP_NAME_MAX - 1 - w;
			if (tl < 1)
				tl = 1;
			snprintf(name, sizeof(name), "%s%.*s@%u", prefix, tl,
				 a->type, n++);
		} while (dag_find(g, name) >= 0);
		memcpy(a->name, name, CLICKUP_NAME_MAX - 1);
		a->name[CLICKUP_NAME_MAX - 1] = 0;
		a->anon = false;
	}
}

int click_flatten(struct dag *g, struct diag *d)
{
	for (size_t i = 0; i < g->nr_atoms; i++)
		if (g->atoms[i].pass)
			splice(g, (uint32_t)i);
	if (g->nr_pass)
		drop_pass_nodes(g);
	if (g->nr_edges > CLICKUP_MAX_EDGES) {
		diag_at(d, g->file, (struct loc){ 0, 0 },
			"too many edges after flattening compound elements (%zu, at most %d)",
			g->nr_edges, CLICKUP_MAX_EDGES);
		return -1;
	}
	name_anonymous(g);
	return 0;
}
