// SPDX-License-Identifier: MIT
// Browser checks of compendium reports, run by tests/e2e/report-*.sh:
//   node report-test.js lanes REPORT --pids P,P --tids T,T --file NAME
//   node report-test.js scroll REPORT --count N --last TEXT
//   node report-test.js hostile REPORT
//   node report-test.js warning REPORT --text TEXT
//   node report-test.js lod REPORT
//   node report-test.js lodedge REPORT
//   node report-test.js bench REPORT
// Prints "ok - ..." / "not ok - ..." lines; every mode also fails on page
// errors, console errors, dialogs, CSP violations and network requests.
"use strict";
const fs = require("fs");
const h = require("./harness.js");
const { ok } = h;

const rowsCount = (p) => p.evaluate(() => {
  const m = /^([\d,]+) of/.exec(document.getElementById("rows-count").textContent);
  return m ? Number(m[1].replace(/,/g, "")) : -1;
});
const visibleRowTexts = (p) => p.evaluate(() => [...document.querySelectorAll("#rows .row")]
  .filter((r) => !r.hidden).map((r) => ({ pos: Number(r.dataset.pos), text: r.textContent })));
// Wait (up to 10 s) until the time axis's labels ("texts") or labels with
// their positions ("positions") equal (same) or differ from (!same) value:
// a redraw runs in an animation frame, which a loaded machine can delay, so
// the checks wait for the condition instead of a fixed time; on timeout the
// check that follows fails with what the page shows.
async function untilAxis(p, what, value, same) {
  await p.waitForFunction(([w, v, eq]) => {
    const t = [...document.querySelectorAll("#tl-svg text.axis")];
    const now = w === "texts" ? t.map((x) => x.textContent).join("|")
      : t.map((x) => x.textContent + "@" + Math.round(x.getAttribute("x"))).join(" ");
    return (now === v) === eq;
  }, [what, value, same], { timeout: 10000 }).catch(() => {});
}
const axisTexts = (p) => p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent).join("|"));
// Open file at p's view through p's URL fragment (and extra parameters). p
// writes its fragment 150 ms after its last change, later on a loaded
// machine: until the new page shows p's axis, wait for p's fragment to
// change and open it again (20 s at most; then the caller's check fails on
// the stale view).
async function openAtFragment(b, file, p, extra) {
  const want = await axisTexts(p), deadline = Date.now() + 20000;
  for (;;) {
    const hash = (await p.evaluate(() => location.hash)).slice(1);
    const q = await h.open(b, file, [hash, extra].filter((x) => x).join("&"));
    if (await axisTexts(q) === want || Date.now() > deadline) return q;
    await q.close();
    await p.waitForFunction((old) => location.hash.slice(1) !== old, hash,
      { timeout: Math.max(1, deadline - Date.now()) }).catch(() => {});
  }
}
const nextFrame = (p) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));


