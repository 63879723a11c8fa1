/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel version shims: keep every #if on LINUX_VERSION_CODE here. */
#ifndef _CLICKUP_COMPAT_H
#define _CLICKUP_COMPAT_H

#include <linux/version.h>
#include <net/netlink.h>
#include <net/genetlink.h>

/*
 * Prefer feature tests on macros to LINUX_VERSION_CODE.
 *
 * NL_SET_ERR_MSG_FMT (6.2+) keeps the text inside the extack. Older
 * kernels only store a pointer that netlink_ack() reads after the doit
 * returns, so the text lives in a per-request buffer (extack.c).
 */
#ifdef NL_SET_ERR_MSG_FMT
#define CLICKUP_HAVE_EXTACK_FMT 1
#define CLICKUP_EXTACK_LEN	NETLINK_MAX_FMTMSG_LEN
#else
#define CLICKUP_EXTACK_LEN	192
#endif

/*
 * 6.2 keeps a dump's parsed attributes in an embedded struct genl_info
 * (genl_dumpit_info(cb)->info.attrs); 6.1 has them in ->attrs. No macro
 * marks the change, hence the version test.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define clickup_dumpit_attrs(cb) (genl_dumpit_info(cb)->info.attrs)
#else
#define clickup_dumpit_attrs(cb) (genl_dumpit_info(cb)->attrs)
#endif

/*
 * 6.10: __assign_str(field) copies from the source named in the event's
 * __string(field, src); before, it took both. Only expanded inside
 * TP_fast_assign(), where __assign_str is defined.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define clickup_assign_str(field, src) __assign_str(field)
#else
#define clickup_assign_str(field, src) __assign_str(field, src)
#endif

#endif /* _CLICKUP_COMPAT_H */
