/* SPDX-License-Identifier: MIT */
/*
 * json: the one safe JSON writer of compendium (and the inverse of its string
 * escape). Everything it writes is valid JSON, valid UTF-8 and safe inside an
 * HTML <script type="application/json"> block, whatever bytes it is given.
 *
 * String policy (the JSON Lines log's version 2; doc/INTERNALS.md "JSON
 * strings"): a string whose bytes are valid UTF-8 (strict: no overlongs, no
 * UTF-16 surrogates, nothing above U+10FFFF) and hold no NUL is "exact": it
 * is written as exactly that string, with only JSON's own escapes ('"' and
 * '\' escaped, controls as \n \t \r \b \f or \u00XX) and the HTML-safety
 * ones (DEL \u007f, C1 controls \u0080.., < > & U+2028 U+2029 always as
 * \u003c \u003e \u0026 \u2028 \u2029), all of which decode to the same
 * characters. Any other string is written in a lossy readable form (each
 * offending byte, NUL included, becomes U+FFFD: many parsers truncate at
 * \u0000) and its exact bytes go in a sibling member "KEY_bytes", an array
 * of integers 0..255. For a string vector, KEY_bytes is an array of the
 * same length holding null where the string is exact. A consumer recovers
 * the bytes as bytes(o[K+"_bytes"]) if present, else o[K] encoded in UTF-8.
 * Write tracee strings with json_kstr / json_kstrv (key, value and sibling
 * in one call); json_str alone is for strings known to be exact or where a
 * lossy form is all that is wanted (keys, labels).
 *
 * Version 1 logs used strace's \xNN / \\ layer inside the string instead;
 * json_unescape_bytes undoes it for the reader of old logs.
 */
#ifndef COMPENDIUM_JSON_H
#define COMPENDIUM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/util.h"

/* True if the n bytes are valid UTF-8 without NUL: json_str writes them exactly. */
bool json_str_exact(const void *s, size_t n);
/* Append n bytes of s as one quoted JSON string: exact, or lossy (U+FFFD per offending byte). */
void json_str(struct buf *b, const void *s, size_t n);
/* json_str of a NUL-terminated string; NULL writes null. */
void json_cstr(struct buf *b, const char *s);
/* The n bytes as a JSON array of integers 0..255. */
void json_bytes(struct buf *b, const void *s, size_t n);

/*
 * A member "key":"value" (json_key, json_str), then ,"key_bytes":[...] when
 * the value is not exact. s NULL writes "key":null. The way to write a
 * string that came from a tracee or the system.
 */
void json_kstr(struct buf *b, const char *key, const void *s, size_t n);
void json_kcstr(struct buf *b, const char *key, const char *s);
/* Only the sibling ,"key_bytes":[...] (nothing if s is NULL or exact), for encoders that wrote the key and value themselves. */
void json_str_sibling(struct buf *b, const char *key, const void *s, size_t n);

/* Element i of a string vector (NULL for none) and its length. */
typedef const char *(*json_strv_get)(const void *ctx, size_t i, size_t *len);
/* The vector as a JSON array of (lossy where needed) strings. */
void json_strv(struct buf *b, size_t n, json_strv_get get, const void *ctx);
/* ,"key_bytes":[null|[..],...] when any element is not exact. */
void json_strv_sibling(struct buf *b, const char *key, size_t n, json_strv_get get, const void *ctx);
/* "key":[...] and its sibling when needed. */
void json_kstrv(struct buf *b, const char *key, size_t n, json_strv_get get, const void *ctx);
void json_kcstrv(struct buf *b, const char *key, const char *const *v, size_t n);

/*
 * Undo the \xNN / \\ layer of a decoded version 1 JSON string (what a JSON
 * parser returns for a string compendium's version 1 writer wrote): appends the original bytes to out.
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
