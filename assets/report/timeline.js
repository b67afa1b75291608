// SPDX-License-Identifier: MIT
// compendium report script: the timeline. One row per process and thread,
// nested by process tree (a folded process draws its subtree in its own
// row), the events of the view merged per pixel column into one path per
// colour (busy lanes from the level-of-detail bins of lod.js), labels on
// spans wide enough, idle stretches, markers, search ticks and the
// selection; zoom, pan, following the selection and picking an event with
// the mouse.
// ---- timeline ----------------------------------------------------------------
// The selection is its own layer: moving it does not redraw the events.
function drawSelection() {
  if (!view.selLayer || !view.geom) return;
  view.selLayer.textContent = "";
  const { t0, k, X0, W, laneY } = view.geom;
  if (st.sel < 0 || laneY[trace.laneOf[st.sel]] < 0) return;
  const x = (trace.T[st.sel] - t0) * k;
  if (x < -2 || x > W + 2) return;
  const w = Math.max(3, durOf(st.sel) * k);
  view.selLayer.append(sv("rect", { class: "selm", x: X0 + x - 1, y: laneY[trace.laneOf[st.sel]] + 1, width: w + 2, height: LANE_H - 2 }));
}
// The rows: one per lane not hidden by a filter, in tree order, except the
// lanes under a folded process (its threads and its subtree), which draw
// into that process's row. laneY: the top of each lane's row, -1 if hidden.
function tlLayout() {
  const n = trace.lanes.length, laneY = new Int32Array(n).fill(-1), rows = [];
  let foldTo = -1, foldY = -1;
  for (let l = 0; l < n; l++) {
    const L = trace.lanes[l];
    if (st.hideLanes.has(String(L.tid))) continue;
    if (l <= foldTo) { laneY[l] = foldY; continue; }
    laneY[l] = AXIS_H + rows.length * LANE_H;
    rows.push(l);
    if (L.sub && st.fold.has(String(L.pid))) { foldTo = l + L.sub; foldY = laneY[l]; }
  }
  return { rows, laneY };
}
const TL_INDENT = 10, TL_DEPTH_MAX = 6; // px per tree level, levels indented at most

function niceStep(span, px) {
  const raw = span / Math.max(1, px / 110);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}
function axisTicks(t0, t1, width) {
  const step = niceStep(t1 - t0, width);
  // s from 100 ms steps, ms down to 1 µs steps (at most 3 decimals), then µs
  const unit = step >= 1e8 ? [1e9, "s"] : step >= 1e3 ? [1e6, "ms"] : [1e3, "µs"];
  const dec = Math.max(0, Math.ceil(-Math.log10(step / unit[0]) - 1e-9));
  const out = [];
  for (let v = Math.ceil(t0 / step) * step; v <= t1; v += step) out.push([v, (v / unit[0]).toFixed(dec) + " " + unit[1]]);
  return out;
}

