/* SPDX-License-Identifier: GPL-2.0 */
#ifndef CLICKUPCTL_PARSE_H
#define CLICKUPCTL_PARSE_H

#include <stdio.h>

#include "dag.h"

enum dag_format { FMT_AUTO, FMT_CLICK, FMT_EDGES };

/* Parse len bytes of text into g (already dag_init'ed with the file name
 * used in messages). 0 or -1 with d set to "file:line:col: message".
 */
int parse_click(struct dag *g, const char *text, size_t len, struct diag *d);
/* The same, writing "file:line:col: note: ..." lines to notes (require). */
int parse_click_notes(struct dag *g, const char *text, size_t len,
		      struct diag *d, FILE *notes);
int parse_edges(struct dag *g, const char *text, size_t len, struct diag *d);

/* Decide the format from the path's extension, else from the content. */
enum dag_format detect_format(const char *path, const char *text, size_t len);

/* Read path ("-" = stdin) and parse it in the detected format; fills
 * *fmt when non-NULL. Does not validate.
 */
int dag_load(struct dag *g, const char *path, enum dag_format *fmt,
	     struct diag *d);

/* Convert output (emit.c). Return -1 with d set when the DAG cannot be
 * expressed in the target format.
 */
int emit_click(const struct dag *g, FILE *out, struct diag *d);
int emit_edges(const struct dag *g, FILE *out, struct diag *d);

#endif
