#!/bin/sh
# SPDX-License-Identifier: MIT
# File decoding: opens (with access, flags, failures), bytes per file for every
# read/write variant, fd games (dup2 over an open fd, dup3, F_DUPFD, pipes,
# close_range, an fd opened by another thread, CLOEXEC across exec), cwd
# tracking and file-system change events, checked against what dec_files did.
. "$TOP/tests/lib.sh"

mkdir "$T/w"
$ENVI "$C" -q --no-filter --json "$T/out.jsonl" -- "$P/dec_files" "$T/w" >"$T/prog.txt" 2>"$T/err.txt"
rc=$?
expect "dec_files ran under compendium" "$rc" 0

python3 - "$T/out.jsonl" "$T/prog.txt" "$T/w" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
prog = {}
for line in open(sys.argv[2]):
    k, _, v = line.rstrip('\n').partition(' ')
    prog[k] = v.split()
W = sys.argv[3]
def of(t, **kw):
    return [e for e in evs if e.get('type') == t and all(e.get(k) == v for k, v in kw.items())]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))

o = of('open', path=W + '/a.txt', access='w')
check('open a.txt: fd, access, flags, mode', [(e['fd'], e['flags'], e.get('mode')) for e in o],
      [(int(prog['open_a'][0]), 'O_WRONLY|O_CREAT|O_TRUNC', '0640')])
check('openat2 relative to a dirfd, O_CLOEXEC', [(e['fd'], e['flags']) for e in of('open', path=W + '/a.txt', access='r') if 'O_CLOEXEC' in e['flags']],
      [(int(prog['openat2'][0]), 'O_RDONLY|O_CLOEXEC')])
check('directory open has no mode', [e.get('mode') for e in of('open', path=W)], [None])
m = of('open', path=W + '/missing/file')
check('failed open: ENOENT, no fd', [(e.get('err'), 'fd' in e) for e in m], [('ENOENT', False)])
check('creat', [(e['flags'], e['mode'], e['access']) for e in of('open', path=W + '/c.txt')], [('O_WRONLY|O_CREAT|O_TRUNC', '0600', 'w')])

def total(t, path):
    return sum(e.get('bytes', 0) for e in of(t, path=path))
want_w = int(prog['write'][0]) + int(prog['writev'][0]) + int(prog['pwrite64'][0])
check('bytes written to a.txt (write, writev, pwrite64)', total('write', W + '/a.txt'), want_w)
# read, pread64, readv, preadv2, EOF read, read through dup2 and F_DUPFD
want_r = sum(int(prog[k][0]) for k in ('read', 'pread64', 'readv', 'preadv2', 'read_eof', 'read_dup2', 'read_fdup'))
check('bytes read from a.txt via every read variant and dup2/F_DUPFD fds', total('read', W + '/a.txt'), want_r)
fdup = int(prog['dup3'][2])
check('F_DUPFD fd read is attributed to a.txt', [e['path'] for e in of('read', fd=fdup)], [W + '/a.txt'])
check('dup2 over the open c.txt fd: reads name a.txt', [e['path'] for e in of('read', fd=int(prog['dup2'][0]))], [W + '/a.txt'])
ino = prog['pipe'][2]
check('pipe write/read named pipe:[ino]', [(e['type'], e['path'], e['bytes']) for e in evs if e.get('path') == 'pipe:[%s]' % ino][:2],
      [('write', 'pipe:[%s]' % ino, 5), ('read', 'pipe:[%s]' % ino, 5)])
sf, cf, sp = (int(prog[k][0]) for k in ('sendfile', 'copy_file_range', 'splice'))
check('sendfile, copy_file_range, splice: a read on the input and a write on the output',
      [(e['type'], e['path'].rsplit('/', 1)[-1], e['bytes']) for e in evs if e.get('type') in ('read', 'write') and e.get('fd') != 1
       and (e.get('path', '').endswith(('/b.txt', '/copy.txt')) or (e.get('path', '').startswith('pipe:') and e['type'] == 'write' and e['bytes'] == sp))][1:],
      [('read', 'b.txt', sf), ('write', 'copy.txt', sf), ('read', 'b.txt', cf), ('write', 'copy.txt', cf),
       ('read', 'b.txt', sp), ('write', 'pipe:[%s]' % ino, sp)])
check('fs changes with absolute paths', [(e['type'], e.get('path'), e.get('new_path') or e.get('target') or e.get('mode') or e.get('size')) for e in evs
      if e.get('type') in ('mkdir', 'rename', 'symlink', 'link', 'chmod', 'truncate', 'unlink', 'rmdir', 'utimes')],
      [('mkdir', W + '/d', '0750'), ('mkdir', W + '/d/e', '0700'), ('rename', W + '/c.txt', W + '/d/c2.txt'),
       ('rename', W + '/d/c2.txt', W + '/c3.txt'), ('symlink', W + '/sym', 'a.txt'), ('link', W + '/a.txt', W + '/hard'),
       ('chmod', W + '/a.txt', '0604'), ('chmod', W + '/hard', '0644'), ('truncate', W + '/a.txt', 10),
       ('utimes', W + '/a.txt', None), ('unlink', W + '/sym', None), ('unlink', W + '/hard', None),
       ('rmdir', W + '/d/e', None), ('rmdir', W + '/d', None), ('rmdir', W + '/nonexistent', None), ('mkdir', W + '/sub', '0755')])
check('chown -1 -1', [(e['uid'], e['gid']) for e in of('chown')], [(-1, -1)])
check('failed rmdir carries err', [e.get('err') for e in of('rmdir', path=W + '/nonexistent')], ['ENOENT'])
check('chdir and fchdir events', [e['path'] for e in of('chdir')], [W, W + '/sub', W])
check('relative open after chdir', [(e['fd'], e['access']) for e in of('open', path=W + '/sub/in_sub.txt')], [(int(prog['open_in_sub'][0]), 'rw')])
check('relative open after fchdir', [e['access'] for e in of('open', path=W + '/top.txt')], ['w'])
tfd = int(prog['thread_fd'][0])
ths = of('open', path=W + '/thread.txt')
check('a thread opened thread.txt', [(e['fd'], e['tid'] != e['pid']) for e in ths], [(tfd, True)])
check('the main thread writes to the thread\'s fd by name', [e['bytes'] for e in of('write', fd=tfd, path=W + '/thread.txt')], [int(prog['thread_write'][0])])
check('write to an fd closed by close_range: EBADF, no path', [(e.get('err'), 'path' in e) for e in of('write', fd=30)], [('EBADF', False)])
ex = [i for i, e in enumerate(evs) if e.get('type') == 'exec']
after = evs[ex[-1]:]
top_fd = [e['fd'] for e in of('open', path=W + '/top.txt')][0]
check('after exec the CLOEXEC fd is unknown (EBADF)', [(e.get('err'), 'path' in e) for e in after if e.get('type') == 'write' and e['fd'] == top_fd], [('EBADF', False)])
check('after exec the inherited fd 9 still names thread.txt', [(e.get('path'), e.get('bytes')) for e in after if e.get('type') == 'write' and e['fd'] == 9], [(W + '/thread.txt', 5)])
check('every syscall event has dur', all('dur' in e for e in evs if e.get('type') in ('open', 'read', 'write', 'close', 'mkdir')), True)
PY
