/* SPDX-License-Identifier: MIT */
/* pfault: exact page-fault counts and sampled fault addresses of the traced tree via perf_event_open. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "lib/procfs.h"
#include "decode/decode.h"
#include "decode/memmap.h"
#include "probes/pfault.h"
#include "engine/tracer.h"
#include "lib/msg.h"
#include "lib/util.h"

#define PF_RING_PAGES 128         /* data pages per CPU ring (512 KiB), halved while mmap says EPERM */
#define PF_RING_MIN 8
#define PF_TICK_MS 100
#define PF_MAX_LOGGED 1000000     /* fault events kept in the log; beyond, counted only */
#define PF_TOP 10
#define PF_NREG (MEM_OTHER + 1)

#ifndef PERF_FORMAT_LOST
#define PERF_FORMAT_LOST (1U << 4)
#endif

/* ---- ring parsing (pure; unit-tested) ---- */

static void ring_copy(const uint8_t *d, uint64_t size, uint64_t pos, void *out, size_t n)
{
	uint64_t off = pos & (size - 1);
	size_t first = n;

	if (off + n > size)
		first = (size_t)(size - off);
	memcpy(out, d + off, first);
	if (first < n)
		memcpy((uint8_t *)out + first, d, n - first);
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

int pfault_ring_parse(const void *data, uint64_t size, uint64_t tail, uint64_t head, pfault_rec_fn fn,
		      void *ctx, uint64_t *new_tail, uint64_t *bad)
{
	static uint8_t rec[65536]; /* header.size is 16 bits */
	const uint8_t *d = data;

	*new_tail = head;
	if (size < 8 || (size & (size - 1)) || head - tail > size) {
		(*bad)++;
		return -EBADMSG;
	}
	while (tail != head) {
		struct perf_event_header h;
		struct pfault_rec r = {0};
		uint64_t avail = head - tail;
		size_t need = 0;

		if (avail < sizeof(h))
			goto bad;
		ring_copy(d, size, tail, &h, sizeof(h));
		/* size 0 would loop forever; a size past head reads garbage */
		if (h.size < sizeof(h) || h.size > avail)
			goto bad;
		ring_copy(d, size, tail, rec, h.size);
		r.type = h.type;
		r.misc = h.misc;
		switch (h.type) {
		case PERF_RECORD_SAMPLE: /* TID, TIME, ADDR, ID in that order */
			need = 8 + 8 + 8 + 8;
			if (h.size < sizeof(h) + need)
				goto bad;
			r.pid = rd32(rec + 8);
			r.tid = rd32(rec + 12);
			r.time = rd64(rec + 16);
			r.addr = rd64(rec + 24);
			r.id = rd64(rec + 32);
			fn(ctx, &r);
			break;
		case PERF_RECORD_LOST:
			if (h.size < sizeof(h) + 16)
				goto bad;
			r.id = rd64(rec + 8);
			r.lost = rd64(rec + 16);
			fn(ctx, &r);
			break;
		case PERF_RECORD_THROTTLE:
		case PERF_RECORD_UNTHROTTLE:
			if (h.size < sizeof(h) + 24)
				goto bad;
			r.time = rd64(rec + 8);
			r.id = rd64(rec + 16);
			fn(ctx, &r);
			break;
		default:
			break;
		}
		tail += h.size;
	}
	return 0;
bad:
	(*bad)++;
	return -EBADMSG;
}

/* ---- state ---- */

struct pf_ring {
	int cpu;
	int fd;                 /* the event that owns the ring */
	void *base;
	size_t len;
	bool polled;            /* in the epoll set */
};

struct pf_proc {
	int pid;
	uint64_t t_start;
	uint64_t s_faults, s_major;     /* samples of this process so far */
	uint64_t faults, major, rss;    /* as last emitted */
	bool have_rss, emitted;
	unsigned seen_tick;
	struct pf_proc *next;
};

struct pf_top {
	uint64_t key;           /* region << 32 | interned path id; 0 = empty */
	uint64_t count;
};

static struct {
	struct run *r;
	struct evlog *log;
	bool off;               /* perf unusable: nothing more is attempted */
	bool sampling_off;
	bool have_root;
	bool fmt_lost;          /* PERF_FORMAT_LOST accepted */
	bool clock_mono;        /* sample times are CLOCK_MONOTONIC */
	char *unavailable;      /* reason, for the end record */
	int epfd;
	int *cfd;               /* counting fds: minor, major pairs */
	size_t ncfd, capcfd;
	int *sfd;               /* every sampling fd (for the final read) */
	size_t nsfd, capsfd;
	struct pf_ring *rings;  /* one per CPU, index = cpu */
	int nrings;
	uint64_t *major_ids;
	size_t nmajor, capmajor;
	uint64_t region[PF_NREG];
	uint64_t sampled, sampled_major, lost_rec, throttled, bad, logged;
	struct pf_top *top;
	size_t ntop, captop;
	struct pf_proc *procs[128];
	unsigned tick;
	unsigned ring_pages;    /* data pages per ring, a power of two */
	bool ring_fixed;        /* set by the config: no shrinking */
	bool sampling_disabled; /* ... to 0: counting only, on purpose */
	bool warned_throttle, warned_bad;
} pf = {.epfd = -1, .ring_pages = PF_RING_PAGES};

static long perf_open(struct perf_event_attr *a, int pid, int cpu, int group)
{
	return syscall(SYS_perf_event_open, a, pid, cpu, group, PERF_FLAG_FD_CLOEXEC);
}

static void push_fd(int **v, size_t *n, size_t *cap, int fd)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof(**v));
	}
	(*v)[(*n)++] = fd;
}

