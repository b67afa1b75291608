/* SPDX-License-Identifier: MIT */
/* watch: the --watch main loop: scan /proc, keep a ring of snapshots, detect spikes, write dumps. */
#include "watch/watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/audit.h>

#include "lib/json.h"
#include "sinks/jsonl.h"
#include "options.h"
#include "decode/systab.h"
#include "lib/termesc.h"
#include "watch/watch_int.h"

#define DEFAULT_CONF "/etc/compendium/watch.conf"
#define DEFAULT_DUMP_DIR "/var/lib/compendium"
#define RING_RECORD_BUDGET (700u * 1000u) /* ~32 MiB of process records */
#define RING_EXIT_BUDGET (100u * 1000u)    /* ~9 MiB of exit records */
#define YOUNG_SECONDS 5.0                 /* a process this young counts as new */
#define MIN_LIFETIME_S 0.25               /* CPU% of a short-lived exit: cpu / max(life, this) */
#define MAX_INVOLVED 8
#define MAX_PENDING 16
#define MAX_INCIDENTS 256
#define MAX_BIRTHS 200000
#define MAX_THREADS_PER_SNAP 64
#define DUMP_MAX_SAMPLES 100000           /* caps a dump (about 20 MB, 15 MB in memory) */

volatile int watch_sig_stop, watch_sig_hup;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		watch_sig_hup = 1;
	else
		watch_sig_stop = sig;
}

void watch_signals_install(void)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: the sleep must end at once */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- live process table ---- */

struct wp {
	int pid;
	uint64_t start;
	int dirfd, statfd;        /* kept open while the fd budget allows (-1 otherwise) */
	uint64_t ticks;
	uint64_t mono;            /* scan that last read it */
	double ema;
	bool ema_ok;
	uint32_t rss_kb, swap_kb, uid;
	int ppid;
	char state;
	uint16_t cpu10;
	char comm[16];
	bool young;
	struct cmd_result cmd;    /* command line once the worker has read it (argv NULL until then) */
	uint64_t cmd_key;         /* pstat_cmd_key() when it was last asked for */
};

struct involved {
	int pid;
	uint64_t start;
	char comm[16];
	double value;             /* CPU% or growth in KiB */
};

struct inv_cmd {             /* an involved process's command line, owned by the pending dump */
	char **argv;
	int argc;
	bool redacted, truncated;
};

struct incident {
	char kind[16];
	char scope[48];
	uint64_t start, last_true, end;
	struct pending *dump;
	bool open;
};

struct pending {
	char kind[16];
	char scope[48];
	char *msg;
	double value, threshold;
	uint64_t trig_seq, trig_mono, due_mono;
	struct timespec trig_real;
	struct involved inv[MAX_INVOLVED];
	struct inv_cmd cmds[MAX_INVOLVED];
	int ninv;
	struct incident *inc;
	char *thresholds_json;
	uint64_t ref_seq;         /* memory/swap: growth is measured from this snapshot */
	bool grow_swap;
};

/* pid -> start (seconds since the epoch) of the last process a scan saw with that pid */
#define SEEN_MASK 0xffff
struct seen_ent {
	int32_t pid;
	uint32_t start_sec;
};

struct birth {
	uint64_t mono;
	int ppid;
	char comm[16];
};

struct watch {
	struct watch_conf conf;
	struct run *run;
	int procfd;
	DIR *procdir;
	long hz, pagesize_kb;
	double interval;
	uint64_t interval_ns;
	int fds_open, fd_budget;

	struct wp *cur, *nxt;
	size_t ncur, capcur, capnxt;
	int *pids;
	size_t npids, cappids;

	struct wsnap *ring;
	size_t ringcap;
	uint64_t seq;             /* next snapshot's number (first is 1) */
	struct sys_raw sysraw;

	double mem_ema, swap_ema;
	bool mem_ema_ok, swap_ema_ok;

	struct watch_nl *nl;
	struct watch_cmd *cmd;
	struct cmd_result *cres;
	size_t cres_cap;
	struct wexit_rec *exits;
	size_t exits_cap;
	uint64_t exits_lost;

	struct birth *births;
	size_t nbirths, capbirths;
	struct seen_ent *seen;

	struct incident inc[MAX_INCIDENTS];
	struct pending *pend[MAX_PENDING];
	int npend;

	struct watch_dumpdir *dd;
	uint64_t last_fail_log;
	uint64_t cpu_prev;
	uint64_t dumps_written;
	uint64_t last_trim;       /* when malloc_trim last ran */
	uint64_t fire_ref_seq;    /* set around fire() by the memory/swap detectors */
	bool fire_swap;
};

static uint64_t proc_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

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

/* Close its files and free its command line (safe to repeat). */
static void wp_drop(struct watch *w, struct wp *p)
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
	const char *p = strstr(buf, "\nVmSwap:");
	return p ? (uint32_t)strtoul(p + 8, NULL, 10) : 0;
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
		/* the fd stays bound to the process it was opened for: a reused pid reads ESRCH (D1) */
		n = procfs_pread(old->statfd, buf, sizeof(buf));
		if (n > 0 && !procfs_stat_parse(buf, (size_t)n, &ps) && ps.start == old->start) {
			*np = *old;
			old->dirfd = old->statfd = -1; /* moved */
			old->cmd.argv = NULL;
			old->cmd.argc = 0;
			want_cmd(w, np, &ps, np->dirfd);
			goto have;
		}
		wp_drop(w, old);
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
			wp_drop(w, old); /* the pid was reused while out of the fd budget */
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
	memset(np->comm, 0, sizeof(np->comm));
	memcpy(np->comm, ps.comm, ps.comm_len < 15 ? ps.comm_len : 15);
	np->rss_kb = (uint32_t)(ps.rss_pages * (uint64_t)w->pagesize_kb);
	if (!swap_done)
		np->swap_kb = want_swap && np->dirfd >= 0 ? read_swap_kb(np->dirfd) : 0;
	uint64_t ticks = ps.utime + ps.stime;
	double age = boot_now - (double)ps.start / (double)w->hz;
	np->young = age < fmax(YOUNG_SECONDS, 3 * w->interval);
	double pct;
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

/* ---- ring ---- */

static struct wsnap *snap_of(struct watch *w, uint64_t seq)
{
	if (!seq || seq >= w->seq || w->seq - seq > w->ringcap)
		return NULL;
	struct wsnap *s = &w->ring[seq % w->ringcap];
	return s->seq == seq ? s : NULL;
}

