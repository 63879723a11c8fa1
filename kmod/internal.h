/* SPDX-License-Identifier: GPL-2.0 */
/* CLICK-UP core: structures shared by the core's own files only. */
#ifndef _CLICKUP_INTERNAL_H
#define _CLICKUP_INTERNAL_H

#include <linux/mutex.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>
#include <net/clickup.h>
#include "compat.h"

struct clickup_cpu_stats {
	u64_stats_t		packets;
	u64_stats_t		bytes;
	u64_stats_t		drops;
	struct u64_stats_sync	syncp;
};

/* Counters of one atom; refcounted so a same-named successor keeps them. */
struct clickup_stats {
	refcount_t				ref;
	struct clickup_cpu_stats __percpu	*pcpu;
	/* What a "reset" handler zeroed: subtracted from the sums (the
	 * per-CPU counters belong to their CPUs). Netns mutex.
	 */
	u64					base_packets;
	u64					base_bytes;
	u64					base_drops;
};

struct clickup_ne;

/* One netfilter hook registration, shared by the DAGs of one NE. */
struct clickup_hook {
	struct list_head	list;		/* ne->hooks */
	struct nf_hook_ops	ops;
	struct clickup_ne	*ne;
	struct clickup_entry	key;
	bool			registered;
	bool			in_use;		/* by the DAG being built */
	struct rcu_head		rcu;
};

struct clickup_dag_entry {
	struct clickup_hook	*hook;
	struct clickup_atom	*atom;
};

struct clickup_dag {
	u32			nr_atoms;
	u32			nr_edges;
	u32			nr_entries;
	u32			nr_inited;	/* atoms whose init() ran */
	u32			nr_new;		/* atoms with fresh counters */
	u32			nr_migrated;	/* took over from the old DAG */
	struct clickup_atom	**atoms;
	struct clickup_dag_entry entries[CLICKUP_MAX_ENTRIES];
	struct hlist_head	*names;		/* atoms by name */
	u32			names_bits;
	struct rcu_work		free_work;
};

struct clickup_ne {
	struct list_head		list;	/* clickup_net->nes */
	struct net			*net;
	struct clickup_dag __rcu	*dag;
	struct list_head		hooks;
	u64				generation;
	char				name[CLICKUP_NAME_MAX];
	struct rcu_head			rcu;
};

/* What a create/upgrade request asks for, parsed but not yet built. */
struct clickup_spec_atom {
	const char			*name;
	const char			*type_name;
	u32				argc;
	char				*argv[CLICKUP_MAX_ARGS];
	int				fd;	/* CLICKUP_ATOM_A_FD or -1 */
	const struct nlattr		*nla;
	struct clickup_atom_type	*type;	/* holds a module ref */
};

struct clickup_spec_edge {
	u32	src, port, dst, dst_port;
	const struct nlattr *nla;
};

struct clickup_spec {
	u32				nr_atoms;
	u32				nr_edges;
	struct clickup_spec_atom	*atoms;
	struct clickup_spec_edge	*edges;
};

struct clickup_swap_times {
	u64	validate, load, instantiate, publish, total;
	u32	loaded, new_atoms, migrated;
};

extern struct genl_family clickup_family;
/* policy.c */
extern const struct nla_policy clickup_policy[CLICKUP_A_MAX + 1];
extern const struct nla_policy clickup_dag_policy[CLICKUP_DAG_A_MAX + 1];
extern const struct nla_policy clickup_atom_policy[CLICKUP_ATOM_A_MAX + 1];
extern const struct nla_policy clickup_edge_policy[CLICKUP_EDGE_A_MAX + 1];
extern const struct nla_policy clickup_arg_policy[CLICKUP_ARG_A_MAX + 1];

