// SPDX-License-Identifier: MIT
/* decode: the tracer's syscall hooks: per-process state, dispatch to the decoders, -v records, -c statistics. */
/*
 * Choices the events follow (the man page documents them):
 * - Paths are what the program passed, made absolute against the cwd or the
 *   *at dirfd, with "//" and "/./" folded and ".." kept; strace -y shows the
 *   kernel's resolved path instead. Fd-based events name what the fd was
 *   opened as. Unreadable path pointers give path null plus path_addr; paths
 *   are kept to DEC_PATH_MAX bytes, then marked truncated.
 * - read/write on sockets are send/recv. sendfile, copy_file_range, splice
 *   and tee give a read on the input fd and a write (or send) on the output.
 * - A call cut by a signal for restart (ERESTARTSYS...) is an event with that
 *   err; the restarted call is an event of its own.
 * - i386 calls are decoded through their x86_64 twins, except the ones whose
 *   arguments point to structs of another layout (msghdr, old mmap).
 * - Lazy fd naming (filtered runs selecting no pure io/desc call, see
 *   needs_exact_fds): no stops at close, dup, fcntl, pipe...; an fd is named
 *   at use from /proc/TID/fd. An fd whose creation was not seen (a dup, a
 *   pipe, an inherited fd) gets the kernel's path, as with strace -y; one
 *   whose open was seen keeps the program's path while it still leads to
 *   the same file. The fd's access mode and close-on-exec flag are then
 *   unknown unless an open was seen.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/audit.h>
#include <linux/kcmp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "decode/decode.h"
#include "decode/decode_int.h"
#include "decode/sysfmt.h"
#include "decode/systab.h"
#include "forensics/unwind.h"
#include "lib/procfs.h"
#include "lib/util.h"
#include "log/run.h"
#include "tracee/tmem.h"

#define DEC_NR_MAX 512 /* table size for both x86_64 and i386 statistics */


struct evlog *dec_log;
static struct decode_cfg cfg; /* decode_init's copy */
static bool lazy_fds;  /* fds named from /proc at use (decode_fds_lazy) */
static uint64_t stop_stamp; /* counts decoder hook calls: one per stop */
static struct proc *cur_proc; /* the process and thread of the current stop */
static int cur_tid;
static struct task *cur_task;
static struct sc_stat stats64[DEC_NR_MAX], stats32[DEC_NR_MAX];

/* Stop classes of a table row: the state the call keeps right (syscalls/x86_64.tbl, STOPS). */
enum {
	DSTOP_FD = 1u << 0,   /* the fd table (not stopped at with lazy fd naming) */
	DSTOP_PROC = 1u << 1, /* process tracking and the cwd */
	DSTOP_MEM = 1u << 2,  /* the memory map (--faults, or a memory call selected) */
	DSTOP_CODE = 1u << 3, /* where code comes and goes: -k flushes its caches there */
};

struct handler {
	const char *name;
	dec_fn entry, exit;
	unsigned stops; /* DSTOP_* */
};

/* The decoders and stop classes, one row per syscall, from syscalls/x86_64.tbl. */
#define DECODE_ROW(nr, n, en, ex, st) [nr] = { #n, en, ex, st },
static const struct handler handlers[DEC_NR_MAX] = {
#include "decode_gen.h"
};
#undef DECODE_ROW

static void stack_forget(void);
static const char *obj_desc(int pid, int fd, struct fd_obj *o);

void decode_init(struct evlog *log, const struct decode_cfg *c)
{
	dec_log = log;
	cfg = *c;
	dsel_init(c);
	stack_forget();
	task_set_proc_free_hook(decode_proc_free);
	task_set_task_free_hook(decode_task_free);
	sysfmt_set_fd_desc(decode_fd_desc);
	sysfmt_set_style(c->xhex, c->decode_fds >= 2);
	fd_obj_set_release_hook(dconn_release);
	dnd_init();
}

void decode_fini(void)
{
	stack_forget();
	dec_log = NULL;
	lazy_fds = false;
	cur_proc = NULL;
	tmem_set_denied_hook(NULL);
	cfg = (struct decode_cfg){ 0 };
	sysfmt_set_style(0, false);
	dsel_init(&cfg);
}

static void set_bit(uint64_t *bm, unsigned nr)
{
	if (nr < SC_BITMAP_WORDS * 64)
		bm[nr / 64] |= 1ull << (nr % 64);
}

