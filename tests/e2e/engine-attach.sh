#!/bin/sh
# SPDX-License-Identifier: MIT
# --pid: attach to every thread of a running process, detach on SIGINT
# leaving it exactly as it was (running, or stopped), no EINTR or signal in
# its own log (doc/ENGINE.md, 'Detaching from every kind of stop' and
# 'Attach permission'); bad --pid inputs get one clear line.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; }
waitfor() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05
	done
}
# the count in the last "reads N" line of the sleeper's log
reads() { sed -n 's/^reads //p' "$1" | tail -1; }
# run compendium --pid in the background with SIGINT at its default action
cat >"$T/att.py" <<'PY'
import os, signal, subprocess, sys, time
c, jpath, pid, hold = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
p = subprocess.Popen([c, '-q', '--json', jpath, '-p', pid], stderr=open(jpath + '.err', 'w'),
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
time.sleep(hold)
p.send_signal(signal.SIGINT)
try:
    rc = p.wait(60)
except subprocess.TimeoutExpired:
    p.kill(); rc = p.wait()
print(rc)
PY

# a running 3-thread program: attach, watch it, Ctrl-C
$ENVI "$P/proc_sleeper" "$T/sl.log" "$T/sl.stop" &
sp=$!
waitfor "$T/sl.log" "reads 100"
rc=$($ENVI python3 "$T/att.py" "$C" "$T/a.json" $sp 1.5)
expect "attach running: compendium exits 0 after Ctrl-C" "$rc" 0
before=$(reads "$T/sl.log")
waitfor "$T/sl.log" "reads $((before + 100))"
after=$(reads "$T/sl.log")
check "attach running: the program keeps running after detach ($before -> $after)" test "$after" -gt "$before"
expect "attach running: no tracer left" "$(sed -n 's/^TracerPid:\t//p' /proc/$sp/status)" 0
states=$(for t in /proc/$sp/task/*; do sed 's/.*) //' $t/stat | cut -c1; done | sort -u | tr -d '\n')
case $states in *t*|*T*) fail "attach running: a thread is left stopped ($states)" ;; *) ok "attach running: no thread left stopped ($states)" ;; esac
got=$(grep -E 'EINTR|signal' "$T/sl.log")
expect "attach running: the program's own log shows no EINTR and no signal" "$got" ""
got=$(jl "$T/a.json" "[[e['type'], e['pid'], e.get('stopped')] for e in evs if e['type'] in ('attach', 'detach')]")
expect "attach running: attach and detach events" "$got" "[[\"attach\", $sp, null], [\"detach\", $sp, null]]"
got=$(jl "$T/a.json" "[of('attach')[0]['argv'], hdr['mode'], end['exit'], end['interrupted']]")
expect "attach running: argv from /proc, mode attach, end says detached" "$got" "[[\"$P/proc_sleeper\", \"$T/sl.log\", \"$T/sl.stop\"], \"attach\", {\"detached\": true}, true]"
n=$(jl "$T/a.json" "len([e for e in of('read') if e['pid'] == $sp])")
check "attach running: its syscalls were seen while attached ($n reads)" test "$n" -gt 10
touch "$T/sl.stop"
wait $sp
expect "attach running: the program finished normally" "$?" 0

# a stopped program: attach, note "stopped", stays stopped after detach
rm -f "$T/sl.stop"
$ENVI "$P/proc_sleeper" "$T/s2.log" "$T/s2.stop" &
sp=$!
waitfor "$T/s2.log" "reads 100"
kill -STOP $sp
i=0; while [ "$(pstate $sp)" != T ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
rc=$($ENVI python3 "$T/att.py" "$C" "$T/s.json" $sp 1)
expect "attach stopped: exit 0" "$rc" 0
expect "attach stopped: the note on stderr" "$(cat "$T/s.json.err" | head -1)" "compendium: process $sp is stopped; it stays stopped"
states=$(for t in /proc/$sp/task/*; do sed 's/.*) //' $t/stat | cut -c1; done | sort -u | tr -d '\n')
expect "attach stopped: every thread still stopped (T) after detach" "$states" T
got=$(jl "$T/s.json" "[[e['type'], e.get('stopped')] for e in evs if e['type'] in ('attach', 'detach', 'stop', 'cont')]")
expect "attach stopped: attach {stopped:true}, detach" "$got" '[["attach", true], ["detach", null]]'
kill -CONT $sp
before=$(reads "$T/s2.log")
waitfor "$T/s2.log" "reads $((before + 100))"
check "attach stopped: runs again after SIGCONT" test "$(reads "$T/s2.log")" -gt "$before"
got=$(grep -E 'EINTR|signal' "$T/s2.log")
expect "attach stopped: no EINTR and no signal in its log" "$got" ""
touch "$T/s2.stop"; wait $sp

# attach while threads come and go (50 a second): none left stopped or traced
$ENVI "$P/proc_churn" "$T/ch.log" "$T/ch.stop" &
sp=$!
waitfor "$T/ch.log" "rounds 100"
rc=$($ENVI python3 "$T/att.py" "$C" "$T/ch.json" $sp 1)
expect "attach churn: exit 0" "$rc" 0
before=$(sed -n 's/^rounds //p' "$T/ch.log" | tail -1)
waitfor "$T/ch.log" "rounds $((before + 200))"
check "attach churn: the program keeps running ($before -> $(sed -n 's/^rounds //p' "$T/ch.log" | tail -1))" test "$(sed -n 's/^rounds //p' "$T/ch.log" | tail -1)" -gt "$before"
expect "attach churn: no tracer left" "$(sed -n 's/^TracerPid:\t//p' /proc/$sp/status)" 0
expect "attach churn: no error in its log" "$(grep -v rounds "$T/ch.log")" ""
n=$(jl "$T/ch.json" "len([e for e in of('spawn') if e['thread']])")
check "attach churn: threads created while attached were followed ($n)" test "$n" -gt 0
touch "$T/ch.stop"; wait $sp
expect "attach churn: the program finished normally" "$?" 0

# a program that exits while attached: its exit is reported, compendium ends
# by itself. The target waits on a FIFO until compendium is its tracer, so
# what it does while attached does not depend on how fast the attach is (it
# once slept 1 s and forked sleep: at load compendium attached before the
# fork, followed the child as strace -f -p does, and rightly reported its
# exit too; the second case checks that on purpose).
tracer() { sed -n 's/^TracerPid:\t//p' "/proc/$1/status" 2>/dev/null; }
traced() { t=$(tracer "$1"); [ -n "$t" ] && [ "$t" != 0 ]; }
attach_exit() { # name script: run sh -c script under -p; the exits seen
	rm -f "$T/$1.go"; mkfifo "$T/$1.go"
	$ENVI sh -c "$2" sh "$T/$1.go" &
	gp=$!
	$ENVI timeout 60 "$C" -q --json "$T/$1.json" -p $gp 2>"$T/$1.err" &
	cp=$!
	wait_for 30 traced $gp || fail "attach: compendium never became the tracer of $gp"
	: >"$T/$1.go"
	wait $cp; crc=$?
	wait $gp; grc=$?
}
attach_exit g 'read x <"$1"; exit 4'
expect "attach: compendium ends when the target exits (status 0)" "$crc" 0
got=$(jl "$T/g.json" "[[e['pid'], e.get('code'), e['thread']] for e in of('exit')]")
expect "attach: the target's exit is reported with its code" "$got" "[[$gp, 4, false]]"
expect "attach: the target's parent still sees status 4" "$grc" 4
# a child forked while attached is followed: its exit is reported too
attach_exit gc 'read x <"$1"; sleep 0; exit 4'
expect "attach, then a fork: compendium ends when the target exits (status 0)" "$crc" 0
got=$(jl "$T/gc.json" "[[[e['pid'], e['thread']] for e in of('spawn')], [[e['pid'], e.get('code')] for e in of('exit')]]")
kid=$(jl "$T/gc.json" "of('spawn')[0]['child'] if of('spawn') else 0")
expect "attach, then a fork: the target's spawn of a child, the child's exit (0), then the target's (4)" "$got" "[[[$gp, false]], [[$kid, 0], [$gp, 4]]]"
expect "attach, then a fork: the target's parent still sees status 4" "$grc" 4

# bad --pid inputs: one line each, non-zero exit, no tracing
bad() { # description pattern args...
	d=$1 pat=$2; shift 2
	$ENVI "$C" -q "$@" >"$T/bad.out" 2>"$T/bad.err" </dev/null
	rc=$?
	if [ $rc -eq 0 ]; then fail "$d: exit 0"; return; fi
	if [ "$(wc -l <"$T/bad.err")" -ne 1 ]; then fail "$d: not one line: $(cat "$T/bad.err")"; return; fi
	if grep -qE -- "$pat" "$T/bad.err"; then ok "$d (exit $rc)"; else fail "$d: $(cat "$T/bad.err")"; fi
}
bad "--pid of a nonexistent process" "no such process" -p 999999999
bad "--pid 0" "not a valid process id" -p 0
bad "--pid -1" "not a valid process id" -p -1
bad "--pid abc" "not a number" -p abc
bad "--pid 99999999999" "out of range" -p 99999999999
bad "--pid 1 (init)" "--pid 1 .*(init|not permitted)" -p 1
bad "--pid 2 (kthreadd)" "--pid 2 \(kthreadd\): a kernel thread" -p 2
$ENVI sh -c 'exec "$1" -q -p $$' sh "$C" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
if [ $rc -ne 0 ] && grep -q "refusing to trace compendium itself" "$T/bad.err" && [ "$(wc -l <"$T/bad.err")" -eq 1 ]; then
	ok "--pid of compendium itself refused (exit $rc)"
else
	fail "--pid of compendium itself: exit $rc: $(cat "$T/bad.err")"
fi
# a zombie: a child of a process that never reaps it
$ENVI sh -c 'sleep 0 & exec sleep 3' &
zp=$!
sleep 0.5
z=$(for c in /proc/[0-9]*; do [ "$(sed -n 's/^PPid:\t//p' $c/status 2>/dev/null)" = $zp ] && basename $c; done | head -1)
if [ -n "$z" ] && [ "$(pstate $z)" = Z ]; then
	bad "--pid of a zombie" "zombie" -p $z
else
	skip "no zombie to test with"
fi
kill $zp 2>/dev/null; wait $zp 2>/dev/null
# already traced by strace: the message names strace's pid
if command -v strace >/dev/null 2>&1; then
	sleep 30 &
	s=$!
	strace -qq -p $s -o /dev/null &
	st=$!
	i=0; while [ "$(sed -n 's/^TracerPid:\t//p' /proc/$s/status)" = 0 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	bad "--pid of a process traced by strace names the tracer" "already traced by $st \(strace\)" -p $s
	kill $st; kill $s; wait $st $s 2>/dev/null || :
else
	skip "strace not installed"
fi
