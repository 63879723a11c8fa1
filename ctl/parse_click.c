// SPDX-License-Identifier: GPL-2.0
/*
 * The Click-language subset (docs/dag-language.md): declarations
 * "name :: Type(args)", connection chains "a [1] -> [0] b -> c", anonymous
 * and inline-declared elements in chains, // and slash-star comments.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

enum tok { T_EOF, T_IDENT, T_NUM, T_DCOLON, T_ARROW, T_LBRACK, T_RBRACK,
	   T_LPAREN, T_SEMI, T_OTHER };

struct token {
	enum tok t;
	const char *s;
	size_t len;
	struct loc loc;
};

struct lexer {
	struct dag *g;
	struct diag *d;
	const char *p, *end;
	int line, col;
	struct token cur;
	bool failed;
};

static int peekc(const struct lexer *lx, size_t off)
{
	return lx->p + off < lx->end ? (unsigned char)lx->p[off] : -1;
}

static void advance(struct lexer *lx, size_t n)
{
	while (n-- && lx->p < lx->end) {
		if (*lx->p++ == '\n') {
			lx->line++;
			lx->col = 1;
		} else {
			lx->col++;
		}
	}
}

static struct loc here(const struct lexer *lx)
{
	return (struct loc){ lx->line, lx->col };
}

static bool fail(struct lexer *lx, struct loc loc, const char *fmt,
		 const char *arg)
{
	if (!lx->failed)
		diag_at(lx->d, lx->g->file, loc, fmt, arg);
	lx->failed = true;
	return false;
}

/* Skips one comment if there is one at p; false with diag if unterminated. */
static bool skip_comment(struct lexer *lx, bool *skipped)
{
	*skipped = false;
	if (peekc(lx, 0) != '/')
		return true;
	if (peekc(lx, 1) == '/') {
		while (lx->p < lx->end && *lx->p != '\n')
			advance(lx, 1);
		*skipped = true;
	} else if (peekc(lx, 1) == '*') {
		struct loc start = here(lx);

		advance(lx, 2);
		while (lx->p < lx->end &&
		       !(peekc(lx, 0) == '*' && peekc(lx, 1) == '/'))
			advance(lx, 1);
		if (lx->p >= lx->end)
			return fail(lx, start, "unterminated comment%s", "");
		advance(lx, 2);
		*skipped = true;
	}
	return true;
}

static bool ident_start(int c)
{
	return isalpha(c) || c == '_';
}

/* Name characters follow Click (letters, digits, _ @ /) plus '-';
 * '-' ends a name before '>' and '/' before a comment.
 */
static bool ident_char(const struct lexer *lx, size_t off)
{
	int c = peekc(lx, off), n = peekc(lx, off + 1);

	if (isalnum(c) || c == '_' || c == '@')
		return true;
	if (c == '-')
		return n != '>';
	if (c == '/')
		return n != '/' && n != '*';
	return false;
}

static void next(struct lexer *lx)
{
	struct token *t = &lx->cur;
	bool skipped;
	size_t n = 0;

	for (;;) {
		while (lx->p < lx->end && isspace((unsigned char)*lx->p))
			advance(lx, 1);
		if (!skip_comment(lx, &skipped)) {
			t->t = T_EOF;
			return;
		}
		if (!skipped)
			break;
	}
	t->s = lx->p;
	t->loc = here(lx);
	if (lx->p >= lx->end) {
		t->t = T_EOF;
		t->len = 0;
		return;
	}
	if (ident_start(peekc(lx, 0))) {
		while (lx->p + n < lx->end && ident_char(lx, n))
			n++;
		t->t = T_IDENT;
	} else if (isdigit(peekc(lx, 0))) {
		while (isdigit(peekc(lx, n)))
			n++;
		t->t = T_NUM;
	} else if (peekc(lx, 0) == ':' && peekc(lx, 1) == ':') {
		n = 2;
		t->t = T_DCOLON;
	} else if (peekc(lx, 0) == '-' && peekc(lx, 1) == '>') {
		n = 2;
		t->t = T_ARROW;
	} else {
		static const char one[] = "[](;";
		static const enum tok kind[] = { T_LBRACK, T_RBRACK, T_LPAREN,
						 T_SEMI };
		const char *k = strchr(one, *lx->p);

		n = 1;
		t->t = k ? kind[k - one] : T_OTHER;
	}
	t->len = n;
	advance(lx, n);
}