async function lanes(p, o) {
  const labels = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.lane-label")]
    .map((t) => ({ tid: t.dataset.tid, text: t.textContent, thread: t.classList.contains("thread"),
      italic: getComputedStyle(t).fontStyle })));
  for (const pid of o.pids.split(",")) {
    const l = labels.find((x) => x.tid === pid);
    ok(l && !l.thread && l.text.startsWith(pid + " "), "a process lane for pid " + pid + (l ? " (" + l.text + ")" : ""));
  }
  for (const tid of o.tids.split(",")) {
    const l = labels.find((x) => x.tid === tid);
    ok(l && l.thread && l.text.startsWith("↳ " + tid) && l.italic === "italic", "a thread lane for tid " + tid + ", marked ↳ and italic");
  }
  ok(labels.length === o.pids.split(",").length + o.tids.split(",").length,
    "exactly one lane per process and thread (" + labels.length + ")");
  const marks = await p.evaluate(() => document.querySelectorAll("#tl-svg path[data-type]").length);
  ok(marks > 0, "the timeline draws event paths (" + marks + " colours)");
  const execs = await p.evaluate(() => !!document.querySelector("#tl-svg path.exec") && !!document.querySelector("#tl-svg path.exitm"));
  ok(execs, "exec and exit markers are drawn");

  // a category filter changes the row count, both ways
  const all = await rowsCount(p);
  await p.click("#b-filters");
  await p.uncheck('#f-cats input[data-cat="file"]');
  const noFile = await rowsCount(p);
  ok(noFile > 0 && noFile < all, "unticking category 'file' drops rows (" + all + " -> " + noFile + ")");
  await p.check('#f-cats input[data-cat="file"]');
  ok(await rowsCount(p) === all, "ticking it again restores " + all + " rows");
  // a card filters table and timeline
  await p.click('.card[data-card="files"] h2');
  const files = await rowsCount(p);
  const cats = await p.evaluate(() => [...new Set([...document.querySelectorAll("#rows .row")].filter((r) => !r.hidden).map((r) => r.children[2].textContent))]);
  ok(files < all && cats.every((c) => c === "file" || c === "desc"), "the Files card shows only file and desc events (" + files + " rows: " + cats.join(",") + ")");
  await nextFrame(p);
  const tlTypes = await p.evaluate(() => [...document.querySelectorAll("#tl-svg path[data-type]")].map((x) => x.dataset.type));
  ok(tlTypes.length > 0 && !tlTypes.includes("mmap"), "the timeline follows the card filter (" + tlTypes.join(",") + ")");
  await p.click('.card[data-card="files"] h2');
  ok(await rowsCount(p) === all, "clicking the card again clears that filter");
  // a process in the card filters to its lanes
  const pid = o.pids.split(",")[1];
  const btn = await p.$('.card[data-card="processes"] button[data-pid="' + pid + '"]');
  if (ok(!!btn, "the Processes card lists pid " + pid)) {
    await btn.click();
    await nextFrame(p);
    const nl = await p.evaluate(() => document.querySelectorAll("#tl-svg text.lane-label").length);
    const pids = await p.evaluate(() => [...new Set([...document.querySelectorAll("#rows .row")].filter((r) => !r.hidden).map((r) => r.children[1].textContent.split("/")[0]))]);
    ok(nl === 1 && pids.length === 1 && pids[0] === pid, "clicking the process keeps only its lane and rows (" + nl + " lanes, pids " + pids.join(",") + ")");
    await btn.click();
  }

  // a file in the Files card filters to the events on that path
  const fileBtn = await p.$('.card[data-card="files"] button[title^="' + "/" + '"]');
  const fileName = fileBtn ? await fileBtn.getAttribute("title") : "";
  if (ok(!!fileBtn, "the Files card lists files")) {
    await fileBtn.click();
    await nextFrame(p);
    const path = fileName.split(": ")[0];
    const texts = (await visibleRowTexts(p)).map((r) => r.text);
    ok(texts.length > 0 && texts.every((t) => t.includes('path="' + path + '"')), "clicking " + path + " keeps only its events (" + texts.length + " rows)");
    await fileBtn.click();
  }
  // keyboard alone: a focused card reacts to Enter
  await p.focus('.card[data-card="io"]');
  await p.keyboard.press("Enter");
  const io = await rowsCount(p);
  await p.keyboard.press("Enter");
  ok(io > 0 && io < all && await rowsCount(p) === all, "a card works from the keyboard (Enter: " + all + " -> " + io + " -> " + all + ")");

  // search: count, marks on the timeline, next goes to a row holding the name
  await p.fill("#q", o.file);
  await p.waitForFunction(() => /match/.test(document.getElementById("q-count").textContent));
  const count = await p.textContent("#q-count");
  ok(/^\d+ match/.test(count) && !/^0 /.test(count), "search '" + o.file + "' finds it: " + count);
  await nextFrame(p);
  ok(await p.evaluate(() => !!document.getElementById("tl-matches")), "search matches are marked on the timeline");
  await p.press("#q", "Enter");
  const sel = await p.evaluate(() => { const r = document.querySelector("#rows .row.sel"); return r ? r.textContent : ""; });
  ok(sel.includes(o.file), "Enter selects the first match in the table");
  const det = await p.textContent("#details");
  ok(det.includes(o.file), "the details panel shows the selected event");
  // clicking that event's mark on the timeline selects it again
  const rect = await p.evaluate(() => { const r = document.querySelector("#tl-svg rect.selm"); return r && { x: +r.getAttribute("x"), y: +r.getAttribute("y"), h: +r.getAttribute("height") }; });
  await p.focus("#tbody");
  await p.keyboard.press("Home");
  const other = await p.evaluate(() => { const r = document.querySelector("#rows .row.sel"); return r ? r.textContent : ""; });
  if (ok(!!rect && !other.includes(o.file), "the selection is marked on the timeline, and Home selects another row")) {
    await p.$eval("#timeline", (e) => e.scrollIntoView());
    const svgBox = await p.$("#tl-svg").then((e) => e.boundingBox());
    await p.mouse.click(svgBox.x + rect.x + 2, svgBox.y + rect.y + rect.h / 2);
    const back = await p.evaluate(() => { const r = document.querySelector("#rows .row.sel"); return r ? r.textContent : ""; });
    ok(back === sel, "clicking its mark on the timeline selects the event in the table");
  }
  await p.focus("#q");
  await p.press("#q", "Escape");
  await p.keyboard.press("n");
  const count2 = await p.textContent("#q-count");
  ok(/^\d+ of \d+ match/.test(count2), "n moves to the next match (" + count2 + ")");

  // the view is in the fragment, and a fragment restores it
  await p.keyboard.press("+");
  await p.keyboard.press("+");
  // the fragment is written a moment after the last change: wait for it, not for a fixed time
  await p.waitForFunction(() => /q=/.test(location.hash) && /t=/.test(location.hash) && /sel=/.test(location.hash),
    null, { timeout: 10000 }).catch(() => {});
  const hash = await p.evaluate(() => location.hash);
  ok(/q=/.test(hash) && /t=/.test(hash) && /sel=/.test(hash), "the URL fragment holds search, time range and selection (" + hash + ")");
  const before = await p.evaluate(() => ({ rows: document.getElementById("rows-count").textContent,
    axis: [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent).join("|"),
    sel: (document.querySelector("#rows .row.sel") || {}).textContent }));
  const p2 = await openAtFragment(h.current, o.report, p, "");
  const after = await p2.evaluate(() => ({ rows: document.getElementById("rows-count").textContent,
    axis: [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent).join("|"),
    sel: (document.querySelector("#rows .row.sel") || {}).textContent, q: document.getElementById("q").value }));
  ok(after.q === o.file && after.rows === before.rows && after.axis === before.axis && after.sel === before.sel,
    "reopening with the fragment restores search, zoom and selection");
  await p2.close();

  // axis labels adapt and never repeat, at every zoom level
  let repeated = "", units = new Set();
  await p.keyboard.press("0");
  for (let k = 0; k < 14; k++) {
    await nextFrame(p);
    const ax = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent));
    if (new Set(ax).size !== ax.length) repeated = ax.join(" ");
    ax.forEach((a) => units.add(a.split(" ")[1]));
    await p.keyboard.press("+");
  }
  ok(!repeated, "axis labels never repeat while zooming in" + (repeated ? ": " + repeated : ""));
  ok(units.size >= 2, "axis units adapt while zooming (" + [...units].join(",") + ")");
  await p.keyboard.press("0");
  await nextFrame(p);
  const fullAxis = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent).join("|"));

  // keys: ? shows help, Esc closes; Ctrl+wheel zooms; drag pans; double-click resets
  await p.keyboard.press("?");
  ok(await p.isVisible("#help"), "? shows the keys");
  await p.keyboard.press("Escape");
  ok(!(await p.isVisible("#help")), "Esc hides them");
  const box = await p.$("#tl-main").then((e) => e.boundingBox());
  const range0 = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent + "@" + Math.round(t.getAttribute("x"))).join(" "));
  await p.mouse.move(box.x + box.width * 0.6, box.y + 30);
  await p.keyboard.down("Control");
  await p.mouse.wheel(0, -300);
  await p.keyboard.up("Control");
  await untilAxis(p, "positions", range0, false);
  const range1 = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent + "@" + Math.round(t.getAttribute("x"))).join(" "));
  ok(range0 !== range1, "Ctrl+wheel zooms (" + range0 + " -> " + range1 + ")");
  await p.mouse.move(box.x + box.width * 0.6, box.y + 30);
  await p.mouse.down();
  await p.mouse.move(box.x + box.width * 0.3, box.y + 30, { steps: 5 });
  await p.mouse.up();
  await untilAxis(p, "positions", range1, false);
  const range2 = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent + "@" + Math.round(t.getAttribute("x"))).join(" "));
  ok(range2 !== range1, "dragging pans (" + range1 + " -> " + range2 + ")");
  await p.mouse.dblclick(box.x + box.width * 0.6, box.y + 30);
  await untilAxis(p, "texts", fullAxis, true);
  const reset = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.axis")].map((t) => t.textContent).join("|"));
  ok(reset === fullAxis, "double-click resets the zoom");

  // export of the filtered events
  const [dl] = await Promise.all([p.waitForEvent("download"), p.click("#b-export")]);
  const tef = JSON.parse(fs.readFileSync(await dl.path(), "utf8"));
  const evs = tef.traceEvents.filter((e) => e.ph !== "M");
  ok(evs.length === all && evs.every((e) => typeof e.ts === "number"), "export writes Trace Event Format JSON with all " + all + " events");
}

