/* SPDX-License-Identifier: MIT */
/* watch_pid: --watch --pid PID: a JSON Lines time series of one process tree, without ptrace. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sinks/jsonl.h"
#include "watch/watch.h"
#include "watch/watch_int.h"
#include "lib/msg.h"

struct fproc {
	int pid, ppid;
	uint64_t start;
	int dirfd;             /* bound to this process: a reused pid reads ESRCH */
	uint64_t ticks, mono, first_mono;
	char comm[64];
	size_t comm_len;
	bool alive, seen_now;
	/* summary */
	unsigned samples;
	double cpu_sum, cpu_max;
	uint64_t rss_max, read_bytes, write_bytes;
	long threads_max;
};

struct follow {
	struct fproc *v;
	size_t n, cap;
	int procfd;
	long hz, pagesize;
};

static struct fproc *fp_find(struct follow *f, int pid, uint64_t start)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].alive && f->v[i].pid == pid && (!start || f->v[i].start == start))
			return &f->v[i];
	return NULL;
}

static struct fproc *fp_add(struct follow *f, int pid, const struct procfs_stat *ps, int dirfd, uint64_t mono)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xreallocarray(f->v, f->cap, sizeof(*f->v));
	}
	struct fproc *p = &f->v[f->n++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ps->ppid;
	p->start = ps->start;
	p->dirfd = dirfd;
	p->ticks = ps->utime + ps->stime;
	p->mono = p->first_mono = mono;
	p->alive = true;
	memcpy(p->comm, ps->comm, ps->comm_len);
	p->comm_len = ps->comm_len;
	return p;
}

static int open_pid(struct follow *f, int pid, struct procfs_stat *ps)
{
	char name[16], buf[1024];
	snprintf(name, sizeof(name), "%d", pid);
	int dfd = openat(f->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	ssize_t n = procfs_readat(dfd, "stat", buf, sizeof(buf));
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, ps)) {
		close(dfd);
		return -ESRCH;
	}
	return dfd;
}

/* New children of followed processes: one pass over /proc, repeated while the set grows. */
static void find_children(struct follow *f, uint64_t mono)
{
	DIR *d = opendir("/proc");
	if (!d)
		return;
	int *pids = NULL, *ppids = NULL;
	uint64_t *starts = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char path[64], buf[1024];
		snprintf(path, sizeof(path), "%.16s/stat", de->d_name);
		struct procfs_stat ps;
		ssize_t k = procfs_readat(f->procfd, path, buf, sizeof(buf));
		if (k <= 0 || procfs_stat_parse(buf, (size_t)k, &ps))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			pids = xreallocarray(pids, cap, sizeof(int));
			ppids = xreallocarray(ppids, cap, sizeof(int));
			starts = xreallocarray(starts, cap, sizeof(uint64_t));
		}
		pids[n] = ps.pid;
		ppids[n] = ps.ppid;
		starts[n] = ps.start;
		n++;
	}
	closedir(d);
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < n; i++) {
			if (fp_find(f, pids[i], starts[i]) || !fp_find(f, ppids[i], 0))
				continue;
			struct procfs_stat ps;
			int dfd = open_pid(f, pids[i], &ps);
			if (dfd < 0)
				continue;
			if (ps.start != starts[i]) {
				close(dfd);
				continue;
			}
			fp_add(f, pids[i], &ps, dfd, mono);
			grew = true;
		}
	}
	free(pids);
	free(ppids);
	free(starts);
}

static long count_fds(int dirfd)
{
	int fd = openat(dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return count_dir_entries(d);
}

static uint64_t io_field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void sample_one(struct follow *f, struct evlog *log, struct fproc *p, uint64_t mono)
{
	char buf[2048];
	struct procfs_stat ps;
	ssize_t n = procfs_readat(p->dirfd, "stat", buf, sizeof(buf));
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps) || ps.start != p->start || ps.state == 'Z' || ps.state == 'X') {
		/* gone (or a zombie): record the exit once */
		struct ev_draft d;
		ev_init(&d, EVT_PROCEXIT, evlog_now(log), p->pid, p->pid);
		ev_str(&d, log, EVK_COMM, p->comm, p->comm_len);
		ev_int(&d, EVK_PPID, p->ppid);
		ev_uint(&d, EVK_START, p->start);
		if (n > 0 && ps.start == p->start)
			p->ticks = ps.utime + ps.stime;
		ev_add(&d, EVK_CPU_TIME, EVF_DUR, p->ticks * 1000000000ull / (uint64_t)f->hz);
		ev_add(&d, EVK_LIFETIME, EVF_DUR, mono - p->first_mono);
		evlog_append(log, &d);
		p->alive = false;
		close(p->dirfd);
		p->dirfd = -1;
		return;
	}
	uint64_t ticks = ps.utime + ps.stime;
	double dt = (double)(mono - p->mono) / 1e9;
	double cpu = dt > 0 ? (double)(ticks - p->ticks) / (double)f->hz / dt * 100 : 0;
	p->ticks = ticks;
	p->mono = mono;
	p->ppid = ps.ppid;
	memcpy(p->comm, ps.comm, ps.comm_len);
	p->comm_len = ps.comm_len;
	uint64_t rss = ps.rss_pages * (uint64_t)f->pagesize;
	n = procfs_readat(p->dirfd, "io", buf, sizeof(buf));
	bool have_io = n > 0;
	uint64_t rb = have_io ? io_field(buf, "read_bytes: ") : 0, wb = have_io ? io_field(buf, "write_bytes: ") : 0;
	long fds = count_fds(p->dirfd);

	struct ev_draft d;
	ev_init(&d, EVT_SAMPLE, evlog_now(log), p->pid, p->pid);
	ev_uint(&d, EVK_START, p->start);
	ev_str(&d, log, EVK_COMM, ps.comm, ps.comm_len);
	ev_int(&d, EVK_PPID, ps.ppid);
	char st[2] = { ps.state, 0 };
	ev_cstr(&d, log, EVK_STATE, st);
	ev_double(&d, EVK_CPU, cpu);
	ev_uint(&d, EVK_RSS, rss);
	ev_int(&d, EVK_THREADS, ps.num_threads);
	if (have_io) {
		ev_uint(&d, EVK_READ_BYTES, rb);
		ev_uint(&d, EVK_WRITE_BYTES, wb);
	}
	if (fds >= 0)
		ev_int(&d, EVK_FDS, fds);
	evlog_append(log, &d);

	p->samples++;
	p->cpu_sum += cpu;
	p->cpu_max = fmax(p->cpu_max, cpu);
	if (rss > p->rss_max)
		p->rss_max = rss;
	if (ps.num_threads > p->threads_max)
		p->threads_max = ps.num_threads;
	if (have_io) {
		p->read_bytes = rb;
		p->write_bytes = wb;
	}
}

