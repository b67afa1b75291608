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
 * if nothing could be read (-EFAULT for an unmapped address, -ESRCH ...).
 */
ssize_t tmem_read(int tid, uint64_t addr, void *buf, size_t n);

/*
 * Read a NUL-terminated string of at most max bytes (excluding the NUL).
 * buf must hold max+1 bytes. Returns the length (buf NUL-terminated), or
 * -errno if not even the first byte is readable. *truncated is set when no
 * NUL was found within max bytes or memory ended before the NUL (a partial
 * string).
 */
ssize_t tmem_read_str(int tid, uint64_t addr, char *buf, size_t max, int *truncated);

/*
 * Read with PTRACE_PEEKDATA only (the task must be ptrace-stopped). For
 * tests of the fallback taken when process_vm_readv fails with EPERM/ENOSYS.
 */
void tmem_force_peekdata(bool on);

#endif
