// SPDX-License-Identifier: MIT
// compendium report: decode the embedded columns, draw the timeline, table,
// cards and details. Trace text reaches the DOM only through textContent and
// attribute setters; the page makes no network request.
"use strict";
(function () {
const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const ESC32 = 0xffffffff;
const ROW_H = 20, LANE_H = 18, LABEL_W = 190, AXIS_H = 22, SPACER_MAX = 8e6, POOL = 80;

let M, N = 0;               // meta, event count
let T, TH, TYPE, CAT, FLAGS, DUR, BYTES, STR, PATH, X; // columns
let durX = new Map(), bytesX = new Map();
let S = [];                 // display strings, id 1.. at S[id - 1]
let lanes = [], laneOf;     // lane list; event -> lane index
let laneCount;              // events per lane
let rows = new Uint32Array(0);       // filtered event indexes, in time order
let hitMark = null, hits = new Uint32Array(0); // search: per string id; matching positions in rows
const st = { t0: 0, t1: 1, hideCats: new Set(), hideTypes: new Set(), hideLanes: new Set(),
  path: 0, failed: false, q: "", sel: -1, exact: false };
let tMin = 0, tMax = 1;
let typeColor = [], typeNames = [];

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
function sv(tag, attrs) {
  const e = document.createElementNS(SVGNS, tag);
  if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}
const str = (id) => (id ? S[id - 1] : "");
const durOf = (i) => { const d = DUR[i]; return d === ESC32 ? durX.get(i) : d; };
const bytesOf = (i) => {
  const b = BYTES ? BYTES[i] : planeAt("bytes", i);
  if (b !== ESC32) return b;
  allColumns();
  return bytesX.get(i);
};
const strIdOf = (i) => (STR ? STR[i] : planeAt("str", i));
const pathIdOf = (i) => (PATH ? PATH[i] : planeAt("path", i));
// pid and tid of an event, from the thread table (meta.threads: pid, tid pairs)
const pidOf = (i) => M.threads[TH[i] * 2], tidOf = (i) => M.threads[TH[i] * 2 + 1];

// ---- formatting ----------------------------------------------------------
function fmtBytes(n) {
  if (n < 1024) return n + " B";
  const u = ["KiB", "MiB", "GiB", "TiB"];
  let i = -1;
  do { n /= 1024; i++; } while (n >= 1024 && i < u.length - 1);
  return n.toFixed(n < 10 ? 2 : 1) + " " + u[i];
}
function fmtDur(ns) {
  if (ns < 1e3) return ns.toFixed(0) + " ns";
  if (ns < 1e6) return (ns / 1e3).toFixed(ns < 1e4 ? 2 : 1) + " µs";
  if (ns < 1e9) return (ns / 1e6).toFixed(ns < 1e7 ? 2 : 1) + " ms";
  return (ns / 1e9).toFixed(3) + " s";
}
function fmtTime(ns) { return (ns / 1e9).toFixed(6); }
// en-US grouping without Intl: its first use costs tens of ms at load
const fmtN = (n) => {
  n = Number(n);
  if (!Number.isSafeInteger(n)) return n.toLocaleString("en-US");
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
};
const plural = (n, one, many) => fmtN(n) + " " + (Number(n) === 1 ? one : many);

// ---- decoding ------------------------------------------------------------
// Uint8Array.fromBase64 and atob both skip the whitespace between lines
function b64(s) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(s);
  const bin = atob(s), out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
// gunzip straight into one buffer of the announced size: reading the chunks
// into it beats new Response(stream).arrayBuffer() (210-260 ms against
// 270-370 ms for 1M events here), which collects and copies them again
async function gunzip(parts, size) {
  if (typeof DecompressionStream === "undefined")
    throw new Error("this browser lacks DecompressionStream (gzip); use a current Chromium, Firefox or Safari");
  const ds = new DecompressionStream("gzip"), w = ds.writable.getWriter();
  // the reader sees the same error, with its message
  for (const p of parts) w.write(p).catch(() => {});
  w.close().catch(() => {});
  const out = new Uint8Array(size), r = ds.readable.getReader();
  let o = 0;
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    if (value.length > size - o) { r.cancel().catch(() => {}); o += value.length; break; }
    out.set(value, o);
    o += value.length;
  }
  if (o !== size) throw new Error("trace data is damaged: " + (o > size ? "more than " : "") + o + " bytes, expected " + size);
  return out;
}
// A plane is all zero: true for the high bytes of small values.
function zeroPlane(src, off, n) {
  let i = off;
  const end = off + n;
  for (; i < end && ((src.byteOffset + i) & 3); i++) if (src[i]) return false;
  const words = (end - i) >> 2;
  if (words > 0) {
    const w = new Uint32Array(src.buffer, src.byteOffset + i, words);
    for (let k = 0; k < words; k++) if (w[k]) return false;
    i += words * 4;
  }
  for (; i < end; i++) if (src[i]) return false;
  return true;
}
// Columns are stored as byte planes (all low bytes, then the next ...): put
// each value together again. Integer planes that are all zero are skipped.
function unplane(src, L, K) {
  const size = K.BYTES_PER_ELEMENT, n = L.n;
  // (a copy, so that the inflated buffer can go once all columns are out)
  if (size === 1) return src.slice(L.off, L.off + n);
  const out = new K(n);
  if (K === Float64Array) {
    const ob = new Uint8Array(out.buffer);
    for (let b = 0; b < size; b++) {
      const base = L.off + b * n;
      for (let i = 0, o = b; i < n; i++, o += size) ob[o] = src[base + i];
    }
    return out;
  }
  // integers: the low plane converts natively, the others are ORed in
  const u = size === 4 ? new Uint32Array(out.buffer) : new Uint16Array(out.buffer);
  u.set(src.subarray(L.off, L.off + n));
  for (let b = 1; b < size; b++) {
    const base = L.off + b * n;
    if (zeroPlane(src, base, n)) continue;
    const p = src.subarray(base, base + n), sh = 8 * b;
    for (let i = 0; i < n; i++) u[i] |= p[i] << sh;
  }
  return out;
}
async function decode() {
  const parts = [];
  for (const s of document.querySelectorAll("script.trace-data")) parts.push(b64(s.textContent));
  mark("base64");
  const src = await gunzip(parts, M.raw_len);
  mark("gunzip");
  const C = {};
  const kinds = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array, utf8: Uint8Array };
  for (const L of M.layout) {
    const K = kinds[L.type];
    if (!K || L.off + L.n * K.BYTES_PER_ELEMENT > src.length) throw new Error("trace data is damaged: column " + L.name + " does not fit");
    if (LAZY.has(L.name)) lazy[L.name] = { L, K };
    else C[L.name] = unplane(src, L, K);
  }
  lazySrc = src; lazyC = C;
  N = M.count;
  TYPE = C.type; CAT = C.cat; FLAGS = C.flags; TH = C.th; DUR = C.dur;
  // wide durations
  for (let k = 0; k < C.dux_i.length; k++) durX.set(C.dux_i[k], C.dux_v[k]);
  mark("columns");
  S = M.nstrings ? new TextDecoder().decode(C.strings).split("\n") : [];
  return C;
}
let ident = null;           // 0, 1, ... N-1: the rows when nothing is filtered

