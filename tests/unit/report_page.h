/* SPDX-License-Identifier: MIT */
/*
 * report_page: read a written report back for the unit tests: the meta
 * JSON and the column data (base64 blocks -> one gzip stream -> raw bytes).
 * Include after <cmocka.h>.
 */
#ifndef COMPENDIUM_TEST_REPORT_PAGE_H
#define COMPENDIUM_TEST_REPORT_PAGE_H

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "test_slurp.h"
#include "lib/util.h"

struct report_page {
	char *html;
	size_t html_len;
	cJSON *meta;
	struct buf data; /* the gzip bytes of all blocks */
	int nblocks;
	unsigned char *raw;
	size_t raw_len;
};

/* Every byte of a block must be base64 up to its padding. */
static void report_page_load(const char *path, struct report_page *pg)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	signed char val[256];
	memset(val, -1, sizeof(val));
	for (int k = 0; k < 64; k++)
		val[(unsigned char)tab[k]] = (signed char)k;
	memset(pg, 0, sizeof(*pg));
	pg->html = test_slurp(path, &pg->html_len);
	const char *mo = "<script type=\"application/json\" id=\"meta\">";
	char *m = strstr(pg->html, mo);
	assert_non_null(m);
	m += strlen(mo);
	char *me = strstr(m, "</script>");
	assert_non_null(me);
	pg->meta = cJSON_ParseWithLength(m, (size_t)(me - m));
	assert_non_null(pg->meta);
	const char *bo = "<script type=\"application/octet-stream\" class=\"trace-data\">";
	for (char *p = strstr(pg->html, bo); p; p = strstr(p, bo)) {
		p += strlen(bo);
		char *e = strstr(p, "</script>");
		assert_non_null(e);
		uint32_t acc = 0;
		int bits = 0;
		for (; p < e && *p != '='; p++) {
			int v = val[(unsigned char)*p];
			assert_true(v >= 0);
			acc = acc << 6 | (uint32_t)v;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf_addc(&pg->data, (char)(acc >> bits));
			}
		}
		pg->nblocks++;
	}
	size_t raw_len = (size_t)cJSON_GetObjectItem(pg->meta, "raw_len")->valuedouble;
	pg->raw = xmalloc(raw_len + 1);
	z_stream z = {0};
	assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
	z.next_in = (Bytef *)pg->data.data;
	z.avail_in = (uInt)pg->data.len;
	z.next_out = pg->raw;
	z.avail_out = (uInt)raw_len + 1;
	/* one gzip member whose end is the end of the data */
	assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
	assert_int_equal(z.avail_in, 0);
	pg->raw_len = z.total_out;
	inflateEnd(&z);
	assert_int_equal(pg->raw_len, raw_len);
}

static void report_page_free(struct report_page *pg)
{
	free(pg->html);
	free(pg->raw);
	buf_free(&pg->data);
	cJSON_Delete(pg->meta);
}

#endif
