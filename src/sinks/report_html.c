/* SPDX-License-Identifier: MIT */
/* report_html: the page: the template's @@NAME@@ slots filled from a table of writers, the data in base64. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lib/util.h"
#include "report_assets.h"
#include "sinks/report_int.h"

#define REPORT_BLOCK_RAW (12u << 20) /* 12 MiB of gzip -> 16 MiB of base64 per block */

/* base64 two characters per table entry: 12 bits of input each */
struct b64 {
	char pairs[4096][2];
};

static void b64_init(struct b64 *t)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (unsigned i = 0; i < 4096; i++) {
		t->pairs[i][0] = tab[i >> 6];
		t->pairs[i][1] = tab[i & 63];
	}
}

/* base64 of n bytes written at o (which has room for (n + 2) / 3 * 4). */
static void base64_put(const struct b64 *t, char *o, const unsigned char *p, size_t n)
{
	size_t i = 0;
	for (; i + 3 <= n; i += 3, o += 4) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		memcpy(o, t->pairs[v >> 12], 2);
		memcpy(o + 2, t->pairs[v & 4095], 2);
	}
	if (i < n) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
		memcpy(o, t->pairs[v >> 12], 2);
		o[2] = i + 1 < n ? t->pairs[v & 4095][0] : '=';
		o[3] = '=';
	}
}

/* Entity-escape for the <title> (RCDATA). */
static void html_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': buf_adds(b, "&amp;"); break;
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		case '\'': buf_adds(b, "&#39;"); break;
		default: buf_addc(b, *s);
		}
	}
}

struct b64_part {
	const struct b64 *t;
	char *o;
	const unsigned char *p;
	size_t n;
};

static void b64_run(const struct b64_part *bp)
{
	base64_put(bp->t, bp->o, bp->p, bp->n);
}

struct b64_all {
	const struct b64_part *parts;
	size_t n;
};

static void *b64_run_all(void *arg)
{
	const struct b64_all *a = arg;
	for (size_t k = 0; k < a->n; k++)
		b64_run(&a->parts[k]);
	return NULL;
}

/*
 * The gzip data as base64 in <script> blocks of at most REPORT_BLOCK_RAW bytes
 * each; the first half of every block is encoded on a second thread.
 */
static void put_data(struct buf *out, const struct buf *gz)
{
	static const char open_tag[] = "<script type=\"application/octet-stream\" class=\"trace-data\">";
	static const char close_tag[] = "</script>\n";
	size_t nblocks = gz->len ? (gz->len + REPORT_BLOCK_RAW - 1) / REPORT_BLOCK_RAW : 1;
	buf_reserve(out, nblocks * (sizeof(open_tag) + sizeof(close_tag)) + (gz->len / 3 + nblocks) * 4);
	struct b64 t;
	b64_init(&t);
	struct b64_part *first = xcalloc(nblocks, sizeof(*first)), rest;
	for (size_t k = 0, off = 0; k < nblocks; k++, off += REPORT_BLOCK_RAW) {
		size_t len = gz->len - off < REPORT_BLOCK_RAW ? gz->len - off : REPORT_BLOCK_RAW;
		size_t h = len / 6 * 3; /* a multiple of 3: the halves encode independently */
		buf_adds(out, open_tag);
		first[k] = (struct b64_part){&t, out->data + out->len, (const unsigned char *)gz->data + off, h};
		out->len += (len + 2) / 3 * 4;
		buf_adds(out, close_tag);
	}
	pthread_t th;
	struct b64_all all = {first, nblocks};
	bool threaded = report_start_thread(&th, b64_run_all, &all);
	for (size_t k = 0, off = 0; k < nblocks; k++, off += REPORT_BLOCK_RAW) {
		size_t len = gz->len - off < REPORT_BLOCK_RAW ? gz->len - off : REPORT_BLOCK_RAW;
		rest = (struct b64_part){&t, first[k].o + first[k].n / 3 * 4, first[k].p + first[k].n,
					 len - first[k].n};
		b64_run(&rest);
		if (!threaded)
			b64_run(&first[k]);
	}
	if (threaded)
		pthread_join(th, NULL);
	free(first);
}

void report_html_title(struct buf *title, const struct run *r, bool redact)
{
	buf_adds(title, "compendium");
	bool red = false;
	char **av = report_argv_redacted(r, redact, &red);
	for (size_t i = 0; av[i] && i < 8; i++) {
		struct buf d = {0};
		buf_addc(title, ' ');
		report_disp_add(&d, av[i], strlen(av[i]));
		if (d.len)
			html_text(title, d.data);
		buf_free(&d);
	}
	report_strv_free(av);
}

/* What the template's placeholders are filled with. */
struct page {
	const struct buf *title, *meta, *gz;
};

static void put_csp(struct buf *out, const struct page *pg)
{
	(void)pg;
	buf_printf(out, "default-src 'none'; script-src 'sha256-%s'; style-src 'sha256-%s';"
		   " img-src data:; base-uri 'none'; form-action 'none'",
		   report_js_sha256, report_css_sha256);
}

static void put_title(struct buf *out, const struct page *pg)
{
	buf_add(out, pg->title->data, pg->title->len);
}

static void put_css(struct buf *out, const struct page *pg)
{
	(void)pg;
	buf_add(out, report_css, report_css_len);
}

static void put_js(struct buf *out, const struct page *pg)
{
	(void)pg;
	buf_add(out, report_js, report_js_len);
}

static void put_meta(struct buf *out, const struct page *pg)
{
	buf_add(out, pg->meta->data, pg->meta->len);
}

static void put_gz(struct buf *out, const struct page *pg)
{
	put_data(out, pg->gz);
}

static const struct {
	const char *name;
	void (*put)(struct buf *out, const struct page *pg);
} slots[] = {
	{"CSP", put_csp},
	{"TITLE", put_title},
	{"CSS", put_css},
	{"JS", put_js},
	{"META", put_meta},
	{"DATA", put_gz},
};

/*
 * Text between two "@@" that is not a name in slots (the template's own
 * comment says "@@NAME@@") is copied as it is, and so is a lone "@@".
 */
void report_html_page(struct buf *out, const struct buf *title, const struct buf *meta, const struct buf *gz)
{
	const struct page pg = {title, meta, gz};
	const char *tpl = (const char *)report_tpl;
	const char *end = tpl + report_tpl_len;
	buf_reserve(out, report_tpl_len + gz->len / 3 * 4 + gz->len / REPORT_BLOCK_RAW * 128 + meta->len +
			 report_js_len + report_css_len + title->len + 1024);
	while (tpl < end) {
		const char *at = strstr(tpl, "@@");
		if (!at || at >= end) {
			buf_add(out, tpl, (size_t)(end - tpl));
			break;
		}
		buf_add(out, tpl, (size_t)(at - tpl));
		const char *close = strstr(at + 2, "@@");
		if (!close) {
			buf_add(out, at, (size_t)(end - at));
			break;
		}
		size_t nl = (size_t)(close - at - 2);
		size_t k = 0;
		while (k < ARRAY_SIZE(slots) && !(strlen(slots[k].name) == nl && !memcmp(slots[k].name, at + 2, nl)))
			k++;
		if (k < ARRAY_SIZE(slots))
			slots[k].put(out, &pg);
		else
			buf_add(out, at, nl + 4);
		tpl = close + 2;
	}
}