// Columns the first frame needs only for the visible rows are put together
// on first full use (search, a file filter, export, details, or right after
// the first frame); until then single values come from their byte planes.
const LAZY = new Set(["bytes", "byx_i", "byx_v", "str", "path", "x_i", "x_v", "err_i", "err_v", "s_id", "s_t", "s_v"]);
const lazy = {};
let lazySrc = null, lazyC = null;
function planeAt(name, i) {
  const z = lazy[name];
  if (!z || i >= z.L.n) return 0;
  const n = z.L.n, o = z.L.off + i;
  let v = 0;
  for (let b = z.K.BYTES_PER_ELEMENT - 1; b >= 0; b--) v = v * 256 + lazySrc[o + b * n];
  return v;
}
function allColumns() {
  if (!lazySrc) return;
  const C = lazyC;
  for (const name in lazy) C[name] = unplane(lazySrc, lazy[name].L, lazy[name].K);
  lazySrc = null; lazyC = null;
  BYTES = C.bytes; STR = C.str; PATH = C.path;
  // sparse columns: extra JSON (stack, disasm) and wide byte counts
  X = new Uint32Array(N);
  for (let k = 0; k < C.x_i.length; k++) if (C.x_i[k] < N) X[C.x_i[k]] = C.x_v[k];
  for (let k = 0; k < C.byx_i.length; k++) bytesX.set(C.byx_i[k], C.byx_v[k]);
}

// ---- colours -------------------------------------------------------------
const CAT_HUE = { process: 220, file: 140, network: 280, memory: 30, io: 190, signal: 0, ipc: 320,
  desc: 100, fault: 350, system: 60, other: 0 };
const TYPE_SHADE = { read: 58, write: 32, recv: 60, send: 34, open: 40, close: 62, mmap: 45, munmap: 65,
  brk: 35, spawn: 40, exec: 30, exit: 55, crash: 45 };
function setupColors() {
  typeNames = M.types.map((t) => t.name);
  const perCat = {};
  const catOf = new Array(M.types.length).fill(-1);
  let left = M.types.length;
  for (let k = 0; k < N && left; k++) if (catOf[TYPE[k]] < 0) { catOf[TYPE[k]] = CAT[k]; left--; }
  typeColor = M.types.map((t, i) => {
    // the category of a type: the category of its first event
    const c = M.cats[catOf[i]] || "other";
    const n = perCat[c] = (perCat[c] || 0) + 1;
    const hue = CAT_HUE[c] !== undefined ? CAT_HUE[c] : 0;
    const sat = c === "other" ? 0 : 62;
    const light = TYPE_SHADE[t.name] || [46, 36, 56, 30, 62, 40, 52][(n - 1) % 7];
    return "hsl(" + hue + " " + sat + "% " + light + "%)";
  });
}

// ---- lanes ---------------------------------------------------------------
function buildLanes(C) {
  const procs = M.procs.slice().sort((a, b) => a.first - b.first || a.pid - b.pid);
  const byTid = new Map();
  const procLane = new Map();
  for (const p of procs) {
    const name = str(p.name) || "";
    const lane = { pid: p.pid, tid: p.pid, thread: false, proc: p, label: p.pid + " " + name,
      first: p.first, last: p.last, exit: p.exit };
    procLane.set(p.pid, lanes.length);
    byTid.set(p.pid, lanes.length);
    lanes.push(lane);
    for (const tid of p.threads) {
      byTid.set(tid, lanes.length);
      lanes.push({ pid: p.pid, tid, thread: true, proc: p, label: "↳ " + tid + " (thread)" });
    }
  }
  // one lane per entry of the thread table, then per event by its thread
  const thr = M.threads, nthr = thr.length / 2, laneOfTh = new Int32Array(nthr);
  let sys = -1;
  for (let k = 0; k < nthr; k++) {
    const pid = thr[2 * k], tid = thr[2 * k + 1];
    let l = byTid.get(tid);
    if (l === undefined || lanes[l].pid !== pid) l = procLane.get(pid);
    if (l === undefined) {
      if (sys < 0) { sys = lanes.length; lanes.push({ pid: 0, tid: 0, thread: false, system: true, label: "system" }); }
      l = sys;
    }
    laneOfTh[k] = l;
  }
  scan(C, laneOfTh);
  lanes.forEach((l, k) => {
    if (!l.thread && !l.system) return;
    l.first = laneFirst[k]; l.last = laneLast[k];
  });
}
// One pass over all events (each such pass costs tens of ms while the code
// is still cold): the times (delta-coded, with escapes for wide gaps), the
// end of the trace (durations included), the categories (stored as a
// difference from the type's default), each event's lane with the lane's
// first and last time and count (the events are in time order) and the
// identity row list.
let laneFirst, laneLast;
function scan(C, laneOfTh) {
  T = new Float64Array(N);
  laneOf = new Int32Array(N);
  ident = new Uint32Array(N);
  const nl = lanes.length, lf = laneFirst = new Float64Array(nl).fill(Infinity), ll = laneLast = new Float64Array(nl).fill(-Infinity);
  const cnt = laneCount = new Uint32Array(nl);
  const dt = C.dt, txi = C.tx_i, txv = C.tx_v, dur = DUR, cat = CAT, type = TYPE, th = TH, lo = laneOf, id = ident, TT = T;
  const tcat = Uint8Array.from(M.types.map((x) => x.cat));
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
  tMin = N ? T[0] : 0;
  tMax = N ? Math.max(end, tMin + 1000) : 1000;
}

// ---- filters -------------------------------------------------------------
function refilter() {
  const catOk = new Uint8Array(256), typeOk = new Uint8Array(M.types.length), laneOk = new Uint8Array(lanes.length);
  M.cats.forEach((c, i) => { catOk[i] = st.hideCats.has(c) ? 0 : 1; });
  for (let i = M.cats.length; i < 256; i++) catOk[i] = 1;
  M.types.forEach((t, i) => { typeOk[i] = st.hideTypes.has(t.name) ? 0 : 1; });
  lanes.forEach((l, i) => { laneOk[i] = st.hideLanes.has(String(l.tid)) ? 0 : 1; });
  const path = st.path, failed = st.failed;
  if (path) allColumns();
  if (!path && !failed && !st.hideCats.size && !st.hideTypes.size && !st.hideLanes.size) {
    rows = ident;
  } else {
    const out = new Uint32Array(N);
    let n = 0;
    for (let i = 0; i < N; i++) {
      if (!catOk[CAT[i]] || !typeOk[TYPE[i]] || !laneOk[laneOf[i]]) continue;
      if (failed && !(FLAGS[i] & 4)) continue;
      if (path && PATH[i] !== path) continue;
      out[n++] = i;
    }
    rows = out.subarray(0, n);
  }
  lod = null;
  computeHits();
}

