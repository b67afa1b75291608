#!/bin/sh
# SPDX-License-Identifier: MIT
# The tracer's memory on hostile but legal programs (issue 15.6), measured
# as its peak resident size (getrusage of the finished child, so the
# largest of compendium and what it traced: the probes stay small) against
# strace -f on the same probe:
#  - one descriptor at fd 19999 and 200 forked children alive at once:
#    the dense fd table copied at every fork took 158 MB (strace 3.8 MB);
#    the sparse copy-on-write table about 3.6 MB;
# The bound is strace's peak (4 MB when strace is missing) plus 8 MB: room
# for a loaded machine, far below the linear growth it catches. Skipped
# under a sanitizer (its shadow and quarantine are not the tracer's own).
. "$TOP/tests/lib.sh"

# peak CMD...: the peak resident size (kB) of CMD's largest process
peak() {
	"$P/pe_rusage" "$@" 2>&1 >/dev/null | sed -n 's/^maxrss //p' | tail -1
}

# probe "description" ARGS...: compendium's peak against strace's on dec_fdshare ARGS
probe() {
	d=$1; shift
	if [ -n "$SANITIZE" ]; then
		skip "$d (built with SANITIZE=$SANITIZE)"
		return
	fi
	ref=4096
	if command -v strace >/dev/null 2>&1; then
		ref=$(peak strace -f -o /dev/null -- "$P/dec_fdshare" "$@")
		[ "$ref" -lt 4096 ] && ref=4096
	fi
	got=$(peak $ENVI "$C" -q -o /dev/null -- "$P/dec_fdshare" "$@")
	check "$d (peak $got kB, strace's $ref kB, bound $((ref + 8192)) kB)" [ "$got" -le $((ref + 8192)) ]
}

probe "fd 19999 and 200 forked children: the fd table is not copied per fork" fdmem 200
