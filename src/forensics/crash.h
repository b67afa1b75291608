/* SPDX-License-Identifier: MIT */
/* crash: forensics when a tracee dies of a fault signal (registers, stack, disassembly). */
#ifndef COMPENDIUM_CRASH_H
#define COMPENDIUM_CRASH_H

#include <signal.h>

#include "log/evlog.h"
#include "tracee/task.h"

/* Record a 'crash' event for task t, stopped in the delivery of si. */
void crash_record(struct evlog *log, struct task *t, const siginfo_t *si);

#endif
