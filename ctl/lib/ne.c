// SPDX-License-Identifier: GPL-2.0
/* create, upgrade and delete requests: one each; the kernel swaps atomically. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "clickup.h"

int ne_name_check(const char *ne)
{
	return *ne && strlen(ne) < CLICKUP_NAME_MAX ? 0 : -1;
}

struct reply {
	bool json;
	const char *event;
	const struct modload *ml;
};

static int on_reply(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct reply *r = arg;

	(void)cmd;
	print_result(r->json, r->event, tb, r->ml);
	return 0;
}

static long offset_atom(const struct dag *g, const struct dag_map *map,
			long offs)
{
	for (size_t i = 0; offs >= 0 && map->atom_start && i < g->nr_atoms; i++)
		if ((unsigned long)offs >= map->atom_start[i] &&
		    (unsigned long)offs < map->atom_end[i])
			return (long)i;
	return -1;
}

int ne_put_flags(struct nlctx *nl, const char *ne, bool up,
		 const struct dag *g, const struct modload *ml,
		 unsigned int flags, bool json, struct nlerr *e, char *where,
		 size_t size, long *atom)
{
	struct reply r = { json, up ? "upgrade" : "create", ml };
	struct dag_map map = { 0 };
	struct nl_msg *m;
	int ret = -1;

	where[0] = 0;
	*atom = -1;
	/* No NLM_F_ACK: the kernel answers with the reply or the error,
	 * one message to read.
	 */
	m = nlc_msg(nl, up ? CLICKUP_CMD_NE_UPGRADE : CLICKUP_CMD_NE_NEW, 0,
		    dag_msg_size(g));
	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0 ||
	    ((flags & NE_PUT_NO_AUTOLOAD) &&
	     nla_put_flag(m, CLICKUP_A_NO_AUTOLOAD) < 0) ||
	    put_dag(m, g, &map) < 0) {
		nlmsg_free(m);
		nlerr_nomem(e);
		goto out;
	}
	if (nlc_talk_one(nl, m, on_reply, &r, e) < 0) {
		describe_offset(g, &map, e, where, size);
		*atom = offset_atom(g, &map, e->offs);
		goto out;
	}
	ret = 0;
out:
	dag_map_free(&map);
	return ret;
}

int ne_put(struct nlctx *nl, const char *ne, bool up, const struct dag *g,
	   const struct modload *ml, bool json, struct nlerr *e, char *where,
	   size_t size, long *atom)
{
	return ne_put_flags(nl, ne, up, g, ml, 0, json, e, where, size, atom);
}

static int on_ne(uint8_t cmd, struct nlattr **tb, void *arg)
{
	(void)cmd;
	(void)tb;
	*(int *)arg = 1;
	return 0;
}

int ne_exists(struct nlctx *nl, const char *ne, struct nlerr *e)
{
	struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_NE_GET, NLM_F_ACK, 64);
	int found = 0;

	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0) {
		nlmsg_free(m);
		nlerr_nomem(e);
		return -1;
	}
	if (nlc_talk(nl, m, on_ne, &found, e) < 0)
		return e->err == ENOENT ? 0 : -1;
	return found;
}

int ne_delete(struct nlctx *nl, const char *ne, struct nlerr *e)
{
	struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_NE_DEL, NLM_F_ACK, 64);

	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0) {
		nlmsg_free(m);
		nlerr_nomem(e);
		return -1;
	}
	return nlc_talk(nl, m, NULL, NULL, e) < 0 ? -1 : 0;
}