/*
 * Lazy fd naming, the rule: the fd table is kept exact (a stop at every
 * close, dup, fcntl F_SETFD/F_DUPFD, pipe, socket...) only when a selected
 * call is purely an fd call, of the io and/or desc classes and no other:
 * read/write and friends, close, dup, fcntl, lseek, fstat, fchmod... Those
 * are the calls programs make in loops, each naming an fd, where a /proc
 * lookup per event (a readlink, 0.5-2 us here) would cost more than the
 * maintenance stops (about 6 us each) save. Any other selection (file,
 * network, process, memory...) names fds at the stops that need them
 * (dirfds of *at calls, sockets of network calls) from /proc/TID/fd,
 * checking remembered entries against it. A run whose selected network
 * calls are mostly send/recv on a few sockets pays one readlink per event
 * (measured: 0.55 us per event, 4% of a send/recv loop under
 * -e trace=network); selecting desc (or just close) keeps the exact table.
 */
static bool needs_exact_fds(const uint64_t *sel)
{
	for (unsigned nr = 0; nr < SC_BITMAP_WORDS * 64; nr++) {
		if (!((sel[nr / 64] >> (nr % 64)) & 1))
			continue;
		const struct sysent *se = systab_get(AUDIT_ARCH_X86_64, nr);
		unsigned cl = se ? se->classes & SYSC_ALL : 0; /* the event-category classes */
		if (cl && !(cl & ~(SYSC(IO) | SYSC(DESC))))
			return true;
	}
	return false;
}

bool decode_wanted_syscalls(uint64_t *bitmap)
{
	lazy_fds = false;
	/* -v of everything and -c need every stop; -v of a selection needs just those */
	if ((cfg.verbose && cfg.sel.all) || cfg.summary || cfg.no_seccomp)
		return false;
	bool mem = cfg.faults;
	for (unsigned nr = 0; nr < DEC_NR_MAX; nr++)
		mem = mem || ((handlers[nr].stops & DSTOP_MEM) && trace_sel_has(&cfg.sel, nr));
	uint64_t sel[SC_BITMAP_WORDS] = { 0 };
	for (unsigned nr = 0; nr < SC_BITMAP_WORDS * 64; nr++) {
		/*
		 * Without -v only the decoded syscalls and those selected by name
		 * (their generic record) produce events (with -v of everything
		 * there is no filter): another selected call without a decoder
		 * would be a stop for nothing.
		 */
		bool decoded = nr < DEC_NR_MAX && (handlers[nr].exit || handlers[nr].entry);
		bool want = cfg.sel.all || !cfg.verbose ? (decoded || trace_sel_named(&cfg.sel, nr)) && trace_sel_has(&cfg.sel, nr)
							: trace_sel_has(&cfg.sel, nr);
		if (want)
			set_bit(sel, nr);
	}
	for (unsigned i = 0; i < SC_BITMAP_WORDS; i++)
		bitmap[i] |= sel[i];
	lazy_fds = !needs_exact_fds(sel);
	unsigned stops = DSTOP_PROC | (lazy_fds ? 0 : DSTOP_FD) | (mem ? DSTOP_MEM : 0) |
			 (cfg.stack ? DSTOP_CODE : 0);
	for (unsigned nr = 0; nr < DEC_NR_MAX; nr++)
		if (handlers[nr].stops & stops)
			set_bit(bitmap, nr);
	return true;
}

bool decode_fds_lazy(void)
{
	return lazy_fds;
}

size_t decode_arg_rules(struct decode_argrule *out, size_t max)
{
	/* fcntl changes the fd table only through these; -v shows every call */
	if (cfg.verbose || cfg.summary || lazy_fds || max < 1)
		return 0;
	out[0] = (struct decode_argrule){ .nr = SYS_fcntl, .arg = 1, .nvals = 3,
					  .vals = { F_DUPFD, F_DUPFD_CLOEXEC, F_SETFD } };
	return 1;
}

/*
 * fcntl F_DUPFD(_CLOEXEC) of a single-threaded process without an exit
 * stop: the new fd is the lowest free fd >= the argument, so at the
 * process's next syscall entry it is the first fd from there that our
 * table did not know open and that kcmp(2) finds to be the same open file
 * as the old one (find(1) makes one such dup per directory).
 */
struct dup_pending {
	int pid, oldfd, from;
	bool cloexec;
};
static struct dup_pending dups[16];
static unsigned ndups;
static int kcmp_usable = -1;

static bool kcmp_works(void)
{
	if (kcmp_usable < 0) {
		long r = syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, 0, 0);
		kcmp_usable = r >= 0 || errno == EBADF;
	}
	return kcmp_usable;
}

