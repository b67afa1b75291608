// SPDX-License-Identifier: MIT
/* decode_file: open/close and the fd-table bookkeeping calls, cwd, file-system changes. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "decode/decode_int.h"
#include "lib/procfs.h"
#include "tracee/tmem.h"
#include "lib/xlat.h"

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0) /* renameat2(2); glibc < 2.28 */
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static void add_mode(struct ev_draft *d, uint64_t mode)
{
	char m[24];
	snprintf(m, sizeof(m), "%04" PRIo64, mode & 07777);
	ev_cstr(d, dec_log, EVK_MODE, m);
}

static unsigned access_of(uint64_t fl)
{
	if (fl & O_PATH)
		return 0;
	switch (fl & O_ACCMODE) {
	case O_RDONLY: return FD_R;
	case O_WRONLY: return FD_W;
	default: return FD_R | FD_W;
	}
}

static const char *access_name(unsigned acc)
{
	static const char *const n[] = { NULL, "r", "w", "rw" };
	return n[acc & 3];
}

void dfile_open(struct dec_call *c)
{
	int dirfd = AT_FDCWD;
	uint64_t path = c->a[0], fl = c->a[1], mode = c->a[2];
	switch (c->nr) {
	case SYS_openat:
		dirfd = (int)c->a[0], path = c->a[1], fl = c->a[2], mode = c->a[3];
		break;
	case SYS_openat2: {
		struct open_how how = { 0 };
		dirfd = (int)c->a[0], path = c->a[1];
		if (tmem_read(c->t->tid, c->a[2], &how, sizeof(how)) != (ssize_t)sizeof(how))
			memset(&how, 0, sizeof(how));
		fl = how.flags, mode = how.mode;
		break;
	}
	case SYS_creat:
		fl = O_CREAT | O_WRONLY | O_TRUNC, mode = c->a[1];
		break;
	}
	fl &= 0xffffffffu;
	static struct buf abs; /* reused: no allocation per call */
	struct ev_draft d;
	dec_ev(&d, c, EVT_OPEN);
	dec_add_path(&d, c, EVK_PATH, dirfd, path, &abs);
	unsigned acc = access_of(fl);
	if (!c->failed)
		ev_int(&d, EVK_FD, c->ret);
	if (access_name(acc))
		ev_cstr(&d, dec_log, EVK_ACCESS, access_name(acc));
	static struct buf fs;
	buf_reset(&fs);
	xlat_open_flags_str(&fs, fl);
	ev_str(&d, dec_log, EVK_FLAGS, fs.data, fs.len);
	if ((fl & O_CREAT) || (fl & O_TMPFILE) == O_TMPFILE)
		add_mode(&d, mode);
	/*
	 * O_TMPFILE: path names the directory; the new file is unnamed, and
	 * the kernel calls it "DIR/#INODE (deleted)" (/proc/PID/fd, strace -y):
	 * the fd takes that name, so that its reads and writes are not the
	 * directory's.
	 */
	const char *name = abs.len && abs.data[0] == '/' ? abs.data : NULL;
	char tmpname[PATH_MAX + 1];
	bool tmpfile = !c->failed && (fl & O_TMPFILE) == O_TMPFILE;
	if (tmpfile) {
		name = NULL;
		if (procfs_fd_link(c->t->tid, (int)c->ret, tmpname, sizeof(tmpname)) > 0 && tmpname[0] == '/') {
			name = tmpname;
			ev_cstr(&d, dec_log, EVK_FD_PATH, name);
		}
	}
	if (c->emit)
		dec_emit(&d, c);
	if (!c->failed) {
		struct fd_obj *o = fd_obj_new(FD_FILE, acc, name);
		if (!o->path)
			o->resolved = false; /* relative to an unknown base: ask /proc once */
		fdtable_install(c->dp->fds, (int)c->ret, o, fl & O_CLOEXEC);
	}
}

