// SPDX-License-Identifier: GPL-2.0
/*
 * Formatted extack messages whose text belongs to one request.
 *
 * 6.2+ keeps the text inside struct netlink_ext_ack. 6.1 keeps a pointer
 * that netlink_ack() reads after the doit returns, and our family runs
 * requests in parallel, so no shared buffer is safe: a concurrent tenant
 * could overwrite another's text, leaking names across namespaces, or
 * change its length under netlink_ack(). Instead each doit runs inside a
 * clickup_req whose buffer lives on the doit wrapper's stack, and the
 * wrapper sends the ack itself while the text is alive (returning -EINTR,
 * which tells netlink_rcv_skb() the ack is done).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/list.h>
#include <linux/spinlock.h>
#include <net/genetlink.h>
#include "compat.h"
#include "internal.h"

#ifndef CLICKUP_HAVE_EXTACK_FMT
static LIST_HEAD(clickup_reqs);
static DEFINE_SPINLOCK(clickup_reqs_lock);

void clickup_req_begin(struct clickup_req *req, struct netlink_ext_ack *extack)
{
	req->extack = extack;
	req->msg[0] = '\0';
	spin_lock(&clickup_reqs_lock);
	list_add(&req->list, &clickup_reqs);
	spin_unlock(&clickup_reqs_lock);
}

int clickup_req_end(struct clickup_req *req, struct sk_buff *skb,
		    struct nlmsghdr *nlh, int err)
{
	spin_lock(&clickup_reqs_lock);
	list_del(&req->list);
	spin_unlock(&clickup_reqs_lock);
	if (!req->extack || req->extack->_msg != req->msg)
		return err;
	if (err || (nlh->nlmsg_flags & NLM_F_ACK))
		netlink_ack(skb, nlh, err, req->extack);
	req->extack->_msg = NULL;
	return -EINTR;
}

static char *clickup_req_buf(const struct netlink_ext_ack *extack)
{
	struct clickup_req *req;
	char *buf = NULL;

	spin_lock(&clickup_reqs_lock);
	list_for_each_entry(req, &clickup_reqs, list) {
		if (req->extack == extack) {
			buf = req->msg;
			break;
		}
	}
	spin_unlock(&clickup_reqs_lock);
	return buf;
}
#endif

/**
 * clickup_extack_fmt - set a printf-style extack message
 * @extack: the request's extack (may be NULL)
 * @fmt: format
 *
 * In a doit of the clickup family the text reaches the caller in full. On
 * kernels without formatted extack support, outside a doit (dumps use
 * constant messages) the caller gets "invalid request", never another
 * request's text.
 */
void clickup_extack_fmt(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	va_list ap;
	char *buf;

	if (!extack)
		return;
#ifdef CLICKUP_HAVE_EXTACK_FMT
	buf = extack->_msg_buf;
#else
	buf = clickup_req_buf(extack);
	if (!buf) {
		pr_debug("extack outside a request: %s\n", fmt);
		extack->_msg = "invalid request";
		return;
	}
#endif
	va_start(ap, fmt);
	vsnprintf(buf, CLICKUP_EXTACK_LEN, fmt, ap);
	va_end(ap);
	extack->_msg = buf;
}
EXPORT_SYMBOL_GPL(clickup_extack_fmt);
