// SPDX-License-Identifier: GPL-2.0
/*
 * Message generators of nlfuzz. Shapes come from the policy tables the
 * kernel reported (struct family); only the "valid" generators, which
 * must build DAGs and flows the kernel accepts, use the uapi numbering
 * and the atom types' argument rules (docs/atoms.md).
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/clickup.h>

#include "nlfuzz.h"

const char *const kind_name[K_MAX] = {
	"valid-dag", "valid-state", "policy", "policy-bad", "random-cmd",
	"byte-flip", "truncated", "deep-nest", "abandoned-dump",
};

/* Names are drawn from small pools so requests meet existing objects. */
static const char *const ne_pool[] = { "z0", "z1", "z2", "z3" };
/* fzt, fzn: the whitelist and NAT tables of pkt_lib.sh's live NEs (race.sh) */
static const char *const tbl_pool[] = { "t0", "t1", "t2", "fw", "fzt", "fzn" };
static const char *const type_pool[] = {
	"fromdevice", "fromhook", "todevice", "discard", "accept", "counter",
	"classifier", "strip", "unstrip", "checkipheader", "ipclassifier",
	"encap", "log", "bpf", "readstate", "sessioncheck", "writestate",
	"nat", "FromHook", "nosuchatom", "",
};
static const char *const arg_pool[] = {
	"ipv4", "ipv6", "forward", "input", "prerouting", "output",
	"postrouting", "-5", "0", "1", "14", "128", "129", "-", "12/0800",
	"12/08??", "14/40%f0", "!12/0800", "4095/00", "4096/00", "tcp", "udp",
	"icmp type 8", "tcp dst port 80 and tcp syn", "src net 10.0.0.0/8",
	"or", "not", "0x0800", "0x10000", "02:00:00:00:00:01", "t0", "t1",
	"10.0.0.254", "20000-20010", "65535-1", "lo", "nodev", "fz", "",
	"\"quoted prefix\"", "%s%s%n", "\x01\x7f", "ipv4 ", "64", "65",
};

static char devs[8][16] = { "lo" };
static int n_devs = 1;
static int bpf_prog_fd = -1;

void gen_init(const char *devlist, int bpf_fd)
{
	char buf[128], *tok, *save = NULL;

	bpf_prog_fd = bpf_fd;
	if (!devlist)
		return;
	snprintf(buf, sizeof(buf), "%s", devlist);
	n_devs = 0;
	for (tok = strtok_r(buf, ",", &save); tok && n_devs < 8;
	     tok = strtok_r(NULL, ",", &save))
		snprintf(devs[n_devs++], sizeof(devs[0]), "%s", tok);
	if (!n_devs)
		snprintf(devs[n_devs++], sizeof(devs[0]), "lo");
}

#define PICK(a)	(a)[rndn(sizeof(a) / sizeof((a)[0]))]

static const char *dev(void) { return devs[rndn(n_devs)]; }

static void rnd_bytes(uint8_t *p, size_t n)
{
	while (n--)
		*p++ = (uint8_t)rnd();
}

/* ---- valid DAGs ------------------------------------------------------ */

struct vatom {
	char type[32];
	char args[4][64];
	int nargs, outs, optional;	/* optional: outputs >= it may stay open */
	bool fd;
};

static void va(struct vatom *a, const char *type, int outs, int nargs, ...)
{
	__builtin_va_list ap;
	int i;

	memset(a, 0, sizeof(*a));
	snprintf(a->type, sizeof(a->type), "%s", type);
	a->outs = outs;
	a->optional = outs;
	a->nargs = nargs;
	__builtin_va_start(ap, nargs);
	for (i = 0; i < nargs; i++)
		snprintf(a->args[i], sizeof(a->args[i]), "%s",
			 __builtin_va_arg(ap, const char *));
	__builtin_va_end(ap);
}

static void pick_entry(struct vatom *a)
{
	static const char *const hooks[] = {
		"prerouting", "input", "forward", "output", "postrouting",
	};
	char prio[16];

	snprintf(prio, sizeof(prio), "%d", (int)rndn(201) - 100);
	switch (rndn(3)) {
	case 0:
		va(a, "fromdevice", 1, 1, dev());
		break;
	case 1:
		va(a, "fromhook", 1, 3, chance(50) ? "ipv4" : "IPv6",
		   PICK(hooks), prio);
		break;
	default:
		va(a, "fromhook", 1, 2, "ipv4", PICK(hooks));
		break;
	}
}

