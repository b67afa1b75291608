/* SPDX-License-Identifier: MIT */
/* live: the human-readable narrative while tracing (stderr or -o FILE). */
#include "sinks/live.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/fmt.h"
#include "lib/json.h"
#include "sinks/jsonl.h"
#include "options.h"
#include "lib/termesc.h"
#include "lib/xlat.h"

#define LIVE_FLUSH_AT (64u << 10)
#define LIVE_FLUSH_NS (200 * 1000000ull)
#define LIVE_MAX_CRASHES 8   /* crashes told in full at the end; the rest are counted */
#define LIVE_CRASH_FRAMES 16 /* stack frames of a crash told at the end */
#define LIVE_INDENT "          " /* -k frames under their event, past "[+0.000s] " */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"
#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_CYAN "\033[36m"

/* A read/write/send/recv line being coalesced with the ones that follow it. */
struct pending {
	bool on;
	uint16_t type;
	int pid, tid;
	int64_t fd;
	uint32_t what;   /* string id of path / desc / peer (0 = none) */
	uint64_t t;      /* time of the first one */
	uint64_t count, bytes;
};

struct live {
	struct live *next_retired;
	struct run *r;
	int fd;
	bool tty, color, done;
	uint64_t t_flushed; /* log time of the last flush */
	int err;
	struct buf out;
	struct pending pend;
	/* distinct pids seen (open addressing, 0 = empty) */
	int *pids;
	size_t pcap, npids;
	bool threads_seen;
	/* crash events, told in full at the end of the narrative (records live as long as the log) */
	const struct ev *crashes[LIVE_MAX_CRASHES];
	size_t ncrashes;
};

/* ---- field access ---- */

static const struct ev_field *fld(const struct ev *e, unsigned key)
{
	return ev_find(e, key);
}

static bool fnum(const struct ev *e, unsigned key, int64_t *v)
{
	const struct ev_field *f = fld(e, key);
	if (!f || f->kind == EVF_STR || f->kind == EVF_STRV || f->kind == EVF_JSON ||
	    f->kind == EVF_DOUBLE)
		return false;
	*v = evf_i64(f);
	return true;
}

static const char *fstr(const struct evlog *log, const struct ev *e, unsigned key, size_t *len)
{
	const struct ev_field *f = fld(e, key);
	if (!f || f->kind != EVF_STR)
		return NULL;
	return evlog_str(log, (uint32_t)evf_u64(f), len);
}

static bool fbool(const struct ev *e, unsigned key)
{
	int64_t v;
	return fnum(e, key, &v) && v;
}

/* ---- output ---- */

static void flush_out(struct live *l)
{
	if (l->out.len && !l->err) {
		int rc = write_all(l->fd, l->out.data, l->out.len);
		if (rc < 0)
			l->err = rc; /* the narrative is best effort; the summary reports nothing more */
	}
	buf_reset(&l->out);
}

static void color(struct live *l, const char *c)
{
	if (l->color)
		buf_adds(&l->out, c);
}

static void add_str(struct live *l, const char *s, size_t n)
{
	termesc(&l->out, s, n);
}

static void add_field_str(struct live *l, const struct evlog *log, const struct ev *e, unsigned key)
{
	size_t n;
	const char *s = fstr(log, e, key, &n);
	if (s)
		add_str(l, s, n);
	else
		buf_adds(&l->out, "?");
}

static bool pid_seen(struct live *l, int pid)
{
	if (pid <= 0)
		return true;
	if (l->npids * 2 >= l->pcap) {
		size_t ncap = l->pcap ? l->pcap * 2 : 64;
		int *n = xcalloc(ncap, sizeof(*n));
		for (size_t i = 0; i < l->pcap; i++) {
			if (!l->pids[i])
				continue;
			size_t j = (size_t)l->pids[i] * 2654435761u % ncap;
			while (n[j])
				j = (j + 1) % ncap;
			n[j] = l->pids[i];
		}
		free(l->pids);
		l->pids = n;
		l->pcap = ncap;
	}
	size_t j = (size_t)pid * 2654435761u % l->pcap;
	while (l->pids[j]) {
		if (l->pids[j] == pid)
			return true;
		j = (j + 1) % l->pcap;
	}
	l->pids[j] = pid;
	l->npids++;
	return false;
}

