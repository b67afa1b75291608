// SPDX-License-Identifier: MIT
// compendium report script: the model built from the columns. Type colours,
// lanes (one per process and thread) from one pass over all events; the rows
// the filters keep and the search hits among them; st in the URL fragment.
// ---- colours -------------------------------------------------------------
const CAT_HUE = { process: 220, file: 140, network: 280, memory: 30, io: 190, signal: 0, ipc: 320,
  desc: 100, fault: 350, system: 60, other: 0 };
const TYPE_SHADE = { read: 58, write: 32, recv: 60, send: 34, open: 40, close: 62, mmap: 45, munmap: 65,
  brk: 35, spawn: 40, exec: 30, exit: 55, crash: 45 };
function setupColors() {
  trace.typeNames = trace.M.types.map((t) => t.name);
  const perCat = {};
  const catOf = new Array(trace.M.types.length).fill(-1);
  let left = trace.M.types.length;
  const { N, TYPE, CAT } = trace;
  for (let k = 0; k < N && left; k++) if (catOf[TYPE[k]] < 0) { catOf[TYPE[k]] = CAT[k]; left--; }
  trace.typeColor = trace.M.types.map((t, i) => {
    // the category of a type: the category of its first event
    const c = trace.M.cats[catOf[i]] || "other";
    const n = perCat[c] = (perCat[c] || 0) + 1;
    const hue = CAT_HUE[c] !== undefined ? CAT_HUE[c] : 0;
    const sat = c === "other" ? 0 : 62;
    const light = TYPE_SHADE[t.name] || [46, 36, 56, 30, 62, 40, 52][(n - 1) % 7];
    return "hsl(" + hue + " " + sat + "% " + light + "%)";
  });
}