static void ring_resize(struct watch *w, size_t cap)
{
	struct wsnap *nr = xcalloc(cap, sizeof(*nr));
	for (size_t i = 0; i < w->ringcap; i++) {
		struct wsnap *s = &w->ring[i];
		if (s->seq && s->seq + cap >= w->seq) {
			nr[s->seq % cap] = *s;
		} else {
			free(s->procs);
			free(s->threads);
			free(s->exits);
		}
	}
	free(w->ring);
	w->ring = nr;
	w->ringcap = cap;
}

/* Keep the ring's process and exit records under their budgets: old snapshots lose their lists first. */
static void ring_trim(struct watch *w)
{
	size_t total = 0, xtotal = 0;
	for (size_t i = 0; i < w->ringcap; i++) {
		total += w->ring[i].nprocs;
		xtotal += w->ring[i].nexits;
	}
	/* the newest snapshot is kept whole: detection reads it next */
	for (uint64_t seq = w->seq > w->ringcap ? w->seq - w->ringcap : 1;
	     (total > RING_RECORD_BUDGET || xtotal > RING_EXIT_BUDGET) && seq + 1 < w->seq; seq++) {
		struct wsnap *s = snap_of(w, seq);
		if (!s)
			continue;
		if (total > RING_RECORD_BUDGET && s->nprocs) {
			total -= s->nprocs;
			s->nprocs = 0;
			free(s->procs);
			s->procs = NULL;
			s->procs_cap = 0;
		}
		if (xtotal > RING_EXIT_BUDGET && s->nexits) {
			xtotal -= s->nexits;
			s->nexits = 0;
			free(s->exits);
			s->exits = NULL;
			s->exits_cap = 0;
		}
	}
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

static struct wp *find_cur(struct watch *w, int pid)
{
	return find_in(w->cur, w->ncur, pid);
}

/* One scan: every process, the system counters, thread states, exits. */
static struct wsnap *scan(struct watch *w, uint64_t mono)
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
			wp_drop(w, &w->cur[j++]);
		struct wp *old = j < w->ncur && w->cur[j].pid == pid ? &w->cur[j++] : NULL;
		struct wp *np = &w->nxt[nn];
		if (read_one(w, pid, old, np, mono, want_swap, boot_now)) {
			if (old)
				wp_drop(w, old);
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
		wp_drop(w, &w->cur[j++]);
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
		r->state = p->state;
		r->flags = p->young ? WP_NEW : 0;
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

	ring_trim(w);
	return s;
}

/* ---- detection ---- */

static uint64_t cooldown_ns(const struct watch *w)
{
	return (uint64_t)(w->conf.cooldown_seconds * 1e9);
}

static struct incident *find_incident(struct watch *w, const char *kind, const char *scope)
{
	for (int i = 0; i < MAX_INCIDENTS; i++)
		if (w->inc[i].kind[0] && !strcmp(w->inc[i].kind, kind) && !strcmp(w->inc[i].scope, scope))
			return &w->inc[i];
	return NULL;
}

static void take_cmds(struct watch *w, struct pending *p);
static void write_dump(struct watch *w, struct pending *p, const char *cut);

static void log_trigger(const char *kind, const char *msg)
{
	char *m = termesc_dup(msg);
	notemsg("trigger %s: %s", kind, m);
	free(m);
}

/*
 * A condition is true now. Opens an incident (and schedules a dump) unless
 * one is open for this kind and scope, or it ended less than cooldown ago.
 */
static void fire(struct watch *w, const struct wsnap *s, const char *kind, const char *scope, double value,
		 double threshold, const struct involved *inv, int ninv, const char *fmt, ...) PRINTF_LIKE(9, 10);
static void fire(struct watch *w, const struct wsnap *s, const char *kind, const char *scope, double value,
		 double threshold, const struct involved *inv, int ninv, const char *fmt, ...)
{
	struct incident *in = find_incident(w, kind, scope);
	if (in && in->open) {
		in->last_true = s->mono;
		return;
	}
	if (in && s->mono - in->end < cooldown_ns(w))
		return;
	if (!in) {
		for (int i = 0; i < MAX_INCIDENTS && !in; i++)
			if (!w->inc[i].kind[0])
				in = &w->inc[i];
		/* every slot used: forget the closed incident that ended first (its cooldown is lost) */
		struct incident *old = NULL;
		for (int i = 0; i < MAX_INCIDENTS && !in; i++)
			if (!w->inc[i].open && !w->inc[i].dump && (!old || w->inc[i].end < old->end))
				old = &w->inc[i];
		if (!in)
			in = old;
		if (!in)
			return; /* every one still open */
	}
	memset(in, 0, sizeof(*in));
	snprintf(in->kind, sizeof(in->kind), "%s", kind);
	snprintf(in->scope, sizeof(in->scope), "%s", scope);
	in->open = true;
	in->start = in->last_true = s->mono;

	va_list ap;
	va_start(ap, fmt);
	struct buf msg = {0};
	buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	log_trigger(kind, msg.data);
	if (w->npend >= MAX_PENDING) {
		/* more triggers than post-trigger windows: write the oldest now, cut short, rather than lose this one */
		int o = 0;
		for (int i = 1; i < w->npend; i++)
			if (w->pend[i]->trig_mono < w->pend[o]->trig_mono)
				o = i;
		write_dump(w, w->pend[o], "more triggers pending");
		w->pend[o] = w->pend[--w->npend];
	}
	struct pending *p = xcalloc(1, sizeof(*p));
	snprintf(p->kind, sizeof(p->kind), "%s", kind);
	snprintf(p->scope, sizeof(p->scope), "%s", scope);
	p->msg = buf_steal(&msg);
	p->value = value;
	p->threshold = threshold;
	p->trig_seq = s->seq;
	p->trig_mono = s->mono;
	p->trig_real = s->real;
	p->due_mono = s->mono + (uint64_t)(w->conf.post_trigger_seconds * 1e9);
	p->ninv = ninv < MAX_INVOLVED ? ninv : MAX_INVOLVED;
	if (p->ninv) /* PSI triggers name no process (inv NULL) */
		memcpy(p->inv, inv, (size_t)p->ninv * sizeof(*inv));
	take_cmds(w, p);
	struct buf tj = {0};
	watch_conf_json(&w->conf, &tj);
	p->thresholds_json = buf_steal(&tj);
	p->ref_seq = w->fire_ref_seq;
	p->grow_swap = w->fire_swap;
	p->inc = in;
	in->dump = p;
	w->pend[w->npend++] = p;
}

static void free_cmds(struct pending *p)
{
	for (int i = 0; i < MAX_INVOLVED; i++) {
		for (int k = 0; k < p->cmds[i].argc; k++)
			free(p->cmds[i].argv[k]);
		free(p->cmds[i].argv);
		p->cmds[i] = (struct inv_cmd){0};
	}
}

/* Copy (and redact) the command lines still missing of involved processes still in the table. */
static void take_cmds(struct watch *w, struct pending *p)
{
	for (int i = 0; i < p->ninv; i++) {
		const struct wp *q = find_cur(w, p->inv[i].pid);
		if (p->cmds[i].argv || !q || !q->cmd.argv || (p->inv[i].start && q->start != p->inv[i].start))
			continue;
		struct inv_cmd *c = &p->cmds[i];
		c->argv = xcalloc((size_t)q->cmd.argc + 1, sizeof(char *));
		for (int k = 0; k < q->cmd.argc; k++)
			c->argv[k] = xstrdup(q->cmd.argv[k]);
		c->argc = q->cmd.argc;
		c->truncated = q->cmd.truncated;
		if (!opt.no_redact)
			c->redacted = watch_cmd_redact(c->argv, c->argc);
	}
}

static void close_incidents(struct watch *w, uint64_t mono)
{
	uint64_t quiet = cooldown_ns(w);
	if (quiet < 2 * w->interval_ns)
		quiet = 2 * w->interval_ns;
	for (int i = 0; i < MAX_INCIDENTS; i++) {
		struct incident *in = &w->inc[i];
		if (!in->kind[0])
			continue;
		if (in->open && mono - in->last_true >= quiet) {
			in->open = false;
			in->end = in->last_true;
			if (in->last_true > in->start)
				notemsg("incident %s (%s) ended after %.1f s", in->kind, in->scope,
					(double)(in->last_true - in->start) / 1e9);
		} else if (!in->open && !in->dump && mono - in->end >= cooldown_ns(w)) {
			in->kind[0] = 0; /* cooldown over: forget it */
		}
	}
}

static int growth_desc(const void *a, const void *b)
{
	const struct involved *x = a, *y = b;
	return (x->value < y->value) - (x->value > y->value);
}

/*
 * The processes whose RSS (or swap) grew most between 'ref' and 's'.
 * Returns how many (up to max) grew by more than 1 MiB.
 */
static int grown(const struct wsnap *ref, const struct wsnap *s, bool swap, struct involved *out, int max)
{
	struct involved *all = xmalloc((s->nprocs + 1) * sizeof(*all));
	int n = 0;
	size_t j = 0;
	for (uint32_t i = 0; i < s->nprocs; i++) {
		const struct wproc_rec *r = &s->procs[i];
		uint64_t before = 0;
		if (ref) {
			while (j < ref->nprocs && ref->procs[j].pid < r->pid)
				j++;
			if (j < ref->nprocs && ref->procs[j].pid == r->pid && ref->procs[j].start == r->start)
				before = swap ? ref->procs[j].swap_kb : ref->procs[j].rss_kb;
		}
		uint64_t now = swap ? r->swap_kb : r->rss_kb;
		if (now > before + 1024) {
			all[n] = (struct involved){ .pid = r->pid, .start = r->start, .value = (double)(now - before) };
			memcpy(all[n].comm, r->comm, sizeof(r->comm));
			n++;
		}
	}
	qsort(all, (size_t)n, sizeof(*all), growth_desc);
	if (n > max)
		n = max;
	memcpy(out, all, (size_t)n * sizeof(*out));
	free(all);
	return n;
}

/* The snapshot about 'secs' before s (the oldest in the ring if younger). */
static const struct wsnap *snap_before(struct watch *w, const struct wsnap *s, double secs)
{
	const struct wsnap *best = NULL;
	uint64_t want = s->mono > (uint64_t)(secs * 1e9) ? s->mono - (uint64_t)(secs * 1e9) : 0;
	for (uint64_t seq = s->seq; seq-- > 1 && s->seq - seq < w->ringcap;) {
		const struct wsnap *q = snap_of(w, seq);
		if (!q || !q->procs)
			break;
		best = q;
		if (q->mono <= want)
			break;
	}
	return best;
}

static int birth_cmp(const void *a, const void *b)
{
	const struct birth *x = a, *y = b;
	if (x->ppid != y->ppid)
		return (x->ppid > y->ppid) - (x->ppid < y->ppid);
	return strncmp(x->comm, y->comm, sizeof(x->comm));
}

static const struct wproc_rec *find_rec(const struct wsnap *s, int pid)
{
	size_t lo = 0, hi = s->nprocs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else if (s->procs[mid].pid > pid)
			hi = mid;
		else
			return &s->procs[mid];
	}
	return NULL;
}