static void pick_middle(struct vatom *a)
{
	const char *t = PICK(tbl_pool);
	char n[8];

	snprintf(n, sizeof(n), "%u", rndn(129));
	switch (rndn(14)) {
	case 0: va(a, "counter", 1, 0); break;
	case 1: va(a, "strip", 1, 1, n); break;
	case 2: va(a, "unstrip", 1, 1, n); break;
	case 3: va(a, "log", 1, 1, "fz"); break;
	case 4: va(a, "encap", 1, 3, "0x0800", "02:00:00:00:00:01",
		   "02:00:00:00:00:02"); break;
	case 5: va(a, "checkipheader", 2, chance(50), "14");
		a->optional = 1; break;
	case 6: va(a, "classifier", 2, 2, "12/0800 23/06", "-"); break;
	case 7: va(a, "ipclassifier", 3, 3, "tcp dst port 80 and tcp syn",
		   "udp", "-"); break;
	case 8: va(a, "readstate", 2, 1, t); break;
	case 9: va(a, "sessioncheck", 3, 1, t); break;
	case 10: va(a, "writestate", 1, 1, t); break;
	case 11: va(a, "nat", 3, 3, t, "10.0.0.254", "20000-20100");
		a->optional = 2; break;
	case 12:
		if (bpf_prog_fd >= 0) {
			va(a, "bpf", 2, 1, "fuzz.o");
			a->fd = true;
			break;
		}
		/* fall through */
	default: va(a, "checkipheader", 2, 0); a->optional = 1; break;
	}
}

static void pick_terminal(struct vatom *a)
{
	switch (rndn(3)) {
	case 0: va(a, "discard", 0, 0); break;
	case 1: va(a, "accept", 0, 0); break;
	default: va(a, "todevice", 0, 1, dev()); break;
	}
}

static void put_atom(struct msg *m, int i, const struct vatom *a)
{
	char name[16];
	size_t at, args, arg;
	int j;

	snprintf(name, sizeof(name), "a%d", i);
	at = nest_start(m, (uint16_t)(i + 1));
	put_str(m, CLICKUP_ATOM_A_NAME, name);
	put_str(m, CLICKUP_ATOM_A_TYPE, a->type);
	if (a->nargs) {
		args = nest_start(m, CLICKUP_ATOM_A_ARGS);
		for (j = 0; j < a->nargs; j++) {
			arg = nest_start(m, (uint16_t)(j + 1));
			put_str(m, CLICKUP_ARG_A_VALUE, a->args[j]);
			nest_end(m, arg);
		}
		nest_end(m, args);
	}
	if (a->fd)
		put_u32(m, CLICKUP_ATOM_A_FD, (uint32_t)bpf_prog_fd);
	nest_end(m, at);
}

/*
 * entry -> up to 5 middles -> terminal; every output of an atom feeds
 * the next one (an input may take many edges), optional ones sometimes
 * left open.
 */
int gen_valid_dag(struct msg *m, const struct family *f, uint32_t seq,
		  uint8_t cmd, const char *ne)
{
	struct vatom at[8];
	size_t dag, list, e;
	int n = 0, i, p, k = 0;

	msg_init(m, f->id, NLM_F_REQUEST | NLM_F_ACK, seq, cmd);
	put_str(m, CLICKUP_A_NE_NAME, ne);
	pick_entry(&at[n++]);
	for (i = (int)rndn(6); i > 0; i--)
		pick_middle(&at[n++]);
	pick_terminal(&at[n++]);

	dag = nest_start(m, CLICKUP_A_DAG);
	list = nest_start(m, CLICKUP_DAG_A_ATOMS);
	for (i = 0; i < n; i++)
		put_atom(m, i, &at[i]);
	nest_end(m, list);
	list = nest_start(m, CLICKUP_DAG_A_EDGES);
	for (i = 0; i + 1 < n; i++) {
		for (p = 0; p < at[i].outs; p++) {
			if (p >= at[i].optional && chance(50))
				continue;
			e = nest_start(m, (uint16_t)++k);
			put_u32(m, CLICKUP_EDGE_A_SRC, (uint32_t)i);
			put_u32(m, CLICKUP_EDGE_A_PORT, (uint32_t)p);
			put_u32(m, CLICKUP_EDGE_A_DST, (uint32_t)i + 1);
			if (chance(50))
				put_u32(m, CLICKUP_EDGE_A_DST_PORT, 0);
			nest_end(m, e);
		}
	}
	nest_end(m, list);
	nest_end(m, dag);
	msg_finish(m);
	return n;
}

