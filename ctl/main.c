// SPDX-License-Identifier: GPL-2.0
/*
 * clickupctl: control CLICK-UP network elements.
 * Command line, the offline commands (check, convert) and batch mode.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "parse.h"

static const char usage_text[] =
	"usage: clickupctl atoms [-j]\n"
	"       clickupctl create NE FILE [-j]\n"
	"       clickupctl upgrade NE FILE [-j]\n"
	"       clickupctl show [NE] [-j]\n"
	"       clickupctl delete NE\n"
	"       clickupctl check FILE [-j]\n"
	"       clickupctl convert FILE\n"
	"       clickupctl monitor [-j]\n"
	"       clickupctl batch [FILE]\n"
	"       clickupctl state [list|show|flush|delete|set|save|restore|check] ...\n"
	"FILE may be '-' for stdin; see docs/dag-language.md.\n";

int fail(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "clickupctl: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

struct nlctx *ctx_nl(struct ctx *c)
{
	struct diag d;

	if (c->nl_open)
		return &c->nl;
	if (nlc_open(&c->nl, &d) < 0) {
		fprintf(stderr, "clickupctl: %s\n", d.msg);
		return NULL;
	}
	c->nl_open = true;
	return &c->nl;
}

static const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

static void json_dag(const struct dag *g)
{
	struct json j;

	json_init(&j, stdout);
	json_obj_open(&j, NULL);
	json_str(&j, "file", g->file);
	json_arr_open(&j, "atoms");
	for (size_t i = 0; i < g->nr_atoms; i++) {
		const struct atom *a = &g->atoms[i];

		json_obj_open(&j, NULL);
		json_u64(&j, "index", i);
		json_str(&j, "name", a->name);
		json_str(&j, "type", a->type);
		json_arr_open(&j, "args");
		for (unsigned int k = 0; k < a->nargs; k++)
			json_str(&j, NULL, a->args[k]);
		json_arr_close(&j);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_arr_open(&j, "edges");
	for (size_t i = 0; i < g->nr_edges; i++) {
		const struct edge *e = &g->edges[i];

		json_obj_open(&j, NULL);
		json_u64(&j, "src", e->src);
		json_u64(&j, "port", e->port);
		json_u64(&j, "dst", e->dst);
		json_u64(&j, "dst_port", e->dst_port);
		json_obj_close(&j);
	}
	json_arr_close(&j);
	json_u64(&j, "nr_atoms", g->nr_atoms);
	json_u64(&j, "nr_edges", g->nr_edges);
	json_u64(&j, "nr_entries", dag_nr_entries(g));
	json_obj_close(&j);
	json_end(&j);
}

/* check FILE: parse + structural validation, no kernel. */
static int cmd_check(struct ctx *c, int argc, char **argv)
{
	struct dag g;
	struct diag d;
	int ret = 0;

	(void)argc;
	dag_init(&g, shown(argv[1]));
	if (dag_load(&g, argv[1], NULL, &d) < 0 || dag_validate(&g, &d) < 0) {
		fprintf(stderr, "%s\n", d.msg);
		ret = 1;
	} else if (c->json) {
		json_dag(&g);
	} else {
		printf("%s: ok: %zu atom%s, %zu edge%s, %zu entr%s\n", g.file,
		       g.nr_atoms, g.nr_atoms == 1 ? "" : "s", g.nr_edges,
		       g.nr_edges == 1 ? "" : "s", dag_nr_entries(&g),
		       dag_nr_entries(&g) == 1 ? "y" : "ies");
	}
	dag_free(&g);
	return ret;
}

/* convert FILE: Click language <-> edge list. */
static int cmd_convert(struct ctx *c, int argc, char **argv)
{
	enum dag_format fmt;
	struct dag g;
	struct diag d;
	int ret;

	(void)c;
	(void)argc;
	dag_init(&g, shown(argv[1]));
	ret = dag_load(&g, argv[1], &fmt, &d);
	if (!ret)
		ret = fmt == FMT_CLICK ? emit_edges(&g, stdout, &d)
				       : emit_click(&g, stdout, &d);
	if (ret)
		fprintf(stderr, "%s\n", d.msg);
	dag_free(&g);
	return ret ? 1 : 0;
}

static int cmd_batch(struct ctx *c, int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(struct ctx *c, int argc, char **argv);
	int min_args, max_args;	/* positional, after the command */
	const char *usage;
} commands[] = {
	{ "atoms", cmd_atoms, 0, 0, "atoms [-j]" },
	{ "create", cmd_create, 2, 2, "create NE FILE [-j]" },
	{ "upgrade", cmd_create, 2, 2, "upgrade NE FILE [-j]" },
	{ "show", cmd_show, 0, 1, "show [NE] [-j]" },
	{ "delete", cmd_delete, 1, 1, "delete NE" },
	{ "check", cmd_check, 1, 1, "check FILE [-j]" },
	{ "convert", cmd_convert, 1, 1, "convert FILE" },
	{ "monitor", cmd_monitor, 0, 0, "monitor [-j]" },
	{ "batch", cmd_batch, 0, 1, "batch [FILE]" },
	{ "state", cmd_state, 0, 5, "state [list|show|flush|delete|set|save|restore|check] ..." },
};

/* Runs argv[0] with its arguments; -j/--json may appear anywhere. */
static int dispatch(struct ctx *c, int argc, char **argv, bool in_batch)
{
	const struct command *cmd = NULL;
	char *pos[8];
	int n = 0;

	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (!strcmp(argv[0], commands[i].name))
			cmd = &commands[i];
	if (!cmd || (in_batch && cmd->fn == cmd_batch)) {
		fprintf(stderr, "clickupctl: unknown command '%s'\n%s", argv[0],
			in_batch ? "" : usage_text);
		return 2;
	}
	c->json = false;
	pos[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			c->json = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "clickupctl: %s: unknown option '%s'\nusage: clickupctl %s\n",
				cmd->name, argv[i], cmd->usage);
			return 2;
		} else if (n < (int)(sizeof(pos) / sizeof(*pos))) {
			pos[n++] = argv[i];
		} else {
			n++;
		}
	}
	if (n - 1 < cmd->min_args || n - 1 > cmd->max_args) {
		fprintf(stderr, "clickupctl: %s: wrong number of arguments\nusage: clickupctl %s\n",
			cmd->name, cmd->usage);
		return 2;
	}
	return cmd->fn(c, n, pos);
}

/* batch [FILE]: one command per line, one process, one netlink socket.
 * Stops at the first failing line.
 */
static int cmd_batch(struct ctx *c, int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "-";
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, ret = 0;

	if (!f)
		return fail("batch", "%s: %m", path);
	while (getline(&line, &cap, f) > 0) {
		char *av[16], *save = NULL, *w;
		int ac = 0;

		lineno++;
		for (w = strtok_r(line, " \t\r\n", &save); w && ac < 16;
		     w = strtok_r(NULL, " \t\r\n", &save))
			av[ac++] = w;
		if (!ac || av[0][0] == '#')
			continue;
		if (!strcmp(av[0], "clickupctl") && ac > 1) {
			memmove(av, av + 1, --ac * sizeof(*av));
		}
		ret = dispatch(c, ac, av, true);
		fflush(stdout);
		if (ret) {
			fprintf(stderr, "clickupctl: batch: %s:%d: command failed\n",
				shown(path), lineno);
			break;
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	struct ctx c = { 0 };
	int ret;

	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	ret = dispatch(&c, argc - 1, argv + 1, false);
	if (c.nl_open)
		nlc_close(&c.nl);
	return ret;
}
