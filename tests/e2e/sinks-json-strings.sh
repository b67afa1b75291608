#!/bin/sh
# SPDX-License-Identifier: MIT
# JSON strings are the program's strings (man page, JSON schema, "Strings"):
# a program creates and opens files whose names hold backslashes, quotes, a
# newline, a tab, invalid UTF-8 and every NUL-free byte, and execs a program
# with such argv entries. Every path and argv element comes back byte-exact
# from --json through json.loads plus the recovery rule (KEY_bytes if
# present, else the string), compared with the names the program itself
# made (os.listdir) and the argv it wrote down; `jq -r` prints a\b.txt as
# is; `--from LOG --json` writes the same log again; a version 1 log of the
# same run (the old \xNN / \\ layer) reads back to the same bytes and
# renders the same report, whose string table shows each name (one
# backslash as one, invalid bytes as \xNN).
. "$TOP/tests/lib.sh"
if ! command -v python3 >/dev/null 2>&1; then skip "python3 missing"; exit 0; fi

W=$T/w
mkdir "$W"
# walk(b): the characters of b, each (char, its bytes), or (None, one byte) where b is not UTF-8
cat >"$T/walk.py" <<'PY'
def walk(b):
    i = 0
    while i < len(b):
        for l in (1, 2, 3, 4):
            try:
                ch = b[i:i + l].decode('utf-8')
            except UnicodeDecodeError:
                continue
            yield ch, b[i:i + l]; i += l; break
        else:
            yield None, b[i:i + 1]; i += 1
PY
export PYTHONPATH=$T
cat >"$T/prog.py" <<'PY'
import os, sys
w, argv_file = sys.argv[1].encode(), sys.argv[2]
names = [
    b'a\\b.txt', b'a\\\\x41', b'q"uote\'s', b'new\nline', b'tab\there',
    b'bad\xff', b'lone\xc3', b'over\xc0\xaf', b'ctl' + bytes(range(1, 32)) + b'\x7f',
    b'hi' + bytes(range(0x80, 0x100)), b'caf\xc3\xa9 <&> \xe2\x80\xa8',
]
for n in names:
    p = w + b'/' + n
    os.close(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600))
    os.close(os.open(p, os.O_RDONLY))
argv = [b'true', b'a\\r\\nb', b'real\r\nCRLF', b'inv\xff\xc3', b'a\\b.txt', b'"q"',
        bytes(b for b in range(1, 256) if b != 0x2f)]
with open(argv_file, 'w') as f:
    f.write(''.join(a.hex() + '\n' for a in argv))
os.execv('/bin/true', argv)
PY
cmp -q --no-filter --json "$T/log.jsonl" -- python3 "$T/prog.py" "$W" "$T/argv.hex" >/dev/null 2>"$T/err"
expect "the program ran under compendium" "$?" 0

# check LOG LABEL: the names and argv of the run, byte-exact from LOG
cat >"$T/check.py" <<'PY'
import json, os, sys
log, label, w, argv_file = sys.argv[1], sys.argv[2], sys.argv[3].encode(), sys.argv[4]
def check(name, got, want):
    ok = got == want
    print(('ok - ' if ok else 'not ok - ') + label + ': ' + name + ('' if ok else ' (got %r, want %r)' % (got, want)))
def exact(b):
    try:
        return b'\0' not in b and b.decode('utf-8') is not None
    except UnicodeDecodeError:
        return False
# the recovery rule of the man page
def raw(o, k):
    return bytes(o[k + '_bytes']) if k + '_bytes' in o else o[k].encode('utf-8')
def raw_v(o, k):
    sib = o.get(k + '_bytes') or [None] * len(o[k])
    return [bytes(b) if b is not None else s.encode('utf-8') for s, b in zip(o[k], sib)]
