/* SPDX-License-Identifier: MIT */
/* watch_conf: the --watch config file (key = value lines in [sections]). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/json.h"
#include "lib/termesc.h"
#include "watch/watch_int.h"

#define CONF_MAX_BYTES (64 * 1024)
#define CONF_MAX_LINE 1024

enum ktype { K_DBL, K_LONG, K_BOOL, K_STR };

struct key {
	const char *name;
	enum ktype type;
	size_t off;
	double min, max;
};

#define D(n, lo, hi) { #n, K_DBL, offsetof(struct watch_conf, n), lo, hi }
#define L(n, lo, hi) { #n, K_LONG, offsetof(struct watch_conf, n), lo, hi }
#define B(n) { #n, K_BOOL, offsetof(struct watch_conf, n), 0, 1 }
#define S(n) { #n, K_STR, offsetof(struct watch_conf, n), 0, 0 }

static const struct key keys[] = {
	D(cpu_delta_threshold_pct, 0.1, 100000),
	D(new_process_threshold_pct, 0.1, 100000),
	D(mem_drop_threshold_mib, 1, 1e9),
	D(mem_pressure_threshold_pct, 1, 100),
	D(swap_spike_threshold_mib, 1, 1e9),
	D(cooldown_seconds, 0, 86400),
	D(sampling_interval_seconds, 0.01, 3600),
	L(ring_buffer_capacity, 4, 100000),
	L(context_snapshots_per_dump, 1, 100000),
	B(enable_cpu_detection),
	B(enable_memory_detection),
	B(enable_swap_detection),
	D(memory_baseline_alpha, 0.001, 1),
	D(process_baseline_alpha, 0.001, 1),
	D(process_mem_growth_threshold_mib, 1, 1e9),
	B(enable_burst_detection),
	L(burst_threshold, 2, 10000000),
	D(burst_window_seconds, 0.1, 3600),
	B(enable_psi_detection),
	D(psi_threshold_pct, 0.1, 100),
	D(post_trigger_seconds, 0, 60),
	L(thread_states_top, 0, 1000),
	L(retention_max_dumps, 1, 1000000),
	D(retention_max_age_days, 0.001, 36500),
	D(retention_max_total_mib, 1, 1e9),
	S(dump_dir),
	D(baseline_warmup_seconds, 0, 86400),
};

/* Sections are for people; any key may appear in any of them. */
static const char *const sections[] = { "watch", "sampling", "detection", "triggers", "dumps", "retention" };

void watch_conf_defaults(struct watch_conf *c)
{
	*c = (struct watch_conf){
		.cpu_delta_threshold_pct = 50,
		.new_process_threshold_pct = 50,
		.mem_drop_threshold_mib = 512,
		.mem_pressure_threshold_pct = 90,
		.swap_spike_threshold_mib = 256,
		.cooldown_seconds = 5,
		.sampling_interval_seconds = 1,
		.ring_buffer_capacity = 60,
		.context_snapshots_per_dump = 10,
		.enable_cpu_detection = true,
		.enable_memory_detection = true,
		.enable_swap_detection = true,
		.memory_baseline_alpha = 0.2,
		.process_baseline_alpha = 0.3,
		.process_mem_growth_threshold_mib = 512,
		.enable_burst_detection = true,
		.burst_threshold = 100,
		.burst_window_seconds = 2,
		.enable_psi_detection = true,
		.psi_threshold_pct = 60,
		.post_trigger_seconds = 5,
		.thread_states_top = 5,
		.retention_max_dumps = 200,
		.retention_max_age_days = 14,
		.retention_max_total_mib = 512,
		.dump_dir = NULL,
		.baseline_warmup_seconds = 10,
	};
}

