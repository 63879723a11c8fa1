// SPDX-License-Identifier: GPL-2.0
/*
 * From a CLICKUP_A_DAG attribute to a checked spec: parse, check the graph
 * (sizes, names, indices, acyclicity) and resolve atom types, autoloading
 * missing modules. Runs with no lock held: nothing here touches live state.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/slab.h>
#include <linux/sort.h>
#include <net/genetlink.h>
#include "internal.h"

static u32 clickup_nest_count(const struct nlattr *nla)
{
	const struct nlattr *pos;
	u32 n = 0;
	int rem;

	if (nla)
		nla_for_each_nested(pos, nla, rem)
			n++;
	return n;
}

static int clickup_spec_parse_atom(struct clickup_spec_atom *sa,
				   const struct nlattr *nla,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLICKUP_ATOM_A_MAX + 1];
	const struct nlattr *arg;
	int err, rem;

	/* The policy was applied to the whole request already. */
	err = nla_parse_nested(tb, CLICKUP_ATOM_A_MAX, nla, clickup_atom_policy,
			       extack);
	if (err)
		return err;
	sa->nla = nla;
	sa->fd = -1;
	if (tb[CLICKUP_ATOM_A_FD]) {
		u32 fd = nla_get_u32(tb[CLICKUP_ATOM_A_FD]);

		if (fd > INT_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, tb[CLICKUP_ATOM_A_FD],
					    "atom descriptor out of range");
			return -EBADF;
		}
		sa->fd = fd;
	}
	if (NL_REQ_ATTR_CHECK(extack, nla, tb, CLICKUP_ATOM_A_NAME) ||
	    NL_REQ_ATTR_CHECK(extack, nla, tb, CLICKUP_ATOM_A_TYPE)) {
		NL_SET_ERR_MSG(extack, "atom needs a name and a type");
		return -EINVAL;
	}
	sa->name = nla_data(tb[CLICKUP_ATOM_A_NAME]);
	sa->type_name = nla_data(tb[CLICKUP_ATOM_A_TYPE]);
	if (!*sa->name || !*sa->type_name) {
		NL_SET_ERR_MSG_ATTR(extack, nla, "empty atom name or type");
		return -EINVAL;
	}
	if (!tb[CLICKUP_ATOM_A_ARGS])
		return 0;
	if (clickup_nest_count(tb[CLICKUP_ATOM_A_ARGS]) > CLICKUP_MAX_ARGS) {
		clickup_extack_fmt(extack, "atom '%s' has more than %d arguments",
				   sa->name, CLICKUP_MAX_ARGS);
		return -E2BIG;
	}
	nla_for_each_nested(arg, tb[CLICKUP_ATOM_A_ARGS], rem) {
		struct nlattr *atb[CLICKUP_ARG_A_MAX + 1];

		err = nla_parse_nested(atb, CLICKUP_ARG_A_MAX, arg,
				       clickup_arg_policy, extack);
		if (err)
			return err;
		if (NL_REQ_ATTR_CHECK(extack, arg, atb, CLICKUP_ARG_A_VALUE))
			return -EINVAL;
		sa->argv[sa->argc++] = nla_data(atb[CLICKUP_ARG_A_VALUE]);
	}
	return 0;
}

static int clickup_spec_parse_edge(struct clickup_spec_edge *se, u32 i,
				   u32 nr_atoms, const struct nlattr *nla,
				   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLICKUP_EDGE_A_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CLICKUP_EDGE_A_MAX, nla, clickup_edge_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nla, tb, CLICKUP_EDGE_A_SRC) ||
	    NL_REQ_ATTR_CHECK(extack, nla, tb, CLICKUP_EDGE_A_DST)) {
		clickup_extack_fmt(extack, "edge %u needs a source and a destination",
				   i);
		return -EINVAL;
	}
	se->nla = nla;
	se->src = nla_get_u32(tb[CLICKUP_EDGE_A_SRC]);
	se->dst = nla_get_u32(tb[CLICKUP_EDGE_A_DST]);
	se->port = tb[CLICKUP_EDGE_A_PORT] ?
		   nla_get_u32(tb[CLICKUP_EDGE_A_PORT]) : 0;
	se->dst_port = tb[CLICKUP_EDGE_A_DST_PORT] ?
		       nla_get_u32(tb[CLICKUP_EDGE_A_DST_PORT]) : 0;
	if (se->src >= nr_atoms || se->dst >= nr_atoms) {
		clickup_extack_fmt(extack, "edge %u: atom index out of range (%u atoms)",
				   i, nr_atoms);
		NL_SET_BAD_ATTR(extack, nla);
		return -EINVAL;
	}
	return 0;
}

