// SPDX-License-Identifier: GPL-2.0
/*
 * bpf atoms: the kernel never parses BPF objects. For every atom of type
 * bpf(OBJECT[, PROGRAM[, NOUTPUTS]]) clickupctl opens OBJECT with libbpf
 * and loads one program (PROGRAM, or the first socket filter: SEC("socket")),
 * or, when OBJECT lies on a bpffs, opens the program pinned there. The
 * descriptor goes into the request (CLICKUP_ATOM_A_FD); the kernel takes
 * its own reference while handling it, so ours is closed afterwards.
 * A relative OBJECT is taken from the DAG file's directory (from the
 * current one for stdin). A program the kernel already runs (same tag:
 * an upgrade that keeps the object) is reused, not loaded again
 * (bpf_reuse.c).
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "cmd.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC	0xcafe4a11
#endif
#ifndef EM_BPF
#define EM_BPF		247
#endif

#define PERM_HINT	"Operation not permitted (loading BPF programs needs CAP_BPF or CAP_SYS_ADMIN)"

#ifdef HAVE_LIBBPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_reuse.h"

/* PROGRAM, or NULL for "the first socket filter" (absent, "" or "-"). */
static const char *program_arg(const struct atom *a)
{
	if (a->nargs < 2 || !a->args[1][0] || !strcmp(a->args[1], "-"))
		return NULL;
	return a->args[1];
}

static void resolve(const struct dag *g, const char *arg, char *out,
		    size_t size)
{
	const char *slash = strrchr(g->file, '/');

	if (arg[0] == '/' || !slash || !strcmp(g->file, "<stdin>"))
		snprintf(out, size, "%s", arg);
	else
		snprintf(out, size, "%.*s/%s", (int)(slash - g->file), g->file,
			 arg);
}

/* An ELF file for EM_BPF, or why not (in why). */
static int check_elf(const char *path, char *why, size_t size)
{
	unsigned char h[EI_NIDENT + 4];
	unsigned int machine;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, size, "%s", strerror(errno));
		return -1;
	}
	n = read(fd, h, sizeof(h));
	if (n < 0)
		snprintf(why, size, "%s", strerror(errno));
	close(fd);
	if (n < 0)
		return -1;
	if (n < (ssize_t)sizeof(h) || memcmp(h, ELFMAG, SELFMAG)) {
		snprintf(why, size, "not a BPF object (not an ELF file)");
		return -1;
	}
	machine = h[EI_DATA] == ELFDATA2MSB ? (unsigned int)h[18] << 8 | h[19]
					    : (unsigned int)h[19] << 8 | h[18];
	if (machine != EM_BPF) {
		snprintf(why, size,
			 "not a BPF object (ELF for machine %u, not BPF: build it with clang -target bpf)",
			 machine);
		return -1;
	}
	return 0;
}

#define VLOG_SIZE	(1U << 20)

/* libbpf's last warning, for errors it gives no better reason for. */
static char libbpf_msg[256];

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	size_t n;

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(libbpf_msg, sizeof(libbpf_msg), fmt, ap);
	n = strlen(libbpf_msg);
	while (n && (libbpf_msg[n - 1] == '\n' || libbpf_msg[n - 1] == ' '))
		libbpf_msg[--n] = 0;
	return 0;
}

/* The last @want non-empty lines of a verifier log, joined by " | ". */
static void log_tail(char *log, int want, char *out, size_t size)
{
	char *lines[8];
	int n = 0, i;
	char *p;

	for (p = strtok(log, "\n"); p; p = strtok(NULL, "\n")) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			continue;
		if (n == want) {
			memmove(lines, lines + 1, (size_t)(want - 1) * sizeof(*lines));
			n--;
		}
		lines[n++] = p;
	}
	out[0] = 0;
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s",
			 i ? " | " : "", lines[i]);
}

/* The program's kind from /proc/self/fdinfo (a pinned map has none). */
static bool fd_is_prog(int fd)
{
	char path[64], line[256];
	bool prog = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return true;	/* cannot tell: the kernel will */
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "prog_type:", 10))
			prog = true;
	fclose(f);
	return prog;
}

static int open_pinned(const struct atom *a, const char *path, char *why,
		       size_t size)
{
	int fd;

	if (program_arg(a)) {
		snprintf(why, size,
			 "a pinned program takes no PROGRAM (give '-' before NOUTPUTS)");
		return -1;
	}
	fd = bpf_obj_get(path);
	if (fd < 0) {
		snprintf(why, size, "%s", errno == EPERM ? PERM_HINT :
			 strerror(errno));
		return -1;
	}
	if (!fd_is_prog(fd)) {
		close(fd);
		snprintf(why, size, "pinned object is not a BPF program");
		return -1;
	}
	return fd;
}

