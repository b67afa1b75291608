/* SPDX-License-Identifier: MIT */
/* watch_scan: one scan of /proc into a snapshot: the live process table, thread states, births, exits. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watch/watch_sys.h"

#define MAX_BIRTHS 200000
#define MAX_THREADS_PER_SNAP 64

static double boot_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int pid_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void wp_close(struct watch *w, struct wp *p)
{
	if (p->statfd >= 0) {
		close(p->statfd);
		w->fds_open--;
	}
	if (p->dirfd >= 0) {
		close(p->dirfd);
		w->fds_open--;
	}
	p->statfd = p->dirfd = -1;
}

void watch_wp_drop(struct watch *w, struct wp *p)
{
	wp_close(w, p);
	watch_cmd_result_free(&p->cmd);
}

static void list_pids(struct watch *w)
{
	w->npids = 0;
	rewinddir(w->procdir);
	struct dirent *de;
	bool sorted = true;
	while ((de = readdir(w->procdir))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		if (*end || pid <= 0 || pid > 0x7fffffff)
			continue;
		if (w->npids == w->cappids) {
			w->cappids = w->cappids ? w->cappids * 2 : 2048;
			w->pids = xreallocarray(w->pids, w->cappids, sizeof(int));
		}
		if (w->npids && w->pids[w->npids - 1] > pid)
			sorted = false;
		w->pids[w->npids++] = (int)pid;
	}
	if (!sorted)
		qsort(w->pids, w->npids, sizeof(int), pid_cmp);
}

static uint32_t read_swap_kb(int dirfd)
{
	char buf[4096];
	if (procfs_readat(dirfd, "status", buf, sizeof(buf)) <= 0)
		return 0;
	const char *v = procfs_status_value(buf, "VmSwap");
	return v ? (uint32_t)strtoul(v, NULL, 10) : 0;
}

/*
 * Ask the worker for the command line when the process is new to us or has
 * exec'd since (its comm or argv address changed: an execve keeps the pid
 * and start time). A command line read for the old program is dropped.
 */
static void want_cmd(struct watch *w, struct wp *p, const struct procfs_stat *ps, int dirfd)
{
	uint64_t key = pstat_cmd_key(ps);
	if (p->cmd_key == key)
		return;
	watch_cmd_result_free(&p->cmd);
	p->cmd_key = key;
	/* kernel threads have no command line */
	if (ps->ppid != 2 && p->pid != 2)
		watch_cmd_request(w->cmd, p->pid, ps->start, dirfd);
}

/*
 * Read one process. 'old' is the previous entry for this pid (or NULL).
 * Returns 0 and fills *np, or -errno when it vanished.
 */
static int read_one(struct watch *w, int pid, struct wp *old, struct wp *np, uint64_t mono, bool want_swap,
		    double boot_now)
{
	char buf[1024];
	struct procfs_stat ps;
	ssize_t n;
	bool swap_done = false;
	if (old && old->statfd >= 0) {
		/* the fd stays bound to the process it was opened for: a reused pid reads ESRCH (doc/SAFETY.md, 'Process identity in /proc') */
		n = procfs_pread(old->statfd, buf, sizeof(buf));
		if (n > 0 && !procfs_stat_parse(buf, (size_t)n, &ps) && ps.start == old->start) {
			*np = *old;
			old->dirfd = old->statfd = -1; /* moved */
			old->cmd.argv = NULL;
			old->cmd.argc = 0;
			want_cmd(w, np, &ps, np->dirfd);
			goto have;
		}
		watch_wp_drop(w, old);
		old = NULL;
	}
	char name[16];
	snprintf(name, sizeof(name), "%d", pid);
	int dfd = openat(w->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	int sfd = openat(dfd, "stat", O_RDONLY | O_CLOEXEC);
	if (sfd < 0) {
		int e = -errno;
		close(dfd);
		return e;
	}
	n = procfs_pread(sfd, buf, sizeof(buf));
	if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps)) {
		close(sfd);
		close(dfd);
		return -ESRCH;
	}
	if (old && old->dirfd < 0 && old->start == ps.start) {
		*np = *old; /* a cold entry: same process again */
		old->cmd.argv = NULL;
		old->cmd.argc = 0;
	} else {
		if (old)
			watch_wp_drop(w, old); /* the pid was reused while out of the fd budget */
		memset(np, 0, sizeof(*np));
		np->pid = pid;
		np->start = ps.start;
		struct stat st;
		np->uid = fstat(dfd, &st) ? 0 : st.st_uid;
		np->ticks = ps.utime + ps.stime;
		np->mono = 0;
		np->cmd = (struct cmd_result){0};
		np->cmd_key = 0;
	}
	want_cmd(w, np, &ps, dfd);
	if (w->fds_open + 2 <= w->fd_budget) {
		np->dirfd = dfd;
		np->statfd = sfd;
		w->fds_open += 2;
	} else {
		np->dirfd = np->statfd = -1;
		np->swap_kb = want_swap ? read_swap_kb(dfd) : 0;
		close(sfd);
		close(dfd);
		swap_done = true;
	}
