#!/bin/sh
# SPDX-License-Identifier: MIT
# -v prints every syscall like strace: the same run of progs/tables_calls under
# strace -f -y and under compendium -v must give the same lines (arguments and
# return values), i386 calls decode with i386 names, unknown numbers as syscall_0x...
. "$TOP/tests/lib.sh"

command -v strace >/dev/null 2>&1 || { skip "strace not installed"; exit 0; }
mkdir "$T/w1" "$T/w2"

# One call per line, "name(args) = ret", from the first open of tc_out.txt to the exit.
# Pipe and socket inode numbers are renumbered by first appearance in each run.
(cd "$T/w1" && $ENVI strace -f -qq -y -s 64 -o "$T/strace.txt" "$P/tables_calls") || fail "strace run"
(cd "$T/w2" && cmp -v -s 64 -o "$T/comp.txt" -- "$P/tables_calls") || fail "compendium run"

python3 - "$T/strace.txt" "$T/comp.txt" "$T/w1" "$T/w2" >"$T/diff.txt" <<'PY'
import re, sys
st, cp, d1, d2 = sys.argv[1:5]
def renumber(lines):
    # pipe and socket inodes differ between two runs: number them by first appearance,
    # so "both ends of one pipe" still has to match
    seen = {}
    def sub(m):
        k = (m.group(1), m.group(2))
        seen.setdefault(k, len(seen) + 1)
        return '%s:[#%d]' % (m.group(1), seen[k])
    return [re.sub(r'(pipe|socket):\[(\d+)\]', sub, l) for l in lines]
def calls(lines, strip):
    out, on = [], False
    for l in lines:
        l = strip(l.rstrip('\n'))
        if l is None:
            continue
        if '"tc_out.txt", O_WRONLY' in l:
            on = True
        if on:
            out.append(l)
        if on and l.startswith('syscall_0x7fffffff'):
            break
    return renumber(out)
def strace_line(l):
    l = re.sub(r'^\d+ +', '', l)
    if l.startswith('+++') or l.startswith('---'):
        return None
    l = re.sub(r'AT_FDCWD<[^>]*>', 'AT_FDCWD', l)        # -y on AT_FDCWD: compendium shows the bare name
    l = re.sub(r'\) += ', ') = ', l)                       # strace pads to a column
    # bytes that are not UTF-8: strace writes octal, the project's policy is \xNN
    l = re.sub(r'\\(3[0-7][0-7]|2[0-7][0-7])', lambda m: '\\x%02x' % int(m.group(1), 8), l)
    return l.replace(d1, 'DIR')
def comp_line(l):
    m = re.match(r'^\[\+[0-9.]+s\] (?:\d+ +)?(.*?)(?: <[0-9.]+>)?$', l)
    if not m or '(' not in m.group(1):
        return None
    return m.group(1).replace(d2, 'DIR')
a = calls(open(st, encoding='utf-8', errors='surrogateescape'), strace_line)
b = calls(open(cp, encoding='utf-8', errors='surrogateescape'), comp_line)
args_bad = ret_bad = 0
if len(a) < 25 or len(a) != len(b):
    print('count: strace %d lines, compendium %d' % (len(a), len(b)))
    args_bad = ret_bad = 1
for x, y in zip(a, b):
    xa, _, xr = x.rpartition(') = ')
    ya, _, yr = y.rpartition(') = ')
    if xa != ya:
        print('args: strace  %s\n      compend %s' % (x, y)); args_bad += 1
    if re.sub(r'getppid\(\) = \d+', '', x) and xr != yr and not x.startswith('getppid'):
        print('ret:  strace  %s\n      compend %s' % (x, y)); ret_bad += 1