function computeHits() {
  hits = new Uint32Array(0);
  hitMark = null;
  const q = st.q;
  if (!q) return;
  allColumns();
  const ql = q.toLowerCase();
  if (!lowerS) lowerS = S.map((s) => s.toLowerCase());
  hitMark = new Uint8Array(S.length + 1);
  for (let k = 0; k < lowerS.length; k++) if (lowerS[k].includes(ql)) hitMark[k + 1] = 1;
  const typeHit = typeNames.map((t) => t.includes(ql));
  const out = new Uint32Array(rows.length);
  let n = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    if (hitMark[STR[i]] || hitMark[PATH[i]] || hitMark[X[i]] || typeHit[TYPE[i]]) out[n++] = r;
  }
  hits = out.subarray(0, n);
}
let lowerS = null;

// lower bound of time t in rows
function rowAt(t) {
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
    if (st.t0 !== tMin || st.t1 !== tMax) p.set("t", Math.round(st.t0) + "," + Math.round(st.t1));
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
  st.hideCats = set("hc"); st.hideTypes = set("ht"); st.hideLanes = set("hl");
  const path = p.get("path");
  if (path) { const k = S.indexOf(path); st.path = k >= 0 ? k + 1 : 0; }
  st.failed = p.get("failed") === "1";
  // lod=0: draw every event of every view one by one (slower; for checking)
  st.exact = p.get("lod") === "0";
  st.q = p.get("q") || "";
  const sel = Number(p.get("sel"));
  st.sel = p.has("sel") && sel >= 0 && sel < N ? sel : -1;
}

// ---- header, notes, cards ----------------------------------------------------
function header() {
  const argv = M.argv || [];
  $("h-cmd").textContent = argv.length ? argv.join(" ") : "(" + M.mode + ")";
  document.title = "compendium: " + (argv.join(" ") || M.mode);
  const facts = $("h-facts");
  const add = (k, v) => { if (v === undefined || v === null || v === "") return; const d = el("div"); d.append(el("dt", "", k), el("dd", "", String(v))); facts.append(d); };
  add("start", M.start ? M.start.replace("T", " ").replace("Z", " UTC") : "");
  add("duration", fmtDur(Math.max(M.t_end || 0, tMax)));
  let status = M.end;
  if (M.end === "exited" || M.end === "failed") status += " " + M.code;
  if (M.end === "signaled") status += " by " + M.signal + (M.core ? " (core dumped)" : "");
  if (M.interrupted) status += ", interrupted";
  add("exit", status + " → " + M.exit_status);
  add("host", M.host);
  add("kernel", M.kernel);
  add("mode", M.mode);
  add("events", fmtN(N));
  if (M.cpu_user || M.cpu_sys) add("cpu", "user " + M.cpu_user.toFixed(3) + " s, sys " + M.cpu_sys.toFixed(3) + " s");
  // extra facts of other modules (the faults summary, a dump's interval ...)
  for (const x of [M.header_extra, M.end_extra]) if (x && typeof x === "object") {
    for (const [k, v] of Object.entries(x)) {
      const t = v && typeof v === "object" ? Object.entries(v).map(([a, b]) => a + " " + (typeof b === "object" ? JSON.stringify(b) : b)).join(", ") : String(v);
      add(k, t.length > 160 ? t.slice(0, 159) + "…" : t);
    }
  }
  if (M.warnings) {
    const w = $("warnings");
    w.textContent = "Some of the input could not be read; this report shows what could.\n" + M.warnings;
    w.hidden = false;
  }
  const notes = [];
  notes.push("All " + fmtN(N) + " events are included: this report has no event cap.");
  if (M.redact) notes.push(M.nredacted ? plural(M.nredacted, "event or argument", "events or arguments") + " had secrets replaced by [REDACTED] (flagged in the details)."
    : "Secret redaction was on; nothing matched. Reports may still contain secrets.");
  else notes.push("Redaction was off (--no-redact): secrets appear as traced.");
  // M.sorted is false for most traces (an event is logged when its syscall
  // returns, stamped with its start): sorting by time is normal, not news
  const n = $("notes");
  n.textContent = notes.join(" ");
  n.hidden = false;
}

function card(title, big, sub, onClick, key) {
  const c = el("div", "card");
  c.tabIndex = 0;
  c.setAttribute("role", "button");
  c.dataset.card = key;
  c.append(el("h2", "", title), el("div", "big", big), el("div", "sub", sub));
  c.addEventListener("click", (ev) => { if (ev.target.closest("li")) return; onClick(); });
  c.addEventListener("keydown", (ev) => { if ((ev.key === "Enter" || ev.key === " ") && ev.target === c) { ev.preventDefault(); onClick(); } });
  $("cards").append(c);
  return c;
}
function onlyCat(...cats) {
  const all = new Set(M.cats);
  for (const c of cats) all.delete(c);
  const same = all.size === st.hideCats.size && [...all].every((c) => st.hideCats.has(c));
  st.hideCats = same ? new Set() : all;
  update(true);
}
function cards() {
  const s = M.summary;
  card("Memory", fmtBytes(s.mmap_bytes), fmtN(s.mmaps) + " mmaps, brk +" + fmtBytes(s.brk_growth) +
    (s.peak_rss ? ", peak RSS " + fmtBytes(s.peak_rss) : ""), () => onlyCat("memory"), "memory");
  card("I/O", fmtBytes(s.bytes_read + s.bytes_written), "read " + fmtBytes(s.bytes_read) + " (" + fmtN(s.reads) +
    "), written " + fmtBytes(s.bytes_written) + " (" + fmtN(s.writes) + ")", () => onlyCat("io"), "io");
  card("Network", fmtBytes(s.bytes_sent + s.bytes_received), fmtN(s.sockets) + " sockets, " + fmtN(s.connects) +
    " connects, sent " + fmtBytes(s.bytes_sent) + ", received " + fmtBytes(s.bytes_received), () => onlyCat("network"), "network");
  const fc = card("Files", plural(s.files, "file", "files"), plural(s.opens, "open", "opens"), () => onlyCat("file", "desc"), "files");
  const ul = el("ul");
  for (const [id, n, failed] of s.top_files.slice(0, 6)) {
    const full = str(id);
    // the end of a path says most: keep it
    const b = el("button", "", full.length > 36 ? "…" + full.slice(-35) : full);
    b.title = str(id) + ": " + n + " events" + (failed ? ", " + failed + " failed" : "");
    b.dataset.path = String(id);
    b.addEventListener("click", () => { st.path = st.path === id ? 0 : id; update(true); });
    const li = el("li"); li.append(b); ul.append(li);
  }
  fc.append(ul);
  const pc = card("Processes", plural(s.processes, "process", "processes"), plural(s.threads, "thread", "threads") + ", " + plural(s.execs, "exec", "execs") +
    (s.crashes ? ", " + s.crashes + " crashed" : ""), () => onlyCat("process"), "processes");
  const pl = el("ul");
  for (const p of M.procs.slice().sort((a, b) => b.n - a.n).slice(0, 6)) {
    const b = el("button", "", p.pid + " " + str(p.name) + (p.exit !== undefined ? " → " + p.exit : ""));
    b.dataset.pid = String(p.pid);
    b.addEventListener("click", () => focusProcess(p.pid));
    const li = el("li"); li.append(b); pl.append(li);
  }
  pc.append(pl);
  const ec = card("Failures", fmtN(s.failed) + " failed", s.errors.slice().sort((a, b) => b[2] - a[2]).slice(0, 4)
    .map((e) => e[1] + " ×" + e[2]).join(", ") || "none", () => { st.failed = !st.failed; update(true); }, "failures");
  ec.classList.toggle("bad", s.failed > 0);
  if (s.triggers) card("Triggers", fmtN(s.triggers), "spike triggers in this dump", () => onlyCat("system"), "triggers");
}
function focusProcess(pid) {
  const mine = lanes.filter((l) => l.pid === pid).map((l) => String(l.tid));
  const others = lanes.filter((l) => l.pid !== pid).map((l) => String(l.tid));
  const focused = others.length && others.every((t) => st.hideLanes.has(t)) && mine.every((t) => !st.hideLanes.has(t));
  st.hideLanes = focused ? new Set() : new Set(others);
  update(true);
}
function syncCards() {
  const hidden = st.hideCats;
  const only = (cats) => hidden.size && M.cats.every((c) => cats.includes(c) ? !hidden.has(c) : hidden.has(c));
  for (const c of document.querySelectorAll(".card")) {
    const k = c.dataset.card;
    const on = k === "memory" ? only(["memory"]) : k === "io" ? only(["io"]) : k === "network" ? only(["network"]) :
      k === "files" ? only(["file", "desc"]) : k === "processes" ? only(["process"]) : k === "failures" ? st.failed :
      k === "triggers" ? only(["system"]) : false;
    c.classList.toggle("active", !!on);
  }
}