have:
	np->pid = pid;
	np->ppid = ps.ppid;
	np->state = ps.state;
	np->threads = (uint16_t)(ps.num_threads < 0 ? 0 : ps.num_threads > 65535 ? 65535 : ps.num_threads);
	memset(np->comm, 0, sizeof(np->comm));
	memcpy(np->comm, ps.comm, ps.comm_len < 15 ? ps.comm_len : 15);
	np->rss_kb = (uint32_t)(ps.rss_pages * (uint64_t)w->pagesize_kb);
	if (!swap_done)
		np->swap_kb = want_swap && np->dirfd >= 0 ? read_swap_kb(np->dirfd) : 0;
	uint64_t ticks = ps.utime + ps.stime;
	double age = boot_now - (double)ps.start / (double)w->hz;
	np->young = age < fmax(YOUNG_SECONDS, 3 * w->interval);
	if (!np->first_mono) {
		np->first_mono = mono;
		np->whole_life = np->young;
	}
	double pct;
	np->rate_ok = np->mono || np->young;
	if (np->mono) {
		double dt = (double)(mono - np->mono) / 1e9;
		pct = dt > 0 ? (double)(ticks - np->ticks) / (double)w->hz / dt * 100 : 0;
	} else {
		/* first sight: average over its life so far (at least a quarter second) */
		pct = (double)ticks / (double)w->hz / fmax(age, MIN_LIFETIME_S) * 100;
		if (!np->young)
			pct = 0; /* an old process seen for the first time has no interval yet */
	}
	if (pct < 0)
		pct = 0;
	np->cpu10 = (uint16_t)fmin(pct * 10 + 0.5, 65535);
	np->ticks = ticks;
	np->mono = mono;
	return 0;
}

static void snap_add_thread(struct wsnap *s, const struct wthread_rec *t)
{
	if (s->nthreads == s->threads_cap) {
		s->threads_cap = s->threads_cap ? s->threads_cap * 2 : 16;
		s->threads = xreallocarray(s->threads, s->threads_cap, sizeof(*t));
	}
	s->threads[s->nthreads++] = *t;
}

