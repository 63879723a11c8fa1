// SPDX-License-Identifier: GPL-2.0
/*
 * User-space loading of atom modules, before create/upgrade.
 *
 * A DAG naming an atom type the kernel lacks makes the kernel call
 * request_module("clickup-atom-<type>") inside the request: one
 * usermode-helper modprobe process per missing type, one after another.
 * Instead, clickupctl sends the DAG with autoload off (CLICKUP_A_NO_AUTOLOAD,
 * cmd_ne.c); only when that fails on a missing type does it ask the
 * kernel which types it has (ATOM_GET dump), resolve each missing one
 * through the same alias with libkmod (what modprobe does: modules.alias,
 * modules.dep, the blacklist), insert the modules one after another from
 * one libkmod context, and send the DAG again. The running element is not
 * touched meanwhile.
 *
 * request_module() stays the fallback: for DAGs sent by other tools, and
 * whenever loading here is not possible (built without libkmod, no
 * CAP_SYS_MODULE, types not dumpable by this caller, --no-modload).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <time.h>
#ifdef HAVE_LIBKMOD
#include <libkmod.h>
#endif

#include "modload.h"
#include "print.h"

#define ALIAS_PREFIX "clickup-atom-"

struct want {
	const char *type;	/* lower case (dag.h) */
	bool have;		/* registered: by name or alias */
};

struct wants {
	struct want *v;
	size_t n;
};

