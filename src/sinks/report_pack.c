/* SPDX-License-Identifier: MIT */
/*
 * report_pack: the report's columns as sections of one raw byte string
 * (integers as byte planes), queued piece by piece to the gzip workers.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lib/json.h"
#include "lib/util.h"
#include "sinks/report_int.h"

#define ZTEXT (512u << 10) /* bytes per string-table piece */
#define ZSMALL (64u << 10) /* a section this small is one job */

/* The raw data's sections, in the order they are stored. */
enum {
	S_DT, S_TX_I, S_TX_V, S_TH, S_TYPE, S_CAT, S_FLAGS, S_ERR_I, S_ERR_V, S_DUR, S_DUX_I, S_DUX_V,
	S_BYTES, S_BYX_I, S_BYX_V, S_STR, S_PATH, S_X_I, S_X_V, S_S_ID, S_S_T, S_S_V, S_STRINGS, S__COUNT
};

struct section {
	const char *name, *type;
	size_t n;     /* values */
	size_t width; /* bytes per value: the number of planes */
	size_t len;   /* stored bytes, padded to 8 except the last section */
};

struct report_pack {
	struct section s[S__COUNT];
	size_t text_done; /* string-table bytes queued */
	struct report_zpool *zp;
};

static void pack_section(struct report_pack *pk, int k, const char *name, size_t n, size_t width, bool real)
{
	static const char *const ints[] = {"", "u8", "u16", "", "u32"};
	struct section *s = &pk->s[k];
	s->name = name;
	s->type = real ? "f64" : k == S_STRINGS ? "utf8" : ints[width];
	s->n = n;
	s->width = width;
	s->len = n * width;
	if (k != S_STRINGS)
		s->len = (s->len + 7) & ~(size_t)7;
}

/*
 * Queue rows [a, b) of section k, whose values (esz bytes each, little
 * endian) are at src, as byte planes: all low bytes, then the next ...
 * Small values leave whole planes of zeros, which gzip shrinks to almost
 * nothing. Byte planes of integers are runs and noise: RLE matches level
 * 1's size at twice its speed; doubles need real matching.
 */
static void pack_rows(struct report_pack *pk, int k, const void *src, size_t esz, size_t a, size_t b)
{
	const struct section *s = &pk->s[k];
	const unsigned char *p = src;
	struct report_zjob j = {.esz = esz, .strategy = s->type[0] == 'u' ? Z_RLE : Z_DEFAULT_STRATEGY};
	size_t pad = s->len - s->n * s->width;
	if (!s->len)
		return;
	if (a == 0 && b == s->n && s->len <= ZSMALL) {
		j.src = p;
		j.m = s->n;
		j.p1 = (unsigned)s->width;
		j.pad = pad;
		j.key = (uint64_t)k << 40;
		report_zpool_add(pk->zp, &j);
		return;
	}
	for (unsigned pl = 0; pl < s->width; pl++) {
		for (size_t c = a; c < b; c += REPORT_ZROWS) {
			size_t e = b - c < REPORT_ZROWS ? b : c + REPORT_ZROWS;
			j.src = p + c * esz;
			j.m = e - c;
			j.p0 = pl;
			j.p1 = pl + 1;
			j.pad = pl == s->width - 1 && e == s->n ? pad : 0;
			j.key = (uint64_t)k << 40 | (pl * s->n + c);
			report_zpool_add(pk->zp, &j);
		}
	}
}

static void pack_col(struct report_pack *pk, int k, const char *name, const struct report_col *c)
{
	pack_section(pk, k, name, c->n, c->size, c->size == 8);
	pack_rows(pk, k, c->p, c->size, 0, c->n);
}

/* Queue the string table's finished pieces (all of it at the end). */
static void pack_text(struct report_pack *pk, const struct buf *text, bool all)
{
	while (text->len - pk->text_done >= ZTEXT || (all && pk->text_done < text->len)) {
		size_t m = text->len - pk->text_done < ZTEXT ? text->len - pk->text_done : ZTEXT;
		/* a copy: the table's buffer moves as it grows */
		unsigned char *copy = xmalloc(m);
		memcpy(copy, text->data + pk->text_done, m);
		struct report_zjob j = {.src = copy, .m = m, .own = true, .strategy = Z_DEFAULT_STRATEGY,
				 .key = (uint64_t)S_STRINGS << 40 | pk->text_done};
		report_zpool_add(pk->zp, &j);
		pk->text_done += m;
	}
}

/* The narrowest of u8, u16, u32 for values below max. */
static size_t u32_width(uint64_t max)
{
	return max <= 0x100 ? 1 : max <= 0x10000 ? 2 : 4;
}

