// SPDX-License-Identifier: GPL-2.0
/* atoms: the registered atom types (ATOM_GET dump). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickup.h"
#include "print.h"

struct atype {
	char name[CLICKUP_NAME_MAX], module[64];
	uint32_t inputs, outputs, priv_size, flags, users;
};

struct alist {
	struct atype *v;
	size_t n;
};

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ CLICKUP_TYPE_F_ENTRY, "entry" },
	{ CLICKUP_TYPE_F_TERMINAL, "terminal" },
	{ CLICKUP_TYPE_F_VAR_OUTPUTS, "var_outputs" },
};

static int on_type(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct alist *l = arg;
	struct nlattr *t[CLICKUP_TYPE_A_MAX + 1];
	struct atype *a;

	(void)cmd;
	if (!tb[CLICKUP_A_TYPE] ||
	    nla_parse_nested(t, CLICKUP_TYPE_A_MAX, tb[CLICKUP_A_TYPE], NULL) < 0)
		return 0;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	a = &l->v[l->n++];
	nla_str_to(t[CLICKUP_TYPE_A_NAME], a->name, sizeof(a->name));
	nla_str_to(t[CLICKUP_TYPE_A_MODULE], a->module, sizeof(a->module));
	a->inputs = nla_u32_or(t[CLICKUP_TYPE_A_INPUTS], 0);
	a->outputs = nla_u32_or(t[CLICKUP_TYPE_A_OUTPUTS], 0);
	a->priv_size = nla_u32_or(t[CLICKUP_TYPE_A_PRIV_SIZE], 0);
	a->flags = nla_u32_or(t[CLICKUP_TYPE_A_FLAGS], 0);
	a->users = nla_u32_or(t[CLICKUP_TYPE_A_USERS], 0);
	return 0;
}

/* "entry,terminal" (unknown bits in hex) into buf. */
static void flags_str(uint32_t f, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = 0;
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if (f & flag_names[i].bit) {
			n += (size_t)snprintf(buf + n, size - n, "%s%s",
					      n ? "," : "", flag_names[i].name);
			f &= ~flag_names[i].bit;
		}
	if (f)
		snprintf(buf + n, size - n, "%s0x%x", n ? "," : "", f);
}

int atoms_show(struct nlctx *nl, bool json, struct nlerr *e)
{
	struct alist l = { 0 };
	struct nl_msg *m;
	char fl[128];
	int wn = 4, wm = 6;

	m = nlc_msg(nl, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP, 0);
	if (!m) {
		nlerr_nomem(e);
		return -1;
	}
	if (nlc_talk(nl, m, on_type, &l, e) < 0) {
		free(l.v);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++) {
		int n = (int)strlen(l.v[i].name), m2 = (int)strlen(l.v[i].module);

		wn = n > wn ? n : wn;
		wm = m2 > wm ? m2 : wm;
	}
	print_start(json);
	tprint("%-*s  %-*s  %6s  %7s  %9s  %5s  %s\n", wn, "TYPE", wm,
	       "MODULE", "INPUTS", "OUTPUTS", "PRIV_SIZE", "USERS", "FLAGS");
	open_arr(NULL);
	for (size_t i = 0; i < l.n; i++) {
		const struct atype *a = &l.v[i];

		open_obj(NULL);
		print_str("name", a->name, "%-*s", wn, a->name);
		print_str("module", a->module, "  %-*s", wm, a->module);
		print_u64("inputs", a->inputs, "  %6u", a->inputs);
		print_u64("outputs", a->outputs, "  %7u", a->outputs);
		print_u64("priv_size", a->priv_size, "  %9u", a->priv_size);
		open_arr("flags");
		for (size_t k = 0; k < sizeof(flag_names) / sizeof(*flag_names); k++)
			if (a->flags & flag_names[k].bit)
				jprint_str(NULL, flag_names[k].name);
		close_arr();
		print_u64("users", a->users, "  %5u", a->users);
		flags_str(a->flags, fl, sizeof(fl));
		tprint("  %s\n", fl[0] ? fl : "-");
		close_obj();
	}
	close_arr();
	print_end();
	free(l.v);
	return 0;
}