/* ---- valid state-table and query requests ---------------------------- */

static void put_flow(struct msg *m, uint16_t type, bool key_only)
{
	size_t fl = nest_start(m, type);
	uint8_t proto = chance(80) ? 6 : 17;
	uint32_t sa = htonl(0x0a000001 + rndn(4));
	uint32_t da = htonl(0x0a000002 + rndn(4));
	uint16_t sp = htons((uint16_t)(1000 + rndn(8)));
	uint16_t dp = htons(80);

	put(m, CLICKUP_FLOW_A_PROTO, &proto, 1);
	put(m, CLICKUP_FLOW_A_SADDR, &sa, 4);
	put(m, CLICKUP_FLOW_A_DADDR, &da, 4);
	put(m, CLICKUP_FLOW_A_SPORT, &sp, 2);
	put(m, CLICKUP_FLOW_A_DPORT, &dp, 2);
	if (!key_only) {
		uint8_t st = (uint8_t)rndn(__CLICKUP_FLOW_S_MAX), d = (uint8_t)rndn(2);

		put(m, CLICKUP_FLOW_A_STATE, &st, 1);
		put(m, CLICKUP_FLOW_A_INIT_DIR, &d, 1);
		if (chance(30))
			put_u32(m, CLICKUP_FLOW_A_TIMEOUT, rndn(200000));
		if (chance(30)) {
			put(m, CLICKUP_FLOW_A_XADDR, &sa, 4);
			put(m, CLICKUP_FLOW_A_XPORT, &sp, 2);
		}
	}
	nest_end(m, fl);
}

static void gen_valid_state(struct msg *m, const struct family *f,
			    uint32_t seq, bool *dump)
{
	const uint16_t rq = NLM_F_REQUEST | NLM_F_ACK;
	const char *t = PICK(tbl_pool);
	int i;

	*dump = false;
	switch (rndn(11)) {
	case 0:
		msg_init(m, f->id, rq, seq, CLICKUP_CMD_TABLE_SET);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		put_u32(m, CLICKUP_A_TABLE_MAX, 1 + rndn(chance(50) ? 8 : 100000));
		break;
	case 1:
		msg_init(m, f->id, rq, seq, CLICKUP_CMD_TABLE_FLUSH);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		break;
	case 2:
		msg_init(m, f->id, rq, seq, CLICKUP_CMD_TABLE_DEL);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		break;
	case 3:
	case 4:
		msg_init(m, f->id, rq, seq, CLICKUP_CMD_FLOW_NEW);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		for (i = 1 + (int)rndn(chance(10) ? 2000 : 20); i > 0; i--)
			put_flow(m, CLICKUP_A_FLOW, false);
		break;
	case 5:
		msg_init(m, f->id, rq, seq, CLICKUP_CMD_FLOW_DEL);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		put_flow(m, CLICKUP_A_FLOW, true);
		break;
	case 6:
		msg_init(m, f->id, rq | NLM_F_DUMP, seq, CLICKUP_CMD_FLOW_GET);
		put_str(m, CLICKUP_A_TABLE_NAME, t);
		*dump = true;
		break;
	case 7:
		msg_init(m, f->id, rq | NLM_F_DUMP, seq, CLICKUP_CMD_TABLE_GET);
		*dump = true;
		break;
	case 8:
		msg_init(m, f->id, rq | NLM_F_DUMP, seq, CLICKUP_CMD_DAG_GET);
		put_str(m, CLICKUP_A_NE_NAME, PICK(ne_pool));
		*dump = true;
		break;
	case 9:
		msg_init(m, f->id, rq | (chance(50) ? NLM_F_DUMP : 0), seq,
			 CLICKUP_CMD_NE_GET);
		put_str(m, CLICKUP_A_NE_NAME, PICK(ne_pool));
		*dump = true;
		break;
	default:
		msg_init(m, f->id, rq | NLM_F_DUMP, seq, CLICKUP_CMD_ATOM_GET);
		*dump = true;
		break;
	}
	msg_finish(m);
}