/*
 * close: the fd leaves the table at the entry stop, not the exit, and the
 * event names the object held from there (doc/INTERNALS.md, 'Threads and
 * fd reuse'): another thread's open can be given the same number the
 * moment the kernel frees it, and its exit stop may be handled before this
 * close's.
 */
void dfile_close_entry(struct dec_call *c)
{
	int fd = (int)c->a[0];
	struct fd_obj *o = dec_fd(c, fd); /* a never-seen fd is resolved while /proc still shows it */
	if (o && c->emit)
		dec_obj_desc(c, fd, o);
	fd_obj_unref(c->t->sc.held);
	c->t->sc.held = fd_obj_ref(o);
	/* close releases the fd even when it reports EINTR or EIO; EBADF: it was not open */
	fdtable_close(c->dp->fds, fd);
}

void dfile_close(struct dec_call *c)
{
	int fd = (int)c->a[0];
	struct fd_obj *o = c->t->sc.held; /* released by the decoder after this exit */
	if (c->emit) {
		struct ev_draft d;
		dec_ev(&d, c, EVT_CLOSE);
		dec_add_fd_obj(&d, c, EVK_FD, fd, o);
		dec_emit(&d, c);
	}
	if (o && (!c->failed || c->ret != -EBADF))
		dconn_touch(o, c->t_exit); /* a connection's last call */
}

void dfile_close_range(struct dec_call *c)
{
	if (c->failed)
		return;
	unsigned first = (unsigned)c->a[0], last = (unsigned)c->a[1], fl = (unsigned)c->a[2];
	if (fl & CLOSE_RANGE_UNSHARE)
		dec_unshare(c, true, false);
	fdtable_close_range(c->dp->fds, first, last, fl & CLOSE_RANGE_CLOEXEC);
}

void dfile_dup(struct dec_call *c)
{
	if (c->failed)
		return;
	bool cloexec = c->nr == SYS_dup3 && (c->a[2] & O_CLOEXEC);
	fdtable_dup(c->dp->fds, (int)c->a[0], (int)c->ret, cloexec, c->p->pid);
}

