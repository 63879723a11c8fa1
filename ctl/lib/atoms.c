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
	char **aliases;			/* the kernel sets no maximum */
	unsigned int nr_aliases;
	const char *flagv[5];		/* names, then unknown bits in hex */
	unsigned int nr_flags;
	char unknown[16];
	char flags_text[64], *aliases_text;
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
	{ CLICKUP_TYPE_F_FRAMES, "frames" },
};

/* The flag names of a->flags, unknown bits last as one hex number. */
static void flags_of(struct atype *a)
{
	uint32_t f = a->flags;

	for (size_t i = 0; i < sizeof(flag_names) / sizeof(*flag_names); i++)
		if (f & flag_names[i].bit) {
			a->flagv[a->nr_flags++] = flag_names[i].name;
			f &= ~flag_names[i].bit;
		}
	if (f) {
		snprintf(a->unknown, sizeof(a->unknown), "0x%x", f);
		a->flagv[a->nr_flags++] = a->unknown;
	}
}

static int on_type(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct alist *l = arg;
	struct nlattr *t[CLICKUP_TYPE_A_MAX + 1], *al;
	struct atype *a;
	int rem;

	(void)cmd;
	if (!tb[CLICKUP_A_TYPE] ||
	    nla_parse_nested(t, CLICKUP_TYPE_A_MAX, tb[CLICKUP_A_TYPE], NULL) < 0)
		return 0;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	a = &l->v[l->n++];
	memset(a, 0, sizeof(*a));
	nla_str_to(t[CLICKUP_TYPE_A_NAME], a->name, sizeof(a->name));
	nla_str_to(t[CLICKUP_TYPE_A_MODULE], a->module, sizeof(a->module));
	a->inputs = nla_u32_or(t[CLICKUP_TYPE_A_INPUTS], 0);
	a->outputs = nla_u32_or(t[CLICKUP_TYPE_A_OUTPUTS], 0);
	a->priv_size = nla_u32_or(t[CLICKUP_TYPE_A_PRIV_SIZE], 0);
	a->flags = nla_u32_or(t[CLICKUP_TYPE_A_FLAGS], 0);
	a->users = nla_u32_or(t[CLICKUP_TYPE_A_USERS], 0);
	if (t[CLICKUP_TYPE_A_ALIASES])
		nla_for_each_nested(al, t[CLICKUP_TYPE_A_ALIASES], rem) {
			char *name = calloc(1, CLICKUP_NAME_MAX);

			if (nla_type(al) != CLICKUP_TYPE_A_NAME) {
				free(name);
				continue;
			}
			a->aliases = realloc(a->aliases, (a->nr_aliases + 1) *
					     sizeof(*a->aliases));
			if (!name || !a->aliases)
				abort();
			nla_str_to(al, name, CLICKUP_NAME_MAX);
			a->aliases[a->nr_aliases++] = name;
		}
	flags_of(a);
	strv_join(a->flags_text, sizeof(a->flags_text), a->flagv, a->nr_flags);
	a->aliases_text = malloc((a->nr_aliases + 1) * CLICKUP_NAME_MAX);
	if (!a->aliases_text)
		abort();
	strv_join(a->aliases_text, (a->nr_aliases + 1) * CLICKUP_NAME_MAX,
		  (const char *const *)a->aliases, a->nr_aliases);
	return 0;
}

static void alist_free(struct alist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		for (unsigned int k = 0; k < l->v[i].nr_aliases; k++)
			free(l->v[i].aliases[k]);
		free(l->v[i].aliases);
		free(l->v[i].aliases_text);
	}
	free(l->v);
}

static int width(int w, const char *s)
{
	int n = (int)strlen(s);

	return n > w ? n : w;
}

int atoms_show(struct nlctx *nl, bool json, struct nlerr *e)
{
	struct alist l = { 0 };
	struct nl_msg *m;
	int wn = 4, wm = 6, wf = 5;

	m = nlc_msg(nl, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP, 0);
	if (!m) {
		nlerr_nomem(e);
		return -1;
	}
	if (nlc_talk(nl, m, on_type, &l, e) < 0) {
		alist_free(&l);
		return -1;
	}
	for (size_t i = 0; i < l.n; i++) {
		wn = width(wn, l.v[i].name);
		wm = width(wm, l.v[i].module);
		wf = width(wf, l.v[i].flags_text);
	}
	print_start(json);
	tprint("%-*s  %-*s  %6s  %7s  %9s  %5s  %-*s  %s\n", wn, "TYPE", wm,
	       "MODULE", "INPUTS", "OUTPUTS", "PRIV_SIZE", "USERS", wf, "FLAGS",
	       "ALIASES");
	open_arr(NULL);
	for (size_t i = 0; i < l.n; i++) {
		const struct atype *a = &l.v[i];

		open_obj(NULL);
		print_str("name", a->name, "%-*s", wn, a->name);
		print_str("module", a->module, "  %-*s", wm, a->module);
		print_u64("inputs", a->inputs, "  %6u", a->inputs);
		print_u64("outputs", a->outputs, "  %7u", a->outputs);
		print_u64("priv_size", a->priv_size, "  %9u", a->priv_size);
		print_u64("users", a->users, "  %5u", a->users);
		print_strv("flags", a->flagv, a->nr_flags, "  %-*s", wf,
			   a->flags_text);
		print_strv("aliases", (const char *const *)a->aliases,
			   a->nr_aliases, "  %s\n", a->aliases_text);
		close_obj();
	}
	close_arr();
	print_end();
	alist_free(&l);
	return 0;
}