text = open(log, 'rb').read().decode('utf-8')  # strict UTF-8
objs = [json.loads(l) for l in text.split('\n') if l]
check('the header is version 2', objs[0].get('version'), 2)
opens = [e for e in objs if e.get('type') == 'open' and e.get('path') and raw(e, 'path').startswith(w + b'/')]
made = sorted(w + b'/' + n for n in os.listdir(w))
check('the program made 11 names', len(made), 11)
check('every name it made comes back byte-exact, twice (create, open)', sorted(raw(e, 'path') for e in opens), sorted(made * 2))
check('path_bytes exactly where the name is not valid UTF-8 without NUL',
      sorted((raw(e, 'path'), 'path_bytes' in e) for e in opens), sorted((p, not exact(p)) for p in made * 2))
check('an exact name is the JSON string itself',
      [e['path'] for e in opens if 'path_bytes' not in e], [raw(e, 'path').decode() for e in opens if 'path_bytes' not in e])
check('a lossy name shows U+FFFD', all('\ufffd' in e['path'] for e in opens if 'path_bytes' in e), True)
want = [bytes.fromhex(l) for l in open(argv_file).read().split()]
execs = [e for e in objs if e.get('type') == 'exec' and e.get('argv') and e['argv'][0] == 'true']
check('one exec of true', len(execs), 1)
check('every argv element comes back byte-exact', raw_v(execs[0], 'argv') if execs else None, want)
check('argv_bytes is as long as argv, null for the exact ones',
      [b is None for b in execs[0].get('argv_bytes', [])] if execs else None, [exact(a) for a in want])
check('no sibling without its field', [k for o in objs for k in o if k.endswith('_bytes') and k[:-6] not in o and k not in ('read_bytes', 'write_bytes')], [])
PY
python3 "$T/check.py" "$T/log.jsonl" "--json" "$W" "$T/argv.hex"

# jq prints the program's strings as they are
if command -v jq >/dev/null 2>&1; then
	want=$(printf '%s/a\\b.txt' "$W")
	expect "jq -r .path prints the name with its one backslash" "$(jq -r 'select(.type=="open") | .path' "$T/log.jsonl" | grep -Fxc "$want")" 2
	expect "jq -r prints the argv of backslash-r backslash-n as it is" \
		"$(jq -r 'select(.type=="exec" and .argv[0]=="true") | .argv[1]' "$T/log.jsonl")" 'a\r\nb'
else
	skip "jq missing"
fi

# --from LOG --json: the same log again
cmp --from "$T/log.jsonl" --json "$T/re.jsonl" 2>"$T/re.err"
expect "--from LOG --json exits 0" "$?" 0
python3 "$T/check.py" "$T/re.jsonl" "--from --json" "$W" "$T/argv.hex"
check "--from LOG --json writes the very same bytes" command cmp -s "$T/log.jsonl" "$T/re.jsonl"

# the same run as a version 1 log: strings carry strace's \xNN / \\ layer, no siblings
python3 - "$T/log.jsonl" "$T/v1.jsonl" <<'PY'
import json, sys
from walk import walk
def layer(b):
    return ''.join('\\x%02x' % r[0] if ch is None or ch == '\0' else '\\\\' if ch == '\\' else ch for ch, r in walk(b))
def v1(o):
    if isinstance(o, dict):
        r = {}
        for k, v in o.items():
            if k.endswith('_bytes') and k[:-6] in o and isinstance(v, list):
                continue
            sib = o.get(k + '_bytes')
            if isinstance(v, str):
                r[k] = layer(bytes(sib) if isinstance(sib, list) else v.encode())
            elif isinstance(v, list) and v and all(isinstance(x, str) or x is None for x in v):
                sib = sib if isinstance(sib, list) else [None] * len(v)
                r[k] = [None if x is None else layer(bytes(s) if s is not None else x.encode()) for x, s in zip(v, sib)]
            else:
                r[k] = v1(v)
        return r
    if isinstance(o, list):
        return [v1(x) for x in o]
    return o
with open(sys.argv[2], 'w', encoding='utf-8') as f:
    for l in open(sys.argv[1], encoding='utf-8'):
        o = v1(json.loads(l))
        if o.get('type') == 'header':
            o['version'] = 1
        f.write(json.dumps(o, ensure_ascii=False, separators=(',', ':')) + '\n')
