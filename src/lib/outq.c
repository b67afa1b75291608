/* SPDX-License-Identifier: MIT */
/* outq: output written by a thread of its own through a bounded queue (outq.h). */
#include "lib/outq.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/msg.h"
#include "lib/util.h"

#define OUTQ_POLL_MS 100 /* how often a writer waiting for its reader looks at abandon */

struct outq_chunk {
	struct outq_chunk *next;
	size_t len, off; /* off: written so far (the writer's) */
	char data[];
};

struct outq {
	int fd;
	char *label, *what;
	/* a pipe, FIFO, socket or terminal: wait for POLLOUT, write at most PIPE_BUF at a time */
	bool chunked;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t more; /* to the writer: a chunk, or quit */
	pthread_cond_t room; /* to the caller: room, or the writer ended */
	struct outq_chunk *head, *tail;
	size_t queued;      /* bytes of the queued chunks, the one being written included */
	int err;            /* the writer's first error (errno); it ends there */
	bool quit;          /* no more chunks will come */
	bool done;          /* the writer ended */
	bool dropping;      /* a stop was asked for: what does not fit is dropped */
	atomic_bool abandon; /* the grace is over: the writer stops where it is */
	uint64_t lost_bytes, lost_lines; /* dropped, or queued after an error */
};

static bool (*stop_fn)(void *);
static void *stop_ctx;

void outq_set_stop_check(bool (*fn)(void *ctx), void *ctx)
{
	stop_fn = fn;
	stop_ctx = ctx;
}

static bool stop_asked(void)
{
	return stop_fn && stop_fn(stop_ctx);
}

static uint64_t lines_in(const char *p, size_t n)
{
	uint64_t k = 0;
	const char *e = p + n;
	while (p < e && (p = memchr(p, '\n', (size_t)(e - p)))) {
		k++;
		p++;
	}
	return k;
}

/* Write the rest of c: 0 when written, -errno on an error, 1 when abandoned. */
static int write_chunk(struct outq *q, struct outq_chunk *c)
{
	while (c->off < c->len) {
		if (atomic_load(&q->abandon))
			return 1;
		size_t n = c->len - c->off;
		if (q->chunked) {
			/* a write that fits where POLLOUT says there is room does not block */
			struct pollfd pf = { q->fd, POLLOUT, 0 };
			int pr = poll(&pf, 1, OUTQ_POLL_MS);
			if (pr == 0 || (pr < 0 && errno == EINTR))
				continue;
			if (n > PIPE_BUF)
				n = PIPE_BUF;
		}
		ssize_t w = write(q->fd, c->data + c->off, n);
		if (w < 0) {
			int err = errno;
			if (err == EINTR)
				continue;
			if (err == EAGAIN) { /* someone made the file description non-blocking */
				q->chunked = true;
				continue;
			}
			/*
			 * EPIPE left a SIGPIPE pending for this thread only, where every
			 * signal is blocked: make it the process's (the engine's signal
			 * handling takes it as a closed output, doc/ENGINE.md).
			 */
			if (err == EPIPE)
				kill(getpid(), SIGPIPE);
			return -err;
		}
		if (w == 0)
			return -EIO;
		c->off += (size_t)w;
	}
	return 0;
}

static void *writer_main(void *arg)
{
	struct outq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->head && !q->quit)
			pthread_cond_wait(&q->more, &q->mu);
		struct outq_chunk *c = q->head;
		if (!c)
			break;
		pthread_mutex_unlock(&q->mu);
		int rc = write_chunk(q, c);
		pthread_mutex_lock(&q->mu);
		if (rc < 0)
			q->err = -rc;
		if (rc)
			break;
		q->head = c->next;
		if (!q->head)
			q->tail = NULL;
		q->queued -= c->len;
		free(c);
		pthread_cond_broadcast(&q->room);
	}
	q->done = true;
	pthread_cond_broadcast(&q->room);
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

