/* SPDX-License-Identifier: MIT */
/* sysfmt: generic strace-like formatting of a syscall from its table row. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "decode/fdyy.h"
#include "decode/sysfmt.h"
#include "decode/systab.h"
#include "tracee/tmem.h"
#include "lib/xlat.h"

#define PATH_SHOW 4096    /* paths are shown whole up to PATH_MAX, like strace */
#define MAX_VEC 16        /* iovec elements shown */
#define MAX_STRV 256      /* argv elements shown */
#define MAX_ENVC 65536    /* environment entries counted */
#define AT_FDCWD_ (-100)
#define O_CREAT_ 0100u
#define O_TMPFILE_BIT 020000000u

/* Reading the state of one call being formatted. */
struct fmtctx {
	struct buf *out;
	struct task *t;
	const struct sysent *e;
	bool compat;
	bool at_exit;     /* ret is valid */
	size_t strsize;
	int strv_seen;
};

static uint64_t arg(const struct fmtctx *c, int i)
{
	uint64_t v = c->t->sc.args[i];
	return c->compat ? (uint32_t)v : v;
}

static int64_t sarg(const struct fmtctx *c, int i)
{
	uint64_t v = c->t->sc.args[i];
	return c->compat ? (int32_t)v : (int64_t)v;
}

static bool failed(const struct fmtctx *c)
{
	return c->at_exit && c->t->sc.is_error;
}

static void hex(struct buf *b, uint64_t v)
{
	buf_printf(b, "%#" PRIx64, v);
}

static void ptr(struct buf *b, uint64_t v)
{
	if (v)
		hex(b, v);
	else
		buf_adds(b, "NULL");
}

/* Length of the valid UTF-8 sequence at s (n bytes left) worth keeping, or 0. */
static size_t utf8_keep(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0; /* overlong or beyond Unicode */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0 || cp == 0x2028 || cp == 0x2029)
		return 0; /* surrogates, C1 controls, line/paragraph separators */
	return len;
}

static int quote_hex;   /* -x 1, -xx 2 */
static bool fds_yy;     /* -yy */

void sysfmt_set_style(int xhex, bool yy)
{
	quote_hex = xhex;
	fds_yy = yy;
}

/*
 * strace -x: the whole string in hex when a byte is not printable ASCII
 * nor one of \t \n \v \f \r; -xx: every string in hex.
 */
static bool quote_in_hex(const unsigned char *s, size_t n)
{
	if (quote_hex >= 2)
		return true;
	if (!quote_hex)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] > 0x7e || (s[i] < ' ' && (unsigned)(s[i] - 9) >= 5))
			return true;
	return false;
}

void sysfmt_quote(struct buf *out, const void *p, size_t n, bool more)
{
	const unsigned char *s = p;

	if (quote_in_hex(s, n)) {
		buf_addc(out, '"');
		for (size_t i = 0; i < n; i++)
			buf_printf(out, "\\x%02x", s[i]);
		buf_addc(out, '"');
		if (more)
			buf_adds(out, "...");
		return;
	}
	buf_addc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = s[i];
		size_t k;
		switch (ch) {
		case '"': buf_adds(out, "\\\""); continue;
		case '\\': buf_adds(out, "\\\\"); continue;
		case '\n': buf_adds(out, "\\n"); continue;
		case '\t': buf_adds(out, "\\t"); continue;
		case '\r': buf_adds(out, "\\r"); continue;
		case '\v': buf_adds(out, "\\v"); continue;
		case '\f': buf_adds(out, "\\f"); continue;
		default: break;
		}
		if (ch >= 0x20 && ch < 0x7f) {
			buf_addc(out, (char)ch);
		} else if (ch < 0x20 || ch == 0x7f) {
			/* strace: shortest octal unless a digit follows */
			if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7')
				buf_printf(out, "\\%03o", ch);
			else
				buf_printf(out, "\\%o", ch);
		} else if ((k = utf8_keep(s + i, n - i)) > 0) {
			buf_add(out, s + i, k);
			i += k - 1;
		} else {
			buf_printf(out, "\\x%02x", ch);
		}
	}
	buf_addc(out, '"');
	if (more)
		buf_adds(out, "...");
}

