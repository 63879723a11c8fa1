// SPDX-License-Identifier: GPL-2.0
/*
 * State save file: encoding, and a decoder that checks every byte before
 * `state restore` sends anything. Layout in docs/state.md.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state_file.h"

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

uint32_t sf_crc32(const void *p, size_t n)
{
	static uint32_t table[256];
	const uint8_t *b = p;
	uint32_t crc = 0xffffffff;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	while (n--)
		crc = table[(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffff;
}

static const char *const state_names[__CLICKUP_FLOW_S_MAX] = {
	[CLICKUP_FLOW_S_NONE] = "none",
	[CLICKUP_FLOW_S_SYN_SENT] = "syn_sent",
	[CLICKUP_FLOW_S_SYN_RECV] = "syn_recv",
	[CLICKUP_FLOW_S_ESTABLISHED] = "established",
	[CLICKUP_FLOW_S_FIN_WAIT] = "fin_wait",
	[CLICKUP_FLOW_S_TIME_WAIT] = "time_wait",
	[CLICKUP_FLOW_S_CLOSE] = "close",
	[CLICKUP_FLOW_S_GENERIC] = "generic",
	[CLICKUP_FLOW_S_CLOSE_WAIT] = "close_wait",
	[CLICKUP_FLOW_S_LAST_ACK] = "last_ack",
	[CLICKUP_FLOW_S_SYN_SENT2] = "syn_sent2",
};

const char *sf_state_name(uint8_t state)
{
	return state < __CLICKUP_FLOW_S_MAX ? state_names[state] : "?";
}

void sf_free(struct sf *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->tables[i].flows);
	free(s->tables);
	s->tables = NULL;
	s->n = 0;
}

struct sf_table *sf_add_table(struct sf *s, const char *name, uint32_t max)
{
	struct sf_table *t;

	s->tables = xrealloc(s->tables, (s->n + 1) * sizeof(*s->tables));
	t = &s->tables[s->n++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->max = max;
	return t;
}

void sf_add_flow(struct sf_table *t, const struct sf_flow *f)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->flows = xrealloc(t->flows, t->cap * sizeof(*t->flows));
	}
	t->flows[t->n++] = *f;
}

int sf_tuple_cmp(uint8_t proto, uint32_t saddr, uint32_t daddr,
		 uint16_t sport, uint16_t dport, const struct sf_flow *b)
{
	uint64_t ka[3] = {
		proto,
		(uint64_t)__builtin_bswap32(saddr) << 32 | __builtin_bswap32(daddr),
		(uint64_t)__builtin_bswap16(sport) << 16 | __builtin_bswap16(dport),
	}, kb[3] = {
		b->proto,
		(uint64_t)__builtin_bswap32(b->saddr) << 32 | __builtin_bswap32(b->daddr),
		(uint64_t)__builtin_bswap16(b->sport) << 16 | __builtin_bswap16(b->dport),
	};

	for (int i = 0; i < 3; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

static int key_cmp(const struct sf_flow *a, const struct sf_flow *b)
{
	return sf_tuple_cmp(a->proto, a->saddr, a->daddr, a->sport, a->dport, b);
}

static int flow_cmp(const void *x, const void *y)
{
	return key_cmp(x, y);
}

void sf_sort_dedup(struct sf_table *t)
{
	size_t w = 0;

	if (!t->n)
		return;
	qsort(t->flows, t->n, sizeof(*t->flows), flow_cmp);
	for (size_t r = 1; r < t->n; r++) {
		if (key_cmp(&t->flows[w], &t->flows[r]))
			w++;
		t->flows[w] = t->flows[r];	/* a repeat: the later copy */
	}
	t->n = w + 1;
}

/* ---- little-endian fields ----------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (v >> (8 * i)) & 0xff;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- encoding ------------------------------------------------------------ */

