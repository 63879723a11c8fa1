// SPDX-License-Identifier: GPL-2.0
/*
 * Click-language tokens and configuration strings. Everything is bounded
 * by lx->end: the text need not be NUL-terminated.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "click_lex.h"

void lex_init(struct lexer *lx, const char *file, const char *text,
	      size_t len, struct diag *d, bool *failed)
{
	*lx = (struct lexer){ .file = file, .d = d, .failed = failed,
			      .p = text, .end = text + len, .line = 1,
			      .col = 1 };
	lex_next(lx);
}

bool lex_fail(struct lexer *lx, struct loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (*lx->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_at(lx->d, lx->file, loc, "%s", msg);
	*lx->failed = true;
	return false;
}

static int peekc(const struct lexer *lx, size_t off)
{
	return off < (size_t)(lx->end - lx->p) ? (unsigned char)lx->p[off] : -1;
}

static void advance(struct lexer *lx, size_t n)
{
	for (; n && lx->p < lx->end; n--) {
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

/* Skips one comment at p if there is one: 1 skipped, 0 none, -1 error. */
static int skip_comment(struct lexer *lx)
{
	struct loc start = here(lx);

	if (peekc(lx, 0) != '/' || (peekc(lx, 1) != '/' && peekc(lx, 1) != '*'))
		return 0;
	if (peekc(lx, 1) == '/') {
		while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
			advance(lx, 1);
		return 1;
	}
	advance(lx, 2);
	while (peekc(lx, 0) >= 0 && !(peekc(lx, 0) == '*' && peekc(lx, 1) == '/'))
		advance(lx, 1);
	if (peekc(lx, 0) < 0)
		return lex_fail(lx, start, "unterminated comment"), -1;
	advance(lx, 2);
	return 1;
}

/* Click's name characters (letters, digits, _ @ /) plus '-'; '-' ends a
 * name before '>' and '/' before a comment.
 */
static bool ident_char(const struct lexer *lx, size_t off)
{
	int c = peekc(lx, off), n = peekc(lx, off + 1);

	if (c >= 0 && (isalnum(c) || c == '_' || c == '@'))
		return true;
	if (c == '-')
		return n != '>';
	if (c == '/')
		return n != '/' && n != '*';
	return false;
}

static size_t var_len(const struct lexer *lx)
{
	size_t n = 1;

	if (peekc(lx, 1) == '{') {
		while (peekc(lx, n) >= 0 && peekc(lx, n) != '}')
			n++;
		return peekc(lx, n) == '}' ? n + 1 : 1;
	}
	while (peekc(lx, n) >= 0 && (isalnum(peekc(lx, n)) || peekc(lx, n) == '_'))
		n++;
	return n;
}

void lex_next(struct lexer *lx)
{
	static const struct { const char *s; enum tok t; } punct[] = {
		{ "::", T_DCOLON }, { "->", T_ARROW }, { "=>", T_DARROW },
		{ "...", T_ELLIPSIS }, { "||", T_OROR }, { "|", T_BAR },
		{ "[", T_LBRACK }, { "]", T_RBRACK }, { "(", T_LPAREN },
		{ ")", T_RPAREN }, { "{", T_LBRACE }, { "}", T_RBRACE },
		{ ",", T_COMMA }, { ";", T_SEMI }, { "-", T_DASH },
	};
	struct token *t = &lx->cur;
	size_t n = 1;
	int c, r;

	do {
		while (peekc(lx, 0) >= 0 && isspace(peekc(lx, 0)))
			advance(lx, 1);
		r = skip_comment(lx);
	} while (r > 0);
	t->s = lx->p;
	t->loc = here(lx);
	t->len = 0;
	c = peekc(lx, 0);
	if (r < 0 || c < 0) {
		t->t = T_EOF;
		return;
	}
	if (isalpha(c) || c == '_') {
		while (ident_char(lx, n))
			n++;
		t->t = T_IDENT;
	} else if (isdigit(c)) {
		while (peekc(lx, n) >= 0 && isdigit(peekc(lx, n)))
			n++;
		t->t = T_NUM;
	} else if (c == '$') {
		n = var_len(lx);
		t->t = T_VAR;
	} else {
		t->t = T_OTHER;
		for (size_t i = 0; i < sizeof(punct) / sizeof(*punct); i++) {
			size_t k;

			if (punct[i].s[0] != c)	/* cheap test first */
				continue;
			k = strlen(punct[i].s);
			if ((size_t)(lx->end - lx->p) >= k &&
			    !memcmp(lx->p, punct[i].s, k)) {
				t->t = punct[i].t;
				n = k;
				break;
			}
		}
	}
	t->len = n;
	advance(lx, n);
}

bool lex_unexpected(struct lexer *lx, const char *want)
{
	char buf[64];

	return lex_fail(lx, lx->cur.loc, "expected %s, found %s", want,
			tok_str(&lx->cur, buf, sizeof(buf)));
}

