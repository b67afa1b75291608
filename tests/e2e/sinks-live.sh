#!/bin/sh
# SPDX-License-Identifier: MIT
# The live narrative and the summary on real programs: coalesced writes with
# a count, the noise filter and --no-filter, the pid column once a second
# process appears, pid/tid for threads, -v syscall lines, no colour in a
# file, the FINAL block's process tree and files, and -c call/error counts
# equal to strace -c for the same program.
. "$TOP/tests/lib.sh"

# --- dd: five 1 KiB writes coalesce into one line; /dev/zero is noise
cmp -o "$T/dd.txt" -- dd if=/dev/zero of="$T/z" bs=1k count=5 2>/dev/null
expect "dd under compendium exits 0" "$?" 0
n=$(grep -c "] write $T/z 5× 5.0 KiB\$" "$T/dd.txt")
expect "five writes of z are one coalesced line" "$n" 1
n=$(grep -c "] read /dev/zero" "$T/dd.txt")
expect "reads of /dev/zero are hidden by the noise filter" "$n" 0
n=$(grep -c "^ Files written (1 file):\$" "$T/dd.txt")
expect "summary lists one written file" "$n" 1
n=$(grep -c "^      5.0 KiB  $T/z (5 calls)\$" "$T/dd.txt")
expect "summary gives z's bytes and calls" "$n" 1
n=$(grep -c '^ Exit: 0$' "$T/dd.txt")
expect "summary exit line" "$n" 1
if grep -q "$(printf '\033')" "$T/dd.txt"; then fail "no colour in a file"; else ok "no colour in a file"; fi

cmp --no-filter -o "$T/ddn.txt" -- dd if=/dev/zero of="$T/z" bs=1k count=5 2>/dev/null
n=$(grep -c "] read /dev/zero 1.0 KiB\$" "$T/ddn.txt")
expect "--no-filter shows the reads of /dev/zero (interleaved with writes: not coalesced)" "$n" 5
n=$(grep -c "^      5.0 KiB  /dev/zero (5 calls)\$" "$T/ddn.txt")
expect "--no-filter lists /dev/zero among the files read" "$n" 1

# --- the pid column appears once there is a second process
cmp -o "$T/sh.txt" -- sh -c '/bin/true; /bin/true' 2>/dev/null
first=$(grep -m1 'exec ───' "$T/sh.txt")
case $first in
"[+"*"s] ─── dash exec ─── "*) ok "the first process has no pid column" ;;
*) fail "the first process has no pid column (got '$first')" ;;
esac
n=$(grep -cE '^\[\+[0-9]+\.[0-9]{6}s\] [0-9]+ +─── true exec ─── /usr/bin/true$' "$T/sh.txt")
expect "both children's execs carry their pid" "$n" 2
n=$(grep -cE '^\[\+[0-9]+\.[0-9]{6}s\] ([0-9]+ +)?spawn process [0-9]+ \((fork|vfork|clone|clone3)\)$' "$T/sh.txt")
expect "two spawn lines" "$n" 2
n=$(grep -cE "^   [0-9]+ sh -c '/bin/true; /bin/true'  → exit 0, peak RSS [0-9.]+ ([KMG]i)?B$" "$T/sh.txt")
expect "process tree: the root, with its peak RSS" "$n" 1
n=$(grep -cE '^   └ 2 × /bin/true  → exit 0, peak RSS up to [0-9.]+ ([KMG]i)?B$' "$T/sh.txt")
expect "process tree: two identical children folded, with argv, status and peak RSS" "$n" 1
cmp -q --tree=all -o "$T/sh-all.txt" -- sh -c '/bin/true; /bin/true' 2>/dev/null
n=$(grep -cE '^   └ [0-9]+ /bin/true  → exit 0, peak RSS [0-9.]+ ([KMG]i)?B$' "$T/sh-all.txt")
expect "process tree: --tree=all shows the two children one by one" "$n" 2
n=$(grep -c '^ Processes: 3$' "$T/sh.txt")
expect "summary counts three processes" "$n" 1

# --- threads: pid/tid column and a thread spawn line
if [ -x /usr/bin/python3 ]; then
	cmp -o "$T/th.txt" -- /usr/bin/python3 -c 'import threading; t=threading.Thread(target=lambda: open("/etc/hostname").read()); t.start(); t.join()'
	expect "python with a thread exits 0" "$?" 0
	n=$(grep -cE '^\[\+[0-9.]+s\] ([0-9]+ +)?spawn thread [0-9]+ \(clone3?\)$' "$T/th.txt")
	expect "one thread spawn line" "$n" 1
	n=$(grep -cE '^\[\+[0-9.]+s\] [0-9]+/[0-9]+ +open /etc/hostname \(read\)$' "$T/th.txt")
	expect "the thread's open carries pid/tid" "$n" 1
	n=$(grep -cE '^ Processes: 1 \(\+1 thread\)$' "$T/th.txt")
	expect "summary counts the thread" "$n" 1
