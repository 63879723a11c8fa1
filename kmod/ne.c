// SPDX-License-Identifier: GPL-2.0
/*
 * Network elements: per-netns named DAGs, the netfilter hooks their entry
 * atoms attach to, and the swap that replaces a DAG in one pointer store.
 *
 * Locking: each netns has its own mutex (clickup_net_mutex()) that
 * serialises requests in it: parsing, building and tearing down DAGs and
 * state run under it alone, so one tenant's big job neither blocks
 * another's nor holds RTNL. RTNL is taken inside it only for what touches
 * devices and hooks: attach, publish, unhook. The NE list and each NE's
 * hooks change only with both held, so the netdev notifier (under RTNL)
 * reads them with RTNL alone and never waits on a request.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/netdevice.h>
#include <linux/ratelimit.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netfilter/nf_log.h>
#include <net/netns/generic.h>
#include "internal.h"

static unsigned int max_nes = 64;
module_param(max_nes, uint, 0644);
MODULE_PARM_DESC(max_nes, "network elements per netns (default 64)");

struct clickup_net {
	struct mutex		mutex;
	struct list_head	nes;
	unsigned int		nr_nes;
	u32			seq;	/* NE list changes, for dumps */
	struct ratelimit_state	log_rs;
};

static unsigned int clickup_net_id __read_mostly;

static struct clickup_net *clickup_net(struct net *net)
{
	return net_generic(net, clickup_net_id);
}

struct mutex *clickup_net_mutex(struct net *net)
{
	return &clickup_net(net)->mutex;
}

struct list_head *clickup_net_nes(struct net *net)
{
	return &clickup_net(net)->nes;
}

u32 clickup_net_seq(struct net *net)
{
	return READ_ONCE(clickup_net(net)->seq);
}

/**
 * clickup_net_log_ok - may a tenant-triggered log line be printed for @net
 * @net: the netns whose element or packet causes the line
 *
 * The initial netns always may; another only with
 * net.netfilter.nf_log_all_netns=1, as the kernel's LOG target. Either way
 * at most 100 lines per 5 s per netns. Callable from any context.
 *
 * Return: true if the caller may print one line now.
 */
bool clickup_net_log_ok(struct net *net)
{
	if (!net_eq(net, &init_net) && !READ_ONCE(sysctl_nf_log_all_netns))
		return false;
	return __ratelimit(&clickup_net(net)->log_rs);
}
EXPORT_SYMBOL_GPL(clickup_net_log_ok);

/* pr_info for what a tenant causes (swaps, deletes), within its budget. */
void clickup_log(struct net *net, const char *fmt, ...)
{
	struct va_format vaf;
	va_list ap;

	if (!clickup_net_log_ok(net))
		return;
	va_start(ap, fmt);
	vaf.fmt = fmt;
	vaf.va = &ap;
	pr_info("%pV", &vaf);
	va_end(ap);
}

/* NE list changes: under the netns mutex and RTNL. */
static void clickup_nes_changed(struct net *net)
{
	ASSERT_RTNL();
	WRITE_ONCE(clickup_net(net)->seq, clickup_net(net)->seq + 1);
}

struct clickup_ne *clickup_ne_find(struct net *net, const char *name)
{
	struct clickup_ne *ne;

	list_for_each_entry(ne, clickup_net_nes(net), list)
		if (!strcmp(ne->name, name))
			return ne;
	return NULL;
}

/* Entries whose hook a departed device took away (RTNL or netns mutex). */
u32 clickup_ne_detached(const struct clickup_ne *ne)
{
	const struct clickup_hook *hook;
	u32 n = 0;

	list_for_each_entry(hook, &ne->hooks, list)
		n += !READ_ONCE(hook->registered);
	return n;
}

static bool clickup_entry_eq(const struct clickup_entry *a,
			     const struct clickup_entry *b)
{
	return a->pf == b->pf && a->hooknum == b->hooknum &&
	       a->priority == b->priority && a->ifindex == b->ifindex;
}

static void clickup_hook_release(struct clickup_hook *hook)
{
	if (hook->registered)
		nf_unregister_net_hook(hook->ne->net, &hook->ops);
	list_del(&hook->list);
	/* A packet may still be in clickup_hook_fn() with this as priv. */
	kfree_rcu(hook, rcu);
}

/* Registers @hook (new, or detached by its device's departure). */
static int clickup_hook_register(struct clickup_hook *hook,
				 const struct clickup_atom *atom,
				 struct netlink_ext_ack *extack)
{
	int err;

	ASSERT_RTNL();
	if (atom->entry.pf == NFPROTO_NETDEV) {
		struct net_device *dev;

		dev = __dev_get_by_index(hook->ne->net, atom->entry.ifindex);
		if (!dev || dev->reg_state != NETREG_REGISTERED) {
			clickup_extack_fmt(extack, "atom '%s': its device is gone",
					   atom->name);
			return -ENODEV;
		}
		hook->ops.dev = dev;
	}
	err = nf_register_net_hook(hook->ne->net, &hook->ops);
	if (err) {
		clickup_extack_fmt(extack, "atom '%s': cannot attach to its hook (%d)",
				   atom->name, err);
		return err;
	}
	hook->registered = true;
	return 0;
}

