#!/bin/sh
# SPDX-License-Identifier: MIT
# The engine follows a launched process tree: threads, forks, non-leader
# exec, vfork, posix_spawn, clone3, a leader that exits first, CLONE_UNTRACED,
# int 0x80 and bogus syscall numbers, ptrace attacks on the tracer, exit
# status propagation. Each check compares the --json events with what the
# test program itself recorded (pids, tids, codes).
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

# run NAME [compendium options] -- prog args: JSON in $T/NAME.json, status in $rc
run() {
	name=$1; shift
	$ENVI timeout 120 "$C" -q --json "$T/$name.json" "$@" >"$T/$name.out" 2>"$T/$name.err"
	rc=$?
}

for mode in seccomp no-seccomp; do
	extra=
	[ $mode = no-seccomp ] && extra=--no-seccomp

	# threads: one clone3 spawn per thread, each with the tid the program saw
	run thr $extra -- "$P/proc_threads" "$T/thr.txt" 5
	want=$(sed -n 's/^thread //p' "$T/thr.txt" | sort -n | tr '\n' ' ')
	pid=$(sed -n 's/^pid //p' "$T/thr.txt")
	got=$(jl "$T/thr.json" "' '.join(str(c) for c in sorted(e['child'] for e in of('spawn') if e['thread'] and e['via']=='clone3' and e['pid']==$pid)) + ' '")
	expect "[$mode] threads: a spawn {thread:true, via:clone3} per thread" "$got" "$want"
	got=$(jl "$T/thr.json" "' '.join(str(e['tid']) for e in sorted(of('exit'), key=lambda e: e['tid']) if e['thread'] and e.get('code')==0) + ' '")
	expect "[$mode] threads: a thread exit per thread" "$got" "$want"
	got=$(jl "$T/thr.json" "[(e['pid'], e.get('code'), e.get('root')) for e in of('exit') if not e['thread']]")
	expect "[$mode] threads: one process exit, root, code 0" "$got" "[[$pid, 0, true]]"

	# fork tree: depth 3, breadth 2 -> 14 children; exit codes are depths
	run tree $extra -- "$P/proc_forktree" "$T/tree.txt" 3 2 3
	expect "[$mode] fork tree: exit status 3 propagates" "$rc" 3
	want=$(awk '$3 > 0 {print $2, $1}' "$T/tree.txt" | sort | tr '\n' ';')
	got=$(jl "$T/tree.json" "''.join(sorted('%d %d;' % (e['pid'], e['child']) for e in of('spawn') if not e['thread'] and e['via']=='clone'))")
	got=$(printf '%s' "$got" | tr ';' '\n' | sort | tr '\n' ';')
	expect "[$mode] fork tree: every (parent, child) pair, via clone" "$got" "$want"
	want=$(awk '{print $1, ($3 == 0 ? 3 : $3)}' "$T/tree.txt" | sort | tr '\n' ';')
	got=$(jl "$T/tree.json" "''.join(sorted('%d %d;' % (e['pid'], e['code']) for e in of('exit') if not e['thread']))")
	expect "[$mode] fork tree: each process's exit code" "$got" "$want"

	# non-leader exec (doc/ENGINE.md, 'Exec from a non-leader thread'): one exec on the leader's tid, former_tid = the execing thread
	run nl $extra -- "$P/proc_nlexec" "$T/nl.txt"
	pid=$(sed -n 's/^pid //p' "$T/nl.txt"); xt=$(sed -n 's/^exec //p' "$T/nl.txt")
	got=$(jl "$T/nl.json" "[[e['pid'], e['tid'], e['path'], e['argv'], e.get('former_tid')] for e in of('exec')][1:]")
	expect "[$mode] non-leader exec: exec on the leader with former_tid" "$got" "[[$pid, $pid, \"/usr/bin/true\", [\"/bin/true\", \"from-thread-3\"], $xt]]"
	got=$(jl "$T/nl.json" "[len([e for e in of('spawn') if e['thread']]), len([e for e in of('exit') if not e['thread']]), [e.get('code') for e in of('exit') if not e['thread']], len(set(e['tid'] for e in of('exit') if e['thread'])) == len([e for e in of('exit') if e['thread']]), $xt in [e['tid'] for e in of('exit')]]")
	expect "[$mode] non-leader exec: 8 threads, one process exit code 0, no exit for the former tid" "$got" "[8, 1, [0], true, false]"

	# vfork + exec, vfork + _exit, posix_spawn
	run vf $extra -- "$P/proc_vfork" "$T/vf.txt"
	ve=$(awk '/^vexec/ {print $2}' "$T/vf.txt"); vx=$(awk '/^vexit/ {print $2}' "$T/vf.txt"); sp=$(awk '/^spawn/ {print $2}' "$T/vf.txt")
	got=$(jl "$T/vf.json" "sorted([e['child'], e['via']] for e in of('spawn'))")
	expect "[$mode] vfork/posix_spawn: spawns with the syscall used" "$got" "[[$ve, \"vfork\"], [$vx, \"vfork\"], [$sp, \"clone3\"]]"
	got=$(jl "$T/vf.json" "sorted([e['pid'], e['path'], e['argv']] for e in of('exec'))[1:]")
	expect "[$mode] vfork/posix_spawn: the children's execs" "$got" "[[$ve, \"/usr/bin/true\", [\"/bin/true\", \"vforked\"]], [$sp, \"/usr/bin/echo\", [\"/bin/echo\", \"spawned\"]]]"
	got=$(jl "$T/vf.json" "sorted([e['pid'], e['code']] for e in of('exit') if e['pid'] in ($ve, $vx, $sp))")
	expect "[$mode] vfork/posix_spawn: children's exit codes" "$got" "[[$ve, 0], [$vx, 7], [$sp, 0]]"

	# raw clone3: plain, CLONE_VFORK, exit_signal=0
	run c3 $extra -- "$P/proc_clone3" "$T/c3.txt"
	want=$(awk '{printf "[%s, \"clone3\", %s], ", $2, $3}' "$T/c3.txt")
	got=$(jl "$T/c3.json" "''.join('[%d, \"%s\", %d], ' % (s['child'], s['via'], [e['code'] for e in of('exit') if e['pid']==s['child']][0]) for s in of('spawn'))")
	expect "[$mode] clone3 plain/vfork/exit_signal=0: spawned and reaped with their codes" "$got" "$want"

	# leader pthread_exit()s first (doc/ENGINE.md, 'Zombie leader'): process exit only after the threads, code 5
	run le $extra -- "$P/proc_leader_exit"
	expect "[$mode] leader exits first: status 5" "$rc" 5
	got=$(jl "$T/le.json" "[(e['thread'], e.get('code')) for e in of('exit')]")
	expect "[$mode] leader exits first: two thread exits, then the process exit" "$got" "[[true, 0], [true, 5], [false, 5]]"
