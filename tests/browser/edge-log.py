# SPDX-License-Identifier: MIT
# A --json log for the timeline's left edge (report-test.js lodedge): one
# busy lane, a 1 us read every 5 us for 0.3 s, with a gap of 0.56 ms that
# starts 64 us (half a pixel at a 1,400 px window) before where the first
# '+' puts the view's start (a quarter of the range). That read starts less
# than a pixel before the view and is drawn at its first column by the bins;
# event by event it must be too (a short span before t0 was dropped there,
# a point was not: a report-browser run at load showed the difference).
# Usage: python3 edge-log.py OUT.jsonl
import sys

with open(sys.argv[1], "w") as out:
    out.write('{"type":"header","version":1,"argv":["edge"],"start":"2026-01-01T00:00:00Z","host":"h",'
              '"kernel":"k","compendium":"0.1.0","mode":"trace"}\n')
    n = 0
    for i in range(60000):
        us = i * 5
        if 74935 < us < 75500:
            continue
        out.write('{"t":%.6f,"pid":100,"tid":100,"type":"read","cat":"io","fd":3,"bytes":1,"dur":0.000001}\n' % (us / 1e6))
        n += 1
    out.write('{"type":"end","duration":0.3,"status":0,"exit":{"code":0},"events":%d,"interrupted":false}\n' % n)
