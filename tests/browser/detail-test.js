// SPDX-License-Identifier: MIT
// Browser checks of the report's details panel, export and header, run by
// tests/e2e/report-detail.sh:
//   node detail-test.js fields REPORT --jsonl LOG --port PORT
//   node detail-test.js export REPORT --jsonl LOG [--counters 1]
//   node detail-test.js header REPORT --text TEXT
// LOG is the JSON Lines log of the same run: the ground truth. Prints
// "ok - ..." / "not ok - ..." lines; every mode also fails on page errors,
// console errors, dialogs, CSP violations and network requests.
"use strict";
const fs = require("fs");
const h = require("./harness.js");
const { ok } = h;

// The log's events (no header, no end record), in time order.
function logEvents(file) {
  const objs = fs.readFileSync(file, "utf8").split("\n").filter((l) => l).map((l) => JSON.parse(l));
  const evs = objs.filter((o) => o.type !== "header" && o.type !== "end");
  return evs.map((e, k) => [e, k]).sort((x, y) => x[0].t - y[0].t || x[1] - y[1]).map((x) => x[0]);
}
const META = new Set(["t", "pid", "tid", "type", "cat", "fold"]);
// The report index of log event e: same time (µs), type and pid.
function indexOf(rows, e) {
  const m = rows.filter((r) => r.time === e.t.toFixed(6) && r.type === e.type && r.pid.split("/")[0] === String(e.pid));
  return m.length === 1 ? m[0].ev : -1;
}
// The details panel as { key: { text, chips, data } } plus the rows' keys in order.
const panel = (p) => p.evaluate(() => {
  const out = { keys: [], f: {} };
  for (const tr of document.querySelectorAll("#details table.fields tr")) {
    const k = tr.dataset.key || tr.children[0].textContent, td = tr.children[1];
    out.keys.push(k);
    out.f[k] = { text: td.textContent, chips: [...td.querySelectorAll(".chip")].map((c) => c.textContent),
      data: Object.assign({}, td.dataset) };
  }
  out.event = out.f.event ? out.f.event.text : "";
  return out;
});
// Select event i by clicking its table row (scrolled into view first).
async function selectEv(p, i) {
  await p.evaluate(async (n) => {
    const body = document.getElementById("tbody"), frame = () => new Promise((r) => requestAnimationFrame(r));
    const row = () => [...document.querySelectorAll("#rows .row")].find((r) => !r.hidden && r.dataset.ev === String(n));
    for (let top = 0; !row() && top <= body.scrollHeight; top += Math.max(20, body.clientHeight - 40)) {
      body.scrollTop = top;
      body.dispatchEvent(new Event("scroll"));
      await frame();
    }
    if (row()) row().click();
  }, i);
  await p.waitForFunction((n) => {
    const tr = document.querySelector("#details table.fields tr");
    return tr && tr.children[1].textContent === "#" + n;
  }, i, { timeout: 10000 }).catch(() => {});
  return panel(p);
}
// Click the panel's link button with this text; the panel must then show event want.
async function follow(p, text, want, what) {
  const b = p.locator("#details button.link", { hasText: text });
  if (!await b.count()) return ok(want < 0, what + ": no '" + text + "' link" + (want < 0 ? "" : " (want #" + want + ")"));
  if (want < 0) return ok(false, what + ": a '" + text + "' link where there should be none");
  await b.first().click();
  await p.waitForFunction((n) => {
    const tr = document.querySelector("#details table.fields tr");
    return tr && tr.children[1].textContent === "#" + n;
  }, want, { timeout: 10000 }).catch(() => {});
  const got = (await panel(p)).event;
  return ok(got === "#" + want, what + ": '" + text + "' lands on #" + want + " (got " + got + ")");
}

