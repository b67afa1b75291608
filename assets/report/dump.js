// SPDX-License-Identifier: MIT
// compendium report script: the view of a --watch spike dump. A trace with a
// trigger event is a dump: the page opens on its incident (what fired, which
// process, value against threshold, when, ongoing or ended), puts the
// trigger's processes first (trace.focusPids: their lanes and their CPU and
// RSS tracks), centres the view on the trigger, shows the processes at one
// snapshot (the cursor; [ and ] step) and cards of what a dump holds.
// Nothing here runs for a plain trace but the test dump.on.
// ---- the dump --------------------------------------------------------------------
const dump = {
  on: false, trig: -1, info: null, // the first trigger event and what it says
  snapT: null,                     // snapshot times (the sysstat records'), sorted
  samples: null, threads: null,    // per snapshot: sample / threadstate event indexes
  cur: -1, trigSnap: -1,           // the cursor (a snapshot index) and the trigger's snapshot
  rows: new Map(),                 // snapshot -> parsed process rows (made when first shown)
  sort: "cpu", all: false,         // the process table's order; all rows or the top ones
  counts: null,                    // what the cards count
};
const DUMP_TOP = 25;
// The fields of event i as { key: value } (detail.js splits the str
// column exactly: a name holding `" state="D` stays one field's text).
function dumpF(i) {
  const o = {};
  for (const f of fieldsOfId(strIdOf(i))) o[f.k] = f.v;
  return o;
}
const dumpNum = (f, key) => (typeof f[key] === "number" ? f[key] : undefined);
const dumpStr = (f, key) => (typeof f[key] === "string" ? f[key] : undefined);
const dumpBool = (f, key) => (typeof f[key] === "boolean" ? f[key] : undefined);
// Between decode() and buildLanes(): is this a dump, and which processes
// does its trigger name (they go first)?
function dumpDetect() {
  const ty = trace.M.types.findIndex((t) => t.name === "trigger" && t.n > 0);
  if (ty < 0) return;
  dump.on = true;
  allColumns(); // a dump is small: its strings and extra JSON at once
  const { N, TYPE } = trace;
  for (let i = 0; i < N && dump.trig < 0; i++) if (TYPE[i] === ty) dump.trig = i;
  dump.info = dumpTrigger(dump.trig);
  for (const p of dump.info.procs) if (p.pid > 0) trace.focusPids.add(p.pid);
}
// What a trigger record says: kind, message, value, threshold, baseline, when,
// ongoing, duration, the processes it names, other causes folded into it.
function dumpTrigger(i) {
  const s = dumpF(i);
  let x = {};
  if (trace.X[i]) { try { x = JSON.parse(str(trace.X[i])) || {}; } catch (e) { x = {}; } }
  const kind = dumpStr(s, "kind") || (trace.M.header_extra && trace.M.header_extra.trigger_kind) || "?";
  const msg = dumpStr(s, "msg") || "";
  const arr = (v) => (Array.isArray(v) ? v.filter((p) => p && typeof p === "object") : []);
  return { kind, msg, scope: dumpStr(s, "scope") || "", value: dumpNum(s, "value"), threshold: dumpNum(s, "threshold"),
    baseline: dumpNum(s, "baseline"), when: dumpStr(s, "when") || "", ongoing: dumpBool(s, "ongoing"),
    dur: durOf(i), procs: arr(x.procs), related: arr(x.related) };
}
// Units of a trigger kind's value and threshold (watch/watch_detect.c).
function dumpFmt(kind, v) {
  if (v === undefined || !isFinite(v)) return "?";
  if (/^(memgrow|memdrop|swap)$/.test(kind)) return fmtBytes(Math.round(v * 1048576));
  if (kind === "burst") return plural(v, "process", "processes");
  return (Math.round(v * 10) / 10).toFixed(1) + " %";
}
// After the first pass (trace.T): the snapshots and the events of each.
function dumpIndex() {
  const { N, TYPE, T } = trace, names = trace.typeNames.length ? trace.typeNames : trace.M.types.map((t) => t.name);
  const tySys = names.indexOf("sysstat"), tySam = names.indexOf("sample"), tyThr = names.indexOf("threadstate");
  const tyExit = names.indexOf("procexit");
  const st0 = [], sam = [], thr = [];
  let exits = 0, exitsUnseen = 0, r = 0, d = 0;
  const pids = new Set();
  for (let i = 0; i < N; i++) {
    const ty = TYPE[i];
    if (ty === tySys) st0.push(T[i]);
    else if (ty === tySam) { sam.push(i); pids.add(pidOf(i)); }
    else if (ty === tyThr) {
      thr.push(i);
      const state = dumpStr(dumpF(i), "state");
      if (state === "R") r++; else if (state === "D") d++;
    } else if (ty === tyExit) { exits++; if (dumpBool(dumpF(i), "seen") === false) exitsUnseen++; }
  }
  // a dump without system records: the sample times are the snapshots
  let times = st0.length ? st0 : sam.map((i) => T[i]);
  times = Float64Array.from(new Set(times)).sort();
  dump.snapT = times;
  const at = (t) => {
    let k = lowerBound(times, t);
    if (k >= times.length || (k > 0 && t - times[k - 1] < times[k] - t)) k--;
    return k;
  };
  const group = (list) => {
    const out = Array.from(times, () => []);
    if (times.length) for (const i of list) out[at(T[i])].push(i);
    return out;
  };
  dump.samples = group(sam);
  dump.threads = group(thr);
  dump.counts = { snaps: times.length, samples: sam.length, procs: pids.size, exits, exitsUnseen, threads: thr.length, r, d,
    atTrig: 0 };
  if (times.length) {
    dump.trigSnap = dump.cur = at(T[dump.trig]);
    dump.counts.atTrig = dump.samples[dump.trigSnap].length;
  }
}
// After buildLanes(): the view centred on the trigger, with the context the
// dump was written with before it and after it.
function dumpRange() {
  if (!dump.on) return;
  dumpIndex();
  const t = trace.T[dump.trig], th = dump.info && trace.X[dump.trig] ? (JSON.parse(str(trace.X[dump.trig])).thresholds || {}) : {};
  const iv = (trace.M.header_extra && trace.M.header_extra.interval) || th.sampling_interval_seconds || 1;
  const half = 1e9 * Math.max(iv * (th.context_snapshots_per_dump || 10), th.post_trigger_seconds || 0, iv * 5);
  const a = Math.max(trace.tMin, t - half), b = Math.min(trace.tMax, t + half);
  // the dump's default view (reset zoom comes back to it)
  if (b > a) { trace.home = [a, b]; st.t0 = a; st.t1 = b; }
}
// The cursor's time, for the timeline's and the tracks' cursor line.
function dumpCursorT() { return dump.on && dump.cur >= 0 ? dump.snapT[dump.cur] : undefined; }
function dumpCursorLine(svg, t0, k, X0, W, H) {
  const t = dumpCursorT();
  if (t === undefined) return;
  const x = X0 + (t - t0) * k;
  if (x < X0 || x > X0 + W) return;
  const l = sv("line", { class: "dump-cursor", x1: x, x2: x, y1: AXIS_H - 4, y2: H });
  l.dataset.t = String(t);
  svg.append(l);
}

