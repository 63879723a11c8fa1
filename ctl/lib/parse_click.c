// SPDX-License-Identifier: GPL-2.0
/*
 * The Click language (docs/dag-language.md): statements, declarations,
 * elements and connection chains with element lists and '=>'. Element
 * names and instantiation are in click_elem.c, scopes and variables in
 * click_scope.c, compound elements in click_compound.c, flattening in
 * click_flat.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "click_parse.h"

#define MAX_LIST	CLICKUP_MAX_PORTS	/* elements in an element list */


struct endlist {
	struct end v[MAX_LIST];
	size_t n;
};

/* Port list "[1]", "[0, 2]", "[0-3]"; up to MAX_LIST ports. */
static bool ports(struct lexer *lx, uint32_t *v, size_t *n, struct loc *at)
{
	*n = 0;
	if (lx->cur.t != T_LBRACK)
		return true;
	*at = lx->cur.loc;
	lex_next(lx);
	for (;;) {
		uint32_t lo = 0, hi;
		bool range = false;

		for (int k = 0; k < 2; k++) {
			uint32_t x = 0;

			if (lx->cur.t != T_NUM)
				return lex_unexpected(lx, "a port number");
			for (size_t i = 0; i < lx->cur.len && x < CLICKUP_MAX_PORTS; i++)
				x = x * 10 + (uint32_t)(lx->cur.s[i] - '0');
			if (x >= CLICKUP_MAX_PORTS)
				return lex_fail(lx, lx->cur.loc,
						"port number must be below %d",
						CLICKUP_MAX_PORTS);
			*(k ? &hi : &lo) = x;
			lex_next(lx);
			if (k || lx->cur.t != T_DASH)
				break;
			range = true;
			lex_next(lx);
		}
		if (!range)
			hi = lo;
		for (uint32_t p = lo; p <= hi; p++) {
			if (*n == MAX_LIST)
				return lex_fail(lx, *at, "too many ports in a list");
			v[(*n)++] = p;
		}
		if (lx->cur.t == T_RBRACK)
			break;
		if (lx->cur.t != T_COMMA)
			return lex_unexpected(lx, "']'");
		lex_next(lx);
	}
	lex_next(lx);
	return true;
}

/* The element proper (no ports): sets e->in, e->out. */
static bool element_body(struct parser *ps, struct lexer *lx, struct scope *sc,
			 struct end *e)
{
	struct token id = lx->cur;
	char name[PREFIX_MAX + 64];
	struct classref cr;

	e->loc = id.loc;
	if (id.t == T_LBRACE)
		return class_read(lx, sc, &cr) &&
		       elem_create(ps, lx, sc, NULL, &cr, id.loc, e);
	if (id.t == T_LPAREN)
		return group(ps, lx, sc, &e->in, &e->out);
	if (id.t == T_VAR)
		return lex_fail(lx, id.loc, "a variable cannot name an element ('$' is expanded in configuration strings only)");
	if (id.t != T_IDENT)
		return lex_unexpected(lx, "an element");
	if (tok_is(&id, "input") || tok_is(&id, "output")) {
		if (sc->in < 0)
			return lex_fail(lx, id.loc,
					"'%.*s' is only meaningful inside a compound element or group",
					(int)id.len, id.s);
		lex_next(lx);
		e->in = tok_is(&id, "input") ? -1 : sc->out;
		e->out = tok_is(&id, "input") ? sc->in : -1;
		return true;
	}
	lex_next(lx);
	if (lx->cur.t == T_DCOLON) {
		if (!elem_full_name(lx, sc, &id, name, sizeof(name)) ||
		    elem_redeclared(ps, lx, name, id.loc))
			return false;
		lex_next(lx);
		return class_read(lx, sc, &cr) &&
		       elem_create(ps, lx, sc, name, &cr, id.loc, e);
	}
	if (lx->cur.t != T_LPAREN) {
		if (!elem_full_name(lx, sc, &id, name, sizeof(name)))
			return false;
		if (elem_lookup(ps, name, e))
			return true;
	}
	memset(&cr, 0, sizeof(cr));
	cr.type = id;
	cr.cls = class_find(sc, &id);
	if (!cr.cls && lx->cur.t != T_LPAREN && !isupper((unsigned char)*id.s))
		return lex_fail(lx, id.loc,
				"unknown element '%.*s' (declare it first, or write Type or Type() for an anonymous element)",
				(int)id.len, id.s);
	class_resolve(&cr);
	return elem_create(ps, lx, sc, NULL, &cr, id.loc, e);
}

