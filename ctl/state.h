/* SPDX-License-Identifier: GPL-2.0 */
/* The state subcommands' shared pieces (cmd_state.c, state_*.c). */
#ifndef CLICKUPCTL_STATE_H
#define CLICKUPCTL_STATE_H

#include "cmd.h"
#include "state_file.h"

struct tinfo {
	char name[CLICKUP_NAME_MAX];
	uint32_t entries, max, entry_size, users;
	uint64_t inserted, refused, expired, memory, invalid, evicted;
	uint8_t policy;
	uint32_t timeouts[CLICKUP_TIMEOUT_A_MAX + 1];	/* seconds, [0] unused */
};

/* Timeout names as `state set` takes them (enum clickup_timeout_attr). */
extern const char *const timeout_names[CLICKUP_TIMEOUT_A_MAX + 1];
const char *policy_name(uint8_t policy);

struct tlist {
	struct tinfo *v;
	size_t n;
};

struct ne_tables {
	char (*names)[CLICKUP_NAME_MAX];
	size_t n;
	uint64_t generation;
	bool gen_seen, gen_mixed;
};

/* requests (state_req.c); -1 with e filled */
void state_nomem(struct nlerr *e);
int fetch_tables(struct nlctx *nl, struct tlist *l, struct nlerr *e);
const struct tinfo *find_table(const struct tlist *l, const char *name);
/* The flows of one table, sorted by key, each once. */
int fetch_flows(struct nlctx *nl, struct sf_table *t, struct nlerr *e);
int fetch_ne_tables(struct nlctx *nl, const char *ne, struct ne_tables *nt,
		    struct nlerr *e);
/* One doit request on a table; put adds more attributes (or NULL).
 * Returns the exit status.
 */
int table_req(struct ctx *c, const char *what, uint8_t cmd, const char *name,
	      int (*put)(struct nl_msg *, void *), void *arg);
int put_max(struct nl_msg *m, void *arg);	/* arg: uint32_t * */
/* state set TABLE ...: what the request carries */
struct table_settings {
	bool has_max, has_policy;
	uint32_t max;
	uint8_t policy;
	uint32_t timeouts[CLICKUP_TIMEOUT_A_MAX + 1];	/* 0: unchanged */
};
int put_settings(struct nl_msg *m, void *arg);	/* arg: struct table_settings * */
/* A flow's key attributes (network byte order addresses and ports). */
int put_tuple(struct nl_msg *m, uint8_t proto, uint32_t saddr, uint32_t daddr,
	      uint16_t sport, uint16_t dport);

/* output (state_out.c) */
int state_list(struct ctx *c);
int state_show(struct ctx *c, const char *name);
int state_timeouts(struct ctx *c, const char *name);
void print_flows(const struct sf_table *t, bool tcp);

/* the save file (state_io.c) */
int state_save(struct ctx *c, const char *ne, const char *path);
int state_restore(struct ctx *c, const char *ne, const char *path);
int state_check(struct ctx *c, const char *path);

#endif