static struct clickup_hook *clickup_hook_add(struct clickup_ne *ne,
					     const struct clickup_atom *atom,
					     struct netlink_ext_ack *extack)
{
	struct clickup_hook *hook;
	int err;

	hook = kzalloc(sizeof(*hook), GFP_KERNEL_ACCOUNT);
	if (!hook)
		return ERR_PTR(-ENOMEM);
	hook->ne = ne;
	hook->key = atom->entry;
	hook->ops.hook = clickup_hook_fn;
	hook->ops.priv = hook;
	hook->ops.pf = atom->entry.pf;
	hook->ops.hooknum = atom->entry.hooknum;
	hook->ops.priority = atom->entry.priority;
	err = clickup_hook_register(hook, atom, extack);
	if (err) {
		kfree(hook);
		return ERR_PTR(err);
	}
	list_add_tail(&hook->list, &ne->hooks);
	return hook;
}

/* Points each entry of @dag at a hook, registering only missing ones. */
int clickup_ne_attach(struct clickup_ne *ne, struct clickup_dag *dag,
		      struct netlink_ext_ack *extack)
{
	struct clickup_hook *hook, *tmp;
	u32 i;
	int err;

	list_for_each_entry(hook, &ne->hooks, list)
		hook->in_use = false;
	for (i = 0; i < dag->nr_entries; i++) {
		struct clickup_dag_entry *e = &dag->entries[i];
		bool found = false;

		list_for_each_entry(hook, &ne->hooks, list) {
			if (clickup_entry_eq(&hook->key, &e->atom->entry)) {
				found = true;
				break;
			}
		}
		if (found && hook->in_use) {
			clickup_extack_fmt(extack,
					   "atom '%s': another entry atom already attaches to the same hook",
					   e->atom->name);
			err = -EBUSY;
			goto fail;
		}
		if (!found) {
			hook = clickup_hook_add(ne, e->atom, extack);
			if (IS_ERR(hook)) {
				err = PTR_ERR(hook);
				goto fail;
			}
			/* Until publish, the running DAG has no entry here:
			 * the hook lets packets through untouched.
			 */
		} else if (!hook->registered) {
			/* Its device left and came back (same ifindex):
			 * never report success while unhooked.
			 */
			err = clickup_hook_register(hook, e->atom, extack);
			if (err)
				goto fail;
		}
		hook->in_use = true;
		e->hook = hook;
	}
	return 0;
fail:
	/* Drop only hooks the running DAG does not use. */
	list_for_each_entry_safe(hook, tmp, &ne->hooks, list) {
		struct clickup_dag *cur = rcu_dereference_protected(ne->dag,
					lockdep_rtnl_is_held());
		bool used = false;

		for (i = 0; cur && i < cur->nr_entries; i++)
			used |= cur->entries[i].hook == hook;
		if (!used)
			clickup_hook_release(hook);
	}
	return err;
}

static void clickup_ne_unhook_unused(struct clickup_ne *ne)
{
	struct clickup_hook *hook, *tmp;

	list_for_each_entry_safe(hook, tmp, &ne->hooks, list)
		if (!hook->in_use)
			clickup_hook_release(hook);
}

/* A new NE, not yet listed: swap.c publishes it with its first DAG. */
struct clickup_ne *clickup_ne_new(struct net *net, const char *name,
				  struct netlink_ext_ack *extack)
{
	struct clickup_net *cn = clickup_net(net);
	struct clickup_ne *ne;

	lockdep_assert_held(&cn->mutex);
	if (cn->nr_nes >= READ_ONCE(max_nes)) {
		clickup_extack_fmt(extack,
				   "this netns has %u network elements, the most allowed (clickup max_nes)",
				   cn->nr_nes);
		return ERR_PTR(-ENOSPC);
	}
	ne = kzalloc(sizeof(*ne), GFP_KERNEL_ACCOUNT);
	if (!ne)
		return ERR_PTR(-ENOMEM);
	ne->net = net;
	INIT_LIST_HEAD(&ne->hooks);
	strscpy(ne->name, name, sizeof(ne->name));
	return ne;
}

/* Undoes clickup_ne_new() after clickup_ne_attach() failed. */
void clickup_ne_abort_new(struct clickup_ne *ne)
{
	/* Hooks may have been registered for it: free after a GP. */
	kfree_rcu(ne, rcu);
}

/*
 * The swap itself, under the netns mutex and RTNL: packets see the old
 * DAG or @dag, never a mix. Returns the old DAG for the caller to free.
 */