static bool starts_element(enum tok t)
{
	return t == T_IDENT || t == T_LBRACE || t == T_LPAREN || t == T_VAR;
}

/* "[n] -> ..." starting a chain in a body: Click's implied input. */
static bool implied_input(struct lexer *lx, const struct scope *sc,
			  struct endlist *l)
{
	uint32_t op[MAX_LIST];
	struct loc at;
	size_t n;

	if (!ports(lx, op, &n, &at))
		return false;
	for (l->n = 0; l->n < n; l->n++)
		l->v[l->n] = (struct end){ .in = -1, .out = sc->in, .op = op[l->n],
					   .has_op = true, .loc = at, .op_loc = at };
	return true;
}

/* [ports] element [ports]: one entry per port of a port list. */
static bool element(struct parser *ps, struct lexer *lx, struct scope *sc,
		    struct endlist *l)
{
	uint32_t ip[MAX_LIST], op[MAX_LIST];
	size_t ni, no, n;
	struct end e = { 0 };

	if (!ports(lx, ip, &ni, &e.ip_loc))
		return false;
	if (ni && sc->out >= 0 && !starts_element(lx->cur.t)) {
		/* "... -> [n]" ends the chain in a body: Click's implied output */
		e = (struct end){ .in = sc->out, .out = -1, .loc = e.ip_loc };
		no = 0;
	} else if (!element_body(ps, lx, sc, &e) || !ports(lx, op, &no, &e.op_loc)) {
		return false;
	}
	if (ni > 1 && no > 1)
		return lex_fail(lx, e.loc, "port lists on both sides of one element");
	n = ni > no ? ni : no;
	for (size_t i = 0; i < (n ? n : 1); i++) {
		if (l->n == MAX_LIST)
			return lex_fail(lx, e.loc, "more than %d elements in a list",
					MAX_LIST);
		l->v[l->n] = e;
		l->v[l->n].has_ip = ni > 0;
		l->v[l->n].ip = ni ? ip[ni > 1 ? i : 0] : 0;
		l->v[l->n].has_op = no > 0;
		l->v[l->n].op = no ? op[no > 1 ? i : 0] : 0;
		l->n++;
	}
	return true;
}

static bool element_list(struct parser *ps, struct lexer *lx, struct scope *sc,
			 struct endlist *l)
{
	l->n = 0;
	for (;;) {
		if (!element(ps, lx, sc, l))
			return false;
		if (lx->cur.t != T_COMMA)
			return true;
		lex_next(lx);
	}
}

/* ---- connections -------------------------------------------------------- */

static bool edge(struct parser *ps, struct lexer *lx, const struct end *a,
		 const struct end *b, struct loc at)
{
	if (a->out < 0)
		return lex_fail(lx, a->loc, "'output' has no outputs inside its compound");
	if (b->in < 0)
		return lex_fail(lx, b->loc, "'input' has no inputs inside its compound");
	/* Click allows a connection twice; it is still one edge */
	for (size_t i = 0; i < ps->g->nr_edges; i++) {
		const struct edge *x = &ps->g->edges[i];

		if (x->src == (uint32_t)a->out && x->port == a->op &&
		    x->dst == (uint32_t)b->in && x->dst_port == b->ip)
			return true;
	}
	if (dag_add_edge(ps->g, (uint32_t)a->out, a->op, (uint32_t)b->in, b->ip,
			 at, ps->d) < 0)
		return parser_failed(ps);
	return true;
}

