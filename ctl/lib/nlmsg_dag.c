// SPDX-License-Identifier: GPL-2.0
/* CLICKUP_A_DAG encoding. The byte range of every atom and edge nest is
 * remembered so an extack offset can be reported as "atom 3 'strip'".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlmsg_dag.h"

size_t dag_msg_size(const struct dag *g)
{
	size_t n = 64;

	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		n += 5 * NLA_HDRLEN + 4 + NLA_ALIGN(strlen(a->name) + 1) +
		     NLA_ALIGN(strlen(a->type) + 1);
		for (unsigned int j = 0; j < a->nargs; j++)
			n += 2 * NLA_HDRLEN + NLA_ALIGN(strlen(a->args[j]) + 1);
	}
	return n + g->nr_edges * (5 * NLA_HDRLEN + 4 * 4);
}

static uint32_t off(struct nl_msg *m, const void *p)
{
	return (uint32_t)((const char *)p - (const char *)nlmsg_hdr(m));
}

static int put_atom(struct nl_msg *m, const struct atom *a)
{
	struct nlattr *args;

	if (nla_put_string(m, CLICKUP_ATOM_A_NAME, a->name) < 0 ||
	    nla_put_string(m, CLICKUP_ATOM_A_TYPE, a->type) < 0)
		return -1;
	args = nla_nest_start(m, CLICKUP_ATOM_A_ARGS | NLA_F_NESTED);
	if (!args)
		return -1;
	for (unsigned int j = 0; j < a->nargs; j++) {
		struct nlattr *arg = nla_nest_start(m, (int)(j + 1) | NLA_F_NESTED);

		if (!arg || nla_put_string(m, CLICKUP_ARG_A_VALUE, a->args[j]) < 0 ||
		    nla_nest_end(m, arg) < 0)
			return -1;
	}
	if (nla_nest_end(m, args) < 0)
		return -1;
	if (a->fd >= 0 && nla_put_u32(m, CLICKUP_ATOM_A_FD, (uint32_t)a->fd) < 0)
		return -1;
	return 0;
}

int put_dag(struct nl_msg *m, const struct dag *g, struct dag_map *map)
{
	struct nlattr *dag, *list, *n;

	map->atom_start = calloc(g->nr_atoms + 1, sizeof(uint32_t));
	map->atom_end = calloc(g->nr_atoms + 1, sizeof(uint32_t));
	map->edge_start = calloc(g->nr_edges + 1, sizeof(uint32_t));
	map->edge_end = calloc(g->nr_edges + 1, sizeof(uint32_t));
	if (!map->atom_start || !map->atom_end || !map->edge_start ||
	    !map->edge_end)
		return -1;
	dag = nla_nest_start(m, CLICKUP_A_DAG | NLA_F_NESTED);
	list = dag ? nla_nest_start(m, CLICKUP_DAG_A_ATOMS | NLA_F_NESTED) : NULL;
	if (!list)
		return -1;
	for (size_t i = 0; i < g->nr_atoms; i++) {
		/* array element i has attribute type i + 1 (0 is reserved) */
		n = nla_nest_start(m, (int)(i + 1) | NLA_F_NESTED);
		if (!n || put_atom(m, &g->atoms[i]) < 0 || nla_nest_end(m, n) < 0)
			return -1;
		map->atom_start[i] = off(m, n);
		map->atom_end[i] = off(m, n) + n->nla_len;
	}
	if (nla_nest_end(m, list) < 0)
		return -1;
	list = nla_nest_start(m, CLICKUP_DAG_A_EDGES | NLA_F_NESTED);
	if (!list)
		return -1;
	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		n = nla_nest_start(m, (int)(i + 1) | NLA_F_NESTED);
		if (!n || nla_put_u32(m, CLICKUP_EDGE_A_SRC, e->src) < 0 ||
		    nla_put_u32(m, CLICKUP_EDGE_A_PORT, e->port) < 0 ||
		    nla_put_u32(m, CLICKUP_EDGE_A_DST, e->dst) < 0 ||
		    nla_put_u32(m, CLICKUP_EDGE_A_DST_PORT, e->dst_port) < 0 ||
		    nla_nest_end(m, n) < 0)
			return -1;
		map->edge_start[i] = off(m, n);
		map->edge_end[i] = off(m, n) + n->nla_len;
	}
	/* libnl trims a nest past 64 KiB and says so only here: without
	 * these checks the request would go out without its DAG
	 */
	if (nla_nest_end(m, list) < 0 || nla_nest_end(m, dag) < 0)
		return -1;
	return 0;
}

void dag_map_free(struct dag_map *map)
{
	free(map->atom_start);
	free(map->atom_end);
	free(map->edge_start);
	free(map->edge_end);
	memset(map, 0, sizeof(*map));
}

void describe_offset(const struct dag *g, const struct dag_map *map,
		     long offs, char *buf, size_t size)
{
	unsigned long o = (unsigned long)offs;	/* long is 32 bits on armhf */

	buf[0] = 0;
	if (offs < 0 || !map->atom_start)
		return;
	for (size_t i = 0; i < g->nr_atoms; i++)
		if (o >= map->atom_start[i] && o < map->atom_end[i]) {
			snprintf(buf, size, " (atom %zu '%s', %s:%d)", i,
				 g->atoms[i].name, g->file, g->atoms[i].loc.line);
			return;
		}
	for (size_t i = 0; i < g->nr_edges; i++)
		if (o >= map->edge_start[i] && o < map->edge_end[i]) {
			const struct edge *e = &g->edges[i];

			snprintf(buf, size, " (edge %s [%u] -> [%u] %s, %s:%d)",
				 g->atoms[e->src].name, e->port, e->dst_port,
				 g->atoms[e->dst].name, g->file, e->loc.line);
			return;
		}
	snprintf(buf, size, " (at offset %ld)", offs);
}
