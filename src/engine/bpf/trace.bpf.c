// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * trace.bpf: the in-kernel half of --engine bpf (doc/BPF.md). Follows the
 * traced tree (fork, exec, exit), saves each syscall's arguments at entry,
 * reads its strings and sockaddrs at exit and writes one record per call to
 * the ring buffer; consecutive read/write calls of one thread on one fd are
 * coalesced into one record. Every name starts with cpd_, so that
 * `bpftool prog list` shows what is ours.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "engine/bpf/rec.h"

char LICENSE[] SEC("license") = "Dual MIT/GPL";

#define TS_COMPAT 0x0002
#define SIGNAL_GROUP_EXIT 0x00000004
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define COALESCE_MAX_CALLS 65536
#define COALESCE_MAX_NS 50000000ull /* 50 ms */
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_VFORK 0x00004000
#define CLONE_THREAD 0x00010000

struct inflight {
	__s64 nr;
	__u64 args[6];
	__u64 t_enter;
	__u32 compat;
	__u32 pad;
};

struct sys_buf {
	struct brec_sys r;
	char data[BCAP_AREA + BCAP_STR_MAX];
};

struct exec_buf {
	struct brec_execargs r;
	char data[2 * BEXEC_AREA]; /* room for a last string read at BEXEC_AREA - 1 */
};

struct path_buf {
	struct brec_exec r;
	char data[BPATH_AREA + 256];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* user space sets --bpf-ring-size before loading */
} cpd_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
} cpd_traced SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct inflight);
} cpd_inflight SEC(".maps");

/* a thread's pending run of reads on one fd, and of writes on one fd (dd alternates them) */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct brec_sys);
} cpd_pend_rd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct brec_sys);
} cpd_pend_wr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, struct bcap_spec);
} cpd_spec SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sys_buf);
} cpd_sysbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_buf);
} cpd_execbuf SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct path_buf);
} cpd_pathbuf SEC(".maps");

/* records the ring had no room for, per CPU (doc/BPF.md, 'Losses') */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} cpd_lost SEC(".maps");

static __always_inline void count_lost(void)
{
	__u32 k = 0;
	__u64 *n = bpf_map_lookup_elem(&cpd_lost, &k);
	if (n)
		*n += 1;
}

static __always_inline void emit(void *rec, __u64 size)
{
	if (bpf_ringbuf_output(&cpd_events, rec, size, 0))
		count_lost();
}

static __always_inline bool traced(__u32 tgid)
{
	return bpf_map_lookup_elem(&cpd_traced, &tgid) != NULL;
}

/* The pending coalesced read and write runs of tid, written out, the older first. */
static __always_inline void flush_pending(__u32 tid)
{
	struct brec_sys *r = bpf_map_lookup_elem(&cpd_pend_rd, &tid);
	struct brec_sys *w = bpf_map_lookup_elem(&cpd_pend_wr, &tid);
	if (r && w && w->t_enter < r->t_enter) {
		emit(w, sizeof(*w));
		emit(r, sizeof(*r));
	} else {
		if (r)
			emit(r, sizeof(*r));
		if (w)
			emit(w, sizeof(*w));
	}
	if (r)
		bpf_map_delete_elem(&cpd_pend_rd, &tid);
	if (w)
		bpf_map_delete_elem(&cpd_pend_wr, &tid);
}

/* ---- entry ---- */

