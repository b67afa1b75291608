/* SPDX-License-Identifier: MIT */
/*
 * jsonrd: the reading side of json.h's string policy, on parsed (cJSON)
 * values: the exact bytes of a string member are those of its "KEY_bytes"
 * sibling when there is one, else the string itself in UTF-8.
 */
#ifndef COMPENDIUM_JSONRD_H
#define COMPENDIUM_JSONRD_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "lib/util.h"

/* An array of integers 0..255 into out (appended); false (out unchanged) if j is not one. */
bool jsonrd_byte_array(const cJSON *j, struct buf *out);

/*
 * The "KEY_bytes" sibling of member m of object o (m->string is KEY), or
 * NULL if there is none (or it is not an array).
 */
const cJSON *jsonrd_sibling(const cJSON *o, const cJSON *m);

/*
 * Is member m of object o the sibling of another member (its name is
 * KEY_bytes, it is an array, and o has a member KEY that is a string, a
 * null or an array)? Readers skip such members: they belong to KEY.
 */
bool jsonrd_is_sibling(const cJSON *o, const cJSON *m);

/*
 * The exact bytes of string value s, given its sibling value sib (the
 * KEY_bytes array for a member, an element of it for a vector; may be
 * NULL), appended to out. Returns false (nothing appended) if s is not a
 * string.
 */
bool jsonrd_str(const cJSON *s, const cJSON *sib, struct buf *out);

/* jsonrd_str of member key of o; false if it is not a string. */
bool jsonrd_member(const cJSON *o, const char *key, struct buf *out);

#endif