async function fields(b, o) {
  const evs = logEvents(o.jsonl);
  const p = await h.open(b, o.report);
  const rows = await h.tableRows(p);
  ok(rows.length === evs.length, "the table has every event of the log (" + rows.length + " of " + evs.length + ")");
  const inTxt = (e) => e.path && e.path.endsWith("/in.txt");
  const outTxt = (e) => e.path && e.path.endsWith("/out.txt");
  const find = (what, f) => { const e = evs.filter(f); ok(e.length === 1, "the log has one " + what); return e[0] || {}; };
  const openIn = find("open of in.txt for reading", (e) => e.type === "open" && inTxt(e) && e.access === "r");
  const read1 = find("read of 100 bytes", (e) => e.type === "read" && inTxt(e) && e.bytes === 100);
  const read2 = find("read of 1000 bytes", (e) => e.type === "read" && inTxt(e) && e.bytes === 1000);
  const mm = find("mmap of in.txt", (e) => e.type === "mmap" && inTxt(e));
  const closeIn = evs.filter((e) => e.type === "close" && inTxt(e) && e.pid === openIn.pid).pop() || {};
  const openOut = find("open of out.txt", (e) => e.type === "open" && outTxt(e));
  const w = evs.filter((e) => e.type === "write" && outTxt(e));
  ok(w.length === 2 && w.every((e) => e.bytes === 3000), "the log has two writes of 3000 bytes to out.txt");
  const closeOut = find("close of out.txt", (e) => e.type === "close" && outTxt(e));
  const anon = find("anonymous mapping of 3 MiB", (e) => e.type === "mmap" && e.len === 3 << 20);
  const conn = find("connect", (e) => e.type === "connect");
  const sock = evs.filter((e) => e.type === "socket" && e.fd === conn.fd && e.t <= conn.t).pop() || {};
  const miss = find("failed open", (e) => e.type === "open" && e.err === "ENOENT" && e.path.endsWith("/missing.txt"));
  const ren = find("rename", (e) => e.type === "rename");
  const ix = (e) => indexOf(rows, e);

  // open: flags split, fd, full path
  let d = await selectEv(p, ix(openIn));
  ok(JSON.stringify(d.f.flags && d.f.flags.chips) === '["O_RDONLY","O_CLOEXEC"]', "open: flags split into O_RDONLY, O_CLOEXEC (" + JSON.stringify(d.f.flags) + ")");
  ok(d.f.fd && d.f.fd.text === String(openIn.fd), "open: fd " + openIn.fd);
  ok(d.f.path && d.f.path.text === openIn.path, "open: the full path (" + (d.f.path && d.f.path.text) + ")");
  ok(d.f.access && d.f.access.text === "r", "open: access r");
  ok(d.f.dur && /^\d+(\.\d+)? (ns|µs|ms) \(\d\.\d{6} s\)$/.test(d.f.dur.text), "open: the duration with its unit (" + (d.f.dur && d.f.dur.text) + ")");
  ok(d.f.fdlinks && d.f.fdlinks.data.open === String(ix(openIn)), "open: the event opened its fd itself");
  // read: bytes, the fd's open event, previous and next on the fd
  d = await selectEv(p, ix(read2));
  ok(d.f.bytes && d.f.bytes.text === "1,000 B", "read: bytes 1,000 B (" + (d.f.bytes && d.f.bytes.text) + ")");
  ok(d.f.fdlinks && d.f.fdlinks.data.open === String(ix(openIn)) && d.f.fdlinks.data.prev === String(ix(read1)) &&
    d.f.fdlinks.data.next === String(ix(mm)), "read: open, previous and next on fd " + read2.fd + " are the log's (" +
    JSON.stringify(d.f.fdlinks && d.f.fdlinks.data) + ", want open " + ix(openIn) + " prev " + ix(read1) + " next " + ix(mm) + ")");
  await follow(p, "open event", ix(openIn), "read");
  await selectEv(p, ix(read2));
  await follow(p, "previous", ix(read1), "read");
  await selectEv(p, ix(read2));
  await follow(p, "next", ix(mm), "read");
  // mmap of the file: sizes, protection and flags
  d = await selectEv(p, ix(mm));
  ok(d.f.len && d.f.len.text === "8,192 B (8.00 KiB)", "mmap: len 8,192 B (8.00 KiB) (" + (d.f.len && d.f.len.text) + ")");
  ok(d.f.prot && JSON.stringify(d.f.prot.chips) === '["read"]', "mmap: prot r-- is read (" + JSON.stringify(d.f.prot) + ")");
  ok(d.f.flags && JSON.stringify(d.f.flags.chips) === '["MAP_PRIVATE"]', "mmap: flags MAP_PRIVATE");
  ok(d.f.addr && d.f.addr.text === mm.addr, "mmap: addr " + mm.addr);
  ok(d.f.fdlinks && d.f.fdlinks.data.next === String(ix(closeIn)), "mmap: the next event on its fd is the close");
  d = await selectEv(p, ix(closeIn));
  ok(d.f.fdlinks && d.f.fdlinks.data.next === "-1" && d.f.fdlinks.data.open === String(ix(openIn)), "close: nothing next on the fd, opened by the open of in.txt");
  await follow(p, "next", -1, "close");
  d = await selectEv(p, ix(anon));
  ok(d.f.len && d.f.len.text === "3,145,728 B (3.00 MiB)", "anonymous mmap: len 3,145,728 B (3.00 MiB) (" + (d.f.len && d.f.len.text) + ")");
  ok(d.f.prot && JSON.stringify(d.f.prot.chips) === '["read","write"]', "anonymous mmap: prot rw- is read, write");
  ok(d.f.flags && JSON.stringify(d.f.flags.chips) === '["MAP_PRIVATE","MAP_ANONYMOUS"]', "anonymous mmap: flags split");
  ok(!d.f.fdlinks, "anonymous mmap: no fd links");
  // write on the reused fd number: its own open, not the earlier file's
  d = await selectEv(p, ix(w[0]));
  ok(d.f.bytes && d.f.bytes.text === "3,000 B (2.93 KiB)", "write: bytes 3,000 B (2.93 KiB) (" + (d.f.bytes && d.f.bytes.text) + ")");
  ok(d.f.fdlinks && d.f.fdlinks.data.open === String(ix(openOut)) && d.f.fdlinks.data.next === String(ix(w[1])),
    "write: fd " + w[0].fd + " (reused) was opened by the open of out.txt, next is the second write");
  d = await selectEv(p, ix(w[1]));
  ok(d.f.fdlinks && d.f.fdlinks.data.prev === String(ix(w[0])) && d.f.fdlinks.data.next === String(ix(closeOut)), "second write: previous is the first, next the close");
  // a pipe on the same number: no open event, and nothing before its creation
  const pr = find("read of the pipe", (e) => e.type === "read" && e.bytes === 5 && /^pipe:/.test(e.path || ""));
  d = await selectEv(p, ix(pr));
  ok(d.f.fdlinks && d.f.fdlinks.data.open === "-1" && d.f.fdlinks.data.prev === "-1",
    "pipe read: fd " + pr.fd + " has no open event and no previous event (the close of out.txt ended the last file on it) (" + JSON.stringify(d.f.fdlinks && d.f.fdlinks.data) + ")");
  ok(d.f.fdlinks && /opened before the trace or by a call with no event/.test(d.f.fdlinks.text), "pipe read: says its fd was opened by a call with no event");
  // connect
  d = await selectEv(p, ix(conn));
  ok(d.f.addr && d.f.addr.text === "127.0.0.1" && d.f.port && d.f.port.text === String(o.port), "connect: 127.0.0.1 port " + o.port + " (" + (d.f.port && d.f.port.text) + ")");
  ok(d.f.family && d.f.family.text === "tcp4", "connect: family tcp4");
  ok(d.f.fdlinks && d.f.fdlinks.data.open === String(ix(sock)), "connect: its fd was opened by the socket call");
  await follow(p, "open event", ix(sock), "connect");
  // errno with its meaning
  d = await selectEv(p, ix(miss));
  ok(d.f.err && d.f.err.text === "ENOENT No such file or directory", "failed open: err ENOENT with its meaning (" + (d.f.err && d.f.err.text) + ")");
  ok(d.f.failed && d.f.failed.text === "yes", "failed open: marked failed");
  // a name that tries to pass for more fields
  d = await selectEv(p, ix(ren));
  ok(d.f.new_path && d.f.new_path.text === ren.new_path, "rename: new_path shown whole (" + (d.f.new_path && d.f.new_path.text) + ")");
  ok(!d.f.fd && !d.f.err, "rename: the name injects no fd or err field (rows: " + d.keys.join(",") + ")");
  const want = Object.keys(ren).filter((k) => !META.has(k));
  const got = d.keys.filter((k) => !["event", "t", "pid", "tid", "failed", "noise", "redacted", "fdlinks"].includes(k));
  ok(JSON.stringify(got.sort()) === JSON.stringify(want.sort()), "rename: the panel's fields are the log's (" + got.join(",") + " vs " + want.join(",") + ")");
  // the table row: the path cut in the middle, whole in the title
  const long = await p.evaluate(() => {
    const r = [...document.querySelectorAll("#rows .row")].find((x) => !x.hidden && x.children[4].title);
    return r ? { text: r.children[4].textContent, title: r.children[4].title } : null;
  });
  if (long) ok(long.text.includes("…") && long.title.length > long.text.length, "a long detail is cut with … and whole in its title");
  await p.close();
}

