/* SPDX-License-Identifier: GPL-2.0 */
/* State tables and flows: requests (state_req.c) and output (state_out.c). */
#ifndef CLICKUPCTL_STATE_H
#define CLICKUPCTL_STATE_H

#include <stdbool.h>

#include "nl.h"
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

struct flow_key {
	uint8_t proto;
	uint32_t saddr, daddr;		/* network byte order */
	uint16_t sport, dport;		/* network byte order */
};

/* requests (state_req.c); -1 with e filled */
int fetch_tables(struct nlctx *nl, struct tlist *l, struct nlerr *e);
const struct tinfo *find_table(const struct tlist *l, const char *name);
/* The flows of one table, sorted by key, each once. */
int fetch_flows(struct nlctx *nl, struct sf_table *t, struct nlerr *e);
int fetch_ne_tables(struct nlctx *nl, const char *ne, struct ne_tables *nt,
		    struct nlerr *e);
/* One doit request on a table; put adds more attributes (or NULL). */
int table_req_nl(struct nlctx *nl, uint8_t cmd, const char *name,
		 int (*put)(struct nl_msg *, void *), void *arg, struct nlerr *e);
int put_max(struct nl_msg *m, void *arg);	/* arg: uint32_t * */
/* state set TABLE ...: what the request carries */
struct table_settings {
	bool has_max, has_policy;
	uint32_t max;
	uint8_t policy;
	uint32_t timeouts[CLICKUP_TIMEOUT_A_MAX + 1];	/* 0: unchanged */
};
int put_settings(struct nl_msg *m, void *arg);	/* arg: struct table_settings * */
int put_key(struct nl_msg *m, void *arg);	/* arg: struct flow_key *:
						 * CLICKUP_A_FLOW with the key */
/* Words of clickupctl's command line: 0, or -1 when malformed. */
int parse_u32(const char *s, uint32_t *v);
int parse_proto(const char *s, uint8_t *p);		/* tcp, udp, icmp, 0-255 */
int parse_endpoint(const char *s, uint32_t *addr, uint16_t *port); /* A[:P] */
/* "tcp-10.0.0.1:1234-10.0.0.2:80", the flow's key as one word (JSON
 * "key", the HTTP API's flow URLs); parse_flow_key reads it back.
 */
void flow_key_str(const struct sf_flow *f, char *buf, size_t size);
int parse_flow_key(const char *s, struct flow_key *k);
/* A flow's key attributes (network byte order addresses and ports). */
int put_tuple(struct nl_msg *m, uint8_t proto, uint32_t saddr, uint32_t daddr,
	      uint16_t sport, uint16_t dport);

/* output (state_out.c): fetch, then print (nothing printed on error) */
int tables_show(struct nlctx *nl, bool json, struct nlerr *e);
/* The flows of one table from offset on, at most limit (0: all);
 * *total (when not NULL) is how many the table has.
 */
int flows_show(struct nlctx *nl, const char *name, bool json, size_t offset,
	       size_t limit, size_t *total, struct nlerr *e);
/* The policy and timeouts of one table (ENOENT when there is none). */
int table_timeouts_show(struct nlctx *nl, const char *name, bool json,
			struct nlerr *e);
/* @tcp: with each TCP flow's window tracking (JSON only). */
void print_flows(const struct sf_table *t, size_t offset, size_t limit,
		 bool tcp);

#endif
