#!/bin/sh
# SPDX-License-Identifier: MIT
# --engine bpf against ptrace, strace -f and no tracing (issue 17), in one run.
set -eu
exec python3 tests/bench/bpf_bench.py ${BENCH_ARGS:-}
