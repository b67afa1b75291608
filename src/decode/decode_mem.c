// SPDX-License-Identifier: MIT
/* decode_mem: mmap, munmap, mprotect, mremap and brk events; keeps the memory map. */
#include <string.h>
#include <sys/mman.h>

#include "decode/decode.h"
#include "decode/decode_int.h"
#include "forensics/unwind.h"
#include "lib/xlat.h"

#define F(x) { x, #x }
static const struct dec_flag mremap_flags[] = {
	F(MREMAP_MAYMOVE), F(MREMAP_FIXED), { 4, "MREMAP_DONTUNMAP" },
};

static void add_prot(struct ev_draft *d, uint64_t prot)
{
	ev_cstr(d, dec_log, EVK_PROT, xlat_prot_str(prot));
}

static void add_flags(struct ev_draft *d, uint64_t v, const struct dec_flag *tab, size_t n)
{
	struct buf b = { 0 };
	dec_flags(&b, v, tab, n);
	ev_str(d, dec_log, EVK_FLAGS, b.data, b.len);
	buf_free(&b);
}

void dmem_mmap(struct dec_call *c)
{
	uint64_t len = c->a[1], prot = c->a[2], fl = c->a[3] & 0xffffffffu;
	int fd = (int)c->a[4];
	bool anon = fl & MAP_ANONYMOUS;
	struct fd_obj *o = anon ? NULL : dec_fd(c, fd);
	const char *path = o ? dec_obj_desc(c, fd, o) : NULL;
	if (o && o->kind == FD_SOCKET)
		path = NULL;
	if (!c->failed) {
		memmap_map(decode_memmap(c->p), (uint64_t)c->ret, len, anon ? MEM_ANON : MEM_FILE, path);
		/* new code (dlopen, JIT) may sit where cached unwind and symbol data still point */
		if (prot & PROT_EXEC)
			unwind_flush(c->p);
	}
	if (!c->emit)
		return;
	struct ev_draft d;
	dec_ev(&d, c, EVT_MMAP);
	ev_hex(&d, EVK_ADDR, c->failed ? c->a[0] : (uint64_t)c->ret);
	ev_uint(&d, EVK_LEN, len);
	add_prot(&d, prot);
	static struct buf fb;
	buf_reset(&fb);
	xlat_mmap_flags(&fb, fl);
	ev_str(&d, dec_log, EVK_FLAGS, fb.data, fb.len);
	if (!anon) {
		ev_int(&d, EVK_FD, fd);
		if (path) {
			ev_cstr(&d, dec_log, EVK_PATH, path);
			if (dec_noise_path(path, strlen(path)))
				d.h.flags |= EVFL_NOISE;
		} else if (!o || o->kind != FD_SOCKET) {
			dnd_unknown(&d, c); /* a file mapping whose file is unknown, not anonymous memory */
		}
	}
	dec_emit(&d, c);
}

void dmem_munmap(struct dec_call *c)
{
	if (!c->failed) {
		/*
		 * dlclose: the module's cached maps and unwind info are stale. Anonymous
		 * memory (free() of a large block) has no module, symbols or unwind info
		 * to go stale, and flushing at every free would cost -k its caches.
		 */
		enum mem_region k = memmap_region_of(decode_memmap(c->p), c->a[0], NULL);
		memmap_unmap(decode_memmap(c->p), c->a[0], c->a[1]);
		if (k != MEM_ANON && k != MEM_HEAP)
			unwind_flush(c->p);
	}
	if (!c->emit)
		return;
	struct ev_draft d;
	dec_ev(&d, c, EVT_MUNMAP);
	ev_hex(&d, EVK_ADDR, c->a[0]);
	ev_uint(&d, EVK_LEN, c->a[1]);
	dec_emit(&d, c);
}

void dmem_mprotect(struct dec_call *c)
{
	if (!c->failed && (c->a[2] & PROT_EXEC))
		unwind_flush(c->p);
	if (!c->emit)
		return;
	struct ev_draft d;
	dec_ev(&d, c, EVT_MPROTECT);
	ev_hex(&d, EVK_ADDR, c->a[0]);
	ev_uint(&d, EVK_LEN, c->a[1]);
	add_prot(&d, c->a[2]);
	dec_emit(&d, c);
}

void dmem_mremap(struct dec_call *c)
{
	uint64_t old = c->a[0], old_len = c->a[1], len = c->a[2], fl = c->a[3];
	if (!c->failed) {
		struct memmap *mm = decode_memmap(c->p);
		enum mem_region k = memmap_region_of(decode_memmap(c->p), old, NULL);
		/* the map does not keep protections: a moved file mapping may be code */
		if (k != MEM_ANON && k != MEM_HEAP)
			unwind_flush(c->p);
		if (fl & 4) { /* MREMAP_DONTUNMAP: the old range stays, emptied */
			memmap_map(mm, (uint64_t)c->ret, len, k == MEM_FILE ? MEM_FILE : MEM_ANON, NULL);
		} else {
			memmap_remap(mm, old, old_len, (uint64_t)c->ret, len);
		}
	}
	if (!c->emit)
		return;
	struct ev_draft d;
	dec_ev(&d, c, EVT_MREMAP);
	ev_hex(&d, EVK_OLD_ADDR, old);
	ev_uint(&d, EVK_OLD_LEN, old_len);
	if (!c->failed)
		ev_hex(&d, EVK_ADDR, (uint64_t)c->ret);
	ev_uint(&d, EVK_LEN, len);
	add_flags(&d, fl, mremap_flags, ARRAY_SIZE(mremap_flags));
	dec_emit(&d, c);
}

/*
 * brk returns the new break, or the unchanged one when it could not move
 * (never -errno): growth is the difference to the break known before.
 */
void dmem_brk(struct dec_call *c)
{
	uint64_t now = (uint64_t)c->ret;
	uint64_t before = memmap_brk(decode_memmap(c->p), now);
	if (!c->emit)
		return;
	struct ev_draft d;
	dec_ev(&d, c, EVT_BRK);
	ev_hex(&d, EVK_BRK, now);
	if (before)
		ev_int(&d, EVK_GROWTH, (int64_t)(now - before));
	else
		ev_int(&d, EVK_GROWTH, 0);
	dec_emit(&d, c);
}
