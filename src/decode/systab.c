/* SPDX-License-Identifier: MIT */
/* systab: lookups in the syscall tables generated from syscalls/x86_64.tbl and i386.tbl. */
#include <linux/audit.h>
#include <string.h>

#include "decode/systab.h"
#include "lib/xlat.h"

#include "systab_gen.h"

_Static_assert(SYSTAB_X86_64_SIZE <= SC_BITMAP_WORDS * 64, "the -e trace= bitmap is too small");

static const struct sysent *table(uint32_t arch, int64_t *size)
{
	switch (arch) {
	case AUDIT_ARCH_X86_64:
		*size = SYSTAB_X86_64_SIZE;
		return systab_x86_64;
	case AUDIT_ARCH_I386:
		*size = SYSTAB_I386_SIZE;
		return systab_i386;
	default:
		*size = 0;
		return NULL;
	}
}

const struct sysent *systab_get(uint32_t arch, int64_t nr)
{
	int64_t size;
	const struct sysent *t = table(arch, &size);

	/* The tracee picks nr: -1, 0x7fffffff, x32-flagged numbers all land here. */
	if (!t || nr < 0 || nr >= size || !t[nr].name)
		return NULL;
	return &t[nr];
}

const char *systab_name(uint32_t arch, int64_t nr)
{
	const struct sysent *e = systab_get(arch, nr);
	return e ? e->name : NULL;
}

unsigned systab_size(uint32_t arch)
{
	int64_t size;
	table(arch, &size);
	return (unsigned)size;
}

int systab_lookup(const char *name)
{
	for (int nr = 0; nr < SYSTAB_X86_64_SIZE; nr++)
		if (systab_x86_64[nr].name && strcmp(systab_x86_64[nr].name, name) == 0)
			return nr;
	return -1;
}

int64_t systab_native_nr(uint32_t arch, int64_t nr)
{
	if (!systab_get(arch, nr))
		return -1;
	if (arch == AUDIT_ARCH_X86_64)
		return nr;
	return systab_i386_native[nr];
}

void systab_class_bitmap(unsigned class_mask, uint64_t *bitmap)
{
	for (unsigned nr = 0; nr < SYSTAB_X86_64_SIZE; nr++)
		if (systab_x86_64[nr].name && (systab_x86_64[nr].classes & class_mask))
			bitmap[nr / 64] |= 1ull << (nr % 64);
}