done

# CLONE_UNTRACED (doc/ENGINE.md, 'CLONE_UNTRACED'): a warning naming the child; no hang
run un --no-seccomp -- "$P/proc_untraced" "$T/un.txt"
child=$(awk '{print $2}' "$T/un.txt")
got=$(jl "$T/un.json" "[e['msg'] for e in of('warning')]")
expect "CLONE_UNTRACED: warning event names the child" "$got" "[\"child $child escaped tracing (CLONE_UNTRACED)\"]"
check "CLONE_UNTRACED: warning on stderr" grep -q "warning: child $child escaped tracing" "$T/un.err"
expect "CLONE_UNTRACED: the child ran on its own (exit 4)" "$(awk '{print $3}' "$T/un.txt")" 4
got=$(jl "$T/un.json" "len(of('spawn'))")
expect "CLONE_UNTRACED: no spawn event for the escaped child" "$got" 0
run un2 -- "$P/proc_untraced" "$T/un2.txt"
child=$(awk '{print $2}' "$T/un2.txt")
got=$(jl "$T/un2.json" "[e['msg'] for e in of('warning')]")
expect "CLONE_UNTRACED with seccomp: warning too, no hang" "$got" "[\"child $child escaped tracing (CLONE_UNTRACED)\"]"

# a tracee attacking its tracer (doc/ENGINE.md, 'Tracee attacking its tracer'): EPERM for ATTACH, SEIZE and TRACEME
for m in "" --no-seccomp; do
	run pt $m -- "$P/proc_ptrace"
	got=$(tr '\n' ';' <"$T/pt.out")
	expect "ptrace on the tracer refused with EPERM $m" "$got" "attach -1 1;seize -1 1;traceme -1 1;"
done

# SIGSEGV: signal event, exit by SIGSEGV, status 139
run sg -- "$P/proc_segv"
expect "SIGSEGV: exit status 139" "$rc" 139
got=$(jl "$T/sg.json" "[[e['signal'] for e in of('signal')], [[e.get('signal'), e.get('root')] for e in of('exit')]]")
expect "SIGSEGV: signal and exit events" "$got" '[["SIGSEGV"], [["SIGSEGV", true]]]'

# int 0x80 (doc/ENGINE.md, 'Syscall numbers come from the tracee'): i386 getpid/write/exit seen with i386 numbering
run i80 -v -- "$P/proc_int80"
expect "int 0x80: exit(3) through i386 exit" "$rc" 3
expect "int 0x80: write reached stdout" "$(cat "$T/i80.out")" int80
got=$(jl "$T/i80.json" "[e['name'] for e in of('syscall') if e['name'] in ('getpid', 'write')][-2:]")
expect "int 0x80: getpid and write decoded with i386 names" "$got" '["getpid", "write"]'

# bogus numbers (the same section): each reaches the kernel (ENOSYS) and is reported, no crash
for m in "" --no-seccomp; do
	run bg -v $m -- "$P/proc_bogus"
	expect "bogus syscall numbers: program ran normally $m" "$(tr '\n' ';' <"$T/bg.out")" "minus1 -1 38;huge -1 38;x32 -1 38;int80 -38;"
	got=$(jl "$T/bg.json" "[e['name'] for e in of('syscall') if e.get('err')=='ENOSYS']")
	expect "bogus syscall numbers: reported as unknown $m" "$got" '["syscall_0xffffffffffffffff", "syscall_0x7fffffff", "syscall_0x40000027", "syscall_0xffff"]'