PY
if grep -q '_bytes":\[[0-9]' "$T/v1.jsonl"; then fail "the version 1 fixture has no siblings"; else ok "the version 1 fixture has no siblings"; fi
if grep -qF 'a\\\\b.txt' "$T/v1.jsonl"; then ok "the version 1 fixture doubles the backslash"; else fail "the version 1 fixture doubles the backslash"; fi
cmp --from "$T/v1.jsonl" --json "$T/v1re.jsonl" 2>"$T/v1.err"
expect "--from a version 1 log --json exits 0" "$?" 0
python3 "$T/check.py" "$T/v1re.jsonl" "version 1 --from" "$W" "$T/argv.hex"
check "a version 1 log reads to the very same log" command cmp -s "$T/log.jsonl" "$T/v1re.jsonl"

# a small hand-written version 1 log
printf '%s\n' '{"type":"header","version":1,"argv":["x","a\\\\b\\xff"]}' \
	'{"t":0.5,"pid":1,"tid":1,"type":"open","cat":"file","path":"/d/a\\\\b\\\\\\\\x41\\xc0\\xaf\\x00"}' \
	'{"type":"end","events":1}' >"$T/hand.jsonl"
cmp --from "$T/hand.jsonl" --json "$T/hand2.jsonl" 2>/dev/null
expect "--from a hand-written version 1 log exits 0" "$?" 0
expect "the hand-written version 1 log gives the original bytes" "$(python3 - "$T/hand2.jsonl" <<'PY'
import json, sys
o = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
raw = lambda o, k: bytes(o[k + '_bytes']) if k + '_bytes' in o else o[k].encode()
av = [bytes(b) if b is not None else s.encode() for s, b in zip(o[0]['argv'], o[0].get('argv_bytes', [None, None]))]
print(raw(o[1], 'path') == b'/d/a\\b\\\\x41\xc0\xaf\x00', av == [b'x', b'a\\b\xff'])
PY
)" "True True"

# the report: the same from either version, each name shown right
cmp --from "$T/log.jsonl" --report "$T/v2.html" 2>/dev/null
expect "--report from the version 2 log" "$?" 0
cmp --from "$T/v1.jsonl" --report "$T/v1.html" 2>/dev/null
expect "--report from the version 1 log" "$?" 0
check "the reports of the version 1 and version 2 logs are the same" command cmp -s "$T/v1.html" "$T/v2.html"
python3 - "$T/v2.html" "$W" "$T/argv.hex" <<'PY'
import base64, gzip, json, os, re, sys
h = open(sys.argv[1], encoding='utf-8').read()
w = sys.argv[2].encode()
meta = json.loads(re.search(r'id="meta">(.*?)</script>', h, re.S).group(1))
blocks = re.findall(r'class="trace-data">(.*?)</script>', h, re.S)
raw = gzip.decompress(b''.join(base64.b64decode(b) for b in blocks))
strings = set(raw[[l for l in meta['layout'] if l['name'] == 'strings'][0]['off']:].decode('utf-8').split('\n'))
from walk import walk
def disp1(ch, r):
    c = ord(ch) if ch is not None else -1
    if ch is not None and not (c < 0x20 or 0x7f <= c <= 0x9f):
        return ch
    return {10: '\\n', 9: '\\t', 13: '\\r'}.get(c) or ''.join('\\x%02x' % x for x in r)
def disp(b):
    # the report's display form: UTF-8 as is, one backslash as one, controls and invalid bytes escaped
    return ''.join(disp1(ch, r) for ch, r in walk(b))
names = [w + b'/' + n for n in os.listdir(w)]
missing = [n for n in names if disp(n) not in strings]
print(('ok - ' if not missing else 'not ok - ') + 'the report shows every name in its display form' + ('' if not missing else ' (missing %r)' % missing))
shown = disp(w + b'/a\\b.txt')
ok = shown.endswith('/a\\b.txt') and shown in strings
print(('ok - ' if ok else 'not ok - ') + 'the report shows the backslash name with one backslash')
want = [bytes.fromhex(l) for l in open(sys.argv[3]).read().split()]
ok = meta['argv'][0] == 'python3'
print(('ok - ' if ok else 'not ok - ') + 'the report header argv is the traced command')
PY
