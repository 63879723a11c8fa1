// SPDX-License-Identifier: GPL-2.0
/* show [NE]: NE_GET (dump or doit), then a DAG_GET dump per element. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickup.h"
#include "print.h"

struct sedge {
	uint32_t port, dst, dst_port;
};

struct satom {
	uint32_t index, nr_outputs;
	char name[CLICKUP_NAME_MAX], type[CLICKUP_NAME_MAX];
	char *args[CLICKUP_MAX_ARGS];
	unsigned int nargs;
	uint64_t packets, bytes, drops;
	bool detached;		/* an entry whose device went away */
	struct sedge *edges;
	size_t nr_edges;
};

struct sne {
	char name[CLICKUP_NAME_MAX];
	uint64_t generation;
	uint32_t nr_atoms, nr_edges, nr_entries, nr_detached;
	struct satom *atoms;
	size_t n, cap;
	bool gen_seen, gen_mixed;	/* DAG dump spanning two generations */
};

struct nelist {
	struct sne *v;
	size_t n, cap;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static void atoms_free(struct sne *ne)
{
	for (size_t i = 0; i < ne->n; i++) {
		for (unsigned int j = 0; j < ne->atoms[i].nargs; j++)
			free(ne->atoms[i].args[j]);
		free(ne->atoms[i].edges);
	}
	free(ne->atoms);
	ne->atoms = NULL;
	ne->n = ne->cap = 0;
	ne->gen_seen = ne->gen_mixed = false;
}

static int on_ne(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nelist *l = arg;
	struct sne *ne;

	(void)cmd;
	if (!tb[CLICKUP_A_NE_NAME])
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	ne = &l->v[l->n++];
	memset(ne, 0, sizeof(*ne));
	nla_str_to(tb[CLICKUP_A_NE_NAME], ne->name, sizeof(ne->name));
	ne->generation = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	ne->nr_atoms = nla_u32_or(tb[CLICKUP_A_NR_ATOMS], 0);
	ne->nr_edges = nla_u32_or(tb[CLICKUP_A_NR_EDGES], 0);
	ne->nr_entries = nla_u32_or(tb[CLICKUP_A_NR_ENTRIES], 0);
	ne->nr_detached = nla_u32_or(tb[CLICKUP_A_NR_DETACHED], 0);
	return 0;
}

static void parse_edges_attr(struct satom *a, struct nlattr *list)
{
	struct nlattr *n;
	int rem;

	nla_for_each_nested(n, list, rem) {
		struct nlattr *t[CLICKUP_EDGE_A_MAX + 1];

		if (nla_parse_nested(t, CLICKUP_EDGE_A_MAX, n, NULL) < 0)
			continue;
		a->edges = xrealloc(a->edges, (a->nr_edges + 1) * sizeof(*a->edges));
		a->edges[a->nr_edges++] = (struct sedge){
			nla_u32_or(t[CLICKUP_EDGE_A_PORT], 0),
			nla_u32_or(t[CLICKUP_EDGE_A_DST], 0),
			nla_u32_or(t[CLICKUP_EDGE_A_DST_PORT], 0),
		};
	}
}

static int on_atom(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct sne *ne = arg;
	struct nlattr *t[CLICKUP_ATOM_A_MAX + 1], *n;
	struct satom *a;
	uint64_t gen = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	int rem;

	(void)cmd;
	if (!tb[CLICKUP_A_ATOM] ||
	    nla_parse_nested(t, CLICKUP_ATOM_A_MAX, tb[CLICKUP_A_ATOM], NULL) < 0)
		return 0;
	if (ne->gen_seen && gen != ne->generation)
		ne->gen_mixed = true;
	ne->gen_seen = true;
	ne->generation = gen;
	if (ne->n == ne->cap) {
		ne->cap = ne->cap ? 2 * ne->cap : 16;
		ne->atoms = xrealloc(ne->atoms, ne->cap * sizeof(*ne->atoms));
	}
	a = &ne->atoms[ne->n++];
	memset(a, 0, sizeof(*a));
	a->index = nla_u32_or(t[CLICKUP_ATOM_A_INDEX], (uint32_t)ne->n - 1);
	nla_str_to(t[CLICKUP_ATOM_A_NAME], a->name, sizeof(a->name));
	nla_str_to(t[CLICKUP_ATOM_A_TYPE], a->type, sizeof(a->type));
	a->nr_outputs = nla_u32_or(t[CLICKUP_ATOM_A_NR_OUTPUTS], 0);
	a->packets = nla_u64_or(t[CLICKUP_ATOM_A_PACKETS], 0);
	a->bytes = nla_u64_or(t[CLICKUP_ATOM_A_BYTES], 0);
	a->drops = nla_u64_or(t[CLICKUP_ATOM_A_DROPS], 0);
	a->detached = t[CLICKUP_ATOM_A_DETACHED] != NULL;
	if (t[CLICKUP_ATOM_A_ARGS]) {
		nla_for_each_nested(n, t[CLICKUP_ATOM_A_ARGS], rem) {
			struct nlattr *v[CLICKUP_ARG_A_MAX + 1];
			char buf[CLICKUP_ARG_MAX];

			if (a->nargs == CLICKUP_MAX_ARGS ||
			    nla_parse_nested(v, CLICKUP_ARG_A_MAX, n, NULL) < 0)
				continue;
			a->args[a->nargs] =
				strdup(nla_str_to(v[CLICKUP_ARG_A_VALUE], buf, sizeof(buf)));
			if (!a->args[a->nargs++])
				abort();
		}
	}
	if (t[CLICKUP_ATOM_A_EDGES])
		parse_edges_attr(a, t[CLICKUP_ATOM_A_EDGES]);
	return 0;
}

static int by_index(const void *x, const void *y)
{
	const struct satom *a = x, *b = y;

	return a->index < b->index ? -1 : a->index > b->index;
}

/* The DAG of one element; retried while the DAG changes under the dump. */
static int fetch_dag(struct nlctx *nl, struct sne *ne, struct nlerr *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_DAG_GET, NLM_F_DUMP, 64);
		int r;