function drawTimeline() {
  const svg = $("tl-svg");
  const main = $("tl-main");
  view.svgW = Math.max(300, main.clientWidth || 800);
  const W = view.svgW - LABEL_W;
  const { rows: vl, laneY } = tlLayout();
  const H = AXIS_H + vl.length * LANE_H + 4;
  svg.setAttribute("height", H);
  svg.setAttribute("viewBox", "0 0 " + view.svgW + " " + H);
  svg.textContent = "";
  const t0 = st.t0, t1 = st.t1, span = Math.max(1, t1 - t0), k = W / span;
  const X0 = LABEL_W;

  const gBg = sv("g");
  vl.forEach((l, j) => { if (j % 2 === 0) gBg.append(sv("rect", { class: "lane-bg", x: 0, y: AXIS_H + j * LANE_H, width: view.svgW, height: LANE_H })); });
  svg.append(gBg);
  drawIdle(svg, t0, t1, k, X0, W, H);
  // axis
  const gAx = sv("g");
  for (const [v, label] of axisTicks(t0, t1, W)) {
    const x = X0 + (v - t0) * k;
    gAx.append(sv("line", { class: "grid", x1: x, x2: x, y1: AXIS_H - 4, y2: H }));
    const tx = sv("text", { class: "axis", x: x + 2, y: 13 });
    tx.textContent = label;
    gAx.append(tx);
  }
  svg.append(gAx);
  // lifetimes
  let life = "";
  for (const l of vl) {
    const L = trace.lanes[l];
    if (L.first === undefined || !isFinite(L.first)) continue;
    const a = Math.max(0, (L.first - t0) * k), b = Math.min(W, (L.last - t0) * k);
    if (b < 0 || a > W) continue;
    life += "M" + (X0 + a).toFixed(1) + " " + (laneY[l] + LANE_H / 2 - 1) + "h" + Math.max(1, b - a).toFixed(1) + "v2h" + (-Math.max(1, b - a)).toFixed(1) + "z";
  }
  if (life) svg.append(sv("path", { class: "life", d: life }));

  // events: one path per colour, merged per pixel column and lane
  const nT = trace.M.types.length;
  const paths = new Array(nT).fill(null).map(() => []);
  const Wi = Math.ceil(W) + 1, occ = new Uint16Array(trace.lanes.length * Wi);
  const marks = { exec: [], exitm: [], crash: [], trigger: [] };
  const mk = markTypes();
  const labs = [];
  const r1 = rowAt(t1 + 1);
  const lv = lodFor(t0, t1, k);
  if (lv) {
    // the busy lanes from the bins, the others event by event
    drawLod(lv.lod, lv.level, t0, k, Wi, laneY, occ);
    const small = lv.lod.small, s0 = lowerBound(small, lookBack(rowAt(t0), t0)), s1 = lowerBound(small, r1);
    drawExact(small, s0, s1, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0, labs);
    const mr = lv.lod.markRows;
    drawExact(mr, lowerBound(mr, rowAt(t0)), lowerBound(mr, r1), t0, k, W, Wi, laneY, null, null, marks, mk, X0);
  } else {
    drawExact(null, lookBack(rowAt(t0), t0), r1, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0, labs);
  }
  for (let l = 0; l < laneY.length; l++) {
    if (laneY[l] < 0) continue;
    const base = l * Wi, y = laneY[l] + 3;
    for (let px = 0; px < Wi;) {
      const c = occ[base + px];
      if (!c) { px++; continue; }
      let e = px + 1;
      while (e < Wi && occ[base + e] === c) e++;
      paths[c - 1].push("M" + (X0 + px) + " " + y + "h" + (e - px) + "v" + (LANE_H - 6) + "h" + (px - e) + "z");
      px = e;
    }
  }
  const gEv = sv("g", { class: "ev" });
  for (let ty = 0; ty < nT; ty++) if (paths[ty].length) {
    const p = sv("path", { d: paths[ty].join(""), fill: trace.typeColor[ty] });
    p.dataset.type = trace.typeNames[ty];
    gEv.append(p);
  }
  svg.append(gEv);
  for (const m of ["exec", "exitm", "crash"]) if (marks[m].length) svg.append(sv("path", { class: m, d: marks[m].join("") }));
  drawSpanLabels(svg, labs, X0, laneY);
  for (const x of marks.trigger) svg.append(sv("line", { class: "trigger", x1: x, x2: x, y1: AXIS_H - 4, y2: H }));
  // search matches: a tick above the lane, once per pixel column and lane
  if (view.hits.length) {
    const hits = view.hits, rows = view.rows, { laneOf, T } = trace;
    const seen = new Uint8Array(trace.lanes.length * Wi);
    const h0 = lowerBound(hits, rowAt(t0)), h1 = lowerBound(hits, r1);
    const parts = [];
    for (let h = h0; h < h1; h++) {
      const i = rows[hits[h]], l = laneOf[i];
      if (laneY[l] < 0) continue;
      const px = Math.floor((T[i] - t0) * k);
      if (px < 0 || px >= Wi || seen[l * Wi + px]) continue;
      seen[l * Wi + px] = 1;
      parts.push("M" + (X0 + px - 1.5) + " " + laneY[l] + "h3v4h-3z");
    }
    if (parts.length) { const p = sv("path", { class: "match", d: parts.join("") }); p.id = "tl-matches"; p.dataset.n = String(parts.length); svg.append(p); }
  }
  view.selLayer = sv("g", { id: "tl-sel" });
  svg.append(view.selLayer);
  view.geom = { t0, k, X0, W, laneY, rows: vl };
  drawSelection();
  dumpCursorLine(svg, t0, k, X0, W, H);
  // labels last, over a plain background
  const gL = sv("g");
  gL.append(sv("rect", { x: 0, y: 0, width: LABEL_W - 4, height: H, fill: "#fff" }));
  const ty0 = Math.round(LANE_H / 2 + 4);
  vl.forEach((l, j) => {
    const L = trace.lanes[l];
    const x = 4 + Math.min(L.depth || 0, TL_DEPTH_MAX) * TL_INDENT + 12 + (L.thread ? 10 : 0);
    const folded = !!L.sub && st.fold.has(String(L.pid));
    if (L.sub) {
      // the fold toggle of a process with threads or children
      const tg = sv("text", { class: "tog", x: x - 12, y: AXIS_H + j * LANE_H + ty0 });
      tg.textContent = folded ? "▸" : "▾";
      tg.dataset.pid = String(L.pid);
      const tt = sv("title");
      tt.textContent = (folded ? "Unfold: show " : "Fold: draw in this row ") + plural(L.sub, "lane", "lanes") + " under " + L.label;
      tg.append(tt);
      gL.append(tg);
    }
    const t = sv("text", { x, y: AXIS_H + j * LANE_H + ty0 });
    if (L.thread) t.setAttribute("class", "thread");
    const room = Math.max(4, Math.floor((LABEL_W - 8 - x) / 6.7)), text = L.label + (folded ? " +" + L.sub : "");
    t.textContent = text.length > room ? text.slice(0, room - 1) + "…" : text;
    const tt = sv("title");
    tt.textContent = L.label + (L.exit !== undefined ? " (exit " + L.exit + ")" : "") + (folded ? ", with " + plural(L.sub, "lane", "lanes") + " folded in" : "");
    t.append(tt);
    t.dataset.tid = String(L.tid);
    t.dataset.depth = String(L.depth || 0);
    if (folded) t.dataset.folded = "1";
    t.classList.add("lane-label");
    if (L.thread) t.classList.add("thread");
    gL.append(t);
  });
  svg.append(gL);
  svg.dataset.lanes = String(vl.length);
  svg.dataset.lod = lv ? String(lv.level) : "exact";
  drawTracks();
  drawOverview();
  syncLegend();
}
// Marker kinds by type: 1 exec, 2 exit, 3 crash, 4 trigger.
let markKind = null;
function markTypes() {
  if (!markKind) {
    markKind = new Uint8Array(trace.M.types.length);
    ["exec", "exit", "crash", "trigger"].forEach((n, k) => { const t = trace.typeNames.indexOf(n); if (t >= 0) markKind[t] = k + 1; });
  }
  return markKind;
}
// Events that started before t0 may still be running: look back a little.
function lookBack(r0, t0) {
  const rows = view.rows, { T } = trace;
  for (let back = 0; r0 > 0 && back < 2000; back++) {
    const i = rows[r0 - 1];
    if (T[i] + durOf(i) < t0 && back > 64) break;
    r0--;
  }
  return r0;
}
// Draw the rows at positions list[from..to) (or from..to without a list) one
// by one: points into occ (the first event of a pixel column and lane wins),
// spans merged per lane and type into paths, markers into marks. Without occ
// only the markers are drawn.
function drawExact(list, from, to, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0, labs) {
  const rows = view.rows, { laneOf, TYPE, T, DUR, durX } = trace;
  const nT = trace.M.types.length, nl = trace.lanes.length;
  const open = occ ? new Float64Array(nl * nT).fill(-1) : null; // open segment start px
  const openEnd = occ ? new Float64Array(nl * nT) : null;
  const flush = (o) => {
    const s = open[o];
    const l = (o / nT) | 0, ty = o - l * nT, w = Math.max(1, openEnd[o] - s);
    paths[ty].push("M" + (X0 + s).toFixed(1) + " " + (laneY[l] + 3) + "h" + w.toFixed(1) + "v" + (LANE_H - 6) + "h" + (-w).toFixed(1) + "z");
    open[o] = -1;
  };
  for (let p = from; p < to; p++) {
    const i = rows[list ? list[p] : p], l = laneOf[i];
    const y = laneY[l];
    if (y < 0) continue;
    const ty = TYPE[i];
    const x0 = (T[i] - t0) * k;
    let d = DUR[i];
    if (d === ESC32) d = durX.get(i);
    const x1 = d ? x0 + d * k : x0 + 1;
    // an event is at least a pixel wide, from x0: one that starts less than
    // a pixel before t0 marks column 0 whatever its duration (as the bins do)
    if (Math.max(x1, x0 + 1) < 0) continue;
    const a = Math.max(0, x0), e = Math.min(W, Math.max(x1, a + 1));
    if (!occ) {
      // markers only
    } else if (e - a <= 1) {
      // at most a pixel: a point (a longer span is drawn as a span)
      const px = a | 0, q = l * Wi + px;
      if (px < Wi && !occ[q]) occ[q] = ty + 1;
    } else {
      const o = l * nT + ty;
      if (open[o] >= 0 && a <= openEnd[o] + 0.5) { if (e > openEnd[o]) openEnd[o] = e; }
      else { if (open[o] >= 0) flush(o); open[o] = a; openEnd[o] = e; }
      if (labs && e - a >= LABEL_MIN_PX && labs.length < LABEL_CAND * 3) labs.push(i, a, e - a);
    }
    const m = mk[ty];
    if (!m) continue;
    if (m === 1) marks.exec.push("M" + (X0 + a).toFixed(1) + " " + y + "l4 0l-4 " + LANE_H / 2 + "z");
    else if (m === 2) marks.exitm.push("M" + (X0 + a - 1).toFixed(1) + " " + (y + 1) + "h3v" + (LANE_H - 2) + "h-3z");
    else if (m === 3) marks.crash.push("M" + (X0 + a).toFixed(1) + " " + (y + LANE_H / 2) + "l5 -6l0 12z");
    else marks.trigger.push(X0 + a);
  }
  if (occ) for (let o = 0; o < open.length; o++) if (open[o] >= 0) flush(o);
}

