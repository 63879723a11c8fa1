// SPDX-License-Identifier: GPL-2.0
/*
 * From a checked spec to a live DAG: instantiate atoms, wire ports, check
 * what only instances know (port counts, entries), and take over state
 * from the DAG being replaced. Nothing here is visible to packets until
 * ne.c publishes the result.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/bitmap.h>
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <linux/stringhash.h>
#include "internal.h"

/* Long-lived, so charged to the requester's memcg like every DAG part. */
static struct clickup_stats *clickup_stats_alloc(void)
{
	struct clickup_stats *stats;
	int cpu;

	stats = kzalloc(sizeof(*stats), GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	stats->pcpu = alloc_percpu_gfp(struct clickup_cpu_stats,
				       GFP_KERNEL_ACCOUNT);
	if (!stats->pcpu) {
		kfree(stats);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats->pcpu, cpu)->syncp);
	refcount_set(&stats->ref, 1);
	return stats;
}

static void clickup_stats_put(struct clickup_stats *stats)
{
	if (stats && refcount_dec_and_test(&stats->ref)) {
		free_percpu(stats->pcpu);
		kfree(stats);
	}
}

/* Netns mutex held (a reset moves the base): per-CPU snapshots, summed. */
void clickup_stats_read(const struct clickup_stats *stats, u64 *packets,
			u64 *bytes, u64 *drops)
{
	int cpu;

	*packets = 0;
	*bytes = 0;
	*drops = 0;
	for_each_possible_cpu(cpu) {
		const struct clickup_cpu_stats *s = per_cpu_ptr(stats->pcpu, cpu);
		u64 p, b, d;
		unsigned int seq;

		do {
			seq = u64_stats_fetch_begin(&s->syncp);
			p = u64_stats_read(&s->packets);
			b = u64_stats_read(&s->bytes);
			d = u64_stats_read(&s->drops);
		} while (u64_stats_fetch_retry(&s->syncp, seq));
		*packets += p;
		*bytes += b;
		*drops += d;
	}
	*packets -= stats->base_packets;
	*bytes -= stats->base_bytes;
	*drops -= stats->base_drops;
}

static u32 clickup_name_hash(const char *name, u32 bits)
{
	return hash_32(full_name_hash(NULL, name, strlen(name)), bits);
}

struct clickup_atom *clickup_dag_lookup(const struct clickup_dag *dag,
					const char *name)
{
	struct clickup_atom *atom;

	if (!dag)
		return NULL;
	hlist_for_each_entry(atom, &dag->names[clickup_name_hash(name, dag->names_bits)],
			     name_node)
		if (!strcmp(atom->name, name))
			return atom;
	return NULL;
}

static void clickup_atom_free(struct clickup_atom *atom, bool inited)
{
	u32 i;

	if (inited && atom->type->destroy)
		atom->type->destroy(atom);
	clickup_stats_put(atom->stats);
	for (i = 0; i < atom->argc; i++)
		kfree(atom->argv[i]);
	kfree(atom->argv);
	kfree(atom->next);
	kfree(atom->next_in);
	atomic_dec(&((struct clickup_atom_type *)atom->type)->users);
	module_put(atom->type->owner);
	kfree(atom);
}

void clickup_dag_destroy(struct clickup_dag *dag)
{
	u32 i;

	if (!dag)
		return;
	for (i = 0; i < dag->nr_atoms; i++)
		if (dag->atoms[i])
			clickup_atom_free(dag->atoms[i], i < dag->nr_inited);
	kvfree(dag->atoms);
	kvfree(dag->names);
	kfree(dag);
}

static void clickup_dag_free_work(struct work_struct *work)
{
	clickup_dag_destroy(container_of(to_rcu_work(work), struct clickup_dag,
					 free_work));
}

/* Frees @dag once no packet can still be walking it. */
void clickup_dag_free_rcu(struct clickup_dag *dag)
{
	INIT_RCU_WORK(&dag->free_work, clickup_dag_free_work);
	queue_rcu_work(clickup_wq, &dag->free_work);
}

