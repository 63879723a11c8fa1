/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz: a structure-aware fuzzer of the "clickup" generic netlink
 * family. The attribute shapes come from the family's own policy, read
 * at run time with CTRL_CMD_GETPOLICY, so the fuzzer follows the kernel
 * when attributes change.
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define MAX_POLICIES	16
#define MAX_ATTRS	64
#define MAX_CMDS	64
#define MSG_MAX		(128 * 1024)

/* One attribute of one policy, as CTRL_CMD_GETPOLICY reports it. */
struct pattr {
	uint32_t type;		/* NL_ATTR_TYPE_*, 0 = not in the policy */
	bool has_min, has_max;
	uint64_t min, max;	/* value range (unsigned) */
	uint32_t min_len, max_len;
	int sub;		/* policy index of a nest, -1 if none */
};

struct policy {
	int maxtype;
	struct pattr a[MAX_ATTRS];
};

struct family {
	uint16_t id;
	int maxattr;
	int n_policies;
	struct policy pol[MAX_POLICIES];
	/* per command: GENL_CMD_CAP_* flags and the policy index, -1 none */
	uint32_t cmd_flags[MAX_CMDS];
	int cmd_policy[MAX_CMDS];
	int max_cmd;
};

/* A message under construction. */
struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;
};

/* Counts printed at the end. */
struct stats {
	unsigned long sent, send_err, replies, acks, dumps, dump_parts;
	unsigned long dump_intr, enobufs, abandoned, valid_ok;
	unsigned long err[4096];	/* replies by -errno */
	unsigned long by_kind[32];
};

/* rng.c-less: a tiny xorshift in nlfuzz.c */
uint64_t rnd(void);
static inline uint32_t rndn(uint32_t n) { return n ? rnd() % n : 0; }
static inline bool chance(uint32_t pct) { return rndn(100) < pct; }

/* nlio.c: building and talking */
void msg_init(struct msg *m, uint16_t type, uint16_t flags, uint32_t seq,
	      uint8_t cmd);
void *put(struct msg *m, uint16_t type, const void *data, size_t len);
void put_u32(struct msg *m, uint16_t type, uint32_t v);
void put_str(struct msg *m, uint16_t type, const char *s);
size_t nest_start(struct msg *m, uint16_t type);
void nest_end(struct msg *m, size_t off);
void msg_finish(struct msg *m);
int nl_open(void);
int nl_xfer(int fd, const void *buf, size_t len, bool want_dump,
	    struct stats *st, int timeout_ms);
int nl_request(int fd, struct msg *m, int timeout_ms,
	       void (*cb)(const struct nlmsghdr *nlh, void *arg), void *arg);

/* policy.c */
int family_load(int fd, const char *name, struct family *f);
void family_print(const struct family *f);

/* gen.c */
enum kind {
	K_VALID_DAG, K_VALID_STATE, K_POLICY, K_POLICY_BAD, K_RANDOM_CMD,
	K_FLIP, K_TRUNC, K_DEEP, K_ABANDON, K_MAX
};
extern const char *const kind_name[K_MAX];
void gen_init(const char *devs, int bpf_fd);
enum kind gen_message(struct msg *m, const struct family *f, uint32_t seq,
		      bool *dump);
void gen_mutate(struct msg *m, enum kind k);
int gen_valid_dag(struct msg *m, const struct family *f, uint32_t seq,
		  uint8_t cmd, const char *ne);

#endif