		atoms_free(ne);
		if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne->name) < 0) {
			nlmsg_free(m);
			*e = (struct nlerr){ .err = ENOMEM, .offs = -1 };
			return -1;
		}
		r = nlc_talk(nl, m, on_atom, ne, e);
		if (r < 0)
			return -1;
		if (r == 0 && !ne->gen_mixed) {
			qsort(ne->atoms, ne->n, sizeof(*ne->atoms), by_index);
			return 0;
		}
	}
	*e = (struct nlerr){ .err = EAGAIN, .offs = -1 };
	snprintf(e->msg, sizeof(e->msg), "DAG kept changing during the dump");
	return -1;
}

static const char *atom_name(const struct sne *ne, uint32_t idx)
{
	for (size_t i = 0; i < ne->n; i++)
		if (ne->atoms[i].index == idx)
			return ne->atoms[i].name;
	return "?";
}

static void left_col(const struct satom *a, char *buf, size_t size)
{
	int n = snprintf(buf, size, "[%u] %s :: %s", a->index, a->name, a->type);

	for (unsigned int k = 0; k < a->nargs && n >= 0 && (size_t)n < size; k++)
		n += snprintf(buf + n, size - (size_t)n, "%s%s", k ? ", " : "(",
			      a->args[k]);
	if (a->nargs && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ")");
}