static struct clickup_atom *clickup_atom_new(const struct clickup_spec_atom *sa,
					     u32 index, struct net *net,
					     const char *ne_name,
					     struct netlink_ext_ack *extack)
{
	struct clickup_atom_type *type = sa->type;
	struct clickup_atom *atom;
	u32 i;

	if (sa->argc < type->min_args || sa->argc > type->max_args) {
		if (type->min_args == type->max_args)
			clickup_extack_fmt(extack,
					   "atom '%s' (%s): takes %u argument%s, not %u",
					   sa->name, type->name, type->min_args,
					   type->min_args == 1 ? "" : "s",
					   sa->argc);
		else
			clickup_extack_fmt(extack,
					   "atom '%s' (%s): takes %u to %u arguments, not %u",
					   sa->name, type->name, type->min_args,
					   type->max_args, sa->argc);
		NL_SET_BAD_ATTR(extack, sa->nla);
		return ERR_PTR(-EINVAL);
	}
	atom = kzalloc(struct_size(atom, priv, DIV_ROUND_UP(type->priv_size,
							    sizeof(long))),
		       GFP_KERNEL_ACCOUNT);
	if (!atom)
		return ERR_PTR(-ENOMEM);
	/* The spec's reference keeps the module; this one is the atom's. */
	__module_get(type->owner);
	atomic_inc(&type->users);
	atom->type = type;
	atom->index = index;
	atom->net = net;
	atom->ne_name = ne_name;
	atom->fd = sa->fd;
	atom->nr_outputs = type->outputs;
	atom->optional_outputs = type->optional_outputs;
	strscpy(atom->name, sa->name, sizeof(atom->name));
	INIT_HLIST_NODE(&atom->name_node);
	if (sa->argc) {
		atom->argv = kcalloc(sa->argc, sizeof(char *), GFP_KERNEL_ACCOUNT);
		if (!atom->argv)
			goto nomem;
		for (i = 0; i < sa->argc; i++) {
			atom->argv[i] = kstrdup(sa->argv[i], GFP_KERNEL_ACCOUNT);
			if (!atom->argv[i])
				goto nomem;
			atom->argc = i + 1;
		}
	}
	return atom;
nomem:
	clickup_atom_free(atom, false);
	return ERR_PTR(-ENOMEM);
}

/*
 * Every rejection by init() names the atom in one format, "atom 'NAME'
 * (TYPE): " and the atom's own text (for an argument: "argument N: ...",
 * from the helpers in args.c).
 */
static void clickup_atom_init_msg(const struct clickup_atom *atom, int err,
				  struct netlink_ext_ack *extack)
{
	char msg[CLICKUP_EXTACK_LEN];

	if (!extack)
		return;
	if (extack->_msg)
		strscpy(msg, extack->_msg, sizeof(msg));
	else
		snprintf(msg, sizeof(msg), "rejected (error %d)", err);
	clickup_extack_fmt(extack, "atom '%s' (%s): %s", atom->name,
			   atom->type->name, msg);
}

static int clickup_atom_init(struct clickup_atom *atom,
			     const struct clickup_spec_atom *sa,
			     struct netlink_ext_ack *extack)
{
	const struct clickup_atom_type *type = atom->type;
	int err;

	if (type->init) {
		err = type->init(atom, atom->argc, atom->argv, extack);
		atom->fd = -1;	/* the sender's descriptor: init() only */
		if (err) {
			clickup_atom_init_msg(atom, err, extack);
			NL_SET_BAD_ATTR(extack, sa->nla);
			return err;
		}
	}
	return 0;
}

static int clickup_dag_wire(struct clickup_dag *dag,
			    const struct clickup_spec *spec,
			    struct netlink_ext_ack *extack)
{
	u32 i, p;

