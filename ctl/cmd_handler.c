// SPDX-License-Identifier: GPL-2.0
/* read NE ATOM.HANDLER, write NE ATOM.HANDLER [VALUE]: Click's handlers. */
#include <stdio.h>
#include <string.h>

#include "clickup.h"
#include "cmd.h"

int cmd_handler(struct ctx *c, int argc, char **argv)
{
	bool write = !strcmp(argv[0], "write");
	char what[160], atom[CLICKUP_NAME_MAX * 2];
	const char *handler;
	struct nlctx *nl;
	struct nlerr e;
	char *dot;
	int r;

	snprintf(what, sizeof(what), "%s %s %s", argv[0], argv[1], argv[2]);
	if (ne_name_check(argv[1]))
		return fail(what, "element name must be 1..%d characters",
			    CLICKUP_NAME_MAX - 1);
	/* atom names may hold '.' (compounds' prefixes do not, but a
	 * handler name never does): split at the last one
	 */
	snprintf(atom, sizeof(atom), "%s", argv[2]);
	dot = strrchr(atom, '.');
	if (!dot || dot == atom || !dot[1] || strlen(argv[2]) >= sizeof(atom))
		return fail(what, "want ATOM.HANDLER, as counter1.count");
	*dot = 0;
	handler = dot + 1;
	if (write && argc > 3 && strlen(argv[3]) >= CLICKUP_ARG_MAX)
		return fail(what, "value longer than %d characters",
			    CLICKUP_ARG_MAX - 1);
	nl = ctx_nl(c);
	if (!nl)
		return EXIT_KERNEL;
	r = write ? handler_write(nl, argv[1], atom, handler,
				  argc > 3 ? argv[3] : NULL, c->json, &e)
		  : handler_read(nl, argv[1], atom, handler, c->json, &e);
	return r < 0 ? kfail(what, &e, "") : 0;
}