static void dup_settle(struct proc *p)
{
	for (unsigned i = 0; i < ndups; i++) {
		if (dups[i].pid != p->pid)
			continue;
		struct dup_pending d = dups[i];
		dups[i] = dups[--ndups];
		struct decode_proc *dp = dec_proc(p);
		for (int fd = d.from; fd >= 0 && fd < d.from + 4096; fd++) {
			if (fd == d.oldfd || fdtable_get(dp->fds, fd, 0))
				continue; /* open before the dup: not its result */
			long r = syscall(SYS_kcmp, p->pid, p->pid, KCMP_FILE, d.oldfd, fd);
			if (r == 0) {
				fdtable_dup(dp->fds, d.oldfd, fd, d.cloexec, p->pid);
				break;
			}
			if (r < 0)
				break; /* fd not open: the dup failed (EMFILE, EINVAL) */
		}
		return;
	}
}

static void dup_forget(int pid)
{
	for (unsigned i = 0; i < ndups; i++)
		if (dups[i].pid == pid)
			dups[i--] = dups[--ndups];
}

bool decode_exit_wanted(struct task *t)
{
	if (cfg.verbose || cfg.summary || t->sc.compat)
		return true;
	if (t->sc.nr >= 0 && trace_sel_named(&cfg.sel, (unsigned)t->sc.nr))
		return true; /* its generic record shows the result */
	switch (t->sc.nr) {
	case SYS_close:
		/* the fd is gone whatever close returns (EBADF: it was not open) */
		return trace_sel_has(&cfg.sel, SYS_close);
	case SYS_fcntl: { /* only a new fd's number needs the exit */
		unsigned cmd = (unsigned)t->sc.args[1];
		if (cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC)
			return false;
		struct decode_proc *dp = t->proc ? dec_proc(t->proc) : NULL;
		int oldfd = (int)t->sc.args[0], from = (int)t->sc.args[2];
		if (!dp || t->dec || t->proc->nthreads != 1 || fdtable_shared(dp->fds) || ndups == ARRAY_SIZE(dups) ||
		    oldfd < 0 || from < 0 || !fdtable_get(dp->fds, oldfd, t->proc->pid) || !kcmp_works())
			return true;
		dups[ndups++] = (struct dup_pending){ t->proc->pid, oldfd, from, cmd == F_DUPFD_CLOEXEC };
		t->sc.ret = -EINPROGRESS; /* the exit handler leaves the table alone */
		t->sc.is_error = true;
		return false;
	}
	default:
		return true;
	}
}

/* ---- per-process state ---- */

struct dec_fs *dec_fs_new(const char *cwd)
{
	struct dec_fs *fs = xcalloc(1, sizeof(*fs));
	fs->refs = 1;
	fs->cwd = cwd ? xstrdup(cwd) : NULL;
	return fs;
}

void dec_fs_unref(struct dec_fs *fs)
{
	if (!fs || --fs->refs)
		return;
	free(fs->cwd);
	free(fs);
}

struct decode_proc *dec_proc(struct proc *p)
{
	if (!p->dec) {
		p->dec = xcalloc(1, sizeof(*p->dec));
		p->dec->fds = fdtable_new();
		p->dec->fs = dec_fs_new(NULL);
		p->dec->mm = memmap_new();
		memmap_set_pid(p->dec->mm, p->pid);
	}
	return p->dec;
}

void decode_proc_new(struct proc *child, struct proc *parent, uint64_t clone_flags)
{
	dec_proc_new_from(child, parent ? parent->dec : NULL, clone_flags);
}

void dec_proc_new_from(struct proc *child, struct decode_proc *pp, uint64_t clone_flags)
{
	decode_proc_free(child);
	if (!pp) {
		dec_proc(child); /* everything lazily from the child's /proc */
		return;
	}
	struct decode_proc *cp = xcalloc(1, sizeof(*cp));
	cp->fds = clone_flags & CLONE_FILES ? fdtable_ref(pp->fds) : fdtable_copy(pp->fds);
	if (clone_flags & CLONE_FS) {
		cp->fs = pp->fs;
		cp->fs->refs++;
	} else {
		cp->fs = dec_fs_new(pp->fs->cwd);
	}
	if (clone_flags & CLONE_VM) {
		cp->mm = memmap_ref(pp->mm);
	} else {
		cp->mm = memmap_copy(pp->mm);
		memmap_set_pid(cp->mm, 0);
		memmap_set_pid(cp->mm, child->pid);
	}
	child->dec = cp;
}

void decode_proc_attached(struct proc *p)
{
	dec_proc(p); /* fds, cwd and the memory map all resolve lazily */
}

