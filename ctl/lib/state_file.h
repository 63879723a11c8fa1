/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The state save file (`clickupctl state save/restore`): a versioned,
 * checksummed, kernel-independent image of state tables. The layout is
 * documented in docs/state.md; every integer is little-endian except the
 * addresses and ports, which keep the network byte order the kernel
 * stores them in.
 */
#ifndef CLICKUPCTL_STATE_FILE_H
#define CLICKUPCTL_STATE_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/clickup.h>

#define SF_MAGIC	"CLICKUP-STATE"	/* NUL-padded to 16 bytes */
#define SF_MAGIC_SIZE	16
#define SF_VERSION	2
#define SF_HDR_SIZE	96
#define SF_TABLE_SIZE	40
#define SF_REC_SIZE	80
#define SF_V1_REC_SIZE	32	/* version 1 (before issue 11), still read */
#define SF_CRC_SIZE	4

/* What one direction of a TCP flow sent (enum clickup_tcp_attr). */
struct sf_tcp {
	uint32_t end, maxend, maxwin, maxack;
	uint8_t scale, flags;
};

/* A flow: its ORIGINAL tuple (s*, d*) and its REPLY tuple (r_*). */
struct sf_flow {
	uint8_t proto, state, status;
	uint32_t saddr, daddr, r_saddr, r_daddr;	/* network byte order */
	uint16_t sport, dport, r_sport, r_dport;	/* network byte order */
	uint32_t timeout_ms;
	struct sf_tcp tcp[2];	/* [0] ORIGINAL side, [1] REPLY side */
};

struct sf_table {
	char name[CLICKUP_NAME_MAX];
	uint32_t max;
	struct sf_flow *flows;
	size_t n, cap;
};

struct sf {
	char ne[CLICKUP_NAME_MAX];	/* the NE saved (informative) */
	uint64_t created;		/* unix time of the save */
	struct sf_table *tables;
	size_t n;
};

void sf_free(struct sf *s);
struct sf_table *sf_add_table(struct sf *s, const char *name, uint32_t max);
void sf_add_flow(struct sf_table *t, const struct sf_flow *f);
/* Sorts the flows by key and drops repeated keys (a dump may repeat). */
void sf_sort_dedup(struct sf_table *t);
/* Order of a tuple (proto, saddr, daddr, sport, dport; network order)
 * against @b's ORIGINAL tuple: proto, then addresses and ports in numeric
 * order; the order sf_sort_dedup() sorts by.
 */
int sf_tuple_cmp(uint8_t proto, uint32_t saddr, uint32_t daddr,
		 uint16_t sport, uint16_t dport, const struct sf_flow *b);

/* The whole file in a malloc'ed buffer; returns its size. */
size_t sf_encode(const struct sf *s, uint8_t **buf);
/* Validates everything (magic, version, sizes, counts, checksum, no
 * trailing bytes, field ranges) and fills s; on error returns -1 with a
 * message such as "checksum mismatch" or "truncated at byte 120". A
 * version 1 file is converted (sf_v1.c); *version says which it was.
 */
int sf_decode(const uint8_t *buf, size_t len, struct sf *s, char *err,
	      size_t errsize, uint32_t *version);
/* A version 1 record (32 bytes) as a flow; its table's records are
 * paired up afterwards by sf_v1_finish().
 */
int sf_v1_record(const uint8_t *r, struct sf_flow *f);
void sf_v1_finish(struct sf_table *t);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()). */
uint32_t sf_crc32(const void *p, size_t n);

/* Flow state names as clickupctl prints them ("established"). */
const char *sf_state_name(uint8_t state);

#endif
