/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * CLICK-UP generic netlink interface.
 *
 * A network element (NE) is a named DAG of atoms in one network namespace.
 * The whole DAG travels in one message (CLICKUP_A_DAG) so that create and
 * upgrade are a single atomic swap in the kernel.
 */
#ifndef _UAPI_LINUX_CLICKUP_H
#define _UAPI_LINUX_CLICKUP_H

#define CLICKUP_GENL_NAME	"clickup"
#define CLICKUP_GENL_VERSION	1
#define CLICKUP_MCGRP_EVENTS	"events"

/* String sizes include the terminating NUL. */
#define CLICKUP_NAME_MAX	32	/* NE, atom and type names */
#define CLICKUP_ARG_MAX		256	/* one atom argument */

/*
 * Limits enforced by the kernel (E2BIG beyond them). A whole DAG travels
 * in one nested attribute, whose length is 16 bits: 1024 edges take about
 * 36 KiB, leaving room for the atoms; clickupctl reports a DAG that still
 * does not fit 64 KiB before sending it.
 */
#define CLICKUP_MAX_ATOMS	1024
#define CLICKUP_MAX_EDGES	1024
#define CLICKUP_MAX_ARGS	16
#define CLICKUP_MAX_PORTS	64
#define CLICKUP_MAX_ENTRIES	16
/* A handler's value (read reply) including the NUL; a write's value is
 * shorter than CLICKUP_ARG_MAX, as an atom argument.
 */
#define CLICKUP_HANDLER_VALUE_MAX 4096

enum clickup_cmd {
	CLICKUP_CMD_UNSPEC,
	CLICKUP_CMD_ATOM_GET,	/* dump: registered atom types */
	CLICKUP_CMD_NE_NEW,	/* create NE from CLICKUP_A_DAG */
	CLICKUP_CMD_NE_UPGRADE,	/* atomically replace the DAG of an NE */
	CLICKUP_CMD_NE_DEL,	/* delete NE */
	CLICKUP_CMD_NE_GET,	/* doit (by name) or dump: NE summaries */
	CLICKUP_CMD_DAG_GET,	/* dump: one message per atom of one NE */
	CLICKUP_CMD_TABLE_GET,	/* dump: state tables of the netns */
	CLICKUP_CMD_TABLE_SET,	/* create a table if missing; set its MAX */
	CLICKUP_CMD_TABLE_FLUSH, /* remove every flow of a table */
	CLICKUP_CMD_TABLE_DEL,	/* forget a table (freed when unused) */
	CLICKUP_CMD_FLOW_GET,	/* dump: the flows of one table */
	CLICKUP_CMD_FLOW_NEW,	/* insert flows (restore): CLICKUP_A_FLOW... */
	CLICKUP_CMD_FLOW_DEL,	/* remove one flow, by its key */
	CLICKUP_CMD_NE_DETACHED, /* event: a device took entry hooks away */
	CLICKUP_CMD_HANDLER_READ, /* doit: NE, ATOM_NAME, HANDLER -> VALUE */
	CLICKUP_CMD_HANDLER_WRITE, /* doit: NE, ATOM_NAME, HANDLER[, VALUE] */
	__CLICKUP_CMD_MAX,
};
#define CLICKUP_CMD_MAX (__CLICKUP_CMD_MAX - 1)

