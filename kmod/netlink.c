// SPDX-License-Identifier: GPL-2.0
/*
 * The NE requests of the "clickup" genl family (family.c): create,
 * upgrade and delete NEs, dump NEs, DAGs and atom types, and the events
 * announcing changes.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ktime.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "internal.h"

static int clickup_put_times(struct sk_buff *skb,
			     const struct clickup_swap_times *t)
{
	struct nlattr *nest = nla_nest_start(skb, CLICKUP_A_TIMES);

	if (!nest ||
	    nla_put_u64_64bit(skb, CLICKUP_TIMES_A_VALIDATE, t->validate,
			      CLICKUP_TIMES_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TIMES_A_LOAD, t->load,
			      CLICKUP_TIMES_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TIMES_A_INSTANTIATE, t->instantiate,
			      CLICKUP_TIMES_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TIMES_A_PUBLISH, t->publish,
			      CLICKUP_TIMES_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_TIMES_A_TOTAL, t->total,
			      CLICKUP_TIMES_A_PAD) ||
	    nla_put_u32(skb, CLICKUP_TIMES_A_LOADED, t->loaded) ||
	    nla_put_u32(skb, CLICKUP_TIMES_A_NEW_ATOMS, t->new_atoms) ||
	    nla_put_u32(skb, CLICKUP_TIMES_A_MIGRATED, t->migrated))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static struct sk_buff *clickup_event_msg(u32 portid, u32 seq, u8 cmd,
					 const char *name, u64 generation,
					 const struct clickup_swap_times *times)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, portid, seq, &clickup_family, 0, cmd);
	if (!hdr ||
	    nla_put_string(skb, CLICKUP_A_NE_NAME, name) ||
	    nla_put_u64_64bit(skb, CLICKUP_A_GENERATION, generation,
			      CLICKUP_A_PAD) ||
	    (times && clickup_put_times(skb, times))) {
		nlmsg_free(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

void clickup_notify(struct net *net, u8 cmd, const char *name, u64 generation,
		    const struct clickup_swap_times *times)
{
	struct sk_buff *skb;

	skb = clickup_event_msg(0, 0, cmd, name, generation, times);
	if (skb)
		genlmsg_multicast_netns(&clickup_family, net, skb, 0,
					CLICKUP_MCGRP_EVENTS_IDX, GFP_KERNEL);
}

/* GENL_REQ_ATTR_CHECK, plus a text for users whose tools show only that. */
bool clickup_missing(struct genl_info *info, int attr, const char *what)
{
	if (!GENL_REQ_ATTR_CHECK(info, attr))
		return false;
	clickup_extack_fmt(info->extack, "missing attribute: %s", what);
	return true;
}

/* NE_NEW and NE_UPGRADE: the pipeline is swap.c's. */
int clickup_nl_swap(struct sk_buff *skb, struct genl_info *info)
{
	u8 cmd = info->genlhdr->cmd;
	struct net *net = genl_info_net(info);
	struct clickup_swap_times times = {};
	struct sk_buff *reply;
	const char *name;
	u64 generation;
	int err;

	if (clickup_missing(info, CLICKUP_A_NE_NAME, "network element name") ||
	    clickup_missing(info, CLICKUP_A_DAG, "DAG"))
		return -EINVAL;
	name = nla_data(info->attrs[CLICKUP_A_NE_NAME]);
	if (!*name) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[CLICKUP_A_NE_NAME],
				    "empty network element name");
		return -EINVAL;
	}
	err = clickup_swap(net, name, cmd == CLICKUP_CMD_NE_NEW,
			   !nla_get_flag(info->attrs[CLICKUP_A_NO_AUTOLOAD]),
			   info->attrs[CLICKUP_A_DAG], &times, &generation,
			   info->extack);
	if (err)
		return err;

	clickup_log(net, "ne %s %s: generation %llu in %llu us (%u new atoms, %u migrated, %u modules loaded), netns %u\n",
		    name, cmd == CLICKUP_CMD_NE_NEW ? "created" : "upgraded",
		    generation, div_u64(times.total, NSEC_PER_USEC),
		    times.new_atoms, times.migrated, times.loaded,
		    net->ns.inum);
	clickup_notify(net, cmd, name, generation, &times);
	reply = clickup_event_msg(info->snd_portid, info->snd_seq, cmd, name,
				  generation, &times);
	return reply ? genlmsg_reply(reply, info) : -ENOMEM;
}

