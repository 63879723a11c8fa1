/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading the atom modules a DAG needs from user space (libkmod), before
 * create/upgrade sends it; see modload.c.
 */
#ifndef CLICKUPCTL_MODLOAD_H
#define CLICKUPCTL_MODLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dag.h"
#include "nl.h"

/* What one modload_dag() did, for the reply (print_result). */
struct modload {
	size_t nr_missing;	/* atom types the kernel did not have */
	size_t nr_loaded;	/* modules inserted by us (not already there) */
	char **loaded;		/* their names */
	uint64_t ns;		/* wall time: type dump, lookups, inserts */
	char *errors;		/* one line per type that cannot be loaded */
};

/*
 * Insert the modules of every atom type of g that the kernel (over nl) has
 * not registered, one after another. Returns 0 (also when there was
 * nothing to do, or when loading is left to the kernel: no libkmod, no permission to
 * dump types or insert modules), or -1 with ml->errors set: one line per
 * type that cannot be loaded, naming the type and the module file.
 */
int modload_dag(struct nlctx *nl, const struct dag *g, struct modload *ml);
void modload_free(struct modload *ml);
/* The modload fields of a create/upgrade reply (inside its object). */
void modload_print(const struct modload *ml);
/* ", libkmod" (or not) for -V. */
void modload_features(FILE *f);

#endif
