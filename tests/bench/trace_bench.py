#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tracing overhead: compendium against strace and against no tracing, in one run.

For each workload and mode, runs untraced, strace and compendium alternately
(so machine noise hits all three alike) and prints medians of pair-by-pair
ratios of wall time (traced / untraced, compendium / strace) and of CPU time
(user+sys of the whole tree, from RUSAGE_CHILDREN: steadier than wall time
when the machine is busy). Pinned (everything on CPU 0 with taskset) and
unpinned; unpinned rows add compendium --same-cpu. Also: start-up time,
microseconds per fully decoded syscall against the floor (a minimal
tracer, ptrace_floor.c, timed on the same machine), memory
per event, and the cost of a ptrace stop with tracer and tracee on the same
CPU or on two.

Modes: full = compendium --no-filter against strace -f -y; filtered =
compendium -e trace=file,network,process against strace -f --seccomp-bpf -e
trace=%file,%network,%process; json = full plus --json /dev/null (the
equivalent of strace's full output). Output -o /dev/null for both: for
compendium that is the narrative, formatted as on a terminal.

With --stops, also the number of times each workload's tracee stopped
under compendium and under strace, per mode (pinned, one run each): the
voluntary context switches of the traced tree as counted by
tests/progs/pe_rusage (every ptrace stop is one; untraced they are ~0).

Usage: trace_bench.py [--reps N] [--only NAME] [--modes full,filtered,json]
                      [--pins pinned,unpinned] [--no-extras] [--stops]
"""
import argparse, os, resource, shutil, statistics, subprocess, sys, tempfile, time

BUILD = os.environ.get('BUILD', 'build')
COMP = os.path.abspath(os.path.join(BUILD, 'compendium'))
PROGS = os.path.abspath(os.path.join(BUILD, 'progs'))
FLOOR_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'ptrace_floor.c')

def sh(cmd):
    return ['sh', '-c', cmd]

def make_project(d):
    os.makedirs(d, exist_ok=True)
    for i in range(8):
        with open(os.path.join(d, f'm{i}.c'), 'w') as f:
            f.write(f'#include <stdio.h>\n#include <string.h>\nint f{i}(int x) {{ return x * {i} + (int)strlen("x"); }}\n')
    with open(os.path.join(d, 'main.c'), 'w') as f:
        f.write('#include <stdio.h>\n' + ''.join(f'int f{i}(int);\n' for i in range(8)) +
                'int main(void) { int s = 0;' + ''.join(f' s += f{i}(s);' for i in range(8)) +
                ' printf("%d\\n", s); return 0; }\n')
    objs = ' '.join(f'm{i}.o' for i in range(8)) + ' main.o'
    with open(os.path.join(d, 'Makefile'), 'w') as f:
        f.write(f'all: prog\nprog: {objs}\n\tcc -o $@ {objs}\n%.o: %.c\n\tcc -O1 -c $<\nclean:\n\trm -f *.o prog\n')

def dd(n):
    return ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', f'count={n}']

def workloads(tmp):
    proj = os.path.join(tmp, 'proj')
    make_project(proj)
    threads = os.path.join(PROGS, 'bench_threads')
    w = [
        ('dd', dd(200000)),
        ('find', ['find', '/usr/share', '-type', 'f']),
        ('tar', ['tar', 'cf', '/dev/null', '/usr/include']),
        ('fork', sh('i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done')),
        ('make', sh(f'make -s -C {proj} clean >/dev/null; make -s -j2 -C {proj} >/dev/null')),
    ]
    if os.access(threads, os.X_OK):
        w.append(('threads', [threads, '4', '20000']))
    return w

MODES = {
    'full': (['--no-filter'], ['-f', '-y']),
    'filtered': (['-e', 'trace=file,network,process'],
                 ['-f', '--seccomp-bpf', '-e', 'trace=%file,%network,%process']),
    'json': (['--no-filter', '--json', '/dev/null'], ['-f', '-y']),
}

def run_timed(argv, pin):
    """Wall seconds, CPU seconds of the whole tree, exit status, max RSS (KiB)."""
    if pin:
        argv = ['taskset', '-c', '0'] + argv
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_utime + ru.ru_stime, p.returncode, ru.ru_maxrss

def med_ratio(a, b):
    return statistics.median(x / y for x, y in zip(a, b) if y > 0)

def bench(name, cmd, mode, pin, reps):
    cargs, sargs = MODES[mode]
    comp = [COMP] + cargs + ['-o', '/dev/null', '--'] + cmd
    same = [COMP, '--same-cpu'] + cargs + ['-o', '/dev/null', '--'] + cmd
    strace = ['strace'] + sargs + ['-o', '/dev/null', '--'] + cmd
    r = {k: ([], []) for k in ('base', 'comp', 'strace', 'same')}
    for _ in range(reps):
        runs = [('base', cmd), ('comp', comp), ('strace', strace)]
        if not pin:
            runs.append(('same', same))
        for key, argv in runs:
            w, c, rc, _ = run_timed(argv, pin)
            if rc != 0 and key in ('comp', 'same'):
                print(f'  {name}: compendium exited {rc}', file=sys.stderr)
            r[key][0].append(w)
            r[key][1].append(c)
    out = {
        'base': statistics.median(r['base'][0]),
        'cb': med_ratio(r['comp'][0], r['base'][0]),
        'sb': med_ratio(r['strace'][0], r['base'][0]),
        'cs': med_ratio(r['comp'][0], r['strace'][0]),
        'cs_cpu': med_ratio(r['comp'][1], r['strace'][1]),
    }
    if not pin:
        out['xb'] = med_ratio(r['same'][0], r['base'][0])
        out['xs'] = med_ratio(r['same'][0], r['strace'][0])
    return out

def stops(name, cmd, mode):
    """Voluntary switches of the traced tree (= ptrace stops) under compendium and strace, or None."""
    rus = os.path.join(PROGS, 'pe_rusage')
    if not os.access(rus, os.X_OK):
        return None
    cargs, sargs = MODES[mode]
    out = {}
    for key, pre in (('base', []), ('comp', [COMP] + cargs + ['-o', '/dev/null', '--']),
                     ('strace', ['strace'] + sargs + ['-o', '/dev/null', '--'])):
        p = subprocess.run(['taskset', '-c', '0'] + pre + [rus] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, errors='replace')
        n = [l.split()[1] for l in p.stderr.splitlines() if l.startswith('nvcsw ')]
        out[key] = int(n[-1]) if n else -1
    return out

def startup(reps):
    c, s = [], []
    for _ in range(reps):
        t, _, _, _ = run_timed([COMP, '-q', '-o', '/dev/null', '--', '/bin/true'], False)
        b, _, _, _ = run_timed(['/bin/true'], False)
        st, _, _, _ = run_timed(['strace', '-f', '-o', '/dev/null', '--', '/bin/true'], False)
        c.append(t - b)
        s.append(st - b)
    return statistics.median(c), statistics.median(s)

def build_floor():
    """The minimal tracer (two stops and one GET_SYSCALL_INFO per syscall), or None."""
    out = os.path.abspath(os.path.join(BUILD, 'bench', 'ptrace_floor'))
    os.makedirs(os.path.dirname(out), exist_ok=True)
    r = subprocess.run(['cc', '-O2', '-o', out, FLOOR_SRC], stderr=subprocess.DEVNULL)
    return out if r.returncode == 0 else None

def per_syscall(reps, n=200000):
    """us per syscall (dd does a read and a write per byte), pinned."""
    out = {'comp': [], 'json': [], 'strace': [], 'comp_cpu': [], 'floor': []}
    cmd = dd(n)
    floor = build_floor()
    for _ in range(reps):
        b, bc, _, _ = run_timed(cmd, True)
        if floor:
            f, _, _, _ = run_timed([floor] + cmd, True)
            out['floor'].append((f - b) / (2 * n) * 1e6)
        c, cc, _, _ = run_timed([COMP, '--no-filter', '-o', '/dev/null', '--'] + cmd, True)
        j, _, _, _ = run_timed([COMP, '--no-filter', '--json', '/dev/null', '-o', '/dev/null', '--'] + cmd, True)
        s, _, _, _ = run_timed(['strace', '-f', '-y', '-o', '/dev/null', '--'] + cmd, True)
        out['comp'].append((c - b) / (2 * n) * 1e6)
        out['comp_cpu'].append((cc - bc) / (2 * n) * 1e6)
        out['json'].append((j - b) / (2 * n) * 1e6)
        out['strace'].append((s - b) / (2 * n) * 1e6)
    return {k: statistics.median(v) if v else float('nan') for k, v in out.items()}

def memory_per_event(reps):
    """Growth of compendium's max RSS per event between a small and a big dd."""
    small, big = 1000, 200000
    vals = []
    for _ in range(reps):
        _, _, _, r0 = run_timed([COMP, '--no-filter', '-q', '--'] + dd(small), False)
        _, _, _, r1 = run_timed([COMP, '--no-filter', '-q', '--'] + dd(big), False)
        vals.append((r1 - r0) * 1024 / (2 * (big - small)))
    return statistics.median(vals)

def stop_cost(reps):
    """A stop ping-pong: dd bs=1 count=20000 --no-filter, tracer and tracee on one CPU or two."""
    n = 20000
    cmd = dd(n)
    same, cross = [], []
    for _ in range(reps):
        # one CPU: all on CPU 0; two: compendium on CPU 0, the command on CPU 1
        s, _, _, _ = run_timed([COMP, '--no-filter', '-q', '--'] + cmd, True)
        x, _, _, _ = run_timed(['taskset', '-c', '0', COMP, '--no-filter', '-q', '--',
                                'taskset', '-c', '1'] + cmd, False)
        same.append(s / (4 * n) * 1e6)
        cross.append(x / (4 * n) * 1e6)
    return statistics.median(same), statistics.median(cross)

def same_cpu_bound(reps, n=20000):
    """Unpinned dd: default strace against compendium --same-cpu, and the
    best ratio any ptrace tracer could reach (the pinned floor's cost per
    syscall over strace's); us per syscall, medians."""
    out = {'strace': [], 'same': [], 'floor': []}
    cmd = dd(n)
    floor = build_floor()
    for _ in range(reps):
        b, _, _, _ = run_timed(cmd, False)
        s, _, _, _ = run_timed(['strace', '-f', '-y', '-o', '/dev/null', '--'] + cmd, False)
        c, _, _, _ = run_timed([COMP, '--same-cpu', '--no-filter', '-o', '/dev/null', '--'] + cmd, False)
        out['strace'].append((s - b) / (2 * n) * 1e6)
        out['same'].append((c - b) / (2 * n) * 1e6)
        if floor:
            pb, _, _, _ = run_timed(cmd, True)
            f, _, _, _ = run_timed([floor] + cmd, True)
            out['floor'].append((f - pb) / (2 * n) * 1e6)
    return {k: statistics.median(v) if v else float('nan') for k, v in out.items()}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--only')
    ap.add_argument('--modes', default='full,filtered,json')
    ap.add_argument('--pins', default='pinned,unpinned')
    ap.add_argument('--no-extras', action='store_true', help='workload table only')
    ap.add_argument('--stops', action='store_true', help='also count the tracee\'s stops per workload')
    a = ap.parse_args()
    if not shutil.which('strace'):
        print('strace not installed: cannot compare', file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix='compendium-bench.')
    try:
        load = os.getloadavg()[0]
        print(f'machine: {os.cpu_count()} CPUs, kernel {os.uname().release}, load {load:.1f}; '
              f'medians of {a.reps} alternating runs')
        print('ratios of wall time unless "cpu" (user+sys of the whole traced tree); '
              '"same" = compendium --same-cpu')
        print(f'{"workload":9} {"mode":8} {"cpu":8} {"untraced":>9} {"comp/base":>9} {"strace/base":>11} '
              f'{"comp/strace":>11} {"cpu c/s":>8} {"same/base":>9} {"same/strace":>11}')
        worst = (0.0, '')
        for name, cmd in workloads(tmp):
            if a.only and a.only != name:
                continue
            for mode in a.modes.split(','):
                pins = a.pins.split(',')
                if mode == 'json':
                    pins = [p for p in pins if p == 'pinned']
                for pin in pins:
                    r = bench(name, cmd, mode, pin == 'pinned', a.reps)
                    if pin == 'pinned' and r['cs'] > worst[0]:
                        worst = (r['cs'], f'{name} {mode}')
                    extra = f' {r["xb"]:8.2f}x {r["xs"]:10.2f}x' if 'xb' in r else ''
                    print(f'{name:9} {mode:8} {pin:8} {r["base"]:8.3f}s {r["cb"]:8.2f}x {r["sb"]:10.2f}x '
                          f'{r["cs"]:10.2f}x {r["cs_cpu"]:7.2f}x{extra}', flush=True)
        print(f'worst pinned compendium/strace wall ratio: {worst[0]:.2f} ({worst[1]}; target <= 1.0)')
        if a.stops:
            print('stops of the traced tree (voluntary context switches, tests/progs/pe_rusage; pinned, one run):')
            print(f'{"workload":9} {"mode":8} {"compendium":>10} {"strace":>10} {"untraced":>9}')
            for name, cmd in workloads(tmp):
                if a.only and a.only != name:
                    continue
                for mode in a.modes.split(','):
                    st = stops(name, cmd, mode)
                    if st is None:
                        print(f'  no {PROGS}/pe_rusage: make BUILD={BUILD} {BUILD}/progs/pe_rusage')
                        break
                    print(f'{name:9} {mode:8} {st["comp"]:10} {st["strace"]:10} {st["base"]:9}', flush=True)
        if a.no_extras:
            return 0
        c, s = startup(max(a.reps * 2, 10))
        print(f'start-up (tracing /bin/true, minus untraced): {c * 1000:.1f} ms (strace {s * 1000:.1f} ms; target <= 10 ms)')
        p = per_syscall(3)
        print(f'per fully decoded syscall (dd bs=1, pinned, -o /dev/null): {p["comp"]:.2f} us wall, '
              f'{p["comp_cpu"]:.2f} us CPU; with --json /dev/null {p["json"]:.2f} us; '
              f'strace -f -y {p["strace"]:.2f} us; the floor (ptrace_floor.c: two stops and one '
              f'GET_SYSCALL_INFO) {p["floor"]:.2f} us')
        print(f'memory per event (max RSS growth over 398,000 read/write events): {memory_per_event(3):.0f} bytes')
        if (os.cpu_count() or 1) >= 2:
            same, cross = stop_cost(3)
            print(f'one ptrace stop (wall / 4 stops per dd byte): {same:.2f} us on one CPU, '
                  f'{cross:.2f} us with tracer and tracee on two CPUs')
            sb = same_cpu_bound(3)
            print(f'unpinned dd, per syscall: strace -f -y {sb["strace"]:.1f} us, compendium --same-cpu '
                  f'{sb["same"]:.1f} us: {sb["same"] / sb["strace"]:.3f} of strace (issue 8 asks <= 0.10); '
                  f'the pinned floor {sb["floor"]:.1f} us: no ptrace tracer can go below '
                  f'{sb["floor"] / sb["strace"]:.3f} of strace here today')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0

if __name__ == '__main__':
    sys.exit(main())
