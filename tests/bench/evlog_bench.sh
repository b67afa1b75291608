#!/bin/sh
# SPDX-License-Identifier: MIT
# Memory per event of the in-memory event log, for a million events.
set -eu
BUILD=${BUILD:-build}
mkdir -p "$BUILD/bench"
cc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -o "$BUILD/bench/evlog_mem" tests/bench/evlog_mem.c src/log/evlog.c src/log/evlog_fold.c src/log/evfield.c src/lib/u64map.c src/lib/util.c src/lib/termesc.c src/lib/json.c
"$BUILD/bench/evlog_mem" 1000000