/*
 * One process's memory (RSS + swap) grew by the threshold within the
 * window. MemAvailable is system-wide: on a busy machine other processes
 * freeing memory at the same time hide most of a 600 MB allocation from the
 * memdrop trigger, while the process's own growth is exact.
 */
static void detect_memgrow(struct watch *w, const struct wsnap *s)
{
	double win = fmax(5, 5 * w->interval);
	const struct wsnap *ref = snap_before(w, s, win);
	if (!ref || ref == s)
		return; /* no baseline yet: everything would look new */
	uint64_t thr_kb = (uint64_t)(w->conf.process_mem_growth_threshold_mib * 1024);
	for (size_t i = 0; i < w->ncur; i++) {
		const struct wp *p = &w->cur[i];
		uint64_t now_kb = (uint64_t)p->rss_kb + p->swap_kb;
		if (now_kb < thr_kb)
			continue;
		const struct wproc_rec *r = find_rec(ref, p->pid);
		uint64_t before = r && r->start == p->start ? (uint64_t)r->rss_kb + r->swap_kb : 0;
		if (now_kb < before + thr_kb)
			continue;
		char scope[48];
		snprintf(scope, sizeof(scope), "pid %d@%llu", p->pid,
			 (unsigned long long)(watch_boot_time() + p->start / (uint64_t)w->hz));
		struct involved me = { .pid = p->pid, .start = p->start, .value = (double)(now_kb - before) };
		memcpy(me.comm, p->comm, sizeof(me.comm));
		struct buf cm = {0};
		buf_add(&cm, p->comm, strnlen(p->comm, sizeof(p->comm)));
		fire(w, s, "memgrow", scope, (double)(now_kb - before) / 1024, w->conf.process_mem_growth_threshold_mib,
		     &me, 1, "process %d (%s) grew by %.0f MiB to %.0f MiB within %.1f s (threshold %g MiB)", p->pid,
		     cm.data ? cm.data : "", (double)(now_kb - before) / 1024, (double)now_kb / 1024,
		     (double)(s->mono - ref->mono) / 1e9, w->conf.process_mem_growth_threshold_mib);
		buf_free(&cm);
	}
}

/*
 * The alphas are the weight of a new sample at the spike daemon's 1 s
 * period; scaled so a faster interval does not make the baseline faster.
 */
static double alpha_for(double a, double interval)
{
	return 1 - pow(1 - a, fmin(interval, 1e3));
}