// ---- the process table at the cursor ------------------------------------------------
function dumpRowsAt(k) {
  let rows = dump.rows.get(k);
  if (rows) return rows;
  const thr = new Map();
  for (const i of dump.threads[k]) { const p = pidOf(i); thr.set(p, (thr.get(p) || 0) + 1); }
  rows = dump.samples[k].map((i) => {
    const s = dumpF(i);
    const pid = pidOf(i);
    let comm = dumpStr(s, "comm");
    if (comm === undefined) { const lane = trace.lanes.find((l) => !l.thread && l.pid === pid); comm = lane && lane.proc ? str(lane.proc.name) : ""; }
    return { i, pid, comm, cpu: dumpCpu(s), rss: dumpNum(s, "rss") || 0, swap: dumpNum(s, "swap") || 0,
      state: dumpStr(s, "state") || "", threads: dumpNum(s, "threads") || 0, thr: thr.get(pid) || 0 };
  });
  dump.rows.set(k, rows);
  return rows;
}
// A sample's CPU %, or -1 when it has none (the first sight of a process
// older than the watch: no interval measured yet).
function dumpCpu(s) { const v = dumpNum(s, "cpu"); return v === undefined || !isFinite(v) ? -1 : v; }
function dumpSorted(rows) {
  const key = dump.sort, other = key === "cpu" ? "rss" : "cpu";
  return rows.slice().sort((x, y) => y[key] - x[key] || y[other] - x[other] || x.pid - y.pid);
}
function dumpStep(d) {
  if (!dump.on || !dump.snapT.length) return false;
  const k = Math.max(0, Math.min(dump.snapT.length - 1, dump.cur + d));
  dumpCursor(k);
  return true;
}
function dumpCursor(k) {
  if (k === dump.cur) return;
  dump.cur = k;
  // keep the cursor in view
  const t = dump.snapT[k];
  if (t < st.t0 || t > st.t1) { const sp = st.t1 - st.t0; setRange(t - sp / 2, t + sp / 2); }
  else scheduleDraw();
  dumpTable();
}
function dumpTable() {
  const box = $("inc-procs");
  if (!box) return;
  box.textContent = "";
  const n = dump.snapT.length, k = dump.cur;
  const head = el("div", "inc-snap");
  const prev = el("button", "", "◀ ["), next = el("button", "", "] ▶");
  prev.type = next.type = "button";
  prev.title = "previous snapshot ([)"; next.title = "next snapshot (])";
  prev.disabled = k <= 0; next.disabled = k >= n - 1;
  prev.addEventListener("click", () => dumpStep(-1));
  next.addEventListener("click", () => dumpStep(1));
  const rows = k >= 0 ? dumpRowsAt(k) : [];
  const what = el("span", "inc-snap-t", k >= 0 ? "snapshot " + (k + 1) + " of " + n + " · +" + (dump.snapT[k] / 1e9).toFixed(3) + " s" +
    " · " + plural(rows.length, "process", "processes") : "no snapshots");
  head.append(prev, what, next);
  if (k === dump.trigSnap) head.append(el("span", "inc-trigmark", "trigger snapshot"));
  box.dataset.snap = String(k);
  box.dataset.t = k >= 0 ? String(dump.snapT[k]) : "";
  box.dataset.n = String(rows.length);
  box.classList.toggle("at-trigger", k === dump.trigSnap);
  box.append(head);
  const tbl = el("table", "inc-table"), thead = el("thead"), hr = el("tr");
  const cols = [["pid"], ["comm"], ["CPU", "cpu"], ["RSS", "rss"], ["state"], ["threads", "threads"], ["R/D threads"]];
  for (const [label, key] of cols) {
    const th = el("th");
    if (key) {
      const bt = el("button", key === dump.sort ? "on" : "", label + (key === dump.sort ? " ▼" : ""));
      bt.type = "button";
      bt.dataset.sort = key;
      bt.title = "sort by " + label;
      bt.addEventListener("click", () => { dump.sort = key; dumpTable(); });
      th.append(bt);
    } else th.textContent = label;
    if (label === "R/D threads") th.title = "threads seen running (R) or in uninterruptible sleep (D) at this snapshot (the dump records them for the busiest processes)";
    hr.append(th);
  }
  thead.append(hr);
  const tb = el("tbody");
  const sorted = dumpSorted(rows), shown = dump.all ? sorted : sorted.slice(0, DUMP_TOP);
  for (const r of shown) {
    const tr = el("tr");
    tr.dataset.pid = String(r.pid);
    tr.dataset.cpu = r.cpu < 0 ? "" : String(r.cpu);
    tr.dataset.rss = String(r.rss);
    if (trace.focusPids.has(r.pid)) tr.className = "focus";
    const b = el("button", "", String(r.pid));
    b.type = "button";
    b.title = "show only this process's lanes (again: all)";
    b.addEventListener("click", () => focusProcess(r.pid));
    const c0 = el("td"); c0.append(b);
    tr.append(c0, el("td", "comm", r.comm), el("td", "num", r.cpu < 0 ? "–" : r.cpu.toFixed(1) + " %"), el("td", "num", fmtBytes(r.rss)),
      el("td", "", r.state), el("td", "num", r.threads ? fmtN(r.threads) : ""), el("td", "num", r.thr ? String(r.thr) : ""));
    tr.dataset.threads = String(r.threads);
    tr.children[1].title = r.comm;
    if (r.cpu < 0) tr.children[2].title = "not measured yet: the first sight of a process older than the watch";
    tb.append(tr);
  }
  tbl.append(thead, tb);
  box.append(tbl);
  const foot = el("div", "inc-foot");
  if (rows.length > DUMP_TOP) {
    const more = el("button", "", dump.all ? "top " + DUMP_TOP : "all " + fmtN(rows.length));
    more.type = "button";
    more.id = "inc-more";
    more.addEventListener("click", () => { dump.all = !dump.all; dumpTable(); });
    foot.append(el("span", "dim", "showing " + fmtN(shown.length) + " of " + fmtN(rows.length) + " "), more);
  }
  foot.append(el("p", "dim", "The dump holds every process at the trigger snapshot; at the others, the busy ones and those the trigger names."));
  box.append(foot);
}

