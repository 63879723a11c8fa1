// SPDX-License-Identifier: GPL-2.0
/*
 * The family's shape at run time: CTRL_CMD_GETFAMILY for its id and ops,
 * CTRL_CMD_GETPOLICY (a dump, 5.10+) for every policy reachable from its
 * ops, attribute by attribute (type, value range, length range, nested
 * policy). nlfuzz generates from these tables only.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nlfuzz.h"

#define nla_for_each(a, start, len)					\
	for (a = (struct nlattr *)(start);				\
	     (len) >= (int)NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&	\
	     a->nla_len <= (len);					\
	     len -= NLA_ALIGN(a->nla_len),				\
	     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len)))

#define NLA_TYPE(a)	((a)->nla_type & NLA_TYPE_MASK)
#define NLA_DATA(a)	((void *)((char *)(a) + NLA_HDRLEN))
#define NLA_LEN(a)	((int)(a)->nla_len - (int)NLA_HDRLEN)

static uint64_t nla_uint(const struct nlattr *a)
{
	uint64_t v = 0;

	switch (NLA_LEN(a)) {
	case 1: v = *(uint8_t *)NLA_DATA(a); break;
	case 2: v = *(uint16_t *)NLA_DATA(a); break;
	case 4: v = *(uint32_t *)NLA_DATA(a); break;
	case 8: memcpy(&v, NLA_DATA(a), 8); break;
	}
	return v;
}

static void parse_family(const struct nlmsghdr *nlh, void *arg)
{
	struct family *f = arg;
	struct nlattr *a, *op, *oa;
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	nla_for_each(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len) {
		switch (NLA_TYPE(a)) {
		case CTRL_ATTR_FAMILY_ID:
			f->id = (uint16_t)nla_uint(a);
			break;
		case CTRL_ATTR_MAXATTR:
			f->maxattr = (int)nla_uint(a);
			break;
		case CTRL_ATTR_OPS: {
			int l1 = NLA_LEN(a);

			nla_for_each(op, NLA_DATA(a), l1) {
				int l2 = NLA_LEN(op);
				uint32_t id = 0, fl = 0;

				nla_for_each(oa, NLA_DATA(op), l2) {
					if (NLA_TYPE(oa) == CTRL_ATTR_OP_ID)
						id = (uint32_t)nla_uint(oa);
					else if (NLA_TYPE(oa) == CTRL_ATTR_OP_FLAGS)
						fl = (uint32_t)nla_uint(oa);
				}
				if (id < MAX_CMDS) {
					f->cmd_flags[id] = fl;
					if ((int)id > f->max_cmd)
						f->max_cmd = (int)id;
				}
			}
			break;
		}
		}
	}
}

static void parse_pattr(struct family *f, int pidx, struct nlattr *attr)
{
	int type = NLA_TYPE(attr), len = NLA_LEN(attr);
	struct pattr *p;
	struct nlattr *a;

	if (pidx >= MAX_POLICIES || type >= MAX_ATTRS)
		return;
	if (pidx >= f->n_policies)
		f->n_policies = pidx + 1;
	if (type > f->pol[pidx].maxtype)
		f->pol[pidx].maxtype = type;
	p = &f->pol[pidx].a[type];
	nla_for_each(a, NLA_DATA(attr), len) {
		switch (NLA_TYPE(a)) {
		case NL_POLICY_TYPE_ATTR_TYPE:
			p->type = (uint32_t)nla_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			p->has_min = true;
			p->min = nla_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			p->has_max = true;
			p->max = nla_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MIN_LENGTH:
			p->min_len = (uint32_t)nla_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_MAX_LENGTH:
			p->max_len = (uint32_t)nla_uint(a);
			break;
		case NL_POLICY_TYPE_ATTR_POLICY_IDX:
			p->sub = (int)nla_uint(a);
			break;
		}
	}
}

static void parse_policy(const struct nlmsghdr *nlh, void *arg)
{
	struct family *f = arg;
	struct nlattr *a, *b, *c;
	int len = (int)nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	nla_for_each(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN, len) {
		int l1 = NLA_LEN(a);

		if (NLA_TYPE(a) == CTRL_ATTR_POLICY) {
			/* [policy index] { [attr type] { NL_POLICY_TYPE_ATTR_* } } */
			nla_for_each(b, NLA_DATA(a), l1) {
				int l2 = NLA_LEN(b);

				nla_for_each(c, NLA_DATA(b), l2)
					parse_pattr(f, NLA_TYPE(b), c);
			}
		} else if (NLA_TYPE(a) == CTRL_ATTR_OP_POLICY) {
			/* [cmd] { POLICY_DO, POLICY_DUMP } */
			nla_for_each(b, NLA_DATA(a), l1) {
				int l2 = NLA_LEN(b), cmd = NLA_TYPE(b);

				nla_for_each(c, NLA_DATA(b), l2)
					if (cmd < MAX_CMDS)
						f->cmd_policy[cmd] = (int)nla_uint(c);
			}
		}
	}
}

int family_load(int fd, const char *name, struct family *f)
{
	static struct msg m;
	int err, i, j;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < MAX_CMDS; i++)
		f->cmd_policy[i] = -1;
	for (i = 0; i < MAX_POLICIES; i++)
		for (j = 0; j < MAX_ATTRS; j++)
			f->pol[i].a[j].sub = -1;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST, 1, CTRL_CMD_GETFAMILY);
	put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	err = nl_request(fd, &m, 5000, parse_family, f);
	if (err)
		return err;
	if (!f->id)
		return -ENOENT;

	msg_init(&m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP, 2,
		 CTRL_CMD_GETPOLICY);
	put(&m, CTRL_ATTR_FAMILY_ID, &f->id, sizeof(f->id));
	err = nl_request(fd, &m, 5000, parse_policy, f);
	if (err)
		return err;
	return f->n_policies ? 0 : -ENODATA;
}

static const char *const type_names[] = {
	"invalid", "flag", "u8", "u16", "u32", "u64", "s8", "s16", "s32",
	"s64", "binary", "string", "nul-string", "nested", "nested-array",
	"bitfield32",
};

void family_print(const struct family *f)
{
	int i, j;

	printf("# family id %u, maxattr %d, %d policies, commands:",
	       f->id, f->maxattr, f->n_policies);
	for (i = 0; i <= f->max_cmd; i++)
		if (f->cmd_flags[i])
			printf(" %d(%s%s,pol %d)", i,
			       f->cmd_flags[i] & GENL_CMD_CAP_DO ? "do" : "",
			       f->cmd_flags[i] & GENL_CMD_CAP_DUMP ? "+dump" : "",
			       f->cmd_policy[i]);
	printf("\n");
	for (i = 0; i < f->n_policies; i++) {
		printf("# policy %d:", i);
		for (j = 0; j <= f->pol[i].maxtype; j++) {
			const struct pattr *p = &f->pol[i].a[j];

			if (!p->type)
				continue;
			printf(" %d=%s", j, p->type < 16 ? type_names[p->type] : "?");
			if (p->sub >= 0)
				printf("->%d", p->sub);
			if (p->max_len)
				printf("[<=%u]", p->max_len);
			if (p->has_min || p->has_max)
				printf("[%llu..%llu]", (unsigned long long)p->min,
				       (unsigned long long)p->max);
		}
		printf("\n");
	}
}
