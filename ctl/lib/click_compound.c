// SPDX-License-Identifier: GPL-2.0
/*
 * Compound elements: "elementclass NAME { ... }" records where its body
 * is; each instance becomes two pass nodes (its input and output, spliced
 * out by click_flat.c) and its body is re-read in a new scope whose names
 * are prefixed with the instance's ("outer/inner").
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "click_parse.h"

#define MAX_DEPTH	16	/* compound nesting */

/* cur is the first token after '{': moves past the matching '}'. */
bool skip_body(struct lexer *lx, struct loc open)
{
	struct rawargs a;
	int depth = 1;

	for (;;) {
		switch (lx->cur.t) {
		case T_EOF:
			return *lx->failed ? false :
			       lex_fail(lx, open, "unterminated '{'");
		case T_LPAREN:
			if (!lex_args(lx, &a))
				return false;
			rawargs_free(&a);
			continue;
		case T_LBRACE:
			depth++;
			break;
		case T_RBRACE:
			if (!--depth) {
				lex_next(lx);
				return true;
			}
			break;
		case T_OROR:
			if (depth == 1)
				return lex_fail(lx, lx->cur.loc,
						"elementclass overloading ('||') is not supported");
			break;
		default:
			break;
		}
		lex_next(lx);
	}
}

/* "$a, KEY $b |" at the start of a body: binds the instance's arguments
 * (positional first, then "KEY value") in sc.
 */
static bool formals(struct lexer *lx, struct scope *sc, const char *cname,
		    struct rawargs *args)
{
	struct token v[CLICKUP_MAX_ARGS], key[CLICKUP_MAX_ARGS];
	struct lexer la = *lx;
	size_t n = 0, used = 0;

	if (la.cur.t == T_IDENT)
		lex_next(&la);
	if (la.cur.t == T_ELLIPSIS)
		return lex_fail(lx, la.cur.loc,
				"variable-length formals ('...') are not supported");
	if (la.cur.t != T_VAR) {
		if (args->n)
			return lex_fail(lx, lx->cur.loc,
					"'%s' takes no arguments (no '$formal |' list)",
					cname);
		return true;
	}
	for (;;) {
		key[n].t = T_EOF;
		if (lx->cur.t == T_IDENT) {
			key[n] = lx->cur;
			lex_next(lx);
		}
		if (lx->cur.t == T_ELLIPSIS)
			return lex_fail(lx, lx->cur.loc,
					"variable-length formals ('...') are not supported");
		if (lx->cur.t != T_VAR)
			return lex_unexpected(lx, "a formal parameter '$name'");
		if (n == CLICKUP_MAX_ARGS)
			return lex_fail(lx, lx->cur.loc, "too many formal parameters");
		v[n++] = lx->cur;
		lex_next(lx);
		if (lx->cur.t == T_BAR)
			break;
		if (lx->cur.t != T_COMMA)
			return lex_unexpected(lx, "',' or '|' after a formal parameter");
		lex_next(lx);
	}
	lex_next(lx);
	for (size_t i = 0; i < n; i++) {
		const struct rawarg *a = NULL;
		const char *val;
		size_t vl;

		if (key[i].t == T_EOF) {
			if (used < args->n)
				a = &args->v[used++];
			val = a ? a->s : NULL;
			vl = a ? a->len : 0;
		} else {
			val = NULL;
			vl = 0;
			for (size_t j = used; j < args->n && !val; j++) {
				const struct rawarg *r = &args->v[j];

				if (r->len >= key[i].len && !memcmp(r->s, key[i].s, key[i].len) &&
				    (r->len == key[i].len || isspace((unsigned char)r->s[key[i].len]))) {
					val = r->s + key[i].len;
					vl = r->len - key[i].len;
					while (vl && isspace((unsigned char)*val))
						val++, vl--;
				}
			}
		}
		if (!val)
			return lex_fail(lx, v[i].loc, "'%s': no argument for formal '%.*s'",
					cname, (int)v[i].len, v[i].s);
		var_set(sc, v[i].s + 1, v[i].len - 1, strndup(val, vl));
	}
	if (args->n > n)
		return lex_fail(lx, args->v[n].loc, "'%s' takes %zu argument%s, got %zu",
				cname, n, n == 1 ? "" : "s", args->n);
	return true;
}