const char *tok_str(const struct token *t, char *buf, size_t size)
{
	if (t->t == T_EOF)
		return "end of file";
	snprintf(buf, size, "'%.*s'", (int)(t->len > 40 ? 40 : t->len), t->s);
	return buf;
}

bool tok_is(const struct token *t, const char *word)
{
	return t->t == T_IDENT && t->len == strlen(word) &&
	       !memcmp(t->s, word, t->len);
}

/* ---- configuration strings ---------------------------------------------- */

struct sbuf {
	char *s;
	size_t n, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

struct argscan {
	struct lexer *lx;
	struct rawargs *a;
	struct sbuf cur;	/* the argument being read */
	struct loc at;		/* where it starts */
	const char *ws;		/* pending whitespace run, or NULL */
	size_t wsn;
	bool fold;		/* that run had a newline or comment */
};

/* Pending whitespace is written only once something follows it, so
 * arguments come out trimmed; a run with a newline or comment becomes
 * one space (a multi-line argument is not longer than its content).
 */
static void flush_ws(struct argscan *s)
{
	if (s->ws && s->cur.n)
		sb_put(&s->cur, s->fold ? " " : s->ws, s->fold ? 1 : s->wsn);
	s->ws = NULL;
	s->wsn = 0;
	s->fold = false;
}

static void end_arg(struct argscan *s)
{
	struct rawargs *a = s->a;

	a->v = realloc(a->v, (a->n + 1) * sizeof(*a->v));
	if (!a->v)
		abort();
	if (!s->cur.s)
		sb_put(&s->cur, "", 0);
	a->v[a->n++] = (struct rawarg){ s->cur.s, s->cur.n, s->at };
	s->cur = (struct sbuf){ 0 };
	s->ws = NULL;
	s->wsn = 0;
	s->fold = false;
}

static void skip_space(struct argscan *s)
{
	while (peekc(s->lx, 0) >= 0 && isspace(peekc(s->lx, 0)))
		advance(s->lx, 1);
	s->at = here(s->lx);
}

/* A quoted string, copied verbatim: "..." with backslash escapes,
 * '...' without (as in Click).
 */
static bool quoted(struct argscan *s, int q)
{
	struct lexer *lx = s->lx;
	struct loc at = here(lx);
	const char *b = lx->p;

	advance(lx, 1);
	while (peekc(lx, 0) >= 0 && peekc(lx, 0) != q)
		advance(lx, q == '"' && peekc(lx, 0) == '\\' ? 2 : 1);
	if (peekc(lx, 0) < 0)
		return lex_fail(lx, at, "unterminated string");
	advance(lx, 1);
	flush_ws(s);
	sb_put(&s->cur, b, (size_t)(lx->p - b));
	return true;
}

bool lex_args(struct lexer *lx, struct rawargs *a)
{
	struct argscan s = { .lx = lx, .a = a };
	struct loc open = lx->cur.loc;
	char stack[64];
	int depth = 0, r;
	bool any = false;

	*a = (struct rawargs){ 0 };
	skip_space(&s);
	for (;;) {
		int c = peekc(lx, 0);
		const char *p = lx->p;

		if (c < 0)
			return lex_fail(lx, open, "unterminated argument list");
		r = skip_comment(lx);
		if (r < 0)
			return false;
		if (r > 0 || isspace(c)) {
			if (!s.ws)
				s.ws = p;
			if (r == 0)
				advance(lx, 1);
			s.fold |= r > 0 || c == '\n';
			s.wsn = (size_t)(lx->p - s.ws);
			continue;
		}
		if (c == '"' || c == '\'') {
			if (!quoted(&s, c))
				return false;
			any = true;
			continue;
		}
		if (c == ')' && !depth)
			break;
		if (c == ',' && !depth) {
			end_arg(&s);
			advance(lx, 1);
			skip_space(&s);
			any = true;	/* "a," has a second, empty argument */
			continue;
		}
		if (c == '(' || c == '[' || c == '{') {
			if (depth == (int)sizeof(stack))
				return lex_fail(lx, here(lx), "nesting too deep");
			stack[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
		} else if (c == ')' || c == ']' || c == '}') {
			if (!depth || c != stack[depth - 1])
				return lex_fail(lx, here(lx),
						"unbalanced '%c' in arguments", c);
			depth--;
		}
		/* a backslash quotes the next character (Click keeps both) */
		advance(lx, c == '\\' && peekc(lx, 1) >= 0 ? 2 : 1);
		flush_ws(&s);
		sb_put(&s.cur, p, (size_t)(lx->p - p));
		any = true;
	}
	if (any)	/* "T()" and "T( )" have no arguments at all */
		end_arg(&s);
	free(s.cur.s);
	advance(lx, 1);
	lex_next(lx);
	return true;
}

void rawargs_free(struct rawargs *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i].s);
	free(a->v);
	*a = (struct rawargs){ 0 };
}
