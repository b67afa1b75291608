/* SPDX-License-Identifier: MIT */
/*
 * systab: the syscall tables generated from syscalls/*.tbl (x86_64 and
 * i386): names, categories, argument types. Static data; nothing to free.
 */
#ifndef COMPENDIUM_SYSTAB_H
#define COMPENDIUM_SYSTAB_H

#include <stdint.h>

/* Name of syscall nr of 'arch' (AUDIT_ARCH_*); NULL if out of range or unknown. */
const char *systab_name(uint32_t arch, int64_t nr);

#endif