static __always_inline void exec_args(struct inflight *in, __u32 tid, __u32 tgid)
{
	__u32 k = 0;
	struct exec_buf *b = bpf_map_lookup_elem(&cpd_execbuf, &k);
	if (!b)
		return;
	bool at = in->nr == NR_EXECVEAT;
	const char *path = (const char *)(at ? in->args[1] : in->args[0]);
	const char *const *argv = (const char *const *)(at ? in->args[2] : in->args[1]);
	__u32 off = 0, flags = 0, argc = 0;
	long n = path ? bpf_probe_read_user_str(b->data, BCAP_STR_MAX, path) : -1;
	if (n <= 0) {
		b->data[0] = 0;
		n = 1;
		flags |= BEXA_NOPATH;
	}
	off = (__u32)n;
	for (int i = 0; i < BEXEC_ARGS; i++) {
		const char *a = NULL;
		if (!argv || bpf_probe_read_user(&a, sizeof(a), &argv[i]) || !a)
			break;
		if (off >= BEXEC_AREA) {
			flags |= BEXA_TRUNC;
			break;
		}
		n = bpf_probe_read_user_str(b->data + (off & (BEXEC_AREA - 1)), BCAP_STR_MAX, a);
		if (n <= 0)
			break;
		off += (__u32)n;
		argc++;
		if (i == BEXEC_ARGS - 1)
			flags |= BEXA_TRUNC;
	}
	if (off > BEXEC_AREA) {
		off = BEXEC_AREA;
		flags |= BEXA_TRUNC;
	}
	b->r.h.type = BREC_EXECARGS;
	b->r.h.tid = tid;
	b->r.h.tgid = tgid;
	b->r.t = in->t_enter;
	b->r.argc = argc;
	b->r.flags = flags;
	b->r.len = off;
	__u64 size = sizeof(b->r) + ((off + 7) & (2 * BEXEC_AREA - 8));
	b->r.h.size = (__u32)size;
	emit(b, size);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(cpd_sys_enter, struct pt_regs *regs, long id)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tgid = pt >> 32, tid = (__u32)pt;
	if (!traced(tgid))
		return 0;
	struct task_struct *task = (struct task_struct *)bpf_get_current_task_btf();
	struct inflight in = {};
	in.nr = id;
	in.args[0] = BPF_CORE_READ(regs, di);
	in.args[1] = BPF_CORE_READ(regs, si);
	in.args[2] = BPF_CORE_READ(regs, dx);
	in.args[3] = BPF_CORE_READ(regs, r10);
	in.args[4] = BPF_CORE_READ(regs, r8);
	in.args[5] = BPF_CORE_READ(regs, r9);
	in.t_enter = bpf_ktime_get_ns();
	in.compat = (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT) != 0;

	struct brec_sys *pr = bpf_map_lookup_elem(&cpd_pend_rd, &tid);
	struct brec_sys *pw = bpf_map_lookup_elem(&cpd_pend_wr, &tid);
	/* a run ends at any other call: a read or write on another fd included */
	bool same = !in.compat && ((id == 0 && (!pr || pr->args[0] == in.args[0])) ||
				   (id == 1 && (!pw || pw->args[0] == in.args[0])));
	if ((pr != NULL) + (pw != NULL) && !same)
		flush_pending(tid);
	bpf_map_update_elem(&cpd_inflight, &tid, &in, BPF_ANY);
	if (!in.compat && (id == NR_EXECVE || id == NR_EXECVEAT))
		exec_args(&in, tid, tgid); /* after a success the old memory is gone */
	return 0;
}

/* ---- exit ---- */

/* v &= mask where the verifier sees it (clang drops a mask it can prove redundant) */
#define BOUND(v, mask) asm volatile("%0 &= " #mask : "+r"(v))

/* Argument i of the call (a bounded index the verifier can follow). */
static __always_inline __u64 arg_of(const struct inflight *in, __u8 i)
{
	switch (i) {
	case 0: return in->args[0];
	case 1: return in->args[1];
	case 2: return in->args[2];
	case 3: return in->args[3];
	case 4: return in->args[4];
	case 5: return in->args[5];
	default: return 0;
	}
}