/* Top-level attributes. */
enum clickup_attr {
	CLICKUP_A_UNSPEC,
	CLICKUP_A_PAD,
	CLICKUP_A_NE_NAME,	/* NUL string, < CLICKUP_NAME_MAX */
	CLICKUP_A_GENERATION,	/* u64: bumped by every create/upgrade */
	CLICKUP_A_DAG,		/* nest: enum clickup_dag_attr */
	CLICKUP_A_TIMES,	/* nest: enum clickup_times_attr (reply) */
	CLICKUP_A_ATOM,		/* nest: enum clickup_atom_attr (DAG dump) */
	CLICKUP_A_TYPE,		/* nest: enum clickup_type_attr (type dump) */
	CLICKUP_A_NR_ATOMS,	/* u32 */
	CLICKUP_A_NR_EDGES,	/* u32 */
	CLICKUP_A_NR_ENTRIES,	/* u32: hooks the NE is attached to */
	CLICKUP_A_TABLE_NAME,	/* NUL string, < CLICKUP_NAME_MAX */
	CLICKUP_A_TABLE,	/* nest: enum clickup_table_attr (dump) */
	CLICKUP_A_FLOW,		/* nest: enum clickup_flow_attr; FLOW_NEW
				 * takes it repeated at the top level
				 */
	CLICKUP_A_TABLE_MAX,	/* u32: entry limit (TABLE_SET) */
	CLICKUP_A_COUNT,	/* u32: flows inserted/skipped (reply) */
	CLICKUP_A_NR_DETACHED,	/* u32: entries whose device went away
				 * (NE_GET); an upgrade re-attaches them
				 */
	CLICKUP_A_ATOM_NAME,	/* NUL string, < CLICKUP_NAME_MAX */
	CLICKUP_A_HANDLER,	/* NUL string, < CLICKUP_NAME_MAX: handler
				 * name (Click's read/write handlers)
				 */
	CLICKUP_A_HANDLER_VALUE, /* NUL string: the value read, or the one
				  * to write (< CLICKUP_ARG_MAX)
				  */
	CLICKUP_A_TABLE_POLICY,	/* u8: enum clickup_table_policy (TABLE_SET) */
	CLICKUP_A_TABLE_TIMEOUTS, /* nest: enum clickup_timeout_attr, u32
				   * seconds each (TABLE_SET)
				   */
	CLICKUP_A_NO_AUTOLOAD,	/* flag (NE_NEW, NE_UPGRADE): an atom type
				 * not registered fails the request with
				 * ENOENT, its atom as the bad attribute,
				 * instead of request_module(); for callers
				 * that load modules themselves
				 */
	__CLICKUP_A_MAX,
};
#define CLICKUP_A_MAX (__CLICKUP_A_MAX - 1)

/* CLICKUP_A_DAG */
enum clickup_dag_attr {
	CLICKUP_DAG_A_UNSPEC,
	CLICKUP_DAG_A_ATOMS,	/* nest array of enum clickup_atom_attr;
				 * an atom's index is its position here
				 */
	CLICKUP_DAG_A_EDGES,	/* nest array of enum clickup_edge_attr */
	__CLICKUP_DAG_A_MAX,
};
#define CLICKUP_DAG_A_MAX (__CLICKUP_DAG_A_MAX - 1)

/* One atom: in requests (NAME, TYPE, ARGS, FD) and in DAG dumps (the rest). */
enum clickup_atom_attr {
	CLICKUP_ATOM_A_UNSPEC,
	CLICKUP_ATOM_A_PAD,
	CLICKUP_ATOM_A_NAME,	/* NUL string, unique in the DAG */
	CLICKUP_ATOM_A_TYPE,	/* NUL string, case-insensitive */
	CLICKUP_ATOM_A_ARGS,	/* nest array: one nest per argument, in
				 * order, each holding CLICKUP_ARG_A_VALUE
				 */
	CLICKUP_ATOM_A_INDEX,	/* u32 (dump) */
	CLICKUP_ATOM_A_NR_OUTPUTS, /* u32 (dump) */
	CLICKUP_ATOM_A_PACKETS,	/* u64 (dump) */
	CLICKUP_ATOM_A_BYTES,	/* u64 (dump) */
	CLICKUP_ATOM_A_DROPS,	/* u64 (dump): dropped by or at this atom */
	CLICKUP_ATOM_A_EDGES,	/* nest array of clickup_edge_attr (dump,
				 * this atom's out-edges, SRC omitted)
				 */
	CLICKUP_ATOM_A_TABLE,	/* NUL string (dump): state table it uses */
	CLICKUP_ATOM_A_FD,	/* u32 (request): a file descriptor in the
				 * sending process, for the atom's init()
				 * (bpf: the program's fd); never dumped
				 */
	CLICKUP_ATOM_A_DETACHED, /* flag (dump): an entry whose device went
				  * away; nothing is hooked for it
				  */
	__CLICKUP_ATOM_A_MAX,
};
#define CLICKUP_ATOM_A_MAX (__CLICKUP_ATOM_A_MAX - 1)

enum clickup_arg_attr {
	CLICKUP_ARG_A_UNSPEC,
	CLICKUP_ARG_A_VALUE,	/* NUL string, < CLICKUP_ARG_MAX */
	__CLICKUP_ARG_A_MAX,
};
#define CLICKUP_ARG_A_MAX (__CLICKUP_ARG_A_MAX - 1)

