// SPDX-License-Identifier: GPL-2.0
/*
 * Counters atoms read and reset through their handlers: the core's
 * per-atom counters, and per-output counts for atoms that choose among
 * outputs. Control-plane functions run under the netns mutex.
 */

#include <linux/percpu.h>
#include <linux/slab.h>
#include "internal.h"

/*
 * Readers and the reset both hold the netns mutex (handlers and dumps run
 * under it), so a reader never sees a base moved between its sum and its
 * subtraction, and the three 64-bit bases are never torn on 32-bit.
 */
void clickup_atom_stats(const struct clickup_atom *atom, u64 *packets,
			u64 *bytes, u64 *drops)
{
	lockdep_assert_held(clickup_net_mutex(atom->net));
	clickup_stats_read(atom->stats, packets, bytes, drops);
}
EXPORT_SYMBOL_GPL(clickup_atom_stats);

/*
 * The per-CPU counters are only ever written by their own CPU, so a reset
 * moves the base the sums are read against instead; the counters a
 * same-named successor shares are reset with it.
 */
void clickup_atom_stats_reset(struct clickup_atom *atom)
{
	struct clickup_stats *s = atom->stats;
	u64 p, b, d;

	lockdep_assert_held(clickup_net_mutex(atom->net));
	clickup_stats_read(s, &p, &b, &d);
	s->base_packets += p;
	s->base_bytes += b;
	s->base_drops += d;
}
EXPORT_SYMBOL_GPL(clickup_atom_stats_reset);

struct clickup_port_counts *clickup_port_counts_alloc(u32 n)
{
	struct clickup_port_counts *pc;
	int cpu;

	pc = kzalloc(sizeof(*pc), GFP_KERNEL_ACCOUNT);
	if (!pc)
		return NULL;
	pc->pcpu = __alloc_percpu_gfp(struct_size(pc->pcpu, count, max(n, 1U)),
				      __alignof__(struct clickup_port_cpu),
				      GFP_KERNEL_ACCOUNT);
	if (!pc->pcpu) {
		kfree(pc);
		return NULL;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(pc->pcpu, cpu)->syncp);
	pc->n = n;
	refcount_set(&pc->ref, 1);
	return pc;
}
EXPORT_SYMBOL_GPL(clickup_port_counts_alloc);

void clickup_port_counts_put(struct clickup_port_counts *pc)
{
	if (pc && refcount_dec_and_test(&pc->ref)) {
		free_percpu(pc->pcpu);
		kfree(pc);
	}
}
EXPORT_SYMBOL_GPL(clickup_port_counts_put);

void clickup_port_counts_migrate(struct clickup_port_counts **new,
				 struct clickup_port_counts *old)
{
	if (!old || !*new || old->n != (*new)->n)
		return;
	refcount_inc(&old->ref);
	clickup_port_counts_put(*new);
	*new = old;
}
EXPORT_SYMBOL_GPL(clickup_port_counts_migrate);

static u64 clickup_port_sum(const struct clickup_port_counts *pc, u32 port)
{
	u64 sum = 0, v;
	unsigned int seq;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct clickup_port_cpu *c = per_cpu_ptr(pc->pcpu, cpu);

		do {
			seq = u64_stats_fetch_begin(&c->syncp);
			v = u64_stats_read(&c->count[port]);
		} while (u64_stats_fetch_retry(&c->syncp, seq));
		sum += v;
	}
	return sum;
}

int clickup_port_counts_print(const struct clickup_port_counts *pc,
			      char *buf, size_t size)
{
	size_t len = 0;
	u32 port;

	buf[0] = '\0';
	for (port = 0; port < pc->n; port++)
		len += scnprintf(buf + len, size - len, "%s%llu",
				 port ? " " : "", clickup_port_sum(pc, port));
	return len;
}
EXPORT_SYMBOL_GPL(clickup_port_counts_print);