	for (i = 0; i < dag->nr_atoms; i++) {
		struct clickup_atom *atom = dag->atoms[i];

		if (WARN_ON_ONCE(atom->nr_outputs > CLICKUP_MAX_PORTS))
			return -EINVAL;
		if (!atom->nr_outputs)
			continue;
		atom->next = kcalloc(atom->nr_outputs, sizeof(*atom->next),
				     GFP_KERNEL_ACCOUNT);
		atom->next_in = kcalloc(atom->nr_outputs, sizeof(*atom->next_in),
					GFP_KERNEL_ACCOUNT);
		if (!atom->next || !atom->next_in)
			return -ENOMEM;
	}
	for (i = 0; i < spec->nr_edges; i++) {
		const struct clickup_spec_edge *se = &spec->edges[i];
		struct clickup_atom *src = dag->atoms[se->src];
		struct clickup_atom *dst = dag->atoms[se->dst];

		NL_SET_BAD_ATTR(extack, se->nla);
		if (dst->type->flags & CLICKUP_TYPE_F_ENTRY) {
			clickup_extack_fmt(extack, "entry atom '%s' (%s) takes no input",
					   dst->name, dst->type->name);
			return -EINVAL;
		}
		if (se->port >= src->nr_outputs) {
			clickup_extack_fmt(extack,
					   "atom '%s' (%s) has no output port %u (%u outputs)",
					   src->name, src->type->name, se->port,
					   src->nr_outputs);
			return -ERANGE;
		}
		if (se->dst_port >= dst->type->inputs) {
			clickup_extack_fmt(extack,
					   "atom '%s' (%s) has no input port %u (%u inputs)",
					   dst->name, dst->type->name, se->dst_port,
					   dst->type->inputs);
			return -ERANGE;
		}
		if (src->next[se->port]) {
			clickup_extack_fmt(extack,
					   "atom '%s': output port %u connected twice",
					   src->name, se->port);
			return -EINVAL;
		}
		src->next[se->port] = dst;
		src->next_in[se->port] = se->dst_port;
	}
	NL_SET_BAD_ATTR(extack, NULL);
	for (i = 0; i < dag->nr_atoms; i++) {
		struct clickup_atom *atom = dag->atoms[i];

		for (p = 0; p < atom->nr_outputs; p++) {
			if (atom->next[p] || (atom->optional_outputs & BIT_ULL(p)))
				continue;
			clickup_extack_fmt(extack,
					   "atom '%s': output port %u is not connected (connect it to discard if unused)",
					   atom->name, p);
			NL_SET_BAD_ATTR(extack, spec->atoms[i].nla);
			return -EINVAL;
		}
	}
	return 0;
}

static int clickup_dag_find_entries(struct clickup_dag *dag,
				    struct netlink_ext_ack *extack)
{
	u32 i;

	for (i = 0; i < dag->nr_atoms; i++) {
		struct clickup_atom *atom = dag->atoms[i];

		if (!(atom->type->flags & CLICKUP_TYPE_F_ENTRY))
			continue;
		if (dag->nr_entries == CLICKUP_MAX_ENTRIES) {
			clickup_extack_fmt(extack, "DAG has more than %d entry atoms",
					   CLICKUP_MAX_ENTRIES);
			return -E2BIG;
		}
		dag->entries[dag->nr_entries++].atom = atom;
	}
	if (!dag->nr_entries) {
		NL_SET_ERR_MSG(extack,
			       "DAG has no entry atom (fromdevice or fromhook)");
		return -EINVAL;
	}
	return 0;
}

/*
 * An L3 hook hands over packets, not frames, and takes back what it gave:
 * an atom that needs frames (todevice) must not be reachable from one.
 */
static int clickup_dag_check_l3(const struct clickup_dag *dag,
				const struct clickup_spec *spec,
				struct netlink_ext_ack *extack)
{
	struct clickup_atom **stack;
	unsigned long *seen;
	u32 i, p, top;
	int err = 0;