// Which pixel columns of each lane hold a mark, from the event paths.
const marksByLane = (p) => p.evaluate(() => {
  const out = {};
  for (const path of document.querySelectorAll("#tl-svg path[data-type]")) {
    for (const m of path.getAttribute("d").matchAll(/M([\d.]+) ([\d.]+)h([\d.]+)/g)) {
      const x = Number(m[1]), w = Number(m[3]), lane = out[m[2]] || (out[m[2]] = []);
      for (let c = Math.floor(x); c < Math.ceil(x + w); c++) lane.push(c);
    }
  }
  const svg = document.getElementById("tl-svg");
  // each marker as a subpath, in any order
  const markers = [...svg.querySelectorAll("path.exec, path.exitm, path.crash")]
    .flatMap((x) => x.getAttribute("d").split("M").filter((m) => m).map((m) => x.getAttribute("class") + ":" + m)).sort().join("|");
  return { lanes: out, lod: svg.dataset.lod, markers };
});
// The level-of-detail drawing against drawing every event (#lod=0) at the
// same view: every pixel column with a mark in one has a mark within a
// pixel in the other, lane by lane, and the exec/exit/crash markers agree.
async function lodCheck(b, file, keys) {
  const p = await h.open(b, file);
  for (const k of keys) { await p.keyboard.press(k); await nextFrame(p); }
  if (!keys.length) { await p.keyboard.press("0"); await nextFrame(p); }
  const a = await marksByLane(p);
  const q = await openAtFragment(b, file, p, "lod=0");
  const e = await marksByLane(q);
  await p.close(); await q.close();
  const near = (set, c) => set.has(c) || set.has(c - 1) || set.has(c + 1);
  let bad = "", cols = 0;
  for (const y of new Set(Object.keys(a.lanes).concat(Object.keys(e.lanes)))) {
    const la = new Set(a.lanes[y] || []), le = new Set(e.lanes[y] || []);
    cols += le.size;
    for (const c of le) if (!near(la, c)) { bad = bad || "lane y=" + y + ": column " + c + " has an event but no mark"; }
    for (const c of la) if (!near(le, c)) { bad = bad || "lane y=" + y + ": column " + c + " has a mark but no event"; }
  }
  const what = "view " + (keys.join("") || "full") + ", level " + a.lod;
  if (!keys.length) ok(a.lod !== "exact" && e.lod === "exact", "the " + what + " is drawn from the bins, the #lod=0 one event by event");
  ok(!bad && cols > 0, "level of detail, " + what + ": the same pixel columns are marked as when every event is drawn (" + cols + " columns)" + (bad ? ": " + bad : ""));
  ok(a.markers === e.markers, "level of detail, " + what + ": exec, exit and crash markers are exact");
}

