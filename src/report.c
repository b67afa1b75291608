/* SPDX-License-Identifier: MIT */
/* report: render the event log as one self-contained, offline HTML file. */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "json.h"
#include "options.h"
#include "report_assets.h"
#include "util.h"
#include "xlat.h"

/*
 * The data travels as typed columns (one value per event, stored as byte
 * planes) and one string table, packed into one buffer, gzip-compressed, base64-encoded and split
 * into <script type="application/octet-stream"> blocks. The JSON blob
 * "meta" says where each column starts. Limits: string ids and event
 * indexes are 32-bit (4 billion); nothing else is capped.
 */
#define BLOCK_RAW (12u << 20) /* 12 MiB of gzip -> 16 MiB of base64 per block */
#define ESC32 0xffffffffu     /* "value in the escape list" in u32 columns */
#define TOP_N 50              /* rows in the files / failures cards */

#define FL_REDACTED 0x1u
#define FL_NOISE 0x2u
#define FL_FAILED 0x4u

static const char redacted_mark[] = "[REDACTED]";

static void report_err(const char *path, const char *what, int err)
{
	if (err)
		notemsg("error: --report %s: %s (%s)", path, what, strerror(err));
	else
		notemsg("error: --report %s: %s", path, what);
}

/* ---------------------------------------------------------------- paths */

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * Where the file really goes: path itself, or for a non-root user a
 * symlink's resolved target (a regular file owned by that user). Returns a
 * new string or NULL with the error printed; *err gets -errno.
 */
static char *resolve_target(const char *path, int *err)
{
	struct stat st;
	*err = 0;
	if (!path || !*path) {
		report_err("''", "empty path; give a file name such as trace.html", 0);
		*err = -EINVAL;
		return NULL;
	}
	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return xstrdup(path);
		report_err(path, "cannot inspect the path", errno);
		*err = -errno;
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		report_err(path, "is a directory; give a file name inside it, e.g. DIR/trace.html", 0);
		*err = -EISDIR;
		return NULL;
	}
	if (S_ISLNK(st.st_mode)) {
		struct stat tst;
		if (stat(path, &tst) < 0) {
			report_err(path, "is a dangling symbolic link; remove it or choose another name", 0);
			*err = -ENOENT;
			return NULL;
		}
		if (geteuid() == 0) {
			report_err(path, "is a symbolic link; as root compendium does not write through links"
				   " (remove it or choose another name)", 0);
			*err = -ELOOP;
			return NULL;
		}
		if (!S_ISREG(tst.st_mode) || tst.st_uid != geteuid()) {
			report_err(path, "is a symbolic link to something that is not your regular file;"
				   " choose another name", 0);
			*err = -EPERM;
			return NULL;
		}
		char *real = realpath(path, NULL);
		if (!real) {
			report_err(path, "cannot resolve the symbolic link", errno);
			*err = -errno;
			return NULL;
		}
		char *res = xstrdup(real);
		free(real);
		return res;
	}
	if (!S_ISREG(st.st_mode)) {
		report_err(path, "exists and is not a regular file; choose another name", 0);
		*err = -EINVAL;
		return NULL;
	}
	return xstrdup(path);
}

/* Create the temporary file next to target. Returns the fd or -errno. */
static int open_temp(const char *target, unsigned mode, char **tmp_out)
{
	char *dir = dir_of(target);
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	int fd = -EEXIST;
	for (int i = 0; i < 100 && fd == -EEXIST; i++) {
		char *tmp = xasprintf("%s/.%s.%ld.%u.tmp", dir, base, (long)getpid(),
				      (unsigned)(now_ns() ^ (uint64_t)i * 2654435761u) & 0xffffffu);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 07777);
		if (fd < 0) {
			fd = -errno;
			free(tmp);
			continue;
		}
		*tmp_out = tmp;
	}
	free(dir);
	return fd;
}

int report_check_path(const char *path)
{
	int err;
	char *target = resolve_target(path, &err);
	if (!target)
		return err;
	char *dir = dir_of(target);
	struct stat st;
	int rc = 0;
	if (stat(dir, &st) < 0) {
		rc = -errno;
		report_err(path, errno == ENOENT ? "its directory does not exist; create it first"
						 : "cannot reach its directory", errno == ENOENT ? 0 : errno);
	} else if (!S_ISDIR(st.st_mode)) {
		rc = -ENOTDIR;
		report_err(path, "its parent is not a directory", 0);
	} else {
		/* A real probe: permissions, read-only mounts and ACLs all show up here. */
		char *tmp = NULL;
		int fd = open_temp(target, 0600, &tmp);
		if (fd < 0) {
			rc = fd;
			report_err(path, "cannot create files in its directory; choose a writable place", -fd);
		} else {
			close(fd);
			unlink(tmp);
			free(tmp);
		}
	}
	free(dir);
	free(target);
	return rc;
}

/* ------------------------------------------------------------- strings */

/*
 * Display form of tracee bytes: valid UTF-8 passes except controls; a
 * byte that is not valid UTF-8 is "\xNN" and a backslash "\\" (the JSON
 * string policy), controls are \n \t \r or \xNN, so a table cell is one
 * line and the original bytes stay recoverable.
 */
static void disp_add(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	buf_reserve(b, n + 8);
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\')
				buf_add(b, "\\\\", 2);
			else
				buf_addc(b, (char)c);
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = c >= 0x80 ? json_utf8_decode(s + i, n - i, &cp) : 0;
		if (len && !(cp >= 0x80 && cp <= 0x9f)) {
			buf_add(b, s + i, len);
			i += len;
			continue;
		}
		if (len == 0)
			len = 1;
		for (size_t k = 0; k < len; k++) {
			c = s[i + k];
			if (c == '\n')
				buf_add(b, "\\n", 2);
			else if (c == '\t')
				buf_add(b, "\\t", 2);
			else if (c == '\r')
				buf_add(b, "\\r", 2);
			else
				buf_printf(b, "\\x%02x", c);
		}
		i += len;
	}
}

static bool ci_has(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (strncasecmp(s + i, needle, m) == 0)
			return true;
	return false;
}

/* Names that look like they hold a secret (SAFETY.md O4). */
static bool secret_name(const char *s, size_t n)
{
	static const char *const words[] = {"key", "token", "secret", "password", "passwd",
					    "credential", "_auth", "auth_", "-auth", "auth-"};
	if (n >= 4 && strncasecmp(s, "aws_", 4) == 0)
		return true;
	if (n == 4 && strncasecmp(s, "auth", 4) == 0)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (ci_has(s, n, words[i]))
			return true;
	return false;
}

static bool is_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool word_start(const char *s, size_t i)
{
	return i == 0 || strchr(" \t\r\n\"'&?;,", s[i - 1]) != NULL;
}

static size_t word_end(const char *s, size_t n, size_t i)
{
	while (i < n && !strchr(" \t\r\n\"'&;,", s[i]))
		i++;
	return i;
}

/*
 * Redact secrets from s into out (raw bytes). Returns true if anything was
 * replaced. At the start of each word: NAME=value and --name=value with a
 * secret-looking name (also in query strings), "--password value", HTTP
 * Authorization/Cookie header values; anywhere: URL userinfo and PEM
 * private-key blocks.
 */
