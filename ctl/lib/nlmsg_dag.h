/* SPDX-License-Identifier: GPL-2.0 */
/* Netlink encoding of a DAG (nlmsg_dag.c). */
#ifndef CLICKUPCTL_NLMSG_DAG_H
#define CLICKUPCTL_NLMSG_DAG_H

#include "dag.h"
#include "nl.h"

struct dag_map {
	uint32_t *atom_start, *atom_end;	/* byte offsets in the request */
	uint32_t *edge_start, *edge_end;
};
size_t dag_msg_size(const struct dag *g);
int put_dag(struct nl_msg *m, const struct dag *g, struct dag_map *map);
void dag_map_free(struct dag_map *map);
/* " (atom 3 'strip')" for an extack offset, or "" when it maps nowhere. */
void describe_offset(const struct dag *g, const struct dag_map *map,
		     long offs, char *buf, size_t size);

#endif
