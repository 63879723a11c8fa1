// SPDX-License-Identifier: GPL-2.0
/*
 * Exercises nl.c's error path against the running kernel without
 * clickup.ko: nlctrl rejects an over-long family name by policy, with an
 * extack message and the offending attribute's offset. Prints
 * "err=<errno> offs=<offset> msg=<text>" and the expected offset, once
 * with NETLINK_CAP_ACK (as clickupctl runs) and once with the request
 * echoed in full, the two layouts on_error() must handle.
 */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../lib/nl.h"

int main(void)
{
	struct nlctx c;
	struct diag d;
	struct nlerr e;
	struct nl_msg *m;
	char name[64];
	long want;

	if (nlc_open_family(&c, "nlctrl", &d) < 0) {
		fprintf(stderr, "%s\n", d.msg);
		return 4;
	}
	for (int cap = 1; cap >= 0; cap--) {
		setsockopt(nl_socket_get_fd(c.sk), SOL_NETLINK, NETLINK_CAP_ACK,
			   &cap, sizeof(cap));
		m = nlc_msg(&c, CTRL_CMD_GETFAMILY, NLM_F_ACK, 128);
		memset(name, 'x', sizeof(name) - 1);
		name[sizeof(name) - 1] = 0;
		/* the attribute starts right after nlmsghdr + genlmsghdr */
		want = NLMSG_HDRLEN + GENL_HDRLEN;
		nla_put_string(m, CTRL_ATTR_FAMILY_NAME, name);
		if (nlc_talk(&c, m, NULL, NULL, &e) == 0) {
			printf("unexpected success\n");
			return 1;
		}
		printf("cap=%d err=%d offs=%ld want=%ld msg=%s\n", cap, e.err,
		       e.offs, want, e.msg);
	}
	nlc_close(&c);
	return 0;
}
