// SPDX-License-Identifier: GPL-2.0
/*
 * state: the per-netns state tables of clickup.ko (TABLE_* and FLOW_*
 * commands). This file dispatches through a subcommand table (which also
 * gives the help) and holds flush, delete and set; state_req.c sends
 * the requests, state_out.c prints, state_io.c saves, restores, checks.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "print.h"
#include "state.h"
#include "state_file.h"

static int sub_usage(const char *sub, const char *fmt, const char *arg);

/* One doit request on a table; put adds more attributes (or NULL). */
int table_req(struct ctx *c, const char *what, uint8_t cmd, const char *name,
	      int (*put)(struct nl_msg *, void *), void *arg)
{
	struct nlctx *nl = ctx_nl(c);
	struct nlerr e;

	if (!nl)
		return EXIT_KERNEL;
	if (table_req_nl(nl, cmd, name, put, arg, &e) < 0)
		return kfail(what, &e, "");
	return 0;
}

static int state_delete(struct ctx *c, int argc, char **argv)
{
	char what[160];
	struct flow_key k;

	if (argc == 3) {
		snprintf(what, sizeof(what), "state delete %s", argv[2]);
		return table_req(c, what, CLICKUP_CMD_TABLE_DEL, argv[2], NULL, NULL);
	}
	if (argc != 6)
		return sub_usage("delete", "wrong number of arguments%s", "");
	if (parse_proto(argv[3], &k.proto))
		return sub_usage("delete", "bad protocol '%s' (tcp, udp, icmp or 0-255)",
			     argv[3]);
	if (parse_endpoint(argv[4], &k.saddr, &k.sport))
		return sub_usage("delete", "bad endpoint '%s' (want ADDR:PORT)", argv[4]);
	if (parse_endpoint(argv[5], &k.daddr, &k.dport))
		return sub_usage("delete", "bad endpoint '%s' (want ADDR:PORT)", argv[5]);
	snprintf(what, sizeof(what), "state delete %s %s %s %s", argv[2],
		 argv[3], argv[4], argv[5]);
	return table_req(c, what, CLICKUP_CMD_FLOW_DEL, argv[2], put_key, &k);
}

static int state_set(struct ctx *c, int argc, char **argv)
{
	char what[64];
	uint32_t max;

	if (argc != 5 || strcmp(argv[3], "max"))
		return sub_usage("set", "want 'set TABLE max N'%s", "");
	if (parse_u32(argv[4], &max))
		return sub_usage("set", "bad limit '%s' (0 to 4294967295)", argv[4]);
	snprintf(what, sizeof(what), "state set %s", argv[2]);
	return table_req(c, what, CLICKUP_CMD_TABLE_SET, argv[2], put_max, &max);
}

/* ---- dispatch -------------------------------------------------------------- */

static int do_list(struct ctx *c, int argc, char **argv)
{
	struct nlctx *nl = ctx_nl(c);
	struct nlerr e;

	(void)argc;
	(void)argv;
	if (!nl)
		return EXIT_KERNEL;
	return tables_show(nl, c->json, &e) < 0 ? kfail("state", &e, "") : 0;
}

static int do_show(struct ctx *c, int argc, char **argv)
{
	struct nlctx *nl = ctx_nl(c);
	char what[64];
	struct nlerr e;

	(void)argc;
	snprintf(what, sizeof(what), "state show %s", argv[2]);
	if (!nl)
		return EXIT_KERNEL;
	return flows_show(nl, argv[2], c->json, 0, 0, NULL, &e) < 0 ?
	       kfail(what, &e, "") : 0;
}

static int do_flush(struct ctx *c, int argc, char **argv)
{
	char what[64];

	(void)argc;
	snprintf(what, sizeof(what), "state flush %s", argv[2]);
	return table_req(c, what, CLICKUP_CMD_TABLE_FLUSH, argv[2], NULL, NULL);
}

static int do_save(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_save(c, argv[2], argv[3]);
}

static int do_restore(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_restore(c, argv[2], argv[3]);
}

static int do_check(struct ctx *c, int argc, char **argv)
{
	(void)argc;
	return state_check(c, argv[2]);
}

static const struct state_cmd {
	const char *name, *args, *help;
	int min, max;	/* words after the subcommand */
	int (*fn)(struct ctx *c, int argc, char **argv);	/* argv[1]: name */
} state_cmds[] = {
	{ "list", "", "every table: entries, limit, counters", 0, 0, do_list },
	{ "show", " TABLE", "the flows of TABLE", 1, 1, do_show },
	{ "flush", " TABLE", "remove every flow of TABLE", 1, 1, do_flush },
	{ "delete", " TABLE [PROTO SADDR:SPORT DADDR:DPORT]",
	  "delete TABLE (unused), or one flow of it", 1, 4, state_delete },
	{ "set", " TABLE max N", "limit TABLE to N flows", 3, 3, state_set },
	{ "save", " NE FILE", "write the tables of NE to FILE", 2, 2, do_save },
	{ "restore", " NE FILE", "load FILE's flows into the tables", 2, 2,
	  do_restore },
	{ "check", " FILE", "verify a save file offline", 1, 1, do_check },
};

#define NR_STATE_CMDS (sizeof(state_cmds) / sizeof(*state_cmds))

static const struct state_cmd *state_find(const char *sub)
{
	for (size_t i = 0; i < NR_STATE_CMDS; i++)
		if (!strcmp(sub, state_cmds[i].name))
			return &state_cmds[i];
	return NULL;
}

static void state_usage(FILE *f, const struct state_cmd *only)
{
	for (size_t i = 0; i < NR_STATE_CMDS; i++) {
		const struct state_cmd *s = &state_cmds[i];

		if (!only || only == s)
			fprintf(f, "%s clickupctl state %s%s\n", only || !i ?
				"usage:" : "      ", s->name, s->args);
	}
}

bool state_help(FILE *f, const char *sub)
{
	const struct state_cmd *s = sub ? state_find(sub) : NULL;

	if (sub && !s)
		return false;
	state_usage(f, s);
	if (s)
		fprintf(f, "%c%s (docs/state.md).\n", toupper(*s->help), s->help + 1);
	else
		for (size_t i = 0; i < NR_STATE_CMDS; i++)
			fprintf(f, "  %-8s %s\n", state_cmds[i].name, state_cmds[i].help);
	return true;
}

static int usage(const struct state_cmd *s, const char *fmt, const char *arg)
{
	fprintf(stderr, "clickupctl: state%s%s: ", s ? " " : "", s ? s->name : "");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	state_usage(stderr, s);
	return EXIT_FAILURE;
}

static int sub_usage(const char *sub, const char *fmt, const char *arg)
{
	return usage(state_find(sub), fmt, arg);
}

int cmd_state(struct ctx *c, int argc, char **argv)
{
	char *list[] = { argv[0], "list", NULL };
	const struct state_cmd *s;

	if (argc < 2) {
		argv = list;
		argc = 2;
	}
	s = state_find(argv[1]);
	if (!s)
		return usage(NULL, "unknown subcommand '%s'", argv[1]);
	if (argc - 2 < s->min || argc - 2 > s->max)
		return usage(s, "wrong number of arguments%s", "");
	return s->fn(c, argc, argv);
}
