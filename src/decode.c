// SPDX-License-Identifier: MIT
/* decode: the tracer's syscall hooks: dispatch to the decoders, -v records, -c statistics. */
#include <errno.h>
#include <linux/audit.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "decode.h"
#include "options.h"
#include "util.h"

#define DEC_NR_MAX 512 /* table size for both x86_64 and i386 statistics */

static struct evlog *dec_log;
static struct sc_stat stats64[DEC_NR_MAX], stats32[DEC_NR_MAX];

void decode_init(struct evlog *log)
{
	dec_log = log;
}

void decode_fini(void)
{
	dec_log = NULL;
}

static void set_bit(uint64_t *bm, unsigned nr)
{
	if (nr < SC_BITMAP_WORDS * 64)
		bm[nr / 64] |= 1ull << (nr % 64);
}

/* Syscalls that keep process tracking and the fd table / cwd right. */
static const unsigned always_nrs[] = {
	SYS_clone, SYS_clone3, SYS_fork, SYS_vfork, SYS_execve, SYS_execveat,
	SYS_exit, SYS_exit_group, SYS_ptrace,
	SYS_open, SYS_openat, SYS_openat2, SYS_creat, SYS_close, SYS_close_range,
	SYS_dup, SYS_dup2, SYS_dup3, SYS_fcntl, SYS_pipe, SYS_pipe2,
	SYS_socket, SYS_socketpair, SYS_accept, SYS_accept4, SYS_chdir, SYS_fchdir,
	SYS_eventfd, SYS_eventfd2, SYS_signalfd, SYS_signalfd4, SYS_timerfd_create,
	SYS_epoll_create, SYS_epoll_create1, SYS_memfd_create, SYS_pidfd_open,
	SYS_inotify_init, SYS_inotify_init1, SYS_fanotify_init, SYS_userfaultfd,
	SYS_perf_event_open, SYS_pidfd_getfd, SYS_open_by_handle_at,
	SYS_fsopen, SYS_fsmount, SYS_open_tree, SYS_io_uring_setup, SYS_bpf,
	SYS_recvmsg, SYS_recvmmsg, /* SCM_RIGHTS can install fds */
};

static const unsigned mem_nrs[] = { SYS_mmap, SYS_munmap, SYS_mremap, SYS_brk };

bool decode_wanted_syscalls(uint64_t *bitmap)
{
	if (opt.verbose || opt.summary_table || opt.no_seccomp)
		return false;
	bool mem = opt.faults;
	for (unsigned i = 0; i < ARRAY_SIZE(mem_nrs); i++)
		mem = mem || sc_selected(&opt, mem_nrs[i]);
	for (unsigned nr = 0; nr < SC_BITMAP_WORDS * 64; nr++)
		if (!opt.trace_all && sc_selected(&opt, nr))
			set_bit(bitmap, nr);
	for (unsigned i = 0; i < ARRAY_SIZE(always_nrs); i++)
		set_bit(bitmap, always_nrs[i]);
	if (mem)
		for (unsigned i = 0; i < ARRAY_SIZE(mem_nrs); i++)
			set_bit(bitmap, mem_nrs[i]);
	return true;
}

void decode_syscall_entry(struct task *t)
{
	(void)t;
}

static bool restart_code(int64_t ret)
{
	return ret <= -512 && ret >= -516;
}

void decode_syscall_exit(struct task *t)
{
	struct syscall *sc = &t->sc;
	if (opt.summary_table && sc->nr >= 0 && sc->nr < DEC_NR_MAX && dec_log) {
		struct sc_stat *s = sc->compat ? &stats32[sc->nr] : &stats64[sc->nr];
		uint64_t now = evlog_now(dec_log);
		s->calls++;
		if (sc->is_error && !restart_code(sc->ret))
			s->errors++;
		s->total_ns += now > sc->t_entry ? now - sc->t_entry : 0;
	}
	free(sc->scratch);
	sc->scratch = NULL;
}

void decode_syscall_abandon(struct task *t)
{
	free(t->sc.scratch);
	t->sc.scratch = NULL;
}

void decode_proc_new(struct proc *child, struct proc *parent, uint64_t clone_flags)
{
	(void)child;
	(void)parent;
	(void)clone_flags;
}

void decode_proc_attached(struct proc *p)
{
	(void)p;
}

void decode_proc_exec(struct proc *p)
{
	(void)p;
}

void decode_proc_free(struct proc *p)
{
	(void)p;
}

const struct sc_stat *decode_stats(uint32_t arch, unsigned *n)
{
	*n = DEC_NR_MAX;
	return arch == AUDIT_ARCH_I386 ? stats32 : stats64;
}

const char *decode_fd_desc(struct proc *p, int fd)
{
	(void)p;
	(void)fd;
	return NULL;
}
