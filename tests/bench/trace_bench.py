#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Tracing overhead: compendium against strace and against no tracing, in one run.

For each workload and mode, runs untraced, strace and compendium alternately
(so machine noise hits all three alike) and prints the median of pair-by-pair
ratios: traced / untraced wall time and compendium / strace. Pinned (everything
on CPU 0 with taskset) and unpinned. Also start-up time and µs per syscall.

Usage: trace_bench.py [--reps N] [--quick] [--only NAME]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

BUILD = os.environ.get('BUILD', 'build')
COMP = os.path.abspath(os.path.join(BUILD, 'compendium'))
PROGS = os.path.abspath(os.path.join(BUILD, 'progs'))

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

def workloads(tmp):
    proj = os.path.join(tmp, 'proj')
    make_project(proj)
    threads = os.path.join(PROGS, 'bench_threads')
    w = [
        ('dd', ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=200000'], None),
        ('find', ['find', '/usr/share', '-type', 'f'], None),
        ('tar', ['tar', 'cf', '/dev/null', '/usr/include'], None),
        ('fork', sh('i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done'), None),
        ('make', sh(f'make -s -C {proj} clean >/dev/null; make -s -j2 -C {proj} >/dev/null'), None),
    ]
    if os.access(threads, os.X_OK):
        w.append(('threads', [threads, '4', '20000'], None))
    return w

MODES = {
    'full': (['--no-filter', '-q'], ['-f', '-y']),
    'filtered': (['-q', '-e', 'trace=file,network,process'],
                 ['-f', '--seccomp-bpf', '-e', 'trace=%file,%network,%process']),
}

def run_timed(argv, pin):
    if pin:
        argv = ['taskset', '-c', '0'] + argv
    t0 = time.perf_counter()
    r = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t0
    return dt, r.returncode

def bench(name, cmd, mode, pin, reps):
    cargs, sargs = MODES[mode]
    comp = [COMP] + cargs + ['-o', '/dev/null', '--'] + cmd
    strace = ['strace'] + sargs + ['-o', '/dev/null', '--'] + cmd
    base_t, comp_t, strace_t = [], [], []
    for _ in range(reps):
        b, _ = run_timed(cmd, pin)
        c, rc = run_timed(comp, pin)
        if rc != 0:
            print(f'  {name}: compendium exited {rc}', file=sys.stderr)
        s, _ = run_timed(strace, pin)
        base_t.append(b); comp_t.append(c); strace_t.append(s)
    r_cb = statistics.median(c / b for c, b in zip(comp_t, base_t))
    r_sb = statistics.median(s / b for s, b in zip(strace_t, base_t))
    r_cs = statistics.median(c / s for c, s in zip(comp_t, strace_t))
    return statistics.median(base_t), r_cb, r_sb, r_cs

def startup(reps):
    ts = []
    for _ in range(reps):
        t, _ = run_timed([COMP, '-q', '-o', '/dev/null', '--', '/bin/true'], False)
        b, _ = run_timed(['/bin/true'], False)
        ts.append(t - b)
    return statistics.median(ts)

def per_syscall(reps, pin):
    n = 200000
    cmd = ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', f'count={n}']
    out = []
    for _ in range(reps):
        b, _ = run_timed(cmd, pin)
        c, _ = run_timed([COMP, '--no-filter', '-q', '-o', '/dev/null', '--'] + cmd, pin)
        out.append((c - b) / (2 * n) * 1e6)  # dd does a read and a write per byte
    return statistics.median(out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--only')
    ap.add_argument('--modes', default='full,filtered')
    ap.add_argument('--pins', default='pinned,unpinned')
    a = ap.parse_args()
    if not shutil.which('strace'):
        print('strace not installed: cannot compare', file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix='compendium-bench.')
    try:
        print(f'machine: {os.cpu_count()} CPUs, kernel {os.uname().release}; '
              f'median of {a.reps} alternating runs')
        print(f'{"workload":10} {"mode":9} {"cpu":9} {"untraced":>9} {"comp/base":>10} '
              f'{"strace/base":>12} {"comp/strace":>12}')
        worst = 0.0
        for name, cmd, _ in workloads(tmp):
            if a.only and a.only != name:
                continue
            for mode in a.modes.split(','):
                for pin in a.pins.split(','):
                    base, cb, sb, cs = bench(name, cmd, mode, pin == 'pinned', a.reps)
                    if pin == 'pinned':
                        worst = max(worst, cs)
                    print(f'{name:10} {mode:9} {pin:9} {base:8.3f}s {cb:9.2f}x {sb:11.2f}x {cs:11.2f}x',
                          flush=True)
        print(f'start-up (tracing /bin/true, minus untraced): {startup(a.reps * 2) * 1000:.1f} ms')
        print(f'per fully decoded syscall (dd, pinned): {per_syscall(3, True):.2f} µs (floor ~4.5 µs)')
        print(f'worst pinned compendium/strace ratio: {worst:.2f} (target <= 1.0)')
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0

if __name__ == '__main__':
    sys.exit(main())
