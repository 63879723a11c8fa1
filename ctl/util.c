// SPDX-License-Identifier: GPL-2.0
/* Helpers every command uses: error lines, exit codes, the socket. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int vfail(int code, const char *what, const char *fmt, va_list ap)
{
	fprintf(stderr, "clickupctl: %s: ", what);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	return code;
}

int fail(const char *what, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfail(EXIT_FAILURE, what, fmt, ap);
	va_end(ap);
	return r;
}

int kfail(const char *what, const struct nlerr *e, const char *suffix)
{
	char err[1024];

	nlerr_str(e, err, sizeof(err));
	fprintf(stderr, "clickupctl: %s: %s%s\n", what, err, suffix);
	return EXIT_KERNEL;
}

struct nlctx *ctx_nl(struct ctx *c)
{
	struct diag d;

	if (c->nl_open)
		return &c->nl;
	if (nlc_open(&c->nl, &d) < 0) {
		fprintf(stderr, "clickupctl: %s\n", d.msg);
		return NULL;
	}
	c->nl_open = true;
	return &c->nl;
}

const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

/* Shell-like words, in place: blanks separate; '...' is literal; "..."
 * and a lone backslash escape the next character (\" \\ \$ in "...");
 * '#' starting a word comments out the rest. Returns the count, or -1
 * with *err set (unterminated quote, too many words).
 */
int split_words(char *line, char **av, int max, const char **err)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		char q = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		if (!*r || *r == '#')
			return n;
		if (n == max) {
			*err = "too many words";
			return -1;
		}
		av[n++] = w;
		for (; *r && (q || !strchr(" \t\r\n", *r)); r++) {
			if (!q && (*r == '\'' || *r == '"')) {
				q = *r;
			} else if (q && *r == q) {
				q = 0;
			} else if (*r == '\\' && q != '\'' && r[1] &&
				   (!q || strchr("\"\\$", r[1]))) {
				*w++ = *++r;
			} else {
				*w++ = *r;
			}
		}
		if (q) {
			*err = q == '"' ? "unterminated \" quote" : "unterminated ' quote";
			return -1;
		}
		if (*r)
			r++;
		*w++ = 0;
	}
}
