#!/bin/sh
# SPDX-License-Identifier: MIT
# The end record's CPU time: user+sys of the traced tree, like time(1). A
# process whose parent is not traced (the command, an orphan, an attached
# process) adds the rusage of its exit status, which covers its threads and
# the children it waited for. compendium asks wait4 for an rusage only
# while such a process is exiting (after its PTRACE_EVENT_EXIT stop), so
# these check that none is missed: each spinner's own CPU time (`times`)
# must be in the total.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1
printf '#!/bin/sh\n[ -n "${2:-}" ] && sleep "$2"\ni=0; while [ $i -lt 150000 ]; do i=$((i+1)); done; times >"$1"\n' >spin.sh
chmod +x spin.sh
total() { jl "$1" "round(end['cpu']['user'] + end['cpu']['sys'], 3)"; }
# the shell's own user+sys, from the first line of `times` ("0m0.41s 0m0.00s" or "0m0.410000s ...")
own() { sed -n '1s/^[0-9]*m\([0-9.]*\)s [0-9]*m\([0-9.]*\)s.*/\1 \2/p' "$1" | awk '{ print $1 + $2 }'; }
# near DESC GOT WANT...: GOT is the sum of WANTs within 20% (+ 30 ms for the rest of the tree)
near() {
	d=$1 g=$2; shift 2
	w=$(echo "$@" | awk '{ s = 0; for (i = 1; i <= NF; i++) s += $i; print s }')
	if awk -v g="$g" -v w="$w" 'BEGIN { exit !(w > 0.05 && g >= 0.8 * w - 0.03 && g <= 1.2 * w + 0.03) }'; then
		ok "$d ($g s; the spinners' own: $w s)"
	else
		fail "$d (got $g s; the spinners' own: $w s)"
	fi
}

cmp -q -o /dev/null --json j1.jsonl -- ./spin.sh t1
near "the command's CPU time is the end record's" "$(total j1.jsonl)" "$(own t1)"

# an orphan: its parent exits at once, it spins on, reparented outside the tree
cmp -q -o /dev/null --json j2.jsonl -- sh -c './spin.sh t2 & exit 0'
near "an orphan's CPU time is counted" "$(total j2.jsonl)" "$(own t2)"

# children the command waits for are in its rusage; children it does not wait for are orphans
cmp -q -o /dev/null --json j3.jsonl -- sh -c './spin.sh t3a; ./spin.sh t3b & ./spin.sh t3c; exit 0'
near "waited-for and orphaned children both counted, once" "$(total j3.jsonl)" "$(own t3a)" "$(own t3b)" "$(own t3c)"

# --pid: the attached process's CPU time when it exits under us
./spin.sh t4 0.5 &
pid=$!
cmp -q -o /dev/null --json j4.jsonl -p "$pid"
wait "$pid"
near "an attached process's CPU time at its exit" "$(total j4.jsonl)" "$(own t4)"

# a child its parent never reaps (the parent waits for its death with
# WNOWAIT, then exits): its CPU time is in nobody's rusage; it died while
# the parent lived, so it is no orphan either (it was lost before)
cmp -q -o /dev/null --json j4.jsonl -- "$P/proc_noreap" ./spin.sh t4
near "a child its live parent never reaps is counted" "$(total j4.jsonl)" "$(own t4)"
# the same child reaped by its parent is counted once, not twice
cmp -q -o /dev/null --json j5.jsonl -- sh -c './spin.sh t5 & wait'
near "a child its parent reaps is counted once" "$(total j5.jsonl)" "$(own t5)"
# a parent that ignores SIGCHLD has its children reaped by the kernel
cmp -q -o /dev/null --json j6.jsonl -- sh -c 'trap "" CHLD; ./spin.sh t6 & exec "$0" ./spin.sh t6b' "$P/proc_noreap"
near "children of a parent that ignores SIGCHLD are counted" "$(total j6.jsonl)" "$(own t6)" "$(own t6b)"