int watch_pid_main(struct run *r, const struct watch_cfg *cfg)
{
	struct follow f = { .hz = watch_hz(), .pagesize = sysconf(_SC_PAGESIZE) };
	double interval = cfg->interval > 0 ? cfg->interval : 1;
	uint64_t interval_ns = (uint64_t)(interval * 1e9);
	f.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (f.procfd < 0)
		die(1, "cannot open /proc: %s", strerror(errno));
	int out = 1;
	if (cfg->json_path && strcmp(cfg->json_path, "-")) {
		/* 0600 as every --json file: see open_output in src/main.c */
		out = open(cfg->json_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0)
			die(1, "--json %s: %s", cfg->json_path, strerror(errno));
	}
	uint64_t mono = now_ns();
	evlog_set_start(r->log, mono, watch_mono_to_real(mono));
	for (int i = 0; i < cfg->npids; i++) {
		struct procfs_stat ps;
		int dfd = open_pid(&f, cfg->pids[i], &ps);
		if (dfd < 0)
			die(1, "--pid %d: no such process", cfg->pids[i]);
		fp_add(&f, cfg->pids[i], &ps, dfd, mono);
	}
	r->mode = "watch";
	buf_adds(&r->header_extra, "\"follow\":[");
	for (int i = 0; i < cfg->npids; i++)
		buf_printf(&r->header_extra, "%s%d", i ? "," : "", cfg->pids[i]);
	buf_printf(&r->header_extra, "],\"interval\":%.6g", interval);
	struct jsonl_sink *js = jsonl_sink_new(r, out);
	watch_signals_install();
	uint64_t tick = now_ns();
	bool any = true;
	while (!watch_sig_stop && any) {
		uint64_t m = now_ns();
		find_children(&f, m);
		any = false;
		for (size_t i = 0; i < f.n; i++)
			if (f.v[i].alive) {
				sample_one(&f, r->log, &f.v[i], m);
				any |= f.v[i].alive;
			}
		if (!any)
			break;
		tick = watch_tick_sleep(tick, interval_ns, false);
	}
	/* one summary record per process followed */
	for (size_t i = 0; i < f.n; i++) {
		struct fproc *p = &f.v[i];
		struct ev_draft d;
		ev_init(&d, EVT_SAMPLE, evlog_now(r->log), p->pid, p->pid);
		ev_cstr(&d, r->log, EVK_KIND, "summary");
		ev_uint(&d, EVK_START, p->start);
		ev_str(&d, r->log, EVK_COMM, p->comm, p->comm_len);
		ev_double(&d, EVK_CPU, p->samples ? p->cpu_sum / p->samples : 0);
		ev_double(&d, EVK_CPU_MAX, p->cpu_max);
		ev_uint(&d, EVK_RSS_MAX, p->rss_max);
		ev_int(&d, EVK_THREADS_MAX, p->threads_max);
		ev_uint(&d, EVK_READ_BYTES, p->read_bytes);
		ev_uint(&d, EVK_WRITE_BYTES, p->write_bytes);
		ev_add(&d, EVK_CPU_TIME, EVF_DUR, p->ticks * 1000000000ull / (uint64_t)f.hz);
		ev_uint(&d, EVK_SAMPLES, p->samples);
		ev_bool(&d, EVK_ONGOING, p->alive);
		evlog_append(r->log, &d);
		if (p->dirfd >= 0)
			close(p->dirfd);
	}
	r->interrupted = watch_sig_stop != 0;
	r->end = any ? RUN_DETACHED : RUN_GONE;
	r->t_end = evlog_now(r->log);
	int rc = jsonl_sink_finish(js);
	free(f.v);
	close(f.procfd);
	if (out != 1)
		close(out);
	if (rc)
		warnmsg("--json: writing failed: %s", strerror(-rc));
	return rc ? 1 : 0;
}
