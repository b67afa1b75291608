/* SPDX-License-Identifier: MIT */
/*
 * symbols: where a code address of a traced process lives (module and file
 * offset, from /proc/PID/maps) and the symbol name when it can be trusted
 * (ELF .symtab, a /usr/lib/debug build-id file, or a .dynsym symbol whose
 * extent contains the address; never "the nearest preceding symbol").
 */
#ifndef COMPENDIUM_SYMBOLS_H
#define COMPENDIUM_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One line of /proc/PID/maps. path is NULL for an anonymous mapping. */
struct sym_map {
	uint64_t start, end;   /* [start, end) */
	uint64_t off;          /* file offset of start */
	char perms[5];         /* "r-xp" */
	const char *path;      /* "/usr/lib/...", "[heap]", "[stack]", "[vdso]" ... (owned by the maps) */
};

/* A snapshot of a process's mappings. */
struct sym_maps;

/* Read /proc/PID/maps; NULL if the process is gone or the file unreadable. */
struct sym_maps *sym_maps_read(int pid);
/* Parse the text of a maps file (n bytes); never NULL (maybe empty). */
struct sym_maps *sym_maps_parse(const char *text, size_t n);
void sym_maps_free(struct sym_maps *m);
/* The mapping holding addr (borrowed from m), or NULL. */
const struct sym_map *sym_maps_find(const struct sym_maps *m, uint64_t addr);

/*
 * The trusted name of the function holding file offset 'off' of the ELF file
 * 'path' (a path as in /proc/PID/maps), or NULL. *start receives the file
 * offset where that function begins (may be NULL). The string stays valid
 * until sym_cache_clear(). Results are cached per (file, offset).
 */
const char *sym_lookup(const char *path, uint64_t off, uint64_t *start);
/* Forget every parsed file and cached lookup (files may have changed). */
void sym_cache_clear(void);

#endif