/* R and D threads of one process, with their syscall and wchan ("active session history"). */
static void sample_threads(struct watch *w, struct wsnap *s, const struct wp *p)
{
	char name[32];
	int dfd = p->dirfd;
	bool own = false;
	if (dfd < 0) {
		snprintf(name, sizeof(name), "%d", p->pid);
		dfd = openat(w->procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd < 0)
			return;
		own = true;
	}
	int tfd = openat(dfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *td = tfd >= 0 ? fdopendir(tfd) : NULL;
	if (!td) {
		if (tfd >= 0)
			close(tfd);
		goto out;
	}
	struct dirent *de;
	int seen = 0;
	while ((de = readdir(td)) && seen++ < 512 && s->nthreads < MAX_THREADS_PER_SNAP) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		char path[64], buf[1024];
		snprintf(path, sizeof(path), "%.16s/stat", de->d_name);
		ssize_t n = procfs_readat(tfd, path, buf, sizeof(buf));
		struct procfs_stat ps;
		if (n <= 0 || procfs_stat_parse(buf, (size_t)n, &ps) || (ps.state != 'R' && ps.state != 'D'))
			continue;
		struct wthread_rec t = { .pid = p->pid, .tid = ps.pid, .state = ps.state, .syscall = -2 };
		memcpy(t.comm, ps.comm, ps.comm_len < 15 ? ps.comm_len : 15);
		snprintf(path, sizeof(path), "%.16s/syscall", de->d_name);
		n = procfs_readat(tfd, path, buf, sizeof(buf));
		if (n > 0)
			t.syscall = !strncmp(buf, "running", 7) ? -1 : (int32_t)strtol(buf, NULL, 10);
		snprintf(path, sizeof(path), "%.16s/wchan", de->d_name);
		n = procfs_readat(tfd, path, buf, sizeof(buf));
		if (n > 0 && strcmp(buf, "0"))
			snprintf(t.wchan, sizeof(t.wchan), "%.*s", (int)strcspn(buf, "\n"), buf);
		snap_add_thread(s, &t);
	}
	closedir(td);
out:
	if (own)
		close(dfd);
}

static int cpu10_desc(const void *a, const void *b)
{
	const struct wp *x = *(const struct wp *const *)a, *y = *(const struct wp *const *)b;
	return (x->cpu10 < y->cpu10) - (x->cpu10 > y->cpu10);
}

static void add_birth(struct watch *w, uint64_t mono, int ppid, const char *comm)
{
	if (w->nbirths >= MAX_BIRTHS)
		return;
	if (w->nbirths == w->capbirths) {
		w->capbirths = w->capbirths ? w->capbirths * 2 : 1024;
		w->births = xreallocarray(w->births, w->capbirths, sizeof(*w->births));
	}
	struct birth *b = &w->births[w->nbirths++];
	b->mono = mono;
	b->ppid = ppid;
	memset(b->comm, 0, sizeof(b->comm));
	snprintf(b->comm, sizeof(b->comm), "%s", comm);
}

static struct wp *find_in(struct wp *v, size_t n, int pid)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid].pid < pid)
			lo = mid + 1;
		else if (v[mid].pid > pid)
			hi = mid;
		else
			return &v[mid];
	}
	return NULL;
}

struct wp *watch_find_cur(struct watch *w, int pid)
{
	return find_in(w->cur, w->ncur, pid);
}

struct wsnap *watch_scan(struct watch *w, uint64_t mono)
{
	struct wsnap *s = &w->ring[w->seq % w->ringcap];
	s->seq = w->seq++;
	s->mono = mono;
	clock_gettime(CLOCK_REALTIME, &s->real);
	s->nthreads = s->nexits = 0;

	/* exits reported by the kernel up to now; matched against the old and new tables below */
	size_t ne = watch_nl_drain(w->nl, &w->exits, &w->exits_cap, &w->exits_lost);
	sys_read(&w->sysraw, &s->sys, w->procfd);
	bool want_swap = s->sys.swap_total_kb > s->sys.swap_free_kb;
	double boot_now = boot_seconds();

