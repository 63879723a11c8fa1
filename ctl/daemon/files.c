// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard's static files (ctl/www/, installed under
 * share/clickup/www): resolved beneath the directory only (openat2
 * RESOLVE_BENEATH: no "..", no symlink out), regular files only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "daemon.h"

static int dirfd_www = -1;

int files_open(const char *dir)
{
	dirfd_www = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return dirfd_www < 0 ? -1 : 0;
}

static const struct {
	const char *ext, *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".ico", "image/x-icon" },
	{ ".woff2", "font/woff2" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".map", "application/json" },
};

static const char *type_of(const char *path)
{
	size_t n = strlen(path);

	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		size_t m = strlen(types[i].ext);

		if (n > m && !strcmp(path + n - m, types[i].ext))
			return types[i].type;
	}
	return "application/octet-stream";
}

static int open_beneath(const char *rel)
{
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
			   RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, dirfd_www, rel, &how, sizeof(how));
}

enum MHD_Result files_request(struct MHD_Connection *c, const char *url)
{
	char rel[1024];
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct stat st;
	int fd;

	if (dirfd_www < 0)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "",
				   "no dashboard installed (--www DIR)");
	/* "/" is index.html; ".." and empty names are not files of ours */
	snprintf(rel, sizeof(rel), "%s%s", url + 1,
		 url[strlen(url) - 1] == '/' ? "index.html" : "");
	if (url[0] != '/' || strstr(rel, "..") || strstr(rel, "//") ||
	    strlen(url) >= sizeof(rel) - 16)
		return reply_error(c, MHD_HTTP_NOT_FOUND, "", "no such file");
	fd = open_beneath(rel);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return reply_error(c, MHD_HTTP_NOT_FOUND, "", "no such file");
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type_of(rel));
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	set_common_headers(r, false);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}
