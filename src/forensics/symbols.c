/* SPDX-License-Identifier: MIT */
/* symbols: /proc/PID/maps snapshots and trusted ELF symbol names, cached per (file, offset). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forensics/symbols.h"
#include "lib/procfs.h"
#include "lib/util.h"

struct sym_maps {
	struct sym_map *v;
	size_t n;
	struct buf paths; /* NUL-separated path strings; sym_map.path points here */
};

struct sym_maps *sym_maps_parse(const char *text, size_t n)
{
	struct sym_maps *m = xcalloc(1, sizeof(*m));
	size_t cap = 0;
	const char *p = text, *end = text + n;
	size_t *pathoff = NULL;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *le = eol ? eol : end;
		struct sym_map mp = {0};
		struct procfs_map pm;

		if (procfs_map_parse(p, (size_t)(le - p), &pm) || pm.end <= pm.start)
			goto next;
		mp.start = pm.start;
		mp.end = pm.end;
		mp.off = pm.offset;
		memcpy(mp.perms, pm.perms, 4);
		if (m->n == cap) {
			cap = cap ? cap * 2 : 64;
			m->v = xreallocarray(m->v, cap, sizeof(*m->v));
			pathoff = xreallocarray(pathoff, cap, sizeof(*pathoff));
		}
		pathoff[m->n] = SIZE_MAX;
		if (pm.path_len) {
			pathoff[m->n] = m->paths.len;
			buf_add(&m->paths, pm.path, pm.path_len);
			buf_addc(&m->paths, '\0');
		}
		m->v[m->n++] = mp;
	next:
		p = eol ? eol + 1 : end;
	}
	for (size_t i = 0; i < m->n; i++)
		m->v[i].path = pathoff[i] == SIZE_MAX ? NULL : m->paths.data + pathoff[i];
	free(pathoff);
	return m;
}

struct sym_maps *sym_maps_read(int pid)
{
	char path[64];
	struct buf b = {0};
	char chunk[8192];
	struct sym_maps *m;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof(chunk));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r < 0) {
				close(fd);
				buf_free(&b);
				return NULL;
			}
			break;
		}
		buf_add(&b, chunk, (size_t)r);
		if (b.len > (64u << 20))
			break; /* absurd; what was read is enough */
	}
	close(fd);
	m = sym_maps_parse(b.data ? b.data : "", b.len);
	buf_free(&b);
	return m;
}

void sym_maps_free(struct sym_maps *m)
{
	if (!m)
		return;
	free(m->v);
	buf_free(&m->paths);
	free(m);
}

const struct sym_map *sym_maps_find(const struct sym_maps *m, uint64_t addr)
{
	size_t lo = 0, hi;

	if (!m)
		return NULL;
	hi = m->n;
	/* /proc/PID/maps is sorted by address */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr < m->v[mid].start)
			hi = mid;
		else if (addr >= m->v[mid].end)
			lo = mid + 1;
		else
			return &m->v[mid];
	}
	return NULL;
}

/* ---- ELF symbol tables ---- */

#define SYM_MAX_SECTION (64u << 20)
#define SYM_MAX_LOADS 32
#define SYM_CACHE_MAX 65536

struct elf_load {
	uint64_t off, filesz, vaddr;
};

struct elf_sym {
	uint64_t value, size;
	uint32_t name; /* offset into names */
	uint8_t rank;  /* lower is preferred among aliases */
};

struct off_slot {
	uint64_t off;      /* key + 1 (0 = empty) */
	int64_t sym;       /* index into syms, -1 = none */
};

struct elf_file {
	char *path;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	off_t size;
	unsigned gen;          /* cache generation it was last validated in */
	bool bad;              /* not a readable ELF: every lookup is NULL */
	struct elf_load loads[SYM_MAX_LOADS];
	unsigned nloads;
	struct elf_sym *syms;
	size_t nsyms, symcap;
	struct buf names;
	struct off_slot *slots;
	size_t nslots, used;
	struct elf_file *next;
};

static struct elf_file *files;
static unsigned cache_gen = 1;

