// SPDX-License-Identifier: GPL-2.0
/*
 * Elements of the Click language (docs/dag-language.md): the names they
 * are declared under, the classes they are written with ("Type",
 * "Class", "{ body }") and their creation as atoms or compounds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "click_parse.h"

/* ---- element names ------------------------------------------------------ */

static const struct inst *inst_find(const struct parser *ps, const char *name)
{
	for (size_t i = 0; i < ps->ninsts; i++)
		if (!strcmp(ps->insts[i].name, name))
			return &ps->insts[i];
	return NULL;
}

bool elem_full_name(struct lexer *lx, const struct scope *sc,
		    const struct token *t, char *buf, size_t size)
{
	size_t pl = strlen(sc->prefix), tl = strnlen(t->s, t->len);

	/* called for every name in the file: no snprintf() */
	if (pl + tl >= size)
		return lex_fail(lx, t->loc, "name '%s%.*s' too long", sc->prefix,
				(int)t->len, t->s);
	memcpy(buf, sc->prefix, pl);
	memcpy(buf + pl, t->s, tl);
	buf[pl + tl] = 0;
	if (strlen(buf) >= CLICKUP_NAME_MAX && !*sc->prefix)
		return lex_fail(lx, t->loc, "name longer than %d characters",
				CLICKUP_NAME_MAX - 1);
	if (strlen(buf) >= CLICKUP_NAME_MAX)
		return lex_fail(lx, t->loc, "name '%s' longer than %d characters",
				buf, CLICKUP_NAME_MAX - 1);
	return true;
}

/* The element a declared name denotes, or false (no error) if none. */
bool elem_lookup(struct parser *ps, const char *name, struct end *e)
{
	const struct inst *c = inst_find(ps, name);
	int i = dag_find(ps->g, name);

	if (c) {
		e->in = c->in;
		e->out = c->out;
		return true;
	}
	e->in = e->out = i;
	return i >= 0;
}

bool elem_redeclared(struct parser *ps, struct lexer *lx, const char *name,
		     struct loc at)
{
	struct end e;
	struct loc first;

	if (!elem_lookup(ps, name, &e))
		return false;
	first = e.in >= 0 ? ps->g->atoms[e.in].loc : inst_find(ps, name)->loc;
	lex_fail(lx, at, "redeclaration of '%s' (first declared at %d:%d)",
		 name, first.line, first.col);
	return true;
}

/* ---- elements ----------------------------------------------------------- */

/* "elementclass A B" makes A mean whatever B meant where A was defined. */
void class_resolve(struct classref *cr)
{
	for (int hops = 0; cr->cls && cr->cls->is_alias && hops < 64; hops++) {
		struct scope view = *cr->cls->def;

		view.nclasses = cr->cls->def_nclasses;
		cr->type = cr->cls->alias;
		cr->cls = class_find(&view, &cr->type);
	}
}

/* Reads a class: "Type", "Class" (an elementclass), "{ body }". */
bool class_read(struct lexer *lx, struct scope *sc, struct classref *cr)
{
	memset(cr, 0, sizeof(*cr));
	if (lx->cur.t == T_LBRACE) {
		struct loc open = lx->cur.loc;

		cr->type = lx->cur;
		lex_next(lx);
		cr->anon = (struct cls){ .body = *lx, .def = sc,
					 .def_nclasses = sc->nclasses };
		strcpy(cr->anon.name, "compound");
		cr->cls = &cr->anon;
		return skip_body(lx, open);
	}
	if (lx->cur.t != T_IDENT)
		return lex_unexpected(lx, "a type name after '::'");
	cr->type = lx->cur;
	cr->cls = class_find(sc, &cr->type);
	class_resolve(cr);
	lex_next(lx);
	return true;
}

static bool valid_type(struct lexer *lx, const struct token *t)
{
	if (t->len >= CLICKUP_NAME_MAX)
		return lex_fail(lx, t->loc, "type name longer than %d characters",
				CLICKUP_NAME_MAX - 1);
	for (size_t i = 0; i < t->len; i++)
		if (!isalnum((unsigned char)t->s[i]) && t->s[i] != '_')
			return lex_fail(lx, t->loc,
					"invalid type name (letters, digits, _)");
	return true;
}

/* Creates one element of class cr called name (full; NULL: anonymous). */
bool elem_instantiate(struct parser *ps, struct lexer *lx, struct scope *sc,
		      const char *name, const struct classref *cr,
		      struct rawargs *args, struct loc loc, struct end *e)
{
	char type[CLICKUP_NAME_MAX], gen[PREFIX_MAX + 64];
	int i;

	sc->nelems++;
	if (cr->cls) {
		/* anonymous compounds are named now: their body needs a prefix */
		for (unsigned int n = sc->nelems; !name; n++) {
			snprintf(gen, sizeof(gen), "%s%s@%u", sc->prefix,
				 cr->cls->name, n);
			for (char *p = gen + strlen(sc->prefix); *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (!elem_lookup(ps, gen, e))
				name = gen;
		}
		return compound(ps, lx, sc, cr->cls, name, args, loc, &e->in, &e->out);
	}
	if (!valid_type(lx, &cr->type))
		return false;
	snprintf(type, sizeof(type), "%.*s", (int)cr->type.len, cr->type.s);
	i = dag_add_atom(ps->g, name, type, loc, ps->d);
	if (i < 0)
		return parser_failed(ps);
	if (!name) {
		if (strlen(sc->prefix) >= CLICKUP_NAME_MAX)
			return lex_fail(lx, loc, "name prefix '%s' longer than %d characters",
					sc->prefix, CLICKUP_NAME_MAX - 1);
		strcpy(ps->g->atoms[i].name, sc->prefix);
		ps->g->atoms[i].anon_n = sc->nelems;
	}
	for (size_t k = 0; k < args->n; k++) {
		char *s = expand(lx, sc, &args->v[k]);
		int r;

		if (!s)
			return false;
		r = dag_add_arg(ps->g, (size_t)i, s, strlen(s), args->v[k].loc, ps->d);
		free(s);
		if (r < 0)
			return parser_failed(ps);
	}
	e->in = e->out = i;
	return true;
}

/* Optional "(args)" after a class, then the element itself. */
bool elem_create(struct parser *ps, struct lexer *lx, struct scope *sc,
		 const char *name, const struct classref *cr, struct loc loc,
		 struct end *e)
{
	struct rawargs args = { 0 };
	bool ok;

	if (lx->cur.t == T_LPAREN && !lex_args(lx, &args))
		return false;
	ok = elem_instantiate(ps, lx, sc, name, cr, &args, loc, e);
	rawargs_free(&args);
	return ok;
}
