// SPDX-License-Identifier: GPL-2.0
/*
 * The "clickup" generic netlink family: its ops, who may call them, and
 * the dispatch every request goes through. The requests themselves live
 * in netlink.c (NEs, DAGs, types), state_nl.c (tables, flows) and
 * handler.c (atoms' handlers). Every op is strictly validated (policy.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "compat.h"
#include "internal.h"

/*
 * Events name NEs and atoms: listeners need CAP_NET_ADMIN over the netns
 * (where the kernel can check it). NEs in a netns owned by a user
 * namespace exist only with allow_userns=1, so by default only the
 * initial user namespace's admins hear of any.
 */
static const struct genl_multicast_group clickup_mcgrps[] = {
	[CLICKUP_MCGRP_EVENTS_IDX] = {
		.name	= CLICKUP_MCGRP_EVENTS,
#ifdef GENL_MCAST_CAP_NET_ADMIN
		.flags	= GENL_MCAST_CAP_NET_ADMIN,
#endif
	},
};

/*
 * Who may call us: CAP_NET_ADMIN in the initial user namespace, as for
 * every other way to load code into the packet path; user namespaces
 * only when the administrator opts in (the exposure that made nf_tables
 * the main local-root vector). Read at load time.
 *
 * Checked here rather than by GENL_ADMIN_PERM so that a refusal says
 * why (the genl core answers a bare EPERM).
 */
static bool allow_userns;
module_param(allow_userns, bool, 0444);
MODULE_PARM_DESC(allow_userns,
		 "accept requests from CAP_NET_ADMIN in any user namespace owning the netns (default: initial user namespace only)");

static bool clickup_nl_capable(const struct sk_buff *skb,
			       struct netlink_ext_ack *extack)
{
	struct net *net = sock_net(skb->sk);

	if (allow_userns ? netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN) :
			   netlink_capable(skb, CAP_NET_ADMIN))
		return true;
	if (allow_userns)
		NL_SET_ERR_MSG(extack,
			       "CAP_NET_ADMIN over the network namespace is needed");
	else
		NL_SET_ERR_MSG(extack,
			       "CAP_NET_ADMIN in the initial user namespace is needed (module parameter allow_userns=1 admits user namespaces)");
	return false;
}

/* Every doit, by command: run through clickup_nl_doit(). */
static int (* const clickup_doits[CLICKUP_CMD_MAX + 1])(struct sk_buff *skb,
							  struct genl_info *info) = {
	[CLICKUP_CMD_NE_NEW]		= clickup_nl_swap,
	[CLICKUP_CMD_NE_UPGRADE]	= clickup_nl_swap,
	[CLICKUP_CMD_NE_DEL]		= clickup_nl_del,
	[CLICKUP_CMD_NE_GET]		= clickup_nl_ne_get,
	[CLICKUP_CMD_TABLE_SET]		= clickup_nl_table_set,
	[CLICKUP_CMD_TABLE_FLUSH]	= clickup_nl_table_empty,
	[CLICKUP_CMD_TABLE_DEL]		= clickup_nl_table_empty,
	[CLICKUP_CMD_FLOW_NEW]		= clickup_nl_flow_new,
	[CLICKUP_CMD_FLOW_DEL]		= clickup_nl_flow_del,
	[CLICKUP_CMD_HANDLER_READ]	= clickup_nl_handler,
	[CLICKUP_CMD_HANDLER_WRITE]	= clickup_nl_handler,
};

/* The request's formatted extack text lives here until it is acked. */
static int clickup_nl_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct clickup_req req;
	int err;

	if (!clickup_nl_capable(skb, info->extack))
		return -EPERM;
	clickup_req_begin(&req, info->extack);
	err = clickup_doits[info->genlhdr->cmd](skb, info);
	return clickup_req_end(&req, skb, info->nlhdr, err);
}