	list_pids(w);
	if (w->capnxt < w->npids) {
		w->capnxt = w->npids + 256;
		w->nxt = xreallocarray(w->nxt, w->capnxt, sizeof(*w->nxt));
	}
	size_t nn = 0, j = 0;
	for (size_t i = 0; i < w->npids; i++) {
		int pid = w->pids[i];
		while (j < w->ncur && w->cur[j].pid < pid)
			watch_wp_drop(w, &w->cur[j++]);
		struct wp *old = j < w->ncur && w->cur[j].pid == pid ? &w->cur[j++] : NULL;
		struct wp *np = &w->nxt[nn];
		if (read_one(w, pid, old, np, mono, want_swap, boot_now)) {
			if (old)
				watch_wp_drop(w, old);
			continue;
		}
		/* a birth for the burst detector (not at startup, when everything is new to us) */
		if ((!old || old->start != np->start) && np->young && w->seq > 2)
			add_birth(w, mono, np->ppid, np->comm);
		nn++;
	}
	/* a scan saw an exited process if it recorded its pid with the same start second */
	uint64_t boot = watch_boot_time();
	for (size_t i = 0; i < nn; i++) {
		struct seen_ent *se = &w->seen[w->nxt[i].pid & SEEN_MASK];
		se->pid = w->nxt[i].pid;
		se->start_sec = (uint32_t)(boot + w->nxt[i].start / (uint64_t)w->hz);
	}
	/* the slot's array fits this interval: one busy interval must not pin a large array for ever */
	if (s->exits_cap < ne || s->exits_cap > 2 * ne + 256) {
		s->exits_cap = ne ? (uint32_t)(ne + ne / 4 + 16) : 0;
		free(s->exits);
		s->exits = s->exits_cap ? xreallocarray(NULL, s->exits_cap, sizeof(*s->exits)) : NULL;
	}
	s->exits_total = (uint32_t)ne;
	for (size_t i = 0; i < ne; i++) {
		struct wexit_rec *x = &w->exits[i];
		const struct seen_ent *se = &w->seen[x->pid & SEEN_MASK];
		x->seen = se->pid == x->pid && llabs((long long)se->start_sec - (long long)x->btime) <= 1;
		if (!x->seen && w->seq > 2)
			add_birth(w, x->mono, x->ppid, x->comm);
		s->exits[s->nexits++] = *x;
	}
	while (j < w->ncur)
		watch_wp_drop(w, &w->cur[j++]);
	/* command lines the worker has read since the last scan */
	size_t nc = watch_cmd_results(w->cmd, &w->cres, &w->cres_cap);
	for (size_t i = 0; i < nc; i++) {
		struct wp *q = find_in(w->nxt, nn, w->cres[i].pid);
		/* only a command line read for the program it runs now */
		if (q && q->start == w->cres[i].start && q->cmd_key == w->cres[i].key && !q->cmd.argv)
			q->cmd = w->cres[i];
		else
			watch_cmd_result_free(&w->cres[i]);
	}
	struct wp *t = w->cur;
	size_t tc = w->capcur;
	w->cur = w->nxt;
	w->capcur = w->capnxt;
	w->ncur = nn;
	w->nxt = t;
	w->capnxt = tc;
	s->sys.nprocs = (uint32_t)nn;

	if (s->procs_cap < nn || s->procs_cap > 2 * nn + 1024) {
		s->procs_cap = (uint32_t)nn + 64;
		s->procs = xreallocarray(s->procs, s->procs_cap, sizeof(*s->procs));
	}
	s->nprocs = (uint32_t)nn;
	for (size_t i = 0; i < nn; i++) {
		const struct wp *p = &w->cur[i];
		struct wproc_rec *r = &s->procs[i];
		r->start = p->start;
		r->pid = p->pid;
		r->ppid = p->ppid;
		r->rss_kb = p->rss_kb;
		r->swap_kb = p->swap_kb;
		r->uid = p->uid;
		r->cpu10 = p->cpu10;
		r->threads = p->threads;
		r->state = p->state;
		r->flags = (uint8_t)((p->young ? WP_NEW : 0) | (p->rate_ok ? 0 : WP_NO_RATE));
		memcpy(r->comm, p->comm, sizeof(r->comm));
	}

	/* thread states of the busiest processes and of any in D state */
	if (w->conf.thread_states_top > 0 && nn) {
		struct wp **top = xmalloc(nn * sizeof(*top));
		for (size_t i = 0; i < nn; i++)
			top[i] = &w->cur[i];
		qsort(top, nn, sizeof(*top), cpu10_desc);
		for (size_t i = 0; i < nn && (long)i < w->conf.thread_states_top && top[i]->cpu10 >= 10; i++)
			sample_threads(w, s, top[i]);
		int nd = 0;
		for (size_t i = 0; i < nn && nd < 8; i++)
			if (w->cur[i].state == 'D') {
				sample_threads(w, s, &w->cur[i]);
				nd++;
			}
		free(top);
	}

	watch_ring_trim(w);
	return s;
}

