// SPDX-License-Identifier: GPL-2.0
/*
 * clickupd: the CLICK-UP HTTP API and dashboard (clickupd(8),
 * docs/http-api.md). Options, the token, libmicrohttpd's limits, then
 * wait for SIGINT/SIGTERM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"

#ifndef CLICKUPD_WWW
#define CLICKUPD_WWW "/usr/local/share/clickup/www"
#endif

/* Per connection: request line + headers (431 past it) and buffers. */
#define MEMORY_LIMIT	(16 * 1024)
#define IDLE_TIMEOUT_S	15

struct cfg cfg = {
	.listen = "127.0.0.1",
	.port = 3000,
	.www = CLICKUPD_WWW,
	.token_file = "/run/clickupd/token",
	.max_body = 1 << 20,
	.interval_ms = 1000,
};

static const char usage[] =
	"usage: clickupd [--listen ADDR] [--port PORT] [--www DIR]\n"
	"                [--token-file FILE] [--interval MS] [--max-body BYTES]\n"
	"defaults: 127.0.0.1, 3000, " CLICKUPD_WWW ",\n"
	"          /run/clickupd/token (made at start, mode 0600), 1000 ms, 1 MiB\n";

static int number(const char *s, unsigned long min, unsigned long max,
		  unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return !*s || *end || errno || *v < min || *v > max ? -1 : 0;
}

static int options(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "port", required_argument, NULL, 'p' },
		{ "www", required_argument, NULL, 'w' },
		{ "token-file", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' },
		{ "max-body", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned long v;
	int o;

	while ((o = getopt_long(argc, argv, "l:p:w:t:i:b:h", longs, NULL)) != -1) {
		switch (o) {
		case 'l': cfg.listen = optarg; break;
		case 'w': cfg.www = optarg; break;
		case 't': cfg.token_file = optarg; break;
		case 'p':
			if (number(optarg, 1, 65535, &v))
				goto bad;
			cfg.port = (uint16_t)v;
			break;
		case 'i':
			if (number(optarg, 50, 60000, &v))
				goto bad;
			cfg.interval_ms = (unsigned int)v;
			break;
		case 'b':
			if (number(optarg, 1024, 64 << 20, &v))
				goto bad;
			cfg.max_body = v;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			return -1;
		}
	}
	if (optind != argc) {
		fputs(usage, stderr);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "clickupd: bad value '%s' for --%s\n", optarg,
		longs[o == 'p' ? 1 : o == 'i' ? 4 : 5].name);
	return -1;
}

static struct MHD_Daemon *start(void)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
			     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ITC |
			     MHD_USE_ERROR_LOG;
	const struct sockaddr *sa = (const struct sockaddr *)&a4;

	if (inet_pton(AF_INET, cfg.listen, &a4.sin_addr) == 1) {
		a4.sin_port = htons(cfg.port);
	} else if (inet_pton(AF_INET6, cfg.listen, &a6.sin6_addr) == 1) {
		a6.sin6_port = htons(cfg.port);
		sa = (const struct sockaddr *)&a6;
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "clickupd: --listen wants a numeric address, not '%s'\n",
			cfg.listen);
		return NULL;
	}
	return MHD_start_daemon(flags, cfg.port, NULL, NULL, http_request, NULL,
				MHD_OPTION_SOCK_ADDR, sa,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)STREAMS_MAX,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
				MHD_OPTION_NOTIFY_COMPLETED, http_completed, NULL,
				MHD_OPTION_END);
}

int main(int argc, char **argv)
{
	struct MHD_Daemon *d;
	char err[512];
	sigset_t set;
	int sig;

	if (options(argc, argv))
		return 1;
	if (token_setup(cfg.token_file, err, sizeof(err))) {
		fprintf(stderr, "clickupd: token: %s\n", err);
		return 1;
	}
	if (files_open(cfg.www))
		fprintf(stderr, "clickupd: %s: %s (no dashboard; the API works)\n",
			cfg.www, strerror(errno));
	/* every thread started from here on leaves these to sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = start();
	if (!d) {
		fprintf(stderr, "clickupd: cannot listen on %s port %u\n",
			cfg.listen, cfg.port);
		return 1;
	}
	if (sse_start(d)) {
		fprintf(stderr, "clickupd: cannot start the event threads\n");
		return 1;
	}
	fprintf(stderr, "clickupd: listening on http://%s%s%s:%u/ (token in %s)\n",
		strchr(cfg.listen, ':') ? "[" : "", cfg.listen,
		strchr(cfg.listen, ':') ? "]" : "", cfg.port, cfg.token_file);
	do {
		if (sigwait(&set, &sig))
			return 1;
	} while (sig == SIGPIPE);
	/* suspended event streams make MHD_stop_daemon() abort: just go */
	fprintf(stderr, "clickupd: signal %d, exiting\n", sig);
	return 0;
}