struct clickup_table {
	struct rhashtable	ht;
	struct list_head	list;		/* per-netns tables */
	refcount_t		ref;		/* the list, atoms, requests, dumps */
	atomic_t		count;
	u32			max;
	atomic64_t		inserted;
	atomic64_t		refused;	/* full or out of memory */
	atomic64_t		expired;
	atomic64_t		invalid;	/* tracker: out of window */
	atomic64_t		evicted;	/* unassured, dropped early */
	u8			policy;		/* enum clickup_table_policy */
	/* Seconds, by enum clickup_timeout_attr ([0] unused). */
	u32			timeouts[__CLICKUP_TIMEOUT_A_MAX];
	struct delayed_work	gc;
	char			name[CLICKUP_NAME_MAX];
	atomic_t		users;		/* atoms (clickup_table_get) */
	/* Bumped by every netlink change (not by packets or the GC). */
	atomic_t		gen;
	/* The GC's bucket cursor between two runs of one pass. */
	unsigned int		gc_cursor;
	bool			gc_walking;
	u64			gc_pass_start;	/* ns */
	u64			gc_pass_ns;	/* the longest whole pass */
	u64			gc_step_ns;	/* the longest step so far */
	struct rcu_work		free_work;
};

extern struct workqueue_struct *clickup_wq;

/* registry.c */
struct clickup_atom_type *clickup_type_get(const char *name, bool autoload,
					   bool *loaded);
void clickup_type_put(struct clickup_atom_type *type);
long clickup_types_walk(long start,
			int (*fn)(const struct clickup_atom_type *type, void *arg),
			void *arg, u32 *seq);

/* spec.c: netlink request -> validated spec */
int clickup_spec_parse(struct clickup_spec *spec, const struct nlattr *nla,
		       struct netlink_ext_ack *extack);
int clickup_spec_check_graph(const struct clickup_spec *spec,
			     struct netlink_ext_ack *extack);
int clickup_spec_load(struct clickup_spec *spec, bool autoload, u32 *loaded,
		      struct netlink_ext_ack *extack);
void clickup_spec_free(struct clickup_spec *spec);

/* dag.c: spec -> live DAG */
struct clickup_dag *clickup_dag_build(const struct clickup_spec *spec,
				      struct net *net, const char *ne_name,
				      const struct clickup_dag *old,
				      struct netlink_ext_ack *extack);
void clickup_dag_destroy(struct clickup_dag *dag);
void clickup_dag_free_rcu(struct clickup_dag *dag);
struct clickup_atom *clickup_dag_lookup(const struct clickup_dag *dag,
					const char *name);
void clickup_stats_read(const struct clickup_stats *stats, u64 *packets,
			u64 *bytes, u64 *drops);

/* ne.c */
struct clickup_ne *clickup_ne_find(struct net *net, const char *name);
struct clickup_ne *clickup_ne_new(struct net *net, const char *name,
				  struct netlink_ext_ack *extack);
void clickup_ne_abort_new(struct clickup_ne *ne);
int clickup_ne_attach(struct clickup_ne *ne, struct clickup_dag *dag,
		      struct netlink_ext_ack *extack);
struct clickup_dag *clickup_ne_publish(struct clickup_ne *ne,
				       struct clickup_dag *dag, bool new_ne);
void clickup_wait_frees(void);

/* swap.c: the create/upgrade pipeline */
int clickup_swap(struct net *net, const char *name, bool create,
		 bool autoload, const struct nlattr *dag_nla,
		 struct clickup_swap_times *times, u64 *generation,
		 struct netlink_ext_ack *extack);
int clickup_ne_delete(struct net *net, const char *name, u64 *generation,
		      struct netlink_ext_ack *extack);
struct list_head *clickup_net_nes(struct net *net);
struct mutex *clickup_net_mutex(struct net *net);
u32 clickup_net_seq(struct net *net);
u32 clickup_ne_detached(const struct clickup_ne *ne);
__printf(2, 3) void clickup_log(struct net *net, const char *fmt, ...);
int clickup_ne_init(void);
void clickup_ne_exit(void);

/* state.c */
bool clickup_flow_reap(struct clickup_table *table, struct clickup_flow *flow);
int clickup_state_init(void);
void clickup_state_exit(void);
struct clickup_table *clickup_table_find(struct net *net, const char *name);
struct clickup_table *clickup_table_get_net(struct net *net, const char *name,
					    struct netlink_ext_ack *extack);
void clickup_table_unlink(struct net *net, struct clickup_table *table);
unsigned int clickup_flow_size(void);
struct list_head *clickup_net_tables(struct net *net);
u32 clickup_net_tables_gen(struct net *net);
unsigned int clickup_table_max_limit(void);
bool clickup_flow_expired(const struct clickup_flow *flow);
struct clickup_flow *clickup_flow_alloc(gfp_t gfp);
void clickup_flow_free(struct clickup_flow *flow);
int clickup_flow_add(struct clickup_table *table, struct clickup_flow *flow);
void clickup_flow_scan(struct clickup_table *table,
		       struct clickup_flow_tuple *tuple, bool all);