/* "[+0.002s] " and, once there is more than one process or thread, "pid " / "pid/tid ". */
static void prefix(struct live *l, uint64_t t, int pid, int tid)
{
	color(l, C_DIM);
	buf_add(&l->out, "[+", 2);
	json_secs_ns(&l->out, t, 3);
	buf_add(&l->out, "s] ", 3);
	if (l->npids > 1 || l->threads_seen) {
		char col[32];
		if (tid && tid != pid)
			snprintf(col, sizeof(col), "%d/%d", pid, tid);
		else
			snprintf(col, sizeof(col), "%d", pid);
		buf_printf(&l->out, "%-7s ", col);
	}
	color(l, C_RESET);
}

static void end_line(struct live *l, uint64_t t)
{
	buf_addc(&l->out, '\n');
	/* a tty sees every line at once; a file at least every LIVE_FLUSH_NS of log time */
	if (l->tty || l->out.len >= LIVE_FLUSH_AT || t - l->t_flushed >= LIVE_FLUSH_NS ||
	    t < l->t_flushed) {
		flush_out(l);
		l->t_flushed = t;
	}
}

static void add_err(struct live *l, const struct evlog *log, const struct ev *e)
{
	const struct ev_field *f = fld(e, EVK_ERR);
	if (!f)
		return;
	buf_addc(&l->out, ' ');
	color(l, C_RED);
	if (f->kind == EVF_ERRNO) {
		char tmp[XLAT_LABEL_MAX];
		buf_adds(&l->out, xlat_errno_label((int)evf_i64(f), tmp));
	} else if (f->kind == EVF_STR) {
		size_t len;
		const char *s = evlog_str(log, (uint32_t)evf_u64(f), &len);
		add_str(l, s ? s : "?", s ? len : 1);
	}
	color(l, C_RESET);
}

static void add_sig(struct live *l, const struct evlog *log, const struct ev *e, unsigned key)
{
	const struct ev_field *f = fld(e, key);
	if (f && f->kind == EVF_SIG) {
		char tmp[XLAT_LABEL_MAX];
		buf_adds(&l->out, xlat_signal_label((int)evf_i64(f), tmp));
	} else if (f && f->kind == EVF_STR) {
		add_field_str(l, log, e, key);
	} else if (f) {
		buf_printf(&l->out, "SIG%lld", (long long)evf_i64(f));
	}
}

static void size_col(struct live *l, uint64_t bytes)
{
	struct buf s = {0};
	fmt_size(&s, bytes);
	buf_printf(&l->out, " %8s", s.data);
	buf_free(&s);
}

/* ---- coalescing of read/write/send/recv ---- */

static bool is_rw(unsigned type)
{
	return type == EVT_READ || type == EVT_WRITE || type == EVT_SEND || type == EVT_RECV;
}

static uint32_t rw_what(const struct ev *e)
{
	const struct ev_field *f = fld(e, EVK_PATH);
	if (!f || f->kind != EVF_STR)
		f = fld(e, EVK_PEER);
	if (!f || f->kind != EVF_STR)
		f = fld(e, EVK_DESC);
	return f && f->kind == EVF_STR ? (uint32_t)evf_u64(f) : 0;
}

/* "read /etc/hostname 3x 12.0 KB", "send      517 B → 1.2.3.4:443" */
static void rw_text(struct live *l, const struct evlog *log, const struct pending *p)
{
	buf_adds(&l->out, ev_type_name(p->type));
	size_t n;
	const char *what = evlog_str(log, p->what, &n);
	if (p->type == EVT_READ || p->type == EVT_WRITE) {
		buf_addc(&l->out, ' ');
		if (what)
			add_str(l, what, n);
		else
			buf_printf(&l->out, "fd %lld", (long long)p->fd);
		if (p->count > 1)
			buf_printf(&l->out, " %llu\u00d7", (unsigned long long)p->count);
		buf_addc(&l->out, ' ');
		fmt_size(&l->out, p->bytes);
	} else {
		if (p->count > 1)
			buf_printf(&l->out, " %llu\u00d7", (unsigned long long)p->count);
		size_col(l, p->bytes);
		buf_adds(&l->out, p->type == EVT_SEND ? " \u2192 " : " \u2190 ");
		if (what)
			add_str(l, what, n);
		else
			buf_printf(&l->out, "fd %lld", (long long)p->fd);
	}
}

static void flush_pending(struct live *l, const struct evlog *log)
{
	struct pending *p = &l->pend;
	if (!p->on)
		return;
	p->on = false;
	prefix(l, p->t, p->pid, p->tid);
	rw_text(l, log, p);
	end_line(l, p->t);
}

