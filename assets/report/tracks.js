// SPDX-License-Identifier: MIT
// compendium report script: counter tracks (CPU, memory and other samples)
// under the timeline and in the details panel, drawn per pixel column with
// the minimum and maximum kept, plus the trigger lines.
// ---- counter tracks ---------------------------------------------------------------
function buildSeries(C) {
  allColumns();
  const id = C.s_id, tt = C.s_t, vv = C.s_v, ns = trace.M.series.length, cnt = new Uint32Array(ns);
  for (let k = 0; k < id.length; k++) if (id[k] < ns) cnt[id[k]]++;
  const series = view.series = trace.M.series.map((s, j) => ({ ...s, t: new Float64Array(cnt[j]), v: new Float64Array(cnt[j]) }));
  cnt.fill(0);
  for (let k = 0; k < id.length; k++) {
    const j = id[k];
    if (j >= ns) continue;
    series[j].t[cnt[j]] = tt[k]; series[j].v[cnt[j]++] = vv[k];
  }
  for (const s of series) {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < s.v.length; j++) { if (s.v[j] < lo) lo = s.v[j]; if (s.v[j] > hi) hi = s.v[j]; }
    s.lo = lo; s.hi = hi;
  }
  const tyTrig = trace.typeNames.indexOf("trigger");
  const { N, TYPE, T } = trace, triggerT = view.triggerT;
  if (tyTrig >= 0) for (let i = 0; i < N; i++) if (TYPE[i] === tyTrig) triggerT.push(T[i]);
}
function seriesLabel(s) {
  const l = trace.lanes.find((x) => !x.thread && x.pid === s.pid);
  return (s.pid ? (l ? l.label : "pid " + s.pid) : "system") + " · " + s.type + (s.kind ? "/" + s.kind : "") + " " + s.key;
}
function fmtVal(key, v) {
  if (/rss|bytes|mem|swap|size|avail/i.test(key)) return fmtBytes(v);
  return Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Math.round(v * 1000) / 1000);
}
function trackSvg(s, t0, t1, width, height, markT) {
  const g = sv("svg", { viewBox: "0 0 " + width + " " + height, height: height });
  const W = width - LABEL_W, k = W / Math.max(1, t1 - t0);
  const lo = s.lo, hi = s.hi;
  const top = 4, bottom = height - 3;
  const span = hi > lo ? hi - lo : 1;
  const y = (v) => Math.round(bottom - (v - lo) / span * (bottom - top));
  // per pixel column: keep min and max so spikes survive decimation
  let d = "", last = -1, mn = 0, mx = 0, first = true;
  const emit = (px) => {
    const a = y(mx), b = y(mn);
    d += (first ? "M" : "L") + (LABEL_W + px) + " " + a + (b !== a ? "V" + b : "");
    first = false;
  };
  const j1 = Math.min(s.t.length, lowerBound(s.t, t1) + 1);
  for (let j = Math.max(0, lowerBound(s.t, t0) - 1); j < j1; j++) {
    const px = Math.round((s.t[j] - t0) * k);
    if (px < 0 || px > W) continue;
    if (px !== last) { if (last >= 0) emit(last); last = px; mn = mx = s.v[j]; }
    else { if (s.v[j] < mn) mn = s.v[j]; if (s.v[j] > mx) mx = s.v[j]; }
  }
  if (last >= 0) emit(last);
  g.append(sv("line", { x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5, stroke: "#e6e6ea" }));
  if (d) g.append(sv("path", { class: "trk", d }));
  const lab = sv("text", { x: 4, y: 13 });
  lab.textContent = seriesLabel(s);
  const rng = sv("text", { x: 4, y: 27, class: "dim" });
  rng.textContent = fmtVal(s.key, lo) + " … " + fmtVal(s.key, hi);
  const tt = sv("title");
  tt.textContent = seriesLabel(s) + ": " + rng.textContent;
  g.append(lab, rng, tt);
  for (const tr of view.triggerT) {
    const x = LABEL_W + (tr - t0) * k;
    if (x >= LABEL_W && x <= width) g.append(sv("line", { class: "trigger", x1: x, x2: x, y1: 0, y2: height, stroke: "#d00000", "stroke-dasharray": "4 2" }));
  }
  if (markT !== undefined) {
    const x = LABEL_W + (markT - t0) * k;
    g.append(sv("line", { x1: x, x2: x, y1: 0, y2: height, stroke: "#000" }));
  }
  return g;
}
const MAX_TRACKS = 40;
function drawTracks() {
  const box = $("tracks");
  if (!view.series || !view.series.length) { box.hidden = true; return; }
  box.hidden = false;
  box.textContent = "";
  const shown = new Set(trace.lanes.filter((l) => !st.hideLanes.has(String(l.tid))).map((l) => l.pid));
  const sys = view.series.filter((s) => !s.pid);
  // the processes in focus (a dump's trigger): their CPU and RSS first
  const fp = trace.focusPids, isFocus = (s) => fp.has(s.pid) && (s.key === "cpu" || s.key === "rss");
  const focus = fp.size ? [...fp].flatMap((pid) => view.series.filter((s) => s.pid === pid && isFocus(s) && shown.has(pid))) : [];
  const per = view.series.filter((s) => s.pid && shown.has(s.pid) && !(fp.size && isFocus(s)));
  // many processes (a --watch dump) would mean thousands of tracks: say so
  // and show them once the view is narrowed to fewer processes
  const show = focus.concat(per.length > MAX_TRACKS ? sys : sys.concat(per));
  const markT = dumpCursorT();
  for (const s of show) {
    const g = trackSvg(s, st.t0, st.t1, view.svgW, 34, markT);
    g.dataset.series = s.type + (s.kind ? "/" + s.kind : "") + ":" + s.key + ":" + s.pid;
    if (focus.includes(s)) g.classList.add("focus");
    box.append(g);
  }
  if (per.length > MAX_TRACKS) {
    const n = new Set(per.map((s) => s.pid)).size;
    box.append(el("p", "note", per.length + " per-process tracks of " + n + " processes are not drawn: narrow the view to at most " +
      MAX_TRACKS + " tracks (click a process in the Processes card, or untick processes in Filters) to see them."));
  }
}
