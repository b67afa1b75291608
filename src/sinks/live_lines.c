/* SPDX-License-Identifier: MIT */
/* live_lines: the narrative's text of each kind of event, and the crash blocks at the end. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fmt.h"
#include "lib/shquote.h"
#include "lib/termesc.h"
#include "log/evfield.h"
#include "sinks/jsonl.h"
#include "sinks/live_int.h"

static void base_name(struct live *l, const char *s, size_t n)
{
	const char *slash = memrchr(s, '/', n);
	if (slash && (size_t)(slash - s) + 1 < n) {
		n -= (size_t)(slash + 1 - s);
		s = slash + 1;
	}
	live_add_str(l, s, n);
}

/* A command-line argument, shell-quoted, cut at -s bytes. */
static void add_arg(struct live *l, const char *s, size_t n)
{
	shquote(&l->out, s, n, l->strsize > 0 ? (size_t)l->strsize : 0);
}

/* " arg" for each of ids[from..n) (an argument that cannot be read is left empty). */
static void add_args(struct live *l, const struct evlog *log, const uint32_t *ids, uint32_t from,
		     uint32_t n)
{
	for (uint32_t i = from; i < n; i++) {
		size_t an;
		const char *a = evlog_str(log, ids[i], &an);
		buf_addc(&l->out, ' ');
		if (a)
			add_arg(l, a, an);
	}
}

static void line_exec(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *path = evfield_str(log, e, EVK_PATH, &n);
	uint32_t argc = 0;
	const uint32_t *ids = evlog_strv_get(log, evfield_strvid(e, EVK_ARGV), &argc);
	if (ev_find(e, EVK_ERR)) {
		buf_adds(&l->out, "exec ");
		if (path && n)
			live_add_str(l, path, n);
		else
			buf_adds(&l->out, path ? "\"\"" : "NULL"); /* execve(""), execve(NULL) */
		live_add_err(l, log, e);
		return;
	}
	live_color(l, C_BOLD);
	buf_adds(&l->out, "\u2500\u2500\u2500 ");
	if (path)
		base_name(l, path, n);
	else
		buf_adds(&l->out, "?");
	buf_adds(&l->out, " exec \u2500\u2500\u2500");
	live_color(l, C_RESET);
	if (path) {
		buf_addc(&l->out, ' ');
		live_add_str(l, path, n);
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
			add_arg(l, a0, a0n);
			buf_addc(&l->out, ')');
		}
	}
	add_args(l, log, ids, 1, argc);
}

static void line_exit(struct live *l, const struct evlog *log, const struct ev *e)
{
	live_color(l, C_CYAN);
	buf_adds(&l->out, evfield_bool(e, EVK_THREAD) ? "thread exit" : "exit");
	int64_t code;
	if (ev_find(e, EVK_SIGNAL)) {
		buf_addc(&l->out, ' ');
		live_add_sig(l, log, e, EVK_SIGNAL);
		if (evfield_bool(e, EVK_CORE))
			buf_adds(&l->out, " (core dumped)");
	} else if (evfield_num(e, EVK_CODE, &code)) {
		buf_printf(&l->out, " %lld", (long long)code);
	}
	live_color(l, C_RESET);
}

static void line_spawn(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t child = 0;
	evfield_num(e, EVK_CHILD, &child);
	live_color(l, C_CYAN);
	buf_printf(&l->out, "spawn %s %lld", evfield_bool(e, EVK_THREAD) ? "thread" : "process",
		   (long long)child);
	live_color(l, C_RESET);
	if (ev_find(e, EVK_VIA)) {
		buf_adds(&l->out, " (");
		live_add_field(l, log, e, EVK_VIA);
		buf_addc(&l->out, ')');
	}
	live_add_err(l, log, e);
}

