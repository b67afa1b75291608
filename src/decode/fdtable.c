// SPDX-License-Identifier: MIT
/* fdtable: per-process fd tables (refcounted, shared objects, lazy /proc resolution). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decode/fdtable.h"
#include "lib/procfs.h"
#include "decode/sockaddr.h"
#include "lib/util.h"

enum { SLOT_UNSEEN, SLOT_CLOSED, SLOT_OPEN };

/*
 * The table is sparse: an open-addressed hash (linear probing) of the fds
 * compendium knows something about, so a process with one descriptor at fd
 * 19999 costs one entry, not 20,000. An fd without an entry is closed when
 * it lies in one of the closed ranges (close_range) and never-seen
 * otherwise. The entries live in a map shared copy-on-write by the tables
 * copied from one another (fork, exec, unshare): a fork costs a reference,
 * and the first change made through either table copies the entries
 * (typically a handful). Measured on 200 forked children of a process
 * holding fd 19999 (tests/e2e/decode-fdmem.sh): the dense table of before
 * took the tracer to 158 MB, this one stays within a few MB of strace.
 */
struct fd_ent {
	int fd;         /* -1: free bucket */
	uint8_t state;
	bool cloexec;
	struct fd_obj *o;
	uint64_t stamp; /* the stop at which the entry was installed or last checked */
};

/* Closed ranges kept apart from the entries; more are folded into entries or forgotten. */
#define FDT_RANGES 8

struct fdmap {
	unsigned refs;      /* tables using these entries (copy-on-write) */
	unsigned n, cap;    /* entries in use, buckets (a power of two, or 0) */
	struct fd_ent *e;
	unsigned nranges;
	struct { unsigned lo, hi; } closed[FDT_RANGES];
};

struct fdtable {
	unsigned refs; /* processes and threads sharing this table (CLONE_FILES) */
	struct fdmap *m;
};

/* The kernel's default fs.nr_open; larger fds are tracked as "unknown". */
#define FDT_MAX 1048576u

/* The decoder's current stop and, with lazy fd naming, its thread (fdtable_now). */
static uint64_t fdt_stamp;
static int fdt_tid;

struct fd_obj *fd_obj_new(enum fd_kind kind, unsigned access, const char *path)
{
	struct fd_obj *o = xcalloc(1, sizeof(*o));
	o->refs = 1;
	o->kind = kind;
	o->access = (uint8_t)access;
	o->resolved = true;
	o->path = path ? xstrdup(path) : NULL;
	o->names_gen = fd_names_gen;
	return o;
}

uint32_t fd_names_gen;

void fd_names_moved(void)
{
	fd_names_gen++;
}

static void (*release_hook)(struct fd_obj *o);

void fd_obj_set_release_hook(void (*fn)(struct fd_obj *o))
{
	release_hook = fn;
}

struct fd_obj *fd_obj_ref(struct fd_obj *o)
{
	if (o)
		o->refs++;
	return o;
}

void fd_obj_unref(struct fd_obj *o)
{
	if (!o || --o->refs)
		return;
	if (o->conn && release_hook)
		release_hook(o);
	free(o->path);
	free(o->peer);
	free(o->local);
	free(o);
}

void fd_obj_set(char **member, const char *s)
{
	free(*member);
	*member = s ? xstrdup(s) : NULL;
}

const char *fd_kind_name(enum fd_kind kind)
{
	static const char *const names[] = {
		[FD_UNKNOWN] = "unknown", [FD_FILE] = "file", [FD_SOCKET] = "socket",
		[FD_PIPE] = "pipe", [FD_EVENTFD] = "eventfd", [FD_SIGNALFD] = "signalfd",
		[FD_TIMERFD] = "timerfd", [FD_EPOLL] = "epoll", [FD_MEMFD] = "memfd",
		[FD_PIDFD] = "pidfd", [FD_INOTIFY] = "inotify", [FD_ANON] = "anon_inode",
	};
	return (unsigned)kind < ARRAY_SIZE(names) ? names[kind] : "unknown";
}

static struct fdmap *map_new(void)
{
	struct fdmap *m = xcalloc(1, sizeof(*m));
	m->refs = 1;
	return m;
}