/* '=>' connects the lists pairwise; a lone element without a port gets
 * ports 0, 1, ... (Click's many-to-many connector).
 */
static bool connect_many(struct parser *ps, struct lexer *lx,
			 const struct endlist *l, const struct endlist *r,
			 struct loc at)
{
	struct endlist x = *l, y = *r;

	if (x.n == 1 && y.n == 1 && !x.v[0].has_op && !y.v[0].has_ip)
		return lex_fail(lx, at, "'=>' between two single elements needs explicit ports (port counts are not known offline)");
	if (x.n == 1 && !x.v[0].has_op)
		for (x.n = 0; x.n < y.n; x.n++) {
			x.v[x.n] = l->v[0];
			x.v[x.n].op = (uint32_t)x.n;
		}
	else if (y.n == 1 && !y.v[0].has_ip)
		for (y.n = 0; y.n < x.n; y.n++) {
			y.v[y.n] = r->v[0];
			y.v[y.n].ip = (uint32_t)y.n;
		}
	if (x.n != y.n)
		return lex_fail(lx, at, "'=>' connects %zu outputs to %zu inputs",
				x.n, y.n);
	for (size_t i = 0; i < x.n; i++)
		if (!edge(ps, lx, &x.v[i], &y.v[i], at))
			return false;
	return true;
}

static bool connect(struct parser *ps, struct lexer *lx, enum tok op,
		    const struct endlist *l, const struct endlist *r,
		    struct loc at)
{
	if (op == T_DARROW)
		return connect_many(ps, lx, l, r, at);
	if (l->n > 1 && r->n > 1)
		return lex_fail(lx, at, "'->' between two element lists (use '=>' to connect them pairwise)");
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < r->n; j++)
			if (!edge(ps, lx, &l->v[i], &r->v[j], at))
				return false;
	return true;
}

static bool chain(struct parser *ps, struct lexer *lx, struct scope *sc)
{
	struct endlist *l = malloc(2 * sizeof(*l)), *r = l + 1, *t;
	bool ok = false;

	if (!l)
		abort();
	if (lx->cur.t == T_LBRACK && sc->in < 0) {
		lex_fail(lx, lx->cur.loc, "input port on the first element of a chain");
		goto out;
	}
	if (lx->cur.t == T_LBRACK ? !implied_input(lx, sc, l) :
				    !element_list(ps, lx, sc, l))
		goto out;
	while (lx->cur.t == T_ARROW || lx->cur.t == T_DARROW) {
		struct token op = lx->cur;

		lex_next(lx);
		if (!element_list(ps, lx, sc, r) ||
		    !connect(ps, lx, op.t, l, r, op.loc))
			goto out;
		t = l;
		l = r;
		r = t;
	}
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].has_op) {
			lex_fail(lx, l->v[i].op_loc, "output port on the last element of a chain");
			goto out;
		}
	ok = true;
out:
	free(l < r ? l : r);
	return ok;
}

/* ---- statements --------------------------------------------------------- */

/* "a, b, c :: Class(args)": the same class and arguments for each name. */
static bool declarations(struct parser *ps, struct lexer *lx, struct scope *sc)
{
	struct token names[MAX_LIST];
	size_t n = 0;
	struct classref cr;
	struct rawargs args = { 0 };
	bool ok = true;

	for (;;) {
		if (n == MAX_LIST)
			return lex_fail(lx, lx->cur.loc, "too many names in one declaration");
		names[n++] = lx->cur;
		lex_next(lx);
		if (lx->cur.t == T_DCOLON)
			break;
		lex_next(lx);	/* ',' */
	}
	lex_next(lx);
	if (!class_read(lx, sc, &cr) ||
	    (lx->cur.t == T_LPAREN && !lex_args(lx, &args)))
		return false;
	for (size_t i = 0; ok && i < n; i++) {
		char name[PREFIX_MAX + 64];
		struct end e;

		ok = elem_full_name(lx, sc, &names[i], name, sizeof(name)) &&
		     !elem_redeclared(ps, lx, name, names[i].loc) &&
		     elem_instantiate(ps, lx, sc, name, &cr, &args,
				      names[i].loc, &e);
	}
	rawargs_free(&args);
	return ok;
}

