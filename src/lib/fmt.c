/* SPDX-License-Identifier: MIT */
/* fmt: human formatting of sizes, durations, stacks and crash disassembly for the text sinks. */
#include "lib/fmt.h"

#include <cJSON.h>
#include <math.h>
#include <string.h>

#include "lib/json.h"
#include "lib/jsonrd.h"
#include "lib/termesc.h"

void fmt_size(struct buf *b, uint64_t bytes)
{
	static const char *const unit[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
	if (bytes < 1024) {
		buf_printf(b, "%llu B", (unsigned long long)bytes);
		return;
	}
	double v = (double)bytes / 1024;
	unsigned u = 0;
	/* 1023.96 KiB would print as "1024.0 KiB": move up a unit first. */
	while (v >= 1023.95 && u + 1 < sizeof(unit) / sizeof(unit[0])) {
		v /= 1024;
		u++;
	}
	buf_printf(b, "%.1f %s", v, unit[u]);
}

void fmt_secs(struct buf *b, double secs)
{
	if (!isfinite(secs) || secs < 0)
		secs = 0;
	if (secs < 9.995)
		buf_printf(b, "%.2fs", secs);
	else if (secs < 59.95)
		buf_printf(b, "%.1fs", secs);
	else if (secs < 3600) {
		unsigned long s = (unsigned long)llround(secs);
		buf_printf(b, "%lum%02lus", s / 60, s % 60);
	} else {
		unsigned long m = (unsigned long)llround(secs / 60);
		buf_printf(b, "%luh%02lum", m / 60, m % 60);
	}
}

/* A string member of a parsed log value, back to its bytes (its KEY_bytes, lib/jsonrd.h), escaped for the terminal. */
static bool add_member(struct buf *b, const cJSON *o, const char *key, bool base_name)
{
	struct buf t = {0};
	if (!jsonrd_member(o, key, &t))
		return false;
	const char *s = t.data ? t.data : "";
	size_t n = t.len;
	const char *slash = base_name ? memrchr(s, '/', n) : NULL;
	if (slash && (size_t)(slash - s) + 1 < n) {
		n -= (size_t)(slash + 1 - s);
		s = slash + 1;
	}
	termesc(b, s, n);
	buf_free(&t);
	return true;
}

static void frame(struct buf *b, const cJSON *f)
{
	bool sym = add_member(b, f, "sym", false);
	if (sym)
		buf_addc(b, ' ');
	if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(f, "module"))) {
		buf_addc(b, '(');
		add_member(b, f, "module", true);
		const cJSON *off = cJSON_GetObjectItemCaseSensitive(f, "offset");
		if (cJSON_IsString(off)) {
			buf_addc(b, '+');
			termesc_cstr(b, off->valuestring);
		}
		buf_addc(b, ')');
	} else {
		if (!add_member(b, f, "ip", false))
			buf_addc(b, '?');
		buf_adds(b, " (no module)");
	}
}

static void line(struct buf *b, const char *indent, bool *open)
{
	if (*open)
		buf_addc(b, '\n');
	buf_adds(b, indent);
	*open = true;
}

unsigned fmt_stack(struct buf *b, const char *json, const char *indent, unsigned max, bool truncated)
{
	cJSON *j = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	unsigned k = 0, more = 0;
	bool open = false;
	const cJSON *trunc = NULL;
	if (!cJSON_IsArray(j)) {
		cJSON_Delete(j);
		return 0;
	}
	for (const cJSON *f = j->child; f; f = f->next) {
		if (!cJSON_IsObject(f))
			continue;
		if (cJSON_GetObjectItemCaseSensitive(f, "truncated")) {
			trunc = f;
			continue;
		}
		if (max && k >= max) {
			more++;
			continue;
		}
		line(b, indent, &open);
		buf_printf(b, "#%u ", k++);
		frame(b, f);
	}
	if (more) {
		line(b, indent, &open);
		buf_printf(b, "\u2026 %u more frame%s", more, more == 1 ? "" : "s");
	}
	if (trunc && truncated) {
		line(b, indent, &open);
		buf_adds(b, "\u2026 truncated");
		if (cJSON_IsString(cJSON_GetObjectItemCaseSensitive(trunc, "reason"))) {
			buf_adds(b, " (");
			add_member(b, trunc, "reason", false);
			buf_addc(b, ')');
		}
	}
	if (open)
		buf_addc(b, '\n');
	cJSON_Delete(j);
	return k;
}

unsigned fmt_disasm(struct buf *b, const char *json, const char *indent)
{
	cJSON *j = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	unsigned k = 0;
	bool open = false;
	for (const cJSON *i = cJSON_IsArray(j) ? j->child : NULL; i; i = i->next) {
		const cJSON *addr = cJSON_GetObjectItemCaseSensitive(i, "addr");
		if (!cJSON_IsString(addr))
			continue;
		line(b, indent, &open);
		buf_adds(b, cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(i, "fault")) ? " \u2192 " : "   ");
		termesc_cstr(b, addr->valuestring);
		buf_adds(b, "  ");
		add_member(b, i, "text", false);
		k++;
	}
	if (open)
		buf_addc(b, '\n');
	cJSON_Delete(j);
	return k;
}

bool fmt_disasm_fault(struct buf *b, const char *json)
{
	cJSON *j = json ? cJSON_ParseWithOpts(json, NULL, 1) : NULL;
	bool found = false;
	for (const cJSON *i = cJSON_IsArray(j) ? j->child : NULL; i && !found; i = i->next) {
		const cJSON *addr = cJSON_GetObjectItemCaseSensitive(i, "addr");
		if (!cJSON_IsString(addr) || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(i, "fault")))
			continue;
		termesc_cstr(b, addr->valuestring);
		buf_adds(b, ": ");
		add_member(b, i, "text", false);
		found = true;
	}
	cJSON_Delete(j);
	return found;
}
