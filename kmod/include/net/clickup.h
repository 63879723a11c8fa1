/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CLICK-UP atom API: what an atom module sees of the core.
 *
 * An atom type is registered by its own module; instances of it live in the
 * DAGs of network elements (NEs). The core walks a DAG per packet: each
 * atom's process() returns an output port (>= 0) or a terminal verdict.
 */
#ifndef _NET_CLICKUP_H
#define _NET_CLICKUP_H

#include <linux/list.h>
#include <linux/module.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/u64_stats_sync.h>
#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/skbuff.h>
#include <uapi/linux/clickup.h>

/* Terminal verdicts returned by process() instead of an output port. */
enum clickup_verdict {
	CLICKUP_DROP	= -1,	/* core frees the packet, counts a drop */
	CLICKUP_ACCEPT	= -2,	/* NF_ACCEPT: the stack carries on */
	CLICKUP_STOLEN	= -3,	/* the atom took the skb (sent or freed it) */
};

/* Where an entry atom attaches; filled in by the entry type's init(). */
struct clickup_entry {
	u8	pf;		/* NFPROTO_NETDEV or NFPROTO_IPV4/IPV6 */
	u8	hooknum;
	int	priority;
	int	ifindex;	/* NFPROTO_NETDEV only */
};

struct clickup_stats;

/* One atom instance in one DAG. */
struct clickup_atom {
	const struct clickup_atom_type *type;
	struct clickup_atom	**next;		/* [nr_outputs] */
	u8			*next_in;	/* [nr_outputs] input of next[] */
	u32			nr_outputs;
	u32			index;
	u64			optional_outputs; /* unconnected: drop */
	struct clickup_stats	*stats;		/* shared with predecessor */
	struct net		*net;
	const char		*ne_name;	/* valid during init() only */
	/*
	 * Valid during init() only: a descriptor in the requesting process
	 * (CLICKUP_ATOM_A_FD; init() runs in that process's context), -1
	 * when the request carried none.
	 */
	int			fd;
	char			table[CLICKUP_NAME_MAX]; /* set by table_get */
	struct clickup_entry	entry;
	struct hlist_node	name_node;
	u32			argc;
	char			**argv;
	char			name[CLICKUP_NAME_MAX];
	unsigned long		priv[] __aligned(__alignof__(u64));
};

static inline void *clickup_atom_priv(const struct clickup_atom *atom)
{
	return (void *)atom->priv;
}

/* Per-packet context. */
struct clickup_pkt {
	const struct nf_hook_state	*state;
	struct net			*net;
	/* The input port the packet entered this atom by (0 at an entry). */
	u32				in_port;
};

void clickup_pkt_resized(const struct clickup_pkt *pkt, int delta);

/*
 * A read or write handler, Click's way to look at and poke a running
 * element: "count", "reset", "flush"... Both run in process context under
 * the NE's netns mutex (so the atom cannot go away), concurrently with the
 * packet path. read() writes a NUL-terminated text value of at most @size
 * bytes into @buf and returns its length or a negative errno. write() gets
 * the value ("" when none was given) and reports every rejection through
 * @extack. Either may be NULL (a write-only or read-only handler).
 */
struct clickup_handler {
	const char	*name;		/* < CLICKUP_NAME_MAX */
	int		(*read)(struct clickup_atom *atom, char *buf,
				size_t size);
	int		(*write)(struct clickup_atom *atom, const char *value,
				 struct netlink_ext_ack *extack);
};

struct clickup_atom_type {
	const char	*name;		/* lower case, < CLICKUP_NAME_MAX */
	/*
	 * Other names of the same type (lower case, NULL-terminated; may be
	 * NULL). A DAG may use any of them: the atom is of this type, so an
	 * upgrade that renames its type to another of them keeps its state
	 * and counters. Give each its MODULE_ALIAS_CLICKUP_ATOM() too.
	 */
	const char *const *aliases;
	struct module	*owner;
	u32		inputs;
	u32		outputs;	/* init() may change atom->nr_outputs */
	u64		optional_outputs; /* default optional port mask */
	u32		flags;		/* CLICKUP_TYPE_F_* */
	u32		min_args;
	u32		max_args;
	size_t		priv_size;

