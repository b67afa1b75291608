// SPDX-License-Identifier: MIT
// Open a compendium report in Debian's headless chromium (doc/TESTING.md, "Browser tests")
// and record every problem: page errors, console errors,
// dialogs, CSP violations and any request that is not file:, data: or blob:.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

// Returns null when the browser cannot run here, with the reason in .why.
function available() {
  let pw;
  try { pw = require("playwright-core"); } catch (e) { return { why: "playwright-core is not installed (npm ci in tests/browser)" }; }
  if (!fs.existsSync(CHROMIUM)) return { why: CHROMIUM + " is missing (apt-get install chromium)" };
  return { pw };
}

async function launch() {
  const a = available();
  if (!a.pw) throw new Error(a.why);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "compendium-chromium-"));
  const ctx = await a.pw.chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, acceptDownloads: true,
    viewport: { width: 1400, height: 900 },
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
  const problems = [];
  await ctx.route("**/*", (route) => {
    const u = route.request().url();
    if (/^(file|data|blob):/.test(u)) return route.continue();
    problems.push("network request: " + u);
    return route.abort();
  });
  const close = async () => {
    await ctx.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { ctx, problems, close };
}

// Open file (with an optional #fragment) and wait until the report is drawn
// (.loadMs: the first frame; .completeMs: the counter tracks too).
async function open(b, file, fragment) {
  const page = await b.ctx.newPage();
  page.on("pageerror", (e) => b.problems.push("page error: " + e.message));
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") b.problems.push("console " + m.type() + ": " + m.text()); });
  page.on("dialog", async (d) => { b.problems.push("dialog: " + d.type() + " " + d.message()); await d.dismiss(); });
  page.on("request", (r) => { if (!/^(file|data|blob):/.test(r.url())) b.problems.push("request: " + r.url()); });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI);
    });
  });
  const url = "file://" + path.resolve(file) + (fragment ? "#" + fragment : "");
  const t0 = Date.now();
  // from the commit on, so that the poll below runs while the page loads
  // and sees the first frame, not the work scheduled after it
  await page.goto(url, { waitUntil: "commit" });
  await page.waitForFunction(() => document.body.dataset.ready === "1" || /could not be shown/.test(document.getElementById("loading").textContent), null, { timeout: 60000 });
  page.loadMs = Date.now() - t0;
  // then the rest (counter tracks, filter panel) that follows the first frame
  await page.waitForFunction(() => document.body.dataset.complete === "1" || /could not be shown/.test(document.getElementById("loading").textContent), null, { timeout: 60000 });
  page.completeMs = Date.now() - t0;
  return page;
}

// TAP-ish output shared by the test scripts.
let failed = 0;
function ok(cond, what) {
  if (cond) console.log("ok - " + what);
  else { failed++; console.log("not ok - " + what); }
  return cond;
}
function result() { return failed; }

// The command line of a check script: MODE REPORT [--key value]... as { mode, report, key }.
function args() {
  const a = process.argv.slice(2), o = { mode: a[0], report: a[1] };
  for (let i = 2; i < a.length; i += 2) o[a[i].replace(/^--/, "")] = a[i + 1];
  return o;
}

// Every row of the report's table, by scrolling through it (it is virtual):
// { pos, ev, time, pid, type, text (the details cell), all (the row's text) }.
async function tableRows(p) {
  return p.evaluate(async () => {
    const body = document.getElementById("tbody"), out = new Map();
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    for (let top = 0; ; top += Math.max(20, body.clientHeight - 40)) {
      body.scrollTop = top;
      body.dispatchEvent(new Event("scroll"));
      await frame();
      for (const r of document.querySelectorAll("#rows .row")) {
        if (r.hidden) continue;
        const c = r.children;
        out.set(r.dataset.pos, { pos: Number(r.dataset.pos), ev: Number(r.dataset.ev), time: c[0].textContent,
          pid: c[1].textContent, type: c[3].textContent, text: c[4].textContent, all: r.textContent });
      }
      if (top >= body.scrollHeight) break;
    }
    return [...out.values()];
  });
}

// A check script's body: MODE REPORT [--key value]... runs modes[MODE] in a
// fresh browser (module.exports.current while it runs), given the report's
// page (page: true; a mode that opens pages of its own returns the one still
// open) or the browser (page: false), then after(b, o) if given. An exception
// is a failure; page errors, console errors, dialogs, CSP violations and
// requests are one check at the end. Skips when the browser cannot run here.
async function main(modes, { page = true, after } = {}) {
  const o = args();
  const a = available();
  if (!a.pw) { console.log("skip - browser checks: " + a.why); return; }
  const b = await launch();
  module.exports.current = b;
  try {
    if (!modes[o.mode]) throw new Error("unknown mode " + o.mode);
    if (page) {
      let p = await open(b, o.report);
      p = (await modes[o.mode](p, o)) || p;
      if (after) await after(b, o);
      await p.waitForTimeout(100);
    } else {
      await modes[o.mode](b, o);
      if (after) await after(b, o);
    }
  } catch (e) {
    ok(false, o.mode + ": " + (e && e.stack ? e.stack.split("\n").slice(0, 3).join(" | ") : e));
  } finally {
    ok(b.problems.length === 0, o.mode + ": no page error, console error, dialog, CSP violation or network request" +
      (b.problems.length ? " (" + b.problems.slice(0, 5).join("; ") + ")" : ""));
    await b.close();
  }
  process.exitCode = result() ? 1 : 0;
}

module.exports = { available, launch, open, ok, result, args, tableRows, main };
