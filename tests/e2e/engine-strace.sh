#!/bin/sh
# SPDX-License-Identifier: MIT
# Compare the process view of `compendium --no-filter --json` with strace -f
# on real programs (a shell pipeline, make with gcc, git, tar with gzip):
# the multiset of execs (path, argv, result), the number of processes and
# threads created, every exit status, and the final status must be equal.
# strace runs with -q (not -qq) so that it prints exit statuses.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1
if ! command -v strace >/dev/null 2>&1; then skip "strace not installed"; exit 0; fi

cat >"$T/cmp.py" <<'PY'
import json, os, re, sys
from collections import Counter
spath, jpath, cwd = sys.argv[1], sys.argv[2], sys.argv[3]

def unescape(s):
    # strace's C-style string escapes -> bytes -> str (surrogateescape)
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode(); i += 1; continue
        n = s[i + 1]
        if n in 'ntrvfab':
            out.append({'n': 10, 't': 9, 'r': 13, 'v': 11, 'f': 12, 'a': 7, 'b': 8}[n]); i += 2
        elif n == 'x':
            out.append(int(s[i + 2:i + 4], 16)); i += 4
        elif n.isdigit():
            m = re.match(r'[0-7]{1,3}', s[i + 1:]); out.append(int(m.group(0), 8)); i += 1 + len(m.group(0))
        else:
            out += n.encode(); i += 2
    return out.decode('utf-8', 'replace')

STR = r'"((?:[^"\\]|\\.)*)"'
def tmpnames(argv):
    # gcc's temporary files get random names in each run
    return tuple(re.sub(r'/tmp/cc[A-Za-z0-9]{6}\.', '/tmp/ccXXXXXX.', a) for a in argv)
def real(p, ok):
    p = p if p.startswith('/') else os.path.normpath(os.path.join(cwd, p))
    if not ok:
        return p
    try:
        with open(p, 'rb') as f:
            head = f.readline(256)
        if head.startswith(b'#!'):
            return os.path.realpath(head[2:].split()[0].decode())
    except OSError:
        pass
    return os.path.realpath(p)

# strace: join "<unfinished ...>" halves, then parse
lines, pending = [], {}
for l in open(spath, encoding='utf-8', errors='replace'):
    l = l.rstrip('\n')
    m = re.match(r'(\d+) +(.*)$', l)
    if not m:
        continue
    pid, rest = m.group(1), m.group(2)
    if rest.endswith('<unfinished ...>'):
        pending[pid] = rest[:-len('<unfinished ...>')].rstrip(); continue
    r = re.match(r'<\.\.\. \w+ resumed>(.*)$', rest)
    if r:
        rest = pending.pop(pid, '') + r.group(1)
    lines.append((pid, rest))

s_exec, s_proc, s_thr, s_exit = Counter(), 0, 0, Counter()
for pid, l in lines:
    m = re.match(r'execve(?:at)?\((?:\w+, )?' + STR + r', \[(.*?)\](?:, .*)?\) += (.*)$', l)
    if m:
        path, args, res = unescape(m.group(1)), m.group(2), m.group(3)
        argv = tuple(unescape(a) for a in re.findall(STR, args))
        ok = res.startswith('0')
        err = None if ok else res.split()[1]
        s_exec[(real(path, ok), tmpnames(argv), err)] += 1
        continue
    m = re.match(r'(clone3?|fork|vfork)\((.*)\) += (\d+)', l)
    if m:
        if 'CLONE_THREAD' in m.group(2):
            s_thr += 1
        else:
            s_proc += 1
        continue
    m = re.match(r'\+\+\+ (exited with (\d+)|killed by (\w+)(?: \(core dumped\))?) \+\+\+', l)
    if m:
        s_exit[('code', int(m.group(2))) if m.group(2) is not None else ('signal', m.group(3))] += 1

