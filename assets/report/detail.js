// SPDX-License-Identifier: MIT
// compendium report script: an event's fields. The str column holds them as
// "key=value" joined by FLD_SEP, a string vector's elements joined by
// FLD_VSEP; strings are quoted, numbers, hex, names and true/false/null are
// not. Display strings never hold a byte below 0x20 (report_disp_add), so
// the split is exact whatever a file name holds (doc/INTERNALS.md, 'The
// report's event fields'). The fields the other columns carry (path,
// bytes, dur) are told apart by bits of the flags column. Then the details
// panel: the fields as a table with human units, flags split, errno
// meanings, and links to the process, the fd's open event and the
// previous / next event on the same fd.
const FLD_SEP = "\x1f", FLD_VSEP = "\x1e";
// the flags column (src/sinks/report_int.h: REPORT_FL_*)
const FLG_REDACTED = 1, FLG_NOISE = 2, FLG_FAILED = 4, FLG_RET = 8, FLG_BYTES = 16, FLG_DUR = 32, FLG_UNKNOWN = 64;

// One value as the str column writes it: { v: the value as the JSON log has
// it, kind: "s" string, "n" number, "b" bool, "z" null, "a" array, "d"
// duration (v in seconds), "t" an unquoted name (hex, errno, signal) }.
function fieldValue(s) {
  const n = s.length;
  if (n >= 2 && s[0] === '"' && s[n - 1] === '"') return { v: s.slice(1, -1), kind: "s" };
  if (n >= 2 && s[0] === "[" && s[n - 1] === "]") {
    const inner = s.slice(1, -1);
    return { v: inner === "" ? [] : inner.split(FLD_VSEP).map((x) => fieldValue(x).v), kind: "a" };
  }
  if (s === "null") return { v: null, kind: "z" };
  if (s === "true" || s === "false") return { v: s === "true", kind: "b" };
  if (/^-?\d+$/.test(s)) {
    // the JSON log writes integers of 2^53 and above as strings
    const x = Number(s);
    return Number.isSafeInteger(x) ? { v: x, kind: "n" } : { v: s, kind: "n" };
  }
  if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s) || s === "nan" || s === "inf" || s === "-inf") return { v: Number(s), kind: "n" };
  const d = /^(\d+\.\d+)s$/.exec(s);
  if (d) return { v: Number(d[1]), kind: "d" };
  return { v: s, kind: "t" };
}
// The fields of a str column id, parsed once per distinct string.
const fieldMemo = new Map();
function fieldsOfId(id) {
  let f = fieldMemo.get(id);
  if (f) return f;
  f = [];
  const s = id ? str(id) : "";
  if (s) {
    for (const part of s.split(FLD_SEP)) {
      const k = part.indexOf("=");
      if (k > 0) f.push(Object.assign({ k: part.slice(0, k) }, fieldValue(part.slice(k + 1))));
    }
  }
  if (fieldMemo.size > 200000) fieldMemo.clear();
  fieldMemo.set(id, f);
  return f;
}
// Every field of event i as the JSON log has it (but t, pid, tid, type,
// cat and fold): { key: value }, with the path, bytes, dur, ret and
// extras (stacks...) the other columns hold.
function eventArgs(i) {
  const a = {}, fl = trace.FLAGS[i];
  if (fl & FLG_NOISE) a.noise = true;
  const p = pathIdOf(i);
  if (p && !(fl & FLG_UNKNOWN)) a.path = str(p);
  for (const f of fieldsOfId(strIdOf(i))) a[f.k] = f.v;
  const b = bytesOf(i), d = durOf(i);
  if (b || fl & FLG_BYTES) a.bytes = b;
  if (fl & FLG_RET) a.ret = b;
  if (d || fl & FLG_DUR) a.dur = d / 1e9;
  if (trace.X && trace.X[i]) {
    try { Object.assign(a, JSON.parse(str(trace.X[i]))); } catch (e) { a.extra = str(trace.X[i]); }
  }
  return a;
}
const fieldNum = (i, key) => {
  for (const f of fieldsOfId(strIdOf(i))) if (f.k === key) return f.kind === "n" ? f.v : undefined;
  return undefined;
};

