// SPDX-License-Identifier: GPL-2.0
/* state list and state show: tables and flows, text or JSON. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "state.h"

const char *const timeout_names[CLICKUP_TIMEOUT_A_MAX + 1] = {
	[CLICKUP_TIMEOUT_A_TCP_SYN_SENT] = "tcp_syn_sent",
	[CLICKUP_TIMEOUT_A_TCP_SYN_RECV] = "tcp_syn_recv",
	[CLICKUP_TIMEOUT_A_TCP_ESTABLISHED] = "tcp_established",
	[CLICKUP_TIMEOUT_A_TCP_FIN_WAIT] = "tcp_fin_wait",
	[CLICKUP_TIMEOUT_A_TCP_CLOSE_WAIT] = "tcp_close_wait",
	[CLICKUP_TIMEOUT_A_TCP_LAST_ACK] = "tcp_last_ack",
	[CLICKUP_TIMEOUT_A_TCP_TIME_WAIT] = "tcp_time_wait",
	[CLICKUP_TIMEOUT_A_TCP_CLOSE] = "tcp_close",
	[CLICKUP_TIMEOUT_A_TCP_UNACK] = "tcp_unack",
	[CLICKUP_TIMEOUT_A_UDP_UNREPLIED] = "udp_unreplied",
	[CLICKUP_TIMEOUT_A_UDP_REPLIED] = "udp_replied",
	[CLICKUP_TIMEOUT_A_GENERIC] = "generic",
};

const char *policy_name(uint8_t policy)
{
	return policy == CLICKUP_POLICY_STRICT ? "strict" :
	       policy == CLICKUP_POLICY_LIBERAL ? "liberal" : "?";
}

#define NCOLS 11

int tables_show(struct nlctx *nl, bool json, struct nlerr *e)
{
	static const char *const head[NCOLS] = { "TABLE", "ENTRIES", "MAX",
		"INSERTED", "REFUSED", "EXPIRED", "ENTRY_SIZE", "MEMORY", "USERS",
		"INVALID", "EVICTED" };
	static const char *const key[NCOLS] = { "name", "entries", "max",
		"inserted", "refused", "expired", "entry_size", "memory", "users",
		"invalid", "evicted" };
	int w[NCOLS];
	struct tlist l = { 0 };

	if (fetch_tables(nl, &l, e) < 0) {
		free(l.v);
		return -1;
	}
	for (int k = 0; k < NCOLS; k++)
		w[k] = (int)strlen(head[k]);
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[NCOLS] = { 0, t->entries, t->max, t->inserted,
				      t->refused, t->expired, t->entry_size,
				      t->memory, t->users, t->invalid, t->evicted };

		if ((int)strlen(t->name) > w[0])
			w[0] = (int)strlen(t->name);
		for (int k = 1; k < NCOLS; k++)
			if (decimals(v[k]) > w[k])
				w[k] = decimals(v[k]);
	}
	print_start(json);
	tprint("%-*s", w[0], head[0]);
	for (int k = 1; k < NCOLS; k++)
		tprint("  %*s", w[k], head[k]);
	tprint("  POLICY\n");
	open_arr(NULL);
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[NCOLS] = { 0, t->entries, t->max, t->inserted,
				      t->refused, t->expired, t->entry_size,
				      t->memory, t->users, t->invalid, t->evicted };

		open_obj(NULL);
		print_str(key[0], t->name, "%-*s", w[0], t->name);
		for (int k = 1; k < NCOLS; k++)
			print_u64(key[k], v[k], "  %*" PRIu64, w[k], v[k]);
		print_str("policy", policy_name(t->policy), "  %s\n",
			  policy_name(t->policy));
		open_obj("timeouts");
		for (int k = 1; k <= CLICKUP_TIMEOUT_A_MAX; k++)
			jprint_u64(timeout_names[k], t->timeouts[k]);
		close_obj();
		close_obj();
	}
	close_arr();
	print_end();
	free(l.v);
	return 0;
}

/* state timeouts TABLE: its policy and timeouts, one per line. */
int table_timeouts_show(struct nlctx *nl, const char *name, bool json,
			struct nlerr *e)
{
	struct tlist l = { 0 };
	const struct tinfo *t;

	if (fetch_tables(nl, &l, e) < 0) {
		free(l.v);
		return -1;
	}
	t = find_table(&l, name);
	if (!t) {
		free(l.v);
		*e = (struct nlerr){ .err = ENOENT, .offs = -1, .miss_type = -1 };
		snprintf(e->msg, sizeof(e->msg), "no such state table");
		return -1;
	}
	print_start(json);
	open_obj(NULL);
	print_str("policy", policy_name(t->policy), "policy %s\n",
		  policy_name(t->policy));
	open_obj("timeouts");
	for (int k = 1; k <= CLICKUP_TIMEOUT_A_MAX; k++)
		print_u64(timeout_names[k], t->timeouts[k], "%-16s %u\n",
			  timeout_names[k], t->timeouts[k]);
	close_obj();
	close_obj();
	print_end();
	free(l.v);
	return 0;
}

static const char *proto_name(uint8_t p, char *buf, size_t size)
{
	switch (p) {
	case 1: return "icmp";
	case 6: return "tcp";
	case 17: return "udp";
	}
	snprintf(buf, size, "%u", p);
	return buf;
}

