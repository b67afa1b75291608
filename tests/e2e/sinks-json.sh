#!/bin/sh
# SPDX-License-Identifier: MIT
# The JSON Lines contract end to end: strict UTF-8 and one JSON object per
# line, the header and end records with every field, counts that match the
# lines, exit statuses, --json - on stdout, hostile argv bytes kept exactly
# (JSON) and escaped on one line (narrative), a failing --json destination.
. "$TOP/tests/lib.sh"

# --- header, events and end of a small shell run
script='echo hi > "$1/f"; cat "$1/f" > /dev/null; ls "$1/nope" 2>/dev/null; exit 3'
cmp --json "$T/a.jsonl" -o "$T/a.txt" -- sh -c "$script" sh "$T" >/dev/null 2>&1
expect "compendium exits with the command's status" "$?" 3

python3 - "$T/a.jsonl" "$T" "$script" <<'PY'
import json, os, re, sys
path, T, script = sys.argv[1], sys.argv[2], sys.argv[3]
raw = open(path, 'rb').read()
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
try:
    text = raw.decode('utf-8')
    check('the log is strict UTF-8', True, True)
except UnicodeDecodeError as e:
    check('the log is strict UTF-8', str(e), '')
    sys.exit(0)
check('the log ends with a newline', raw.endswith(b'\n'), True)
lines = text.split('\n')[:-1]
objs = []
for i, l in enumerate(lines):
    try:
        o = json.loads(l)
        assert isinstance(o, dict)
        objs.append(o)
    except Exception as e:
        check('line %d is one JSON object' % (i + 1), repr(e), '')