static bool redact(struct buf *out, const char *s, size_t n)
{
	static const char *const hdrs[] = {"proxy-authorization:", "authorization:", "set-cookie:",
					   "cookie:"};
	bool hit = false;
	size_t i = 0;

	while (i < n) {
		if (word_start(s, i)) {
			size_t m = 0;
			for (size_t h = 0; h < ARRAY_SIZE(hdrs) && !m; h++) {
				size_t hl = strlen(hdrs[h]);
				if (i + hl <= n && strncasecmp(s + i, hdrs[h], hl) == 0)
					m = hl;
			}
			if (m) {
				buf_add(out, s + i, m);
				i += m;
				while (i < n && s[i] == ' ')
					buf_addc(out, s[i++]);
				size_t e = i;
				while (e < n && s[e] != '\r' && s[e] != '\n')
					e++;
				if (e > i) {
					buf_adds(out, redacted_mark);
					hit = true;
				}
				i = e;
				continue;
			}
			size_t k = i;
			while (k < n && k < i + 2 && s[k] == '-')
				k++;
			size_t ns = k;
			while (k < n && (is_name_char((unsigned char)s[k]) || (ns > i && s[k] == '-') || s[k] == '.'))
				k++;
			bool named = k > ns && !(ns == i && s[i] >= '0' && s[i] <= '9') && secret_name(s + ns, k - ns);
			if (named && k < n && (s[k] == '=' || s[k] == ':') && word_end(s, n, k + 1) > k + 1 &&
			    (s[k] == '=' || ns > i)) {
				buf_add(out, s + i, k + 1 - i);
				buf_adds(out, redacted_mark);
				hit = true;
				i = word_end(s, n, k + 1);
				continue;
			}
			if (named && ns > i && k + 1 < n && s[k] == ' ' && s[k + 1] != '-' &&
			    word_end(s, n, k + 1) > k + 1) {
				/* "--password value" in a command line written out as text */
				buf_add(out, s + i, k + 1 - i);
				buf_adds(out, redacted_mark);
				hit = true;
				i = word_end(s, n, k + 1);
				continue;
			}
		}
		if (i + 3 <= n && memcmp(s + i, "://", 3) == 0) {
			buf_add(out, "://", 3);
			i += 3;
			size_t e = i, at = 0;
			bool found = false;
			while (e < n && s[e] != '/' && s[e] != ' ' && s[e] != '"' && s[e] != '\n' &&
			       s[e] != '?' && s[e] != '#') {
				if (s[e] == '@') {
					at = e;
					found = true;
				}
				e++;
			}
			if (found && at > i) {
				buf_adds(out, redacted_mark);
				i = at;
				hit = true;
			}
			continue;
		}
		if (i + 11 <= n && memcmp(s + i, "-----BEGIN ", 11) == 0) {
			size_t e = i + 11;
			while (e < n && s[e] != '\n' && s[e] != '-')
				e++;
			if (ci_has(s + i, e - i, "PRIVATE KEY")) {
				const char *end = memmem(s + e, n - e, "-----END ", 9);
				buf_adds(out, "-----BEGIN PRIVATE KEY-----");
				buf_adds(out, redacted_mark);
				hit = true;
				i = end ? (size_t)(end - s) : n;
				continue;
			}
		}
		buf_addc(out, s[i++]);
	}
	return hit;
}

/* Is this argv word a flag whose value is the next word ("--token X")? */
static bool secret_flag(const char *s, size_t n)
{
	if (n < 2 || s[0] != '-' || memchr(s, '=', n))
		return false;
	size_t k = s[1] == '-' ? 2 : 1;
	return n - k >= 3 && secret_name(s + k, n - k);
}

/* ------------------------------------------------------- string table */

struct stab {
	struct buf text;   /* display strings joined by '\n' */
	uint64_t *off;     /* start of string id (1-based) in text */
	uint32_t *len;
	uint32_t n, cap;
	uint32_t *h;       /* open addressing, 0 = empty */
	uint32_t hcap;
};

static uint32_t hash32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	memcpy(&w, s + i, n - i);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h ? (uint32_t)h : 1;
}

static void stab_grow(struct stab *t)
{
	uint32_t ncap = t->hcap ? t->hcap * 2 : 1024;
	uint32_t *nh = xcalloc(ncap, sizeof(*nh));
	for (uint32_t i = 0; i < t->hcap; i++) {
		uint32_t id = t->h[i];
		if (!id)
			continue;
		uint32_t j = hash32(t->text.data + t->off[id], t->len[id]) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = id;
	}
	free(t->h);
	t->h = nh;
	t->hcap = ncap;
}

/* The id of this display string (1-based), adding it if new. */
static uint32_t stab_id(struct stab *t, const char *s, size_t n)
{
	if ((uint64_t)(t->n + 1) * 2 >= t->hcap)
		stab_grow(t);
	uint32_t j = hash32(s, n) & (t->hcap - 1);
	for (;;) {
		uint32_t id = t->h[j];
		if (!id)
			break;
		if (t->len[id] == n && memcmp(t->text.data + t->off[id], s, n) == 0)
			return id;
		j = (j + 1) & (t->hcap - 1);
	}
	if (t->n + 2 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->off = xreallocarray(t->off, t->cap, sizeof(*t->off));
		t->len = xreallocarray(t->len, t->cap, sizeof(*t->len));
	}
	uint32_t id = ++t->n;
	if (id > 1)
		buf_addc(&t->text, '\n');
	t->off[id] = t->text.len;
	t->len[id] = (uint32_t)n;
	buf_add(&t->text, s, n);
	t->h[j] = id;
	return id;
}

static void stab_free(struct stab *t)
{
	buf_free(&t->text);
	free(t->off);
	free(t->len);
	free(t->h);
}

/* ------------------------------------------------------------ columns */

/* A growable array of fixed-size elements. */
struct col {
	char *p;
	size_t n, cap, size;
};

static void col_push(struct col *c, const void *v)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 4096;
		c->p = xreallocarray(c->p, c->cap, c->size);
	}
	memcpy(c->p + c->n * c->size, v, c->size);
	c->n++;
}

static void col_free(struct col *c)
{
	free(c->p);
}

/* Per process: what the lanes and the processes card show. */
struct proc {
	int pid, ppid;
	uint32_t name;        /* string id (display) */
	bool name_from_exec;
	uint64_t first, last;
	uint64_t nev;
	int *tids;
	size_t ntids, tcap;
	bool exited, signaled;
	int code;
	uint64_t bytes_r, bytes_w;
	uint64_t failed;
};

struct series {
	int pid;
	unsigned type, key;
	uint32_t kind; /* the event's "kind" string (log id), 0 if none: producers differ */
};

struct file_stat {
	uint32_t path;
	uint64_t n, failed, bytes;
};

struct rep {
	const struct run *r;
	const struct evlog *log;
	bool redact;
	struct stab st;
	uint32_t *scache;  /* evlog string id -> stab id of its display form */
	uint8_t *sred;     /* ... and whether redaction changed it */
	uint32_t nscache;
	struct buf tmp, tmp2, det;
	uint64_t nredacted;

	struct col dt, tx_i, tx_v, th, type, cat, flags, err_i, err_v, dur, dux_i, dux_v,
		bytes, byx_i, byx_v, str, path, x_i, x_v, s_id, s_t, s_v;
	/* threads seen: (pid, tid) pairs; the th column indexes them */
	int32_t *thr;        /* 2 per thread */
	uint32_t nthr, thr_cap;
	uint32_t *thr_h;     /* open addressing: index + 1, 0 = empty */
	uint32_t thr_hcap;

	struct proc *procs;
	size_t nprocs, pcap, plast;
	struct series *series;
	size_t nseries, scap;
	uint32_t types_seen[1024]; /* report type index + 1, by evlog type id (small) */
	unsigned *type_ids;        /* report index -> evlog type id */
	uint64_t *type_counts;
	size_t ntypes;
	uint64_t cat_counts[256];

	/* summary */
	uint64_t bytes_read, bytes_written, bytes_sent, bytes_recv, nread, nwrite, nsend, nrecv;
	uint64_t mmap_bytes, munmap_bytes, brk_growth, nmmap, peak_rss;
	uint64_t nopen, nconnect, nsocket, nfailed, nspawn, nexec, ncrash, ntrigger;
	uint64_t err_counts[4096];
	struct file_stat *files;
	size_t nfiles, fcap;
	uint32_t *file_slot; /* string id -> files index + 1 */
	size_t file_slot_cap;
};

static void col_init(struct col *c, size_t size)
{
	memset(c, 0, sizeof(*c));
	c->size = size;
}

