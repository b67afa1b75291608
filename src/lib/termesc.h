/* SPDX-License-Identifier: MIT */
/*
 * termesc: make untrusted bytes safe to show on a terminal, on one line.
 * Bytes below 0x20, DEL, C1 controls (raw 0x80..0x9f and U+0080..U+009F in
 * UTF-8) and bytes that are not valid UTF-8 become \xNN; newline, tab and
 * carriage return become \n \t \r; a backslash becomes \\; bidirectional
 * controls (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the
 * line/paragraph separators U+2028, U+2029 become \uXXXX. Everything else
 * (printable ASCII, valid UTF-8) passes unchanged.
 */
#ifndef COMPENDIUM_TERMESC_H
#define COMPENDIUM_TERMESC_H

#include <stddef.h>

#include "lib/util.h"

/* Append the escaped form of s[0..n) to b. */
void termesc(struct buf *b, const void *s, size_t n);
/*
 * Like termesc, but a backslash passes unchanged: for text that is already
 * escaped in its own convention (strace-like -v lines) yet may still hold
 * raw bytes.
 */
void termesc_text(struct buf *b, const void *s, size_t n);
/* termesc of a NUL-terminated string; NULL appends "(null)". */
void termesc_cstr(struct buf *b, const char *s);
/*
 * Like termesc, but shows at most 'max' input bytes (cut at a character
 * boundary) followed by "..." when s was longer. max 0 means no limit.
 */
void termesc_trunc(struct buf *b, const void *s, size_t n, size_t max);
/* A malloc'd escaped copy of s (for messages: warnmsg("%s", p); free(p)). */
char *termesc_dup(const char *s);

#endif
