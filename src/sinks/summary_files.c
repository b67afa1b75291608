/* SPDX-License-Identifier: MIT */
/*
 * summary_files: "Files written" as the files end up on disk. Bytes are
 * written under one name (index.lock, tmp_obj_XXXXXX, an O_TMPFILE's
 * "/tmp/#1234 (deleted)") and the file then takes another (rename, link)
 * or loses its last (unlink, or another file renamed over it). Each
 * written file is followed by the names it has, in log order: the ones it
 * ends with are listed with the bytes that went into it and the name they
 * went in by; the ones left without a name are temporary; files deleted
 * without being written are listed apart.
 *
 * Names are the paths of the events: the decoder gives an fd the kernel's
 * name for its file (the new name after a rename, "NAME (deleted)" after
 * an unlink, "DIR/#INODE (deleted)" for an O_TMPFILE), so writes made after
 * a change meet the same file here.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/termesc.h"
#include "log/evfield.h"
#include "sinks/summary_int.h"

#define TOP_WRITTEN 10
#define TOP_TEMP 5
#define TOP_DELETED 5
#define DELETED_SUFFIX " (deleted)"

/* A file that was written. */
struct wnode {
	uint64_t bytes, calls;
	char *first;       /* the name it was first written under */
	char **names;      /* the names it has now, oldest first */
	size_t nnames, cap;
	char *last;        /* its last name, once it has none */
	bool replaced_old; /* its name replaced another file (rename over it) */
	bool overwritten;  /* lost its last name to a file renamed over it */
	uint32_t order;
};

struct wfiles {
	struct wnode *n;
	size_t nn, cap;
	struct u64map at;     /* hash of a name -> index + 1 into bind */
	uint32_t *bind;       /* node index + 1 named so now, 0 = none */
	size_t nbind, bcap;
	struct u64map dirs;   /* hashes of the directories above every name given */
	struct u64map created;/* names created with O_EXCL during the run */
	char **deleted;       /* files deleted that were not written (NULL: written again since) */
	size_t ndeleted, dcap, nrevived;
	struct u64map del_at; /* hash of a deleted name -> index + 1 into deleted */
};