static int paranoid_level(void)
{
	char b[16] = {0};
	int fd = open("/proc/sys/kernel/perf_event_paranoid", O_RDONLY | O_CLOEXEC), v = -100;

	if (fd >= 0) {
		if (read(fd, b, sizeof(b) - 1) > 0)
			v = atoi(b);
		close(fd);
	}
	return v;
}

static void give_up(int err, const char *what)
{
	int lvl = paranoid_level();
	char extra[96] = "";

	if ((err == EACCES || err == EPERM) && lvl > -100)
		snprintf(extra, sizeof(extra), "; kernel.perf_event_paranoid is %d", lvl);
	free(pf.unavailable);
	pf.unavailable = xasprintf("%s: %s%s", what, strerror(err), extra);
	warnmsg("--faults: page-fault events unavailable (%s); tracing continues without them", pf.unavailable);
	pf.off = true;
}

static void sampling_close(void)
{
	for (int i = 0; i < pf.nrings; i++) {
		if (pf.rings[i].polled)
			epoll_ctl(pf.epfd, EPOLL_CTL_DEL, pf.rings[i].fd, NULL);
		if (pf.rings[i].base)
			munmap(pf.rings[i].base, pf.rings[i].len);
	}
	for (size_t i = 0; i < pf.nsfd; i++)
		close(pf.sfd[i]);
	pf.nsfd = 0;
	free(pf.rings);
	pf.rings = NULL;
	pf.nrings = 0;
}

static void sampling_give_up(int err, const char *what)
{
	if (pf.sampling_off)
		return;
	pf.sampling_off = true;
	sampling_close(); /* half the CPUs sampled would be worse than none */
	warnmsg("--faults: page-fault sampling unavailable (%s: %s); counting only, no addresses or regions", what,
		strerror(err));
}

static void base_attr(struct perf_event_attr *a, uint64_t config, bool pre_exec)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_SOFTWARE;
	a->config = config;
	a->inherit = 1;
	/* works with perf_event_paranoid=2 as non-root; user-mode faults barely differ (doc/ENGINE.md, 'Unprivileged page-fault events') */
	a->exclude_kernel = 1;
	a->exclude_hv = 1;
	/* A launched command still running compendium's code counts from its exec on. */
	a->disabled = pre_exec;
	a->enable_on_exec = pre_exec;
}

/* Open the exact minor/major counters on task tid (inherited by what it creates later). */
static int open_counters(int tid, bool pre_exec)
{
	static const uint64_t cfg[2] = {PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ};
	struct perf_event_attr a;
	int fds[2];

	for (int i = 0; i < 2; i++) {
		base_attr(&a, cfg[i], pre_exec);
		fds[i] = (int)perf_open(&a, tid, -1, -1);
		if (fds[i] < 0) {
			int err = errno;
			if (i)
				close(fds[0]);
			return -err;
		}
	}
	push_fd(&pf.cfd, &pf.ncfd, &pf.capcfd, fds[0]);
	push_fd(&pf.cfd, &pf.ncfd, &pf.capcfd, fds[1]);
	return 0;
}

