// SPDX-License-Identifier: MIT
// compendium report script: the page around the timeline. Header facts and
// notes, the summary cards (each one a filter), the filter panel (built on
// first use) and the chips naming the active filters.
// ---- header, notes, cards ----------------------------------------------------
function header() {
  const M = trace.M;
  const argv = M.argv || [];
  $("h-cmd").textContent = argv.length ? argv.join(" ") : "(" + M.mode + ")";
  document.title = "compendium: " + (argv.join(" ") || M.mode);
  const facts = $("h-facts");
  const add = (k, v) => { if (v === undefined || v === null || v === "") return; const d = el("div"); d.append(el("dt", "", k), el("dd", "", String(v))); facts.append(d); };
  add("start", M.start ? M.start.replace("T", " ").replace("Z", " UTC") : "");
  add("duration", fmtDur(Math.max(M.t_end || 0, trace.tMax)));
  add("outcome", exitWords(M));
  add("host", M.host);
  add("kernel", M.kernel);
  add("mode", M.mode);
  add("events", fmtN(trace.N));
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
  notes.push("All " + fmtN(trace.N) + " events are included: this report has no event cap.");
  if (M.redact) notes.push(M.nredacted ? plural(M.nredacted, "event or argument", "events or arguments") + " had secrets replaced by [REDACTED] (flagged in the details)."
    : "Secret redaction was on; nothing matched. Reports may still contain secrets.");
  else notes.push("Redaction was off (--no-redact): secrets appear as traced.");
  // M.sorted is false for most traces (an event is logged when its syscall
  // returns, stamped with its start): sorting by time is normal, not news
  const n = $("notes");
  n.textContent = notes.join(" ");
  n.hidden = false;
}