static void map_unref(struct fdmap *m)
{
	if (!m || --m->refs)
		return;
	for (unsigned i = 0; i < m->cap; i++)
		if (m->e[i].fd >= 0)
			fd_obj_unref(m->e[i].o);
	free(m->e);
	free(m);
}

static unsigned fd_hash(unsigned fd, unsigned cap)
{
	return (fd * 2654435761u) & (cap - 1);
}

/* The entry of fd, or NULL. */
static struct fd_ent *map_find(const struct fdmap *m, int fd)
{
	if (!m->cap)
		return NULL;
	for (unsigned i = fd_hash((unsigned)fd, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->e[i].fd == fd)
			return &m->e[i];
		if (m->e[i].fd < 0)
			return NULL;
	}
}

static void map_rehash(struct fdmap *m, unsigned ncap)
{
	struct fd_ent *old = m->e;
	unsigned ocap = m->cap;
	m->e = xreallocarray(NULL, ncap, sizeof(*m->e));
	for (unsigned i = 0; i < ncap; i++)
		m->e[i].fd = -1;
	m->cap = ncap;
	for (unsigned i = 0; i < ocap; i++) {
		if (old[i].fd < 0)
			continue;
		unsigned j = fd_hash((unsigned)old[i].fd, ncap);
		while (m->e[j].fd >= 0)
			j = (j + 1) & (ncap - 1);
		m->e[j] = old[i];
	}
	free(old);
}

/* The entry of fd, created (never-seen, no object) if absent. */
static struct fd_ent *map_add(struct fdmap *m, int fd)
{
	struct fd_ent *e = map_find(m, fd);
	if (e)
		return e;
	if ((m->n + 1) * 2 > m->cap)
		map_rehash(m, m->cap ? m->cap * 2 : 8);
	unsigned i = fd_hash((unsigned)fd, m->cap);
	while (m->e[i].fd >= 0)
		i = (i + 1) & (m->cap - 1);
	m->n++;
	m->e[i] = (struct fd_ent){ .fd = fd, .state = SLOT_UNSEEN };
	return &m->e[i];
}

/* Remove the entry at e (its object already released), keeping the probe chains whole. */
static void map_del(struct fdmap *m, struct fd_ent *e)
{
	unsigned i = (unsigned)(e - m->e), mask = m->cap - 1;
	m->e[i].fd = -1;
	m->n--;
	for (unsigned j = (i + 1) & mask; m->e[j].fd >= 0; j = (j + 1) & mask) {
		unsigned h = fd_hash((unsigned)m->e[j].fd, m->cap);
		/* move j back into the hole at i when its home h is not in (i, j] */
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			m->e[i] = m->e[j];
			m->e[j].fd = -1;
			i = j;
		}
	}
}

static bool in_closed_range(const struct fdmap *m, unsigned fd)
{
	for (unsigned i = 0; i < m->nranges; i++)
		if (fd >= m->closed[i].lo && fd <= m->closed[i].hi)
			return true;
	return false;
}

/* What an fd without an entry is. */
static uint8_t absent_state(const struct fdmap *m, int fd)
{
	return in_closed_range(m, (unsigned)fd) ? SLOT_CLOSED : SLOT_UNSEEN;
}

/* The entries of ft, made its own before a change (copy-on-write). */
static struct fdmap *map_w(struct fdtable *ft)
{
	struct fdmap *m = ft->m;
	if (m->refs == 1)
		return m;
	struct fdmap *c = map_new();
	c->nranges = m->nranges;
	memcpy(c->closed, m->closed, sizeof(c->closed));
	if (m->cap) {
		c->cap = m->cap;
		c->n = m->n;
		c->e = xreallocarray(NULL, m->cap, sizeof(*c->e));
		memcpy(c->e, m->e, m->cap * sizeof(*c->e));
		for (unsigned i = 0; i < c->cap; i++)
			if (c->e[i].fd >= 0 && c->e[i].o)
				c->e[i].o->refs++;
	}
	m->refs--;
	ft->m = c;
	return c;
}

struct fdtable *fdtable_new(void)
{
	struct fdtable *ft = xcalloc(1, sizeof(*ft));
	ft->refs = 1;
	ft->m = map_new();
	return ft;
}

