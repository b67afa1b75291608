/* SPDX-License-Identifier: MIT */
/* summary_mem: the FINAL block's Memory line: the kernel's peak resident set first, then what was mapped. */
#include <string.h>

#include "lib/fmt.h"
#include "lib/termesc.h"
#include "sinks/summary.h"
#include "sinks/summary_int.h"

uint64_t summary_peak_rss(const struct sum *s)
{
	uint64_t peak = s->r->peak_rss;
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].maxrss > peak)
			peak = s->procs[i].maxrss;
	return peak;
}

/* The process with the largest peak (the first of equals); NULL if none is known. */
static const struct pinfo *peak_proc(const struct sum *s)
{
	const struct pinfo *best = NULL;
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].maxrss && (!best || s->procs[i].maxrss > best->maxrss))
			best = &s->procs[i];
	return best;
}

/* "sort, pid 1234": the basename of argv[0] when known. */
static void add_who(const struct sum *s, struct buf *b, const struct pinfo *p)
{
	uint32_t n = 0;
	const uint32_t *ids = p->argv ? evlog_strv_get(s->log, p->argv, &n) : NULL;
	size_t len = 0;
	const char *a0 = n ? evlog_str(s->log, ids[0], &len) : NULL;
	if (a0 && len) {
		const char *slash = memrchr(a0, '/', len);
		if (slash && (size_t)(slash - a0) + 1 < len) {
			len -= (size_t)(slash - a0) + 1;
			a0 = slash + 1;
		}
		termesc_trunc(b, a0, len, 64);
		buf_adds(b, ", ");
	}
	buf_printf(b, "pid %d", p->pid);
}

void summary_print_memory(struct sum *s, struct buf *b)
{
	uint64_t peak = summary_peak_rss(s);
	bool traced = s->mem_events || (s->cfg->traced & SUMMARY_TRACED_MEM);

	buf_adds(b, " Memory:   ");
	if (peak) {
		/* the kernel's measure of memory used: ru_maxrss, VmHWM */
		buf_adds(b, "Peak RSS ");
		fmt_size(b, peak);
		const struct pinfo *p = peak_proc(s);
		if (p && p->maxrss == peak) {
			buf_adds(b, s->nprocs > 1 ? " (largest process: " : " (");
			add_who(s, b, p);
			buf_addc(b, ')');
		}
		buf_adds(b, "   ");
	}
	if (!traced) {
		buf_adds(b, peak ? "mapped: " : "");
		buf_adds(b, "not traced (-e trace= left these calls out)\n");
		return;
	}
	/* address space asked for, summed over processes and never unmapped: not memory used */
	bool brk = s->brk_events || (s->cfg->traced & SUMMARY_TRACED_BRK);
	bool mmap = s->mmap_events || (s->cfg->traced & SUMMARY_TRACED_MMAP);
	if (brk && mmap) {
		buf_adds(b, "mapped ");
		fmt_size(b, (uint64_t)s->heap + s->mmap_bytes);
		buf_adds(b, " (heap ");
		fmt_size(b, (uint64_t)s->heap);
		buf_adds(b, ", mmap ");
		fmt_size(b, s->mmap_bytes);
		buf_printf(b, " in %llu region%s)\n", (unsigned long long)s->mmap_regions,
			   s->mmap_regions == 1 ? "" : "s");
		return;
	}
	/* a part whose calls -e left out says so: 0 B would be no fact, and there is no sum */
	buf_adds(b, "mapped: heap ");
	if (brk)
		fmt_size(b, (uint64_t)s->heap);
	else
		buf_adds(b, "not traced");
	buf_adds(b, ", mmap ");
	if (mmap) {
		fmt_size(b, s->mmap_bytes);
		buf_printf(b, " in %llu region%s", (unsigned long long)s->mmap_regions,
			   s->mmap_regions == 1 ? "" : "s");
	} else {
		buf_adds(b, "not traced");
	}
	buf_adds(b, " (-e trace= left these calls out)\n");
}
