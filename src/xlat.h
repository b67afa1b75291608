/* SPDX-License-Identifier: MIT */
/*
 * xlat: constant names from the declarative tables in syscalls/ (errno,
 * signals, open/mmap/clone flags, socket families and types, fcntl
 * commands, si_code). All returned strings are static.
 */
#ifndef COMPENDIUM_XLAT_H
#define COMPENDIUM_XLAT_H

#include <stddef.h>
#include <stdint.h>

/* "ENOENT"; restart codes 512..516 give "ERESTARTSYS" etc.; NULL if unknown. */
const char *xlat_errno_name(int err);
/* "SIGSEGV", "SIGRTMIN+3"; NULL if unknown. */
const char *xlat_signal_name(int sig);
/* Signal number from "SIGINT", "INT" or "2"; -1 if unknown. */
int xlat_signal_lookup(const char *name);

#endif