async function scroll(p, o) {
  const n = Number(o.count);
  ok(await rowsCount(p) === n, "the table holds " + n + " events");
  await p.focus("#tbody");
  await p.keyboard.press("End");
  await nextFrame(p);
  let rows = await visibleRowTexts(p);
  let last = rows.find((r) => r.pos === n - 1);
  ok(!!last && last.text.includes(o.last), "End scrolls to the last row (" + (last ? last.text : "not shown") + ")");
  await p.keyboard.press("Home");
  await nextFrame(p);
  await p.evaluate(() => { const b = document.getElementById("tbody"); b.scrollTop = b.scrollHeight; });
  await nextFrame(p);
  rows = await visibleRowTexts(p);
  last = rows.find((r) => r.pos === n - 1);
  ok(!!last && last.text.includes(o.last), "scrolling to the bottom shows the last row");
  const mid = await p.evaluate(() => { const b = document.getElementById("tbody"); b.scrollTop = (b.scrollHeight - b.clientHeight) / 2; return b.scrollHeight; });
  await nextFrame(p);
  rows = await visibleRowTexts(p);
  ok(rows.length > 5 && rows.every((r, k) => k === 0 || r.pos === rows[k - 1].pos + 1) && Math.abs(rows[0].pos - n / 2) < n * 0.01 + 30,
    "the middle of the scroll range shows the middle rows, in order (first " + rows[0].pos + ", spacer " + mid + " px)");
  await lodChecks(o.report, [[], ["+"], ["+", "+"]]);
}
async function lodChecks(file, views) {
  for (const keys of views) await lodCheck(h.current, file, keys);
}
// lod REPORT: the level-of-detail checks at five views (a report of more
// than 20,000 events with a lane of more than 2,048).
// lodedge REPORT: the view after one '+', whose start falls just after a
// short event and before a gap (edge-log.py)
async function lodedge(p, o) {
  await lodChecks(o.report, [["+"]]);
}
async function lod(p, o) {
  await lodChecks(o.report, [[], ["+"], ["+", "+"], ["+", "+", "+", "+"], ["-"]]);
}

