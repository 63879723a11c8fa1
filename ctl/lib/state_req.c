// SPDX-License-Identifier: GPL-2.0
/* state: the netlink requests (tables, flows, the tables an NE uses). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <strings.h>

#include "state.h"

int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	unsigned long long n;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > UINT32_MAX)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

int parse_proto(const char *s, uint8_t *p)
{
	uint32_t v;

	if (!strcasecmp(s, "tcp"))
		*p = 6;
	else if (!strcasecmp(s, "udp"))
		*p = 17;
	else if (!strcasecmp(s, "icmp"))
		*p = 1;
	else if (!parse_u32(s, &v) && v <= 255)
		*p = (uint8_t)v;
	else
		return -1;
	return 0;
}

/* ADDR:PORT or ADDR (port 0); address and port in network order. */
int parse_endpoint(const char *s, uint32_t *addr, uint16_t *port)
{
	char buf[64], *colon;
	uint32_t v = 0;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	colon = strrchr(buf, ':');
	if (colon) {
		*colon = 0;
		if (parse_u32(colon + 1, &v) || v > 65535)
			return -1;
	}
	if (inet_pton(AF_INET, buf, addr) != 1)
		return -1;
	*port = htons((uint16_t)v);
	return 0;
}

int put_key(struct nl_msg *m, void *arg)
{
	const struct flow_key *k = arg;
	struct nlattr *nest = nla_nest_start(m, CLICKUP_A_FLOW);

	if (!nest ||
	    put_tuple(m, k->proto, k->saddr, k->daddr, k->sport, k->dport) < 0)
		return -1;
	return nla_nest_end(m, nest) < 0 ? -1 : 0;
}


static int on_table(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *t[CLICKUP_TABLE_A_MAX + 1];
	struct tlist *l = arg;
	struct tinfo *ti;

	(void)cmd;
	if (!tb[CLICKUP_A_TABLE] ||
	    nla_parse_nested(t, CLICKUP_TABLE_A_MAX, tb[CLICKUP_A_TABLE], NULL) < 0)
		return 0;
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	if (!l->v)
		abort();
	ti = &l->v[l->n++];
	nla_str_to(t[CLICKUP_TABLE_A_NAME], ti->name, sizeof(ti->name));
	ti->entries = nla_u32_or(t[CLICKUP_TABLE_A_ENTRIES], 0);
	ti->max = nla_u32_or(t[CLICKUP_TABLE_A_LIMIT], 0);
	ti->inserted = nla_u64_or(t[CLICKUP_TABLE_A_INSERTED], 0);
	ti->refused = nla_u64_or(t[CLICKUP_TABLE_A_REFUSED], 0);
	ti->expired = nla_u64_or(t[CLICKUP_TABLE_A_EXPIRED], 0);
	ti->entry_size = nla_u32_or(t[CLICKUP_TABLE_A_ENTRY_SIZE], 0);
	ti->memory = nla_u64_or(t[CLICKUP_TABLE_A_MEMORY], 0);
	ti->users = nla_u32_or(t[CLICKUP_TABLE_A_USERS], 0);
	ti->invalid = nla_u64_or(t[CLICKUP_TABLE_A_INVALID], 0);
	ti->evicted = nla_u64_or(t[CLICKUP_TABLE_A_EVICTED], 0);
	if (t[CLICKUP_TABLE_A_POLICY] && nla_len(t[CLICKUP_TABLE_A_POLICY]) >= 1)
		ti->policy = nla_get_u8(t[CLICKUP_TABLE_A_POLICY]);
	memset(ti->timeouts, 0, sizeof(ti->timeouts));
	if (t[CLICKUP_TABLE_A_TIMEOUTS]) {
		struct nlattr *to[CLICKUP_TIMEOUT_A_MAX + 1];

		if (nla_parse_nested(to, CLICKUP_TIMEOUT_A_MAX,
				     t[CLICKUP_TABLE_A_TIMEOUTS], NULL) >= 0)
			for (int i = 1; i <= CLICKUP_TIMEOUT_A_MAX; i++)
				ti->timeouts[i] = nla_u32_or(to[i], 0);
	}
	return 0;
}

