// SPDX-License-Identifier: GPL-2.0
/* Responses: JSON bodies, errors with clickupctl's text, common headers. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "json.h"
#include "print.h"

void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->f = open_memstream(&o->buf, &o->len);
	if (!o->f)
		abort();
	print_to(o->f);
}

void out_close(struct out *o)
{
	print_to(NULL);
	fclose(o->f);
	o->f = NULL;
}

void set_common_headers(struct MHD_Response *r, bool api)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; "
				"style-src 'self' 'unsafe-inline'; "
				"frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
	if (api)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

enum MHD_Result reply(struct MHD_Connection *c, unsigned int status,
		      const char *type, char *body, size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	set_common_headers(r, true);
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, "WWW-Authenticate", "Bearer");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result verror(struct MHD_Connection *c, unsigned int status,
			      int err, const char *more, const char *fmt,
			      va_list ap)
{
	char text[2048];
	struct json j;
	struct out o;

	vsnprintf(text, sizeof(text), fmt, ap);
	out_open(&o);
	json_init(&j, o.f);
	json_obj_open(&j, NULL);
	json_str(&j, "error", text);
	json_u64(&j, "status", status);
	if (err)
		json_u64(&j, "errno", (uint64_t)err);
	json_obj_close(&j);
	if (more && *more) {	/* splice the extra members in */
		fflush(o.f);
		fseek(o.f, -1, SEEK_END);
		fprintf(o.f, "%s}", more);
	}
	fputc('\n', o.f);
	out_close(&o);
	return reply(c, status, "application/json", o.buf, o.len);
}

enum MHD_Result reply_error(struct MHD_Connection *c, unsigned int status,
			    const char *more, const char *fmt, ...)
{
	enum MHD_Result r;
	va_list ap;

	va_start(ap, fmt);
	r = verror(c, status, 0, more, fmt, ap);
	va_end(ap);
	return r;
}

static enum MHD_Result error_errno(struct MHD_Connection *c,
				   unsigned int status, int err,
				   const char *more, const char *fmt, ...)
{
	enum MHD_Result r;
	va_list ap;

	va_start(ap, fmt);
	r = verror(c, status, err, more, fmt, ap);
	va_end(ap);
	return r;
}

/* The HTTP status of a kernel error; dag: the request carried a DAG, so
 * EINVAL or ENOENT are about its content, not about the URL.
 */
static unsigned int nl_status(int err, bool dag)
{
	switch (err) {
	case EINVAL: case ERANGE: case EOPNOTSUPP:
		return dag ? MHD_HTTP_UNPROCESSABLE_CONTENT :
		       err == EOPNOTSUPP ? MHD_HTTP_METHOD_NOT_ALLOWED :
		       MHD_HTTP_BAD_REQUEST;
	case ENOENT:
		return dag ? MHD_HTTP_UNPROCESSABLE_CONTENT : MHD_HTTP_NOT_FOUND;
	case EEXIST: case EBUSY:
		return MHD_HTTP_CONFLICT;
	case EPERM: case EACCES:
		return MHD_HTTP_FORBIDDEN;
	case E2BIG: case EMSGSIZE:
		return MHD_HTTP_CONTENT_TOO_LARGE;
	case EAGAIN:
		return MHD_HTTP_SERVICE_UNAVAILABLE;
	case ETIMEDOUT:		/* no answer within NL_TIMEOUT_MS */
		return MHD_HTTP_GATEWAY_TIMEOUT;
	default:
		return MHD_HTTP_INTERNAL_SERVER_ERROR;
	}
}

enum MHD_Result reply_nlerr(struct MHD_Connection *c, const char *what,
			    const struct nlerr *e, const char *where,
			    const char *more, bool dag)
{
	char text[1024];

	nlerr_str(e, text, sizeof(text));
	return error_errno(c, nl_status(e->err, dag), e->err, more,
			   "%s: %s%s", what, text, where ? where : "");
}
