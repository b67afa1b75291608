/* SPDX-License-Identifier: MIT */
/*
 * bpf_run: --engine bpf for a launched command (doc/BPF.md): the command
 * started only once its pid is in the traced set, a thread that moves the
 * ring's records into a queue, and the tracer's thread that turns each
 * record into the calls the ptrace engine makes at its stops (the same
 * decode layer, the same engine events), until the whole tree has ended.
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "engine/bpf/rec.h"
#include "engine/bpf_eng.h"
#include "engine/engine_int.h"
#include "engine/tracer.h"
#include "lib/json.h"
#include "lib/msg.h"
#include "tracee/tmem.h"

#define IDLE_SWEEP_NS (500 * 1000000ull) /* no record for this long: look for tasks gone unsaid */

static struct bpf_eng *bpfe;

/* The records the poll thread took from the ring, for the tracer's thread. */
static struct {
	pthread_mutex_t lock;
	struct buf in;      /* [u32 size][u32 pad][record, padded to 8]... */
	int efd;            /* eventfd: records are waiting */
	atomic_int stop;
	pthread_t thread;
	struct ring_buffer *rb;
} q = { .lock = PTHREAD_MUTEX_INITIALIZER, .efd = -1 };

static int on_ring(void *ctx, void *data, size_t size)
{
	(void)ctx;
	uint32_t hdr[2] = { (uint32_t)size, 0 };
	static const char zero[8];
	pthread_mutex_lock(&q.lock);
	bool was_empty = q.in.len == 0;
	buf_add(&q.in, hdr, sizeof(hdr));
	buf_add(&q.in, data, size);
	buf_add(&q.in, zero, (8 - size % 8) % 8);
	pthread_mutex_unlock(&q.lock);
	if (was_empty) {
		uint64_t one = 1;
		if (write(q.efd, &one, sizeof(one)) < 0) {
			/* the counter is full: the reader is already due */
		}
	}
	return 0;
}

static void *poll_main(void *arg)
{
	(void)arg;
	while (!atomic_load(&q.stop))
		ring_buffer__poll(q.rb, 100);
	ring_buffer__consume(q.rb);
	return NULL;
}

static uint64_t log_time(uint64_t mono)
{
	uint64_t s = evlog_start_mono(eng.log);
	return mono > s ? mono - s : 0;
}

/* ---- records ---- */

static bool is_exec(enum arch_sc_kind k)
{
	return k == ARCH_SC_EXECVE || k == ARCH_SC_EXECVEAT;
}

static void on_sys(const struct brec_sys *r, size_t size)
{
	struct task *t = task_find(eng.ts, (int)r->h.tid);
	if (!t)
		return;
	struct eng_task *e = eng_of(t);
	bool compat = r->flags & BSYS_COMPAT;
	enum arch_sc_kind kind = arch_sc_kind(compat, r->nr);
	if (e->hide) {
		/* the launched child before its execve (reading the go-ahead): not shown */
		if (!is_exec(kind))
			return;
		e->hide = false;
	}
	struct syscall *sc = &t->sc;
	sc->nr = r->nr;
	sc->arch = compat ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
	sc->compat = compat;
	memcpy(sc->args, r->args, sizeof(sc->args));
	sc->ip = sc->sp = 0;
	sc->t_entry = log_time(r->t_enter);
	sc->t_exit = log_time(r->t_exit);
	if (sc->t_exit < sc->t_entry)
		sc->t_exit = sc->t_entry;
	sc->ret = 0;
	sc->is_error = false;
	sc->scratch = NULL;
	sc->calls = r->calls;
	t->in_syscall = true;
	e->kind = kind;

	/* what the kernel program copied, served to the decoders as the tracee's memory */
	struct tmem_chunk ch[BCAP_SLOTS + 1];
	size_t n = 0, off = sizeof(*r);
	for (unsigned i = 0; i < r->ncap && i < BCAP_SLOTS; i++) {
		const struct bcap *c = &r->cap[i];
		if (c->flags & BCAPF_FAULT) {
			ch[n++] = (struct tmem_chunk){ .addr = c->addr, .fault = true };
			continue;
		}
		if (off + c->len > size)
			break;
		size_t len = c->len;
		if ((c->flags & BCAPF_TRUNC) && len)
			len--; /* the NUL the kernel put at the slot's end: memory goes on */
		ch[n++] = (struct tmem_chunk){ .addr = c->addr, .data = (const char *)r + off, .len = len };
		off += (c->len + 7u) & ~7u;
	}
	if (is_exec(kind) && e->ex_valid && !e->ex_nopath) /* the path read at entry */
		ch[n++] = (struct tmem_chunk){ .addr = sc->args[kind == ARCH_SC_EXECVEAT],
					       .data = e->ex.data, .len = strlen(e->ex.data) + 1 };
	tmem_set_overlay(t->tid, ch, n);

	eng.ev_time = sc->t_entry;
	decode_syscall_entry(t);
	if (r->flags & BSYS_NOEXIT) {
		decode_syscall_abandon(t); /* exit, exit_group, or killed inside the call */
	} else {
		sc->ret = r->ret;
		sc->is_error = r->ret < 0 && r->ret >= -4095;
		eng.ev_time = sc->t_exit;
		if (is_exec(kind) && sc->is_error) {
			e->ex_dirfd = kind == ARCH_SC_EXECVEAT ? (int)sc->args[0] : AT_FDCWD;
			e->ex_emptyfd = kind == ARCH_SC_EXECVEAT && (sc->args[4] & AT_EMPTY_PATH);
			eng_emit_exec(t, 0, (int)-sc->ret);
		}
		decode_syscall_exit(t);
	}
	if (is_exec(kind))
		e->ex_valid = false;
	tmem_set_overlay(0, NULL, 0);
	eng.ev_time = 0;
	sc->scratch = NULL;
	sc->t_exit = 0;
	sc->calls = 0;
	t->in_syscall = false;
}

