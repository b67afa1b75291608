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
#include <sys/syscall.h>

#include "decode/decode_int.h"
#include "tracee/tmem.h"
#include "lib/xlat.h"

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
	if (c->emit)
		dec_emit(&d, c);
	if (!c->failed) {
		struct fd_obj *o = fd_obj_new(FD_FILE, acc, abs.len && abs.data[0] == '/' ? abs.data : NULL);
		if (!o->path)
			o->resolved = false; /* relative to an unknown base: ask /proc once */
		fdtable_install(c->dp->fds, (int)c->ret, o, fl & O_CLOEXEC);
	}
}

void dfile_close_entry(struct dec_call *c)
{
	/* resolve a never-seen fd while /proc still shows it, if the close is reported */
	if (!c->emit)
		return;
	int fd = (int)c->a[0];
	dec_obj_desc(c, fd, dec_fd(c, fd));
}

void dfile_close(struct dec_call *c)
{
	int fd = (int)c->a[0];
	if (c->emit) {
		struct ev_draft d;
		dec_ev(&d, c, EVT_CLOSE);
		dec_add_fd(&d, c, EVK_FD, fd);
		dec_emit(&d, c);
	}
	/* close releases the fd even when it reports EINTR or EIO */
	if (!c->failed || c->ret != -EBADF) {
		dconn_touch(fdtable_get(c->dp->fds, fd, 0), c->t_exit); /* a connection's last call */
		fdtable_close(c->dp->fds, fd);
	}
}

void dfile_close_range(struct dec_call *c)
{
	if (c->failed)
		return;
	unsigned first = (unsigned)c->a[0], last = (unsigned)c->a[1], fl = (unsigned)c->a[2];
	if ((fl & CLOSE_RANGE_UNSHARE) && fdtable_shared(c->dp->fds)) {
		struct fdtable *own = fdtable_copy(c->dp->fds);
		fdtable_unref(c->dp->fds);
		c->dp->fds = own;
	}
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

void dfile_fschange(struct dec_call *c)
{
	if (!c->emit)
		return;
	const uint64_t *a = c->a;
	struct ev_draft d;
	switch (c->nr) {
	case SYS_unlink:
		dec_ev(&d, c, EVT_UNLINK);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		break;
	case SYS_unlinkat:
		dec_ev(&d, c, a[2] & AT_REMOVEDIR ? EVT_RMDIR : EVT_UNLINK);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		break;
	case SYS_rmdir:
		dec_ev(&d, c, EVT_RMDIR);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		break;
	case SYS_rename:
	case SYS_link:
		dec_ev(&d, c, c->nr == SYS_rename ? EVT_RENAME : EVT_LINK);
		dec_add_path(&d, c, EVK_PATH, AT_FDCWD, a[0], NULL);
		dec_add_path(&d, c, EVK_NEW_PATH, AT_FDCWD, a[1], NULL);
		break;
	case SYS_renameat:
	case SYS_renameat2:
	case SYS_linkat:
		dec_ev(&d, c, c->nr == SYS_linkat ? EVT_LINK : EVT_RENAME);
		dec_add_path(&d, c, EVK_PATH, (int)a[0], a[1], NULL);
		dec_add_path(&d, c, EVK_NEW_PATH, (int)a[2], a[3], NULL);
		break;
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
