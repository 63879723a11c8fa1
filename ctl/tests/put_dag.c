// SPDX-License-Identifier: GPL-2.0
/*
 * put_dag() on a DAG whose CLICKUP_A_DAG nest passes 64 KiB: libnl trims
 * such a nest and says so only in nla_nest_end()'s result, so put_dag()
 * must fail rather than leave a request without its DAG. Prints one TAP
 * line, exit 0 when it holds.
 */
#include <stdio.h>
#include <string.h>

#include "../cmd.h"

int main(void)
{
	char arg[200], name[16];
	struct dag_map map = { 0 };
	struct diag d;
	struct dag g;
	struct nl_msg *m = nlmsg_alloc_size(1 << 20);
	int r, n = 0;

	memset(arg, 'x', sizeof(arg) - 1);
	arg[sizeof(arg) - 1] = 0;
	dag_init(&g, "t");
	while (dag_msg_size(&g) < 80 * 1024) {
		snprintf(name, sizeof(name), "a%d", n);
		if (dag_add_atom(&g, name, "foo", (struct loc){ 1, 1 }, &d) < 0 ||
		    dag_add_arg(&g, (size_t)n++, arg, strlen(arg),
				(struct loc){ 1, 1 }, &d) < 0)
			return 1;
	}
	r = m ? put_dag(m, &g, &map) : 0;
	printf("%s - put_dag refuses a DAG nest past 64 KiB (%d atoms)\n",
	       r < 0 ? "ok" : "not ok", n);
	dag_map_free(&map);
	dag_free(&g);
	nlmsg_free(m);
	return r < 0 ? 0 : 1;
}