struct fdtable *fdtable_ref(struct fdtable *ft)
{
	ft->refs++;
	return ft;
}

void fdtable_unref(struct fdtable *ft)
{
	if (!ft || --ft->refs)
		return;
	map_unref(ft->m);
	free(ft);
}

struct fdtable *fdtable_copy(const struct fdtable *ft)
{
	struct fdtable *c = xcalloc(1, sizeof(*c));
	c->refs = 1;
	c->m = ft->m;
	c->m->refs++;
	return c;
}

bool fdtable_shared(const struct fdtable *ft)
{
	return ft->refs > 1;
}

/*
 * Set what fd is. An entry that would say what its absence says (never
 * seen, or closed inside a closed range) is removed.
 */
static void slot_set(struct fdtable *ft, int fd, uint8_t state, struct fd_obj *o, bool cloexec)
{
	if (fd < 0 || (unsigned)fd >= FDT_MAX) {
		fd_obj_unref(o);
		return;
	}
	struct fdmap *m = ft->m;
	struct fd_ent *e = map_find(m, fd);
	if (!o && state == absent_state(m, fd)) {
		if (!e)
			return;
		m = map_w(ft);
		e = map_find(m, fd);
		struct fd_obj *old = e->o;
		map_del(m, e);
		fd_obj_unref(old);
		return;
	}
	m = map_w(ft);
	e = map_add(m, fd);
	struct fd_obj *old = e->o;
	e->o = o;
	e->state = state;
	e->cloexec = cloexec;
	e->stamp = fdt_stamp;
	fd_obj_unref(old);
}

/* Kind and description from a /proc/PID/fd/N link target. */
static struct fd_obj *obj_from_link(const char *l)
{
	static const struct { const char *prefix; enum fd_kind kind; } anon[] = {
		{ "pipe:", FD_PIPE }, { "socket:", FD_SOCKET },
		{ "anon_inode:[eventfd]", FD_EVENTFD }, { "anon_inode:[signalfd]", FD_SIGNALFD },
		{ "anon_inode:[timerfd]", FD_TIMERFD }, { "anon_inode:[eventpoll]", FD_EPOLL },
		{ "anon_inode:[pidfd]", FD_PIDFD }, { "anon_inode:inotify", FD_INOTIFY },
		{ "anon_inode:", FD_ANON },
	};
	if (l[0] == '/') {
		/* memfds read back as "/memfd:NAME (deleted)" */
		if (!strncmp(l, "/memfd:", 7)) {
			struct fd_obj *o = fd_obj_new(FD_MEMFD, 0, l + 1);
			size_t n = strlen(o->path);
			if (n > 10 && !strcmp(o->path + n - 10, " (deleted)"))
				o->path[n - 10] = 0;
			return o;
		}
		return fd_obj_new(FD_FILE, 0, l);
	}
	for (unsigned i = 0; i < ARRAY_SIZE(anon); i++)
		if (!strncmp(l, anon[i].prefix, strlen(anon[i].prefix)))
			return fd_obj_new(anon[i].kind, 0, l);
	return fd_obj_new(FD_UNKNOWN, 0, l);
}

/* Family, type and addresses of a socket of another process, via pidfd_getfd. */
static int resolve_socket(struct fd_obj *o, int pid, int fd)
{
	int connected = 0;
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0 && errno == EINVAL) /* pid is a thread's id: PIDFD_THREAD (Linux 6.9) */
		pfd = (int)syscall(SYS_pidfd_open, pid, O_EXCL);
	if (pfd < 0)
		return -1;
	int s = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	if (s < 0)
		return -1;
	int v;
	socklen_t vl = sizeof(v);
	if (!getsockopt(s, SOL_SOCKET, SO_DOMAIN, &v, &vl))
		o->family = v;
	vl = sizeof(v);
	if (!getsockopt(s, SOL_SOCKET, SO_TYPE, &v, &vl))
		o->socktype = v;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct sockaddr_info a;
	char text[SOCKADDR_STRLEN];
	if (!getpeername(s, (struct sockaddr *)&ss, &sl) && !sockaddr_parse(&ss, sl, &a)) {
		sockaddr_str(&a, text, sizeof(text));
		fd_obj_set(&o->peer, text[0] ? text : NULL);
		o->peer_loopback = a.loopback;
		o->peer_noise = sockaddr_helper(&a);
		connected = 1;
	}
	sl = sizeof(ss);
	if (!getsockname(s, (struct sockaddr *)&ss, &sl) && !sockaddr_parse(&ss, sl, &a)) {
		sockaddr_str(&a, text, sizeof(text));
		fd_obj_set(&o->local, text[0] ? text : NULL);
	}
	close(s);
	return connected;
}

