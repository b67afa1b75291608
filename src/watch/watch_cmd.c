/* SPDX-License-Identifier: MIT */
/*
 * watch_cmd: command lines of new processes, read off the sampling thread.
 * Reading /proc/PID/cmdline takes the target's mmap lock and can block (a
 * process stuck in D state on a hung mount): a worker thread does it, the
 * sampler never waits for it, and a stuck worker only fills a bounded queue.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/secret.h"
#include "watch/watch_int.h"
#include "lib/msg.h"

#define CMD_QUEUE_MAX 4096

struct creq {
	int pid, dirfd;
	uint64_t start;
};

struct watch_cmd {
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct creq *req;
	size_t nreq, capreq;
	struct cmd_result *res;
	size_t nres, capres;
	bool stop, done;
	uint64_t dropped;
};

/* A flag name with its leading dashes: "--password", "-token". */
static bool secret_flag_name(const char *s, size_t n)
{
	while (n && *s == '-')
		s++, n--;
	return secret_name(s, n);
}

#define REDACTED "<redacted>"

/*
 * Secrets in argv: values of --password=..., the argument after --token,
 * "-p" after mysql, URL userinfo. Returns true if anything was replaced.
 */
bool watch_cmd_redact(char **argv, int argc)
{
	bool any = false, next = false;
	const char *base = argc ? strrchr(argv[0], '/') : NULL;
	base = base ? base + 1 : (argc ? argv[0] : "");
	bool mysql = !strncmp(base, "mysql", 5);
	for (int i = 1; i < argc; i++) {
		char *a = argv[i];
		if (next) {
			free(argv[i]);
			argv[i] = xstrdup(REDACTED);
			any = true;
			next = false;
			continue;
		}
		char *eq = strchr(a, '=');
		if (a[0] == '-' && eq && secret_flag_name(a, (size_t)(eq - a))) {
			char *r = xasprintf("%.*s=" REDACTED, (int)(eq - a), a);
			free(argv[i]);
			argv[i] = r;
			any = true;
			continue;
		}
		if (a[0] == '-' && !eq && (secret_flag_name(a, strlen(a)) || (mysql && !strcmp(a, "-p")))) {
			next = true;
			continue;
		}
		if (mysql && !strncmp(a, "-p", 2) && a[2]) {
			free(argv[i]);
			argv[i] = xstrdup("-p" REDACTED);
			any = true;
			continue;
		}
		char *sch = strstr(a, "://"), *at = sch ? strchr(sch + 3, '@') : NULL;
		char *slash = sch ? strchr(sch + 3, '/') : NULL;
		if (at && (!slash || at < slash)) {
			char *r = xasprintf("%.*s" REDACTED "%s", (int)(sch + 3 - a), a, at);
			free(argv[i]);
			argv[i] = r;
			any = true;
		}
	}
	return any;
}

static void read_cmd(struct watch_cmd *c, const struct creq *q)
{
	char buf[4096];
	ssize_t n = procfs_readat(q->dirfd, "stat", buf, sizeof(buf));
	struct procfs_stat ps;
	/* a process in D state may hold its mmap lock forever: leave it alone */
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps) || ps.start != q->start || ps.state == 'D' || ps.state == 'Z')
		return;
	uint64_t key = pstat_cmd_key(&ps);
	n = procfs_readat(q->dirfd, "cmdline", buf, sizeof(buf));
	if (n <= 0)
		return;
	/* an execve between the two reads: the sampler asks again when it sees the new key */
	char sb[1024];
	ssize_t sn = procfs_readat(q->dirfd, "stat", sb, sizeof(sb));
	if (sn <= 0 || procfs_stat_parse(sb, (size_t)sn, &ps) || ps.start != q->start || pstat_cmd_key(&ps) != key)
		return;
	struct cmd_result r = { .pid = q->pid, .start = q->start, .key = key };
	size_t len = (size_t)n;
	if (len > WATCH_CMDLINE_MAX) {
		len = WATCH_CMDLINE_MAX;
		r.truncated = true;
	}
	r.argv = xcalloc(WATCH_ARGV_MAX + 1, sizeof(char *));
	for (size_t off = 0; off < len && r.argc < WATCH_ARGV_MAX;) {
		size_t l = strnlen(buf + off, len - off);
		r.argv[r.argc++] = xstrndup(buf + off, l);
		off += l + 1;
	}
	pthread_mutex_lock(&c->mu);
	if (c->nres >= CMD_QUEUE_MAX) {
		pthread_mutex_unlock(&c->mu);
		watch_cmd_result_free(&r);
		return;
	}
	if (c->nres == c->capres) {
		c->capres = c->capres ? c->capres * 2 : 64;
		c->res = xreallocarray(c->res, c->capres, sizeof(*c->res));
	}
	c->res[c->nres++] = r;
	pthread_mutex_unlock(&c->mu);
}

