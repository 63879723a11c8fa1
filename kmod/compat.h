/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel version shims: keep every #if on LINUX_VERSION_CODE here. */
#ifndef _CLICKUP_COMPAT_H
#define _CLICKUP_COMPAT_H

#include <net/netlink.h>

/*
 * Prefer feature tests on macros to LINUX_VERSION_CODE.
 *
 * NL_SET_ERR_MSG_FMT (6.2+) keeps the text inside the extack. Older
 * kernels only store a pointer that netlink_ack() reads after the doit
 * returns, so the text has to outlive the call: clickup_extack_fmt()
 * writes it into one slot of a small ring (see registry.c).
 */
#ifdef NL_SET_ERR_MSG_FMT
#define CLICKUP_HAVE_EXTACK_FMT 1
#endif

#endif /* _CLICKUP_COMPAT_H */
