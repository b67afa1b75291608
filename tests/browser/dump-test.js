// SPDX-License-Identifier: MIT
// Browser checks of the dump view (issue 16), run by tests/e2e/report-dump.sh:
//   node dump-test.js dump REPORT --expect EXPECT.json
//   node dump-test.js related REPORT (the dump with a baseline and a related cause added)
//   node dump-test.js plain REPORT
// EXPECT.json is what the dump's records hold (the e2e script reads them
// with python): the trigger's kind, pid, comm, value, threshold; the
// snapshot times (s), the trigger's snapshot and the samples (pid, cpu,
// rss) at it and at the next one; the counts the cards show.
// Prints "ok - ..." / "not ok - ..." lines; page errors, console errors,
// dialogs, CSP violations and network requests fail too.
"use strict";
const fs = require("fs");
const h = require("./harness.js");
const { ok } = h;

// "121.4 MiB" (or kB/MB, whichever units the page chose) in bytes
function bytesOfText(t) {
  const m = /(-?[\d.,]+)\s*(B|KiB|MiB|GiB|TiB|kB|KB|MB|GB|TB)\b/.exec(t);
  if (!m) return NaN;
  const f = { B: 1, KiB: 1024, MiB: 1048576, GiB: 1073741824, TiB: 1099511627776, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 }[m[2]];
  return Number(m[1].replace(/,/g, "")) * f;
}
const near = (a, b, rel) => Math.abs(a - b) <= Math.max(1, Math.abs(b) * rel);

// The process table as shown: snapshot index, time, the trigger mark, rows.
const table = (p) => p.evaluate(() => {
  const box = document.getElementById("inc-procs");
  return {
    snap: Number(box.dataset.snap), t: Number(box.dataset.t), n: Number(box.dataset.n),
    head: box.querySelector(".inc-snap-t").textContent, marked: !!box.querySelector(".inc-trigmark"),
    rows: [...box.querySelectorAll("tbody tr")].map((r) => ({ pid: Number(r.dataset.pid), cpu: r.dataset.cpu === "" ? null : Number(r.dataset.cpu), rss: Number(r.dataset.rss),
      threads: Number(r.dataset.threads), cells: [...r.children].map((c) => c.textContent) })),
    more: !!document.getElementById("inc-more"),
  };
});
// Show every row of the table (the "all N" button), if it offers it.
async function showAll(p) {
  const t = await table(p);
  if (t.more && t.rows.length < t.n) await p.click("#inc-more");
}
// The rows shown equal the samples of the snapshot: the same pids, CPU and
// RSS per pid (exact, from the data attributes; the cells within rounding),
// ordered by CPU, then RSS.
function sameRows(t, want, what) {
  const got = new Map(t.rows.map((r) => [r.pid, r]));
  const wantPids = want.map((r) => r.pid).sort((a, b) => a - b).join(",");
  ok([...got.keys()].sort((a, b) => a - b).join(",") === wantPids, what + ": the table's pids are the snapshot's samples (" + want.length + ")");
  const bad = want.filter((w) => {
    const r = got.get(w.pid);
    const cpuBad = w.cpu === null ? r && (r.cpu !== null || r.cells[2] !== "–") : r && (Math.abs(r.cpu - w.cpu) > 1e-9 || r.cells[2] !== w.cpu.toFixed(1) + " %");
    return !r || cpuBad || r.rss !== w.rss ||
      !near(bytesOfText(r.cells[3]), w.rss, 0.01) || r.cells[4] !== w.state ||
      !w.threads || r.threads !== w.threads || r.cells[5] !== String(w.threads);
  });
  ok(!bad.length, what + ": CPU, RSS, state and thread count of every row are the sample's" + (bad.length ? " (differ: " + bad.slice(0, 3).map((w) => JSON.stringify([w, got.get(w.pid)])).join(" ") + ")" : ""));
  const c = (r) => (r.cpu === null ? -1 : r.cpu);
  const order = t.rows.every((r, k) => !k || c(t.rows[k - 1]) > c(r) || (c(t.rows[k - 1]) === c(r) && t.rows[k - 1].rss >= r.rss));
  ok(order, what + ": sorted by CPU, then RSS");
}
// Wait (10 s at most) until the table shows snapshot k.
const untilSnap = (p, k) => p.waitForFunction((s) => document.getElementById("inc-procs").dataset.snap === String(s), k, { timeout: 10000 }).catch(() => {});
const cursorT = (p) => p.evaluate(() => { const l = document.querySelector("#tl-svg line.dump-cursor"); return l ? Number(l.dataset.t) : NaN; });