// ---- filter panel ------------------------------------------------------------
function check(container, label, checked, onChange, cls) {
  const l = el("label", cls || "");
  const i = el("input");
  i.type = "checkbox";
  i.checked = checked;
  i.addEventListener("change", () => onChange(i.checked));
  l.append(i, document.createTextNode(" " + label));
  container.append(l);
  return i;
}
let panelBuilt = false;
function filterPanel() {
  panelBuilt = true;
  const fc = $("f-cats"), ft = $("f-types"), fp = $("f-procs");
  fc.textContent = ""; ft.textContent = ""; fp.textContent = "";
  M.cats.forEach((c, i) => {
    if (!M.cat_counts[i]) return;
    check(fc, c + " (" + fmtN(M.cat_counts[i]) + ")", !st.hideCats.has(c), (on) => {
      if (on) st.hideCats.delete(c); else st.hideCats.add(c);
      update(false);
    }).dataset.cat = c;
  });
  M.types.map((t, i) => [t, i]).sort((a, b) => b[0].n - a[0].n).forEach(([t]) => {
    check(ft, t.name + " (" + fmtN(t.n) + ")", !st.hideTypes.has(t.name), (on) => {
      if (on) st.hideTypes.delete(t.name); else st.hideTypes.add(t.name);
      update(false);
    }).dataset.type = t.name;
  });
  for (const l of lanes) {
    check(fp, l.label, !st.hideLanes.has(String(l.tid)), (on) => {
      if (on) st.hideLanes.delete(String(l.tid)); else st.hideLanes.add(String(l.tid));
      update(false);
    }, l.thread ? "thread" : "").dataset.tid = String(l.tid);
  }
}
function syncFilterPanel() {
  for (const i of $("f-cats").querySelectorAll("input")) i.checked = !st.hideCats.has(i.dataset.cat);
  for (const i of $("f-types").querySelectorAll("input")) i.checked = !st.hideTypes.has(i.dataset.type);
  for (const i of $("f-procs").querySelectorAll("input")) i.checked = !st.hideLanes.has(i.dataset.tid);
  const af = $("active-filters");
  af.textContent = "";
  const chip = (t) => af.append(el("span", "chip", t));
  if (st.path) chip("file: " + str(st.path));
  if (st.failed) chip("failed only");
  if (st.hideCats.size) chip("categories: " + M.cats.filter((c) => !st.hideCats.has(c)).join(", "));
  if (st.hideTypes.size) chip(st.hideTypes.size + " types hidden");
  if (st.hideLanes.size) chip(st.hideLanes.size + " lanes hidden");
}

