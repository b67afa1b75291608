#!/bin/sh
# SPDX-License-Identifier: MIT
# strace's selection flags against strace 6.1 on the same program (tests/progs/sel_strace.c):
# -e trace= classes (%creds %clock %stat ...), /regex and ?name select the same syscalls; a call
# selected by name without an event of its own gets a generic syscall event and line; -Z/-z and
# -e status= keep the same calls; -P keeps the calls touching a path (symlink resolved, fds, *at);
# -e signal= the same signals; -e quiet=exit drops the exit line.
. "$TOP/tests/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	skip "strace is not installed: nothing to compare with"
	exit 0
fi
W=$T/w
mkdir "$W" && cd "$W" || exit 1
echo hello >t.txt
ln -s t.txt link.txt
PROG=$P/sel_strace

# the syscall names of a strace -o file (one process: no pid column), in order
strace_names() { sed -n 's/^\([a-z_0-9]*\)(.*/\1/p' "$1" | tr '\n' ' '; }
# the syscall names of compendium -v narrative lines, in order
ours_names() { sed -n 's/^\[+[0-9.]*s\] \([a-z_0-9]*\)(.*/\1/p' "$1" | tr '\n' ' '; }
# the names of the syscall events of a --json log, in order
json_names() {
	python3 -c '
import json, sys
print(" ".join(e["name"] for e in map(json.loads, open(sys.argv[1])) if e.get("type") == "syscall"), end=" ")
' "$1"
}

for e in %creds %clock %stat %lstat %fstat %%stat %statfs %fstatfs %%statfs %pure '/^get.*id$' \
	'/^(.*_)?statv?fs' '?nosuch,%creds' '?/^zzz,%clock' '!%creds,%clock,%%stat,/^[a-qs-z]'; do
	strace -q -e trace="$e" -o "$T/s.txt" "$PROG"
	want=$(strace_names "$T/s.txt")
	cmp -v -e trace="$e" -o "$T/v.txt" -- "$PROG"
	expect "-v -e trace=$e: the calls strace shows" "$(ours_names "$T/v.txt")" "$want"
	cmp -q --json "$T/j.json" -e trace="$e" -- "$PROG"
	case $e in
	!*) # a leading '!' selects by leaving out: nothing is named, no generic events
		expect "-e trace=$e without -v: no generic syscall events" "$(json_names "$T/j.json")" " " ;;
	*) expect "-e trace=$e without -v: one generic syscall event per call strace shows" "$(json_names "$T/j.json")" "$want" ;;
	esac
done
# '!NAME' after the first item is compendium's (strace refuses it)
cmp -q --json "$T/j.json" -e trace='%creds,!getuid' -- "$PROG"
expect "-e trace=%creds,!getuid: %creds without getuid" "$(json_names "$T/j.json")" \
	"geteuid getgid getegid getgroups getresuid getresgid setresuid capget prctl "

# a call named in -e trace= with no event of its own: generic event, a narrative line, its failure counted once
cmp -e trace=stat,statx -o "$T/n.txt" --json "$T/g.json" -- "$PROG"
expect "-e trace=stat,statx: narrative lines in strace's form" "$(ours_names "$T/n.txt")" "stat stat statx "
expect "... the failed stat is shown with its errno" "$(grep -c 'stat("missing.txt", 0x[0-9a-f]*) = -1 ENOENT' "$T/n.txt")" 1
g=$(python3 -c '
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1])) if e.get("type") == "syscall"]
print(len(ev), all(e.get("generic") is True for e in ev), sum(1 for e in ev if "err" in e))
end = [e for e in map(json.loads, open(sys.argv[1])) if e.get("type") == "end"]
print(end[0].get("failed") if end else None)
' "$T/g.json" | tr '\n' ' ')
expect "... JSON: 3 syscall events, all generic, 1 failed; the end record counts 1 failure" "$g" "3 True 1 1 "
expect "... the summary lists the failure once" "$(grep -c 'ENOENT' "$T/n.txt")" 2
# under -v a call with an event of its own is not generic, and the default selection makes none
cmp -q -v --json "$T/v.json" -e trace=openat,statx -- "$PROG"
expect "-v -e trace=openat,statx: only statx records are generic" "$(python3 -c '
import json, sys
print(" ".join(e["name"] for e in map(json.loads, open(sys.argv[1])) if e.get("generic")))' "$T/v.json")" "statx"
cmp -q --json "$T/d.json" -- "$PROG"
expect "no -e trace=: no syscall events without -v" "$(json_names "$T/d.json")" " "

# -Z / -z / -e status=: the same calls as strace's (process lines and signals stay)
for f in -Z -z -e\ status=failed -e\ status=!failed; do
	# shellcheck disable=SC2086
	strace -q $f -o "$T/s.txt" "$PROG"
	# shellcheck disable=SC2086
	cmp -v $f -o "$T/v.txt" -- "$PROG"
	expect "-v $f: the calls strace $f shows" "$(ours_names "$T/v.txt")" "$(strace_names "$T/s.txt")"
	expect "-v $f: both signals still shown, as by strace" \
		"$(grep -c '\] signal SIGUSR[12]' "$T/v.txt") $(grep -c '^--- SIGUSR[12]' "$T/s.txt")" "2 2"
	expect "-v $f: the exit line still shown, as by strace" \
		"$(grep -c '\] exit 0$' "$T/v.txt") $(grep -c '^+++ exited with 0' "$T/s.txt")" "1 1"
