// SPDX-License-Identifier: GPL-2.0
/*
 * GET /api/v1/events: Server-Sent Events. A listener thread turns the
 * genl "events" multicast into frames in a ring; a ticker thread takes
 * the counters snapshot every interval on its own socket, while some
 * stream is open, and wakes the streams. The request thread only copies
 * finished frames, so a slow kernel never holds up the API. A stream with
 * nothing to send is suspended: an idle one costs no CPU.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickup.h"
#include "daemon.h"

#define RING		256
#define KEEPALIVE_NS	(10ULL * 1000000000ULL)
#define TICK_MAX_MS	5000	/* streams are woken at least this often */

struct client {
	struct MHD_Connection *c;
	struct client *next;
	uint64_t seq;		/* next ring event to send */
	uint64_t counters;	/* snapshot generation sent */
	uint64_t last_send;	/* ns */
	bool suspended;
	char *pending;		/* a frame being sent */
	size_t off, len;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char *ring[RING];	/* whole frames, by seq % RING */
static uint64_t next_seq;
static struct client *clients;
static char *snapshot;		/* the latest counters frame, or NULL */
static uint64_t snapshot_gen;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/*
 * Called with lock held; drops it. The streams are resumed after: libmicrohttpd
 * takes a mutex of its own in MHD_resume_connection(), and may hold it when
 * it frees a response (client_free() takes lock). A suspended connection
 * is never closed, so k->c stays valid until it is resumed.
 */
static void wake_all_unlock(void)
{
	struct MHD_Connection *c[STREAMS_MAX];
	unsigned int n = 0, i;

	for (struct client *k = clients; k && n < STREAMS_MAX; k = k->next)
		if (k->suspended) {
			k->suspended = false;
			c[n++] = k->c;
		}
	pthread_mutex_unlock(&lock);
	for (i = 0; i < n; i++)
		MHD_resume_connection(c[i]);
}

/* "event: NAME\ndata: JSON\n\n" from a printed record (one line). */
static char *frame(const char *event, const char *json, size_t len)
{
	char *f = NULL;

	while (len && json[len - 1] == '\n')
		len--;
	if (asprintf(&f, "event: %s\ndata: %.*s\n\n", event, (int)len, json) < 0)
		return NULL;
	return f;
}

static int on_event(uint8_t cmd, struct nlattr **tb, void *arg)
{
	const char *ev = event_name(cmd);
	struct out o;
	char *f;

	(void)arg;
	if (!ev)
		return 0;
	out_open(&o);
	print_result(true, ev, tb, NULL);
	out_close(&o);
	f = frame(ev, o.buf, o.len);
	free(o.buf);
	if (!f)
		return 0;
	pthread_mutex_lock(&lock);
	free(ring[next_seq % RING]);
	ring[next_seq % RING] = f;
	next_seq++;
	wake_all_unlock();
	return 0;
}

/* Its own socket; retried while clickup.ko is not there. */
static void *listener(void *arg)
{
	(void)arg;
	for (;;) {
		struct nlctx nl;
		struct nlerr e;
		struct diag d;

		if (nlc_open(&nl, &d) == 0) {
			nlc_listen(&nl, CLICKUP_MCGRP_EVENTS, on_event, NULL, &e);
			nlc_close(&nl);
		}
		sleep(2);
	}
	return NULL;
}

/* The counters of every NE as a frame, or NULL (socket closed then). */
static char *take_snapshot(struct nlctx *nl, bool *open)
{
	struct nlerr e;
	struct out o;
	char *f;
	int r;

	if (!*open && daemon_nl_open(nl, &e))
		return NULL;
	*open = true;
	out_open(&o);
	r = ne_show(nl, NULL, true, &e);
	out_close(&o);
	if (r < 0) {	/* the module went, or an answer is late: start over */
		nlc_close(nl);
		*open = false;
		free(o.buf);
		return NULL;
	}
	f = frame("counters", o.buf, o.len);
	free(o.buf);
	return f;
}

static void sleep_ns(uint64_t ns)
{
	struct timespec ts = { (time_t)(ns / 1000000000ULL),
			       (long)(ns % 1000000000ULL) };

	while (nanosleep(&ts, &ts))
		;
}

static void *ticker(void *arg)
{
	const uint64_t interval = cfg.interval_ms * 1000000ULL;
	const uint64_t tick_max = TICK_MAX_MS * 1000000ULL;
	uint64_t due = now_ns() + interval, now;
	struct nlctx nl;
	bool open = false, listened;

	(void)arg;
	for (;;) {
		char *f = NULL, *old;

		now = now_ns();
		sleep_ns(due <= now ? 0 : due - now < tick_max ? due - now : tick_max);
		pthread_mutex_lock(&lock);
		listened = clients;
		pthread_mutex_unlock(&lock);
		now = now_ns();
		if (!listened) {
			due = now + interval;	/* a new stream waits one interval */
		} else if (now >= due) {
			due = now + interval;
			f = take_snapshot(&nl, &open);
		}
		pthread_mutex_lock(&lock);
		/* nobody listens: a later stream must not start with old counters */
		if (f || !clients) {
			old = snapshot;
			snapshot = f;
			snapshot_gen++;
			free(old);
		} else {
			free(f);
		}
		wake_all_unlock();
	}
	return NULL;
}

/* The next frame for k, or NULL (then k is suspended). */
static char *next_frame(struct client *k)
{
	char *f = NULL;

	pthread_mutex_lock(&lock);
	if (next_seq - k->seq > RING)	/* too slow: the oldest are gone */
		k->seq = next_seq - RING;
	if (k->seq < next_seq) {
		f = strdup(ring[k->seq++ % RING]);
	} else if (snapshot && k->counters != snapshot_gen) {
		k->counters = snapshot_gen;
		f = strdup(snapshot);
	} else if (now_ns() - k->last_send >= KEEPALIVE_NS) {
		f = strdup(": keepalive\n\n");
	} else {
		k->suspended = true;
		MHD_suspend_connection(k->c);
	}
	pthread_mutex_unlock(&lock);
	return f;
}

static ssize_t reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct client *k = cls;
	size_t n;

