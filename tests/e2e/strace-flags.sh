#!/bin/sh
# SPDX-License-Identifier: MIT
# strace's output flags, run against strace 6 on the same program
# (tests/progs/fmt_flags.c: a thread, a child exiting 3, a write of binary
# bytes, a 0.2 s nanosleep, a loopback TCP connection): -f/-F accepted;
# -ff -o FILE gives the same set of FILE.TID files as strace -ff (one per
# thread), 0600, no pid column; -t/-tt/-ttt stamps in the run's window and
# in strace's shape, -r deltas adding up to the span; -T durations of the
# nanosleep equal to strace's within tolerance; -x/-xx strings equal to
# strace's; -yy socket endpoints and device numbers in strace's shape.
. "$TOP/tests/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	skip "strace is not installed"
	exit 0
fi
PROG=$P/fmt_flags

# --- -f and -F are accepted no-ops; -ff without -o is -f
for f in -f -F -ff; do
	cmp -q $f -o "$T/f.txt" -- true
	expect "$f is accepted" "$?" 0
done
cmp -ff -o "$T/plain.txt" -- true
expect "-ff -o with one process exits 0" "$?" 0

# --- -ff -o FILE: one file per thread, named by its tid, like strace -ff
mkdir "$T/c" "$T/s"
cmp -ff -o "$T/c/n" --json "$T/ff.jsonl" -- "$PROG" 2>"$T/ff.err"
expect "fmt_flags under -ff exits 0" "$?" 0
strace -ff -o "$T/s/n" -- "$PROG"
nc=$(count_names "$T/c" '^n\.[0-9]*$')
ns=$(count_names "$T/s" '^n\.[0-9]*$')
expect "-ff writes as many FILE.TID files as strace -ff (main, thread, child)" "$nc" "$ns"
expect "-ff: three files" "$nc" 3
want=$(jl "$T/ff.jsonl" "' '.join(sorted([str(hdr['root_pid'])] + [str(e['child']) for e in of('spawn')]))" 2>/dev/null ||
	jl "$T/ff.jsonl" "' '.join(sorted([str(of('exec')[0]['pid'])] + [str(e['child']) for e in of('spawn')]))")
got=$(cd "$T/c" && ls | sed 's/^n\.//' | sort | tr '\n' ' ' | sed 's/ $//')
expect "-ff file names are the root pid, the thread's tid and the child's pid" "$got" "$want"
if [ -e "$T/c/n" ]; then fail "-ff does not create FILE itself (as strace)"; else ok "-ff does not create FILE itself (as strace)"; fi
bad=$(find "$T/c" -type f ! -perm 0600 | wc -l)
expect "-ff files are created 0600" "$bad" 0
n=$(cat "$T/c"/n.* | grep -cvE '^\[\+[0-9]+\.[0-9]{6}s\] [^0-9]')
expect "-ff lines carry no pid column" "$n" 0
n=$(grep -l 'thread exit 0' "$T/c"/n.* | wc -l)
expect "the thread's exit is in a file of its own" "$n" 1
n=$(grep -l '^\[.*\] exit 3$' "$T/c"/n.* | wc -l)
expect "the child's exit 3 is in its own file" "$n" 1
n=$(grep -c 'FINAL' "$T/ff.err")
expect "with -ff -o the summary goes to stderr" "$n" 1

# --- -tt / -ttt / -t: wall clock, within the run's window, strace's shapes
t0=$(date +%s.%N)
cmp -v -tt -o "$T/tt.txt" -- "$PROG"
cmp -v -ttt -o "$T/ttt.txt" -- "$PROG"
cmp -v -t -o "$T/t.txt" -- "$PROG"
t1=$(date +%s.%N)
strace -f -tt -o "$T/tt.strace" -- "$PROG"
strace -f -ttt -o "$T/ttt.strace" -- "$PROG"
strace -f -t -o "$T/t.strace" -- "$PROG"
python3 - "$T" "$t0" "$t1" <<'PY'
import re, sys
T, t0, t1 = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
def res(name, good):
    print(("ok - " if good else "not ok - ") + name)
def calls(path):  # the stamped lines (the summary after the narrative has none)
    return [l for l in open(path, errors='replace') if l[:1].isdigit() or l.startswith(' ')]
# strace -f -o FILE prefixes "PID "; compendium's pid column appears once there are two
shapes = {'tt': r'^(\d+(/\d+)? +)?\d\d:\d\d:\d\d\.\d{6} ', 'ttt': r'^(\d+(/\d+)? +)?\d{10}\.\d{6} ', 't': r'^(\d+(/\d+)? +)?\d\d:\d\d:\d\d [^.]'}
for k, rx in shapes.items():
    c = [l for l in calls(f'{T}/{k}.txt') if re.match(r'^\d', l)]
    s = calls(f'{T}/{k}.strace')
    res(f'-{k}: every narrative line has strace\'s stamp shape', c and all(re.match(rx, l) for l in c))
    res(f'-{k}: strace\'s lines have the same shape', s and all(re.match(rx, l) for l in s))
ttt = [float(re.match(r'^(?:\d+ +)?(\d+\.\d+) ', l).group(1)) for l in calls(f'{T}/ttt.txt') if re.match(r'^(\d+ +)?\d{10}\.', l)]
res('-ttt stamps lie within the run', ttt and min(ttt) >= t0 - 0.001 and max(ttt) <= t1)
# one thread at a time in the main process: its -v lines are in time order
main = [l for l in calls(f'{T}/ttt.txt') if re.match(r'^\d{10}\.\d{6} \w+\(', l)]
st = [float(l.split()[0]) for l in main]
res('-ttt: the main thread\'s -v lines are monotonic', len(st) > 10 and st == sorted(st))
PY

