/* SPDX-License-Identifier: MIT */
/* tmem: reading a stopped tracee's memory (process_vm_readv, PEEKDATA fallback). */
#ifndef COMPENDIUM_TMEM_H
#define COMPENDIUM_TMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Read up to n bytes at addr into buf, in page-bounded chunks; stops at the
 * first unreadable page. Returns the number of bytes read (0..n), or -errno
 * if nothing could be read (-EFAULT for an unmapped address, -EPERM when
 * the kernel refuses the tracer the process's memory, -ESRCH ...).
 */
ssize_t tmem_read(int tid, uint64_t addr, void *buf, size_t n);

/*
 * Whether the tracer may read tid's memory at all: 0 if it may, -EPERM if
 * the kernel refuses (a non-dumpable process traced without
 * CAP_SYS_PTRACE), -ESRCH if the task is gone. The task must be
 * ptrace-stopped. One process_vm_readv (two PTRACE_PEEKs when refused).
 */
int tmem_probe(int tid);

/*
 * Called with the tid whenever a read is refused (-EPERM from tmem_read:
 * the whole address space is closed to the tracer), before the read
 * returns. One hook; NULL removes it.
 */
typedef void (*tmem_denied_fn)(int tid);
void tmem_set_denied_hook(tmem_denied_fn fn);

/*
 * Read a NUL-terminated string of at most max bytes (excluding the NUL).
 * buf must hold max+1 bytes. Returns the length (buf NUL-terminated), or
 * -errno if not even the first byte is readable. *truncated is set when no
 * NUL was found within max bytes or memory ended before the NUL (a partial
 * string).
 */
ssize_t tmem_read_str(int tid, uint64_t addr, char *buf, size_t max, int *truncated);

/*
 * Memory an engine copied at the call (--engine bpf: strings, sockaddrs,
 * fd pairs read by the kernel program). While an overlay is set for tid,
 * a read that starts inside a chunk is served from it (up to the chunk's
 * end, like memory that ends there), a read at a chunk marked fault gives
 * -EFAULT, and any other read goes to the live process.
 */
struct tmem_chunk {
	uint64_t addr;
	const void *data;
	size_t len;
	bool fault;
};
/* Set the chunks (borrowed until the next call) for tid; n 0 removes them. */
void tmem_set_overlay(int tid, const struct tmem_chunk *chunks, size_t n);

/*
 * Read with PTRACE_PEEKDATA only (the task must be ptrace-stopped). For
 * tests of the fallback taken when process_vm_readv fails with EPERM/ENOSYS.
 */
void tmem_force_peekdata(bool on);

#endif