/* One capture slot read into the data area at *off (slots are filled in order). */
static __always_inline void capture(struct sys_buf *b, int slot, const struct bcap_spec *sp,
				    const struct inflight *in, __u32 *off)
{
	__u8 kind = sp->kind[slot];
	if (kind == BCK_NONE)
		return;
	__u64 addr = arg_of(in, sp->arg[slot]);
	struct bcap *c = &b->r.cap[slot];
	c->addr = addr;
	c->len = 0;
	c->flags = 0;
	b->r.ncap = slot + 1;
	if (!addr) {
		c->flags = BCAPF_FAULT;
		return;
	}
	char *dst = b->data + (*off & (BCAP_AREA - 1));
	long n;
	__u32 want;
	switch (kind) {
	case BCK_STR:
		n = bpf_probe_read_user_str(dst, BCAP_STR_MAX, (const void *)addr);
		if (n == BCAP_STR_MAX)
			c->flags |= BCAPF_TRUNC;
		break;
	case BCK_FIXED:
		want = sp->size[slot];
		if (want > BCAP_MEM_MAX)
			want = BCAP_MEM_MAX;
		BOUND(want, 0xff);
		n = bpf_probe_read_user(dst, want, (const void *)addr) ? -1 : (long)want;
		break;
	case BCK_LENARG:
		want = (__u32)arg_of(in, sp->aux[slot]);
		if (want > BCAP_MEM_MAX)
			want = BCAP_MEM_MAX;
		BOUND(want, 0xff);
		n = bpf_probe_read_user(dst, want, (const void *)addr) ? -1 : (long)want;
		break;
	case BCK_LENPTR: {
		__u32 len = 0;
		__u64 lp = arg_of(in, sp->aux[slot]);
		if (!lp || bpf_probe_read_user(&len, sizeof(len), (const void *)lp))
			len = BCAP_MEM_MAX;
		want = len > BCAP_MEM_MAX ? BCAP_MEM_MAX : len;
		BOUND(want, 0xff);
		n = bpf_probe_read_user(dst, want, (const void *)addr) ? -1 : (long)want;
		break;
	}
	default:
		n = -1;
	}
	if (n <= 0) {
		c->flags |= n < 0 ? BCAPF_FAULT : 0;
		return;
	}
	c->len = (__u32)n;
	*off += ((__u32)n + 7) & ~7u;
}

static __always_inline void fill_sys(struct brec_sys *r, const struct inflight *in, __u32 tid, __u32 tgid,
				     long ret, __u64 now)
{
	r->h.type = BREC_SYS;
	r->h.tid = tid;
	r->h.tgid = tgid;
	r->t_enter = in->t_enter;
	r->t_exit = now;
	r->nr = in->nr;
	for (int i = 0; i < 6; i++)
		r->args[i] = in->args[i];
	r->ret = ret;
	r->calls = 1;
	r->flags = in->compat ? BSYS_COMPAT : 0;
	r->ncap = 0;
}

/* A read/write of the pending run's thread: added to it, or a new run. */
static __always_inline void coalesce(const struct inflight *in, __u32 tid, __u32 tgid, long ret, __u64 now)
{
	void *map = in->nr == 0 ? (void *)&cpd_pend_rd : (void *)&cpd_pend_wr;
	struct brec_sys *p = bpf_map_lookup_elem(map, &tid);
	if (p && p->args[0] == in->args[0] && p->calls < COALESCE_MAX_CALLS && now - p->t_enter < COALESCE_MAX_NS) {
		p->calls++;
		p->ret += ret;
		p->t_exit = now;
		return;
	}
	if (p)
		flush_pending(tid);
	struct brec_sys r = {};
	fill_sys(&r, in, tid, tgid, ret, now);
	r.h.size = sizeof(r);
	bpf_map_update_elem(map, &tid, &r, BPF_ANY);
}

static __always_inline void sys_record(struct inflight *in, __u32 tid, __u32 tgid, long ret, __u16 flags)
{
	__u32 k = 0;
	struct sys_buf *b = bpf_map_lookup_elem(&cpd_sysbuf, &k);
	if (!b)
		return;
	__u64 now = bpf_ktime_get_ns();
	fill_sys(&b->r, in, tid, tgid, ret, now);
	b->r.flags |= flags;
	for (int i = 0; i < BCAP_SLOTS; i++)
		b->r.cap[i] = (struct bcap){};
	__u32 off = 0;
	__u32 nr = (__u32)in->nr;
	struct bcap_spec *sp = !in->compat && nr < 512 && !(flags & BSYS_NOEXIT) ?
		bpf_map_lookup_elem(&cpd_spec, &nr) : NULL;
	if (sp) {
		capture(b, 0, sp, in, &off);
		capture(b, 1, sp, in, &off);
		capture(b, 2, sp, in, &off);
	}
	__u64 size = sizeof(b->r) + (off & (BCAP_AREA - 1));
	b->r.h.size = (__u32)size;
	emit(b, size);
}

