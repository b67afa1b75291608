// SPDX-License-Identifier: MIT
// compendium report script: the whole run at a glance. Idle stretches (no
// event starting for a long time) found once at load, the default view that
// spans the activity instead of the whole run, the hatched idle bands on the
// timeline, and the overview strip: the event density of the whole run with
// the current window marked, dragged to pan, clicked to centre.
// ---- idle stretches and the default view ---------------------------------------
// A gap between two event starts (or from the last start to the end) longer
// than IDLE_FRAC of the run and IDLE_MIN_NS is idle. An attach to a process
// that worked a second and slept ten minutes has its activity in the first
// pixel column of the whole run: the default view (trace.home) leaves out
// idle ends that hold less than HOME_FEW of the events, when that makes the
// view at least twice as narrow. 0 toggles between it and the whole run.
const IDLE_FRAC = 0.05, IDLE_MIN_NS = 1e8, HOME_FEW = 0.01;
function findIdle() {
  const { T, N, tMin, tMax } = trace;
  const full = tMax - tMin;
  trace.home = [tMin, tMax];
  trace.idle = [];
  if (N < 2) return;
  const G = Math.max(full * IDLE_FRAC, IDLE_MIN_NS);
  const cuts = []; // event indexes that start a stretch after an idle gap
  for (let i = 1; i < N; i++) if (T[i] - T[i - 1] > G) { trace.idle.push([T[i - 1], T[i]]); cuts.push(i); }
  if (tMax - T[N - 1] > G) trace.idle.push([T[N - 1], tMax]);
  if (!cuts.length) return;
  // the stretches between gaps: [start, end) event indexes
  const seg = [];
  let s = 0;
  for (const c of cuts) { seg.push([s, c]); s = c; }
  seg.push([s, N]);
  let a = 0, b = seg.length - 1;
  const few = (x) => x[1] - x[0] < N * HOME_FEW;
  while (a < b && few(seg[a])) a++;
  while (b > a && few(seg[b])) b--;
  const first = T[seg[a][0]], lastI = seg[b][1] - 1;
  let end = T[lastI] + durOf(lastI);
  if (b + 1 < seg.length) end = Math.min(end, T[seg[b + 1][0]]);
  end = Math.max(end, T[lastI] + 1000);
  if ((end - first) * 2 > full) return;
  const pad = Math.max(1000, (end - first) * 0.02);
  trace.home = [Math.max(tMin, first - pad), Math.min(tMax, end + pad)];
}
function resetZoom() {
  const [a, b] = trace.home;
  // from the default view, 0 shows the whole run
  if (st.t0 === a && st.t1 === b && (a !== trace.tMin || b !== trace.tMax)) { st.t0 = trace.tMin; st.t1 = trace.tMax; }
  else { st.t0 = a; st.t1 = b; }
  scheduleDraw();
  saveHash();
}
// "9 m 40 s" for long stretches, else as durations elsewhere
function fmtIdle(ns) {
  if (ns < 60e9) return fmtDur(ns);
  const s = Math.round(ns / 1e9), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
  return (h ? h + " h " : "") + m + " m " + (s % 60) + " s";
}
// The idle stretches of the view as hatched bands under the events (the
// hatching drawn as lines: a pattern fill would be a URL reference, which the page's
// checks and its CSP refuse).
function drawIdle(svg, t0, t1, k, X0, W, H) {
  const h = H - AXIS_H;
  for (const [a, b] of trace.idle) {
    if (b <= t0 || a >= t1) continue;
    const x0 = Math.max(0, (a - t0) * k), x1 = Math.min(W, (b - t0) * k), w = x1 - x0;
    if (w < 2) continue;
    const g = sv("g", { class: "idle" });
    g.append(sv("rect", { x: X0 + x0, y: AXIS_H, width: w, height: h }));
    // lines at 45 degrees every 8 px, clipped to the band
    let d = "";
    for (let c = -h + ((x0 + X0) % 8); c < w; c += 8) {
      const s0 = Math.max(0, -c), s1 = Math.min(h, w - c);
      if (s1 > s0) d += "M" + (X0 + x0 + c + s0).toFixed(1) + " " + (AXIS_H + h - s0).toFixed(1) + "l" + (s1 - s0).toFixed(1) + " " + (s0 - s1).toFixed(1);
    }
    if (d) g.append(sv("path", { class: "hatch", d }));
    const what = "idle " + fmtIdle(b - a);
    const tt = sv("title");
    tt.textContent = what + ": no event started from " + fmtTime(a) + " s to " + fmtTime(b) + " s";
    g.append(tt);
    if (w > what.length * LABEL_CHAR_PX + 8) {
      const t = sv("text", { class: "idle-label", x: X0 + (x0 + x1) / 2, y: AXIS_H + 14, "text-anchor": "middle" });
      t.textContent = what;
      g.append(t);
    }
    g.dataset.from = String(a); g.dataset.to = String(b);
    svg.append(g);
  }
}