	/*
	 * Called under the NE's netns mutex (not RTNL) with the netns in
	 * atom->net; may sleep, must not take RTNL or call into clickup's
	 * netlink family. Reports every rejection through extack.
	 */
	int	(*init)(struct clickup_atom *atom, u32 argc,
			char *const *argv, struct netlink_ext_ack *extack);
	void	(*destroy)(struct clickup_atom *atom);
	/* Fast path: BH disabled, under RCU; no sleeping, no allocation. */
	int	(*process)(struct clickup_atom *atom, struct sk_buff *skb,
			   const struct clickup_pkt *pkt);
	/*
	 * Hands state from @old (same name and type, still running until
	 * the swap is published) to @new before @new goes live. Share
	 * refcounted objects rather than copy mutable ones.
	 */
	int	(*migrate)(struct clickup_atom *new, struct clickup_atom *old,
			   struct netlink_ext_ack *extack);
	/*
	 * This type's handlers, ended by one with a NULL name (may be
	 * NULL). Every atom also has the core's (docs/atoms.md#handlers);
	 * a name here overrides the core's.
	 */
	const struct clickup_handler *handlers;

	/* Core private. */
	struct list_head	list;
	atomic_t		users;
};

int clickup_atom_register(struct clickup_atom_type *type);

/*
 * The atom's core counters (what `show` prints), and zeroing them: from
 * a handler, with the netns mutex held, as every reader of them is.
 */
void clickup_atom_stats(const struct clickup_atom *atom, u64 *packets,
			u64 *bytes, u64 *drops);
void clickup_atom_stats_reset(struct clickup_atom *atom);

/*
 * Per-output packet counts for atoms that choose among outputs
 * (classifiers): refcounted, so migrate() can hand them to a successor
 * with the same number of outputs and the counts survive an upgrade.
 */
struct clickup_port_cpu {
	struct u64_stats_sync	syncp;	/* 32-bit: the counts are 2 words */
	u64_stats_t		count[];
};

struct clickup_port_counts {
	refcount_t			ref;
	u32				n;
	struct clickup_port_cpu __percpu *pcpu;	/* count[n] per CPU */
};

struct clickup_port_counts *clickup_port_counts_alloc(u32 n);
void clickup_port_counts_put(struct clickup_port_counts *pc);
/* Replaces *@new by @old's counts when both have as many outputs. */
void clickup_port_counts_migrate(struct clickup_port_counts **new,
				 struct clickup_port_counts *old);
/* "n0 n1 ..." (one count per output) into @buf; a handler's read(). */
int clickup_port_counts_print(const struct clickup_port_counts *pc,
			      char *buf, size_t size);

/* Fast path (BH disabled): one packet left by output @port. */
static inline void clickup_port_count(struct clickup_port_counts *pc,
				      u32 port)
{
	struct clickup_port_cpu *c;

	if (port >= pc->n)
		return;
	c = this_cpu_ptr(pc->pcpu);
	u64_stats_update_begin(&c->syncp);
	u64_stats_inc(&c->count[port]);
	u64_stats_update_end(&c->syncp);
}
void clickup_atom_unregister(struct clickup_atom_type *type);

/*
 * Flow state tables: named per netns, owned by the core, so they outlive
 * DAG swaps and the atom modules that use them. As in nf_conntrack, a
 * flow has two tuples, ORIGINAL (as its first packet went) and REPLY (as
 * answers come back; the reverse of ORIGINAL unless a NAT rewrites it),
 * both in the table's hash: a lookup by either finds the one flow and
 * says which direction matched.
 */
struct clickup_table;

enum clickup_dir {
	CLICKUP_DIR_ORIGINAL,
	CLICKUP_DIR_REPLY,
	CLICKUP_DIR_MAX
};

/*
 * A tuple: addresses and ports as on the wire ([0] source). Lookups leave
 * pad zero; the tuples stored in a flow keep their direction in pad[0]
 * (lookups compare and hash only up to pad).
 */
struct clickup_flow_key {
	__be32	addr[2];	/* [0] source, [1] destination */
	__be16	port[2];
	u8	proto;
	u8	pad[3];
};

