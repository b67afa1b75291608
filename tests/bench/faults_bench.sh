#!/bin/sh
# SPDX-License-Identifier: MIT
# --faults overhead (issue 5), in one run: flt_many (204800 fresh-page faults) untraced, traced
# without --faults, traced with --faults counting only (COMPENDIUM_FAULT_RING_PAGES=0) and with full
# --faults (counting + one sample per fault). Best of 3 wall times each; prints ms and ns per fault.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
C=$BUILD/compendium
prog="$BUILD/progs/flt_many 4096 50"
faults=204800
T=$(mktemp -d /tmp/compendium-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT

best() { # command... -> best wall ms of 3
	b=
	for _ in 1 2 3; do
		s=$(date +%s%N)
		"$@" >/dev/null 2>&1
		e=$(date +%s%N)
		ms=$(((e - s) / 1000000))
		if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
	done
	echo "$b"
}

bare=$(best env -i $prog)
traced=$(best env -i "$C" -q -- $prog)
count=$(best env -i COMPENDIUM_FAULT_RING_PAGES=0 "$C" -q --faults -- $prog)
full=$(best env -i "$C" -q --faults -- $prog)
env -i "$C" -q --faults --json "$T/f.jsonl" -- $prog >/dev/null 2>&1
summary=$(tail -1 "$T/f.jsonl" | python3 -c 'import json,sys; f=json.load(sys.stdin)["faults"]; print("total %d sampled %d lost %d" % (f["total"], f["sampled"], f["lost"]))')

per() { echo $((($1 - bare) * 1000000 / faults)); }
printf 'faults_bench: %d faults (%s)\n' "$faults" "$summary"
printf '  %-34s %6d ms\n' "untraced" "$bare"
printf '  %-34s %6d ms  (+%d ns/fault)\n' "traced, no --faults" "$traced" "$(per "$traced")"
printf '  %-34s %6d ms  (+%d ns/fault)\n' "--faults, counting only" "$count" "$(per "$count")"
printf '  %-34s %6d ms  (+%d ns/fault)\n' "--faults, counting + sampling" "$full" "$(per "$full")"
