// SPDX-License-Identifier: MIT
// Browser checks of the report's timeline (issue 16), run by tests/e2e/report-timeline.sh:
//   node timeline-test.js tree REPORT --root PID --child PID --forktree PID --grand PID --thread TID --file NAME
//   node timeline-test.js dense REPORT
//   node timeline-test.js attach REPORT
// Prints "ok - ..." / "not ok - ..." lines; every mode also fails on page
// errors, console errors, dialogs, CSP violations and network requests.
"use strict";
const h = require("./harness.js");
const { ok } = h;

const W8 = { timeout: 10000 };
// wait for a condition in the page (a redraw runs in an animation frame,
// later on a loaded machine); on timeout the check that follows fails
const until = (p, f, arg) => p.waitForFunction(f, arg, W8).catch(() => {});
const nextFrame = (p) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const laneLabels = (p) => p.evaluate(() => [...document.querySelectorAll("#tl-svg text.lane-label")].map((t) => ({
  tid: t.dataset.tid, x: +t.getAttribute("x"), y: +t.getAttribute("y"), depth: +t.dataset.depth, folded: t.dataset.folded === "1" })));
// the window of the view and the whole run, from the overview strip (ns)
const win = (p) => p.evaluate(() => {
  const d = document.getElementById("ov-svg").dataset;
  return { t0: +d.t0, t1: +d.t1, tmin: +d.tmin, tmax: +d.tmax };
});
const selRow = (p) => p.evaluate(() => {
  const r = document.querySelector("#rows .row.sel");
  return r ? { ev: r.dataset.ev, t: Number(r.children[0].textContent) * 1e9, type: r.children[3].textContent } : null;
});
// the selection mark's x and the svg's width
const selMark = (p) => p.evaluate(() => {
  const r = document.querySelector("#tl-svg rect.selm"), svg = document.getElementById("tl-svg");
  return { x: r ? +r.getAttribute("x") : -1, w: +svg.getAttribute("viewBox").split(" ")[2] };
});
const spanLabels = (p) => p.evaluate(() => [...document.querySelectorAll("#tl-svg text.span-label")].map((t) => ({ ev: t.dataset.ev, text: t.textContent })));
// subpaths of the event paths drawn at each y
const eventsAtY = (p) => p.evaluate(() => {
  const n = {};
  for (const path of document.querySelectorAll("#tl-svg path[data-type]"))
    for (const m of path.getAttribute("d").matchAll(/M[\d.]+ ([\d.]+)h/g)) n[m[1]] = (n[m[1]] || 0) + 1;
  return n;
});
const LABEL_W = 190;

