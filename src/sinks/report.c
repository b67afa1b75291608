/* SPDX-License-Identifier: MIT */
/* report: render the event log as one self-contained, offline HTML file. */
#include "sinks/report.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "lib/atomicfile.h"
#include "lib/json.h"
#include "options.h"
#include "report_assets.h"
#include "lib/secret.h"
#include "lib/util.h"
#include "lib/xlat.h"

/*
 * The data travels as typed columns (one value per event, stored as byte
 * planes) and one string table, as one gzip stream (compressed on worker
 * threads while the columns are built), base64-encoded and split into
 * <script type="application/octet-stream"> blocks. The JSON blob "meta"
 * says where each column starts and its type (thread and type indexes are
 * u8 or u16 when they fit). Limits: string ids and event indexes are
 * 32-bit (4 billion; more events fail with an error in report_write);
 * nothing else is capped.
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

/* Start the temporary file next to target ("DIR/.NAME.PID.XXXXXXXX.tmp"). 0 or -errno. */
static int open_temp(const char *target, unsigned mode, struct atomicfile *af)
{
	char *dir = dir_of(target);
	const char *base = strrchr(target, '/');
	base = base ? base + 1 : target;
	char *prefix = xasprintf("%s/.%s.%ld.", dir, base, (long)getpid());
	int rc = atomicfile_open(af, AT_FDCWD, prefix, ".tmp", mode);
	free(prefix);
	free(dir);
	return rc;
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
		struct atomicfile af;
		rc = open_temp(target, 0600, &af);
		if (rc < 0)
			report_err(path, "cannot create files in its directory; choose a writable place", -rc);
		else
			atomicfile_abort(&af);
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
/*
 * Where the run of bytes that display as they are (printable ASCII other
 * than the backslash) starting at i ends; 8 bytes at a time while a word
 * has no byte >= 0x80, < 0x20, 0x7f or '\\' (exact zero-byte tests).
 */
static size_t plain_end(const unsigned char *s, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t bs = w ^ ones * '\\', del = w ^ ones * 0x7f;
		if ((w | ((w - ones * 0x20) & ~w) | ((bs - ones) & ~bs) | ((del - ones) & ~del)) & highs)
			break;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
		i++;
	return i;
}

static void disp_add(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	buf_reserve(b, n + 8);
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\') {
				buf_add(b, "\\\\", 2);
				i++;
				continue;
			}
			size_t e = plain_end(s, i + 1, n);
			buf_add(b, s + i, e - i);
			i = e;
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

static bool is_name_char(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool word_start(const char *s, size_t i)
{
	if (i == 0)
		return true;
	switch (s[i - 1]) {
	case ' ': case '\t': case '\r': case '\n': case '"': case '\'': case '&': case '?': case ';': case ',':
	case '\0': /* strchr() found the terminator: kept as it was */
		return true;
	default:
		return false;
	}
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
			if (secret_ci_has(s + i, e - i, "PRIVATE KEY")) {
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

/*
 * Could redact() change s? Every pattern it replaces holds '=' or ':', or
 * starts a word with '-', or is a PEM "-----BEGIN " line; most paths and
 * names have none of these and skip the scan.
 */
static bool may_hold_secret(const char *s, size_t n)
{
	if (memchr(s, '=', n) || memchr(s, ':', n))
		return true;
	for (const char *p = s; (p = memchr(p, '-', n - (size_t)(p - s))); p++) {
		size_t i = (size_t)(p - s);
		if (word_start(s, i) || (i + 11 <= n && memcmp(p, "-----BEGIN ", 11) == 0))
			return true;
	}
	return false;
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
	uint64_t *h;       /* open addressing: hash << 32 | id, 0 = empty */
	uint32_t hcap;
};

/* Multiply-mix of 8-byte words (the last one overlapping); only speed depends on it. */
static uint32_t hash32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n * 0xff51afd7ed558ccdull;
	uint64_t w;
	size_t i = 0;
	if (n > 64) {
		/* long strings (argv lists): four independent lanes */
		uint64_t l[4] = {h, h ^ 1, h ^ 2, h ^ 3};
		for (; i + 32 < n; i += 32)
			for (int k = 0; k < 4; k++) {
				memcpy(&w, s + i + 8 * k, 8);
				l[k] = (l[k] ^ w) * 0xff51afd7ed558ccdull;
				l[k] ^= l[k] >> 32;
			}
		h = l[0] ^ (l[1] * 3) ^ (l[2] * 5) ^ (l[3] * 7);
	}
	if (n > 8) {
		for (; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdull;
			h ^= h >> 32;
		}
		memcpy(&w, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		w = (uint64_t)hi << 32 | lo;
	} else {
		w = n ? (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1] : 0;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

static void stab_grow(struct stab *t)
{
	uint32_t ncap = t->hcap ? t->hcap * 2 : 1024;
	uint64_t *nh = xcalloc(ncap, sizeof(*nh));
	for (uint32_t i = 0; i < t->hcap; i++) {
		uint64_t v = t->h[i];
		if (!v)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = v;
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
	uint32_t hv = hash32(s, n);
	uint32_t j = hv & (t->hcap - 1);
	for (;;) {
		uint64_t v = t->h[j];
		if (!v)
			break;
		uint32_t id = (uint32_t)v;
		/* the stored hash spares a look at the text of every other string */
		if ((uint32_t)(v >> 32) == hv && t->len[id] == n && memcmp(t->text.data + t->off[id], s, n) == 0)
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
	t->h[j] = (uint64_t)hv << 32 | id;
	return id;
}

/* Room for about n events' strings up front: no moving of big tables while they fill. */
static void stab_reserve(struct stab *t, size_t n)
{
	uint32_t hcap = 1024;
	while (hcap < n / 2 && hcap < (1u << 25))
		hcap *= 2;
	t->h = xcalloc(hcap, sizeof(*t->h));
	t->hcap = hcap;
	t->cap = hcap / 2;
	t->off = xreallocarray(NULL, t->cap, sizeof(*t->off));
	t->len = xreallocarray(NULL, t->cap, sizeof(*t->len));
	buf_reserve(&t->text, n < (1u << 25) ? n * 8 : (size_t)1 << 28);
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

	/* dense columns, one value per event (time order) */
	size_t nev;
	uint32_t *dt, *th, *dur, *bytes, *str, *path;
	uint16_t *type;
	uint8_t *cat, *flags; /* 8 spare zero bytes at the end: the section's padding */
	/* sparse columns: escapes of the u32 ones, failures, extras, counter tracks */
	struct col tx_i, tx_v, err_i, err_v, dux_i, dux_v, byx_i, byx_v, x_i, x_v, s_id, s_t, s_v;
	/* threads seen: (pid, tid) pairs; the th column indexes them */
	int32_t *thr;        /* 2 per thread */
	uint32_t nthr, thr_cap;
	uint32_t *thr_h;     /* open addressing: index + 1, 0 = empty */
	uint32_t thr_hcap, thr_last;
	uint32_t *thr_proc;  /* thread index -> procs index + 1, 0 = not yet */
	const char *kname[512]; /* key names by key id, cached with their length */
	uint8_t klen[512];

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

/* A u32 column's value: v itself, or ESC32 with v in the escape list. */
static uint32_t u32_esc(struct col *xi, struct col *xv, uint64_t v, uint32_t idx)
{
	if (v < ESC32)
		return (uint32_t)v;
	double d = (double)v;
	col_push(xi, &idx);
	col_push(xv, &d);
	return ESC32;
}

/* A string field in display form, redacted if wanted. */
static void add_str(struct rep *R, struct buf *out, const char *s, size_t n, bool *red)
{
	if (R->redact && may_hold_secret(s, n)) {
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
	uint32_t last = R->thr_last;
	if (last < R->nthr && R->thr[2 * last] == pid && R->thr[2 * last + 1] == tid)
		return last;
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
			return R->thr_last = v - 1;
		j = (j + 1) & (R->thr_hcap - 1);
	}
	if (R->nthr == R->thr_cap) {
		R->thr_cap = R->thr_cap ? R->thr_cap * 2 : 64;
		R->thr = xreallocarray(R->thr, R->thr_cap, 2 * sizeof(*R->thr));
		R->thr_proc = xreallocarray(R->thr_proc, R->thr_cap, sizeof(*R->thr_proc));
	}
	R->thr_proc[R->nthr] = 0;
	R->thr[2 * R->nthr] = pid;
	R->thr[2 * R->nthr + 1] = tid;
	R->thr_h[j] = R->nthr + 1;
	return R->thr_last = R->nthr++;
}

static void add_u64(struct buf *b, uint64_t v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
				    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
				    "8081828384858687888990919293949596979899";
	char tmp[24], *p = tmp + sizeof(tmp);
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		*--p = pairs[2 * r + 1];
		*--p = pairs[2 * r];
	}
	if (v >= 10) {
		*--p = pairs[2 * v + 1];
		*--p = pairs[2 * v];
	} else {
		*--p = (char)('0' + v);
	}
	buf_reserve(b, sizeof(tmp));
	char *o = b->data + b->len;
	while (p < tmp + sizeof(tmp))
		*o++ = *p++;
	*o = 0;
	b->len = (size_t)(o - b->data);
}

/* " key=" (no space first) in the details text. */
static void add_key(struct rep *R, struct buf *d, unsigned key)
{
	const char *s;
	size_t n;
	if (key < ARRAY_SIZE(R->kname) && R->kname[key]) {
		s = R->kname[key];
		n = R->klen[key];
	} else {
		s = ev_key_name(key);
		n = strlen(s);
		if (key < ARRAY_SIZE(R->kname) && n < 256) {
			R->kname[key] = s;
			R->klen[key] = (uint8_t)n;
		}
	}
	buf_reserve(d, n + 2);
	char *o = d->data + d->len;
	if (d->len)
		*o++ = ' ';
	memcpy(o, s, n);
	o += n;
	*o++ = '=';
	*o = 0;
	d->len = (size_t)(o - d->data);
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

/*
 * Pass 1, the numeric columns: time, thread, type, category, duration,
 * bytes and the counter tracks. They need no string work, so they can be
 * compressed while pass 2 builds the text.
 */
static void add_numbers(struct rep *R, const struct ev *e, uint32_t idx, uint64_t *prev_t)
{
	const struct ev_field *f = ev_fields(e);
	uint64_t bytes = 0, dur = 0;
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key == EVK_BYTES && numeric_kind(f[i].kind))
			bytes = f[i].kind == EVF_INT && evf_i64(&f[i]) < 0 ? 0 : evf_u64(&f[i]);
		else if (f[i].key == EVK_DUR && f[i].kind == EVF_DUR)
			dur = evf_u64(&f[i]);
	}

	/* time: Δ-encoded u32 ns; the escape list holds the absolute time of gaps and reordering */
	uint64_t t = e->t;
	if (t >= *prev_t && t - *prev_t < ESC32) {
		R->dt[idx] = (uint32_t)(t - *prev_t);
	} else {
		double tv = (double)t;
		R->dt[idx] = ESC32;
		col_push(&R->tx_i, &idx);
		col_push(&R->tx_v, &tv);
	}
	*prev_t = t;

	R->th[idx] = thread_index(R, e->pid, e->tid);
	unsigned ti = type_index(R, e->type);
	R->type_counts[ti]++;
	R->type[idx] = (uint16_t)ti;
	R->cat[idx] = (uint8_t)(e->cat - ev_type_default_cat(e->type));
	R->cat_counts[e->cat]++;
	R->dur[idx] = u32_esc(&R->dux_i, &R->dux_v, dur, idx);
	R->bytes[idx] = u32_esc(&R->byx_i, &R->byx_v, bytes, idx);

	/* counter tracks: numeric fields of sampled events, per process or system-wide */
	if (e->type == EVT_COUNTER || e->type == EVT_SAMPLE || e->type == EVT_SYSSTAT ||
	    (e->cat == EVC_SYSTEM && e->type >= EVT__COUNT)) {
		const struct ev_field *kf = ev_find(e, EVK_KIND);
		uint32_t kind = kf && kf->kind == EVF_STR ? (uint32_t)evf_u64(kf) : 0;
		for (unsigned i = 0; i < e->nf; i++) {
			if (!numeric_kind(f[i].kind) || id_key(f[i].key))
				continue;
			uint32_t s = series_id(R, e->pid, e->type, kind, f[i].key);
			double tv = (double)t, vv = field_num(&f[i]);
			col_push(&R->s_id, &s);
			col_push(&R->s_t, &tv);
			col_push(&R->s_v, &vv);
			if (f[i].key == EVK_RSS && evf_u64(&f[i]) > R->peak_rss && f[i].kind != EVF_DOUBLE)
				R->peak_rss = evf_u64(&f[i]);
		}
	}
}

/* Pass 2, the text: details, path, flags, failures, processes, the summary. */
static void add_event(struct rep *R, const struct ev *e, uint32_t idx)
{
	const struct ev_field *f = ev_fields(e);
	const struct evlog *log = R->log;
	bool red = false;
	uint64_t bytes = 0;
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
		if (fi->key == EVK_DUR && fi->kind == EVF_DUR)
			continue; /* the dur column */
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
			json_key(&extra, ev_key_name(fi->key));
			for (size_t k = 0; k < n; k++)
				buf_addc(&extra, s[k] == '\n' || s[k] == '\r' ? ' ' : s[k]);
			continue;
		}
		add_key(R, d, fi->key);
		switch (fi->kind) {
		case EVF_INT:
			add_i64(d, (int64_t)v);
			break;
		case EVF_UINT:
			add_u64(d, v);
			break;
		case EVF_HEX:
			buf_addhex(d, v);
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
			buf_adds(d, xlat_errno_label((int)(int64_t)v, tmp));
			break;
		case EVF_SIG:
			buf_adds(d, xlat_signal_label((int)(int64_t)v, tmp));
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

	uint64_t t = e->t;
	int32_t pid = e->pid, tid = e->tid;
	R->flags[idx] = (uint8_t)((red ? FL_REDACTED : 0) | (e->flags & EVFL_NOISE ? FL_NOISE : 0) |
				  (err ? FL_FAILED : 0));
	if (err) { /* failures are few: stored sparse */
		uint32_t ev32 = (uint32_t)err;
		col_push(&R->err_i, &idx);
		col_push(&R->err_v, &ev32);
	}
	R->str[idx] = d->len ? stab_id(&R->st, d->data, d->len) : 0;
	R->path[idx] = path_id;
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
		/* each thread's process is looked up once */
		uint32_t th = R->th[idx];
		struct proc *p;
		if (R->thr_proc[th]) {
			p = &R->procs[R->thr_proc[th] - 1];
		} else {
			p = proc_get(R, pid);
			R->thr_proc[th] = (uint32_t)(p - R->procs) + 1;
			proc_tid(p, tid);
		}
		if (t < p->first)
			p->first = t;
		if (t > p->last)
			p->last = t;
		p->nev++;
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

/*
 * Compression runs on worker threads while the events are still being
 * turned into columns. The raw data is a sequence of sections (columns as
 * byte planes, then the string table); each goes out in jobs: a piece of
 * one plane (ZROWS events, queued as soon as those events are done), a
 * piece of the string table, or a whole small section. Every job is an
 * independent raw deflate ending in a sync flush (byte-aligned, not final),
 * so the outputs concatenate in raw order into one deflate stream, as pigz
 * does; an empty final block ends it. The cuts depend only on the data, so
 * the file does not depend on timing.
 */
#define ZROWS (64u << 10)  /* events per block and per plane piece */
#define ZTEXT (512u << 10) /* bytes per string-table piece */
#define ZSMALL (64u << 10) /* a section this small is one job */

struct zjob {
	/* the input: esz 0: m bytes at src (freed after if own); else byte
	 * planes [p0, p1) of m values of esz bytes at src, then pad zeros */
	const unsigned char *src;
	size_t m, esz, pad, n;
	unsigned p0, p1;
	bool own, last, dead;
	uint64_t key; /* position in the raw data: section << 40 | offset */
	int strategy;
	struct buf out;
	uLong crc;
	int rc;
};

struct zpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct zjob **jobs;
	size_t njobs, cap, next;
	bool closing;
	pthread_t th[3];
	int nth;
	/* the output for pieces of n zero bytes (high planes of small values) */
	struct zeros {
		size_t n;
		uLong crc;
		struct buf out;
	} zeros[4];
	size_t nzeros;
};

/* One thread's deflate state and input buffer, reused from job to job. */
struct zworker {
	z_stream z;
	bool init;
	struct buf in;
};

/* Byte p of each of m values esz bytes apart (the stride is a constant in each loop). */
static void plane_copy(unsigned char *o, const unsigned char *s, size_t m, size_t esz)
{
	switch (esz) {
	case 1:
		memcpy(o, s, m);
		break;
	case 2:
		for (size_t i = 0; i < m; i++)
			o[i] = s[2 * i];
		break;
	case 4:
		for (size_t i = 0; i < m; i++)
			o[i] = s[4 * i];
		break;
	default:
		for (size_t i = 0; i < m; i++)
			o[i] = s[i * esz];
		break;
	}
}

static bool all_zero(const unsigned char *p, size_t n)
{
	uint64_t acc = 0;
	size_t i = 0;
	for (; i + 256 <= n && !acc; i += 256)
		for (size_t k = 0; k < 256; k += 8) {
			uint64_t w;
			memcpy(&w, p + i + k, 8);
			acc |= w;
		}
	for (; i < n && !acc; i++)
		acc |= p[i];
	return !acc;
}

/*
 * Z_RLE only pays where the same byte mostly repeats; on planes with some
 * noise (the low bytes of times, sizes, ids) Huffman coding alone was
 * smaller and 10-25% faster here. Every 16th byte is a good enough sample.
 */
static int plane_strategy(const unsigned char *p, size_t n)
{
	size_t runs = 0, seen = 0;
	for (size_t i = 2; i < n; i += 16, seen++)
		runs += p[i] == p[i - 1] && p[i] == p[i - 2];
	return runs * 5 < seen * 3 ? Z_HUFFMAN_ONLY : Z_RLE;
}

static bool zeros_get(struct zpool *zp, size_t n, struct buf *out, uLong *crc)
{
	bool hit = false;
	pthread_mutex_lock(&zp->mu);
	for (size_t i = 0; i < zp->nzeros && !hit; i++)
		if (zp->zeros[i].n == n) {
			buf_add(out, zp->zeros[i].out.data, zp->zeros[i].out.len);
			*crc = zp->zeros[i].crc;
			hit = true;
		}
	pthread_mutex_unlock(&zp->mu);
	return hit;
}

static void zeros_put(struct zpool *zp, size_t n, const struct buf *out, uLong crc)
{
	pthread_mutex_lock(&zp->mu);
	bool have = false;
	for (size_t i = 0; i < zp->nzeros; i++)
		have = have || zp->zeros[i].n == n;
	if (!have && zp->nzeros < ARRAY_SIZE(zp->zeros)) {
		struct zeros *z = &zp->zeros[zp->nzeros++];
		z->n = n;
		z->crc = crc;
		memset(&z->out, 0, sizeof(z->out));
		buf_add(&z->out, out->data, out->len);
	}
	pthread_mutex_unlock(&zp->mu);
}

static void zjob_run(struct zpool *zp, struct zjob *j, struct zworker *w)
{
	const unsigned char *in = j->src;
	bool zeros = false;
	j->rc = -EIO;
	if (j->esz) {
		buf_reserve(&w->in, j->n);
		unsigned char *o = (unsigned char *)w->in.data;
		for (unsigned p = j->p0; p < j->p1; p++, o += j->m)
			plane_copy(o, j->src + p, j->m, j->esz);
		memset(o, 0, j->pad);
		in = (const unsigned char *)w->in.data;
		if (j->strategy == Z_RLE && !j->last) {
			/* a fresh deflate of the same bytes gives the same output */
			zeros = all_zero(in, j->n);
			if (zeros && zeros_get(zp, j->n, &j->out, &j->crc)) {
				j->rc = 0;
				return;
			}
			if (!zeros)
				j->strategy = plane_strategy(in, j->n);
		}
	}
	z_stream *z = &w->z;
	if (!w->init) {
		if (deflateInit2(z, 1, Z_DEFLATED, -15, 9, j->strategy) != Z_OK)
			return;
		w->init = true;
	} else if (deflateReset(z) != Z_OK || deflateParams(z, 1, j->strategy) != Z_OK) {
		return;
	}
	int flush = j->last ? Z_FINISH : Z_SYNC_FLUSH;
	z->next_in = (Bytef *)(j->n ? in : (const unsigned char *)"");
	z->avail_in = (uInt)j->n;
	for (;;) {
		/* deflateBound covers the data; the flush marker and final block need a few bytes more */
		buf_reserve(&j->out, deflateBound(z, z->avail_in) + 64);
		z->next_out = (Bytef *)j->out.data + j->out.len;
		z->avail_out = (uInt)(j->out.cap - j->out.len - 1);
		size_t before = z->avail_out;
		int rc = deflate(z, flush);
		j->out.len += before - z->avail_out;
		if (rc == Z_STREAM_END) {
			j->rc = 0;
			break;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			break;
		if (z->avail_out == 0)
			continue;
		/* room left over: a sync flush is complete, anything else is stuck */
		if (!j->last && z->avail_in == 0)
			j->rc = 0;
		break;
	}
	j->crc = crc32_z(0, j->n ? in : NULL, j->n);
	if (zeros && j->rc == 0)
		zeros_put(zp, j->n, &j->out, j->crc);
	if (j->own)
		free((void *)j->src);
	j->src = NULL;
}

/* A helper thread with every signal blocked: signals keep going to the tracer's own thread. */
static bool start_thread(pthread_t *th, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	bool ok = pthread_create(th, NULL, fn, arg) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ok;
}

/* Run queued jobs until the queue is empty (and, for workers, closed). */
static void zpool_drain(struct zpool *zp, bool wait)
{
	struct zworker w;
	memset(&w, 0, sizeof(w));
	pthread_mutex_lock(&zp->mu);
	for (;;) {
		while (wait && zp->next == zp->njobs && !zp->closing)
			pthread_cond_wait(&zp->cv, &zp->mu);
		if (zp->next == zp->njobs)
			break;
		struct zjob *j = zp->jobs[zp->next++];
		pthread_mutex_unlock(&zp->mu);
		zjob_run(zp, j, &w);
		pthread_mutex_lock(&zp->mu);
	}
	pthread_mutex_unlock(&zp->mu);
	if (w.init)
		deflateEnd(&w.z);
	buf_free(&w.in);
}

static void *zpool_worker(void *arg)
{
	zpool_drain(arg, true);
	return NULL;
}

static void zpool_start(struct zpool *zp)
{
	memset(zp, 0, sizeof(*zp));
	pthread_mutex_init(&zp->mu, NULL);
	pthread_cond_init(&zp->cv, NULL);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int want = ncpu > 1 ? (int)(ncpu - 1) : 1;
	if (want > (int)ARRAY_SIZE(zp->th))
		want = (int)ARRAY_SIZE(zp->th);
	/* without threads the jobs run on this one at the end */
	while (zp->nth < want && start_thread(&zp->th[zp->nth], zpool_worker, zp))
		zp->nth++;
}

static void zpool_add(struct zpool *zp, const struct zjob *tmpl)
{
	struct zjob *j = xmalloc(sizeof(*j));
	*j = *tmpl;
	j->n = j->esz ? (j->p1 - j->p0) * j->m + j->pad : j->m;
	pthread_mutex_lock(&zp->mu);
	if (zp->njobs == zp->cap) {
		zp->cap = zp->cap ? zp->cap * 2 : 256;
		zp->jobs = xreallocarray(zp->jobs, zp->cap, sizeof(*zp->jobs));
	}
	zp->jobs[zp->njobs++] = j;
	pthread_cond_signal(&zp->cv);
	pthread_mutex_unlock(&zp->mu);
}

/* Drop the queued or finished jobs of section k (it is queued again whole). */
static void zpool_kill(struct zpool *zp, int k)
{
	pthread_mutex_lock(&zp->mu);
	for (size_t i = 0; i < zp->njobs; i++)
		if (zp->jobs[i]->key >> 40 == (uint64_t)k)
			zp->jobs[i]->dead = true;
	pthread_mutex_unlock(&zp->mu);
}

static int cmp_job(const void *a, const void *b)
{
	const struct zjob *x = *(struct zjob *const *)a, *y = *(struct zjob *const *)b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Help with the remaining jobs, wait for the workers, then write the gzip member into out. */
static int zpool_finish(struct zpool *zp, struct buf *out)
{
	pthread_mutex_lock(&zp->mu);
	zp->closing = true;
	pthread_cond_broadcast(&zp->cv);
	pthread_mutex_unlock(&zp->mu);
	zpool_drain(zp, false);
	for (int i = 0; i < zp->nth; i++)
		pthread_join(zp->th[i], NULL);
	size_t live = 0;
	for (size_t i = 0; i < zp->njobs; i++) {
		if (zp->jobs[i]->dead) {
			buf_free(&zp->jobs[i]->out);
			free(zp->jobs[i]);
		} else {
			zp->jobs[live++] = zp->jobs[i];
		}
	}
	if (live)
		qsort(zp->jobs, live, sizeof(*zp->jobs), cmp_job);
	int rc = 0;
	uLong crc = crc32_z(0, NULL, 0);
	uint64_t isize = 0;
	size_t total = 18;
	for (size_t i = 0; i < live; i++) {
		const struct zjob *j = zp->jobs[i];
		if (j->rc < 0)
			rc = j->rc;
		crc = crc32_combine(crc, j->crc, (z_off_t)j->n);
		isize += j->n;
		total += j->out.len;
	}
	if (rc == 0) {
		static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
		unsigned char trl[8];
		for (int k = 0; k < 4; k++) {
			trl[k] = (unsigned char)(crc >> (8 * k));
			trl[4 + k] = (unsigned char)(isize >> (8 * k));
		}
		buf_reserve(out, total);
		buf_add(out, hdr, sizeof(hdr));
		for (size_t i = 0; i < live; i++)
			buf_add(out, zp->jobs[i]->out.data, zp->jobs[i]->out.len);
		buf_add(out, trl, sizeof(trl));
	}
	for (size_t i = 0; i < live; i++) {
		buf_free(&zp->jobs[i]->out);
		free(zp->jobs[i]);
	}
	free(zp->jobs);
	for (size_t i = 0; i < zp->nzeros; i++)
		buf_free(&zp->zeros[i].out);
	pthread_cond_destroy(&zp->cv);
	pthread_mutex_destroy(&zp->mu);
	return rc;
}

/* The raw data's sections, in the order they are stored. */
enum {
	S_DT, S_TX_I, S_TX_V, S_TH, S_TYPE, S_CAT, S_FLAGS, S_ERR_I, S_ERR_V, S_DUR, S_DUX_I, S_DUX_V,
	S_BYTES, S_BYX_I, S_BYX_V, S_STR, S_PATH, S_X_I, S_X_V, S_S_ID, S_S_T, S_S_V, S_STRINGS, S__COUNT
};

struct section {
	const char *name, *type;
	size_t n;     /* values */
	size_t width; /* bytes per value: the number of planes */
	size_t len;   /* stored bytes, padded to 8 except the last section */
};

struct packer {
	struct section s[S__COUNT];
	size_t text_done; /* string-table bytes queued */
	struct zpool zp;
};

static void pack_section(struct packer *pk, int k, const char *name, size_t n, size_t width, bool real)
{
	static const char *const ints[] = {"", "u8", "u16", "", "u32"};
	struct section *s = &pk->s[k];
	s->name = name;
	s->type = real ? "f64" : k == S_STRINGS ? "utf8" : ints[width];
	s->n = n;
	s->width = width;
	s->len = n * width;
	if (k != S_STRINGS)
		s->len = (s->len + 7) & ~(size_t)7;
}

/*
 * Queue rows [a, b) of section k, whose values (esz bytes each, little
 * endian) are at src, as byte planes: all low bytes, then the next ...
 * Small values leave whole planes of zeros, which gzip shrinks to almost
 * nothing. Byte planes of integers are runs and noise: RLE matches level
 * 1's size at twice its speed; doubles need real matching.
 */
static void pack_rows(struct packer *pk, int k, const void *src, size_t esz, size_t a, size_t b)
{
	const struct section *s = &pk->s[k];
	const unsigned char *p = src;
	struct zjob j = {.esz = esz, .strategy = s->type[0] == 'u' ? Z_RLE : Z_DEFAULT_STRATEGY};
	size_t pad = s->len - s->n * s->width;
	if (!s->len)
		return;
	if (a == 0 && b == s->n && s->len <= ZSMALL) {
		j.src = p;
		j.m = s->n;
		j.p1 = (unsigned)s->width;
		j.pad = pad;
		j.key = (uint64_t)k << 40;
		zpool_add(&pk->zp, &j);
		return;
	}
	for (unsigned pl = 0; pl < s->width; pl++) {
		for (size_t c = a; c < b; c += ZROWS) {
			size_t e = b - c < ZROWS ? b : c + ZROWS;
			j.src = p + c * esz;
			j.m = e - c;
			j.p0 = pl;
			j.p1 = pl + 1;
			j.pad = pl == s->width - 1 && e == s->n ? pad : 0;
			j.key = (uint64_t)k << 40 | (pl * s->n + c);
			zpool_add(&pk->zp, &j);
		}
	}
}

static void pack_col(struct packer *pk, int k, const char *name, const struct col *c)
{
	pack_section(pk, k, name, c->n, c->size, c->size == 8);
	pack_rows(pk, k, c->p, c->size, 0, c->n);
}

/* Queue the string table's finished pieces (all of it at the end). */
static void pack_text(struct packer *pk, const struct buf *text, bool all)
{
	while (text->len - pk->text_done >= ZTEXT || (all && pk->text_done < text->len)) {
		size_t m = text->len - pk->text_done < ZTEXT ? text->len - pk->text_done : ZTEXT;
		/* a copy: the table's buffer moves as it grows */
		unsigned char *copy = xmalloc(m);
		memcpy(copy, text->data + pk->text_done, m);
		struct zjob j = {.src = copy, .m = m, .own = true, .strategy = Z_DEFAULT_STRATEGY,
				 .key = (uint64_t)S_STRINGS << 40 | pk->text_done};
		zpool_add(&pk->zp, &j);
		pk->text_done += m;
	}
}

/* The narrowest of u8, u16, u32 for values below max. */
static size_t u32_width(uint64_t max)
{
	return max <= 0x100 ? 1 : max <= 0x10000 ? 2 : 4;
}

/* The sections' JSON list of {name, type, off, n}; returns the raw length. */
static size_t pack_layout(const struct packer *pk, struct buf *layout)
{
	size_t off = 0;
	buf_addc(layout, '[');
	for (int k = 0; k < S__COUNT; k++) {
		const struct section *s = &pk->s[k];
		json_sep(layout);
		buf_printf(layout, "{\"name\":\"%s\",\"type\":\"%s\",\"off\":%zu,\"n\":%zu}",
			   s->name, s->type, off, s->n);
		off += s->len;
	}
	buf_addc(layout, ']');
	return off;
}

/* base64 two characters per table entry: 12 bits of input each */
struct b64 {
	char pairs[4096][2];
};

static void b64_init(struct b64 *t)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (unsigned i = 0; i < 4096; i++) {
		t->pairs[i][0] = tab[i >> 6];
		t->pairs[i][1] = tab[i & 63];
	}
}

/* base64 of n bytes written at o (which has room for (n + 2) / 3 * 4). */
static void base64_put(const struct b64 *t, char *o, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 3 <= n; i += 3, o += 4) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		memcpy(o, t->pairs[v >> 12], 2);
		memcpy(o + 2, t->pairs[v & 4095], 2);
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		memcpy(o, t->pairs[v >> 12], 2);
		o[2] = i + 1 < n ? t->pairs[v & 4095][0] : '=';
		o[3] = '=';
	}
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
		json_cstr(m, xlat_signal_label(r->sig, tmp));
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
				json_cstr(m, xlat_signal_label(p->code, tmp));
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
		json_cstr(m, xlat_errno_label(e, tmp));
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
	void *dense[] = {R->dt, R->th, R->dur, R->bytes, R->str, R->path, R->type, R->cat, R->flags};
	struct col *cols[] = {&R->tx_i, &R->tx_v, &R->err_i, &R->err_v, &R->dux_i, &R->dux_v, &R->byx_i,
			      &R->byx_v, &R->x_i, &R->x_v, &R->s_id, &R->s_t, &R->s_v};
	for (size_t i = 0; i < ARRAY_SIZE(dense); i++)
		free(dense[i]);
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		col_free(cols[i]);
	free(R->thr);
	free(R->thr_h);
	free(R->thr_proc);
	for (size_t i = 0; i < R->nprocs; i++)
		free(R->procs[i].tids);
	free(R->procs);
	free(R->series);
	free(R->type_ids);
	free(R->type_counts);
	free(R->files);
	free(R->file_slot);
}

struct b64_part {
	const struct b64 *t;
	char *o;
	const unsigned char *p;
	size_t n;
};

static void b64_run(const struct b64_part *bp)
{
	base64_put(bp->t, bp->o, bp->p, bp->n);
}

struct b64_all {
	const struct b64_part *parts;
	size_t n;
};

static void *b64_run_all(void *arg)
{
	const struct b64_all *a = arg;
	for (size_t k = 0; k < a->n; k++)
		b64_run(&a->parts[k]);
	return NULL;
}

/*
 * The gzip data as base64 in <script> blocks of at most BLOCK_RAW bytes
 * each; the first half of every block is encoded on a second thread.
 */
static void put_data(struct buf *out, const struct buf *gz)
{
	static const char open_tag[] = "<script type=\"application/octet-stream\" class=\"trace-data\">";
	static const char close_tag[] = "</script>\n";
	size_t nblocks = gz->len ? (gz->len + BLOCK_RAW - 1) / BLOCK_RAW : 1;
	buf_reserve(out, nblocks * (sizeof(open_tag) + sizeof(close_tag)) + (gz->len / 3 + nblocks) * 4);
	struct b64 t;
	b64_init(&t);
	struct b64_part *first = xcalloc(nblocks, sizeof(*first)), rest;
	for (size_t k = 0, off = 0; k < nblocks; k++, off += BLOCK_RAW) {
		size_t len = gz->len - off < BLOCK_RAW ? gz->len - off : BLOCK_RAW;
		size_t h = len / 6 * 3; /* a multiple of 3: the halves encode independently */
		buf_adds(out, open_tag);
		first[k] = (struct b64_part){&t, out->data + out->len, (const unsigned char *)gz->data + off, h};
		out->len += (len + 2) / 3 * 4;
		buf_adds(out, close_tag);
	}
	pthread_t th;
	struct b64_all all = {first, nblocks};
	bool threaded = start_thread(&th, b64_run_all, &all);
	for (size_t k = 0, off = 0; k < nblocks; k++, off += BLOCK_RAW) {
		size_t len = gz->len - off < BLOCK_RAW ? gz->len - off : BLOCK_RAW;
		rest = (struct b64_part){&t, first[k].o + first[k].n / 3 * 4, first[k].p + first[k].n,
					 len - first[k].n};
		b64_run(&rest);
		if (!threaded)
			b64_run(&first[k]);
	}
	if (threaded)
		pthread_join(th, NULL);
	free(first);
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
	col_init(&R->tx_i, 4); col_init(&R->tx_v, 8); col_init(&R->err_i, 4); col_init(&R->err_v, 4);
	col_init(&R->dux_i, 4); col_init(&R->dux_v, 8); col_init(&R->byx_i, 4); col_init(&R->byx_v, 8);
	col_init(&R->x_i, 4); col_init(&R->x_v, 4);
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
	R->nev = n;
	stab_reserve(&R->st, n);
	R->dt = xreallocarray(NULL, n + 1, sizeof(*R->dt));
	R->th = xreallocarray(NULL, n + 1, sizeof(*R->th));
	R->dur = xreallocarray(NULL, n + 1, sizeof(*R->dur));
	R->bytes = xreallocarray(NULL, n + 1, sizeof(*R->bytes));
	R->str = xreallocarray(NULL, n + 1, sizeof(*R->str));
	R->path = xreallocarray(NULL, n + 1, sizeof(*R->path));
	R->type = xreallocarray(NULL, n + 1, sizeof(*R->type));
	R->cat = xcalloc(n + 8, 1);
	R->flags = xcalloc(n + 8, 1);

	/* the columns go out to the compressing threads block by block */
	struct packer pk;
	memset(&pk, 0, sizeof(pk));
	zpool_start(&pk.zp);
	pack_section(&pk, S_DT, "dt", n, 4, false);
	pack_section(&pk, S_CAT, "cat", n, 1, false);
	pack_section(&pk, S_FLAGS, "flags", n, 1, false);
	pack_section(&pk, S_DUR, "dur", n, 4, false);
	pack_section(&pk, S_BYTES, "bytes", n, 4, false);
	pack_section(&pk, S_STR, "str", n, 4, false);
	pack_section(&pk, S_PATH, "path", n, 4, false);
	uint64_t prev_t = 0;
	for (size_t a = 0; a < n; a += ZROWS) {
		size_t b = n - a < ZROWS ? n : a + ZROWS;
		for (size_t i = a; i < b; i++) {
			add_numbers(R, evs[i], (uint32_t)i, &prev_t);
			add_event(R, evs[i], (uint32_t)i);
		}
		if (a == 0) {
			/* narrow thread and type indexes if the first block's fit; checked at the end */
			pack_section(&pk, S_TH, "th", n, u32_width(R->nthr), false);
			pack_section(&pk, S_TYPE, "type", n, u32_width(R->ntypes), false);
		}
		pack_rows(&pk, S_DT, R->dt, 4, a, b);
		pack_rows(&pk, S_TH, R->th, 4, a, b);
		pack_rows(&pk, S_TYPE, R->type, 2, a, b);
		pack_rows(&pk, S_CAT, R->cat, 1, a, b);
		pack_rows(&pk, S_FLAGS, R->flags, 1, a, b);
		pack_rows(&pk, S_DUR, R->dur, 4, a, b);
		pack_rows(&pk, S_BYTES, R->bytes, 4, a, b);
		pack_rows(&pk, S_STR, R->str, 4, a, b);
		pack_rows(&pk, S_PATH, R->path, 4, a, b);
		pack_text(&pk, &R->st.text, false);
	}
	free(evs);
	if (pk.s[S_TH].width < u32_width(R->nthr) || !n) {
		zpool_kill(&pk.zp, S_TH);
		pack_section(&pk, S_TH, "th", n, u32_width(R->nthr), false);
		pack_rows(&pk, S_TH, R->th, 4, 0, n);
	}
	if (pk.s[S_TYPE].width < u32_width(R->ntypes) || !n) {
		zpool_kill(&pk.zp, S_TYPE);
		pack_section(&pk, S_TYPE, "type", n, u32_width(R->ntypes), false);
		pack_rows(&pk, S_TYPE, R->type, 2, 0, n);
	}
	pack_col(&pk, S_TX_I, "tx_i", &R->tx_i);
	pack_col(&pk, S_TX_V, "tx_v", &R->tx_v);
	pack_col(&pk, S_ERR_I, "err_i", &R->err_i);
	pack_col(&pk, S_ERR_V, "err_v", &R->err_v);
	pack_col(&pk, S_DUX_I, "dux_i", &R->dux_i);
	pack_col(&pk, S_DUX_V, "dux_v", &R->dux_v);
	pack_col(&pk, S_BYX_I, "byx_i", &R->byx_i);
	pack_col(&pk, S_BYX_V, "byx_v", &R->byx_v);
	pack_col(&pk, S_X_I, "x_i", &R->x_i);
	pack_col(&pk, S_X_V, "x_v", &R->x_v);
	pack_col(&pk, S_S_ID, "s_id", &R->s_id);
	pack_col(&pk, S_S_T, "s_t", &R->s_t);
	pack_col(&pk, S_S_V, "s_v", &R->s_v);
	pack_section(&pk, S_STRINGS, "strings", R->st.text.len, 1, false);
	pack_text(&pk, &R->st.text, true);
	/* an empty final block ends the deflate stream */
	struct zjob fin = {.key = UINT64_MAX, .strategy = Z_DEFAULT_STRATEGY, .last = true};
	zpool_add(&pk.zp, &fin);

	/* while the workers compress */
	struct buf layout = {0}, meta = {0}, safe = {0};
	size_t raw_len = pack_layout(&pk, &layout);
	build_meta(R, &meta, warnings, layout.data, raw_len, n, sorted);
	html_safe_json(&safe, meta.data, meta.len);
	buf_free(&meta);
	buf_free(&layout);

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

	struct buf gz = {0};
	if (zpool_finish(&pk.zp, &gz) < 0)
		die(1, "report: compressing the trace failed");

	const char *tpl = (const char *)report_tpl;
	const char *end = tpl + report_tpl_len;
	buf_reserve(out, report_tpl_len + gz.len / 3 * 4 + gz.len / BLOCK_RAW * 128 + safe.len + report_js_len +
			 report_css_len + title.len + 1024);
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
			put_data(out, &gz);
		else
			buf_add(out, at, nl + 4);
		tpl = close + 2;
	}
	buf_free(&gz);
	buf_free(&title);
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
	/* the one limit (event indexes are 32-bit), said rather than wrapped */
	if (r->log && evlog_count(r->log) >= UINT32_MAX) {
		report_err(path, "more events than a report holds (4294967294): select fewer with -e,"
				 " or keep the --json log", 0);
		free(target);
		return -EFBIG;
	}

	struct buf html = {0};
	render(r, warnings, &html);

	struct atomicfile af;
	int rc = open_temp(target, mode, &af);
	if (rc < 0) {
		report_err(path, "cannot create the temporary file next to it", -rc);
		goto out;
	}
	if ((rc = write_all(atomicfile_fd(&af), html.data, html.len)) < 0) {
		report_err(path, "writing the report failed", -rc);
		atomicfile_abort(&af);
		goto out;
	}
	if ((rc = atomicfile_commit(&af, target, false)) < 0) {
		report_err(path, "could not put the report in place", -rc);
		goto out;
	}
	if (opt.no_redact)
		warnmsg("--no-redact: the report %s keeps secrets (tokens, passwords) as traced", path);
	else
		warnmsg("the report %s may still contain secrets: redaction is a heuristic;"
			" review it before sharing", path);
out:
	free(target);
	buf_free(&html);
	return rc;
}
