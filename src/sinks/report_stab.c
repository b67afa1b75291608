/* SPDX-License-Identifier: MIT */
/* report_stab: the display form of tracee bytes and the table that stores each display string once. */
#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/jsonrd.h"
#include "lib/util.h"
#include "sinks/report_int.h"

/*
 * Where the run of bytes that display as they are (printable ASCII other
 * than the backslash) starting at i ends; 8 bytes at a time while a word
 * has no byte >= 0x80, < 0x20, 0x7f or '\\' (exact zero-byte tests).
 */
static size_t plain_end(const unsigned char *s, size_t i, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t bs = w ^ ones * '\\', del = w ^ ones * 0x7f;
		if ((w | ((w - ones * 0x20) & ~w) | ((bs - ones) & ~bs) | ((del - ones) & ~del)) & highs)
			break;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\')
		i++;
	return i;
}

void report_disp_add(struct buf *b, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t i = 0;
	buf_reserve(b, n + 8);
	while (i < n) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f) {
			if (c == '\\') {
				buf_addc(b, '\\'); /* one backslash: the display is not an escape language */
				i++;
				continue;
			}
			size_t e = plain_end(s, i + 1, n);
			buf_add(b, s + i, e - i);
			i = e;
			continue;
		}
		uint32_t cp;
		size_t len = c >= 0x80 ? json_utf8_decode(s + i, n - i, &cp) : 0;
		if (len && !(cp >= 0x80 && cp <= 0x9f)) {
			buf_add(b, s + i, len);
			i += len;
			continue;
		}
		if (len == 0)
			len = 1;
		for (size_t k = 0; k < len; k++) {
			c = s[i + k];
			if (c == '\n')
				buf_add(b, "\\n", 2);
			else if (c == '\t')
				buf_add(b, "\\t", 2);
			else if (c == '\r')
				buf_add(b, "\\r", 2);
			else
				buf_printf(b, "\\x%02x", c);
		}
		i += len;
	}
}

/* Value j of an EVF_JSON field again, display forms for strings that have KEY_bytes. */
static void json_disp_value(struct buf *b, const cJSON *j)
{
	if (cJSON_IsObject(j) || cJSON_IsArray(j)) {
		bool obj = cJSON_IsObject(j);
		buf_addc(b, obj ? '{' : '[');
		for (const cJSON *c = j->child; c; c = c->next) {
			if (obj && jsonrd_is_sibling(j, c))
				continue; /* shown through the string it belongs to */
			json_sep(b);
			if (obj) {
				json_cstr(b, c->string);
				buf_addc(b, ':');
			}
			const cJSON *sib = obj ? jsonrd_sibling(j, c) : NULL;
			if (sib && (cJSON_IsString(c) || cJSON_IsArray(c))) {
				struct buf raw = {0}, d = {0};
				bool vec = cJSON_IsArray(c);
				if (vec)
					buf_addc(b, '[');
				int k = 0;
				for (const cJSON *e = vec ? c->child : c; e; e = vec ? e->next : NULL, k++) {
					buf_reset(&raw);
					buf_reset(&d);
					if (vec)
						json_sep(b);
					if (!jsonrd_str(e, vec ? cJSON_GetArrayItem(sib, k) : sib, &raw)) {
						json_null(b);
						continue;
					}
					report_disp_add(&d, raw.data, raw.len);
					json_str(b, d.data ? d.data : "", d.len);
				}
				if (vec)
					buf_addc(b, ']');
				buf_free(&raw);
				buf_free(&d);
				continue;
			}
			json_disp_value(b, c);
		}
		buf_addc(b, obj ? '}' : ']');
		return;
	}
	char *t = cJSON_PrintUnformatted(j);
	if (cJSON_IsString(j))
		json_cstr(b, j->valuestring);
	else
		buf_adds(b, t ? t : "null");
	free(t);
}

