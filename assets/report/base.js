// SPDX-License-Identifier: MIT
// compendium report script, first part: constants, the state all parts
// share, DOM and value helpers, number formatting. report/report.mk joins
// the parts, in the order it lists, into the page's single inline script,
// one closure. Trace text reaches the DOM only through textContent and
// attribute setters, and the page makes no network request.
const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const ESC32 = 0xffffffff;
const ROW_H = 20, LANE_H = 24, LABEL_W = 190, AXIS_H = 22, SPACER_MAX = 8e6, POOL = 80;

// ---- shared state ----------------------------------------------------------
// The parts share these three objects and the helpers below; whatever else a
// part declares at its top level is its own. Hot loops copy the fields they
// read into locals.

// The trace as decoded at load. Afterwards only allColumns() (decode.js)
// changes it, adding the lazy columns BYTES, STR, PATH, X and bytesX.
const trace = {
  M: null, N: 0,            // meta (the page's JSON), event count
  // columns, one value per event (T: start in ns, TH: index in M.threads)
  T: null, TH: null, TYPE: null, CAT: null, FLAGS: null, DUR: null, BYTES: null, STR: null, PATH: null, X: null,
  durX: new Map(), bytesX: new Map(), // wide durations and byte counts, by event
  S: [],                    // display strings, id 1.. at S[id - 1]
  lanes: [], laneOf: null,  // lane list; event -> lane index
  laneCount: null, laneFirst: null, laneLast: null, // per lane: events, first and last start
  ident: null,              // 0, 1, ... N-1: the rows when nothing is filtered
  tMin: 0, tMax: 1,         // the trace's time range, durations included
  home: [0, 1],             // the default view: the activity, without long idle ends (overview.js)
  idle: [],                 // stretches with no event starting: [from, to] pairs (overview.js)
  focusPids: new Set(),     // pids whose process trees come first in the lanes (a dump's trigger)
  typeColor: [], typeNames: [], // by type index
};
// What the user chose: range, filters, search, selection (model.js keeps it
// in the URL fragment).
const st = { t0: 0, t1: 1, hideCats: new Set(), hideTypes: new Set(), hideLanes: new Set(),
  path: 0, failed: false, q: "", sel: -1, exact: false,
  fold: new Set() }; // pids (as strings) of the processes folded into one lane
// What the page derives from st and shows now.
const view = {
  rows: new Uint32Array(0), // filtered event indexes, in time order
  hitMark: null,            // search: per string id, 1 if it matches
  hits: new Uint32Array(0), // search: matching positions in rows
  selRow: -1,               // position of st.sel in rows, or -1
  lod: null,                // level-of-detail bins for the current rows; null until needed
  lodLater: true,           // the first frame is drawn exactly, the bins are built after it
  svgW: 800,                // timeline width in px
  geom: null, selLayer: null, // the last timeline drawn: its scale, its selection layer
  series: null, triggerT: [], // counter tracks; trigger times
};

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
const str = (id) => (id ? trace.S[id - 1] : "");
const durOf = (i) => { const d = trace.DUR[i]; return d === ESC32 ? trace.durX.get(i) : d; };
const bytesOf = (i) => {
  const b = trace.BYTES ? trace.BYTES[i] : planeAt("bytes", i);
  if (b !== ESC32) return b;
  allColumns();
  return trace.bytesX.get(i);
};
const strIdOf = (i) => (trace.STR ? trace.STR[i] : planeAt("str", i));
const pathIdOf = (i) => (trace.PATH ? trace.PATH[i] : planeAt("path", i));
// pid and tid of an event, from the thread table (meta.threads: pid, tid pairs)
const pidOf = (i) => trace.M.threads[trace.TH[i] * 2], tidOf = (i) => trace.M.threads[trace.TH[i] * 2 + 1];

// lower bound of v in the sorted array arr
function lowerBound(arr, v) {
  let lo = 0, hi = arr.length;
  while (lo < hi) { const m = (lo + hi) >> 1; if (arr[m] < v) lo = m + 1; else hi = m; }
  return lo;
}

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
// s cut in the middle to at most n characters (code points), keeping both
// ends: a path keeps its first directory and its file name.
function midCut(s, n) {
  const a = Array.from(s);
  if (a.length <= n) return s;
  const head = Math.ceil((n - 1) * 0.4);
  return a.slice(0, head).join("") + "…" + a.slice(a.length - (n - 1 - head)).join("");
}
