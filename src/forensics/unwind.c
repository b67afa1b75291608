/* SPDX-License-Identifier: MIT */
/* unwind: -k call stacks through libunwind-ptrace, one cached address space per process. */
#include <errno.h>
#include <libunwind-ptrace.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>

#include "lib/json.h"
#include "forensics/symbols.h"
#include "forensics/unwind.h"
#include "lib/util.h"

struct uw_proc {
	int pid;
	uint64_t t_start;       /* tells a reused pid from the process we cached */
	uint32_t exe;           /* image it was built for: an exec invalidates it */
	unw_addr_space_t as;
	struct sym_maps *maps;  /* read lazily; re-read when an IP is not found */
	struct uw_proc *next;
};

#define UW_HASH 256
static struct uw_proc *uw_tab[UW_HASH];

/*
 * The thread being unwound, its registers (one PTRACE_GETREGS) and a few
 * pages of its memory (one process_vm_readv each), valid for one capture:
 * _UPT's own accessors cost a ptrace call per word and per register
 * (doc/ENGINE.md, 'Unwind caches and code that changes').
 * The tracer is single-threaded, so one capture runs at a time.
 */
#define UW_PAGES 8
static struct {
	int tid;
	bool have_regs;
	struct user_regs_struct regs;
	uint64_t base[UW_PAGES];      /* page address + 1; 0 = empty */
	uint8_t data[UW_PAGES][4096];
	unsigned next;
	bool vm_broken;               /* process_vm_readv unusable: _UPT's PEEKDATA */
} stop;

static int uw_access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	uint64_t page = addr & ~(uint64_t)4095, off = addr & 4095;
	unsigned slot;

	if (write)
		return -UNW_EINVAL; /* never write to a tracee */
	if (stop.vm_broken || off > 4096 - sizeof(*val))
		return _UPT_access_mem(as, addr, val, write, arg);
	for (slot = 0; slot < UW_PAGES; slot++)
		if (stop.base[slot] == page + 1)
			goto hit;
	slot = stop.next++ % UW_PAGES;
	struct iovec local = {stop.data[slot], 4096}, remote = {(void *)(uintptr_t)page, 4096};
	if (process_vm_readv(stop.tid, &local, 1, &remote, 1, 0) != 4096) {
		stop.base[slot] = 0;
		if (errno == ENOSYS || errno == EPERM)
			stop.vm_broken = true;
		if (errno == ENOSYS || errno == EPERM)
			return _UPT_access_mem(as, addr, val, write, arg);
		return -UNW_EINVAL;
	}
	stop.base[slot] = page + 1;
hit:
	memcpy(val, stop.data[slot] + off, sizeof(*val));
	return 0;
}

static int uw_access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val, int write, void *arg)
{
	const struct user_regs_struct *r = &stop.regs;

	if (write)
		return -UNW_EINVAL;
	if (!stop.have_regs)
		return _UPT_access_reg(as, reg, val, write, arg);
	switch (reg) {
	case UNW_X86_64_RAX: *val = r->rax; break;
	case UNW_X86_64_RDX: *val = r->rdx; break;
	case UNW_X86_64_RCX: *val = r->rcx; break;
	case UNW_X86_64_RBX: *val = r->rbx; break;
	case UNW_X86_64_RSI: *val = r->rsi; break;
	case UNW_X86_64_RDI: *val = r->rdi; break;
	case UNW_X86_64_RBP: *val = r->rbp; break;
	case UNW_X86_64_RSP: *val = r->rsp; break;
	case UNW_X86_64_R8: *val = r->r8; break;
	case UNW_X86_64_R9: *val = r->r9; break;
	case UNW_X86_64_R10: *val = r->r10; break;
	case UNW_X86_64_R11: *val = r->r11; break;
	case UNW_X86_64_R12: *val = r->r12; break;
	case UNW_X86_64_R13: *val = r->r13; break;
	case UNW_X86_64_R14: *val = r->r14; break;
	case UNW_X86_64_R15: *val = r->r15; break;
	case UNW_X86_64_RIP: *val = r->rip; break;
	default:
		return _UPT_access_reg(as, reg, val, write, arg);
	}
	return 0;
}