int fd_obj_sock_query(struct fd_obj *o, int pid, int fd)
{
	return pid > 0 && fd >= 0 ? resolve_socket(o, pid, fd) : -1;
}

/*
 * Resolve never-seen fd from /proc. Returns the object and its flag, NULL
 * when the fd does not exist (*gone set) or /proc could not tell (ESRCH...).
 */
static struct fd_obj *resolve(int fd, int pid, bool *cloexec, bool *gone)
{
	char link[PATH_MAX + 1];
	*gone = false;
	*cloexec = false;
	ssize_t n = procfs_fd_link(pid, fd, link, sizeof(link));
	if (n < 0) {
		*gone = n == -ENOENT;
		return NULL;
	}
	struct fd_obj *o = obj_from_link(link);
	long fl = procfs_fd_flags(pid, fd);
	if (fl >= 0) {
		if ((fl & O_PATH) == 0)
			o->access = (fl & O_ACCMODE) == O_RDONLY ? FD_R :
				    (fl & O_ACCMODE) == O_WRONLY ? FD_W : FD_R | FD_W;
		*cloexec = (fl & O_CLOEXEC) != 0;
	}
	if (o->kind == FD_SOCKET)
		resolve_socket(o, pid, fd);
	return o;
}

struct fd_obj *fdtable_get(struct fdtable *ft, int fd, int pid)
{
	if (fd < 0 || (unsigned)fd >= FDT_MAX)
		return NULL;
	const struct fd_ent *e = map_find(ft->m, fd);
	uint8_t state = e ? e->state : absent_state(ft->m, fd);
	if (state != SLOT_UNSEEN)
		return state == SLOT_OPEN ? e->o : NULL;
	if (pid <= 0)
		return NULL;
	bool cloexec, gone;
	struct fd_obj *o = resolve(fd, pid, &cloexec, &gone);
	/* only fds that exist take an entry: a hostile read(999999) costs no memory */
	if (o)
		fdtable_install(ft, fd, o, cloexec);
	return o;
}

void fdtable_now(uint64_t stamp, int tid)
{
	fdt_stamp = stamp;
	fdt_tid = tid;
}

/* Device and inode of path (no automount, cached attributes: never waits for a file system). */
static bool file_id(const char *path, struct statx *st)
{
	return !statx(AT_FDCWD, path, AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT, STATX_INO | STATX_NLINK, st);
}

/*
 * Whether o still describes the open file that /proc/TID/fd/N (procfd)
 * shows as link target l. A file's path as the program gave it may differ
 * from the kernel's name ("..", symlinks): it still names that file when
 * it leads to the same inode now (asked every time: a symlink on the way
 * may have changed).
 */
static bool link_matches(struct fd_obj *o, const char *procfd, const char *l)
{
	if (!o->path)
		return false;
	size_t n = strlen(o->path);
	if (o->kind == FD_MEMFD) /* "memfd:x" reads back as "/memfd:x (deleted)" */
		return l[0] == '/' && !strncmp(l + 1, o->path, n) &&
		       (!l[n + 1] || !strcmp(l + n + 1, " (deleted)"));
	if (!strcmp(o->path, l))
		return true;
	if (o->kind != FD_FILE || o->path[0] != '/')
		return false;
	struct statx a, b;
	if (!file_id(procfd, &a))
		return false;
	if (!strncmp(l, o->path, n) && !strcmp(l + n, " (deleted)"))
		return a.stx_nlink == 0; /* unlinked since it was opened as o->path */
	return file_id(o->path, &b) && a.stx_ino == b.stx_ino && a.stx_dev_major == b.stx_dev_major &&
	       a.stx_dev_minor == b.stx_dev_minor;
}