// ---- zoom and pan ------------------------------------------------------------------
function setRange(a, b, save = true) {
  const full = trace.tMax - trace.tMin || 1;
  let span = Math.max(1000, Math.min(full * 1.02 + 1000, b - a));
  if (a < trace.tMin - full * 0.01) a = trace.tMin - full * 0.01;
  if (a + span > trace.tMax + full * 0.01) a = trace.tMax + full * 0.01 - span;
  st.t0 = a; st.t1 = a + span;
  scheduleDraw();
  if (save) saveHash();
}
function zoom(f, atPx) {
  const W = view.svgW - LABEL_W;
  const frac = atPx === undefined ? 0.5 : Math.min(1, Math.max(0, (atPx - LABEL_W) / W));
  const span = st.t1 - st.t0, ns = span * f, c = st.t0 + span * frac;
  setRange(c - ns * frac, c - ns * frac + ns);
}
let drawPending = 0;
function scheduleDraw() {
  if (drawPending) return;
  drawPending = requestAnimationFrame(() => { drawPending = 0; drawTimeline(); });
}
function timelineEvents() {
  const main = $("tl-main");
  main.addEventListener("wheel", (ev) => {
    if (!ev.ctrlKey) return;
    ev.preventDefault();
    const r = main.getBoundingClientRect();
    zoom(ev.deltaY > 0 ? 1.25 : 0.8, ev.clientX - r.left);
  }, { passive: false });
  let drag = null;
  main.addEventListener("mousedown", (ev) => {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, t0: st.t0, t1: st.t1, moved: false };
  });
  window.addEventListener("mousemove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.x;
    if (Math.abs(dx) > 3) { drag.moved = true; main.classList.add("dragging"); }
    if (!drag.moved) return;
    const dt = -dx * (drag.t1 - drag.t0) / (view.svgW - LABEL_W);
    setRange(drag.t0 + dt, drag.t1 + dt);
  });
  window.addEventListener("mouseup", (ev) => {
    if (!drag) return;
    const was = drag;
    drag = null;
    main.classList.remove("dragging");
    const tog = ev.target && ev.target.closest ? ev.target.closest("text.tog") : null;
    if (!was.moved && tog) toggleFold(tog.dataset.pid);
    else if (!was.moved) pickAt(ev);
  });
  main.addEventListener("dblclick", resetZoom);
  $("timeline").addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      ev.preventDefault();
      const d = (st.t1 - st.t0) * 0.2 * (ev.key === "ArrowLeft" ? -1 : 1);
      setRange(st.t0 + d, st.t1 + d);
    }
  });
}
function pickAt(ev) {
  const rows = view.rows, { T, laneOf } = trace;
  const svg = $("tl-svg");
  const r = svg.getBoundingClientRect();
  const x = ev.clientX - r.left - LABEL_W, y = ev.clientY - r.top - AXIS_H;
  if (x < 0 || y < 0 || !view.geom) return;
  const { rows: vl, laneY } = view.geom;
  const j = Math.floor(y / LANE_H);
  if (vl[j] === undefined) return;
  const rowY = AXIS_H + j * LANE_H; // the lanes drawn in that row (a folded process: its subtree's too)
  const k = (view.svgW - LABEL_W) / (st.t1 - st.t0), t = st.t0 + x / k, tol = 4 / k;
  let best = -1, bd = Infinity;
  // candidates: events near t, and a bounded look back for spans covering t
  let r0 = rowAt(t - tol);
  for (let back = 0; r0 > 0 && back < 2000; back++) r0--;
  for (let rI = r0; rI < rows.length && T[rows[rI]] <= t + tol; rI++) {
    const i = rows[rI];
    if (laneY[laneOf[i]] !== rowY) continue;
    const a = T[i], b = a + durOf(i);
    const dd = t < a ? a - t : t > b ? t - b : 0;
    if (dd < bd) { bd = dd; best = rI; }
  }
  if (best >= 0 && bd <= tol) select(best, true);
}

