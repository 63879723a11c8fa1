// SPDX-License-Identifier: GPL-2.0
/*
 * clickupctl: control CLICK-UP network elements.
 * Options (anywhere on the line, as ip and bpftool take them), command
 * dispatch, help, and batch mode.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netlink/version.h>

#include "cmd.h"
#include "json.h"
#include "modload.h"

static int cmd_batch(struct ctx *c, int argc, char **argv);

static const struct command {
	const char *name;
	int (*fn)(struct ctx *c, int argc, char **argv);
	int min_args, max_args;	/* positional, after the command */
	const char *usage;
	const char *help;
} commands[] = {
	{ "atoms", cmd_atoms, 0, 0, "atoms",
	  "List the registered atom types (loaded atom modules)." },
	{ "create", cmd_create, 2, 2, "create [--no-modload] NE FILE",
	  "Create network element NE from the DAG in FILE ('-': stdin).\n"
	  "Atom modules the kernel lacks are loaded by clickupctl itself\n"
	  "(libkmod); --no-modload leaves that to the kernel (modprobe)." },
	{ "upgrade", cmd_create, 2, 2, "upgrade [--no-modload] NE FILE",
	  "Swap NE to the DAG in FILE atomically; state and counters of kept\n"
	  "atoms (same name and type) carry over. Modules as for create." },
	{ "show", cmd_show, 0, 1, "show [NE]",
	  "Show every network element (or NE): DAG and per-atom counters." },
	{ "delete", cmd_delete, 1, 1, "delete NE",
	  "Delete network element NE." },
	{ "read", cmd_handler, 2, 2, "read NE ATOM.HANDLER",
	  "Print the value of read handler HANDLER of atom ATOM of NE\n"
	  "(count, rate, table_size...; ATOM.handlers lists them)." },
	{ "write", cmd_handler, 2, 3, "write NE ATOM.HANDLER [VALUE]",
	  "Call write handler HANDLER of atom ATOM of NE (reset, flush...)." },
	{ "check", cmd_check, 1, 1, "check [--syntax] FILE",
	  "Parse and validate FILE without the kernel. --syntax only parses\n"
	  "(any Click element names; no entry-atom or wire-size checks)." },
	{ "flatten", cmd_flatten, 1, 1, "flatten FILE",
	  "Print FILE's flat DAG in the Click language: compound elements\n"
	  "expanded, $variables substituted, anonymous elements named." },
	{ "convert", cmd_convert, 1, 1, "convert FILE",
	  "Print a Click file as an edge list, an edge list as a Click file." },
	{ "monitor", cmd_monitor, 0, 0, "monitor",
	  "Print create/upgrade/delete events until interrupted." },
	{ "batch", cmd_batch, 0, 1, "batch [FILE]",
	  "Run one command per line of FILE ('-' or none: stdin) over one\n"
	  "socket; words split as a shell does (quotes, backslash, #)." },
	{ "state", cmd_state, 0, 33, "state [SUBCOMMAND] ...",
	  "State tables: list, show, timeouts, flush, delete, set, save,\n"
	  "restore, check (clickupctl state help)." },
	{ "help", NULL, 0, 2, "help [COMMAND [SUBCOMMAND]]",
	  "Print the usage of every command, or of one." },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(*commands))

static const char options_text[] =
	"options (before or after the command):\n"
	"  -j, --json         JSON output\n"
	"  -p, --pretty       indented JSON (implies -j)\n"
	"  -n, --netns NAME   run in network namespace NAME (/run/netns/NAME)\n"
	"  -V, --version      version and built-in features\n"
	"  -h, --help         usage (of COMMAND when given)\n"
	"FILE may be '-' for stdin; DAG files: docs/dag-language.md.\n"
	"exit status: 0 ok, 1 usage or local error, 2 error from the kernel.\n";

static void usage_all(FILE *f)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "%s clickupctl %s\n", i ? "      " : "usage:",
			commands[i].usage);
	fputs(options_text, f);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* help [COMMAND [SUB]] and COMMAND -h: to stdout, exit 0. */
static int help(const char *name, const char *sub)
{
	const struct command *cmd = name ? find_command(name) : NULL;

	if (!name) {
		usage_all(stdout);
		return 0;
	}
	if (!cmd) {
		fprintf(stderr, "clickupctl: help: unknown command '%s'\n", name);
		return EXIT_FAILURE;
	}
	if (cmd->fn == cmd_state)
		return state_help(stdout, sub) ? 0 :
		       fail("help", "unknown state subcommand '%s'", sub);
	printf("usage: clickupctl [OPTIONS] %s\n%s\n", cmd->usage, cmd->help);
	return 0;
}

