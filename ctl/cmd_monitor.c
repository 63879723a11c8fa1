// SPDX-License-Identifier: GPL-2.0
/* monitor: print create/upgrade/delete/detach events until killed. */
#include <stdio.h>

#include "clickup.h"
#include "cmd.h"

static int on_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct ctx *c = arg;
	const char *ev = event_name(cmd);

	if (ev)
		print_result(c->json, ev, tb, NULL);	/* flushes: line-buffered output */
	return 0;
}

int cmd_monitor(struct ctx *c, int argc, char **argv)
{
	struct nlctx *nl = ctx_nl(c);
	struct nlerr e;

	(void)argc;
	(void)argv;
	if (!nl)
		return EXIT_KERNEL;
	setvbuf(stdout, NULL, _IOLBF, 0);
	nlc_listen(nl, CLICKUP_MCGRP_EVENTS, on_event, c, &e);
	return kfail("monitor", &e, "");
}
