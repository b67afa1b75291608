/* SPDX-License-Identifier: MIT */
/*
 * shquote: a command-line argument as a shell would need it typed, and safe
 * for the terminal. An argument of only [A-Za-z0-9_@%+=:,./-] passes as it
 * is; one with other printable characters is put in single quotes (a quote
 * inside becomes '\'' as Python's shlex.quote does); one that termesc would
 * change (controls, invalid UTF-8, bidi) is written $'...' with termesc's
 * escapes, which bash reads back (printf %q does the same).
 */
#ifndef COMPENDIUM_SHQUOTE_H
#define COMPENDIUM_SHQUOTE_H

#include <stddef.h>

#include "lib/util.h"

/*
 * Append the quoted form of s[0..n) to b, showing at most 'max' bytes of it
 * (0: no limit) followed by "..." outside the quotes when it was cut.
 */
void shquote(struct buf *b, const char *s, size_t n, size_t max);

#endif
