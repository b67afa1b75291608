#!/bin/sh
# SPDX-License-Identifier: MIT
# Files as they end up on disk. The summary's "Files written" lists the
# names files have when the run ends, with the bytes that went into them and
# the name they went in by; written-then-deleted files are temporary; files
# deleted without being written are listed apart. Checked on dec_final
# (rename over a file, unlink, unlink while open, rename while open, O_TMPFILE
# linked with AT_EMPTY_PATH and through /proc/self/fd, an O_TMPFILE never
# linked, link+unlink, RENAME_EXCHANGE) against the files on disk, its
# O_TMPFILE names against /proc and against strace -y, and on git commit in a
# temporary repository against the repository's files.
. "$TOP/tests/lib.sh"

# --- dec_final: each case as the summary must say it
W=$T/w
mkdir "$W"
echo "the old target" >"$W/target.txt"
echo "old" >"$W/old.txt"
cmp -o "$T/final.txt" --json "$T/final.jsonl" -- "$P/dec_final" "$W" >"$T/prog.txt"
expect "dec_final ran under compendium" "$?" 0

python3 - "$T/final.txt" "$T/final.jsonl" "$T/prog.txt" "$W" <<'PY'
import json, os, re, sys
text = open(sys.argv[1], encoding='utf-8').read()
evs = [json.loads(l) for l in open(sys.argv[2], encoding='utf-8')]
prog = {}
for line in open(sys.argv[3]):
    k, _, v = line.rstrip('\n').partition(' ')
    prog[k] = v
W = sys.argv[4]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
def section(label):
    m = re.search(r'^ ' + re.escape(label) + r'.*\n(?:   .*\n)*', text, re.M)
    return m.group(0) if m else ''
def size(n):
    return '%10s' % ('%d B' % n)

written = section('Files written')
disk = {f: os.path.getsize(os.path.join(W, f)) for f in os.listdir(W)}
listed = [re.sub(r'^ +\d+ B  ', '', l).split(' (')[0] for l in written.split('\n')[1:] if l]
check('the files written are the files left on disk (and the program\'s stdout), no more',
      (written.split('\n')[0], sorted(listed)),
      (' Files written (%d files):' % (len(disk) + 1), sorted([W + '/' + f for f in disk] + [os.path.abspath(sys.argv[3])])))
for name, extra in [('target.txt', ' (via target.txt.tmp, replaced the old file)'),
                    ('moved.txt', ' (2 calls, via moving.part)'),
                    ('linked-empty.txt', ' (via O_TMPFILE)'), ('linked-proc.txt', ' (via O_TMPFILE)'),
                    ('0d8a47', ' (via tmp_obj_abc)'),
                    ('swap-b', ' (via swap-a)'), ('swap-a', ' (via swap-b)')]:
    line = '   %s  %s/%s%s' % (size(disk.get(name, -1)), W, name, extra)
    check('Files written: %s with its size on disk and how it got there' % name, line in written.split('\n'), True)
check('no temporary name among the files written',
      [l for l in listed if re.search(r'\.tmp$|moving\.part|tmp_obj_|#|old\.txt', l)], [])

temp = section('Temporary files')
ino3 = prog['tmpfile3'].split()[1]
check('temporary files: the unlinked, the unlinked-while-open (both writes) and the unlinked O_TMPFILE',
      temp.split('\n'),
      [' Temporary files (written, then deleted): 3 files, 26 B',
       '   %s  %s/#%s (deleted)' % (size(12), W, ino3),
       '   %s  %s/scratch.tmp' % (size(7), W),
       '   %s  %s/open-deleted.tmp (2 calls)' % (size(7), W), ''])
check('the file deleted without being written', section('Deleted').rstrip('\n'), ' Deleted (not written here): %s/old.txt' % W)

# the O_TMPFILE names are the kernel's: /proc/self/fd/N as the program read it
tmp_opens = [e for e in evs if e.get('type') == 'open' and 'O_TMPFILE' in e.get('flags', '')]
check('O_TMPFILE opens: path is the directory, fd_path the kernel\'s name of the new file',
      [(e['path'], e.get('fd_path')) for e in tmp_opens],
      [(W, prog['tmpfile1_after']), (W, prog['tmpfile2_after']), (W, prog['tmpfile3_name'])])
check('writes on an O_TMPFILE fd carry its name, not the directory\'s',
      sorted({e['path'] for e in evs if e.get('type') == 'write' and e.get('fd') == 3 and '#' in e.get('path', '')}),
      sorted({prog['tmpfile1_after'], prog['tmpfile2_after'], prog['tmpfile3_name']}))
check('no bytes are attributed to the directory', [e for e in evs if e.get('type') in ('read', 'write') and e.get('path') == W], [])
check('linkat of an fd (AT_EMPTY_PATH, /proc/self/fd/N): fd and its file\'s name',
      [(e.get('fd'), e['path'], e['new_path']) for e in evs if e.get('type') == 'link' and 'fd' in e],
      [(3, prog['tmpfile1_after'], W + '/linked-empty.txt'), (3, prog['tmpfile2_after'], W + '/linked-proc.txt')])
check('rename says whether it replaced a file; renameat2 its flags',
      [(e['new_path'][len(W) + 1:], e.get('replaced'), e.get('flags')) for e in evs if e.get('type') == 'rename'],
      [('target.txt', True, None), ('moved.txt', False, None), ('swap-b', None, 'RENAME_EXCHANGE')])
narr = [re.sub(r'^\[\+[0-9.]+s\] ', '', l) for l in text.split('\n')]
check('narrative: an O_TMPFILE open names the new file as the kernel does',
      [l for l in narr if l.startswith('open ') and '#' in l],
      ['open %s (read/write, create)' % prog['tmpfile1_after'], 'open %s (write, create)' % prog['tmpfile2_after'],
       'open %s (read/write, create)' % prog['tmpfile3_name']])
