#!/bin/sh
# SPDX-License-Identifier: MIT
# Job control through a real terminal: Ctrl-Z in an interactive shell stops
# compendium and the traced command together; `fg` resumes both and the
# command finishes as it would untraced.
. "$TOP/tests/lib.sh"
command -v bash >/dev/null 2>&1 || { skip "bash is needed for an interactive job-control shell"; exit 0; }
cat >"$T/ctrlz.py" <<'PY'
import os, pty, select, sys, time
c, jpath, ready, out_path = sys.argv[1:5]
pid, fd = pty.fork()
if pid == 0:
    os.execv('/bin/bash', ['bash', '--norc', '--noprofile', '-i'])
log = b''
def rd(t, until=None):
    global log
    end = time.time() + t
    while time.time() < end:
        if until and until():
            return True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                log += os.read(fd, 4096)
            except OSError:
                return False
    return bool(until and until())
rd(0.5)
cmd = '%s -q --json %s -- sh -c \': >%s; sleep 2; echo done-sleeping\'\n' % (c, jpath, ready)
os.write(fd, cmd.encode())
rd(60, lambda: os.path.exists(ready))      # the command is running under trace
rd(0.3)
os.write(fd, b'\x1a')                       # Ctrl-Z
rd(20, lambda: b'Stopped' in log)
os.write(fd, b'jobs -l\n')
rd(1.0)
os.write(fd, b'fg\n')
rd(60, lambda: b'FINAL' in log)
rd(1.0)
os.write(fd, b'echo status=$?\n')
rd(5, lambda: b'status=' in log.split(b'echo status=')[-1])
os.write(fd, b'exit\n')
rd(1.0)
open(out_path, 'wb').write(log)
PY
$ENVI python3 "$T/ctrlz.py" "$C" "$T/z.json" "$T/ready" "$T/out"
out=$(tr -d '\r' <"$T/out")
case $out in *"Stopped"*) ok "Ctrl-Z stops the job (the shell reports it Stopped)" ;; *) fail "no 'Stopped' after Ctrl-Z: $(tail -5 "$T/out")" ;; esac
n=$(printf '%s\n' "$out" | grep -c 'done-sleeping')
check "after fg the command runs to its end (done-sleeping printed)" [ "$n" -ge 1 ]
case $out in *"status=0"*) ok "after fg compendium exits 0 like the command" ;; *) fail "exit status after fg: $(printf '%s\n' "$out" | grep status=)" ;; esac
got=$(jl "$T/z.json" "sorted(set(e['signal'] for e in of('signal') if e['signal'] in ('SIGTSTP', 'SIGCONT')))")
expect "the traced command received the terminal's SIGTSTP and the shell's SIGCONT" "$got" '["SIGCONT", "SIGTSTP"]'
got=$(jl "$T/z.json" "[end['status'], [e.get('code') for e in of('exit') if e.get('root')]]")
expect "the end record: status 0, the root exited 0" "$got" "[0, [0]]"