void decode_proc_prime(struct proc *p)
{
	struct decode_proc *dp = dec_proc(p);
	char link[PATH_MAX + 1];
	ssize_t n = procfs_link(p->pid, "cwd", link, sizeof(link));
	if (n > 0 && link[0] == '/') {
		fd_obj_set(&dp->fs->cwd, link);
		dp->fs->names_gen = fd_names_gen;
	}
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", p->pid);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (*end || end == de->d_name || fd < 0 || fd > INT_MAX || fd == dirfd(d))
			continue;
		obj_desc(p->pid, (int)fd, fdtable_get(dp->fds, (int)fd, p->pid));
	}
	closedir(d);
}

void decode_proc_exec(struct proc *p)
{
	struct decode_proc *dp = dec_proc(p);
	if (fdtable_shared(dp->fds)) { /* execve unshares the fd table first */
		struct fdtable *own = fdtable_copy(dp->fds);
		fdtable_unref(dp->fds);
		dp->fds = own;
	}
	fdtable_exec(dp->fds);
	memmap_unref(dp->mm); /* a new address space */
	dp->mm = memmap_new();
	memmap_set_pid(dp->mm, p->pid);
	dnd_exec(p);
}

void decode_task_free(struct task *t)
{
	if (t == cur_task)
		cur_task = NULL;
	dec_state_free(t->dec);
	t->dec = NULL;
}

void decode_proc_free(struct proc *p)
{
	if (p == cur_proc)
		cur_proc = NULL;
	dnd_forget(p);
	if (ndups)
		dup_forget(p->pid);
	if (!p->dec)
		return;
	fdtable_unref(p->dec->fds);
	dec_fs_unref(p->dec->fs);
	memmap_unref(p->dec->mm);
	free(p->dec);
	p->dec = NULL;
}

const char *dec_cwd(const struct dec_call *c)
{
	struct dec_fs *fs = c->dp->fs;
	if (fs->cwd && fs->names_gen != fd_names_gen)
		fd_obj_set(&fs->cwd, NULL); /* a directory was renamed: it may be above the cwd */
	if (!fs->cwd) {
		fs->names_gen = fd_names_gen;
		char link[PATH_MAX + 1];
		/* the thread's: it may have its own (CLONE_FS, unshare) */
		ssize_t n = procfs_link(c->t ? c->t->tid : c->p->pid, "cwd", link, sizeof(link));
		if (n <= 0 || link[0] != '/')
			return NULL;
		if (n > 10 && !strcmp(link + n - 10, " (deleted)"))
			link[n - 10] = 0; /* removed: the kernel's last name */
		fs->cwd = xstrdup(link);
	}
	return fs->cwd;
}

void dec_set_cwd(const struct dec_call *c, const char *path)
{
	fd_obj_set(&c->dp->fs->cwd, path);
	c->dp->fs->names_gen = fd_names_gen;
}

/* ---- paths ---- */

void dec_read_path(const struct dec_call *c, uint64_t addr, struct dec_path *out)
{
	int trunc = 0;
	out->addr = addr;
	out->bad = false;
	out->truncated = false;
	out->len = 0;
	out->s[0] = 0;
	ssize_t n = addr ? tmem_read_str(c->t->tid, addr, out->s, DEC_PATH_MAX, &trunc) : -EFAULT;
	if (n < 0) {
		out->bad = true;
		return;
	}
	out->len = (size_t)n;
	out->truncated = trunc != 0;
}

/* Append segments of s to out, folding empty and "." segments. */
static void add_segments(struct buf *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		while (i < n && s[i] == '/')
			i++;
		size_t j = i;
		while (j < n && s[j] != '/')
			j++;
		if (j > i && !(j - i == 1 && s[i] == '.')) {
			buf_addc(out, '/');
			buf_add(out, s + i, j - i);
		}
		i = j;
	}
}

bool dec_abs_path(const struct dec_call *c, int dirfd, const char *path, size_t n, struct buf *out)
{
	buf_reset(out);
	const char *base = NULL;
	if (n == 0 || path[0] != '/') {
		if (dirfd == AT_FDCWD) {
			base = dec_cwd(c);
		} else {
			struct fd_obj *o = dec_fd(c, dirfd);
			base = o && o->kind == FD_FILE ? o->path : NULL;
		}
		if (!base) {
			buf_add(out, path, n);
			return false;
		}
		add_segments(out, base, strlen(base));
	}
	add_segments(out, path, n);
	if (!out->len)
		buf_addc(out, '/');
	return true;
}