async function dump(b, o) {
  const E = JSON.parse(fs.readFileSync(o.expect, "utf8"));
  const p = await h.open(b, o.report);
  // the incident panel
  const inc = await p.evaluate(() => {
    const box = document.getElementById("incident"), q = (s) => box.querySelector(s);
    return { hidden: box.hidden, kind: q(".inc-kind") && q(".inc-kind").textContent, proc: q(".inc-proc") && q(".inc-proc").textContent,
      pid: q(".inc-proc") && q(".inc-proc").dataset.pid, value: q("#inc-value") && q("#inc-value").textContent,
      state: q(".inc-state") && q(".inc-state").textContent, text: box.textContent };
  });
  ok(!inc.hidden, "a dump opens with the incident panel");
  ok(inc.kind === E.kind, "the panel names the trigger kind (" + inc.kind + ", want " + E.kind + ")");
  ok(inc.pid === String(E.pid) && inc.proc.includes(E.comm) && inc.proc.includes(String(E.pid)),
    "the panel names the trigger's process: " + inc.proc + " (want " + E.comm + ", pid " + E.pid + ")");
  // memgrow: value and threshold are MiB
  const vt = (inc.value || "").split("against threshold");
  ok(vt.length === 2 && near(bytesOfText(vt[0]), E.value * 1048576, 0.005) && near(bytesOfText(vt[1]), E.threshold * 1048576, 0.005),
    "value against threshold: " + inc.value + " (want " + E.value + " MiB, " + E.threshold + " MiB)");
  ok(E.ongoing ? /ongoing/.test(inc.state) : /ended/.test(inc.state), "ongoing or ended as the record says: " + inc.state);
  // the trigger's process's lanes first: only its ancestors above it
  const lanes = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.lane-label")].map((t) => Number(t.dataset.tid)));
  const at = lanes.indexOf(E.pid);
  ok(at >= 0 && lanes.slice(0, at).every((x) => E.ancestors.includes(x)),
    "the trigger process's lane comes first, under its ancestors only (lanes: " + lanes.slice(0, at + 2).join(" ") + "; ancestors: " + E.ancestors.join(" ") + ")");
  // the trigger's process's tracks first
  const tracks = await p.evaluate(() => [...document.querySelectorAll("#tracks svg")].map((g) => g.dataset.series));
  ok(tracks[0] === "sample:cpu:" + E.pid && tracks[1] === "sample:rss:" + E.pid,
    "the trigger process's CPU and RSS tracks come first (" + tracks.slice(0, 3).join(" ") + ")");
  // the view contains the trigger
  const view = await p.evaluate(() => [...document.querySelectorAll("#tl-svg line.trigger")].length);
  ok(view >= 1, "the trigger line is in the first view");
  // the process table at open: the trigger snapshot, marked
  let t = await table(p);
  ok(t.snap === E.trig && t.marked, "the table opens on the trigger snapshot (#" + t.snap + ", want #" + E.trig + "), marked");
  ok(Math.abs(t.t / 1e9 - E.times[E.trig]) < 2e-6, "its time is the trigger snapshot's (" + t.t / 1e9 + " s, want " + E.times[E.trig] + ")");
  ok(near(await cursorT(p), E.times[E.trig] * 1e9, 1e-6), "the timeline's cursor line is at the trigger snapshot");
  await showAll(p);
  t = await table(p);
  sameRows(t, E.at_trig, "trigger snapshot");
  const me = t.rows.find((r) => r.pid === E.pid);
  ok(me && me.cells[1] === E.comm, "the trigger process's row shows its comm as text: " + (me && me.cells[1]) + " (want " + E.comm + ")");
  ok(!(await p.evaluate(() => document.querySelector("#incident i, #inc-procs i"))), "no markup from a comm in the panel or the table");
  const first = t.head;
  // ] steps to the next snapshot, [ comes back
  await p.click("#tl-main", { position: { x: 5, y: 5 } }).catch(() => {}); // the page, not an input, has the focus
  await untilSnap(p, E.trig);
  await p.keyboard.press("]");
  await untilSnap(p, E.trig + 1);
  await showAll(p);
  t = await table(p);
  ok(t.snap === E.trig + 1 && !t.marked, "] steps to the next snapshot (#" + t.snap + "), not marked as the trigger's");
  ok(t.head !== first && Math.abs(t.t / 1e9 - E.times[E.trig + 1]) < 2e-6, "the snapshot time shown changes: " + t.head);
  sameRows(t, E.next, "next snapshot");
  await p.waitForFunction((x) => { const l = document.querySelector("#tl-svg line.dump-cursor"); return l && Math.abs(Number(l.dataset.t) - x) < 1000; },
    E.times[E.trig + 1] * 1e9, { timeout: 10000 }).catch(() => {});
  ok(near(await cursorT(p), E.times[E.trig + 1] * 1e9, 1e-6), "the cursor line follows to the next snapshot");
  await p.keyboard.press("[");
  await untilSnap(p, E.trig);
  await showAll(p);
  t = await table(p);
  ok(t.snap === E.trig && t.marked && t.head === first, "[ comes back to the trigger snapshot");
  sameRows(t, E.at_trig, "back at the trigger snapshot");
  // sorting by RSS
  await p.click("#inc-procs th button[data-sort=rss]");
  t = await table(p);
  ok(t.rows.every((r, k) => !k || t.rows[k - 1].rss >= r.rss), "the RSS header sorts by RSS");
  // cards: what the dump holds
  const cards = await p.evaluate(() => [...document.querySelectorAll(".card")].map((c) => ({ key: c.dataset.card,
    title: c.querySelector("h2").textContent, big: c.querySelector(".big").textContent, sub: c.querySelector(".sub").textContent })));
  const card = (k) => cards.find((c) => c.key === k) || { big: "", sub: "" };
  const num = (s) => Number((/[\d,]+/.exec(s) || ["NaN"])[0].replace(/,/g, ""));
  ok(num(card("dump-snapshots").big) === E.snapshots, "Snapshots card: " + card("dump-snapshots").big + " (dump: " + E.snapshots + ")");
  ok(num(card("dump-processes").big) === E.processes, "Processes card: " + card("dump-processes").big + " (dump: " + E.processes + " pids sampled)");
  ok(num(card("dump-exits").big) === E.exits, "Short-lived exits card: " + card("dump-exits").big + " (dump: " + E.exits + " procexit records)");
  ok(num(card("dump-threads").big) === E.threads, "Thread states card: " + card("dump-threads").big + " (dump: " + E.threads + ")");
  const rd = /R \(running\) ([\d,]+), D \(blocked\) ([\d,]+)/.exec(card("dump-threads").sub) || [];
  ok(E.threads === 0 || (num(rd[1]) === E.r && num(rd[2]) === E.d), "its R and D counts: " + card("dump-threads").sub + " (dump: " + E.r + ", " + E.d + ")");
  ok(E.exits === 0 || num(card("dump-exits").sub) === E.unseen, "exits never seen by a scan: " + card("dump-exits").sub + " (dump: " + E.unseen + ")");
  const trace = cards.filter((c) => /^(I\/O|Files|Failures|Network)$/i.test(c.title));
  ok(!trace.length, "no trace cards in a dump (" + trace.map((c) => c.title).join(", ") + ")");
  ok(!!cards.find((c) => c.key === "triggers"), "the incident card keeps the Triggers card's key");
  // a card filters: the Snapshots card keeps the sysstat records, one per snapshot
  await p.click('.card[data-card="dump-snapshots"]');
  await p.waitForFunction((n) => document.getElementById("rows-count").textContent.startsWith(n + " of"), String(E.snapshots), { timeout: 10000 }).catch(() => {});
  const rc = await p.evaluate(() => ({ t: document.getElementById("rows-count").textContent, on: document.querySelector('.card[data-card="dump-snapshots"]').classList.contains("active") }));
  ok(rc.t.startsWith(E.snapshots + " of") && rc.on, "the Snapshots card shows the snapshots' records and is marked active (" + rc.t + ")");
  const keys = await p.evaluate(() => document.getElementById("help-keys").textContent);
  ok(/\[ \/ \]/.test(keys), "the help lists [ / ]");
  await p.close();
}