/* True if e was absorbed into the pending line. */
static bool coalesce(struct live *l, const struct ev *e)
{
	if (!is_rw(e->type) || fld(e, EVK_ERR))
		return false;
	int64_t fd = -1, bytes = 0;
	fnum(e, EVK_FD, &fd);
	fnum(e, EVK_BYTES, &bytes);
	if (bytes < 0)
		bytes = 0;
	uint32_t what = rw_what(e);
	struct pending *p = &l->pend;
	if (p->on && p->type == e->type && p->tid == e->tid && p->fd == fd && p->what == what) {
		p->count++;
		p->bytes += (uint64_t)bytes;
		return true;
	}
	return false;
}

static void start_pending(struct live *l, const struct ev *e)
{
	int64_t fd = -1, bytes = 0;
	fnum(e, EVK_FD, &fd);
	fnum(e, EVK_BYTES, &bytes);
	l->pend = (struct pending){.on = true, .type = e->type, .pid = e->pid, .tid = e->tid,
				   .fd = fd, .what = rw_what(e), .t = e->t, .count = 1,
				   .bytes = bytes > 0 ? (uint64_t)bytes : 0};
}

/* ---- one line per event ---- */

static void base_name(struct live *l, const char *s, size_t n)
{
	const char *slash = memrchr(s, '/', n);
	if (slash && (size_t)(slash - s) + 1 < n) {
		n -= (size_t)(slash + 1 - s);
		s = slash + 1;
	}
	add_str(l, s, n);
}

static void line_exec(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *path = fstr(log, e, EVK_PATH, &n);
	const struct ev_field *av = fld(e, EVK_ARGV);
	uint32_t argc = 0;
	const uint32_t *ids = av && av->kind == EVF_STRV ?
		evlog_strv_get(log, (uint32_t)evf_u64(av), &argc) : NULL;
	if (fld(e, EVK_ERR)) {
		buf_adds(&l->out, "exec ");
		if (path)
			add_str(l, path, n);
		add_err(l, log, e);
		return;
	}
	color(l, C_BOLD);
	buf_adds(&l->out, "\u2500\u2500\u2500 ");
	if (path)
		base_name(l, path, n);
	else
		buf_adds(&l->out, "?");
	buf_adds(&l->out, " exec \u2500\u2500\u2500");
	color(l, C_RESET);
	if (path) {
		buf_addc(&l->out, ' ');
		add_str(l, path, n);
	}
	/* an argv[0] whose base name is not the program's is worth seeing (exec -a) */
	size_t a0n;
	const char *a0 = argc ? evlog_str(log, ids[0], &a0n) : NULL;
	if (a0 && path) {
		const char *slash = memrchr(path, '/', n);
		const char *base = slash ? slash + 1 : path;
		size_t bn = n - (size_t)(base - path);
		const char *a0slash = memrchr(a0, '/', a0n);
		const char *a0base = a0slash ? a0slash + 1 : a0;
		size_t a0bn = a0n - (size_t)(a0base - a0);
		if (!(a0bn == bn && !memcmp(a0base, base, bn))) {
			buf_adds(&l->out, " (as ");
			termesc_trunc(&l->out, a0, a0n, opt.strsize > 0 ? (size_t)opt.strsize : 0);
			buf_addc(&l->out, ')');
		}
	}
	for (uint32_t i = 1; i < argc; i++) {
		size_t an;
		const char *a = evlog_str(log, ids[i], &an);
		buf_addc(&l->out, ' ');
		if (a)
			termesc_trunc(&l->out, a, an, opt.strsize > 0 ? (size_t)opt.strsize : 0);
	}
}

static void line_exit(struct live *l, const struct evlog *log, const struct ev *e)
{
	color(l, C_CYAN);
	buf_adds(&l->out, fbool(e, EVK_THREAD) ? "thread exit" : "exit");
	int64_t code;
	if (fld(e, EVK_SIGNAL)) {
		buf_addc(&l->out, ' ');
		add_sig(l, log, e, EVK_SIGNAL);
		if (fbool(e, EVK_CORE))
			buf_adds(&l->out, " (core dumped)");
	} else if (fnum(e, EVK_CODE, &code)) {
		buf_printf(&l->out, " %lld", (long long)code);
	}
	color(l, C_RESET);
}

static void line_spawn(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t child = 0;
	fnum(e, EVK_CHILD, &child);
	color(l, C_CYAN);
	buf_printf(&l->out, "spawn %s %lld", fbool(e, EVK_THREAD) ? "thread" : "process",
		   (long long)child);
	color(l, C_RESET);
	if (fld(e, EVK_VIA)) {
		buf_adds(&l->out, " (");
		add_field_str(l, log, e, EVK_VIA);
		buf_addc(&l->out, ')');
	}
	add_err(l, log, e);
}