static struct proc *proc_get(struct rep *R, int pid)
{
	/* processes are few; most events hit the last one used */
	size_t last = R->plast;
	if (last < R->nprocs && R->procs[last].pid == pid)
		return &R->procs[last];
	for (size_t i = 0; i < R->nprocs; i++)
		if (R->procs[i].pid == pid) {
			R->plast = i;
			return &R->procs[i];
		}
	if (R->nprocs == R->pcap) {
		R->pcap = R->pcap ? R->pcap * 2 : 64;
		R->procs = xreallocarray(R->procs, R->pcap, sizeof(*R->procs));
	}
	struct proc *p = &R->procs[R->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = -1;
	p->first = UINT64_MAX;
	R->plast = R->nprocs++;
	return p;
}

static void proc_tid(struct proc *p, int tid)
{
	if (tid == p->pid || tid <= 0)
		return;
	if (p->ntids && p->tids[p->ntids - 1] == tid)
		return;
	for (size_t i = 0; i < p->ntids; i++)
		if (p->tids[i] == tid)
			return;
	if (p->ntids == p->tcap) {
		p->tcap = p->tcap ? p->tcap * 2 : 8;
		p->tids = xreallocarray(p->tids, p->tcap, sizeof(*p->tids));
	}
	p->tids[p->ntids++] = tid;
}

static uint32_t series_id(struct rep *R, int pid, unsigned type, uint32_t kind, unsigned key)
{
	for (size_t i = R->nseries; i-- > 0;) {
		const struct series *x = &R->series[i];
		if (x->pid == pid && x->type == type && x->key == key && x->kind == kind)
			return (uint32_t)i;
	}
	if (R->nseries == R->scap) {
		R->scap = R->scap ? R->scap * 2 : 32;
		R->series = xreallocarray(R->series, R->scap, sizeof(*R->series));
	}
	R->series[R->nseries] = (struct series){pid, type, key, kind};
	return (uint32_t)R->nseries++;
}

static unsigned type_index(struct rep *R, unsigned type)
{
	if (type < ARRAY_SIZE(R->types_seen) && R->types_seen[type])
		return R->types_seen[type] - 1;
	for (size_t i = 0; i < R->ntypes; i++)
		if (R->type_ids[i] == type)
			return (unsigned)i;
	R->type_ids = xreallocarray(R->type_ids, R->ntypes + 1, sizeof(*R->type_ids));
	R->type_counts = xreallocarray(R->type_counts, R->ntypes + 1, sizeof(*R->type_counts));
	R->type_ids[R->ntypes] = type;
	R->type_counts[R->ntypes] = 0;
	if (type < ARRAY_SIZE(R->types_seen))
		R->types_seen[type] = (uint32_t)R->ntypes + 1;
	return (unsigned)R->ntypes++;
}

static void push_u32_esc(struct col *c, struct col *xi, struct col *xv, uint64_t v, uint32_t idx)
{
	uint32_t u = ESC32;
	if (v < ESC32) {
		u = (uint32_t)v;
	} else {
		double d = (double)v;
		col_push(xi, &idx);
		col_push(xv, &d);
	}
	col_push(c, &u);
}

/* A string field in display form, redacted if wanted. */
static void add_str(struct rep *R, struct buf *out, const char *s, size_t n, bool *red)
{
	if (R->redact) {
		buf_reset(&R->tmp2);
		if (redact(&R->tmp2, s, n)) {
			*red = true;
			disp_add(out, R->tmp2.data, R->tmp2.len);
			return;
		}
	}
	disp_add(out, s, n);
}

/* The stab id of log string 'id' in display form (cached: strings repeat). */
static uint32_t str_disp(struct rep *R, uint32_t id, bool *red)
{
	if (id < R->nscache && R->scache[id]) {
		if (R->sred[id])
			*red = true;
		return R->scache[id];
	}
	size_t n;
	const char *s = evlog_str(R->log, id, &n);
	bool r = false;
	buf_reset(&R->tmp);
	add_str(R, &R->tmp, s ? s : "", s ? n : 0, &r);
	uint32_t sid = stab_id(&R->st, R->tmp.data ? R->tmp.data : "", R->tmp.len);
	if (id < R->nscache) {
		R->scache[id] = sid;
		R->sred[id] = r;
	}
	if (r)
		*red = true;
	return sid;
}

/* Names from the project's tables (xlat), a number when unknown. */
static const char *errno_name(int err, char *tmp, size_t n)
{
	const char *s = xlat_errno_name(err);
	if (s)
		return s;
	snprintf(tmp, n, "E%d", err);
	return tmp;
}

static const char *signal_name(int sig, char *tmp, size_t n)
{
	const char *s = xlat_signal_name(sig);
	if (s)
		return s;
	snprintf(tmp, n, "%d", sig);
	return tmp;
}

static bool numeric_kind(unsigned kind)
{
	return kind == EVF_INT || kind == EVF_UINT || kind == EVF_DOUBLE || kind == EVF_DUR;
}

static double field_num(const struct ev_field *f)
{
	uint64_t v = evf_u64(f);
	double d;
	switch (f->kind) {
	case EVF_INT:
		return (double)(int64_t)v;
	case EVF_DOUBLE:
		memcpy(&d, &v, sizeof(d));
		return d;
	case EVF_DUR:
		return (double)v / 1e9;
	default:
		return (double)v;
	}
}

/* Keys that identify rather than measure: not drawn as counter tracks. */
static bool id_key(unsigned key)
{
	switch (key) {
	case EVK_CHILD: case EVK_THREAD: case EVK_FD: case EVK_CODE: case EVK_SIGNAL:
	case EVK_SENDER: case EVK_FAMILY: case EVK_PORT: case EVK_UID: case EVK_GID:
	case EVK_NR: case EVK_PPID: case EVK_START: case EVK_FORMER_TID: case EVK_SOCKTYPE:
	case EVK_ERR: case EVK_MODE: case EVK_FLAGS: case EVK_ADDR: case EVK_STATE:
		return true;
	default:
		return false;
	}
}

static struct file_stat *file_get(struct rep *R, uint32_t path)
{
	if (path >= R->file_slot_cap) {
		size_t ncap = R->file_slot_cap ? R->file_slot_cap : 1024;
		while (ncap <= path)
			ncap *= 2;
		R->file_slot = xreallocarray(R->file_slot, ncap, sizeof(*R->file_slot));
		memset(R->file_slot + R->file_slot_cap, 0, (ncap - R->file_slot_cap) * sizeof(*R->file_slot));
		R->file_slot_cap = ncap;
	}
	if (!R->file_slot[path]) {
		if (R->nfiles == R->fcap) {
			R->fcap = R->fcap ? R->fcap * 2 : 256;
			R->files = xreallocarray(R->files, R->fcap, sizeof(*R->files));
		}
		R->files[R->nfiles] = (struct file_stat){.path = path};
		R->file_slot[path] = (uint32_t)++R->nfiles;
	}
	return &R->files[R->file_slot[path] - 1];
}

/* The index of (pid, tid) in the thread table, adding it if new. */
static uint32_t thread_index(struct rep *R, int32_t pid, int32_t tid)
{
	if ((uint64_t)(R->nthr + 1) * 2 >= R->thr_hcap) {
		uint32_t ncap = R->thr_hcap ? R->thr_hcap * 2 : 256;
		uint32_t *nh = xcalloc(ncap, sizeof(*nh));
		for (uint32_t k = 0; k < R->nthr; k++) {
			uint32_t j = hash32(&R->thr[2 * k], 8) & (ncap - 1);
			while (nh[j])
				j = (j + 1) & (ncap - 1);
			nh[j] = k + 1;
		}
		free(R->thr_h);
		R->thr_h = nh;
		R->thr_hcap = ncap;
	}
	int32_t key[2] = {pid, tid};
	uint32_t j = hash32(key, 8) & (R->thr_hcap - 1);
	for (;;) {
		uint32_t v = R->thr_h[j];
		if (!v)
			break;
		if (R->thr[2 * (v - 1)] == pid && R->thr[2 * (v - 1) + 1] == tid)
			return v - 1;
		j = (j + 1) & (R->thr_hcap - 1);
	}
	if (R->nthr == R->thr_cap) {
		R->thr_cap = R->thr_cap ? R->thr_cap * 2 : 64;
		R->thr = xreallocarray(R->thr, R->thr_cap, 2 * sizeof(*R->thr));
	}
	R->thr[2 * R->nthr] = pid;
	R->thr[2 * R->nthr + 1] = tid;
	R->thr_h[j] = R->nthr + 1;
	return R->nthr++;
}

static void add_u64(struct buf *b, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_add(b, p, (size_t)(tmp + sizeof(tmp) - p));
}

static void add_i64(struct buf *b, int64_t v)
{
	if (v < 0) {
		buf_addc(b, '-');
		add_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		add_u64(b, (uint64_t)v);
	}
}

/* Turn one record into a row of every column. */
static void add_event(struct rep *R, const struct ev *e, uint32_t idx, uint64_t *prev_t)
{
	const struct ev_field *f = ev_fields(e);
	const struct evlog *log = R->log;
	bool red = false;
	uint64_t bytes = 0, dur = 0;
	int err = 0;
	uint32_t path_id = 0;
	bool has_bytes = false;
	char tmp[64];

	struct buf *d = &R->det;
	struct buf extra = {0};
	buf_reset(d);
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key == EVK_BYTES && numeric_kind(f[i].kind)) {
			has_bytes = true;
			bytes = f[i].kind == EVF_INT && evf_i64(&f[i]) < 0 ? 0 : evf_u64(&f[i]);
		}
	}
	for (unsigned i = 0; i < e->nf; i++) {
		const struct ev_field *fi = &f[i];
		uint64_t v = evf_u64(fi);
		const char *key = ev_key_name(fi->key);
		if (fi->key == EVK_DUR && fi->kind == EVF_DUR) {
			dur = v;
			continue;
		}
		if (fi->key == EVK_BYTES && has_bytes)
			continue;
		if (fi->key == EVK_RET && has_bytes && fi->kind == EVF_INT && (uint64_t)evf_i64(fi) == bytes)
			continue; /* the bytes column says it */
		if (fi->kind == EVF_STR && fi->key == EVK_PATH && !path_id && v) {
			/* the path column carries it; the page shows it first */
			path_id = str_disp(R, (uint32_t)v, &red);
			continue;
		}
		if (fi->kind == EVF_JSON) {
			size_t n;
			const char *s = evlog_str(log, (uint32_t)v, &n);
			if (!s)
				continue;
			if (!extra.len)
				buf_addc(&extra, '{');
			json_key(&extra, key);
			for (size_t k = 0; k < n; k++)
				buf_addc(&extra, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
			continue;
		}
		if (d->len)
			buf_addc(d, ' ');
		buf_adds(d, key);
		buf_addc(d, '=');
		switch (fi->kind) {
		case EVF_INT:
			add_i64(d, (int64_t)v);
			break;
		case EVF_UINT:
			add_u64(d, v);
			break;
		case EVF_HEX:
			buf_printf(d, "0x%llx", (unsigned long long)v);
			break;
		case EVF_BOOL:
			buf_adds(d, v ? "true" : "false");
			break;
		case EVF_STR: {
			size_t n;
			const char *s = evlog_str(log, (uint32_t)v, &n);
			if (!s) {
				buf_adds(d, "null");
				break;
			}
			uint32_t sid = str_disp(R, (uint32_t)v, &red);
			buf_addc(d, '"');
			buf_add(d, R->st.text.data + R->st.off[sid], R->st.len[sid]);
			buf_addc(d, '"');
			break;
		}
		case EVF_STRV: {
			uint32_t cnt;
			const uint32_t *ids = evlog_strv_get(log, (uint32_t)v, &cnt);
			bool hide_next = false;
			buf_addc(d, '[');
			for (uint32_t k = 0; k < cnt; k++) {
				size_t n;
				const char *s = evlog_str(log, ids[k], &n);
				if (k)
					buf_adds(d, ", ");
				if (!s) {
					buf_adds(d, "null");
					continue;
				}
				buf_addc(d, '"');
				if (hide_next && R->redact) {
					buf_adds(d, redacted_mark);
					red = true;
					hide_next = false;
				} else {
					add_str(R, d, s, n, &red);
					hide_next = secret_flag(s, n);
				}
				buf_addc(d, '"');
			}
			buf_addc(d, ']');
			break;
		}
		case EVF_DUR:
			buf_printf(d, "%.6fs", (double)v / 1e9);
			break;
		case EVF_ERRNO:
			if (fi->key == EVK_ERR)
				err = (int)(int64_t)v;
			buf_adds(d, errno_name((int)(int64_t)v, tmp, sizeof(tmp)));
			break;
		case EVF_SIG:
			buf_adds(d, signal_name((int)(int64_t)v, tmp, sizeof(tmp)));
			break;
		case EVF_DOUBLE: {
			double x;
			memcpy(&x, &v, sizeof(x));
			buf_printf(d, "%.6g", x);
			break;
		}
		default:
			buf_printf(d, "%llu", (unsigned long long)v);
			break;
		}
	}
	if (extra.len)
		buf_addc(&extra, '}');

	/* time: Δ-encoded u32 ns with an escape for gaps and reordering */
	uint64_t t = e->t;
	uint64_t delta = t >= *prev_t ? t - *prev_t : UINT64_MAX;
	push_u32_esc(&R->dt, &R->tx_i, &R->tx_v, delta, idx);
	if (delta >= ESC32) {
		/* the escape list holds the absolute time */
		((double *)R->tx_v.p)[R->tx_v.n - 1] = (double)t;
	}
	*prev_t = t;

	int32_t pid = e->pid, tid = e->tid;
	uint32_t th = thread_index(R, pid, tid);
	col_push(&R->th, &th);
	unsigned ti = type_index(R, e->type);
	R->type_counts[ti]++;
	uint16_t t16 = (uint16_t)ti;
	col_push(&R->type, &t16);
	uint8_t cat = e->cat, dcat = (uint8_t)(cat - ev_type_default_cat(e->type));
	col_push(&R->cat, &dcat);
	R->cat_counts[cat]++;
	uint8_t fl = (uint8_t)((red ? FL_REDACTED : 0) | (e->flags & EVFL_NOISE ? FL_NOISE : 0) |
			       (err ? FL_FAILED : 0));
	col_push(&R->flags, &fl);
	if (err) { /* failures are few: stored sparse */
		uint32_t ev32 = (uint32_t)err;
		col_push(&R->err_i, &idx);
		col_push(&R->err_v, &ev32);
	}
	push_u32_esc(&R->dur, &R->dux_i, &R->dux_v, dur, idx);
	push_u32_esc(&R->bytes, &R->byx_i, &R->byx_v, bytes, idx);
	uint32_t sid = d->len ? stab_id(&R->st, d->data, d->len) : 0;
	col_push(&R->str, &sid);
	col_push(&R->path, &path_id);
	if (extra.len) { /* stacks, disassembly: few events, stored sparse */
		uint32_t xid = stab_id(&R->st, extra.data, extra.len);
		col_push(&R->x_i, &idx);
		col_push(&R->x_v, &xid);
	}
	buf_free(&extra);
	if (red)
		R->nredacted++;

	/* processes and lanes */
	if (pid > 0) {
		struct proc *p = proc_get(R, pid);
		if (t < p->first)
			p->first = t;
		if (t > p->last)
			p->last = t;
		p->nev++;
		proc_tid(p, tid);
		if (err)
			p->failed++;
		if (e->type == EVT_READ || e->type == EVT_RECV)
			p->bytes_r += bytes;
		if (e->type == EVT_WRITE || e->type == EVT_SEND)
			p->bytes_w += bytes;
		const struct ev_field *pf;
		if (e->type == EVT_EXEC || (!p->name && (e->type == EVT_ATTACH || e->type == EVT_SPAWN ||
							  ev_find(e, EVK_COMM)))) {
			uint32_t nid = 0;
			buf_reset(&R->tmp);
			const struct ev_field *av = ev_find(e, EVK_ARGV);
			if (e->type == EVT_EXEC && (pf = ev_find(e, EVK_PATH)) && pf->kind == EVF_STR) {
				size_t n;
				const char *s = evlog_str(log, (uint32_t)evf_u64(pf), &n);
				if (s) {
					const char *b = memrchr(s, '/', n);
					if (b) {
						n -= (size_t)(b + 1 - s);
						s = b + 1;
					}
					disp_add(&R->tmp, s, n);
				}
			} else if ((pf = ev_find(e, EVK_COMM)) && pf->kind == EVF_STR) {
				size_t n;
				const char *s = evlog_str(log, (uint32_t)evf_u64(pf), &n);
				if (s)
					disp_add(&R->tmp, s, n);
			} else if (av && av->kind == EVF_STRV) {
				uint32_t cnt;
				const uint32_t *ids = evlog_strv_get(log, (uint32_t)evf_u64(av), &cnt);
				size_t n;
				const char *s = cnt ? evlog_str(log, ids[0], &n) : NULL;
				if (s)
					disp_add(&R->tmp, s, n);
			}
			if (R->tmp.len)
				nid = stab_id(&R->st, R->tmp.data, R->tmp.len);
			if (nid && (e->type == EVT_EXEC || !p->name_from_exec)) {
				p->name = nid;
				p->name_from_exec = e->type == EVT_EXEC;
			}
		}
		if ((pf = ev_find(e, EVK_PPID)) && p->ppid < 0)
			p->ppid = (int)evf_i64(pf);
		if (e->type == EVT_EXIT && tid == pid) {
			p->exited = true;
			if ((pf = ev_find(e, EVK_SIGNAL))) {
				p->signaled = true;
				p->code = (int)evf_i64(pf);
			} else if ((pf = ev_find(e, EVK_CODE))) {
				p->code = (int)evf_i64(pf);
			}
		}
		if (e->type == EVT_SPAWN && (pf = ev_find(e, EVK_CHILD))) {
			const struct ev_field *thf = ev_find(e, EVK_THREAD);
			if (!(thf && evf_u64(thf))) {
				uint32_t pname = p->name; /* proc_get may move p */
				struct proc *c = proc_get(R, (int)evf_i64(pf));
				if (c->ppid < 0)
					c->ppid = pid;
				if (!c->name) /* a fork runs its parent's program until it execs */
					c->name = pname;
				if (t < c->first)
					c->first = t;
			}
		}
	}

	/* counter tracks: numeric fields of sampled events, per process or system-wide */
	if (e->type == EVT_COUNTER || e->type == EVT_SAMPLE || e->type == EVT_SYSSTAT ||
	    (e->cat == EVC_SYSTEM && e->type >= EVT__COUNT)) {
		const struct ev_field *kf = ev_find(e, EVK_KIND);
		uint32_t kind = kf && kf->kind == EVF_STR ? (uint32_t)evf_u64(kf) : 0;
		for (unsigned i = 0; i < e->nf; i++) {
			if (!numeric_kind(f[i].kind) || id_key(f[i].key))
				continue;
			uint32_t s = series_id(R, pid, e->type, kind, f[i].key);
			double tv = (double)t, vv = field_num(&f[i]);
			col_push(&R->s_id, &s);
			col_push(&R->s_t, &tv);
			col_push(&R->s_v, &vv);
			if (f[i].key == EVK_RSS && evf_u64(&f[i]) > R->peak_rss && f[i].kind != EVF_DOUBLE)
				R->peak_rss = evf_u64(&f[i]);
		}
	}

	/* summary */
	if (err) {
		R->nfailed++;
		if (err < (int)ARRAY_SIZE(R->err_counts))
			R->err_counts[err]++;
	}
	const struct ev_field *lf;
	switch (e->type) {
	case EVT_READ: R->nread++; R->bytes_read += bytes; break;
	case EVT_WRITE: R->nwrite++; R->bytes_written += bytes; break;
	case EVT_SEND: R->nsend++; R->bytes_sent += bytes; break;
	case EVT_RECV: R->nrecv++; R->bytes_recv += bytes; break;
	case EVT_OPEN: R->nopen++; break;
	case EVT_CONNECT: R->nconnect++; break;
	case EVT_SOCKET: R->nsocket++; break;
	case EVT_SPAWN: R->nspawn++; break;
	case EVT_EXEC: R->nexec++; break;
	case EVT_CRASH: R->ncrash++; break;
	case EVT_TRIGGER: R->ntrigger++; break;
	case EVT_MMAP:
		R->nmmap++;
		if (!err && (lf = ev_find(e, EVK_LEN)))
			R->mmap_bytes += evf_u64(lf);
		break;
	case EVT_MUNMAP:
		if (!err && (lf = ev_find(e, EVK_LEN)))
			R->munmap_bytes += evf_u64(lf);
		break;
	case EVT_BRK:
		if ((lf = ev_find(e, EVK_GROWTH)) && lf->kind == EVF_INT && evf_i64(lf) > 0)
			R->brk_growth += evf_u64(lf);
		break;
	default: break;
	}
	if (path_id) {
		struct file_stat *fs = file_get(R, path_id);
		fs->n++;
		fs->bytes += bytes;
		if (err)
			fs->failed++;
	}
}