static void addr_port(uint32_t addr, uint16_t port, char *buf, size_t size)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(buf, size, "%s:%u", a, ntohs(port));
}

static bool reply_is_reverse(const struct sf_flow *f)
{
	return f->r_saddr == f->daddr && f->r_daddr == f->saddr &&
	       f->r_sport == f->dport && f->r_dport == f->sport;
}

static void print_tcp(const char *name, const struct sf_tcp *s)
{
	open_obj(name);
	jprint_u64("end", s->end);
	jprint_u64("maxend", s->maxend);
	jprint_u64("maxwin", s->maxwin);
	jprint_u64("maxack", s->maxack);
	jprint_u64("scale", s->scale);
	jprint_u64("flags", s->flags);
	close_obj();
}

/* Flows offset to offset + limit (limit 0: all). One object per flow in
 * JSON (with the TCP window tracking if @tcp); aligned columns in text:
 * proto src dst state flags [reply tuple] expires. The REPLY tuple is
 * printed only when it is not the reverse of ORIGINAL (a NAT mapping).
 */
void print_flows(const struct sf_table *t, size_t offset, size_t limit,
		 bool tcp)
{
	char s[32], d[32], x[80], p[8], a[INET_ADDRSTRLEN], key[96];
	size_t end = limit && limit < t->n - offset ? offset + limit : t->n;
	int ws = 1, wd = 1, wx = 0;

	if (offset > t->n)
		offset = end = t->n;
	for (size_t i = offset; i < end; i++) {
		const struct sf_flow *f = &t->flows[i];

		addr_port(f->saddr, f->sport, s, sizeof(s));
		addr_port(f->daddr, f->dport, d, sizeof(d));
		ws = (int)strlen(s) > ws ? (int)strlen(s) : ws;
		wd = (int)strlen(d) > wd ? (int)strlen(d) : wd;
		if (!reply_is_reverse(f)) {
			char rs[32], rd[32];

			addr_port(f->r_saddr, f->r_sport, rs, sizeof(rs));
			addr_port(f->r_daddr, f->r_dport, rd, sizeof(rd));
			snprintf(x, sizeof(x), "reply %s -> %s", rs, rd);
			wx = (int)strlen(x) > wx ? (int)strlen(x) : wx;
		}
	}
	for (size_t i = offset; i < end; i++) {
		const struct sf_flow *f = &t->flows[i];
		const char *pn = proto_name(f->proto, p, sizeof(p));
		const char *fl = f->status & CLICKUP_FLOW_F_ASSURED ? "assured" :
				 f->status & CLICKUP_FLOW_F_SEEN_REPLY ? "replied" : "-";

		addr_port(f->saddr, f->sport, s, sizeof(s));
		addr_port(f->daddr, f->dport, d, sizeof(d));
		x[0] = 0;
		if (!reply_is_reverse(f)) {
			char rs[32], rd[32];

			addr_port(f->r_saddr, f->r_sport, rs, sizeof(rs));
			addr_port(f->r_daddr, f->r_dport, rd, sizeof(rd));
			snprintf(x, sizeof(x), "reply %s -> %s", rs, rd);
		}
		open_obj(NULL);
		flow_key_str(f, key, sizeof(key));
		jprint_str("key", key);
		print_str("proto", pn, "%-4s", pn);
		jprint_u64("proto_num", f->proto);
		jprint_str("saddr", inet_ntop(AF_INET, &f->saddr, a, sizeof(a)));
		jprint_u64("sport", ntohs(f->sport));
		jprint_str("daddr", inet_ntop(AF_INET, &f->daddr, a, sizeof(a)));
		jprint_u64("dport", ntohs(f->dport));
		tprint(" %-*s  %-*s", ws, s, wd, d);
		open_obj("reply");
		jprint_str("saddr", inet_ntop(AF_INET, &f->r_saddr, a, sizeof(a)));
		jprint_u64("sport", ntohs(f->r_sport));
		jprint_str("daddr", inet_ntop(AF_INET, &f->r_daddr, a, sizeof(a)));
		jprint_u64("dport", ntohs(f->r_dport));
		close_obj();
		print_str("state", sf_state_name(f->state), "  %-11s",
			  sf_state_name(f->state));
		tprint("  %-7s", fl);
		jprint_bool("assured", f->status & CLICKUP_FLOW_F_ASSURED);
		jprint_bool("seen_reply", f->status & CLICKUP_FLOW_F_SEEN_REPLY);
		if (wx)
			tprint("  %-*s", wx, x);
		if (tcp && f->proto == 6) {
			print_tcp("tcp_orig", &f->tcp[0]);
			print_tcp("tcp_reply", &f->tcp[1]);
		}
		print_u64("expires_ms", f->timeout_ms, "  expires %u.%us\n",
			  f->timeout_ms / 1000, f->timeout_ms % 1000 / 100);
		close_obj();
	}
}

int flows_show(struct nlctx *nl, const char *name, bool json, size_t offset,
	       size_t limit, size_t *total, struct nlerr *e)
{
	struct sf_table t = { 0 };

	snprintf(t.name, sizeof(t.name), "%s", name);
	if (fetch_flows(nl, &t, e) < 0) {
		free(t.flows);
		return -1;
	}
	if (total)
		*total = t.n;
	print_start(json);
	open_arr(NULL);
	print_flows(&t, offset, limit, false);
	close_arr();
	print_end();
	free(t.flows);
	return 0;
}
