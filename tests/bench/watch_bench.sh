#!/bin/sh
# SPDX-License-Identifier: MIT
# The --watch sampler's CPU cost at 1 Hz and 10 Hz with ~1,000 processes,
# as a ratio to the floor of reading /proc/PID/stat and statm for every
# process, measured in the same run. Target: ratio <= 1.5.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
C=$BUILD/compendium
P=$BUILD/progs
T=$(mktemp -d /tmp/compendium-bench.XXXXXX)
IPID='' WPID=''
cleanup() { for p in $IPID $WPID; do kill -TERM "$p" 2>/dev/null; done; rm -rf "$T"; }
trap cleanup EXIT
SECS=${WATCH_BENCH_SECS:-30}

"$P/watch_load" idle 1000 >"$T/idle.out" &
IPID=$!
i=0
while ! grep -q ready "$T/idle.out" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
sleep 1

# CPU ns of every thread of a process (schedstat: ns precision)
cpu_ns() { cat /proc/$1/task/*/schedstat 2>/dev/null | awk '{s += $1} END {printf "%d", s}'; }

# sampler cost per scan at INTERVAL over SECS seconds (triggers off: steady state)
measure() {
	mkdir -p "$T/d" && chmod 0700 "$T/d"
	printf 'sampling_interval_seconds = %s\nenable_cpu_detection = false\nenable_memory_detection = false\nenable_swap_detection = false\nenable_burst_detection = false\nenable_psi_detection = false\n' "$1" >"$T/c.conf"
	chmod 0600 "$T/c.conf"
	env -i "$C" --watch --config "$T/c.conf" --dump-dir "$T/d" 2>"$T/w.err" &
	WPID=$!
	sleep 3 # warm-up: the first scans open every process's files
	a=$(cpu_ns $WPID)
	sleep "$SECS"
	b=$(cpu_ns $WPID)
	kill -TERM $WPID
	wait $WPID 2>/dev/null
	WPID=
	awk -v a="$a" -v b="$b" -v s="$SECS" -v i="$1" 'BEGIN {printf "%.1f", (b - a) / 1000 / (s / i)}'
}

floor_line=$("$P/watch_floor" 50)
floor=$(echo "$floor_line" | awk '{print $6}')
procs=$(echo "$floor_line" | awk '{print $2}')
w1=$(measure 1)
w10=$(measure 0.1)
floor2=$("$P/watch_floor" 50 | awk '{print $6}')
floor=$(awk -v a="$floor" -v b="$floor2" 'BEGIN {printf "%.1f", (a + b) / 2}')
r1=$(awk -v w="$w1" -v f="$floor" 'BEGIN {printf "%.2f", w / f}')
r10=$(awk -v w="$w10" -v f="$floor" 'BEGIN {printf "%.2f", w / f}')
echo "processes: $procs"
echo "floor (stat+statm, open/read/close): $floor us per scan"
printf '%-8s %14s %12s %8s\n' rate "us per scan" "% of a core" ratio
printf '%-8s %14s %12s %8s\n' "1 Hz" "$w1" "$(awk -v w="$w1" 'BEGIN {printf "%.2f", w / 1e6 * 100}')" "$r1"
printf '%-8s %14s %12s %8s\n' "10 Hz" "$w10" "$(awk -v w="$w10" 'BEGIN {printf "%.2f", w / 1e5 * 100}')" "$r10"
ok=$(awk -v a="$r1" -v b="$r10" 'BEGIN {print (a <= 1.5 && b <= 1.5) ? "yes" : "no"}')
echo "target ratio <= 1.5: $ok"
[ "$ok" = yes ]