static int ring_map(struct pf_ring *rg, int fd, int cpu)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len;
	void *base;

	len = (size_t)page * (pf.ring_pages + 1);
	base = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED)
		return -errno;
	rg->cpu = cpu;
	rg->fd = fd;
	rg->base = base;
	rg->len = len;
	if (pf.epfd >= 0) {
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)cpu};
		if (epoll_ctl(pf.epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
			rg->polled = true;
	}
	return 0;
}

/*
 * Sampling events of task tid on every CPU (an inherited per-task event
 * cannot be mmapped: doc/ENGINE.md, 'Inherited events and mmap'). The first event on a CPU owns that
 * CPU's ring; later ones write into it through PERF_EVENT_IOC_SET_OUTPUT.
 */
static void open_sampling(int tid, bool pre_exec)
{
	static const uint64_t cfg[2] = {PERF_COUNT_SW_PAGE_FAULTS_MIN, PERF_COUNT_SW_PAGE_FAULTS_MAJ};
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	long page = sysconf(_SC_PAGESIZE);
	int opened = 0;

	if (pf.sampling_off)
		return;
	if (ncpu < 1)
		ncpu = 1;
	if (!pf.rings) {
		pf.nrings = (int)ncpu;
		pf.rings = xcalloc((size_t)ncpu, sizeof(*pf.rings));
		for (int i = 0; i < ncpu; i++)
			pf.rings[i].fd = -1;
	}
	for (int cpu = 0; cpu < pf.nrings; cpu++) {
		for (int k = 0; k < 2; k++) {
			struct perf_event_attr a;
			struct pf_ring *rg = &pf.rings[cpu];
			uint64_t id = 0;
			int fd, rc;

			base_attr(&a, cfg[k], pre_exec);
			a.sample_period = 1;
			a.sample_type = PERF_SAMPLE_TID | PERF_SAMPLE_TIME | PERF_SAMPLE_ADDR | PERF_SAMPLE_ID;
			a.read_format = PERF_FORMAT_LOST;
			a.watermark = 1;
			a.wakeup_watermark = (uint32_t)(page * pf.ring_pages / 4);
			a.use_clockid = 1;
			a.clockid = CLOCK_MONOTONIC;
			fd = (int)perf_open(&a, tid, cpu, -1);
			if (fd < 0 && errno == EINVAL) { /* before Linux 6.0: no PERF_FORMAT_LOST */
				a.read_format = 0;
				fd = (int)perf_open(&a, tid, cpu, -1);
			}
			if (fd < 0 && errno == EINVAL) {
				a.use_clockid = 0;
				fd = (int)perf_open(&a, tid, cpu, -1);
			}
			if (fd < 0) {
				if (errno == ENODEV || (errno == EINVAL && opened))
					continue; /* offline CPU */
				sampling_give_up(errno, "perf_event_open");
				return;
			}
			pf.fmt_lost = a.read_format != 0;
			pf.clock_mono = a.use_clockid;
			if (ioctl(fd, PERF_EVENT_IOC_ID, &id) == 0 && k == 1) {
				if (pf.nmajor == pf.capmajor) {
					pf.capmajor = pf.capmajor ? pf.capmajor * 2 : 16;
					pf.major_ids = xreallocarray(pf.major_ids, pf.capmajor, sizeof(*pf.major_ids));
				}
				pf.major_ids[pf.nmajor++] = id;
			}
			if (rg->fd < 0) {
				rc = ring_map(rg, fd, cpu);
				/*
				 * EPERM: over perf_event_mlock_kb per CPU plus RLIMIT_MEMLOCK (doc/ENGINE.md, 'Locked-memory and fd limits').
				 * A smaller ring may fit; its event is reopened so the wakeup
				 * watermark stays a quarter of the ring.
				 */
				if (rc == -EPERM && !pf.ring_fixed && pf.ring_pages > PF_RING_MIN) {
					close(fd);
					pf.ring_pages /= 2;
					k--;
					continue;
				}
			} else
				rc = ioctl(fd, PERF_EVENT_IOC_SET_OUTPUT, rg->fd) < 0 ? -errno : 0;
			if (rc < 0) {
				close(fd);
				/* EPERM here is the locked-memory limit (perf_event_mlock_kb, RLIMIT_MEMLOCK) */
				sampling_give_up(-rc, rg->fd < 0 ? "mmap of the sample ring" : "PERF_EVENT_IOC_SET_OUTPUT");
				return;
			}
			push_fd(&pf.sfd, &pf.nsfd, &pf.capsfd, fd);
			opened++;
		}
	}
}

