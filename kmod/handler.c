// SPDX-License-Identifier: GPL-2.0
/*
 * Read and write handlers (Click's): HANDLER_READ and HANDLER_WRITE name an
 * NE, one of its atoms and a handler. An atom has its type's handlers and
 * the core's, which every atom shares (name, class, config, counters, and
 * its state table's when it uses one).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/slab.h>
#include <net/genetlink.h>
#include "internal.h"

static int clickup_h_name(struct clickup_atom *atom, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s", atom->name);
}

static int clickup_h_class(struct clickup_atom *atom, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s", atom->type->name);
}

static int clickup_h_config(struct clickup_atom *atom, char *buf, size_t size)
{
	size_t len = 0;
	u32 i;

	buf[0] = '\0';
	for (i = 0; i < atom->argc; i++)
		len += scnprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				 atom->argv[i]);
	return len;
}

static int clickup_h_counter(struct clickup_atom *atom, char *buf,
			     size_t size, int which)
{
	u64 v[3];

	clickup_stats_read(atom->stats, &v[0], &v[1], &v[2]);
	return scnprintf(buf, size, "%llu", v[which]);
}

static int clickup_h_packets(struct clickup_atom *atom, char *buf, size_t size)
{
	return clickup_h_counter(atom, buf, size, 0);
}

static int clickup_h_bytes(struct clickup_atom *atom, char *buf, size_t size)
{
	return clickup_h_counter(atom, buf, size, 1);
}

static int clickup_h_drops(struct clickup_atom *atom, char *buf, size_t size)
{
	return clickup_h_counter(atom, buf, size, 2);
}

static int clickup_h_table(struct clickup_atom *atom, char *buf, size_t size)
{
	return scnprintf(buf, size, "%s", atom->table);
}

static int clickup_h_table_size(struct clickup_atom *atom, char *buf,
				size_t size)
{
	struct clickup_table *t = clickup_table_find(atom->net, atom->table);

	return t ? scnprintf(buf, size, "%d", atomic_read(&t->count)) : -ENOENT;
}

static int clickup_h_table_max(struct clickup_atom *atom, char *buf,
			       size_t size)
{
	struct clickup_table *t = clickup_table_find(atom->net, atom->table);

	return t ? scnprintf(buf, size, "%u", READ_ONCE(t->max)) : -ENOENT;
}

static int clickup_h_handlers(struct clickup_atom *atom, char *buf,
			      size_t size);

/* Never called: the doit flushes outside the netns mutex (see below). */
static int clickup_h_flush(struct clickup_atom *atom, const char *value,
			   struct netlink_ext_ack *extack)
{
	return -EOPNOTSUPP;
}

struct clickup_core_handler {
	struct clickup_handler	h;
	bool			table;	/* only for atoms with a state table */
};

static const struct clickup_core_handler clickup_core_handlers[] = {
	{ { "name", clickup_h_name } },
	{ { "class", clickup_h_class } },
	{ { "config", clickup_h_config } },
	{ { "handlers", clickup_h_handlers } },
	{ { "packets", clickup_h_packets } },
	{ { "bytes", clickup_h_bytes } },
	{ { "drops", clickup_h_drops } },
	{ { "table", clickup_h_table }, true },
	{ { "table_size", clickup_h_table_size }, true },
	{ { "table_max", clickup_h_table_max }, true },
	{ { "flush", NULL, clickup_h_flush }, true },
};

#define CLICKUP_FLUSH_HANDLER \
	(&clickup_core_handlers[ARRAY_SIZE(clickup_core_handlers) - 1].h)

static const struct clickup_handler *
clickup_type_handler(const struct clickup_atom *atom, const char *name)
{
	const struct clickup_handler *h = atom->type->handlers;

	for (; h && h->name; h++)
		if (!strcmp(h->name, name))
			return h;
	return NULL;
}

static bool clickup_core_applies(const struct clickup_atom *atom,
				 const struct clickup_core_handler *ch)
{
	return (!ch->table || atom->table[0]) &&
	       !clickup_type_handler(atom, ch->h.name);
}

static const struct clickup_handler *
clickup_handler_find(const struct clickup_atom *atom, const char *name)
{
	const struct clickup_handler *h = clickup_type_handler(atom, name);
	unsigned int i;

	if (h)
		return h;
	for (i = 0; i < ARRAY_SIZE(clickup_core_handlers); i++)
		if (clickup_core_applies(atom, &clickup_core_handlers[i]) &&
		    !strcmp(clickup_core_handlers[i].h.name, name))
			return &clickup_core_handlers[i].h;
	return NULL;
}

static size_t clickup_h_line(const struct clickup_handler *h, char *buf,
			     size_t size, size_t len)
{
	return len + scnprintf(buf + len, size - len, "%s\t%s%s\n", h->name,
			       h->read ? "r" : "", h->write ? "w" : "");
}

/* Click's "handlers": one "NAME\tr", "\tw" or "\trw" line per handler. */
static int clickup_h_handlers(struct clickup_atom *atom, char *buf,
			      size_t size)
{
	const struct clickup_handler *h = atom->type->handlers;
	size_t len = 0;
	unsigned int i;

	buf[0] = '\0';
	for (; h && h->name; h++)
		len = clickup_h_line(h, buf, size, len);
	for (i = 0; i < ARRAY_SIZE(clickup_core_handlers); i++)
		if (clickup_core_applies(atom, &clickup_core_handlers[i]))
			len = clickup_h_line(&clickup_core_handlers[i].h, buf,
					     size, len);
	return len;
}

