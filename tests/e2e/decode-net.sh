#!/bin/sh
# SPDX-License-Identifier: MIT
# Socket decoding: socket/bind/listen/connect/accept with family, address and
# port (ECONNREFUSED, EINPROGRESS), send/recv bytes and peers for every send
# and receive call (write/read on sockets, sendto/recvfrom, sendmsg/recvmsg,
# sendmmsg/recvmmsg), unix path and abstract sockets, an fd passed with
# SCM_RIGHTS, loopback not noise (the program's own traffic); one conn event
# per connection with its outcome and bytes; checked against what dec_net did.
. "$TOP/tests/lib.sh"

mkdir "$T/n"
$ENVI "$C" -q --no-filter --json "$T/out.jsonl" -- "$P/dec_net" "$T/n" >"$T/prog.txt" 2>"$T/err.txt"
expect "dec_net ran under compendium" "$?" 0

python3 - "$T/out.jsonl" "$T/prog.txt" "$T/n" <<'PY'
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]
prog = {}
for line in open(sys.argv[2]):
    k, _, v = line.rstrip('\n').partition(' ')
    prog[k] = v.split()
N = sys.argv[3]
def of(t, **kw):
    return [e for e in evs if e.get('type') == t and all(e.get(k) == v for k, v in kw.items())]
def check(name, got, want):
    print(('ok - ' if got == want else 'not ok - ') + name + ('' if got == want else ' (got %r, want %r)' % (got, want)))
def pick(e, *keys):
    return tuple(e.get(k) for k in keys)

lfd, port = map(int, prog['listen'])
check('tcp4 listen: fd, family, address', [pick(e, 'fd', 'family', 'addr') for e in of('listen', fd=lfd)], [(lfd, 'tcp4', '127.0.0.1')])
rport = int(prog['refused'][0])
check('connect refused: ECONNREFUSED with family, addr, port, not noise', [pick(e, 'family', 'addr', 'err', 'noise') for e in of('connect', port=rport)],
      [('tcp4', '127.0.0.1', 'ECONNREFUSED', None), ('tcp6', '::1', 'ECONNREFUSED', None)])
nb = prog['nbconnect']
want = 'EINPROGRESS' if nb[2] == '115' else None
check('nonblocking connect: EINPROGRESS as the program saw', [e.get('err') for e in of('connect', port=port)], [want])
afd, aport = map(int, prog['accept'])
check('accept4: new fd and the peer address', [pick(e, 'fd', 'family', 'addr', 'port') for e in of('accept') if e.get('family') == 'tcp4'], [(afd, 'tcp4', '127.0.0.1', aport)])
cfd = int(nb[0])
check('client sends: write and sendto on a socket are send events to the peer',
      [pick(e, 'bytes', 'peer') for e in of('send', fd=cfd)], [(10, '127.0.0.1:%d' % port), (20, '127.0.0.1:%d' % port)])
check('server receives 30 bytes in total from the client port', (sum(e['bytes'] for e in of('recv', fd=afd)), {e['peer'] for e in of('recv', fd=afd)}),
      (int(prog['recvd'][0]), {'127.0.0.1:%d' % aport}))
check('read on a socket is a recv event', [e['bytes'] for e in of('recv', fd=cfd)], [int(prog['read_sock'][0])])
ufd, uport = map(int, prog['udp'])
check('udp sendto with an address: peer from the address', [pick(e, 'family', 'peer', 'bytes') for e in of('send', peer='127.0.0.1:%d' % uport)][:1], [('udp4', '127.0.0.1:%d' % uport, 7)])
check('recvfrom with an address: the sender', [pick(e, 'bytes', 'peer') for e in of('recv', fd=ufd)][:1], [(7, '127.0.0.1:%s' % prog['udp_recvfrom'][1])])
mm = [e for e in evs if e.get('type') in ('send', 'recv') and e.get('family') == 'udp4']
check('sendmmsg and recvmmsg: bytes are the sum of msg_len', [pick(e, 'type', 'bytes') for e in mm][2:], [('send', 7), ('recv', int(prog['recvmmsg'][1]))])
sock = N + '/s.sock'
check('unix path socket: bind, listen, connect with path', [(e['type'], e['family']) for e in evs if e.get('path') == sock],
      [('bind', 'unix'), ('listen', 'unix'), ('connect', 'unix')])
