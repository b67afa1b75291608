#!/bin/sh
# SPDX-License-Identifier: MIT
# --list-dumps escapes everything it prints (doc/SAFETY.md, 'Terminal
# escapes'): a dump file name with ESC, a newline and a byte that is not
# UTF-8, and trigger records (kind, when, msg) holding ESC sequences, C1
# controls, bidi overrides and backslashes, whether crafted or written by
# --watch for a process with a hostile name. No raw control byte reaches
# the text; a backslash shows once escaped (\\), not doubled; the --json -
# output is valid JSON Lines whose strings say what the dump says.
. "$TOP/tests/lib.sh"
prio_script
W="setsid $T/prio $P/watch_load"
WPID=
trap '[ -n "$WPID" ] && stop_bg "$WPID"; rm -rf "$T"' EXIT
D=$T/dumps
mkdir -m 0700 "$D"

# a crafted dump (version 1 strings: a backslash is \\ and a byte that is not UTF-8 \xNN once decoded)
python3 - "$D" <<'PY'
import json, os, sys
d = sys.argv[1]
name = b'spike_x\x1b[2J\ny\xff\xe2\x80\xaez.jsonl'
hdr = {"type": "header", "version": 1, "argv": ["compendium", "--watch"], "mode": "watch"}
trig = {"type": "trigger", "t": 0, "kind": "\x1b[2J\x1b]0;pwned\x07", "when": "\x1b[31m2020-01-01T00:00:00Z",
        "msg": "back\\\\slash \\x9b31m csi \u202eevil\u202c \u009b2J \x1b[1;1H end", "scope": "system",
        "procs": [{"pid": 1, "comm": "a\\\\b\x1b[0m", "argv": ["x\x1b]8;;http://e/\x07y", "p\\\\q"]}]}
# the same record under a hostile name, and under a name compendium could have written
for n in (name, b'spike_crafted_20200101T000000.000Z.jsonl'):
    with open(os.path.join(d.encode(), n), 'wb') as f:
        f.write(json.dumps(hdr).encode() + b'\n' + json.dumps(trig).encode() + b'\n')
PY
chmod 0600 "$D"/spike_*

# a dump written by --watch for a process whose comm holds ESC, a backslash and a byte that is not UTF-8
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.3\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"
setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$D" 2>"$T/w.err" &
WPID=$!
wait_for 20 grep -q 'watching every process' "$T/w.err"
HOSTILE=$(printf 'hb\\q\033[2J\377')
$W hog "$HOSTILE" 1 >/dev/null
check "the hostile-named hog's dump is written" wait_for 30 grep -q 'dump written: .*spike_newproc_' "$T/w.err"
kill -TERM "$WPID"
wait "$WPID"
WPID=

$ENVI "$C" --list-dumps --dump-dir "$D" >"$T/list.txt" 2>"$T/list.err"
expect "--list-dumps: status 0" "$?" 0
$ENVI "$C" --list-dumps --dump-dir "$D" --json - >"$T/list.jsonl" 2>"$T/list.jerr"
expect "--list-dumps --json -: status 0" "$?" 0

python3 - "$D" "$T/list.txt" "$T/list.jsonl" >"$T/checks.out" <<'PY'
import json, os, re, sys
d, txt, jl = sys.argv[1], open(sys.argv[2], 'rb').read(), open(sys.argv[3], 'rb').read()
def say(ok, what):
    print(('ok - ' if ok else 'not ok - ') + what)
names = sorted(n for n in os.listdir(d.encode()) if n.startswith(b'spike_') and n.endswith(b'.jsonl'))
crafted = [n for n in names if n.startswith(b'spike_x')][0]

# text: valid UTF-8, one line per dump, nothing a terminal would act on
t = txt.decode('utf-8', 'replace')
say(txt.decode('utf-8', 'strict') is not None, 'text output is valid UTF-8')
lines = txt.split(b'\n')[:-1]
say(len(lines) == len(names), 'text: one line per dump (%d lines, %d dumps)' % (len(lines), len(names)))
bad = sorted(set(c for c in t if (ord(c) < 0x20 and c != '\n') or 0x7f <= ord(c) <= 0x9f or c in '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f'))
say(not bad, 'text: no control, C1 or bidi character reaches the terminal (found %r)' % bad)
cl = [l.decode() for l in lines if l.decode().find('spike_x') >= 0]
cl = cl[0] if cl else ''
# the record under the ordinary name: its fields are escaped whatever the file is called
ol = [l.decode() for l in lines if l.decode().find('spike_crafted_') >= 0]
say(ol and ol[0] == cl.replace('spike_x\\x1b[2J\\ny\\xff\\u202ez.jsonl', 'spike_crafted_20200101T000000.000Z.jsonl'),
    'text: the same record under an ordinary name shows the same: %r' % ol[:1])
say('spike_x\\x1b[2J\\ny\\xff\\u202ez.jsonl' in cl, 'text: the hostile file name is shown escaped: %r' % cl)
say('\\x1b[2J\\x1b]0;pwned\\x07' in cl, 'text: the kind is shown escaped')
say(cl.startswith('\\x1b[31m2020-01-01'), 'text: the time is shown escaped')
say('back\\\\slash ' in cl and 'back\\\\\\\\slash' not in cl, 'text: a backslash of msg shows once escaped (\\\\), not doubled')
say('\\x9b31m csi' in cl and '\\u202eevil' in cl and '\\xc2\\x9b2J' in cl and '\\x1b[1;1H end' in cl,
    'text: a byte that is not UTF-8, a bidi override, a C1 control and ESC in msg are escaped')
hl = [l.decode() for l in lines if b'hb' in l and b'spike_newproc_' in l]
say(any('hb\\\\q\\x1b[2J\\xff' in l for l in hl), "text: --watch's own dump of the hostile hog is listed, its comm escaped: %r" % hl[:1])

# JSON Lines: strictly valid, no raw control byte, strings as the dumps say them
objs = []
try:
    objs = [json.loads(l) for l in jl.decode('utf-8', 'strict').split('\n') if l]
    say(True, 'json: every line is valid JSON, the output valid UTF-8')
except Exception as e:
    say(False, 'json: invalid: %s' % e)
say(not re.search(rb'[\x00-\x09\x0b-\x1f\x7f]', jl), 'json: no raw control byte')
say(len(objs) == len(names), 'json: one line per dump (%d)' % len(objs))
def dump_trigger(fn):
    for l in open(os.path.join(d.encode(), fn), 'rb').read().split(b'\n'):
        if l:
            o = json.loads(l)
            if o.get('type') == 'trigger':
                return o
c = [o for o in objs if o['file'].startswith('spike_x')]
say(c and c[0]['trigger']['kind'] == '\x1b[2J\x1b]0;pwned\x07', 'json: the crafted kind holds ESC as a JSON escape')
say(c and c[0]['trigger']['procs'][0]['argv'][0] == 'x\x1b]8;;http://e/\x07y', 'json: the crafted argv comes back as the dump has it')
w = [o for o in objs if o['file'].startswith('spike_newproc_')]
say(w and all(o['trigger'] == dump_trigger(o['file'].encode()) for o in w), "json: --watch's dumps come back as written (%d)" % len(w))
PY
cat "$T/checks.out"
check "content checks ran" grep -q '^ok - json: every line' "$T/checks.out"
