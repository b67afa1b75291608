/* SPDX-License-Identifier: MIT */
/* termesc: escape untrusted bytes for the terminal (doc/SAFETY.md, 'Terminal escapes'); one string, one line. */
#include "lib/termesc.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/json.h"

static const char hexd[] = "0123456789abcdef";

static void hexbyte(struct buf *b, unsigned char c)
{
	char e[4] = {'\\', 'x', hexd[c >> 4], hexd[c & 15]};
	buf_add(b, e, 4);
}

static int is_bidi_or_sep(uint32_t cp)
{
	return cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

/*
 * Escape s[0..n); stops before a character that would cross 'limit' input
 * bytes. keep_bs: a backslash passes unchanged.
 */
static size_t esc(struct buf *b, const unsigned char *s, size_t n, size_t limit, bool keep_bs)
{
	size_t i = 0;
	buf_reserve(b, n < limit ? n : limit);
	while (i < n) {
		size_t j = i;
		while (j < n && j < limit && s[j] >= 0x20 && s[j] < 0x7f && (s[j] != '\\' || keep_bs))
			j++;
		if (j > i) {
			buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		uint32_t cp;
		size_t l = json_utf8_decode(s + i, n - i, &cp);
		if (!l)
			l = 1;
		if (i + l > limit)
			break;
		if (l == 1) {
			unsigned char c = s[i];
			if (c == '\n')
				buf_add(b, "\\n", 2);
			else if (c == '\t')
				buf_add(b, "\\t", 2);
			else if (c == '\r')
				buf_add(b, "\\r", 2);
			else if (c == '\\')
				buf_add(b, "\\\\", 2);
			else
				hexbyte(b, c); /* controls, DEL, raw C1, invalid UTF-8 */
		} else if (cp <= 0x9f) {
			/* U+0080..U+009F: C1 controls, shown as their UTF-8 bytes */
			for (size_t k = 0; k < l; k++)
				hexbyte(b, s[i + k]);
		} else if (is_bidi_or_sep(cp)) {
			buf_printf(b, "\\u%04x", (unsigned)cp);
		} else {
			buf_add(b, s + i, l);
		}
		i += l;
	}
	return i;
}

void termesc(struct buf *b, const void *s, size_t n)
{
	esc(b, s, n, SIZE_MAX, false);
	if (!b->data)
		buf_add(b, "", 0);
}

void termesc_text(struct buf *b, const void *s, size_t n)
{
	esc(b, s, n, SIZE_MAX, true);
	if (!b->data)
		buf_add(b, "", 0);
}

void termesc_cstr(struct buf *b, const char *s)
{
	if (!s)
		buf_adds(b, "(null)");
	else
		termesc(b, s, strlen(s));
}

void termesc_trunc(struct buf *b, const void *s, size_t n, size_t max)
{
	if (max == 0 || n <= max) {
		termesc(b, s, n);
		return;
	}
	esc(b, s, n, max, false);
	buf_adds(b, "...");
}

char *termesc_dup(const char *s)
{
	struct buf b = {0};
	termesc_cstr(&b, s);
	return buf_steal(&b);
}
