#!/bin/sh
# SPDX-License-Identifier: MIT
# Tracing overhead against strace and against no tracing (issue 8).
set -eu
exec python3 tests/bench/trace_bench.py ${BENCH_ARGS:-}
