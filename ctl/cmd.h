/* SPDX-License-Identifier: GPL-2.0 */
/* Commands: each returns the process exit status (0, 1, or 2 = usage). */
#ifndef CLICKUPCTL_CMD_H
#define CLICKUPCTL_CMD_H

#include <stdbool.h>

#include "dag.h"
#include "nl.h"

struct ctx {
	struct nlctx nl;	/* opened on first use, shared by batch */
	bool nl_open;
	bool json;
};

/* "clickupctl: what: message" on stderr; returns 1. */
int fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The netlink socket, opened (and the family resolved) on first use. */
struct nlctx *ctx_nl(struct ctx *c);

int cmd_atoms(struct ctx *c, int argc, char **argv);
int cmd_create(struct ctx *c, int argc, char **argv);	/* and upgrade */
int cmd_delete(struct ctx *c, int argc, char **argv);
int cmd_show(struct ctx *c, int argc, char **argv);
int cmd_monitor(struct ctx *c, int argc, char **argv);
int cmd_state(struct ctx *c, int argc, char **argv);	/* cmd_state.c */

/* Shared by create/upgrade replies and monitor events: prints
 * "<verb> NAME: generation G in ..." or one JSON object.
 */
void print_result(struct ctx *c, const char *event, struct nlattr **tb);

/* Netlink encoding of a DAG (nlmsg_dag.c). */
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

/*
 * bpf atoms (bpf.c): load the program of every bpf atom of g (libbpf, or a
 * pinned program) and keep its descriptor in atom->fd for put_dag(). On
 * failure prints one error line (fail(what, ...)) and returns -1.
 */
int bpf_atoms_load(struct dag *g, const char *what);
void bpf_atoms_close(struct dag *g);

#endif