static void detect(struct watch *w, const struct wsnap *s)
{
	const struct watch_conf *c = &w->conf;
	double pa = alpha_for(c->process_baseline_alpha, w->interval);
	double ma = alpha_for(c->memory_baseline_alpha, w->interval);
	char scope[48];
	struct involved inv[MAX_INVOLVED];

	/* per process: CPU above baseline, and new processes using a lot of CPU */
	for (size_t i = 0; i < w->ncur; i++) {
		struct wp *p = &w->cur[i];
		double pct = p->cpu10 / 10.0;
		snprintf(scope, sizeof(scope), "pid %d@%llu", p->pid,
			 (unsigned long long)(watch_boot_time() + p->start / (uint64_t)w->hz));
		struct involved me = { .pid = p->pid, .start = p->start, .value = pct };
		memcpy(me.comm, p->comm, sizeof(me.comm));
		struct buf cm = {0};
		buf_add(&cm, p->comm, strnlen(p->comm, sizeof(p->comm)));
		if (c->enable_cpu_detection) {
			if (p->young && pct >= c->new_process_threshold_pct)
				fire(w, s, "newproc", scope, pct, c->new_process_threshold_pct, &me, 1,
				     "new process %d (%s) at %.1f%% CPU (threshold %g%%)", p->pid, cm.data ? cm.data : "",
				     pct, c->new_process_threshold_pct);
			else if (p->ema_ok && pct - p->ema >= c->cpu_delta_threshold_pct)
				fire(w, s, "cpu", scope, pct, c->cpu_delta_threshold_pct, &me, 1,
				     "process %d (%s) at %.1f%% CPU, baseline %.1f%% (threshold +%g)", p->pid,
				     cm.data ? cm.data : "", pct, p->ema, c->cpu_delta_threshold_pct);
		}
		buf_free(&cm);
		if (p->mono && (p->ema_ok || !p->young || pct > 0)) {
			if (p->ema_ok)
				p->ema = pa * pct + (1 - pa) * p->ema;
			else
				p->ema = pct;
			p->ema_ok = true;
		}
	}

	/*
	 * Short-lived processes, from the kernel's exact exit accounting: those
	 * that lived between two scans, and young ones the scans saw only in
	 * part (a 0.4 s hog may straddle three scans and never look busy).
	 */
	if (c->enable_cpu_detection)
		for (uint32_t i = 0; i < s->nexits; i++) {
			const struct wexit_rec *x = &s->exits[i];
			double lifetime = (double)x->lifetime_us / 1e6;
			if (x->seen && lifetime > fmax(YOUNG_SECONDS, 3 * w->interval))
				continue;
			double pct = (double)x->cpu_us / 1e6 / fmax(lifetime, MIN_LIFETIME_S) * 100;
			if (pct < c->new_process_threshold_pct)
				continue;
			/* the scans may have fired for it already: /proc and taskstats round the start differently */
			bool known = false;
			for (int d = -1; d <= 1 && !known; d++) {
				snprintf(scope, sizeof(scope), "pid %d@%llu", x->pid, (unsigned long long)(x->btime + d));
				known = find_incident(w, "newproc", scope) != NULL;
			}
			if (known)
				continue;
			snprintf(scope, sizeof(scope), "pid %d@%llu", x->pid, (unsigned long long)x->btime);
			struct involved me = { .pid = x->pid, .value = pct };
			snprintf(me.comm, sizeof(me.comm), "%.15s", x->comm);
			struct buf cm = {0};
			buf_add(&cm, me.comm, strlen(me.comm));
			fire(w, s, "newproc", scope, pct, c->new_process_threshold_pct, &me, 1,
			     "short-lived process %d (%s) used %.1f%% CPU for %.2f s and exited (threshold %g%%)", x->pid,
			     cm.data ? cm.data : "", pct, (double)x->lifetime_us / 1e6, c->new_process_threshold_pct);
			buf_free(&cm);
		}

	/* memory */
	const struct sysrec *y = &s->sys;
	double avail_mib = (double)y->mem_avail_kb / 1024, total_mib = (double)y->mem_total_kb / 1024;
	if (c->enable_memory_detection && y->mem_total_kb) {
		const struct wsnap *ref = snap_before(w, s, fmax(5, 5 * w->interval));
		if (w->mem_ema_ok && w->mem_ema - avail_mib >= c->mem_drop_threshold_mib) {
			int n = grown(ref, s, false, inv, MAX_INVOLVED);
			w->fire_ref_seq = ref ? ref->seq : 0;
			fire(w, s, "memdrop", "system", w->mem_ema - avail_mib, c->mem_drop_threshold_mib, inv, n,
			     "MemAvailable %.0f MiB, %.0f MiB below its baseline (threshold %g MiB)%s%s", avail_mib,
			     w->mem_ema - avail_mib, c->mem_drop_threshold_mib, n ? "; grew most: " : "",
			     n ? inv[0].comm : "");
		}
		double used = (total_mib - avail_mib) / total_mib * 100;
		if (used >= c->mem_pressure_threshold_pct) {
			int n = grown(ref, s, false, inv, MAX_INVOLVED);
			w->fire_ref_seq = ref ? ref->seq : 0;
			fire(w, s, "mempressure", "system", used, c->mem_pressure_threshold_pct, inv, n,
			     "memory %.1f%% used (threshold %g%%)", used, c->mem_pressure_threshold_pct);
		}
	}
	if (c->enable_memory_detection)
		detect_memgrow(w, s);
	if (w->mem_ema_ok)
		w->mem_ema = ma * avail_mib + (1 - ma) * w->mem_ema;
	else
		w->mem_ema = avail_mib;
	w->mem_ema_ok = y->mem_total_kb > 0;

	double swap_mib = (double)(y->swap_total_kb - y->swap_free_kb) / 1024;
	if (c->enable_swap_detection && y->swap_total_kb && w->swap_ema_ok &&
	    swap_mib - w->swap_ema >= c->swap_spike_threshold_mib) {
		const struct wsnap *ref = snap_before(w, s, fmax(5, 5 * w->interval));
		int n = grown(ref, s, true, inv, MAX_INVOLVED);
		w->fire_ref_seq = ref ? ref->seq : 0;
		w->fire_swap = true;
		fire(w, s, "swap", "system", swap_mib - w->swap_ema, c->swap_spike_threshold_mib, inv, n,
		     "swap used %.0f MiB, %.0f MiB above its baseline (threshold %g MiB)", swap_mib, swap_mib - w->swap_ema,
		     c->swap_spike_threshold_mib);
	}
	if (w->swap_ema_ok)
		w->swap_ema = ma * swap_mib + (1 - ma) * w->swap_ema;
	else
		w->swap_ema = swap_mib;
	w->swap_ema_ok = true;

	w->fire_ref_seq = 0;
	w->fire_swap = false;

	/* PSI */
	if (c->enable_psi_detection) {
		const struct { const char *kind; int32_t v; } psi[] = {
			{ "psi_cpu", y->psi_cpu100 }, { "psi_io", y->psi_io100 }, { "psi_memory", y->psi_mem100 } };
		for (size_t i = 0; i < ARRAY_SIZE(psi); i++)
			if (psi[i].v >= 0 && psi[i].v / 100.0 >= c->psi_threshold_pct)
				fire(w, s, psi[i].kind, "system", psi[i].v / 100.0, c->psi_threshold_pct, NULL, 0,
				     "%s pressure: some avg10 %.2f%% (threshold %g%%)", psi[i].kind + 4, psi[i].v / 100.0,
				     c->psi_threshold_pct);
	}

	/* bursts of new processes, grouped by parent and name */
	uint64_t win = (uint64_t)(c->burst_window_seconds * 1e9);
	size_t k = 0;
	for (size_t i = 0; i < w->nbirths; i++)
		if (s->mono - w->births[i].mono <= win || w->births[i].mono > s->mono)
			w->births[k++] = w->births[i];
	w->nbirths = k;
	if (w->capbirths > 4 * k + 4096) {
		w->capbirths = 2 * k + 1024;
		w->births = xreallocarray(w->births, w->capbirths, sizeof(*w->births));
	}
	if (c->enable_burst_detection && w->nbirths >= (size_t)c->burst_threshold) {
		struct birth *v = xmalloc(w->nbirths * sizeof(*v));
		memcpy(v, w->births, w->nbirths * sizeof(*v));
		qsort(v, w->nbirths, sizeof(*v), birth_cmp);
		for (size_t i = 0; i < w->nbirths;) {
			size_t e = i;
			while (e < w->nbirths && !birth_cmp(&v[i], &v[e]))
				e++;
			if ((long)(e - i) >= c->burst_threshold) {
				snprintf(scope, sizeof(scope), "burst %d/%.15s", v[i].ppid, v[i].comm);
				struct involved par = { .pid = v[i].ppid, .value = (double)(e - i) };
				const struct wp *pp = find_cur(w, v[i].ppid);
				if (pp) {
					par.start = pp->start;
					memcpy(par.comm, pp->comm, sizeof(par.comm));
				}
				struct involved child = { .pid = 0, .value = (double)(e - i) };
				memcpy(child.comm, v[i].comm, sizeof(child.comm));
				struct involved both[2] = { par, child };
				struct buf cm = {0}, pm = {0};
				buf_add(&cm, v[i].comm, strnlen(v[i].comm, sizeof(v[i].comm)));
				buf_add(&pm, par.comm, strnlen(par.comm, sizeof(par.comm)));
				fire(w, s, "burst", scope, (double)(e - i), (double)c->burst_threshold, both, 2,
				     "%zu new processes '%s' from parent %d (%s) within %g s (threshold %ld)", e - i,
				     cm.data ? cm.data : "", v[i].ppid, pm.data ? pm.data : "?", c->burst_window_seconds,
				     c->burst_threshold);
				buf_free(&cm);
				buf_free(&pm);
			}
			i = e;
		}
		free(v);
	}
	close_incidents(w, s->mono);
}