static void line_open(struct live *l, const struct evlog *log, const struct ev *e)
{
	buf_adds(&l->out, "open ");
	add_field_str(l, log, e, EVK_PATH);
	size_t n;
	const char *acc = fstr(log, e, EVK_ACCESS, &n);
	const char *flags = fstr(log, e, EVK_FLAGS, NULL);
	bool creat = flags && strstr(flags, "O_CREAT");
	if (!acc && flags)
		acc = strstr(flags, "O_RDWR") ? "rw" : strstr(flags, "O_WRONLY") ? "w" : "r";
	if (acc) {
		const char *word = !strcmp(acc, "r") ? "read" : !strcmp(acc, "w") ? "write" :
				   !strcmp(acc, "rw") ? "read/write" : NULL;
		buf_adds(&l->out, " (");
		if (word)
			buf_adds(&l->out, word);
		else
			add_str(l, acc, strlen(acc));
		if (creat)
			buf_adds(&l->out, ", create");
		buf_addc(&l->out, ')');
	}
	add_err(l, log, e);
}

/* "tcp4 → 1.2.3.4:443", "unix → /run/x.sock" */
static void add_sockaddr(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *s;
	int64_t port;
	if ((s = fstr(log, e, EVK_PATH, &n))) {
		add_str(l, s, n);
	} else if ((s = fstr(log, e, EVK_ADDR, &n))) {
		bool v6 = memchr(s, ':', n) != NULL;
		if (v6)
			buf_addc(&l->out, '[');
		add_str(l, s, n);
		if (v6)
			buf_addc(&l->out, ']');
		if (fnum(e, EVK_PORT, &port))
			buf_printf(&l->out, ":%lld", (long long)port);
	} else if ((s = fstr(log, e, EVK_PEER, &n))) {
		add_str(l, s, n);
	} else {
		int64_t fd;
		if (fnum(e, EVK_FD, &fd))
			buf_printf(&l->out, "fd %lld", (long long)fd);
		else
			buf_adds(&l->out, "?");
	}
}

static void line_net(struct live *l, const struct evlog *log, const struct ev *e)
{
	buf_adds(&l->out, ev_type_name(e->type));
	size_t n;
	const char *fam = fstr(log, e, EVK_FAMILY, &n);
	if (fam) {
		buf_addc(&l->out, ' ');
		add_str(l, fam, n);
	}
	const char *arrow = e->type == EVT_CONNECT ? " \u2192 " : e->type == EVT_ACCEPT ? " \u2190 " : " ";
	buf_adds(&l->out, arrow);
	add_sockaddr(l, log, e);
	add_err(l, log, e);
}

/*
 * The kernel maps, unmaps and protects whole pages: a length is shown
 * rounded up to the page, as /proc/PID/maps would show the range (the JSON
 * keeps the length the program passed).
 */
static uint64_t page_len(uint64_t len)
{
	const uint64_t page = 4096; /* x86_64 */
	return len > UINT64_MAX - (page - 1) ? len : (len + page - 1) & ~(page - 1);
}

static void add_range(struct live *l, uint64_t addr, uint64_t len)
{
	uint64_t end = addr + page_len(len);
	buf_printf(&l->out, "%llx-%llx", (unsigned long long)addr,
		   (unsigned long long)(end < addr ? UINT64_MAX : end));
}

static void line_mem(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t addr = 0, len = 0, v;
	size_t n;
	const char *s;
	fnum(e, EVK_ADDR, &addr);
	fnum(e, EVK_LEN, &len);
	buf_adds(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, ' ');
	switch (e->type) {
	case EVT_MMAP:
	case EVT_MPROTECT:
		if (fld(e, EVK_ERR) && !fld(e, EVK_ADDR)) {
			size_col(l, (uint64_t)len);
		} else {
			add_range(l, (uint64_t)addr, (uint64_t)len);
			if ((s = fstr(log, e, EVK_PROT, &n))) {
				buf_addc(&l->out, ' ');
				add_str(l, s, n);
			}
			if (e->type == EVT_MMAP)
				size_col(l, page_len((uint64_t)len));
		}
		if (e->type == EVT_MMAP && !fld(e, EVK_ERR)) {
			buf_addc(&l->out, ' ');
			if ((s = fstr(log, e, EVK_PATH, &n)))
				add_str(l, s, n);
			else
				buf_adds(&l->out, "anon");
		}
		break;
	case EVT_MUNMAP:
		add_range(l, (uint64_t)addr, (uint64_t)len);
		size_col(l, page_len((uint64_t)len));
		break;
	case EVT_MREMAP: {
		int64_t oa = 0, ol = 0;
		fnum(e, EVK_OLD_ADDR, &oa);
		fnum(e, EVK_OLD_LEN, &ol);
		add_range(l, (uint64_t)oa, (uint64_t)ol);
		buf_adds(&l->out, " \u2192 ");
		add_range(l, (uint64_t)addr, (uint64_t)len);
		size_col(l, page_len((uint64_t)len));
		break;
	}
	case EVT_BRK:
		if (fnum(e, EVK_GROWTH, &v)) {
			buf_addc(&l->out, v < 0 ? '-' : '+');
			fmt_size(&l->out, (uint64_t)(v < 0 ? -v : v));
		}
		if (fnum(e, EVK_BRK, &v))
			buf_printf(&l->out, " (%llx)", (unsigned long long)v);
		break;
	}
	add_err(l, log, e);
}