// ---- folding, following the selection ------------------------------------------
function toggleFold(pid) {
  if (st.fold.has(pid)) st.fold.delete(pid); else st.fold.add(pid);
  scheduleDraw();
  saveHash();
}
// Keep event i in view: pan (the zoom kept) when it starts outside
// [st.t0, st.t1], and scroll the timeline to its row.
function timelineFollow(i) {
  const t = trace.T[i], sp = st.t1 - st.t0;
  if (t < st.t0 || t > st.t1) setRange(t - sp / 2, t + sp / 2);
  else drawSelection();
  const main = $("tl-main"), y = tlLayout().laneY[trace.laneOf[i]];
  if (y >= 0 && main && (y < main.scrollTop + AXIS_H || y + LANE_H > main.scrollTop + main.clientHeight))
    main.scrollTop = Math.max(0, y - main.clientHeight / 2);
}
// z: a window around the selected event, three times its duration (20 µs at least)
function zoomToSelection() {
  if (st.sel < 0) return;
  const d = durOf(st.sel) || 0, span = Math.max(3 * d, 2e4), c = trace.T[st.sel] + d / 2;
  setRange(c - span / 2, c + span / 2);
  timelineFollow(st.sel);
}

// ---- span labels ---------------------------------------------------------------
// A span at least LABEL_MIN_PX wide gets its type and path tail written in
// it; at most LABEL_MAX per draw (the widest), from at most LABEL_CAND * 3
// candidates collected while drawing.
const LABEL_MIN_PX = 28, LABEL_MAX = 300, LABEL_CAND = 4096, LABEL_CHAR_PX = 6.7;
function drawSpanLabels(svg, labs, X0, laneY) {
  if (!labs.length) return;
  const n = labs.length / 3, idx = Array.from({ length: n }, (_, j) => j);
  if (n > LABEL_MAX) idx.sort((p, q) => labs[3 * q + 2] - labs[3 * p + 2]).length = LABEL_MAX;
  const g = sv("g", { class: "span-labels" }), { laneOf, TYPE } = trace;
  for (const j of idx) {
    const i = labs[3 * j], a = labs[3 * j + 1], w = labs[3 * j + 2];
    const room = Math.floor((w - 6) / LABEL_CHAR_PX);
    const name = trace.typeNames[TYPE[i]];
    if (room < 3) continue;
    let text = name.length > room ? name.slice(0, room - 1) + "…" : name;
    const p = pathIdOf(i);
    if (p && room - name.length - 1 >= 6) text = name + " " + midCut(str(p), room - name.length - 1);
    const t = sv("text", { class: "span-label", x: (X0 + a + 3).toFixed(1), y: laneY[laneOf[i]] + Math.round(LANE_H / 2 + 4) });
    t.textContent = text;
    t.dataset.ev = String(i);
    g.append(t);
  }
  svg.append(g);
}
