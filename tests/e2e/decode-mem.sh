#!/bin/sh
# SPDX-License-Identifier: MIT
# Memory decoding: mmap (anonymous and file-backed, a failed one), mprotect,
# mremap and munmap with the program's exact addresses and sizes, brk with
# the new break and growth.
. "$TOP/tests/lib.sh"

mkdir "$T/m"
$ENVI "$C" -q --no-filter --json "$T/out.jsonl" -- "$P/dec_mem" "$T/m" >"$T/prog.txt" 2>"$T/err.txt"
expect "dec_mem ran under compendium" "$?" 0

python3 - "$T/out.jsonl" "$T/prog.txt" "$T/m" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
prog = {}
for line in open(sys.argv[2]):
    k, _, v = line.rstrip('\n').partition(' ')
    prog[k] = v.split()
M = sys.argv[3]
def of(t, **kw):
    return [e for e in evs if e.get('type') == t and all(e.get(k) == v for k, v in kw.items())]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
a, alen = '0x' + prog['mmap'][0], int(prog['mmap'][1])
check('anonymous mmap: addr, len, prot, flags, no path', [(e['len'], e['prot'], e['flags'], 'path' in e) for e in of('mmap', addr=a)],
      [(alen, 'rw-', 'MAP_PRIVATE|MAP_ANONYMOUS', False)])
pg = alen // 3
b, blen = '0x' + prog['mremap'][0], int(prog['mremap'][1])
check('mprotect of one page', [(e['len'], e['prot']) for e in of('mprotect', addr=b)], [(pg, 'r--')])
check('mremap: old_addr, old_len, addr, len, flags', [(e['old_len'], e['addr'], e['len'], e['flags']) for e in of('mremap', old_addr=a)],
      [(alen, b, blen, 'MREMAP_MAYMOVE')])
check('munmap of the moved region', [e['len'] for e in of('munmap', addr=b)], [blen])
f, fd = '0x' + prog['filemap'][0], int(prog['filemap'][1])
check('file mmap: path, fd, prot, flags', [(e['path'], e['fd'], e['prot'], e['flags'], e['len']) for e in of('mmap', addr=f)],
      [(M + '/map.bin', fd, 'r--', 'MAP_SHARED', 8192)])
check('failed mmap on a bad fd: EBADF', [e.get('err') for e in of('mmap', fd=999)], ['EBADF'])
cur, grown, shrunk = ('0x' + x for x in prog['brk'])
br = of('brk')[-3:]
check('brk: the break and growth', [(e['brk'], e['growth']) for e in br], [(cur, 0), (grown, 65536), (shrunk, 4096 - 65536)])
check('memory events carry dur', all('dur' in e for e in evs if e.get('cat') == 'memory'), True)
PY
