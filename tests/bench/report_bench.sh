#!/bin/sh
# SPDX-License-Identifier: MIT
# The HTML report at a million events (issue 4): file size, time to render
# it from the in-memory event log, and in headless chromium the first full
# frame (the cold first open and the median of 3 further opens, with the
# load phases of each), zoom redraws (16 steps in and out, median), the
# full-range redraw and the jump to the last table row. Figures only; no
# pass/fail threshold (targets: <= 15 MB, < 1 s render, < 2 s first frame,
# < 100 ms zoom redraw).
set -eu
BUILD=${BUILD:-build}
N=${REPORT_EVENTS:-1000000}
mkdir -p "$BUILD/bench"
# the objects of today's sources (a build directory may keep objects of moved ones)
objs=$(find src -name '*.c' ! -name main.c ! -name '*.bpf.c' | sed "s|^|$BUILD/obj/|; s|\.c\$|.o|" | sort)
gen=$(find "$BUILD/gen" -name '*.o' | sort)
# pkg-config prints several flags, $objs and $gen hold several files: split them
# shellcheck disable=SC2046,SC2086
cc -std=gnu11 -O2 -D_GNU_SOURCE -Isrc -I"$BUILD/gen" -o "$BUILD/bench/report_gen" tests/bench/report_gen.c \
	$objs $gen $(pkg-config --libs libunwind-ptrace libunwind-generic capstone libcjson zlib libbpf) -lpthread -lm
out=$(mktemp -d /tmp/compendium-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
echo "machine load: $(uptime | sed 's/.*load average/load average/')"
echo "report of $N synthetic events (random mix: file, I/O, network, memory, counters; 8 processes)"
for k in 1 2 3; do
	"$BUILD/bench/report_gen" "$N" "$out/r.html" 2>/dev/null | sed "s/^/  run $k: /"
done
size=$(wc -c <"$out/r.html")
echo "  file size: $size bytes ($(awk "BEGIN { printf \"%.1f\", $size / 1048576 }") MiB)"
if command -v node >/dev/null 2>&1 && [ -x /usr/bin/chromium ] &&
	[ -f tests/browser/node_modules/playwright-core/package.json ]; then
	node tests/browser/report-test.js bench "$out/r.html" | grep -v '^ok - ' | sed 's/^/  chromium: /'
else
	echo "  chromium: skipped (needs node, /usr/bin/chromium and npm ci in tests/browser)"
fi