/* ---------------------------------------------------------- the output */

struct packer {
	struct buf raw;    /* all columns, 8-aligned */
	struct buf layout; /* JSON array */
	size_t starts[32]; /* where each section starts in raw ... */
	bool rle[32];      /* ... and whether Z_RLE suits it */
	size_t nsect;
};

static void pack(struct packer *pk, const char *name, const char *type, const struct col *c)
{
	while (pk->raw.len % 8)
		buf_addc(&pk->raw, 0);
	json_sep(&pk->layout);
	buf_printf(&pk->layout, "{\"name\":\"%s\",\"type\":\"%s\",\"off\":%zu,\"n\":%zu}",
		   name, type, pk->raw.len, c->n);
	if (pk->nsect < ARRAY_SIZE(pk->starts)) {
		pk->starts[pk->nsect] = pk->raw.len;
		/* byte planes of integers are runs and noise: RLE matches level 1's
		 * size at twice its speed; doubles and text need real matching */
		pk->rle[pk->nsect++] = type[0] == 'u' || type[0] == 'i' ? strcmp(type, "utf8") != 0 : false;
	}
	if (!c->n)
		return;
	if (c->size == 1) {
		buf_add(&pk->raw, c->p, c->n);
		return;
	}
	/* byte planes (all low bytes, then the next ...): small values leave
	 * whole planes of zeros, which gzip shrinks to almost nothing */
	buf_reserve(&pk->raw, c->n * c->size);
	unsigned char *o = (unsigned char *)pk->raw.data + pk->raw.len;
	const unsigned char *in = (const unsigned char *)c->p;
	for (size_t b = 0; b < c->size; b++)
		for (size_t i = 0; i < c->n; i++)
			*o++ = in[i * c->size + b];
	pk->raw.len += c->n * c->size;
	pk->raw.data[pk->raw.len] = 0;
}