else
	skip "python3 missing: threads"
fi

# --- -v: strace-like lines, and the semantic lines are not repeated
cmp -v -o "$T/v.txt" -- dd if=/dev/zero of="$T/z" bs=1k count=2 2>/dev/null
n=$(grep -cE "^\[\+[0-9.]+s\] openat\(AT_FDCWD, \"$T/z\", O_WRONLY\|O_CREAT\|O_TRUNC, 0666\) = 3<$T/z> <[0-9]+\.[0-9]{6}>\$" "$T/v.txt")
expect "-v prints the openat of z strace-like (the new fd with its path)" "$n" 1
n=$(grep -c "] open $T/z" "$T/v.txt")
expect "-v does not repeat it as an open line" "$n" 0
n=$(grep -cE '^\[\+[0-9.]+s\] openat\(AT_FDCWD, "[^"]*", [A-Z_|]+\) = -1 ENOENT' "$T/v.txt")
if [ "$n" -ge 1 ]; then ok "-v shows failures with the errno name"; else fail "-v shows failures with the errno name"; fi

# --- -v -k: strace's error text, and the stack under the syscall line
cmp -v -k -e trace=openat -o "$T/vk.txt" -- "$P/stk_chain" 1 >/dev/null
v=$(grep -A3 '\] openat(AT_FDCWD, "/nonexistent/stk_chain_marker"' "$T/vk.txt" | sed 's/^\[+[0-9.]*s\] //; s/+0x[0-9a-f]*)/+X)/; s/<[0-9.]*>$/<T>/')
expect "-v -k: the openat line, then its frames" "$v" "$(printf '%s\n' \
	'openat(AT_FDCWD, "/nonexistent/stk_chain_marker", O_RDONLY) = -1 ENOENT (No such file or directory) <T>' \
	'          #0 syscall (libc.so.6+X)' '          #1 f3 (stk_chain+X)' '          #2 f2 (stk_chain+X)')"

# --- -c: calls and errors per syscall equal strace -c on the same program
if command -v strace >/dev/null; then
	cmp -c -q -o "$T/c.txt" -- dd if=/dev/zero of="$T/z" bs=1k count=5 2>/dev/null
	$ENVI strace -f -c -o "$T/s.txt" dd if=/dev/zero of="$T/z" bs=1k count=5 2>/dev/null
	python3 - "$T/c.txt" "$T/s.txt" <<'PY'
import re, sys
def table(path):
    rows, on = {}, False
    for l in open(path, encoding='utf-8'):
        if l.startswith('% time'):
            on = True; continue
        if not on or l.startswith('-'):
            continue
        f = l.split()
        if len(f) < 5 or not re.fullmatch(r'[0-9.]+', f[0]):
            on = False; continue
        calls = int(f[3]); errors = int(f[4]) if len(f) == 6 else 0
        rows[f[-1]] = (calls, errors)
    return rows
c, s = table(sys.argv[1]), table(sys.argv[2])
ok = c == s and 'total' in c
print(('ok - ' if ok else 'not ok - ') + '-c calls and errors per syscall equal strace -c' + ('' if ok else ' (compendium %r, strace %r)' % (c, s)))
PY
	n=$(grep -cE '^wall [0-9.]+s   cpu user [0-9.]+s   sys [0-9.]+s$' "$T/c.txt")
	expect "-c shows wall and CPU time" "$n" 1
else
	skip "strace missing: -c comparison"
fi

# --- -v -k --stack-on=open: the openat lines carry the open events' stacks, nothing else does
cmp -v -k --stack-on=open -o "$T/vko.txt" -- "$P/stk_chain" 1 >/dev/null
v=$(grep -B1 '^          #0 ' "$T/vko.txt" | grep -v '^          #0 \|^--$' | sed 's/^\[+[0-9.]*s\] \([a-z0-9_]*\)(.*/\1/' | sort | uniq -c | tr -s ' ')
n=$(grep -c '\] openat(' "$T/vko.txt")
expect "-v -k --stack-on=open: every openat line has a stack, and only those" "$v" " $n openat"