evs = [json.loads(l) for l in open(jpath, encoding='utf-8')]
def exact(e, k, i=None):
    # the JSON schema's recovery rule (KEY_bytes if present), as str like unescape() gives
    sib = e.get(k + '_bytes')
    if i is not None:
        sib = sib[i] if sib else None
    v = e[k] if i is None else e[k][i]
    return bytes(sib).decode('utf-8', 'surrogateescape') if sib is not None else v
c_exec, c_exit = Counter(), Counter()
for e in evs:
    if e['type'] == 'exec':
        c_exec[(exact(e, 'path'), tmpnames([exact(e, 'argv', i) for i in range(len(e['argv']))]), e.get('err'))] += 1
    elif e['type'] == 'exit':
        c_exit[('code', e['code']) if 'code' in e else ('signal', e['signal'])] += 1
c_proc = len([e for e in evs if e['type'] == 'spawn' and not e['thread']])
c_thr = len([e for e in evs if e['type'] == 'spawn' and e['thread']])

bad = []
if s_exec != c_exec:
    bad.append('execs: strace only %s; compendium only %s' % (dict(s_exec - c_exec), dict(c_exec - s_exec)))
if (s_proc, s_thr) != (c_proc, c_thr):
    bad.append('creations: strace %d processes %d threads; compendium %d, %d' % (s_proc, s_thr, c_proc, c_thr))
if s_exit != c_exit:
    bad.append('exits: strace only %s; compendium only %s' % (dict(s_exit - c_exit), dict(c_exit - s_exit)))
print('; '.join(bad) if bad else 'same (%d execs, %d processes, %d threads, %d exits)' % (sum(c_exec.values()), c_proc, c_thr, sum(c_exit.values())))
PY

# compare NAME DIR-PREFIX cmd...: the command runs in $T/NAME.s (strace) and $T/NAME.c (compendium)
compare() {
	name=$1; shift
	setup_$name "$T/$name.s"; setup_$name "$T/$name.c"
	(cd "$T/$name.s" && $ENVI strace -f -q -s 100000 -e trace=execve,execveat,clone,clone3,fork,vfork,exit_group \
		-o "$T/$name.strace" "$@" >/dev/null 2>&1)
	src=$?
	(cd "$T/$name.c" && $ENVI timeout 300 "$C" -q --no-filter --json "$T/$name.json" -- "$@" >/dev/null 2>&1)
	crc=$?
	expect "$name: same exit status as under strace ($src)" "$crc" "$src"
	got=$(python3 "$T/cmp.py" "$T/$name.strace" "$T/$name.json" "$T/$name.c" 2>&1)
	case $got in same*) ok "$name: $got" ;; *) fail "$name: $got" ;; esac
}

setup_pipe() { mkdir -p "$1"; }
compare pipe sh -c 'echo hello | tr a-z A-Z | cat >out; ls /nonexistent-dir 2>/dev/null; no-such-cmd-x 2>/dev/null; (exit 3) || exit 5'

setup_make() {
	mkdir -p "$1"
	printf 'int f(void);\nint main(void) { return f(); }\n' >"$1/a.c"
	printf 'int f(void) { return 0; }\n' >"$1/b.c"
	printf 'prog: a.o b.o\n\tcc -o prog a.o b.o\n%%.o: %%.c\n\tcc -O0 -c $<\n' >"$1/Makefile"
}
compare make make -s

setup_git() { mkdir -p "$1"; echo content >"$1/file.txt"; }
compare git sh -c 'git init -q . && git add file.txt && GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e git commit -q -m first'

setup_tar() { mkdir -p "$1/d"; seq 1 5000 >"$1/d/f1"; echo x >"$1/d/f2"; }
compare tar tar czf out.tgz d

setup_thr() { mkdir -p "$1"; }
compare thr "$P/proc_threads" t.txt 4

setup_ef() { mkdir -p "$1"; echo x >"$1/noexec"; printf 'plain text\n' >"$1/text"; chmod 755 "$1/text"; }
compare ef "$P/proc_execfail" .
