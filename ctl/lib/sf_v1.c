// SPDX-License-Identifier: GPL-2.0
/*
 * Save files of version 1 (before issue 11), converted to the flows of
 * version 2. A version 1 whitelist flow had one key, lower endpoint first,
 * and the side of its first SYN (init_dir): its ORIGINAL tuple is the key
 * oriented by init_dir, its REPLY the reverse. A version 1 NAT mapping was
 * two records, one per direction, each with its rewrite address (xaddr,
 * xport): the outbound one (client -> server, x = NAT address and port)
 * becomes the flow, with REPLY server -> NAT address and port, and its
 * partner (server -> NAT address, x = client) is dropped.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "state_file.h"

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int sf_v1_record(const uint8_t *r, struct sf_flow *f)
{
	uint32_t a[2], x;
	uint16_t p[2], xp;
	uint8_t init_dir = r[2], fin_dir = r[3];

	/* version 1 had states up to GENERIC (7) */
	if (r[1] > CLICKUP_FLOW_S_GENERIC || r[2] > 1 || r[3] > 1 ||
	    !zero(r + 22, 2) || !zero(r + 28, 4))
		return -1;
	memset(f, 0, sizeof(*f));
	f->proto = r[0];
	f->state = r[1];
	memcpy(&a[0], r + 4, 4);
	memcpy(&a[1], r + 8, 4);
	memcpy(&p[0], r + 12, 2);
	memcpy(&p[1], r + 14, 2);
	memcpy(&x, r + 16, 4);
	memcpy(&xp, r + 20, 2);
	f->timeout_ms = get32(r + 24);
	if (f->state == CLICKUP_FLOW_S_GENERIC) {
		f->saddr = a[0];
		f->sport = p[0];
		f->daddr = a[1];
		f->dport = p[1];
		/* as outbound: the answer comes back to x; see sf_v1_finish */
		f->r_saddr = a[1];
		f->r_sport = p[1];
		f->r_daddr = x || xp ? x : a[0];
		f->r_dport = x || xp ? xp : p[0];
		return 0;
	}
	f->saddr = a[init_dir];
	f->sport = p[init_dir];
	f->daddr = a[!init_dir];
	f->dport = p[!init_dir];
	f->r_saddr = f->daddr;
	f->r_sport = f->dport;
	f->r_daddr = f->saddr;
	f->r_dport = f->sport;
	switch (f->state) {
	case CLICKUP_FLOW_S_ESTABLISHED:
	case CLICKUP_FLOW_S_FIN_WAIT:
	case CLICKUP_FLOW_S_TIME_WAIT:
		/* whitelisted: the handshake was seen through */
		f->status = CLICKUP_FLOW_F_ASSURED | CLICKUP_FLOW_F_SEEN_REPLY;
		break;
	case CLICKUP_FLOW_S_SYN_RECV:
		f->status = CLICKUP_FLOW_F_SEEN_REPLY;
		break;
	}
	if (f->state == CLICKUP_FLOW_S_FIN_WAIT || f->state == CLICKUP_FLOW_S_TIME_WAIT)
		f->tcp[fin_dir != init_dir].flags |= CLICKUP_TCP_F_CLOSE_INIT;
	return 0;
}

/* The flow whose ORIGINAL tuple is the REPLY tuple of @f (sorted @t). */
static struct sf_flow *partner(struct sf_table *t, const struct sf_flow *f)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sf_tuple_cmp(f->proto, f->r_saddr, f->r_daddr, f->r_sport,
				  f->r_dport, &t->flows[mid]);

		if (!c)
			return &t->flows[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void sf_v1_finish(struct sf_table *t)
{
	size_t w = 0;
	bool *drop;

	sf_sort_dedup(t);
	drop = calloc(t->n + 1, sizeof(*drop));
	if (!drop)
		abort();
	/* an outbound NAT record's partner is keyed as its REPLY tuple */
	for (size_t i = 0; i < t->n; i++) {
		const struct sf_flow *f = &t->flows[i];
		struct sf_flow *g;

		if (f->state != CLICKUP_FLOW_S_GENERIC || drop[i])
			continue;
		g = partner(t, f);
		if (g && g != f && g->state == CLICKUP_FLOW_S_GENERIC)
			drop[g - t->flows] = true;
	}
	for (size_t r = 0; r < t->n; r++)
		if (!drop[r])
			t->flows[w++] = t->flows[r];
	t->n = w;
	free(drop);
}