const HOSTILE = ["</script><script>alert(1)</script>", "<!--<script>x", "\"><svg onload=alert(2)>",
  "<img src=x onerror=alert(3)>", "esc\\x1b]0;owned\\x07\\x1b[2Jname", "line\u2028sep", "bad\\xff\\xfeutf8"];
async function hostile(p) {
  const texts = (await h.tableRows(p)).map((r) => r.all).join("\n");
  for (const name of HOSTILE) ok(texts.includes("/" + name + "\""), "the table shows the name as text: " + JSON.stringify(name));
  const dom = await p.evaluate(() => ({
    scripts: document.scripts.length, svgs: document.querySelectorAll("svg").length, imgs: document.images.length,
    onload: document.querySelectorAll("[onload],[onerror]").length, title: document.title,
  }));
  ok(dom.imgs === 0 && dom.onload === 0, "no injected element or handler in the DOM");
  const blocks = await p.evaluate(() => document.querySelectorAll("script.trace-data").length);
  ok(dom.scripts === 2 + blocks, "only the report's own scripts exist (" + dom.scripts + ")");
  await p.fill("#q", HOSTILE[0]);
  await p.waitForFunction(() => /match/.test(document.getElementById("q-count").textContent));
  const qc = await p.textContent("#q-count");
  ok(/^[1-9]\d* match/.test(qc), "search finds the hostile name (" + qc + ")");
  await p.press("#q", "Enter");
  const selText = await p.evaluate(() => { const r = document.querySelector("#rows .row.sel"); return r ? r.textContent : ""; });
  ok(selText.includes(HOSTILE[0]), "Enter selects a row holding it");
  const det = await p.textContent("#details");
  ok(det.includes("</script><script>alert(1)</script>"), "the details panel shows it as text");
}

