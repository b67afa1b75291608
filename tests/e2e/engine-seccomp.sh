#!/bin/sh
# SPDX-License-Identifier: MIT
# A tracee's own seccomp filter keeps its meaning under compendium
# (doc/ENGINE.md, 'Seccomp filters of the tracee'): tests/progs/sec_own
# answers mkdir and sched_yield with SECCOMP_RET_TRACE (ENOSYS when no
# tracer handles it) and unlink with SECCOMP_RET_ERRNO(EACCES), in its main
# thread, a thread and a forked child. In every mode (our filter, a filter
# installed with prctl or by a thread for all threads, -e selections,
# --no-seccomp, -c, a filter inherited from compendium's own environment,
# --pid of a process that has one), the program prints what it prints untraced, and the narrative, the JSON log
# and the summary report the three mkdir ENOSYS and three unlink EACCES.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1
D=$T/d

fresh() { rm -rf "$D" && mkdir "$D"; }

fresh
$ENVI "$P/sec_own" "$D" >"$T/plain.txt" 2>&1
if [ $? -ne 0 ]; then
	skip "seccomp filters unavailable here: $(cat "$T/plain.txt")"
	exit 0
fi
expect "untraced: mkdir ENOSYS, unlink EACCES, sched_yield ENOSYS" \
	"$(grep -E '^(mkdir|unlink|sched_yield):' "$T/plain.txt" | tr '\n' ' ')" \
	"mkdir: ENOSYS unlink: EACCES sched_yield: ENOSYS "

# reported NAME [narrative]: the log, narrative and summary of run NAME
reported() {
	name=$1
	got=$(jl "$T/$name.jsonl" "sorted((e['type'], e.get('err'), e['path'][len('$D/'):]) for e in evs if e.get('type') in ('mkdir', 'unlink'))")
	expect "[$name] JSON: mkdir ENOSYS and unlink EACCES, in the thread and the child too" "$got" \
		'[["mkdir", "ENOSYS", "cd"], ["mkdir", "ENOSYS", "d"], ["mkdir", "ENOSYS", "td"], ["unlink", "EACCES", "f"], ["unlink", "EACCES", "f"], ["unlink", "EACCES", "f"]]'
	if [ "${2:-}" = narrative ]; then
		check "[$name] narrative: mkdir ENOSYS" grep -q "mkdir $D/d 0755 ENOSYS\$" "$T/$name.out"
		check "[$name] narrative: unlink EACCES" grep -q "unlink $D/f EACCES\$" "$T/$name.out"
	fi
	check "[$name] summary: mkdir ENOSYS ×3" grep -q '^ *mkdir ENOSYS ×3 ' "$T/$name.out"
	check "[$name] summary: unlink EACCES ×3" grep -q '^ *unlink EACCES ×3 ' "$T/$name.out"
}

# launched NAME [compendium options] -- prog args
launched() {
	name=$1; shift
	fresh
	$ENVI timeout 60 "$C" -o "$T/$name.out" --json "$T/$name.jsonl" "$@" >"$T/$name.txt" 2>"$T/$name.err"
	expect "[$name] compendium's exit status" "$?" 0
	if cmp_out=$(diff "$T/plain.txt" "$T/$name.txt"); then
		ok "[$name] the program prints what it prints untraced"
	else
		fail "[$name] the program prints what it prints untraced: $(echo "$cmp_out" | tr '\n' ' ')"
	fi
}

launched default -- "$P/sec_own" "$D"
reported default narrative
launched prctl -- "$P/sec_own" -p "$D"
reported prctl narrative
# installed by a thread for every thread (TSYNC): the main thread's next stop switches it
fresh
$ENVI "$P/sec_own" -t "$D" >"$T/plain-t.txt" 2>&1
launched tsync -- "$P/sec_own" -t "$D"
check "[tsync] the program prints what it prints untraced" diff "$T/plain-t.txt" "$T/tsync.txt"
reported tsync narrative
launched no-seccomp --no-seccomp -- "$P/sec_own" "$D"
reported no-seccomp narrative
launched count -c -- "$P/sec_own" "$D"
got=$(awk '$NF == "mkdir" || $NF == "unlink" || $NF == "sched_yield" {print $NF, $(NF-2), $(NF-1)}' "$T/count.out" | sort | tr '\n' ';')
expect "[count] -c: calls and errors of mkdir, sched_yield, unlink" "$got" "mkdir 3 3;sched_yield 1 1;unlink 3 3;"
# unlink alone selected: our filter does not stop at mkdir; its RET_TRACE still fails with ENOSYS
launched select -e trace=unlink -- "$P/sec_own" "$D"
got=$(jl "$T/select.jsonl" "sorted((e['type'], e.get('err')) for e in evs if e.get('type') in ('mkdir', 'unlink'))")
expect "[select] -e trace=unlink: only the three unlink EACCES" "$got" \
	'[["unlink", "EACCES"], ["unlink", "EACCES"], ["unlink", "EACCES"]]'
# compendium itself under the filter: the command inherits it, older than ours
fresh
$ENVI timeout 60 "$P/sec_own" -x "$C" -o "$T/inherit.out" --json "$T/inherit.jsonl" -- "$P/sec_own" -n "$D" \
	>"$T/inherit.txt" 2>"$T/inherit.err"
expect "[inherit] compendium's exit status" "$?" 0
check "[inherit] the program prints what it prints untraced" diff "$T/plain.txt" "$T/inherit.txt"
reported inherit narrative

# --pid of a process whose filter is already installed
fresh
$ENVI "$P/sec_own" -w "$D" >"$T/attach.txt" 2>&1 &
bg=$!
wait_grep '^ready' "$T/attach.txt"
pid=$(sed -n 's/^ready //p' "$T/attach.txt")
expect "[attach] the target has a filter" "$(sed -n 's/^Seccomp:[[:space:]]*//p' "/proc/$pid/status")" 2
$ENVI timeout 60 "$C" -o "$T/attach.out" --json "$T/attach.jsonl" --pid "$pid" 2>"$T/attach.err" &
cpid=$!
wait_grep '"attach"' "$T/attach.jsonl"
touch "$D/go"
wait $bg
wait $cpid
expect "[attach] compendium --pid ended" "$?" 0
sed '/^ready/d' "$T/attach.txt" >"$T/attach.prog"
check "[attach] the program prints what it prints untraced" diff "$T/plain.txt" "$T/attach.prog"
reported attach narrative