struct outq *outq_new(int fd, const char *label, const char *what)
{
	struct outq *q = xcalloc(1, sizeof(*q));
	q->fd = fd;
	q->label = xstrdup(label);
	q->what = xstrdup(what);
	struct stat st;
	q->chunked = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(fd));
	pthread_mutex_init(&q->mu, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->more, &ca);
	pthread_cond_init(&q->room, &ca);
	pthread_condattr_destroy(&ca);
	/* the writer takes no signal: they are the tracer's (its signalfd) */
	sigset_t all, cur;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &cur);
	int rc = pthread_create(&q->th, NULL, writer_main, q);
	pthread_sigmask(SIG_SETMASK, &cur, NULL);
	if (rc)
		die(70, "cannot start a thread: %s", strerror(rc));
	return q;
}

static void wait_room(struct outq *q, unsigned ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_cond_timedwait(&q->room, &q->mu, &ts);
}

static void lose(struct outq *q, const void *p, size_t n)
{
	q->lost_bytes += n;
	q->lost_lines += lines_in(p, n);
}

void outq_write(struct outq *q, const void *p, size_t n)
{
	if (!n)
		return;
	pthread_mutex_lock(&q->mu);
	/* a chunk larger than the queue goes alone */
	while (!q->done && q->queued && q->queued + n > OUTQ_CAP) {
		if (q->dropping || stop_asked()) {
			q->dropping = true;
			break;
		}
		wait_room(q, OUTQ_WAIT_MS);
	}
	if (q->done || (q->queued && q->queued + n > OUTQ_CAP)) {
		lose(q, p, n);
		pthread_mutex_unlock(&q->mu);
		return;
	}
	struct outq_chunk *c = xmalloc(sizeof(*c) + n);
	c->next = NULL;
	c->len = n;
	c->off = 0;
	memcpy(c->data, p, n);
	if (q->tail)
		q->tail->next = c;
	else
		q->head = c;
	q->tail = c;
	q->queued += n;
	pthread_cond_signal(&q->more);
	pthread_mutex_unlock(&q->mu);
}

bool outq_failed(struct outq *q)
{
	pthread_mutex_lock(&q->mu);
	bool failed = q->err || q->lost_bytes;
	pthread_mutex_unlock(&q->mu);
	return failed;
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Count what is still queued (after the writer ended or was given up). */
static void lose_queued(struct outq *q)
{
	for (struct outq_chunk *c = q->head; c; c = c->next)
		lose(q, c->data + c->off, c->len - c->off);
}

static void free_queued(struct outq *q)
{
	while (q->head) {
		struct outq_chunk *c = q->head;
		q->head = c->next;
		free(c);
	}
}

int outq_finish(struct outq *q, unsigned long long *lost)
{
	if (lost)
		*lost = 0;
	if (!q)
		return 0;
	pthread_mutex_lock(&q->mu);
	q->quit = true;
	pthread_cond_signal(&q->more);
	uint64_t deadline = 0;
	while (!q->done) {
		if (!deadline && (q->dropping || stop_asked()))
			deadline = ms_now() + OUTQ_GRACE_MS;
		if (deadline && ms_now() >= deadline)
			break;
		wait_room(q, OUTQ_WAIT_MS);
	}
	bool joined = q->done;
	if (!joined) {
		/* the grace is over: the writer stops at its next look (OUTQ_POLL_MS) */
		atomic_store(&q->abandon, true);
		uint64_t until = ms_now() + 3 * OUTQ_POLL_MS;
		while (!q->done && ms_now() < until)
			wait_room(q, OUTQ_WAIT_MS);
		joined = q->done;
	}
	/* the writer is done with the queue, or blocked for good in one write (counted as not written) */
	lose_queued(q);
	pthread_mutex_unlock(&q->mu);
	if (joined)
		pthread_join(q->th, NULL);
	else
		pthread_detach(q->th); /* it ends with the process; its chunk stays with it */

	int rc = 0;
	if (lost)
		*lost = q->lost_bytes;
	if (q->err) {
		warnmsg("%s: writing failed: %s; %s is incomplete", q->label, strerror(q->err), q->what);
		rc = -1;
	} else if (q->lost_bytes) {
		warnmsg("%s: the reader stopped reading; %llu bytes (%llu line%s) of %s were not written",
			q->label, (unsigned long long)q->lost_bytes, (unsigned long long)q->lost_lines,
			q->lost_lines == 1 ? "" : "s", q->what);
		rc = -1;
	}
	if (joined) {
		free_queued(q);
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->more);
		pthread_cond_destroy(&q->room);
		free(q->label);
		free(q->what);
		free(q);
	}
	return rc;
}