/* TCP states (nf_conntrack's, numbered as the uapi); GENERIC: not TCP. */
enum clickup_flow_state {
	CLICKUP_FLOW_NONE	 = CLICKUP_FLOW_S_NONE,
	CLICKUP_FLOW_SYN_SENT	 = CLICKUP_FLOW_S_SYN_SENT,
	CLICKUP_FLOW_SYN_RECV	 = CLICKUP_FLOW_S_SYN_RECV,
	CLICKUP_FLOW_ESTABLISHED = CLICKUP_FLOW_S_ESTABLISHED,
	CLICKUP_FLOW_FIN_WAIT	 = CLICKUP_FLOW_S_FIN_WAIT,
	CLICKUP_FLOW_TIME_WAIT	 = CLICKUP_FLOW_S_TIME_WAIT,
	CLICKUP_FLOW_CLOSE	 = CLICKUP_FLOW_S_CLOSE,
	CLICKUP_FLOW_GENERIC	 = CLICKUP_FLOW_S_GENERIC,
	CLICKUP_FLOW_CLOSE_WAIT	 = CLICKUP_FLOW_S_CLOSE_WAIT,
	CLICKUP_FLOW_LAST_ACK	 = CLICKUP_FLOW_S_LAST_ACK,
	CLICKUP_FLOW_SYN_SENT2	 = CLICKUP_FLOW_S_SYN_SENT2,
	__CLICKUP_FLOW_MAX	 = __CLICKUP_FLOW_S_MAX
};

struct clickup_flow_tuple {
	struct rhash_head	node;
	struct clickup_flow_key	key;
};

/*
 * What one direction has sent, as nf_conntrack's ip_ct_tcp_state: the
 * highest sequence end (td_end), the highest end the peer's window allows
 * (td_maxend), the largest window seen (td_maxwin), the highest ACK sent
 * (td_maxack), the window scale of its SYN and CLICKUP_TCP_F_* flags. A
 * UDP flow keeps the jiffies of its "stream" deadline in seen[0].td_end.
 */
struct clickup_tcp_seen {
	u32	td_end;
	u32	td_maxend;
	u32	td_maxwin;
	u32	td_maxack;
	u8	td_scale;
	u8	flags;
};

/* struct clickup_flow status bits (CLICKUP_FLOW_F_* in the uapi). */
#define CLICKUP_FLOW_ASSURED	CLICKUP_FLOW_F_ASSURED
#define CLICKUP_FLOW_SEEN_REPLY	CLICKUP_FLOW_F_SEEN_REPLY

struct clickup_flow {
	struct clickup_flow_tuple tuple[CLICKUP_DIR_MAX];
	unsigned long		expires;	/* jiffies */
	spinlock_t		lock;		/* state, seen[], last */
	u8			state;		/* enum clickup_flow_state */
	u8			status;		/* CLICKUP_FLOW_ASSURED, ... */
	/* TCP tracker (state_tcp.c): the last packet, as nf_conntrack's */
	u8			last;		/* dir << 3 | flag index */
	u8			last_flags;	/* options of an ignored SYN */
	struct clickup_tcp_seen	seen[CLICKUP_DIR_MAX];
	u32			last_end;	/* its seq + len */
	u16			last_win;	/* its window */
	u8			last_wscale;	/* an ignored SYN's scale */
	struct rcu_head		rcu;
};

/* Parsed L3/L4 facts of one IPv4 packet. */
struct clickup_l4 {
	struct clickup_flow_key	key;		/* as seen on the wire */
	unsigned int		nhoff;		/* from skb->data */
	unsigned int		thoff;		/* from skb->data */
	unsigned int		end;		/* past the IP packet (its total
						 * length; not a link layer's
						 * padding), from skb->data
						 */
	u8			tcp_flags;	/* TCPHDR_* */
	u8			later_frag;	/* a fragment past the first:
						 * no L4 header, no ports
						 */
};

/* clickup_flow_track() verdicts. */
enum {
	CLICKUP_TRACK_OK,	/* accepted; state/timeout may have changed */
	CLICKUP_TRACK_INVALID,	/* out of window or illegal: state untouched */
};

/* Per-table policy for invalid packets (CLICKUP_POLICY_* in the uapi). */
#define CLICKUP_TABLE_LIBERAL	CLICKUP_POLICY_LIBERAL
#define CLICKUP_TABLE_STRICT	CLICKUP_POLICY_STRICT

struct clickup_table *clickup_table_get(struct clickup_atom *atom,
					const char *name,
					struct netlink_ext_ack *extack);
void clickup_table_put(struct clickup_table *table);
struct clickup_flow *clickup_flow_find(struct clickup_table *table,
				       const struct clickup_flow_key *key,
				       u8 *dir);
struct clickup_flow *clickup_flow_create(struct clickup_table *table,
					 const struct clickup_flow_key *orig,
					 const struct clickup_flow_key *reply,
					 u8 state, bool *existed);
void clickup_flow_remove(struct clickup_table *table,
			 struct clickup_flow *flow);
