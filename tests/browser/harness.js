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

module.exports = { available, launch, open, ok, result, args };
