// SPDX-License-Identifier: GPL-2.0
/*
 * The bearer token every change needs: random at start, in a file only
 * its owner can read (the dashboard's user pastes it, or make dashboard
 * hands it over); or an administrator's, from --token-file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "daemon.h"

#define TOKEN_MIN	16
#define TOKEN_MAX	128

static char token[TOKEN_MAX + 1];
static size_t token_len;

static int generate(void)
{
	unsigned char r[32];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		return -1;
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(token + 2 * i, 3, "%02x", r[i]);
	token_len = 2 * sizeof(r);
	return 0;
}

/* An existing file: ours, a regular file, nobody else may read it. */
static int load(int fd, const char *path, char *err, size_t size)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		snprintf(err, size, "%s: not a regular file of ours", path);
		return -1;
	}
	if (st.st_mode & 077) {
		snprintf(err, size, "%s: readable by others (mode %04o): chmod 600 it",
			 path, (unsigned int)st.st_mode & 07777);
		return -1;
	}
	n = read(fd, token, TOKEN_MAX);
	if (n < 0) {
		snprintf(err, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	token[n] = 0;
	token_len = strcspn(token, " \t\r\n");
	token[token_len] = 0;
	for (size_t i = 0; i < token_len; i++)
		if (token[i] < 0x21 || token[i] > 0x7e)
			token_len = 0;
	if (token_len < TOKEN_MIN) {
		snprintf(err, size, "%s: want a token of %d to %d printable characters",
			 path, TOKEN_MIN, TOKEN_MAX);
		return -1;
	}
	return 0;
}

int token_setup(const char *path, char *err, size_t size)
{
	char dir[4096], tmp[4200], *slash;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		int r = load(fd, path, err, size);

		close(fd);
		return r;
	}
	if (errno != ENOENT) {
		snprintf(err, size, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* a missing directory is made private (the default /run/clickupd) */
	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = 0;
		if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
			snprintf(err, size, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	if (generate() < 0) {
		snprintf(err, size, "getrandom: %s", strerror(errno));
		return -1;
	}
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, token, token_len) != (ssize_t)token_len ||
	    write(fd, "\n", 1) != 1 || fsync(fd) < 0 || close(fd) < 0 ||
	    rename(tmp, path) < 0) {
		snprintf(err, size, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		return -1;
	}
	return 0;
}

/* "Bearer TOKEN", compared in constant time. */
bool token_ok(const char *authorization)
{
	const char *t;
	unsigned char diff = 0;
	size_t n;

	if (!authorization || strncasecmp(authorization, "Bearer ", 7))
		return false;
	t = authorization + 7;
	while (*t == ' ')
		t++;
	n = strlen(t);
	for (size_t i = 0; i < token_len; i++)
		diff |= (unsigned char)(token[i] ^ (i < n ? t[i] : 0));
	return token_len && n == token_len && !diff;
}