void dfile_fcntl(struct dec_call *c)
{
	if (c->failed)
		return;
	int fd = (int)c->a[0];
	switch ((int)c->a[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		fdtable_dup(c->dp->fds, fd, (int)c->ret, (int)c->a[1] == F_DUPFD_CLOEXEC, c->p->pid);
		break;
	case F_SETFD:
		dec_fd(c, fd);
		fdtable_set_cloexec(c->dp->fds, fd, c->a[2] & FD_CLOEXEC);
		break;
	}
}

void dfile_pipe(struct dec_call *c)
{
	int fds[2];
	if (c->failed || tmem_read(c->t->tid, c->a[0], fds, sizeof(fds)) != (ssize_t)sizeof(fds))
		return;
	bool cloexec = c->nr == SYS_pipe2 && (c->a[1] & O_CLOEXEC);
	for (int i = 0; i < 2; i++) {
		struct fd_obj *o = fd_obj_new(FD_PIPE, i ? FD_W : FD_R, NULL);
		o->resolved = false; /* "pipe:[ino]" read lazily */
		fdtable_install(c->dp->fds, fds[i], o, cloexec);
	}
}

void dfile_newfd(struct dec_call *c)
{
	if (c->failed)
		return;
	int fd = (int)c->ret;
	enum fd_kind kind = FD_ANON;
	const char *desc = NULL;
	bool cloexec = false;
	switch (c->nr) {
	case SYS_eventfd:
	case SYS_eventfd2:
		kind = FD_EVENTFD, desc = "anon_inode:[eventfd]";
		cloexec = c->nr == SYS_eventfd2 && (c->a[1] & O_CLOEXEC);
		break;
	case SYS_signalfd:
	case SYS_signalfd4:
		if ((int)c->a[0] != -1)
			return; /* updated the mask of an existing signalfd */
		kind = FD_SIGNALFD, desc = "anon_inode:[signalfd]";
		cloexec = c->nr == SYS_signalfd4 && (c->a[3] & O_CLOEXEC);
		break;
	case SYS_timerfd_create:
		kind = FD_TIMERFD, desc = "anon_inode:[timerfd]", cloexec = c->a[1] & O_CLOEXEC;
		break;
	case SYS_epoll_create:
	case SYS_epoll_create1:
		kind = FD_EPOLL, desc = "anon_inode:[eventpoll]";
		cloexec = c->nr == SYS_epoll_create1 && (c->a[0] & O_CLOEXEC);
		break;
	case SYS_inotify_init:
	case SYS_inotify_init1:
		kind = FD_INOTIFY, desc = "anon_inode:inotify";
		cloexec = c->nr == SYS_inotify_init1 && (c->a[0] & O_CLOEXEC);
		break;
	case SYS_pidfd_open:
		kind = FD_PIDFD, desc = "anon_inode:[pidfd]", cloexec = true;
		break;
	case SYS_memfd_create: {
		static struct dec_path name_buf;
		struct dec_path *name = &name_buf;
		dec_read_path(c, c->a[0], name);
		char *s = xasprintf("memfd:%.*s", (int)name->len, name->s);
		struct fd_obj *o = fd_obj_new(FD_MEMFD, FD_R | FD_W, s);
		free(s);
		fdtable_install(c->dp->fds, fd, o, c->a[1] & 1 /* MFD_CLOEXEC */);
		return;
	}
	default:
		/* fanotify, userfaultfd, perf, io_uring, bpf, pidfd_getfd, mount API:
		 * what the fd is and its flags come from /proc when needed */
		fdtable_forget(c->dp->fds, fd);
		return;
	}
	fdtable_install(c->dp->fds, fd, fd_obj_new(kind, FD_R | FD_W, desc), cloexec);
}

/*
 * chdir's path is relative to the cwd before the call: learn that cwd now.
 * Read at the exit stop, /proc/TID/cwd already names the new directory and
 * a relative path would be added to it twice ("w/w/a.txt" after chdir("w")
 * as a process's first cwd-relative call).
 */
void dfile_chdir_entry(struct dec_call *c)
{
	dec_cwd(c);
}

void dfile_chdir(struct dec_call *c)
{
	struct ev_draft d;
	dec_ev(&d, c, EVT_CHDIR);
	if (c->nr == SYS_fchdir) {
		struct fd_obj *o = dec_add_fd(&d, c, EVK_FD, (int)c->a[0]);
		if (!c->failed) {
			if (o && o->kind == FD_FILE && o->path)
				dec_set_cwd(c, o->path);
			else
				dec_set_cwd(c, NULL); /* unknown: ask /proc again */
		}
	} else {
		static struct buf abs;
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, c->a[0], &abs);
		if (!c->failed)
			dec_set_cwd(c, abs.len && abs.data[0] == '/' ? abs.data : NULL);
	}
	if (c->emit)
		dec_emit(&d, c);
}

static void add_owner(struct ev_draft *d, uint64_t uid, uint64_t gid)
{
	ev_int(d, EVK_UID, (int32_t)uid);
	ev_int(d, EVK_GID, (int32_t)gid);
}

/* ---- names that change: rename, link, unlink ---- */

/*
 * Whether a rename replaces a file, found at its entry stop (after the call
 * the old target is gone): new_path exists and is not the file being
 * renamed (rename of a name onto another link of the same file does
 * nothing). One entry per thread inside a rename.
 */
struct rename_pending {
	int tid;
	bool replaces;
};
static struct rename_pending rn_pend[16];
static unsigned rn_n;

static bool rename_taken(int tid, bool *replaces)
{
	for (unsigned i = 0; i < rn_n; i++) {
		if (rn_pend[i].tid == tid) {
			*replaces = rn_pend[i].replaces;
			rn_pend[i] = rn_pend[--rn_n];
			return true;
		}
	}
	return false;
}

