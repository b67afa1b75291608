/* SPDX-License-Identifier: MIT */
/* arch: x86_64 syscall-stop details: PTRACE_GET_SYSCALL_INFO, registers, i386 and x32 numbering. */
#include "engine/arch/x86_64/arch.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>

/* i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
enum {
	I386_EXIT = 1,
	I386_FORK = 2,
	I386_EXECVE = 11,
	I386_PTRACE = 26,
	I386_PRCTL = 172,
	I386_SIGRETURN = 119,
	I386_CLONE = 120,
	I386_RT_SIGRETURN = 173,
	I386_VFORK = 190,
	I386_EXIT_GROUP = 252,
	I386_SECCOMP = 354,
	I386_EXECVEAT = 358,
	I386_CLONE3 = 435
};

const unsigned arch_engine_syscalls[] = {
	SYS_fork, SYS_vfork, SYS_clone, SYS_clone3, SYS_execve, SYS_execveat, SYS_ptrace,
	SYS_seccomp, /* a filter of the tracee's own (prctl: an argument rule, see launch.c) */
};
const unsigned arch_engine_syscalls_count = sizeof(arch_engine_syscalls) / sizeof(arch_engine_syscalls[0]);

int arch_syscall_info(int tid, struct arch_scinfo *out)
{
	struct __ptrace_syscall_info si;

	memset(&si, 0, sizeof(si));
	long n = ptrace(PTRACE_GET_SYSCALL_INFO, tid, (void *)sizeof(si), &si);
	if (n < 0)
		return -errno;
	memset(out, 0, sizeof(*out));
	out->arch = si.arch;
	out->compat = si.arch == AUDIT_ARCH_I386;
	out->ip = si.instruction_pointer;
	out->sp = si.stack_pointer;
	switch (si.op) {
	case PTRACE_SYSCALL_INFO_ENTRY:
		out->op = ARCH_OP_ENTRY;
		out->nr = (int64_t)si.entry.nr;
		memcpy(out->args, si.entry.args, sizeof(out->args));
		break;
	case PTRACE_SYSCALL_INFO_SECCOMP:
		out->op = ARCH_OP_SECCOMP;
		out->nr = (int64_t)si.seccomp.nr;
		out->ret_data = si.seccomp.ret_data;
		memcpy(out->args, si.seccomp.args, sizeof(out->args));
		break;
	case PTRACE_SYSCALL_INFO_EXIT:
		out->op = ARCH_OP_EXIT;
		out->rval = si.exit.rval;
		out->is_error = si.exit.is_error != 0;
		break;
	default:
		out->op = ARCH_OP_NONE;
		break;
	}
	if (out->compat) {
		/* i386 arguments are 32-bit registers; the kernel zero-extends them. */
		for (int i = 0; i < 6; i++)
			out->args[i] &= 0xffffffffULL;
		out->nr = (int64_t)(uint32_t)out->nr;
	} else if (out->op != ARCH_OP_EXIT && out->nr >= 0 && ((uint64_t)out->nr & ARCH_X32_BIT)) {
		out->x32 = true;
	}
	return 0;
}

enum arch_sc_kind arch_sc_kind(bool compat, int64_t nr)
{
	if (compat) {
		switch (nr) {
		case I386_FORK: return ARCH_SC_FORK;
		case I386_VFORK: return ARCH_SC_VFORK;
		case I386_CLONE: return ARCH_SC_CLONE;
		case I386_CLONE3: return ARCH_SC_CLONE3;
		case I386_EXECVE: return ARCH_SC_EXECVE;
		case I386_EXECVEAT: return ARCH_SC_EXECVEAT;
		case I386_PTRACE: return ARCH_SC_PTRACE;
		case I386_PRCTL: return ARCH_SC_PRCTL;
		case I386_SECCOMP: return ARCH_SC_SECCOMP;
		case I386_SIGRETURN:
		case I386_RT_SIGRETURN: return ARCH_SC_SIGRETURN;
		case I386_EXIT:
		case I386_EXIT_GROUP: return ARCH_SC_EXIT;
		default: return ARCH_SC_OTHER;
		}
	}
	switch (nr) {
	case SYS_fork: return ARCH_SC_FORK;
	case SYS_vfork: return ARCH_SC_VFORK;
	case SYS_clone: return ARCH_SC_CLONE;
	case SYS_clone3: return ARCH_SC_CLONE3;
	case SYS_execve: return ARCH_SC_EXECVE;
	case SYS_execveat: return ARCH_SC_EXECVEAT;
	case SYS_ptrace: return ARCH_SC_PTRACE;
	case SYS_prctl: return ARCH_SC_PRCTL;
	case SYS_seccomp: return ARCH_SC_SECCOMP;
	case SYS_rt_sigreturn: return ARCH_SC_SIGRETURN;
	case SYS_exit:
	case SYS_exit_group: return ARCH_SC_EXIT;
	default: return ARCH_SC_OTHER;
	}
}

int arch_skip_syscall(int tid, int64_t ret)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, orig_rax), (void *)-1L) < 0)
		return -errno;
	return arch_set_return(tid, ret);
}

int arch_set_return(int tid, int64_t ret)
{
	if (ptrace(PTRACE_POKEUSER, tid, (void *)offsetof(struct user_regs_struct, rax), (void *)(intptr_t)ret) < 0)
		return -errno;
	return 0;
}
