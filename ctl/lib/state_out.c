// SPDX-License-Identifier: GPL-2.0
/* state list and state show: tables and flows, text or JSON. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print.h"
#include "state.h"

int tables_show(struct nlctx *nl, bool json, struct nlerr *e)
{
	static const char *const head[] = { "TABLE", "ENTRIES", "MAX", "INSERTED",
		"REFUSED", "EXPIRED", "ENTRY_SIZE", "MEMORY", "USERS" };
	static const char *const key[] = { "name", "entries", "max", "inserted",
		"refused", "expired", "entry_size", "memory", "users" };
	int w[9];
	struct tlist l = { 0 };

	if (fetch_tables(nl, &l, e) < 0) {
		free(l.v);
		return -1;
	}
	for (int k = 0; k < 9; k++)
		w[k] = (int)strlen(head[k]);
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[9] = { 0, t->entries, t->max, t->inserted, t->refused,
				  t->expired, t->entry_size, t->memory, t->users };

		if ((int)strlen(t->name) > w[0])
			w[0] = (int)strlen(t->name);
		for (int k = 1; k < 9; k++)
			if (decimals(v[k]) > w[k])
				w[k] = decimals(v[k]);
	}
	print_start(json);
	tprint("%-*s", w[0], head[0]);
	for (int k = 1; k < 9; k++)
		tprint("  %*s", w[k], head[k]);
	tprint("\n");
	open_arr(NULL);
	for (size_t i = 0; i < l.n; i++) {
		const struct tinfo *t = &l.v[i];
		uint64_t v[9] = { 0, t->entries, t->max, t->inserted, t->refused,
				  t->expired, t->entry_size, t->memory, t->users };

		open_obj(NULL);
		print_str(key[0], t->name, "%-*s", w[0], t->name);
		for (int k = 1; k < 9; k++)
			print_u64(key[k], v[k], "  %*" PRIu64, w[k], v[k]);
		tprint("\n");
		close_obj();
	}
	close_arr();
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

/* One object per flow in JSON; aligned columns in text:
 * proto src dst state [-> x] expires.
 */
void print_flows(const struct sf_table *t, size_t offset, size_t limit)
{
	char s[32], d[32], x[40], p[8], a[INET_ADDRSTRLEN], key[96];
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
		if (f->xaddr || f->xport) {
			addr_port(f->xaddr, f->xport, x + 3, sizeof(x) - 3);
			wx = (int)strlen(x + 3) + 3 > wx ? (int)strlen(x + 3) + 3 : wx;
		}
	}
	for (size_t i = offset; i < end; i++) {
		const struct sf_flow *f = &t->flows[i];
		const char *pn = proto_name(f->proto, p, sizeof(p));

		addr_port(f->saddr, f->sport, s, sizeof(s));
		addr_port(f->daddr, f->dport, d, sizeof(d));
		x[0] = 0;
		if (f->xaddr || f->xport) {
			memcpy(x, "-> ", 3);
			addr_port(f->xaddr, f->xport, x + 3, sizeof(x) - 3);
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
		print_str("state", sf_state_name(f->state), "  %-11s",
			  sf_state_name(f->state));
		jprint_u64("init_dir", f->init_dir);
		jprint_u64("fin_dir", f->fin_dir);
		jprint_str("xaddr", inet_ntop(AF_INET, &f->xaddr, a, sizeof(a)));
		jprint_u64("xport", ntohs(f->xport));
		if (wx)
			tprint("  %-*s", wx, x);
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
	print_flows(&t, offset, limit);
	close_arr();
	print_end();
	free(t.flows);
	return 0;
}
