#!/bin/sh
# SPDX-License-Identifier: MIT
# The tracer's memory on hostile but legal programs (issue 15.6), measured
# as its peak resident size (getrusage of the finished child, so the
# largest of compendium and what it traced: the probes stay small) against
# strace -f on the same probe:
#  - one descriptor at fd 19999 and 200 forked children alive at once:
#    the dense fd table copied at every fork took 158 MB (strace 3.8 MB);
#    the sparse copy-on-write table about 3.6 MB;
#  - 20,000 failed opens of distinct 4 KB paths under -q -o /dev/null, and
#    with --json: every path was kept to the end, 85 MB (strace 3.7 MB);
#    with the 4 MiB cap on strings held without --report (doc/INTERNALS.md,
#    "Strings not kept") about 13 MB: the cap, and some 250 bytes an event
#    for the records, the ids of the strings not kept and the summary's
#    20,000 failure groups.
# The bound is strace's peak (4 MB when strace is missing) plus 8 MB, plus
# the cap where the probe fills it: room for a loaded machine, far below
# the linear growth it catches. Skipped under a sanitizer (its shadow and
# quarantine are not the tracer's own).
. "$TOP/tests/lib.sh"

# peak CMD...: the peak resident size (kB) of CMD's largest process
peak() {
	"$P/pe_rusage" "$@" 2>&1 >/dev/null | sed -n 's/^maxrss //p' | tail -1
}

# probe "description" [KB] [compendium options --] ARGS...: compendium's peak
# against strace's on dec_fdshare ARGS, KB more allowed (the string cap)
probe() {
	d=$1; shift
	extra=0
	case ${1:-} in [0-9]*) extra=$1; shift ;; esac
	copts=
	while [ $# -gt 0 ] && [ "$1" != -- ] && [ "$1" != fdmem ] && [ "$1" != opens ]; do
		copts="$copts $1"; shift
	done
	[ "${1:-}" = -- ] && shift
	if [ -n "$SANITIZE" ]; then
		skip "$d (built with SANITIZE=$SANITIZE)"
		return
	fi
	ref=4096
	if command -v strace >/dev/null 2>&1; then
		ref=$(peak strace -f -o /dev/null -- "$P/dec_fdshare" "$@")
		[ "$ref" -lt 4096 ] && ref=4096
	fi
	# shellcheck disable=SC2086 # copts: words
	got=$(peak $ENVI "$C" -q -o /dev/null $copts -- "$P/dec_fdshare" "$@")
	bound=$((ref + 8192 + extra))
	check "$d (peak $got kB, strace's $ref kB, bound $bound kB)" [ "$got" -le $bound ]
}

probe "fd 19999 and 200 forked children: the fd table is not copied per fork" fdmem 200
probe "20,000 failed opens of distinct 4 KB paths: the paths past the cap are not kept" \
	4096 opens 20000
probe "the same with --json: written as they come, not kept either" \
	4096 --json /dev/null -- opens 20000

# The summary stays right when names are not kept: 2000 distinct 4 KB
# paths, then two more passes over the last 300 (each failing three times,
# their strings gone from the ring of recent ones before they come back),
# under a 256 KiB cap. Every failure is counted, the groups are whole
# (x3 for the repeated paths), a name not kept shows as such, one line
# counts them, and the narrative (printed as events come) and the --json
# log (written so) still have every path.
run_capped() {
	$ENVI COMPENDIUM_STRING_CAP=256K "$C" "$@" -- "$P/dec_fdshare" opens 2000 2
}
run_capped -o "$T/cap.out" --json "$T/cap.jsonl"
sumline() { sed -n "s/^ $1 *//p" "$T/cap.out" | head -1; }
expect "capped: the failed operations are all counted" "$(sumline 'Failed operations:')" 2600
expect "capped: the groups of the repeated paths are whole, their names shown as not kept" \
	"$(grep -c '^   open ENOENT ×3  \[not kept\]$' "$T/cap.out")" 10
expect "capped: the other kinds are counted" "$(grep -c '^   \.\.\. and 1990 more kinds$' "$T/cap.out")" 1
check "capped: one line counts the names not kept against the cap" \
	grep -q '^ Strings:  [0-9]* names not kept (.*) over the cap of 256.0 KiB of strings held (COMPENDIUM_STRING_CAP)' "$T/cap.out"
expect "capped: the narrative has every path in full" \
	"$(grep -c '^.*open /0000[0-9]*/yx\{3989\} (read) ENOENT' "$T/cap.out")" 2600
expect "capped: the JSON log has every path in full" \
	"$(jl "$T/cap.jsonl" 'sum(1 for e in of("open") if e.get("path", "").startswith("/0000") and len(e["path"]) == 4000)')" 2600
expect "capped: the end record counts the strings not kept" \
	"$(jl "$T/cap.jsonl" 'end["strings_not_kept"]["count"] > 1000 and end["strings_not_kept"]["cap"] == 262144')" True
# without the cap nothing is left out: the same run under the default 4 MiB
$ENVI "$C" -o "$T/nocap.out" -- "$P/dec_fdshare" opens 200 2
check "under the cap: no names left out, no Strings line" sh -c "! grep -q 'not kept' '$T/nocap.out'"
expect "a bad COMPENDIUM_STRING_CAP is refused (exit 2)" \
	"$($ENVI COMPENDIUM_STRING_CAP=12Q "$C" -q -- true 2>&1; echo "rc=$?")" \
	"compendium: error: COMPENDIUM_STRING_CAP=12Q: must be a byte count up to 1T (a K, M or G suffix allowed)
rc=2"
