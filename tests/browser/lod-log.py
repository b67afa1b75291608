# SPDX-License-Identifier: MIT
# A --json log for the timeline's level-of-detail check (report-test.js lod):
# ~72,000 events of three processes (one with a thread) in six dense bursts
# with gaps between them, isolated events anywhere, a few 0.4 s spans and
# exec/exit markers. Usage: python3 lod-log.py OUT.jsonl
import random
import sys

random.seed(7)
evs = []
procs = [(100, 100), (100, 101), (200, 200), (300, 300)]
kinds = [("read", "io"), ("write", "io"), ("openat", "file"), ("mmap", "memory"), ("close", "desc")]
for pid in (100, 200, 300):
    evs.append((pid * 1e-6, pid, pid, '"type":"exec","cat":"process","path":"/bin/x"'))
for burst in range(6):
    t0 = burst * 1.3 + random.random() * 0.2
    for i in range(12000):
        pid, tid = random.choice(procs[:3])
        ty, cat = random.choice(kinds)
        dur = random.choice([0, 0, 1e-6, 5e-6, random.random() * 0.02 if random.random() < 0.01 else 0])
        evs.append((t0 + i * 2e-6 + random.random() * 1e-6, pid, tid,
                    '"type":"%s","cat":"%s","fd":3,"bytes":10,"dur":%.9f' % (ty, cat, dur)))
for i in range(300):
    pid, tid = random.choice(procs)
    evs.append((random.random() * 8, pid, tid, '"type":"read","cat":"io","fd":4,"bytes":1,"dur":0.000001'))
for i in range(10):
    evs.append((random.random() * 7, 200, 200, '"type":"write","cat":"io","fd":5,"bytes":1,"dur":0.4'))
for pid in (100, 200, 300):
    evs.append((8.0 + pid / 1000, pid, pid, '"type":"exit","cat":"process","code":0'))
evs.sort()
with open(sys.argv[1], "w") as out:
    out.write('{"type":"header","version":1,"argv":["lod"],"start":"2026-01-01T00:00:00Z","host":"h",'
              '"kernel":"k","compendium":"0.1.0","mode":"trace"}\n')
    for t, pid, tid, rest in evs:
        out.write('{"t":%.9f,"pid":%d,"tid":%d,%s}\n' % (t, pid, tid, rest))
    out.write('{"type":"end","duration":8.4,"status":0,"exit":{"code":0},"events":%d,"interrupted":false}\n' % len(evs))