check('every line is one JSON object', len(objs), len(lines))
hdr, end, evs = objs[0], objs[-1], objs[1:-1]
check('first line is the header', hdr.get('type'), 'header')
check('header version (2: strings are the program\'s, with KEY_bytes)', hdr.get('version'), 2)
check('header argv', hdr.get('argv'), ['sh', '-c', script, 'sh', T])
check('header start is ISO 8601 UTC with microseconds',
      bool(re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z', hdr.get('start', ''))), True)
check('header host', hdr.get('host'), os.uname().nodename)
check('header kernel', hdr.get('kernel'), os.uname().release)
check('header compendium version', hdr.get('compendium'), '0.1.0')
check('header mode', hdr.get('mode'), 'trace')
check('last line is the end record', end.get('type'), 'end')
check('end status', end.get('status'), 3)
check('end exit', end.get('exit'), {'code': 3})
check('end interrupted', end.get('interrupted'), False)
check('end events counts the event lines', end.get('events'), len(evs))
counts = {}
for e in evs:
    counts[e['type']] = counts.get(e['type'], 0) + 1
check('end counts per type match the lines', end.get('counts'), counts)
check('end duration covers every event', isinstance(end.get('duration'), float) and end['duration'] >= max(e['t'] for e in evs), True)
check('end cpu has user and sys seconds', sorted(end.get('cpu', {})), ['sys', 'user'])
keys_ok = all(list(e)[:5] == ['t', 'pid', 'tid', 'type', 'cat'] for e in evs)
check('every event starts with t, pid, tid, type, cat', keys_ok, True)
check('t has microsecond precision', all(re.search(r'"t":\d+\.\d{6},', l) for l in lines[1:-1]), True)
check('t never goes backwards', all(a['t'] <= b['t'] for a, b in zip(evs, evs[1:])), True)
fopen = [e for e in evs if e['type'] == 'open' and e.get('path') == T + '/f']
check('the write open of f', [(e['access'], e['flags']) for e in fopen][:1], [('w', 'O_WRONLY|O_CREAT|O_TRUNC')])
nope = [e.get('err') for e in evs if e['type'] == 'open' and e.get('path') == T + '/nope']
check('a failed open names its errno (ls uses stat, so none or ENOENT)', set(nope) <= {'ENOENT'}, True)
writes = [e['bytes'] for e in evs if e['type'] == 'write' and e.get('path') == T + '/f']
check('bytes written to f', writes, [3])
noisy = [e for e in evs if e.get('noise') is True]
check('--json is not noise-filtered: noise events are present and flagged', len(noisy) > 0, True)
check('the root exit record', [e.get('code') for e in evs if e['type'] == 'exit' and e.get('root')], [3])
PY

# the narrative of the same run: one line per event, nothing raw
python3 - "$T/a.txt" "$T" <<'PY'
import sys
raw = open(sys.argv[1], 'rb').read()
T = sys.argv[2]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
text = raw.decode('utf-8')
check('narrative has no control bytes but newlines', [c for c in text if (ord(c) < 32 and c != '\n') or 0x7f <= ord(c) <= 0x9f], [])
check('narrative names the write of f', any(l.endswith('open %s/f (write, create)' % T) for l in text.split('\n')), True)
check('narrative ends with the FINAL block and the exit', ' Exit: 3\n' in text and ' FINAL: sh -c ' in text, True)
PY

# --- killed by a signal
cmp -q --json "$T/b.jsonl" -- sh -c 'kill -SEGV $$' >/dev/null 2>&1
expect "killed by SIGSEGV exits 139" "$?" 139
expect "end record of a SIGSEGV death" "$(jl "$T/b.jsonl" '[end["status"], end["exit"]["signal"], type(end["exit"]["core"]).__name__]')" '[139, "SIGSEGV", "bool"]'

# --- --json - goes to stdout, the narrative stays on stderr
cmp --json - -- sh -c 'exit 0' >"$T/c.jsonl" 2>"$T/c.err"
expect "--json - exits 0" "$?" 0
expect "--json - writes header first and end last on stdout" "$(jl "$T/c.jsonl" '[hdr["type"], end["type"], end["exit"]]')" '["header", "end", {"code": 0}]'
if grep -q '"type":' "$T/c.err"; then fail "no JSON on stderr with --json -"; else ok "no JSON on stderr with --json -"; fi
if grep -q 'FINAL:' "$T/c.err"; then ok "the summary is on stderr with --json -"; else fail "the summary is on stderr with --json -"; fi

# --- hostile argv[0] (doc/SAFETY.md, 'Terminal escapes'): exact bytes in JSON, escaped on one line in the narrative
if command -v python3 >/dev/null; then
	cmp --json "$T/d.jsonl" -o "$T/d.txt" -- python3 -c 'import os; os.execv("/bin/true", [b"\x1b]0;pwned\x07</script>\xe2\x80\xa8\xe2\x80\xae\xc2\x9b\x9b\xff\xfe\nX\\x41", b"arg"])' >/dev/null 2>&1
	expect "hostile argv run exits 0" "$?" 0
	python3 - "$T/d.jsonl" "$T/d.txt" <<'PY'
import json, re, sys
raw = open(sys.argv[1], 'rb').read()
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
def recover(o, k, i):
    # the recovery rule of the JSON schema (man page), for element i of vector k
    sib = o.get(k + '_bytes')
    return bytes(sib[i]) if sib and sib[i] is not None else o[k][i].encode('utf-8')
want = b"\x1b]0;pwned\x07</script>\xe2\x80\xa8\xe2\x80\xae\xc2\x9b\x9b\xff\xfe\nX\\x41"
check('hostile JSON has no raw < > & U+2028', [x for x in (b'<', b'>', b'&', b'\xe2\x80\xa8') if x in raw], [])
evs = [json.loads(l) for l in raw.decode('utf-8').split('\n') if l]
execs = [e for e in evs if e.get('type') == 'exec' and e.get('path') == '/usr/bin/true']
check('argv[0] of the exec round-trips byte-exact', [recover(execs[0], 'argv', 0) if execs else None], [want])
check('argv[1] is exact: no bytes for it', [execs[0]['argv_bytes'][1] if execs else 0, recover(execs[0], 'argv', 1) if execs else None], [None, b'arg'])
text = open(sys.argv[2], 'rb').read().decode('utf-8')
lines = [l for l in text.split('\n') if 'true exec' in l]
check('the exec is one narrative line', len(lines), 1)
check('the narrative shows argv[0] escaped',
      [l.split(' (as ', 1)[1] for l in lines][:1],
      ["$'\\x1b]0;pwned\\x07</script>\\u2028\\u202e\\xc2\\x9b\\x9b\\xff\\xfe\\nX\\\\x41') arg"])
check('no raw control, C1 or bidi character in the narrative',
      [c for c in text if (ord(c) < 32 and c != '\n') or 0x7f <= ord(c) <= 0x9f or c in '\u202e\u2028'], [])
PY
else
	skip "python3 missing: hostile argv"
fi

# --- a --json destination that fails while tracing: one warning, the command's status kept
cmp -q --json /dev/full -- sh -c 'exit 4' >/dev/null 2>"$T/e.err"
expect "a failing --json keeps the command's status" "$?" 4
expect "the failed --json write is reported" "$(grep -c 'No space left on device' "$T/e.err" | tr -d ' ' | sed 's/^[1-9][0-9]*$/yes/')" yes