struct clickup_flow *clickup_tuple_original(struct clickup_flow_tuple *t);
extern const u32 clickup_default_timeouts[__CLICKUP_TIMEOUT_A_MAX];

/* state_track.c */
u32 clickup_flow_timeout_secs(const struct clickup_table *table,
			      const struct clickup_flow *flow, u8 state);
unsigned long clickup_flow_timeout(const struct clickup_table *table,
				   const struct clickup_flow *flow, u8 state);
void clickup_flow_expire_in(struct clickup_flow *flow, u32 secs, bool force);

/* state_flow.c */
extern struct kmem_cache *clickup_flow_cache;
int clickup_flow_ht_init(struct rhashtable *ht);
void clickup_flow_ht_destroy(struct rhashtable *ht);

/* state_tcp.c */
int clickup_tcp_track(struct clickup_table *table, struct clickup_flow *flow,
		      const struct sk_buff *skb, const struct clickup_l4 *l4,
		      u8 dir);
void clickup_table_unref(struct clickup_table *table);

/* state_gc.c */
unsigned long clickup_gc_interval(void);
void clickup_table_gc(struct work_struct *work);
void clickup_table_flush(struct clickup_table *table);

/* state_nl.c, state_flow_nl.c */
const char *clickup_table_name(struct genl_info *info);
struct clickup_table *clickup_table_lookup(struct net *net, const char *name,
					   struct netlink_ext_ack *extack);
extern const struct nla_policy clickup_flow_policy[CLICKUP_FLOW_A_MAX + 1];
extern const struct nla_policy clickup_tcp_policy[CLICKUP_TCP_A_MAX + 1];
extern const struct nla_policy clickup_timeout_policy[CLICKUP_TIMEOUT_A_MAX + 1];
int clickup_nl_table_dump(struct sk_buff *skb, struct netlink_callback *cb);
int clickup_nl_table_set(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_table_empty(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_flow_dump_start(struct netlink_callback *cb);
int clickup_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb);
int clickup_nl_flow_dump_done(struct netlink_callback *cb);
int clickup_nl_flow_new(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_flow_del(struct sk_buff *skb, struct genl_info *info);

/* datapath.c */
unsigned int clickup_hook_fn(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state);

/* extack.c: the request a doit runs in (formatted extack text) */
struct clickup_req {
#ifndef CLICKUP_HAVE_EXTACK_FMT
	struct list_head		list;
	struct netlink_ext_ack		*extack;
	char				msg[CLICKUP_EXTACK_LEN];
#endif
};

#ifdef CLICKUP_HAVE_EXTACK_FMT
static inline void clickup_req_begin(struct clickup_req *req,
				     struct netlink_ext_ack *extack)
{
}

static inline int clickup_req_end(struct clickup_req *req,
				  struct sk_buff *skb,
				  const struct nlmsghdr *nlh, int err)
{
	return err;
}
#else
void clickup_req_begin(struct clickup_req *req, struct netlink_ext_ack *extack);
int clickup_req_end(struct clickup_req *req, struct sk_buff *skb,
		    struct nlmsghdr *nlh, int err);
#endif

/* handler.c */
int clickup_nl_handler(struct sk_buff *skb, struct genl_info *info);

/* family.c: the genl family, its ops and their dispatch */
#define CLICKUP_MCGRP_EVENTS_IDX	0
int clickup_genl_init(void);
void clickup_genl_exit(void);

/* netlink.c: NE, DAG and atom type requests, events */
bool clickup_missing(struct genl_info *info, int attr, const char *what);
void clickup_notify(struct net *net, u8 cmd, const char *name, u64 generation,
		    const struct clickup_swap_times *times);
int clickup_nl_swap(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_del(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_ne_get(struct sk_buff *skb, struct genl_info *info);
int clickup_nl_ne_dump(struct sk_buff *skb, struct netlink_callback *cb);
int clickup_nl_type_dump(struct sk_buff *skb, struct netlink_callback *cb);
int clickup_nl_dag_dump_start(struct netlink_callback *cb);
int clickup_nl_dag_dump(struct sk_buff *skb, struct netlink_callback *cb);

#endif /* _CLICKUP_INTERNAL_H */
