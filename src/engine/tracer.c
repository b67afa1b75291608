/* SPDX-License-Identifier: MIT */
/* tracer: the ptrace engine's entry points, and the task and hook helpers its files share. */
#include "engine/tracer.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/bpf_eng.h"
#include "engine/engine_int.h"
#include "lib/msg.h"

static struct tracer_hooks hooks[ENG_MAX_HOOKS];
static struct tracer_cfg cfg;
struct eng_state eng = { .cfg = &cfg, .hooks = hooks };

void tracer_add_hooks(const struct tracer_hooks *h)
{
	if (eng.nhooks == ENG_MAX_HOOKS)
		die(70, "internal: too many tracer hooks");
	hooks[eng.nhooks++] = *h;
}

struct taskset *tracer_tasks(void)
{
	return eng.ts;
}

/* ---- tasks, events, hooks ---- */

struct task *eng_task_new(int tid, struct proc *p)
{
	struct task *t = task_add(eng.ts, tid, p);
	struct eng_task *e = xcalloc(1, sizeof(*e));
	e->fresh = true;
	t->eng = e;
	if (!p)
		t->proc->t_start = evlog_now(eng.log);
	return t;
}

void eng_task_gone(struct task *t)
{
	struct eng_task *e = t->eng;
	if (t->proc->refs == 1 && t->proc->cpu_pending) {
		t->proc->cpu_pending = false;
		eng.ru_wanted--;
	}
	if (e && e->at_exit && t->proc->nexiting)
		t->proc->nexiting--;
	if (e) {
		buf_free(&e->ex);
		free(e);
	}
	t->eng = NULL;
	task_del(eng.ts, t);
}

void eng_warning(struct task *t, const char *msg)
{
	struct ev_draft d;
	eng_ev_start(&d, EVT_WARNING, t);
	ev_cstr(&d, eng.log, EVK_MSG, msg);
	evlog_append(eng.log, &d);
	warnmsg("%s", msg);
}

uint32_t eng_intern_basename(uint32_t path_id)
{
	size_t len;
	const char *s = evlog_str(eng.log, path_id, &len);
	if (!s)
		return 0;
	const char *b = memrchr(s, '/', len);
	b = b ? b + 1 : s;
	return evlog_intern(eng.log, b, len - (size_t)(b - s));
}

uint32_t eng_cmdline_ids(int pid, uint32_t *ids, uint32_t max)
{
	char path[64];
	struct buf b = {0};
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	char chunk[4096];
	ssize_t n;
	while (b.len < EXEC_MAX_BYTES && (n = read(fd, chunk, sizeof(chunk))) > 0)
		buf_add(&b, chunk, (size_t)n);
	close(fd);
	uint32_t k = 0;
	for (size_t off = 0; off < b.len && k < max;) {
		size_t l = strnlen(b.data + off, b.len - off);
		ids[k++] = evlog_intern(eng.log, b.data + off, l);
		off += l + 1;
	}
	buf_free(&b);
	return k;
}

void eng_pidfd_kill(int pid, int sig)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return;
	syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	close(fd);
}

void eng_hooks_start(struct proc *p, struct task *t)
{
	for (int i = 0; i < eng.nhooks; i++) {
		if (p && hooks[i].proc_start)
			hooks[i].proc_start(hooks[i].ctx, p);
		if (t && hooks[i].task_start)
			hooks[i].task_start(hooks[i].ctx, t);
	}
}

void eng_hooks_proc_exec(struct proc *p)
{
	for (int i = 0; i < eng.nhooks; i++)
		if (hooks[i].proc_exec)
			hooks[i].proc_exec(hooks[i].ctx, p);
}

void eng_hooks_proc_exit(struct proc *p)
{
	for (int i = 0; i < eng.nhooks; i++)
		if (hooks[i].proc_exit)
			hooks[i].proc_exit(hooks[i].ctx, p);
}

void eng_hooks_proc_exiting(struct proc *p)
{
	for (int i = 0; i < eng.nhooks; i++)
		if (hooks[i].proc_exiting)
			hooks[i].proc_exiting(hooks[i].ctx, p);
}

void eng_hooks_fatal_signal(struct task *t, const siginfo_t *si)
{
	for (int i = 0; i < eng.nhooks; i++)
		if (hooks[i].fatal_signal)
			hooks[i].fatal_signal(hooks[i].ctx, t, si);
}

/* ---- entry points ---- */

void tracer_prepare(struct run *r, const struct tracer_cfg *c)
{
	if (eng.prepared)
		return;
	eng.prepared = true;
	cfg = *c;
	eng.self = getpid();
	eng.log = r->log;
	if (cfg.engine_bpf)
		eng_bpf_prepare(r);
	else if (cfg.npids == 0)
		eng_launch_prepare(r);
	else
		eng_attach_prepare(r);
}

static void drop_left(struct task *t, void *ctx)
{
	(void)ctx;
	eng_abandon(t);
	eng_task_gone(t);
}

int tracer_run(struct run *r)
{
	if (!eng.prepared)
		die(70, "internal: tracer_run before tracer_prepare");
	eng.r = r;
	eng.root_pidfd = -1;
	eng.attach = cfg.npids > 0;
	eng.ts = taskset_new();
	uint64_t now = now_ns();
	for (int i = 0; i < eng.nhooks; i++)
		eng.tick_last[i] = now;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	eng_signals_setup();

	if (cfg.engine_bpf) {
		eng_bpf_trace(r);
		eng_bpf_finish(r);
	} else {
		if (eng.attach) {
			eng.mode_known = true;
			eng_attach_all();
		} else {
			eng_launch(r);
		}
		/*
		 * doc/ENGINE.md, 'Tracee attacking its tracer': a tracee must not attach to us nor read our memory. Only now:
		 * a child forked while we were non-dumpable could not be seized by a
		 * non-root compendium until it made itself dumpable again.
		 */
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		eng_trace_loop();
	}

	if (eng.attach) {
		eng_detach_orphans();
		r->end = eng.detaching ? RUN_DETACHED : RUN_GONE;
	} else if (!eng.root_done) {
		r->end = RUN_EXITED;
	}
	r->t_end = evlog_now(eng.log);
	for (int i = 0; i < eng.nhooks; i++)
		if (hooks[i].finish)
			hooks[i].finish(hooks[i].ctx);
	/* whatever is left will never report again (ECHILD) */
	taskset_each(eng.ts, drop_left, NULL);
	taskset_free(eng.ts);
	eng.ts = NULL;

	eng_signals_restore();
	if (eng.root_pidfd >= 0)
		close(eng.root_pidfd);
	if (eng.shm)
		munmap(eng.shm, sizeof(*eng.shm));
	free(eng.orph);
	free(eng.gone);
	free(eng.unwaited);
	return 0;
}
