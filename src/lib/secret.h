/* SPDX-License-Identifier: MIT */
/*
 * secret: which names look like they hold a secret (doc/SAFETY.md, 'Secrets'), one
 * rule for the report's redaction and the watch dumps' argv: a name
 * containing key, token, secret, pass, pwd, credential, oauth, authoriz,
 * _auth, auth_, -auth or auth-, the name auth itself, or one starting with
 * aws_; ASCII case ignored. Deliberately wide (a --keyboard= value is hidden
 * too): a hidden harmless value costs less than a shown password.
 */
#ifndef COMPENDIUM_SECRET_H
#define COMPENDIUM_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Is s[0..n) (a variable or flag name without its leading dashes) secret-looking? */
bool secret_name(const char *s, size_t n);
/* Does s[0..n) hold needle, ASCII case ignored? */
bool secret_ci_has(const char *s, size_t n, const char *needle);

#endif
