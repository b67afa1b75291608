/* SPDX-License-Identifier: MIT */
/* fmt: human formatting shared by the text sinks: sizes ("8.0 KB") and durations ("0.34s"). */
#ifndef COMPENDIUM_FMT_H
#define COMPENDIUM_FMT_H

#include <stdint.h>

#include "util.h"

/* Bytes in powers of 1024: "0 B", "517 B", "1.4 KB", "8.5 MB", "2.0 GB". */
void fmt_size(struct buf *b, uint64_t bytes);
/* Seconds: "0.34s" below 10 s, "12.3s" below a minute, "4m05s", "2h03m". */
void fmt_secs(struct buf *b, double secs);

#endif