static void line_fs(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t v, w;
	buf_adds(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, ' ');
	if (fld(e, EVK_PATH) || !fld(e, EVK_FD))
		add_field_str(l, log, e, EVK_PATH);
	else if (fnum(e, EVK_FD, &v))
		buf_printf(&l->out, "fd %lld", (long long)v);
	switch (e->type) {
	case EVT_RENAME:
	case EVT_LINK:
		buf_adds(&l->out, " \u2192 ");
		add_field_str(l, log, e, EVK_NEW_PATH);
		break;
	case EVT_SYMLINK:
		buf_adds(&l->out, " \u2192 ");
		add_field_str(l, log, e, EVK_TARGET);
		break;
	case EVT_CHMOD:
	case EVT_MKDIR:
		if (fnum(e, EVK_MODE, &v))
			buf_printf(&l->out, " %04llo", (unsigned long long)v);
		else if (fld(e, EVK_MODE)) {
			buf_addc(&l->out, ' ');
			add_field_str(l, log, e, EVK_MODE);
		}
		break;
	case EVT_CHOWN:
		if (fnum(e, EVK_UID, &v) && fnum(e, EVK_GID, &w))
			buf_printf(&l->out, " %lld:%lld", (long long)v, (long long)w);
		break;
	case EVT_TRUNCATE:
		if (fnum(e, EVK_SIZE, &v)) {
			buf_addc(&l->out, ' ');
			fmt_size(&l->out, (uint64_t)(v < 0 ? 0 : v));
		}
		break;
	}
	add_err(l, log, e);
}

static void line_syscall(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *args = fstr(log, e, EVK_ARGS, &n);
	const char *name = fstr(log, e, EVK_NAME, NULL);
	if (args)
		termesc_text(&l->out, args, n);
	else
		buf_printf(&l->out, "%s()", name ? name : "?");
	int64_t ret;
	buf_adds(&l->out, " = ");
	const struct ev_field *ef = fld(e, EVK_ERR);
	const char *rt = fstr(log, e, EVK_RET_TEXT, &n);
	if (rt && n) {
		/* strace's rendering made by the decoder: "3</etc/passwd>", "-1 ENOENT (...)" */
		if (ef) {
			color(l, C_RED);
			termesc_text(&l->out, rt, n);
			color(l, C_RESET);
		} else {
			termesc_text(&l->out, rt, n);
		}
	} else if (ef && ef->kind == EVF_ERRNO && evf_i64(ef) >= 512 && evf_i64(ef) <= 516) {
		/* a restart code is not a failure: strace shows "= ? ERESTARTSYS" */
		buf_addc(&l->out, '?');
		add_err(l, log, e);
	} else if (ef) {
		buf_adds(&l->out, "-1");
		add_err(l, log, e);
	} else if (fnum(e, EVK_RET, &ret)) {
		if (ret > 0xffffff || ret < -4095)
			buf_printf(&l->out, "%#llx", (unsigned long long)ret);
		else
			buf_printf(&l->out, "%lld", (long long)ret);
	} else {
		buf_addc(&l->out, '?');
	}
	const struct ev_field *d = fld(e, EVK_DUR);
	if (d && d->kind == EVF_DUR)
		buf_printf(&l->out, " <%.6f>", (double)evf_u64(d) / 1e9);
}

static const char *fjson(const struct evlog *log, const struct ev *e, unsigned key)
{
	const struct ev_field *f = fld(e, key);
	return f && f->kind == EVF_JSON ? evlog_str(log, (uint32_t)evf_u64(f), NULL) : NULL;
}