# --- -r: strace's relative stamps; the deltas add up to the run's span
cmp -v -r -o "$T/r.txt" -- "$PROG"
cmp -v -r -tt -o "$T/rtt.txt" -- "$PROG"
strace -r -o "$T/r.strace" -- "$PROG"
strace -r -tt -o "$T/rtt.strace" -- "$PROG"
cmp -v -ttt -o "$T/span.txt" -- "$PROG"
python3 - "$T" <<'PY'
import re, sys
T = sys.argv[1]
def res(name, good):
    print(("ok - " if good else "not ok - ") + name)
rx = r'^(\d+ +)? +\d+\.\d{6} \S'
c = [l for l in open(f'{T}/r.txt') if re.match(rx, l)]
s = [l for l in open(f'{T}/r.strace') if re.match(rx, l)]
res('-r: lines have strace\'s relative stamp', len(c) > 10 and len(s) > 10)
res('-r: the first line is 0.000000, as strace', c[0].split()[0] == '0.000000' and s[0].split()[0] == '0.000000')
d = [float(re.match(r'^(?:\d+ +)? +(\d+\.\d{6}) ', l).group(1)) for l in c]
res('-r: the deltas add up to at least the 0.2 s sleep and at most 5 s', 0.2 <= sum(d) <= 5)
rx2 = r'^(\d+ +)?\d\d:\d\d:\d\d\.\d{6} \(\+ +\d+\.\d{6}\) \S'
res('-r -tt: "HH:MM:SS.uuuuuu (+     0.000123) " as strace', all(re.match(rx2, l) for l in open(f'{T}/rtt.txt') if re.match(r'^\d', l) and ':' in l[:12])
    and all(re.match(rx2, l) for l in open(f'{T}/rtt.strace') if re.match(r'^\d', l)))
PY

# --- -T: the nanosleep's time, in -v lines and as strace -T
cmp -v -T -e trace=nanosleep,clock_nanosleep -o "$T/T.txt" -- "$PROG"
strace -f -T -e trace=nanosleep,clock_nanosleep -o "$T/T.strace" -- "$PROG"
python3 - "$T" <<'PY'
import re, sys
T = sys.argv[1]
def res(name, good):
    print(("ok - " if good else "not ok - ") + name)
def dur(path):
    for l in open(path):
        m = re.search(r'nanosleep\(.*\) = 0 <(\d+\.\d{6})>$', l)
        if m:
            return float(m.group(1))
c, s = dur(f'{T}/T.txt'), dur(f'{T}/T.strace')
res(f'-T: the nanosleep took about 0.2 s under compendium ({c}) and strace ({s})',
    c is not None and s is not None and 0.199 <= c <= 0.4 and 0.199 <= s <= 0.4 and abs(c - s) < 0.1)
PY
cmp -T -o "$T/Tn.txt" -- cat /etc/hostname >/dev/null
n=$(grep -cE '] (open /etc/hostname \(read\)|read /etc/hostname .*) <[0-9]+\.[0-9]{6}>$' "$T/Tn.txt")
expect "-T: narrative open and read lines end with the time in the call" "$n" 2

# --- -x / -xx: the binary write as strace shows it
for x in -x -xx; do
	cmp -v $x -e trace=write -o "$T/x.txt" -- "$PROG"
	strace -f $x -e trace=write -o "$T/x.strace" -- "$PROG"
	c=$(sed -n 's/.*write([^,]*, \(".*"\), 12) = 12.*/\1/p' "$T/x.txt")
	s=$(sed -n 's/.*write([^,]*, \(".*"\), 12) = 12.*/\1/p' "$T/x.strace")
	expect "$x: the string of a binary write equals strace's" "$c" "$s"
done
cmp -v -x -e trace=openat -o "$T/xo.txt" -- "$PROG"
n=$(grep -c 'openat(AT_FDCWD, "/dev/null", O_WRONLY)' "$T/xo.txt")
expect "-x: a printable ASCII path stays as it is" "$n" 1

# --- -yy: socket endpoints and device numbers, in strace's shape
cmp -v -yy -e trace=write,sendto,recvfrom,accept,accept4 -o "$T/yy.txt" -- "$PROG"
strace -f -yy -e trace=write,sendto,recvfrom,accept,accept4 -o "$T/yy.strace" -- "$PROG"
python3 - "$T" <<'PY'
import re, sys
T = sys.argv[1]
def res(name, good):
    print(("ok - " if good else "not ok - ") + name)
def grab(path):
    t = open(path).read()
    dev = re.search(r'write\(\d+(</dev/null<char \d+:\d+>>)', t)
    send = re.search(r'sendto\(\d+<TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:(\d+)\]>, "hi"', t)
    recv = re.search(r'recvfrom\(\d+<TCP:\[127\.0\.0\.1:(\d+)->127\.0\.0\.1:(\d+)\]>, "hi"', t)
    return dev and dev.group(1), send and send.groups(), recv and recv.groups()
c, s = grab(f'{T}/yy.txt'), grab(f'{T}/yy.strace')
res(f'-yy: /dev/null is {c[0]} as strace ({s[0]})', c[0] is not None and c[0] == s[0])
res('-yy: the sender is TCP:[local->peer] as strace', c[1] is not None and s[1] is not None)
res('-yy: the receiver\'s ends are the sender\'s reversed', c[1] and c[2] and c[1] == tuple(reversed(c[2])))
PY

# --- bad -ff -o directory: one line, before the command starts
cmp -ff -o "$T/nodir/n" -- true 2>"$T/nodir.err"
expect "-ff -o in a missing directory fails" "$?" 1
n=$(grep -c 'is not a directory' "$T/nodir.err")
expect "-ff -o in a missing directory says so" "$n" 1