int fetch_tables(struct nlctx *nl, struct tlist *l, struct nlerr *e)
{
	struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_TABLE_GET, NLM_F_DUMP, 0);

	if (!m) {
		nlerr_nomem(e);
		return -1;
	}
	return nlc_talk(nl, m, on_table, l, e) < 0 ? -1 : 0;
}

const struct tinfo *find_table(const struct tlist *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

static uint8_t u8_or(struct nlattr *a, uint8_t dflt)
{
	return a && nla_len(a) >= 1 ? nla_get_u8(a) : dflt;
}

static uint16_t u16_or(struct nlattr *a, uint16_t dflt)
{
	return a && nla_len(a) >= 2 ? nla_get_u16(a) : dflt;
}

static void tcp_from_attr(struct nlattr *nest, struct sf_tcp *s)
{
	struct nlattr *t[CLICKUP_TCP_A_MAX + 1];

	if (!nest || nla_parse_nested(t, CLICKUP_TCP_A_MAX, nest, NULL) < 0)
		return;
	s->end = nla_u32_or(t[CLICKUP_TCP_A_END], 0);
	s->maxend = nla_u32_or(t[CLICKUP_TCP_A_MAXEND], 0);
	s->maxwin = nla_u32_or(t[CLICKUP_TCP_A_MAXWIN], 0);
	s->maxack = nla_u32_or(t[CLICKUP_TCP_A_MAXACK], 0);
	s->scale = u8_or(t[CLICKUP_TCP_A_SCALE], 0);
	s->flags = u8_or(t[CLICKUP_TCP_A_FLAGS], 0) & CLICKUP_TCP_F_ALL;
	if (s->scale > 14)
		s->scale = 14;
}

static void flow_from_attr(struct nlattr *nest, struct sf_table *t)
{
	struct nlattr *f[CLICKUP_FLOW_A_MAX + 1];
	struct sf_flow fl = { 0 };

	if (nla_parse_nested(f, CLICKUP_FLOW_A_MAX, nest, NULL) < 0)
		return;
	fl.proto = u8_or(f[CLICKUP_FLOW_A_PROTO], 0);
	fl.saddr = nla_u32_or(f[CLICKUP_FLOW_A_SADDR], 0);
	fl.daddr = nla_u32_or(f[CLICKUP_FLOW_A_DADDR], 0);
	fl.sport = u16_or(f[CLICKUP_FLOW_A_SPORT], 0);
	fl.dport = u16_or(f[CLICKUP_FLOW_A_DPORT], 0);
	/* an older kernel: no REPLY tuple, the reverse */
	fl.r_saddr = nla_u32_or(f[CLICKUP_FLOW_A_R_SADDR], fl.daddr);
	fl.r_daddr = nla_u32_or(f[CLICKUP_FLOW_A_R_DADDR], fl.saddr);
	fl.r_sport = u16_or(f[CLICKUP_FLOW_A_R_SPORT], fl.dport);
	fl.r_dport = u16_or(f[CLICKUP_FLOW_A_R_DPORT], fl.sport);
	fl.state = u8_or(f[CLICKUP_FLOW_A_STATE], 0);
	fl.status = u8_or(f[CLICKUP_FLOW_A_STATUS], 0) & CLICKUP_FLOW_F_ALL;
	fl.timeout_ms = nla_u32_or(f[CLICKUP_FLOW_A_TIMEOUT], 0);
	tcp_from_attr(f[CLICKUP_FLOW_A_TCP_ORIG], &fl.tcp[0]);
	tcp_from_attr(f[CLICKUP_FLOW_A_TCP_REPLY], &fl.tcp[1]);
	if (fl.state >= __CLICKUP_FLOW_S_MAX)
		fl.state = CLICKUP_FLOW_S_NONE;
	sf_add_flow(t, &fl);
}

/* genlmsg_parse keeps only the last CLICKUP_A_FLOW of a message: walk
 * every attribute from the first to the last one it found (they are
 * contiguous in the message) and take each flow.
 */
static int on_flows(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct sf_table *t = arg;
	char *start = NULL, *end = NULL;
	struct nlattr *a;
	int rem;

	(void)cmd;
	for (int i = 0; i <= CLICKUP_A_MAX; i++) {
		char *p = (char *)tb[i];

		if (!p)
			continue;
		if (!start || p < start)
			start = p;
		if (!end || p + nla_total_size(nla_len(tb[i])) > end)
			end = p + nla_total_size(nla_len(tb[i]));
	}
	if (!start || !tb[CLICKUP_A_FLOW])
		return 0;
	nla_for_each_attr(a, (struct nlattr *)start, (int)(end - start), rem)
		if (nla_type(a) == CLICKUP_A_FLOW)
			flow_from_attr(a, t);
	return 0;
}

/* The flows of one table, sorted by key, each once. */
int fetch_flows(struct nlctx *nl, struct sf_table *t, struct nlerr *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_FLOW_GET, NLM_F_DUMP, 64);
		int r;

		t->n = 0;
		if (!m || nla_put_string(m, CLICKUP_A_TABLE_NAME, t->name) < 0) {
			nlmsg_free(m);
			nlerr_nomem(e);
			return -1;
		}
		r = nlc_talk(nl, m, on_flows, t, e);
		/* 6.1 drops the extack of a dump's start callback */
		if (r < 0 && e->err == ENOENT && !e->msg[0])
			snprintf(e->msg, sizeof(e->msg), "no state table '%s'",
				 t->name);
		if (r < 0)
			return -1;
		if (r == 0) {
			sf_sort_dedup(t);
			return 0;
		}
	}
	*e = (struct nlerr){ .err = EAGAIN, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "table kept changing during the dump");
	return -1;
}

