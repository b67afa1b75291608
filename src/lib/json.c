/* SPDX-License-Identifier: MIT */
/* json: the safe JSON writer (strings, numbers, keys) and the inverse of its string escape. */
#include "lib/json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t json_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t len;
	uint32_t v, min;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		v = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		v = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		v = c & 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, 0xc0/0xc1 overlong leads, 0xf5.. */
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return len;
}

bool json_utf8_valid(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		size_t l = json_utf8_decode(s + i, n - i, &cp);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

bool json_str_exact(const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	uint32_t cp;
	while (i < n) {
		if (s[i] >= 0x01 && s[i] < 0x80) {
			i++;
			continue;
		}
		size_t l = s[i] ? json_utf8_decode(s + i, n - i, &cp) : 0;
		if (!l)
			return false;
		i += l;
	}
	return true;
}

void json_str(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	buf_reserve(b, n + 2);
	buf_addc(b, '"');
	size_t i = 0;
	while (i < n) {
		/* Copy the longest run of bytes that need no escaping at once. */
		size_t j = i;
		while (j < n && s[j] >= 0x20 && s[j] < 0x7f && s[j] != '"' && s[j] != '\\' &&
		       s[j] != '<' && s[j] != '>' && s[j] != '&')
			j++;
		if (j > i) {
			buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = s[i];
		uint32_t cp;
		size_t l = json_utf8_decode(s + i, n - i, &cp);
		if (!l || c == 0) {
			/* not exact: the lossy form, U+FFFD per byte (json_kstr adds KEY_bytes) */
			buf_add(b, "\xef\xbf\xbd", 3);
			i++;
			continue;
		}
		switch (cp) {
		case '"': buf_add(b, "\\\"", 2); break;
		case '\\': buf_add(b, "\\\\", 2); break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		case '\f': buf_add(b, "\\f", 2); break;
		default:
			if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == '<' ||
			    cp == '>' || cp == '&' || cp == 0x2028 || cp == 0x2029)
				buf_printf(b, "\\u%04x", (unsigned)cp);
			else
				buf_add(b, s + i, l);
		}
		i += l;
	}
	buf_addc(b, '"');
}

void json_cstr(struct buf *b, const char *s)
{
	if (s)
		json_str(b, s, strlen(s));
	else
		json_null(b);
}

void json_bytes(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	buf_reserve(b, n * 4 + 2);
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		char t[4];
		size_t k = 0;
		unsigned v = s[i];
		if (i)
			buf_addc(b, ',');
		if (v >= 100)
			t[k++] = (char)('0' + v / 100);
		if (v >= 10)
			t[k++] = (char)('0' + v / 10 % 10);
		t[k++] = (char)('0' + v % 10);
		buf_add(b, t, k);
	}
	buf_addc(b, ']');
}

/* ,"KEY_bytes": */
static void sibling_key(struct buf *b, const char *key)
{
	json_sep(b);
	json_cstr(b, key);
	b->len--; /* the closing quote */
	buf_adds(b, "_bytes\":");
}

void json_str_sibling(struct buf *b, const char *key, const void *s, size_t n)
{
	if (!s || json_str_exact(s, n))
		return;
	sibling_key(b, key);
	json_bytes(b, s, n);
}

void json_kstr(struct buf *b, const char *key, const void *s, size_t n)
{
	json_key(b, key);
	if (!s) {
		json_null(b);
		return;
	}
	json_str(b, s, n);
	json_str_sibling(b, key, s, n);
}

void json_kcstr(struct buf *b, const char *key, const char *s)
{
	json_kstr(b, key, s, s ? strlen(s) : 0);
}

void json_strv(struct buf *b, size_t n, json_strv_get get, const void *ctx)
{
	buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		const char *s = get(ctx, i, &len);
		if (i)
			buf_addc(b, ',');
		if (s)
			json_str(b, s, len);
		else
			json_null(b);
	}
	buf_addc(b, ']');
}

void json_strv_sibling(struct buf *b, const char *key, size_t n, json_strv_get get, const void *ctx)
{
	size_t i = 0, len = 0;
	for (; i < n; i++) {
		const char *s = get(ctx, i, &len);
		if (s && !json_str_exact(s, len))
			break;
	}
	if (i == n)
		return;
	sibling_key(b, key);
	buf_addc(b, '[');
	for (i = 0; i < n; i++) {
		const char *s = get(ctx, i, &len);
		if (i)
			buf_addc(b, ',');
		if (s && !json_str_exact(s, len))
			json_bytes(b, s, len);
		else
			json_null(b);
	}
	buf_addc(b, ']');
}