/* A string at addr: quoted, "..." when cut or when memory ended before the NUL. */
static void str_at(struct fmtctx *c, uint64_t addr, size_t max)
{
	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	char *s = xmalloc(max + 1);
	int trunc = 0;
	ssize_t n = tmem_read_str(c->t->tid, addr, s, max, &trunc);
	if (n < 0)
		hex(c->out, addr);
	else
		sysfmt_quote(c->out, s, (size_t)n, trunc);
	free(s);
}

/* len bytes at addr, of which at most strsize are shown. */
static void bytes_at(struct fmtctx *c, uint64_t addr, uint64_t len)
{
	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	size_t want = len < c->strsize ? (size_t)len : c->strsize;
	char *s = xmalloc(want + 1);
	ssize_t n = want ? tmem_read(c->t->tid, addr, s, want) : 0;
	if (n < 0)
		hex(c->out, addr);
	else
		sysfmt_quote(c->out, s, (size_t)n, (uint64_t)n < len);
	free(s);
}

static sysfmt_fd_desc_fn fd_desc_fn;

void sysfmt_set_fd_desc(sysfmt_fd_desc_fn fn)
{
	fd_desc_fn = fn;
}

/* An fd's name between < and >, bytes that could end or confuse it in \\xNN. */
static void fd_name(struct buf *out, const char *d, bool yy_text)
{
	for (const unsigned char *s = (const unsigned char *)d; *s; s++) {
		if (*s < 0x20 || *s == 0x7f || *s >= 0x80 || ((*s == '>' || *s == '\\') && !yy_text))
			buf_printf(out, "\\x%02x", *s);
		else
			buf_addc(out, (char)*s);
	}
}

static void fd_desc(struct fmtctx *c, int64_t fd)
{
	buf_printf(c->out, "%" PRId64, fd);
	if (fd < 0 || fd > INT32_MAX || !c->t->proc || !fd_desc_fn)
		return;
	struct buf yy = {0};
	enum fdyy_kind k = fds_yy ? fdyy_describe(&yy, c->t->proc->pid, c->t->tid, (int)fd) : FDYY_NONE;
	const char *d = k == FDYY_SOCKET ? NULL : fd_desc_fn(c->t->proc, (int)fd);
	if (d || k == FDYY_SOCKET) {
		buf_addc(c->out, '<');
		if (d)
			fd_name(c->out, d, false);
		if (k != FDYY_NONE) { /* strace -yy: "TCP:[...]", "/dev/null<char 1:3>" */
			if (k == FDYY_DEVICE)
				buf_addc(c->out, '<');
			fd_name(c->out, yy.data, true);
			if (k == FDYY_DEVICE)
				buf_addc(c->out, '>');
		}
		buf_addc(c->out, '>');
	}
	buf_free(&yy);
}

static void mode_oct(struct buf *b, uint64_t m)
{
	buf_printf(b, "0%03" PRIo64, m);
}

static void sigset_at(struct fmtctx *c, uint64_t addr)
{
	uint64_t set;

	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	if (tmem_read(c->t->tid, addr, &set, sizeof(set)) != (ssize_t)sizeof(set)) {
		hex(c->out, addr);
		return;
	}
	bool inv = __builtin_popcountll(set) > 32;
	if (inv) {
		buf_addc(c->out, '~');
		set = ~set;
	}
	buf_addc(c->out, '[');
	int first = 1;
	for (int sig = 1; sig <= 64; sig++) {
		if (!(set >> (sig - 1) & 1))
			continue;
		const char *n = xlat_signal_name(sig);
		if (!first)
			buf_addc(c->out, ' ');
		first = 0;
		if (n)
			buf_adds(c->out, n + 3);
		else
			buf_printf(c->out, "%d", sig);
	}
	buf_addc(c->out, ']');
}