/* A /proc link target with " (deleted)" cut when procfd's file is indeed gone. */
static void cut_deleted(char *l, const char *procfd)
{
	size_t n = strlen(l);
	struct statx st;
	if (n > 10 && !strcmp(l + n - 10, " (deleted)") && file_id(procfd, &st) && st.stx_nlink == 0)
		l[n - 10] = 0;
}

void fd_obj_refresh(struct fd_obj *o, int tid, int fd)
{
	if (!o || o->kind != FD_FILE || o->names_gen == fd_names_gen || tid <= 0 || fd < 0)
		return;
	o->names_gen = fd_names_gen;
	char name[PROCFS_FD_PATH_MAX], link[PATH_MAX + 1];
	if (procfs_fd_link(tid, fd, link, sizeof(link)) <= 0 || link[0] != '/')
		return;
	cut_deleted(link, procfs_fd_path(name, tid, fd));
	if (!o->path || strcmp(o->path, link))
		fd_obj_set(&o->path, link);
}

struct fd_obj *fdtable_get_checked(struct fdtable *ft, int fd, int tid)
{
	if (fd < 0 || tid <= 0 || (unsigned)fd >= FDT_MAX)
		return NULL;
	const struct fd_ent *e = map_find(ft->m, fd);
	if (e && fdt_stamp && e->stamp == fdt_stamp && e->state != SLOT_UNSEEN)
		return e->state == SLOT_OPEN ? e->o : NULL;
	char name[PROCFS_FD_PATH_MAX], link[PATH_MAX + 1];
	ssize_t n = procfs_fd_link(tid, fd, link, sizeof(link));
	if (n < 0) {
		/* not open (ENOENT), or /proc cannot tell: no name rather than a stale one */
		if (e && n == -ENOENT)
			slot_set(ft, fd, SLOT_CLOSED, NULL, false);
		return NULL;
	}
	if (e && e->state == SLOT_OPEN && link_matches(e->o, procfs_fd_path(name, tid, fd), link)) {
		struct fd_obj *o = e->o;
		map_find(map_w(ft), fd)->stamp = fdt_stamp;
		return o;
	}
	/* closed and reused behind our back (or never seen): what /proc says now */
	struct fd_obj *o = obj_from_link(link);
	if (o->kind == FD_SOCKET)
		resolve_socket(o, tid, fd);
	fdtable_install(ft, fd, o, false);
	return o;
}

bool fdtable_cloexec(const struct fdtable *ft, int fd)
{
	const struct fd_ent *e = fd >= 0 ? map_find(ft->m, fd) : NULL;
	return e && e->state == SLOT_OPEN && e->cloexec;
}

void fdtable_install(struct fdtable *ft, int fd, struct fd_obj *o, bool cloexec)
{
	if (fd < 0 || (unsigned)fd >= FDT_MAX) {
		fd_obj_unref(o);
		return;
	}
	if (fdt_tid > 0 && !o->path && o->kind != FD_FILE) {
		/* a later check compares "pipe:[ino]", "socket:[ino]": learn it while it is this one */
		char link[PATH_MAX + 1];
		if (procfs_fd_link(fdt_tid, fd, link, sizeof(link)) > 0)
			fd_obj_set(&o->path, link);
		o->resolved = true;
	}
	slot_set(ft, fd, SLOT_OPEN, o, cloexec);
}

void fdtable_close(struct fdtable *ft, int fd)
{
	slot_set(ft, fd, SLOT_CLOSED, NULL, false);
}

void fdtable_forget(struct fdtable *ft, int fd)
{
	slot_set(ft, fd, SLOT_UNSEEN, NULL, false);
}

void fdtable_dup(struct fdtable *ft, int oldfd, int newfd, bool cloexec, int pid)
{
	if (oldfd == newfd) {
		fdtable_get(ft, oldfd, pid);
		return;
	}
	struct fd_obj *o = fdtable_get(ft, oldfd, pid);
	if (!o) {
		fdtable_forget(ft, newfd);
		return;
	}
	o->refs++;
	fdtable_install(ft, newfd, o, cloexec);
}