static unw_accessors_t uw_accessors;

static struct uw_proc **uw_slot(int pid)
{
	return &uw_tab[(unsigned)pid % UW_HASH];
}

static void uw_free(struct uw_proc *u)
{
	if (u->as)
		unw_destroy_addr_space(u->as);
	sym_maps_free(u->maps);
	free(u);
}

static struct uw_proc *uw_get(struct proc *p)
{
	struct uw_proc **pp = uw_slot(p->pid), *u;

	for (; (u = *pp); pp = &u->next) {
		if (u->pid != p->pid)
			continue;
		if (u->t_start == p->t_start && u->exe == p->exe)
			return u;
		*pp = u->next; /* pid reused by a new process, or a new image after exec */
		uw_free(u);
		break;
	}
	u = xcalloc(1, sizeof(*u));
	u->pid = p->pid;
	u->t_start = p->t_start;
	u->exe = p->exe;
	if (!uw_accessors.access_mem) {
		uw_accessors = _UPT_accessors;
		uw_accessors.access_mem = uw_access_mem;
		uw_accessors.access_reg = uw_access_reg;
	}
	u->as = unw_create_addr_space(&uw_accessors, 0);
	if (u->as)
		unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	u->next = *uw_slot(p->pid);
	*uw_slot(p->pid) = u;
	return u;
}

void unwind_flush(struct proc *p)
{
	struct uw_proc **pp, *u;

	if (!p)
		return;
	for (pp = uw_slot(p->pid); (u = *pp); pp = &u->next)
		if (u->pid == p->pid) {
			*pp = u->next;
			uw_free(u);
			break;
		}
	sym_cache_clear();
}

unsigned unwind_walk(uint64_t ip0, uint64_t sp0, unwind_step_fn step, void *ctx, uint64_t *ips,
		     unsigned max, const char **why)
{
	uint64_t sps[UNWIND_MAX_DEPTH];
	unsigned n = 0;

	*why = NULL;
	if (max > UNWIND_MAX_DEPTH)
		max = UNWIND_MAX_DEPTH;
	if (max == 0)
		return 0;
	ips[0] = ip0;
	sps[0] = sp0;
	n = 1;
	for (;;) {
		uint64_t ip = 0, sp = 0;
		bool sigframe = false;
		int r;

		if (n >= max) {
			*why = "depth";
			break;
		}
		r = step(ctx, &ip, &sp, &sigframe);
		if (r == 0 || (r > 0 && ip == 0))
			break; /* outermost frame */
		if (r < 0) {
			*why = "unreadable";
			break;
		}
		for (unsigned i = 0; i < n; i++)
			if (ips[i] == ip && sps[i] == sp) {
				*why = "cycle";
				return n;
			}
		/* The tracee controls its stack: a caller's frame must sit above the callee's. */
		if (sp <= sps[n - 1] && !sigframe) {
			*why = "sp";
			break;
		}
		ips[n] = ip;
		sps[n] = sp;
		n++;
	}
	return n;
}

struct uw_cursor {
	unw_cursor_t c;
};

static int uw_step(void *ctx, uint64_t *ip, uint64_t *sp, bool *signal_frame)
{
	struct uw_cursor *u = ctx;
	unw_word_t w;
	int r;

	*signal_frame = unw_is_signal_frame(&u->c) > 0;
	r = unw_step(&u->c);
	if (r <= 0)
		return r;
	if (unw_get_reg(&u->c, UNW_REG_IP, &w) < 0)
		return -1;
	*ip = w;
	if (unw_get_reg(&u->c, UNW_REG_SP, &w) < 0)
		return -1;
	*sp = w;
	return 1;
}