// ---- lanes ---------------------------------------------------------------
// Processes in tree order: each one's lane, then its threads', then its
// children's subtrees (by first event), with lane.depth its depth in the tree.
// A process whose parent is not in the trace is a root. When trace.focusPids
// is not empty (a dump's trigger process, then the others it names), the
// subtrees holding those pids come first at every level, in the set's order
// (the subtree of the first pid first), so they sit at the top.
function buildLanes(C) {
  const procs = trace.M.procs.slice().sort((a, b) => a.first - b.first || a.pid - b.pid);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const kids = new Map();
  const roots = [];
  for (const p of procs) {
    if (p.ppid === p.pid || !byPid.has(p.ppid)) roots.push(p);
    else { if (!kids.has(p.ppid)) kids.set(p.ppid, []); kids.get(p.ppid).push(p); }
  }
  // hot: pid -> the rank of the first focus pid in its subtree
  const focus = trace.focusPids, hot = new Map();
  if (focus && focus.size) {
    let rank = 0;
    for (const pid of focus) {
      for (let p = byPid.get(pid); p && !hot.has(p.pid); p = byPid.get(p.ppid)) hot.set(p.pid, rank);
      rank++;
    }
  }
  const rankOf = (p) => { const r = hot.get(p.pid); return r === undefined ? Infinity : r; };
  const order = (list) => (hot.size ? list.slice().sort((a, b) => { const x = rankOf(a), y = rankOf(b); return x === y ? 0 : x < y ? -1 : 1; }) : list);
  const byTid = new Map();
  const procLane = new Map();
  const add = (p, depth, parentLane) => {
    const me = trace.lanes.length;
    trace.lanes.push({ pid: p.pid, tid: p.pid, thread: false, proc: p, label: p.pid + " " + (str(p.name) || ""),
      first: p.first, last: p.last, exit: p.exit, depth, parentLane, sub: 0 });
    procLane.set(p.pid, me);
    byTid.set(p.pid, me);
    for (const tid of p.threads) {
      byTid.set(tid, trace.lanes.length);
      trace.lanes.push({ pid: p.pid, tid, thread: true, proc: p, label: "↳ " + tid + " (thread)", depth, parentLane: me });
    }
    return me;
  };
  // depth first without recursion (a chain of forks can be thousands deep);
  // processes in a parent cycle (pid reuse) are reached as roots at the end
  const done = new Set();
  const walk = (root) => {
    const stack = [[root, 0, -1]];
    while (stack.length) {
      const [p, depth, parentLane] = stack.pop();
      if (done.has(p)) continue;
      done.add(p);
      const me = add(p, depth, parentLane);
      const ks = order(kids.get(p.pid) || []);
      for (let j = ks.length - 1; j >= 0; j--) stack.push([ks[j], depth + 1, me]);
    }
  };
  for (const r of order(roots)) walk(r);
  for (const p of order(procs)) if (!done.has(p)) walk(p);
  // lanes under each process lane (its threads and its subtree's lanes)
  for (let l = trace.lanes.length - 1; l >= 0; l--) {
    const L = trace.lanes[l];
    if (L.parentLane >= 0) trace.lanes[L.parentLane].sub += (L.thread ? 0 : L.sub) + 1;
  }
  // one lane per entry of the thread table, then per event by its thread
  const thr = trace.M.threads, nthr = thr.length / 2, laneOfTh = new Int32Array(nthr);
  let sys = -1;
  for (let k = 0; k < nthr; k++) {
    const pid = thr[2 * k], tid = thr[2 * k + 1];
    let l = byTid.get(tid);
    if (l === undefined || trace.lanes[l].pid !== pid) l = procLane.get(pid);
    if (l === undefined) {
      if (sys < 0) { sys = trace.lanes.length; trace.lanes.push({ pid: 0, tid: 0, thread: false, system: true, label: "system" }); }
      l = sys;
    }
    laneOfTh[k] = l;
  }
  scan(C, laneOfTh);
  trace.lanes.forEach((l, k) => {
    if (!l.thread && !l.system) return;
    l.first = trace.laneFirst[k]; l.last = trace.laneLast[k];
  });
  findIdle();
}
// One pass over all events (each such pass costs tens of ms while the code
// is still cold): the times (delta-coded, with escapes for wide gaps), the
// end of the trace (durations included), the categories (stored as a
// difference from the type's default), each event's lane with the lane's
// first and last time and count (the events are in time order) and the
// identity row list.
function scan(C, laneOfTh) {
  const N = trace.N;
  const TT = trace.T = new Float64Array(N), lo = trace.laneOf = new Int32Array(N), id = trace.ident = new Uint32Array(N);
  const nl = trace.lanes.length, lf = trace.laneFirst = new Float64Array(nl).fill(Infinity), ll = trace.laneLast = new Float64Array(nl).fill(-Infinity);
  const cnt = trace.laneCount = new Uint32Array(nl);
  const dt = C.dt, txi = C.tx_i, txv = C.tx_v, dur = trace.DUR, durX = trace.durX, cat = trace.CAT, type = trace.TYPE, th = trace.TH;
  const tcat = Uint8Array.from(trace.M.types.map((x) => x.cat));
  let t = 0, e = 0, end = -Infinity;
  for (let i = 0; i < N; i++) {
    const d = dt[i];
    if (d === ESC32 && e < txi.length && txi[e] === i) t = txv[e++];
    else t += d;
    TT[i] = t;
    let u = dur[i];
    if (u === ESC32) u = durX.get(i);
    if (t + u > end) end = t + u;
    cat[i] = (cat[i] + tcat[type[i]]) & 255;
    const l = lo[i] = laneOfTh[th[i]] | 0; // (a thread index past the table: lane 0)
    if (!cnt[l]++) lf[l] = t;
    ll[l] = t;
    id[i] = i;
  }
  trace.tMin = N ? TT[0] : 0;
  trace.tMax = N ? Math.max(end, trace.tMin + 1000) : 1000;
}