static void sockaddr_at(struct fmtctx *c, uint64_t addr, uint64_t len)
{
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_nl nl;
		struct sockaddr_storage ss;
	} u;
	char ip[INET6_ADDRSTRLEN];

	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	memset(&u, 0, sizeof(u));
	size_t want = len < sizeof(u) ? (size_t)len : sizeof(u);
	ssize_t n = want ? tmem_read(c->t->tid, addr, &u, want) : -EINVAL;
	if (n < (ssize_t)sizeof(u.sa.sa_family)) {
		hex(c->out, addr);
		return;
	}
	const char *fam = xlat_sockfamily(u.sa.sa_family);
	if (fam)
		buf_printf(c->out, "{sa_family=%s", fam);
	else
		buf_printf(c->out, "{sa_family=%u", u.sa.sa_family);
	switch (u.sa.sa_family) {
	case AF_INET:
		if (n < (ssize_t)sizeof(u.in))
			break;
		inet_ntop(AF_INET, &u.in.sin_addr, ip, sizeof(ip));
		buf_printf(c->out, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", ntohs(u.in.sin_port), ip);
		break;
	case AF_INET6:
		if (n < (ssize_t)sizeof(u.in6))
			break;
		inet_ntop(AF_INET6, &u.in6.sin6_addr, ip, sizeof(ip));
		buf_printf(c->out, ", sin6_port=htons(%u), sin6_flowinfo=htonl(%u), inet_pton(AF_INET6, \"%s\", &sin6_addr), sin6_scope_id=%u",
			   ntohs(u.in6.sin6_port), ntohl(u.in6.sin6_flowinfo), ip, u.in6.sin6_scope_id);
		break;
	case AF_UNIX: {
		size_t plen = (size_t)n - offsetof(struct sockaddr_un, sun_path);
		if (plen == 0)
			break;
		buf_adds(c->out, ", sun_path=");
		if (u.un.sun_path[0] == '\0') { /* abstract: the name is all bytes after the NUL */
			buf_addc(c->out, '@');
			sysfmt_quote(c->out, u.un.sun_path + 1, plen - 1, false);
		} else {
			sysfmt_quote(c->out, u.un.sun_path, strnlen(u.un.sun_path, plen), false);
		}
		break;
	}
	case AF_NETLINK:
		if (n < (ssize_t)sizeof(u.nl))
			break;
		buf_printf(c->out, ", nl_pid=%u, nl_groups=%08x", u.nl.nl_pid, u.nl.nl_groups);
		break;
	default:
		break;
	}
	buf_addc(c->out, '}');
}

static bool read_u32(struct fmtctx *c, uint64_t addr, uint32_t *v)
{
	return addr && tmem_read(c->t->tid, addr, v, sizeof(*v)) == (ssize_t)sizeof(*v);
}

static void iovec_at(struct fmtctx *c, uint64_t addr, uint64_t cnt, bool out_dir)
{
	unsigned psz = c->compat ? 4 : 8;
	/* what the call read or wrote: everything for writes, ret bytes for reads */
	uint64_t left = out_dir ? (failed(c) || !c->at_exit ? 0 : (uint64_t)c->t->sc.ret) : UINT64_MAX;

	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	if (cnt > 1024) { /* IOV_MAX: the kernel refuses more */
		hex(c->out, addr);
		return;
	}
	buf_addc(c->out, '[');
	for (uint64_t i = 0; i < cnt; i++) {
		unsigned char raw[16];
		uint64_t base, len;
		if (i == MAX_VEC) {
			buf_adds(c->out, ", ...");
			break;
		}
		if (tmem_read(c->t->tid, addr + i * 2 * psz, raw, 2 * psz) != (ssize_t)(2 * psz)) {
			if (i)
				buf_adds(c->out, ", ");
			buf_adds(c->out, "...");
			break;
		}
		if (psz == 4) {
			uint32_t b32, l32;
			memcpy(&b32, raw, 4);
			memcpy(&l32, raw + 4, 4);
			base = b32;
			len = l32;
		} else {
			memcpy(&base, raw, 8);
			memcpy(&len, raw + 8, 8);
		}
		buf_printf(c->out, "%s{iov_base=", i ? ", " : "");
		if (out_dir && !c->at_exit)
			ptr(c->out, base);
		else if (out_dir && failed(c))
			ptr(c->out, base);
		else {
			uint64_t show = len < left ? len : left;
			if (show == 0 && base)
				buf_adds(c->out, "\"\"");
			else
				bytes_at(c, base, show);
			if (left != UINT64_MAX)
				left -= show;
		}
		buf_printf(c->out, ", iov_len=%" PRIu64 "}", len);
	}
	buf_addc(c->out, ']');
}