size_t sf_encode(const struct sf *s, uint8_t **bufp)
{
	size_t size = SF_HDR_SIZE + SF_CRC_SIZE, off;
	uint8_t *b;

	for (size_t i = 0; i < s->n; i++)
		size += SF_TABLE_SIZE + s->tables[i].n * SF_REC_SIZE;
	b = calloc(1, size);
	if (!b)
		abort();
	memcpy(b, SF_MAGIC, sizeof(SF_MAGIC) - 1);
	put32(b + 16, SF_VERSION);
	put32(b + 20, SF_HDR_SIZE);
	put32(b + 24, SF_TABLE_SIZE);
	put32(b + 28, SF_REC_SIZE);
	put32(b + 32, (uint32_t)s->n);
	put32(b + 36, 0);			/* flags */
	put64(b + 40, size);
	put64(b + 48, s->created);
	memcpy(b + 56, s->ne, strnlen(s->ne, CLICKUP_NAME_MAX - 1));
	/* 88..95 reserved, zero */
	off = SF_HDR_SIZE;
	for (size_t i = 0; i < s->n; i++) {
		const struct sf_table *t = &s->tables[i];

		memcpy(b + off, t->name, strnlen(t->name, CLICKUP_NAME_MAX - 1));
		put32(b + off + 32, t->max);
		put32(b + off + 36, (uint32_t)t->n);
		off += SF_TABLE_SIZE;
		for (size_t k = 0; k < t->n; k++, off += SF_REC_SIZE) {
			const struct sf_flow *f = &t->flows[k];
			uint8_t *r = b + off;

			r[0] = f->proto;
			r[1] = f->state;
			r[2] = f->status;
			/* 3 reserved */
			memcpy(r + 4, &f->saddr, 4);
			memcpy(r + 8, &f->daddr, 4);
			memcpy(r + 12, &f->sport, 2);
			memcpy(r + 14, &f->dport, 2);
			memcpy(r + 16, &f->r_saddr, 4);
			memcpy(r + 20, &f->r_daddr, 4);
			memcpy(r + 24, &f->r_sport, 2);
			memcpy(r + 26, &f->r_dport, 2);
			put32(r + 28, f->timeout_ms);
			for (int d = 0; d < 2; d++) {
				uint8_t *q = r + 32 + 20 * d;

				put32(q, f->tcp[d].end);
				put32(q + 4, f->tcp[d].maxend);
				put32(q + 8, f->tcp[d].maxwin);
				put32(q + 12, f->tcp[d].maxack);
				q[16] = f->tcp[d].scale;
				q[17] = f->tcp[d].flags;
				/* 18..19 reserved */
			}
			/* 72..79 reserved */
		}
	}
	put32(b + off, sf_crc32(b, off));
	*bufp = b;
	return size;
}

/* ---- decoding ------------------------------------------------------------ */