SEC("tp_btf/sys_exit")
int BPF_PROG(cpd_sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pt = bpf_get_current_pid_tgid();
	__u32 tgid = pt >> 32, tid = (__u32)pt;
	if (!traced(tgid))
		return 0;
	struct inflight *in = bpf_map_lookup_elem(&cpd_inflight, &tid);
	if (!in)
		return 0; /* a new child's return from fork: no entry was seen */
	__u32 nr = (__u32)in->nr;
	struct bcap_spec *sp = !in->compat && nr < 512 ? bpf_map_lookup_elem(&cpd_spec, &nr) : NULL;
	if (sp && sp->coalesce && ret >= 0) {
		coalesce(in, tid, tgid, ret, bpf_ktime_get_ns());
	} else {
		flush_pending(tid);
		sys_record(in, tid, tgid, ret, 0);
	}
	bpf_map_delete_elem(&cpd_inflight, &tid);
	return 0;
}

/* ---- the tree ---- */

SEC("tp_btf/sched_process_fork")
int BPF_PROG(cpd_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	if (!traced(ptgid))
		return 0;
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u8 one = 1;
	bpf_map_update_elem(&cpd_traced, &ctgid, &one, BPF_ANY);
	struct brec_fork r = {};
	r.h.type = BREC_FORK;
	r.h.size = sizeof(r);
	/* the current task is the one that called fork/clone (parent may be its group leader) */
	__u64 pt = bpf_get_current_pid_tgid();
	r.h.tid = (__u32)pt;
	r.h.tgid = ptgid;
	r.t = bpf_ktime_get_ns();
	r.child_tid = BPF_CORE_READ(child, pid);
	r.child_tgid = ctgid;
	struct task_struct *cur = (struct task_struct *)bpf_get_current_task_btf();
	if (BPF_CORE_READ(child, mm) == BPF_CORE_READ(cur, mm))
		r.flags |= CLONE_VM;
	if (BPF_CORE_READ(child, fs) == BPF_CORE_READ(cur, fs))
		r.flags |= CLONE_FS;
	if (BPF_CORE_READ(child, files) == BPF_CORE_READ(cur, files))
		r.flags |= CLONE_FILES;
	if (ctgid == ptgid)
		r.flags |= CLONE_THREAD;
	if (BPF_CORE_READ(child, vfork_done))
		r.flags |= CLONE_VFORK;
	__u32 tid = r.h.tid;
	struct inflight *in = bpf_map_lookup_elem(&cpd_inflight, &tid);
	r.nr = in ? in->nr : -1;
	flush_pending(tid);
	emit(&r, sizeof(r));
	return 0;
}

struct walk {
	struct path_buf *b;
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *m;
	__u32 pos;
	int bad;
};

/* One step of the walk up from a dentry (bpf_loop keeps the verifier's work per step). */
static long walk_step(__u64 i, void *ctx)
{
	struct walk *w = ctx;
	struct dentry *d = w->d;
	struct vfsmount *vm = w->vm;
	struct mount *m = w->m;
	struct dentry *root = BPF_CORE_READ(vm, mnt_root);
	if (d == root) {
		struct mount *mp = BPF_CORE_READ(m, mnt_parent);
		if (mp == m)
			return 1;
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->vm = &mp->mnt;
		return 0;
	}
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	if (parent == d)
		return 1;
	__u32 len = BPF_CORE_READ(d, d_name.len);
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	__u32 pos = w->pos;
	if (len > 255 || len + 1 > pos) {
		w->bad = 1;
		return 1;
	}
	pos -= len;
	BOUND(len, 0xff);
	bpf_probe_read_kernel(w->b->data + (pos & (BPATH_AREA - 1)), len, name);
	pos -= 1;
	w->b->data[pos & (BPATH_AREA - 1)] = '/';
	w->pos = pos;
	w->d = parent;
	return 0;
}