/* The input and output of a new body scope: pass nodes in the DAG. */
static bool pass_nodes(struct parser *ps, struct lexer *at, struct scope *sub,
		       struct loc loc)
{
	if (sub->depth > MAX_DEPTH)
		return lex_fail(at, loc, "compound elements or groups nested more than %d deep",
				MAX_DEPTH);
	for (int k = 0; k < 2; k++) {
		int i = dag_add_atom(ps->g, NULL, k ? "output" : "input", loc, ps->d);

		if (i < 0)
			return parser_failed(ps);
		ps->g->atoms[i].pass = true;
		ps->g->atoms[i].anon = false;
		ps->g->nr_pass++;
		*(k ? &sub->out : &sub->in) = i;
	}
	return true;
}

/* An element group "( ... )" (cur is '('): statements among the
 * enclosing scope's names (same prefix: declarations inside are visible
 * after it), with an input and output of their own.
 */
bool group(struct parser *ps, struct lexer *lx, struct scope *sc, int *in,
	   int *out)
{
	struct scope grp = { .up = sc, .up_nclasses = sc->nclasses,
			     .nelems = sc->nelems, .depth = sc->depth + 1,
			     .close = T_RPAREN };
	bool ok;

	memcpy(grp.prefix, sc->prefix, sizeof(grp.prefix));
	if (!pass_nodes(ps, lx, &grp, lx->cur.loc))
		return false;
	lex_next(lx);
	ok = statements(ps, lx, &grp);
	if (ok)
		lex_next(lx);	/* ')' */
	sc->nelems = grp.nelems;
	*in = grp.in;
	*out = grp.out;
	scope_free(&grp);
	return ok;
}

/* Expands class c as the element called name (full name) into two pass
 * nodes and the body's elements.
 */
bool compound(struct parser *ps, struct lexer *at, struct scope *sc,
	      const struct cls *c, const char *name, struct rawargs *args,
	      struct loc loc, int *in, int *out)
{
	struct scope sub = { .up = c->def, .up_nclasses = c->def_nclasses,
			     .depth = sc->depth + 1, .close = T_RBRACE };
	struct lexer body = c->body;
	struct rawargs ex = { 0 };
	bool ok;

	if (snprintf(sub.prefix, sizeof(sub.prefix), "%s/", name) >=
	    (int)sizeof(sub.prefix))
		return lex_fail(at, loc, "compound name '%s' too long", name);
	if (!pass_nodes(ps, at, &sub, loc))
		return false;
	ps->insts = realloc(ps->insts, (ps->ninsts + 1) * sizeof(*ps->insts));
	if (!ps->insts)
		abort();
	ps->insts[ps->ninsts++] = (struct inst){ strdup(name), sub.in, sub.out,
						 loc };
	*in = sub.in;
	*out = sub.out;
	/* arguments are expanded in the caller's scope */
	ex.v = calloc(args->n + 1, sizeof(*ex.v));
	if (!ex.v)
		abort();
	for (; ex.n < args->n; ex.n++) {
		ex.v[ex.n] = args->v[ex.n];
		ex.v[ex.n].s = expand(at, sc, &args->v[ex.n]);
		if (!ex.v[ex.n].s)
			break;
		ex.v[ex.n].len = strlen(ex.v[ex.n].s);
	}
	ok = ex.n == args->n && formals(&body, &sub, c->name, &ex) &&
	     statements(ps, &body, &sub);
	rawargs_free(&ex);
	scope_free(&sub);
	return ok;
}

/* elementclass NAME { body } | elementclass NAME OTHER */
bool elementclass(struct lexer *lx, struct scope *sc)
{
	struct cls c = { .def = sc };
	struct loc open;

	lex_next(lx);
	if (lx->cur.t != T_IDENT)
		return lex_unexpected(lx, "a class name after 'elementclass'");
	if (lx->cur.len >= CLICKUP_NAME_MAX)
		return lex_fail(lx, lx->cur.loc, "class name longer than %d characters",
				CLICKUP_NAME_MAX - 1);
	memcpy(c.name, lx->cur.s, lx->cur.len);
	lex_next(lx);
	c.def_nclasses = sc->nclasses;
	if (lx->cur.t == T_IDENT) {
		c.alias = lx->cur;
		c.is_alias = true;
		lex_next(lx);
	} else if (lx->cur.t == T_LBRACE) {
		open = lx->cur.loc;
		lex_next(lx);
		c.body = *lx;
		if (!skip_body(lx, open))
			return false;
	} else {
		return lex_unexpected(lx, "'{' or a class name");
	}
	sc->classes = realloc(sc->classes, (sc->nclasses + 1) * sizeof(c));
	if (!sc->classes)
		abort();
	sc->classes[sc->nclasses++] = c;
	return true;
}

