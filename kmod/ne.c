// SPDX-License-Identifier: GPL-2.0
/*
 * Network elements: per-netns named DAGs, the netfilter hooks their entry
 * atoms attach to, and the swap that replaces a DAG in one pointer store.
 *
 * Locking: writers take RTNL, then clickup_mutex. RTNL closes the race
 * between attaching to a device and its unregistration (our notifier runs
 * under RTNL and takes clickup_mutex, the same order).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include "internal.h"
#include "trace.h"

DEFINE_MUTEX(clickup_mutex);

struct clickup_net {
	struct list_head	nes;
};

static unsigned int clickup_net_id __read_mostly;

struct list_head *clickup_net_nes(struct net *net)
{
	struct clickup_net *cn = net_generic(net, clickup_net_id);

	return &cn->nes;
}

struct clickup_ne *clickup_ne_find(struct net *net, const char *name)
{
	struct clickup_ne *ne;

	list_for_each_entry(ne, clickup_net_nes(net), list)
		if (!strcmp(ne->name, name))
			return ne;
	return NULL;
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
	if (atom->entry.pf == NFPROTO_NETDEV) {
		struct net_device *dev;

		dev = __dev_get_by_index(ne->net, atom->entry.ifindex);
		if (!dev || dev->reg_state != NETREG_REGISTERED) {
			clickup_extack_fmt(extack, "atom '%s': its device is gone",
					   atom->name);
			kfree(hook);
			return ERR_PTR(-ENODEV);
		}
		hook->ops.dev = dev;
	}
	err = nf_register_net_hook(ne->net, &hook->ops);
	if (err) {
		clickup_extack_fmt(extack, "atom '%s': cannot attach to its hook (%d)",
				   atom->name, err);
		kfree(hook);
		return ERR_PTR(err);
	}
	hook->registered = true;
	list_add_tail(&hook->list, &ne->hooks);
	return hook;
}

/* Points each entry of @dag at a hook, registering only missing ones. */
static int clickup_ne_attach(struct clickup_ne *ne, struct clickup_dag *dag,
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
		}
		hook->in_use = true;
		e->hook = hook;
	}
	return 0;