void watch_conf_release(struct watch_conf *c)
{
	free(c->dump_dir);
	c->dump_dir = NULL;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

static int set_value(struct watch_conf *c, const struct key *k, const char *v, const char **why)
{
	char *p = (char *)c + k->off;
	char *end;
	switch (k->type) {
	case K_DBL: {
		errno = 0;
		double d = strtod(v, &end);
		if (!*v || *end || errno || !isfinite(d)) {
			*why = "not a number";
			return -EINVAL;
		}
		if (d < k->min || d > k->max) {
			*why = "out of range";
			return -ERANGE;
		}
		*(double *)p = d;
		return 0;
	}
	case K_LONG: {
		long long ll;
		int rc = parse_ll(v, (long long)k->min, (long long)k->max, &ll);
		if (rc) {
			*why = rc == -ERANGE ? "out of range" : "not an integer";
			return rc;
		}
		*(long *)p = (long)ll;
		return 0;
	}
	case K_BOOL:
		if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1"))
			*(bool *)p = true;
		else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0"))
			*(bool *)p = false;
		else {
			*why = "not a boolean (true or false)";
			return -EINVAL;
		}
		return 0;
	case K_STR:
		if (!*v) {
			*why = "empty";
			return -EINVAL;
		}
		free(*(char **)p);
		*(char **)p = xstrdup(v);
		return 0;
	}
	return -EINVAL;
}

/* "name:line: pre<a>post" with a made terminal-safe. */
static void add_err(struct buf *err, const char *name, unsigned line, const char *pre, const char *a, const char *post)
{
	struct buf t = {0};
	termesc(&t, a, strlen(a));
	buf_printf(err, "%s:%u: %s%s%s\n", name, line, pre, t.data ? t.data : "", post);
	buf_free(&t);
}

int watch_conf_parse(struct watch_conf *c, const char *name, const char *text, size_t n, struct buf *err)
{
	struct watch_conf nc;
	watch_conf_defaults(&nc);
	bool seen[ARRAY_SIZE(keys)] = {0};
	int bad = 0;
	unsigned lineno = 0;
	size_t pos = 0;
	if (n > CONF_MAX_BYTES) {
		buf_printf(err, "%s: larger than %d bytes\n", name, CONF_MAX_BYTES);
		return -EFBIG;
	}
	while (pos < n) {
		const char *nl = memchr(text + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (text + pos)) : n - pos;
		lineno++;
		if (len >= CONF_MAX_LINE) {
			add_err(err, name, lineno, "line longer than ", "1023", " bytes");
			bad++;
			pos += len + 1;
			continue;
		}
		char line[CONF_MAX_LINE];
		memcpy(line, text + pos, len);
		line[len] = 0;
		pos += len + 1;
		if (memchr(line, 0, len)) {
			add_err(err, name, lineno, "NUL byte", "", "");
			bad++;
			continue;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		char *semi = strchr(line, ';');
		if (semi && semi == trim(line))
			*semi = 0;
		char *s = trim(line);
		if (!*s)
			continue;
		if (*s == '[') {
			char *e = strchr(s, ']');
			if (!e || *trim(e + 1)) {
				add_err(err, name, lineno, "malformed section header '", s, "'");
				bad++;
				continue;
			}
			*e = 0;
			char *sec = trim(s + 1);
			size_t i;
			for (i = 0; i < ARRAY_SIZE(sections); i++)
				if (!strcmp(sections[i], sec))
					break;
			if (i == ARRAY_SIZE(sections)) {
				add_err(err, name, lineno, "unknown section [", sec, "]");
				bad++;
			}
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			add_err(err, name, lineno, "expected 'key = value', got '", s, "'");
			bad++;
			continue;
		}
		*eq = 0;
		char *k = trim(s), *v = trim(eq + 1);
		if (strlen(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[strlen(v) - 1] == v[0]) {
			v[strlen(v) - 1] = 0;
			v++;
		}
		size_t i;
		for (i = 0; i < ARRAY_SIZE(keys); i++)
			if (!strcmp(keys[i].name, k))
				break;
		if (i == ARRAY_SIZE(keys)) {
			if (!strcmp(k, "max_processes_tracked") || !strcmp(k, "top_processes_stored"))
				add_err(err, name, lineno, "'", k, "' is not supported: compendium tracks and stores every process");
			else
				add_err(err, name, lineno, "unknown key '", k, "'");
			bad++;
			continue;
		}
		if (seen[i]) {
			add_err(err, name, lineno, "duplicate key '", k, "'");
			bad++;
			continue;
		}
		seen[i] = true;
		const char *why = NULL;
		if (set_value(&nc, &keys[i], v, &why)) {
			struct buf t = {0};
			termesc(&t, v, strlen(v));
			buf_printf(err, "%s:%u: %s: bad value '%s': %s", name, lineno, k, t.data ? t.data : "", why);
			if (keys[i].type == K_DBL || keys[i].type == K_LONG)
				buf_printf(err, " (allowed %g to %g)", keys[i].min, keys[i].max);
			buf_addc(err, '\n');
			buf_free(&t);
			bad++;
		}
	}
	if (!bad && nc.context_snapshots_per_dump >= nc.ring_buffer_capacity) {
		buf_printf(err, "%s: context_snapshots_per_dump (%ld) must be smaller than ring_buffer_capacity (%ld)\n",
			   name, nc.context_snapshots_per_dump, nc.ring_buffer_capacity);
		bad++;
	}
	if (bad) {
		watch_conf_release(&nc);
		watch_conf_release(c);
		watch_conf_defaults(c);
		return -EINVAL;
	}
	watch_conf_release(c);
	*c = nc;
	return 0;
}

/* What a file that is not a regular file is, for a message. */
static const char *ftype(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "of an unknown type";
}

/* Owned by root or by us (the rule for the file and for a symbolic link to it). */
static bool trusted_owner(const struct stat *st)
{
	return st->st_uid == 0 || st->st_uid == geteuid();
}

/*
 * Open the config file for reading (doc/SAFETY.md, 'Configuration files').
 * Checked before the open (a FIFO, device or directory is never opened),
 * opened O_NONBLOCK|O_NOFOLLOW (something swapped in since cannot block
 * us), and the opened file checked again. A symbolic link is followed only
 * when root or we own it; its target is held to the same rules. Returns the
 * fd, -ENOENT with *missing set when there is no file at all (and
 * missing_ok), or -errno with one line in err.
 */
static int conf_open(const char *path, bool missing_ok, bool *missing, struct buf *err)
{
	struct stat st, fst;
	char *real = NULL;
	int rc;
	if (lstat(path, &st)) {
		int e = errno;
		if (e == ENOENT && missing_ok) {
			*missing = true;
			return -ENOENT;
		}
		buf_printf(err, "%s: cannot open: %s\n", path, strerror(e));
		return -e;
	}
	const char *name = path;
	if (S_ISLNK(st.st_mode)) {
		if (!trusted_owner(&st)) {
			buf_printf(err, "%s: is a symbolic link owned by uid %u (not root or us); refusing it "
				   "(point --config at the real file)\n", path, (unsigned)st.st_uid);
			return -EPERM;
		}
		real = realpath(path, NULL);
		if (!real || lstat(real, &st)) {
			int e = errno;
			buf_printf(err, "%s: is a symbolic link that cannot be followed: %s\n", path, strerror(e));
			free(real);
			return -e;
		}
		name = real;
	}
	if (!S_ISREG(st.st_mode)) {
		if (real)
			buf_printf(err, "%s: is a symbolic link to %s, which is %s, not a regular file\n", path,
				   real, ftype(st.st_mode));
		else
			buf_printf(err, "%s: is %s, not a regular file\n", path, ftype(st.st_mode));
		free(real);
		return -EPERM;
	}
	int fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		rc = -errno;
		buf_printf(err, "%s: cannot open: %s\n", path, strerror(-rc));
		free(real);
		return rc == -EINVAL ? -EIO : rc;
	}
	free(real);
	if (fstat(fd, &fst)) {
		rc = -errno;
		buf_printf(err, "%s: %s\n", path, strerror(-rc));
		close(fd);
		return rc;
	}
	if (!S_ISREG(fst.st_mode) || fst.st_dev != st.st_dev || fst.st_ino != st.st_ino) {
		buf_printf(err, "%s: replaced while being opened (now %s); refusing it\n", path,
			   S_ISREG(fst.st_mode) ? "another file" : ftype(fst.st_mode));
		close(fd);
		return -EPERM;
	}
	if (fst.st_mode & (S_IWGRP | S_IWOTH) || !trusted_owner(&fst)) {
		buf_printf(err, "%s: writable by group or others, or owned by another user; refusing it (chmod go-w, chown root)\n",
			   path);
		close(fd);
		return -EPERM;
	}
	if (fst.st_size > CONF_MAX_BYTES) {
		buf_printf(err, "%s: %lld bytes, over the %d-byte limit of a config file\n", path,
			   (long long)fst.st_size, CONF_MAX_BYTES);
		close(fd);
		return -EFBIG;
	}
	return fd;
}

int watch_conf_load(struct watch_conf *c, const char *path, bool missing_ok, struct buf *err)
{
	watch_conf_release(c);
	watch_conf_defaults(c);
	if (!strcmp(path, "/dev/null"))
		return 0;
	bool missing = false;
	int fd = conf_open(path, missing_ok, &missing, err);
	if (missing) {
		c->missing = true;
		return 0;
	}
	if (fd < 0)
		return fd;
	char *text = xmalloc(CONF_MAX_BYTES + 1);
	size_t n = 0;
	for (;;) {
		ssize_t k = read(fd, text + n, CONF_MAX_BYTES + 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int e = errno;
			buf_printf(err, "%s: read: %s\n", path, strerror(e));
			free(text);
			close(fd);
			return e == EINVAL ? -EIO : -e;
		}
		if (k == 0)
			break;
		n += (size_t)k;
		if (n > CONF_MAX_BYTES)
			break;
	}
	close(fd);
	int rc = watch_conf_parse(c, path, text, n, err);
	free(text);
	return rc;
}

void watch_conf_json(const struct watch_conf *c, struct buf *out)
{
	buf_addc(out, '{');
	bool first = true;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct key *k = &keys[i];
		const char *p = (const char *)c + k->off;
		if (k->type == K_STR)
			continue;
		buf_printf(out, "%s\"%s\":", first ? "" : ",", k->name);
		first = false;
		if (k->type == K_DBL)
			buf_printf(out, "%.15g", *(const double *)p);
		else if (k->type == K_LONG)
			buf_printf(out, "%ld", *(const long *)p);
		else
			buf_adds(out, *(const bool *)p ? "true" : "false");
	}
	buf_addc(out, '}');
}

const char *watch_conf_dump_dir(const struct watch_conf *c)
{
	return c->dump_dir ? c->dump_dir : WATCH_DEFAULT_DUMP_DIR;
}