// The same dump with a baseline and a related cause added to its trigger
// record (fields of issue 16's one incident per cause): both are shown.
async function related(b, o) {
  const p = await h.open(b, o.report);
  const r = await p.evaluate(() => ({ value: document.getElementById("inc-value").textContent,
    rel: [...document.querySelectorAll("#incident .inc-related")].map((x) => x.textContent) }));
  const base = r.value.split("baseline")[1] || "";
  ok(near(bytesOfText(base), 12.5 * 1048576, 0.005), "the baseline is shown with the value: " + r.value);
  ok(r.rel.length === 1 && /^memdrop \(system\): /.test(r.rel[0]) && near(bytesOfText(r.rel[0].split(":")[1]), 600.25 * 1048576, 0.005) &&
    r.rel[0].includes("<b>below</b>"), "the related cause is shown as text with its kind, scope, value and message: " + r.rel.join(" | "));
  await p.close();
}

async function plain(b, o) {
  const p = await h.open(b, o.report);
  const r = await p.evaluate(() => ({ hidden: document.getElementById("incident").hidden,
    cards: [...document.querySelectorAll(".card")].map((c) => c.dataset.card) }));
  ok(r.hidden, "a plain trace has no incident panel");
  ok(["memory", "io", "network", "files", "processes", "failures"].every((k) => r.cards.includes(k)) && !r.cards.some((k) => /^dump-/.test(k)),
    "a plain trace keeps its cards (" + r.cards.join(" ") + ")");
  await p.keyboard.press("]");
  await p.keyboard.press("[");
  ok(!(await p.evaluate(() => !!document.querySelector("#tl-svg line.dump-cursor"))), "[ and ] do nothing in a plain trace");
  await p.close();
}

h.main({ dump, plain, related }, { page: false });