static const char *tokname(const struct token *t, char *buf, size_t sz)
{
	if (t->t == T_EOF)
		return "end of file";
	snprintf(buf, sz, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
	return buf;
}

static bool unexpected(struct lexer *lx, const char *want)
{
	char buf[64], msg[160];

	snprintf(msg, sizeof(msg), "expected %s, found %s", want,
		 tokname(&lx->cur, buf, sizeof(buf)));
	return fail(lx, lx->cur.loc, "%s", msg);
}

/* Adds one trimmed argument [s, e) with comments blanked out. */
static bool add_arg(struct lexer *lx, int atom, const char *s, const char *e,
		    struct loc loc)
{
	char buf[CLICKUP_ARG_MAX * 2];
	size_t n = 0;
	char q = 0;

	for (const char *c = s; c < e; c++) {
		if (n + 2 >= sizeof(buf))
			return fail(lx, loc, "argument longer than %s characters",
				    "255");
		if (!q && c[0] == '/' && c + 1 < e && (c[1] == '/' || c[1] == '*')) {
			const char *stop = c[1] == '/' ? "\n" : "*/";
			const char *x = strstr(c + 2, stop);

			c = x && x < e ? x + strlen(stop) - 1 : e - 1;
			buf[n++] = ' ';
			continue;
		}
		if (q && *c == '\\' && c + 1 < e) {
			buf[n++] = *c++;
		} else if (*c == '"') {
			q = q ? 0 : '"';
		}
		buf[n++] = *c;
	}
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	s = buf;
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	if (dag_add_arg(lx->g, (size_t)atom, s, n, loc, lx->d) < 0)
		return lx->failed = true, false;
	return true;
}

/* cur is '('; scans the raw text up to the matching ')' and splits it on
 * top-level commas. Nesting and strings are tracked only to find those.
 */
static bool parse_args(struct lexer *lx, int atom)
{
	struct loc open = lx->cur.loc, aloc;
	char stack[64];
	int depth = 0;
	const char *start;
	bool any = false;

	while (lx->p < lx->end && isspace((unsigned char)*lx->p))
		advance(lx, 1);
	start = lx->p;
	aloc = here(lx);
	for (;;) {
		int c = peekc(lx, 0);
		bool skipped;

		if (c < 0)
			return fail(lx, open, "unterminated argument list%s", "");
		if (c == '/' && (peekc(lx, 1) == '/' || peekc(lx, 1) == '*')) {
			if (!skip_comment(lx, &skipped))
				return false;
			continue;
		}
		if (c == '"') {
			struct loc sloc = here(lx);

			advance(lx, 1);
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '"')
				advance(lx, peekc(lx, 0) == '\\' ? 2 : 1);
			if (peekc(lx, 0) < 0)
				return fail(lx, sloc, "unterminated string%s", "");
			advance(lx, 1);
			any = true;
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == (int)sizeof(stack))
				return fail(lx, here(lx), "nesting too deep%s", "");
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
		} else if ((c == ')' || c == ']' || c == '}') && depth) {
			if (c != stack[depth - 1]) {
				char m[2] = { (char)c, 0 };

				return fail(lx, here(lx), "unbalanced '%s' in arguments", m);
			}
			depth--;
		} else if (c == ')' || (c == ',' && !depth)) {
			/* "T()" and "T( )" have no arguments at all */
			if (c == ',' || any) {
				if (!add_arg(lx, atom, start, lx->p, aloc))
					return false;
			}
			advance(lx, 1);
			if (c == ')')
				break;
			while (lx->p < lx->end && isspace((unsigned char)*lx->p))
				advance(lx, 1);
			start = lx->p;
			aloc = here(lx);
			any = true;	/* "a," has a second, empty argument */
			continue;
		} else if (c == ']' || c == '}') {
			char m[2] = { (char)c, 0 };

			return fail(lx, here(lx), "unbalanced '%s' in arguments", m);
		}
		if (!isspace(c))
			any = true;
		advance(lx, 1);
	}
	next(lx);
	return true;
}

static void copy_tok(char *dst, size_t sz, const struct token *t)
{
	size_t n = t->len < sz - 1 ? t->len : sz - 1;

	memcpy(dst, t->s, n);
	dst[n] = 0;
}

static bool valid_type(const struct token *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!isalnum((unsigned char)t->s[i]) && t->s[i] != '_')
			return false;
	return true;
}

static int new_atom(struct lexer *lx, const char *name, const struct token *ty,
		    struct loc loc)
{
	char type[CLICKUP_NAME_MAX * 2];
	int i;

	if (ty->len >= CLICKUP_NAME_MAX) {
		fail(lx, ty->loc, "type name longer than %s characters", "31");
		return -1;
	}
	if (!valid_type(ty)) {
		fail(lx, ty->loc, "invalid type name%s (letters, digits, _)", "");
		return -1;
	}
	copy_tok(type, sizeof(type), ty);
	i = dag_add_atom(lx->g, name, type, loc, lx->d);
	if (i < 0)
		lx->failed = true;
	else if (lx->cur.t == T_LPAREN && !parse_args(lx, i))
		return -1;
	return i;
}