/* Device and inode of path itself (symlinks not followed, cached attributes). */
static bool name_id(const char *path, struct statx *st)
{
	return !statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT,
		      STATX_INO, st);
}

/* The absolute path of the tracee's string at addr relative to dirfd; false if unknown. */
static bool abs_of(const struct dec_call *c, int dirfd, uint64_t addr, struct buf *out)
{
	static struct dec_path p;
	dec_read_path(c, addr, &p);
	if (p.bad || p.truncated || !p.len)
		return false;
	return dec_abs_path(c, dirfd, p.s, p.len, out);
}

static void rename_args(const struct dec_call *c, int *odir, uint64_t *op, int *ndir, uint64_t *np)
{
	if (c->nr == SYS_rename) {
		*odir = *ndir = AT_FDCWD, *op = c->a[0], *np = c->a[1];
		return;
	}
	*odir = (int)c->a[0], *op = c->a[1], *ndir = (int)c->a[2], *np = c->a[3];
}

void dfile_rename_entry(struct dec_call *c)
{
	bool stale;
	rename_taken(c->t->tid, &stale); /* an earlier rename whose exit was not seen */
	if (c->nr == SYS_renameat2 && (c->a[4] & (RENAME_EXCHANGE | RENAME_NOREPLACE)))
		return; /* swaps the two files, or fails rather than replace */
	int odir, ndir;
	uint64_t op, np;
	rename_args(c, &odir, &op, &ndir, &np);
	static struct buf from, to;
	struct statx f, t;
	if (!abs_of(c, ndir, np, &to))
		return;
	/* the source is read only when there is a target: most renames replace nothing */
	bool replaces = name_id(to.data, &t);
	if (replaces) {
		if (!abs_of(c, odir, op, &from))
			return;
		replaces = !(name_id(from.data, &f) && f.stx_ino == t.stx_ino &&
			     f.stx_dev_major == t.stx_dev_major && f.stx_dev_minor == t.stx_dev_minor);
	}
	if (rn_n == ARRAY_SIZE(rn_pend))
		rn_pend[0] = rn_pend[--rn_n]; /* more threads in rename than slots: forget one */
	rn_pend[rn_n++] = (struct rename_pending){ c->t->tid, replaces };
}

/*
 * The fds of the calling process keep the kernel's names for their files
 * (what /proc/PID/fd and strace -y show): after a rename the file and
 * everything under a renamed directory have the new name; an unlinked or
 * replaced name becomes "NAME (deleted)". Objects are shared with the
 * processes that inherited them, as the open files are.
 */
struct rename_map {
	const char *from, *to; /* from -> to (and to -> from when swap) */
	bool swap, deleted;
	struct fd_obj *seen[8]; /* objects already renamed (shared by dup'ed fds) */
	unsigned nseen;
};

/* The name of path after the change, into out; false if it does not change. */
static bool renamed(const struct rename_map *m, const char *path, struct buf *out)
{
	for (int dir = 0; dir < (m->swap ? 2 : 1); dir++) {
		const char *from = dir ? m->to : m->from, *to = dir ? m->from : m->to;
		size_t n = strlen(from);
		if (strncmp(path, from, n))
			continue;
		if (m->deleted) {
			if (path[n])
				return false;
			buf_reset(out);
			buf_adds(out, path);
			buf_adds(out, " (deleted)");
			return true;
		}
		if (path[n] && path[n] != '/')
			continue;
		buf_reset(out);
		buf_adds(out, to);
		buf_adds(out, path + n);
		return true;
	}
	return false;
}

static void rename_fd(void *ctx, int fd, struct fd_obj *o, bool cloexec)
{
	struct rename_map *m = ctx;
	(void)fd, (void)cloexec;
	if (o->kind != FD_FILE || !o->path)
		return;
	for (unsigned i = 0; i < m->nseen; i++)
		if (m->seen[i] == o)
			return;
	static struct buf nb;
	if (!renamed(m, o->path, &nb))
		return;
	fd_obj_set(&o->path, nb.data);
	if (m->nseen < ARRAY_SIZE(m->seen))
		m->seen[m->nseen++] = o;
}

