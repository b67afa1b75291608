// SPDX-License-Identifier: MIT
// compendium report script: level of detail for the timeline. Per busy lane
// a grid of time bins over the whole trace and its coarser levels, built in
// slices after the first frame, so a zoomed-out redraw of a million events
// reads bins instead of events.
// ---- level of detail ----------------------------------------------------------
// For the lanes with many events, per lane a fixed grid of time bins over the
// whole trace, each holding 1 + the type of the first event that starts in it
// or of the span that covers it; coarser levels halve it (the first non-empty
// bin wins). A zoomed-out view draws these lanes from the bins, at a level
// with at least 4 bins per pixel column, so every column with an event shows
// a mark and a span over several columns stays a span; exec, exit, crash and
// trigger markers, search ticks and the other lanes stay exact.
const LOD_BINS = 1 << 17, LOD_LANE_MIN = 2048, LOD_ROWS_MIN = 20000;
// The bins are filled by a job over the rows, in slices when built after the
// first frame (a cold pass over 1M rows takes 100 ms and more here, too long
// to keep input waiting), at once when a draw needs them.
function lodJob() {
  const { laneOf } = trace;
  const nl = trace.lanes.length, nT = trace.M.types.length, R = view.rows, n = R.length;
  let cnt = trace.laneCount;
  if (R !== trace.ident) { cnt = new Uint32Array(nl); for (let r = 0; r < n; r++) cnt[laneOf[R[r]]]++; }
  let busy = 0;
  for (let l = 0; l < nl; l++) if (cnt[l] >= LOD_LANE_MIN) busy++;
  if (!busy || nT >= 65535 || !(trace.tMax > trace.tMin)) return { R, busy: 0, r: n };
  // at most 2^23 bins in all; fewer per lane when many lanes are busy
  let B = LOD_BINS;
  while (B > 4096 && B * busy > (1 << 23)) B >>= 1;
  const K = nT < 255 ? Uint8Array : Uint16Array;
  const bins = new Array(nl).fill(null);
  for (let l = 0; l < nl; l++) if (cnt[l] >= LOD_LANE_MIN) bins[l] = new K(B);
  return { R, busy, B, bins, inv: B / (trace.tMax - trace.tMin), covTo: new Int32Array(nl), small: new Uint32Array(n), ns: 0, markRows: [], r: 0 };
}
// Rows [job.r, end) into the bins (or the list drawn event by event).
function lodRun(job, end) {
  const { laneOf, TYPE, T, DUR, durX, tMin } = trace;
  const R = job.R, B = job.B, g0 = job.bins, inv = job.inv, covTo = job.covTo, small = job.small, mk = markTypes();
  let ns = job.ns;
  if (end > R.length) end = R.length;
  for (let r = job.r; r < end; r++) {
    const i = R[r], l = laneOf[i], g = g0[l];
    if (!g) { small[ns++] = r; continue; }
    const ty = TYPE[i], v = ty + 1;
    if (mk[ty]) job.markRows.push(r);
    let b0 = ((T[i] - tMin) * inv) | 0;
    if (b0 >= B) b0 = B - 1;
    if (!g[b0]) g[b0] = v;
    let d = DUR[i];
    if (!d) continue;
    if (d === ESC32) d = durX.get(i);
    let e = ((T[i] + d - tMin) * inv) | 0;
    if (e >= B) e = B - 1;
    let b = b0 + 1;
    if (b < covTo[l]) b = covTo[l];
    for (; b <= e; b++) g[b] = v;
    if (e + 1 > covTo[l]) covTo[l] = e + 1;
  }
  job.ns = ns;
  job.r = end;
}
function lodDone(job) {
  if (!job.busy) return { busy: 0 };
  return { busy: job.busy, B: job.B, bw: (trace.tMax - trace.tMin) / job.B, levels: job.bins.map((g) => g && [g]),
    small: job.small.slice(0, job.ns), markRows: Uint32Array.from(job.markRows) };
}
function buildLod() {
  const job = lodJob();
  lodRun(job, job.R.length);
  return lodDone(job);
}
function lodLevel(L, l, j) {
  const lv = L.levels[l];
  while (lv.length <= j) {
    const a = lv[lv.length - 1], h = a.length >> 1, o = new a.constructor(h);
    for (let b = 0; b < h; b++) o[b] = a[2 * b] || a[2 * b + 1];
    lv.push(o);
  }
  return lv[j];
}
// After the first frame: the bins in slices of rows, then their coarser
// levels (which a zoom would otherwise build when it needs them), one task
// each; then done(). Until the bins are there, views are drawn event by
// event; a filter change meanwhile drops the job (the next draw builds the
// bins for the new rows at once).
const LOD_SLICE = 1 << 18;
function prepareLod(done) {
  const job = lodJob();
  const guard = (f) => () => { try { f(); } catch (e) { view.lodLater = false; failed(e); done(); } };
  const slice = guard(() => {
    if (view.rows !== job.R || view.lod) { view.lodLater = false; done(); return; }
    lodRun(job, job.r + LOD_SLICE);
    if (job.r < job.R.length) { setTimeout(slice, 0); return; }
    view.lod = lodDone(job);
    view.lodLater = false;
    setTimeout(guard(() => {
      if (view.lod && view.lod.busy) view.lod.levels.forEach((lv, l) => { if (lv) for (let j = 1; (view.lod.B >> j) >= 1024; j++) lodLevel(view.lod, l, j); });
      done();
    }), 0);
  });
  slice();
}
// The level to draw [t0, t1) at k px/ns from, or null for the exact path.
function lodFor(t0, t1, k) {
  if (st.exact || rowAt(t1 + 1) - rowAt(t0) < LOD_ROWS_MIN) return null;
  if (!view.lod && view.lodLater) return null;
  if (!view.lod) view.lod = buildLod();
  if (!view.lod.busy) return null;
  const want = 1 / (4 * k); // the widest bin that keeps 4 bins per pixel
  if (view.lod.bw > want) return null;
  let j = 0;
  while (view.lod.bw * 2 ** (j + 1) <= want && (view.lod.B >> (j + 1)) >= 1024) j++;
  return { lod: view.lod, level: j };
}
function drawLod(L, j, t0, k, Wi, laneY, occ) {
  const { lanes, tMin } = trace;
  const bw = L.bw * 2 ** j, nb = L.B >> j, step = bw * k;
  // from a pixel before t0: a point mark is a pixel wide, as event by event
  const bA = Math.max(0, Math.floor((t0 - 1 / k - tMin) / bw));
  for (let l = 0; l < lanes.length; l++) {
    if (!L.levels[l] || laneY[l] < 0) continue;
    const g = lodLevel(L, l, j), base = l * Wi;
    let x = (tMin + bA * bw - t0) * k;
    for (let b = bA; b < nb; b++, x += step) {
      const v = g[b];
      if (!v) continue;
      if (x <= -1) continue;
      const px = x < 0 ? 0 : x | 0;
      if (px >= Wi) break;
      if (!occ[base + px]) occ[base + px] = v;
    }
  }
}