static bool has_suffix_so(const char *b, size_t n)
{
	/* "*.so" or "*.so.N[.N...]" */
	for (size_t i = 0; i + 3 <= n; i++) {
		if (memcmp(b + i, ".so", 3))
			continue;
		size_t j = i + 3;
		if (j == n)
			return true;
		bool ok = b[j] == '.';
		for (; ok && j < n; j++)
			ok = b[j] == '.' || (b[j] >= '0' && b[j] <= '9');
		if (ok)
			return true;
	}
	return false;
}

bool dec_noise_path(const char *p, size_t n)
{
	static const char *const dirs[] = { "/proc", "/sys", "/dev" };
	for (unsigned i = 0; i < ARRAY_SIZE(dirs); i++) {
		size_t l = strlen(dirs[i]);
		if (n >= l && !memcmp(p, dirs[i], l) && (n == l || p[l] == '/'))
			return true;
	}
	const char *b = memrchr(p, '/', n);
	b = b ? b + 1 : p;
	size_t bn = n - (size_t)(b - p);
	if ((bn >= 5 && !memcmp(b, "ld.so", 5)) || (bn >= 8 && !memcmp(b, "ld-linux", 8)))
		return true;
	return has_suffix_so(b, bn);
}

void dec_add_path(struct ev_draft *d, const struct dec_call *c, unsigned key, int dirfd,
		  uint64_t addr, struct buf *out)
{
	/* the tracer is single-threaded: one scratch path and buffer serve every call */
	static struct dec_path path_buf;
	static struct buf scratch;
	struct dec_path *rp = &path_buf;
	struct buf *abs = out ? out : &scratch;
	dec_read_path(c, addr, rp);
	buf_reset(abs);
	if (rp->bad) {
		ev_strid(d, key, 0);
		ev_hex(d, EVK_PATH_ADDR, addr);
		if (addr) /* NULL is known; anything else may have been a path */
			dnd_unknown(d, c);
	} else if (!rp->len && c->failed) {
		/* "" names nothing (ENOENT), or AT_EMPTY_PATH failed: shown as given */
		ev_str(d, dec_log, key, "", 0);
	} else if (!rp->len && dirfd >= 0 && dec_fd(c, dirfd) && dec_fd(c, dirfd)->path) {
		buf_adds(abs, dec_fd(c, dirfd)->path); /* AT_EMPTY_PATH: the fd itself */
		ev_str(d, dec_log, key, abs->data, abs->len);
	} else {
		dec_abs_path(c, dirfd, rp->s, rp->len, abs);
		ev_str(d, dec_log, key, abs->data, abs->len);
		if (rp->truncated)
			ev_bool(d, EVK_TRUNCATED, true);
		if (key == EVK_PATH && dec_noise_path(abs->data, abs->len))
			d->h.flags |= EVFL_NOISE;
	}
}

/* ---- fds ---- */

struct fd_obj *dec_fd(const struct dec_call *c, int fd)
{
	if (lazy_fds)
		return fdtable_get_checked(c->dp->fds, fd, c->t->tid);
	struct fd_obj *o = fdtable_get(c->dp->fds, fd, c->p->pid);
	fd_obj_refresh(o, c->t ? c->t->tid : c->p->pid, fd); /* after a directory rename only */
	return o;
}


/* The description of o (fd of process pid), reading "pipe:[ino]" etc. once. */
static const char *obj_desc(int pid, int fd, struct fd_obj *o)
{
	if (!o)
		return NULL;
	if (!o->path && !o->resolved) {
		char link[PATH_MAX + 1];
		if (procfs_fd_link(pid, fd, link, sizeof(link)) > 0)
			fd_obj_set(&o->path, link);
		o->resolved = true;
	}
	if (o->kind == FD_SOCKET && o->peer)
		return o->peer;
	return o->path;
}

const char *dec_obj_desc(const struct dec_call *c, int fd, struct fd_obj *o)
{
	return obj_desc(c->p->pid, fd, o);
}

struct fd_obj *dec_add_fd(struct ev_draft *d, const struct dec_call *c, unsigned key, int fd)
{
	return dec_add_fd_obj(d, c, key, fd, dec_fd(c, fd));
}

struct fd_obj *dec_add_fd_obj(struct ev_draft *d, const struct dec_call *c, unsigned key, int fd,
			      struct fd_obj *o)
{
	ev_int(d, key, fd);
	const char *desc = o ? dec_obj_desc(c, fd, o) : NULL;
	if (o && o->kind == FD_FILE && o->path) {
		ev_cstr(d, dec_log, EVK_PATH, o->path);
		if (dec_noise_path(o->path, strlen(o->path)))
			d->h.flags |= EVFL_NOISE;
	} else if (desc) {
		ev_cstr(d, dec_log, EVK_DESC, desc);
		if (o->kind == FD_SOCKET && o->peer_noise)
			d->h.flags |= EVFL_NOISE;
	} else if (fd >= 0) {
		dnd_unknown(d, c); /* nothing names it: unknown, if its process hides it */
	}
	return o;
}

