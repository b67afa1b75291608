/* SPDX-License-Identifier: MIT */
/*
 * bpf_eng: --engine bpf (doc/BPF.md): the in-kernel program's loading
 * (bpf_load.c) and the trace it runs (bpf_run.c). Internal to src/engine/.
 */
#ifndef COMPENDIUM_BPF_ENG_H
#define COMPENDIUM_BPF_ENG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log/run.h"

struct bpf_eng;

/*
 * Open and load the program with a ring of ring_size bytes (a power of two,
 * a multiple of the page size), fill its capture table (coalesce: runs of
 * read/write on one fd become one record). Dies with exit 2 and one line
 * naming what is missing (BTF, privileges) and suggesting --engine ptrace.
 */
struct bpf_eng *bpfe_load(size_t ring_size, bool coalesce);
/* Attach every program (links owned by our fds: any exit of compendium detaches them). Dies on failure. */
void bpfe_attach(struct bpf_eng *b);
/* Put pid in the traced set. */
int bpfe_trace_pid(struct bpf_eng *b, int pid);
/* The ring's fd and the per-CPU sum of records it had no room for. */
int bpfe_ring_fd(struct bpf_eng *b);
uint64_t bpfe_lost(struct bpf_eng *b);
/* Detach and free everything. */
void bpfe_destroy(struct bpf_eng *b);

/* bpf_run.c: load before any output (tracer_prepare), then trace the launched command (tracer_run). */
void eng_bpf_prepare(struct run *r);
void eng_bpf_trace(struct run *r);
void eng_bpf_finish(struct run *r);

#endif