static void on_execargs(const struct brec_execargs *r, size_t size)
{
	struct task *t = task_find(eng.ts, (int)r->h.tid);
	if (!t)
		return;
	struct eng_task *e = eng_of(t);
	size_t len = r->len;
	if (len > size - sizeof(*r))
		len = size - sizeof(*r);
	e->hide = false;
	buf_reset(&e->ex);
	buf_add(&e->ex, r + 1, len);
	buf_addc(&e->ex, '\0');
	e->ex_argc = r->argc;
	e->ex_valid = true;
	e->ex_nopath = r->flags & BEXA_NOPATH;
	e->ex_trunc = r->flags & BEXA_TRUNC;
	e->ex_dirfd = AT_FDCWD;
	e->ex_emptyfd = false;
}

static void on_exec(const struct brec_exec *r, size_t size)
{
	struct task *t = task_find(eng.ts, (int)r->h.tid);
	if (!t)
		return;
	const char *path = (const char *)(r + 1);
	bool have = r->len > 1 && sizeof(*r) + r->len <= size && path[r->len - 1] == '\0';
	eng.exec_path = have ? path : NULL;
	eng.ev_time = log_time(r->t);
	eng_of(t)->hide = false;
	eng_exec_done(t, (int)r->old_tid);
	eng.exec_path = NULL;
	eng.ev_time = 0;
}

static void on_fork(const struct brec_fork *r)
{
	struct task *t = task_find(eng.ts, (int)r->h.tid);
	if (!t)
		t = task_find(eng.ts, (int)r->h.tgid);
	if (!t || task_find(eng.ts, (int)r->child_tid))
		return;
	uint64_t flags = r->flags;
	if (flags & CLONE_THREAD)
		flags |= CLONE_SIGHAND;
	int event = (flags & CLONE_VFORK) ? PTRACE_EVENT_VFORK : (flags & CLONE_THREAD) ? PTRACE_EVENT_CLONE
											 : PTRACE_EVENT_FORK;
	eng.ev_time = log_time(r->t);
	eng_child_add(t, (int)r->child_tid, flags, eng_via(arch_sc_kind(false, r->nr), event));
	eng.ev_time = 0;
}

static void on_task_exit(const struct brec_exit *r)
{
	struct task *t = task_find(eng.ts, (int)r->h.tid);
	if (!t)
		return;
	struct proc *p = t->proc;
	bool leader = t->tid == p->pid;
	int status = (int)r->exit_code;
	eng.ev_time = log_time(r->t);
	if (!r->group_dead) {
		if (leader) {
			/* doc/ENGINE.md, 'Zombie leader': its status comes with the last thread */
			p->leader_exited = true;
			eng_of(t)->exit_status = status;
		} else {
			eng_task_died(t, status);
		}
	} else {
		struct task *lt = task_find(eng.ts, p->pid);
		int pstatus = r->group_exit ? (int)r->group_code
			      : leader ? status : lt ? eng_of(lt)->exit_status : status;
		if (!leader)
			eng_task_died(t, status);
		if (lt)
			eng_task_died(lt, pstatus);
	}
	eng.ev_time = 0;
}

static void handle(const void *data, size_t size)
{
	const struct brec_hdr *h = data;
	if (size < sizeof(*h))
		return;
	switch (h->type) {
	case BREC_SYS:
		if (size >= sizeof(struct brec_sys))
			on_sys(data, size);
		break;
	case BREC_EXECARGS:
		if (size >= sizeof(struct brec_execargs))
			on_execargs(data, size);
		break;
	case BREC_EXEC:
		if (size >= sizeof(struct brec_exec))
			on_exec(data, size);
		break;
	case BREC_FORK:
		if (size >= sizeof(struct brec_fork))
			on_fork(data);
		break;
	case BREC_EXIT:
		if (size >= sizeof(struct brec_exit))
			on_task_exit(data);
		break;
	default:
		break;
	}
}

/* Handle every queued record; returns how many. */
static size_t drain(void)
{
	static struct buf mine;
	pthread_mutex_lock(&q.lock);
	struct buf tmp = q.in;
	q.in = mine;
	mine = tmp;
	pthread_mutex_unlock(&q.lock);
	size_t n = 0;
	for (size_t off = 0; off + 8 <= mine.len;) {
		uint32_t size;
		memcpy(&size, mine.data + off, sizeof(size));
		off += 8;
		if (size > mine.len - off)
			break;
		handle(mine.data + off, size);
		off += (size + 7u) & ~7u;
		n++;
	}
	buf_reset(&mine);
	return n;
}