/* IDENT (',' IDENT)+ '::' starts a multi-name declaration. */
static bool is_declarations(const struct lexer *lx)
{
	struct lexer la = *lx;
	bool comma = false;

	while (la.cur.t == T_IDENT) {
		lex_next(&la);
		if (la.cur.t == T_DCOLON)
			return comma;
		if (la.cur.t != T_COMMA)
			return false;
		comma = true;
		lex_next(&la);
	}
	return false;
}

/* keyword '(' ... ')' for define, require, provide */
static bool directive(struct parser *ps, struct lexer *lx, struct scope *sc)
{
	struct token kw = lx->cur;
	struct rawargs a;
	bool ok = true;

	lex_next(lx);
	if (!lex_args(lx, &a))
		return false;
	if (tok_is(&kw, "define"))
		ok = define(lx, sc, &a);
	else if (ps->notes)
		fprintf(ps->notes, "%s:%d:%d: note: %.*s(...) ignored: atoms are kernel modules, loaded on demand\n",
			lx->file, kw.loc.line, kw.loc.col, (int)kw.len, kw.s);
	rawargs_free(&a);
	return ok;
}

static bool statement(struct parser *ps, struct lexer *lx, struct scope *sc)
{
	struct lexer la = *lx;

	if (tok_is(&lx->cur, "elementclass"))
		return elementclass(lx, sc);
	if (tok_is(&lx->cur, "connectiontunnel"))
		return lex_fail(lx, lx->cur.loc, "'connectiontunnel' is not supported");
	lex_next(&la);
	if (la.cur.t == T_LPAREN && (tok_is(&lx->cur, "define") ||
				     tok_is(&lx->cur, "require") ||
				     tok_is(&lx->cur, "provide")))
		return directive(ps, lx, sc);
	if (is_declarations(lx))
		return declarations(ps, lx, sc);
	return chain(ps, lx, sc);
}

/* Statements up to '}' (a body) or the end of the file; Click needs no
 * ';' between them: a statement ends where the next token cannot
 * continue it.
 */
bool statements(struct parser *ps, struct lexer *lx, struct scope *sc)
{
	while (!*ps->lx_failed) {
		switch (lx->cur.t) {
		case T_SEMI:
			lex_next(lx);
			continue;
		case T_EOF:
		case T_RBRACE:
		case T_RPAREN:
			if (lx->cur.t == sc->close)
				return true;
			return lex_unexpected(lx, sc->close == T_RBRACE ? "'}'" :
					      sc->close == T_RPAREN ? "')'" :
					      "an element");
		default:
			if (!statement(ps, lx, sc))
				return false;
		}
	}
	return false;
}

int parse_click(struct dag *g, const char *text, size_t len, struct diag *d)
{
	return parse_click_notes(g, text, len, d, NULL);
}

int parse_click_notes(struct dag *g, const char *text, size_t len,
		      struct diag *d, FILE *notes)
{
	bool failed = false;
	struct parser ps = { .g = g, .d = d, .lx_failed = &failed,
			     .notes = notes };
	struct scope top = { .in = -1, .out = -1, .close = T_EOF };
	struct lexer lx;
	bool ok;

	lex_init(&lx, g->file, text, len, d, &failed);
	ok = statements(&ps, &lx, &top) && !failed;
	scope_free(&top);
	for (size_t i = 0; i < ps.ninsts; i++)
		free(ps.insts[i].name);
	free(ps.insts);
	return ok ? click_flatten(g, d) : -1;
}