struct clickup_dag *clickup_ne_publish(struct clickup_ne *ne,
				       struct clickup_dag *dag, bool new_ne)
{
	struct clickup_net *cn = clickup_net(ne->net);
	struct clickup_dag *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(ne->dag, dag, lockdep_is_held(&cn->mutex));
	ne->generation++;
	if (new_ne) {
		list_add_tail(&ne->list, &cn->nes);
		cn->nr_nes++;
	}
	clickup_nes_changed(ne->net);
	clickup_ne_unhook_unused(ne);
	return old;
}

/* Unpublishes and unhooks @ne; the DAG and @ne go after a grace period. */
static void __clickup_ne_delete(struct clickup_ne *ne)
{
	struct clickup_net *cn = clickup_net(ne->net);
	struct clickup_hook *hook, *tmp;
	struct clickup_dag *old;

	ASSERT_RTNL();
	old = rcu_replace_pointer(ne->dag, NULL, lockdep_is_held(&cn->mutex));
	list_for_each_entry_safe(hook, tmp, &ne->hooks, list)
		clickup_hook_release(hook);
	list_del(&ne->list);
	cn->nr_nes--;
	clickup_nes_changed(ne->net);
	if (old)
		clickup_dag_free_rcu(old);
	kfree_rcu(ne, rcu);
}

/* Returns once the deleted DAG is freed and its module refs dropped. */
void clickup_wait_frees(void)
{
	rcu_barrier();
	flush_workqueue(clickup_wq);
}

int clickup_ne_delete(struct net *net, const char *name, u64 *generation,
		      struct netlink_ext_ack *extack)
{
	struct mutex *mutex = clickup_net_mutex(net);
	struct clickup_ne *ne;

	mutex_lock(mutex);
	ne = clickup_ne_find(net, name);
	if (!ne) {
		mutex_unlock(mutex);
		clickup_extack_fmt(extack, "no network element '%s'", name);
		return -ENOENT;
	}
	*generation = ne->generation;
	rtnl_lock();
	__clickup_ne_delete(ne);
	rtnl_unlock();
	mutex_unlock(mutex);
	clickup_wait_frees();
	return 0;
}

/* A device going away takes its ingress hooks with it. */
static int clickup_netdev_event(struct notifier_block *nb, unsigned long event,
				void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct clickup_hook *hook;
	struct clickup_ne *ne;

	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;

	/* RTNL alone: the NE list and hooks change only under it too. */
	list_for_each_entry(ne, clickup_net_nes(dev_net(dev)), list) {
		bool detached = false;

		list_for_each_entry(hook, &ne->hooks, list) {
			if (!hook->registered || hook->ops.dev != dev)
				continue;
			nf_unregister_net_hook(ne->net, &hook->ops);
			hook->registered = false;
			detached = true;
		}
		if (!detached)
			continue;
		clickup_log(ne->net, "ne %s: device %s unregistered, its entry is detached\n",
			    ne->name, dev->name);
		clickup_notify(ne->net, CLICKUP_CMD_NE_DETACHED, ne->name,
			       ne->generation, NULL);
	}
	return NOTIFY_DONE;
}

static struct notifier_block clickup_netdev_notifier = {
	.notifier_call = clickup_netdev_event,
};

static int __net_init clickup_net_init(struct net *net)
{
	struct clickup_net *cn = clickup_net(net);

	mutex_init(&cn->mutex);
	INIT_LIST_HEAD(&cn->nes);
	/* A tenant's log lines: a burst of 100 per 5 s. */
	ratelimit_state_init(&cn->log_rs, 5 * HZ, 100);
	ratelimit_set_flags(&cn->log_rs, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

static void __net_exit clickup_net_exit(struct net *net)
{
	struct clickup_ne *ne, *tmp;

	mutex_lock(clickup_net_mutex(net));
	rtnl_lock();
	list_for_each_entry_safe(ne, tmp, clickup_net_nes(net), list) {
		clickup_log(net, "ne %s deleted with its netns\n", ne->name);
		__clickup_ne_delete(ne);
	}
	rtnl_unlock();
	mutex_unlock(clickup_net_mutex(net));
}

static struct pernet_operations clickup_net_ops = {
	.init	= clickup_net_init,
	.exit	= clickup_net_exit,
	.id	= &clickup_net_id,
	.size	= sizeof(struct clickup_net),
};

int clickup_ne_init(void)
{
	int err;

	err = register_pernet_subsys(&clickup_net_ops);
	if (err)
		return err;
	err = register_netdevice_notifier(&clickup_netdev_notifier);
	if (err)
		unregister_pernet_subsys(&clickup_net_ops);
	return err;
}

void clickup_ne_exit(void)
{
	/*
	 * The notifier first, as nf_tables_module_exit() does: its removal
	 * replays NETDEV_UNREGISTER for every device, and our handler walks
	 * per-netns data that unregistering the pernet ops frees.
	 */
	unregister_netdevice_notifier(&clickup_netdev_notifier);
	unregister_pernet_subsys(&clickup_net_ops);
	clickup_wait_frees();
}