/* -k: the event's stack, one indented line per frame under it. */
static void add_stack(struct live *l, const struct evlog *log, const struct ev *e)
{
	const char *st = fjson(log, e, EVK_STACK);
	if (!st)
		return;
	size_t mark = l->out.len;
	buf_addc(&l->out, '\n');
	color(l, C_DIM);
	size_t before = l->out.len;
	fmt_stack(&l->out, st, LIVE_INDENT, 0, true);
	if (l->out.len == before) { /* an empty or unreadable stack: nothing to show */
		l->out.len = mark;
		l->out.data[mark] = 0;
		return;
	}
	l->out.len--; /* end_line ends the last frame's line */
	color(l, C_RESET);
}

/* "SIGSEGV SEGV_MAPERR at 0x10 (not mapped)" */
static void crash_what(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t v;
	add_sig(l, log, e, EVK_SIGNAL);
	if (fld(e, EVK_CODE)) {
		buf_addc(&l->out, ' ');
		add_field_str(l, log, e, EVK_CODE);
	}
	if (fnum(e, EVK_ADDR, &v))
		buf_printf(&l->out, " at %#llx", (unsigned long long)v);
	if (fld(e, EVK_CRASH_REGION)) {
		buf_adds(&l->out, " (");
		add_field_str(l, log, e, EVK_CRASH_REGION);
		buf_addc(&l->out, ')');
	}
	if (fnum(e, EVK_SENDER, &v))
		buf_printf(&l->out, " from %lld", (long long)v);
}

static void line_crash(struct live *l, const struct evlog *log, const struct ev *e)
{
	color(l, C_RED);
	buf_adds(&l->out, "crash ");
	crash_what(l, log, e);
	color(l, C_RESET);
	if (l->ncrashes < LIVE_MAX_CRASHES)
		l->crashes[l->ncrashes] = e;
	l->ncrashes++;
}

static void crash_regs(struct live *l, const char *json)
{
	static const char *const names[] = {"rip", "rsp", "rbp"};
	cJSON *j = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	bool any = false;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, names[i]);
		if (!cJSON_IsString(v))
			continue;
		buf_adds(&l->out, any ? "  " : LIVE_INDENT);
		buf_printf(&l->out, "%s ", names[i]);
		termesc_cstr(&l->out, v->valuestring);
		any = true;
	}
	if (any)
		buf_addc(&l->out, '\n');
	cJSON_Delete(j);
}

/*
 * The crashes again, in full, where a reader looks last: what, where
 * (registers, the instructions around RIP with the faulting one marked),
 * and the stack.
 */
static void crash_blocks(struct live *l, const struct evlog *log)
{
	for (size_t i = 0; i < l->ncrashes && i < LIVE_MAX_CRASHES; i++) {
		const struct ev *e = l->crashes[i];
		const char *js;
		size_t n;
		prefix(l, e->t, e->pid, e->tid);
		color(l, C_RED);
		color(l, C_BOLD);
		buf_printf(&l->out, "━━━ CRASH of %d", e->pid);
		if (e->tid && e->tid != e->pid)
			buf_printf(&l->out, "/%d", e->tid);
		buf_adds(&l->out, ": ");
		crash_what(l, log, e);
		buf_adds(&l->out, " ━━━");
		color(l, C_RESET);
		buf_addc(&l->out, '\n');
		crash_regs(l, fjson(log, e, EVK_REGS));
		if ((js = fjson(log, e, EVK_DISASM)) && strcmp(js, "[]")) {
			buf_adds(&l->out, LIVE_INDENT "code:\n");
			fmt_disasm(&l->out, js, LIVE_INDENT "  ");
		}
		const char *msg = fstr(log, e, EVK_MSG, &n);
		if (msg) {
			buf_adds(&l->out, LIVE_INDENT "(");
			add_str(l, msg, n);
			buf_adds(&l->out, ")\n");
		}
		if ((js = fjson(log, e, EVK_STACK)) && strcmp(js, "[]")) {
			buf_adds(&l->out, LIVE_INDENT "stack:\n");
			fmt_stack(&l->out, js, LIVE_INDENT "  ", LIVE_CRASH_FRAMES, true);
		}
	}
	if (l->ncrashes > LIVE_MAX_CRASHES)
		buf_printf(&l->out, "... and %zu more crashes (see --json)\n", l->ncrashes - LIVE_MAX_CRASHES);
}