static void print_ne(const struct sne *ne)
{
	static char buf[CLICKUP_MAX_ARGS * (CLICKUP_ARG_MAX + 2) + 128];
	int wl = 0, wp = 1, wb = 1, wd = 1;

	for (size_t i = 0; i < ne->n; i++) {
		const struct satom *a = &ne->atoms[i];
		int l;

		left_col(a, buf, sizeof(buf));
		l = (int)strlen(buf);
		wl = l > wl ? l : wl;
		wp = decimals(a->packets) > wp ? decimals(a->packets) : wp;
		wb = decimals(a->bytes) > wb ? decimals(a->bytes) : wb;
		wd = decimals(a->drops) > wd ? decimals(a->drops) : wd;
	}
	open_obj(NULL);
	print_str("name", ne->name, "%s: ", ne->name);
	print_u64("generation", ne->generation, "generation %" PRIu64,
		  ne->generation);
	print_u64("nr_atoms", ne->nr_atoms, ", %u atom%s", ne->nr_atoms,
		  ne->nr_atoms == 1 ? "" : "s");
	print_u64("nr_edges", ne->nr_edges, ", %u edge%s", ne->nr_edges,
		  ne->nr_edges == 1 ? "" : "s");
	print_u64("nr_entries", ne->nr_entries, ", %u entr%s", ne->nr_entries,
		  ne->nr_entries == 1 ? "y" : "ies");
	print_u64("nr_detached", ne->nr_detached, ne->nr_detached ?
		  ", %u DETACHED (device gone; upgrade re-attaches)" : "%.0u",
		  ne->nr_detached);
	tprint("\n");
	open_arr("atoms");
	for (size_t i = 0; i < ne->n; i++) {
		const struct satom *a = &ne->atoms[i];

		open_obj(NULL);
		/* the text's left column is index, name, type and args */
		left_col(a, buf, sizeof(buf));
		tprint("  %-*s", wl, buf);
		jprint_u64("index", a->index);
		jprint_str("name", a->name);
		jprint_str("type", a->type);
		jprint_strv("args", a->args, a->nargs);
		jprint_u64("outputs", a->nr_outputs);
		print_u64("packets", a->packets, "  packets %*" PRIu64, wp, a->packets);
		print_u64("bytes", a->bytes, "  bytes %*" PRIu64, wb, a->bytes);
		print_u64("drops", a->drops, "  drops %*" PRIu64, wd, a->drops);
		open_arr("edges");
		for (size_t k = 0; k < a->nr_edges; k++) {
			const struct sedge *e = &a->edges[k];
			const char *dst = atom_name(ne, e->dst);

			open_obj(NULL);
			print_u64("port", e->port, "%s[%u]", k ? ", " : "  -> ", e->port);
			jprint_u64("dst", e->dst);
			print_u64("dst_port", e->dst_port, e->dst_port ? "->[%u]" : "%.0u",
				  e->dst_port);
			print_str("dst_name", dst, "%s", dst);
			close_obj();
		}
		close_arr();
		jprint_bool("detached", a->detached);
		tprint(a->detached ? "  DETACHED\n" : "\n");
		close_obj();
	}
	close_arr();
	close_obj();
}

int ne_show(struct nlctx *nl, const char *only, bool json, struct nlerr *e)
{
	return ne_show_as(nl, only, json, true, e);
}

int ne_show_as(struct nlctx *nl, const char *only, bool json, bool array,
	       struct nlerr *e)
{
	struct nelist l = { 0 };
	struct nl_msg *m;
	int ret = -1;

	m = nlc_msg(nl, CLICKUP_CMD_NE_GET, only ? NLM_F_ACK : NLM_F_DUMP, 64);
	if (!m || (only && nla_put_string(m, CLICKUP_A_NE_NAME, only) < 0)) {
		nlmsg_free(m);
		nlerr_nomem(e);
		return -1;
	}
	if (nlc_talk(nl, m, on_ne, &l, e) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		if (fetch_dag(nl, &l.v[i], e) == 0)
			continue;
		/* deleted since the NE_GET dump: not an error when listing all */
		if (!only && e->err == ENOENT) {
			l.v[i].name[0] = 0;
			continue;
		}
		goto out;
	}
	print_start(json);
	if (array)
		open_arr(NULL);
	for (size_t i = 0; i < l.n; i++)
		if (l.v[i].name[0])
			print_ne(&l.v[i]);
	if (array)
		close_arr();
	print_end();
	ret = 0;
out:
	for (size_t i = 0; i < l.n; i++)
		atoms_free(&l.v[i]);
	free(l.v);
	return ret;
}
