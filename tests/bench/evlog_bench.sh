#!/bin/sh
# SPDX-License-Identifier: MIT
# Memory per event of the in-memory event log, for a million events.
set -eu
BUILD=${BUILD:-build}
mkdir -p "$BUILD/bench"
cc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -o "$BUILD/bench/evlog_mem" tests/bench/evlog_mem.c src/evlog.c src/util.c src/termesc.c src/json.c
"$BUILD/bench/evlog_mem" 1000000