	seen = bitmap_zalloc(dag->nr_atoms, GFP_KERNEL);
	stack = kvcalloc(dag->nr_atoms, sizeof(*stack), GFP_KERNEL);
	if (!seen || !stack) {
		err = -ENOMEM;
		goto out;
	}
	for (i = 0; i < dag->nr_entries && !err; i++) {
		struct clickup_atom *entry = dag->entries[i].atom;

		if (entry->entry.pf == NFPROTO_NETDEV)
			continue;
		bitmap_zero(seen, dag->nr_atoms);
		top = 0;
		stack[top++] = entry;
		__set_bit(entry->index, seen);
		while (top && !err) {
			struct clickup_atom *atom = stack[--top];

			if (atom->type->flags & CLICKUP_TYPE_F_FRAMES) {
				clickup_extack_fmt(extack,
						   "atom '%s' (%s) needs frames but is reachable from L3 entry '%s' (fromhook): use fromdevice, or end in accept/discard",
						   atom->name, atom->type->name,
						   entry->name);
				NL_SET_BAD_ATTR(extack, spec->atoms[atom->index].nla);
				err = -EINVAL;
				break;
			}
			for (p = 0; p < atom->nr_outputs; p++) {
				struct clickup_atom *next = atom->next[p];

				if (next && !__test_and_set_bit(next->index, seen))
					stack[top++] = next;
			}
		}
	}
out:
	kvfree(stack);
	bitmap_free(seen);
	return err;
}

/* Same name and type as an atom of @old: share its counters, migrate. */
static int clickup_dag_take_over(struct clickup_dag *dag,
				 const struct clickup_dag *old,
				 struct netlink_ext_ack *extack)
{
	u32 i;
	int err;

	for (i = 0; i < dag->nr_atoms; i++) {
		struct clickup_atom *atom = dag->atoms[i];
		struct clickup_atom *prev = clickup_dag_lookup(old, atom->name);

		if (prev && prev->type == atom->type) {
			refcount_inc(&prev->stats->ref);
			atom->stats = prev->stats;
			if (atom->type->migrate) {
				err = atom->type->migrate(atom, prev, extack);
				if (err)
					return err;
			}
			dag->nr_migrated++;
			continue;
		}
		atom->stats = clickup_stats_alloc();
		if (!atom->stats)
			return -ENOMEM;
		dag->nr_new++;
	}
	return 0;
}

struct clickup_dag *clickup_dag_build(const struct clickup_spec *spec,
				      struct net *net, const char *ne_name,
				      const struct clickup_dag *old,
				      struct netlink_ext_ack *extack)
{
	struct clickup_dag *dag;
	u32 i;
	int err = -ENOMEM;

	dag = kzalloc(sizeof(*dag), GFP_KERNEL_ACCOUNT);
	if (!dag)
		return ERR_PTR(-ENOMEM);
	dag->nr_atoms = spec->nr_atoms;
	dag->nr_edges = spec->nr_edges;
	dag->names_bits = ilog2(roundup_pow_of_two(spec->nr_atoms * 2));
	dag->atoms = kvcalloc(spec->nr_atoms, sizeof(*dag->atoms),
			      GFP_KERNEL_ACCOUNT);
	dag->names = kvcalloc(1U << dag->names_bits, sizeof(*dag->names),
			      GFP_KERNEL_ACCOUNT);
	if (!dag->atoms || !dag->names)
		goto fail;

	for (i = 0; i < spec->nr_atoms; i++) {
		struct clickup_atom *atom;

		atom = clickup_atom_new(&spec->atoms[i], i, net, ne_name, extack);
		if (IS_ERR(atom)) {
			err = PTR_ERR(atom);
			goto fail;
		}
		dag->atoms[i] = atom;
		err = clickup_atom_init(atom, &spec->atoms[i], extack);
		if (err)
			goto fail;
		dag->nr_inited = i + 1;
		hlist_add_head(&atom->name_node,
			       &dag->names[clickup_name_hash(atom->name,
							     dag->names_bits)]);
	}
	err = clickup_dag_wire(dag, spec, extack);
	if (err)
		goto fail;
	err = clickup_dag_find_entries(dag, extack);
	if (err)
		goto fail;
	err = clickup_dag_check_l3(dag, spec, extack);
	if (err)
		goto fail;
	err = clickup_dag_take_over(dag, old, extack);
	if (err)
		goto fail;
	return dag;
fail:
	clickup_dag_destroy(dag);
	return ERR_PTR(err);
}
