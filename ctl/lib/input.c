// SPDX-License-Identifier: GPL-2.0
/* Reading DAG files and choosing the parser. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* An edge list: every non-blank, non-comment line has >= 4 fields, the
 * third being '-' (the demo's files never give a destination port).
 */
static bool looks_like_edges(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	size_t lines = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *f[4];
		size_t fl[4], n = 0;

		if (!eol)
			eol = end;
		for (const char *s = p; s < eol && n < 4;) {
			while (s < eol && isspace((unsigned char)*s))
				s++;
			if (s >= eol || (*s == '#' && n == 0) ||
			    (n == 0 && s + 1 < eol && s[0] == '/' && s[1] == '/'))
				break;
			f[n] = s;
			while (s < eol && !isspace((unsigned char)*s))
				s++;
			fl[n] = (size_t)(s - f[n]);
			n++;
		}
		if (n > 0) {
			if (n < 4 || fl[2] != 1 || f[2][0] != '-')
				return false;
			lines++;
		}
		p = eol + 1;
	}
	return lines > 0;
}

enum dag_format detect_format(const char *path, const char *text, size_t len)
{
	if (ends_with(path, ".click"))
		return FMT_CLICK;
	if (ends_with(path, ".txt") || ends_with(path, ".edges"))
		return FMT_EDGES;
	return looks_like_edges(text, len) ? FMT_EDGES : FMT_CLICK;
}

/* A DAG travels in one 64 KiB attribute; even with comments its file
 * is far below this. The cap makes "check /dev/zero" fail at once.
 */
#define DAG_FILE_MAX	(4 << 20)

/* Whole file in memory (NUL-terminated for the messages' sake). */
static char *slurp(const char *path, const char *shown, size_t *len,
		   struct diag *d)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, n = 0;
	char *buf;

	if (!f) {
		diag_set(d, "%s: %s", shown, strerror(errno));
		return NULL;
	}
	buf = malloc(cap);
	for (;;) {
		size_t r;

		if (!buf)
			abort();
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (n > DAG_FILE_MAX) {
			diag_set(d, "%s: larger than %d MiB: not a DAG file", shown,
				 DAG_FILE_MAX >> 20);
			free(buf);
			buf = NULL;
			break;
		}
		if (n + 1 < cap) {
			if (ferror(f)) {
				diag_set(d, "%s: %s", shown, strerror(errno));
				free(buf);
				buf = NULL;
			}
			break;
		}
		cap *= 2;
		buf = realloc(buf, cap);
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = 0;
		if (memchr(buf, 0, n)) {
			diag_set(d, "%s: binary file (NUL byte)", shown);
			free(buf);
			return NULL;
		}
	}
	*len = n;
	return buf;
}

int dag_load(struct dag *g, const char *path, enum dag_format *fmt,
	     struct diag *d)
{
	size_t len;
	char *text = slurp(path, g->file, &len, d);
	enum dag_format f;
	int ret;

	if (!text)
		return -1;
	f = detect_format(path, text, len);
	ret = f == FMT_CLICK ? parse_click_notes(g, text, len, d, stderr)
			     : parse_edges(g, text, len, d);
	if (fmt)
		*fmt = f;
	free(text);
	return ret;
}
