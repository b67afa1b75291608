/* SPDX-License-Identifier: MIT */
/*
 * memmap: a traced process's memory map as compendium knows it: regions
 * from mmap/munmap/mremap/brk (the brk heap as its own region), plus the
 * initial image read once, lazily, from /proc/PID/maps. Shared between
 * CLONE_VM processes (vfork) until exec.
 */
#ifndef COMPENDIUM_MEMMAP_H
#define COMPENDIUM_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

enum mem_region {
	MEM_HEAP,  /* the brk heap */
	MEM_ANON,  /* anonymous mappings (malloc arenas, thread stacks, JIT) */
	MEM_FILE,  /* file-backed mappings (binaries, libraries, mapped data) */
	MEM_STACK, /* the main thread's [stack] */
	MEM_OTHER  /* [vdso], [vvar], unknown addresses */
};

struct memmap;

struct memmap *memmap_new(void);
struct memmap *memmap_ref(struct memmap *mm);
/* Drop a reference; frees at zero. NULL is a no-op. */
void memmap_unref(struct memmap *mm);
/* A private copy (fork). */
struct memmap *memmap_copy(const struct memmap *mm);

/* A mapping [addr, addr+len) of 'kind' (MEM_ANON / MEM_FILE, path copied) replaces what was there. */
void memmap_map(struct memmap *mm, uint64_t addr, uint64_t len, enum mem_region kind, const char *path);
void memmap_unmap(struct memmap *mm, uint64_t addr, uint64_t len);
/* mremap: the old range moves (or resizes) to [new_addr, new_addr+new_len). */
void memmap_remap(struct memmap *mm, uint64_t old_addr, uint64_t old_len, uint64_t new_addr, uint64_t new_len);
/* brk returned 'brk'. Returns the previous break (0 if unknown). */
uint64_t memmap_brk(struct memmap *mm, uint64_t brk);
/* After exec: forget everything; the new image is read lazily. */
void memmap_reset(struct memmap *mm);

/*
 * Bind the lazy /proc/PID/maps read of mm to process pid (the first to use
 * it). A process's map is decode_memmap() of src/decode/decode.h.
 */
void memmap_set_pid(struct memmap *mm, int pid);

/*
 * The kind of region holding addr in mm; *path (if non-NULL) receives the
 * file of a MEM_FILE region (borrowed, valid until the map changes) or
 * NULL. Reads /proc/PID/maps once if the image is not known yet.
 */
enum mem_region memmap_region_of(struct memmap *mm, uint64_t addr, const char **path);
/* Bytes between the initial and the current break (0 if unknown). */
uint64_t memmap_heap_bytes(struct memmap *mm);
/* Totals of mmap'ed (non-heap, non-stack) regions now mapped. */
uint64_t memmap_mmap_bytes(const struct memmap *mm, unsigned *nregions);
/* Static name: "heap", "anon", "file", "stack", "other". */
const char *memmap_region_name(enum mem_region r);

#endif
