/* SPDX-License-Identifier: MIT */
/*
 * evfield: typed reads of one event's fields, for the sinks. Each looks the
 * first field with the key up (ev_find) and answers "absent" when the field
 * is missing or of another kind, so a log read back with --from (where a
 * value may come back as a string) never misleads a reader. Returned
 * strings belong to the log.
 */
#ifndef COMPENDIUM_EVFIELD_H
#define COMPENDIUM_EVFIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/evlog.h"

/* The value of a numeric field (any kind but strings, vectors, JSON and doubles); false if none. */
bool evfield_num(const struct ev *e, unsigned key, int64_t *v);
/* True if the field is numeric and not zero. */
bool evfield_bool(const struct ev *e, unsigned key);
/* The string id of an EVF_STR field; 0 if none (or JSON null). */
uint32_t evfield_strid(const struct ev *e, unsigned key);
/* The bytes of an EVF_STR field (*len excludes the NUL; len may be NULL); NULL if none. */
const char *evfield_str(const struct evlog *log, const struct ev *e, unsigned key, size_t *len);
/* The string-vector id of an EVF_STRV field; 0 if none. */
uint32_t evfield_strvid(const struct ev *e, unsigned key);
/* The JSON text of an EVF_JSON field; NULL if none. */
const char *evfield_json(const struct evlog *log, const struct ev *e, unsigned key);
/*
 * The event's errno (EVK_ERR): the positive errno (or restart code), 0 if
 * it did not fail, or -1 with *name set to the string id of an errno name
 * this build does not know (a --from log); *name is 0 otherwise.
 */
int evfield_errno(const struct ev *e, uint32_t *name);
/* ERESTARTSYS..ERESTART_RESTARTBLOCK: the kernel restarts the call, nothing failed. */
static inline bool evfield_restart_err(int err)
{
	return err >= 512 && err <= 516;
}

#endif