static int deflate_some(z_stream *z, struct buf *out, const char *p, size_t n, int flush)
{
	int rc = Z_OK;
	size_t done = 0;
	do {
		size_t chunk = n - done > (1u << 30) ? (1u << 30) : n - done;
		z->next_in = (Bytef *)(p ? p + done : "");
		z->avail_in = (uInt)chunk;
		done += chunk;
		int f = done == n ? flush : Z_NO_FLUSH;
		do {
			buf_reserve(out, 1u << 20);
			z->next_out = (Bytef *)out->data + out->len;
			z->avail_out = (uInt)(out->cap - out->len - 1);
			size_t before = z->avail_out;
			rc = deflate(z, f);
			out->len += before - z->avail_out;
		} while (z->avail_out == 0 || (f == Z_FINISH && rc == Z_OK));
	} while (done < n);
	return rc;
}

/*
 * One half of the gzip member: raw deflate of raw[a, b), switching strategy
 * per section. The first half ends with a sync flush (byte-aligned, not
 * final) so the halves concatenate into one deflate stream, as pigz does.
 */
struct zpart {
	const struct packer *pk;
	size_t a, b;
	bool last;
	struct buf out;
	uLong crc;
	int rc;
};

static void *zpart_run(void *arg)
{
	struct zpart *zp = arg;
	const struct packer *pk = zp->pk;
	z_stream z = {0};
	int cur = -1;
	zp->rc = -EIO;
	for (size_t i = 0; i <= pk->nsect; i++) {
		size_t sa = i ? pk->starts[i - 1] : 0;
		size_t sb = i < pk->nsect ? pk->starts[i] : pk->raw.len;
		if (sb <= zp->a || sa >= zp->b)
			continue;
		if (sa < zp->a)
			sa = zp->a;
		if (sb > zp->b)
			sb = zp->b;
		/* the section that starts at starts[i-1] has strategy rle[i-1] */
		int want = i && pk->rle[i - 1] ? Z_RLE : Z_DEFAULT_STRATEGY;
		if (cur < 0) {
			if (deflateInit2(&z, 1, Z_DEFLATED, -15, 9, want) != Z_OK)
				return NULL;
			buf_reserve(&zp->out, (zp->b - zp->a) / 3 + 4096);
		} else if (want != cur) {
			buf_reserve(&zp->out, 1u << 20);
			z.next_out = (Bytef *)zp->out.data + zp->out.len;
			z.avail_out = (uInt)(zp->out.cap - zp->out.len - 1);
			size_t before = z.avail_out;
			z.next_in = (Bytef *)"";
			z.avail_in = 0;
			deflateParams(&z, 1, want);
			zp->out.len += before - z.avail_out;
		}
		cur = want;
		deflate_some(&z, &zp->out, pk->raw.data + sa, sb - sa, Z_NO_FLUSH);
	}
	if (cur < 0 && deflateInit2(&z, 1, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	int rc = deflate_some(&z, &zp->out, "", 0, zp->last ? Z_FINISH : Z_SYNC_FLUSH);
	deflateEnd(&z);
	zp->crc = crc32_z(0, (const Bytef *)pk->raw.data + zp->a, zp->b - zp->a);
	zp->rc = (zp->last ? rc == Z_STREAM_END : rc == Z_OK) ? 0 : -EIO;
	return NULL;
}

/* gzip the packed sections into out, the two halves on two threads. */
static int gzip_sections(const struct packer *pk, struct buf *out)
{
	size_t mid = 0, half = pk->raw.len / 2;
	for (size_t i = 0; i < pk->nsect; i++)
		if (pk->starts[i] <= half && pk->starts[i] > mid)
			mid = pk->starts[i];
	struct zpart p1 = {.pk = pk, .a = 0, .b = mid, .last = false};
	struct zpart p2 = {.pk = pk, .a = mid, .b = pk->raw.len, .last = true};
	pthread_t th;
	bool threaded = pthread_create(&th, NULL, zpart_run, &p1) == 0;
	if (!threaded)
		zpart_run(&p1);
	zpart_run(&p2);
	if (threaded)
		pthread_join(th, NULL);
	int rc = p1.rc < 0 ? p1.rc : p2.rc;
	if (rc == 0) {
		static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
		uLong crc = crc32_combine(p1.crc, p2.crc, (z_off_t)(p2.b - p2.a));
		uint32_t isize = (uint32_t)pk->raw.len;
		unsigned char trl[8];
		for (int k = 0; k < 4; k++) {
			trl[k] = (unsigned char)(crc >> (8 * k));
			trl[4 + k] = (unsigned char)(isize >> (8 * k));
		}
		buf_reserve(out, 10 + p1.out.len + p2.out.len + 8);
		buf_add(out, hdr, sizeof(hdr));
		buf_add(out, p1.out.data, p1.out.len);
		buf_add(out, p2.out.data, p2.out.len);
		buf_add(out, trl, sizeof(trl));
	}
	buf_free(&p1.out);
	buf_free(&p2.out);
	return rc;
}

static void base64_add(struct buf *b, const unsigned char *p, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	buf_reserve(b, (n + 2) / 3 * 4 + 1);
	char *o = b->data + b->len;
	size_t i = 0;
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = tab[(v >> 6) & 63];
		*o++ = tab[v & 63];
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = '=';
	}
	b->len = (size_t)(o - b->data);
	b->data[b->len] = 0;
}

/* Make any JSON text safe inside <script>: escapes < > & U+2028 U+2029 anywhere. */
static void html_safe_json(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '<')
			buf_adds(out, "\\u003c");
		else if (c == '>')
			buf_adds(out, "\\u003e");
		else if (c == '&')
			buf_adds(out, "\\u0026");
		else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			buf_adds(out, (unsigned char)s[i + 2] == 0xa8 ? "\\u2028" : "\\u2029");
			i += 2;
		} else
			buf_addc(out, (char)c);
	}
}

