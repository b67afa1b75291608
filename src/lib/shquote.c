/* SPDX-License-Identifier: MIT */
/* shquote: shell-quote a command-line argument for the terminal (see shquote.h). */
#include "lib/shquote.h"

#include <stdbool.h>
#include <string.h>

#include "lib/termesc.h"

static bool safe_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("_@%+=:,./-", c) != NULL);
}

void shquote(struct buf *b, const char *s, size_t n, size_t max)
{
	struct buf e = {0};
	bool cut = max && n > max;
	termesc_trunc(&e, s, n, max);
	size_t el = e.len;
	if (cut)
		el -= 3; /* termesc_trunc's "..." */
	/* the escaped text equals the bytes shown when nothing needed escaping */
	bool plain = el <= n && !memcmp(e.data, s, el);
	if (!plain) {
		buf_adds(b, "$'");
		for (size_t i = 0; i < el; i++) {
			if (e.data[i] == '\'')
				buf_addc(b, '\\');
			buf_addc(b, e.data[i]);
		}
		buf_addc(b, '\'');
	} else {
		bool safe = el > 0;
		for (size_t i = 0; i < el && safe; i++)
			safe = safe_char((unsigned char)e.data[i]);
		if (safe) {
			buf_add(b, e.data, el);
		} else {
			buf_addc(b, '\'');
			for (size_t i = 0; i < el; i++) {
				if (e.data[i] == '\'')
					buf_adds(b, "'\\''");
				else
					buf_addc(b, e.data[i]);
			}
			buf_addc(b, '\'');
		}
	}
	if (cut)
		buf_adds(b, "...");
	if (!b->data)
		buf_add(b, "", 0);
	buf_free(&e);
}