// numbers from the report may be rounded where the log has more digits (%.6g doubles, µs times)
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= 1e-6 + 1e-5 * Math.abs(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, k) => same(x, b[k]));
  if (a && b && typeof a === "object" && typeof b === "object") return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}
async function exportCheck(b, o) {
  const evs = logEvents(o.jsonl);
  const p = await h.open(b, o.report);
  const [dl] = await Promise.all([p.waitForEvent("download", { timeout: 30000 }), p.keyboard.press("e")]);
  const tef = JSON.parse(fs.readFileSync(await dl.path(), "utf8"));
  ok(Array.isArray(tef.traceEvents), "the export parses as Trace Event Format JSON");
  const te = tef.traceEvents || [];
  const evts = te.filter((e) => e.ph === "X" || e.ph === "i");
  ok(evts.length === evs.length, "the export has every event (" + evts.length + " of " + evs.length + ")");
  // each log event: one exported event with every field as its own arg, equal
  const pool = new Map();
  for (const e of evts) {
    const k = e.name + "|" + e.pid + "|" + e.tid;
    if (!pool.has(k)) pool.set(k, []);
    pool.get(k).push(e);
  }
  let bad = 0, checked = 0;
  const why = [];
  for (const e of evs) {
    const cand = pool.get(e.type + "|" + e.pid + "|" + e.tid) || [];
    const keys = Object.keys(e).filter((k) => !META.has(k));
    const k = cand.findIndex((x) => Math.abs(x.ts - e.t * 1e6) <= 1 && keys.every((f) => f in x.args && same(x.args[f], e[f])) &&
      Object.keys(x.args).every((f) => keys.includes(f)));
    checked += keys.length;
    if (k < 0) { bad++; if (why.length < 3) why.push(JSON.stringify(e) + " vs " + JSON.stringify(cand.slice(0, 2))); }
    else cand.splice(k, 1);
  }
  ok(bad === 0, "every field of every event is its own arg, equal to the log's (" + checked + " fields of " + evs.length + " events; " + bad + " events differ" + (why.length ? ": " + why.join(" | ") : "") + ")");
  const meta = te.filter((e) => e.ph === "M");
  const pnames = new Map(meta.filter((e) => e.name === "process_name").map((e) => [e.pid, e.args.name]));
  const tnames = new Set(meta.filter((e) => e.name === "thread_name").map((e) => e.pid + "/" + e.tid));
  const pids = [...new Set(evs.filter((e) => e.pid > 0).map((e) => e.pid))];
  const tids = [...new Set(evs.filter((e) => e.pid > 0).map((e) => e.pid + "/" + e.tid))];
  ok(pids.every((x) => pnames.get(x)), "every process is named (" + pids.length + " processes: " + [...pnames.values()].join(", ") + ")");
  ok(tids.every((x) => tnames.has(x)), "every thread is named (" + tids.length + " threads)");
  ok(meta.filter((e) => e.name === "process_sort_index").length === pnames.size, "every process has a sort index");
  for (const x of evs.filter((e) => e.type === "exec")) ok(pnames.get(x.pid) === x.path.split("/").pop(), "process " + x.pid + " is named " + pnames.get(x.pid));
  if (o.counters) {
    const c = te.filter((e) => e.ph === "C");
    const samples = evs.filter((e) => e.type === "counter" || e.type === "sample");
    ok(samples.length > 0, "the log has --sample counters (" + samples.length + ")");
    ok(c.length > 0 && c.every((e) => Object.values(e.args).every((v) => typeof v === "number")), "the samples are counter events (" + c.length + ")");
    const s = samples[0] || {};
    ok(c.some((e) => e.pid === s.pid && Math.abs(e.ts - s.t * 1e6) <= 1 && same(e.args.rss, s.rss)), "a sample's rss is a counter event on its process");
  }
  await p.close();
}

async function header(b, o) {
  const p = await h.open(b, o.report);
  const facts = await p.evaluate(() => Object.fromEntries([...document.querySelectorAll("#h-facts div")].map((d) => [d.children[0].textContent, d.children[1].textContent])));
  if (o.text === "none") ok(facts.outcome === undefined, "header: no outcome (got '" + facts.outcome + "')");
  else ok(facts.outcome === o.text, "header: outcome '" + o.text + "' (got '" + facts.outcome + "')");
  await p.close();
}

h.main({ fields, export: exportCheck, header }, { page: false });
