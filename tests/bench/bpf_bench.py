#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--engine bpf against --engine ptrace, strace -f and no tracing, in one run.

dd bs=1 count=200000 (400,000 syscalls) untraced, under compendium with each
engine (--no-filter --json /dev/null -q) and under strace -f -o /dev/null,
run alternately (machine noise hits all alike), pinned to one CPU with
taskset and unpinned; prints the median wall time of each and the ratios
(traced / untraced, compendium / strace). --engine bpf needs root and a
kernel with BTF: without them its rows say why.

Usage: bpf_bench.py [--reps N] [--count N]
"""
import argparse, os, shutil, statistics, subprocess, time

BUILD = os.environ.get('BUILD', 'build')
COMP = os.path.abspath(os.path.join(BUILD, 'compendium'))

def timed(cmd):
    t0 = time.monotonic()
    r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    return dt if r.returncode == 0 else None

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--reps', type=int, default=5)
    ap.add_argument('--count', type=int, default=200000)
    a = ap.parse_args()
    dd = ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=%d' % a.count]
    comp = [COMP, '-q', '--no-filter', '--json', '/dev/null', '-o', '/dev/null']
    runs = {
        'untraced': dd,
        'ptrace': comp + ['--'] + dd,
        'bpf': comp + ['--engine', 'bpf', '--'] + dd,
    }
    strace = shutil.which('strace')
    if strace:
        runs['strace -f'] = [strace, '-f', '-o', '/dev/null'] + dd
    probe = subprocess.run([COMP, '-q', '--engine', 'bpf', '--', 'true'], capture_output=True, text=True)
    bpf_why = None if probe.returncode == 0 else (probe.stderr.strip().splitlines() or ['?'])[-1]
    if bpf_why:
        del runs['bpf']
    print('dd bs=1 count=%d (%d syscalls), median of %d runs, wall seconds' % (a.count, 2 * a.count, a.reps))
    for pin in ('pinned', 'unpinned'):
        pre = ['taskset', '-c', '0'] if pin == 'pinned' else []
        times = {k: [] for k in runs}
        for _ in range(a.reps):
            for k, cmd in runs.items():
                t = timed(pre + cmd)
                if t is not None:
                    times[k].append(t)
        med = {k: statistics.median(v) for k, v in times.items() if v}
        base = med.get('untraced')
        st = med.get('strace -f')
        print('  %s:' % pin)
        for k in ('untraced', 'ptrace', 'bpf', 'strace -f'):
            if k == 'bpf' and bpf_why:
                print('    %-10s not run: %s' % (k, bpf_why))
                continue
            if k not in med:
                print('    %-10s not run' % k)
                continue
            line = '    %-10s %8.3f s' % (k, med[k])
            if base and k != 'untraced':
                line += '   %7.1fx untraced' % (med[k] / base)
            if st and k in ('ptrace', 'bpf'):
                line += '   %6.3f of strace -f' % (med[k] / st)
            print(line)

if __name__ == '__main__':
    main()