static void line_open(struct live *l, const struct evlog *log, const struct ev *e)
{
	buf_adds(&l->out, "open ");
	/* an O_TMPFILE is the new file the kernel names "DIR/#INODE (deleted)", not DIR */
	live_add_field(l, log, e, ev_find(e, EVK_FD_PATH) ? EVK_FD_PATH : EVK_PATH);
	size_t n;
	const char *acc = evfield_str(log, e, EVK_ACCESS, &n);
	const char *flags = evfield_str(log, e, EVK_FLAGS, NULL);
	bool creat = flags && (strstr(flags, "O_CREAT") || strstr(flags, "O_TMPFILE"));
	if (!acc && flags)
		acc = strstr(flags, "O_RDWR") ? "rw" : strstr(flags, "O_WRONLY") ? "w" : "r";
	if (acc) {
		const char *word = !strcmp(acc, "r") ? "read" : !strcmp(acc, "w") ? "write" :
				   !strcmp(acc, "rw") ? "read/write" : NULL;
		buf_adds(&l->out, " (");
		if (word)
			buf_adds(&l->out, word);
		else
			live_add_str(l, acc, strlen(acc));
		if (creat)
			buf_adds(&l->out, ", create");
		buf_addc(&l->out, ')');
	}
	live_add_err(l, log, e);
}

/* "tcp4 → 1.2.3.4:443", "unix → /run/x.sock" */
static void add_sockaddr(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *s;
	int64_t port;
	if ((s = evfield_str(log, e, EVK_PATH, &n))) {
		live_add_str(l, s, n);
	} else if ((s = evfield_str(log, e, EVK_ADDR, &n))) {
		bool v6 = memchr(s, ':', n) != NULL;
		if (v6)
			buf_addc(&l->out, '[');
		live_add_str(l, s, n);
		if (v6)
			buf_addc(&l->out, ']');
		if (evfield_num(e, EVK_PORT, &port))
			buf_printf(&l->out, ":%lld", (long long)port);
	} else if ((s = evfield_str(log, e, EVK_PEER, &n))) {
		live_add_str(l, s, n);
	} else {
		int64_t fd;
		if (evfield_num(e, EVK_FD, &fd))
			buf_printf(&l->out, "fd %lld", (long long)fd);
		else
			buf_adds(&l->out, "?");
	}
}

static void line_net(struct live *l, const struct evlog *log, const struct ev *e)
{
	buf_adds(&l->out, ev_type_name(e->type));
	size_t n;
	const char *fam = evfield_str(log, e, EVK_FAMILY, &n);
	if (fam) {
		buf_addc(&l->out, ' ');
		live_add_str(l, fam, n);
	}
	const char *arrow = e->type == EVT_CONNECT ? " \u2192 " : e->type == EVT_ACCEPT ? " \u2190 " : " ";
	buf_adds(&l->out, arrow);
	add_sockaddr(l, log, e);
	live_add_err(l, log, e);
}

/*
 * A connection's account, written when its socket is gone: "conn tcp4 →
 * 1.2.3.4:443 connected from 10.0.0.2:51234, sent 517 B, received 2.6 KiB,
 * 120 ms". Its time is the connect's.
 */
