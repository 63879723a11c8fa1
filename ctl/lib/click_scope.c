// SPDX-License-Identifier: GPL-2.0
/* Click scopes: variables ($name, define) and element classes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "click_parse.h"

const char *var_find(const struct scope *sc, const char *name, size_t len)
{
	for (; sc; sc = sc->up)
		for (size_t i = sc->nvars; i-- > 0;)
			if (strlen(sc->vars[i].name) == len &&
			    !memcmp(sc->vars[i].name, name, len))
				return sc->vars[i].value;
	return NULL;
}

void var_set(struct scope *sc, const char *name, size_t len, char *value)
{
	sc->vars = realloc(sc->vars, (sc->nvars + 1) * sizeof(*sc->vars));
	if (!sc->vars)
		abort();
	sc->vars[sc->nvars].name = strndup(name, len);
	sc->vars[sc->nvars++].value = value;
}

/* Classes are lexically scoped and not recursive: a body sees the
 * classes defined before its own, and a scope those defined so far.
 */
const struct cls *class_find(const struct scope *sc, const struct token *t)
{
	size_t lim = sc->nclasses;

	for (; sc; lim = sc->up_nclasses, sc = sc->up)
		for (size_t i = lim; i-- > 0;)
			if (strlen(sc->classes[i].name) == t->len &&
			    !memcmp(sc->classes[i].name, t->s, t->len))
				return &sc->classes[i];
	return NULL;
}

void scope_free(struct scope *sc)
{
	for (size_t i = 0; i < sc->nvars; i++) {
		free(sc->vars[i].name);
		free(sc->vars[i].value);
	}
	free(sc->vars);
	free(sc->classes);
}

/* ---- $variables in configuration strings -------------------------------- */

/* A copy of arg with $name and ${name} replaced, except inside '...'. */
char *expand(struct lexer *lx, const struct scope *sc, const struct rawarg *arg)
{
	char *out = NULL;
	size_t n = 0;
	FILE *f;
	char q = 0;

	/* Most arguments have no variable: no stream (each one callocs and
	 * clears a buffer, a sizeable share of parsing a file).
	 */
	if (!memchr(arg->s, '$', arg->len)) {
		out = strndup(arg->s, arg->len);
		if (!out)
			abort();
		return out;
	}
	f = open_memstream(&out, &n);
	if (!f)
		abort();
	for (size_t i = 0; i < arg->len; i++) {
		char c = arg->s[i];
		size_t b, e;
		const char *v;

		if (c == '\\' && q != '\'' && i + 1 < arg->len) {
			fputc(c, f);
			fputc(arg->s[++i], f);
			continue;
		}
		if ((c == '"' || c == '\'') && (!q || q == c))
			q = q ? 0 : c;
		if (c != '$' || q == '\'' || i + 1 >= arg->len ||
		    !(isalpha((unsigned char)arg->s[i + 1]) ||
		      arg->s[i + 1] == '_' || arg->s[i + 1] == '{')) {
			fputc(c, f);
			continue;
		}
		if (arg->s[i + 1] == '{') {
			b = i + 2;
			for (e = b; e < arg->len && arg->s[e] != '}'; e++)
				;
		} else {
			b = i + 1;
			for (e = b; e < arg->len && (isalnum((unsigned char)arg->s[e]) ||
						     arg->s[e] == '_'); e++)
				;
		}
		v = var_find(sc, arg->s + b, e - b);
		if (!v) {
			fclose(f);
			free(out);
			lex_fail(lx, arg->loc, "undefined variable '$%.*s'",
				 (int)(e - b), arg->s + b);
			return NULL;
		}
		fputs(v, f);
		i = arg->s[i + 1] == '{' ? e : e - 1;
	}
	fclose(f);
	return out;
}

/* define($name value, ...) */
bool define(struct lexer *lx, struct scope *sc, struct rawargs *a)
{
	for (size_t i = 0; i < a->n; i++) {
		struct rawarg *r = &a->v[i];
		size_t k = 1;
		struct rawarg val;
		char *v;

		if (!r->len || r->s[0] != '$')
			return lex_fail(lx, r->loc,
					"define: expected '$name value', found '%.40s'",
					r->s);
		while (k < r->len && (isalnum((unsigned char)r->s[k]) || r->s[k] == '_'))
			k++;
		if (k == 1)
			return lex_fail(lx, r->loc, "define: '$' without a name");
		val = *r;
		val.s += k;
		val.len -= k;
		while (val.len && isspace((unsigned char)*val.s)) {
			val.s++;
			val.len--;
		}
		v = expand(lx, sc, &val);
		if (!v)
			return false;
		var_set(sc, r->s + 1, k - 1, v);
	}
	return true;
}