/* One chain element: "name :: Type(args)", "Type(args)", "name" or an
 * undeclared capitalised "Type" (anonymous, as in Click).
 */
static int endpoint(struct lexer *lx)
{
	struct token id = lx->cur;
	char name[CLICKUP_NAME_MAX * 2];
	int i;

	if (id.t != T_IDENT)
		return unexpected(lx, "an element"), -1;
	next(lx);
	if (id.len >= CLICKUP_NAME_MAX) {
		fail(lx, id.loc, "name longer than %s characters", "31");
		return -1;
	}
	copy_tok(name, sizeof(name), &id);
	if (lx->cur.t == T_DCOLON) {
		next(lx);
		if (lx->cur.t != T_IDENT)
			return unexpected(lx, "a type name after '::'"), -1;
		struct token ty = lx->cur;

		next(lx);
		/* dag_add_atom reports a redeclaration with both positions */
		return new_atom(lx, name, &ty, id.loc);
	}
	if (lx->cur.t == T_LPAREN)
		return new_atom(lx, NULL, &id, id.loc);
	i = dag_find(lx->g, name);
	if (i >= 0)
		return i;
	if (isupper((unsigned char)name[0]))
		return new_atom(lx, NULL, &id, id.loc);
	fail(lx, id.loc,
	     "unknown element '%s' (declare it first, or write Type or Type() for an anonymous element)",
	     name);
	return -1;
}

static bool port(struct lexer *lx, uint32_t *out)
{
	unsigned long v;

	*out = 0;
	if (lx->cur.t != T_LBRACK)
		return true;
	next(lx);
	if (lx->cur.t != T_NUM)
		return unexpected(lx, "a port number");
	v = strtoul(lx->cur.s, NULL, 10);
	if (lx->cur.len > 4 || v >= CLICKUP_MAX_PORTS)
		return fail(lx, lx->cur.loc, "port number must be below %s", "64");
	*out = (uint32_t)v;
	next(lx);
	if (lx->cur.t != T_RBRACK)
		return unexpected(lx, "']'");
	next(lx);
	return true;
}

static bool chain(struct lexer *lx)
{
	int left;

	if (lx->cur.t == T_LBRACK)
		return fail(lx, lx->cur.loc,
			    "input port on the first element of a chain%s", "");
	left = endpoint(lx);
	if (left < 0)
		return false;
	for (;;) {
		struct loc at = lx->cur.loc;
		uint32_t op, ip;
		int right;

		if (!port(lx, &op))
			return false;
		if (lx->cur.t != T_ARROW) {
			if (lx->cur.loc.line != at.line || lx->cur.loc.col != at.col)
				return fail(lx, at, "output port on the last element of a chain%s", "");
			return true;
		}
		at = lx->cur.loc;
		next(lx);
		if (!port(lx, &ip))
			return false;
		right = endpoint(lx);
		if (right < 0)
			return false;
		if (dag_add_edge(lx->g, (uint32_t)left, op, (uint32_t)right, ip,
				 at, lx->d) < 0)
			return lx->failed = true, false;
		left = right;
	}
}

/* Click names anonymous elements Type@N, N the element's position. */
static void name_anonymous(struct dag *g)
{
	for (size_t i = 0; i < g->nr_atoms; i++) {
		struct atom *a = &g->atoms[i];
		size_t n = i + 1;
		char name[CLICKUP_NAME_MAX + 16];

		if (!a->anon)
			continue;
		do {
			/* shorten the type part so that the name fits */
			int w = snprintf(name, sizeof(name), "@%zu", n);
			int tl = (int)strlen(a->type);

			if (tl + w >= CLICKUP_NAME_MAX)
				tl = CLICKUP_NAME_MAX - 1 - w;
			snprintf(name, sizeof(name), "%.*s@%zu", tl, a->type, n++);
		} while (dag_find(g, name) >= 0);
		strcpy(a->name, name);
		a->anon = false;
	}
}

int parse_click(struct dag *g, const char *text, size_t len, struct diag *d)
{
	struct lexer lx = { .g = g, .d = d, .p = text, .end = text + len,
			    .line = 1, .col = 1 };

	next(&lx);
	while (!lx.failed && lx.cur.t != T_EOF) {
		if (lx.cur.t == T_SEMI) {
			next(&lx);
			continue;
		}
		if (!chain(&lx))
			break;
		if (lx.cur.t == T_SEMI)
			next(&lx);
		else if (lx.cur.t != T_EOF)
			unexpected(&lx, "'->' or ';'");
	}
	if (lx.failed)
		return -1;
	name_anonymous(g);
	return 0;
}
