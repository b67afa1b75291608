/* SPDX-License-Identifier: MIT */
/* evlog_fold: the fold kind of a record (enum ev_fold in evlog.h): anonymous memory, locale loading, PATH search. */
#include <stdbool.h>

#include <errno.h>
#include <string.h>

#include "log/evfield.h"
#include "log/evlog.h"

const char *ev_fold_name(unsigned kind)
{
	static const char *const names[EVFOLD__COUNT] = {NULL, "memory", "locale", "path"};
	return kind < EVFOLD__COUNT ? names[kind] : NULL;
}

static bool has_prefix(const char *s, size_t n, const char *pre)
{
	size_t l = strlen(pre);
	return n >= l && !memcmp(s, pre, l);
}

static bool has_suffix(const char *s, size_t n, const char *suf)
{
	size_t l = strlen(suf);
	return n >= l && !memcmp(s + n - l, suf, l);
}

/*
 * Files setlocale(3) and gettext look for: LC_* categories and the
 * archive under a locale directory, locale.alias, message catalogs
 * (LC_MESSAGES/x.mo), and the gconv module cache.
 */
static bool locale_file(const char *p, size_t n)
{
	const char *slash = memrchr(p, '/', n);
	const char *b = slash ? slash + 1 : p;
	size_t bn = n - (size_t)(b - p);
	if (has_suffix(p, n, "/gconv-modules.cache") || has_suffix(p, n, "/gconv-modules"))
		return true;
	if (!memmem(p, n, "/locale/", 8))
		return false;
	return has_prefix(b, bn, "LC_") || (bn == 14 && !memcmp(b, "locale-archive", 14)) ||
	       (bn == 12 && !memcmp(b, "locale.alias", 12)) || has_prefix(b, bn, "SYS_LC_") ||
	       (has_suffix(b, bn, ".mo") && memmem(p, n, "/LC_MESSAGES/", 13));
}

static unsigned classify_exec(const struct evlog *log, const struct ev *e, int err)
{
	if (err != ENOENT && err != ENOTDIR && err != EACCES)
		return EVFOLD_NONE;
	uint32_t argc = 0;
	const uint32_t *ids = evlog_strv_get(log, evfield_strvid(e, EVK_ARGV), &argc);
	size_t an = 0, pn = 0;
	const char *a0 = argc ? evlog_str(log, ids[0], &an) : NULL;
	const char *p = evlog_str(log, evfield_strid(e, EVK_PATH), &pn);
	if (!a0 || !p || !an || memchr(a0, '/', an) || pn <= an + 1)
		return EVFOLD_NONE;
	/* execvp tried DIR/argv[0]: the program was named without a directory */
	if (p[pn - an - 1] == '/' && !memcmp(p + pn - an, a0, an))
		return EVFOLD_PATH;
	return EVFOLD_NONE;
}

unsigned evlog_fold_classify(const struct evlog *log, const struct ev *e)
{
	uint32_t en = 0;
	int err = evfield_errno(e, &en);
	size_t n = 0;
	const char *p;
	switch (e->type) {
	case EVT_MMAP:
		if (!err && !evfield_strid(e, EVK_PATH) && !ev_find(e, EVK_FD))
			return EVFOLD_MEMORY;
		if (!err && (p = evlog_str(log, evfield_strid(e, EVK_PATH), &n)) && locale_file(p, n))
			return EVFOLD_LOCALE;
		return EVFOLD_NONE;
	case EVT_MUNMAP:
	case EVT_MREMAP:
	case EVT_MPROTECT:
	case EVT_BRK:
		return err ? EVFOLD_NONE : EVFOLD_MEMORY;
	case EVT_OPEN:
	case EVT_READ:
		if (err && (e->type != EVT_OPEN || (err != ENOENT && err != ENOTDIR)))
			return EVFOLD_NONE;
		p = evlog_str(log, evfield_strid(e, EVK_PATH), &n);
		return p && locale_file(p, n) ? EVFOLD_LOCALE : EVFOLD_NONE;
	case EVT_EXEC:
		return err ? classify_exec(log, e, err) : EVFOLD_NONE;
	default:
		return EVFOLD_NONE;
	}
}
