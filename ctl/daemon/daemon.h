/* SPDX-License-Identifier: GPL-2.0 */
/*
 * clickupd: the HTTP API (docs/http-api.md) and the dashboard's files.
 * libmicrohttpd runs every request in one internal thread, so the
 * request side shares one netlink socket and the (per-thread) print
 * layer without locks; the events listener and the counters timer are
 * two more threads, each with its own socket, that hand the event
 * streams whole frames under a lock (sse.c).
 */
#ifndef CLICKUPD_DAEMON_H
#define CLICKUPD_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <microhttpd.h>

#include "nl.h"

struct cfg {
	const char *listen;		/* numeric address */
	uint16_t port;
	const char *www;		/* static files */
	const char *token_file;
	size_t max_body;
	unsigned int interval_ms;	/* counters on the event stream */
};

extern struct cfg cfg;

/* auth.c: the bearer token */
int token_setup(const char *path, char *err, size_t size);
bool token_ok(const char *authorization);

/* http.c: checks every request passes, then api.c, sse.c or files.c */
enum MHD_Result http_request(void *cls, struct MHD_Connection *c,
			     const char *url, const char *method,
			     const char *version, const char *upload,
			     size_t *upload_size, void **con_cls);
void http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe);

/* reply.c: responses (each takes or copies its body) */
enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
		      const char *type, char *body, size_t len);
/* {"error": text, "status": status, more...}: more is a JSON fragment
 * of members (",\"atom\":\"x\"") or "".
 */
enum MHD_Result reply_error(struct MHD_Connection *c, unsigned int status,
			    const char *more, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A kernel error: "what: strerror: extack<where>", its errno, status. */
enum MHD_Result reply_nlerr(struct MHD_Connection *c, const char *what,
			    const struct nlerr *e, const char *where,
			    const char *more, bool dag);
void set_common_headers(struct MHD_Response *r, bool api);

/* Output of one lib query into memory (print_to) */
struct out {
	char *buf;
	size_t len;
	FILE *f;
};
void out_open(struct out *o);
void out_close(struct out *o);	/* buf stays: free() it or reply() it */

/* api.c */
enum MHD_Result api_request(struct MHD_Connection *c, const char *method,
			    const char *url, const char *body, size_t len);
/* The request thread's socket, (re)opened on demand; NULL with e set. */
struct nlctx *api_nl(struct nlerr *e);
void api_nl_reset(void);
/* A socket of clickupd's (the API's, the counters'): the kernel's answer
 * is awaited NL_TIMEOUT_MS at most, so a lost one cannot stop the daemon.
 */
#define NL_TIMEOUT_MS	30000
int daemon_nl_open(struct nlctx *c, struct nlerr *e);

/* At most this many connections (libmicrohttpd's limit), so streams. */
#define STREAMS_MAX	64

/* sse.c: GET /api/v1/events */
int sse_start(struct MHD_Daemon *d);
enum MHD_Result sse_request(struct MHD_Connection *c);

/* files.c: the dashboard */
int files_open(const char *dir);
enum MHD_Result files_request(struct MHD_Connection *c, const char *url);

#endif
