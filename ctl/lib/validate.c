// SPDX-License-Identifier: GPL-2.0
/* Offline structural validation. The kernel re-checks all of this and
 * more (port counts per type); this exists to give file:line:col errors
 * before anything is sent.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include "dag.h"

/* Bytes of one string attribute. */
static size_t str_attr(const char *s)
{
	return NLA_HDRLEN + NLA_ALIGN(strlen(s) + 1);
}

/* The whole DAG travels in one CLICKUP_A_DAG attribute, whose length is
 * a u16: report the first atom or edge that does not fit, exactly as
 * nlmsg_dag.c will encode it.
 */
static int check_wire_size(const struct dag *g, struct diag *d)
{
	size_t len = 3 * NLA_HDRLEN;	/* DAG, ATOMS and EDGES nests */
	struct loc at;

	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		len += 2 * NLA_HDRLEN + str_attr(a->name) + str_attr(a->type);
		if (atom_has_fd(a))	/* CLICKUP_ATOM_A_FD, a u32 */
			len += NLA_HDRLEN + 4;
		for (unsigned int j = 0; j < a->nargs; j++)
			len += NLA_HDRLEN + str_attr(a->args[j]);
		if (len > 0xffff) {
			at = a->loc;
			goto big;
		}
	}
	for (size_t i = 0; i < g->nr_edges; i++) {
		len += NLA_HDRLEN + 4 * (NLA_HDRLEN + 4);
		if (len > 0xffff) {
			at = g->edges[i].loc;
			goto big;
		}
	}
	return 0;
big:
	diag_at(d, g->file, at,
		"DAG too large: its netlink attribute would pass 65535 bytes here (use fewer atoms, arguments or edges)");
	return -1;
}

/* Colours for the iterative DFS. */
enum { WHITE, GREY, BLACK };

/* Returns the index of an atom on a cycle, or -1. Iterative so a 1024-atom
 * chain cannot blow the stack.
 */
static int find_cycle(const struct dag *g)
{
	size_t n = g->nr_atoms, ne = g->nr_edges;
	unsigned char *colour = calloc(n + 1, 1);
	size_t *first = calloc(n + 1, sizeof(size_t));	/* CSR out-edges */
	size_t *adj = calloc(ne + 1, sizeof(size_t));
	size_t *stack = calloc(n + 1, sizeof(size_t));
	size_t *next = calloc(n + 1, sizeof(size_t));	/* per-node cursor */
	int hit = -1;

	if (!colour || !first || !adj || !stack || !next)
		abort();
	for (size_t i = 0; i < ne; i++)
		first[g->edges[i].src + 1]++;
	for (size_t i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (size_t i = 0, *fill = next; i < ne; i++) {
		size_t s = g->edges[i].src;

		adj[first[s] + fill[s]++] = g->edges[i].dst;
	}
	memset(next, 0, (n + 1) * sizeof(size_t));
	for (size_t root = 0; root < n && hit < 0; root++) {
		size_t sp = 0;

		if (colour[root] != WHITE)
			continue;
		stack[sp++] = root;
		colour[root] = GREY;
		while (sp && hit < 0) {
			size_t u = stack[sp - 1];

			if (first[u] + next[u] < first[u + 1]) {
				size_t v = adj[first[u] + next[u]++];

				if (colour[v] == GREY)
					hit = (int)v;
				else if (colour[v] == WHITE) {
					colour[v] = GREY;
					stack[sp++] = v;
				}
			} else {
				colour[u] = BLACK;
				sp--;
			}
		}
	}
	free(colour);
	free(first);
	free(adj);
	free(stack);
	free(next);
	return hit;
}

int dag_validate(const struct dag *g, struct diag *d)
{
	const char *f = g->file;
	size_t entries = 0;
	int c;

	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		for (size_t j = 0; j < i; j++)
			if (!strcmp(a->name, g->atoms[j].name)) {
				diag_at(d, f, a->loc, "duplicate atom name '%s'",
					a->name);
				return -1;
			}
		entries += atom_is_entry(a);
	}
	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		if (e->src >= g->nr_atoms || e->dst >= g->nr_atoms) {
			diag_at(d, f, e->loc, "edge refers to an undeclared atom");
			return -1;
		}
		if (e->port >= CLICKUP_MAX_PORTS ||
		    e->dst_port >= CLICKUP_MAX_PORTS) {
			diag_at(d, f, e->loc, "port number must be below %d",
				CLICKUP_MAX_PORTS);
			return -1;
		}
		if (atom_is_entry(&g->atoms[e->dst])) {
			diag_at(d, f, e->loc,
				"entry atom '%s' cannot have an input edge",
				g->atoms[e->dst].name);
			return -1;
		}
		for (size_t j = 0; j < i; j++) {
			const struct edge *o = &g->edges[j];

			if (o->src == e->src && o->port == e->port) {
				diag_at(d, f, e->loc,
					"output [%u] of '%s' is already connected (at %d:%d); one output feeds exactly one input",
					e->port, g->atoms[e->src].name,
					o->loc.line, o->loc.col);
				return -1;
			}
		}
	}
	if (!entries) {
		diag_at(d, f, (struct loc){ 0, 0 },
			"no entry atom (a from* atom such as fromdevice)");
		return -1;
	}
	if (entries > CLICKUP_MAX_ENTRIES) {
		diag_at(d, f, (struct loc){ 0, 0 },
			"too many entry atoms (%zu, at most %d)", entries,
			CLICKUP_MAX_ENTRIES);
		return -1;
	}
	if (check_wire_size(g, d) < 0)
		return -1;
	c = find_cycle(g);
	if (c >= 0) {
		diag_at(d, f, g->atoms[c].loc, "cycle through atom '%s'",
			g->atoms[c].name);
		return -1;
	}
	return 0;
}