static int pread_all(int fd, void *p, size_t n, uint64_t off)
{
	size_t got = 0;

	if (off > (uint64_t)INT64_MAX - n)
		return -EINVAL;
	while (got < n) {
		ssize_t r = pread(fd, (char *)p + got, n - got, (off_t)(off + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -errno : -EIO;
		got += (size_t)r;
	}
	return 0;
}

static uint8_t sym_rank(const char *name, unsigned char info)
{
	uint8_t r = 0;

	if (ELF64_ST_BIND(info) == STB_LOCAL)
		r += 2;
	else if (ELF64_ST_BIND(info) == STB_WEAK)
		r += 1;
	if (name[0] == '_')
		r += 4;
	return r;
}

static int cmp_sym(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;

	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return (int)x->rank - (int)y->rank;
}

/* Read the function symbols of section 'symsec' (its string table via sh_link). */
static int load_symtab(struct elf_file *f, int fd, const Elf64_Shdr *sh, size_t shnum, size_t symsec)
{
	const Elf64_Shdr *s = &sh[symsec];
	const Elf64_Shdr *st;
	Elf64_Sym *syms = NULL;
	char *str = NULL;
	size_t n;
	int rc = -EINVAL;

	if (s->sh_entsize != sizeof(Elf64_Sym) || s->sh_size > SYM_MAX_SECTION || s->sh_link >= shnum)
		return -EINVAL;
	st = &sh[s->sh_link];
	if (st->sh_type != SHT_STRTAB || st->sh_size == 0 || st->sh_size > SYM_MAX_SECTION)
		return -EINVAL;
	n = s->sh_size / sizeof(Elf64_Sym);
	syms = xmalloc(n ? n * sizeof(*syms) : 1);
	str = xmalloc(st->sh_size + 1);
	if ((rc = pread_all(fd, syms, n * sizeof(*syms), s->sh_offset)) < 0)
		goto out;
	if ((rc = pread_all(fd, str, st->sh_size, st->sh_offset)) < 0)
		goto out;
	str[st->sh_size] = '\0';
	for (size_t i = 0; i < n; i++) {
		const Elf64_Sym *y = &syms[i];
		unsigned type = ELF64_ST_TYPE(y->st_info);
		const char *name;
		struct elf_sym es;

		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || y->st_shndx == SHN_UNDEF ||
		    y->st_size == 0 || y->st_name == 0 || y->st_name >= st->sh_size)
			continue;
		if (y->st_value > UINT64_MAX - y->st_size)
			continue;
		name = str + y->st_name;
		if (!*name)
			continue;
		es.value = y->st_value;
		es.size = y->st_size;
		es.name = (uint32_t)f->names.len;
		es.rank = sym_rank(name, y->st_info);
		if (f->names.len > UINT32_MAX - 4096)
			break;
		/* "__libc_start_main@GLIBC_2.2.5": the version suffix is noise in a stack */
		buf_add(&f->names, name, strcspn(name, "@") < 4096 ? strcspn(name, "@") : 4096);
		buf_addc(&f->names, '\0');
		if (f->nsyms == f->symcap) {
			f->symcap = f->symcap ? f->symcap * 2 : 256;
			f->syms = xreallocarray(f->syms, f->symcap, sizeof(*f->syms));
		}
		f->syms[f->nsyms++] = es;
	}
	rc = 0;
out:
	free(syms);
	free(str);
	return rc;
}

static int read_headers(int fd, Elf64_Ehdr *eh, Elf64_Shdr **shp)
{
	Elf64_Shdr *sh;
	int rc;

	*shp = NULL;
	if ((rc = pread_all(fd, eh, sizeof(*eh), 0)) < 0)
		return rc;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return -ENOEXEC;
	if (eh->e_shnum == 0 || eh->e_shnum > 4096 || eh->e_shentsize != sizeof(Elf64_Shdr))
		return 0; /* no section headers: no symbols, but loads may still be read */
	sh = xmalloc(eh->e_shnum * sizeof(*sh));
	if ((rc = pread_all(fd, sh, eh->e_shnum * sizeof(*sh), eh->e_shoff)) < 0) {
		free(sh);
		return 0;
	}
	*shp = sh;
	return 0;
}

/* Build id from the PT_NOTE segments, as lower-case hex; false if none. */
static bool read_build_id(int fd, const Elf64_Phdr *ph, unsigned phnum, char *hex, size_t hexsz)
{
	for (unsigned i = 0; i < phnum; i++) {
		uint8_t note[1024];
		size_t len, p = 0;

		if (ph[i].p_type != PT_NOTE || ph[i].p_filesz < 12)
			continue;
		len = ph[i].p_filesz < sizeof(note) ? ph[i].p_filesz : sizeof(note);
		if (pread_all(fd, note, len, ph[i].p_offset) < 0)
			continue;
		while (p + 12 <= len) {
			uint32_t namesz, descsz, type;
			size_t desc;

			memcpy(&namesz, note + p, 4);
			memcpy(&descsz, note + p + 4, 4);
			memcpy(&type, note + p + 8, 4);
			if (namesz > len || descsz > len)
				break;
			desc = p + 12 + ((namesz + 3u) & ~3u);
			if (desc + descsz > len)
				break;
			if (type == NT_GNU_BUILD_ID && namesz == 4 && memcmp(note + p + 12, "GNU", 4) == 0 &&
			    descsz >= 2 && descsz * 2 + 1 <= hexsz) {
				for (size_t k = 0; k < descsz; k++)
					snprintf(hex + 2 * k, 3, "%02x", note[desc + k]);
				return true;
			}
			p = desc + ((descsz + 3u) & ~3u);
		}
	}
	return false;
}

static void elf_load_file(struct elf_file *f, int fd)
{
	Elf64_Ehdr eh;
	Elf64_Shdr *sh = NULL;
	Elf64_Phdr *ph = NULL;
	size_t symtab = 0, dynsym = 0;
	char bid[2 * 64 + 1];

	f->bad = true;
	if (read_headers(fd, &eh, &sh) < 0)
		return;
	if (eh.e_phnum == 0 || eh.e_phnum > 256 || eh.e_phentsize != sizeof(Elf64_Phdr))
		goto out;
	ph = xmalloc(eh.e_phnum * sizeof(*ph));
	if (pread_all(fd, ph, eh.e_phnum * sizeof(*ph), eh.e_phoff) < 0)
		goto out;
	for (unsigned i = 0; i < eh.e_phnum && f->nloads < SYM_MAX_LOADS; i++)
		if (ph[i].p_type == PT_LOAD)
			f->loads[f->nloads++] = (struct elf_load){ph[i].p_offset, ph[i].p_filesz, ph[i].p_vaddr};
	f->bad = false;
	for (size_t i = 0; sh && i < eh.e_shnum; i++) {
		if (sh[i].sh_type == SHT_SYMTAB && !symtab)
			symtab = i;
		else if (sh[i].sh_type == SHT_DYNSYM && !dynsym)
			dynsym = i;
	}
	if (symtab && load_symtab(f, fd, sh, eh.e_shnum, symtab) == 0 && f->nsyms)
		goto out;
	/* Stripped: a separate debug file by build id carries the .symtab. */
	if (read_build_id(fd, ph, eh.e_phnum, bid, sizeof(bid))) {
		char *dpath = xasprintf("/usr/lib/debug/.build-id/%.2s/%s.debug", bid, bid + 2);
		int dfd = open(dpath, O_RDONLY | O_CLOEXEC);
		free(dpath);
		if (dfd >= 0) {
			Elf64_Ehdr deh;
			Elf64_Shdr *dsh = NULL;
			if (read_headers(dfd, &deh, &dsh) == 0 && dsh) {
				for (size_t i = 0; i < deh.e_shnum; i++)
					if (dsh[i].sh_type == SHT_SYMTAB) {
						load_symtab(f, dfd, dsh, deh.e_shnum, i);
						break;
					}
			}
			free(dsh);
			close(dfd);
			if (f->nsyms)
				goto out;
		}
	}
	/* .dynsym names are trusted only by extent (see sym_find), never by proximity. */
	if (dynsym)
		load_symtab(f, fd, sh, eh.e_shnum, dynsym);
out:
	if (f->nsyms)
		qsort(f->syms, f->nsyms, sizeof(*f->syms), cmp_sym);
	free(ph);
	free(sh);
}

static void elf_reset(struct elf_file *f)
{
	free(f->syms);
	f->syms = NULL;
	f->nsyms = f->symcap = 0;
	buf_free(&f->names);
	free(f->slots);
	f->slots = NULL;
	f->nslots = f->used = 0;
	f->nloads = 0;
	f->bad = true;
}

/* The parsed file for path, (re)loaded if it changed on disk; NULL if unopenable. */
static struct elf_file *elf_get(const char *path)
{
	struct elf_file *f;
	struct stat st;
	int fd;

	for (f = files; f; f = f->next)
		if (strcmp(f->path, path) == 0)
			break;
	if (f && f->gen == cache_gen)
		return f;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return f ? (elf_reset(f), f->gen = cache_gen, f) : NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return f ? (elf_reset(f), f->gen = cache_gen, f) : NULL;
	}
	if (f && f->dev == st.st_dev && f->ino == st.st_ino && f->size == st.st_size &&
	    f->mtime.tv_sec == st.st_mtim.tv_sec && f->mtime.tv_nsec == st.st_mtim.tv_nsec) {
		close(fd);
		f->gen = cache_gen;
		return f;
	}
	if (f) {
		elf_reset(f);
	} else {
		f = xcalloc(1, sizeof(*f));
		f->path = xstrdup(path);
		f->next = files;
		files = f;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->size = st.st_size;
	f->mtime = st.st_mtim;
	f->gen = cache_gen;
	elf_load_file(f, fd);
	close(fd);
	return f;
}

static bool off_to_vaddr(const struct elf_file *f, uint64_t off, uint64_t *vaddr)
{
	for (unsigned i = 0; i < f->nloads; i++) {
		const struct elf_load *l = &f->loads[i];
		if (off >= l->off && off - l->off < l->filesz) {
			*vaddr = l->vaddr + (off - l->off);
			return true;
		}
	}
	return false;
}

static uint64_t vaddr_to_off(const struct elf_file *f, uint64_t vaddr)
{
	for (unsigned i = 0; i < f->nloads; i++) {
		const struct elf_load *l = &f->loads[i];
		if (vaddr >= l->vaddr && vaddr - l->vaddr < l->filesz)
			return l->off + (vaddr - l->vaddr);
	}
	return 0;
}

/* Index of the innermost, preferred symbol whose extent holds vaddr; -1 if none. */
static int64_t sym_find(const struct elf_file *f, uint64_t vaddr)
{
	size_t lo = 0, hi = f->nsyms;
	int64_t best = -1;

	while (lo < hi) { /* first symbol with value > vaddr */
		size_t mid = lo + (hi - lo) / 2;
		if (f->syms[mid].value <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Walk back over a bounded number of candidates (aliases, nested sizes). */
	for (size_t i = lo, k = 0; i > 0 && k < 64; i--, k++) {
		const struct elf_sym *s = &f->syms[i - 1];
		if (vaddr - s->value >= s->size)
			continue;
		if (best < 0 || s->value > f->syms[best].value ||
		    (s->value == f->syms[best].value && s->rank < f->syms[best].rank))
			best = (int64_t)(i - 1);
	}
	return best;
}

static struct off_slot *slot_for(struct elf_file *f, uint64_t off)
{
	size_t mask, i;

	if (f->used * 2 >= f->nslots) {
		struct off_slot *old = f->slots;
		size_t oldn = f->nslots;
		if (f->used >= SYM_CACHE_MAX)
			oldn = 0; /* bounded: start over rather than grow without end */
		f->nslots = f->nslots && oldn ? f->nslots * 2 : 256;
		f->slots = xcalloc(f->nslots, sizeof(*f->slots));
		f->used = 0;
		for (size_t k = 0; k < oldn; k++)
			if (old[k].off) {
				struct off_slot *s = slot_for(f, old[k].off - 1);
				*s = old[k];
				f->used++;
			}
		free(old);
	}
	mask = f->nslots - 1;
	i = (size_t)((off * 0x9e3779b97f4a7c15ull) >> 20) & mask;
	while (f->slots[i].off && f->slots[i].off != off + 1)
		i = (i + 1) & mask;
	return &f->slots[i];
}

const char *sym_lookup(const char *path, uint64_t off, uint64_t *start)
{
	struct elf_file *f;
	struct off_slot *s;
	uint64_t vaddr;

	if (start)
		*start = 0;
	if (!path || path[0] != '/')
		return NULL;
	f = elf_get(path);
	if (!f || f->bad || !f->nsyms)
		return NULL;
	s = slot_for(f, off);
	if (!s->off) {
		s->off = off + 1;
		s->sym = off_to_vaddr(f, off, &vaddr) ? sym_find(f, vaddr) : -1;
		f->used++;
	}
	if (s->sym < 0)
		return NULL;
	if (start)
		*start = vaddr_to_off(f, f->syms[s->sym].value);
	return f->names.data + f->syms[s->sym].name;
}

void sym_cache_clear(void)
{
	cache_gen++;
}