// ---- filters -------------------------------------------------------------
function refilter() {
  const catOk = new Uint8Array(256), typeOk = new Uint8Array(trace.M.types.length), laneOk = new Uint8Array(trace.lanes.length);
  trace.M.cats.forEach((c, i) => { catOk[i] = st.hideCats.has(c) ? 0 : 1; });
  for (let i = trace.M.cats.length; i < 256; i++) catOk[i] = 1;
  trace.M.types.forEach((t, i) => { typeOk[i] = st.hideTypes.has(t.name) ? 0 : 1; });
  trace.lanes.forEach((l, i) => { laneOk[i] = st.hideLanes.has(String(l.tid)) ? 0 : 1; });
  const path = st.path, failed = st.failed;
  if (path) allColumns();
  if (!path && !failed && !st.hideCats.size && !st.hideTypes.size && !st.hideLanes.size) {
    view.rows = trace.ident;
  } else {
    const { N, CAT, TYPE, laneOf, FLAGS, PATH } = trace;
    const out = new Uint32Array(N);
    let n = 0;
    for (let i = 0; i < N; i++) {
      if (!catOk[CAT[i]] || !typeOk[TYPE[i]] || !laneOk[laneOf[i]]) continue;
      if (failed && !(FLAGS[i] & 4)) continue;
      if (path && PATH[i] !== path) continue;
      out[n++] = i;
    }
    view.rows = out.subarray(0, n);
  }
  view.lod = null;
  computeHits();
}

function computeHits() {
  view.hits = new Uint32Array(0);
  view.hitMark = null;
  const q = st.q;
  if (!q) return;
  allColumns();
  const ql = q.toLowerCase();
  // fields are matched as the table shows them: separated by spaces, vector elements by ", "
  if (!lowerS) lowerS = trace.S.map((s) => (/[\x1e\x1f]/.test(s) ? s.replace(/\x1f/g, " ").replace(/\x1e/g, ", ") : s).toLowerCase());
  const hitMark = view.hitMark = new Uint8Array(trace.S.length + 1);
  for (let k = 0; k < lowerS.length; k++) if (lowerS[k].includes(ql)) hitMark[k + 1] = 1;
  const typeHit = trace.typeNames.map((t) => t.includes(ql));
  const rows = view.rows, { STR, PATH, X, TYPE } = trace;
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (hitMark[STR[i]] || hitMark[PATH[i]] || hitMark[X[i]] || typeHit[TYPE[i]]) out[n++] = r;
  }
  view.hits = out.subarray(0, n);
}
let lowerS = null;

// lower bound of time t in rows
function rowAt(t) {
  const rows = view.rows, T = trace.T;
  let lo = 0, hi = rows.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (T[rows[m]] < t) lo = m + 1; else hi = m; }
  return lo;
}

// ---- URL fragment ----------------------------------------------------------
let hashTimer = 0;
function saveHash() {
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => {
    const p = new URLSearchParams();
    if (st.t0 !== trace.home[0] || st.t1 !== trace.home[1]) p.set("t", Math.round(st.t0) + "," + Math.round(st.t1));
    if (st.fold.size) p.set("fold", [...st.fold].join(","));
    if (st.hideCats.size) p.set("hc", [...st.hideCats].join(","));
    if (st.hideTypes.size) p.set("ht", [...st.hideTypes].join(","));
    if (st.hideLanes.size) p.set("hl", [...st.hideLanes].join(","));
    if (st.path) p.set("path", str(st.path));
    if (st.failed) p.set("failed", "1");
    if (st.exact) p.set("lod", "0");
    if (st.q) p.set("q", st.q);
    if (st.sel >= 0) p.set("sel", String(st.sel));
    const h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }, 150);
}
function loadHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const t = (p.get("t") || "").split(",").map(Number);
  if (t.length === 2 && isFinite(t[0]) && isFinite(t[1]) && t[1] > t[0]) { st.t0 = t[0]; st.t1 = t[1]; }
  const set = (k) => new Set((p.get(k) || "").split(",").filter((x) => x));
  st.hideCats = set("hc"); st.hideTypes = set("ht"); st.hideLanes = set("hl"); st.fold = set("fold");
  const path = p.get("path");
  if (path) { const k = trace.S.indexOf(path); st.path = k >= 0 ? k + 1 : 0; }
  st.failed = p.get("failed") === "1";
  // lod=0: draw every event of every view one by one (slower; for checking)
  st.exact = p.get("lod") === "0";
  st.q = p.get("q") || "";
  const sel = Number(p.get("sel"));
  st.sel = p.has("sel") && sel >= 0 && sel < trace.N ? sel : -1;
}
