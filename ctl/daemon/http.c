// SPDX-License-Identifier: GPL-2.0
/*
 * Every request first: Host (DNS rebinding) and Origin (CSRF) checks, the
 * token for changes, the body limit; then the API, the event stream or a
 * static file. A refusal is answered before any body is read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "daemon.h"

struct req {
	char *body;
	size_t len, cap;
	bool answered;		/* refused before its body */
};

/* The host part of a Host header (no port, no brackets). */
static void host_only(const char *h, char *buf, size_t size)
{
	size_t n;

	if (*h == '[') {
		n = strcspn(h + 1, "]");
		h++;
	} else {
		n = strcspn(h, ":");
	}
	if (n >= size)
		n = 0;	/* cannot be one of ours */
	memcpy(buf, h, n);
	buf[n] = 0;
}

static bool host_ok(const char *host)
{
	char h[256];

	if (!host)	/* HTTP/1.0; browsers always send one */
		return true;
	host_only(host, h, sizeof(h));
	return !strcasecmp(h, "localhost") || !strcmp(h, "127.0.0.1") ||
	       !strcmp(h, "::1") || !strcasecmp(h, cfg.listen);
}

/* A browser's cross-site request: an Origin other than our own. */
static bool origin_ok(struct MHD_Connection *c, const char *host)
{
	const char *o = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *s = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "Sec-Fetch-Site");

	if (s && !strcasecmp(s, "cross-site"))
		return false;
	if (!o)
		return true;
	return host && !strncasecmp(o, "http://", 7) && !strcasecmp(o + 7, host);
}

static bool is_api(const char *url)
{
	return !strncmp(url, "/api/", 5) || !strcmp(url, "/api");
}

/* 0, or the status refusing the request before its body. */
static unsigned int precheck(struct MHD_Connection *c, const char *url,
			     const char *method, const char **why)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	const char *len = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						      "Content-Length");
	bool reads = !strcmp(method, "GET") || !strcmp(method, "HEAD");

	if (!host_ok(host)) {
		*why = "Host not allowed (clickupd answers to localhost, 127.0.0.1, [::1] and its listening address)";
		return MHD_HTTP_FORBIDDEN;
	}
	if (!origin_ok(c, host)) {
		*why = "cross-origin request refused";
		return MHD_HTTP_FORBIDDEN;
	}
	if (len && strtoull(len, NULL, 10) > cfg.max_body) {
		*why = "request body too large";
		return MHD_HTTP_CONTENT_TOO_LARGE;
	}
	/* POST /check changes nothing; every other non-read does */
	if (is_api(url) && !reads && strcmp(url, "/api/v1/check") &&
	    !token_ok(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						  "Authorization"))) {
		*why = "missing or wrong token (Authorization: Bearer TOKEN; docs/http-api.md)";
		return MHD_HTTP_UNAUTHORIZED;
	}
	if (!is_api(url) && !reads) {
		*why = "static files are only read";
		return MHD_HTTP_METHOD_NOT_ALLOWED;
	}
	return 0;
}

static bool append(struct req *r, const char *data, size_t n)
{
	if (r->len + n > cfg.max_body)
		return false;
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap : 4096;

		while (cap < r->len + n + 1)
			cap *= 2;
		r->body = realloc(r->body, cap);
		if (!r->body)
			return false;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = 0;
	return true;
}

enum MHD_Result http_request(void *cls, struct MHD_Connection *c,
			     const char *url, const char *method,
			     const char *version, const char *upload,
			     size_t *upload_size, void **con_cls)
{
	struct req *r = *con_cls;
	const char *why = NULL;
	unsigned int status;

	(void)cls;
	(void)version;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return MHD_NO;
		*con_cls = r;
		status = precheck(c, url, method, &why);
		if (!status)
			return MHD_YES;	/* the body, if any, comes next */
		r->answered = true;
		return reply_error(c, status, "", "%s", why);
	}
	if (r->answered) {	/* not called again by MHD; be safe */
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		/* a chunked body past the limit: nothing to answer it with
		 * mid-upload, so the connection goes
		 */
		if (!append(r, upload, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (!strcmp(url, "/api/v1/events"))
		return strcmp(method, "GET") ?
		       reply_error(c, MHD_HTTP_METHOD_NOT_ALLOWED, "", "only GET") :
		       sse_request(c);
	if (is_api(url))
		return api_request(c, method, url, r->body ? r->body : "", r->len);
	return files_request(c, url);
}

void http_completed(void *cls, struct MHD_Connection *c, void **con_cls,
		    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *con_cls;

	(void)cls;
	(void)c;
	(void)toe;
	if (r) {
		free(r->body);
		free(r);
		*con_cls = NULL;
	}
}