// ---- timeline ----------------------------------------------------------------
let svgW = 800;
let selLayer = null, geom = null;
// The selection is its own layer: moving it does not redraw the events.
function drawSelection() {
  if (!selLayer || !geom) return;
  selLayer.textContent = "";
  const { t0, k, X0, W, laneY } = geom;
  if (st.sel < 0 || laneY[laneOf[st.sel]] < 0) return;
  const x = (T[st.sel] - t0) * k;
  if (x < -2 || x > W + 2) return;
  const w = Math.max(3, durOf(st.sel) * k);
  selLayer.append(sv("rect", { class: "selm", x: X0 + x - 1, y: laneY[laneOf[st.sel]] + 1, width: w + 2, height: LANE_H - 2 }));
}
const visLanes = () => lanes.map((l, i) => i).filter((i) => !st.hideLanes.has(String(lanes[i].tid)));

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
  svgW = Math.max(300, main.clientWidth || 800);
  const W = svgW - LABEL_W;
  const vl = visLanes();
  const laneY = new Int32Array(lanes.length).fill(-1);
  vl.forEach((l, k) => { laneY[l] = AXIS_H + k * LANE_H; });
  const H = AXIS_H + vl.length * LANE_H + 4;
  svg.setAttribute("height", H);
  svg.setAttribute("viewBox", "0 0 " + svgW + " " + H);
  svg.textContent = "";
  const t0 = st.t0, t1 = st.t1, span = Math.max(1, t1 - t0), k = W / span;
  const X0 = LABEL_W;

  const gBg = sv("g");
  vl.forEach((l, j) => { if (j % 2 === 0) gBg.append(sv("rect", { class: "lane-bg", x: 0, y: AXIS_H + j * LANE_H, width: svgW, height: LANE_H })); });
  svg.append(gBg);
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
    const L = lanes[l];
    if (L.first === undefined || !isFinite(L.first)) continue;
    const a = Math.max(0, (L.first - t0) * k), b = Math.min(W, (L.last - t0) * k);
    if (b < 0 || a > W) continue;
    life += "M" + (X0 + a).toFixed(1) + " " + (laneY[l] + LANE_H / 2 - 1) + "h" + Math.max(1, b - a).toFixed(1) + "v2h" + (-Math.max(1, b - a)).toFixed(1) + "z";
  }
  if (life) svg.append(sv("path", { class: "life", d: life }));

  // events: one path per colour, merged per pixel column and lane
  const nT = M.types.length;
  const paths = new Array(nT).fill(null).map(() => []);
  const Wi = Math.ceil(W) + 1, occ = new Uint16Array(lanes.length * Wi);
  const marks = { exec: [], exitm: [], crash: [], trigger: [] };
  const mk = markTypes();
  const r1 = rowAt(t1 + 1);
  const lv = lodFor(t0, t1, k);
  if (lv) {
    // the busy lanes from the bins, the others event by event
    drawLod(lv.lod, lv.level, t0, k, Wi, laneY, occ);
    const small = lv.lod.small, s0 = lowerBound(small, lookBack(rowAt(t0), t0)), s1 = lowerBound(small, r1);
    drawExact(small, s0, s1, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0);
    const mr = lv.lod.markRows;
    drawExact(mr, lowerBound(mr, rowAt(t0)), lowerBound(mr, r1), t0, k, W, Wi, laneY, null, null, marks, mk, X0);
  } else {
    drawExact(null, lookBack(rowAt(t0), t0), r1, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0);
  }
  for (const l of vl) {
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
    const p = sv("path", { d: paths[ty].join(""), fill: typeColor[ty] });
    p.dataset.type = typeNames[ty];
    gEv.append(p);
  }
  svg.append(gEv);
  for (const m of ["exec", "exitm", "crash"]) if (marks[m].length) svg.append(sv("path", { class: m, d: marks[m].join("") }));
  for (const x of marks.trigger) svg.append(sv("line", { class: "trigger", x1: x, x2: x, y1: AXIS_H - 4, y2: H }));
  // search matches: a tick above the lane, once per pixel column and lane
  if (hits.length) {
    const seen = new Uint8Array(lanes.length * Wi);
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
  selLayer = sv("g", { id: "tl-sel" });
  svg.append(selLayer);
  geom = { t0, k, X0, W, laneY };
  drawSelection();
  // labels last, over a plain background
  const gL = sv("g");
  gL.append(sv("rect", { x: 0, y: 0, width: LABEL_W - 4, height: H, fill: "#fff" }));
  vl.forEach((l, j) => {
    const L = lanes[l];
    const t = sv("text", { x: L.thread ? 14 : 4, y: AXIS_H + j * LANE_H + 13 });
    if (L.thread) t.setAttribute("class", "thread");
    t.textContent = L.label.length > 28 ? L.label.slice(0, 27) + "…" : L.label;
    const tt = sv("title");
    tt.textContent = L.label + (L.exit !== undefined ? " (exit " + L.exit + ")" : "");
    t.append(tt);
    t.dataset.tid = String(L.tid);
    t.classList.add("lane-label");
    if (L.thread) t.classList.add("thread");
    gL.append(t);
  });
  svg.append(gL);
  svg.dataset.lanes = String(vl.length);
  svg.dataset.lod = lv ? String(lv.level) : "exact";
  drawTracks();
}
// Marker kinds by type: 1 exec, 2 exit, 3 crash, 4 trigger.
let markKind = null;
function markTypes() {
  if (!markKind) {
    markKind = new Uint8Array(M.types.length);
    ["exec", "exit", "crash", "trigger"].forEach((n, k) => { const t = typeNames.indexOf(n); if (t >= 0) markKind[t] = k + 1; });
  }
  return markKind;
}
// Events that started before t0 may still be running: look back a little.
function lookBack(r0, t0) {
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
function drawExact(list, from, to, t0, k, W, Wi, laneY, occ, paths, marks, mk, X0) {
  const nT = M.types.length, nl = lanes.length;
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
    if (x1 < 0) continue;
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

// ---- level of detail ----------------------------------------------------------
// For the lanes with many events, per lane a fixed grid of time bins over the
// whole trace, each holding 1 + the type of the first event that starts in it
// or of the span that covers it; coarser levels halve it (the first non-empty
// bin wins). A zoomed-out view draws these lanes from the bins, at a level
// with at least 4 bins per pixel column, so every column with an event shows
// a mark and a span over several columns stays a span; exec, exit, crash and
// trigger markers, search ticks and the other lanes stay exact.
const LOD_BINS = 1 << 17, LOD_LANE_MIN = 2048, LOD_ROWS_MIN = 20000;
let lod = null;     // for the current rows; null until needed
let lodLater = true; // the first frame is drawn exactly, the bins are built after it
// The bins are filled by a job over the rows, in slices when built after the
// first frame (a cold pass over 1M rows takes 100 ms and more here, too long
// to keep input waiting), at once when a draw needs them.
function lodJob() {
  const nl = lanes.length, nT = M.types.length, R = rows, n = R.length;
  let cnt = laneCount;
  if (R !== ident) { cnt = new Uint32Array(nl); for (let r = 0; r < n; r++) cnt[laneOf[R[r]]]++; }
  let busy = 0;
  for (let l = 0; l < nl; l++) if (cnt[l] >= LOD_LANE_MIN) busy++;
  if (!busy || nT >= 65535 || !(tMax > tMin)) return { R, busy: 0, r: n };
  // at most 2^23 bins in all; fewer per lane when many lanes are busy
  let B = LOD_BINS;
  while (B > 4096 && B * busy > (1 << 23)) B >>= 1;
  const K = nT < 255 ? Uint8Array : Uint16Array;
  const bins = new Array(nl).fill(null);
  for (let l = 0; l < nl; l++) if (cnt[l] >= LOD_LANE_MIN) bins[l] = new K(B);
  return { R, busy, B, bins, inv: B / (tMax - tMin), covTo: new Int32Array(nl), small: new Uint32Array(n), ns: 0, markRows: [], r: 0 };
}
// Rows [job.r, end) into the bins (or the list drawn event by event).
function lodRun(job, end) {
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
  return { busy: job.busy, B: job.B, bw: (tMax - tMin) / job.B, levels: job.bins.map((g) => g && [g]),
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
  const guard = (f) => () => { try { f(); } catch (e) { lodLater = false; failed(e); done(); } };
  const slice = guard(() => {
    if (rows !== job.R || lod) { lodLater = false; done(); return; }
    lodRun(job, job.r + LOD_SLICE);
    if (job.r < job.R.length) { setTimeout(slice, 0); return; }
    lod = lodDone(job);
    lodLater = false;
    setTimeout(guard(() => {
      if (lod && lod.busy) lod.levels.forEach((lv, l) => { if (lv) for (let j = 1; (lod.B >> j) >= 1024; j++) lodLevel(lod, l, j); });
      done();
    }), 0);
  });
  slice();
}
// The level to draw [t0, t1) at k px/ns from, or null for the exact path.
function lodFor(t0, t1, k) {
  if (st.exact || rowAt(t1 + 1) - rowAt(t0) < LOD_ROWS_MIN) return null;
  if (!lod && lodLater) return null;
  if (!lod) lod = buildLod();
  if (!lod.busy) return null;
  const want = 1 / (4 * k); // the widest bin that keeps 4 bins per pixel
  if (lod.bw > want) return null;
  let j = 0;
  while (lod.bw * 2 ** (j + 1) <= want && (lod.B >> (j + 1)) >= 1024) j++;
  return { lod, level: j };
}
function drawLod(L, j, t0, k, Wi, laneY, occ) {
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
function lowerBound(arr, v) {
  let lo = 0, hi = arr.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (arr[m] < v) lo = m + 1; else hi = m; }
  return lo;
}

// ---- counter tracks ---------------------------------------------------------------
let series = null;
function buildSeries(C) {
  allColumns();
  const id = C.s_id, tt = C.s_t, vv = C.s_v, ns = M.series.length, cnt = new Uint32Array(ns);
  for (let k = 0; k < id.length; k++) if (id[k] < ns) cnt[id[k]]++;
  series = M.series.map((s, j) => ({ ...s, t: new Float64Array(cnt[j]), v: new Float64Array(cnt[j]) }));
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
  const tyTrig = typeNames.indexOf("trigger");
  if (tyTrig >= 0) for (let i = 0; i < N; i++) if (TYPE[i] === tyTrig) triggerT.push(T[i]);
}
function seriesLabel(s) {
  const l = lanes.find((x) => !x.thread && x.pid === s.pid);
  return (s.pid ? (l ? l.label : "pid " + s.pid) : "system") + " · " + s.type + (s.kind ? "/" + s.kind : "") + " " + s.key;
}
function fmtVal(key, v) {
  if (/rss|bytes|mem|swap|size|avail/i.test(key)) return fmtBytes(v);
  return Math.abs(v) >= 1e6 ? v.toExponential(3) : String(Math.round(v * 1000) / 1000);
}
let triggerT = [];
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
  for (const tr of triggerT) {
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
  if (!series || !series.length) { box.hidden = true; return; }
  box.hidden = false;
  box.textContent = "";
  const shown = new Set(lanes.filter((l) => !st.hideLanes.has(String(l.tid))).map((l) => l.pid));
  const sys = series.filter((s) => !s.pid);
  const per = series.filter((s) => s.pid && shown.has(s.pid));
  // many processes (a --watch dump) would mean thousands of tracks: say so
  // and show them once the view is narrowed to fewer processes
  const show = per.length > MAX_TRACKS ? sys : sys.concat(per);
  for (const s of show) {
    const g = trackSvg(s, st.t0, st.t1, svgW, 34);
    g.dataset.series = s.type + (s.kind ? "/" + s.kind : "") + ":" + s.key + ":" + s.pid;
    box.append(g);
  }
  if (per.length > MAX_TRACKS) {
    const n = new Set(per.map((s) => s.pid)).size;
    box.append(el("p", "note", per.length + " per-process tracks of " + n + " processes are not drawn: narrow the view to at most " +
      MAX_TRACKS + " tracks (click a process in the Processes card, or untick processes in Filters) to see them."));
  }
}

// ---- zoom and pan ------------------------------------------------------------------
function setRange(a, b, save = true) {
  const full = tMax - tMin || 1;
  let span = Math.max(1000, Math.min(full * 1.02 + 1000, b - a));
  if (a < tMin - full * 0.01) a = tMin - full * 0.01;
  if (a + span > tMax + full * 0.01) a = tMax + full * 0.01 - span;
  st.t0 = a; st.t1 = a + span;
  scheduleDraw();
  if (save) saveHash();
}
function zoom(f, atPx) {
  const W = svgW - LABEL_W;
  const frac = atPx === undefined ? 0.5 : Math.min(1, Math.max(0, (atPx - LABEL_W) / W));
  const span = st.t1 - st.t0, ns = span * f, c = st.t0 + span * frac;
  setRange(c - ns * frac, c - ns * frac + ns);
}
function resetZoom() { setRange(tMin, tMax); }
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
    const dt = -dx * (drag.t1 - drag.t0) / (svgW - LABEL_W);
    setRange(drag.t0 + dt, drag.t1 + dt);
  });
  window.addEventListener("mouseup", (ev) => {
    if (!drag) return;
    const was = drag;
    drag = null;
    main.classList.remove("dragging");
    if (!was.moved) pickAt(ev);
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
  const svg = $("tl-svg");
  const r = svg.getBoundingClientRect();
  const x = ev.clientX - r.left - LABEL_W, y = ev.clientY - r.top - AXIS_H;
  if (x < 0 || y < 0) return;
  const vl = visLanes();
  const lane = vl[Math.floor(y / LANE_H)];
  if (lane === undefined) return;
  const k = (svgW - LABEL_W) / (st.t1 - st.t0), t = st.t0 + x / k, tol = 4 / k;
  let best = -1, bd = Infinity;
  // candidates: events near t, and a bounded look back for spans covering t
  let r0 = rowAt(t - tol);
  for (let back = 0; r0 > 0 && back < 2000; back++) r0--;
  for (let rI = r0; rI < rows.length && T[rows[rI]] <= t + tol; rI++) {
    const i = rows[rI];
    if (laneOf[i] !== lane) continue;
    const a = T[i], b = a + durOf(i);
    const dd = t < a ? a - t : t > b ? t - b : 0;
    if (dd < bd) { bd = dd; best = rI; }
  }
  if (best >= 0 && bd <= tol) select(best, true);
}

// ---- table ---------------------------------------------------------------------
let pool = [], first = 0, selRow = -1;
function tableSetup() {
  const rowsEl = $("rows");
  for (let k = 0; k < POOL; k++) {
    const r = el("div", "row");
    r.setAttribute("role", "row");
    for (let c = 0; c < 5; c++) r.append(el("span"));
    r.addEventListener("click", () => { if (r.dataset.pos) select(Number(r.dataset.pos), false); });
    rowsEl.append(r);
    pool.push(r);
  }
  const body = $("tbody");
  body.addEventListener("scroll", drawTable, { passive: true });
  body.addEventListener("keydown", (ev) => {
    const vis = Math.floor(body.clientHeight / ROW_H);
    let p = selRow < 0 ? first : selRow;
    if (ev.key === "ArrowDown") p++;
    else if (ev.key === "ArrowUp") p--;
    else if (ev.key === "PageDown") p += vis;
    else if (ev.key === "PageUp") p -= vis;
    else if (ev.key === "Home") p = 0;
    else if (ev.key === "End") p = rows.length - 1;
    else return;
    ev.preventDefault();
    if (rows.length) select(Math.max(0, Math.min(rows.length - 1, p)), true);
  });
}
function spacerH() { return Math.min(rows.length * ROW_H, SPACER_MAX); }
function tableLayout() {
  $("spacer").style.height = spacerH() + "px";
  $("rows-count").textContent = fmtN(rows.length) + " of " + fmtN(N) + " events";
  drawTable();
}
function visibleRows() { return Math.max(1, Math.floor($("tbody").clientHeight / ROW_H)); }
function drawTable() {
  const body = $("tbody");
  const vis = visibleRows();
  const maxFirst = Math.max(0, rows.length - vis);
  const range = Math.max(1, spacerH() - body.clientHeight);
  first = Math.min(maxFirst, Math.round(body.scrollTop / range * maxFirst));
  if (rows.length * ROW_H <= SPACER_MAX) first = Math.min(maxFirst, Math.floor(body.scrollTop / ROW_H));
  const rowsEl = $("rows");
  rowsEl.style.transform = "translateY(" + body.scrollTop + "px)";
  const hitSet = hits.length ? hits : null;
  let h = hitSet ? lowerBound(hitSet, first) : 0;
  for (let k = 0; k < POOL; k++) {
    const r = pool[k], pos = first + k;
    if (pos >= rows.length || k > vis + 1) { r.hidden = true; r.dataset.pos = ""; continue; }
    r.hidden = false;
    const i = rows[pos];
    r.dataset.pos = String(pos);
    r.dataset.ev = String(i);
    const c = r.children;
    c[0].textContent = fmtTime(T[i]);
    const pid = pidOf(i), tid = tidOf(i);
    c[1].textContent = pid === tid ? String(pid) : pid + "/" + tid;
    c[2].textContent = M.cats[CAT[i]] || "?";
    c[3].textContent = typeNames[TYPE[i]];
    c[4].textContent = detailText(i);
    r.classList.toggle("sel", pos === selRow);
    r.classList.toggle("failed", (FLAGS[i] & 4) !== 0);
    r.classList.toggle("thread", pid !== tid);
    let hit = false;
    if (hitSet) { while (h < hitSet.length && hitSet[h] < pos) h++; hit = h < hitSet.length && hitSet[h] === pos; }
    r.classList.toggle("hit", hit);
  }
}
function detailText(i) {
  let s = str(strIdOf(i));
  const p = pathIdOf(i);
  if (p) s = "path=\"" + str(p) + "\"" + (s ? " " + s : "");
  const b = bytesOf(i), d = durOf(i);
  if (b || typeNames[TYPE[i]] === "read" || typeNames[TYPE[i]] === "write") s = "bytes=" + b + (s ? " " + s : "");
  if (d) s += " dur=" + fmtDur(d);
  if (FLAGS[i] & 1) s += " [redacted]";
  return s;
}
function scrollToRow(pos) {
  const body = $("tbody");
  const vis = visibleRows();
  if (pos >= first && pos < first + vis - 1 && body.scrollTop !== undefined) { drawTable(); return; }
  const target = Math.max(0, pos - Math.floor(vis / 3));
  const maxFirst = Math.max(0, rows.length - vis);
  if (rows.length * ROW_H <= SPACER_MAX) body.scrollTop = target * ROW_H;
  else body.scrollTop = Math.min(maxFirst, target) / Math.max(1, maxFirst) * Math.max(1, spacerH() - body.clientHeight);
  drawTable();
}
function select(pos, scroll) {
  if (pos < 0 || pos >= rows.length) return;
  selRow = pos;
  st.sel = rows[pos];
  if (scroll) scrollToRow(pos); else drawTable();
  // keep the selected event inside the timeline's view
  const t = T[st.sel];
  if (t < st.t0 || t > st.t1) { const sp = st.t1 - st.t0; setRange(t - sp / 2, t + sp / 2); }
  else drawSelection();
  details(st.sel);
  saveHash();
}

// ---- details panel -----------------------------------------------------------------
function details(i) {
  allColumns();
  const box = $("details");
  box.textContent = "";
  const h = el("h3", "", typeNames[TYPE[i]] + " · " + (M.cats[CAT[i]] || "?"));
  box.append(h);
  const dl = el("dl");
  const add = (k, v) => { dl.append(el("dt", "", k), el("dd", "", String(v))); };
  add("event", "#" + i);
  add("time", fmtTime(T[i]) + " s");
  const lane = lanes[laneOf[i]];
  const pid = pidOf(i), tid = tidOf(i);
  add("process", pid + (lane && lane.proc ? " " + str(lane.proc.name) : ""));
  if (tid !== pid) add("thread", tid);
  const d = durOf(i);
  if (d) add("duration", fmtDur(d));
  const b = bytesOf(i);
  if (b) add("bytes", fmtN(b) + " (" + fmtBytes(b) + ")");
  if (PATH[i]) add("path", str(PATH[i]));
  if (str(STR[i])) add("fields", str(STR[i]));
  if (FLAGS[i] & 4) add("failed", "yes");
  if (FLAGS[i] & 1) add("redacted", "yes: secrets in this event were replaced by [REDACTED]");
  box.append(dl);
  if (X[i]) {
    let x = null;
    try { x = JSON.parse(str(X[i])); } catch (e) { box.append(el("pre", "", str(X[i]))); }
    const order = (k) => ["disasm", "stack", "regs"].indexOf(k) >>> 0;
    if (x && typeof x === "object") for (const k of Object.keys(x).sort((a, b) => order(a) - order(b))) box.append(...extraBlock(k, x[k]));
  }
  // counter tracks of this process (or the system) around this event
  const type = typeNames[TYPE[i]];
  if (series && series.length && (type === "counter" || type === "sample" || type === "sysstat" || M.cats[CAT[i]] === "system")) {
    for (const s of series.filter((s) => s.pid === pid && s.type === type)) {
      box.append(el("h3", "", "track: " + s.key));
      box.append(trackSvg(s, tMin, tMax, 420, 60, T[i]));
    }
  }
}
function extraBlock(key, v) {
  const out = [el("h3", "", key)];
  if (key === "stack" && Array.isArray(v)) {
    const pre = el("pre");
    pre.textContent = v.map((f, n) => {
      if (!f || typeof f !== "object") return "#" + n + " " + String(f);
      return "#" + n + " " + (f.ip || "") + " " + (f.module || "?") + (f.offset !== undefined ? "+" + f.offset : "") + (f.sym ? " " + f.sym : "") + (f.truncated ? " (truncated)" : "");
    }).join("\n");
    out.push(pre);
  } else if (key === "disasm" && Array.isArray(v)) {
    const pre = el("pre");
    for (const ins of v) {
      const line = el("div", ins && ins.fault ? "fault" : "", (ins && ins.fault ? "=> " : "   ") + (ins && ins.addr || "") + "  " + (ins && ins.text !== undefined ? ins.text : JSON.stringify(ins)));
      pre.append(line);
    }
    out.push(pre);
  } else if (v && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x !== "object")) {
    // flat objects (registers, thresholds): one "name value" per line
    const w = Math.max(...Object.keys(v).map((k) => k.length));
    out.push(el("pre", "", Object.entries(v).map(([k, x]) => k.padEnd(w) + " " + x).join("\n")));
  } else {
    out.push(el("pre", "", typeof v === "string" ? v : JSON.stringify(v, null, 1)));
  }
  return out;
}

// ---- search ------------------------------------------------------------------------
function runSearch(q) {
  st.q = q;
  computeHits();
  $("q-count").textContent = q ? (hits.length ? plural(hits.length, "match", "matches") : "no match") : "";
  drawTable();
  scheduleDraw();
  saveHash();
}
function nextHit(dir) {
  if (!hits.length) return;
  const cur = selRow;
  let h;
  if (dir > 0) { h = lowerBound(hits, cur + 1); if (h >= hits.length) h = 0; }
  else { h = lowerBound(hits, cur) - 1; if (h < 0) h = hits.length - 1; }
  select(hits[h], true);
  $("q-count").textContent = (h + 1) + " of " + plural(hits.length, "match", "matches");
}

// ---- export (Trace Event Format) ---------------------------------------------------
function exportTEF() {
  allColumns();
  const parts = ['{"displayTimeUnit":"ms","traceEvents":[\n'];
  const names = new Map();
  for (const l of lanes) if (!l.thread && l.proc) names.set(l.pid, str(l.proc.name));
  let n = 0;
  for (const [pid, name] of names) {
    parts.push((n++ ? ",\n" : "") + JSON.stringify({ name: "process_name", ph: "M", pid, tid: pid, args: { name } }));
  }
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r], d = durOf(i);
    const e = { name: typeNames[TYPE[i]], cat: M.cats[CAT[i]] || "other", ph: d ? "X" : "i", ts: T[i] / 1e3,
      pid: pidOf(i), tid: tidOf(i), args: { details: str(STR[i]) } };
    if (d) e.dur = d / 1e3; else e.s = "t";
    const b = bytesOf(i);
    if (b) e.args.bytes = b;
    if (PATH[i]) e.args.path = str(PATH[i]);
    parts.push((n++ ? ",\n" : "") + JSON.stringify(e));
  }
  parts.push("\n]}\n");
  const url = URL.createObjectURL(new Blob(parts, { type: "application/json" }));
  const a = el("a");
  a.href = url;
  a.download = "compendium-trace.json";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---- keys and help -------------------------------------------------------------------
