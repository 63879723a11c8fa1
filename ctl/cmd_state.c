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

/* set TABLE [max N] [policy liberal|strict] [NAME SECONDS]... */
static int state_set(struct ctx *c, int argc, char **argv)
{
	struct table_settings ts = { 0 };
	char what[64];
	int i, k;

	if (argc < 5 || (argc - 3) % 2)
		return sub_usage("set", "want 'set TABLE WHAT VALUE...'%s", "");
	for (i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "max")) {
			if (parse_u32(argv[i + 1], &ts.max))
				return sub_usage("set", "bad limit '%s' (0 to 4294967295)",
						 argv[i + 1]);
			ts.has_max = true;
			continue;
		}
		if (!strcmp(argv[i], "policy")) {
			if (!strcmp(argv[i + 1], "liberal"))
				ts.policy = CLICKUP_POLICY_LIBERAL;
			else if (!strcmp(argv[i + 1], "strict"))
				ts.policy = CLICKUP_POLICY_STRICT;
			else
				return sub_usage("set", "bad policy '%s' (liberal or strict)",
						 argv[i + 1]);
			ts.has_policy = true;
			continue;
		}
		for (k = 1; k <= CLICKUP_TIMEOUT_A_MAX; k++)
			if (!strcmp(argv[i], timeout_names[k]))
				break;
		if (k > CLICKUP_TIMEOUT_A_MAX)
			return sub_usage("set", "unknown setting '%s' (max, policy or a timeout: see 'state timeouts')",
					 argv[i]);
		if (parse_u32(argv[i + 1], &ts.timeouts[k]) || !ts.timeouts[k])
			return sub_usage("set", "bad timeout '%s' (seconds, 1 or more)",
					 argv[i + 1]);
	}
	snprintf(what, sizeof(what), "state set %s", argv[2]);
	return table_req(c, what, CLICKUP_CMD_TABLE_SET, argv[2], put_settings, &ts);
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

static int do_timeouts(struct ctx *c, int argc, char **argv)
{
	struct nlctx *nl = ctx_nl(c);
	char what[64];
	struct nlerr e;

	(void)argc;
	snprintf(what, sizeof(what), "state timeouts %s", argv[2]);
	if (!nl)
		return EXIT_KERNEL;
	return table_timeouts_show(nl, argv[2], c->json, &e) < 0 ?
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
	{ "set", " TABLE [max N] [policy liberal|strict] [TIMEOUT SECONDS]...",
	  "create TABLE if missing; set its limit, policy, timeouts", 2, 31,
	  state_set },
	{ "timeouts", " TABLE", "the policy and timeouts of TABLE", 1, 1,
	  do_timeouts },
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
