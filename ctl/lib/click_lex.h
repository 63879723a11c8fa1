/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tokens of the Click language (docs/dag-language.md). A lexer is a plain
 * value: copying it saves a position, which is how the parser looks ahead
 * and how compound-element bodies are re-read for every instance.
 */
#ifndef CLICKUPCTL_CLICK_LEX_H
#define CLICKUPCTL_CLICK_LEX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum tok { T_EOF, T_IDENT, T_VAR, T_NUM, T_DCOLON, T_ARROW, T_DARROW,
	   T_LBRACK, T_RBRACK, T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE,
	   T_COMMA, T_SEMI, T_BAR, T_OROR, T_ELLIPSIS, T_DASH, T_OTHER };

struct token {
	enum tok t;
	const char *s;
	size_t len;
	struct loc loc;
};

struct lexer {
	const char *file;
	struct diag *d;
	bool *failed;		/* shared by all copies: the first error wins */
	const char *p, *end;
	int line, col;
	struct token cur;
};

/* One configuration-string argument: comments replaced by a space,
 * whitespace runs with a newline folded to one space, trimmed.
 */
struct rawarg {
	char *s;
	size_t len;
	struct loc loc;
};

struct rawargs {
	struct rawarg *v;
	size_t n;
};

void lex_init(struct lexer *lx, const char *file, const char *text,
	      size_t len, struct diag *d, bool *failed);
void lex_next(struct lexer *lx);
/* Records "file:line:col: message" unless an error is already recorded;
 * returns false so callers can `return lex_fail(...)`.
 */
bool lex_fail(struct lexer *lx, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* cur is '(': reads the configuration string up to the matching ')',
 * splits it on top-level commas into a, and moves to the next token.
 */
bool lex_args(struct lexer *lx, struct rawargs *a);
void rawargs_free(struct rawargs *a);
/* "expected WANT, found 'x'" at the current token. */
bool lex_unexpected(struct lexer *lx, const char *want);
/* "'text'" or "end of file" for messages. */
const char *tok_str(const struct token *t, char *buf, size_t size);
bool tok_is(const struct token *t, const char *word);

#endif