/* ---- policy-driven attributes ---------------------------------------- */

static void gen_attrs(struct msg *m, const struct family *f, int pidx,
		      int depth, int bad);

static uint64_t pick_uint(const struct pattr *p, int bad)
{
	static const uint64_t edge[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 15, 16, 17, 63, 64, 65, 255, 256,
		1023, 1024, 1025, 65535, 65536, 0x7fffffff, 0x80000000,
		0xffffffff, ~0ULL,
	};

	if (p->has_min || p->has_max) {
		uint64_t lo = p->min, hi = p->has_max ? p->max : ~0ULL;

		if (bad && chance(50))
			return chance(50) ? hi + 1 : lo - 1;
		if (hi - lo < 1000000)
			return lo + rnd() % (hi - lo + 1);
	}
	if (chance(70))
		return rndn(8);
	return chance(70) ? PICK(edge) : rnd();
}

static const char *pick_string(void)
{
	switch (rndn(4)) {
	case 0: return PICK(ne_pool);
	case 1: return PICK(tbl_pool);
	case 2: return PICK(type_pool);
	default: return PICK(arg_pool);
	}
}

static const int int_size[] = {
	[NL_ATTR_TYPE_U8] = 1, [NL_ATTR_TYPE_U16] = 2, [NL_ATTR_TYPE_U32] = 4,
	[NL_ATTR_TYPE_U64] = 8, [NL_ATTR_TYPE_S8] = 1, [NL_ATTR_TYPE_S16] = 2,
	[NL_ATTR_TYPE_S32] = 4, [NL_ATTR_TYPE_S64] = 8,
};

/* One attribute of policy type p; bad: percent chance of a wrong shape. */
static void gen_attr(struct msg *m, const struct family *f, uint16_t type,
		     const struct pattr *p, int depth, int bad)
{
	uint8_t buf[600];
	bool wrong = chance((uint32_t)bad);
	size_t n, off, el;
	uint64_t v;
	int i;

	if (wrong && chance(25)) {
		/* any shape: random bytes, or a nest where none belongs */
		if (chance(50)) {
			n = rndn(chance(90) ? 12 : sizeof(buf));
			rnd_bytes(buf, n);
			put(m, type, buf, n);
		} else {
			off = nest_start(m, type);
			gen_attrs(m, f, (int)rndn((uint32_t)f->n_policies),
				  depth + 1, bad);
			nest_end(m, off);
		}
		return;
	}

	switch (p->type) {
	case NL_ATTR_TYPE_FLAG:
		put(m, type, buf, wrong ? 1 + rndn(4) : 0);
		break;
	case NL_ATTR_TYPE_U8: case NL_ATTR_TYPE_U16: case NL_ATTR_TYPE_U32:
	case NL_ATTR_TYPE_U64: case NL_ATTR_TYPE_S8: case NL_ATTR_TYPE_S16:
	case NL_ATTR_TYPE_S32: case NL_ATTR_TYPE_S64:
		v = pick_uint(p, wrong);
		n = (size_t)int_size[p->type];
		if (wrong && chance(50))
			n = rndn(10);	/* wrong length */
		memset(buf, 0, sizeof(buf));
		memcpy(buf, &v, n < 8 ? n : 8);
		put(m, type, buf, n);
		break;
	case NL_ATTR_TYPE_NUL_STRING:
	case NL_ATTR_TYPE_STRING:
	case NL_ATTR_TYPE_BINARY:
		n = (size_t)snprintf((char *)buf, sizeof(buf), "%s",
				     pick_string());
		if (wrong) {
			switch (rndn(4)) {
			case 0:	/* no NUL */
				put(m, type, buf, n);
				return;
			case 1:	/* one past the limit */
				n = p->max_len ? p->max_len + rndn(3) : 300;
				if (n >= sizeof(buf))
					n = sizeof(buf) - 1;
				memset(buf, 'x', n);
				buf[n] = 0;
				break;
			case 2:	/* embedded NUL and junk */
				rnd_bytes(buf, 8);
				buf[3] = 0;
				n = 8;
				break;
			default: /* empty, or just a NUL */
				n = 0;
				break;
			}
		}
		put(m, type, buf, n + 1);
		break;
	case NL_ATTR_TYPE_NESTED:
		off = nest_start(m, type);
		if (p->sub >= 0)
			gen_attrs(m, f, p->sub, depth + 1, bad);
		nest_end(m, off);
		break;
	case NL_ATTR_TYPE_NESTED_ARRAY:
		off = nest_start(m, type);
		for (i = (int)rndn(chance(3) ? 1100 : 7); i > 0; i--) {
			if (wrong && chance(20)) {	/* element not a nest */
				v = rnd();
				put(m, (uint16_t)i, &v, rndn(9));
				continue;
			}
			el = nest_start(m, chance(90) ? (uint16_t)i : (uint16_t)rndn(65536));
			if (p->sub >= 0)
				gen_attrs(m, f, p->sub, depth + 1, bad);
			nest_end(m, el);
		}
		nest_end(m, off);
		break;
	default:	/* bitfield32 and anything newer: some bytes */
		n = rndn(9);
		rnd_bytes(buf, n);
		put(m, type, buf, n);
		break;
	}
}

