/* SPDX-License-Identifier: MIT */
/*
 * json: the one safe JSON writer of compendium (and the inverse of its string
 * escape). Everything it writes is valid JSON, valid UTF-8 and safe inside an
 * HTML <script type="application/json"> block, whatever bytes it is given.
 *
 * String policy (strace's convention, so the original bytes are recoverable):
 * valid UTF-8 passes through; a byte that is not part of valid UTF-8 (also
 * overlong forms, UTF-16 surrogates and code points above U+10FFFF), and the
 * NUL byte, become the four characters \xNN in the decoded string; a literal
 * backslash becomes \\ in the decoded string. JSON escapes then apply: '"'
 * and '\' are escaped, controls are \n \t \r \b \f or \u00XX, DEL is \u007f,
 * C1 controls U+0080..U+009F are \u0080.., and < > & U+2028 U+2029 are always
 * \u003c \u003e \u0026 \u2028 \u2029. NUL goes out as \x00 rather than
 * \u0000 because many parsers (cJSON among them) truncate strings at \u0000.
 */
#ifndef COMPENDIUM_JSON_H
#define COMPENDIUM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"

/* Append n bytes of s (any bytes) as one quoted JSON string. */
void json_str(struct buf *b, const void *s, size_t n);
/* json_str of a NUL-terminated string; NULL writes null. */
void json_cstr(struct buf *b, const char *s);

/*
 * Undo the \xNN / \\ layer of a decoded JSON string (what a JSON parser
 * returns for a string json_str wrote): appends the original bytes to out.
 * A backslash not followed by '\' or 'x' and two hex digits is kept as is
 * (lenient for strings compendium did not write). Returns the bytes added.
 */
size_t json_unescape_bytes(struct buf *out, const char *s, size_t n);

/*
 * Separator for building objects and arrays in order: appends ',' unless the
 * buffer is empty or its last byte is '{', '[' or ':'.
 */
void json_sep(struct buf *b);
/* json_sep, then "key": (the key is escaped like any string). */
void json_key(struct buf *b, const char *key);

/* Unsigned integer: a number below 2^53, a decimal string above. */
void json_u64(struct buf *b, uint64_t v);
/* Signed integer: a number when |v| < 2^53, a decimal string otherwise. */
void json_i64(struct buf *b, int64_t v);
/* "0x7f..." (lower case, no padding). */
void json_hex(struct buf *b, uint64_t v);
/* Shortest form that reads back to the same double; NaN and infinities as null. */
void json_double(struct buf *b, double v);
/* Fixed point with 'decimals' digits after the point (durations: 6). NaN/inf -> null. */
void json_fixed(struct buf *b, double v, int decimals);
/* Seconds from nanoseconds, fixed point with 'decimals' (0..9) digits, rounded half up. */
void json_secs_ns(struct buf *b, uint64_t ns, int decimals);
void json_bool(struct buf *b, bool v);
void json_null(struct buf *b);

/* 2^53: integers from here on go out as strings. */
#define JSON_SAFE_INT (UINT64_C(1) << 53)

/*
 * Decode one UTF-8 sequence at s[0..n) strictly (no overlongs, no
 * surrogates, nothing above U+10FFFF). Returns its length (1..4) and stores
 * the code point, or 0 if s[0] does not start a valid sequence.
 */
size_t json_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* True if the n bytes are entirely valid UTF-8 (json_utf8_decode rules). */
bool json_utf8_valid(const void *s, size_t n);

/* The value of hex digit c (0-9, a-f, A-F), or -1. */
int json_hexval(unsigned char c);

#endif
