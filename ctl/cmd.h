/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Commands: each returns the process exit status, as ip(8): 0 success,
 * 1 usage, syntax or local error, 2 an error reported by the kernel
 * (or no clickup family to talk to).
 */
#ifndef CLICKUPCTL_CMD_H
#define CLICKUPCTL_CMD_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "dag.h"
#include "nl.h"
#include "nlmsg_dag.h"

struct modload;

#define EXIT_KERNEL	2

extern const char clickupctl_version[];	/* version.c: git describe */

struct ctx {
	struct nlctx nl;	/* opened on first use, shared by batch */
	bool nl_open;
	bool json;
	bool syntax;		/* check --syntax */
	bool no_modload;	/* create/upgrade --no-modload */
	bool batch_json, batch_pretty;	/* given to batch itself */
};

/* "clickupctl: what: message" on stderr; returns 1. */
int fail(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "clickupctl: what: strerror: extack<suffix>" on stderr; returns 2. */
int kfail(const char *what, const struct nlerr *e, const char *suffix);
/* The netlink socket, opened (and the family resolved) on first use;
 * NULL after printing why (callers return EXIT_KERNEL).
 */
struct nlctx *ctx_nl(struct ctx *c);
/* "<stdin>" for "-", else path. */
const char *shown(const char *path);
/* Shell-like splitting of a batch line in place (util.c). */
int split_words(char *line, char **av, int max, const char **err);

int cmd_atoms(struct ctx *c, int argc, char **argv);
int cmd_create(struct ctx *c, int argc, char **argv);	/* and upgrade */
int cmd_delete(struct ctx *c, int argc, char **argv);
int cmd_show(struct ctx *c, int argc, char **argv);
int cmd_monitor(struct ctx *c, int argc, char **argv);
int cmd_state(struct ctx *c, int argc, char **argv);	/* cmd_state.c */
int cmd_check(struct ctx *c, int argc, char **argv);	/* cmd_dag.c */
int cmd_convert(struct ctx *c, int argc, char **argv);
int cmd_flatten(struct ctx *c, int argc, char **argv);
int cmd_handler(struct ctx *c, int argc, char **argv);	/* read, write */
/* The state subcommands' pieces that print errors (cmd_state.c,
 * state_io.c); the requests and output are lib/state.h's.
 */
int table_req(struct ctx *c, const char *what, uint8_t cmd, const char *name,
	      int (*put)(struct nl_msg *, void *), void *arg);
int state_save(struct ctx *c, const char *ne, const char *path);
int state_restore(struct ctx *c, const char *ne, const char *path);
int state_check(struct ctx *c, const char *path);
/* state's usage: every subcommand, or only sub's ("list", "show", ...);
 * false if sub is not one.
 */
bool state_help(FILE *f, const char *sub);

/*
 * bpf atoms (bpf.c): load the program of every bpf atom of g (libbpf, or a
 * pinned program) and keep its descriptor in atom->fd for put_dag(). On
 * failure prints one error line (fail(what, ...)) and returns -1.
 */
int bpf_atoms_load(struct dag *g, const char *what);
void bpf_atoms_close(struct dag *g);
/* ", libbpf X.Y" (or ", no libbpf") for -V. */
void bpf_features(FILE *f);

#endif
