/* SPDX-License-Identifier: MIT */
/* msg: compendium's one-line messages on stderr (errors, warnings, notes), escaped for the terminal. */
#ifndef COMPENDIUM_MSG_H
#define COMPENDIUM_MSG_H

#include "lib/util.h"

/* One line "compendium: error: ...", then exit(status). For init paths only. */
void die(int status, const char *fmt, ...) PRINTF_LIKE(2, 3) NORETURN;
/* One line "compendium: warning: ..." on stderr. */
void warnmsg(const char *fmt, ...) PRINTF_LIKE(1, 2);
/* One line "compendium: ..." on stderr (notes such as "detached from 123"). */
void notemsg(const char *fmt, ...) PRINTF_LIKE(1, 2);

#endif
