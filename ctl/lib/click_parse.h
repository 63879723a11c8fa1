/* SPDX-License-Identifier: GPL-2.0 */
/* Internals shared by the Click parser and its flattening pass. */
#ifndef CLICKUPCTL_CLICK_PARSE_H
#define CLICKUPCTL_CLICK_PARSE_H

#include <stdio.h>

#include "click_lex.h"
#include "parse.h"

#define PREFIX_MAX	256
#define MAX_LIST	CLICKUP_MAX_PORTS	/* elements in an element list */

struct var {
	char *name, *value;
};

struct cls {
	char name[CLICKUP_NAME_MAX];
	struct lexer body;		/* at the first token after '{' */
	struct token alias;		/* "elementclass A B": B */
	bool is_alias;
	const struct scope *def;	/* where it was defined ... */
	size_t def_nclasses;		/* ... and the classes it can see */
};

struct scope {
	const struct scope *up;		/* lexically enclosing scope */
	size_t up_nclasses;		/* up's classes visible here */
	char prefix[PREFIX_MAX];	/* "" or "outer/inner/" */
	struct var *vars;
	size_t nvars;
	struct cls *classes;
	size_t nclasses;
	unsigned int nelems;		/* elements so far, for type@N */
	int in, out;			/* pass nodes; -1 at the top level */
	enum tok close;			/* what ends it: T_EOF, '}' or ')' */
	int depth;
};

/* A compound element instance: its name and its two pass nodes. */
struct inst {
	char *name;
	int in, out;
	struct loc loc;
};

struct parser {
	struct dag *g;
	struct diag *d;
	bool *lx_failed;	/* the lexers' shared error flag */
	FILE *notes;		/* "note:" lines (require), or NULL */
	struct inst *insts;
	size_t ninsts;
};

static inline bool parser_failed(struct parser *ps)
{
	*ps->lx_failed = true;	/* the dag_* call has set the message */
	return false;
}

/* Statements up to '}' (a body) or the end of the file (parse_click.c). */
bool statements(struct parser *ps, struct lexer *lx, struct scope *sc);

/* One element of a connection: [ip] element [op]. */
struct end {
	int in, out;			/* node fed / node feeding; -1: none */
	uint32_t ip, op;
	bool has_ip, has_op;
	struct loc loc, ip_loc, op_loc;
};

/* A class as written: a type, a compound or an anonymous { body }. */
struct classref {
	const struct cls *cls;		/* compound (NULL: primitive type) */
	struct cls anon;		/* storage for "{ ... }" */
	struct token type;		/* primitive type or the class name */
};

/* Element names, classes and creation (click_elem.c). */
bool elem_full_name(struct lexer *lx, const struct scope *sc,
		    const struct token *t, char *buf, size_t size);
bool elem_lookup(struct parser *ps, const char *name, struct end *e);
bool elem_redeclared(struct parser *ps, struct lexer *lx, const char *name,
		     struct loc at);
void class_resolve(struct classref *cr);
bool class_read(struct lexer *lx, struct scope *sc, struct classref *cr);
bool elem_instantiate(struct parser *ps, struct lexer *lx, struct scope *sc,
		      const char *name, const struct classref *cr,
		      struct rawargs *args, struct loc loc, struct end *e);
bool elem_create(struct parser *ps, struct lexer *lx, struct scope *sc,
		 const char *name, const struct classref *cr, struct loc loc,
		 struct end *e);

/* Scopes (click_scope.c). */
const char *var_find(const struct scope *sc, const char *name, size_t len);
void var_set(struct scope *sc, const char *name, size_t len, char *value);
const struct cls *class_find(const struct scope *sc, const struct token *t);
void scope_free(struct scope *sc);
/* A copy of arg with $name and ${name} replaced, except inside '...';
 * NULL after an error (undefined variable).
 */
char *expand(struct lexer *lx, const struct scope *sc, const struct rawarg *arg);
/* define($name value, ...) */
bool define(struct lexer *lx, struct scope *sc, struct rawargs *a);

/* Compound elements (click_compound.c). */
bool skip_body(struct lexer *lx, struct loc open);
bool elementclass(struct lexer *lx, struct scope *sc);
bool group(struct parser *ps, struct lexer *lx, struct scope *sc, int *in,
	   int *out);
bool compound(struct parser *ps, struct lexer *at, struct scope *sc,
	      const struct cls *c, const char *name, struct rawargs *args,
	      struct loc loc, int *in, int *out);

/* Splices out the pass nodes of compound elements, drops them, and names
 * the anonymous atoms (click_flat.c).
 */
int click_flatten(struct dag *g, struct diag *d);

#endif