// How the run ended, in the FINAL summary's words ("exit 0", "killed by
// SIGKILL"), with compendium's own exit status where it is not the command's.
function exitWords(M) {
  if (M.mode === "watch") return ""; // a dump: no command ran
  let s;
  switch (M.end) {
    case "exited": s = "exit " + M.code; break;
    case "failed": s = "exit " + M.code + " (could not start)"; break;
    case "signaled": s = "killed by " + M.signal + (M.core ? " (core dumped)" : "") + "; compendium exit " + M.exit_status; break;
    case "detached": s = "detached; the traced processes keep running"; break;
    case "gone": s = "every traced process exited"; break;
    default: return "unknown (the run did not finish)";
  }
  return s + (M.interrupted ? " (interrupted)" : "");
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
  const all = new Set(trace.M.cats);
  for (const c of cats) all.delete(c);
  const same = all.size === st.hideCats.size && [...all].every((c) => st.hideCats.has(c));
  st.hideCats = same ? new Set() : all;
  update(true);
}
function cards() {
  if (dump.on) { dumpCards(); return; }
  const s = trace.M.summary;
  // the kernel's peak resident set leads; mapped address space is not memory used
  card("Memory", s.peak_rss ? "peak RSS " + fmtBytes(s.peak_rss) : "mapped " + fmtBytes(s.mmap_bytes),
    (s.peak_rss ? "mapped " + fmtBytes(s.mmap_bytes) + ", " : "") + fmtN(s.mmaps) + " mmaps, brk +" +
    fmtBytes(s.brk_growth), () => onlyCat("memory"), "memory");
  card("I/O", fmtBytes(s.bytes_read + s.bytes_written), "read " + fmtBytes(s.bytes_read) + " (" + fmtN(s.reads) +
    "), written " + fmtBytes(s.bytes_written) + " (" + fmtN(s.writes) + ")", () => onlyCat("io"), "io");
  card("Network", fmtBytes(s.bytes_sent + s.bytes_received), fmtN(s.sockets) + " sockets, " + fmtN(s.connects) +
    " connects, sent " + fmtBytes(s.bytes_sent) + ", received " + fmtBytes(s.bytes_received), () => onlyCat("network"), "network");
  const fc = card("Files", plural(s.files, "file", "files"), plural(s.opens, "open", "opens"), () => onlyCat("file", "desc"), "files");
  const ul = el("ul");
  for (const [id, n, failed, , reads, writes] of s.top_files.slice(0, 6)) {
    const full = str(id);
    // the end of a path says most: keep it
    const b = el("button", "", midCut(full, 36));
    b.title = str(id) + ": " + n + " events" + (reads ? ", " + plural(reads, "read", "reads") : "") +
      (writes ? ", " + plural(writes, "write", "writes") : "") + (failed ? ", " + failed + " failed" : "");
    b.dataset.path = String(id);
    b.addEventListener("click", () => { st.path = st.path === id ? 0 : id; update(true); });
    const li = el("li"); li.append(b); ul.append(li);
  }
  fc.append(ul);
  const pc = card("Processes", plural(s.processes, "process", "processes"), plural(s.threads, "thread", "threads") + ", " + plural(s.execs, "exec", "execs") +
    (s.crashes ? ", " + s.crashes + " crashed" : ""), () => onlyCat("process"), "processes");
  const pl = el("ul");
  for (const p of trace.M.procs.slice().sort((a, b) => b.n - a.n).slice(0, 6)) {
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
  const mine = trace.lanes.filter((l) => l.pid === pid).map((l) => String(l.tid));
  const others = trace.lanes.filter((l) => l.pid !== pid).map((l) => String(l.tid));
  const focused = others.length && others.every((t) => st.hideLanes.has(t)) && mine.every((t) => !st.hideLanes.has(t));
  st.hideLanes = focused ? new Set() : new Set(others);
  update(true);
}
function syncCards() {
  const hidden = st.hideCats;
  const only = (cats) => hidden.size && trace.M.cats.every((c) => cats.includes(c) ? !hidden.has(c) : hidden.has(c));
  for (const c of document.querySelectorAll(".card")) {
    const k = c.dataset.card;
    const on = k === "memory" ? only(["memory"]) : k === "io" ? only(["io"]) : k === "network" ? only(["network"]) :
      k === "files" ? only(["file", "desc"]) : k === "processes" ? only(["process"]) : k === "failures" ? st.failed :
      k === "triggers" && !dump.on ? only(["system"]) : dumpCardOn(k);
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
function ensureFilterPanel() { if (!panelBuilt) filterPanel(); }
function toggleFilters() {
  ensureFilterPanel();
  const f = $("filters");
  f.hidden = !f.hidden;
  $("b-filters").setAttribute("aria-expanded", String(!f.hidden));
}
function filterPanel() {
  panelBuilt = true;
  const fc = $("f-cats"), ft = $("f-types"), fp = $("f-procs");
  fc.textContent = ""; ft.textContent = ""; fp.textContent = "";
  trace.M.cats.forEach((c, i) => {
    if (!trace.M.cat_counts[i]) return;
    check(fc, c + " (" + fmtN(trace.M.cat_counts[i]) + ")", !st.hideCats.has(c), (on) => {
      if (on) st.hideCats.delete(c); else st.hideCats.add(c);
      update(false);
    }).dataset.cat = c;
  });
  trace.M.types.map((t, i) => [t, i]).sort((a, b) => b[0].n - a[0].n).forEach(([t]) => {
    check(ft, t.name + " (" + fmtN(t.n) + ")", !st.hideTypes.has(t.name), (on) => {
      if (on) st.hideTypes.delete(t.name); else st.hideTypes.add(t.name);
      update(false);
    }).dataset.type = t.name;
  });
  for (const l of trace.lanes) {
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
  if (st.path) { chip("file: " + midCut(str(st.path), 60)); af.lastChild.title = str(st.path); }
  if (st.failed) chip("failed only");
  if (st.hideCats.size) chip("categories: " + trace.M.cats.filter((c) => !st.hideCats.has(c)).join(", "));
  if (st.hideTypes.size) chip(st.hideTypes.size + " types hidden");
  if (st.hideLanes.size) chip(st.hideLanes.size + " lanes hidden");
}
