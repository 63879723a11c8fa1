// SPDX-License-Identifier: GPL-2.0
/*
 * Every netlink policy of the clickup family, in one place: what a request
 * may carry, strictly validated by the genl core before any op runs.
 * Reply-only attributes have no entry, so requests carrying them fail.
 */

#include <net/genetlink.h>
#include <net/tcp.h>
#include "internal.h"

const struct nla_policy clickup_arg_policy[CLICKUP_ARG_A_MAX + 1] = {
	[CLICKUP_ARG_A_VALUE]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_ARG_MAX - 1 },
};

const struct nla_policy clickup_atom_policy[CLICKUP_ATOM_A_MAX + 1] = {
	[CLICKUP_ATOM_A_NAME]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_ATOM_A_TYPE]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_ATOM_A_ARGS]	= NLA_POLICY_NESTED_ARRAY(clickup_arg_policy),
	[CLICKUP_ATOM_A_FD]	= { .type = NLA_U32 },
};

const struct nla_policy clickup_edge_policy[CLICKUP_EDGE_A_MAX + 1] = {
	[CLICKUP_EDGE_A_SRC]	= { .type = NLA_U32 },
	[CLICKUP_EDGE_A_PORT]	= NLA_POLICY_MAX(NLA_U32, CLICKUP_MAX_PORTS - 1),
	[CLICKUP_EDGE_A_DST]	= { .type = NLA_U32 },
	[CLICKUP_EDGE_A_DST_PORT] = NLA_POLICY_MAX(NLA_U32, CLICKUP_MAX_PORTS - 1),
};

const struct nla_policy clickup_dag_policy[CLICKUP_DAG_A_MAX + 1] = {
	[CLICKUP_DAG_A_ATOMS]	= NLA_POLICY_NESTED_ARRAY(clickup_atom_policy),
	[CLICKUP_DAG_A_EDGES]	= NLA_POLICY_NESTED_ARRAY(clickup_edge_policy),
};

const struct nla_policy clickup_tcp_policy[CLICKUP_TCP_A_MAX + 1] = {
	[CLICKUP_TCP_A_END]		= { .type = NLA_U32 },
	[CLICKUP_TCP_A_MAXEND]		= { .type = NLA_U32 },
	[CLICKUP_TCP_A_MAXWIN]		= { .type = NLA_U32 },
	[CLICKUP_TCP_A_MAXACK]		= { .type = NLA_U32 },
	[CLICKUP_TCP_A_SCALE]		= NLA_POLICY_MAX(NLA_U8, TCP_MAX_WSCALE),
	[CLICKUP_TCP_A_FLAGS]		= NLA_POLICY_MASK(NLA_U8, CLICKUP_TCP_F_ALL),
};

#define CLICKUP_OBSOLETE(what) { .type = NLA_REJECT, .reject_message = \
	what " is obsolete (flows have a REPLY tuple since issue 11)" }

const struct nla_policy clickup_flow_policy[CLICKUP_FLOW_A_MAX + 1] = {
	[CLICKUP_FLOW_A_PROTO]		= { .type = NLA_U8 },
	[CLICKUP_FLOW_A_SADDR]		= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_DADDR]		= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_SPORT]		= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_DPORT]		= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_STATE]		= NLA_POLICY_MAX(NLA_U8, __CLICKUP_FLOW_S_MAX - 1),
	[CLICKUP_FLOW_A_INIT_DIR]	= CLICKUP_OBSOLETE("INIT_DIR"),
	[CLICKUP_FLOW_A_FIN_DIR]	= CLICKUP_OBSOLETE("FIN_DIR"),
	[CLICKUP_FLOW_A_XADDR]		= CLICKUP_OBSOLETE("XADDR"),
	[CLICKUP_FLOW_A_XPORT]		= CLICKUP_OBSOLETE("XPORT"),
	[CLICKUP_FLOW_A_TIMEOUT]	= { .type = NLA_U32 },
	[CLICKUP_FLOW_A_R_SADDR]	= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_R_DADDR]	= { .type = NLA_BE32 },
	[CLICKUP_FLOW_A_R_SPORT]	= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_R_DPORT]	= { .type = NLA_BE16 },
	[CLICKUP_FLOW_A_STATUS]		= NLA_POLICY_MASK(NLA_U8, CLICKUP_FLOW_F_ALL),
	[CLICKUP_FLOW_A_TCP_ORIG]	= NLA_POLICY_NESTED(clickup_tcp_policy),
	[CLICKUP_FLOW_A_TCP_REPLY]	= NLA_POLICY_NESTED(clickup_tcp_policy),
};

static struct netlink_range_validation clickup_timeout_range = {
	.min = 1,
	.max = CLICKUP_TIMEOUT_MAX_SECONDS,
};

const struct nla_policy clickup_timeout_policy[CLICKUP_TIMEOUT_A_MAX + 1] = {
	[CLICKUP_TIMEOUT_A_TCP_SYN_SENT ... CLICKUP_TIMEOUT_A_MAX] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &clickup_timeout_range),
};

const struct nla_policy clickup_policy[CLICKUP_A_MAX + 1] = {
	[CLICKUP_A_NE_NAME]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_A_DAG]		= NLA_POLICY_NESTED(clickup_dag_policy),
	[CLICKUP_A_TABLE_NAME]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_A_FLOW]	= NLA_POLICY_NESTED(clickup_flow_policy),
	[CLICKUP_A_TABLE_MAX]	= NLA_POLICY_MIN(NLA_U32, 1),
	[CLICKUP_A_ATOM_NAME]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_A_HANDLER]	= { .type = NLA_NUL_STRING,
				    .len = CLICKUP_NAME_MAX - 1 },
	[CLICKUP_A_HANDLER_VALUE] = { .type = NLA_NUL_STRING,
				      .len = CLICKUP_ARG_MAX - 1 },
	[CLICKUP_A_TABLE_POLICY] = NLA_POLICY_MAX(NLA_U8, __CLICKUP_POLICY_MAX - 1),
	[CLICKUP_A_TABLE_TIMEOUTS] = NLA_POLICY_NESTED(clickup_timeout_policy),
	[CLICKUP_A_NO_AUTOLOAD]	= { .type = NLA_FLAG },
};
