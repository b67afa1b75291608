#!/bin/sh
# SPDX-License-Identifier: MIT
# "Network connections" of the FINAL summary on real programs, all on
# loopback: curl downloading ~200 KB from python3 -m http.server is one
# connection, connected (not EINPROGRESS), with the bytes curl itself counts
# (size_download + size_header), with and without -e trace=network; curl to a
# closed port is ECONNREFUSED; a server attached with -p lists the two
# connections it accepted with their peers (curl's local ports) and bytes;
# a UDP exchange lists its peer with the bytes. The summary text and the conn
# events of --json agree.
. "$TOP/tests/lib.sh"
cd "$T" || exit 1

if ! command -v curl >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1; then
	skip "curl and python3 are needed"
	exit 0
fi

waitfor() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1)); [ $i -gt 400 ] && return 1; sleep 0.05
	done
}
# fmt_size of lib/fmt.c, to find a byte count in the summary's words
fmt() { python3 -c 'import sys
b = int(sys.argv[1]); u = ["KiB", "MiB", "GiB"]
if b < 1024: print("%d B" % b); sys.exit()
v = b / 1024; i = 0
while v >= 1023.95 and i < 2: v /= 1024; i += 1
print("%.1f %s" % (v, u[i]))' "$1"; }
# the summary's "Network connections" lines (up to the next section)
conns() { sed -n '/^ Network connections:/,/^ Time:/p' "$1" | sed '$d' | sed 's/^ Network connections: *//; s/^ *//'; }

mkdir www
head -c 200000 /dev/urandom >www/blob.bin
$ENVI python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$T/www" >srv.log 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
waitfor srv.log "Serving HTTP" || { fail "http.server did not start"; exit 0; }
port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' srv.log | head -1)
url="http://127.0.0.1:$port/blob.bin"

# ---- curl: one connection, connected, with the bytes curl counted ----
for sel in "" "-e trace=network"; do
	what="curl${sel:+ $sel}"
	# shellcheck disable=SC2086 # $sel is one option or none
	cmp $sel --json c.jsonl -o c.txt -- curl -s -o /dev/null -w '%{size_download} %{size_header} %{local_port}\n' "$url" >c.out 2>c.err
	expect "$what: curl succeeded" "$?" 0
	read -r dl hd lport <c.out
	expect "$what: curl downloaded the file" "$dl" 200000
	lines=$(conns c.txt)
	want="tcp4 → 127.0.0.1:$port connected from 127.0.0.1:$lport, sent "
	case $lines in
	"$want"*) ok "$what: the summary lists one connection, connected, from curl's port" ;;
	*) fail "$what: the summary lists one connection, connected (got '$lines', want '$want...')" ;;
	esac
	case $lines in *EINPROGRESS*) fail "$what: EINPROGRESS in the summary" ;; *) ok "$what: no EINPROGRESS in the summary" ;; esac
	got=$(jl c.jsonl "[(e['outcome'], e['peer'], e['bytes_received']) for e in of('conn') if not e.get('noise')]")
	expect "$what: one conn event, connected, bytes received = size_download + size_header" "$got" \
		"[[\"connected\", \"127.0.0.1:$port\", $((dl + hd))]]"
	sent=$(jl c.jsonl "[e['bytes_sent'] for e in of('conn') if not e.get('noise')][0]")
	reqlen=$(jl c.jsonl "sum(e['bytes'] for e in of('send') if e.get('peer') == '127.0.0.1:$port')")
	expect "$what: bytes sent = the request's send events" "$sent" "$reqlen"
	case $lines in
	*"sent $(fmt "$sent"), received $(fmt $((dl + hd))), "*) ok "$what: the summary's bytes are the conn event's" ;;
	*) fail "$what: the summary's bytes are the conn event's (got '$lines')" ;;
	esac
done

# ---- a refused non-blocking connect (curl: EINPROGRESS, poll, SO_ERROR) ----
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cmp --json r.jsonl -o r.txt -- curl -s -o /dev/null "http://127.0.0.1:$closed/" >/dev/null 2>&1
got=$(jl r.jsonl "[e.get('err') for e in of('connect') if e.get('port') == $closed]")
expect "refused: curl's connect was non-blocking" "$got" '["EINPROGRESS"]'
expect "refused: the summary says ECONNREFUSED" "$(conns r.txt)" "tcp4 → 127.0.0.1:$closed ECONNREFUSED"
got=$(jl r.jsonl "[(e['outcome'], e['err']) for e in of('conn') if e.get('peer') == '127.0.0.1:$closed']")
expect "refused: the conn event failed with ECONNREFUSED" "$got" '[["failed", "ECONNREFUSED"]]'

