/* SPDX-License-Identifier: MIT */
/* fmt: human formatting of sizes and durations for the text sinks. */
#include "fmt.h"

#include <math.h>

void fmt_size(struct buf *b, uint64_t bytes)
{
	static const char *const unit[] = {"KB", "MB", "GB", "TB", "PB", "EB"};
	if (bytes < 1024) {
		buf_printf(b, "%llu B", (unsigned long long)bytes);
		return;
	}
	double v = (double)bytes / 1024;
	unsigned u = 0;
	/* 1023.96 KB would print as "1024.0 KB": move up a unit first. */
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