/*
 * The run's argv with secrets replaced (a flag like --token hides the next
 * word). Returns a NULL-terminated vector of new strings; *red is set if
 * anything was replaced.
 */
static char **argv_redacted(const struct rep *R, bool *red)
{
	const struct run *r = R->r;
	int n = 0;
	while (n < r->argc && r->argv && r->argv[n])
		n++;
	char **v = xcalloc((size_t)n + 1, sizeof(*v));
	bool hide_next = false;
	for (int i = 0; i < n; i++) {
		const char *a = r->argv[i];
		struct buf t = {0};
		if (R->redact && hide_next) {
			v[i] = xstrdup(redacted_mark);
			*red = true;
		} else if (R->redact && redact(&t, a, strlen(a))) {
			v[i] = buf_steal(&t);
			*red = true;
		} else {
			v[i] = xstrdup(a);
		}
		buf_free(&t);
		hide_next = secret_flag(a, strlen(a));
	}
	return v;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int cmp_files(const void *a, const void *b)
{
	const struct file_stat *x = a, *y = b;
	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return x->path < y->path ? -1 : x->path > y->path;
}

static void build_meta(struct rep *R, struct buf *m, const char *warnings, const char *layout,
		       size_t raw_len, size_t nev, bool sorted)
{
	const struct run *r = R->r;
	bool red = false;
	char tmp[64];

	buf_addc(m, '{');
	json_key(m, "version");
	json_u64(m, 1);
	json_key(m, "mode");
	json_cstr(m, r->mode ? r->mode : "trace");
	json_key(m, "argv");
	buf_addc(m, '[');
	char **av = argv_redacted(R, &red);
	for (size_t i = 0; av[i]; i++) {
		json_sep(m);
		json_cstr(m, av[i]);
	}
	strv_free(av);
	buf_addc(m, ']');
	json_key(m, "argv_redacted");
	json_bool(m, red);
	json_key(m, "host");
	json_cstr(m, r->host);
	json_key(m, "kernel");
	json_cstr(m, r->kernel);
	json_key(m, "root_pid");
	json_i64(m, r->root_pid);
	struct timespec ts = evlog_start_realtime(R->log);
	json_key(m, "start_unix_ns");
	json_u64(m, (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec);
	struct tm tm;
	time_t secs = ts.tv_sec;
	if (ts.tv_sec && gmtime_r(&secs, &tm)) {
		strftime(tmp, sizeof(tmp), "%Y-%m-%dT%H:%M:%SZ", &tm);
		json_key(m, "start");
		json_cstr(m, tmp);
	}
	json_key(m, "t_end");
	json_u64(m, r->t_end);
	json_key(m, "end");
	static const char *const ends[] = {"running", "exited", "signaled", "detached", "gone", "failed"};
	json_cstr(m, (unsigned)r->end < ARRAY_SIZE(ends) ? ends[r->end] : "unknown");
	json_key(m, "code");
	json_i64(m, r->code);
	if (r->sig) {
		json_key(m, "signal");
		json_cstr(m, signal_name(r->sig, tmp, sizeof(tmp)));
	}
	json_key(m, "core");
	json_bool(m, r->core);
	json_key(m, "interrupted");
	json_bool(m, r->interrupted);
	json_key(m, "exit_status");
	json_i64(m, run_exit_status(r));
	json_key(m, "cpu_user");
	json_double(m, r->cpu_user);
	json_key(m, "cpu_sys");
	json_double(m, r->cpu_sys);
	if (r->header_extra.len) {
		json_key(m, "header_extra");
		buf_addc(m, '{');
		buf_add(m, r->header_extra.data, r->header_extra.len);
		buf_addc(m, '}');
	}
	if (r->end_extra.len) {
		json_key(m, "end_extra");
		buf_addc(m, '{');
		buf_add(m, r->end_extra.data, r->end_extra.len);
		buf_addc(m, '}');
	}
	json_key(m, "warnings");
	json_cstr(m, warnings);
	json_key(m, "redact");
	json_bool(m, R->redact);
	json_key(m, "nredacted");
	json_u64(m, R->nredacted + (red ? 1 : 0));
	json_key(m, "count");
	json_u64(m, nev);
	json_key(m, "sorted");
	json_bool(m, sorted);
	json_key(m, "nstrings");
	json_u64(m, R->st.n);
	json_key(m, "raw_len");
	json_u64(m, raw_len);
	json_key(m, "layout");
	buf_adds(m, layout);

	json_key(m, "cats");
	buf_addc(m, '[');
	for (unsigned c = 0; c < EVC__COUNT; c++) {
		json_sep(m);
		json_cstr(m, ev_cat_name(c));
	}
	buf_addc(m, ']');
	json_key(m, "cat_counts");
	buf_addc(m, '[');
	for (unsigned c = 0; c < EVC__COUNT; c++) {
		json_sep(m);
		json_u64(m, R->cat_counts[c]);
	}
	buf_addc(m, ']');
	json_key(m, "types");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->ntypes; i++) {
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "name");
		json_cstr(m, ev_type_name(R->type_ids[i]));
		json_key(m, "cat");
		json_u64(m, ev_type_default_cat(R->type_ids[i]));
		json_key(m, "n");
		json_u64(m, R->type_counts[i]);
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "procs");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nprocs; i++) {
		const struct proc *p = &R->procs[i];
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "pid");
		json_i64(m, p->pid);
		json_key(m, "ppid");
		json_i64(m, p->ppid);
		json_key(m, "name");
		json_u64(m, p->name);
		json_key(m, "first");
		json_u64(m, p->first == UINT64_MAX ? 0 : p->first);
		json_key(m, "last");
		json_u64(m, p->last);
		json_key(m, "n");
		json_u64(m, p->nev);
		json_key(m, "failed");
		json_u64(m, p->failed);
		json_key(m, "bytes_in");
		json_u64(m, p->bytes_r);
		json_key(m, "bytes_out");
		json_u64(m, p->bytes_w);
		if (p->exited) {
			json_key(m, "exit");
			if (p->signaled)
				json_cstr(m, signal_name(p->code, tmp, sizeof(tmp)));
			else
				json_i64(m, p->code);
		}
		json_key(m, "threads");
		buf_addc(m, '[');
		for (size_t k = 0; k < p->ntids; k++) {
			json_sep(m);
			json_i64(m, p->tids[k]);
		}
		buf_addc(m, ']');
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "threads");
	buf_addc(m, '[');
	for (uint32_t k = 0; k < R->nthr; k++) {
		json_sep(m);
		buf_printf(m, "%d,%d", R->thr[2 * k], R->thr[2 * k + 1]);
	}
	buf_addc(m, ']');
	json_key(m, "series");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nseries; i++) {
		json_sep(m);
		buf_addc(m, '{');
		json_key(m, "pid");
		json_i64(m, R->series[i].pid);
		json_key(m, "type");
		json_cstr(m, ev_type_name(R->series[i].type));
		json_key(m, "key");
		json_cstr(m, ev_key_name(R->series[i].key));
		if (R->series[i].kind) {
			size_t kn;
			const char *ks = evlog_str(R->log, R->series[i].kind, &kn);
			json_key(m, "kind");
			json_str(m, ks, kn);
		}
		buf_addc(m, '}');
	}
	buf_addc(m, ']');

	json_key(m, "summary");
	buf_addc(m, '{');
