// SPDX-License-Identifier: MIT
/* decode_nodump: processes whose memory the tracer may not read (non-dumpable), told once and labelled. */
/*
 * A process the kernel made non-dumpable (an execute-only program run by
 * another user, a setuid program, prctl(PR_SET_DUMPABLE, 0)) refuses a
 * tracer without CAP_SYS_PTRACE its memory (process_vm_readv EPERM,
 * PTRACE_PEEKDATA EIO) and its /proc entries (fd, maps, cwd, exe:
 * EACCES), although ptrace still stops it at every syscall
 * (doc/ENGINE.md, 'Non-dumpable tracees'). Paths it passes, fds it gets
 * through memory (pipe, socketpair) and the names of its fds and
 * mappings are then unknown: the events say so ("unknown": "memory not
 * readable") rather than leave a gap that reads as anonymous memory or a
 * pipe, and one warning per process names it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "decode/decode_int.h"
#include "lib/msg.h"
#include "tracee/tmem.h"

#define DND_LABEL "memory not readable"

static struct proc *cur_p; /* the process and thread of the current stop */
static int cur_tid;
static int pending_tid; /* a refusal met outside a decoder (the engine's execve argv) */

static void warn(struct proc *p, int tid)
{
	struct decode_proc *dp = dec_proc(p);
	dp->mem = DEC_MEM_REFUSED;
	if (dp->mem_warned || !dec_log)
		return;
	dp->mem_warned = true;
	size_t cn = 0;
	const char *comm = p->comm ? evlog_str(dec_log, p->comm, &cn) : NULL;
	char msg[512];
	snprintf(msg, sizeof(msg),
		 "pid %d (%.*s): " DND_LABEL " (a non-dumpable process, such as an execute-only "
		 "program): the paths it passes and the names of its files, pipes and mappings are "
		 "unknown; trace as root to see them",
		 p->pid, comm ? (int)(cn > 64 ? 64 : cn) : 1, comm ? comm : "?");
	struct ev_draft d;
	ev_init(&d, EVT_WARNING, evlog_now(dec_log), p->pid, tid);
	ev_cstr(&d, dec_log, EVK_MSG, msg);
	ev_cstr(&d, dec_log, EVK_KIND, "unreadable");
	if (p->comm)
		ev_strid(&d, EVK_COMM, p->comm);
	evlog_append(dec_log, &d);
	warnmsg("%s", msg);
}

static void denied(int tid)
{
	if (cur_p && tid == cur_tid)
		warn(cur_p, tid);
	else
		pending_tid = tid;
}

void dnd_init(void)
{
	tmem_set_denied_hook(denied);
	cur_p = NULL;
	pending_tid = 0;
}

static void probe(struct proc *p, int tid)
{
	int r = tmem_probe(tid);
	if (r == -EPERM)
		warn(p, tid);
	else if (r == 0)
		dec_proc(p)->mem = DEC_MEM_OK;
}

void dnd_stop(struct task *t)
{
	cur_p = t->proc;
	cur_tid = t->tid;
	if (!cur_p)
		return;
	if (pending_tid == t->tid) {
		pending_tid = 0;
		warn(cur_p, t->tid);
	} else if (dec_proc(cur_p)->mem == DEC_MEM_UNKNOWN) {
		probe(cur_p, t->tid); /* a new process: forked, attached, launched */
	}
}

void dnd_exec(struct proc *p)
{
	dec_proc(p)->mem = DEC_MEM_UNKNOWN; /* the new image decides */
	probe(p, p->pid);                   /* the exec stop is reported on the leader */
}

void dnd_forget(struct proc *p)
{
	if (p == cur_p)
		cur_p = NULL;
}

bool dnd_refused(const struct dec_call *c)
{
	return c->p && dec_proc(c->p)->mem == DEC_MEM_REFUSED;
}

void dnd_unknown(struct ev_draft *d, const struct dec_call *c)
{
	if (!dnd_refused(c))
		return;
	for (unsigned i = 0; i < d->h.nf; i++)
		if (d->f[i].key == EVK_UNKNOWN)
			return;
	ev_cstr(d, dec_log, EVK_UNKNOWN, DND_LABEL);
}