/* One edge: output PORT of atom SRC feeds input DST_PORT of atom DST. */
enum clickup_edge_attr {
	CLICKUP_EDGE_A_UNSPEC,
	CLICKUP_EDGE_A_SRC,	/* u32 atom index */
	CLICKUP_EDGE_A_PORT,	/* u32 output port of SRC */
	CLICKUP_EDGE_A_DST,	/* u32 atom index */
	CLICKUP_EDGE_A_DST_PORT, /* u32 input port of DST, default 0 */
	__CLICKUP_EDGE_A_MAX,
};
#define CLICKUP_EDGE_A_MAX (__CLICKUP_EDGE_A_MAX - 1)

/* CLICKUP_A_TIMES: nanoseconds spent in each phase of a create/upgrade. */
enum clickup_times_attr {
	CLICKUP_TIMES_A_UNSPEC,
	CLICKUP_TIMES_A_PAD,
	CLICKUP_TIMES_A_VALIDATE,	/* u64 */
	CLICKUP_TIMES_A_LOAD,		/* u64: resolving + autoloading types */
	CLICKUP_TIMES_A_INSTANTIATE,	/* u64: init, migrate, hook setup */
	CLICKUP_TIMES_A_PUBLISH,	/* u64: rcu_replace_pointer + unhook */
	CLICKUP_TIMES_A_TOTAL,		/* u64 */
	CLICKUP_TIMES_A_LOADED,		/* u32: modules autoloaded */
	CLICKUP_TIMES_A_NEW_ATOMS,	/* u32: atoms with no predecessor */
	CLICKUP_TIMES_A_MIGRATED,	/* u32: atoms that took over state */
	__CLICKUP_TIMES_A_MAX,
};
#define CLICKUP_TIMES_A_MAX (__CLICKUP_TIMES_A_MAX - 1)

/* CLICKUP_A_TYPE: one registered atom type. */
enum clickup_type_attr {
	CLICKUP_TYPE_A_UNSPEC,
	CLICKUP_TYPE_A_NAME,	/* NUL string */
	CLICKUP_TYPE_A_MODULE,	/* NUL string: owner module */
	CLICKUP_TYPE_A_INPUTS,	/* u32 */
	CLICKUP_TYPE_A_OUTPUTS,	/* u32: default output count */
	CLICKUP_TYPE_A_PRIV_SIZE, /* u32 */
	CLICKUP_TYPE_A_FLAGS,	/* u32: CLICKUP_TYPE_F_* */
	CLICKUP_TYPE_A_USERS,	/* u32: live instances */
	CLICKUP_TYPE_A_ALIASES,	/* nest: CLICKUP_TYPE_A_NAME strings, if any */
	__CLICKUP_TYPE_A_MAX,
};
#define CLICKUP_TYPE_A_MAX (__CLICKUP_TYPE_A_MAX - 1)

/* CLICKUP_A_TABLE: one state table. */
enum clickup_table_attr {
	CLICKUP_TABLE_A_UNSPEC,
	CLICKUP_TABLE_A_PAD,
	CLICKUP_TABLE_A_NAME,		/* NUL string */
	CLICKUP_TABLE_A_ENTRIES,	/* u32: flows now */
	CLICKUP_TABLE_A_LIMIT,		/* u32: max entries; new flows refused
					 * past it (not _A_MAX: that name is
					 * the highest attribute, below)
					 */
	CLICKUP_TABLE_A_INSERTED,	/* u64 */
	CLICKUP_TABLE_A_REFUSED,	/* u64: table full or no memory */
	CLICKUP_TABLE_A_EXPIRED,	/* u64: removed by timeout */
	CLICKUP_TABLE_A_ENTRY_SIZE,	/* u32: bytes of one flow object */
	CLICKUP_TABLE_A_MEMORY,		/* u64: flows + hash buckets, bytes */
	CLICKUP_TABLE_A_USERS,		/* u32: atoms using the table */
	CLICKUP_TABLE_A_GC_PASS_US,	/* u64: wall time of the longest
					 * whole GC pass so far, us
					 */
	CLICKUP_TABLE_A_GC_CHUNK_US,	/* u64: longest GC step (one RCU
					 * read section) so far, us
					 */
	CLICKUP_TABLE_A_POLICY,		/* u8: enum clickup_table_policy */
	CLICKUP_TABLE_A_INVALID,	/* u64: packets the tracker found out
					 * of window or illegal (passed when
					 * liberal, dropped when strict)
					 */
	CLICKUP_TABLE_A_EVICTED,	/* u64: unassured flows dropped early
					 * to make room for a new one
					 */
	CLICKUP_TABLE_A_TIMEOUTS,	/* nest: enum clickup_timeout_attr */
	__CLICKUP_TABLE_A_MAX,
};
#define CLICKUP_TABLE_A_MAX (__CLICKUP_TABLE_A_MAX - 1)