static void rename_all(const struct dec_call *c, struct rename_map *m)
{
	fdtable_each(c->dp->fds, rename_fd, m);
	const char *cwd = c->dp->fs->cwd;
	static struct buf nb;
	if (cwd && !m->deleted && renamed(m, cwd, &nb))
		dec_set_cwd(c, nb.data);
}

/*
 * After a successful rename, unlink or rmdir of from (to: the new name, or
 * NULL): the fds follow their files. Paths not known absolute change nothing.
 */
static void names_changed(const struct dec_call *c, const struct buf *from, const struct buf *to,
			  bool replaces)
{
	if (!from->len || from->data[0] != '/')
		return;
	struct rename_map m = { .from = from->data, .deleted = !to };
	if (to) {
		if (!to->len || to->data[0] != '/' || !strcmp(from->data, to->data))
			return;
		m.to = to->data;
		m.swap = c->nr == SYS_renameat2 && (c->a[4] & RENAME_EXCHANGE);
		if (replaces) { /* the fds of the replaced file now name a deleted file */
			struct rename_map gone = { .from = to->data, .deleted = true };
			rename_all(c, &gone);
		}
	}
	rename_all(c, &m);
}

/* The same, for a call not reported: its paths read only for this. */
static void names_changed_quiet(const struct dec_call *c, bool replaces)
{
	static struct buf from, to;
	buf_reset(&from);
	switch (c->nr) {
	case SYS_unlink:
	case SYS_rmdir:
		abs_of(c, AT_FDCWD, c->a[0], &from);
		names_changed(c, &from, NULL, replaces);
		break;
	case SYS_unlinkat:
		abs_of(c, (int)c->a[0], c->a[1], &from);
		names_changed(c, &from, NULL, replaces);
		break;
	case SYS_rename:
	case SYS_renameat:
	case SYS_renameat2: {
		int odir, ndir;
		uint64_t op, np;
		rename_args(c, &odir, &op, &ndir, &np);
		buf_reset(&to);
		if (abs_of(c, odir, op, &from) && abs_of(c, ndir, np, &to))
			names_changed(c, &from, &to, replaces);
		break;
	}
	default:
		break;
	}
}

/*
 * linkat of an open file: linkat(fd, "", ..., AT_EMPTY_PATH) or
 * linkat(AT_FDCWD, "/proc/self/fd/N", ..., AT_SYMLINK_FOLLOW) (the way an
 * O_TMPFILE file gets its name). The fd, or -1.
 */
static int link_source_fd(const struct dec_call *c)
{
	static struct dec_path p;
	dec_read_path(c, c->a[1], &p);
	if (p.bad || p.truncated)
		return -1;
	if (!p.len)
		return (c->a[4] & AT_EMPTY_PATH) ? (int)c->a[0] : -1;
	if (!(c->a[4] & AT_SYMLINK_FOLLOW) || strncmp(p.s, "/proc/", 6))
		return -1;
	const char *s = p.s + 6, *slash = strchr(s, '/');
	if (!slash)
		return -1;
	size_t n = (size_t)(slash - s);
	char *end;
	long who = strtol(s, &end, 10);
	bool self = (n == 4 && !strncmp(s, "self", 4)) || (n == 11 && !strncmp(s, "thread-self", 11)) ||
		    (end == slash && n && (who == c->p->pid || who == c->t->tid));
	if (!self || strncmp(slash, "/fd/", 4))
		return -1;
	long fd = strtol(slash + 4, &end, 10);
	if (end == slash + 4 || *end || fd < 0 || fd > INT32_MAX)
		return -1;
	return (int)fd;
}