static int clickup_name_cmp(const void *a, const void *b)
{
	const struct clickup_spec_atom *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

/* Sort pointers by name once: O(n log n) even for the largest DAGs. */
static int clickup_spec_check_names(const struct clickup_spec *spec,
				    struct netlink_ext_ack *extack)
{
	struct clickup_spec_atom **by_name;
	int err = 0;
	u32 i;

	by_name = kvmalloc_array(spec->nr_atoms, sizeof(*by_name), GFP_KERNEL);
	if (!by_name)
		return -ENOMEM;
	for (i = 0; i < spec->nr_atoms; i++)
		by_name[i] = &spec->atoms[i];
	sort(by_name, spec->nr_atoms, sizeof(*by_name), clickup_name_cmp, NULL);
	for (i = 1; i < spec->nr_atoms; i++) {
		if (!strcmp(by_name[i - 1]->name, by_name[i]->name)) {
			clickup_extack_fmt(extack, "duplicate atom name '%s'",
					   by_name[i]->name);
			NL_SET_BAD_ATTR(extack, by_name[i]->nla);
			err = -EINVAL;
			break;
		}
	}
	kvfree(by_name);
	return err;
}

int clickup_spec_parse(struct clickup_spec *spec, const struct nlattr *nla,
		       struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CLICKUP_DAG_A_MAX + 1];
	const struct nlattr *pos;
	int err, rem;
	u32 i;

	memset(spec, 0, sizeof(*spec));
	err = nla_parse_nested(tb, CLICKUP_DAG_A_MAX, nla, clickup_dag_policy,
			       extack);
	if (err)
		return err;
	if (NL_REQ_ATTR_CHECK(extack, nla, tb, CLICKUP_DAG_A_ATOMS)) {
		NL_SET_ERR_MSG(extack, "DAG has no atoms");
		return -EINVAL;
	}
	spec->nr_atoms = clickup_nest_count(tb[CLICKUP_DAG_A_ATOMS]);
	spec->nr_edges = clickup_nest_count(tb[CLICKUP_DAG_A_EDGES]);
	if (!spec->nr_atoms) {
		NL_SET_ERR_MSG(extack, "DAG has no atoms");
		return -EINVAL;
	}
	if (spec->nr_atoms > CLICKUP_MAX_ATOMS) {
		clickup_extack_fmt(extack, "DAG has %u atoms, the limit is %d",
				   spec->nr_atoms, CLICKUP_MAX_ATOMS);
		return -E2BIG;
	}
	if (spec->nr_edges > CLICKUP_MAX_EDGES) {
		clickup_extack_fmt(extack, "DAG has %u edges, the limit is %d",
				   spec->nr_edges, CLICKUP_MAX_EDGES);
		return -E2BIG;
	}
	spec->atoms = kvcalloc(spec->nr_atoms, sizeof(*spec->atoms), GFP_KERNEL);
	spec->edges = kvcalloc(max(spec->nr_edges, 1U), sizeof(*spec->edges),
			       GFP_KERNEL);
	if (!spec->atoms || !spec->edges) {
		err = -ENOMEM;
		goto fail;
	}
	i = 0;
	nla_for_each_nested(pos, tb[CLICKUP_DAG_A_ATOMS], rem) {
		err = clickup_spec_parse_atom(&spec->atoms[i++], pos, extack);
		if (err)
			goto fail;
	}
	i = 0;
	if (tb[CLICKUP_DAG_A_EDGES]) {
		nla_for_each_nested(pos, tb[CLICKUP_DAG_A_EDGES], rem) {
			err = clickup_spec_parse_edge(&spec->edges[i], i,
						      spec->nr_atoms, pos,
						      extack);
			if (err)
				goto fail;
			i++;
		}
	}
	err = clickup_spec_check_names(spec, extack);
	if (err)
		goto fail;
	return 0;
fail:
	clickup_spec_free(spec);
	return err;
}

