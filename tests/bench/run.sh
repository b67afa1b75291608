#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: run every tests/bench/*_bench.sh in turn (each prints its figures).
set -u
BUILD=${BUILD:-build}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
rc=0
for b in tests/bench/*_bench.sh; do
	[ -f "$b" ] || continue
	case $b in *"${BENCH:-}"*) ;; *) continue ;; esac
	echo "=== $b"
	BUILD=$BUILD TOP=$top sh "$b" || rc=1
done
exit $rc