static uint64_t hash_more(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static uint64_t name_hash(const char *s, size_t n)
{
	return u64map_mix(hash_more(14695981039346656037ull, s, n));
}

static uint32_t *binding(struct wfiles *w, const char *s, size_t n, bool create)
{
	uint32_t *slot = u64map_slot(&w->at, name_hash(s, n));
	if (!*slot) {
		if (!create)
			return NULL;
		if (w->nbind == w->bcap) {
			w->bcap = w->bcap ? w->bcap * 2 : 64;
			w->bind = xreallocarray(w->bind, w->bcap, sizeof(*w->bind));
		}
		w->bind[w->nbind++] = 0;
		*slot = (uint32_t)w->nbind;
	}
	return &w->bind[*slot - 1];
}

/* The node named s now, or NULL. */
static struct wnode *named(struct wfiles *w, const char *s, size_t n)
{
	uint32_t *b = binding(w, s, n, false);
	return b && *b ? &w->n[*b - 1] : NULL;
}

static void bind_name(struct wfiles *w, const char *s, size_t n, struct wnode *x)
{
	*binding(w, s, n, true) = x ? (uint32_t)(x - w->n) + 1 : 0;
	if (!x)
		return;
	/* remember the directories above, so that a directory's rename knows to look */
	for (size_t i = n; i-- > 1;)
		if (s[i] == '/') {
			uint32_t *slot = u64map_slot(&w->dirs, name_hash(s, i));
			if (*slot)
				break; /* and those above it */
			*slot = 1;
		}
}

static void add_name(struct wfiles *w, struct wnode *x, const char *s, size_t n)
{
	if (x->nnames == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 2;
		x->names = xreallocarray(x->names, x->cap, sizeof(*x->names));
	}
	x->names[x->nnames++] = xstrndup(s, n);
	bind_name(w, s, n, x);
}

static bool ends_deleted(const char *s, size_t n)
{
	size_t k = strlen(DELETED_SUFFIX);
	return n > k && !memcmp(s + n - k, DELETED_SUFFIX, k);
}

/* Name s leaves x: "s (deleted)" still leads to it (its open fds are named so). */
static void drop_name(struct wfiles *w, struct wnode *x, const char *s, size_t n)
{
	for (size_t i = 0; i < x->nnames; i++) {
		if (strlen(x->names[i]) != n || memcmp(x->names[i], s, n))
			continue;
		char *gone = x->names[i];
		memmove(&x->names[i], &x->names[i + 1], (x->nnames - i - 1) * sizeof(*x->names));
		if (--x->nnames) {
			free(gone);
		} else {
			free(x->last);
			x->last = gone;
		}
		break;
	}
	bind_name(w, s, n, NULL);
	struct buf d = {0};
	buf_add(&d, s, n);
	buf_adds(&d, DELETED_SUFFIX);
	*binding(w, d.data, d.len, true) = (uint32_t)(x - w->n) + 1;
	buf_free(&d);
}

static struct wfiles *wf(struct sum *s)
{
	if (!s->wf)
		s->wf = xcalloc(1, sizeof(*s->wf));
	return s->wf;
}

void summary_files_write(struct sum *s, uint32_t path, uint64_t bytes)
{
	struct wfiles *w = wf(s);
	size_t n;
	const char *p = evlog_str(s->log, path, &n);
	if (!p)
		return;
	struct wnode *x = named(w, p, n);
	if (!x) {
		if (w->nn == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 32;
			w->n = xreallocarray(w->n, w->cap, sizeof(*w->n));
		}
		x = &w->n[w->nn++];
		memset(x, 0, sizeof(*x));
		x->order = (uint32_t)w->nn;
		x->first = xstrndup(p, n);
		uint32_t *del = u64map_slot(&w->del_at, name_hash(p, n));
		if (*del && w->deleted[*del - 1]) { /* a file deleted, then made anew under its name */
			free(w->deleted[*del - 1]);
			w->deleted[*del - 1] = NULL;
			w->nrevived++;
			x->replaced_old = true;
		}
		if (ends_deleted(p, n)) { /* no name: an O_TMPFILE, or a name deleted out of sight */
			x->last = xstrndup(p, n);
			bind_name(w, p, n, x);
		} else {
			add_name(w, x, p, n);
		}
	}
	x->bytes += bytes;
	x->calls++;
}

static void note_deleted(struct wfiles *w, const char *p, size_t n)
{
	if (w->ndeleted == w->dcap) {
		w->dcap = w->dcap ? w->dcap * 2 : 16;
		w->deleted = xreallocarray(w->deleted, w->dcap, sizeof(*w->deleted));
	}
	w->deleted[w->ndeleted++] = xstrndup(p, n);
	*u64map_slot(&w->del_at, name_hash(p, n)) = (uint32_t)w->ndeleted;
}

/* A directory from -> to: the written files under it take names under to. */
static void rename_dir(struct wfiles *w, const char *from, size_t fn, const char *to, size_t tn)
{
	if (!*u64map_slot(&w->dirs, name_hash(from, fn)))
		return; /* no written file has had a name under it */
	for (size_t i = 0; i < w->nn; i++) {
		struct wnode *x = &w->n[i];
		for (size_t j = 0; j < x->nnames; j++) {
			char *nm = x->names[j];
			if (strncmp(nm, from, fn) || nm[fn] != '/')
				continue;
			struct buf b = {0};
			buf_add(&b, to, tn);
			buf_adds(&b, nm + fn);
			bind_name(w, nm, strlen(nm), NULL);
			bind_name(w, b.data, b.len, x);
			free(nm);
			x->names[j] = buf_steal(&b);
		}
	}
}

static void on_rename(struct wfiles *w, const struct ev *e, const char *p, size_t pn, const char *q, size_t qn)
{
	struct wnode *from = named(w, p, pn), *to = named(w, q, qn);
	if (pn == qn && !memcmp(p, q, pn))
		return;
	if (to && to != from) {
		drop_name(w, to, q, qn);
		if (!to->nnames)
			to->overwritten = true;
	}
	if (!from) {
		rename_dir(w, p, pn, q, qn);
		return;
	}
	for (size_t i = 0; i < from->nnames; i++) {
		if (strlen(from->names[i]) == pn && !memcmp(from->names[i], p, pn)) {
			free(from->names[i]);
			from->names[i] = xstrndup(q, qn);
			/* the newest name is shown: move it last */
			char *nm = from->names[i];
			memmove(&from->names[i], &from->names[i + 1], (from->nnames - i - 1) * sizeof(*from->names));
			from->names[from->nnames - 1] = nm;
			break;
		}
	}
	bind_name(w, p, pn, NULL);
	bind_name(w, q, qn, from);
	if (to || evfield_bool(e, EVK_REPLACED))
		from->replaced_old = true;
}

static void on_exchange(struct wfiles *w, const char *p, size_t pn, const char *q, size_t qn)
{
	struct wnode *a = named(w, p, pn), *b = named(w, q, qn);
	for (int k = 0; k < 2; k++) {
		struct wnode *x = k ? b : a;
		const char *old = k ? q : p, *nw = k ? p : q;
		size_t on = k ? qn : pn, nn = k ? pn : qn;
		if (!x)
			continue;
		for (size_t i = 0; i < x->nnames; i++)
			if (strlen(x->names[i]) == on && !memcmp(x->names[i], old, on)) {
				free(x->names[i]);
				x->names[i] = xstrndup(nw, nn);
			}
	}
	bind_name(w, p, pn, b);
	bind_name(w, q, qn, a);
}

void summary_files_change(struct sum *s, const struct ev *e)
{
	if (ev_find(e, EVK_ERR))
		return;
	struct wfiles *w = wf(s);
	size_t pn = 0, qn = 0;
	const char *p = evfield_str(s->log, e, EVK_PATH, &pn);
	const char *q = evfield_str(s->log, e, EVK_NEW_PATH, &qn);
	if (!p)
		return;
	switch (e->type) {
	case EVT_OPEN: {
		size_t fn, tn;
		const char *fl = evfield_str(s->log, e, EVK_FLAGS, &fn);
		const char *tmp = evfield_str(s->log, e, EVK_FD_PATH, &tn);
		if (tmp) {
			/* a new O_TMPFILE: its "#INODE" name may be an earlier one's, freed and reused */
			uint32_t *b = binding(w, tmp, tn, false);
			if (b)
				*b = 0;
		} else if (fl && memmem(fl, fn, "O_CREAT", 7) && memmem(fl, fn, "O_EXCL", 6)) {
			*u64map_slot(&w->created, name_hash(p, pn)) = 1;
			struct wnode *x = named(w, p, pn);
			if (x) /* a new file: the old one went out of sight */
				drop_name(w, x, p, pn);
		}
		break;
	}
	case EVT_UNLINK: {
		struct wnode *x = named(w, p, pn);
		if (x) {
			drop_name(w, x, p, pn);
		} else {
			uint32_t *slot = u64map_slot(&w->created, name_hash(p, pn));
			if (!*slot)
				note_deleted(w, p, pn); /* there before, or not known to be made here */
		}
		break;
	}
	case EVT_LINK: {
		struct wnode *x = named(w, p, pn);
		if (x && q && !named(w, q, qn))
			add_name(w, x, q, qn);
		break;
	}
	case EVT_RENAME: {
		if (!q)
			break;
		size_t fn;
		const char *fl = evfield_str(s->log, e, EVK_FLAGS, &fn);
		if (fl && memmem(fl, fn, "RENAME_EXCHANGE", 15))
			on_exchange(w, p, pn, q, qn);
		else
			on_rename(w, e, p, pn, q, qn);
		break;
	}
	default:
		break;
	}
}

static int by_bytes(const void *a, const void *b)
{
	const struct wnode *x = *(struct wnode *const *)a, *y = *(struct wnode *const *)b;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void add_size(struct buf *b, uint64_t n)
{
	struct buf sz = {0};
	fmt_size(&sz, n);
	buf_printf(b, "   %10s  ", sz.data);
	buf_free(&sz);
}

/* "#1234 (deleted)" as the last component: the kernel's name of an O_TMPFILE file. */
static bool tmpfile_name(const char *s)
{
	const char *slash = strrchr(s, '/');
	return slash && slash[1] == '#' && ends_deleted(s, strlen(s));
}

/* The name bytes went in by, relative to the final name's directory when they share it. */
static void add_via(struct buf *b, const char *first, const char *final)
{
	if (tmpfile_name(first)) {
		buf_adds(b, "O_TMPFILE");
		return;
	}
	const char *fs = strrchr(first, '/'), *ls = strrchr(final, '/');
	if (fs && ls && fs - first == ls - final && !memcmp(first, final, (size_t)(fs - first)))
		termesc_cstr(b, fs + 1);
	else
		termesc_cstr(b, first);
}

static void print_written(struct buf *b, struct wnode **v, size_t n)
{
	buf_printf(b, " Files written (%zu file%s%s):\n", n, n == 1 ? "" : "s",
		   n > TOP_WRITTEN ? ", top 10 by bytes" : "");
	for (size_t i = 0; i < n && i < TOP_WRITTEN; i++) {
		struct wnode *x = v[i];
		const char *final = x->names[x->nnames - 1];
		add_size(b, x->bytes);
		termesc_cstr(b, final);
		const char *sep = " (";
		if (x->calls > 1) {
			buf_printf(b, "%s%llu calls", sep, (unsigned long long)x->calls);
			sep = ", ";
		}
		bool still = false; /* the first name is one of its names still */
		for (size_t j = 0; j < x->nnames; j++)
			still = still || !strcmp(x->first, x->names[j]);
		if (!still) {
			buf_printf(b, "%svia ", sep);
			add_via(b, x->first, final);
			sep = ", ";
		}
		if (x->replaced_old) {
			buf_printf(b, "%sreplaced the old file", sep);
			sep = ", ";
		}
		for (size_t j = 0; j + 1 < x->nnames; j++) {
			buf_printf(b, "%salso ", sep);
			termesc_cstr(b, x->names[j]);
			sep = ", ";
		}
		if (sep[0] == ',')
			buf_addc(b, ')');
		buf_addc(b, '\n');
	}
}

static void print_temp(struct buf *b, struct wnode **v, size_t n)
{
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += v[i]->bytes;
	buf_printf(b, " Temporary files (written, then deleted): %zu file%s, ", n, n == 1 ? "" : "s");
	fmt_size(b, total);
	buf_addc(b, '\n');
	for (size_t i = 0; i < n && i < TOP_TEMP; i++) {
		struct wnode *x = v[i];
		add_size(b, x->bytes);
		termesc_cstr(b, x->last ? x->last : x->first);
		if (x->overwritten)
			buf_adds(b, " (replaced by a rename)");
		else if (x->calls > 1)
			buf_printf(b, " (%llu calls)", (unsigned long long)x->calls);
		buf_addc(b, '\n');
	}
	if (n > TOP_TEMP)
		buf_printf(b, "   ... and %zu more\n", n - TOP_TEMP);
}

void summary_files_print(struct sum *s, struct buf *b)
{
	struct wfiles *w = s->wf;
	if (!w)
		return;
	struct wnode **kept = xcalloc(w->nn + 1, sizeof(*kept)), **temp = xcalloc(w->nn + 1, sizeof(*temp));
	size_t nk = 0, nt = 0;
	for (size_t i = 0; i < w->nn; i++) {
		if (w->n[i].nnames)
			kept[nk++] = &w->n[i];
		else
			temp[nt++] = &w->n[i];
	}
	qsort(kept, nk, sizeof(*kept), by_bytes);
	qsort(temp, nt, sizeof(*temp), by_bytes);
	if (nk)
		print_written(b, kept, nk);
	if (nt)
		print_temp(b, temp, nt);
	size_t nd = w->ndeleted - w->nrevived, shown = 0;
	if (nd) {
		buf_adds(b, " Deleted (not written here): ");
		for (size_t i = 0; i < w->ndeleted && shown < TOP_DELETED; i++) {
			if (!w->deleted[i])
				continue;
			if (shown++)
				buf_adds(b, ", ");
			termesc_cstr(b, w->deleted[i]);
		}
		if (nd > TOP_DELETED)
			buf_printf(b, " ... and %zu more", nd - TOP_DELETED);
		buf_addc(b, '\n');
	}
	free(kept);
	free(temp);
}

void summary_files_free(struct sum *s)
{
	struct wfiles *w = s->wf;
	if (!w)
		return;
	for (size_t i = 0; i < w->nn; i++) {
		struct wnode *x = &w->n[i];
		for (size_t j = 0; j < x->nnames; j++)
			free(x->names[j]);
		free(x->names);
		free(x->first);
		free(x->last);
	}
	for (size_t i = 0; i < w->ndeleted; i++)
		free(w->deleted[i]);
	free(w->deleted);
	free(w->n);
	free(w->bind);
	u64map_free(&w->at);
	u64map_free(&w->dirs);
	u64map_free(&w->created);
	u64map_free(&w->del_at);
	free(w);
	s->wf = NULL;
}