static void *cmd_thread(void *arg)
{
	struct watch_cmd *c = arg;
	pthread_mutex_lock(&c->mu);
	while (!c->stop) {
		if (!c->nreq) {
			pthread_cond_wait(&c->cv, &c->mu);
			continue;
		}
		struct creq q = c->req[--c->nreq];
		pthread_mutex_unlock(&c->mu);
		read_cmd(c, &q);
		close(q.dirfd);
		pthread_mutex_lock(&c->mu);
	}
	c->done = true;
	pthread_mutex_unlock(&c->mu);
	return NULL;
}

struct watch_cmd *watch_cmd_start(void)
{
	struct watch_cmd *c = xcalloc(1, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
	pthread_cond_init(&c->cv, NULL);
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int rc = pthread_create(&c->thr, NULL, cmd_thread, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		warnmsg("cannot start the command-line reader: %s; dumps will have no command lines", strerror(rc));
		free(c);
		return NULL;
	}
	return c;
}

void watch_cmd_request(struct watch_cmd *c, int pid, uint64_t start, int dirfd)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	if (c->nreq >= CMD_QUEUE_MAX) {
		c->dropped++; /* the worker is stuck or far behind: never wait for it */
		pthread_mutex_unlock(&c->mu);
		return;
	}
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		pthread_mutex_unlock(&c->mu);
		return;
	}
	if (c->nreq == c->capreq) {
		c->capreq = c->capreq ? c->capreq * 2 : 256;
		c->req = xreallocarray(c->req, c->capreq, sizeof(*c->req));
	}
	c->req[c->nreq++] = (struct creq){ pid, fd, start };
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
}

size_t watch_cmd_results(struct watch_cmd *c, struct cmd_result **out, size_t *cap)
{
	if (!c)
		return 0;
	pthread_mutex_lock(&c->mu);
	size_t n = c->nres;
	if (n > *cap) {
		*cap = n;
		*out = xreallocarray(*out, n, sizeof(**out));
	}
	if (n)
		memcpy(*out, c->res, n * sizeof(**out));
	c->nres = 0;
	pthread_mutex_unlock(&c->mu);
	return n;
}

void watch_cmd_result_free(struct cmd_result *r)
{
	for (int i = 0; i < r->argc; i++)
		free(r->argv[i]);
	free(r->argv);
	r->argv = NULL;
	r->argc = 0;
}

void watch_cmd_stop(struct watch_cmd *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->stop = true;
	pthread_cond_signal(&c->cv);
	pthread_mutex_unlock(&c->mu);
	/* a worker blocked on a hung process is left behind rather than hanging shutdown */
	for (int i = 0; i < 50; i++) {
		pthread_mutex_lock(&c->mu);
		bool done = c->done;
		pthread_mutex_unlock(&c->mu);
		if (done) {
			pthread_join(c->thr, NULL);
			for (size_t k = 0; k < c->nreq; k++)
				close(c->req[k].dirfd);
			for (size_t k = 0; k < c->nres; k++)
				watch_cmd_result_free(&c->res[k]);
			free(c->req);
			free(c->res);
			pthread_mutex_destroy(&c->mu);
			pthread_cond_destroy(&c->cv);
			free(c);
			return;
		}
		usleep(2000);
	}
	pthread_detach(c->thr);
}
