/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What clickupctl and clickupd both ask the kernel and print: each query
 * fetches everything first, then prints one record (text, or JSON with
 * json) through print.h, so a failed request prints nothing; -1 with e
 * filled on error.
 */
#ifndef CLICKUPCTL_CLICKUP_H
#define CLICKUPCTL_CLICKUP_H

#include <stdbool.h>
#include <stddef.h>

#include "dag.h"
#include "nl.h"
#include "nlmsg_dag.h"

/* atoms.c: the registered atom types */
int atoms_show(struct nlctx *nl, bool json, struct nlerr *e);

struct modload;	/* modload.h */

/* show.c: every NE (only == NULL) or one, as an array */
int ne_show(struct nlctx *nl, const char *only, bool json, struct nlerr *e);
/* The same; without array, the object(s) alone (one NE: one object). */
int ne_show_as(struct nlctx *nl, const char *only, bool json, bool array,
	       struct nlerr *e);

/* ne.c: create (up false) or upgrade NE to g (validated; bpf atoms'
 * fds loaded). The reply is printed as print_result(), with ml (modules
 * loaded from user space before, or NULL). On a kernel error where
 * describes the atom or edge its offset points at (" (atom 3 'x',
 * f.click:4)") and *atom is that atom's index (-1: none).
 */
int ne_put(struct nlctx *nl, const char *ne, bool up, const struct dag *g,
	   const struct modload *ml, bool json, struct nlerr *e, char *where,
	   size_t size, long *atom);
/* The kernel fails with ENOENT, *atom set, on an atom type that is not
 * registered instead of autoloading it (the caller loads it, resends).
 */
#define NE_PUT_NO_AUTOLOAD	0x1
int ne_put_flags(struct nlctx *nl, const char *ne, bool up,
		 const struct dag *g, const struct modload *ml,
		 unsigned int flags, bool json, struct nlerr *e, char *where,
		 size_t size, long *atom);
int ne_delete(struct nlctx *nl, const char *ne, struct nlerr *e);
/* 1 if NE exists, 0 if not, -1 with e on another error. */
int ne_exists(struct nlctx *nl, const char *ne, struct nlerr *e);
/* 0 if ne is a usable NE name (1..CLICKUP_NAME_MAX - 1 bytes). */
int ne_name_check(const char *ne);

/* result.c: a create/upgrade reply or an event: "<verb> NAME: generation
 * G in ..." or one JSON object (with "event" when event is given).
 */
void print_result(bool json, const char *event, struct nlattr **tb,
		  const struct modload *ml);
/* The event name of a multicast message's command, or NULL. */
const char *event_name(uint8_t cmd);

/* dag_print.c: check's summary; with JSON the whole parsed DAG */
void print_dag(const struct dag *g, bool syntax);

/* handler.c: Click's read and write handlers of one atom */
int handler_read(struct nlctx *nl, const char *ne, const char *atom,
		 const char *handler, bool json, struct nlerr *e);
int handler_write(struct nlctx *nl, const char *ne, const char *atom,
		  const char *handler, const char *value, bool json,
		  struct nlerr *e);

#endif