// ---- overview strip --------------------------------------------------------------
// The event density of the rows over [tMin, tMax], one bar per pixel column
// (counted with two binary searches per column, since rows are in time
// order), computed once per row list and width.
const OV_H = 34;
let ovCache = null;
function ovDensity(W) {
  if (ovCache && ovCache.rows === view.rows && ovCache.W === W) return ovCache;
  const n = Math.max(1, Math.floor(W)), c = new Uint32Array(n), full = trace.tMax - trace.tMin;
  let prev = rowAt(trace.tMin), max = 0;
  for (let x = 0; x < n; x++) {
    const r = x === n - 1 ? view.rows.length : rowAt(trace.tMin + full * (x + 1) / n);
    c[x] = r - prev; prev = r;
    if (c[x] > max) max = c[x];
  }
  let d = "";
  for (let x = 0; x < n; x++) if (c[x]) {
    // square root: a column with one event still shows
    const h = Math.max(1, Math.round(Math.sqrt(c[x] / max) * (OV_H - 6)));
    d += "M" + (LABEL_W + x) + " " + (OV_H - 2 - h) + "h1v" + h + "h-1z";
  }
  ovCache = { rows: view.rows, W, d };
  return ovCache;
}
function ovSetup() {
  let box = $("tl-overview");
  if (box) return box;
  box = el("div");
  box.id = "tl-overview";
  const svg = sv("svg", { id: "ov-svg", height: OV_H });
  box.append(svg);
  $("timeline").insertBefore(box, $("tl-main"));
  // drag the window to pan; press elsewhere to centre it there, then drag
  let drag = null;
  const tAt = (ev) => {
    const r = svg.getBoundingClientRect();
    return trace.tMin + (ev.clientX - r.left - LABEL_W) / Math.max(1, view.svgW - LABEL_W) * (trace.tMax - trace.tMin);
  };
  svg.addEventListener("pointerdown", (ev) => {
    if (ev.button !== 0) return;
    ev.preventDefault();
    const t = tAt(ev), sp = st.t1 - st.t0;
    let off = t - st.t0;
    if (t < st.t0 || t > st.t1) { off = sp / 2; setRange(t - off, t - off + sp); }
    drag = { off, sp };
    svg.setPointerCapture(ev.pointerId);
  });
  svg.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const t = tAt(ev);
    setRange(t - drag.off, t - drag.off + drag.sp);
  });
  const end = () => { drag = null; };
  svg.addEventListener("pointerup", end);
  svg.addEventListener("pointercancel", end);
  return box;
}
function drawOverview() {
  ovSetup();
  const svg = $("ov-svg"), Wd = view.svgW, W = Wd - LABEL_W, full = Math.max(1, trace.tMax - trace.tMin), k = W / full;
  svg.setAttribute("viewBox", "0 0 " + Wd + " " + OV_H);
  svg.textContent = "";
  const lab = sv("text", { x: 4, y: 14 });
  // the events' span: the header's duration also counts the start before
  // the first event, so the strip does not call itself the run
  lab.textContent = "all events " + fmtIdle(full);
  const lab2 = sv("text", { x: 4, y: 28, class: "dim" });
  lab2.textContent = fmtDur(trace.tMin) + " – " + fmtDur(trace.tMax);
  const tip = sv("title");
  tip.textContent = "from the first event to the end of the last, in time since the trace started";
  lab.append(tip);
  svg.append(lab, lab2);
  for (const [a, b] of trace.idle) {
    const x0 = (a - trace.tMin) * k, x1 = (b - trace.tMin) * k;
    if (x1 - x0 >= 1) svg.append(sv("rect", { class: "ov-idle", x: LABEL_W + x0, y: 0, width: x1 - x0, height: OV_H }));
  }
  const dens = ovDensity(W);
  if (dens.d) svg.append(sv("path", { class: "ov-dens", d: dens.d }));
  // the window: the rest dimmed, the window framed (3 px at least)
  let a = LABEL_W + (st.t0 - trace.tMin) * k, b = LABEL_W + (st.t1 - trace.tMin) * k;
  a = Math.max(LABEL_W, Math.min(Wd - 3, a)); b = Math.min(Wd, Math.max(a + 3, b));
  if (a > LABEL_W) svg.append(sv("rect", { class: "ov-dim", x: LABEL_W, y: 0, width: a - LABEL_W, height: OV_H }));
  if (b < Wd) svg.append(sv("rect", { class: "ov-dim", x: b, y: 0, width: Wd - b, height: OV_H }));
  const win = sv("rect", { id: "ov-win", x: a, y: 0.5, width: b - a, height: OV_H - 1 });
  svg.append(win);
  svg.dataset.tmin = String(Math.round(trace.tMin));
  svg.dataset.tmax = String(Math.round(trace.tMax));
  svg.dataset.t0 = String(Math.round(st.t0));
  svg.dataset.t1 = String(Math.round(st.t1));
}