/* Appends one line to ml->errors; returns -1. */
static int __attribute__((format(printf, 2, 3)))
ml_err(struct modload *ml, const char *fmt, ...)
{
	size_t old = ml->errors ? strlen(ml->errors) : 0;
	char *line, *e;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	e = realloc(ml->errors, old + (size_t)n + 2);
	if (e) {
		memcpy(e + old, line, (size_t)n);
		memcpy(e + old + n, "\n", 2);
		ml->errors = e;
	}
	free(line);
	return -1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void mark(struct wants *w, const struct nlattr *a)
{
	char name[CLICKUP_NAME_MAX];

	nla_str_to(a, name, sizeof(name));
	for (size_t i = 0; i < w->n; i++)
		if (!strcasecmp(w->v[i].type, name))
			w->v[i].have = true;
}

static int on_type(uint8_t cmd, struct nlattr **tb, void *arg)
{
	struct nlattr *t[CLICKUP_TYPE_A_MAX + 1], *al;
	int rem;

	(void)cmd;
	if (!tb[CLICKUP_A_TYPE] ||
	    nla_parse_nested(t, CLICKUP_TYPE_A_MAX, tb[CLICKUP_A_TYPE], NULL) < 0)
		return 0;
	if (t[CLICKUP_TYPE_A_NAME])
		mark(arg, t[CLICKUP_TYPE_A_NAME]);
	if (t[CLICKUP_TYPE_A_ALIASES])
		nla_for_each_nested(al, t[CLICKUP_TYPE_A_ALIASES], rem)
			if (nla_type(al) == CLICKUP_TYPE_A_NAME)
				mark(arg, al);
	return 0;
}

/* Marks the types the kernel has; -1 if it would not tell us. */
static int dump_types(struct nlctx *nl, struct wants *w)
{
	for (int tries = 0; tries < 5; tries++) {
		struct nl_msg *m = nlc_msg(nl, CLICKUP_CMD_ATOM_GET, NLM_F_DUMP, 0);
		struct nlerr e;
		int r;

		if (!m)
			return -1;
		for (size_t i = 0; i < w->n; i++)
			w->v[i].have = false;
		r = nlc_talk(nl, m, on_type, w, &e);
		if (r <= 0)
			return r;
		/* 1: a module (un)registered during the dump; again */
	}
	return -1;
}

#ifdef HAVE_LIBKMOD

/* One module to insert. */
struct job {
	const char *type;	/* the first type of the DAG that needs it */
	char *name, *path;	/* path: NULL when modules.dep has none */
	int err;		/* probe: 0, -errno, or > 0: blacklisted */
};

struct jobs {
	struct job *v;
	size_t n;
};

/*
 * What modprobe does for one module, from the one context: dependencies
 * first (already loaded ones skipped), options and install commands from
 * modprobe.d, the blacklist. -EEXIST only if j's own module is there
 * (raced us): not ours.
 */
static void insert_one(struct kmod_ctx *k, struct job *j)
{
	struct kmod_module *m;

	j->err = kmod_module_new_from_name(k, j->name, &m);
	if (j->err)
		return;
	j->err = kmod_module_probe_insert_module(m,
			KMOD_PROBE_APPLY_BLACKLIST | KMOD_PROBE_FAIL_ON_LOADED,
			NULL, NULL, NULL, NULL);
	kmod_module_unref(m);
}

static int add_job(struct jobs *js, const char *type, struct kmod_module *m)
{
	const char *name = kmod_module_get_name(m), *path;
	struct job *j;

	for (size_t i = 0; i < js->n; i++)
		if (!strcmp(js->v[i].name, name))
			return 0;
	j = realloc(js->v, (js->n + 1) * sizeof(*js->v));
	if (!j)
		return -1;
	js->v = j;
	j = &js->v[js->n];
	memset(j, 0, sizeof(*j));
	path = kmod_module_get_path(m);
	j->type = type;
	j->name = strdup(name);
	j->path = path ? strdup(path) : NULL;
	if (!j->name || (path && !j->path)) {
		free(j->name);
		free(j->path);
		return -1;
	}
	js->n++;
	return 0;
}

/* Resolves the alias of every missing type into js; prints why not. */
static int resolve(struct kmod_ctx *k, const struct wants *w, struct jobs *js,
		   struct modload *ml)
{
	int ret = 0;

	for (size_t i = 0; i < w->n; i++) {
		struct kmod_list *list = NULL, *l;
		char alias[sizeof(ALIAS_PREFIX) + CLICKUP_NAME_MAX];
		int err;

		if (w->v[i].have)
			continue;
		snprintf(alias, sizeof(alias), ALIAS_PREFIX "%s", w->v[i].type);
		err = kmod_module_new_from_lookup(k, alias, &list);
		if (err < 0) {
			ret = ml_err(ml, "atom type '%s': cannot look up %s: %s",
				   w->v[i].type, alias, strerror(-err));
			continue;
		}
		if (!list) {
			/* worded as the kernel's own refusal, which scripts match */
			ret = ml_err(ml, "%s: unknown atom type '%s': no module has the alias %s (%s/modules.alias)",
				   strerror(ENOENT), w->v[i].type, alias,
				   kmod_get_dirname(k));
			continue;
		}
		kmod_list_foreach(l, list) {
			struct kmod_module *m = kmod_module_get_module(l);

			if (add_job(js, w->v[i].type, m) < 0)
				ret = ml_err(ml, "out of memory");
			kmod_module_unref(m);
		}
		kmod_module_unref_list(list);
	}
	return ret;
}

/* The vermagic of a module file ("6.1.0-57-amd64 SMP ..."), or NULL. */
static char *vermagic(struct kmod_ctx *k, const char *path)
{
	struct kmod_module *m;
	struct kmod_list *info = NULL, *l;
	char *v = NULL;

	if (!path || kmod_module_new_from_path(k, path, &m) < 0)
		return NULL;
	if (kmod_module_get_info(m, &info) >= 0) {
		kmod_list_foreach(l, info)
			if (!strcmp(kmod_module_info_get_key(l), "vermagic")) {
				v = strdup(kmod_module_info_get_value(l));
				break;
			}
		kmod_module_info_free_list(info);
	}
	kmod_module_unref(m);
	return v;
}

/* One line naming the type, the module file and the reason. */
static void job_error(struct kmod_ctx *k, const struct job *j,
		      struct modload *ml)
{
	const char *file = j->path ? j->path : "(not in modules.dep)";
	struct utsname u;
	char *vm;
	size_t rl;

	if (j->err > 0) {
		ml_err(ml, "atom type '%s': module %s (%s) is blacklisted (modprobe.d)",
		     j->type, j->name, file);
		return;
	}
	switch (-j->err) {
	case ENOENT:
		ml_err(ml, "atom type '%s': module %s: file %s is missing (modules.dep out of date? run depmod)",
		     j->type, j->name, file);
		return;
	case EKEYREJECTED:
	case ENOKEY:
	case EKEYEXPIRED:
	case EBADMSG:
		ml_err(ml, "atom type '%s': module %s (%s): signature missing or rejected, and this kernel enforces module signatures (%s)",
		     j->type, j->name, file, strerror(-j->err));
		return;
	case ENOEXEC:
		vm = vermagic(k, j->path);
		uname(&u);
		rl = strlen(u.release);
		if (vm && (strncmp(vm, u.release, rl) || (vm[rl] && vm[rl] != ' ')))
			ml_err(ml, "atom type '%s': module %s (%s) was built for another kernel: vermagic '%s', running %s",
			     j->type, j->name, file, vm, u.release);
		else
			ml_err(ml, "atom type '%s': module %s (%s) is not a valid module for this kernel (%s; see dmesg)",
			     j->type, j->name, file, strerror(ENOEXEC));
		free(vm);
		return;
	}
	ml_err(ml, "atom type '%s': module %s (%s): %s", j->type, j->name,
	     file, strerror(-j->err));
}

/*
 * One after another, from this thread. Concurrent inserts (a thread and a
 * libkmod context each) were measured 2-7x slower than this on the 2-vCPU
 * test VM under load: finit_module()s contend in the kernel (module
 * layout, ftrace patching and page permission changes cost IPIs and
 * locks), and every extra context reads the configuration and indexes
 * again (bench/notes-upgrade.md).
 */
static int load_missing(const struct wants *w, struct modload *ml)
{
	struct kmod_ctx *k = kmod_new(NULL, NULL);
	struct jobs js = { 0 };
	int ret;

	if (!k)
		return ml_err(ml, "libkmod: cannot create a context");
	/* the indexes mapped once, not opened again for every lookup */
	kmod_load_resources(k);
	ret = resolve(k, w, &js, ml);
	for (size_t i = 0; !ret && i < js.n; i++)
		insert_one(k, &js.v[i]);
	ml->loaded = calloc(js.n ? js.n : 1, sizeof(*ml->loaded));
	for (size_t i = 0; !ret && i < js.n; i++) {
		struct job *j = &js.v[i];

		if (!j->err) {
			if (ml->loaded) {
				ml->loaded[ml->nr_loaded++] = j->name;
				j->name = NULL;
			}
		} else if (j->err != -EEXIST && j->err != -EPERM) {
			/* EPERM (no CAP_SYS_MODULE): request_module() may */
			job_error(k, j, ml);
			ret = -1;
		}
	}
	for (size_t i = 0; i < js.n; i++) {
		free(js.v[i].name);
		free(js.v[i].path);
	}
	free(js.v);
	kmod_unref(k);
	return ret;
}

#endif /* HAVE_LIBKMOD */

int modload_dag(struct nlctx *nl, const struct dag *g, struct modload *ml)
{
	uint64_t t0 = now_ns();
	struct wants w = { 0 };
	int ret = 0;

	memset(ml, 0, sizeof(*ml));
	if (!g->nr_atoms)
		return 0;
	w.v = calloc(g->nr_atoms, sizeof(*w.v));
	if (!w.v)
		return ml_err(ml, "out of memory");
	for (size_t i = 0; i < g->nr_atoms; i++) {
		size_t k;

		for (k = 0; k < w.n; k++)
			if (!strcmp(w.v[k].type, g->atoms[i].type))
				break;
		if (k == w.n)
			w.v[w.n++].type = g->atoms[i].type;
	}
	if (dump_types(nl, &w) < 0)
		goto out;	/* e.g. refused to this caller: the kernel decides */
	for (size_t i = 0; i < w.n; i++)
		ml->nr_missing += !w.v[i].have;
#ifdef HAVE_LIBKMOD
	if (ml->nr_missing)
		ret = load_missing(&w, ml);
#endif
out:
	ml->ns = now_ns() - t0;
	free(w.v);
	return ret;
}

void modload_free(struct modload *ml)
{
	for (size_t i = 0; i < ml->nr_loaded; i++)
		free(ml->loaded[i]);
	free(ml->loaded);
	free(ml->errors);
	memset(ml, 0, sizeof(*ml));
}

void modload_print(const struct modload *ml)
{
	jprint_u64("modload_ns", ml->ns);
	jprint_u64("modload_missing", ml->nr_missing);
	jprint_u64("modload_loaded", ml->nr_loaded);
	jprint_strv("modload_modules", ml->loaded, (unsigned int)ml->nr_loaded);
	if (ml->nr_loaded)
		tprint("; %zu module%s loaded in user space in %" PRIu64 " us",
		       ml->nr_loaded, ml->nr_loaded == 1 ? "" : "s",
		       (ml->ns + 500) / 1000);
}

void modload_features(FILE *f)
{
#ifdef HAVE_LIBKMOD
	fputs(", libkmod", f);
#else
	fputs(", no libkmod (modules loaded by the kernel)", f);
#endif
}