int table_req_nl(struct nlctx *nl, uint8_t cmd, const char *name,
		 int (*put)(struct nl_msg *, void *), void *arg, struct nlerr *e)
{
	struct nl_msg *m = nlc_msg(nl, cmd, NLM_F_ACK, 256);

	if (!m || nla_put_string(m, CLICKUP_A_TABLE_NAME, name) < 0 ||
	    (put && put(m, arg) < 0)) {
		nlmsg_free(m);
		nlerr_nomem(e);
		return -1;
	}
	return nlc_talk(nl, m, NULL, NULL, e) < 0 ? -1 : 0;
}

int put_max(struct nl_msg *m, void *arg)
{
	return nla_put_u32(m, CLICKUP_A_TABLE_MAX, *(uint32_t *)arg);
}

int put_settings(struct nl_msg *m, void *arg)
{
	const struct table_settings *ts = arg;
	struct nlattr *nest;
	bool any = false;

	if ((ts->has_max && nla_put_u32(m, CLICKUP_A_TABLE_MAX, ts->max) < 0) ||
	    (ts->has_policy &&
	     nla_put_u8(m, CLICKUP_A_TABLE_POLICY, ts->policy) < 0))
		return -1;
	for (int i = 1; i <= CLICKUP_TIMEOUT_A_MAX; i++)
		any |= ts->timeouts[i] != 0;
	if (!any)
		return 0;
	nest = nla_nest_start(m, CLICKUP_A_TABLE_TIMEOUTS);
	if (!nest)
		return -1;
	for (int i = 1; i <= CLICKUP_TIMEOUT_A_MAX; i++)
		if (ts->timeouts[i] &&
		    nla_put_u32(m, (int)i, ts->timeouts[i]) < 0)
			return -1;
	return nla_nest_end(m, nest) < 0 ? -1 : 0;
}