/* The path of f from its dentries up to the root, crossing mounts, at the end of b->data. */
static __always_inline __u32 file_path(struct path_buf *b, struct file *f, __u32 *start)
{
	struct walk w = {};
	w.b = b;
	w.d = BPF_CORE_READ(f, f_path.dentry);
	w.vm = BPF_CORE_READ(f, f_path.mnt);
	w.m = container_of(w.vm, struct mount, mnt);
	w.pos = BPATH_AREA - 1;
	b->data[BPATH_AREA - 1] = 0;
	long steps = bpf_loop(BPATH_DEPTH, walk_step, &w, 0);
	if (w.bad || steps >= BPATH_DEPTH)
		return 0; /* too deep or too long: user space reads /proc/PID/exe */
	__u32 pos = w.pos;
	if (pos == BPATH_AREA - 1) {
		pos -= 1;
		b->data[pos & (BPATH_AREA - 1)] = '/';
	}
	*start = pos;
	return BPATH_AREA - pos; /* NUL included */
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(cpd_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	if (!traced(tgid))
		return 0;
	__u32 k = 0;
	struct path_buf *b = bpf_map_lookup_elem(&cpd_pathbuf, &k);
	if (!b)
		return 0;
	__u32 start = 0;
	__u32 len = file_path(b, BPF_CORE_READ(bprm, file), &start);
	struct brec_exec *r = &b->r;
	r->h.type = BREC_EXEC;
	r->h.tid = BPF_CORE_READ(p, pid);
	r->h.tgid = tgid;
	r->t = bpf_ktime_get_ns();
	r->old_tid = (__u32)old_pid;
	r->len = 0;
	r->h.size = sizeof(*r);
	if (len == 0 || len > BPATH_AREA) {
		emit(r, sizeof(*r));
		return 0;
	}
	/* the record and its path are made contiguous in the ring */
	__u64 size = (sizeof(*r) + len + 7) & ~7ull;
	r->len = len;
	r->h.size = (__u32)size;
	struct brec_exec *out = bpf_ringbuf_reserve(&cpd_events, sizeof(*r) + BPATH_AREA, 0);
	if (!out) {
		count_lost();
		return 0;
	}
	__builtin_memcpy(out, r, sizeof(*r));
	bpf_probe_read_kernel((char *)(out + 1), len & (BPATH_AREA - 1), b->data + (start & (BPATH_AREA - 1)));
	bpf_ringbuf_submit(out, 0);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(cpd_exit, struct task_struct *p)
{
	__u32 tgid = BPF_CORE_READ(p, tgid);
	if (!traced(tgid))
		return 0;
	__u32 tid = BPF_CORE_READ(p, pid);
	flush_pending(tid);
	struct inflight *in = bpf_map_lookup_elem(&cpd_inflight, &tid);
	if (in) {
		sys_record(in, tid, tgid, 0, BSYS_NOEXIT);
		bpf_map_delete_elem(&cpd_inflight, &tid);
	}
	struct brec_exit r = {};
	r.h.type = BREC_EXIT;
	r.h.size = sizeof(r);
	r.h.tid = tid;
	r.h.tgid = tgid;
	r.t = bpf_ktime_get_ns();
	r.exit_code = BPF_CORE_READ(p, exit_code);
	r.group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;
	if (BPF_CORE_READ(p, signal, flags) & SIGNAL_GROUP_EXIT) {
		r.group_exit = 1;
		r.group_code = BPF_CORE_READ(p, signal, group_exit_code);
	}
	if (r.group_dead)
		bpf_map_delete_elem(&cpd_traced, &tgid);
	emit(&r, sizeof(r));
	return 0;
}