/* Collect raw IPs of thread tid; *why as in unwind_walk (or "no registers"). */
static unsigned uw_capture(struct uw_proc *u, int tid, uint64_t *ips, const char **why)
{
	struct uw_cursor cur;
	unw_word_t ip, sp;
	void *upt;
	unsigned n = 0;

	*why = "no registers";
	if (!u->as)
		return 0;
	memset(stop.base, 0, sizeof(stop.base));
	stop.tid = tid;
	stop.have_regs = ptrace(PTRACE_GETREGS, tid, 0, &stop.regs) == 0;
	if (!stop.have_regs && errno == ESRCH)
		return 0; /* the thread is gone */
	upt = _UPT_create(tid);
	if (!upt)
		return 0;
	if (unw_init_remote(&cur.c, u->as, upt) < 0 || unw_get_reg(&cur.c, UNW_REG_IP, &ip) < 0 ||
	    unw_get_reg(&cur.c, UNW_REG_SP, &sp) < 0)
		goto out;
	n = unwind_walk(ip, sp, uw_step, &cur, ips, UNWIND_MAX_DEPTH, why);
out:
	_UPT_destroy(upt);
	return n;
}

/* Append one frame; returns whether its IP lies in a file mapping. */
static bool frame_json(struct buf *b, struct uw_proc *u, uint64_t ip, bool caller, bool *reread)
{
	/* A return address may sit just past its call's function (noreturn calls). */
	uint64_t look = caller && ip ? ip - 1 : ip;
	const struct sym_map *m = sym_maps_find(u->maps, look);
	const char *sym = NULL;

	if (!m && !*reread) {
		*reread = true;
		sym_maps_free(u->maps);
		u->maps = sym_maps_read(u->pid);
		m = sym_maps_find(u->maps, look);
	}
	json_sep(b);
	buf_addc(b, '{');
	json_key(b, "ip");
	json_hex(b, ip);
	json_kcstr(b, "module", m ? m->path : NULL);
	json_key(b, "offset");
	if (m) {
		json_hex(b, ip - m->start + m->off);
		if (m->path && m->path[0] == '/')
			sym = sym_lookup(m->path, look - m->start + m->off, NULL);
	} else {
		json_null(b);
	}
	json_kcstr(b, "sym", sym);
	buf_addc(b, '}');
	return m && m->path && m->path[0] == '/';
}

void unwind_attach_stack(struct evlog *log, struct task *t, struct ev_draft *d)
{
	uint64_t ips[UNWIND_MAX_DEPTH];
	struct uw_proc *u;
	struct buf b = {0};
	const char *why;
	bool reread = false;
	unsigned n;

	if (!t || !t->proc)
		return;
	u = uw_get(t->proc);
	n = uw_capture(u, t->tid, ips, &why);
	if (!u->maps) {
		u->maps = sym_maps_read(u->pid);
		reread = true;
	}
	buf_addc(&b, '[');
	bool in_file = false;
	for (unsigned i = 0; i < n; i++)
		in_file = frame_json(&b, u, ips[i], i > 0, &reread);
	/*
	 * libunwind also says "outermost" when a frame has no unwind info and
	 * no usable frame pointer (JIT code); a real stack ends in a file
	 * (_start, clone), so anything else was cut short.
	 */
	if (!why && n && !in_file)
		why = "no unwind info";
	if (why) {
		json_sep(&b);
		buf_adds(&b, "{\"truncated\":true");
		json_key(&b, "reason");
		json_cstr(&b, why);
		buf_addc(&b, '}');
	}
	buf_addc(&b, ']');
	ev_json(d, log, EVK_STACK, b.data, b.len);
	buf_free(&b);
}

static bool list_has(const char *list, const char *name)
{
	size_t n;

	if (!name || !*name)
		return false;
	n = strlen(name);
	while (*list) {
		const char *e = strchr(list, ',');
		size_t len = e ? (size_t)(e - list) : strlen(list);
		if (len == n && memcmp(list, name, n) == 0)
			return true;
		if (!e)
			break;
		list = e + 1;
	}
	return false;
}

static struct unwind_cfg uw_cfg;

void unwind_configure(const struct unwind_cfg *cfg)
{
	uw_cfg = *cfg;
}

bool unwind_wanted(const char *syscall, const char *type)
{
	if (!uw_cfg.stack)
		return false;
	if (!uw_cfg.stack_on || !*uw_cfg.stack_on)
		return true;
	return list_has(uw_cfg.stack_on, syscall) || list_has(uw_cfg.stack_on, type);
}