// ---- the incident panel -------------------------------------------------------------
function dumpPanel() {
  if (!dump.on) return;
  const box = $("incident"), I = dump.info;
  box.hidden = false;
  box.textContent = "";
  const facts = el("div", "inc-facts");
  const h = el("h2", "", "Incident: ");
  h.append(el("span", "inc-kind", I.kind));
  const state = el("span", "inc-state " + (I.ongoing === false ? "ended" : "ongoing"),
    I.ongoing === false ? "ended" + (I.dur ? " after " + fmtDur(I.dur) : "") : I.ongoing ? "ongoing when written" : "");
  h.append(" ", state);
  facts.append(h);
  const dl = el("dl");
  const add = (k, v, cls) => { const dd = el("dd", cls || "", v); dl.append(el("dt", "", k), dd); return dd; };
  const p0 = I.procs[0];
  if (p0 && p0.pid > 0) {
    const dd = add("process", "");
    const b = el("button", "inc-proc", String(p0.comm || "") + " (pid " + p0.pid + ")");
    b.type = "button";
    b.dataset.pid = String(p0.pid);
    b.title = "show only this process's lanes (again: all)";
    b.addEventListener("click", () => focusProcess(p0.pid));
    dd.append(b);
    if (Array.isArray(p0.argv) && p0.argv.length) dd.append(el("div", "inc-argv", p0.argv.join(" ")));
  } else add("scope", I.scope || "system");
  // cpu: the value is the process's CPU, the threshold a rise over its baseline
  const v = add("value", dumpFmt(I.kind, I.value) + " against threshold " + (I.kind === "cpu" ? "+" : "") + dumpFmt(I.kind, I.threshold) +
    (I.kind === "cpu" ? " over the baseline" : "") +
    (I.baseline !== undefined ? ", baseline " + dumpFmt(I.kind, I.baseline) : ""));
  v.id = "inc-value";
  const t = trace.T[dump.trig];
  add("when", (I.when ? I.when.replace("T", " ").replace("Z", " UTC") + " · " : "") + "+" + (t / 1e9).toFixed(3) + " s into the dump");
  if (I.msg) add("what", I.msg, "inc-msg");
  for (const r of I.related) {
    add("also", String(r.kind || "?") + (r.scope ? " (" + r.scope + ")" : "") + ": " + dumpFmt(String(r.kind), Number(r.value)) +
      " against " + dumpFmt(String(r.kind), Number(r.threshold)) + (r.baseline !== undefined ? ", baseline " + dumpFmt(String(r.kind), Number(r.baseline)) : "") +
      (r.msg ? " · " + r.msg : ""), "inc-related");
  }
  if (I.procs.length > 1) add("also named", I.procs.slice(1).filter((p) => p.pid > 0).map((p) => (p.comm || "") + " (" + p.pid + ")").join(", "));
  facts.append(dl);
  const procs = el("div");
  procs.id = "inc-procs";
  box.append(facts, procs);
  dumpTable();
  // a click on the timeline or a track (not a drag) moves the cursor to the nearest snapshot
  const clickTo = (target) => {
    let x0 = 0;
    target.addEventListener("mousedown", (ev) => { x0 = ev.clientX; });
    target.addEventListener("click", (ev) => {
      if (Math.abs(ev.clientX - x0) > 3 || !dump.snapT.length) return;
      const svg = ev.target.closest && ev.target.closest("svg");
      if (!svg) return;
      const r = svg.getBoundingClientRect(), vb = svg.viewBox.baseVal;
      const w = vb && vb.width ? vb.width : r.width;
      const x = (ev.clientX - r.left) * w / Math.max(1, r.width) - LABEL_W;
      if (x < 0) return;
      const tt = st.t0 + x * (st.t1 - st.t0) / Math.max(1, view.svgW - LABEL_W);
      let k = lowerBound(dump.snapT, tt);
      if (k >= dump.snapT.length || (k > 0 && tt - dump.snapT[k - 1] < dump.snapT[k] - tt)) k--;
      dumpCursor(k);
    });
  };
  clickTo($("tl-main"));
  clickTo($("tracks"));
}

