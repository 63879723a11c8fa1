// SPDX-License-Identifier: GPL-2.0
/*
 * Counters atoms read and reset through their handlers: the core's
 * per-atom counters, and per-output counts for atoms that choose among
 * outputs. Control-plane functions run under the netns mutex.
 */

#include <linux/percpu.h>
#include <linux/slab.h>
#include "internal.h"

void clickup_atom_stats(const struct clickup_atom *atom, u64 *packets,
			u64 *bytes, u64 *drops)
{
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

	clickup_stats_read(s, &p, &b, &d);
	s->base_packets += p;
	s->base_bytes += b;
	s->base_drops += d;
}
EXPORT_SYMBOL_GPL(clickup_atom_stats_reset);

struct clickup_port_counts *clickup_port_counts_alloc(u32 n)
{
	struct clickup_port_counts *pc;

	pc = kzalloc(sizeof(*pc), GFP_KERNEL_ACCOUNT);
	if (!pc)
		return NULL;
	pc->pcpu = __alloc_percpu_gfp(max(n, 1U) * sizeof(u64), sizeof(u64),
				      GFP_KERNEL_ACCOUNT);
	if (!pc->pcpu) {
		kfree(pc);
		return NULL;
	}
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

int clickup_port_counts_print(const struct clickup_port_counts *pc,
			      char *buf, size_t size)
{
	size_t len = 0;
	u32 port;
	int cpu;

	buf[0] = '\0';
	for (port = 0; port < pc->n; port++) {
		u64 sum = 0;

		for_each_possible_cpu(cpu)
			sum += *per_cpu_ptr(pc->pcpu + port, cpu);
		len += scnprintf(buf + len, size - len, "%s%llu",
				 port ? " " : "", sum);
	}
	return len;
}
EXPORT_SYMBOL_GPL(clickup_port_counts_print);
