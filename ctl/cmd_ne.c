// SPDX-License-Identifier: GPL-2.0
/* create, upgrade, delete: one request each; the kernel swaps atomically. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "print.h"
#include "parse.h"
#include "modload.h"

static const struct {
	int attr;
	const char *key;
} times_ns[] = {
	{ CLICKUP_TIMES_A_VALIDATE, "validate_ns" },
	{ CLICKUP_TIMES_A_LOAD, "load_ns" },
	{ CLICKUP_TIMES_A_INSTANTIATE, "instantiate_ns" },
	{ CLICKUP_TIMES_A_PUBLISH, "publish_ns" },
	{ CLICKUP_TIMES_A_TOTAL, "total_ns" },
}, times_cnt[] = {
	{ CLICKUP_TIMES_A_LOADED, "loaded" },
	{ CLICKUP_TIMES_A_NEW_ATOMS, "new_atoms" },
	{ CLICKUP_TIMES_A_MIGRATED, "migrated" },
};

static uint64_t us(const struct nlattr *a)
{
	return (nla_u64_or(a, 0) + 500) / 1000;
}

void print_result(struct ctx *c, const char *event, struct nlattr **tb)
{
	struct nlattr *t[CLICKUP_TIMES_A_MAX + 1] = { 0 };
	char name[CLICKUP_NAME_MAX];
	uint64_t gen = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	uint32_t l, n;

	nla_str_to(tb[CLICKUP_A_NE_NAME], name, sizeof(name));
	if (tb[CLICKUP_A_TIMES])
		nla_parse_nested(t, CLICKUP_TIMES_A_MAX, tb[CLICKUP_A_TIMES],
				 NULL);
	print_start(c->json);
	open_obj(NULL);
	if (event)
		jprint_str("event", event);
	print_str("name", name, "%s %s: ", !event ? "?" :
		  !strcmp(event, "create") ? "created" :
		  !strcmp(event, "upgrade") ? "upgraded" :
		  !strcmp(event, "detach") ? "detached (device gone)" :
		  "deleted", name);
	print_u64("generation", gen, "generation %" PRIu64, gen);
	if (tb[CLICKUP_A_TIMES]) {
		for (size_t i = 0; i < sizeof(times_ns) / sizeof(*times_ns); i++)
			jprint_u64(times_ns[i].key, nla_u64_or(t[times_ns[i].attr], 0));
		for (size_t i = 0; i < sizeof(times_cnt) / sizeof(*times_cnt); i++)
			jprint_u64(times_cnt[i].key, nla_u32_or(t[times_cnt[i].attr], 0));
		/* the text rounds the same values to microseconds */
		l = nla_u32_or(t[CLICKUP_TIMES_A_LOADED], 0);
		n = nla_u32_or(t[CLICKUP_TIMES_A_NEW_ATOMS], 0);
		tprint(" in %" PRIu64 " us (validate %" PRIu64 ", load %" PRIu64
		       ", instantiate %" PRIu64 ", publish %" PRIu64 " us); "
		       "%u module%s loaded, %u new atom%s, %u migrated",
		       us(t[CLICKUP_TIMES_A_TOTAL]), us(t[CLICKUP_TIMES_A_VALIDATE]),
		       us(t[CLICKUP_TIMES_A_LOAD]), us(t[CLICKUP_TIMES_A_INSTANTIATE]),
		       us(t[CLICKUP_TIMES_A_PUBLISH]), l, l == 1 ? "" : "s", n,
		       n == 1 ? "" : "s", nla_u32_or(t[CLICKUP_TIMES_A_MIGRATED], 0));
	}
	if (c->ml)	/* our own loading, before the request */
		modload_print(c->ml);
	tprint("\n");
	close_obj();
	print_end();
}

struct reply {
	struct ctx *c;
	const char *event;
	bool seen;
};

static int on_reply(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct reply *r = arg;

	(void)cmd;
	print_result(r->c, r->event, tb);
	r->seen = true;
	return 0;
}