static void gen_attrs(struct msg *m, const struct family *f, int pidx,
		      int depth, int bad)
{
	const struct policy *pol;
	int t, reps;

	if (pidx < 0 || pidx >= f->n_policies || depth > 8)
		return;
	pol = &f->pol[pidx];
	for (t = 1; t <= pol->maxtype; t++) {
		if (!pol->a[t].type || chance(depth ? 15 : 40))
			continue;
		/* repeated attributes: FLOW_NEW takes them, others must cope */
		reps = chance(10) ? 1 + (int)rndn(5) : 1;
		while (reps--)
			gen_attr(m, f, (uint16_t)t, &pol->a[t], depth, bad);
	}
	/* attribute types the policy does not know */
	if (bad && chance(bad / 2)) {
		uint8_t b[8] = { 0 };

		put(m, (uint16_t)(chance(50) ? 0 : pol->maxtype + 1 + rndn(4)),
		    b, rndn(9));
	}
}

/* ---- the mix --------------------------------------------------------- */

static uint8_t known_cmd(const struct family *f)
{
	int c, tries = 100;

	do {
		c = (int)rndn((uint32_t)f->max_cmd + 1);
	} while (!f->cmd_flags[c] && --tries);
	return (uint8_t)c;
}

static void gen_policy_msg(struct msg *m, const struct family *f,
			   uint32_t seq, uint8_t cmd, uint16_t flags, int bad)
{
	int pidx = cmd < MAX_CMDS ? f->cmd_policy[cmd] : -1;

	msg_init(m, f->id, flags, seq, cmd);
	gen_attrs(m, f, pidx >= 0 ? pidx : (int)rndn((uint32_t)f->n_policies),
		  0, bad);
	msg_finish(m);
}

static uint16_t flags_for(const struct family *f, uint8_t cmd, bool *dump)
{
	uint32_t caps = cmd < MAX_CMDS ? f->cmd_flags[cmd] : 0;
	uint16_t fl = NLM_F_REQUEST | NLM_F_ACK;

	if ((caps & GENL_CMD_CAP_DUMP) &&
	    (!(caps & GENL_CMD_CAP_DO) || chance(50)))
		fl |= NLM_F_DUMP;
	if (chance(10))		/* dump on a doit op, no ACK, CREATE|EXCL... */
		fl = (uint16_t)(NLM_F_REQUEST | (rnd() & 0xfffe));
	*dump = (fl & NLM_F_DUMP) == NLM_F_DUMP;
	return fl;
}