done

# exit status and setup errors
run ex3 -- sh -c 'exit 3'
expect "exit 3 -> 3" "$rc" 3
run nf -- no-such-command-xyz
expect "missing command -> 127" "$rc" 127
expect "missing command: one line" "$(cat "$T/nf.err")" "compendium: error: no-such-command-xyz: command not found"
echo 'echo hi' >"$T/plain"; chmod 644 "$T/plain"
run nx -- "$T/plain"
expect "not executable -> 126" "$rc" 126
expect "not executable: one line" "$(cat "$T/nx.err")" "compendium: error: $T/plain: permission denied"
printf 'not a script\n' >"$T/noexec"; chmod 755 "$T/noexec"
run ne -- "$T/noexec"
expect "executable text without #! (ENOEXEC) -> 126" "$rc" 126
got=$(jl "$T/ne.json" "[[e['path'], e['argv'], e['err']] for e in of('exec')]")
expect "ENOEXEC: a failed exec event" "$got" "[[\"$T/noexec\", [\"$T/noexec\"], \"ENOEXEC\"]]"
got=$(jl "$T/ex3.json" "[e['argv'] for e in of('exec')]")
expect "root exec argv as given" "$got" '[["sh", "-c", "exit 3"]]'

# compendium's fds never leak into the tracee: the same fds as untraced
run fd -- /bin/ls /proc/self/fd
got=$(sort -n "$T/fd.out" | tr '\n' ' ')
want=$($ENVI /bin/ls /proc/self/fd 2>/dev/null | sort -n | tr '\n' ' ')
expect "no compendium fd leaks into the tracee" "$got" "$want"

# two threads execve at once: one wins, on the leader's tid; the loser is a thread exit
for i in 1 2 3; do
	run e2 -- "$P/proc_exec2"
	got=$(jl "$T/e2.json" "[[e['tid'] == e['pid'], e['argv'][1:] in (['thread-a'], ['thread-b']), e.get('former_tid') is not None] for e in of('exec')[1:]] + [[e['thread'], e.get('code')] for e in of('exit')]")
	expect "two threads exec at once (run $i): one exec, former_tid set, one thread and one process exit" "$rc:$got" "0:[[true, true, true], [true, 0], [false, 0]]"
done

# a PID namespace (unshare -p -f): pids are the tracer's, every spawned child has its exit
if $ENVI unshare -p -f true 2>/dev/null; then
	run ns -- unshare -p -f sh -c 'sh -c "exit 2"; /bin/true; exit 7'
	expect "pid namespace: status 7" "$rc" 7
	got=$(jl "$T/ns.json" "[sorted(e['child'] for e in of('spawn')) == sorted(e['pid'] for e in of('exit') if not e.get('root')), sorted(e['code'] for e in of('exit')), len(of('warning'))]")
	expect "pid namespace: each spawned pid exits once with its code, no false CLONE_UNTRACED" "$got" "[true, [0, 2, 7, 7], 0]"
else
	skip "unshare -p not permitted here"
fi

# unprivileged (uid nobody): seccomp needs no_new_privs; the child must be seizable
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
	asnobody() { (cd / && $ENVI setpriv --reuid=65534 --regid=65534 --clear-groups "$@"); }
	for m in "" --no-seccomp; do
		asnobody "$C" -q $m --json - -- /bin/sh -c '/bin/true; exit 4' >"$T/nb.json" 2>"$T/nb.err"
		rc=$?
		got=$(jl "$T/nb.json" "[[e['type'], e.get('path') or e.get('code')] for e in evs if e['type'] in ('exec', 'exit')]")
		expect "as nobody $m: traced, status 4" "$rc:$got" '4:[["exec", "/usr/bin/dash"], ["exec", "/usr/bin/true"], ["exit", 0], ["exit", 4]]'
	done
	asnobody "$C" -q -- "$P/proc_ptrace" >"$T/nbp.out" 2>/dev/null
	expect "as nobody: the tracee cannot ptrace compendium" "$(tr '\n' ';' <"$T/nbp.out")" "attach -1 1;seize -1 1;traceme -1 1;"
	sleep 30 &
	s=$!
	# the message names what runs at the pid: wait for the exec (at load the
	# forked shell was still there and was rightly named 'sh')
	wait_for 30 grep -qx sleep "/proc/$s/comm"
	asnobody "$C" -q -p $s >/dev/null 2>"$T/nbx.err"
	rc=$?
	expect "as nobody: --pid of root's process refused with the reason" "$rc:$(cat "$T/nbx.err")" "1:compendium: error: --pid $s (sleep): not permitted: it belongs to another user or is not dumpable; run as root (CAP_SYS_PTRACE)"
	kill $s; wait $s 2>/dev/null || :
else
	skip "unprivileged checks need root and setpriv"
fi