/* ---- draining ---- */

static struct pf_proc *pp_get(struct proc *p, bool create);

static bool is_major(uint64_t id)
{
	for (size_t i = 0; i < pf.nmajor; i++)
		if (pf.major_ids[i] == id)
			return true;
	return false;
}

static void top_add(unsigned region, uint32_t path_id)
{
	uint64_t key = ((uint64_t)(region + 1) << 32) | path_id;
	size_t i, mask;

	if (pf.ntop * 2 >= pf.captop) {
		struct pf_top *old = pf.top;
		size_t oldn = pf.captop;
		pf.captop = pf.captop ? pf.captop * 2 : 64;
		pf.top = xcalloc(pf.captop, sizeof(*pf.top));
		for (size_t k = 0; k < oldn; k++)
			if (old[k].key) {
				size_t j = (size_t)(old[k].key * 0x9e3779b97f4a7c15ull >> 24) & (pf.captop - 1);
				while (pf.top[j].key)
					j = (j + 1) & (pf.captop - 1);
				pf.top[j] = old[k];
			}
		free(old);
	}
	mask = pf.captop - 1;
	i = (size_t)(key * 0x9e3779b97f4a7c15ull >> 24) & mask;
	while (pf.top[i].key && pf.top[i].key != key)
		i = (i + 1) & mask;
	if (!pf.top[i].key) {
		pf.top[i].key = key;
		pf.ntop++;
	}
	pf.top[i].count++;
}

static void warn_event(const char *msg)
{
	struct ev_draft d;

	ev_init(&d, EVT_WARNING, evlog_now(pf.log), 0, 0);
	ev_cstr(&d, pf.log, EVK_MSG, msg);
	evlog_append(pf.log, &d);
}

static void on_record(void *ctx, const struct pfault_rec *rec)
{
	(void)ctx;
	switch (rec->type) {
	case PERF_RECORD_SAMPLE: {
		struct taskset *ts = tracer_tasks();
		struct proc *p = ts ? proc_find(ts, (int)rec->pid) : NULL;
		enum mem_region reg = MEM_OTHER;
		const char *path = NULL;
		bool major = is_major(rec->id);
		uint32_t path_id = 0;
		uint64_t start = evlog_start_mono(pf.log);
		uint64_t t;

		if (p) {
			struct pf_proc *q = pp_get(p, true);
			reg = memmap_region_of(decode_memmap(p), rec->addr, &path);
			q->s_faults++;
			q->s_major += major;
		}
		if (reg >= PF_NREG)
			reg = MEM_OTHER;
		pf.sampled++;
		pf.sampled_major += major;
		pf.region[reg]++;
		if (reg == MEM_FILE && path)
			path_id = evlog_intern_cstr(pf.log, path);
		top_add(reg, path_id);
		if (pf.logged >= PF_MAX_LOGGED)
			break;
		t = pf.clock_mono && rec->time > start ? rec->time - start : evlog_now(pf.log);
		struct ev_draft d;
		ev_init(&d, EVT_FAULT, t, (int)rec->pid, (int)rec->tid);
		d.h.flags |= EVFL_NOISE;
		ev_hex(&d, EVK_ADDR, rec->addr);
		ev_cstr(&d, pf.log, EVK_REGION, memmap_region_name(reg));
		if (path_id)
			ev_strid(&d, EVK_PATH, path_id);
		if (major)
			ev_bool(&d, EVK_MAJOR, true);
		evlog_append(pf.log, &d);
		pf.logged++;
		break;
	}
	case PERF_RECORD_LOST:
		pf.lost_rec += rec->lost;
		break;
	case PERF_RECORD_THROTTLE:
		pf.throttled++;
		if (!pf.warned_throttle) {
			pf.warned_throttle = true;
			warn_event("--faults: the kernel throttled page-fault sampling "
				   "(kernel.perf_event_max_sample_rate); some faults have no sample");
		}
		break;
	default:
		break;
	}
}