done
cmp -Z -o "$T/z.txt" --json "$T/z.json" -- "$PROG"
expect "-Z without -v: the failed opens only (narrative)" "$(grep -c '\] open ' "$T/z.txt")" 1
expect "-Z: no successful call in the log" "$(python3 -c '
import json, sys
print(sum(1 for e in map(json.loads, open(sys.argv[1])) if e.get("type") in ("open", "read", "mmap", "close") and "err" not in e))' "$T/z.json")" 0
expect "-Z: the summary says what was recorded" "$(grep -c 'Recorded: only failed calls' "$T/z.txt")" 1

# -P: the calls touching the path, by name, through the symlink and by fd, as strace -P
for p in t.txt link.txt "$W/t.txt"; do
	strace -q -P "$p" -o "$T/s.txt" "$PROG" 2>"$T/s.err"
	cmp -v -P "$p" -o "$T/v.txt" -- "$PROG" 2>"$T/v.err"
	want=$(strace_names "$T/s.txt")
	got=$(ours_names "$T/v.txt")
	# strace 6.1 checks only rename's first path; compendium both (the rename back to t.txt)
	[ "$p" != t.txt ] || want="${want}rename "
	expect "-v -P $p: strace's calls (plus rename(\"u.txt\", \"t.txt\"))" "$got" "$want"
	expect "-P $p: the resolution note as strace's" "$(sed 's/^compendium: //' "$T/v.err")" "$(sed 's/^strace: //' "$T/s.err")"
	expect "-P $p: the signals and the exit line stay, as in strace" \
		"$(grep -c '\] signal SIGUSR[12]\|\] exit 0$' "$T/v.txt") $(grep -c '^--- SIGUSR\|^+++ exited' "$T/s.txt")" "3 3"
done
cmp -P link.txt -e quiet=path-resolution -o "$T/v.txt" -- "$PROG" 2>"$T/v.err"
expect "-P link.txt -e quiet=path-resolution: no note" "$(cat "$T/v.err")" ""
expect "-P link.txt without -v: the read of t.txt through its fd" "$(grep -c '\] read .*t.txt 6 B' "$T/v.txt")" 1
expect "-P link.txt without -v: nothing else is narrated" "$(grep -c '\] \(open\|mmap\|read /etc\)' "$T/v.txt")" 0

# -P without -v: a call with no event of its own that touches the path
# (stat's statx, git's readlink) gets its generic record, as strace -P shows it
strace -q -P "$W/t.txt" -o "$T/s.txt" stat "$W/t.txt" >/dev/null
cmp -q -P "$W/t.txt" --json "$T/p.json" -- stat "$W/t.txt" >/dev/null
want=$(strace_names "$T/s.txt")
got=$(jl "$T/p.json" "' '.join(sorted(set((e['name'] if e['type'] == 'syscall' else e['type']) for e in evs if e['type'] not in ('exec', 'exit', 'spawn'))))")
check "-P without -v: stat's statx of the path is recorded (strace: $want; ours: $got)" sh -c "echo '$got' | grep -qw statx && echo '$want' | grep -qw statx"
n=$(jl "$T/p.json" "sum(1 for e in evs if e['type'] == 'syscall' and e.get('generic') and '$W/t.txt' not in e.get('args', ''))")
expect "-P without -v: no generic record of a call that does not touch it" "$n" 0

# -e signal=: the signals strace shows
for s in USR2 SIGUSR1 '!usr1' none 10 all; do
	strace -q -e trace=kill -e signal="$s" -o "$T/s.txt" "$PROG"
	cmp -e trace=kill -e signal="$s" -o "$T/v.txt" -- "$PROG"
	expect "-e signal=$s: strace's signals" "$(sed -n 's/^\[+[0-9.]*s\] signal \(SIG[A-Z0-9]*\).*/\1/p' "$T/v.txt" | tr '\n' ' ')" \
		"$(sed -n 's/^--- \(SIG[A-Z0-9]*\) .*/\1/p' "$T/s.txt" | tr '\n' ' ')"
done

# -e quiet=exit: no exit line, like strace's "+++ exited" (the summary still has the exit)
strace -e trace=none -e quiet=exit -o "$T/s.txt" "$PROG"
cmp -e trace=none -e quiet=exit -o "$T/v.txt" -- "$PROG"
expect "-e quiet=exit: no exit line (strace: none either)" \
	"$(grep -c '\] exit 0$' "$T/v.txt") $(grep -c '^+++' "$T/s.txt")" "0 0"
expect "-e quiet=exit: the summary keeps the exit" "$(grep -c 'Exit: 0' "$T/v.txt")" 1
# -e quiet=attach under -p: no attached/detached lines; the log keeps the attach and detach events
sleep 30 &
sl=$!
cmp -e quiet=attach -o "$T/a.txt" --json "$T/a.json" -p "$sl" &
cp=$!
i=0
while [ $i -lt 200 ] && ! grep -q '"type": *"attach"' "$T/a.json" 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
kill -INT "$cp" 2>/dev/null
wait "$cp"
kill "$sl" 2>/dev/null
wait "$sl" 2>/dev/null
expect "-e quiet=attach -p: no attached/detached line" "$(grep -c 'attached\|detached' "$T/a.txt")" 0
expect "-e quiet=attach -p: the log keeps the attach event" "$(grep -c '"type": *"attach"' "$T/a.json")" 1
