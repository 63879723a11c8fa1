// SPDX-License-Identifier: GPL-2.0
/* The offline DAG commands: check, convert, flatten. No kernel needed. */
#include <stdio.h>
#include <string.h>

#include "clickup.h"
#include "cmd.h"
#include "print.h"
#include "parse.h"

/* Loads path into g (validated unless syntax_only); prints the error. */
static int load(struct dag *g, const char *path, enum dag_format *fmt,
		bool syntax_only)
{
	struct diag d;

	dag_init(g, shown(path));
	if (dag_load(g, path, fmt, &d) < 0 ||
	    (!syntax_only && dag_validate(g, &d) < 0)) {
		fprintf(stderr, "%s\n", d.msg);
		return EXIT_FAILURE;
	}
	return 0;
}

/* check [--syntax] FILE: parse (+ structural validation) without the
 * kernel; --syntax knows nothing of atom types, like click-flatten.
 */
int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct dag g;
	int ret;

	(void)argc;
	ret = load(&g, argv[1], NULL, c->syntax);
	if (!ret) {
		print_start(c->json);
		print_dag(&g, c->syntax);
		print_end();
	}
	dag_free(&g);
	return ret;
}

/* convert FILE: Click language <-> edge list. */
int cmd_convert(struct ctx *c, int argc, char **argv)
{
	enum dag_format fmt;
	struct dag g;
	struct diag d;
	int ret;

	(void)c;
	(void)argc;
	ret = load(&g, argv[1], &fmt, true);
	if (!ret && (fmt == FMT_CLICK ? emit_edges(&g, stdout, &d)
				      : emit_click(&g, stdout, &d))) {
		fprintf(stderr, "%s\n", d.msg);
		ret = EXIT_FAILURE;
	}
	dag_free(&g);
	return ret;
}

/* flatten FILE: the flat DAG (compounds expanded, variables substituted,
 * anonymous elements named) in the Click language, offline.
 */
int cmd_flatten(struct ctx *c, int argc, char **argv)
{
	struct dag g;
	struct diag d;
	int ret;

	(void)argc;
	ret = load(&g, argv[1], NULL, true);
	if (!ret && c->json) {
		print_start(true);
		print_dag(&g, true);
		print_end();
	} else if (!ret && emit_click(&g, stdout, &d)) {
		fprintf(stderr, "%s\n", d.msg);
		ret = EXIT_FAILURE;
	}
	dag_free(&g);
	return ret;
}