fail:
	/* Drop only hooks the running DAG does not use. */
	list_for_each_entry_safe(hook, tmp, &ne->hooks, list) {
		struct clickup_dag *cur = rcu_dereference_protected(ne->dag,
					lockdep_is_held(&clickup_mutex));
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

int clickup_ne_swap(struct net *net, const char *name, bool create,
		    struct clickup_spec *spec, struct clickup_swap_times *times,
		    u64 *generation, struct netlink_ext_ack *extack)
{
	struct clickup_dag *dag, *old;
	struct clickup_ne *ne;
	u64 t0, t1, t2;
	int err;

	rtnl_lock();
	mutex_lock(&clickup_mutex);
	t0 = ktime_get_ns();
	ne = clickup_ne_find(net, name);
	if (create && ne) {
		clickup_extack_fmt(extack, "network element '%s' exists", name);
		err = -EEXIST;
		goto unlock;
	}
	if (!create && !ne) {
		clickup_extack_fmt(extack, "no network element '%s'", name);
		err = -ENOENT;
		goto unlock;
	}
	if (create) {
		ne = kzalloc(sizeof(*ne), GFP_KERNEL_ACCOUNT);
		if (!ne) {
			err = -ENOMEM;
			goto unlock;
		}
		ne->net = net;
		INIT_LIST_HEAD(&ne->hooks);
		strscpy(ne->name, name, sizeof(ne->name));
	}
	old = rcu_dereference_protected(ne->dag, lockdep_is_held(&clickup_mutex));
	trace_clickup_swap_begin(ne->name, ne->generation, spec->nr_atoms);

	dag = clickup_dag_build(spec, net, ne->name, old, times, extack);
	if (IS_ERR(dag)) {
		err = PTR_ERR(dag);
		goto fail;
	}
	err = clickup_ne_attach(ne, dag, extack);
	if (err) {
		clickup_dag_destroy(dag);
		goto fail;
	}
	t1 = ktime_get_ns();

	/* The swap: packets see the old DAG or this one, never a mix. */
	rcu_replace_pointer(ne->dag, dag, lockdep_is_held(&clickup_mutex));
	*generation = ++ne->generation;
	if (create)
		list_add_tail(&ne->list, clickup_net_nes(net));
	clickup_ne_unhook_unused(ne);
	if (old)
		clickup_dag_free_rcu(old);
	t2 = ktime_get_ns();
	times->instantiate = t1 - t0;
	times->publish = t2 - t1;
	trace_clickup_swap_end(ne->name, ne->generation, 0, t2 - t0);
	mutex_unlock(&clickup_mutex);
	rtnl_unlock();
	return 0;

fail:
	trace_clickup_swap_end(ne->name, ne->generation, err, ktime_get_ns() - t0);
	if (create) {
		/* Hooks may have been registered for it: free after a GP. */
		kfree_rcu(ne, rcu);
	}
unlock:
	mutex_unlock(&clickup_mutex);
	rtnl_unlock();
	return err;
}

/* Unpublishes and unhooks @ne; the DAG and @ne go after a grace period. */
static void __clickup_ne_delete(struct clickup_ne *ne)
{
	struct clickup_hook *hook, *tmp;
	struct clickup_dag *old;

	old = rcu_replace_pointer(ne->dag, NULL, lockdep_is_held(&clickup_mutex));
	list_for_each_entry_safe(hook, tmp, &ne->hooks, list)
		clickup_hook_release(hook);
	list_del(&ne->list);
	if (old)
		clickup_dag_free_rcu(old);
	kfree_rcu(ne, rcu);
}

/* Returns once the deleted DAG is freed and its module refs dropped. */
static void clickup_wait_frees(void)
{
	rcu_barrier();
	flush_workqueue(clickup_wq);
}

int clickup_ne_delete(struct net *net, const char *name, u64 *generation,
		      struct netlink_ext_ack *extack)
{
	struct clickup_ne *ne;

	rtnl_lock();
	mutex_lock(&clickup_mutex);
	ne = clickup_ne_find(net, name);
	if (!ne) {
		mutex_unlock(&clickup_mutex);
		rtnl_unlock();
		clickup_extack_fmt(extack, "no network element '%s'", name);
		return -ENOENT;
	}
	*generation = ne->generation;
	__clickup_ne_delete(ne);
	mutex_unlock(&clickup_mutex);
	rtnl_unlock();
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

	mutex_lock(&clickup_mutex);
	list_for_each_entry(ne, clickup_net_nes(dev_net(dev)), list) {
		list_for_each_entry(hook, &ne->hooks, list) {
			if (!hook->registered || hook->ops.dev != dev)
				continue;
			nf_unregister_net_hook(ne->net, &hook->ops);
			hook->registered = false;
			pr_info("ne %s: device %s unregistered, its entry is detached\n",
				ne->name, dev->name);
		}
	}
	mutex_unlock(&clickup_mutex);
	return NOTIFY_DONE;
}

static struct notifier_block clickup_netdev_notifier = {
	.notifier_call = clickup_netdev_event,
};

static int __net_init clickup_net_init(struct net *net)
{
	INIT_LIST_HEAD(clickup_net_nes(net));
	return 0;
}

static void __net_exit clickup_net_exit(struct net *net)
{
	struct clickup_ne *ne, *tmp;

	rtnl_lock();
	mutex_lock(&clickup_mutex);
	list_for_each_entry_safe(ne, tmp, clickup_net_nes(net), list) {
		pr_info("ne %s deleted with its netns\n", ne->name);
		__clickup_ne_delete(ne);
	}
	mutex_unlock(&clickup_mutex);
	rtnl_unlock();
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