void report_json_disp(struct buf *b, const char *s, size_t n)
{
	cJSON *j = memmem(s, n, "_bytes\"", 7) ? cJSON_ParseWithLength(s, n) : NULL;
	if (!j) {
		buf_add(b, s, n);
		return;
	}
	json_disp_value(b, j);
	cJSON_Delete(j);
}

uint32_t report_hash32(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n * 0xff51afd7ed558ccdull;
	uint64_t w;
	size_t i = 0;
	if (n > 64) {
		/* long strings (argv lists): four independent lanes */
		uint64_t l[4] = {h, h ^ 1, h ^ 2, h ^ 3};
		for (; i + 32 < n; i += 32)
			for (int k = 0; k < 4; k++) {
				memcpy(&w, s + i + 8 * k, 8);
				l[k] = (l[k] ^ w) * 0xff51afd7ed558ccdull;
				l[k] ^= l[k] >> 32;
			}
		h = l[0] ^ (l[1] * 3) ^ (l[2] * 5) ^ (l[3] * 7);
	}
	if (n > 8) {
		for (; i + 8 < n; i += 8) {
			memcpy(&w, s + i, 8);
			h = (h ^ w) * 0xff51afd7ed558ccdull;
			h ^= h >> 32;
		}
		memcpy(&w, s + n - 8, 8);
	} else if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		w = (uint64_t)hi << 32 | lo;
	} else {
		w = n ? (uint64_t)s[0] << 16 | (uint64_t)s[n / 2] << 8 | s[n - 1] : 0;
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)(h ^ h >> 32);
}

static void grow(struct report_stab *t)
{
	uint32_t ncap = t->hcap ? t->hcap * 2 : 1024;
	uint64_t *nh = xcalloc(ncap, sizeof(*nh));
	for (uint32_t i = 0; i < t->hcap; i++) {
		uint64_t v = t->h[i];
		if (!v)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & (ncap - 1);
		while (nh[j])
			j = (j + 1) & (ncap - 1);
		nh[j] = v;
	}
	free(t->h);
	t->h = nh;
	t->hcap = ncap;
}

uint32_t report_stab_id(struct report_stab *t, const char *s, size_t n)
{
	if ((uint64_t)(t->n + 1) * 2 >= t->hcap)
		grow(t);
	uint32_t hv = report_hash32(s, n);
	uint32_t j = hv & (t->hcap - 1);
	for (;;) {
		uint64_t v = t->h[j];
		if (!v)
			break;
		uint32_t id = (uint32_t)v;
		/* the stored hash spares a look at the text of every other string */
		if ((uint32_t)(v >> 32) == hv && t->len[id] == n && memcmp(t->text.data + t->off[id], s, n) == 0)
			return id;
		j = (j + 1) & (t->hcap - 1);
	}
	if (t->n + 2 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 1024;
		t->off = xreallocarray(t->off, t->cap, sizeof(*t->off));
		t->len = xreallocarray(t->len, t->cap, sizeof(*t->len));
	}
	uint32_t id = ++t->n;
	if (id > 1)
		buf_addc(&t->text, '\n');
	t->off[id] = t->text.len;
	t->len[id] = (uint32_t)n;
	buf_add(&t->text, s, n);
	t->h[j] = (uint64_t)hv << 32 | id;
	return id;
}

void report_stab_reserve(struct report_stab *t, size_t n)
{
	uint32_t hcap = 1024;
	while (hcap < n / 2 && hcap < (1u << 25))
		hcap *= 2;
	t->h = xcalloc(hcap, sizeof(*t->h));
	t->hcap = hcap;
	t->cap = hcap / 2;
	t->off = xreallocarray(NULL, t->cap, sizeof(*t->off));
	t->len = xreallocarray(NULL, t->cap, sizeof(*t->len));
	buf_reserve(&t->text, n < (1u << 25) ? n * 8 : (size_t)1 << 28);
}

void report_stab_free(struct report_stab *t)
{
	buf_free(&t->text);
	free(t->off);
	free(t->len);
	free(t->h);
}