static bool ne_name_ok(const char *what, const char *ne)
{
	if (!*ne || strlen(ne) >= CLICKUP_NAME_MAX) {
		fail(what, "element name must be 1..%d characters",
		     CLICKUP_NAME_MAX - 1);
		return false;
	}
	return true;
}

/* create NE FILE / upgrade NE FILE */
int cmd_create(struct ctx *c, int argc, char **argv)
{
	bool up = !strcmp(argv[0], "upgrade");
	const char *ne = argv[1], *path = argv[2];
	char what[128], where[256];
	struct dag g;
	struct diag d;
	struct dag_map map = { 0 };
	struct nlerr e;
	struct nl_msg *m;
	struct nlctx *nl;
	struct reply r = { c, up ? "upgrade" : "create", false };
	struct modload ml = { 0 };
	int ret = 1;

	(void)argc;
	snprintf(what, sizeof(what), "%s %s", argv[0], ne);
	if (!ne_name_ok(what, ne))
		return 1;
	dag_init(&g, strcmp(path, "-") ? path : "<stdin>");
	if (dag_load(&g, path, NULL, &d) < 0 || dag_validate(&g, &d) < 0) {
		fprintf(stderr, "%s\n", d.msg);
		goto out;
	}
	nl = ctx_nl(c);
	if (!nl) {
		ret = EXIT_KERNEL;
		goto out;
	}
	if (!c->no_modload && modload_dag(nl, &g, &ml) < 0) {
		for (char *l = ml.errors, *end; l && *l; l = end + 1) {
			end = strchr(l, '\n');
			*end = 0;
			fail(what, "%s", l);
		}
		goto out;
	}
	if (bpf_atoms_load(&g, what) < 0)
		goto out;
	c->ml = &ml;
	m = nlc_msg(nl, up ? CLICKUP_CMD_NE_UPGRADE : CLICKUP_CMD_NE_NEW,
		    NLM_F_ACK, dag_msg_size(&g));
	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0 ||
	    put_dag(m, &g, &map) < 0) {
		nlmsg_free(m);
		fail(what, "cannot build the netlink message");
		goto out;
	}
	if (nlc_talk(nl, m, on_reply, &r, &e) < 0) {
		describe_offset(&g, &map, e.offs, where, sizeof(where));
		ret = kfail(what, &e, where);
		goto out;
	}
	ret = 0;
	if (!r.seen) {	/* a kernel side that only acks */
		struct nlattr *tb[CLICKUP_A_MAX + 1] = { 0 };
		char buf[256];
		struct nlattr *name = (struct nlattr *)buf;

		name->nla_type = CLICKUP_A_NE_NAME;
		name->nla_len = (uint16_t)(NLA_HDRLEN + strlen(ne) + 1);
		strcpy((char *)nla_data(name), ne);
		tb[CLICKUP_A_NE_NAME] = name;
		print_result(c, r.event, tb);
	}
out:
	c->ml = NULL;
	modload_free(&ml);
	bpf_atoms_close(&g);
	dag_map_free(&map);
	dag_free(&g);
	return ret;
}

int cmd_delete(struct ctx *c, int argc, char **argv)
{
	char what[128];
	struct nlctx *nl;
	struct nl_msg *m;
	struct nlerr e;

	(void)argc;
	snprintf(what, sizeof(what), "delete %s", argv[1]);
	if (!ne_name_ok(what, argv[1]))
		return 1;
	nl = ctx_nl(c);
	if (!nl)
		return EXIT_KERNEL;
	m = nlc_msg(nl, CLICKUP_CMD_NE_DEL, NLM_F_ACK, 64);
	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, argv[1]) < 0) {
		nlmsg_free(m);
		return fail(what, "cannot build the netlink message");
	}
	if (nlc_talk(nl, m, NULL, NULL, &e) < 0) {
		return kfail(what, &e, "");
	}
	return 0;
}