enum kind gen_message(struct msg *m, const struct family *f, uint32_t seq,
		      bool *dump)
{
	enum kind k;
	uint8_t cmd;
	size_t off;
	int i, r = (int)rndn(100);

	*dump = false;
	/* valid DAGs are ~30x dearer (RCU grace periods, hooks): 10% */
	if (r < 10)
		k = K_VALID_DAG;
	else if (r < 28)
		k = K_VALID_STATE;
	else if (r < 50)
		k = K_POLICY;
	else if (r < 72)
		k = K_POLICY_BAD;
	else if (r < 77)
		k = K_RANDOM_CMD;
	else if (r < 89)
		k = K_FLIP;
	else if (r < 95)
		k = K_TRUNC;
	else if (r < 98)
		k = K_DEEP;
	else
		k = K_ABANDON;

	switch (k) {
	case K_VALID_DAG:
		cmd = chance(15) ? CLICKUP_CMD_NE_DEL :
		      chance(50) ? CLICKUP_CMD_NE_NEW : CLICKUP_CMD_NE_UPGRADE;
		if (cmd == CLICKUP_CMD_NE_DEL) {
			msg_init(m, f->id, NLM_F_REQUEST | NLM_F_ACK, seq, cmd);
			put_str(m, CLICKUP_A_NE_NAME, PICK(ne_pool));
			msg_finish(m);
		} else {
			gen_valid_dag(m, f, seq, cmd, PICK(ne_pool));
		}
		break;
	case K_VALID_STATE:
	case K_ABANDON:
		gen_valid_state(m, f, seq, dump);
		break;
	case K_POLICY:
	case K_POLICY_BAD:
		cmd = known_cmd(f);
		gen_policy_msg(m, f, seq, cmd, flags_for(f, cmd, dump),
			       k == K_POLICY ? 0 : 30);
		break;
	case K_RANDOM_CMD:
		cmd = (uint8_t)(chance(50) ? rndn(256) : f->max_cmd + 1 + rndn(3));
		gen_policy_msg(m, f, seq, cmd,
			       (uint16_t)(NLM_F_REQUEST | (rnd() & 0xfffe)), 10);
		*dump = true;
		break;
	case K_FLIP:
	case K_TRUNC:
		if (chance(50))
			gen_valid_dag(m, f, seq, chance(50) ? CLICKUP_CMD_NE_NEW :
				      CLICKUP_CMD_NE_UPGRADE, PICK(ne_pool));
		else
			gen_valid_state(m, f, seq, dump);
		gen_mutate(m, k);
		*dump = true;
		break;
	case K_DEEP:
		cmd = chance(50) ? CLICKUP_CMD_NE_NEW : known_cmd(f);
		msg_init(m, f->id, NLM_F_REQUEST | NLM_F_ACK, seq, cmd);
		put_str(m, CLICKUP_A_NE_NAME, PICK(ne_pool));
		{
			size_t offs[256];
			int d = 1 + (int)rndn(chance(50) ? 255 : 6);
			uint16_t t = (uint16_t)(chance(70) ? CLICKUP_A_DAG :
						1 + rndn((uint32_t)f->maxattr + 1));

			for (i = 0; i < d; i++) {
				offs[i] = nest_start(m, t);
				t = (uint16_t)(chance(70) ? 1 : rndn(16));
			}
			if (chance(50))
				put_u32(m, 1 + (uint16_t)rndn(4), rndn(3));
			while (i--)
				nest_end(m, offs[i]);
		}
		/* and a nest inside a string attribute */
		if (chance(50)) {
			off = nest_start(m, CLICKUP_A_TABLE_NAME);
			put_str(m, 1, "t0");
			nest_end(m, off);
		}
		msg_finish(m);
		break;
	default:
		break;
	}
	return k;
}

/* Byte flips keep nlmsg_type: other families are not the target. */
void gen_mutate(struct msg *m, enum kind k)
{
	struct nlmsghdr *nlh = (void *)m->buf;
	uint16_t type = nlh->nlmsg_type;
	size_t i, n;

	if (k == K_FLIP) {
		for (n = 1 + rndn(8); n; n--) {
			i = NLMSG_HDRLEN / 2 + rndn((uint32_t)(m->len - NLMSG_HDRLEN / 2));
			if (chance(50))
				m->buf[i] ^= (uint8_t)(1u << rndn(8));
			else
				m->buf[i] = (uint8_t)rnd();
		}
		nlh->nlmsg_type = type;
		if (chance(80))
			nlh->nlmsg_len = (uint32_t)m->len;
		return;
	}
	/* truncated: at a random byte; the header says so, or says more */
	n = rndn((uint32_t)m->len);
	if (n < NLMSG_HDRLEN && chance(70))
		n = NLMSG_HDRLEN + rndn((uint32_t)(m->len - NLMSG_HDRLEN));
	m->len = n;
	if (n >= 4)
		nlh->nlmsg_len = chance(80) ? (uint32_t)n : (uint32_t)n + 1 + rndn(64);
}