/*
 * Every dump, by command: run through clickup_nl_start() and
 * clickup_nl_dumpit(). The permission is checked in both: at the start so
 * that nothing is looked up or allocated for a refused caller, in the
 * dump to say why (6.1 hands .start no extack; a dump's error and text
 * reach the reader in NLMSG_DONE).
 */
static const struct {
	int (*start)(struct netlink_callback *cb);
	int (*dumpit)(struct sk_buff *skb, struct netlink_callback *cb);
} clickup_dumps[CLICKUP_CMD_MAX + 1] = {
	[CLICKUP_CMD_ATOM_GET]	= { .dumpit = clickup_nl_type_dump },
	[CLICKUP_CMD_NE_GET]	= { .dumpit = clickup_nl_ne_dump },
	[CLICKUP_CMD_DAG_GET]	= { clickup_nl_dag_dump_start, clickup_nl_dag_dump },
	[CLICKUP_CMD_TABLE_GET]	= { .dumpit = clickup_nl_table_dump },
	[CLICKUP_CMD_FLOW_GET]	= { clickup_nl_flow_dump_start, clickup_nl_flow_dump },
};

static int clickup_nl_start(struct netlink_callback *cb)
{
	u8 cmd = genl_dumpit_info(cb)->op.cmd;

	if (!clickup_nl_capable(cb->skb, NULL) || !clickup_dumps[cmd].start)
		return 0;
	return clickup_dumps[cmd].start(cb);
}

static int clickup_nl_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	if (!clickup_nl_capable(cb->skb, cb->extack))
		return -EPERM;
	return clickup_dumps[genl_dumpit_info(cb)->op.cmd].dumpit(skb, cb);
}

static const struct genl_ops clickup_ops[] = {
	{
		.cmd	= CLICKUP_CMD_ATOM_GET,
		.start	= clickup_nl_start,
		.dumpit	= clickup_nl_dumpit,
	},
	{
		.cmd	= CLICKUP_CMD_NE_NEW,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_NE_UPGRADE,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_NE_DEL,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_NE_GET,
		.doit	= clickup_nl_doit,
		.start	= clickup_nl_start,
		.dumpit	= clickup_nl_dumpit,
	},
	{
		.cmd	= CLICKUP_CMD_DAG_GET,
		.start	= clickup_nl_start,
		.dumpit	= clickup_nl_dumpit,
	},
	{
		.cmd	= CLICKUP_CMD_TABLE_GET,
		.start	= clickup_nl_start,
		.dumpit	= clickup_nl_dumpit,
	},
	{
		.cmd	= CLICKUP_CMD_TABLE_SET,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_TABLE_FLUSH,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_TABLE_DEL,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_FLOW_GET,
		.start	= clickup_nl_start,
		.dumpit	= clickup_nl_dumpit,
		.done	= clickup_nl_flow_dump_done,
	},
	{
		.cmd	= CLICKUP_CMD_FLOW_NEW,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_FLOW_DEL,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_HANDLER_READ,
		.doit	= clickup_nl_doit,
	},
	{
		.cmd	= CLICKUP_CMD_HANDLER_WRITE,
		.doit	= clickup_nl_doit,
	},
};

struct genl_family clickup_family __ro_after_init = {
	.name		= CLICKUP_GENL_NAME,
	.version	= CLICKUP_GENL_VERSION,
	.maxattr	= CLICKUP_A_MAX,
	.policy		= clickup_policy,
	.netnsok	= true,
	/* Our own mutex serialises; autoload must not hold genl_mutex. */
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.ops		= clickup_ops,
	.n_ops		= ARRAY_SIZE(clickup_ops),
	.resv_start_op	= CLICKUP_CMD_FLOW_DEL + 1,
	.mcgrps		= clickup_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(clickup_mcgrps),
};

int __init clickup_genl_init(void)
{
	if (allow_userns)
		pr_info("requests from user namespaces allowed (allow_userns=1)\n");
	return genl_register_family(&clickup_family);
}

void clickup_genl_exit(void)
{
	genl_unregister_family(&clickup_family);
}