print('ARGS_BAD=%d RET_BAD=%d' % (args_bad, ret_bad))
PY
if grep -q '^ARGS_BAD=0 ' "$T/diff.txt"; then ok "-v arguments are the same as strace -y's for $(grep -c . "$T/strace.txt") calls"
else fail "-v arguments differ from strace's"; grep -v '^ARGS_BAD' "$T/diff.txt" | grep -A1 '^args\|^count' | head -20; fi
if grep -q ' RET_BAD=0$' "$T/diff.txt"; then ok "-v return values are the same as strace -y's (fd annotation, errno text, fcntl flags)"
else fail "-v return values differ from strace's"; grep -A1 '^ret\|^count' "$T/diff.txt" | head -12; fi

# The case from the issue.
cmp -v -- sh -c 'cat /etc/hostname' >/dev/null 2>"$T/cat.txt"
if grep -Eq '\] ([0-9]+ +)?openat\(AT_FDCWD, "/etc/hostname", O_RDONLY\) = 3' "$T/cat.txt"; then ok "cat /etc/hostname: openat line"
else fail "cat /etc/hostname: no openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = 3 line"; grep openat "$T/cat.txt" | head -3; fi
# the hermetic environment's variables (sanitizer builds keep their options)
nvars=$(echo "$ENVI" | tr ' ' '\n' | grep -c '=')
expect "cat /etc/hostname: execve with argv and an env count" \
	"$(grep -Ec '\] ([0-9]+ +)?execve\("/usr/bin/sh", \["sh", "-c", "cat /etc/hostname"\], 0x[0-9a-f]* /\* '"$nvars"' vars \*/\) = 0' "$T/cat.txt")" 1
expect "cat /etc/hostname: exit_group(0) = ?" "$(grep -Ec '\] ([0-9]+ +)?exit_group\(0\) = \?' "$T/cat.txt")" 2

# i386 and unknown numbers.
cmp -v -o "$T/i386.txt" -- "$P/tables_int80" >"$T/i386.out"
pid=$(sed -n 's/^pid //p' "$T/i386.out")
expect "int 0x80 getpid decodes with the i386 name" "$(grep -c "\] getpid() = $pid " "$T/i386.txt")" 1
expect "int 0x80 write decodes its buffer" "$(grep -c '\] write(1[^,]*, "hi\\n", 3) = 3 ' "$T/i386.txt")" 1
expect "i386 0xffff is unknown" "$(grep -c '\] syscall_0xffff(.*) = -1 ENOSYS' "$T/i386.txt")" 1
expect "x32-flagged number is unknown" "$(grep -c '\] syscall_0x40000027(.*) = -1 ENOSYS' "$T/i386.txt")" 1

# exit never returns: each thread's exit(0) has its "= ?" line, the process's exit_group too
cmp -v -o "$T/thr.txt" -- "$P/proc_threads" "$T/thr.out" 3 >/dev/null
expect "threads: three exit(0) = ? lines" "$(grep -Ec '\] [0-9]+/[0-9]+ +exit\(0\) = \?$' "$T/thr.txt")" 3
expect "threads: one exit_group(0) = ? line" "$(grep -Ec '\] [0-9]+ +exit_group\(0\) = \?$' "$T/thr.txt")" 1

# a read cut by a signal for restart: "= ? ERESTARTSYS (...)" as strace prints it, never "-1"
cmp -v -e trace=read -o "$T/rs.txt" -- "$P/proc_sigstorm" 3 restart >/dev/null
n=$(grep -Ec '\] ([0-9]+ +)?read\(5<pipe:\[[0-9]+\]>, 0x[0-9a-f]+, 1\) = \? ERESTARTSYS \(To be restarted if SA_RESTART is set\) <[0-9.]+>$' "$T/rs.txt")
if [ "$n" -ge 1 ]; then ok "restart code: '= ? ERESTARTSYS (To be restarted if SA_RESTART is set)' ($n)"
else fail "restart code: no '= ? ERESTARTSYS (...)' read line"; grep -m2 ERESTART "$T/rs.txt"; fi
expect "restart code: never shown as a failure" "$(grep -c '= -1 ERESTART' "$T/rs.txt")" 0