static int usage_error(const struct command *cmd, const char *fmt,
		       const char *arg)
{
	fputs("clickupctl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	if (cmd)
		fprintf(stderr, "usage: clickupctl %s\n", cmd->usage);
	else
		usage_all(stderr);
	return EXIT_FAILURE;
}

static void version(void)
{
	printf("clickupctl %s\nfeatures: %s", clickupctl_version, LIBNL_STRING);
	bpf_features(stdout);
	modload_features(stdout);
	printf(", uapi genl version %d\n", CLICKUP_GENL_VERSION);
}

/* Like "ip -n NAME": every socket opened from now on is in that netns. */
static int enter_netns(const char *name)
{
	char path[4096];
	int fd;

	if (!*name || strchr(name, '/'))
		return fail("netns", "'%s' is not a namespace name", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail("netns", "cannot open %s: %s", path, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0) {
		close(fd);
		return fail("netns", "setns %s: %s", name, strerror(errno));
	}
	close(fd);
	return 0;
}

struct line {
	char *pos[8];
	int n;
	bool help, version, json, pretty, syntax, no_modload;
	const char *netns;
};

/* Splits argv into options (anywhere; "--" ends them) and positional
 * words. Returns 0 or an exit status after printing why.
 */
static int parse_line(int argc, char **argv, struct line *l)
{
	bool opts = true;

	memset(l, 0, sizeof(*l));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!opts || a[0] != '-' || !a[1]) {
			if (l->n < (int)(sizeof(l->pos) / sizeof(*l->pos)))
				l->pos[l->n] = argv[i];
			l->n++;
		} else if (!strcmp(a, "--")) {
			opts = false;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			l->json = true;
		} else if (!strcmp(a, "-p") || !strcmp(a, "--pretty")) {
			l->json = l->pretty = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			l->help = true;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			l->version = true;
		} else if (!strcmp(a, "--syntax")) {
			l->syntax = true;
		} else if (!strcmp(a, "--no-modload")) {
			l->no_modload = true;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--netns")) {
			if (++i == argc)
				return usage_error(NULL, "option '%s' needs a namespace name", a);
			l->netns = argv[i];
		} else {
			const struct command *cmd = l->n ? find_command(l->pos[0]) : NULL;

			return usage_error(cmd, "unknown option '%s'", a);
		}
	}
	return 0;
}

/* Runs one command line (the process's, or one batch line). */
static int dispatch(struct ctx *c, int argc, char **argv, bool in_batch)
{
	const struct command *cmd;
	struct line l;
	int ret = parse_line(argc, argv, &l);

	if (ret)
		return ret;
	if (l.version && !in_batch) {
		version();
		return 0;
	}
	if (!l.n)
		return l.help && !in_batch ? help(NULL, NULL) :
		       usage_error(NULL, "no command%s", "");
	cmd = find_command(l.pos[0]);
	if (!cmd || (in_batch && cmd->fn == cmd_batch))
		return usage_error(in_batch ? cmd : NULL,
				   "unknown command '%s'", l.pos[0]);
	if (!cmd->fn)	/* help */
		return l.n > 3 ? usage_error(cmd, "too many arguments%s", "") :
		       help(l.n > 1 ? l.pos[1] : NULL, l.n > 2 ? l.pos[2] : NULL);
	if (l.help)
		return help(cmd->name, cmd->fn == cmd_state && l.n > 1 ? l.pos[1] : NULL);
	if (in_batch && (l.version || l.netns))
		return usage_error(cmd, "-n and -V are not allowed in batch lines%s", "");
	/* the command options */
	if (l.syntax && cmd->fn != cmd_check)
		return usage_error(cmd, "unknown option '%s'", "--syntax");
	if (l.no_modload && cmd->fn != cmd_create)
		return usage_error(cmd, "unknown option '%s'", "--no-modload");
	if (l.n - 1 < cmd->min_args || l.n - 1 > cmd->max_args)
		return usage_error(cmd, "%s: wrong number of arguments", cmd->name);
	if (l.netns && (ret = enter_netns(l.netns)))
		return ret;
	/* "clickupctl -j batch F": -j (and -p) hold for every line */
	if (!in_batch) {
		c->batch_json = l.json;
		c->batch_pretty = l.pretty;
	}
	c->json = l.json || c->batch_json;
	c->syntax = l.syntax;
	c->no_modload = l.no_modload;
	json_pretty = l.pretty || c->batch_pretty;
	return cmd->fn(c, l.n, l.pos);
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
		return fail("batch", "%s: %s", path, strerror(errno));
	while (getline(&line, &cap, f) > 0) {
		char *av[32];
		const char *err;
		int ac;

		lineno++;
		ac = split_words(line, av, 32, &err);
		if (ac < 0) {
			ret = fail("batch", "%s:%d: %s", shown(path), lineno, err);
			break;
		}
		if (!ac)
			continue;
		if (!strcmp(av[0], "clickupctl") && ac > 1)
			memmove(av, av + 1, --ac * sizeof(*av));
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

	ret = dispatch(&c, argc - 1, argv + 1, false);
	if (c.nl_open)
		nlc_close(&c.nl);
	return ret;
}