// ---- cards --------------------------------------------------------------------------
function onlyType(name) {
  const all = new Set(trace.M.types.map((t) => t.name));
  all.delete(name);
  const same = all.size === st.hideTypes.size && [...all].every((t) => st.hideTypes.has(t));
  st.hideTypes = same ? new Set() : all;
  update(true);
}
function dumpCards() {
  const c = dump.counts, I = dump.info;
  const iv = trace.M.header_extra && trace.M.header_extra.interval;
  const span = c.snaps > 1 ? dump.snapT[c.snaps - 1] - dump.snapT[0] : 0;
  card("Incident", I.kind, (I.procs[0] && I.procs[0].pid > 0 ? (I.procs[0].comm || "") + " (pid " + I.procs[0].pid + "), " : "") +
    (I.ongoing === false ? "ended" : "ongoing") + (trace.M.summary.triggers > 1 ? ", " + plural(trace.M.summary.triggers, "trigger", "triggers") : ""),
    () => onlyType("trigger"), "triggers"); // the key a trace's Triggers card has
  card("Snapshots", fmtN(c.snaps), (iv ? "every " + iv + " s, " : "") + "over " + fmtDur(span) + "; trigger at #" + (dump.trigSnap + 1),
    () => onlyType("sysstat"), "dump-snapshots");
  card("Processes", plural(c.procs, "process", "processes") + " seen", fmtN(c.atTrig) + " at the trigger snapshot, " +
    plural(c.samples, "sample", "samples"), () => onlyType("sample"), "dump-processes");
  card("Short-lived exits", fmtN(c.exits), c.exits ? fmtN(c.exitsUnseen) + " never seen by a scan" : "no exits recorded",
    () => onlyType("procexit"), "dump-exits");
  card("Thread states", fmtN(c.threads), c.threads ? "R (running) " + fmtN(c.r) + ", D (blocked) " + fmtN(c.d) : "no thread records",
    () => onlyType("threadstate"), "dump-threads");
}
const DUMP_CARD_TYPE = { "triggers": "trigger", "dump-snapshots": "sysstat", "dump-processes": "sample", "dump-exits": "procexit", "dump-threads": "threadstate" };
function dumpCardOn(key) {
  const t = dump.on && DUMP_CARD_TYPE[key];
  return !!t && st.hideTypes.size === trace.M.types.length - 1 && !st.hideTypes.has(t);
}
