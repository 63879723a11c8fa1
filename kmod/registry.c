// SPDX-License-Identifier: GPL-2.0
/*
 * Atom-type registry: atom modules register their types here; DAGs find
 * them by name, autoloading "clickup-atom-<name>" the way nf_tables loads
 * "nft-expr-<name>". Lookups take a module reference per atom instance.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt
#include <linux/kmod.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include "compat.h"
#include "internal.h"

static LIST_HEAD(clickup_types);
/* Only guards the list; never held across request_module(). */
static DEFINE_MUTEX(clickup_types_lock);
/* Bumped by every (un)registration, so a dump can tell it raced one. */
static u32 clickup_types_seq;

/* Whether @type is called @name, by its name or one of its aliases. */
static bool clickup_type_is(const struct clickup_atom_type *type,
			    const char *name)
{
	const char *const *alias;

	if (!strcasecmp(type->name, name))
		return true;
	for (alias = type->aliases; alias && *alias; alias++)
		if (!strcasecmp(*alias, name))
			return true;
	return false;
}

static struct clickup_atom_type *clickup_type_find(const char *name)
{
	struct clickup_atom_type *type;

	list_for_each_entry(type, &clickup_types, list)
		if (clickup_type_is(type, name))
			return type;
	return NULL;
}

/* Whether a registered type already has a name or alias of @type. */
static bool clickup_type_clash(const struct clickup_atom_type *type)
{
	const char *const *alias;

	if (clickup_type_find(type->name))
		return true;
	for (alias = type->aliases; alias && *alias; alias++)
		if (clickup_type_find(*alias))
			return true;
	return false;
}

static bool clickup_type_valid(const struct clickup_atom_type *type)
{
	const char *const *alias;

	if (!type->name || !type->process || !type->owner ||
	    strlen(type->name) >= CLICKUP_NAME_MAX ||
	    type->outputs > CLICKUP_MAX_PORTS ||
	    type->max_args > CLICKUP_MAX_ARGS)
		return false;
	for (alias = type->aliases; alias && *alias; alias++)
		if (strlen(*alias) >= CLICKUP_NAME_MAX ||
		    !strcasecmp(*alias, type->name))
			return false;
	return true;
}

/**
 * clickup_atom_register - make an atom type available to DAGs
 * @type: the type, static in its module; @type->name, ->owner (THIS_MODULE)
 *	  and ->process are required, names and aliases are lower case and
 *	  shorter than CLICKUP_NAME_MAX
 *
 * DAGs find the type by its name or any of its aliases, case-insensitively.
 * Usually called through module_clickup_atom() from the module's init.
 *
 * Context: process context; takes a mutex.
 * Return: 0, -EINVAL for a malformed @type (with a warning), or -EEXIST
 * when a registered type already uses its name or one of its aliases.
 */
int clickup_atom_register(struct clickup_atom_type *type)
{
	int err = 0;

	if (WARN_ON(!clickup_type_valid(type)))
		return -EINVAL;

	mutex_lock(&clickup_types_lock);
	if (clickup_type_clash(type)) {
		err = -EEXIST;
	} else {
		atomic_set(&type->users, 0);
		list_add_tail(&type->list, &clickup_types);
		clickup_types_seq++;
	}
	mutex_unlock(&clickup_types_lock);
	if (!err)
		pr_debug("atom type %s registered by %s\n", type->name,
			 module_name(type->owner));
	return err;
}
EXPORT_SYMBOL_GPL(clickup_atom_register);

/**
 * clickup_atom_unregister - withdraw an atom type
 * @type: a type registered with clickup_atom_register()
 *
 * Called from the owner module's exit (module_clickup_atom()). Every
 * instance of the type holds a reference on its module, so none is left
 * by then; later lookups of the name autoload the module again.
 *
 * Context: process context; takes a mutex.
 */
void clickup_atom_unregister(struct clickup_atom_type *type)
{
	/* Live instances hold a module ref, so there are none left here. */
	mutex_lock(&clickup_types_lock);
	list_del(&type->list);
	clickup_types_seq++;
	mutex_unlock(&clickup_types_lock);
	pr_debug("atom type %s unregistered\n", type->name);
}
EXPORT_SYMBOL_GPL(clickup_atom_unregister);

static struct clickup_atom_type *clickup_type_tryget(const char *name)
{
	struct clickup_atom_type *type;

	mutex_lock(&clickup_types_lock);
	type = clickup_type_find(name);
	if (type && !try_module_get(type->owner))
		type = NULL;
	if (type)
		atomic_inc(&type->users);
	mutex_unlock(&clickup_types_lock);
	return type;
}

/*
 * Must be called without a netns mutex or RTNL: the module being loaded
 * registers its type, and its init must not wait on our locks.
 */
struct clickup_atom_type *clickup_type_get(const char *name, bool autoload,
					   bool *loaded)
{
	struct clickup_atom_type *type;
	char lname[CLICKUP_NAME_MAX];

	type = clickup_type_tryget(name);
	if (type || !autoload)
		return type;

	strscpy(lname, name, sizeof(lname));
	string_lower(lname, lname);
	if (request_module("clickup-atom-%s", lname) < 0)
		return NULL;
	type = clickup_type_tryget(name);
	if (type && loaded)
		*loaded = true;
	return type;
}

void clickup_type_put(struct clickup_atom_type *type)
{
	atomic_dec(&type->users);
	module_put(type->owner);
}

/**
 * clickup_types_walk - call @fn for registered types from position @start
 * @start: how many types to skip
 * @fn: stops the walk by returning non-zero
 * @arg: passed to @fn
 * @seq: set to the registry's generation (bumped by each registration)
 *
 * Return: the position after the last type @fn accepted.
 */
long clickup_types_walk(long start,
			int (*fn)(const struct clickup_atom_type *type, void *arg),
			void *arg, u32 *seq)
{
	const struct clickup_atom_type *type;
	long idx = 0;

	mutex_lock(&clickup_types_lock);
	*seq = clickup_types_seq;
	list_for_each_entry(type, &clickup_types, list) {
		if (idx < start) {
			idx++;
			continue;
		}
		if (fn(type, arg))
			break;
		idx++;
	}
	mutex_unlock(&clickup_types_lock);
	return idx;
}