void dec_flags(struct buf *b, uint64_t v, const struct dec_flag *tab, size_t n)
{
	size_t start = b->len;
	for (size_t i = 0; i < n; i++) {
		if (tab[i].bit && (v & tab[i].bit) == tab[i].bit) {
			if (b->len > start)
				buf_addc(b, '|');
			buf_adds(b, tab[i].name);
			v &= ~tab[i].bit;
		}
	}
	if (v || b->len == start) {
		if (b->len > start)
			buf_addc(b, '|');
		buf_printf(b, "%#" PRIx64, v);
	}
}

/* ---- events ---- */

void dec_ev(struct ev_draft *d, const struct dec_call *c, unsigned type)
{
	ev_init(d, type, c->t->sc.t_entry, c->p->pid, c->t->tid);
}


/* -k and --stack-on, as the unwinder was configured (main.c) */
static bool stack_wanted(const struct dec_call *c, unsigned type)
{
	return cfg.stack && unwind_wanted(c->name, ev_type_name(type));
}

/*
 * One capture per syscall stop: the events of one call (sendfile's read and
 * write, the -v record) share the stack taken for the first of them.
 */
static int last_tid;
static uint64_t last_entry;
static uint32_t last_id; /* the stack's string id in dec_log; 0 = none */

static void stack_forget(void)
{
	last_id = 0;
}

static bool stack_taken(const struct dec_call *c)
{
	return last_id && last_tid == c->t->tid && last_entry == c->t->sc.t_entry;
}

static void add_stack(struct ev_draft *d, const struct dec_call *c)
{
	if (stack_taken(c)) {
		ev_add(d, EVK_STACK, EVF_JSON, last_id);
		return;
	}
	unsigned nf = d->h.nf;
	unwind_attach_stack(dec_log, c->t, d);
	last_id = 0;
	if (d->h.nf > nf && d->f[nf].key == EVK_STACK) {
		last_id = (uint32_t)evf_u64(&d->f[nf]);
		last_tid = c->t->tid;
		last_entry = c->t->sc.t_entry;
	}
}

/* An event of the call's own type was made at this exit stop (the generic record is then not needed). */
static bool call_emitted;

void dec_emit(struct ev_draft *d, const struct dec_call *c)
{
	uint64_t t0 = c->t->sc.t_entry;
	call_emitted = true;
	if (d->h.type != EVT_SYSCALL && !dsel_shown(c->t, true, c->failed))
		return; /* -e status=, -P */
	ev_dur(d, c->t_exit > t0 ? c->t_exit - t0 : 0);
	if (c->failed)
		ev_err(d, (int)-c->ret);
	/* the -v record of a call whose event took a stack (--stack-on=open) shows it too */
	if (stack_wanted(c, d->h.type) || (d->h.type == EVT_SYSCALL && stack_taken(c)))
		add_stack(d, c);
	evlog_append(dec_log, d);
}

/* ---- hooks ---- */

/* rt_sigreturn's "return value" is the restored rax, never an error. */
static bool is_sigret(const struct syscall *sc)
{
	const struct sysent *se = systab_get(sc->arch, sc->nr);
	return se && se->ret == SRET_SIGRET;
}

static bool restart_code(int64_t ret)
{
	return ret <= -512 && ret >= -516;
}

/* The native number of the call, or -1 when not decoded semantically. */
static int native_nr(const struct syscall *sc)
{
	int64_t nr = sc->nr;
	if (sc->compat) {
		/* i386 calls whose arguments point to structs of another layout stay generic */
		if (nr == 90 /* old mmap: a struct of arguments */)
			return -1;
		nr = systab_native_nr(sc->arch, nr);
		if (nr == SYS_sendmsg || nr == SYS_recvmsg || nr == SYS_sendmmsg || nr == SYS_recvmmsg)
			return -1;
	}
	if (nr < 0 || nr >= DEC_NR_MAX)
		return -1;
	return (int)nr;
}

static void call_init(struct dec_call *c, struct task *t, int nr)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->p = t->proc;
	c->dp = dec_state(t);
	c->nr = nr;
	c->a = t->sc.args;
	c->ret = t->sc.ret;
	c->failed = t->sc.is_error;
	c->emit = nr >= 0 && trace_sel_has(&cfg.sel, (unsigned)nr);
	c->name = nr >= 0 ? handlers[nr].name : NULL;
}