static int err_set(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int err_set(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

static bool zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

/* A NUL-terminated, NUL-padded name field of CLICKUP_NAME_MAX bytes. */
static bool name_ok(const uint8_t *p)
{
	size_t len = strnlen((const char *)p, CLICKUP_NAME_MAX);

	return len < CLICKUP_NAME_MAX && zero(p + len, CLICKUP_NAME_MAX - len);
}

/* A version 2 record; -1 if a field is out of range. */
static int sf_record(const uint8_t *r, struct sf_flow *f)
{
	if (r[1] >= __CLICKUP_FLOW_S_MAX || (r[2] & ~CLICKUP_FLOW_F_ALL) || r[3] ||
	    !zero(r + 72, 8))
		return -1;
	f->proto = r[0];
	f->state = r[1];
	f->status = r[2];
	memcpy(&f->saddr, r + 4, 4);
	memcpy(&f->daddr, r + 8, 4);
	memcpy(&f->sport, r + 12, 2);
	memcpy(&f->dport, r + 14, 2);
	memcpy(&f->r_saddr, r + 16, 4);
	memcpy(&f->r_daddr, r + 20, 4);
	memcpy(&f->r_sport, r + 24, 2);
	memcpy(&f->r_dport, r + 26, 2);
	f->timeout_ms = get32(r + 28);
	for (int d = 0; d < 2; d++) {
		const uint8_t *q = r + 32 + 20 * d;

		if (q[16] > 14 || (q[17] & ~CLICKUP_TCP_F_ALL) || !zero(q + 18, 2))
			return -1;
		f->tcp[d].end = get32(q);
		f->tcp[d].maxend = get32(q + 4);
		f->tcp[d].maxwin = get32(q + 8);
		f->tcp[d].maxack = get32(q + 12);
		f->tcp[d].scale = q[16];
		f->tcp[d].flags = q[17];
	}
	return 0;
}

int sf_decode(const uint8_t *b, size_t len, struct sf *s, char *err,
	      size_t errsize, uint32_t *versionp)
{
	uint32_t version, ntables, crc, want, recsize;
	uint64_t fsize, need;
	size_t off;

	memset(s, 0, sizeof(*s));
	if (len < SF_MAGIC_SIZE ||
	    memcmp(b, SF_MAGIC, sizeof(SF_MAGIC) - 1) ||
	    !zero(b + sizeof(SF_MAGIC) - 1, SF_MAGIC_SIZE - sizeof(SF_MAGIC) + 1)) {
		/* a prefix of the magic is a truncated file, not a foreign one */
		if (len < SF_MAGIC_SIZE && !memcmp(b, SF_MAGIC, len < 13 ? len : 13))
			return err_set(err, errsize, "truncated at byte %zu", len);
		return err_set(err, errsize, "bad magic: not a clickupctl state file");
	}
	if (len < SF_HDR_SIZE + SF_CRC_SIZE)
		return err_set(err, errsize, "truncated at byte %zu", len);
	version = get32(b + 16);
	if (version != SF_VERSION && version != 1)
		return err_set(err, errsize,
			       "unsupported format version %u (this clickupctl reads 1 and %u)",
			       version, SF_VERSION);
	recsize = version == 1 ? SF_V1_REC_SIZE : SF_REC_SIZE;
	if (get32(b + 20) != SF_HDR_SIZE || get32(b + 24) != SF_TABLE_SIZE ||
	    get32(b + 28) != recsize)
		return err_set(err, errsize,
			       "bad header: section sizes %u/%u/%u, want %u/%u/%u",
			       get32(b + 20), get32(b + 24), get32(b + 28),
			       SF_HDR_SIZE, SF_TABLE_SIZE, recsize);
	fsize = get64(b + 40);
	if (len < fsize)
		return err_set(err, errsize,
			       "truncated at byte %zu (the header says %llu bytes)",
			       len, (unsigned long long)fsize);
	if (len > fsize)
		return err_set(err, errsize,
			       "trailing junk after byte %llu (file has %zu bytes)",
			       (unsigned long long)fsize, len);
	want = get32(b + len - SF_CRC_SIZE);
	crc = sf_crc32(b, len - SF_CRC_SIZE);
	if (crc != want)
		return err_set(err, errsize,
			       "checksum mismatch (stored crc32 %08x, computed %08x)",
			       want, crc);
	/* From here on the file is as written: errors are format errors. */
	ntables = get32(b + 32);
	if (get32(b + 36))
		return err_set(err, errsize, "unknown header flags 0x%x",
			       get32(b + 36));
	if (!name_ok(b + 56) || !zero(b + 88, 8))
		return err_set(err, errsize, "bad header: NE name or reserved bytes");
	memcpy(s->ne, b + 56, CLICKUP_NAME_MAX);
	s->created = get64(b + 48);
	off = SF_HDR_SIZE;
	for (uint32_t i = 0; i < ntables; i++) {
		struct sf_table *t;
		uint32_t count;

		if (len - SF_CRC_SIZE - off < SF_TABLE_SIZE)
			goto short_;
		if (!name_ok(b + off) || !b[off]) {
			sf_free(s);
			return err_set(err, errsize, "table %u at byte %zu: bad name",
				       i, off);
		}
		for (size_t k = 0; k < s->n; k++)
			if (!strcmp(s->tables[k].name, (const char *)b + off)) {
				sf_free(s);
				return err_set(err, errsize,
					       "table '%s' appears twice", b + off);
			}
		count = get32(b + off + 36);
		need = (uint64_t)count * recsize;
		t = sf_add_table(s, (const char *)b + off, get32(b + off + 32));
		off += SF_TABLE_SIZE;
		if (len - SF_CRC_SIZE - off < need)
			goto short_;
		for (uint32_t k = 0; k < count; k++, off += recsize) {
			struct sf_flow f = { 0 };
			int r = version == 1 ? sf_v1_record(b + off, &f) :
					       sf_record(b + off, &f);

			if (r < 0) {
				err_set(err, errsize,
					"table '%s', flow %u at byte %zu: bad record",
					t->name, k, off);
				sf_free(s);
				return -1;
			}
			sf_add_flow(t, &f);
		}
		if (version == 1)
			sf_v1_finish(t);
	}
	if (off != len - SF_CRC_SIZE) {
		sf_free(s);
		return err_set(err, errsize,
			       "%zu bytes after the last table (counts do not add up)",
			       len - SF_CRC_SIZE - off);
	}
	if (versionp)
		*versionp = version;
	return 0;
short_:
	sf_free(s);
	return err_set(err, errsize,
		       "table sections end past the checksum at byte %zu (counts do not add up)",
		       len - SF_CRC_SIZE);
}