static void drain_ring(struct pf_ring *rg)
{
	struct perf_event_mmap_page *mp = rg->base;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t head, tail, new_tail, bad = 0;
	uint64_t off, size;

	if (!rg->base)
		return;
	off = mp->data_offset ? mp->data_offset : (uint64_t)page;
	size = mp->data_size ? mp->data_size : (uint64_t)page * pf.ring_pages;
	if (off + size > rg->len)
		return;
	head = __atomic_load_n(&mp->data_head, __ATOMIC_ACQUIRE);
	tail = mp->data_tail;
	if (head == tail)
		return;
	pfault_ring_parse((uint8_t *)rg->base + off, size, tail, head, on_record, NULL, &new_tail, &bad);
	__atomic_store_n(&mp->data_tail, new_tail, __ATOMIC_RELEASE);
	pf.bad += bad;
	if (bad && !pf.warned_bad) {
		pf.warned_bad = true;
		warn_event("--faults: a malformed perf record; the rest of that ring was dropped");
	}
}

static void drain_all(void)
{
	for (int i = 0; i < pf.nrings; i++)
		drain_ring(&pf.rings[i]);
}

static void on_fd_ready(void *ctx)
{
	struct epoll_event evs[64];
	int n;

	(void)ctx;
	/* consume the readiness; HUP (every task of the event gone) would stay set */
	n = epoll_wait(pf.epfd, evs, (int)ARRAY_SIZE(evs), 0);
	for (int i = 0; i < n; i++) {
		uint32_t cpu = evs[i].data.u32;
		if ((evs[i].events & (EPOLLHUP | EPOLLERR)) && cpu < (uint32_t)pf.nrings && pf.rings[cpu].polled) {
			epoll_ctl(pf.epfd, EPOLL_CTL_DEL, pf.rings[cpu].fd, NULL);
			pf.rings[cpu].polled = false;
		}
	}
	drain_all();
}

/* ---- per-process counters ---- */

static struct pf_proc *pp_get(struct proc *p, bool create)
{
	struct pf_proc **pp = &pf.procs[(unsigned)p->pid % ARRAY_SIZE(pf.procs)], *q;

	for (; (q = *pp); pp = &q->next) {
		if (q->pid != p->pid)
			continue;
		if (q->t_start == p->t_start)
			return q;
		*pp = q->next; /* a reused pid */
		free(q);
		break;
	}
	if (!create)
		return NULL;
	q = xcalloc(1, sizeof(*q));
	q->pid = p->pid;
	q->t_start = p->t_start;
	q->next = pf.procs[(unsigned)p->pid % ARRAY_SIZE(pf.procs)];
	pf.procs[(unsigned)p->pid % ARRAY_SIZE(pf.procs)] = q;
	return q;
}

static void pp_del(struct pf_proc *q)
{
	struct pf_proc **pp = &pf.procs[(unsigned)q->pid % ARRAY_SIZE(pf.procs)];

	for (; *pp; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			free(q);
			return;
		}
}

/* minflt+majflt (all threads) from /proc/PID/stat, resident bytes from statm. */
static bool proc_sample(int pid, uint64_t *faults, uint64_t *major, uint64_t *rss)
{
	struct procfs_stat st;
	char b[256];
	unsigned long long size, res;

	if (procfs_stat(pid, &st) < 0)
		return false;
	*faults = st.minflt + st.majflt;
	*major = st.majflt;
	*rss = 0;
	if (procfs_read(pid, "statm", b, sizeof(b)) > 0 && sscanf(b, "%llu %llu", &size, &res) == 2)
		*rss = res * (uint64_t)sysconf(_SC_PAGESIZE);
	return true;
}

static void emit_counter(struct pf_proc *q)
{
	struct ev_draft d;

	ev_init(&d, EVT_COUNTER, evlog_now(pf.log), q->pid, q->pid);
	ev_cstr(&d, pf.log, EVK_KIND, "faults");
	ev_uint(&d, EVK_FAULTS, q->faults);
	ev_uint(&d, EVK_MAJOR, q->major);
	if (q->have_rss)
		ev_uint(&d, EVK_RSS, q->rss);
	evlog_append(pf.log, &d);
	q->emitted = true;
}

/*
 * The per-process counter: faults are this process's sampled faults (the
 * same source as the fault events and the end record's regions), or
 * /proc/PID/stat's minflt+majflt when there is no sampling; rss from statm.
 * The tracer reports an exit after the reap, when /proc/PID is gone or a
 * zombie whose statm reads 0: the resident size read at the exit stop
 * (on_proc_exiting, while the memory exists) stands then. Without that
 * read, a process that lived less than a tick kept the size read at its
 * exec, a few pages (16 KB for a process whose peak was 2.1 MB).
 */