/*
 * Kahn's algorithm over the edges; if atoms remain, prune from the sink
 * side too so the atom named lies on a cycle, not merely behind one.
 */
int clickup_spec_check_graph(const struct clickup_spec *spec,
			     struct netlink_ext_ack *extack)
{
	u32 n = spec->nr_atoms, e = spec->nr_edges, i, head = 0, tail = 0;
	u32 *indeg, *outdeg, *queue, *first, *order;
	bool *gone, changed;
	int err = 0;

	indeg = kvcalloc(n, sizeof(u32), GFP_KERNEL);
	outdeg = kvcalloc(n, sizeof(u32), GFP_KERNEL);
	queue = kvcalloc(n, sizeof(u32), GFP_KERNEL);
	first = kvcalloc(n + 1, sizeof(u32), GFP_KERNEL);
	order = kvcalloc(max(e, 1U), sizeof(u32), GFP_KERNEL);
	gone = kvcalloc(n, sizeof(bool), GFP_KERNEL);
	if (!indeg || !outdeg || !queue || !first || !order || !gone) {
		err = -ENOMEM;
		goto out;
	}
	/* Edges grouped by source (counting sort) for the forward pass. */
	for (i = 0; i < e; i++) {
		indeg[spec->edges[i].dst]++;
		outdeg[spec->edges[i].src]++;
		first[spec->edges[i].src + 1]++;
	}
	for (i = 0; i < n; i++)
		first[i + 1] += first[i];
	for (i = 0; i < e; i++)
		order[first[spec->edges[i].src]++] = i;
	for (i = n; i > 0; i--)
		first[i] = first[i - 1];
	first[0] = 0;

	for (i = 0; i < n; i++)
		if (!indeg[i])
			queue[tail++] = i;
	while (head < tail) {
		u32 a = queue[head++], k;

		gone[a] = true;
		for (k = first[a]; k < first[a + 1]; k++) {
			u32 d = spec->edges[order[k]].dst;

			if (!--indeg[d])
				queue[tail++] = d;
		}
	}
	if (tail == n)
		goto out;

	/* Backward pruning: drop remaining atoms that lead nowhere. */
	do {
		changed = false;
		memset(outdeg, 0, n * sizeof(u32));
		for (i = 0; i < e; i++)
			if (!gone[spec->edges[i].dst])
				outdeg[spec->edges[i].src]++;
		for (i = 0; i < n; i++) {
			if (!gone[i] && !outdeg[i]) {
				gone[i] = true;
				changed = true;
			}
		}
	} while (changed);
	for (i = 0; i < n && gone[i]; i++)
		;
	if (i == n)	/* cannot happen: fall back to any atom */
		i = 0;
	clickup_extack_fmt(extack, "DAG has a cycle through atom '%s'",
			   spec->atoms[i].name);
	NL_SET_BAD_ATTR(extack, spec->atoms[i].nla);
	err = -ELOOP;
out:
	kvfree(indeg);
	kvfree(outdeg);
	kvfree(queue);
	kvfree(first);
	kvfree(order);
	kvfree(gone);
	return err;
}

/* Resolves every type, autoloading only those not registered yet. */
int clickup_spec_load(struct clickup_spec *spec, bool autoload, u32 *loaded,
		      struct netlink_ext_ack *extack)
{
	u32 i;

	*loaded = 0;
	for (i = 0; i < spec->nr_atoms; i++) {
		struct clickup_spec_atom *sa = &spec->atoms[i];
		bool did_load = false;

		sa->type = clickup_type_get(sa->type_name, autoload,
					    &did_load);
		if (!sa->type) {
			clickup_extack_fmt(extack, "unknown atom type '%s'%s",
					   sa->type_name,
					   autoload ? "" : " (not loaded)");
			NL_SET_BAD_ATTR(extack, sa->nla);
			return -ENOENT;
		}
		if (did_load)
			(*loaded)++;
	}
	return 0;
}

void clickup_spec_free(struct clickup_spec *spec)
{
	u32 i;

	if (spec->atoms)
		for (i = 0; i < spec->nr_atoms; i++)
			if (spec->atoms[i].type)
				clickup_type_put(spec->atoms[i].type);
	kvfree(spec->atoms);
	kvfree(spec->edges);
	spec->atoms = NULL;
	spec->edges = NULL;
}