/* ---- dumps ---- */

struct dumpctx {
	struct watch *w;
	struct pending *p;
	uint64_t first_seq, ctx_first, last_seq;
};

static bool is_involved(const struct pending *p, int pid, uint64_t start)
{
	for (int i = 0; i < p->ninv; i++)
		if (p->inv[i].pid == pid && (!p->inv[i].start || p->inv[i].start == start))
			return true;
	return false;
}

static void iso_time(char *out, size_t n, struct timespec ts)
{
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		 tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(ts.tv_nsec / 1000000) % 1000);
}

static void emit_sample(struct evlog *log, uint64_t t, const struct wproc_rec *r)
{
	struct ev_draft d;
	ev_init(&d, EVT_SAMPLE, t, r->pid, r->pid);
	ev_uint(&d, EVK_START, r->start);
	ev_str(&d, log, EVK_COMM, r->comm, strnlen(r->comm, sizeof(r->comm)));
	ev_int(&d, EVK_PPID, r->ppid);
	ev_uint(&d, EVK_UID, r->uid);
	char st[2] = { r->state, 0 };
	ev_cstr(&d, log, EVK_STATE, st);
	ev_double(&d, EVK_CPU, r->cpu10 / 10.0);
	ev_uint(&d, EVK_RSS, (uint64_t)r->rss_kb * 1024);
	ev_uint(&d, EVK_SWAP, (uint64_t)r->swap_kb * 1024);
	evlog_append(log, &d);
}

