/* SPDX-License-Identifier: GPL-2.0 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM clickup

#if !defined(_CLICKUP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _CLICKUP_TRACE_H

#include <linux/tracepoint.h>
#include <net/clickup.h>
#include "compat.h"

TRACE_EVENT(clickup_swap_begin,
	TP_PROTO(const char *ne, u64 generation, u32 nr_atoms),
	TP_ARGS(ne, generation, nr_atoms),
	TP_STRUCT__entry(
		__string(ne, ne)
		__field(u64, generation)
		__field(u32, nr_atoms)
	),
	TP_fast_assign(
		clickup_assign_str(ne, ne);
		__entry->generation = generation;
		__entry->nr_atoms = nr_atoms;
	),
	TP_printk("ne=%s from_generation=%llu atoms=%u", __get_str(ne),
		  __entry->generation, __entry->nr_atoms)
);

TRACE_EVENT(clickup_swap_end,
	TP_PROTO(const char *ne, u64 generation, int err, u64 ns),
	TP_ARGS(ne, generation, err, ns),
	TP_STRUCT__entry(
		__string(ne, ne)
		__field(u64, generation)
		__field(int, err)
		__field(u64, ns)
	),
	TP_fast_assign(
		clickup_assign_str(ne, ne);
		__entry->generation = generation;
		__entry->err = err;
		__entry->ns = ns;
	),
	TP_printk("ne=%s generation=%llu err=%d ns=%llu", __get_str(ne),
		  __entry->generation, __entry->err, __entry->ns)
);

/* Per packet and per atom: off unless enabled in tracefs. */
TRACE_EVENT(clickup_atom,
	TP_PROTO(const struct clickup_atom *atom, int port, unsigned int len),
	TP_ARGS(atom, port, len),
	TP_STRUCT__entry(
		__string(atom, atom->name)
		__string(type, atom->type->name)
		__field(int, port)
		__field(unsigned int, len)
	),
	TP_fast_assign(
		clickup_assign_str(atom, atom->name);
		clickup_assign_str(type, atom->type->name);
		__entry->port = port;
		__entry->len = len;
	),
	TP_printk("atom=%s type=%s len=%u %s=%d", __get_str(atom),
		  __get_str(type), __entry->len,
		  __entry->port >= 0 ? "port" : "verdict", __entry->port)
);

#endif /* _CLICKUP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
