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

struct fd_slot {
	struct fd_obj *o;
	uint8_t state;
	bool cloexec;
	uint64_t stamp; /* the stop at which the entry was installed or last checked */
};

struct fdtable {
	unsigned refs;
	struct fd_slot *slots;
	unsigned cap;
	/* fds >= cap are never-seen when below lazy_end, closed otherwise */
	unsigned lazy_end;
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
	return o;
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

struct fdtable *fdtable_new(void)
{
	struct fdtable *ft = xcalloc(1, sizeof(*ft));
	ft->refs = 1;
	ft->lazy_end = UINT_MAX;
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
	for (unsigned i = 0; i < ft->cap; i++)
		fd_obj_unref(ft->slots[i].o);
	free(ft->slots);
	free(ft);
}

struct fdtable *fdtable_copy(const struct fdtable *ft)
{
	struct fdtable *c = fdtable_new();
	c->lazy_end = ft->lazy_end;
	c->cap = ft->cap;
	c->slots = xcalloc(ft->cap ? ft->cap : 1, sizeof(*c->slots));
	for (unsigned i = 0; i < ft->cap; i++) {
		c->slots[i] = ft->slots[i];
		if (c->slots[i].o)
			c->slots[i].o->refs++;
	}
	return c;
}

bool fdtable_shared(const struct fdtable *ft)
{
	return ft->refs > 1;
}

/* Make slot fd addressable; false if fd is out of the tracked range. */
static bool grow(struct fdtable *ft, unsigned fd)
{
	if (fd >= FDT_MAX)
		return false;
	if (fd < ft->cap)
		return true;
	unsigned ncap = ft->cap ? ft->cap : 64;
	while (ncap <= fd)
		ncap *= 2;
	if (ncap > FDT_MAX)
		ncap = FDT_MAX;
	ft->slots = xreallocarray(ft->slots, ncap, sizeof(*ft->slots));
	for (unsigned i = ft->cap; i < ncap; i++)
		ft->slots[i] = (struct fd_slot){ .state = i < ft->lazy_end ? SLOT_UNSEEN : SLOT_CLOSED };
	ft->cap = ncap;
	return true;
}

static void slot_set(struct fd_slot *s, uint8_t state, struct fd_obj *o, bool cloexec)
{
	struct fd_obj *old = s->o;
	s->o = o;
	s->state = state;
	s->cloexec = cloexec;
	s->stamp = fdt_stamp;
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
	if (fd < 0)
		return NULL;
	bool beyond = (unsigned)fd >= ft->cap;
	if (beyond && (unsigned)fd >= ft->lazy_end)
		return NULL;
	if (!beyond && ft->slots[fd].state != SLOT_UNSEEN)
		return ft->slots[fd].state == SLOT_OPEN ? ft->slots[fd].o : NULL;
	if (pid <= 0)
		return NULL;
	bool cloexec, gone;
	struct fd_obj *o = resolve(fd, pid, &cloexec, &gone);
	/* the table grows only for fds that exist: a hostile read(999999) costs no memory */
	if (o) {
		fdtable_install(ft, fd, o, cloexec);
		return (unsigned)fd < ft->cap ? o : NULL;
	}
	if (gone && !beyond)
		slot_set(&ft->slots[fd], SLOT_CLOSED, NULL, false);
	return NULL;
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

struct fd_obj *fdtable_get_checked(struct fdtable *ft, int fd, int tid)
{
	if (fd < 0 || tid <= 0)
		return NULL;
	struct fd_slot *s = (unsigned)fd < ft->cap ? &ft->slots[fd] : NULL;
	if (s && fdt_stamp && s->stamp == fdt_stamp && s->state != SLOT_UNSEEN)
		return s->state == SLOT_OPEN ? s->o : NULL;
	char name[PROCFS_FD_PATH_MAX], link[PATH_MAX + 1];
	ssize_t n = procfs_fd_link(tid, fd, link, sizeof(link));
	if (n < 0) {
		/* not open (ENOENT), or /proc cannot tell: no name rather than a stale one */
		if (s && n == -ENOENT)
			slot_set(s, SLOT_CLOSED, NULL, false);
		return NULL;
	}
	if (s && s->state == SLOT_OPEN && link_matches(s->o, procfs_fd_path(name, tid, fd), link)) {
		s->stamp = fdt_stamp;
		return s->o;
	}
	/* closed and reused behind our back (or never seen): what /proc says now */
	struct fd_obj *o = obj_from_link(link);
	if (o->kind == FD_SOCKET)
		resolve_socket(o, tid, fd);
	fdtable_install(ft, fd, o, false);
	return (unsigned)fd < ft->cap ? o : NULL;
}

bool fdtable_cloexec(const struct fdtable *ft, int fd)
{
	return fd >= 0 && (unsigned)fd < ft->cap && ft->slots[fd].state == SLOT_OPEN &&
	       ft->slots[fd].cloexec;
}

void fdtable_install(struct fdtable *ft, int fd, struct fd_obj *o, bool cloexec)
{
	if (fd < 0 || !grow(ft, (unsigned)fd)) {
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
	slot_set(&ft->slots[fd], SLOT_OPEN, o, cloexec);
}

/* Beyond the array nothing is recorded: such fds are resolved from /proc if asked for. */
void fdtable_close(struct fdtable *ft, int fd)
{
	if (fd >= 0 && (unsigned)fd < ft->cap)
		slot_set(&ft->slots[fd], SLOT_CLOSED, NULL, false);
}

void fdtable_forget(struct fdtable *ft, int fd)
{
	if (fd >= 0 && (unsigned)fd < ft->cap)
		slot_set(&ft->slots[fd], SLOT_UNSEEN, NULL, false);
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
	if (fd >= 0 && (unsigned)fd < ft->cap && ft->slots[fd].state == SLOT_OPEN)
		ft->slots[fd].cloexec = cloexec;
}

void fdtable_close_range(struct fdtable *ft, unsigned first, unsigned last, bool cloexec_only)
{
	if (first > last)
		return;
	if (cloexec_only) {
		/* never-seen fds get their flag from fdinfo when resolved */
		for (unsigned fd = first; fd < ft->cap && fd <= last; fd++)
			fdtable_set_cloexec(ft, (int)fd, true);
		return;
	}
	if (last >= FDT_MAX) {
		unsigned end = first > ft->cap ? first : ft->cap;
		if (end < ft->lazy_end)
			ft->lazy_end = end;
	} else if (!grow(ft, last)) {
		return;
	}
	for (unsigned fd = first; fd < ft->cap && fd <= last; fd++)
		slot_set(&ft->slots[fd], SLOT_CLOSED, NULL, false);
}

void fdtable_exec(struct fdtable *ft)
{
	for (unsigned fd = 0; fd < ft->cap; fd++)
		if (ft->slots[fd].state == SLOT_OPEN && ft->slots[fd].cloexec)
			slot_set(&ft->slots[fd], SLOT_CLOSED, NULL, false);
}

void fdtable_each(struct fdtable *ft, void (*fn)(void *ctx, int fd, struct fd_obj *o, bool cloexec), void *ctx)
{
	for (unsigned fd = 0; fd < ft->cap; fd++)
		if (ft->slots[fd].state == SLOT_OPEN)
			fn(ctx, (int)fd, ft->slots[fd].o, ft->slots[fd].cloexec);
}