static int fill_dump(void *vctx, int fd)
{
	struct dumpctx *dc = vctx;
	struct watch *w = dc->w;
	struct pending *p = dc->p;
	const struct wsnap *first = snap_of(w, dc->first_seq);
	struct run r = {0};
	r.log = evlog_new();
	r.mode = "watch";
	r.host = w->run->host;
	r.kernel = w->run->kernel;
	r.argv = w->run->argv;
	r.argc = w->run->argc;
	r.end = RUN_RUNNING;
	uint64_t t0 = first ? first->mono : p->trig_mono;
	evlog_set_start(r.log, t0, first ? first->real : p->trig_real);
	buf_printf(&r.header_extra, "\"ncpu\":%u,\"interval\":", first ? first->sys.ncpu : 0);
	json_double(&r.header_extra, w->interval);
	buf_adds(&r.header_extra, ",\"trigger_kind\":");
	json_cstr(&r.header_extra, p->kind);
	buf_printf(&r.header_extra, ",\"hz\":%ld,\"boot_time\":%llu", w->hz,
		   (unsigned long long)watch_boot_time());

	struct jsonl_sink *js = jsonl_sink_new(&r, fd);
	struct evlog *log = r.log;
	uint64_t nsamples = 0, dropped = 0, exits_dropped = 0;
	struct ev_draft d;
	char when[96];

	/* the trigger first, so a lister reads one line past the header */
	ev_init(&d, EVT_TRIGGER, p->trig_mono - t0, 0, 0);
	ev_cstr(&d, log, EVK_KIND, p->kind);
	ev_cstr(&d, log, EVK_MSG, p->msg);
	ev_cstr(&d, log, EVK_SCOPE, p->scope);
	ev_double(&d, EVK_VALUE, p->value);
	ev_double(&d, EVK_THRESHOLD, p->threshold);
	iso_time(when, sizeof(when), p->trig_real);
	ev_cstr(&d, log, EVK_WHEN, when);
	struct buf pj = {0};
	buf_addc(&pj, '[');
	for (int i = 0; i < p->ninv; i++) {
		json_sep(&pj);
		buf_addc(&pj, '{');
		json_key(&pj, "pid");
		json_i64(&pj, p->inv[i].pid);
		json_key(&pj, "start");
		json_u64(&pj, p->inv[i].start);
		json_key(&pj, "comm");
		json_str(&pj, p->inv[i].comm, strnlen(p->inv[i].comm, sizeof(p->inv[i].comm)));
		json_key(&pj, "value");
		json_double(&pj, p->inv[i].value);
		const struct inv_cmd *ic = &p->cmds[i];
		if (ic->argv) {
			json_key(&pj, "argv");
			buf_addc(&pj, '[');
			for (int k = 0; k < ic->argc; k++) {
				json_sep(&pj);
				json_cstr(&pj, ic->argv[k]);
			}
			buf_addc(&pj, ']');
			if (ic->redacted) {
				json_key(&pj, "redacted");
				json_bool(&pj, true);
			}
			if (ic->truncated) {
				json_key(&pj, "truncated");
				json_bool(&pj, true);
			}
		}
		buf_addc(&pj, '}');
	}
	buf_addc(&pj, ']');
	ev_json(&d, log, EVK_PROCS, pj.data, pj.len);
	buf_free(&pj);
	ev_json(&d, log, EVK_THRESHOLDS, p->thresholds_json, strlen(p->thresholds_json));
	const struct incident *in = p->inc;
	bool ongoing = !in || in->open;
	ev_bool(&d, EVK_ONGOING, ongoing);
	if (!ongoing && in->end >= p->trig_mono)
		ev_dur(&d, in->end - in->start);
	uint64_t lost = w->exits_lost;
	if (lost)
		ev_uint(&d, EVK_LOST, lost);
	evlog_append(log, &d);

	for (uint64_t seq = dc->first_seq; seq <= dc->last_seq; seq++) {
		const struct wsnap *s = snap_of(w, seq);
		if (!s)
			continue;
		uint64_t t = s->mono - t0;
		bool ctx = seq >= dc->ctx_first;
		const struct sysrec *y = &s->sys;
		ev_init(&d, EVT_SYSSTAT, t, 0, 0);
		ev_double(&d, EVK_CPU, y->cpu_busy10 / 10.0);
		ev_double(&d, EVK_IOWAIT, y->cpu_iowait10 / 10.0);
		struct buf cj = {0};
		buf_addc(&cj, '[');
		for (unsigned i = 0; i < y->ncpu && i < WATCH_MAXCPU; i++) {
			json_sep(&cj);
			json_double(&cj, y->core_busy10[i] / 10.0);
		}
		buf_addc(&cj, ']');
		ev_json(&d, log, EVK_CORES, cj.data, cj.len);
		buf_free(&cj);
		ev_uint(&d, EVK_MEM_TOTAL, y->mem_total_kb * 1024);
		ev_uint(&d, EVK_MEM_AVAIL, y->mem_avail_kb * 1024);
		ev_uint(&d, EVK_SWAP_TOTAL, y->swap_total_kb * 1024);
		ev_uint(&d, EVK_SWAP, (y->swap_total_kb - y->swap_free_kb) * 1024);
		if (y->psi_cpu100 >= 0)
			ev_double(&d, EVK_PSI_CPU, y->psi_cpu100 / 100.0);
		if (y->psi_io100 >= 0)
			ev_double(&d, EVK_PSI_IO, y->psi_io100 / 100.0);
		if (y->psi_mem100 >= 0)
			ev_double(&d, EVK_PSI_MEM, y->psi_mem100 / 100.0);
		ev_uint(&d, EVK_FORKS, y->forks);
		ev_uint(&d, EVK_NPROCS, y->nprocs);
		ev_uint(&d, EVK_RUNNING, y->running);
		ev_uint(&d, EVK_BLOCKED, y->blocked);
		ev_uint(&d, EVK_EXITS, s->exits_total);
		if (ctx)
			exits_dropped += s->exits_total - s->nexits;
		ev_add(&d, EVK_SAMPLER_CPU, EVF_DUR, s->cost_ns);
		ev_add(&d, EVK_LAG, EVF_DUR, s->lag_ns);
		evlog_append(log, &d);

		for (uint32_t i = 0; i < s->nprocs; i++) {
			const struct wproc_rec *rec = &s->procs[i];
			bool inv = is_involved(p, rec->pid, rec->start);
			/* every process at the trigger; busy ones in the context window; involved ones always */
			if (!inv && seq != p->trig_seq && !(ctx && rec->cpu10 > 0))
				continue;
			if (!inv && nsamples >= DUMP_MAX_SAMPLES) {
				dropped++;
				continue;
			}
			emit_sample(log, t, rec);
			nsamples++;
		}
		if (!ctx)
			continue;
		for (uint32_t i = 0; i < s->nthreads; i++) {
			const struct wthread_rec *th = &s->threads[i];
			ev_init(&d, EVT_THREADSTATE, t, th->pid, th->tid);
			char st[2] = { th->state, 0 };
			ev_cstr(&d, log, EVK_STATE, st);
			ev_str(&d, log, EVK_COMM, th->comm, strnlen(th->comm, sizeof(th->comm)));
			if (th->syscall >= 0) {
				ev_int(&d, EVK_NR, th->syscall);
				const char *nm = systab_name(AUDIT_ARCH_X86_64, th->syscall);
				if (nm)
					ev_cstr(&d, log, EVK_SYSCALL, nm);
			} else if (th->syscall == -1)
				ev_cstr(&d, log, EVK_SYSCALL, "running");
			if (th->wchan[0])
				ev_cstr(&d, log, EVK_WCHAN, th->wchan);
			evlog_append(log, &d);
		}
		for (uint32_t i = 0; i < s->nexits; i++) {
			const struct wexit_rec *x = &s->exits[i];
			uint64_t xt = x->mono > t0 ? x->mono - t0 : t;
			ev_init(&d, EVT_PROCEXIT, xt, x->pid, x->pid);
			ev_str(&d, log, EVK_COMM, x->comm, strnlen(x->comm, sizeof(x->comm)));
			ev_int(&d, EVK_PPID, x->ppid);
			ev_uint(&d, EVK_UID, x->uid);
			ev_int(&d, EVK_CODE, x->code);
			ev_uint(&d, EVK_BTIME, x->btime);
			ev_add(&d, EVK_CPU_TIME, EVF_DUR, x->cpu_us * 1000);
			ev_add(&d, EVK_LIFETIME, EVF_DUR, x->lifetime_us * 1000);
			ev_uint(&d, EVK_RSS_PEAK, x->rss_peak_kb * 1024);
			ev_uint(&d, EVK_READ_BYTES, x->read_bytes);
			ev_uint(&d, EVK_WRITE_BYTES, x->write_bytes);
			ev_bool(&d, EVK_SEEN, x->seen);
			evlog_append(log, &d);
		}
	}
	const struct wsnap *last = snap_of(w, dc->last_seq);
	r.t_end = last ? last->mono - t0 : 0;
	if (dropped)
		buf_printf(&r.end_extra, "\"samples_dropped\":%llu", (unsigned long long)dropped);
	/* exit records the ring's budget let go before this dump was written */
	if (exits_dropped)
		buf_printf(&r.end_extra, "%s\"exits_dropped\":%llu", dropped ? "," : "",
			   (unsigned long long)exits_dropped);
	int rc = jsonl_sink_finish(js);
	buf_free(&r.header_extra);
	buf_free(&r.end_extra);
	evlog_free(r.log);
	return rc;
}