	(void)pos;
	if (!k->pending) {
		k->pending = next_frame(k);
		if (!k->pending)
			return 0;	/* suspended until woken */
		k->off = 0;
		k->len = strlen(k->pending);
	}
	n = k->len - k->off < max ? k->len - k->off : max;
	memcpy(buf, k->pending + k->off, n);
	k->off += n;
	if (k->off == k->len) {
		free(k->pending);
		k->pending = NULL;
	}
	k->last_send = now_ns();
	return (ssize_t)n;
}

static void client_free(void *cls)
{
	struct client *k = cls, **p;

	pthread_mutex_lock(&lock);
	for (p = &clients; *p; p = &(*p)->next)
		if (*p == k) {
			*p = k->next;
			break;
		}
	pthread_mutex_unlock(&lock);
	free(k->pending);
	free(k);
}

enum MHD_Result sse_request(struct MHD_Connection *c)
{
	struct client *k = calloc(1, sizeof(*k));
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (!k)
		return MHD_NO;
	k->c = c;
	k->pending = strdup(": clickupd events (docs/http-api.md)\nretry: 2000\n\n");
	k->len = k->pending ? strlen(k->pending) : 0;
	k->last_send = now_ns();
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, reader, k,
					      client_free);
	if (!r) {
		free(k->pending);
		free(k);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "X-Accel-Buffering", "no");
	set_common_headers(r, true);
	pthread_mutex_lock(&lock);
	k->seq = next_seq;	/* from now on */
	k->next = clients;
	clients = k;
	pthread_mutex_unlock(&lock);
	ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

int sse_start(struct MHD_Daemon *d)
{
	pthread_t t;

	(void)d;
	if (pthread_create(&t, NULL, listener, NULL) ||
	    pthread_detach(t) ||
	    pthread_create(&t, NULL, ticker, NULL) || pthread_detach(t))
		return -1;
	return 0;
}
