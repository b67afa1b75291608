/* SPDX-License-Identifier: MIT */
/* arch: x86_64 syscall-stop details: PTRACE_GET_SYSCALL_INFO, registers, i386 and x32 numbering. */
#ifndef COMPENDIUM_ARCH_X86_64_ARCH_H
#define COMPENDIUM_ARCH_X86_64_ARCH_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/audit.h>

#define ARCH_X32_BIT 0x40000000ULL

/* Syscall numbers the engine itself acts on, in both numberings. */
enum arch_sc_kind {
	ARCH_SC_OTHER,
	ARCH_SC_FORK,
	ARCH_SC_VFORK,
	ARCH_SC_CLONE,
	ARCH_SC_CLONE3,
	ARCH_SC_EXECVE,
	ARCH_SC_EXECVEAT,
	ARCH_SC_PTRACE,
	ARCH_SC_PRCTL,         /* may install a seccomp filter (PR_SET_SECCOMP) */
	ARCH_SC_SECCOMP,
	ARCH_SC_SIGRETURN,     /* rt_sigreturn (and i386 sigreturn): return is not an error */
	ARCH_SC_EXIT           /* exit / exit_group: never returns */
};

enum arch_op {
	ARCH_OP_NONE,
	ARCH_OP_ENTRY,
	ARCH_OP_EXIT,
	ARCH_OP_SECCOMP
};

/* What one PTRACE_GET_SYSCALL_INFO call says about a stop. */
struct arch_scinfo {
	enum arch_op op;
	uint32_t arch;        /* AUDIT_ARCH_X86_64 or AUDIT_ARCH_I386 (other values passed through) */
	bool compat;          /* i386 numbering (int 0x80 / sysenter from a 64-bit or 32-bit task) */
	bool x32;             /* x86_64 entry with the x32 bit set in nr */
	int64_t nr;           /* raw number as the tracee gave it */
	uint64_t args[6];
	uint64_t ip, sp;
	int64_t rval;         /* exit only */
	bool is_error;        /* exit only: rval in [-4095, -1] */
	uint32_t ret_data;    /* seccomp only: the SECCOMP_RET_DATA of the filter's verdict */
};

/* One PTRACE_GET_SYSCALL_INFO on a stopped tid. 0 or -errno (-ESRCH: it died). */
int arch_syscall_info(int tid, struct arch_scinfo *out);

/* Classify nr of the given numbering (bounds-checked; bogus numbers give OTHER). */
enum arch_sc_kind arch_sc_kind(bool compat, int64_t nr);

/* The x86_64 numbers of the calls the engine must always see (for seccomp). */
extern const unsigned arch_engine_syscalls[];
extern const unsigned arch_engine_syscalls_count;

/* At a syscall-entry (or seccomp) stop: make the kernel skip the call (nr = -1) and return ret. 0 or -errno. */
int arch_skip_syscall(int tid, int64_t ret);
/* Overwrite the return value register (at a syscall-exit stop). 0 or -errno. */
int arch_set_return(int tid, int64_t ret);

/* Size of a pointer in the tracee for this numbering (4 for i386, 8 otherwise). */
static inline unsigned arch_ptr_size(bool compat)
{
	return compat ? 4 : 8;
}

#endif
