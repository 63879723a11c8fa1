/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-memory DAG both parsers produce and everything else consumes:
 * atoms in declaration order (an atom's index is what goes on the wire)
 * and edges referring to atoms by index.
 */
#ifndef CLICKUPCTL_DAG_H
#define CLICKUPCTL_DAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/clickup.h>

#include "diag.h"

struct atom {
	char name[CLICKUP_NAME_MAX];
	char type[CLICKUP_NAME_MAX];	/* always lower case */
	char *args[CLICKUP_MAX_ARGS];
	unsigned int nargs;
	struct loc loc;			/* where it was declared */
	bool anon;			/* name still to be generated: name
					 * holds the compound prefix, anon_n
					 * the position in its scope
					 */
	unsigned int anon_n;
	bool pass;			/* a compound's input or output while
					 * flattening (parse_click.c), never
					 * sent
					 */
	int fd;				/* sent as CLICKUP_ATOM_A_FD, -1: none
					 * (bpf atoms: bpf.c)
					 */
};

struct edge {
	uint32_t src, port, dst, dst_port;
	struct loc loc;
};

struct dag {
	const char *file;		/* for messages: path or "<stdin>" */
	struct atom *atoms;
	size_t nr_atoms, cap_atoms;
	size_t nr_pass;			/* atoms with pass set */
	struct edge *edges;
	size_t nr_edges, cap_edges;
};

void dag_init(struct dag *g, const char *file);
void dag_free(struct dag *g);

/* Append an atom; type is lower-cased. Returns its index or -1 (diag set). */
int dag_add_atom(struct dag *g, const char *name, const char *type,
		 struct loc loc, struct diag *d);
/* Append a copy of arg to atom i; -1 on limit violation (diag set). */
int dag_add_arg(struct dag *g, size_t i, const char *arg, size_t len,
		struct loc loc, struct diag *d);
int dag_add_edge(struct dag *g, uint32_t src, uint32_t port, uint32_t dst,
		 uint32_t dst_port, struct loc loc, struct diag *d);
/* Index of the atom called name, or -1. */
int dag_find(const struct dag *g, const char *name);

/* Entry atoms are the ones the packet path starts at (hooks). */
bool atom_is_entry(const struct atom *a);

/* bpf atoms travel with a program fd (bpf.c loads it after validation). */
bool atom_has_fd(const struct atom *a);

/* Structural checks that need no kernel (see docs/dag-language.md). */
int dag_validate(const struct dag *g, struct diag *d);
size_t dag_nr_entries(const struct dag *g);

/* Same atoms (type, args), same edges, ignoring names and order of edges;
 * atoms are matched by position. Used by convert's self-check and tests.
 */
bool dag_same(const struct dag *a, const struct dag *b);

#endif
