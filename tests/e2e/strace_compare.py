#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Compare what `compendium --no-filter --json` reported for a run with what
`strace -f -y -s 4096 -o FILE` showed for a second run of the same program in
the same directory.

usage: strace_compare.py NAME COMPENDIUM.jsonl STRACE.txt CWD

Facts compared, each as a multiset, one "ok - " / "not ok - " line per fact:
  opens      (path, access, errno or None) for open/openat/openat2/creat
  failed     the failed opens alone (a subset of opens, reported separately)
  bytes      bytes read and written per regular file (path, "r"/"w") -> sum
  connects   (family, address or unix path, port, errno or None)
  execs      (path, argv) of successful execve/execveat
  procs      number of processes and of threads created
  exits      exit codes of processes (not threads); the root's status

Normalisation, applied to both sides (the deliberate differences):
  * Paths are compared after os.path.realpath (compendium keeps the path the
    program passed, made absolute; strace -y shows the kernel's resolved path).
    /proc/self and /proc/PID become /proc/PID; " (deleted)" is dropped
    (strace -y writes it after the closing ">").
  * An O_TMPFILE open is its new file, the kernel's "DIR/#INODE" (strace's
    returned fd, compendium's fd_path); inode numbers differ between runs.
  * Names that programs randomise per run (gcc's ccXXXXXX, git's tmp_obj_,
    sort's temporary files, mkstemp-style suffixes) become a fixed pattern.
  * /proc, /sys and /dev are left out of the byte counts (their sizes vary
    between runs); pipes, sockets and anonymous inodes are not files.
"""
import collections
import json
import os
import re
import sys

RANDOM_NAMES = [
    (re.compile(r'cc[A-Za-z0-9]{6}(?=\.|$)'), 'ccXXXXXX'),
    (re.compile(r'tmp_obj_[A-Za-z0-9]{6}'), 'tmp_obj_XXXXXX'),
    (re.compile(r'tmp_pack_[A-Za-z0-9]{6}'), 'tmp_pack_XXXXXX'),
    (re.compile(r'sort[A-Za-z0-9]{6}$'), 'sortXXXXXX'),
    (re.compile(r'/\.git/t[A-Za-z0-9]{6}$'), '/.git/tXXXXXX'),
    (re.compile(r'/tmp[A-Za-z0-9_]{8}(?=/|$)'), '/tmpXXXXXXXX'),
    (re.compile(r'/#\d+$'), '/#INODE'),
]
PROC_PID = re.compile(r'^/proc/(self|\d+)(?=/|$)')


def norm_path(p, pid=None):
    if p is None:
        return None
    if p.endswith(' (deleted)'):
        p = p[:-len(' (deleted)')]
    if p.startswith('/proc/'):
        return PROC_PID.sub('/proc/PID', p)
    if p.startswith('/'):
        p = os.path.realpath(p)
    for rx, rep in RANDOM_NAMES:
        p = rx.sub(rep, p)
    return p


def norm_arg(a):
    for rx, rep in RANDOM_NAMES:
        a = rx.sub(rep, a)
    return a


def is_file(p):
    return p and p.startswith('/') and not p.startswith(('/proc/', '/sys/', '/dev/'))


def access_of(flags):
    if 'O_PATH' in flags:
        return None
    if 'O_RDWR' in flags:
        return 'rw'
    if 'O_WRONLY' in flags:
        return 'w'
    return 'r'


# ---------------- strace ----------------

def c_unquote(s):
    """strace's quoted string body -> str (bytes as latin-1 surrogate-free utf-8 attempt)."""
    out = bytearray()
    i = 0
    simple = {'n': 10, 't': 9, 'r': 13, 'v': 11, 'f': 12, 'a': 7, 'b': 8, '"': 34, '\\': 92, "'": 39}
    while i < len(s):
        ch = s[i]
        if ch != '\\':
            out += ch.encode('utf-8')
            i += 1
            continue
        n = s[i + 1]
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n == 'x':
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif n.isdigit():
            j = i + 1
            while j < len(s) and j < i + 4 and s[j] in '01234567':
                j += 1
            out.append(int(s[i + 1:j], 8))
            i = j
        else:
            out += n.encode()
            i += 2
    return out.decode('utf-8', 'surrogateescape')


def split_args(s):
    """Split a strace argument list at top-level commas."""
    args, depth, cur, i, inq = [], 0, [], 0, False
    while i < len(s):
        ch = s[i]
        if inq:
            cur.append(ch)
            if ch == '\\':
                cur.append(s[i + 1])
                i += 2
                continue
            if ch == '"':
                inq = False
        elif ch == '"':
            inq = True
            cur.append(ch)
        elif ch in '([{<':
            depth += 1
            cur.append(ch)
        elif ch in ')]}>':
            depth -= 1
            cur.append(ch)
        elif ch == ',' and depth == 0:
            args.append(''.join(cur).strip())
            cur = []
        else:
            cur.append(ch)
        i += 1
    if cur:
        args.append(''.join(cur).strip())
    return args


def quoted(a):
    """The string of a quoted argument ("..." possibly followed by ...), else None."""
    m = re.match(r'^"((?:[^"\\]|\\.)*)"', a)
    return c_unquote(m.group(1)) if m else None


def fd_ann(a):
    """'3</path>' -> (3, '/path'); 'AT_FDCWD' -> ('AT_FDCWD', None)."""
    m = re.match(r'^(-?\d+|AT_FDCWD)<(.*)>(\(deleted\))?$', a)
    if m:
        fd = m.group(1)
        return (fd if fd == 'AT_FDCWD' else int(fd)), c_unquote(m.group(2)) + (' (deleted)' if m.group(3) else '')
    return a, None


def parse_strace(path):
    pending = {}
    calls = []  # (pid, name, args, ret)
    events = []  # (pid, kind, value)
    line_rx = re.compile(r'^(\d+) +(.*)$')
    for raw in open(path, encoding='utf-8', errors='surrogateescape'):
        raw = raw.rstrip('\n')
        m = line_rx.match(raw)
        if not m:
            continue
        pid, rest = int(m.group(1)), m.group(2)
        if rest.startswith('+++ exited with '):
            events.append((pid, 'exit', int(rest.split()[3])))
            continue
        if rest.startswith('+++ killed by '):
            events.append((pid, 'killed', rest.split()[3]))
            continue
        if rest.startswith('---'):
            continue
        if rest.endswith(' <unfinished ...>'):
            pending[pid] = rest[:-len(' <unfinished ...>')]
            continue
        rm = re.match(r'^<\.\.\. (\w+) resumed>(.*)$', rest)
        if rm:
            rest = pending.pop(pid, rm.group(1) + '(') + rm.group(2)
        cm = re.match(r'^(\w+)\((.*)$', rest)
        if not cm:
            continue
        name, tail = cm.group(1), cm.group(2)
        # strace pads before " = " to align the results in a column
        ends = list(re.finditer(r'\) +=  ?', tail))
        if not ends:
            continue
        k = ends[-1]
        calls.append((pid, name, tail[:k.start()], tail[k.end():].lstrip()))
    return calls, events


def ret_of(ret):
    """'3</x>' -> (3, '/x', None); '-1 ENOENT (...)' -> (-1, None, 'ENOENT')."""
    m = re.match(r'^(-1) (E[A-Z0-9]+)', ret)
    if m:
        return -1, None, m.group(2)
    m = re.match(r'^(-?\d+|0x[0-9a-f]+)(?:<(.*)>)?', ret)
    if not m:
        return None, None, None
    g = m.group(1)
    v = int(g, 8) if re.match(r'^0[0-7]+$', g) else int(g, 0)
    return v, (c_unquote(m.group(2)) if m.group(2) is not None else None), None


def strace_facts(path, cwd0):
    calls, events = parse_strace(path)
    facts = {k: collections.Counter() for k in ('opens', 'connects', 'execs')}
    nbytes = collections.Counter()
    cwd = {}
    root = None
    threads, procs = set(), set()
    socks = {}
    for pid, name, args, ret in calls:
        if root is None:
            root = pid
            cwd[pid] = cwd0
        a = split_args(args)
        rv, rpath, err = ret_of(ret)
        here = cwd.get(pid, cwd0)

        def absol(p, dirfd=('AT_FDCWD', None)):
            if p is None:
                return None
            if p.startswith('/'):
                return p
            base = dirfd[1] or (here if dirfd[0] == 'AT_FDCWD' else None)
            return os.path.join(base, p) if base else p

        if name in ('clone', 'clone3', 'fork', 'vfork') and rv is not None and rv > 0:
            cwd[rv] = here
            (threads if 'CLONE_THREAD' in args else procs).add(rv)
        elif name in ('chdir',) and rv == 0:
            cwd[pid] = absol(quoted(a[0]))
        elif name == 'fchdir' and rv == 0:
            cwd[pid] = fd_ann(a[0])[1]
        elif name in ('open', 'openat', 'openat2', 'creat'):
            if name in ('open', 'creat'):
                p, dirfd = quoted(a[0]), ('AT_FDCWD', None)
                flags = a[1] if name == 'open' else 'O_WRONLY|O_CREAT|O_TRUNC'
            else:
                p, dirfd = quoted(a[1]), fd_ann(a[0])
                flags = a[2]
                if name == 'openat2':
                    fm = re.search(r'flags=([A-Z_|0-9x]+)', args)
                    flags = fm.group(1) if fm else ''
            if err:
                facts['opens'][(norm_path(absol(p, dirfd)), access_of(flags), err)] += 1
            elif rv is not None and rv >= 0:
                facts['opens'][(norm_path(rpath if rpath else absol(p, dirfd)), access_of(flags), None)] += 1
        elif name == 'socket' and rv is not None and rv >= 0 and rpath:
            socks[rpath] = (a[0], a[1])
        elif name == 'connect':
            fd, desc = fd_ann(a[0])
            sa = a[1]
            fam_m = re.search(r'sa_family=(AF_\w+)', sa)
            fam = fam_m.group(1) if fam_m else None
            typ = socks.get(desc, (None, ''))[1]
            proto = 'tcp' if 'SOCK_STREAM' in typ else 'udp' if 'SOCK_DGRAM' in typ else 'raw' if 'SOCK_RAW' in typ else 'inet'
            if fam == 'AF_INET':
                addr = re.search(r'inet_addr\("([^"]*)"\)', sa).group(1)
                port = int(re.search(r'sin_port=htons\((\d+)\)', sa).group(1))
                facts['connects'][(proto + '4', addr, port, err)] += 1
            elif fam == 'AF_INET6':
                addr = re.search(r'inet_pton\(AF_INET6, "([^"]*)"', sa).group(1)
                port = int(re.search(r'sin6_port=htons\((\d+)\)', sa).group(1))
                facts['connects'][(proto + '6', addr, port, err)] += 1
            elif fam == 'AF_UNIX':
                um = re.search(r'sun_path=(@?)"((?:[^"\\]|\\.)*)"', sa)
                up = (um.group(1) + c_unquote(um.group(2))) if um else None
                if up and not up.startswith('@'):
                    up = norm_path(absol(up))
                facts['connects'][('unix', up, None, err)] += 1
        elif name in ('execve', 'execveat') and rv == 0:
            p = quoted(a[0] if name == 'execve' else a[1])
            argv_s = a[1] if name == 'execve' else a[2]
            argv = [c_unquote(x) for x in re.findall(r'"((?:[^"\\]|\\.)*)"', argv_s)]
            facts['execs'][(norm_path(absol(p)), tuple(norm_arg(x) for x in argv))] += 1
        if rv is not None and rv > 0:
            io = None
            if name in ('read', 'pread64', 'readv', 'preadv', 'preadv2'):
                io = [(a[0], 'r')]
            elif name in ('write', 'pwrite64', 'writev', 'pwritev', 'pwritev2'):
                io = [(a[0], 'w')]
            elif name == 'sendfile':
                io = [(a[1], 'r'), (a[0], 'w')]
            elif name in ('copy_file_range', 'splice'):
                io = [(a[0], 'r'), (a[2], 'w')]
            for fdarg, d in io or []:
                fp = fd_ann(fdarg)[1]
                if fp and fp.endswith(' (deleted)'):
                    fp = fp[:-len(' (deleted)')]
                if is_file(fp):
                    nbytes[(norm_path(fp), d)] += rv
    exits = collections.Counter()
    status = None
    for pid, kind, v in events:
        if pid in threads:
            continue
        exits[(kind, v)] += 1
        if pid == root:
            status = (kind, v)
    return facts, nbytes, {'processes': 1 + len(procs), 'threads': len(threads)}, exits, status


# ---------------- compendium ----------------

def compendium_facts(path):
    evs = []
    end = None
    for line in open(path, encoding='utf-8'):
        o = json.loads(line)
        if o.get('type') == 'end':
            end = o
        elif o.get('type') != 'header':
            evs.append(o)
    facts = {k: collections.Counter() for k in ('opens', 'connects', 'execs')}
    nbytes = collections.Counter()
    nproc, nthr = 1, 0
    exits = collections.Counter()
    for e in evs:
        t = e.get('type')
        if t == 'open':
            p = e.get('fd_path') or e.get('path')
            if p and e.get('pid') and p.startswith('/proc/self'):
                p = '/proc/%d' % e['pid'] + p[len('/proc/self'):]
            facts['opens'][(norm_path(p), e.get('access'), e.get('err'))] += 1
        elif t in ('read', 'write') and e.get('bytes', 0) > 0:
            p = e.get('path')
            if is_file(p):
                nbytes[(norm_path(p), 'r' if t == 'read' else 'w')] += e['bytes']
        elif t == 'connect':
            fam = e.get('family')
            if fam == 'unix':
                up = e.get('path')
                if up and not up.startswith('@'):
                    up = norm_path(up)
                facts['connects'][('unix', up, None, e.get('err'))] += 1
            elif fam and fam[-1] in '46':
                facts['connects'][(fam, e.get('addr'), e.get('port'), e.get('err'))] += 1
        elif t == 'exec' and 'err' not in e:
            facts['execs'][(norm_path(e.get('path')), tuple(norm_arg(x) for x in e.get('argv') or []))] += 1
        elif t == 'spawn':
            if e.get('thread'):
                nthr += 1
            else:
                nproc += 1
        elif t == 'exit' and not e.get('thread'):
            if 'signal' in e:
                exits[('killed', e['signal'])] += 1
            else:
                exits[('exit', e.get('code'))] += 1
    status = None
    if end and 'exit' in end:
        x = end['exit']
        status = ('killed', x['signal']) if 'signal' in x else ('exit', x.get('code'))
    return facts, nbytes, {'processes': nproc, 'threads': nthr}, exits, status


def diff(a, b):
    only_c = list((a - b).elements())
    only_s = list((b - a).elements())
    return only_c, only_s


def main():
    name, cpath, spath, cwd = sys.argv[1:5]
    cf, cb, cp, ce, cs = compendium_facts(cpath)
    sf, sb, sp, se, ss = strace_facts(spath, cwd)
    bad = 0

    def report(what, a, b, extra=''):
        nonlocal bad
        if a == b:
            n = sum(a.values()) if isinstance(a, collections.Counter) else a
            print('ok - %s: %s as strace shows (%s)%s' % (name, what, n, extra))
            return
        bad += 1
        if isinstance(a, collections.Counter):
            oc, os_ = diff(a, b)
            print('not ok - %s: %s differ; only compendium: %r; only strace: %r' % (name, what, oc[:8], os_[:8]))
        else:
            print('not ok - %s: %s differ: compendium %r, strace %r' % (name, what, a, b))

    report('files opened (path, access, result)', cf['opens'], sf['opens'])
    fc = collections.Counter({k: v for k, v in cf['opens'].items() if k[2]})
    fs = collections.Counter({k: v for k, v in sf['opens'].items() if k[2]})
    report('failed opens', fc, fs)
    report('bytes per regular file', cb, sb, ' %d files' % len(cb))
    report('connection attempts', cf['connects'], sf['connects'])
    report('execs (path, argv)', cf['execs'], sf['execs'])
    report('processes and threads', cp, sp)
    report('process exit codes', ce, se)
    report('root exit status', cs, ss)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
