/* SPDX-License-Identifier: MIT */
/* seccomp: the BPF filter that makes a launched tracee stop only at the syscalls compendium needs. */
#ifndef COMPENDIUM_SECCOMP_H
#define COMPENDIUM_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "decode/systab.h" /* SC_BITMAP_WORDS */

struct sock_filter;

/*
 * The SECCOMP_RET_DATA of compendium's SECCOMP_RET_TRACE: a seccomp stop
 * carrying another value is the tracee's own filter's RET_TRACE
 * (doc/ENGINE.md, 'Seccomp filters of the tracee').
 */
#define SECCOMP_DATA_OURS 0x7c0du
/* The verdict the filter returns for the calls it sends to the tracer. */
#define SECCOMP_TRACE_OURS (0x7ff00000u | SECCOMP_DATA_OURS) /* SECCOMP_RET_TRACE | data */

/*
 * Build the filter program for 'bitmap' (SC_BITMAP_WORDS words over x86_64
 * numbers): SECCOMP_TRACE_OURS for selected numbers, for every i386 call,
 * for every number with the x32 bit or out of the bitmap's range, and for
 * any other audit arch; SECCOMP_RET_ALLOW otherwise. Returns the number of
 * instructions; *prog is malloc'ed (caller frees).
 */
size_t seccomp_build(const uint64_t *bitmap, struct sock_filter **prog);

/*
 * The same, and for each rule whose syscall is in the bitmap: stop at it
 * only when the low 32 bits of argument rule.arg are one of rule.vals
 * (little-endian x86_64 layout of seccomp_data).
 */
struct decode_argrule;
size_t seccomp_build_rules(const uint64_t *bitmap, const struct decode_argrule *rules, size_t nrules,
			   struct sock_filter **prog);

/*
 * Install the filter for 'bitmap' in the calling process (the launched
 * child, between fork and exec). Sets no_new_privs only when the caller
 * lacks CAP_SYS_ADMIN, so set-user-ID semantics stay as without seccomp
 * for root. 0 or -errno; async-signal-safe apart from the one allocation,
 * which the caller should do before forking by calling seccomp_build.
 */
int seccomp_install(const struct sock_filter *prog, size_t n);

#endif