static int on_atom_table(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *t[CLICKUP_ATOM_A_MAX + 1];
	struct ne_tables *nt = arg;
	uint64_t gen = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	char name[CLICKUP_NAME_MAX];

	(void)cmd;
	if (!tb[CLICKUP_A_ATOM] ||
	    nla_parse_nested(t, CLICKUP_ATOM_A_MAX, tb[CLICKUP_A_ATOM], NULL) < 0)
		return 0;
	if (nt->gen_seen && gen != nt->generation)
		nt->gen_mixed = true;
	nt->gen_seen = true;
	nt->generation = gen;
	if (!t[CLICKUP_ATOM_A_TABLE] ||
	    !*nla_str_to(t[CLICKUP_ATOM_A_TABLE], name, sizeof(name)))
		return 0;
	for (size_t i = 0; i < nt->n; i++)
		if (!strcmp(nt->names[i], name))
			return 0;
	nt->names = realloc(nt->names, (nt->n + 1) * sizeof(*nt->names));
	if (!nt->names)
		abort();
	memcpy(nt->names[nt->n++], name, sizeof(name));
	return 0;
}

int fetch_ne_tables(struct nlctx *nl, const char *ne,
			   struct ne_tables *nt, struct nlerr *e)
{
	for (int attempt = 0; attempt < 5; attempt++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_DAG_GET, NLM_F_DUMP, 64);
		int r;

		nt->n = 0;
		nt->gen_seen = nt->gen_mixed = false;
		if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0) {
			nlmsg_free(m);
			nlerr_nomem(e);
			return -1;
		}
		r = nlc_talk(nl, m, on_atom_table, nt, e);
		if (r < 0)
			return -1;
		if (r == 0 && !nt->gen_mixed)
			return 0;
	}
	*e = (struct nlerr){ .err = EAGAIN, .offs = -1, .miss_type = -1 };
	snprintf(e->msg, sizeof(e->msg), "DAG kept changing during the dump");
	return -1;
}

int put_tuple(struct nl_msg *m, uint8_t proto, uint32_t saddr, uint32_t daddr,
	      uint16_t sport, uint16_t dport)
{
	return nla_put_u8(m, CLICKUP_FLOW_A_PROTO, proto) < 0 ||
	       nla_put_u32(m, CLICKUP_FLOW_A_SADDR, saddr) < 0 ||
	       nla_put_u32(m, CLICKUP_FLOW_A_DADDR, daddr) < 0 ||
	       nla_put_u16(m, CLICKUP_FLOW_A_SPORT, sport) < 0 ||
	       nla_put_u16(m, CLICKUP_FLOW_A_DPORT, dport) < 0 ? -1 : 0;
}

void flow_key_str(const struct sf_flow *f, char *buf, size_t size)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN], p[8];
	const char *pn = f->proto == 6 ? "tcp" : f->proto == 17 ? "udp" :
			 f->proto == 1 ? "icmp" : p;

	snprintf(p, sizeof(p), "%u", f->proto);
	inet_ntop(AF_INET, &f->saddr, s, sizeof(s));
	inet_ntop(AF_INET, &f->daddr, d, sizeof(d));
	snprintf(buf, size, "%s-%s:%u-%s:%u", pn, s, ntohs(f->sport), d,
		 ntohs(f->dport));
}

int parse_flow_key(const char *s, struct flow_key *k)
{
	char buf[96], *a, *b;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	a = strchr(buf, '-');
	b = a ? strchr(a + 1, '-') : NULL;
	if (!b)
		return -1;
	*a++ = 0;
	*b++ = 0;
	return parse_proto(buf, &k->proto) || parse_endpoint(a, &k->saddr, &k->sport) ||
	       parse_endpoint(b, &k->daddr, &k->dport) ? -1 : 0;
}