const KEYS = [["?", "show or hide this help"], ["/", "search"], ["n / N", "next / previous match"],
  ["+ / -", "zoom in / out (also Ctrl+wheel)"], ["0", "reset zoom (also double-click)"],
  ["← / →", "pan (timeline focused)"], ["↑ ↓ PgUp PgDn Home End", "move in the table (table focused)"],
  ["t", "focus the table"], ["l", "focus the timeline"], ["f", "show or hide filters"],
  ["c", "clear filters and search"], ["e", "export the filtered events (Trace Event Format)"], ["Esc", "close help / leave the search box"]];
function help(show) {
  const h = $("help");
  h.hidden = show === undefined ? !h.hidden : !show;
  if (!h.hidden) $("b-help-close").focus();
}
function keys() {
  const tb = $("help-keys");
  for (const [k, d] of KEYS) { const tr = el("tr"); tr.append(el("td", "", k), el("td", "", d)); tb.append(tr); }
  document.addEventListener("keydown", (ev) => {
    const inInput = ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "TEXTAREA");
    if (ev.key === "Escape") { help(false); if (inInput) ev.target.blur(); return; }
    if (inInput) { if (ev.key === "Enter") { ev.preventDefault(); nextHit(ev.shiftKey ? -1 : 1); } return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    switch (ev.key) {
      case "?": help(); break;
      case "/": ev.preventDefault(); $("q").focus(); break;
      case "n": nextHit(1); break;
      case "N": nextHit(-1); break;
      case "+": case "=": zoom(0.5); break;
      case "-": case "_": zoom(2); break;
      case "0": resetZoom(); break;
      case "f": toggleFilters(); break;
      case "c": clearAll(); break;
      case "e": exportTEF(); break;
      case "t": $("tbody").focus(); break;
      case "l": $("timeline").focus(); break;
      default: return;
    }
    ev.preventDefault();
  });
}
function toggleFilters() {
  if (!panelBuilt) filterPanel();
  const f = $("filters");
  f.hidden = !f.hidden;
  $("b-filters").setAttribute("aria-expanded", String(!f.hidden));
}
function clearAll() {
  st.hideCats.clear(); st.hideTypes.clear(); st.hideLanes.clear(); st.path = 0; st.failed = false;
  $("q").value = "";
  st.q = "";
  update(true);
  $("q-count").textContent = "";
}

