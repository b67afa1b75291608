#!/bin/sh
# SPDX-License-Identifier: MIT
# Lazy fd naming (issue 8): a filtered run that selects no io/desc call
# does not stop at close, dup, fcntl, pipe...; fds are named at use from
# /proc/TID/fd, and a remembered entry is used only while it still
# matches. Fds closed and reused behind the tracer's back (pipe, eventfd,
# dup, another thread, exec) must never carry their old name. Each case
# runs lazily, with the exact table (desc selected) and unfiltered, and
# all three must report the same facts.
. "$TOP/tests/lib.sh"

B=$T/base
mkdir -p "$B/A" "$B/B"
echo hi >"$B/F"
echo f >"$B/B/f"
echo g >"$B/B/g"
echo a >"$B/A/a1"
LAZY="-e trace=file,network,process"
EXACT="-e trace=file,network,process,desc"

# facts CASE MODE-ARGS...: the case's events about $B as JSON ($B shown as B)
facts() {
	c=$1; shift
	# shellcheck disable=SC2086
	cmp -q "$@" --json "$T/$c.jsonl" -o /dev/null -- "$P/pe_fdreuse" "$c" "$B" >/dev/null 2>"$T/err"
	rc=$?
	[ $rc -eq 0 ] || echo "exit $rc: $(head -2 "$T/err")"
	jl "$T/$c.jsonl" '[[e["type"], e.get("fd"), e.get("path"), e.get("desc"), e.get("peer"), e.get("family"), e.get("err")]
		for e in evs if e["type"] in ("open", "utimes", "connect", "send")
		and not str(e.get("path")).startswith(("/etc", "/lib", "/usr"))]' | sed -e "s|$B|B|g" -e 's/pipe:\[[0-9]*\]/pipe:[INO]/g'
}

# lazy CASE "description" EXPECTED: same facts in all three modes
lazy() {
	c=$1 d=$2 want=$3
	# shellcheck disable=SC2086
	expect "$c, lazy fd naming: $d" "$(facts "$c" $LAZY)" "$want"
	# shellcheck disable=SC2086
	expect "$c, exact fd table (desc selected): the same" "$(facts "$c" $EXACT)" "$want"
	expect "$c, --no-filter: the same" "$(facts "$c" --no-filter)" "$want"
}

lazy pipe "a dirfd closed and made a pipe no longer names A" \
	'[["open", 3, "B/A", null, null, null, null], ["open", null, "x", null, null, null, "ENOTDIR"], ["utimes", 3, null, "pipe:[INO]", null, null, null]]'
lazy eventfd "a dirfd closed and made an eventfd no longer names A" \
	'[["open", 3, "B/A", null, null, null, null], ["open", null, "x", null, null, null, "ENOTDIR"], ["utimes", 3, null, "anon_inode:[eventfd]", null, null, "EOPNOTSUPP"]]'
lazy dupdir "a dirfd closed and made a dup of B names B" \
	'[["open", 3, "B/B", null, null, null, null], ["open", 4, "B/A", null, null, null, null], ["open", 5, "B/B/f", null, null, null, null]]'
lazy sock "a connected socket closed and made a dup of a file is that file, not the socket" \
	'[["open", 3, "B/F", null, null, null, null], ["connect", 5, "B/S.sock", null, null, "unix", null], ["send", 5, null, null, "B/S.sock", "unix", null], ["send", 5, null, "B/F", null, null, "ENOTSOCK"], ["utimes", 5, "B/F", null, null, null, null]]'
lazy exec "after exec the close-on-exec dirfd is gone, the other one stays, the reused one is a pipe" \
	'[["open", 3, "B/A", null, null, null, null], ["open", 4, "B/B", null, null, null, null], ["open", null, "x", null, null, null, "EBADF"], ["open", 3, "B/B/g", null, null, null, null], ["open", null, "y", null, null, null, "ENOTDIR"]]'
lazy threads "a dirfd another thread made a dup of B names B" \
	'[["open", 3, "B/B", null, null, null, null], ["open", 4, "B/A", null, null, null, null], ["open", 5, "B/A/a1", null, null, null, null], ["open", 6, "B/B/f", null, null, null, null]]'

# -v of a file selection: newfstatat's dirfd, a dup of B at A's old number, shown as B
# shellcheck disable=SC2086
cmp -q -v $LAZY --json "$T/v.jsonl" -o /dev/null -- "$P/pe_fdreuse" dupdir "$B" >/dev/null 2>&1
got=$(jl "$T/v.jsonl" '[e["args"].split(", ")[:2] for e in of("syscall") if e["name"] == "newfstatat" and "/B" in e["args"]]' | sed "s|$B|B|g")
expect "-v: newfstatat names its dup'd dirfd by the directory it is now" "$got" '[["newfstatat(4<B/B>", "\"f\""]]'

# where the tracee stops: bench_stops counts its voluntary switches (one per stop)
N=200
stops() { # kind compendium-args...
	kind=$1; shift
	cmp "$@" -q -- "$P/bench_stops" "$kind" $N 2>/dev/null | awk '{print $3}'
}
for k in close setfd dupfd getfl; do
	# shellcheck disable=SC2086
	got=$(stops $k $LAZY)
	if [ -n "$got" ] && [ "$got" -le 8 ]; then
		ok "lazy: $k makes no stop ($got switches for $N calls)"
	else
		fail "lazy: $k: got '$got' switches for $N calls, want none (8 at most)"
	fi
done
# shellcheck disable=SC2086
got=$(stops open $LAZY)
if [ -n "$got" ] && [ "$got" -ge $((2 * N)) ] && [ "$got" -le $((2 * N + 8)) ]; then
	ok "lazy: openat stops twice, its close never ($got switches for $N calls)"
else
	fail "lazy: open: got '$got' switches for $N calls, want $((2 * N)) (+8 at most)"
fi
# shellcheck disable=SC2086
got=$(stops close $EXACT)
if [ -n "$got" ] && [ "$got" -ge $((2 * N)) ] && [ "$got" -le $((2 * N + 8)) ]; then
	ok "desc selected: close is an event again, two stops ($got switches)"
else
	fail "desc selected: close: got '$got' switches for $N calls, want $((2 * N)) (+8 at most)"
fi
