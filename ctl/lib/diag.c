// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

void diag_at(struct diag *d, const char *file, struct loc loc,
	     const char *fmt, ...)
{
	va_list ap;
	int n;

	if (loc.line > 0)
		n = snprintf(d->msg, sizeof(d->msg), "%s:%d:%d: ", file,
			     loc.line, loc.col);
	else
		n = snprintf(d->msg, sizeof(d->msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(d->msg))
		return;
	va_start(ap, fmt);
	vsnprintf(d->msg + n, sizeof(d->msg) - n, fmt, ap);
	va_end(ap);
}

void diag_set(struct diag *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}