/*
 * CLICKUP_A_FLOW: one flow. PROTO, SADDR, DADDR, SPORT, DPORT are its
 * ORIGINAL tuple (as its first packet went); R_* its REPLY tuple (as
 * answers come back), which a request may leave out to mean the reverse
 * of ORIGINAL. A dump gives every field; FLOW_NEW (restore) takes them
 * all back, FLOW_DEL the tuple of either direction.
 */
enum clickup_flow_attr {
	CLICKUP_FLOW_A_UNSPEC,
	CLICKUP_FLOW_A_PROTO,		/* u8 */
	CLICKUP_FLOW_A_SADDR,		/* be32 */
	CLICKUP_FLOW_A_DADDR,		/* be32 */
	CLICKUP_FLOW_A_SPORT,		/* be16 */
	CLICKUP_FLOW_A_DPORT,		/* be16 */
	CLICKUP_FLOW_A_STATE,		/* u8: enum clickup_flow_state_uapi */
	CLICKUP_FLOW_A_INIT_DIR,	/* obsolete (one normalised key per
					 * flow, before issue 11): rejected
					 */
	CLICKUP_FLOW_A_FIN_DIR,		/* obsolete: rejected */
	CLICKUP_FLOW_A_XADDR,		/* obsolete: rejected */
	CLICKUP_FLOW_A_XPORT,		/* obsolete: rejected */
	CLICKUP_FLOW_A_TIMEOUT,		/* u32: ms until it expires */
	CLICKUP_FLOW_A_R_SADDR,		/* be32: REPLY tuple */
	CLICKUP_FLOW_A_R_DADDR,		/* be32 */
	CLICKUP_FLOW_A_R_SPORT,		/* be16 */
	CLICKUP_FLOW_A_R_DPORT,		/* be16 */
	CLICKUP_FLOW_A_STATUS,		/* u8: CLICKUP_FLOW_F_* */
	CLICKUP_FLOW_A_TCP_ORIG,	/* nest: enum clickup_tcp_attr, what
					 * the ORIGINAL side sent (TCP)
					 */
	CLICKUP_FLOW_A_TCP_REPLY,	/* nest: the same, REPLY side */
	__CLICKUP_FLOW_A_MAX,
};
#define CLICKUP_FLOW_A_MAX (__CLICKUP_FLOW_A_MAX - 1)

/* CLICKUP_FLOW_A_STATUS bits. */
#define CLICKUP_FLOW_F_ASSURED		(1U << 0) /* never evicted early */
#define CLICKUP_FLOW_F_SEEN_REPLY	(1U << 1) /* a REPLY packet was seen */
#define CLICKUP_FLOW_F_ALL		0x03

/* Window tracking of one direction (nf_conntrack's ip_ct_tcp_state). */
enum clickup_tcp_attr {
	CLICKUP_TCP_A_UNSPEC,
	CLICKUP_TCP_A_END,		/* u32: highest seq + len sent */
	CLICKUP_TCP_A_MAXEND,		/* u32: highest end the peer allows */
	CLICKUP_TCP_A_MAXWIN,		/* u32: largest window (scaled) */
	CLICKUP_TCP_A_MAXACK,		/* u32: highest ack sent */
	CLICKUP_TCP_A_SCALE,		/* u8: window scale, <= 14 */
	CLICKUP_TCP_A_FLAGS,		/* u8: CLICKUP_TCP_F_* */
	__CLICKUP_TCP_A_MAX,
};
#define CLICKUP_TCP_A_MAX (__CLICKUP_TCP_A_MAX - 1)