static void syscall_record(struct dec_call *c, struct task *t, bool exited, bool generic);
static bool record_selected(const struct syscall *sc);
static bool generic_selected(const struct syscall *sc);

/* exit and exit_group: their table row returns nothing, there is no exit stop to wait for. */
static bool never_returns(const struct syscall *sc)
{
	const struct sysent *se = systab_get(sc->arch, sc->nr);
	return se && se->ret == SRET_NONE;
}

/* A new stop: fd entries checked at an earlier one are checked again. */
static void new_stop(struct task *t)
{
	fdtable_now(++stop_stamp, lazy_fds ? t->tid : 0);
	cur_proc = t->proc;
	cur_tid = t->tid;
	cur_task = t;
	dnd_stop(t);
}

void decode_syscall_entry(struct task *t)
{
	new_stop(t);
	dsel_entry(t);
	if (ndups && t->proc)
		dup_settle(t->proc);
	if (never_returns(&t->sc) && dec_log && t->proc &&
	    ((cfg.verbose && record_selected(&t->sc)) || generic_selected(&t->sc))) {
		/* recorded now, in time order with the other threads: "exit_group(0) = ?" */
		struct dec_call c;
		call_init(&c, t, native_nr(&t->sc));
		syscall_record(&c, t, false, generic_selected(&t->sc));
	}
	if (cfg.verbose && sysfmt_needs_entry(t)) {
		/* the arguments are gone at the exit stop (execve replaces the image) */
		struct buf b = { 0 };
		sysfmt_entry_args(&b, t, cfg.strsize);
		free(t->sc.scratch);
		t->sc.scratch = buf_steal(&b);
	}
	int nr = native_nr(&t->sc);
	if (nr < 0 || !handlers[nr].entry || !t->proc)
		return;
	struct dec_call c;
	call_init(&c, t, nr);
	handlers[nr].entry(&c);
}

/* The event category of a syscall: its table's first class. */
static unsigned syscall_cat(const struct syscall *sc)
{
	const struct sysent *se = systab_get(sc->arch, sc->nr);
	unsigned cats = se ? se->classes & SYSC_ALL : 0; /* SYSX() classes select only */
	if (!cats)
		return EVC_OTHER;
	return (unsigned)__builtin_ctz(cats);
}

/* Whether -v shows this call: -e trace= selects by the x86_64 twin's number. */
static bool record_selected(const struct syscall *sc)
{
	if (cfg.sel.all)
		return true;
	int64_t nr = sc->compat ? systab_native_nr(sc->arch, sc->nr) : sc->nr;
	return nr >= 0 && nr < SC_BITMAP_WORDS * 64 && trace_sel_has(&cfg.sel, (unsigned)nr);
}

/* Whether -e trace= named this call explicitly: it gets a generic record when nothing else tells it. */
static bool generic_selected(const struct syscall *sc)
{
	int64_t nr = sc->compat ? systab_native_nr(sc->arch, sc->nr) : sc->nr;
	return nr >= 0 && trace_sel_named(&cfg.sel, (unsigned)nr);
}

/*
 * The syscall record (-v, or the generic event of a call selected by name
 * that has no event of its own: then 'generic', and the summary counts its
 * failure); without an exit (abandon) it has no ret and no dur: "= ?".
 */
static void syscall_record(struct dec_call *c, struct task *t, bool exited, bool generic)
{
	struct syscall *sc = &t->sc;
	struct ev_draft d;
	struct buf b = { 0 };
	if (!dsel_shown(t, exited, exited && c->failed))
		return; /* -e status=, -P */
	sysfmt_name(&b, sc->arch, sc->nr);
	size_t name_len = b.len;
	buf_addc(&b, '(');
	if (sc->scratch)
		buf_adds(&b, sc->scratch);
	else
		sysfmt_args(&b, t, cfg.strsize);
	buf_addc(&b, ')');
	ev_init(&d, EVT_SYSCALL, sc->t_entry, t->proc->pid, t->tid);
	d.h.cat = (uint8_t)syscall_cat(sc);
	ev_str(&d, dec_log, EVK_NAME, b.data, name_len);
	if (generic)
		ev_bool(&d, EVK_GENERIC, true);
	ev_str(&d, dec_log, EVK_ARGS, b.data, b.len);
	char name[64];
	snprintf(name, sizeof(name), "%.*s", (int)name_len, b.data);
	c->name = name;
	if (exited) {
		ev_int(&d, EVK_RET, sc->ret);
		/* strace's rendering of the result: "3</etc/passwd>", "-1 ENOENT (No such file...)" */
		buf_reset(&b);
		sysfmt_ret(&b, t);
		ev_str(&d, dec_log, EVK_RET_TEXT, b.data, b.len);
		dec_emit(&d, c);
	} else {
		evlog_append(dec_log, &d);
	}
	buf_free(&b);
}