async function tree(p, o) {
  await p.setViewportSize({ width: 1280, height: 900 });
  await nextFrame(p);
  // nesting: children below and indented under their parent, threads under their process
  let L = await laneLabels(p);
  const at = (id) => L.find((l) => l.tid === String(id));
  const root = at(o.root), child = at(o.child), ft = at(o.forktree), grand = at(o.grand), thr = at(o.thread);
  if (ok(root && child && ft && grand && thr, "lanes for the root, its children, a grandchild and a thread")) {
    // proc_forktree's grandchild is sh's great-grandchild
    ok(root.depth === 0 && child.depth === 1 && ft.depth === 1 && grand.depth === 3,
      "tree depths: root 0, children 1, proc_forktree's grandchild 3 (" + [root.depth, child.depth, ft.depth, grand.depth] + ")");
    ok(child.y > root.y && child.x > root.x, "a child's lane is below its parent's and indented (x " + root.x + " -> " + child.x + ")");
    ok(grand.y > ft.y && grand.x > ft.x, "a grandchild's lane is below its parent's and indented (x " + ft.x + " -> " + grand.x + ")");
    ok(thr.y > child.y && thr.y < ft.y && thr.x > child.x, "a thread's lane is under its process, before the next process");
    const between = L.filter((l) => l.y > child.y && l.y < ft.y).length;
    ok(between === 4, "rep_lanes's 2 threads and 2 children sit between it and its next sibling (" + between + ")");
  }
  // folding: the toggle hides the lanes under a process and draws their events in its row
  const n0 = L.length, rowTop = child.y - 16, ys = String(rowTop + 3);
  const before = (await eventsAtY(p))[ys] || 0;
  await p.click('#tl-svg text.tog[data-pid="' + o.child + '"]');
  await until(p, (t) => !document.querySelector('#tl-svg text.lane-label[data-tid="' + t + '"]'), o.thread);
  L = await laneLabels(p);
  ok(L.length === n0 - 4 && !at(o.thread) && at(o.child).folded, "folding rep_lanes hides its 4 lanes (" + n0 + " -> " + L.length + ")");
  const after = (await eventsAtY(p))[ys] || 0;
  ok(after > before, "its threads' and children's events are drawn in its row (" + before + " -> " + after + " marks)");
  await until(p, (pid) => new URLSearchParams(location.hash.slice(1)).get("fold") === pid, o.child);
  ok(new URLSearchParams(await p.evaluate(() => location.hash.slice(1))).get("fold") === o.child, "the fold is kept in the URL fragment");
  await p.click('#tl-svg text.tog[data-pid="' + o.child + '"]');
  await until(p, (t) => !!document.querySelector('#tl-svg text.lane-label[data-tid="' + t + '"]'), o.thread);
  L = await laneLabels(p);
  ok(L.length === n0 && at(o.thread) && !at(o.child).folded, "unfolding brings them back (" + L.length + " lanes)");

  // the view follows the selection: the first event, zoomed onto with z
  await p.focus("#tbody");
  await p.keyboard.press("Home");
  await p.keyboard.press("z");
  await nextFrame(p);
  let w = await win(p);
  ok(w.t1 - w.t0 < (w.tmax - w.tmin) / 50, "z zooms onto the first event (" + (w.t1 - w.t0) + " of " + (w.tmax - w.tmin) + " ns)");
  await p.fill("#q", o.file);
  await until(p, () => /match/.test(document.getElementById("q-count").textContent));
  await p.press("#q", "Escape");
  // n until an open of the file (the cat at the end of the run, far out of view)
  let followed = 0, tries = 0, sel = null;
  for (; tries < 12; tries++) {
    const w0 = await win(p);
    await p.keyboard.press("n");
    sel = await selRow(p);
    await until(p, (t) => { const d = document.getElementById("ov-svg").dataset; return +d.t0 <= t + 1000 && t - 1000 <= +d.t1; }, sel.t);
    w = await win(p);
    const m = await selMark(p);
    const inView = sel.t >= w.t0 - 1000 && sel.t <= w.t1 + 1000 && m.x >= LABEL_W - 2 && m.x <= m.w;
    if (!ok(inView, "after n, the selected " + sel.type + " at " + sel.t + " ns is in view [" + w.t0 + ", " + w.t1 + "], marked at x=" + m.x +
      (sel.t > w0.t1 || sel.t < w0.t0 ? " (the view moved)" : ""))) break;
    if (sel.t > w0.t1 || sel.t < w0.t0) followed++;
    if (sel.type === "open") break;
  }
  ok(followed > 0, "n selected a match outside the view and the view followed it (" + followed + " times)");
  // labels: z onto the open shows its name and the path cut in the middle
  await p.keyboard.press("z");
  await until(p, (ev) => !!document.querySelector('#tl-svg text.span-label[data-ev="' + ev + '"]'), sel.ev);
  const labs = await spanLabels(p);
  const mine = labs.find((x) => x.ev === sel.ev);
  ok(sel.type === "open" && mine && mine.text.startsWith("open ") && mine.text.endsWith("/" + o.file) && mine.text.includes("…"),
    "zoomed onto the open, its span is labelled with the type and the path cut in the middle (" + (mine ? mine.text : labs.length + " labels") + ")");
  const m = await selMark(p);
  ok(m.x >= LABEL_W && m.x <= m.w, "the selected event is inside the visible range after z (x=" + m.x + ")");

  // the legend: a click hides a category, the filter panel follows
  await p.keyboard.press("0");
  await until(p, () => !!document.querySelector('#tl-svg path[data-type="open"]'));
  const lg = await p.evaluate(() => [...document.querySelectorAll("#tl-legend .lg-item")].map((b) => b.textContent));
  ok(lg.some((t) => /^file[\d,]+$/.test(t)) && lg.some((t) => /^process[\d,]+$/.test(t)), "the legend lists categories with counts (" + lg.join(" ") + ")");
  await p.click('#tl-legend .lg-item[data-cat="file"]');
  await until(p, () => !document.querySelector('#tl-svg path[data-type="open"]'));
  let s = await p.evaluate(() => ({ open: !!document.querySelector('#tl-svg path[data-type="open"]'),
    box: document.querySelector('#f-cats input[data-cat="file"]').checked,
    off: document.querySelector('#tl-legend .lg-item[data-cat="file"]').classList.contains("off") }));
  ok(!s.open && !s.box && s.off, "clicking 'file' in the legend hides its events, unticks it in the filter panel and greys it");
  await p.click('#tl-legend .lg-item[data-cat="file"]');
  await until(p, () => !!document.querySelector('#tl-svg path[data-type="open"]'));
  s = await p.evaluate(() => ({ open: !!document.querySelector('#tl-svg path[data-type="open"]'),
    box: document.querySelector('#f-cats input[data-cat="file"]').checked }));
  ok(s.open && s.box, "a second click shows them again, ticked in the panel");

  // the overview: the window is marked; dragging it pans; a click elsewhere centres it
  // three zooms in, each halving the span: wait for the third (waiting for a
  // quarter of the run let a slow page read the window between the second
  // and the third, and every check below compared against a stale window)
  const span0 = await win(p).then((v) => v.t1 - v.t0);
  for (let k = 0; k < 3; k++) await p.keyboard.press("+");
  await until(p, (want) => { const d = document.getElementById("ov-svg").dataset; return Math.abs((+d.t1 - +d.t0) - want) <= want * 0.01; }, span0 / 8);
  await nextFrame(p);
  w = await win(p);
  ok(Math.abs((w.t1 - w.t0) - span0 / 8) <= span0 / 800, "three + zoom to an eighth of the span (" + (w.t1 - w.t0) + " of " + span0 + " ns)");
  const box = await p.$("#ov-win").then((e) => e.boundingBox());
  const ov = await p.$("#ov-svg").then((e) => e.boundingBox());
  const frac = (box.x - ov.x - LABEL_W) / (ov.width - LABEL_W);
  ok(Math.abs(frac - (w.t0 - w.tmin) / (w.tmax - w.tmin)) < 0.02 && box.width < (ov.width - LABEL_W) / 4,
    "the overview marks the window (" + Math.round(box.x - ov.x) + " px, " + Math.round(box.width) + " px wide)");
  const cy = box.y + box.height / 2;
  await p.mouse.move(box.x + box.width / 2, cy);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width / 2 + 150, cy, { steps: 5 });
  await p.mouse.up();
  await until(p, (t0) => +document.getElementById("ov-svg").dataset.t0 > t0, w.t0);
  const w2 = await win(p);
  const want = 150 / (ov.width - LABEL_W) * (w.tmax - w.tmin);
  ok(Math.abs(w2.t0 - w.t0 - want) < want * 0.1 && Math.abs((w2.t1 - w2.t0) - (w.t1 - w.t0)) < 2,
    "dragging the window 150 px pans by as much, the zoom kept (" + (w2.t0 - w.t0) + " ns, want " + Math.round(want) + ")");
  await until(p, (t0) => (new URLSearchParams(location.hash.slice(1)).get("t") || "").startsWith(t0 + ","), w2.t0);
  ok(((new URLSearchParams(await p.evaluate(() => location.hash.slice(1)))).get("t") || "").startsWith(w2.t0 + ","), "the URL fragment has the new range");
  await p.mouse.click(ov.x + LABEL_W + 2, cy);
  await until(p, (t0) => +document.getElementById("ov-svg").dataset.t0 < t0, w2.t0);
  const w3 = await win(p);
  ok(w3.t0 <= w.tmin + (w.tmax - w.tmin) * 0.02 && Math.abs((w3.t1 - w3.t0) - (w.t1 - w.t0)) < 2, "a click at the start of the overview moves the window there");

  // the toolbar stays one line at 1280 px with many filters active
  const bar = () => p.evaluate(() => {
    const t = document.getElementById("toolbar"), kids = [...t.children].filter((c) => c.offsetParent && c.getBoundingClientRect().width > 0);
    const tops = kids.map((c) => { const r = c.getBoundingClientRect(); return r.top + r.height / 2; });
    return { h: t.getBoundingClientRect().height, spread: Math.max(...tops) - Math.min(...tops),
      right: Math.max(...kids.map((c) => c.getBoundingClientRect().right)), chips: document.querySelectorAll("#active-filters .chip").length };
  });
  const b0 = await bar();
  await p.click('.card[data-card="files"] button[title*="' + o.file + '"]').catch(() => p.click('.card[data-card="files"] li button'));
  await p.click('.card[data-card="failures"] h2');
  await p.click('#tl-legend .lg-item[data-cat="memory"]');
  await p.click("#b-filters");
  const ty = await p.$("#f-types input");
  await ty.uncheck();
  const pr = await p.$("#f-procs input");
  await pr.uncheck();
  await p.click("#b-filters");
  await until(p, () => document.querySelectorAll("#active-filters .chip").length >= 5);
  const b1 = await bar();
  ok(b1.chips >= 5 && Math.abs(b1.h - b0.h) <= 1 && b1.spread <= 2 && b1.right <= 1280,
    "with " + b1.chips + " filter chips the toolbar stays one line (" + b0.h + " -> " + b1.h + " px high, centres within " + b1.spread + " px, right edge " + b1.right + ")");
}

