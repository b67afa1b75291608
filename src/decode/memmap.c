// SPDX-License-Identifier: MIT
/* memmap: per-process memory regions from mmap/munmap/mremap/brk and /proc/PID/maps. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/memmap.h"
#include "lib/procfs.h"
#include "lib/util.h"

struct region {
	uint64_t start, end;
	enum mem_region kind;
	char *path;
};

struct memmap {
	unsigned refs;
	struct region *r; /* sorted by start, non-overlapping */
	size_t n, cap;
	uint64_t brk_start, brk_cur; /* 0 = unknown */
	bool loaded;      /* the image from /proc/PID/maps is in (or need not be) */
	int pid;
};

struct memmap *memmap_new(void)
{
	struct memmap *mm = xcalloc(1, sizeof(*mm));
	mm->refs = 1;
	return mm;
}

struct memmap *memmap_ref(struct memmap *mm)
{
	mm->refs++;
	return mm;
}

static void clear(struct memmap *mm)
{
	for (size_t i = 0; i < mm->n; i++)
		free(mm->r[i].path);
	mm->n = 0;
}

void memmap_unref(struct memmap *mm)
{
	if (!mm || --mm->refs)
		return;
	clear(mm);
	free(mm->r);
	free(mm);
}

struct memmap *memmap_copy(const struct memmap *mm)
{
	struct memmap *c = memmap_new();
	*c = *mm;
	c->refs = 1;
	c->cap = mm->n;
	c->r = xcalloc(mm->n ? mm->n : 1, sizeof(*c->r));
	for (size_t i = 0; i < mm->n; i++) {
		c->r[i] = mm->r[i];
		c->r[i].path = mm->r[i].path ? xstrdup(mm->r[i].path) : NULL;
	}
	return c;
}

static void insert_at(struct memmap *mm, size_t i, const struct region *rg)
{
	if (mm->n == mm->cap) {
		mm->cap = mm->cap ? mm->cap * 2 : 16;
		mm->r = xreallocarray(mm->r, mm->cap, sizeof(*mm->r));
	}
	memmove(&mm->r[i + 1], &mm->r[i], (mm->n - i) * sizeof(*mm->r));
	mm->r[i] = *rg;
	mm->n++;
}

/* Remove [a, b) from every region, splitting where needed. */
static void cut(struct memmap *mm, uint64_t a, uint64_t b)
{
	for (size_t i = 0; i < mm->n;) {
		struct region *g = &mm->r[i];
		if (g->end <= a || g->start >= b) {
			i++;
			continue;
		}
		if (g->start < a && g->end > b) { /* hole in the middle */
			struct region tail = *g;
			tail.start = b;
			tail.path = g->path ? xstrdup(g->path) : NULL;
			g->end = a;
			insert_at(mm, i + 1, &tail);
			return;
		}
		if (g->start < a) {
			g->end = a;
			i++;
		} else if (g->end > b) {
			g->start = b;
			i++;
		} else {
			free(g->path);
			memmove(g, g + 1, (mm->n - i - 1) * sizeof(*g));
			mm->n--;
		}
	}
}

static void add(struct memmap *mm, uint64_t a, uint64_t b, enum mem_region kind, const char *path)
{
	if (b <= a)
		return;
	cut(mm, a, b);
	size_t i = 0;
	while (i < mm->n && mm->r[i].start < a)
		i++;
	struct region rg = { a, b, kind, path ? xstrdup(path) : NULL };
	insert_at(mm, i, &rg);
}

static uint64_t end_of(uint64_t addr, uint64_t len)
{
	uint64_t len_pg = (len + 4095) & ~4095ull;
	if (len_pg < len || addr + len_pg < addr)
		return UINT64_MAX;
	return addr + len_pg;
}

void memmap_map(struct memmap *mm, uint64_t addr, uint64_t len, enum mem_region kind, const char *path)
{
	add(mm, addr, end_of(addr, len), kind, path);
}

void memmap_unmap(struct memmap *mm, uint64_t addr, uint64_t len)
{
	cut(mm, addr, end_of(addr, len));
}