void decode_syscall_exit(struct task *t)
{
	struct syscall *sc = &t->sc;
	uint64_t now = sc->t_exit ? sc->t_exit : dec_log ? evlog_now(dec_log) : 0;
	new_stop(t);
	if (cfg.summary && sc->nr >= 0 && sc->nr < DEC_NR_MAX) {
		struct sc_stat *s = sc->compat ? &stats32[sc->nr] : &stats64[sc->nr];
		s->calls += sc->calls > 1 ? sc->calls : 1;
		if (sc->is_error && !restart_code(sc->ret) && !is_sigret(sc))
			s->errors++;
		s->total_ns += now > sc->t_entry ? now - sc->t_entry : 0;
	}
	if (t->proc && dec_log) {
		int nr = native_nr(sc);
		struct dec_call c;
		call_init(&c, t, nr);
		c.t_exit = now;
		call_emitted = false;
		if (nr >= 0 && handlers[nr].exit)
			handlers[nr].exit(&c);
		bool generic = !call_emitted && generic_selected(sc);
		if ((cfg.verbose && record_selected(sc)) || generic) {
			c.failed = sc->is_error && !is_sigret(sc);
			syscall_record(&c, t, true, generic);
		}
	}
	free(sc->scratch);
	sc->scratch = NULL;
	fd_obj_unref(sc->held);
	sc->held = NULL;
}

void decode_syscall_abandon(struct task *t)
{
	/* a thread killed or superseded by execve inside a call: "= ?" (exit and exit_group have theirs) */
	new_stop(t);
	if (dec_log && t->proc && !never_returns(&t->sc) &&
	    ((cfg.verbose && record_selected(&t->sc)) || generic_selected(&t->sc))) {
		struct dec_call c;
		call_init(&c, t, native_nr(&t->sc));
		syscall_record(&c, t, false, generic_selected(&t->sc));
	}
	free(t->sc.scratch);
	t->sc.scratch = NULL;
	fd_obj_unref(t->sc.held);
	t->sc.held = NULL;
}

const struct sc_stat *decode_stats(uint32_t arch, unsigned *n)
{
	*n = DEC_NR_MAX;
	return arch == AUDIT_ARCH_I386 ? stats32 : stats64;
}

static void fill_table(struct run_sc_table *out, uint32_t arch, const struct sc_stat *st)
{
	size_t k = 0;
	for (unsigned nr = 0; nr < DEC_NR_MAX; nr++)
		k += st[nr].calls > 0;
	free(out->rows);
	out->rows = k ? xcalloc(k, sizeof(*out->rows)) : NULL;
	out->n = 0;
	for (unsigned nr = 0; nr < DEC_NR_MAX; nr++) {
		if (!st[nr].calls)
			continue;
		struct run_sc_row *row = &out->rows[out->n++];
		const char *name = systab_name(arch, nr);
		if (name)
			snprintf(row->name, sizeof(row->name), "%s", name);
		else
			snprintf(row->name, sizeof(row->name), "syscall_%u", nr);
		row->calls = st[nr].calls;
		row->errors = st[nr].errors;
		row->total_ns = st[nr].total_ns;
	}
}

void decode_fill_run_stats(struct run *r)
{
	fill_table(&r->sc64, AUDIT_ARCH_X86_64, stats64);
	fill_table(&r->sc32, AUDIT_ARCH_I386, stats32);
}

struct memmap *decode_memmap(struct proc *p)
{
	struct memmap *mm = dec_proc(p)->mm;
	memmap_set_pid(mm, p->pid);
	return mm;
}

const char *decode_fd_desc(struct proc *p, int fd)
{
	/* the stopped thread's own table when it has one */
	struct decode_proc *dp = p == cur_proc && cur_task ? dec_state(cur_task) : dec_proc(p);
	if (lazy_fds) {
		int tid = p == cur_proc ? cur_tid : p->pid;
		return obj_desc(tid, fd, fdtable_get_checked(dp->fds, fd, tid));
	}
	return obj_desc(p->pid, fd, fdtable_get(dp->fds, fd, p->pid));
}