# ---- an attached server: two accepted connections ----
cat >att.py <<'PY'
import signal, subprocess, sys, time
c, out, jpath, pid, go, done = sys.argv[1:7]
p = subprocess.Popen([c, '--json', jpath, '-o', out, '-p', pid], stderr=open(out + '.err', 'w'),
                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
for _ in range(400):  # until attached (the narrative's first line)
    if 'attached' in open(out, errors='replace').read():
        break
    time.sleep(0.05)
open(go, 'w').close()
for _ in range(1200):  # until both requests are done
    try:
        if len(open(done).read().split('\n')) > 2:
            break
    except FileNotFoundError:
        pass
    time.sleep(0.05)
time.sleep(0.2)
p.send_signal(signal.SIGINT)
try:
    rc = p.wait(60)
except subprocess.TimeoutExpired:
    p.kill(); rc = p.wait()
print(rc)
PY
touch a.txt
$ENVI python3 att.py "$C" "$T/a.txt" "$T/a.jsonl" $srv "$T/go" "$T/reqs.txt" >a.rc &
att=$!
i=0; while [ ! -e go ] && [ $i -lt 400 ]; do i=$((i + 1)); sleep 0.05; done
curl -s -o /dev/null -w '%{size_download} %{size_header} %{local_port}\n' "$url" >>reqs.txt
curl -s -o /dev/null -w '%{size_download} %{size_header} %{local_port}\n' "$url" >>reqs.txt
wait $att
expect "attached: compendium exits 0 after Ctrl-C" "$(cat a.rc)" 0
lines=$(conns a.txt)
n=0
while read -r dl hd lport; do
	n=$((n + 1))
	case $lines in
	*"tcp4 ← 127.0.0.1:$lport accepted on 127.0.0.1:$port, sent $(fmt $((dl + hd))), received "*)
		ok "attached: request $n listed as accepted from curl's port $lport with the bytes sent" ;;
	*) fail "attached: request $n listed as accepted from 127.0.0.1:$lport (got '$lines')" ;;
	esac
	got=$(jl a.jsonl "[(e['kind'], e['outcome'], e['bytes_sent']) for e in of('conn') if e.get('peer') == '127.0.0.1:$lport']")
	expect "attached: request $n's conn event" "$got" "[[\"accept\", \"connected\", $((dl + hd))]]"
done <reqs.txt
expect "attached: two connections in the summary" "$(printf '%s\n' "$lines" | grep -c 'accepted')" 2
case $lines in *none*) fail "attached: summary says none" ;; *) ok "attached: summary does not say none" ;; esac

# ---- a UDP exchange on loopback ----
cat >udp.py <<'PY'
import socket
srv = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); srv.bind(('127.0.0.1', 0))
cli = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); cli.bind(('127.0.0.1', 0))
sp, cp = srv.getsockname()[1], cli.getsockname()[1]
cli.sendto(b'hello', ('127.0.0.1', sp))
data, peer = srv.recvfrom(100)
srv.sendto(data + b' world', peer)
cli.recvfrom(100)
dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # resolver traffic: noise
dns.sendto(b'\0' * 12, ('127.0.0.53', 53))
print(sp, cp)
PY
cmp --json u.jsonl -o u.txt -- python3 udp.py >u.out 2>u.err
expect "udp: the script ran" "$?" 0
read -r sp cp <u.out
lines=$(conns u.txt)
case $lines in
*"udp4 ↔ 127.0.0.1:$sp exchanged from 127.0.0.1:$cp, sent 5 B, received 11 B"*) ok "udp: the client's peer with its bytes" ;;
*) fail "udp: the client's peer with its bytes (got '$lines')" ;;
esac
case $lines in
*"udp4 ↔ 127.0.0.1:$cp exchanged from 127.0.0.1:$sp, sent 11 B, received 5 B"*) ok "udp: the server's peer with its bytes" ;;
*) fail "udp: the server's peer with its bytes (got '$lines')" ;;
esac
got=$(jl u.jsonl "[sorted((e['peer'], e['bytes_sent'], e['bytes_received'], e.get('noise')) for e in of('conn') if e['kind'] == 'datagram') == sorted([('127.0.0.1:$cp', 11, 5, None), ('127.0.0.1:$sp', 5, 11, None), ('127.0.0.53:53', 12, 0, True)])]")
expect "udp: the conn events agree, the resolver's is noise" "$got" "[true]"
case $lines in *127.0.0.53*) fail "udp: resolver traffic listed" ;; *) ok "udp: resolver traffic not listed" ;; esac
check "udp: the noise note counts it" grep -q '^ Noise filter: not listed: .*1 connection' u.txt
cmp --no-filter -o u2.txt -- python3 udp.py >/dev/null 2>&1
check "udp: --no-filter lists the resolver's peer" grep -q '↔ 127.0.0.53:53 exchanged' u2.txt