#define SUM(name, v) do { json_key(m, name); json_u64(m, v); } while (0)
	SUM("bytes_read", R->bytes_read);
	SUM("bytes_written", R->bytes_written);
	SUM("reads", R->nread);
	SUM("writes", R->nwrite);
	SUM("bytes_sent", R->bytes_sent);
	SUM("bytes_received", R->bytes_recv);
	SUM("sends", R->nsend);
	SUM("recvs", R->nrecv);
	SUM("sockets", R->nsocket);
	SUM("connects", R->nconnect);
	SUM("mmaps", R->nmmap);
	SUM("mmap_bytes", R->mmap_bytes);
	SUM("munmap_bytes", R->munmap_bytes);
	SUM("brk_growth", R->brk_growth);
	SUM("peak_rss", R->peak_rss);
	SUM("opens", R->nopen);
	SUM("files", R->nfiles);
	SUM("failed", R->nfailed);
	SUM("spawns", R->nspawn);
	SUM("execs", R->nexec);
	SUM("crashes", R->ncrash);
	SUM("triggers", R->ntrigger);
	SUM("processes", R->nprocs);
#undef SUM
	size_t nthreads = 0;
	for (size_t i = 0; i < R->nprocs; i++)
		nthreads += R->procs[i].ntids;
	json_key(m, "threads");
	json_u64(m, nthreads);
	if (R->nfiles) /* qsort(NULL, 0) is undefined behaviour */
		qsort(R->files, R->nfiles, sizeof(*R->files), cmp_files);
	json_key(m, "top_files");
	buf_addc(m, '[');
	for (size_t i = 0; i < R->nfiles && i < TOP_N; i++) {
		json_sep(m);
		buf_printf(m, "[%u,", R->files[i].path);
		json_u64(m, R->files[i].n);
		buf_addc(m, ',');
		json_u64(m, R->files[i].failed);
		buf_addc(m, ',');
		json_u64(m, R->files[i].bytes);
		buf_addc(m, ']');
	}
	buf_addc(m, ']');
	json_key(m, "errors");
	buf_addc(m, '[');
	for (int e = 1; e < (int)ARRAY_SIZE(R->err_counts); e++) {
		if (!R->err_counts[e])
			continue;
		json_sep(m);
		buf_printf(m, "[%d,", e);
		json_cstr(m, errno_name(e, tmp, sizeof(tmp)));
		buf_addc(m, ',');
		json_u64(m, R->err_counts[e]);
		buf_addc(m, ']');
	}
	buf_addc(m, ']');
	buf_addc(m, '}');
	buf_addc(m, '}');
}

/* Entity-escape for the <title> (RCDATA). */
static void html_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

struct ev_ref {
	uint64_t t;
	size_t seq; /* append order: equal times keep it (qsort is not stable) */
	const struct ev *e;
};

