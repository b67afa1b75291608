/* SPDX-License-Identifier: MIT */
/* crash: the 'crash' event of a tracee dying of a fault signal: code, registers, region, disassembly, stack. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "forensics/crash.h"
#include "forensics/disasm.h"
#include "lib/json.h"
#include "forensics/symbols.h"
#include "tracee/tmem.h"
#include "forensics/unwind.h"
#include "lib/util.h"
#include "lib/xlat.h"

#define CRASH_BEFORE 5
#define CRASH_AFTER 6
#define CRASH_BACK 64   /* bytes read before RIP for the leading instructions */
#define CRASH_AHEAD 96  /* bytes read from RIP on */

static bool kernel_fault(const siginfo_t *si)
{
	/*
	 * si_addr is meaningful only for kernel-generated fault signals with a
	 * specific code; SI_KERNEL (int3, #GP on a non-canonical address) leaves it 0.
	 */
	switch (si->si_signo) {
	case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGTRAP:
		return si->si_code > 0 && si->si_code != SI_KERNEL;
	default:
		return false;
	}
}

static void regs_json(struct buf *b, const struct user_regs_struct *r)
{
	const struct {
		const char *name;
		unsigned long long v;
	} regs[] = {
		{"rip", r->rip}, {"rsp", r->rsp}, {"rbp", r->rbp}, {"rax", r->rax},
		{"rbx", r->rbx}, {"rcx", r->rcx}, {"rdx", r->rdx}, {"rsi", r->rsi},
		{"rdi", r->rdi}, {"r8", r->r8}, {"r9", r->r9}, {"r10", r->r10},
		{"r11", r->r11}, {"r12", r->r12}, {"r13", r->r13}, {"r14", r->r14},
		{"r15", r->r15}, {"eflags", r->eflags}, {"orig_rax", r->orig_rax},
		{"fs_base", r->fs_base}, {"gs_base", r->gs_base}, {"cs", r->cs},
		{"ss", r->ss}, {"ds", r->ds}, {"es", r->es}, {"fs", r->fs}, {"gs", r->gs},
	};

	buf_addc(b, '{');
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++) {
		json_key(b, regs[i].name);
		json_hex(b, regs[i].v);
	}
	buf_addc(b, '}');
}

static const char *region_kind(const struct sym_map *m)
{
	if (!m->path)
		return "anon";
	if (strcmp(m->path, "[heap]") == 0)
		return "heap";
	if (strncmp(m->path, "[stack", 6) == 0)
		return "stack";
	if (m->path[0] == '/')
		return "file";
	return "other";
}

/* "kind perms 0xstart-0xend [path]" or "not mapped". */
static void region_text(struct buf *b, const struct sym_maps *maps, uint64_t addr)
{
	const struct sym_map *m = sym_maps_find(maps, addr);

	if (!m) {
		buf_adds(b, "not mapped");
		return;
	}
	buf_printf(b, "%s %s 0x%llx-0x%llx", region_kind(m), m->perms, (unsigned long long)m->start,
		   (unsigned long long)m->end);
	if (m->path)
		buf_printf(b, " %s", m->path);
}

/*
 * Which instruction to mark: the one at RIP for faults, but int3 leaves RIP
 * after itself, and a signal the process sent itself (abort -> tgkill)
 * arrives with RIP after the syscall instruction.
 */
static uint64_t fault_ip_of(const siginfo_t *si, int pid, uint64_t rip, const uint8_t *pre, size_t npre)
{
	if (si->si_signo == SIGTRAP && (si->si_code == SI_KERNEL || si->si_code == TRAP_BRKPT) && npre >= 1 &&
	    pre[npre - 1] == 0xcc)
		return rip - 1;
	if (si->si_code <= 0) {
		if (si->si_pid == pid && npre >= 2 && pre[npre - 2] == 0x0f && pre[npre - 1] == 0x05)
			return rip - 2;
		return 0;
	}
	return rip;
}

