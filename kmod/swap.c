// SPDX-License-Identifier: GPL-2.0
/*
 * Create and upgrade in one place, as nf_tables_commit()/_abort() are:
 * numbered phases, each timed here, and one abort path that leaves the
 * running DAG untouched.
 *
 *   1. validate  parse the request into a spec, check sizes, names, edges
 *                and that the graph is acyclic (no lock)
 *   2. load      resolve every atom type, autoloading missing modules (no
 *                lock: a module's init registers its type and must not
 *                wait for us); with CLICKUP_A_NO_AUTOLOAD a missing type
 *                fails the request instead (the caller loads it, resends)
 *   3. build     under the netns mutex: find or make the NE, instantiate
 *                and wire the atoms, take over counters and state from the
 *                running DAG of the same names
 *   4. attach    under RTNL too: register the entry hooks that are missing
 *                (or whose device left and came back)
 *   5. publish   one pointer store; the generation moves on; hooks the new
 *                DAG does not use are unregistered
 *   6. release   the old DAG is freed after a grace period (rcu_work)
 *
 * A failure in 1-4 aborts: what was built is destroyed, hooks only the
 * new DAG would have used are dropped, a new NE is forgotten.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/ktime.h>
#include <linux/rtnetlink.h>
#include "internal.h"
#include "trace.h"

int clickup_swap(struct net *net, const char *name, bool create,
		 bool autoload, const struct nlattr *dag_nla,
		 struct clickup_swap_times *times, u64 *generation,
		 struct netlink_ext_ack *extack)
{
	struct mutex *mutex = clickup_net_mutex(net);
	struct clickup_dag *dag, *old;
	struct clickup_spec spec;
	struct clickup_ne *ne;
	u64 t0, t1, t2, t3, t4;
	int err;

	/* 1. validate */
	t0 = ktime_get_ns();
	err = clickup_spec_parse(&spec, dag_nla, extack);
	if (err)
		return err;
	err = clickup_spec_check_graph(&spec, extack);
	if (err)
		goto out_spec;

	/* 2. load */
	t1 = ktime_get_ns();
	err = clickup_spec_load(&spec, autoload, &times->loaded, extack);
	if (err)
		goto out_spec;

	/* 3. build */
	t2 = ktime_get_ns();
	mutex_lock(mutex);
	ne = clickup_ne_find(net, name);
	if (create && ne) {
		clickup_extack_fmt(extack, "network element '%s' exists", name);
		err = -EEXIST;
		goto out_unlock;
	}
	if (!create && !ne) {
		clickup_extack_fmt(extack, "no network element '%s'", name);
		err = -ENOENT;
		goto out_unlock;
	}
	if (create) {
		ne = clickup_ne_new(net, name, extack);
		if (IS_ERR(ne)) {
			err = PTR_ERR(ne);
			goto out_unlock;
		}
	}
	old = rcu_dereference_protected(ne->dag, lockdep_is_held(mutex));
	trace_clickup_swap_begin(ne->name, ne->generation, spec.nr_atoms);
	dag = clickup_dag_build(&spec, net, ne->name, old, extack);
	if (IS_ERR(dag)) {
		err = PTR_ERR(dag);
		goto abort;
	}

	/* 4. attach */
	rtnl_lock();
	err = clickup_ne_attach(ne, dag, extack);
	if (err) {
		rtnl_unlock();
		clickup_dag_destroy(dag);
		goto abort;
	}

	/* 5. publish */
	t3 = ktime_get_ns();
	old = clickup_ne_publish(ne, dag, create);
	rtnl_unlock();
	*generation = ne->generation;

	/* 6. release */
	if (old)
		clickup_dag_free_rcu(old);
	t4 = ktime_get_ns();
	trace_clickup_swap_end(ne->name, ne->generation, 0, t4 - t2);
	mutex_unlock(mutex);

	times->validate = t1 - t0;
	times->load = t2 - t1;
	times->instantiate = t3 - t2;
	times->publish = t4 - t3;
	times->total = t4 - t0;
	times->new_atoms = dag->nr_new;
	times->migrated = dag->nr_migrated;
	clickup_spec_free(&spec);
	return 0;

abort:
	trace_clickup_swap_end(ne->name, ne->generation, err,
			       ktime_get_ns() - t2);
	if (create)
		clickup_ne_abort_new(ne);
out_unlock:
	mutex_unlock(mutex);
out_spec:
	clickup_spec_free(&spec);
	return err;
}
