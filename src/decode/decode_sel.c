/* SPDX-License-Identifier: MIT */
/*
 * decode_sel: which calls' events are recorded beyond -e trace=: -e status=
 * (-z, -Z) by the call's result, and -P PATH by what the call touches.
 * strace's rule for -P (its pathtrace.c, mirrored here from the table's
 * argument types): a call matches when a path argument is, as the program
 * wrote it, one of the paths, or when an fd argument (dirfds included)
 * names one of them in /proc/TID/fd. Every path and fd argument counts:
 * rename's two paths too (strace 6.1 checks only rename's first).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"
#include "decode/decode_int.h"
#include "decode/systab.h"
#include "tracee/tmem.h"

static unsigned status_shown = EXPR_ST_ALL;
static const char *const *paths;
static unsigned npaths;

void dsel_init(const struct decode_cfg *cfg)
{
	status_shown = cfg->status ? cfg->status : EXPR_ST_ALL;
	paths = cfg->paths;
	npaths = cfg->npaths;
}

static bool path_in_set(const char *s)
{
	for (unsigned i = 0; i < npaths; i++)
		if (strcmp(s, paths[i]) == 0)
			return true;
	return false;
}

/* The path fd names in /proc (" (deleted)" cut, as strace does), compared with the set. */
static bool fd_in_set(int tid, int64_t fd)
{
	char link[64], target[PATH_MAX + 1];
	if (fd < 0 || fd > INT_MAX)
		return false;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", tid, (int)fd);
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	static const char del[] = " (deleted)";
	if ((size_t)n > sizeof(del) - 1 && strcmp(target + n - (sizeof(del) - 1), del) == 0)
		target[n - (sizeof(del) - 1)] = '\0';
	return path_in_set(target);
}

void dsel_entry(struct task *t)
{
	struct syscall *sc = &t->sc;
	sc->path_hit = false;
	if (!npaths)
		return;
	const struct sysent *se = systab_get(sc->arch, sc->nr);
	if (!se)
		return;
	uint64_t mask = sc->compat ? 0xffffffffu : ~0ull;
	for (unsigned i = 0; i < se->nargs && !sc->path_hit; i++) {
		uint64_t a = sc->args[i] & mask;
		switch (se->args[i].type) {
		case SAT_PATH: {
			char s[PATH_MAX + 1];
			int trunc = 0;
			ssize_t n = a ? tmem_read_str(t->tid, a, s, PATH_MAX, &trunc) : -EFAULT;
			sc->path_hit = n >= 0 && !trunc && path_in_set(s);
			break;
		}
		case SAT_FD:
		case SAT_DIRFD:
		case SAT_CLOSEFD:
			sc->path_hit = fd_in_set(t->tid, sc->compat ? (int32_t)a : (int64_t)(int)a);
			break;
		default:
			break;
		}
	}
}

bool dsel_shown(const struct task *t, bool finished, bool failed)
{
	unsigned st = !finished ? EXPR_ST_UNFINISHED : failed ? EXPR_ST_FAILED : EXPR_ST_SUCCESSFUL;
	if (!(status_shown & st))
		return false;
	return !npaths || t->sc.path_hit;
}

bool dsel_conn_shown(bool failed)
{
	return !npaths && (status_shown & (failed ? EXPR_ST_FAILED : EXPR_ST_SUCCESSFUL));
}
