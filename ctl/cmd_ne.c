// SPDX-License-Identifier: GPL-2.0
/* create, upgrade, delete, show, atoms: the requests are lib/'s. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "clickup.h"
#include "parse.h"
#include "modload.h"

static bool ne_name_ok(const char *what, const char *ne)
{
	if (ne_name_check(ne)) {
		fail(what, "element name must be 1..%d characters",
		     CLICKUP_NAME_MAX - 1);
		return false;
	}
	return true;
}

/* create NE FILE / upgrade NE FILE */
int cmd_create(struct ctx *c, int argc, char **argv)
{
	bool up = !strcmp(argv[0], "upgrade");
	const char *ne = argv[1], *path = argv[2];
	char what[128], where[256];
	struct dag g;
	struct diag d;
	struct nlerr e;
	struct nlctx *nl;
	struct modload ml = { 0 };
	long atom;
	int ret = 1;

	(void)argc;
	snprintf(what, sizeof(what), "%s %s", argv[0], ne);
	if (!ne_name_ok(what, ne))
		return 1;
	dag_init(&g, strcmp(path, "-") ? path : "<stdin>");
	if (dag_load(&g, path, NULL, &d) < 0 || dag_validate(&g, &d) < 0) {
		fprintf(stderr, "%s\n", d.msg);
		goto out;
	}
	nl = ctx_nl(c);
	if (!nl) {
		ret = EXIT_KERNEL;
		goto out;
	}
	if (bpf_atoms_load(&g, what) < 0)
		goto out;
	/* The DAG goes first with autoload off: when every type is there
	 * (a preloaded upgrade) that is the whole request. A missing type
	 * fails it at once; then the modules of every missing type are
	 * loaded from user space (libkmod, in one go) and the DAG sent
	 * again, with the kernel's request_module() as the fallback.
	 */
	if (ne_put_flags(nl, ne, up, &g, &ml,
			 c->no_modload ? 0 : NE_PUT_NO_AUTOLOAD, c->json, &e,
			 where, sizeof(where), &atom) == 0) {
		ret = 0;
		goto out;
	}
	if (c->no_modload || e.err != ENOENT || atom < 0) {
		ret = kfail(what, &e, where);
		goto out;
	}
	if (modload_dag(nl, &g, &ml) < 0) {
		for (char *l = ml.errors; l && *l; l = strtok(NULL, "\n")) {
			if (l == ml.errors)
				l = strtok(l, "\n");
			fail(what, "%s", l);
		}
		goto out;
	}
	if (ne_put(nl, ne, up, &g, &ml, c->json, &e, where, sizeof(where),
		   &atom) < 0)
		ret = kfail(what, &e, where);
	else
		ret = 0;
out:
	modload_free(&ml);
	bpf_atoms_close(&g);
	dag_free(&g);
	return ret;
}

int cmd_delete(struct ctx *c, int argc, char **argv)
{
	char what[128];
	struct nlctx *nl;
	struct nlerr e;

	(void)argc;
	snprintf(what, sizeof(what), "delete %s", argv[1]);
	if (!ne_name_ok(what, argv[1]))
		return 1;
	nl = ctx_nl(c);
	if (!nl)
		return EXIT_KERNEL;
	return ne_delete(nl, argv[1], &e) < 0 ? kfail(what, &e, "") : 0;
}

int cmd_show(struct ctx *c, int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;
	struct nlctx *nl = ctx_nl(c);
	char what[128];
	struct nlerr e;

	snprintf(what, sizeof(what), only ? "show %s" : "show", only);
	if (!nl)
		return EXIT_KERNEL;
	return ne_show(nl, only, c->json, &e) < 0 ? kfail(what, &e, "") : 0;
}

int cmd_atoms(struct ctx *c, int argc, char **argv)
{
	struct nlctx *nl = ctx_nl(c);
	struct nlerr e;

	(void)argc;
	(void)argv;
	if (!nl)
		return EXIT_KERNEL;
	return atoms_show(nl, c->json, &e) < 0 ? kfail("atoms", &e, "") : 0;
}