#define CLICKUP_TCP_F_WINDOW_SCALE	(1U << 0) /* SYN had the option */
#define CLICKUP_TCP_F_SACK_PERM		(1U << 1)
#define CLICKUP_TCP_F_CLOSE_INIT	(1U << 2) /* this side sent a FIN first */
#define CLICKUP_TCP_F_UNACKED		(1U << 3) /* data not yet acked */
#define CLICKUP_TCP_F_MAXACK_SET	(1U << 4)
#define CLICKUP_TCP_F_ALL		0x1f

/* Values of CLICKUP_FLOW_A_STATE: nf_conntrack's TCP states, GENERIC
 * for the rest. Values below 8 are those of save files of version 1.
 */
enum clickup_flow_state_uapi {
	CLICKUP_FLOW_S_NONE,
	CLICKUP_FLOW_S_SYN_SENT,
	CLICKUP_FLOW_S_SYN_RECV,
	CLICKUP_FLOW_S_ESTABLISHED,
	CLICKUP_FLOW_S_FIN_WAIT,
	CLICKUP_FLOW_S_TIME_WAIT,
	CLICKUP_FLOW_S_CLOSE,
	CLICKUP_FLOW_S_GENERIC,		/* not TCP */
	CLICKUP_FLOW_S_CLOSE_WAIT,
	CLICKUP_FLOW_S_LAST_ACK,
	CLICKUP_FLOW_S_SYN_SENT2,	/* simultaneous open */
	__CLICKUP_FLOW_S_MAX,
};

/* CLICKUP_A_TABLE_POLICY: what happens to a packet the tracker finds
 * out of window or illegal for its flow (it never changes the state).
 */
enum clickup_table_policy {
	CLICKUP_POLICY_LIBERAL,		/* passed, counted (default) */
	CLICKUP_POLICY_STRICT,		/* dropped, counted */
	__CLICKUP_POLICY_MAX,
};

/* CLICKUP_A_TABLE_TIMEOUTS, CLICKUP_TABLE_A_TIMEOUTS: u32 seconds each. */
enum clickup_timeout_attr {
	CLICKUP_TIMEOUT_A_UNSPEC,
	CLICKUP_TIMEOUT_A_TCP_SYN_SENT,		/* 120 (and SYN_SENT2) */
	CLICKUP_TIMEOUT_A_TCP_SYN_RECV,		/* 60 */
	CLICKUP_TIMEOUT_A_TCP_ESTABLISHED,	/* 432000 (5 days) */
	CLICKUP_TIMEOUT_A_TCP_FIN_WAIT,		/* 120 */
	CLICKUP_TIMEOUT_A_TCP_CLOSE_WAIT,	/* 60 */
	CLICKUP_TIMEOUT_A_TCP_LAST_ACK,		/* 30 */
	CLICKUP_TIMEOUT_A_TCP_TIME_WAIT,	/* 120 */
	CLICKUP_TIMEOUT_A_TCP_CLOSE,		/* 10 */
	CLICKUP_TIMEOUT_A_TCP_UNACK,		/* 300: unacked data, or
						 * established but no reply
						 * seen (one-way)
						 */
	CLICKUP_TIMEOUT_A_UDP_UNREPLIED,	/* 30 */
	CLICKUP_TIMEOUT_A_UDP_REPLIED,		/* 120 (assured stream) */
	CLICKUP_TIMEOUT_A_GENERIC,		/* 600: other protocols */
	__CLICKUP_TIMEOUT_A_MAX,
};
#define CLICKUP_TIMEOUT_A_MAX (__CLICKUP_TIMEOUT_A_MAX - 1)
#define CLICKUP_TIMEOUT_MAX_SECONDS	(60U * 24 * 3600) /* 60 days */

#define CLICKUP_TYPE_F_ENTRY	(1U << 0)	/* attaches to a hook */
#define CLICKUP_TYPE_F_TERMINAL	(1U << 1)	/* has no outputs */
#define CLICKUP_TYPE_F_VAR_OUTPUTS (1U << 2)	/* output count from args */
#define CLICKUP_TYPE_F_FRAMES	(1U << 3)	/* needs frames: netdev entries only */

#endif /* _UAPI_LINUX_CLICKUP_H */
