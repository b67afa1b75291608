#!/bin/sh
# SPDX-License-Identifier: MIT
# Where the tracee stops (issue 8): the seccomp filter makes a launched
# command stop only at the syscalls an event or the fd table needs, and
# only once for those whose exit adds nothing. Counted, not timed: every
# ptrace stop is one voluntary context switch of the tracee, so
# bench_stops runs a call 200 times and prints its switches.
. "$TOP/tests/lib.sh"

N=200
stops() { # kind compendium-args... -> voluntary switches of the loop
	kind=$1; shift
	cmp "$@" -q -- "$P/bench_stops" "$kind" $N 2>"$T/err" | awk '{print $3}'
}
# expect_stops "description" per-call kind args...
expect_stops() {
	d=$1 per=$2; shift 2
	got=$(stops "$@")
	want=$((per * N))
	# a few more: the loop's own getrusage calls under --no-seccomp, a rare wait
	if [ -n "$got" ] && [ "$got" -ge "$want" ] && [ "$got" -le $((want + 8)) ]; then
		ok "$d: $got switches for $N calls"
	else
		fail "$d: got '$got' voluntary switches for $N calls, want $want (+8 at most); $(head -3 "$T/err")"
	fi
}

u=$("$P/bench_stops" getfl $N | awk '{print $3}')
check "untraced, the loop does not sleep (got $u)" test "$u" -le 8

# Lazy fd naming: a selection without pure io/desc calls names fds from
# /proc at the stops that need them, so the fd-table calls never stop
F="-e trace=file,network,process"
# A selection with a pure io call (read) keeps the exact fd table
X="-e trace=file,network,process,read"
# shellcheck disable=SC2086
{
expect_stops "filtered: fcntl F_GETFL never stops (BPF test of the command)" 0 getfl $F
expect_stops "filtered (lazy fds): fcntl F_SETFD never stops" 0 setfd $F
expect_stops "filtered (lazy fds): F_SETFD clearing FD_CLOEXEC never stops" 0 clearfd $F
expect_stops "filtered (lazy fds): F_DUPFD_CLOEXEC and its close never stop" 0 dupfd $F
expect_stops "filtered (lazy fds): close never stops" 0 close $F
expect_stops "filtered: newfstatat has no decoder: no stop without -v" 0 stat $F
expect_stops "filtered (lazy fds): openat twice, close never" 2 open $F
expect_stops "filtered: getppid never stops" 0 getppid $F
expect_stops "exact fd table: fcntl F_GETFL never stops" 0 getfl $X
expect_stops "exact fd table: fcntl F_SETFD stops once (decoded at the seccomp stop)" 1 setfd $X
expect_stops "exact fd table: F_SETFD clearing FD_CLOEXEC stops once too" 1 clearfd $X
expect_stops "exact fd table: F_DUPFD_CLOEXEC once (its fd found by kcmp), its close once" 2 dupfd $X
expect_stops "exact fd table: close of an fd no event reports stops once" 1 close $X
expect_stops "exact fd table: openat twice, close once" 3 open $X
expect_stops "close shown (-e trace=desc): two stops, the exit has the error" 2 close -e trace=file,desc
expect_stops "--no-filter: close is an event: two stops" 2 close --no-filter
expect_stops "--no-filter: newfstatat is not decoded: no stop" 0 stat --no-filter
expect_stops "--no-filter: fcntl F_GETFL never stops" 0 getfl --no-filter
expect_stops "-v of a selection: newfstatat shown, two stops" 2 stat -v -e trace=newfstatat
expect_stops "--no-seccomp: every call stops twice" 2 getppid --no-seccomp
}

# F_SETFD(FD_CLOEXEC) decoded at its seccomp stop still closes the fd at
# exec: the new image's read of fd 40 fails EBADF and names no file
cmp --json "$T/c.jsonl" -q --no-filter -- "$P/bench_stops" cloexec 1 >/dev/null 2>&1
got=$(jl "$T/c.jsonl" '[(e.get("err"), e.get("path")) for e in of("read") if e.get("fd") == 40]')
expect "close-on-exec set by F_SETFD at its entry: fd 40 is gone after exec" "$got" '[["EBADF", null]]'

# a dup found at the next stop (or named from /proc) names the right directory: openat relative to it
for m in "-e trace=file,network,process" "-e trace=file,network,process,read" --no-filter; do
	# shellcheck disable=SC2086
	cmp --json "$T/d.jsonl" -q $m -- "$P/bench_stops" dupdir 5 >/dev/null 2>&1
	got=$(jl "$T/d.jsonl" '[e["path"] for e in of("open") if e.get("path", "").startswith("/usr")]')
	expect "$m: openat relative to a moved directory fd names /usr/lib" "$got" \
		'["/usr", "/usr/lib", "/usr", "/usr/lib", "/usr", "/usr/lib", "/usr", "/usr/lib", "/usr", "/usr/lib"]'
done