/*
 * Whether the name at addr (relative to dirfd) may be a directory now:
 * asked through /proc/TID/cwd or /proc/TID/fd/N, so that it needs no name
 * of ours that the rename may have just made stale. Unknown counts as yes.
 */
static bool maybe_dir(const struct dec_call *c, int dirfd, uint64_t addr)
{
	static struct dec_path p;
	static struct buf b;
	dec_read_path(c, addr, &p);
	if (p.bad || p.truncated)
		return true;
	buf_reset(&b);
	if (p.s[0] != '/') {
		if (dirfd == AT_FDCWD)
			buf_printf(&b, "/proc/%d/cwd/", c->t->tid);
		else
			buf_printf(&b, "/proc/%d/fd/%d/", c->t->tid, dirfd);
	}
	buf_add(&b, p.s, p.len);
	struct statx st;
	if (statx(AT_FDCWD, b.data, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC | AT_NO_AUTOMOUNT, STATX_TYPE, &st))
		return true;
	return S_ISDIR(st.stx_mode);
}

/*
 * A directory renamed (ours or another process's) may have been above any
 * cwd or open file: every name learnt before is read again from /proc when
 * next needed (fd_names_moved). Renames of files change nothing there.
 * Cost, counted with an LD_PRELOAD wrapper of readlink/readlinkat around
 * the tracer: a shell doing 50 'mv dN dN+1' while writing to 5 open files
 * made 156 readlinks before and 457 now, 6 per rename (its cwd and its 5
 * fds, once each); without renames 5 and 5: no /proc read per syscall.
 */
static void dir_renamed(const struct dec_call *c)
{
	int odir, ndir;
	uint64_t op, np;
	rename_args(c, &odir, &op, &ndir, &np);
	bool swap = c->nr == SYS_renameat2 && (c->a[4] & RENAME_EXCHANGE);
	if (maybe_dir(c, ndir, np) || (swap && maybe_dir(c, odir, op)))
		fd_names_moved();
}