// The detectors themselves work: an injected inline handler must be reported
// as a CSP violation (then those expected problems are dropped).
async function cspSelfTest(b, report) {
  const before = b.problems.length;
  const q = await h.open(b, report);
  await q.evaluate(() => { const d = document.createElement("div"); d.innerHTML = "<img src=x onerror=alert(9)>"; document.body.append(d); });
  // the violation is reported asynchronously: wait for it (10 s at most), not a fixed time
  for (const end = Date.now() + 10000; Date.now() < end && !b.problems.slice(before).some((x) => /CSP violation/.test(x));)
    await new Promise((r) => setTimeout(r, 20));
  const got = b.problems.slice(before);
  ok(got.some((x) => /CSP violation/.test(x)) && !got.some((x) => /dialog/.test(x)),
    "sanity: an injected handler is blocked by the CSP and detected (" + got.length + " problems)");
  b.problems.length = before;
  await q.close();
}

async function warning(p, o) {
  const w = await p.evaluate(() => { const e = document.getElementById("warnings"); return e.hidden ? "" : e.textContent; });
  ok(w.includes(o.text), "the report shows the reader's warning (" + JSON.stringify(w.slice(0, 120)) + ")");
  const n = await rowsCount(p);
  ok(n >= Number(o.min || 1), "the readable events are there (" + n + " rows)");
  const failed = await p.evaluate(() => /could not be shown/.test(document.getElementById("loading").textContent));
  ok(!failed, "the page is not empty or broken");
}

async function watch(p) {
  const series = await p.evaluate(() => [...document.querySelectorAll("#tracks svg")].map((s) => s.dataset.series));
  ok(series.includes("sysstat:cpu:0") && series.includes("sysstat:mem_avail:0"), "system CPU and memory tracks are drawn (" + series.length + " tracks)");
  ok(series.includes("sample:rss:4242") && series.includes("sample:cpu:4343"), "per-process tracks are drawn");
  const cpu = await p.evaluate(() => { const s = document.querySelector('#tracks svg[data-series="sysstat:cpu:0"] path.trk'); return s ? s.getAttribute("d").split("M").length - 1 + s.getAttribute("d").split("L").length - 1 : 0; });
  ok(cpu >= 40, "the CPU track has a point per sample (" + cpu + " path commands)");
  ok(await p.evaluate(() => document.querySelectorAll("#tl-svg line.trigger").length) === 1, "the trigger is marked on the timeline");
  const labels = await p.evaluate(() => [...document.querySelectorAll("#tl-svg text.lane-label")].map((t) => t.textContent));
  ok(labels.some((l) => l.startsWith("4242 hog")) && labels.some((l) => l.startsWith("5555 shortlived")) && labels.some((l) => l.startsWith("system")),
    "process lanes (by comm) and a system lane (" + labels.join(", ").slice(0, 120) + ")");
  ok(labels.some((l) => l.startsWith("↳ 4243")), "the thread seen in a thread-state sample has its lane");
  const types = await p.evaluate(() => [...document.querySelectorAll("#f-types input")].map((i) => i.dataset.type));
  ok(["sysstat", "sample", "trigger", "procexit", "threadstate"].every((t) => types.includes(t)), "every dump event type is in the filters");
  ok(await p.isVisible('.card[data-card="triggers"]'), "a Triggers card is shown");
}