/* A failed close or socket (the narrative shows no others): "close fd 7 EBADF", "socket tcp6 EAFNOSUPPORT". */
static void line_desc(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t fd;
	size_t n;
	const char *s;
	buf_adds(&l->out, ev_type_name(e->type));
	if ((s = fstr(log, e, EVK_FAMILY, &n))) {
		buf_addc(&l->out, ' ');
		add_str(l, s, n);
	}
	if (fnum(e, EVK_FD, &fd))
		buf_printf(&l->out, " fd %lld", (long long)fd);
	if ((s = fstr(log, e, EVK_PATH, &n)) || (s = fstr(log, e, EVK_DESC, &n))) {
		buf_adds(&l->out, " (");
		add_str(l, s, n);
		buf_addc(&l->out, ')');
	}
	add_err(l, log, e);
}

/* Anything else: "type key=value ..." with values as in JSON, escaped for the terminal. */
static void line_generic(struct live *l, const struct evlog *log, const struct ev *e)
{
	termesc_cstr(&l->out, ev_type_name(e->type));
	const struct ev_field *f = ev_fields(e);
	struct buf v = {0};
	for (unsigned i = 0; i < e->nf; i++) {
		if (f[i].key == EVK_DUR || f[i].kind == EVF_STRV || f[i].kind == EVF_JSON)
			continue;
		buf_reset(&v);
		if (f[i].kind == EVF_STR) {
			size_t n;
			const char *s = evlog_str(log, (uint32_t)evf_u64(&f[i]), &n);
			if (s)
				termesc_trunc(&v, s, n, 256);
			else
				buf_adds(&v, "null");
		} else {
			struct buf j = {0};
			jsonl_encode_value(&j, log, &f[i]);
			if (j.len >= 2 && j.data[0] == '"')
				termesc(&v, j.data + 1, j.len - 2);
			else if (j.data)
				termesc(&v, j.data, j.len);
			buf_free(&j);
		}
		buf_addc(&l->out, ' ');
		termesc_cstr(&l->out, ev_key_name(f[i].key));
		buf_addc(&l->out, '=');
		buf_add(&l->out, v.data ? v.data : "", v.len);
	}
	buf_free(&v);
}

/* Whether the event is narrated at all (before coalescing). */
static bool shown(const struct live *l, const struct ev *e)
{
	if ((e->flags & EVFL_NOISE) && !opt.no_filter)
		return false;
	switch (e->type) {
	case EVT_SYSCALL:
		return opt.verbose;
	case EVT_CLOSE:
	case EVT_SOCKET:
		return !opt.verbose && fld(e, EVK_ERR);
	case EVT_MPROTECT:
		/* the dynamic loader's relro dance; --no-filter shows it */
		return !opt.verbose && (opt.no_filter || fld(e, EVK_ERR));
	case EVT_BRK: {
		/* brk(NULL) and no-op calls move nothing */
		int64_t g;
		return !opt.verbose && (fld(e, EVK_ERR) || !fnum(e, EVK_GROWTH, &g) || g != 0);
	}
	case EVT_FAULT:
	case EVT_COUNTER:
	case EVT_SAMPLE:
	case EVT_SYSSTAT:
	case EVT_PROCEXIT:
	case EVT_THREADSTATE:
		return false;
	default:
		/* -v shows the syscalls themselves: their semantic events would repeat them. */
		if (opt.verbose && e->type >= EVT_OPEN && e->type <= EVT_CHDIR)
			return false;
		(void)l;
		return true;
	}
}

