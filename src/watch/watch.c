/* SPDX-License-Identifier: MIT */
/* watch: --watch: set up the system-wide sampler and run its loop (scan, detect, dump), or follow --pid trees. */
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watch/watch.h"
#include "watch/watch_sys.h"
#include "lib/msg.h"

#define DEFAULT_CONF "/etc/compendium/watch.conf"

static uint64_t proc_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* missing_ok: no file at the default path means the defaults (at start; at a reload only if it was missing then too). */
static int load_conf(const struct watch_cfg *cfg, struct watch_conf *c, bool missing_ok, struct buf *err)
{
	const char *path = cfg->config_path ? cfg->config_path : DEFAULT_CONF;
	int rc = watch_conf_load(c, path, cfg->config_path == NULL && missing_ok, err);
	if (rc)
		return rc;
	/* the command line overrides the file */
	if (cfg->interval > 0)
		c->sampling_interval_seconds = cfg->interval;
	if (cfg->dump_dir) {
		free(c->dump_dir);
		c->dump_dir = xstrdup(cfg->dump_dir);
	}
	return 0;
}

static void apply_conf(struct watch *w)
{
	w->interval = w->conf.sampling_interval_seconds;
	w->interval_ns = (uint64_t)(w->interval * 1e9);
	if ((size_t)w->conf.ring_buffer_capacity != w->ringcap)
		watch_ring_resize(w, (size_t)w->conf.ring_buffer_capacity);
}

#define KEEPING "keeping the previous configuration"

/* A reload that failed: each problem on its line; one problem and the decision on one line. */
static void reload_failed(struct buf *err)
{
	unsigned n = 0;
	for (size_t i = 0; i < err->len; i++)
		n += err->data[i] == '\n';
	for (char *l = err->data, *e; l && *l; l = e ? e + 1 : NULL) {
		e = strchr(l, '\n');
		if (e)
			*e = 0;
		if (n <= 1)
			warnmsg("SIGHUP: %s; " KEEPING, l);
		else
			warnmsg("SIGHUP: %s", l);
	}
	if (n > 1)
		warnmsg("SIGHUP: %u problems in the new config; " KEEPING, n);
}

static void reload(struct watch *w)
{
	struct watch_conf nc = {0};
	struct buf err = {0};
	watch_conf_defaults(&nc);
	/* a file that was there at the last load and is gone now is a problem, not the defaults */
	if (load_conf(w->cfg, &nc, w->conf.missing, &err)) {
		reload_failed(&err);
		watch_conf_release(&nc);
		buf_free(&err);
		return;
	}
	buf_free(&err);
	const char *olddir = watch_conf_dump_dir(&w->conf);
	const char *newdir = watch_conf_dump_dir(&nc);
	if (strcmp(olddir, newdir)) {
		struct buf e2 = {0};
		struct watch_dumpdir *dd = watch_dumpdir_open(newdir, &e2);
		if (!dd) {
			warnmsg("SIGHUP: %s; " KEEPING, e2.data);
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
		watch_wp_drop(w, &w->cur[i]);
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

static int watch_system(struct run *r, const struct watch_cfg *cfg)
{
	struct watch w0 = { .cfg = cfg, .run = r, .procfd = -1 }, *w = &w0;
	struct buf err = {0};
	watch_conf_defaults(&w->conf);
	int rc = load_conf(w->cfg, &w->conf, true, &err);
	if (rc) {
		if (err.len && err.data[err.len - 1] == '\n')
			err.data[--err.len] = 0;
		/* a file that cannot be used is one line; one that does not parse, its file:line lines */
		if (rc != -EINVAL)
			die(1, "%s", err.data);
		fprintf(stderr, "%s\n", err.data);
		die(1, "config not valid; fix the lines above (or use --config /dev/null for the defaults)");
	}
	const char *dir = watch_conf_dump_dir(&w->conf);
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

	uint64_t tick = now_ns();
	w->cpu_prev = proc_cpu_ns();
	while (!watch_sig_stop) {
		if (watch_sig_hup) {
			watch_sig_hup = 0;
			reload(w);
		}
		uint64_t woke = now_ns();
		watch_dumpdir_ensure(w->dd);
		struct wsnap *s = watch_scan(w, woke);
		s->lag_ns = woke > tick ? woke - tick : 0;
		watch_detect(w, s);
		watch_flush_pending(w, woke, false);
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

		tick = watch_tick_sleep(tick, w->interval_ns, true);
	}
	r->interrupted = true;
	watch_flush_pending(w, now_ns(), true);
	watch_nl_stop(w->nl);
	watch_cmd_stop(w->cmd);
	const char *sig = watch_sig_stop == SIGINT ? "SIGINT" : "SIGTERM";
	unsigned long long nw = w->dumps_written, nl = w->dumps_lost;
	if (nl)
		warnmsg("stopped (%s); %llu dump%s written, %llu lost (the dump directory was gone, full or not "
			"writable: see the warnings above)", sig, nw, nw == 1 ? "" : "s", nl);
	else
		notemsg("stopped (%s); %llu dump%s written", sig, nw, nw == 1 ? "" : "s");
	free_watch(w);
	return 0;
}

int watch_main(struct run *r, const struct watch_cfg *cfg)
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
	if (cfg->npids)
		return watch_pid_main(r, cfg);
	return watch_system(r, cfg);
}