/* ---- tasks that ended unsaid (a lost exit record) ---- */

static void sweep_one(struct task *t, void *ctx)
{
	char path[64];
	(void)ctx;
	snprintf(path, sizeof(path), "/proc/%d/task/%d", t->proc->pid, t->tid);
	if (access(path, F_OK) == 0)
		return;
	eng_abandon(t);
	eng_task_gone(t);
}

/* ---- the launched command ---- */

static NORETURN void child_main(const char *path, char **argv, int syncfd)
{
	char c;
	eng_child_setup();
	/* wait until our pid is in the traced set */
	while (read(syncfd, &c, 1) < 0 && errno == EINTR)
		;
	close(syncfd);
	execv(path, argv);
	eng.shm->exec_errno = errno;
	_exit(errno == ENOENT ? 127 : 126);
}

static void launch(struct run *r)
{
	int sync[2];
	pid_t pid = eng_fork_held(sync);
	if (pid == 0)
		child_main(eng.cmd_path, eng.cfg->argv, sync[0]);
	if (bpfe_trace_pid(bpfe, pid) < 0)
		eng_held_failed(pid, "the traced set");
	struct task *t = eng_held_root(r, pid, eng.cmd_path);
	decode_proc_prime(t->proc); /* its fds and cwd, while it waits: it is never stopped again */
	eng_hooks_start(t->proc, t);
	eng_held_go(sync[1]);
	free(eng.cmd_path);
	eng.cmd_path = NULL;
}

/* ---- entry points ---- */

void eng_bpf_prepare(struct run *r)
{
	eng_launch_prepare(r);
	bpfe = bpfe_load(eng.cfg->bpf_ring_size, eng.cfg->bpf_coalesce);
	/* the log starts now: loading (the verifier) took a while, no output has started yet */
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	evlog_set_start(eng.log, now_ns(), real);
	json_key(&r->header_extra, "engine");
	json_str(&r->header_extra, "bpf", 3);
}

void eng_bpf_trace(struct run *r)
{
	q.efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (q.efd < 0)
		die(70, "eventfd: %s", strerror(errno));
	q.rb = ring_buffer__new(bpfe_ring_fd(bpfe), on_ring, NULL, NULL);
	if (!q.rb)
		die(70, "--engine bpf: ring buffer: %s", strerror(errno));
	bpfe_attach(bpfe);
	if (pthread_create(&q.thread, NULL, poll_main, NULL))
		die(70, "--engine bpf: cannot start the ring reader");
	launch(r);

	bool root_reaped = false;
	uint64_t last_rec = now_ns();
	while (taskset_count(eng.ts) > 0) {
		struct pollfd pf[2] = { { q.efd, POLLIN, 0 }, { eng.sigfd, POLLIN, 0 } };
		if (poll(pf, 2, 100) < 0 && errno != EINTR)
			die(70, "poll: %s", strerror(errno));
		uint64_t v;
		if (pf[0].revents && read(q.efd, &v, sizeof(v)) < 0) {
			/* nothing to read: another wake-up took it */
		}
		if (drain())
			last_rec = now_ns();
		eng_look_around(); /* signals: doc/ENGINE.md, 'Ctrl-C and signals to the tracer' */
		if (!root_reaped) {
			int st;
			struct rusage ru;
			if (wait4(eng.root_pid, &st, WNOHANG, &ru) == eng.root_pid) {
				root_reaped = true;
				r->cpu_user = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
				r->cpu_sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
				r->peak_rss = (uint64_t)ru.ru_maxrss * 1024;
			}
		}
		/*
		 * Every exit of the tree comes as a record, unless the ring lost it
		 * (doc/BPF.md, 'Losses'): once the command is reaped and the ring
		 * has been quiet, a task /proc no longer shows is let go.
		 */
		if (root_reaped && now_ns() - last_rec > IDLE_SWEEP_NS) {
			taskset_each(eng.ts, sweep_one, NULL);
			last_rec = now_ns();
		}
	}
	if (!eng.root_done && !root_reaped)
		waitpid(eng.root_pid, NULL, 0);
}

void eng_bpf_finish(struct run *r)
{
	atomic_store(&q.stop, 1);
	pthread_join(q.thread, NULL);
	ring_buffer__free(q.rb);
	uint64_t lost = bpfe_lost(bpfe);
	bpfe_destroy(bpfe);
	bpfe = NULL;
	buf_free(&q.in);
	close(q.efd);
	r->lost = lost;
	json_key(&r->end_extra, "lost");
	buf_printf(&r->end_extra, "%llu", (unsigned long long)lost);
	if (lost) {
		char msg[160];
		snprintf(msg, sizeof(msg),
			 "the BPF ring buffer was full: %llu records lost; the trace is incomplete "
			 "(a larger --bpf-ring-size keeps more)", (unsigned long long)lost);
		eng.ev_time = 0;
		eng_warning(NULL, msg);
	}
}