static void live_event(void *ctx, const struct evlog *log, const struct ev *e)
{
	struct live *l = ctx;
	if (l->done || opt.quiet || !shown(l, e))
		return;
	pid_seen(l, e->pid);
	if (e->tid && e->tid != e->pid)
		l->threads_seen = true;
	if (e->type == EVT_SPAWN && fbool(e, EVK_THREAD))
		l->threads_seen = true;
	/* an event with a -k stack stands alone: the stack is its own */
	bool stack = fld(e, EVK_STACK) != NULL;
	if (!stack && coalesce(l, e))
		return;
	flush_pending(l, log);
	if (is_rw(e->type) && !fld(e, EVK_ERR) && !stack) {
		start_pending(l, e);
		return;
	}
	prefix(l, e->t, e->pid, e->tid);
	switch (e->type) {
	case EVT_EXEC: line_exec(l, log, e); break;
	case EVT_EXIT: line_exit(l, log, e); break;
	case EVT_SPAWN: line_spawn(l, log, e); break;
	case EVT_SIGNAL: {
		color(l, C_YELLOW);
		buf_adds(&l->out, "signal ");
		add_sig(l, log, e, EVK_SIGNAL);
		color(l, C_RESET);
		int64_t from;
		if (fnum(e, EVK_SENDER, &from))
			buf_printf(&l->out, " from %lld", (long long)from);
		break;
	}
	case EVT_STOP:
		color(l, C_YELLOW);
		buf_adds(&l->out, "stopped");
		color(l, C_RESET);
		if (fld(e, EVK_SIGNAL)) {
			buf_addc(&l->out, ' ');
			add_sig(l, log, e, EVK_SIGNAL);
		}
		break;
	case EVT_ATTACH: {
		color(l, C_BOLD);
		buf_adds(&l->out, "\u2500\u2500\u2500 attached");
		color(l, C_RESET);
		const struct ev_field *av = fld(e, EVK_ARGV);
		uint32_t argc = 0;
		const uint32_t *ids = av && av->kind == EVF_STRV ?
			evlog_strv_get(log, (uint32_t)evf_u64(av), &argc) : NULL;
		for (uint32_t i = 0; i < argc; i++) {
			size_t an;
			const char *a = evlog_str(log, ids[i], &an);
			buf_addc(&l->out, ' ');
			if (a)
				termesc_trunc(&l->out, a, an, opt.strsize > 0 ? (size_t)opt.strsize : 0);
		}
		if (fbool(e, EVK_STOPPED))
			buf_adds(&l->out, " (stopped)");
		break;
	}
	case EVT_DETACH:
		color(l, C_BOLD);
		buf_adds(&l->out, "detached");
		color(l, C_RESET);
		break;
	case EVT_CONT:
		color(l, C_YELLOW);
		buf_adds(&l->out, "continued");
		color(l, C_RESET);
		break;
	case EVT_WARNING:
		color(l, C_RED);
		buf_adds(&l->out, "warning: ");
		color(l, C_RESET);
		add_field_str(l, log, e, EVK_MSG);
		break;
	case EVT_OPEN: line_open(l, log, e); break;
	case EVT_CONNECT:
	case EVT_ACCEPT:
	case EVT_BIND:
	case EVT_LISTEN: line_net(l, log, e); break;
	case EVT_MMAP:
	case EVT_MUNMAP:
	case EVT_MPROTECT:
	case EVT_MREMAP:
	case EVT_BRK: line_mem(l, log, e); break;
	case EVT_UNLINK:
	case EVT_RENAME:
	case EVT_MKDIR:
	case EVT_RMDIR:
	case EVT_SYMLINK:
	case EVT_LINK:
	case EVT_CHMOD:
	case EVT_CHOWN:
	case EVT_TRUNCATE:
	case EVT_UTIMES:
	case EVT_CHDIR: line_fs(l, log, e); break;
	case EVT_SYSCALL: line_syscall(l, log, e); break;
	case EVT_READ:
	case EVT_WRITE:
	case EVT_SEND:
	case EVT_RECV: {
		if (!fld(e, EVK_ERR)) { /* one with a -k stack */
			start_pending(l, e);
			l->pend.on = false;
			rw_text(l, log, &l->pend);
			break;
		}
		/* failed: not coalesced */
		int64_t fd;
		buf_adds(&l->out, ev_type_name(e->type));
		buf_addc(&l->out, ' ');
		size_t n;
		uint32_t what = rw_what(e);
		const char *s = evlog_str(log, what, &n);
		if (s)
			add_str(l, s, n);
		else if (fnum(e, EVK_FD, &fd))
			buf_printf(&l->out, "fd %lld", (long long)fd);
		add_err(l, log, e);
		break;
	}
	case EVT_CRASH: line_crash(l, log, e); break;
	case EVT_CLOSE:
	case EVT_SOCKET: line_desc(l, log, e); break;
	default:
		line_generic(l, log, e);
		break;
	}
	if (e->type != EVT_CRASH) /* a crash's stack comes with it at the end */
		add_stack(l, log, e);
	end_line(l, e->t);
}

struct live *live_new(struct run *r, int fd)
{
	struct live *l = xcalloc(1, sizeof(*l));
	l->r = r;
	l->fd = fd;
	l->tty = isatty(fd);
	l->color = opt.color;
	evlog_subscribe(r->log, live_event, l);
	return l;
}

void live_finish(struct live *l)
{
	if (!l)
		return;
	flush_pending(l, l->r->log);
	if (!l->done)
		crash_blocks(l, l->r->log);
	flush_out(l);
	l->done = true;
	buf_free(&l->out);
	free(l->pids);
	l->pids = NULL;
	l->pcap = l->npids = 0;
	/*
	 * The log has no unsubscribe and keeps l as a subscriber context: keep
	 * the (now silent) narrator reachable instead of freeing it.
	 */
	static struct live *retired;
	l->next_retired = retired;
	retired = l;
}
