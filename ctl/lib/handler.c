// SPDX-License-Identifier: GPL-2.0
/* Read and write handlers (HANDLER_READ, HANDLER_WRITE) of one atom. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "clickup.h"
#include "print.h"

struct hval {
	char value[CLICKUP_HANDLER_VALUE_MAX];
	uint64_t generation;
	bool seen;
};

static int on_value(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct hval *v = arg;

	(void)cmd;
	nla_str_to(tb[CLICKUP_A_HANDLER_VALUE], v->value, sizeof(v->value));
	v->generation = nla_u64_or(tb[CLICKUP_A_GENERATION], 0);
	v->seen = true;
	return 0;
}

static struct nl_msg *handler_msg(struct nlctx *nl, uint8_t cmd,
				  const char *ne, const char *atom,
				  const char *handler, const char *value)
{
	struct nl_msg *m = nlc_msg(nl, cmd, NLM_F_ACK,
				   512 + (value ? strlen(value) : 0));

	if (!m || nla_put_string(m, CLICKUP_A_NE_NAME, ne) < 0 ||
	    nla_put_string(m, CLICKUP_A_ATOM_NAME, atom) < 0 ||
	    nla_put_string(m, CLICKUP_A_HANDLER, handler) < 0 ||
	    (value && nla_put_string(m, CLICKUP_A_HANDLER_VALUE, value) < 0)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

/* The record read and write print: the value alone in text. */
static void print_handler(bool json, const char *ne, const char *atom,
			  const char *handler, const char *value,
			  const uint64_t *generation)
{
	print_start(json);
	open_obj(NULL);
	jprint_str("ne", ne);
	jprint_str("atom", atom);
	jprint_str("handler", handler);
	if (generation)
		jprint_u64("generation", *generation);
	if (value) {
		size_t n = strlen(value);

		print_str("value", value, "%s%s", value,
			  n && value[n - 1] == '\n' ? "" : "\n");
	}
	close_obj();
	print_end();
}

int handler_read(struct nlctx *nl, const char *ne, const char *atom,
		 const char *handler, bool json, struct nlerr *e)
{
	static struct hval v;
	struct nl_msg *m = handler_msg(nl, CLICKUP_CMD_HANDLER_READ, ne, atom,
				       handler, NULL);

	if (!m) {
		nlerr_nomem(e);
		return -1;
	}
	memset(&v, 0, sizeof(v));
	if (nlc_talk(nl, m, on_value, &v, e) < 0)
		return -1;
	print_handler(json, ne, atom, handler, v.value, &v.generation);
	return 0;
}

/* Nothing printed in text (as delete); JSON says what was written. */
int handler_write(struct nlctx *nl, const char *ne, const char *atom,
		  const char *handler, const char *value, bool json,
		  struct nlerr *e)
{
	struct nl_msg *m = handler_msg(nl, CLICKUP_CMD_HANDLER_WRITE, ne, atom,
				       handler, value);

	if (!m) {
		nlerr_nomem(e);
		return -1;
	}
	if (nlc_talk(nl, m, NULL, NULL, e) < 0)
		return -1;
	if (json)
		print_handler(json, ne, atom, handler, value ? value : "", NULL);
	return 0;
}
