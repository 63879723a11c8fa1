// SPDX-License-Identifier: GPL-2.0
/*
 * CLICK-UP core module: Click-style network elements as DAGs of atom
 * modules on netfilter hooks, upgraded by an atomic RCU swap.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/genetlink.h>
#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

struct workqueue_struct *clickup_wq;

static int __init clickup_init(void)
{
	int err;

	clickup_wq = alloc_workqueue("clickup", WQ_UNBOUND, 0);
	if (!clickup_wq)
		return -ENOMEM;
	/*
	 * NEs' per-netns data first: it holds the netns mutex the state
	 * tables' pernet exit takes, so it must be freed last.
	 */
	err = clickup_ne_init();
	if (err)
		goto err_wq;
	err = clickup_state_init();
	if (err)
		goto err_ne;
	err = clickup_genl_init();
	if (err)
		goto err_state;
	pr_info("CLICK-UP core loaded\n");
	return 0;
err_state:
	clickup_state_exit();
err_ne:
	clickup_ne_exit();
err_wq:
	destroy_workqueue(clickup_wq);
	return err;
}

static void __exit clickup_exit(void)
{
	clickup_genl_exit();
	clickup_state_exit();
	clickup_ne_exit();
	destroy_workqueue(clickup_wq);
}

module_init(clickup_init);
module_exit(clickup_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("CLICK-UP developers");
MODULE_DESCRIPTION("CLICK-UP: hitless upgrades of stateful Click-style network elements");
MODULE_ALIAS_GENL_FAMILY(CLICKUP_GENL_NAME);