void dfile_fschange(struct dec_call *c)
{
	const uint64_t *a = c->a;
	bool replaces = false, known = false;
	if (c->nr == SYS_rename || c->nr == SYS_renameat || c->nr == SYS_renameat2) {
		known = rename_taken(c->t->tid, &replaces);
		if (!c->failed)
			dir_renamed(c);
	}
	if (!c->emit) {
		if (!c->failed)
			names_changed_quiet(c, replaces);
		return;
	}
	/* the paths of a rename, unlink or rmdir, made absolute for the fds to follow */
	static struct buf from, to;
	buf_reset(&from);
	struct ev_draft d;
	switch (c->nr) {
	case SYS_unlink:
		dec_ev(&d, c, EVT_UNLINK);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], &from);
		if (!c->failed)
			names_changed(c, &from, NULL, false);
		break;
	case SYS_unlinkat:
		dec_ev(&d, c, a[2] & AT_REMOVEDIR ? EVT_RMDIR : EVT_UNLINK);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], &from);
		if (!c->failed)
			names_changed(c, &from, NULL, false);
		break;
	case SYS_rmdir:
		dec_ev(&d, c, EVT_RMDIR);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], &from);
		if (!c->failed)
			names_changed(c, &from, NULL, false);
		break;
	case SYS_rename:
		dec_ev(&d, c, EVT_RENAME);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], &from);
		dec_add_path(&d, c, EVK_NEW_PATH, AT_FDCWD, a[1], &to);
		if (!c->failed)
			names_changed(c, &from, &to, replaces);
		if (known && !c->failed)
			ev_bool(&d, EVK_REPLACED, replaces);
		break;
	case SYS_link:
		dec_ev(&d, c, EVT_LINK);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		dec_add_path(&d, c, EVK_NEW_PATH, AT_FDCWD, a[1], NULL);
		break;
	case SYS_renameat:
	case SYS_renameat2:
		dec_ev(&d, c, EVT_RENAME);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], &from);
		dec_add_path(&d, c, EVK_NEW_PATH, (int)a[2], a[3], &to);
		if (!c->failed)
			names_changed(c, &from, &to, replaces);
		if (c->nr == SYS_renameat2 && (unsigned)a[4]) {
			static struct buf fs;
			buf_reset(&fs);
			xlat_flags(&fs, &xt_rename_flags, (unsigned)a[4]);
			ev_str(&d, dec_log, EVK_FLAGS, fs.data, fs.len);
		}
		if (known && !c->failed)
			ev_bool(&d, EVK_REPLACED, replaces);
		break;
	case SYS_linkat: {
		dec_ev(&d, c, EVT_LINK);
		int fd = link_source_fd(c);
		struct fd_obj *o = fd >= 0 ? dec_add_fd(&d, c, EVK_FD, fd) : NULL;
		if (!o || o->kind != FD_FILE || !o->path)
			dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		dec_add_path(&d, c, EVK_NEW_PATH, (int)a[2], a[3], NULL);
		break;
	}
	case SYS_mkdir:
		dec_ev(&d, c, EVT_MKDIR);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		add_mode(&d, a[1]);
		break;
	case SYS_mkdirat:
		dec_ev(&d, c, EVT_MKDIR);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		add_mode(&d, a[2]);
		break;
	case SYS_symlink:
	case SYS_symlinkat: {
		dec_ev(&d, c, EVT_SYMLINK);
		static struct dec_path target;
		struct dec_path *tp = &target;
		dec_read_path(c, a[0], tp);
		if (tp->bad)
			ev_strid(&d, EVK_TARGET, 0);
		else
			ev_str(&d, dec_log, EVK_TARGET, tp->s, tp->len); /* the link's content, as given */
		if (c->nr == SYS_symlink)
			dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[1], NULL);
		else
			dec_add_path(&d, c, EVK_PATH, (int)a[1], a[2], NULL);
		break;
	}
	case SYS_chmod:
		dec_ev(&d, c, EVT_CHMOD);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		add_mode(&d, a[1]);
		break;
	case SYS_fchmod:
		dec_ev(&d, c, EVT_CHMOD);
		dec_add_fd(&d, c, EVK_FD, (int)a[0]);
		add_mode(&d, a[1]);
		break;
	case SYS_fchmodat:
	case SYS_fchmodat2:
		dec_ev(&d, c, EVT_CHMOD);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		add_mode(&d, a[2]);
		break;
	case SYS_chown:
	case SYS_lchown:
		dec_ev(&d, c, EVT_CHOWN);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		add_owner(&d, a[1], a[2]);
		break;
	case SYS_fchown:
		dec_ev(&d, c, EVT_CHOWN);
		dec_add_fd(&d, c, EVK_FD, (int)a[0]);
		add_owner(&d, a[1], a[2]);
		break;
	case SYS_fchownat:
		dec_ev(&d, c, EVT_CHOWN);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		add_owner(&d, a[2], a[3]);
		break;
	case SYS_truncate:
		dec_ev(&d, c, EVT_TRUNCATE);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		ev_int(&d, EVK_SIZE, (int64_t)a[1]);
		break;
	case SYS_ftruncate:
		dec_ev(&d, c, EVT_TRUNCATE);
		dec_add_fd(&d, c, EVK_FD, (int)a[0]);
		ev_int(&d, EVK_SIZE, (int64_t)a[1]);
		break;
	case SYS_utime:
	case SYS_utimes:
		dec_ev(&d, c, EVT_UTIMES);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		break;
	case SYS_futimesat:
	case SYS_utimensat:
		dec_ev(&d, c, EVT_UTIMES);
		if (!a[1] && c->nr == SYS_utimensat) /* NULL path: the fd itself */
			dec_add_fd(&d, c, EVK_FD, (int)a[0]);
		else
			dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		break;
	default:
		return;
	}
	dec_emit(&d, c);
}