/*
 * Memory and swap triggers: name the processes by their largest growth from
 * the reference snapshot over the whole post-trigger window, so an
 * allocation still in progress at the trigger is measured in full.
 */
static void regrow(struct watch *w, struct pending *p)
{
	const struct wsnap *ref = snap_of(w, p->ref_seq);
	if (!ref)
		return;
	struct involved best[MAX_INVOLVED * 4], cur[MAX_INVOLVED * 2];
	int nb = 0;
	for (uint64_t seq = p->trig_seq; seq < w->seq; seq++) {
		const struct wsnap *s = snap_of(w, seq);
		if (!s || !s->procs)
			continue;
		int n = grown(ref, s, p->grow_swap, cur, MAX_INVOLVED * 2);
		for (int i = 0; i < n; i++) {
			int k;
			for (k = 0; k < nb; k++)
				if (best[k].pid == cur[i].pid && best[k].start == cur[i].start)
					break;
			if (k < nb) {
				if (cur[i].value > best[k].value)
					best[k].value = cur[i].value;
			} else if (nb < (int)ARRAY_SIZE(best))
				best[nb++] = cur[i];
		}
	}
	if (!nb)
		return;
	qsort(best, (size_t)nb, sizeof(*best), growth_desc);
	p->ninv = nb < MAX_INVOLVED ? nb : MAX_INVOLVED;
	memcpy(p->inv, best, (size_t)p->ninv * sizeof(*best));
	free_cmds(p);
	take_cmds(w, p);
}

/* Write the dump of a trigger; 'cut' says why its post-trigger window was cut short (NULL: it was not). */
static void write_dump(struct watch *w, struct pending *p, const char *cut)
{
	if (p->ref_seq)
		regrow(w, p);
	take_cmds(w, p); /* the worker may have read them since the trigger */
	struct dumpctx dc = { .w = w, .p = p };
	uint64_t oldest = w->seq > w->ringcap ? w->seq - w->ringcap : 1;
	dc.last_seq = w->seq - 1;
	dc.ctx_first = p->trig_seq > (uint64_t)w->conf.context_snapshots_per_dump
			       ? p->trig_seq - (uint64_t)w->conf.context_snapshots_per_dump
			       : 1;
	if (dc.ctx_first < oldest)
		dc.ctx_first = oldest;
	/* involved processes' history reaches back through the whole ring */
	dc.first_seq = p->ninv ? oldest : dc.ctx_first;
	while (dc.first_seq < dc.last_seq && !snap_of(w, dc.first_seq))
		dc.first_seq++;
	char *name = NULL;
	int rc = watch_dump_write_fn(w->dd, p->kind, &p->trig_real, fill_dump, &dc, &name);
	if (rc) {
		uint64_t now = now_ns();
		/* a full disk must not flood the journal: one line per minute */
		if (!w->last_fail_log || now - w->last_fail_log > 60000000000ull) {
			warnmsg("dump for trigger %s not written: %s; earlier dumps are kept, sampling goes on", p->kind,
				strerror(-rc));
			w->last_fail_log = now;
		}
	} else {
		w->dumps_written++;
		notemsg("dump written: %s/%s%s%s%s", opt.dump_dir ? opt.dump_dir : (w->conf.dump_dir ? w->conf.dump_dir : DEFAULT_DUMP_DIR),
			name, cut ? " (post-trigger window cut short: " : "", cut ? cut : "", cut ? ")" : "");
		free(name);
		watch_dump_retention(w->dd, w->conf.retention_max_dumps, w->conf.retention_max_age_days,
				     w->conf.retention_max_total_mib);
	}
	if (p->inc)
		p->inc->dump = NULL;
	free_cmds(p);
	free(p->msg);
	free(p->thresholds_json);
	free(p);
}

static void flush_pending(struct watch *w, uint64_t mono, bool all)
{
	for (int i = 0; i < w->npend;) {
		struct pending *p = w->pend[i];
		/* the ring must not overwrite the pre-trigger context before the dump is out */
		uint64_t need = p->trig_seq > (uint64_t)w->conf.context_snapshots_per_dump
					? p->trig_seq - (uint64_t)w->conf.context_snapshots_per_dump
					: 1;
		bool ring_full = w->seq + 1 > need + w->ringcap;
		if (all || mono >= p->due_mono || ring_full) {
			write_dump(w, p, all && mono < p->due_mono ? "shutdown" : NULL);
			w->pend[i] = w->pend[--w->npend];
		} else {
			/* command lines read since the trigger, while their processes are alive */
			take_cmds(w, p);
			i++;
		}
	}
}


/* ---- config and setup ---- */

static int load_conf(struct watch_conf *c, struct buf *err)
{
	const char *path = opt.config_path ? opt.config_path : DEFAULT_CONF;
	int rc = watch_conf_load(c, path, opt.config_path == NULL, err);
	if (rc)
		return rc;
	/* the command line overrides the file */
	if (opt.interval > 0)
		c->sampling_interval_seconds = opt.interval;
	if (opt.dump_dir) {
		free(c->dump_dir);
		c->dump_dir = xstrdup(opt.dump_dir);
	}
	return 0;
}

static void apply_conf(struct watch *w)
{
	w->interval = w->conf.sampling_interval_seconds;
	w->interval_ns = (uint64_t)(w->interval * 1e9);
	if ((size_t)w->conf.ring_buffer_capacity != w->ringcap)
		ring_resize(w, (size_t)w->conf.ring_buffer_capacity);
}

