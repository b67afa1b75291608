/* SPDX-License-Identifier: MIT */
/* sample: --sample SECONDS while tracing: CPU% and RSS of traced processes as counter events. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/tracer.h"
#include "lib/procfs.h"
#include "lib/util.h"
#include "probes/sample.h"
#include "watch/watch.h"

struct sproc {
	int pid;
	int dirfd;      /* /proc/PID, bound to this process (doc/SAFETY.md, 'Process identity in /proc') */
	uint64_t start, ticks, mono;
};

struct sampler {
	struct run *run;
	struct sproc *v;
	size_t n, cap;
	uint64_t period_ns, next;
	long hz, pagesize;
};

static struct sampler sampler;

static void emit(struct sampler *s, struct sproc *p, uint64_t mono, bool final)
{
	char buf[1024];
	struct procfs_stat ps;
	ssize_t n = procfs_readat(p->dirfd, "stat", buf, sizeof(buf));
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps) || ps.start != p->start)
		return;
	uint64_t ticks = ps.utime + ps.stime;
	double dt = (double)(mono - p->mono) / 1e9;
	if (dt <= 0 || (final && dt < 0.01))
		return;
	double cpu = (double)(ticks - p->ticks) / (double)s->hz / dt * 100;
	p->ticks = ticks;
	p->mono = mono;
	struct ev_draft d;
	ev_init(&d, EVT_COUNTER, evlog_now(s->run->log), p->pid, p->pid);
	ev_double(&d, EVK_CPU, cpu < 0 ? 0 : cpu);
	ev_uint(&d, EVK_RSS, ps.rss_pages * (uint64_t)s->pagesize);
	ev_int(&d, EVK_THREADS, ps.num_threads);
	evlog_append(s->run->log, &d);
}

static void on_proc_start(void *ctx, struct proc *pr)
{
	struct sampler *s = ctx;
	char name[32], buf[1024];
	struct procfs_stat ps;
	snprintf(name, sizeof(name), "/proc/%d", pr->pid);
	int dfd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return;
	ssize_t n = procfs_readat(dfd, "stat", buf, sizeof(buf));
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps)) {
		close(dfd);
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof(*s->v));
	}
	s->v[s->n++] = (struct sproc){ .pid = pr->pid, .dirfd = dfd, .start = ps.start,
				       .ticks = ps.utime + ps.stime, .mono = now_ns() };
}

static void on_proc_exit(void *ctx, struct proc *pr)
{
	struct sampler *s = ctx;
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].pid == pr->pid) {
			/* the last interval, still readable: the process is not reaped yet */
			emit(s, &s->v[i], now_ns(), true);
			close(s->v[i].dirfd);
			s->v[i] = s->v[--s->n];
			return;
		}
}

static void on_tick(void *ctx)
{
	struct sampler *s = ctx;
	uint64_t now = now_ns();
	if (now < s->next)
		return;
	/* absolute schedule: no drift, a late tick does not shift the next ones */
	s->next += s->period_ns;
	if (s->next <= now)
		s->next = now + s->period_ns - (now - s->next) % s->period_ns;
	for (size_t i = 0; i < s->n; i++)
		emit(s, &s->v[i], now, false);
}

static void on_finish(void *ctx)
{
	struct sampler *s = ctx;
	for (size_t i = 0; i < s->n; i++)
		close(s->v[i].dirfd);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

void sample_init(struct run *r, double period_secs)
{
	struct sampler *s = &sampler;
	memset(s, 0, sizeof(*s));
	s->run = r;
	s->hz = watch_hz();
	s->pagesize = sysconf(_SC_PAGESIZE);
	s->period_ns = (uint64_t)(period_secs * 1e9);
	if (s->period_ns < 10000000)
		s->period_ns = 10000000;
	s->next = now_ns() + s->period_ns;
	unsigned ms = (unsigned)(s->period_ns / 1000000 / 4);
	struct tracer_hooks h = {
		.ctx = s,
		.proc_start = on_proc_start,
		.proc_exit = on_proc_exit,
		.tick = on_tick,
		.tick_ms = ms ? ms : 1,
		.fd = -1,
		.finish = on_finish,
	};
	tracer_add_hooks(&h);
}