// ---- the table's details column ----------------------------------------------------
const ROW_PATH_MAX = 60; // characters of a path in a table row; the full one in its title
// The text of event i's details column and its full form (null if the same).
function detailParts(i) {
  const out = [], full = [], fl = trace.FLAGS[i];
  const p = pathIdOf(i);
  if (p) {
    const ps = str(p);
    out.push("path=\"" + midCut(ps, ROW_PATH_MAX) + "\"");
    full.push("path=\"" + ps + "\"");
  }
  const b = bytesOf(i), tn = trace.typeNames[trace.TYPE[i]];
  if (b || (fl & FLG_BYTES) || tn === "read" || tn === "write") { out.push("bytes=" + b); full.push("bytes=" + b); }
  const s = str(strIdOf(i));
  if (s) {
    for (const part of s.split(FLD_SEP)) {
      const t = part.split(FLD_VSEP).join(", ");
      out.push(t.length > 4 * ROW_PATH_MAX ? midCut(t, 4 * ROW_PATH_MAX) : t);
      full.push(t);
    }
  }
  const d = durOf(i);
  if (d) { out.push("dur=" + fmtDur(d)); full.push("dur=" + fmtDur(d)); }
  if (fl & FLG_REDACTED) { out.push("[redacted]"); full.push("[redacted]"); }
  const a = out.join(" "), z = full.join(" ");
  return [a, a === z ? null : z];
}

// ---- the details panel ------------------------------------------------------------
const BYTE_KEYS = new Set(["bytes", "len", "old_len", "growth", "size", "rss", "swap", "mem_total", "mem_avail",
  "swap_total", "read_bytes", "write_bytes", "rss_peak", "maxrss", "rss_max", "bytes_sent", "bytes_received"]);