static void reload(struct watch *w)
{
	struct watch_conf nc = {0};
	struct buf err = {0};
	watch_conf_defaults(&nc);
	if (load_conf(&nc, &err)) {
		if (err.len && err.data[err.len - 1] == '\n')
			err.data[--err.len] = 0;
		for (char *l = err.data, *e; l && *l; l = e ? e + 1 : NULL) {
			e = strchr(l, '\n');
			if (e)
				*e = 0;
			warnmsg("%s", l);
		}
		warnmsg("SIGHUP: the new config is broken; keeping the old one");
		watch_conf_release(&nc);
		buf_free(&err);
		return;
	}
	buf_free(&err);
	const char *olddir = w->conf.dump_dir ? w->conf.dump_dir : DEFAULT_DUMP_DIR;
	const char *newdir = nc.dump_dir ? nc.dump_dir : DEFAULT_DUMP_DIR;
	if (strcmp(olddir, newdir)) {
		struct buf e2 = {0};
		struct watch_dumpdir *dd = watch_dumpdir_open(newdir, &e2);
		if (!dd) {
			warnmsg("SIGHUP: %s; keeping the old config", e2.data);
			buf_free(&e2);
			watch_conf_release(&nc);
			return;
		}
		watch_dumpdir_close(w->dd);
		w->dd = dd;
	}
	watch_conf_release(&w->conf);
	w->conf = nc;
	apply_conf(w);
	notemsg("config reloaded: interval %g s, ring %ld snapshots", w->interval, w->conf.ring_buffer_capacity);
}

static void raise_nofile(struct watch *w)
{
	struct rlimit rl;
	if (!getrlimit(RLIMIT_NOFILE, &rl)) {
		if (rl.rlim_cur < rl.rlim_max) {
			rl.rlim_cur = rl.rlim_max;
			(void)setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		long lim = rl.rlim_cur == RLIM_INFINITY ? 1 << 20 : (long)rl.rlim_cur;
		/* keep room for dumps, config, netlink and thread sampling */
		w->fd_budget = lim > 256 ? (int)(lim - 128) : 0;
	}
}

static void free_watch(struct watch *w)
{
	for (size_t i = 0; i < w->ncur; i++)
		wp_drop(w, &w->cur[i]);
	free(w->cres);
	for (size_t i = 0; i < w->ringcap; i++) {
		free(w->ring[i].procs);
		free(w->ring[i].threads);
		free(w->ring[i].exits);
	}
	free(w->ring);
	free(w->cur);
	free(w->nxt);
	free(w->pids);
	free(w->exits);
	free(w->births);
	free(w->seen);
	if (w->procdir)
		closedir(w->procdir);
	if (w->procfd >= 0)
		close(w->procfd);
	watch_dumpdir_close(w->dd);
	watch_conf_release(&w->conf);
}

static int watch_system(struct run *r)
{
	struct watch w0 = { .run = r, .procfd = -1 }, *w = &w0;
	struct buf err = {0};
	watch_conf_defaults(&w->conf);
	if (load_conf(&w->conf, &err)) {
		if (err.len && err.data[err.len - 1] == '\n')
			err.data[--err.len] = 0;
		fprintf(stderr, "%s\n", err.data);
		die(1, "config not valid; fix the lines above (or use --config /dev/null for the defaults)");
	}
	const char *dir = w->conf.dump_dir ? w->conf.dump_dir : DEFAULT_DUMP_DIR;
	umask(077);
	w->dd = watch_dumpdir_open(dir, &err);
	if (!w->dd)
		die(1, "%s", err.data);
	buf_free(&err);
	w->procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int dfd = w->procfd >= 0 ? dup(w->procfd) : -1;
	if (dfd >= 0)
		(void)fcntl(dfd, F_SETFD, FD_CLOEXEC);
	w->procdir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!w->procdir)
		die(1, "cannot open /proc: %s", strerror(errno));
	w->hz = watch_hz();
	w->pagesize_kb = sysconf(_SC_PAGESIZE) / 1024;
	w->seq = 1;
	w->seen = xcalloc(SEEN_MASK + 1, sizeof(*w->seen));
	raise_nofile(w);
	apply_conf(w);
	watch_signals_install();
	w->nl = watch_nl_start();
	w->cmd = watch_cmd_start();
	notemsg("watching every process every %g s; dumps go to %s", w->interval, dir);

	struct timespec dl;
	clock_gettime(CLOCK_MONOTONIC, &dl);
	w->cpu_prev = proc_cpu_ns();
	while (!watch_sig_stop) {
		if (watch_sig_hup) {
			watch_sig_hup = 0;
			reload(w);
		}
		uint64_t mono = (uint64_t)dl.tv_sec * 1000000000u + (uint64_t)dl.tv_nsec;
		uint64_t woke = now_ns();
		struct wsnap *s = scan(w, woke);
		s->lag_ns = woke > mono ? woke - mono : 0;
		detect(w, s);
		flush_pending(w, woke, false);
		/*
		 * Freed memory inside the heap (a dump built, a burst of exits let
		 * go) stays resident until trimmed: once a second, give back the
		 * free pages, so the resident size follows what is in use.
		 */
		if (woke - w->last_trim >= 1000000000ull) {
			malloc_trim(0);
			w->last_trim = woke;
		}
		uint64_t c = proc_cpu_ns();
		s->cost_ns = c - w->cpu_prev;
		w->cpu_prev = c;

		/* absolute deadlines: the period never drifts; missed ticks are skipped, not bunched */
		uint64_t next = mono + w->interval_ns;
		uint64_t now = now_ns();
		if (next <= now)
			next = now + w->interval_ns - (now - mono) % w->interval_ns;
		dl.tv_sec = (time_t)(next / 1000000000u);
		dl.tv_nsec = (long)(next % 1000000000u);
		while (!watch_sig_stop && !watch_sig_hup) {
			int e = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &dl, NULL);
			if (e != EINTR)
				break;
		}
	}
	r->interrupted = true;
	flush_pending(w, now_ns(), true);
	watch_nl_stop(w->nl);
	watch_cmd_stop(w->cmd);
	notemsg("stopped (%s); %llu dump%s written", watch_sig_stop == SIGINT ? "SIGINT" : "SIGTERM",
		(unsigned long long)w->dumps_written, w->dumps_written == 1 ? "" : "s");
	free_watch(w);
	return 0;
}

int watch_main(struct run *r)
{
	/*
	 * A daemon's large arrays (per-snapshot records, exit queues, dumps
	 * being built) come and go with the load. A fixed threshold keeps them
	 * mmapped, so freeing one returns it; glibc's default raises the
	 * threshold after the first free and moves them onto the heap, where
	 * fragmentation pins the memory (resident size crept up under churn).
	 */
	mallopt(M_MMAP_THRESHOLD, 32 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
	if (opt.npids)
		return watch_pid_main(r);
	return watch_system(r);
}