check('narrative: renames say what they replaced or swapped',
      [l for l in narr if l.startswith('rename ')],
      ['rename %s/target.txt.tmp \u2192 %s/target.txt (over an existing file)' % (W, W),
       'rename %s/moving.part \u2192 %s/moved.txt' % (W, W), 'rename %s/swap-a \u2194 %s/swap-b' % (W, W)])
check('a write after a rename carries the new name, after an unlink "(deleted)"',
      [e['path'][len(W) + 1:] for e in evs if e.get('type') == 'write' and e.get('bytes') in (3, 4) and e.get('fd') == 3],
      ['open-deleted.tmp', 'open-deleted.tmp (deleted)', 'moved.txt', 'swap-a'])
PY

# --- the same program under strace -y: the same kernel names, write by write
if command -v strace >/dev/null 2>&1; then
	rm -rf "$W" && mkdir "$W" && echo "the old target" >"$W/target.txt" && echo "old" >"$W/old.txt"
	$ENVI strace -y -o "$T/final.strace" -- "$P/dec_final" "$W" >"$T/prog2.txt"
	expect "dec_final ran under strace" "$?" 0
	python3 - "$T/final.jsonl" "$T/prog.txt" "$T/final.strace" "$T/prog2.txt" "$W" <<'PY'
import json, re, sys
def progout(p):
    return {k: v for k, _, v in (l.rstrip('\n').partition(' ') for l in open(p))}
c, s = progout(sys.argv[2]), progout(sys.argv[4])
def mask(p, prog):
    # each run has its own inodes: #INO stands for the one the run printed
    for k in ('tmpfile1', 'tmpfile2', 'tmpfile3'):
        p = p.replace('#%s ' % prog[k].split()[1], '#%s ' % k)
    return p
evs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
W = sys.argv[5]
got = [mask(e['path'], c) for e in evs if e.get('type') in ('read', 'write') and e.get('fd') == 3 and e['path'].startswith(W + '/')]
want = []
for line in open(sys.argv[3], encoding='utf-8', errors='surrogateescape'):
    m = re.match(r'^(?:read|write|pread64)\(3<(.*?)>(\(deleted\))?, ', line)
    if m and m.group(1).startswith(W + '/'):
        want.append(mask(m.group(1) + (' (deleted)' if m.group(2) else ''), s))
ok = got == want and any('#tmpfile' in p for p in got)
print(('ok - ' if ok else 'not ok - ') + 'fd 3\'s name at each read/write is strace -y\'s (O_TMPFILE "DIR/#INO (deleted)", renamed, unlinked)'
      + ('' if ok else ' (compendium %r, strace %r)' % (got, want)))
PY
else
	skip "strace is not installed"
fi

# --- git commit in a temporary repository: the index, the objects and the ref, not their locks
if command -v git >/dev/null 2>&1; then
	G=$T/repo
	GIT="git -c user.name=t -c user.email=t@e -c maintenance.auto=false -c gc.auto=0"
	mkdir "$G" && (cd "$G" && $ENVI $GIT init -q . && echo one >a.txt && $ENVI $GIT add a.txt &&
		$ENVI $GIT commit -q -m first && echo two >>a.txt && $ENVI $GIT add a.txt) >/dev/null 2>&1
	touch "$T/before"
	(cd "$G" && cmp -o "$T/git.txt" -- $GIT commit -q -m second)
	expect "git commit ran under compendium" "$?" 0
	ref=$(cd "$G" && $ENVI git symbolic-ref HEAD)
	find "$G/.git/objects" -type f -newer "$T/before" >"$T/objects.txt"
	python3 - "$T/git.txt" "$G" "$ref" "$T/objects.txt" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding='utf-8').read()
G, ref = sys.argv[2], sys.argv[3]
objs = [l.strip() for l in open(sys.argv[4]) if l.strip()]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
m = re.search(r'^ Files written.*\n(?:   .*\n)*', text, re.M)
written = m.group(0) if m else ''
def line_of(path):
    return [l for l in written.split('\n') if re.match(r'^ +\d+ B  ' + re.escape(path) + r'( \(|$)', l)]
def size(n):
    return '%10s' % ('%d B' % n)
idx = G + '/.git/index'
check('git: .git/index with its size, via index.lock, replacing the old index',
      [re.sub(r' \(\d+ calls, ', ' (', l) for l in line_of(idx)],
      ['   %s  %s (via index.lock, replaced the old file)' % (size(os.path.getsize(idx)), idx)])
r = G + '/.git/' + ref
check('git: the branch ref with its size, via its .lock, replacing the old ref',
      [re.sub(r' \(\d+ calls, ', ' (', l) for l in line_of(r)],
      ['   %s  %s (via %s.lock, replaced the old file)' % (size(os.path.getsize(r)), r, os.path.basename(r))])
check('git: the commit wrote objects (tree and commit)', len(objs) >= 2, True)
for o in objs:
    ls = line_of(o)
    check('git: object %s listed with its size, via tmp_obj_' % o[len(G):],
          [re.sub(r'tmp_obj_\w+', 'tmp_obj_X', l) for l in ls], ['   %s  %s (via tmp_obj_X)' % (size(os.path.getsize(o)), o)])
check('git: no .lock or tmp_obj_ name among the files written',
      [l for l in written.split('\n')[1:] if re.search(r'\.lock( |$)|tmp_obj_\w+( |$)', l.split(' (')[0])], [])
PY
else
	skip "git is not installed"
fi