int clickup_nl_del(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	char name[CLICKUP_NAME_MAX];
	u64 generation;
	int err;

	if (clickup_missing(info, CLICKUP_A_NE_NAME, "network element name"))
		return -EINVAL;
	nla_strscpy(name, info->attrs[CLICKUP_A_NE_NAME], sizeof(name));
	err = clickup_ne_delete(net, name, &generation, info->extack);
	if (err)
		return err;
	clickup_log(net, "ne %s deleted at generation %llu, netns %u\n", name,
		    generation, net->ns.inum);
	clickup_notify(net, CLICKUP_CMD_NE_DEL, name, generation, NULL);
	return 0;
}

static int clickup_ne_fill(struct sk_buff *skb, u32 portid, u32 seq, int flags,
			   struct netlink_callback *cb,
			   const struct clickup_ne *ne)
{
	const struct clickup_dag *dag;
	void *hdr;

	dag = rcu_dereference_protected(ne->dag,
					lockdep_is_held(clickup_net_mutex(ne->net)));
	hdr = genlmsg_put(skb, portid, seq, &clickup_family, flags,
			  CLICKUP_CMD_NE_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	if (nla_put_string(skb, CLICKUP_A_NE_NAME, ne->name) ||
	    nla_put_u64_64bit(skb, CLICKUP_A_GENERATION, ne->generation,
			      CLICKUP_A_PAD) ||
	    nla_put_u32(skb, CLICKUP_A_NR_ATOMS, dag->nr_atoms) ||
	    nla_put_u32(skb, CLICKUP_A_NR_EDGES, dag->nr_edges) ||
	    nla_put_u32(skb, CLICKUP_A_NR_ENTRIES, dag->nr_entries) ||
	    nla_put_u32(skb, CLICKUP_A_NR_DETACHED, clickup_ne_detached(ne))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int clickup_nl_ne_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	const struct clickup_ne *ne;
	struct sk_buff *reply;
	int err;

	if (clickup_missing(info, CLICKUP_A_NE_NAME, "network element name"))
		return -EINVAL;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	mutex_lock(clickup_net_mutex(net));
	ne = clickup_ne_find(net, nla_data(info->attrs[CLICKUP_A_NE_NAME]));
	if (!ne) {
		clickup_extack_fmt(info->extack, "no network element '%s'",
				   (char *)nla_data(info->attrs[CLICKUP_A_NE_NAME]));
		err = -ENOENT;
	} else {
		err = clickup_ne_fill(reply, info->snd_portid, info->snd_seq, 0,
				      NULL, ne);
	}
	mutex_unlock(clickup_net_mutex(net));
	if (err) {
		nlmsg_free(reply);
		return err;
	}
	return genlmsg_reply(reply, info);
}

/*
 * Dump cursor: cb->args[0] = NEs already sent; an NE created or deleted
 * between two parts flags NLM_F_DUMP_INTR (cb->seq), so readers retry.
 */
int clickup_nl_ne_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	const struct clickup_ne *ne;
	long idx = 0;

	mutex_lock(clickup_net_mutex(net));
	cb->seq = clickup_net_seq(net);
	list_for_each_entry(ne, clickup_net_nes(net), list) {
		if (idx < cb->args[0]) {
			idx++;
			continue;
		}
		if (clickup_ne_fill(skb, NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI, cb, ne))
			break;
		idx++;
	}
	mutex_unlock(clickup_net_mutex(net));
	cb->args[0] = idx;
	return skb->len;
}

/* CLICKUP_TYPE_A_ALIASES: a nest of CLICKUP_TYPE_A_NAME strings, if any. */
static int clickup_type_fill_aliases(struct sk_buff *skb,
				     const struct clickup_atom_type *type)
{
	const char *const *alias = type->aliases;
	struct nlattr *nest;

	if (!alias || !*alias)
		return 0;
	nest = nla_nest_start(skb, CLICKUP_TYPE_A_ALIASES);
	if (!nest)
		return -EMSGSIZE;
	for (; *alias; alias++)
		if (nla_put_string(skb, CLICKUP_TYPE_A_NAME, *alias))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct clickup_type_dump {
	struct sk_buff		*skb;
	struct netlink_callback	*cb;
};

static int clickup_type_fill(const struct clickup_atom_type *type, void *arg)
{
	struct clickup_type_dump *d = arg;
	struct netlink_callback *cb = d->cb;
	struct sk_buff *skb = d->skb;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &clickup_family, NLM_F_MULTI, CLICKUP_CMD_ATOM_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(skb, CLICKUP_A_TYPE);
	if (!nest ||
	    nla_put_string(skb, CLICKUP_TYPE_A_NAME, type->name) ||
	    nla_put_string(skb, CLICKUP_TYPE_A_MODULE,
			   module_name(type->owner)) ||
	    nla_put_u32(skb, CLICKUP_TYPE_A_INPUTS, type->inputs) ||
	    nla_put_u32(skb, CLICKUP_TYPE_A_OUTPUTS, type->outputs) ||
	    nla_put_u32(skb, CLICKUP_TYPE_A_PRIV_SIZE, type->priv_size) ||
	    nla_put_u32(skb, CLICKUP_TYPE_A_FLAGS, type->flags) ||
	    nla_put_u32(skb, CLICKUP_TYPE_A_USERS, atomic_read(&type->users)) ||
	    clickup_type_fill_aliases(skb, type)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/* Dump cursor: cb->args[0] = types already sent; NLM_F_DUMP_INTR on races. */
int clickup_nl_type_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct clickup_type_dump d = { .skb = skb, .cb = cb };

	/* cb->seq is set before the first message is checked against it. */
	cb->args[0] = clickup_types_walk(cb->args[0], clickup_type_fill, &d,
					 &cb->seq);
	return skb->len;
}

static int clickup_put_atom(struct sk_buff *skb, const struct clickup_dag *dag,
			    const struct clickup_atom *atom)
{
	struct nlattr *nest, *list, *item;
	u64 packets, bytes, drops;
	u32 i;

	clickup_stats_read(atom->stats, &packets, &bytes, &drops);
	nest = nla_nest_start(skb, CLICKUP_A_ATOM);
	if (!nest ||
	    nla_put_u32(skb, CLICKUP_ATOM_A_INDEX, atom->index) ||
	    nla_put_string(skb, CLICKUP_ATOM_A_NAME, atom->name) ||
	    nla_put_string(skb, CLICKUP_ATOM_A_TYPE, atom->type->name) ||
	    nla_put_u32(skb, CLICKUP_ATOM_A_NR_OUTPUTS, atom->nr_outputs) ||
	    nla_put_u64_64bit(skb, CLICKUP_ATOM_A_PACKETS, packets,
			      CLICKUP_ATOM_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_ATOM_A_BYTES, bytes,
			      CLICKUP_ATOM_A_PAD) ||
	    nla_put_u64_64bit(skb, CLICKUP_ATOM_A_DROPS, drops,
			      CLICKUP_ATOM_A_PAD) ||
	    (atom->table[0] &&
	     nla_put_string(skb, CLICKUP_ATOM_A_TABLE, atom->table)))
		return -EMSGSIZE;
	for (i = 0; i < dag->nr_entries; i++)
		if (dag->entries[i].atom == atom &&
		    !READ_ONCE(dag->entries[i].hook->registered) &&
		    nla_put_flag(skb, CLICKUP_ATOM_A_DETACHED))
			return -EMSGSIZE;
	list = nla_nest_start(skb, CLICKUP_ATOM_A_ARGS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < atom->argc; i++) {
		item = nla_nest_start(skb, i + 1);
		if (!item ||
		    nla_put_string(skb, CLICKUP_ARG_A_VALUE, atom->argv[i]))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, list);
	list = nla_nest_start(skb, CLICKUP_ATOM_A_EDGES);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < atom->nr_outputs; i++) {
		if (!atom->next[i])
			continue;
		item = nla_nest_start(skb, i + 1);
		if (!item ||
		    nla_put_u32(skb, CLICKUP_EDGE_A_PORT, i) ||
		    nla_put_u32(skb, CLICKUP_EDGE_A_DST, atom->next[i]->index) ||
		    nla_put_u32(skb, CLICKUP_EDGE_A_DST_PORT,
				atom->next_in[i]))
			return -EMSGSIZE;
		nla_nest_end(skb, item);
	}
	nla_nest_end(skb, list);
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The largest message of a DAG dump: one atom with every argument and
 * output port in use, plus the message's own headers.
 */
#define CLICKUP_ATOM_MSG_MAX						\
	(NLMSG_HDRLEN + GENL_HDRLEN + 2 * nla_total_size(CLICKUP_NAME_MAX) + \
	 nla_total_size_64bit(8) +					\
	 nla_total_size(0) + 3 * nla_total_size(CLICKUP_NAME_MAX) +	\
	 3 * nla_total_size(4) + 3 * nla_total_size_64bit(8) +		\
	 nla_total_size(0) + CLICKUP_MAX_ARGS *				\
	 nla_total_size(nla_total_size(CLICKUP_ARG_MAX)) +		\
	 nla_total_size(0) + CLICKUP_MAX_PORTS *			\
	 nla_total_size(3 * nla_total_size(4)) + 256)

/* Room for any one atom, whatever the reader's buffer: no dump sticks. */
int clickup_nl_dag_dump_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = CLICKUP_ATOM_MSG_MAX;
	return 0;
}

/*
 * One message per atom. cb->args[0] = next atom index; a DAG replaced
 * mid-dump restarts nothing but flags NLM_F_DUMP_INTR (cb->seq is the
 * generation) so the reader retries.
 */
int clickup_nl_dag_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	const struct nlattr *nla = clickup_dumpit_attrs(cb)[CLICKUP_A_NE_NAME];
	const struct clickup_dag *dag;
	const struct clickup_ne *ne;
	u32 i;
	int err = 0;

	/* Checked here, not in .start: 6.1 gives .start no extack. */
	if (!nla) {
		NL_SET_ERR_MSG(cb->extack,
			       "missing attribute: network element name");
		return -EINVAL;
	}
	mutex_lock(clickup_net_mutex(net));
	ne = clickup_ne_find(net, nla_data(nla));
	if (!ne) {
		/* Dumps get constant texts on 6.1 (extack.c). */
		NL_SET_ERR_MSG_ATTR(cb->extack, nla, "no such network element");
		err = -ENOENT;
		goto out;
	}
	dag = rcu_dereference_protected(ne->dag,
					lockdep_is_held(clickup_net_mutex(net)));
	cb->seq = ne->generation;
	for (i = cb->args[0]; i < dag->nr_atoms; i++) {
		void *hdr;

		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &clickup_family,
				  NLM_F_MULTI, CLICKUP_CMD_DAG_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (nla_put_string(skb, CLICKUP_A_NE_NAME, ne->name) ||
		    nla_put_u64_64bit(skb, CLICKUP_A_GENERATION, ne->generation,
				      CLICKUP_A_PAD) ||
		    clickup_put_atom(skb, dag, dag->atoms[i])) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	if (i == cb->args[0] && i < dag->nr_atoms)
		err = -EMSGSIZE;	/* one atom larger than a dump skb */
	cb->args[0] = i;
out:
	mutex_unlock(clickup_net_mutex(net));
	return err ?: skb->len;
}