static void line_conn(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n, kn = 0;
	const char *kind = evfield_str(log, e, EVK_KIND, &kn);
	bool accept = kind && kn == 6 && !memcmp(kind, "accept", 6);
	bool dgram = kind && kn == 8 && !memcmp(kind, "datagram", 8);
	buf_adds(&l->out, "conn ");
	const char *s = evfield_str(log, e, EVK_FAMILY, &n);
	if (s)
		live_add_str(l, s, n);
	buf_adds(&l->out, accept ? " \u2190 " : dgram ? " \u2194 " : " \u2192 ");
	add_sockaddr(l, log, e);
	if ((s = evfield_str(log, e, EVK_OUTCOME, &n))) {
		buf_addc(&l->out, ' ');
		live_add_str(l, s, n);
	}
	if ((s = evfield_str(log, e, EVK_LOCAL, &n))) {
		buf_adds(&l->out, accept ? " on " : " from ");
		live_add_str(l, s, n);
	}
	int64_t sent = 0, recvd = 0, dur = 0;
	evfield_num(e, EVK_BYTES_SENT, &sent);
	evfield_num(e, EVK_BYTES_RECEIVED, &recvd);
	evfield_num(e, EVK_DUR, &dur);
	buf_adds(&l->out, ", sent ");
	fmt_size(&l->out, sent > 0 ? (uint64_t)sent : 0);
	buf_adds(&l->out, ", received ");
	fmt_size(&l->out, recvd > 0 ? (uint64_t)recvd : 0);
	buf_printf(&l->out, ", %.1f ms", (double)dur / 1e6);
	live_add_err(l, log, e);
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
	evfield_num(e, EVK_ADDR, &addr);
	evfield_num(e, EVK_LEN, &len);
	buf_adds(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, ' ');
	switch (e->type) {
	case EVT_MMAP:
	case EVT_MPROTECT:
		if (ev_find(e, EVK_ERR) && !ev_find(e, EVK_ADDR)) {
			live_size_col(l, (uint64_t)len);
		} else {
			add_range(l, (uint64_t)addr, (uint64_t)len);
			if ((s = evfield_str(log, e, EVK_PROT, &n))) {
				buf_addc(&l->out, ' ');
				live_add_str(l, s, n);
			}
			if (e->type == EVT_MMAP)
				live_size_col(l, page_len((uint64_t)len));
		}
		if (e->type == EVT_MMAP && !ev_find(e, EVK_ERR)) {
			buf_addc(&l->out, ' ');
			if ((s = evfield_str(log, e, EVK_PATH, &n)))
				live_add_str(l, s, n);
			else if (!live_add_unknown(l, log, e)) /* a file, but which is not known */
				buf_adds(&l->out, "anon");
		}
		break;
	case EVT_MUNMAP:
		add_range(l, (uint64_t)addr, (uint64_t)len);
		live_size_col(l, page_len((uint64_t)len));
		break;
	case EVT_MREMAP: {
		int64_t oa = 0, ol = 0;
		evfield_num(e, EVK_OLD_ADDR, &oa);
		evfield_num(e, EVK_OLD_LEN, &ol);
		add_range(l, (uint64_t)oa, (uint64_t)ol);
		buf_adds(&l->out, " \u2192 ");
		add_range(l, (uint64_t)addr, (uint64_t)len);
		live_size_col(l, page_len((uint64_t)len));
		break;
	}
	case EVT_BRK:
		if (evfield_num(e, EVK_GROWTH, &v)) {
			buf_addc(&l->out, v < 0 ? '-' : '+');
			fmt_size(&l->out, (uint64_t)(v < 0 ? -v : v));
		}
		if (evfield_num(e, EVK_BRK, &v))
			buf_printf(&l->out, " (%llx)", (unsigned long long)v);
		break;
	}
	live_add_err(l, log, e);
}

static void line_fs(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t v, w;
	buf_adds(&l->out, ev_type_name(e->type));
	buf_addc(&l->out, ' ');
	if (ev_find(e, EVK_PATH) || !ev_find(e, EVK_FD))
		live_add_field(l, log, e, EVK_PATH);
	else if (evfield_num(e, EVK_FD, &v))
		buf_printf(&l->out, "fd %lld", (long long)v);
	switch (e->type) {
	case EVT_RENAME:
	case EVT_LINK: {
		const char *fl = evfield_str(log, e, EVK_FLAGS, NULL);
		bool swap = fl && strstr(fl, "RENAME_EXCHANGE");
		buf_adds(&l->out, swap ? " \u2194 " : " \u2192 ");
		live_add_field(l, log, e, EVK_NEW_PATH);
		if (evfield_bool(e, EVK_REPLACED))
			buf_adds(&l->out, " (over an existing file)");
		break;
	}
	case EVT_SYMLINK:
		buf_adds(&l->out, " \u2192 ");
		live_add_field(l, log, e, EVK_TARGET);
		break;
	case EVT_CHMOD:
	case EVT_MKDIR:
		if (evfield_num(e, EVK_MODE, &v))
			buf_printf(&l->out, " %04llo", (unsigned long long)v);
		else if (ev_find(e, EVK_MODE)) {
			buf_addc(&l->out, ' ');
			live_add_field(l, log, e, EVK_MODE);
		}
		break;
	case EVT_CHOWN:
		if (evfield_num(e, EVK_UID, &v) && evfield_num(e, EVK_GID, &w))
			buf_printf(&l->out, " %lld:%lld", (long long)v, (long long)w);
		break;
	case EVT_TRUNCATE:
		if (evfield_num(e, EVK_SIZE, &v)) {
			buf_addc(&l->out, ' ');
			fmt_size(&l->out, (uint64_t)(v < 0 ? 0 : v));
		}
		break;
	}
	live_add_err(l, log, e);
}