void fdtable_set_cloexec(struct fdtable *ft, int fd, bool cloexec)
{
	const struct fd_ent *e = fd >= 0 ? map_find(ft->m, fd) : NULL;
	if (e && e->state == SLOT_OPEN && e->cloexec != cloexec)
		map_find(map_w(ft), fd)->cloexec = cloexec;
}

/* Close the entries of fds in [first, last] (or only set their close-on-exec flag). */
static void close_entries(struct fdtable *ft, unsigned first, unsigned last, bool cloexec_only)
{
	struct fdmap *m = map_w(ft);
	for (unsigned i = 0; i < m->cap; i++) {
		struct fd_ent *e = &m->e[i];
		int fd = e->fd;
		if (fd < 0 || (unsigned)fd < first || (unsigned)fd > last)
			continue;
		if (cloexec_only) {
			if (e->state == SLOT_OPEN)
				e->cloexec = true;
			continue;
		}
		if (e->state == SLOT_CLOSED && absent_state(m, fd) != SLOT_CLOSED)
			continue;
		slot_set(ft, fd, SLOT_CLOSED, NULL, false);
		if (e->fd >= 0 && e->fd != fd)
			i--; /* removed, and another entry moved into this bucket: look at it */
	}
}

/* Record [lo, hi] as closed; false when no range is free (nothing recorded). */
static bool add_closed_range(struct fdmap *m, unsigned lo, unsigned hi)
{
	for (unsigned i = 0; i < m->nranges; i++) {
		if (lo > m->closed[i].hi + 1ull || hi + 1ull < m->closed[i].lo)
			continue;
		/* overlapping or adjacent: merged (further merges are harmless to skip) */
		if (lo < m->closed[i].lo)
			m->closed[i].lo = lo;
		if (hi > m->closed[i].hi)
			m->closed[i].hi = hi;
		return true;
	}
	if (m->nranges == FDT_RANGES)
		return false;
	m->closed[m->nranges].lo = lo;
	m->closed[m->nranges++].hi = hi;
	return true;
}

void fdtable_close_range(struct fdtable *ft, unsigned first, unsigned last, bool cloexec_only)
{
	if (first > last || first >= FDT_MAX)
		return;
	if (last >= FDT_MAX)
		last = FDT_MAX - 1;
	if (cloexec_only) {
		/* never-seen fds get their flag from fdinfo when resolved */
		close_entries(ft, first, last, true);
		return;
	}
	/*
	 * With the range recorded, its fds' entries are removed (absence says
	 * closed). Past FDT_RANGES ranges, entries say closed one by one and
	 * the absent fds of the range stay never-seen: asked of /proc if they
	 * are ever used, which then says they are closed.
	 */
	add_closed_range(map_w(ft), first, last);
	close_entries(ft, first, last, false);
}

void fdtable_exec(struct fdtable *ft)
{
	struct fdmap *m = map_w(ft);
	for (unsigned i = 0; i < m->cap; i++) {
		struct fd_ent *e = &m->e[i];
		if (e->fd < 0 || e->state != SLOT_OPEN || !e->cloexec)
			continue;
		int fd = e->fd;
		slot_set(ft, fd, SLOT_CLOSED, NULL, false);
		if (e->fd >= 0 && e->fd != fd)
			i--; /* removed, and another entry moved into this bucket: look at it */
	}
}

struct fd_each {
	int fd;
	bool cloexec;
	struct fd_obj *o;
};

static int each_cmp(const void *a, const void *b)
{
	const struct fd_each *x = a, *y = b;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

void fdtable_each(struct fdtable *ft, void (*fn)(void *ctx, int fd, struct fd_obj *o, bool cloexec), void *ctx)
{
	const struct fdmap *m = ft->m;
	if (!m->n)
		return;
	struct fd_each *v = xreallocarray(NULL, m->n, sizeof(*v));
	size_t n = 0;
	for (unsigned i = 0; i < m->cap; i++)
		if (m->e[i].fd >= 0 && m->e[i].state == SLOT_OPEN)
			v[n++] = (struct fd_each){ m->e[i].fd, m->e[i].cloexec, m->e[i].o };
	qsort(v, n, sizeof(*v), each_cmp);
	for (size_t i = 0; i < n; i++)
		fn(ctx, v[i].fd, v[i].o, v[i].cloexec);
	free(v);
}