static void strv_at(struct fmtctx *c, uint64_t addr)
{
	unsigned psz = c->compat ? 4 : 8;
	bool env = c->strv_seen++ > 0;

	if (!addr) {
		buf_adds(c->out, "NULL");
		return;
	}
	if (env) { /* strace's default: the environment as a count */
		unsigned char chunk[4096];
		uint64_t n = 0;
		for (bool end = false; !end && n < MAX_ENVC;) {
			ssize_t got = tmem_read(c->t->tid, addr + n * psz, chunk, sizeof(chunk));
			if (got < (ssize_t)psz)
				break;
			for (size_t off = 0; off + psz <= (size_t)got; off += psz) {
				uint64_t p = 0;
				memcpy(&p, chunk + off, psz);
				if (!p) {
					end = true;
					break;
				}
				n++;
			}
		}
		hex(c->out, addr);
		buf_printf(c->out, " /* %" PRIu64 " var%s */", n, n == 1 ? "" : "s");
		return;
	}
	buf_addc(c->out, '[');
	for (unsigned i = 0;; i++) {
		uint64_t p = 0;
		if (tmem_read(c->t->tid, addr + (uint64_t)i * psz, &p, psz) != (ssize_t)psz) {
			buf_adds(c->out, i ? ", ..." : "...");
			break;
		}
		if (!p)
			break;
		if (i == MAX_STRV) {
			buf_adds(c->out, ", ...");
			break;
		}
		if (i)
			buf_adds(c->out, ", ");
		str_at(c, p, c->strsize);
	}
	buf_addc(c->out, ']');
}