async function dense(p) {
  await p.keyboard.press("0");
  await nextFrame(p);
  const w = await win(p);
  if (w.t0 !== w.tmin || w.t1 !== w.tmax) { await p.keyboard.press("0"); await nextFrame(p); }
  const n0 = (await spanLabels(p)).length;
  ok(n0 === 0, "no span label at the full view of 100,000 short writes (" + n0 + ")");
  // the first write: from the first row down
  await p.focus("#tbody");
  await p.keyboard.press("Home");
  let sel = await selRow(p);
  for (let k = 0; k < 200 && sel.type !== "write"; k++) { await p.keyboard.press("ArrowDown"); sel = await selRow(p); }
  await p.keyboard.press("z");
  await until(p, (ev) => !!document.querySelector('#tl-svg text.span-label[data-ev="' + ev + '"]'), sel.ev);
  const labs = await spanLabels(p);
  const mine = labs.find((x) => x.ev === sel.ev);
  ok(labs.length > 0 && labs.length <= 300, "zoomed onto a write, spans are labelled (" + labs.length + " labels)");
  ok(sel.type === "write" && mine && mine.text.startsWith("write"), "the selected write's label names it (" + (mine ? mine.text : "none") + ")");
}

async function attach(p) {
  const w = await win(p);
  ok(w.t1 - w.t0 < (w.tmax - w.tmin) / 2, "the default view spans the activity, not the whole run (" + (w.t1 - w.t0) + " of " + (w.tmax - w.tmin) + " ns)");
  const spread = await p.evaluate(() => {
    let lo = Infinity, hi = -Infinity;
    for (const path of document.querySelectorAll("#tl-svg path[data-type]"))
      for (const m of path.getAttribute("d").matchAll(/M([\d.]+) /g)) { lo = Math.min(lo, +m[1]); hi = Math.max(hi, +m[1]); }
    return { lo, hi, w: +document.getElementById("tl-svg").getAttribute("viewBox").split(" ")[2] };
  });
  ok(spread.hi - spread.lo > (spread.w - LABEL_W) * 0.5, "the activity's events spread over the view (x " + spread.lo + " to " + spread.hi + ")");
  await p.keyboard.press("0");
  await until(p, () => { const d = document.getElementById("ov-svg").dataset; return d.t0 === d.tmin && d.t1 === d.tmax; });
  const w1 = await win(p);
  ok(w1.t0 === w1.tmin && w1.t1 === w1.tmax, "0 shows the whole run");
  const idle = await p.evaluate(() => [...document.querySelectorAll("#tl-svg .idle text.idle-label")].map((t) => t.textContent));
  ok(idle.some((t) => /^idle [\d.]+ s$/.test(t)), "the idle stretch is marked on the whole run (" + idle.join(", ") + ")");
  await p.keyboard.press("0");
  await until(p, (t1) => +document.getElementById("ov-svg").dataset.t1 === t1, w.t1);
  const w2 = await win(p);
  ok(w2.t0 === w.t0 && w2.t1 === w.t1, "0 again goes back to the activity");
}

h.main({ tree, dense, attach });