void clickup_flow_set_state(struct clickup_table *table,
			    struct clickup_flow *flow, u8 state);
void clickup_flow_refresh(struct clickup_table *table,
			  struct clickup_flow *flow);
int clickup_flow_track(struct clickup_table *table, struct clickup_flow *flow,
		       const struct sk_buff *skb, const struct clickup_l4 *l4,
		       u8 dir);
bool clickup_table_strict(const struct clickup_table *table);
bool clickup_l4_parse(const struct sk_buff *skb, struct clickup_l4 *l4);
void clickup_flow_key_reverse(struct clickup_flow_key *rev,
			      const struct clickup_flow_key *key);

/* The flow is assured: never evicted to make room for a new one. */
static inline bool clickup_flow_assured(const struct clickup_flow *flow)
{
	return READ_ONCE(flow->status) & CLICKUP_FLOW_ASSURED;
}

/* The tuple of @flow in direction @dir. */
static inline const struct clickup_flow_key *
clickup_flow_tuple(const struct clickup_flow *flow, u8 dir)
{
	return &flow->tuple[dir].key;
}

/*
 * Whether a tenant-triggered kernel log line may be printed for @net: the
 * initial netns always, others only with net.netfilter.nf_log_all_netns=1
 * (as nf_log); rate limited per netns.
 */
bool clickup_net_log_ok(struct net *net);

/* printf-style extack message; works on kernels without _FMT support. */
__printf(2, 3)
void clickup_extack_fmt(struct netlink_ext_ack *extack, const char *fmt, ...);

/*
 * Argument helpers for init(), in the spirit of Click's Args: each reads
 * argument @idx (0-based) of @atom, stores the value only when it is valid,
 * and otherwise sets a message "argument N: ..." (N 1-based) and returns a
 * negative errno. The core prefixes every message init() leaves with
 * "atom 'NAME' (TYPE): ". Optional arguments: check argc first.
 */
__printf(3, 4)
void clickup_arg_error(struct netlink_ext_ack *extack, u32 idx,
		       const char *fmt, ...);
int clickup_arg_u32(const struct clickup_atom *atom, u32 idx, u32 min,
		    u32 max, u32 *out, struct netlink_ext_ack *extack);
int clickup_arg_int(const struct clickup_atom *atom, u32 idx, int min,
		    int max, int *out, struct netlink_ext_ack *extack);
int clickup_arg_range(const struct clickup_atom *atom, u32 idx, u32 min,
		      u32 max, u32 *lo, u32 *hi,
		      struct netlink_ext_ack *extack);
int clickup_arg_ipv4(const struct clickup_atom *atom, u32 idx, __be32 *addr,
		     struct netlink_ext_ack *extack);
int clickup_arg_prefix(const struct clickup_atom *atom, u32 idx,
		       __be32 *addr, u8 *len, struct netlink_ext_ack *extack);
int clickup_arg_mac(const struct clickup_atom *atom, u32 idx, u8 *mac,
		    struct netlink_ext_ack *extack);
int clickup_arg_ethertype(const struct clickup_atom *atom, u32 idx,
			  __be16 *type, struct netlink_ext_ack *extack);
int clickup_arg_enum(const struct clickup_atom *atom, u32 idx,
		     const char *const *names, u32 n, u32 *out,
		     struct netlink_ext_ack *extack);
int clickup_arg_string(const struct clickup_atom *atom, u32 idx, char *buf,
		       size_t size, struct netlink_ext_ack *extack);
int clickup_arg_ifindex(const struct clickup_atom *atom, u32 idx,
			int *ifindex, struct netlink_ext_ack *extack);
struct clickup_table *clickup_arg_table(struct clickup_atom *atom, u32 idx,
					const char *def,
					struct netlink_ext_ack *extack);

/* The same parsers on a piece of a string, for atoms with a syntax. */
int clickup_parse_u32(const char *s, size_t len, u32 min, u32 max, u32 *out);
int clickup_parse_ipv4(const char *s, size_t len, __be32 *addr);
int clickup_parse_prefix(const char *s, size_t len, __be32 *addr, u8 *plen);

#define MODULE_ALIAS_CLICKUP_ATOM(name) MODULE_ALIAS("clickup-atom-" name)

/* One atom type per module: registers at init, unregisters at exit. */
#define module_clickup_atom(__type) \
	module_driver(__type, clickup_atom_register, clickup_atom_unregister)

#endif /* _NET_CLICKUP_H */