static int load_object(const struct atom *a, const char *path, char *why,
		       size_t size)
{
	const char *want = program_arg(a);
	struct bpf_program *p, *pick = NULL;
	struct bpf_object *obj;
	char names[256] = "", tail[512];
	char *vlog = NULL;
	int fd = -1, err;

	if (check_elf(path, why, size) < 0)
		return -1;
	libbpf_set_print(libbpf_quiet);
	libbpf_msg[0] = 0;
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		err = errno;
		snprintf(why, size, "not a BPF object libbpf can open: %s%s%s",
			 strerror(err), libbpf_msg[0] ? ": " : "", libbpf_msg);
		return -1;
	}
	bpf_object__for_each_program(p, obj) {
		const char *name = bpf_program__name(p);

		snprintf(names + strlen(names), sizeof(names) - strlen(names),
			 "%s%s", names[0] ? ", " : "", name);
		if (pick)
			continue;
		if (want ? !strcmp(name, want) :
		    bpf_program__type(p) == BPF_PROG_TYPE_SOCKET_FILTER)
			pick = p;
	}
	if (!pick) {
		if (want)
			snprintf(why, size, "no program '%s' in it (programs: %s)",
				 want, names[0] ? names : "none");
		else
			snprintf(why, size,
				 "no socket filter program (SEC(\"socket\")) in it (programs: %s)",
				 names[0] ? names : "none");
		goto out;
	}
	/* the same program already loaded: no second verification */
	fd = bpf_reuse_find(path, pick);
	if (fd >= 0)
		goto out;
	/* only the chosen program goes to the verifier */
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == pick);
	vlog = calloc(1, VLOG_SIZE);
	if (!vlog) {
		snprintf(why, size, "out of memory");
		goto out;
	}
	bpf_program__set_log_buf(pick, vlog, VLOG_SIZE);
	if (bpf_object__load(obj)) {
		err = errno;
		if (err == EPERM) {
			snprintf(why, size, "%s", PERM_HINT);
		} else if (vlog[0]) {
			log_tail(vlog, 3, tail, sizeof(tail));
			snprintf(why, size, "verifier rejected program '%s': %s",
				 bpf_program__name(pick), tail);
		} else {
			snprintf(why, size, "cannot load program '%s': %s%s%s",
				 bpf_program__name(pick), strerror(err),
				 libbpf_msg[0] ? ": " : "", libbpf_msg);
		}
		goto out;
	}
	/* our own descriptor: closing the object closes libbpf's */
	fd = fcntl(bpf_program__fd(pick), F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		snprintf(why, size, "%s", strerror(errno));
out:
	free(vlog);
	bpf_object__close(obj);
	return fd;
}

static int load_one(const struct dag *g, const struct atom *a, char *why,
		    size_t size)
{
	char path[4096];
	struct statfs st;

	resolve(g, a->args[0], path, sizeof(path));
	if (statfs(path, &st) == 0 && st.f_type == BPF_FS_MAGIC)
		return open_pinned(a, path, why, size);
	return load_object(a, path, why, size);
}

#else	/* !HAVE_LIBBPF */

static int load_one(const struct dag *g, const struct atom *a, char *why,
		    size_t size)
{
	(void)g;
	(void)a;
	snprintf(why, size, "clickupctl was built without libbpf");
	return -1;
}

#endif

void bpf_features(FILE *f)
{
#ifdef HAVE_LIBBPF
	fprintf(f, ", libbpf %u.%u", libbpf_major_version(),
		libbpf_minor_version());
#else
	fputs(", no libbpf (bpf atoms refused)", f);
#endif
}

int bpf_atoms_load(struct dag *g, const char *what)
{
	char why[1024];

	for (size_t i = 0; i < g->nr_atoms; i++) {
		struct atom *a = &g->atoms[i];

		if (!atom_has_fd(a))
			continue;
		a->fd = load_one(g, a, why, sizeof(why));
		if (a->fd < 0) {
			fail(what, "bpf atom '%s' (%s:%d): %s: %s", a->name,
			     g->file, a->loc.line, a->args[0], why);
			bpf_atoms_close(g);
			return -1;
		}
	}
	return 0;
}

void bpf_atoms_close(struct dag *g)
{
	for (size_t i = 0; i < g->nr_atoms; i++) {
		if (g->atoms[i].fd >= 0)
			close(g->atoms[i].fd);
		g->atoms[i].fd = -1;
	}
}
