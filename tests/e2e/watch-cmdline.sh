#!/bin/sh
# SPDX-License-Identifier: MIT
# Dumps name the involved processes with their command line, read off the
# sampling thread, with secrets redacted by default (--no-redact keeps them).
# The command line is the one after execve, not the one the sampler read
# first (a process keeps its pid and start time across exec).
. "$TOP/tests/lib.sh"
prio_script
WPID=
trap '[ -n "$WPID" ] && kill -TERM $WPID 2>/dev/null; rm -rf "$T"' EXIT
printf 'sampling_interval_seconds = 0.1\npost_trigger_seconds = 0.5\n' >"$T/c.conf"
chmod 0600 "$T/c.conf"

# argv_of DIR PID: the argv and redacted flag of PID in a trigger
argv_of() {
	python3 - "$1" "$2" <<'PY'
import json, os, sys
d, pid = sys.argv[1], int(sys.argv[2])
for f in sorted(os.listdir(d)):
    for l in open(os.path.join(d, f), 'rb').read().decode('utf-8').splitlines():
        o = json.loads(l)
        if o.get('type') == 'trigger':
            for p in o['procs']:
                if p['pid'] == pid and 'argv' in p:
                    print(json.dumps(p['argv'][1:]), p.get('redacted', False))
                    sys.exit(0)
            break
print('none')
PY
}

# run_case DIR NAME [compendium options]
run_case() {
	d=$1 name=$2
	shift 2
	mkdir -m 0700 "$d"
	setsid "$T/prio" $ENVI "$C" --watch --config "$T/c.conf" --dump-dir "$d" "$@" 2>"$d.err" &
	WPID=$!
	i=0
	while ! grep -q 'watching every process' "$d.err" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	# the process runs sh for a second (ten scans read its command line), then
	# execs the hog: same pid and start time, a new command line
	setsid "$T/prio" sh -c 'sleep 1; exec "$0" "$@"' "$P/watch_load" hog "$name" 1.2 0 \
		--password=hunter2 --token tok123 https://user:pw456@example.org/x >"$d.out"
	p=$(sed -n 's/^pid //p' "$d.out")
	i=0
	while [ "$(argv_of "$d" "$p")" = none ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill -TERM $WPID
	wait $WPID
	WPID=
	sed -n 's/^pid //p' "$d.out"
}


pid=$(run_case "$T/a" credhog_wt)
expect "argv in the trigger, secrets redacted" "$(argv_of "$T/a" "$pid")" \
	'["hog", "credhog_wt", "1.2", "0", "--password=<redacted>", "--token", "<redacted>", "https://<redacted>@example.org/x"] True'
check "no secret anywhere in the dumps" sh -c "! grep -r -q -e hunter2 -e tok123 -e pw456 '$T/a'"

pid=$(run_case "$T/b" credhog2_wt --no-redact)
expect "--no-redact keeps them" "$(argv_of "$T/b" "$pid")" \
	'["hog", "credhog2_wt", "1.2", "0", "--password=hunter2", "--token", "tok123", "https://user:pw456@example.org/x"] False'
