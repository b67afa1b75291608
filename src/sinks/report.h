/* SPDX-License-Identifier: MIT */
/* report: the self-contained HTML report (--report). */
#ifndef COMPENDIUM_REPORT_H
#define COMPENDIUM_REPORT_H

#include <stdbool.h>

#include "log/run.h"

/* How to write one report; a zeroed struct means mode 0600 with redaction. */
struct report_cfg {
	unsigned mode;         /* file mode of the report; 0 means 0600 */
	bool no_redact;        /* keep secrets (tokens, passwords) as traced */
	const char *warnings;  /* borrowed; shown inside the report, or NULL */
};

/*
 * Validate an output path before any tracing starts: its directory exists
 * and is writable, it is not a directory, not a dangling or foreign symlink.
 * Returns 0, or prints one clear error line and returns -errno.
 */
int report_check_path(const char *path);

/*
 * Render r (borrowed) into path atomically (temporary file, fsync, rename)
 * as cfg says. Returns 0 or -errno with one clear message printed.
 */
int report_write(struct run *r, const char *path, const struct report_cfg *cfg);

#endif