static void line_syscall(struct live *l, const struct evlog *log, const struct ev *e)
{
	size_t n;
	const char *args = evfield_str(log, e, EVK_ARGS, &n);
	const char *name = evfield_str(log, e, EVK_NAME, NULL);
	if (args)
		termesc_text(&l->out, args, n);
	else
		buf_printf(&l->out, "%s()", name ? name : "?");
	int64_t ret;
	buf_adds(&l->out, " = ");
	const struct ev_field *ef = ev_find(e, EVK_ERR);
	const char *rt = evfield_str(log, e, EVK_RET_TEXT, &n);
	if (rt && n) {
		/* strace's rendering made by the decoder: "3</etc/passwd>", "-1 ENOENT (...)" */
		if (ef) {
			live_color(l, C_RED);
			termesc_text(&l->out, rt, n);
			live_color(l, C_RESET);
		} else {
			termesc_text(&l->out, rt, n);
		}
	} else if (ef && ef->kind == EVF_ERRNO && evf_i64(ef) >= 512 && evf_i64(ef) <= 516) {
		/* a restart code is not a failure: strace shows "= ? ERESTARTSYS" */
		buf_addc(&l->out, '?');
		live_add_err(l, log, e);
	} else if (ef) {
		buf_adds(&l->out, "-1");
		live_add_err(l, log, e);
	} else if (evfield_num(e, EVK_RET, &ret)) {
		if (ret > 0xffffff || ret < -4095)
			buf_printf(&l->out, "%#llx", (unsigned long long)ret);
		else
			buf_printf(&l->out, "%lld", (long long)ret);
	} else {
		buf_addc(&l->out, '?');
	}
	const struct ev_field *d = ev_find(e, EVK_DUR);
	if (d && d->kind == EVF_DUR)
		buf_printf(&l->out, " <%.6f>", (double)evf_u64(d) / 1e9);
}

/* -k: the event's stack, one indented line per frame under it. */
void live_add_stack(struct live *l, const struct evlog *log, const struct ev *e)
{
	const char *st = evfield_json(log, e, EVK_STACK);
	if (!st)
		return;
	size_t mark = l->out.len;
	buf_addc(&l->out, '\n');
	live_color(l, C_DIM);
	size_t before = l->out.len;
	fmt_stack(&l->out, st, LIVE_INDENT, 0, true);
	if (l->out.len == before) { /* an empty or unreadable stack: nothing to show */
		l->out.len = mark;
		l->out.data[mark] = 0;
		return;
	}
	l->out.len--; /* end_line ends the last frame's line */
	live_color(l, C_RESET);
}

/* "SIGSEGV SEGV_MAPERR at 0x10 (not mapped)" */
static void crash_what(struct live *l, const struct evlog *log, const struct ev *e)
{
	int64_t v;
	live_add_sig(l, log, e, EVK_SIGNAL);
	if (ev_find(e, EVK_CODE)) {
		buf_addc(&l->out, ' ');
		live_add_field(l, log, e, EVK_CODE);
	}
	if (evfield_num(e, EVK_ADDR, &v))
		buf_printf(&l->out, " at %#llx", (unsigned long long)v);
	if (ev_find(e, EVK_CRASH_REGION)) {
		buf_adds(&l->out, " (");
		live_add_field(l, log, e, EVK_CRASH_REGION);
		buf_addc(&l->out, ')');
	}
	if (evfield_num(e, EVK_SENDER, &v))
		buf_printf(&l->out, " from %lld", (long long)v);
}

