// SPDX-License-Identifier: GPL-2.0
/* create/upgrade replies and monitor events: one record each. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clickup.h"
#include "modload.h"
#include "print.h"

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

void print_result(bool json, const char *event, struct nlattr **tb,
		  const struct modload *ml)
{
	struct nlattr *t[CLICKUP_TIMES_A_MAX + 1] = { 0 };
	char name[CLICKUP_NAME_MAX];
	uint64_t gen = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	uint32_t l, n;

	nla_str_to(tb[CLICKUP_A_NE_NAME], name, sizeof(name));
	if (tb[CLICKUP_A_TIMES])
		nla_parse_nested(t, CLICKUP_TIMES_A_MAX, tb[CLICKUP_A_TIMES],
				 NULL);
	print_start(json);
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
	if (ml)	/* clickupctl's own loading, before the request */
		modload_print(ml);
	tprint("\n");
	close_obj();
	print_end();
}

const char *event_name(uint8_t cmd)
{
	return cmd == CLICKUP_CMD_NE_NEW ? "create" :
	       cmd == CLICKUP_CMD_NE_UPGRADE ? "upgrade" :
	       cmd == CLICKUP_CMD_NE_DEL ? "delete" :
	       cmd == CLICKUP_CMD_NE_DETACHED ? "detach" : NULL;
}