void json_kstrv(struct buf *b, const char *key, size_t n, json_strv_get get, const void *ctx)
{
	json_key(b, key);
	json_strv(b, n, get, ctx);
	json_strv_sibling(b, key, n, get, ctx);
}

static const char *cstrv_get(const void *ctx, size_t i, size_t *len)
{
	const char *const *v = ctx;
	*len = v[i] ? strlen(v[i]) : 0;
	return v[i];
}

void json_kcstrv(struct buf *b, const char *key, const char *const *v, size_t n)
{
	json_kstrv(b, key, n, cstrv_get, v);
}

int json_hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t json_unescape_bytes(struct buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t before = out->len;
	buf_reserve(out, n);
	size_t i = 0;
	while (i < n) {
		const unsigned char *bs = memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		buf_add(out, s + i, run);
		i += run;
		if (i >= n)
			break;
		if (i + 1 < n && s[i + 1] == '\\') {
			buf_addc(out, '\\');
			i += 2;
		} else if (i + 3 < n && s[i + 1] == 'x' && json_hexval(s[i + 2]) >= 0 &&
			   json_hexval(s[i + 3]) >= 0) {
			buf_addc(out, (char)(json_hexval(s[i + 2]) << 4 | json_hexval(s[i + 3])));
			i += 4;
		} else {
			buf_addc(out, '\\');
			i++;
		}
	}
	if (!out->data)
		buf_add(out, "", 0);
	return out->len - before;
}

void json_sep(struct buf *b)
{
	if (b->len == 0)
		return;
	char last = b->data[b->len - 1];
	if (last != '{' && last != '[' && last != ':')
		buf_addc(b, ',');
}

void json_key(struct buf *b, const char *key)
{
	json_sep(b);
	json_cstr(b, key);
	buf_addc(b, ':');
}

/* Decimal digits of v (printf is the hot spot of the sinks otherwise). */
static void put_u64(struct buf *b, uint64_t v)
{
	char tmp[20];
	size_t i = sizeof(tmp);
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	buf_add(b, tmp + i, sizeof(tmp) - i);
}

void json_u64(struct buf *b, uint64_t v)
{
	if (v < JSON_SAFE_INT) {
		put_u64(b, v);
	} else {
		buf_addc(b, '"');
		put_u64(b, v);
		buf_addc(b, '"');
	}
}

void json_i64(struct buf *b, int64_t v)
{
	bool safe = v > -(int64_t)JSON_SAFE_INT && v < (int64_t)JSON_SAFE_INT;
	if (!safe)
		buf_addc(b, '"');
	if (v < 0)
		buf_addc(b, '-');
	put_u64(b, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	if (!safe)
		buf_addc(b, '"');
}

void json_secs_ns(struct buf *b, uint64_t ns, int decimals)
{
	static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000,
					 100000000, 1000000000};
	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	uint64_t unit = pow10[9 - decimals];
	uint64_t q = ns / unit + (ns % unit >= (unit + 1) / 2 && unit > 1 ? 1 : 0);
	put_u64(b, q / pow10[decimals]);
	if (!decimals)
		return;
	char frac[9];
	uint64_t f = q % pow10[decimals];
	for (int i = decimals - 1; i >= 0; i--) {
		frac[i] = (char)('0' + f % 10);
		f /= 10;
	}
	buf_addc(b, '.');
	buf_add(b, frac, (size_t)decimals);
}

void json_hex(struct buf *b, uint64_t v)
{
	buf_addc(b, '"');
	buf_addhex(b, v);
	buf_addc(b, '"');
}

void json_double(struct buf *b, double v)
{
	if (!isfinite(v)) {
		json_null(b);
		return;
	}
	char tmp[40];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	buf_adds(b, tmp);
	/* "1e+20" and "5" are valid JSON numbers; nothing to add. */
}

void json_fixed(struct buf *b, double v, int decimals)
{
	if (!isfinite(v)) {
		json_null(b);
		return;
	}
	buf_printf(b, "%.*f", decimals, v);
}

void json_bool(struct buf *b, bool v)
{
	buf_adds(b, v ? "true" : "false");
}

void json_null(struct buf *b)
{
	buf_add(b, "null", 4);
}
