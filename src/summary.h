/* SPDX-License-Identifier: MIT */
/* summary: the FINAL block (and the -c per-syscall table) after tracing. */
#ifndef COMPENDIUM_SUMMARY_H
#define COMPENDIUM_SUMMARY_H

#include "run.h"

/* Print the summary of r to fd. */
void summary_print(struct run *r, int fd);

#endif