static void refresh_proc(struct proc *p, bool at_exit)
{
	struct pf_proc *q = pp_get(p, true);
	uint64_t f = q->faults, m = q->major, rss = 0;
	uint64_t pf_f, pf_m;
	bool ok = proc_sample(p->pid, &pf_f, &pf_m, &rss), changed = !q->emitted;

	if (pf.nrings && !pf.sampling_off) {
		f = q->s_faults;
		m = q->s_major;
	} else if (ok) {
		f = pf_f;
		m = pf_m;
	}
	if (ok && !(at_exit && rss == 0 && q->have_rss)) {
		changed |= !q->have_rss || rss != q->rss;
		q->rss = rss;
		q->have_rss = true;
	}
	changed |= f != q->faults || m != q->major;
	q->faults = f;
	q->major = m;
	if (changed)
		emit_counter(q);
}

static void tick_task(struct task *t, void *ctx)
{
	(void)ctx;
	if (!t->proc)
		return;
	struct pf_proc *q = pp_get(t->proc, true);
	if (q->seen_tick == pf.tick)
		return;
	q->seen_tick = pf.tick;
	refresh_proc(t->proc, false);
}

static void on_tick(void *ctx)
{
	struct taskset *ts = tracer_tasks();

	(void)ctx;
	drain_all();
	if (!ts)
		return;
	pf.tick++;
	if (pf.tick == 0)
		pf.tick = 1;
	taskset_each(ts, tick_task, NULL);
}

/* ---- lifecycle hooks ---- */

static bool before_exec(int pid)
{
	char a[4096], b[4096];
	ssize_t n, m;

	n = procfs_link(pid, "exe", a, sizeof(a));
	m = procfs_link(getpid(), "exe", b, sizeof(b));
	return n > 0 && n == m && memcmp(a, b, (size_t)n) == 0;
}

static void open_for(int tid, bool pre_exec)
{
	int rc;

	if (pf.off)
		return;
	rc = open_counters(tid, pre_exec);
	if (rc == -ESRCH)
		return; /* the thread is gone already: data, not a failure */
	if (rc < 0) {
		give_up(-rc, "perf_event_open");
		return;
	}
	open_sampling(tid, pre_exec);
}

/* Every thread of an attached process (inherit covers only tasks created later: doc/ENGINE.md, 'Inherit covers only later children'). */
static void open_attached(int pid)
{
	int *done = NULL;
	size_t ndone = 0, cap = 0;
	bool grew = true;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	for (int round = 0; grew && round < 8 && !pf.off; round++) {
		DIR *d = opendir(path);
		struct dirent *de;

		grew = false;
		if (!d)
			break;
		while ((de = readdir(d)) && !pf.off) {
			int tid = atoi(de->d_name);
			bool seen = false;
			if (tid <= 0)
				continue;
			for (size_t i = 0; i < ndone; i++)
				seen |= done[i] == tid;
			if (seen)
				continue;
			push_fd(&done, &ndone, &cap, tid);
			open_for(tid, false);
			grew = true;
		}
		closedir(d);
	}
	free(done);
}

/*
 * The memory map reads /proc/PID/maps lazily, on first use; samples are
 * drained later, maybe after the process is gone. Make it read the image
 * while the process is alive.
 */
static void load_map(struct proc *p)
{
	if (!pf.sampling_off)
		memmap_region_of(decode_memmap(p), 0, NULL);
}

static void on_proc_start(void *ctx, struct proc *p)
{
	(void)ctx;
	if (pf.off)
		return;
	if (p->attached) {
		open_attached(p->pid);
	} else if (!pf.have_root) {
		bool pre_exec = before_exec(p->pid);
		pf.have_root = true;
		open_for(p->pid, pre_exec);
		if (pre_exec)
			return; /* its memory is still compendium's image */
	}
	/* anything else was created by a traced task and inherits the events */
	load_map(p);
	refresh_proc(p, false); /* the start of its memory track */
}

static void on_proc_exit(void *ctx, struct proc *p)
{
	struct pf_proc *q;

	(void)ctx;
	/* attribute its samples while its memory map is still known */
	drain_all();
	refresh_proc(p, true);
	q = pp_get(p, false);
	if (q)
		pp_del(q);
}

/* At the exit stop: the last reading of statm while the memory exists. */
static void on_proc_exiting(void *ctx, struct proc *p)
{
	(void)ctx;
	if (pp_get(p, false))
		refresh_proc(p, true);
}

