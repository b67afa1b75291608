#!/bin/sh
# SPDX-License-Identifier: MIT
# Signals and job control under the engine: group-stop and SIGCONT, signal
# storms with and without SA_RESTART, Ctrl-C from a terminal and from
# kill(1), SIGTERM/SIGHUP/SIGPIPE to compendium, kill -9 of compendium
# (EXITKILL), a tracee SIGKILLed by someone else. doc/ENGINE.md has a
# section on each: 'Group-stop and PTRACE_LISTEN', 'Restarted syscalls',
# 'Ctrl-C and signals to the tracer', 'PTRACE_O_EXITKILL', 'ESRCH and
# SIGKILL races'.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

# state of a pid's threads from /proc ("T", "t", "S", ...)
pstate() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1; }
# wait up to ~10 s for a file to contain a pattern
waitfor() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05
	done
}
# pid of a compendium started in the background as $1 (the wrapper shell's child)
alive() { [ -e "/proc/$1" ] && [ "$(pstate "$1")" != Z ]; } # zombies are dead
# a failing test must not hang: SIGKILL pid $1 after 60 s
watchdog() { (sleep 60; kill -9 "$1") >/dev/null 2>&1 & }

# job control: raise(SIGSTOP), stays stopped until our SIGCONT
$ENVI timeout 60 "$C" -q --json "$T/jc.json" -- "$P/proc_jobctl" "$T/jc.txt" 2>"$T/jc.err" &
cpid=$!
waitfor "$T/jc.txt" stopping
tp=$(awk '{print $2; exit}' "$T/jc.txt")
i=0; while [ "$(pstate "$tp")" != t ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
expect "job control: the tracee sits stopped (state t)" "$(pstate "$tp")" t
expect "job control: it has not continued" "$(cat "$T/jc.txt")" "stopping $tp"
kill -CONT "$tp"
wait $cpid; rc=$?
expect "job control: continued after SIGCONT, exit 0" "$rc:$(tr '\n' ' ' <"$T/jc.txt")" "0:stopping $tp continued "
got=$(jl "$T/jc.json" "[[e['type'], e.get('signal'), e.get('sender')] for e in evs if e['type'] in ('signal', 'stop', 'cont')]")
expect "job control: signal SIGSTOP (from itself), stop, cont, signal SIGCONT (from us)" "$got" "[[\"signal\", \"SIGSTOP\", $tp], [\"stop\", \"SIGSTOP\", null], [\"cont\", null, null], [\"signal\", \"SIGCONT\", $$]]"

# signal storms: every SIGUSR1 seen once with its sender; SA_RESTART hides EINTR
for m in restart norestart; do
	$ENVI timeout 120 "$C" -q --json "$T/st.json" -- "$P/proc_sigstorm" 3000 $m >"$T/st.out" 2>"$T/st.err"
	handled=$(awk '{print $2}' "$T/st.out"); eintr=$(awk '{print $4}' "$T/st.out"); sender=$(awk '{print $6}' "$T/st.out")
	expect "storm $m: the program handled all 3000" "$handled" 3000
	got=$(jl "$T/st.json" "[len([e for e in of('signal') if e['signal'] == 'SIGUSR1']), sorted(set(e.get('sender') for e in of('signal') if e['signal'] == 'SIGUSR1'))]")
	expect "storm $m: 3000 SIGUSR1 signal events, all from the sender" "$got" "[3000, [$sender]]"
	if [ $m = restart ]; then
		expect "storm restart: no EINTR reached the program" "$eintr" 0
	else
		check "storm norestart: EINTRs reached the program ($eintr)" test "$eintr" -gt 0
	fi
done
# -v names the restart code instead of calling it a failure
$ENVI timeout 120 "$C" -v -o "$T/st.v" -- "$P/proc_sigstorm" 50 norestart >/dev/null 2>&1
n=$(grep -c 'read(.*ERESTARTSYS' "$T/st.v")
check "storm: interrupted reads named ERESTARTSYS ($n)" test "$n" -ge 1

# Ctrl-C from a terminal: SIGINT reaches the tracee's group; compendium finishes with its status
cat >"$T/ptyrun.py" <<'PY'
import os, pty, sys, time, json
c, jpath, n, ready, cmd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(c, [c, '-q', '--json', jpath, '--'] + cmd)
for _ in range(400):
    if os.path.exists(ready):
        break
    time.sleep(0.025)
time.sleep(0.3)
for i in range(n):
    os.write(fd, b'\x03')
    time.sleep(0.5)
out = b''
while True:
    try:
        d = os.read(fd, 4096)
    except OSError:
        break
    if not d:
        break
    out += d
_, st = os.waitpid(pid, 0)
rc = os.waitstatus_to_exitcode(st)
print(rc if rc >= 0 else 128 - rc)
PY
rc=$($ENVI python3 "$T/ptyrun.py" "$C" "$T/cc.json" 1 "$T/cc.ready" sh -c ': >"$0"; read x; echo no' "$T/cc.ready")
expect "Ctrl-C (tty): compendium exits like the tracee (130)" "$rc" 130
got=$(jl "$T/cc.json" "[[e['signal'], e.get('sender'), e['code']] for e in of('signal')][:1] + [[e.get('signal'), e.get('root')] for e in of('exit')] + [end['interrupted']]")
expect "Ctrl-C (tty): the tracee got SIGINT from the kernel and died of it" "$got" '[["SIGINT", null, 128], ["SIGINT", true], true]'
got=$(jl "$T/cc.json" "[e for e in of('signal') if e.get('sender') and e['sender'] != e['pid']]")
expect "Ctrl-C (tty): compendium forwarded nothing (the terminal reached the command)" "$got" "[]"

rc=$($ENVI python3 "$T/ptyrun.py" "$C" "$T/c2.json" 2 "$T/c2.ready" sh -c 'trap "" INT; : >"$0"; while :; do sleep 0.05; done' "$T/c2.ready")
expect "Ctrl-C twice (tty, SIGINT ignored): tree killed, 137" "$rc" 137
got=$(jl "$T/c2.json" "[[e.get('signal') for e in of('exit') if e.get('root')], [e['signal'] for e in of('signal') if e['pid'] == of('exec')[0]['pid'] and e['signal'] == 'SIGINT'][:1]]")
expect "Ctrl-C twice: the ignoring shell saw the first SIGINT, then was SIGKILLed" "$got" '[["SIGKILL"], ["SIGINT"]]'
got=$(jl "$T/c2.json" "len([e for e in of('exit') if not e['thread']]) == len(of('spawn')) + 1")
expect "Ctrl-C twice: every process's exit was collected" "$got" True

# kill -INT to compendium alone: forwarded to the command (via pidfd).
# sh starts background jobs with SIGINT ignored (and compendium keeps an
# ignored SIGINT ignored), so start it from python with the default action.
cat >"$T/bg.py" <<'PY'
import os, signal, subprocess, sys, time, json
c, jpath, sig, ready = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
p = subprocess.Popen([c, '-q', '--json', jpath] + os.environ.get('BG_OPTS', '').split() + ['--'] + sys.argv[5:],
                     stderr=subprocess.DEVNULL,
                     preexec_fn=lambda: [signal.signal(s, signal.SIG_DFL) for s in (signal.SIGINT, signal.SIGQUIT)])
for _ in range(400):
    if os.path.exists(ready):
        break
    time.sleep(0.025)
time.sleep(0.2)
p.send_signal(sig)
try:
    rc = p.wait(60)
except subprocess.TimeoutExpired:
    p.kill(); rc = p.wait()
print(rc if rc >= 0 else 128 - rc, p.pid)
PY
# shellcheck disable=SC2046 # "STATUS PID": split into $1 $2
set -- $($ENVI python3 "$T/bg.py" "$C" "$T/ki.json" 2 "$T/ki.ready" sh -c ': >"$0"; exec sleep 100' "$T/ki.ready")
rc=$1 cpid=$2
expect "kill -INT compendium: forwarded, sleep died of SIGINT, 130" "$rc" 130
got=$(jl "$T/ki.json" "[[e['signal'], e.get('sender')] for e in of('signal')]")
expect "kill -INT compendium: the forwarded SIGINT's sender is compendium" "$got" "[[\"SIGINT\", $cpid]]"

# SIGTERM / SIGHUP / SIGQUIT to compendium (kill, timeout, a service manager):
# passed on to the launched command, which dies of it as it would untraced;
# the summary is printed, the exit status is the command's, and the children
# it left are detached, still running (doc/ENGINE.md, 'Ctrl-C and signals to
# the tracer'); with the seccomp filter they cannot be (below). A broken
# output pipe (SIGPIPE of compendium's own) still kills the tree. Sending
# SIGPIPE with kill(1) is not that: below.
for s in TERM HUP QUIT; do
	case $s in TERM) n=15 ;; HUP) n=1 ;; QUIT) n=3 ;; esac
	rm -f "$T/k.pids"
	# ready (k.pids.ready) once both children are forked and their pids written
	rm -f "$T/k.pids.ready"
	$ENVI BG_OPTS=--no-seccomp python3 "$T/bg.py" "$C" "$T/k$s.json" $n "$T/k.pids.ready" sh -c 'sleep 100 & echo $! >>"$0"; sleep 100 & echo $! >>"$0"; echo $$ >>"$0"; : >"$0.ready"; wait' "$T/k.pids" >"$T/k.rc" &
	bgp=$!
	i=0; while [ "$(wc -l 2>/dev/null <"$T/k.pids")" != 3 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	wait $bgp
	rc=$(cut -d' ' -f1 "$T/k.rc")
	pids=$(cat "$T/k.pids")
	kids=$(head -2 "$T/k.pids")
	expect "SIG$s to compendium: exit $((128 + n)) (the command died of the SIG$s passed on)" "$rc" $((128 + n))
	got=$(jl "$T/k$s.json" "[end is not None, end and end['interrupted'], [e.get('signal') for e in of('exit') if e.get('root')], [e.get('sender') is not None for e in of('signal') if e['signal'] == 'SIG$s'][:1]]")
	expect "SIG$s: end record written, the command died of SIG$s sent to it" "$got" "[true, true, [\"SIG$s\"], [true]]"
	left=""
	for p in $kids; do alive "$p" || left="$left $p"; done
	expect "SIG$s: the children it left keep running" "$left" ""
	traced=""
	for p in $kids; do [ "$(awk '/^TracerPid/ {print $2}' "/proc/$p/status" 2>/dev/null)" = 0 ] || traced="$traced $p"; done
	expect "SIG$s: and are no longer traced (detached)" "$traced" ""
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	i=0; while [ -n "$(for p in $pids; do alive "$p" && echo x; done)" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
done

# SIGPIPE sent with kill(1) is no broken pipe of compendium's: ignored
# shellcheck disable=SC2046 # "STATUS PID": split into $1 $2
set -- $($ENVI python3 "$T/bg.py" "$C" "$T/kp.json" 13 "$T/kp.ready" sh -c ': >"$0"; sleep 1' "$T/kp.ready")
expect "SIGPIPE sent to compendium: ignored, the command ran to its end (exit 0)" "$1" 0
expect "SIGPIPE sent to compendium: not an interruption" "$(jl "$T/kp.json" "end['interrupted']")" False

# signals a traced process sends to compendium (kill \$PPID) do not stop
# the trace: the command ends normally, the narrative and the log are whole
for s in USR1 USR2 ALRM VTALRM PROF XCPU IO PWR SYS TRAP BUS ILL FPE ABRT SEGV TERM HUP INT QUIT PIPE; do
	$ENVI "$C" -q -o "$T/ps.out" --json "$T/ps.json" -- sh -c "kill -$s \$PPID; sleep .3; echo ok" >"$T/ps.stdout" 2>"$T/ps.err"
	rc=$?
	got="$rc $(cat "$T/ps.stdout") $(grep -c FINAL "$T/ps.out") $(jl "$T/ps.json" "end is not None and not end['interrupted']")"
	expect "SIG$s from a tracee to compendium: ignored, exit 0, summary and log whole" "$got" "0 ok 1 True"
done
check "a tracee's signal to compendium is said on stderr" grep -q 'ignored SIGPIPE sent to compendium by pid' "$T/ps.err"
# real-time signals too
$ENVI "$C" -q --json "$T/rt.json" -- sh -c 'kill -s RTMIN+1 $PPID 2>/dev/null || kill -35 $PPID; sleep .3; echo ok' >"$T/rt.stdout" 2>/dev/null
expect "a real-time signal from a tracee: ignored, exit 0" "$?:$(cat "$T/rt.stdout")" "0:ok"

# kill -TERM 0 from inside the tree, under setsid (compendium leads the
# group): the tracees get it by themselves and their handlers run, as
# untraced; compendium ignores its own copy
cat >"$T/k0.sh" <<'SH'
bash -c 'trap "exit 0" TERM; sleep 5 & wait' &
sleep 0.3
trap 'wait; exit 0' TERM
kill -TERM 0
wait
SH
setsid -w sh "$T/k0.sh"
want=$?
setsid -w $ENVI "$C" -q --json "$T/k0.json" -- sh "$T/k0.sh" 2>/dev/null
expect "kill -TERM 0 under setsid: the exit status is the untraced one ($want)" "$?" "$want"
got=$(jl "$T/k0.json" "sorted(e.get('signal') or e.get('code') for e in of('exit') if not e['thread'] and (e.get('signal') or e.get('code') is not None))")
check "kill -TERM 0 under setsid: nothing was SIGKILLed ($got)" sh -c "! echo '$got' | grep -q SIGKILL"

# timeout(1) sends SIGTERM to compendium and to its process group: the
# command's trap runs once, as under strace. timeout's own SIGALRM is its
# expiry: sent once the trap is set, it times out at that point (a 1 s
# timeout on a loaded machine could expire before sh had set its trap).
cat >"$T/to.sh" <<'SH'
trap 'echo trapped >>"$0.log"; exit 5' TERM
sleep 100 &
: >"$0.ready"
wait
SH
rm -f "$T/to.sh.log" "$T/to.sh.ready"
$ENVI timeout --preserve-status -s TERM 120 "$C" -q -o /dev/null -- sh "$T/to.sh" &
top=$!
wait_for 60 test -e "$T/to.sh.ready"
kill -ALRM $top
wait $top
expect "timeout -s TERM: the command's trap ran and its status (5) is compendium's" "$?" 5
expect "timeout -s TERM: the trap ran once" "$(grep -c trapped "$T/to.sh.log")" 1

# default mode: the children run under compendium's seccomp filter, which
# needs the tracer, so they are not detached but traced on; a second
# SIGTERM kills them
rm -f "$T/k.pids"
$ENVI "$C" -q --json "$T/ks.json" -- sh -c 'sleep 100 & echo $! >>"$0"; sleep 100 & echo $! >>"$0"; echo $$ >>"$0"; wait' "$T/k.pids" 2>"$T/ks.err" &
cpid=$!
watchdog $cpid
i=0; while [ "$(wc -l 2>/dev/null <"$T/k.pids")" != 3 ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
kill -TERM $cpid
waitfor "$T/ks.err" "traced until they end"
kids=$(head -2 "$T/k.pids")
traced=0
for p in $kids; do [ "$(awk '/^TracerPid/ {print $2}' "/proc/$p/status" 2>/dev/null)" = "$cpid" ] && traced=$((traced + 1)); done
expect "SIGTERM (seccomp mode): the two children it left are still traced" "$traced" 2
kill -TERM $cpid
wait $cpid; rc=$?
expect "SIGTERM twice (seccomp mode): exit 143, the command's" "$rc" 143
got=$(jl "$T/ks.json" "sorted(e.get('signal') for e in of('exit'))")
expect "SIGTERM twice (seccomp mode): the command died of SIGTERM, its children were killed" "$got" '["SIGKILL", "SIGKILL", "SIGTERM"]'

# SIGTERM while a vfork child holds its parent (strace PR #277): no
# deadlock; the parent dies of the SIGTERM passed on, the child is let go
$ENVI "$C" -q --no-seccomp --json "$T/vh.json" -- "$P/proc_vforkhold" "$T/vh.pid" 2>/dev/null &
cpid=$!
watchdog $cpid
waitfor "$T/vh.pid" .
kill -TERM $cpid
wait $cpid; rc=$?
expect "SIGTERM during vfork: compendium finishes (137), no deadlock" "$rc" 137
got=$(jl "$T/vh.json" "sorted(e.get('signal') for e in of('exit'))")
expect "SIGTERM during vfork: the parent, which SIGTERM kills untraced, was killed" "$got" '["SIGKILL"]'
vc=$(cat "$T/vh.pid")
check "SIGTERM during vfork: the vfork child was let go, alive" alive "$vc"
kill -9 "$vc" 2>/dev/null

# output pipe closed early (head -1): clean exit, no stopped tracee left
$ENVI timeout 60 "$C" -q --json - -- sh -c 'echo $$ >"$0"; while :; do /bin/true; done' "$T/hd.pid" 2>/dev/null | head -1 >"$T/hd.out"
got=$(jl "$T/hd.out" "hdr['type']")
expect "| head -1: the header line arrived" "$got" header
tp=$(cat "$T/hd.pid")
i=0; while alive "$tp" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "| head -1: compendium ended and its tracee is gone" test -z "$(alive "$tp" && echo alive)"

# kill -9 compendium: EXITKILL takes the tracees with it
$ENVI "$C" -q --json "$T/k9.json" -- sh -c 'echo $$ >"$0"; exec sleep 100' "$T/k9.pid" 2>/dev/null &
cpid=$!
watchdog $cpid
waitfor "$T/k9.pid" .
tp=$(cat "$T/k9.pid")
kill -9 $cpid; wait $cpid 2>/dev/null
i=0; while alive "$tp" && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "kill -9 compendium: the tracee died too" test -z "$(alive "$tp" && echo alive)"

# a tracee SIGKILLed by another process: one exit, status 137
$ENVI timeout 60 "$C" -q --json "$T/sk.json" -- sh -c 'sleep 100 & p=$!; /bin/kill -9 $p; wait $p; exit $?' 2>/dev/null
rc=$?
expect "SIGKILLed child: the shell saw status 137" "$rc" 137
got=$(jl "$T/sk.json" "[e.get('signal') for e in of('exit') if not e['thread'] and e['pid'] != of('exec')[0]['pid']]")
case $got in *'"SIGKILL"'*) ok "SIGKILLed child: its death reported as SIGKILL" ;; *) fail "SIGKILLed child: exits $got" ;; esac
got=$(jl "$T/sk.json" "len(of('exit')) == len(set(e['tid'] for e in of('exit')))")
expect "SIGKILLed child: every death reported once" "$got" True