const PROT_NAMES = { r: "read", w: "write", x: "exec" };
function fmtBytesExact(n) {
  if (typeof n !== "number") return String(n);
  const a = Math.abs(n), sign = n < 0 ? "-" : "";
  return fmtN(n) + " B" + (a >= 1024 ? " (" + sign + fmtBytes(a) + ")" : "");
}
function chips(parts, cls) {
  const span = el("span", "chips");
  for (const p of parts) span.append(el("span", "chip " + (cls || ""), p));
  return span;
}
// The cell of field f (key k) of an event: human units, flags split.
function fieldCell(f) {
  const k = f.k, v = f.v;
  if (f.kind === "n" && BYTE_KEYS.has(k)) return el("span", "", fmtBytesExact(v));
  if (f.kind === "n") return el("span", "", String(v));
  if (f.kind === "d") return el("span", "", fmtDur(v * 1e9) + " (" + v.toFixed(6) + " s)");
  if (f.kind === "z") return el("span", "dim", "null");
  if (f.kind === "b") return el("span", "", String(v));
  if (f.kind === "a") return chips(v.map((x) => (x === null ? "null" : x)), "arg");
  if (f.kind === "t") {
    const text = trace.M.errtext && trace.M.errtext[v];
    if (text && /^E[A-Z0-9]+$/.test(v)) {
      const s = el("span", "");
      s.append(el("b", "", v), document.createTextNode(" " + text));
      return s;
    }
    return el("span", "", v);
  }
  // strings: flags split at '|', a protection "rwx" as words
  if (typeof v === "string" && (k === "flags" || k.endsWith("_flags")) && /^[A-Z][A-Z0-9_]*(\|[A-Z][A-Z0-9_]*)*$/.test(v)) return chips(v.split("|"), "flag");
  if (k === "prot" && /^[r-][w-][x-]$/.test(v)) {
    const on = [...v].filter((c) => c !== "-").map((c) => PROT_NAMES[c]);
    const s = chips(on.length ? on : ["none"], "flag");
    s.append(el("span", "dim", " " + v));
    return s;
  }
  return el("span", "", v);
}
// The event that opened the fd event i uses (same process, same fd, the
// latest open, socket or accept before it that succeeded, with no close of
// that fd between), the previous and the next event on that fd (until it
// is closed): { fd, open, prev, next } with -1 where there is none.
const FD_OPENERS = new Set(["open", "socket", "accept"]);
function fdLinks(i) {
  const fd = fieldNum(i, "fd");
  if (fd === undefined || fd < 0) return null;
  const pid = pidOf(i), N = trace.N, { TYPE, FLAGS, typeNames } = trace;
  const needle = "fd=" + fd;
  const onFd = (j) => {
    if (pidOf(j) !== pid) return false;
    const s = str(strIdOf(j));
    return s.includes(needle) && fieldNum(j, "fd") === fd;
  };
  const isOpener = (j) => FD_OPENERS.has(typeNames[TYPE[j]]) && !(FLAGS[j] & FLG_FAILED);
  const isClose = (j) => typeNames[TYPE[j]] === "close";
  const r = { fd, open: -1, prev: -1, next: -1 };
  if (isOpener(i)) r.open = i;
  else {
    for (let j = i - 1; j >= 0; j--) {
      if (!onFd(j)) continue;
      if (isClose(j)) break; // an earlier life of this number
      if (r.prev < 0) r.prev = j;
      if (isOpener(j)) { r.open = j; break; }
    }
  }
  if (!isClose(i)) {
    for (let j = i + 1; j < N; j++) {
      if (!onFd(j)) continue;
      if (isOpener(j)) break; // a new life of this number (the close was not seen)
      r.next = j;
      break;
    }
  }
  return r;
}
// Select event i, showing it first if the filters hide it (search kept).
function gotoEvent(i) {
  if (i < 0 || i >= trace.N) return;
  let p = lowerBound(view.rows, i);
  if (view.rows[p] !== i) {
    st.hideCats.clear(); st.hideTypes.clear(); st.hideLanes.clear(); st.path = 0; st.failed = false;
    st.sel = i;
    update(true);
    p = lowerBound(view.rows, i);
  }
  if (view.rows[p] === i) select(p, true);
}
function firstEventOf(pid) {
  for (let j = 0; j < trace.N; j++) if (pidOf(j) === pid) return j;
  return -1;
}
function linkButton(text, i, title) {
  const b = el("button", "link", text);
  b.type = "button";
  b.dataset.ev = String(i);
  if (title) b.title = title;
  b.addEventListener("click", () => gotoEvent(i));
  return b;
}
const evLabel = (j) => "#" + j + " " + trace.typeNames[trace.TYPE[j]] + " at " + fmtTime(trace.T[j]) + " s";
// The fields table of event i, with its links, into box.
function detailFields(box, i) {
  const t = el("table", "fields");
  const row = (k, v, key) => {
    const tr = el("tr");
    if (key) tr.dataset.key = key;
    const td = el("td");
    if (v instanceof Node) td.append(v); else td.textContent = String(v);
    tr.append(el("th", "", k), td);
    t.append(tr);
    return td;
  };
  const fl = trace.FLAGS[i];
  row("event", "#" + i);
  row("time", fmtTime(trace.T[i]) + " s", "t");
  const lane = trace.lanes[trace.laneOf[i]];
  const pid = pidOf(i), tid = tidOf(i);
  const pc = row("process", pid + (lane && lane.proc ? " " + str(lane.proc.name) : ""), "pid");
  if (pid > 0) {
    const first = firstEventOf(pid);
    const lk = el("span", "links");
    if (first >= 0 && first !== i) lk.append(linkButton("first event", first, evLabel(first)));
    const only = el("button", "link", "only this process");
    only.type = "button";
    only.dataset.pid = String(pid);
    only.addEventListener("click", () => focusProcess(pid));
    lk.append(only);
    pc.append(lk);
  }
  if (tid !== pid) row("thread", tid, "tid");
  const p = pathIdOf(i);
  if (p) row(fl & FLG_UNKNOWN ? "path (unknown)" : "path", str(p), "path");
  if (fl & FLG_BYTES || bytesOf(i)) row("bytes", fmtBytesExact(bytesOf(i)), "bytes");
  if (fl & FLG_RET) row("ret", fmtN(bytesOf(i)) + " (the bytes)", "ret");
  for (const f of fieldsOfId(strIdOf(i))) row(f.k, fieldCell(f), f.k);
  const d = durOf(i);
  if (d || fl & FLG_DUR) row("duration", fmtDur(d) + " (" + (d / 1e9).toFixed(6) + " s)", "dur");
  if (fl & FLG_FAILED) row("failed", "yes", "failed");
  if (fl & FLG_NOISE) row("noise", "yes: hidden from the narrative unless --no-filter", "noise");
  if (fl & FLG_REDACTED) row("redacted", "yes: secrets in this event were replaced by [REDACTED]", "redacted");
  const fdl = fdLinks(i);
  if (fdl) {
    const lk = el("span", "links");
    lk.append(el("span", "", "fd " + fdl.fd + ": "));
    if (fdl.open === i) lk.append(el("span", "dim", "opened here "));
    else if (fdl.open >= 0) lk.append(linkButton("open event", fdl.open, evLabel(fdl.open)));
    else lk.append(el("span", "dim", "opened before the trace or by a call with no event "));
    if (fdl.prev >= 0) lk.append(linkButton("◀ previous", fdl.prev, evLabel(fdl.prev)));
    if (fdl.next >= 0) lk.append(linkButton("next ▶", fdl.next, evLabel(fdl.next)));
    const td = row("on this fd", lk, "fdlinks");
    td.dataset.open = String(fdl.open);
    td.dataset.prev = String(fdl.prev);
    td.dataset.next = String(fdl.next);
  }
  box.append(t);
}