// ---- glue ----------------------------------------------------------------------------
function update(panel) {
  const keep = st.sel;
  refilter();
  selRow = keep >= 0 ? lowerBound(rows, keep) : -1;
  if (selRow >= 0 && rows[selRow] !== keep) selRow = -1;
  if (panel) syncFilterPanel(); else syncFilterPanel();
  syncCards();
  tableLayout();
  if (st.q) $("q-count").textContent = hits.length ? plural(hits.length, "match", "matches") : "no match";
  scheduleDraw();
  saveHash();
}

const timing = {};
let tPrev = performance.now();
function mark(name) { const t = performance.now(); timing[name] = Math.round(t - tPrev); tPrev = t; }
async function main() {
  mark("script");
  M = JSON.parse($("meta").textContent);
  const C = await decode();
  mark("decode");
  buildLanes(C);
  st.t0 = tMin; st.t1 = tMax;
  setupColors();
  mark("lanes");
  loadHash();
  header();
  cards();
  tableSetup();
  keys();
  timelineEvents();
  $("q").value = st.q;
  let qt = 0;
  $("q").addEventListener("input", () => { clearTimeout(qt); qt = setTimeout(() => runSearch($("q").value), 120); });
  $("b-prev").addEventListener("click", () => nextHit(-1));
  $("b-next").addEventListener("click", () => nextHit(1));
  $("b-filters").addEventListener("click", toggleFilters);
  $("b-reset").addEventListener("click", resetZoom);
  $("b-clear").addEventListener("click", clearAll);
  $("b-export").addEventListener("click", exportTEF);
  $("b-help").addEventListener("click", () => help());
  $("b-help-close").addEventListener("click", () => help(false));
  window.addEventListener("resize", scheduleDraw);
  window.addEventListener("hashchange", () => { loadHash(); update(true); });
  mark("setup");
  update(true);
  mark("filter");
  if (st.q) runSearch(st.q);
  if (st.sel >= 0) {
    const p = lowerBound(rows, st.sel);
    if (rows[p] === st.sel) { selRow = p; scrollToRow(p); details(st.sel); }
  }
  $("loading").hidden = true;
  drawTimeline();
  mark("timeline");
  timing.ready = Math.round(performance.now());
  document.body.dataset.ready = "1";
  document.body.dataset.timing = JSON.stringify(timing);
  // the first frame shows the lanes and the table; the counter tracks and
  // the filter panel (hidden until asked for) follow once it is painted
  // (one task each, so that input is not kept waiting)
  const later = [() => {
    // the main thread is done with the first frame's style, layout and paint
    timing.painted = Math.round(performance.now());
    tPrev = performance.now();
    buildSeries(C);
    drawTracks();
    if (st.sel >= 0 && rows[selRow] === st.sel) details(st.sel);
    mark("tracks");
  }, () => {
    if (!panelBuilt) filterPanel();
    prepareLod(() => {
      mark("lod");
      timing.complete = Math.round(performance.now());
      document.body.dataset.timing = JSON.stringify(timing);
      document.body.dataset.complete = "1";
    });
  }];
  const step = () => {
    try {
      later.shift()();
    } catch (e) {
      failed(e);
      document.body.dataset.complete = "1";
      return;
    }
    if (later.length) setTimeout(step, 0);
  };
  requestAnimationFrame(() => setTimeout(step, 0));
}

function failed(e) {
  const l = $("loading");
  l.hidden = false;
  l.textContent = "The report could not be shown: " + (e && e.message ? e.message : String(e));
  l.className = "warn";
  console.error(e);
}

main().catch(failed);
})();
