/* SPDX-License-Identifier: MIT */
/* msg: one message is one line, and no escape sequence from a tracee reaches the terminal. */
#include <stdarg.h>
#include <stdlib.h>

#include "lib/msg.h"
#include "lib/termesc.h"

/*
 * Messages quote user and tracee strings (paths, comm, argv), so the whole
 * text goes through the terminal escaper: one message is always one line
 * and no escape sequence reaches the terminal (doc/SAFETY.md, 'Terminal escapes').
 */
static void vmsg(const char *kind, const char *fmt, va_list ap)
{
	struct buf text = {0}, b = {0};
	buf_vprintf(&text, fmt, ap);
	buf_printf(&b, "%s: %s", util_progname, kind);
	termesc_text(&b, text.data, text.len);
	buf_addc(&b, '\n');
	(void)write_all(2, b.data, b.len);
	buf_free(&text);
	buf_free(&b);
}

void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("error: ", fmt, ap);
	va_end(ap);
	exit(status);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void notemsg(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}