size_t report_pack_layout(const struct report_pack *pk, struct buf *layout)
{
	size_t off = 0;
	buf_addc(layout, '[');
	for (int k = 0; k < S__COUNT; k++) {
		const struct section *s = &pk->s[k];
		json_sep(layout);
		buf_printf(layout, "{\"name\":\"%s\",\"type\":\"%s\",\"off\":%zu,\"n\":%zu}",
			   s->name, s->type, off, s->n);
		off += s->len;
	}
	buf_addc(layout, ']');
	return off;
}

struct report_pack *report_pack_new(size_t n)
{
	struct report_pack *pk = xcalloc(1, sizeof(*pk));
	pk->zp = report_zpool_new();
	pack_section(pk, S_DT, "dt", n, 4, false);
	pack_section(pk, S_CAT, "cat", n, 1, false);
	pack_section(pk, S_FLAGS, "flags", n, 1, false);
	pack_section(pk, S_DUR, "dur", n, 4, false);
	pack_section(pk, S_BYTES, "bytes", n, 4, false);
	pack_section(pk, S_STR, "str", n, 4, false);
	pack_section(pk, S_PATH, "path", n, 4, false);
	return pk;
}

void report_pack_block(struct report_pack *pk, const struct report_rep *R, size_t a, size_t b)
{
	size_t n = R->nev;
	if (a == 0) {
		/* narrow thread and type indexes if the first block's fit; checked at the end */
		pack_section(pk, S_TH, "th", n, u32_width(R->nthr), false);
		pack_section(pk, S_TYPE, "type", n, u32_width(R->ntypes), false);
	}
	pack_rows(pk, S_DT, R->dt, 4, a, b);
	pack_rows(pk, S_TH, R->th, 4, a, b);
	pack_rows(pk, S_TYPE, R->type, 2, a, b);
	pack_rows(pk, S_CAT, R->cat, 1, a, b);
	pack_rows(pk, S_FLAGS, R->flags, 1, a, b);
	pack_rows(pk, S_DUR, R->dur, 4, a, b);
	pack_rows(pk, S_BYTES, R->bytes, 4, a, b);
	pack_rows(pk, S_STR, R->str, 4, a, b);
	pack_rows(pk, S_PATH, R->path, 4, a, b);
	pack_text(pk, &R->st.text, false);
}

void report_pack_end(struct report_pack *pk, const struct report_rep *R)
{
	size_t n = R->nev;
	if (pk->s[S_TH].width < u32_width(R->nthr) || !n) {
		report_zpool_kill(pk->zp, S_TH);
		pack_section(pk, S_TH, "th", n, u32_width(R->nthr), false);
		pack_rows(pk, S_TH, R->th, 4, 0, n);
	}
	if (pk->s[S_TYPE].width < u32_width(R->ntypes) || !n) {
		report_zpool_kill(pk->zp, S_TYPE);
		pack_section(pk, S_TYPE, "type", n, u32_width(R->ntypes), false);
		pack_rows(pk, S_TYPE, R->type, 2, 0, n);
	}
	pack_col(pk, S_TX_I, "tx_i", &R->tx_i);
	pack_col(pk, S_TX_V, "tx_v", &R->tx_v);
	pack_col(pk, S_ERR_I, "err_i", &R->err_i);
	pack_col(pk, S_ERR_V, "err_v", &R->err_v);
	pack_col(pk, S_DUX_I, "dux_i", &R->dux_i);
	pack_col(pk, S_DUX_V, "dux_v", &R->dux_v);
	pack_col(pk, S_BYX_I, "byx_i", &R->byx_i);
	pack_col(pk, S_BYX_V, "byx_v", &R->byx_v);
	pack_col(pk, S_X_I, "x_i", &R->x_i);
	pack_col(pk, S_X_V, "x_v", &R->x_v);
	pack_col(pk, S_S_ID, "s_id", &R->s_id);
	pack_col(pk, S_S_T, "s_t", &R->s_t);
	pack_col(pk, S_S_V, "s_v", &R->s_v);
	pack_section(pk, S_STRINGS, "strings", R->st.text.len, 1, false);
	pack_text(pk, &R->st.text, true);
	/* an empty final block ends the deflate stream */
	struct report_zjob fin = {.key = UINT64_MAX, .strategy = Z_DEFAULT_STRATEGY, .last = true};
	report_zpool_add(pk->zp, &fin);
}

int report_pack_finish(struct report_pack *pk, struct buf *gz)
{
	int rc = report_zpool_finish(pk->zp, gz);
	free(pk);
	return rc;
}