/* strace's rendering of a wait status. */
static void wstatus(struct buf *b, int st)
{
	const char *n;

	if (WIFEXITED(st)) {
		buf_printf(b, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		n = xlat_signal_name(WTERMSIG(st));
		buf_adds(b, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
		if (n)
			buf_adds(b, n);
		else
			buf_printf(b, "%d", WTERMSIG(st));
		buf_adds(b, WCOREDUMP(st) ? " && WCOREDUMP(s)}]" : "}]");
	} else if (WIFSTOPPED(st)) {
		n = xlat_signal_name(WSTOPSIG(st));
		buf_adds(b, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
		if (n)
			buf_adds(b, n);
		else
			buf_printf(b, "%d", WSTOPSIG(st));
		buf_adds(b, "}]");
	} else if (WIFCONTINUED(st)) {
		buf_adds(b, "[{WIFCONTINUED(s)}]");
	} else {
		buf_printf(b, "[%#x]", (unsigned)st);
	}
}

static void fcntl_arg(struct fmtctx *c, int i, bool *omit)
{
	int cmd = (int)sarg(c, 1);
	uint64_t v = arg(c, i);

	switch (cmd) {
	case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034: /* F_GET*: no argument */
		*omit = true;
		return;
	case 2: /* F_SETFD */
		xlat_flags(c->out, &xt_fd_flags, v);
		return;
	case 4: /* F_SETFL */
		xlat_open_flags_str(c->out, v);
		return;
	case 5: case 6: case 7: case 12: case 13: case 14: case 15: case 16: case 36: case 37: case 38:
		ptr(c->out, v); /* struct flock / f_owner_ex */
		return;
	default:
		buf_printf(c->out, "%" PRId64, sarg(c, i));
		return;
	}
}

/* Append argument i; sets *omit when the argument is not shown at all. */
static void one_arg(struct fmtctx *c, int i, bool *omit)
{
	const struct sysarg *a = &c->e->args[i];
	struct buf *b = c->out;
	uint64_t v = arg(c, i);
	int64_t sv = sarg(c, i);

	*omit = false;
	switch ((enum sys_argtype)a->type) {
	case SAT_INT:
	case SAT_PID:
		buf_printf(b, "%d", (int)(int32_t)v);
		break;
	case SAT_UINT:
	case SAT_SOCKLEN:
		buf_printf(b, "%u", (unsigned)(uint32_t)v);
		break;
	case SAT_LONG:
	case SAT_OFFSET:
		buf_printf(b, "%" PRId64, sv);
		break;
	case SAT_ULONG:
	case SAT_SIZE:
		buf_printf(b, "%" PRIu64, v);
		break;
	case SAT_HEX:
		hex(b, v);
		break;
	case SAT_PTR:
		ptr(b, v);
		break;
	case SAT_FD:
	case SAT_CLOSEFD:
		fd_desc(c, (int32_t)v);
		break;
	case SAT_DIRFD:
		if ((int32_t)v == AT_FDCWD_)
			buf_adds(b, "AT_FDCWD");
		else
			fd_desc(c, (int32_t)v);
		break;
	case SAT_PATH:
		str_at(c, v, PATH_SHOW);
		break;
	case SAT_STR:
		str_at(c, v, c->strsize);
		break;
	case SAT_OPENFLAGS:
		xlat_open_flags_str(b, v);
		break;
	case SAT_OFLAGS:
		xlat_flags(b, &xt_open_flags, v);
		break;
	case SAT_ENUM:
		xlat_enum(b, a->x, (int32_t)v, 0);
		break;
	case SAT_FLAGS:
		xlat_flags(b, a->x, v);
		break;
	case SAT_SOCKPROTO: {
		int fam = (int)(int32_t)arg(c, 0);
		if (fam == AF_INET || fam == AF_INET6)
			xlat_enum(b, &xt_ipproto, (int32_t)v, 0);
		else if (fam == AF_NETLINK)
			xlat_enum(b, &xt_netlink_proto, (int32_t)v, 0);
		else
			buf_printf(b, "%d", (int32_t)v);
		break;
	}
	case SAT_WSTATUS: {
		uint32_t st;
		if (!v)
			buf_adds(b, "NULL");
		else if (c->at_exit && !failed(c) && c->t->sc.ret > 0 && read_u32(c, v, &st))
			wstatus(b, (int)st);
		else
			hex(b, v);
		break;
	}
	case SAT_OPENMODE: {
		uint64_t fl = 0;
		for (int j = 0; j < i; j++)
			if (c->e->args[j].type == SAT_OPENFLAGS)
				fl = arg(c, j);
		if (fl & (O_CREAT_ | O_TMPFILE_BIT))
			mode_oct(b, v);
		else
			*omit = true;
		break;
	}
	case SAT_MODE:
		mode_oct(b, v);
		break;
	case SAT_PROT:
		xlat_prot_flags(b, v);
		break;
	case SAT_MMAPFLAGS:
		xlat_mmap_flags(b, v);
		break;
	case SAT_MREMAPFLAGS:
		xlat_flags(b, &xt_mremap_flags, v);
		break;
	case SAT_SIGNAL: {
		const char *n = xlat_signal_name((int)sv);
		if (n)
			buf_adds(b, n);
		else
			buf_printf(b, "%" PRId64, sv);
		break;
	}
	case SAT_SIGSET:
		sigset_at(c, v);
		break;
	case SAT_SIGHOW:
		xlat_enum(b, &xt_sigprocmask_how, (int32_t)v, 0);
		break;
	case SAT_SOCKADDR:
		sockaddr_at(c, v, arg(c, a->aux));
		break;
	case SAT_SOCKADDR_OUT: {
		uint32_t len;
		if (!v)
			buf_adds(b, "NULL");
		else if (!c->at_exit || failed(c) || !read_u32(c, arg(c, a->aux), &len))
			hex(b, v);
		else
			sockaddr_at(c, v, len);
		break;
	}
	case SAT_SOCKLENP: {
		uint32_t len;
		if (!v)
			buf_adds(b, "NULL");
		else if (read_u32(c, v, &len))
			buf_printf(b, "[%u]", len);
		else
			hex(b, v);
		break;
	}
	case SAT_SOCKFAMILY: {
		const char *n = xlat_sockfamily((int)sv);
		if (n)
			buf_adds(b, n);
		else
			buf_printf(b, "%d", (int)sv);
		break;
	}
	case SAT_SOCKTYPE:
		xlat_socktype(b, v);
		break;
	case SAT_CLONEFLAGS:
		xlat_clone_flags(b, v);
		break;
	case SAT_FCNTLCMD:
		xlat_enum(b, &xt_fcntl_cmd, (int32_t)v, 0);
		break;
	case SAT_FCNTLARG:
		fcntl_arg(c, i, omit);
		break;
	case SAT_ATFLAGS:
		xlat_flags(b, &xt_at_flags, v);
		break;
	case SAT_BUF_IN:
		bytes_at(c, v, arg(c, a->aux));
		break;
	case SAT_BUF_OUT:
		if (!c->at_exit || failed(c))
			ptr(b, v);
		else
			bytes_at(c, v, (uint64_t)c->t->sc.ret);
		break;
	case SAT_IOVEC_IN:
		iovec_at(c, v, arg(c, a->aux), false);
		break;
	case SAT_IOVEC_OUT:
		iovec_at(c, v, arg(c, a->aux), true);
		break;
	case SAT_UID:
	case SAT_GID:
		if ((uint32_t)v == UINT32_MAX)
			buf_adds(b, "-1");
		else
			buf_printf(b, "%u", (uint32_t)v);
		break;
	case SAT_STRV:
		strv_at(c, v);
		break;
	case SAT_INTP: {
		uint32_t x;
		if (!v)
			buf_adds(b, "NULL");
		else if (c->at_exit && !failed(c) && read_u32(c, v, &x))
			buf_printf(b, "[%d]", (int32_t)x);
		else
			hex(b, v);
		break;
	}
	case SAT_FDPAIR: {
		int32_t fds[2];
		if (c->at_exit && !failed(c) && v &&
		    tmem_read(c->t->tid, v, fds, sizeof(fds)) == (ssize_t)sizeof(fds)) {
			buf_addc(b, '[');
			fd_desc(c, fds[0]);
			buf_adds(b, ", ");
			fd_desc(c, fds[1]);
			buf_addc(b, ']');
		} else {
			ptr(b, v);
		}
		break;
	}
	case SAT_WHENCE:
		xlat_enum(b, &xt_whence, (int32_t)v, 0);
		break;
	case SAT_ACCMODE:
		if ((uint32_t)v == 0)
			buf_adds(b, "F_OK");
		else
			xlat_flags(b, &xt_access_mode, (uint32_t)v);
		break;
	case SAT_TIMESPEC: {
		int64_t ts[2];
		if (!v)
			buf_adds(b, "NULL");
		else if (!c->compat && tmem_read(c->t->tid, v, ts, sizeof(ts)) == (ssize_t)sizeof(ts))
			buf_printf(b, "{tv_sec=%" PRId64 ", tv_nsec=%" PRId64 "}", ts[0], ts[1]);
		else
			hex(b, v); /* i386 has two timespec layouts; shown as an address there */
		break;
	}
	case SAT__COUNT:
	default:
		hex(b, v);
		break;
	}
}

static void init_ctx(struct fmtctx *c, struct buf *out, struct task *t, int strsize, bool at_exit)
{
	memset(c, 0, sizeof(*c));
	c->out = out;
	c->t = t;
	c->compat = t->sc.arch == AUDIT_ARCH_I386;
	c->e = systab_get(t->sc.arch, t->sc.nr);
	c->at_exit = at_exit;
	c->strsize = strsize > 0 ? (size_t)strsize : 0;
}

static void args_ctx(struct fmtctx *c)
{
	if (!c->e) {
		for (int i = 0; i < 6; i++) {
			if (i)
				buf_adds(c->out, ", ");
			hex(c->out, arg(c, i));
		}
		return;
	}
	bool first = true;
	for (int i = 0; i < c->e->nargs && i < 6; i++) {
		size_t mark = c->out->len;
		bool omit;
		if (!first)
			buf_adds(c->out, ", ");
		one_arg(c, i, &omit);
		if (omit) {
			c->out->len = mark;
			if (c->out->data)
				c->out->data[mark] = '\0';
			continue;
		}
		first = false;
	}
}

void sysfmt_args(struct buf *out, struct task *t, int strsize)
{
	struct fmtctx c;
	init_ctx(&c, out, t, strsize, true);
	args_ctx(&c);
}

void sysfmt_entry_args(struct buf *out, struct task *t, int strsize)
{
	struct fmtctx c;
	init_ctx(&c, out, t, strsize, false);
	args_ctx(&c);
}

bool sysfmt_needs_entry(const struct task *t)
{
	const struct sysent *e = systab_get(t->sc.arch, t->sc.nr);
	if (!e)
		return false;
	for (int i = 0; i < e->nargs; i++)
		if (e->args[i].type == SAT_STRV || e->args[i].type == SAT_CLOSEFD)
			return true;
	return false;
}

void sysfmt_name(struct buf *out, uint32_t arch, int64_t nr)
{
	const char *n = systab_name(arch, nr);
	if (n)
		buf_adds(out, n);
	else
		buf_printf(out, "syscall_%#" PRIx64, (uint64_t)nr);
}

static void ret_fcntl(struct buf *out, struct task *t, int64_t r)
{
	int cmd = (int)(int32_t)t->sc.args[1];
	switch (cmd) {
	case 0: case 1030: { /* F_DUPFD, F_DUPFD_CLOEXEC */
		struct fmtctx c;
		init_ctx(&c, out, t, 0, true);
		fd_desc(&c, r);
		return;
	}
	case 1: /* F_GETFD */
		buf_printf(out, "%#" PRIx64 " (flags ", r);
		xlat_flags(out, &xt_fd_flags, (uint64_t)r);
		buf_addc(out, ')');
		return;
	case 3: /* F_GETFL */
		buf_printf(out, "%#" PRIx64 " (flags ", r);
		xlat_open_flags_str(out, (uint64_t)r);
		buf_addc(out, ')');
		return;
	default:
		buf_printf(out, "%" PRId64, r);
		return;
	}
}

void sysfmt_ret(struct buf *out, struct task *t)
{
	const struct sysent *e = systab_get(t->sc.arch, t->sc.nr);
	int64_t r = t->sc.ret;
	bool compat = t->sc.arch == AUDIT_ARCH_I386;

	if (e && e->ret == SRET_NONE) {
		buf_addc(out, '?');
		return;
	}
	if (e && e->ret == SRET_SIGRET) { /* the restored rax, whatever it holds */
		buf_printf(out, "%" PRId64, r);
		return;
	}
	if (t->sc.is_error) {
		int err = (int)-r;
		const char *n = xlat_errno_name(err), *txt = xlat_errno_text(err);
		if (err >= 512 && err <= 516)
			buf_adds(out, "?"); /* restart codes never reach user space */
		else
			buf_adds(out, "-1");
		if (n)
			buf_printf(out, " %s (%s)", n, txt ? txt : n);
		else
			buf_printf(out, " E??? (errno %d)", err);
		return;
	}
	if (!e) {
		buf_printf(out, "%#" PRIx64, compat ? (uint32_t)r : (uint64_t)r);
		return;
	}
	if (strcmp(e->name, "fcntl") == 0 || strcmp(e->name, "fcntl64") == 0) {
		ret_fcntl(out, t, r);
		return;
	}
	switch ((enum sys_rettype)e->ret) {
	case SRET_HEX:
	case SRET_ADDR:
		buf_printf(out, "%#" PRIx64, compat ? (uint32_t)r : (uint64_t)r);
		break;
	case SRET_FD: {
		struct fmtctx c;
		init_ctx(&c, out, t, 0, true);
		fd_desc(&c, r);
		break;
	}
	case SRET_ULONG:
		buf_printf(out, "%" PRIu64, compat ? (uint32_t)r : (uint64_t)r);
		break;
	case SRET_UID:
	case SRET_GID:
		buf_printf(out, "%u", (uint32_t)r);
		break;
	case SRET_MODE:
		mode_oct(out, (uint64_t)r);
		break;
	default:
		buf_printf(out, "%" PRId64, r);
		break;
	}
}

void sysfmt_call_with(struct buf *out, struct task *t, int strsize, const char *entry_args)
{
	struct fmtctx c;

	sysfmt_name(out, t->sc.arch, t->sc.nr);
	buf_addc(out, '(');
	if (entry_args) {
		buf_adds(out, entry_args);
	} else {
		init_ctx(&c, out, t, strsize, true);
		args_ctx(&c);
	}
	buf_adds(out, ") = ");
	sysfmt_ret(out, t);
}

void sysfmt_call(struct buf *out, struct task *t, int strsize)
{
	sysfmt_call_with(out, t, strsize, NULL);
}