static void on_proc_exec(void *ctx, struct proc *p)
{
	(void)ctx;
	drain_all();
	load_map(p);
	refresh_proc(p, false);
}

static uint64_t read_u64(int fd, uint64_t *lost)
{
	uint64_t v[2] = {0, 0};
	ssize_t n = read(fd, v, sizeof(v));

	if (lost)
		*lost = n == (ssize_t)sizeof(v) ? v[1] : 0;
	return n >= 8 ? v[0] : 0;
}

static int cmp_top(const void *a, const void *b)
{
	const struct pf_top *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* memmap's regions in run_faults' terms (they share their names) */
static enum run_fault_region fault_region(enum mem_region r)
{
	int k = run_fault_region_lookup(memmap_region_name(r));
	return k < 0 ? RUN_FR_OTHER : (enum run_fault_region)k;
}

static void on_finish(void *ctx)
{
	struct run_faults *f = &pf.r->faults;
	uint64_t lost_fmt = 0;

	(void)ctx;
	f->present = true;
	if (pf.off && !pf.ncfd) {
		free(f->unavailable);
		f->unavailable = xstrdup(pf.unavailable ? pf.unavailable : "perf_event_open failed");
		return;
	}
	drain_all();
	for (size_t i = 0; i + 1 < pf.ncfd; i += 2) {
		f->minor += read_u64(pf.cfd[i], NULL);
		f->major += read_u64(pf.cfd[i + 1], NULL);
	}
	for (size_t i = 0; i < pf.nsfd; i++) {
		uint64_t l = 0;
		read_u64(pf.sfd[i], pf.fmt_lost ? &l : NULL);
		lost_fmt += l;
	}
	for (unsigned r = 0; r < PF_NREG; r++)
		f->region[fault_region((enum mem_region)r)] += pf.region[r];
	f->sampled = pf.sampled;
	/* LOST records and PERF_FORMAT_LOST describe the same losses: never add them */
	f->lost = lost_fmt > pf.lost_rec ? lost_fmt : pf.lost_rec;
	f->throttled = pf.throttled;
	if (pf.sampling_off)
		f->sampling = pf.sampling_disabled ? "off" : "unavailable";
	if (pf.logged < pf.sampled) {
		f->have_logged = true;
		f->logged = pf.logged;
	}
	if (pf.ntop) {
		struct pf_top *v = xmalloc(pf.ntop * sizeof(*v));
		size_t n = 0;
		for (size_t i = 0; i < pf.captop; i++)
			if (pf.top[i].key)
				v[n++] = pf.top[i];
		qsort(v, n, sizeof(*v), cmp_top);
		f->ntop = n < PF_TOP ? n : PF_TOP;
		f->top = xcalloc(f->ntop, sizeof(*f->top));
		for (size_t i = 0; i < f->ntop; i++) {
			struct run_fault_top *t = &f->top[i];
			uint32_t path_id = (uint32_t)v[i].key;
			t->region = fault_region((enum mem_region)((v[i].key >> 32) - 1));
			if (path_id) {
				const char *path = evlog_str(pf.log, path_id, &t->path_len);
				t->path = xmalloc(t->path_len + 1);
				memcpy(t->path, path, t->path_len);
				t->path[t->path_len] = 0;
			}
			t->count = v[i].count;
		}
		free(v);
	}

	sampling_close();
	for (size_t i = 0; i < pf.ncfd; i++)
		close(pf.cfd[i]);
	pf.ncfd = 0;
}

void pfault_init(struct run *r, const struct pfault_cfg *cfg)
{
	struct tracer_hooks h = {0};

	pf.r = r;
	pf.log = r->log;
	if (cfg->ring_pages >= 0) {
		pf.ring_pages = (unsigned)cfg->ring_pages;
		pf.ring_fixed = true;
		pf.sampling_off = cfg->ring_pages == 0;
		pf.sampling_disabled = cfg->ring_pages == 0;
	}
	pf.epfd = epoll_create1(EPOLL_CLOEXEC);
	h.proc_start = on_proc_start;
	h.proc_exec = on_proc_exec;
	h.proc_exit = on_proc_exit;
	h.proc_exiting = on_proc_exiting;
	h.tick = on_tick;
	h.tick_ms = PF_TICK_MS;
	h.fd = pf.epfd;
	h.fd_ready = pf.epfd >= 0 ? on_fd_ready : NULL;
	h.finish = on_finish;
	tracer_add_hooks(&h);
}
