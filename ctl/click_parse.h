/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the Click parser and its flattening pass. */
#ifndef CLICKUPCTL_CLICK_PARSE_H
#define CLICKUPCTL_CLICK_PARSE_H

#include <stdio.h>

#include "click_lex.h"
#include "parse.h"

/* A compound element instance: its name and its two pass nodes. */
struct inst {
	char *name;
	int in, out;
	struct loc loc;
};

struct parser {
	struct dag *g;
	struct diag *d;
	bool *lx_failed;	/* the lexers' shared error flag */
	FILE *notes;		/* "note:" lines (require), or NULL */
	struct inst *insts;
	size_t ninsts;
};

/* Splices out the pass nodes of compound elements, drops them, and names
 * the anonymous atoms (click_flat.c).
 */
int click_flatten(struct dag *g, struct diag *d);

#endif