static int cmp_ev_time(const void *a, const void *b)
{
	const struct ev_ref *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void rep_free(struct rep *R)
{
	stab_free(&R->st);
	free(R->scache);
	free(R->sred);
	buf_free(&R->tmp);
	buf_free(&R->tmp2);
	buf_free(&R->det);
	struct col *cols[] = {&R->dt, &R->tx_i, &R->tx_v, &R->th, &R->type, &R->cat, &R->flags,
			      &R->err_i, &R->err_v, &R->dur, &R->dux_i, &R->dux_v, &R->bytes, &R->byx_i,
			      &R->byx_v, &R->str, &R->path, &R->x_i, &R->x_v, &R->s_id, &R->s_t, &R->s_v};
	free(R->thr);
	free(R->thr_h);
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		col_free(cols[i]);
	for (size_t i = 0; i < R->nprocs; i++)
		free(R->procs[i].tids);
	free(R->procs);
	free(R->series);
	free(R->type_ids);
	free(R->type_counts);
	free(R->files);
	free(R->file_slot);
}

/* Build the whole HTML document into out. */
static void render(struct run *r, const char *warnings, struct buf *out)
{
	struct rep *R = xcalloc(1, sizeof(*R));
	R->r = r;
	R->log = r->log;
	R->redact = !opt.no_redact;
	R->nscache = r->log ? evlog_str_count(r->log) + 1 : 0;
	R->scache = xcalloc(R->nscache + 1, sizeof(*R->scache));
	R->sred = xcalloc(R->nscache + 1, 1);
	col_init(&R->dt, 4); col_init(&R->tx_i, 4); col_init(&R->tx_v, 8);
	col_init(&R->th, 4); col_init(&R->type, 2);
	col_init(&R->cat, 1); col_init(&R->flags, 1); col_init(&R->err_i, 4); col_init(&R->err_v, 4);
	col_init(&R->dur, 4); col_init(&R->dux_i, 4); col_init(&R->dux_v, 8);
	col_init(&R->bytes, 4); col_init(&R->byx_i, 4); col_init(&R->byx_v, 8);
	col_init(&R->str, 4); col_init(&R->path, 4); col_init(&R->x_i, 4); col_init(&R->x_v, 4);
	col_init(&R->s_id, 4); col_init(&R->s_t, 8); col_init(&R->s_v, 8);

	/* events in time order (a --from log may not be) */
	uint64_t nev = r->log ? evlog_count(r->log) : 0;
	const struct ev **evs = xreallocarray(NULL, nev ? nev : 1, sizeof(*evs));
	struct evlog_cursor cur = {0};
	const struct ev *e;
	size_t n = 0;
	bool sorted = true;
	while (r->log && n < nev && (e = evlog_next(r->log, &cur))) {
		if (n && e->t < evs[n - 1]->t)
			sorted = false;
		evs[n++] = e;
	}
	if (!sorted) {
		struct ev_ref *refs = xreallocarray(NULL, n, sizeof(*refs));
		for (size_t i = 0; i < n; i++)
			refs[i] = (struct ev_ref){evs[i]->t, i, evs[i]};
		qsort(refs, n, sizeof(*refs), cmp_ev_time);
		for (size_t i = 0; i < n; i++)
			evs[i] = refs[i].e;
		free(refs);
	}
	uint64_t prev_t = 0;
	for (size_t i = 0; i < n; i++)
		add_event(R, evs[i], (uint32_t)i, &prev_t);
	free(evs);

	struct packer pk = {0};
	buf_addc(&pk.layout, '[');
	pack(&pk, "dt", "u32", &R->dt);
	pack(&pk, "tx_i", "u32", &R->tx_i);
	pack(&pk, "tx_v", "f64", &R->tx_v);
	pack(&pk, "th", "u32", &R->th);
	pack(&pk, "type", "u16", &R->type);
	pack(&pk, "cat", "u8", &R->cat);
	pack(&pk, "flags", "u8", &R->flags);
	pack(&pk, "err_i", "u32", &R->err_i);
	pack(&pk, "err_v", "u32", &R->err_v);
	pack(&pk, "dur", "u32", &R->dur);
	pack(&pk, "dux_i", "u32", &R->dux_i);
	pack(&pk, "dux_v", "f64", &R->dux_v);
	pack(&pk, "bytes", "u32", &R->bytes);
	pack(&pk, "byx_i", "u32", &R->byx_i);
	pack(&pk, "byx_v", "f64", &R->byx_v);
	pack(&pk, "str", "u32", &R->str);
	pack(&pk, "path", "u32", &R->path);
	pack(&pk, "x_i", "u32", &R->x_i);
	pack(&pk, "x_v", "u32", &R->x_v);
	pack(&pk, "s_id", "u32", &R->s_id);
	pack(&pk, "s_t", "f64", &R->s_t);
	pack(&pk, "s_v", "f64", &R->s_v);
	struct col strs = {.p = R->st.text.data, .n = R->st.text.len, .size = 1};
	pack(&pk, "strings", "utf8", &strs);
	buf_addc(&pk.layout, ']');

	struct buf meta = {0}, safe = {0};
	build_meta(R, &meta, warnings, pk.layout.data, pk.raw.len, n, sorted);
	html_safe_json(&safe, meta.data, meta.len);
	buf_free(&meta);

	struct buf gz = {0};
	if (gzip_sections(&pk, &gz) < 0)
		die(1, "report: compressing the trace failed");
	buf_free(&pk.raw);
	buf_free(&pk.layout);

	struct buf data = {0};
	for (size_t off = 0; off < gz.len || off == 0; off += BLOCK_RAW) {
		size_t len = gz.len - off < BLOCK_RAW ? gz.len - off : BLOCK_RAW;
		buf_adds(&data, "<script type=\"application/octet-stream\" class=\"trace-data\">");
		base64_add(&data, (const unsigned char *)gz.data + off, len);
		buf_adds(&data, "</script>\n");
		if (gz.len == 0)
			break;
	}
	buf_free(&gz);

	struct buf title = {0};
	buf_adds(&title, "compendium");
	bool tred = false;
	char **av = argv_redacted(R, &tred);
	for (size_t i = 0; av[i] && i < 8; i++) {
		struct buf d = {0};
		buf_addc(&title, ' ');
		disp_add(&d, av[i], strlen(av[i]));
		if (d.len)
			html_text(&title, d.data);
		buf_free(&d);
	}
	strv_free(av);

	const char *tpl = (const char *)report_tpl;
	const char *end = tpl + report_tpl_len;
	buf_reserve(out, report_tpl_len + data.len + safe.len + report_js_len + report_css_len + 1024);
	while (tpl < end) {
		const char *at = strstr(tpl, "@@");
		if (!at || at >= end) {
			buf_add(out, tpl, (size_t)(end - tpl));
			break;
		}
		buf_add(out, tpl, (size_t)(at - tpl));
		const char *close = strstr(at + 2, "@@");
		if (!close) {
			buf_add(out, at, (size_t)(end - at));
			break;
		}
		size_t nl = (size_t)(close - at - 2);
		const char *name = at + 2;
		if (nl == 3 && !memcmp(name, "CSP", 3))
			buf_printf(out, "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s';"
				   " img-src data:; base-uri 'none'; form-action 'none'",
				   report_js_sha256, report_css_sha256);
		else if (nl == 5 && !memcmp(name, "TITLE", 5))
			buf_add(out, title.data, title.len);
		else if (nl == 3 && !memcmp(name, "CSS", 3))
			buf_add(out, report_css, report_css_len);
		else if (nl == 2 && !memcmp(name, "JS", 2))
			buf_add(out, report_js, report_js_len);
		else if (nl == 4 && !memcmp(name, "META", 4))
			buf_add(out, safe.data, safe.len);
		else if (nl == 4 && !memcmp(name, "DATA", 4))
			buf_add(out, data.data, data.len);
		else
			buf_add(out, at, nl + 4);
		tpl = close + 2;
	}
	buf_free(&title);
	buf_free(&data);
	buf_free(&safe);
	rep_free(R);
	free(R);
}

int report_write(struct run *r, const char *path, unsigned mode, const char *warnings)
{
	int err;
	char *target = resolve_target(path, &err);
	if (!target)
		return err;
	if (!mode)
		mode = 0600;

	struct buf html = {0};
	render(r, warnings, &html);

	char *tmp = NULL;
	int fd = open_temp(target, mode, &tmp);
	int rc = 0;
	if (fd < 0) {
		rc = fd;
		report_err(path, "cannot create the temporary file next to it", -fd);
		goto out;
	}
	/* the mode given, not filtered through the umask */
	if (fchmod(fd, mode & 07777) < 0 || (rc = write_all(fd, html.data, html.len)) < 0 ||
	    fsync(fd) < 0) {
		rc = rc < 0 ? rc : -errno;
		report_err(path, "writing the report failed", -rc);
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp, target) < 0) {
		rc = -errno;
		report_err(path, "could not put the report in place", -rc);
		unlink(tmp);
		goto out;
	}
	char *dir = dir_of(target);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	free(dir);
	if (opt.no_redact)
		warnmsg("--no-redact: the report %s keeps secrets (tokens, passwords) as traced", path);
	else
		warnmsg("the report %s may still contain secrets: redaction is a heuristic;"
			" review it before sharing", path);
out:
	free(tmp);
	free(target);
	buf_free(&html);
	return rc;
}
