/* SPDX-License-Identifier: MIT */
/* watch_dump: atomic symlink-safe dump files, retention, and --list-dumps. */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "watch/watch.h"
#include "lib/atomicfile.h"
#include "lib/json.h"
#include "lib/termesc.h"
#include "log/jsonl_read.h"
#include "watch/watch_int.h"
#include "lib/msg.h"

struct watch_dumpdir {
	int fd;
	char *path;
	bool gone; /* it disappeared and could not be recreated (said once) */
};

static int check_dir(int fd, const char *path, struct buf *err)
{
	struct stat st;
	if (fstat(fd, &st)) {
		buf_printf(err, "dump directory %s: %s", path, strerror(errno));
		return -errno;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		buf_printf(err, "dump directory %s is owned by uid %u, not root or us; refusing it", path,
			   (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		buf_printf(err, "dump directory %s is writable by group or others (mode %04o); refusing it "
			   "(chmod 0750 it)", path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/* Open, create when missing (*created) and verify the directory at path; its fd, or -1 with a message in err. */
static int open_dir(const char *path, struct buf *err, bool *created)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		if (mkdir(path, 0750) && errno != EEXIST) {
			buf_printf(err, "cannot create dump directory %s: %s", path, strerror(errno));
			return -1;
		}
		*created = true;
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP || e == ENOTDIR) {
			struct stat st;
			if (!lstat(path, &st) && S_ISLNK(st.st_mode))
				buf_printf(err, "dump directory %s is a symbolic link; refusing it (use the real path)", path);
			else
				buf_printf(err, "dump directory %s is not a directory", path);
		} else
			buf_printf(err, "cannot open dump directory %s: %s", path, strerror(e));
		return -1;
	}
	if (check_dir(fd, path, err)) {
		close(fd);
		return -1;
	}
	/* prove now that dumps can be created here, not at the first trigger */
	char probe[64];
	unsigned r = 0;
	(void)!getrandom(&r, sizeof(r), 0);
	snprintf(probe, sizeof(probe), ".spike-probe-%08x", r);
	int pf = openat(fd, probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (pf < 0) {
		buf_printf(err, "cannot write in dump directory %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(pf);
	unlinkat(fd, probe, 0);
	return fd;
}

struct watch_dumpdir *watch_dumpdir_open(const char *path, struct buf *err)
{
	bool created = false;
	int fd = open_dir(path, err, &created);
	if (fd < 0)
		return NULL;
	struct watch_dumpdir *d = xcalloc(1, sizeof(*d));
	d->fd = fd;
	d->path = xstrdup(path);
	return d;
}

/*
 * The directory was removed (rm -rf: the open one has no links left) or
 * moved away (its path names another inode, or nothing): recreate it by
 * the rules of the start, and say so once per disappearance.
 */
bool watch_dumpdir_ensure(struct watch_dumpdir *d)
{
	struct stat fst, pst;
	if (!d->gone && !fstat(d->fd, &fst) && fst.st_nlink > 0 && !lstat(d->path, &pst) && pst.st_dev == fst.st_dev &&
	    pst.st_ino == fst.st_ino)
		return true;
	struct buf err = {0};
	bool created = false;
	int fd = open_dir(d->path, &err, &created);
	if (fd < 0) {
		if (!d->gone)
			warnmsg("the dump directory disappeared and cannot be recreated (%s); sampling goes on, "
				"dumps are lost until it can be", err.data);
		d->gone = true;
		buf_free(&err);
		return false;
	}
	close(d->fd);
	d->fd = fd;
	d->gone = false;
	warnmsg("dump directory %s disappeared (removed or moved away); %s", d->path,
		created ? "recreated it" : "using the directory now at that path");
	return true;
}

void watch_dumpdir_close(struct watch_dumpdir *d)
{
	if (!d)
		return;
	close(d->fd);
	free(d->path);
	free(d);
}

int watch_dumpdir_fd(const struct watch_dumpdir *d)
{
	return d->fd;
}

int watch_dump_write_fn(struct watch_dumpdir *d, const char *kind, const struct timespec *when,
			int (*fill)(void *ctx, int fd), void *ctx, char **name)
{
	struct buf err = {0};
	/* the directory may have been made unsafe since startup */
	int rc = check_dir(d->fd, d->path, &err);
	if (rc) {
		warnmsg("%s; dump not written", err.data);
		buf_free(&err);
		return rc;
	}
	struct atomicfile af;
	rc = atomicfile_open(&af, d->fd, ".spike-tmp-", "", 0640);
	if (rc)
		return rc;
	struct group *g = getgrnam("compendium");
	if (g)
		(void)!fchown(atomicfile_fd(&af), (uid_t)-1, g->gr_gid);
	rc = fill(ctx, atomicfile_fd(&af));
	if (rc) {
		atomicfile_abort(&af);
		return rc;
	}
	struct tm tm;
	gmtime_r(&when->tv_sec, &tm);
	char stamp[40], final[128];
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	rc = -EEXIST;
	for (int i = 0; i < 100 && rc == -EEXIST; i++) {
		if (i)
			snprintf(final, sizeof(final), "spike_%s_%s.%03ldZ-%d.jsonl", kind, stamp, when->tv_nsec / 1000000, i);
		else
			snprintf(final, sizeof(final), "spike_%s_%s.%03ldZ.jsonl", kind, stamp, when->tv_nsec / 1000000);
		/* NOREPLACE: never clobber (or follow) whatever sits at the final name */
		rc = atomicfile_commit(&af, final, true);
	}
	if (rc) {
		atomicfile_abort(&af);
		return rc;
	}
	*name = xstrdup(final);
	return rc;
}

struct dent {
	char *name;
	time_t mtime;
	long mtime_ns;
	off_t size;
};

static int dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	if (x->mtime_ns != y->mtime_ns)
		return x->mtime_ns < y->mtime_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool is_dump_name(const char *n)
{
	size_t l = strlen(n);
	if (strncmp(n, "spike_", 6) || l < 12 || strcmp(n + l - 6, ".jsonl"))
		return false;
	for (const char *p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      *p == '.' || *p == '-'))
			return false;
	return true;
}

/*
 * What --list-dumps shows: any spike_*.jsonl, whatever bytes its name holds
 * (they are escaped on output); retention removes only names compendium writes.
 */
static bool is_listed_name(const char *n)
{
	size_t l = strlen(n);
	return !strncmp(n, "spike_", 6) && l >= 12 && !strcmp(n + l - 6, ".jsonl");
}

/* The dumps in dirfd, oldest first; all_names: every name --list-dumps shows, not only compendium's. */
static size_t list_dumps(int dirfd, struct dent **out, bool all_names)
{
	int fd = dup(dirfd);
	struct dent *v = NULL;
	size_t n = 0, cap = 0;
	if (fd < 0)
		return 0;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return 0;
	}
	rewinddir(dir);
	struct dirent *de;
	time_t now = time(NULL);
	while ((de = readdir(dir))) {
		struct stat st;
		if (!strncmp(de->d_name, ".spike-tmp-", 11)) {
			/* left behind by a crash mid-write */
			if (!fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) && S_ISREG(st.st_mode) &&
			    st.st_mtime + 3600 < now)
				unlinkat(dirfd, de->d_name, 0);
			continue;
		}
		if (!(all_names ? is_listed_name(de->d_name) : is_dump_name(de->d_name)))
			continue;
		if (fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n++] = (struct dent){ xstrdup(de->d_name), st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_size };
	}
	closedir(dir);
	if (n)
		qsort(v, n, sizeof(*v), dent_cmp);
	*out = v;
	return n;
}

static void free_dents(struct dent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

int watch_dump_retention(struct watch_dumpdir *d, long max_dumps, double max_age_days, double max_total_mib)
{
	struct dent *v = NULL;
	size_t n = list_dumps(d->fd, &v, false);
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += (double)v[i].size;
	time_t now = time(NULL);
	size_t left = n;
	int removed = 0;
	/* oldest first; the newest dump is always kept */
	for (size_t i = 0; i + 1 < n; i++) {
		bool too_many = (long)left > max_dumps;
		bool too_old = difftime(now, v[i].mtime) > max_age_days * 86400;
		bool too_big = total > max_total_mib * 1048576;
		if (!too_many && !too_old && !too_big)
			continue;
		if (!unlinkat(d->fd, v[i].name, 0)) {
			removed++;
			left--;
			total -= (double)v[i].size;
		}
	}
	free_dents(v, n);
	if (removed)
		fsync(d->fd);
	return removed;
}

/* ---- listing ---- */

/*
 * The bytes a string of a dump stands for. A version 1 log escapes a
 * backslash and bytes that are not UTF-8 inside the string (\\ and \xNN,
 * lib/json.h): undone here, or a backslash would show doubled. Later
 * versions write the string as it is, with the bytes of one that is not
 * UTF-8 in a sibling "KEY_bytes" array of numbers, which wins when present.
 */
static void dump_bytes(struct buf *out, const cJSON *parent, const cJSON *v, int version)
{
	const char *s = v->valuestring;
	if (version < 2) {
		json_unescape_bytes(out, s, strlen(s));
		return;
	}
	if (parent && v->string) {
		struct buf k = {0};
		buf_printf(&k, "%s_bytes", v->string);
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(parent, k.data);
		buf_free(&k);
		if (cJSON_IsArray(a)) {
			for (const cJSON *c = a->child; c; c = c->next)
				if (cJSON_IsNumber(c) && c->valuedouble >= 0 && c->valuedouble <= 255)
					buf_addc(out, (char)(unsigned char)c->valuedouble);
			return;
		}
	}
	buf_adds(out, s);
}

/* The trigger record of a dump (parsed) and its log's version, or NULL. Reads at most the first 1 MiB. */
static cJSON *read_trigger(int dirfd, const char *name, int *version)
{
	*version = 1;
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	size_t cap = 1 << 20;
	char *buf = xmalloc(cap + 1);
	size_t n = 0;
	while (n < cap) {
		ssize_t k = read(fd, buf + n, cap - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = 0;
		if (memchr(buf + n - (size_t)k, '\n', (size_t)k) && strstr(buf, "\"trigger\""))
			break;
	}
	close(fd);
	buf[n] = 0;
	cJSON *found = NULL;
	char *save = NULL;
	int lines = 0;
	for (char *line = strtok_r(buf, "\n", &save); line && lines < 64 && !found; line = strtok_r(NULL, "\n", &save), lines++) {
		const char *end = NULL;
		cJSON *j = cJSON_ParseWithOpts(line, &end, 1);
		if (!j)
			continue;
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "type");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "version");
		if (cJSON_IsString(t) && !strcmp(t->valuestring, "header") && cJSON_IsNumber(v))
			*version = v->valuedouble >= 2 ? 2 : 1;
		if (cJSON_IsString(t) && !strcmp(t->valuestring, "trigger"))
			found = j;
		else
			cJSON_Delete(j);
	}
	free(buf);
	return found;
}

/* The trigger's field k made safe for the terminal (at most max input bytes, 0: all), or "?" if it has none. */
static void show_field(struct buf *b, const cJSON *t, const char *k, int version, size_t max)
{
	const cJSON *v = t ? cJSON_GetObjectItemCaseSensitive(t, k) : NULL;
	if (!cJSON_IsString(v)) {
		buf_addc(b, '?');
		return;
	}
	struct buf raw = {0};
	dump_bytes(&raw, t, v, version);
	termesc(b, raw.data ? raw.data : "", max && raw.len > max ? max : raw.len);
	buf_free(&raw);
}

/* One dump as a text line: when, kind, size, file name, message; everything from the dump escaped. */
static void list_text(struct buf *b, const struct dent *d, const cJSON *t, int version)
{
	struct buf ts = {0}, kind = {0};
	show_field(&ts, t, "when", version, 19);
	show_field(&kind, t, "kind", version, 0);
	buf_printf(b, "%-19s  %-8s  %8lld  ", ts.data, kind.data, (long long)d->size);
	buf_free(&ts);
	buf_free(&kind);
	termesc(b, d->name, strlen(d->name));
	buf_adds(b, "  ");
	if (t)
		show_field(b, t, "msg", version, 0);
	else
		buf_adds(b, "(no trigger record)");
	buf_addc(b, '\n');
}

/* One dump as a JSON line: file, path, size and the trigger record. */
static void list_json(struct buf *b, const char *dir, const struct dent *d, const cJSON *t, int version)
{
	buf_addc(b, '{');
	json_kcstr(b, "file", d->name);
	struct buf p = {0};
	buf_printf(&p, "%s/%s", dir, d->name);
	json_kstr(b, "path", p.data, p.len);
	buf_free(&p);
	buf_printf(b, ",\"size\":%lld,\"trigger\":", (long long)d->size);
	if (t) /* in the current form, whatever the dump's version */
		jsonl_reencode(b, t, version);
	else
		buf_adds(b, "null");
	buf_adds(b, "}\n");
}

/* One dump of the listing: its file, trigger record and the time it is ordered by. */
struct listed {
	struct dent *d;
	cJSON *t;
	int version;
	double when;             /* the trigger's time (its file's mtime when the record has none) */
	const char *kind;        /* borrowed from t, "" when none */
};

/* The trigger's "when" (2026-01-02T03:04:05.678Z) in seconds since the epoch, or the file's mtime. */
static double listed_time(const cJSON *t, const struct dent *d)
{
	const cJSON *v = t ? cJSON_GetObjectItemCaseSensitive(t, "when") : NULL;
	struct tm tm = {0};
	int ms = 0, n = 0;
	if (cJSON_IsString(v) &&
	    sscanf(v->valuestring, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &tm.tm_sec, &ms, &n) == 7 && n && !v->valuestring[n]) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		time_t sec = timegm(&tm);
		if (sec != (time_t)-1)
			return (double)sec + ms / 1e3;
	}
	return (double)d->mtime + d->mtime_ns / 1e9;
}

static int cmp_time(const struct listed *x, const struct listed *y)
{
	if (x->when != y->when)
		return x->when < y->when ? -1 : 1;
	return strcmp(x->d->name, y->d->name);
}

static int listed_time_cmp(const void *a, const void *b)
{
	return cmp_time(a, b);
}

static int listed_kind_cmp(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	return c ? c : cmp_time(x, y);
}

static int listed_size_cmp(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;
	if (x->d->size != y->d->size)
		return x->d->size > y->d->size ? -1 : 1;
	return cmp_time(x, y);
}

int watch_list(const struct watch_cfg *cfg)
{
	const char *path = cfg->dump_dir ? cfg->dump_dir : WATCH_DEFAULT_DUMP_DIR;
	int dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		die(1, "cannot open dump directory %s: %s (choose one with --dump-dir)", path, strerror(errno));
	int out = 1;
	bool json = cfg->json_path != NULL;
	if (json && strcmp(cfg->json_path, "-")) {
		/* 0600 as every --json file: see open_output in src/main.c */
		out = open(cfg->json_path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (out < 0)
			die(1, "cannot write %s: %s", cfg->json_path, strerror(errno));
	}
	struct dent *v = NULL;
	size_t n = list_dumps(dirfd, &v, true);
	struct listed *l = n ? xcalloc(n, sizeof(*l)) : NULL;
	for (size_t i = 0; i < n; i++) {
		l[i].d = &v[i];
		l[i].t = read_trigger(dirfd, v[i].name, &l[i].version);
		l[i].when = listed_time(l[i].t, &v[i]);
		const cJSON *k = l[i].t ? cJSON_GetObjectItemCaseSensitive(l[i].t, "kind") : NULL;
		l[i].kind = cJSON_IsString(k) ? k->valuestring : "";
	}
	/* time order, oldest first (the newest ends next to the prompt); compendium(1), --sort */
	int (*cmp)(const void *, const void *) = listed_time_cmp;
	if (cfg->sort && !strcmp(cfg->sort, "kind"))
		cmp = listed_kind_cmp;
	else if (cfg->sort && !strcmp(cfg->sort, "size"))
		cmp = listed_size_cmp;
	if (n)
		qsort(l, n, sizeof(*l), cmp);
	struct buf b = {0};
	if (!n && !json) {
		buf_adds(&b, "no dumps in ");
		termesc(&b, path, strlen(path));
		buf_addc(&b, '\n');
	}
	for (size_t i = 0; i < n; i++) {
		if (json)
			list_json(&b, path, l[i].d, l[i].t, l[i].version);
		else
			list_text(&b, l[i].d, l[i].t, l[i].version);
		cJSON_Delete(l[i].t);
	}
	free(l);
	int rc = b.len ? write_all(out, b.data, b.len) : 0;
	buf_free(&b);
	free_dents(v, n);
	close(dirfd);
	if (out != 1)
		close(out);
	if (rc)
		die(1, "writing the listing: %s", strerror(-rc));
	return 0;
}