async function crash(p) {
  ok(await p.evaluate(() => !!document.querySelector("#tl-svg path.crash")), "the crash is marked on the timeline");
  ok(/1 crashed/.test(await p.textContent('.card[data-card="processes"]')), "the Processes card counts the crash");
  await p.fill("#q", "SEGV_MAPERR");
  await p.waitForFunction(() => /match/.test(document.getElementById("q-count").textContent));
  await p.press("#q", "Enter");
  const d = await p.evaluate(() => ({
    heads: [...document.querySelectorAll("#details h3")].map((x) => x.textContent),
    fault: [...document.querySelectorAll("#details .fault")].map((x) => x.textContent),
    text: document.getElementById("details").textContent }));
  ok(d.heads[0] === "crash · signal", "the details panel shows the crash event (" + d.heads[0] + ")");
  ok(d.heads.includes("disasm") && d.fault.length === 1 && /^=> 0x[0-9a-f]+ +mov dword ptr \[0x10\], 1$/.test(d.fault[0]),
    "its disassembly marks the faulting instruction (" + d.fault.join("|") + ")");
  ok(d.heads.includes("regs") && /rip {2,}0x[0-9a-f]+/.test(d.text), "its registers are shown");
  ok(d.heads.includes("stack") && /#0 0x[0-9a-f]+ /.test(d.text), "its stack frames are shown");
}

// Figures for tests/bench/report_bench.sh. Each open is a new page in the
// same browser: the first is the cold one (just-launched browser), then 3 more.
const median = (a) => { const s = a.slice().sort((x, y) => x - y), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const keyFrame = (p, key) => p.evaluate((key) => new Promise((r) => {
  // keydown to the second animation frame after it: the redraw is painted
  const t0 = performance.now();
  document.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true }));
  requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now() - t0)));
}), key);
async function bench(p, o) {
  const b = h.current;
  const phases = async (q) => JSON.parse(await q.evaluate(() => document.body.dataset.timing));
  const opens = [{ ms: p.loadMs, ph: await phases(p) }];
  for (let k = 0; k < 3; k++) {
    await p.close();
    p = await h.open(b, o.report);
    opens.push({ ms: p.loadMs, ph: await phases(p) });
  }
  const warm = opens.slice(1).map((x) => x.ms);
  console.log("first full frame, cold (first open in a just-launched browser; navigation to drawn timeline and table): " + opens[0].ms + " ms");
  console.log("first full frame, 3 further opens (a new page each): " + warm.join(", ") + " ms (median " + median(warm) + ")");
  const painted = opens.map((x) => x.ph.painted);
  console.log("first frame painted, in the page (navigation start to the main thread done with its style, layout and paint): cold " +
    painted[0] + " ms; further opens " + painted.slice(1).join(", ") + " ms (median " + median(painted.slice(1)) + ")");
  opens.forEach((x, k) => console.log("  open " + (k + 1) + " phases (ms; ready: navigation start to timeline and table drawn; painted: that frame rendered; " +
    "tracks, lod: work after it; complete: all done): " + JSON.stringify(x.ph)));
  // zoom: 8 steps in ('+', half the range each) from the full range, then 8 out ('-')
  await p.waitForTimeout(300);
  const zin = [], zout = [];
  for (let k = 0; k < 8; k++) zin.push(await keyFrame(p, "+"));
  for (let k = 0; k < 8; k++) zout.push(await keyFrame(p, "-"));
  const zall = zin.concat(zout);
  console.log("zoom redraw (keydown to the second frame after it), in: " + zin.map((z) => z.toFixed(0)).join(", ") +
    "; out: " + zout.map((z) => z.toFixed(0)).join(", ") + " ms (median of " + zall.length + ": " + median(zall).toFixed(0) + ")");
  // full range from a zoomed view ('0'), 3 times
  const full = [];
  for (let k = 0; k < 3; k++) { await keyFrame(p, "+"); await keyFrame(p, "+"); full.push(await keyFrame(p, "0")); }
  console.log("full-range redraw ('0' from 1/4 of the range): " + full.map((z) => z.toFixed(0)).join(", ") + " ms (median " + median(full).toFixed(0) + ")");
  await p.focus("#tbody");
  const t0 = Date.now();
  await p.keyboard.press("End");
  await nextFrame(p);
  const endMs = Date.now() - t0;
  const heap = await p.evaluate(() => performance.memory ? performance.memory.usedJSHeapSize : 0);
  console.log("table jump to last row (End key to the second frame): " + endMs + " ms");
  console.log("JS heap after all that: " + (heap / 1048576).toFixed(0) + " MiB");
  ok(await rowsCount(p) > 0, "the report rendered");
  return p;
}

h.main({ lanes, scroll, hostile, warning, watch, crash, bench, lod, lodedge }, {
  after: (b, o) => (o.mode === "hostile" ? cspSelfTest(b, o.report) : null),
});