static void line_crash(struct live *l, const struct evlog *log, const struct ev *e)
{
	live_color(l, C_RED);
	buf_adds(&l->out, "crash ");
	crash_what(l, log, e);
	live_color(l, C_RESET);
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
void live_crash_blocks(struct live *l, const struct evlog *log)
{
	for (size_t i = 0; i < l->ncrashes && i < LIVE_MAX_CRASHES; i++) {
		const struct ev *e = l->crashes[i];
		const char *js;
		size_t n;
		live_prefix(l, e->t, e->pid, e->tid);
		live_color(l, C_RED);
		live_color(l, C_BOLD);
		buf_printf(&l->out, "━━━ CRASH of %d", e->pid);
		if (e->tid && e->tid != e->pid)
			buf_printf(&l->out, "/%d", e->tid);
		buf_adds(&l->out, ": ");
		crash_what(l, log, e);
		buf_adds(&l->out, " ━━━");
		live_color(l, C_RESET);
		buf_addc(&l->out, '\n');
		crash_regs(l, evfield_json(log, e, EVK_REGS));
		if ((js = evfield_json(log, e, EVK_DISASM)) && strcmp(js, "[]")) {
			buf_adds(&l->out, LIVE_INDENT "code:\n");
			fmt_disasm(&l->out, js, LIVE_INDENT "  ");
		}
		const char *msg = evfield_str(log, e, EVK_MSG, &n);
		if (msg) {
			buf_adds(&l->out, LIVE_INDENT "(");
			live_add_str(l, msg, n);
			buf_adds(&l->out, ")\n");
		}
		if ((js = evfield_json(log, e, EVK_STACK)) && strcmp(js, "[]")) {
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
	if ((s = evfield_str(log, e, EVK_FAMILY, &n))) {
		buf_addc(&l->out, ' ');
		live_add_str(l, s, n);
	}
	if (evfield_num(e, EVK_FD, &fd))
		buf_printf(&l->out, " fd %lld", (long long)fd);
	if ((s = evfield_str(log, e, EVK_PATH, &n)) || (s = evfield_str(log, e, EVK_DESC, &n))) {
		buf_adds(&l->out, " (");
		live_add_str(l, s, n);
		buf_addc(&l->out, ')');
	}
	live_add_err(l, log, e);
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

void live_line(struct live *l, const struct evlog *log, const struct ev *e)
{
	switch (e->type) {
	case EVT_EXEC: line_exec(l, log, e); break;
	case EVT_EXIT: line_exit(l, log, e); break;
	case EVT_SPAWN: line_spawn(l, log, e); break;
	case EVT_SIGNAL: {
		live_color(l, C_YELLOW);
		buf_adds(&l->out, "signal ");
		live_add_sig(l, log, e, EVK_SIGNAL);
		live_color(l, C_RESET);
		int64_t from;
		if (evfield_num(e, EVK_SENDER, &from))
			buf_printf(&l->out, " from %lld", (long long)from);
		break;
	}
	case EVT_STOP:
		live_color(l, C_YELLOW);
		buf_adds(&l->out, "stopped");
		live_color(l, C_RESET);
		if (ev_find(e, EVK_SIGNAL)) {
			buf_addc(&l->out, ' ');
			live_add_sig(l, log, e, EVK_SIGNAL);
		}
		break;
	case EVT_ATTACH: {
		live_color(l, C_BOLD);
		buf_adds(&l->out, "\u2500\u2500\u2500 attached");
		live_color(l, C_RESET);
		uint32_t argc = 0;
		const uint32_t *ids = evlog_strv_get(log, evfield_strvid(e, EVK_ARGV), &argc);
		add_args(l, log, ids, 0, argc);
		if (evfield_bool(e, EVK_STOPPED))
			buf_adds(&l->out, " (stopped)");
		break;
	}
	case EVT_DETACH:
		live_color(l, C_BOLD);
		buf_adds(&l->out, "detached");
		live_color(l, C_RESET);
		break;
	case EVT_CONT:
		live_color(l, C_YELLOW);
		buf_adds(&l->out, "continued");
		live_color(l, C_RESET);
		break;
	case EVT_WARNING:
		live_color(l, C_RED);
		buf_adds(&l->out, "warning: ");
		live_color(l, C_RESET);
		live_add_field(l, log, e, EVK_MSG);
		break;
	case EVT_OPEN: line_open(l, log, e); break;
	case EVT_CONNECT:
	case EVT_ACCEPT:
	case EVT_BIND:
	case EVT_LISTEN: line_net(l, log, e); break;
	case EVT_CONN: line_conn(l, log, e); break;
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
	case EVT_CRASH: line_crash(l, log, e); break;
	case EVT_CLOSE:
	case EVT_SOCKET: line_desc(l, log, e); break;
	default:
		line_generic(l, log, e);
		break;
	}
}