void memmap_remap(struct memmap *mm, uint64_t old_addr, uint64_t old_len, uint64_t new_addr, uint64_t new_len)
{
	enum mem_region kind = MEM_ANON;
	char *path = NULL;
	for (size_t i = 0; i < mm->n; i++)
		if (mm->r[i].start <= old_addr && old_addr < mm->r[i].end) {
			kind = mm->r[i].kind;
			path = mm->r[i].path ? xstrdup(mm->r[i].path) : NULL;
			break;
		}
	cut(mm, old_addr, end_of(old_addr, old_len));
	add(mm, new_addr, end_of(new_addr, new_len), kind, path);
	free(path);
}

uint64_t memmap_brk(struct memmap *mm, uint64_t brk)
{
	uint64_t old = mm->brk_cur;
	if (!mm->brk_start)
		mm->brk_start = brk;
	mm->brk_cur = brk;
	return old;
}

void memmap_reset(struct memmap *mm)
{
	clear(mm);
	mm->brk_start = mm->brk_cur = 0;
	mm->loaded = false;
}

void memmap_set_pid(struct memmap *mm, int pid)
{
	if (!mm->pid)
		mm->pid = pid;
}

/* Replace the map with /proc/PID/maps (the truth at this moment). */
static void load(struct memmap *mm)
{
	char name[64];
	snprintf(name, sizeof(name), "/proc/%d/maps", mm->pid);
	FILE *f = fopen(name, "re");
	if (!f) {
		if (errno == ENOENT || errno == ESRCH)
			mm->loaded = true;
		return;
	}
	clear(mm);
	char line[4096 + 256];
	while (fgets(line, sizeof(line), f)) {
		struct procfs_map m;
		if (procfs_map_parse(line, strlen(line), &m))
			continue;
		uint64_t a = m.start, b = m.end;
		char *p = line + (m.path - line);
		p[m.path_len] = 0;
		enum mem_region kind = MEM_ANON;
		if (!strcmp(p, "[heap]")) {
			kind = MEM_HEAP;
			if (!mm->brk_start)
				mm->brk_start = a;
			if (mm->brk_cur < b)
				mm->brk_cur = b;
		} else if (!strcmp(p, "[stack]")) {
			kind = MEM_STACK;
		} else if (p[0] == '[') {
			kind = MEM_OTHER;
		} else if (p[0]) {
			kind = MEM_FILE;
		}
		if (kind != MEM_HEAP) /* the heap is brk_start..brk_cur */
			add(mm, a, b, kind, kind == MEM_FILE ? p : NULL);
	}
	fclose(f);
	mm->loaded = true;
}

enum mem_region memmap_region_of(struct memmap *mm, uint64_t addr, const char **path)
{
	if (path)
		*path = NULL;
	if (!mm->loaded)
		load(mm);
	if (mm->brk_start && addr >= mm->brk_start && addr < ((mm->brk_cur + 4095) & ~4095ull))
		return MEM_HEAP;
	size_t lo = 0, hi = mm->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (mm->r[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < mm->n && mm->r[lo].start <= addr) {
		if (path)
			*path = mm->r[lo].path;
		return mm->r[lo].kind;
	}
	return MEM_OTHER;
}

uint64_t memmap_heap_bytes(struct memmap *mm)
{
	if (!mm->brk_start && !mm->loaded)
		load(mm);
	return mm->brk_cur > mm->brk_start ? mm->brk_cur - mm->brk_start : 0;
}

uint64_t memmap_mmap_bytes(const struct memmap *mm, unsigned *nregions)
{
	uint64_t total = 0;
	unsigned n = 0;
	for (size_t i = 0; i < mm->n; i++)
		if (mm->r[i].kind == MEM_ANON || mm->r[i].kind == MEM_FILE) {
			total += mm->r[i].end - mm->r[i].start;
			n++;
		}
	if (nregions)
		*nregions = n;
	return total;
}

const char *memmap_region_name(enum mem_region r)
{
	static const char *const names[] = { "heap", "anon", "file", "stack", "other" };
	return (unsigned)r < ARRAY_SIZE(names) ? names[r] : "other";
}