/* Read [rip - CRASH_BACK, rip + CRASH_AHEAD) as far as mapped into buf; returns the bytes before rip. */
static size_t read_code(int tid, uint64_t rip, uint8_t *buf, ssize_t *ahead)
{
	uint64_t page = rip & ~(uint64_t)4095;
	uint64_t lo = rip >= CRASH_BACK ? rip - CRASH_BACK : 0;
	uint64_t same = lo > page ? lo : page; /* where the part on RIP's own page starts */

	*ahead = tmem_read(tid, rip, buf + CRASH_BACK, CRASH_AHEAD);
	if (*ahead < 0)
		return 0;
	if (same < rip &&
	    tmem_read(tid, same, buf + CRASH_BACK - (rip - same), (size_t)(rip - same)) != (ssize_t)(rip - same))
		return 0;
	/* The previous page may be unmapped even though RIP's is not. */
	if (lo < same &&
	    tmem_read(tid, lo, buf + CRASH_BACK - (rip - lo), (size_t)(same - lo)) == (ssize_t)(same - lo))
		return (size_t)(rip - lo);
	return (size_t)(rip - same);
}

static void disasm_json(struct buf *b, const struct disasm_insn *in, unsigned n)
{
	buf_addc(b, '[');
	for (unsigned i = 0; i < n; i++) {
		json_sep(b);
		buf_addc(b, '{');
		json_key(b, "addr");
		json_hex(b, in[i].addr);
		json_kcstr(b, "text", in[i].text);
		json_key(b, "fault");
		json_bool(b, in[i].fault);
		buf_addc(b, '}');
	}
	buf_addc(b, ']');
}

void crash_record(struct evlog *log, struct task *t, const siginfo_t *si)
{
	struct ev_draft d;
	struct user_regs_struct regs;
	struct sym_maps *maps;
	struct buf b = {0};
	const char *note = NULL, *code;
	int pid = t->proc ? t->proc->pid : t->tid;

	ev_init(&d, EVT_CRASH, evlog_now(log), pid, t->tid);
	ev_sig(&d, EVK_SIGNAL, si->si_signo);
	code = xlat_sicode(si->si_signo, si->si_code);
	if (code) {
		ev_cstr(&d, log, EVK_CODE, code);
	} else {
		char num[16];
		snprintf(num, sizeof(num), "%d", si->si_code);
		ev_cstr(&d, log, EVK_CODE, num);
	}
	maps = sym_maps_read(pid);
	if (kernel_fault(si)) {
		uint64_t addr = (uint64_t)(uintptr_t)si->si_addr;
		ev_hex(&d, EVK_ADDR, addr);
		region_text(&b, maps, addr);
		ev_str(&d, log, EVK_CRASH_REGION, b.data, b.len);
		buf_reset(&b);
	} else if (si->si_code <= 0) {
		ev_int(&d, EVK_SENDER, si->si_pid);
	}

	if (ptrace(PTRACE_GETREGS, t->tid, 0, &regs) == 0) {
		uint8_t code_buf[CRASH_BACK + CRASH_AHEAD];
		struct disasm_insn ins[CRASH_BEFORE + CRASH_AFTER];
		ssize_t ahead;
		size_t npre;
		unsigned n = 0;
		uint64_t rip = regs.rip, func = 0;

		regs_json(&b, &regs);
		ev_json(&d, log, EVK_REGS, b.data, b.len);
		buf_reset(&b);

		npre = read_code(t->tid, rip, code_buf, &ahead);
		if (ahead < 0) {
			note = ahead == -ESRCH ? "thread gone" : "RIP not mapped";
		} else {
			const struct sym_map *m = sym_maps_find(maps, rip);
			uint64_t fstart;
			if (m && m->path && sym_lookup(m->path, rip - m->start + m->off, &fstart) && fstart >= m->off)
				func = m->start + (fstart - m->off);
			n = disasm_window(code_buf + CRASH_BACK - npre, npre + (size_t)ahead, rip - npre, rip,
					  fault_ip_of(si, pid, rip, code_buf + CRASH_BACK - npre, npre), func,
					  CRASH_BEFORE, CRASH_AFTER, ins, &note);
			if (!n && !note && !disasm_available())
				note = "capstone unavailable";
		}
		disasm_json(&b, ins, n);
		ev_json(&d, log, EVK_DISASM, b.data, b.len);
		buf_reset(&b);
	} else {
		note = errno == ESRCH ? "thread gone" : "registers unreadable";
	}
	if (note)
		ev_cstr(&d, log, EVK_MSG, note);
	unwind_attach_stack(log, t, &d);
	evlog_append(log, &d);
	sym_maps_free(maps);
	buf_free(&b);
}
