/* SPDX-License-Identifier: GPL-2.0 */
/* One error message, formatted where it is detected and printed by main. */
#ifndef CLICKUPCTL_DIAG_H
#define CLICKUPCTL_DIAG_H

struct loc {
	int line, col;		/* 1-based; 0 = unknown */
};

struct diag {
	char msg[768];
};

/* "file:line:col: message" (position omitted when unknown). */
void diag_at(struct diag *d, const char *file, struct loc loc,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_set(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