static int clickup_handler_reply(struct genl_info *info, const char *ne,
				 const char *atom, const char *handler,
				 const char *value, u64 generation)
{
	struct sk_buff *skb;
	void *hdr;

	skb = genlmsg_new(3 * nla_total_size(CLICKUP_NAME_MAX) +
			  nla_total_size(strlen(value) + 1) +
			  nla_total_size_64bit(8), GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	hdr = genlmsg_put_reply(skb, info, &clickup_family, 0,
				CLICKUP_CMD_HANDLER_READ);
	if (!hdr ||
	    nla_put_string(skb, CLICKUP_A_NE_NAME, ne) ||
	    nla_put_u64_64bit(skb, CLICKUP_A_GENERATION, generation,
			      CLICKUP_A_PAD) ||
	    nla_put_string(skb, CLICKUP_A_ATOM_NAME, atom) ||
	    nla_put_string(skb, CLICKUP_A_HANDLER, handler) ||
	    nla_put_string(skb, CLICKUP_A_HANDLER_VALUE, value)) {
		nlmsg_free(skb);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return genlmsg_reply(skb, info);
}

/* With the netns mutex held: the atom and handler a request names. */
static const struct clickup_handler *
clickup_handler_resolve(struct net *net, struct genl_info *info, bool write,
			struct clickup_atom **atomp, u64 *generation)
{
	const char *ne_name = nla_data(info->attrs[CLICKUP_A_NE_NAME]);
	const char *atom_name = nla_data(info->attrs[CLICKUP_A_ATOM_NAME]);
	const char *name = nla_data(info->attrs[CLICKUP_A_HANDLER]);
	struct netlink_ext_ack *extack = info->extack;
	const struct clickup_handler *h;
	struct clickup_atom *atom;
	struct clickup_dag *dag;
	struct clickup_ne *ne;

	ne = clickup_ne_find(net, ne_name);
	if (!ne) {
		clickup_extack_fmt(extack, "no network element '%s'", ne_name);
		return ERR_PTR(-ENOENT);
	}
	dag = rcu_dereference_protected(ne->dag,
					lockdep_is_held(clickup_net_mutex(net)));
	atom = clickup_dag_lookup(dag, atom_name);
	if (!atom) {
		clickup_extack_fmt(extack, "network element '%s' has no atom '%s'",
				   ne_name, atom_name);
		return ERR_PTR(-ENOENT);
	}
	h = clickup_handler_find(atom, name);
	if (!h) {
		clickup_extack_fmt(extack, "atom '%s' (%s) has no handler '%s'",
				   atom_name, atom->type->name, name);
		return ERR_PTR(-ENOENT);
	}
	if (write ? !h->write : !h->read) {
		clickup_extack_fmt(extack, "handler '%s' of atom '%s' is %s",
				   name, atom_name,
				   write ? "read-only" : "write-only");
		return ERR_PTR(-EOPNOTSUPP);
	}
	*atomp = atom;
	*generation = ne->generation;
	return h;
}

/*
 * HANDLER_READ replies with the value; HANDLER_WRITE acks. A table flush
 * runs after the netns mutex is dropped, holding a table reference, as
 * TABLE_FLUSH does.
 */
int clickup_nl_handler(struct sk_buff *skb, struct genl_info *info)
{
	bool write = info->genlhdr->cmd == CLICKUP_CMD_HANDLER_WRITE;
	const struct nlattr *val = info->attrs[CLICKUP_A_HANDLER_VALUE];
	struct net *net = genl_info_net(info);
	struct clickup_table *table = NULL;
	const struct clickup_handler *h;
	struct clickup_atom *atom;
	u64 generation;
	char *buf;
	int err;

	if (clickup_missing(info, CLICKUP_A_NE_NAME, "network element name") ||
	    clickup_missing(info, CLICKUP_A_ATOM_NAME, "atom name") ||
	    clickup_missing(info, CLICKUP_A_HANDLER, "handler name"))
		return -EINVAL;
	if (!write && val) {
		NL_SET_ERR_MSG_ATTR(info->extack, val,
				    "a handler read takes no value");
		return -EINVAL;
	}
	buf = kmalloc(CLICKUP_HANDLER_VALUE_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	mutex_lock(clickup_net_mutex(net));
	h = clickup_handler_resolve(net, info, write, &atom, &generation);
	if (IS_ERR(h)) {
		err = PTR_ERR(h);
	} else if (h == CLICKUP_FLUSH_HANDLER) {
		table = clickup_table_find(net, atom->table);
		if (table)
			refcount_inc(&table->ref);
		err = table ? 0 : -ENOENT;
	} else if (write) {
		err = h->write(atom, val ? nla_data(val) : "", info->extack);
	} else {
		err = h->read(atom, buf, CLICKUP_HANDLER_VALUE_MAX);
	}
	if (err < 0 && !IS_ERR(h) && !info->extack->_msg)
		clickup_extack_fmt(info->extack, "%s handler '%s' of atom '%s'",
				   write ? "cannot write" : "cannot read",
				   h->name, atom->name);
	mutex_unlock(clickup_net_mutex(net));
	if (table) {
		clickup_table_flush(table);
		clickup_table_unref(table);
	}
	if (err >= 0 && !write)
		err = clickup_handler_reply(info, nla_data(info->attrs[CLICKUP_A_NE_NAME]),
					    nla_data(info->attrs[CLICKUP_A_ATOM_NAME]),
					    h->name, buf, generation);
	else if (err >= 0)
		clickup_log(net, "ne %s atom %s: handler %s written, netns %u\n",
			    (char *)nla_data(info->attrs[CLICKUP_A_NE_NAME]),
			    (char *)nla_data(info->attrs[CLICKUP_A_ATOM_NAME]),
			    h->name, net->ns.inum);
	kfree(buf);
	return err < 0 ? err : 0;
}
