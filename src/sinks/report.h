/* SPDX-License-Identifier: MIT */
/* report: the self-contained HTML report (--report). */
#ifndef COMPENDIUM_REPORT_H
#define COMPENDIUM_REPORT_H

#include "log/run.h"

/*
 * Validate an output path before any tracing starts: its directory exists
 * and is writable, it is not a directory, not a dangling or foreign symlink.
 * Returns 0, or prints one clear error line and returns -errno.
 */
int report_check_path(const char *path);

/*
 * Render r into path atomically (temporary file, fsync, rename) with the
 * given mode. warnings (may be NULL) are shown inside the report.
 * Returns 0 or -errno with one clear message printed.
 */
int report_write(struct run *r, const char *path, unsigned mode, const char *warnings);

#endif
