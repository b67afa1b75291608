#!/bin/sh
# SPDX-License-Identifier: MIT
# Hostile tracee data in paths: control bytes, ESC sequences, </script>,
# U+2028, C1, bidi overrides and invalid UTF-8 come back byte-exact from the
# JSON (the string itself, or its path_bytes sibling: the man page's JSON
# schema); NULL, garbage and kernel pointers give the
# address and no path; a path cut by an unmapped page and a 1 MB path are
# marked truncated (the latter kept to 4096 bytes); the narrative stays one
# line per event with no raw control bytes.
. "$TOP/tests/lib.sh"

mkdir "$T/h"
$ENVI "$C" --no-filter --json "$T/out.jsonl" -o "$T/live.txt" -- "$P/dec_hostile" "$T/h" >"$T/prog.txt" 2>"$T/err.txt"
expect "dec_hostile ran under compendium" "$?" 0

python3 - "$T/out.jsonl" "$T/prog.txt" "$T/h" "$T/live.txt" <<'PY'
import json, re, sys
raw = open(sys.argv[1], 'rb').read()
evs = [json.loads(l) for l in raw.decode('utf-8').split('\n') if l]
W = sys.argv[3].encode()
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
def ok_utf8(b):
    try:
        return b'\0' not in b and b.decode('utf-8') is not None
    except UnicodeDecodeError:
        return False
def raw_path(e):
    # the recovery rule of the JSON schema (man page): KEY_bytes if present, else the string
    return bytes(e['path_bytes']) if 'path_bytes' in e else e['path'].encode('utf-8')
check('the JSON is strict UTF-8 with no raw < > & U+2028', any(x in raw for x in (b'<', b'>', b'&', '\u2028'.encode())), False)
opens = [e for e in evs if e.get('type') == 'open' and e.get('path') and raw_path(e).startswith(W + b'/')]
prog = [l.split() for l in open(sys.argv[2])]
names = [(int(p[2]), bytes.fromhex(p[3])) for p in prog if p[0] == 'name']
got = [(e.get('fd', -1), raw_path(e)) for e in opens[:len(names)]]
check('every hostile name round-trips byte-exact with its fd', got, [(fd, W + b'/' + n) for fd, n in names])
check('a sibling exactly for the names that are not valid UTF-8 or hold NUL',
      [('path_bytes' in e) for e in opens[:len(names)]], [not ok_utf8(W + b'/' + n) for fd, n in names])
check('the name with a slash fails with ENOENT', [e.get('err') for e in opens[:len(names)] if b'script' in raw_path(e)], ['ENOENT'])
bad = [(e.get('path', 'absent'), e.get('path_addr'), e.get('err')) for e in evs if e.get('type') == 'open' and 'path_addr' in e]
check('NULL, 0x1 and kernel pointers: path null, the address, EFAULT', bad,
      [(None, '0x0', 'EFAULT'), (None, '0x1', 'EFAULT'), (None, '0xffff880000001000', 'EFAULT')])
edge = [e for e in opens if raw_path(e) == W + b'/edge']
check('a path ending at an unmapped page: the partial string, truncated', [(e.get('truncated'), e.get('err')) for e in edge], [(True, 'EFAULT')])
huge = [e for e in evs if e.get('type') in ('open', 'mkdir') and e.get('path') and e['path'].endswith('AAAA')]
check('1 MB paths: kept to 4096 bytes of the string, truncated, ENAMETOOLONG',
      [(e['type'], len(raw_path(e)) - len(W) - 1, e.get('truncated'), e.get('err')) for e in huge],
      [('open', 4096, True, 'ENAMETOOLONG'), ('mkdir', 4096, True, 'ENAMETOOLONG')])
live = open(sys.argv[4], 'rb').read()
check('narrative: no raw ESC, BEL, C1 CSI or U+2028', [x for x in (b'\x1b', b'\x07', b'\xc2\x9b', '\u2028'.encode()) if x in live], [])
lines = [l for l in live.split(b'\n') if l.startswith(b'[+') and W in l and b' open ' in l]
check('narrative: one line per open in the work dir', len(lines), len(opens))
PY
