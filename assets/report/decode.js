// SPDX-License-Identifier: MIT
// compendium report script: the embedded trace data to columns. Base64,
// gunzip, byte planes to the typed arrays in trace; the columns that the
// first frame needs only for the visible rows wait until allColumns().
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
  const src = await gunzip(parts, trace.M.raw_len);
  mark("gunzip");
  const C = {};
  const kinds = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array, utf8: Uint8Array };
  for (const L of trace.M.layout) {
    const K = kinds[L.type];
    if (!K || L.off + L.n * K.BYTES_PER_ELEMENT > src.length) throw new Error("trace data is damaged: column " + L.name + " does not fit");
    if (LAZY.has(L.name)) lazy[L.name] = { L, K };
    else C[L.name] = unplane(src, L, K);
  }
  lazySrc = src; lazyC = C;
  trace.N = trace.M.count;
  trace.TYPE = C.type; trace.CAT = C.cat; trace.FLAGS = C.flags; trace.TH = C.th; trace.DUR = C.dur;
  // wide durations
  for (let k = 0; k < C.dux_i.length; k++) trace.durX.set(C.dux_i[k], C.dux_v[k]);
  mark("columns");
  trace.S = trace.M.nstrings ? new TextDecoder().decode(C.strings).split("\n") : [];
  return C;
}
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
  trace.BYTES = C.bytes; trace.STR = C.str; trace.PATH = C.path;
  // sparse columns: extra JSON (stack, disasm) and wide byte counts
  const N = trace.N, X = trace.X = new Uint32Array(N);
  for (let k = 0; k < C.x_i.length; k++) if (C.x_i[k] < N) X[C.x_i[k]] = C.x_v[k];
  for (let k = 0; k < C.byx_i.length; k++) trace.bytesX.set(C.byx_i[k], C.byx_v[k]);
}