check('unix accept', [pick(e, 'fd', 'family') for e in of('accept', family='unix')], [(int(prog['unix_accept'][0]), 'unix')])
check('sendmsg on unix: bytes and peer path', [pick(e, 'bytes', 'peer') for e in of('send', family='unix') if e.get('peer') == sock], [(6, sock)])
rfd = int(prog['recvmsg'][1])
check('fd received with SCM_RIGHTS writes to passed.txt', [pick(e, 'path', 'bytes') for e in of('write', fd=rfd)], [(N + '/passed.txt', 8)])
ab = '@' + prog['abstract_bind'][1]
check('abstract unix socket as @name', [(e['type'], e.get('path') or e.get('peer')) for e in evs if ab in (e.get('path'), e.get('peer')) and e['type'] != 'conn'],
      [('bind', ab), ('connect', ab), ('send', ab)])
check('abstract unix is not noise', any(e.get('noise') for e in evs if ab in (e.get('path'), e.get('peer'))), False)
sp0, sp1 = int(prog['socketpair'][0]), int(prog['socketpair'][1])
check('socketpair: two unix socket events and a send', ([pick(e, 'fd', 'family') for e in of('socket') if e['fd'] in (sp0, sp1)], [e['bytes'] for e in of('send', fd=sp0)]),
      ([(sp0, 'unix'), (sp1, 'unix')], [3]))
check('loopback events are not noise', [e['type'] for e in evs if e.get('noise') and '127.0.0.1' in (e.get('addr'), str(e.get('peer'))[:9])], [])
# conn: one per connection, outcome resolved by what followed, bytes of the traced calls
def conn(**kw):
    return [pick(e, 'kind', 'outcome', 'peer', 'local', 'bytes_sent', 'bytes_received', 'err') for e in of('conn', **kw)]
check('conn of the non-blocking connect: connected (write succeeded), local = the port accept saw, 30 B out, 5 B in',
      conn(fd=cfd, peer='127.0.0.1:%d' % port), [('connect', 'connected', '127.0.0.1:%d' % port, '127.0.0.1:%d' % aport, 30, int(prog['read_sock'][0]), None)])
check('conn of the accepted socket: peer, local, bytes', conn(fd=afd, kind='accept'),
      [('accept', 'connected', '127.0.0.1:%d' % aport, '127.0.0.1:%d' % port, 5, int(prog['recvd'][0]), None)])
check('refused connects: conn failed with ECONNREFUSED', sorted((e['family'], e['outcome'], e['err'], e['peer']) for e in of('conn') if e.get('err')),
      [('tcp4', 'failed', 'ECONNREFUSED', '127.0.0.1:%d' % rport), ('tcp6', 'failed', 'ECONNREFUSED', '[::1]:%d' % rport)])
check('udp: the receiver\'s datagram peer with its 7 bytes', conn(fd=ufd, kind='datagram'),
      [('datagram', 'exchanged', '127.0.0.1:%s' % prog['udp_recvfrom'][1], '127.0.0.1:%d' % uport, 0, 7, None)])
check('udp: the sender\'s datagram peer (7 B) and its connected flow (sendmmsg)',
      sorted(pick(e, 'kind', 'outcome', 'peer', 'bytes_sent') for e in of('conn', family='udp4') if e['fd'] != ufd),
      [('connect', 'connected', '127.0.0.1:%d' % uport, 7), ('datagram', 'exchanged', '127.0.0.1:%d' % uport, 7)])
check('no conn event is noise', [e['peer'] for e in of('conn') if e.get('noise')], [])
PY
