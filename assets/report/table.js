// SPDX-License-Identifier: MIT
// compendium report script: the event table, a fixed pool of row elements
// over a spacer as tall as the rows (capped), the selection that ties it to
// the timeline, and the details panel of the selected event.
// ---- table ---------------------------------------------------------------------
let pool = [], first = 0; // the row elements; the position in rows of the top one
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
    let p = view.selRow < 0 ? first : view.selRow;
    if (ev.key === "ArrowDown") p++;
    else if (ev.key === "ArrowUp") p--;
    else if (ev.key === "PageDown") p += vis;
    else if (ev.key === "PageUp") p -= vis;
    else if (ev.key === "Home") p = 0;
    else if (ev.key === "End") p = view.rows.length - 1;
    else return;
    ev.preventDefault();
    if (view.rows.length) select(Math.max(0, Math.min(view.rows.length - 1, p)), true);
  });
}
function spacerH() { return Math.min(view.rows.length * ROW_H, SPACER_MAX); }
function tableLayout() {
  $("spacer").style.height = spacerH() + "px";
  $("rows-count").textContent = fmtN(view.rows.length) + " of " + fmtN(trace.N) + " events";
  drawTable();
}
function visibleRows() { return Math.max(1, Math.floor($("tbody").clientHeight / ROW_H)); }
function drawTable() {
  const rows = view.rows, hits = view.hits, { M, T, CAT, TYPE, FLAGS, typeNames } = trace;
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
    const [dt, full] = detailParts(i);
    c[4].textContent = dt;
    if (full) c[4].title = full; else c[4].removeAttribute("title");
    r.classList.toggle("sel", pos === view.selRow);
    r.classList.toggle("failed", (FLAGS[i] & 4) !== 0);
    r.classList.toggle("thread", pid !== tid);
    let hit = false;
    if (hitSet) { while (h < hitSet.length && hitSet[h] < pos) h++; hit = h < hitSet.length && hitSet[h] === pos; }
    r.classList.toggle("hit", hit);
  }
}
function scrollToRow(pos) {
  const body = $("tbody");
  const vis = visibleRows();
  if (pos >= first && pos < first + vis - 1 && body.scrollTop !== undefined) { drawTable(); return; }
  const target = Math.max(0, pos - Math.floor(vis / 3));
  const maxFirst = Math.max(0, view.rows.length - vis);
  if (view.rows.length * ROW_H <= SPACER_MAX) body.scrollTop = target * ROW_H;
  else body.scrollTop = Math.min(maxFirst, target) / Math.max(1, maxFirst) * Math.max(1, spacerH() - body.clientHeight);
  drawTable();
}
function select(pos, scroll) {
  if (pos < 0 || pos >= view.rows.length) return;
  view.selRow = pos;
  st.sel = view.rows[pos];
  if (scroll) scrollToRow(pos); else drawTable();
  timelineFollow(st.sel); // keep the selected event inside the timeline's view
  details(st.sel);
  saveHash();
}

// ---- details panel -----------------------------------------------------------------
function details(i) {
  allColumns();
  const box = $("details");
  box.textContent = "";
  const h = el("h3", "", trace.typeNames[trace.TYPE[i]] + " · " + (trace.M.cats[trace.CAT[i]] || "?"));
  box.append(h);
  detailFields(box, i);
  if (trace.X[i]) {
    let x = null;
    try { x = JSON.parse(str(trace.X[i])); } catch (e) { box.append(el("pre", "", str(trace.X[i]))); }
    const order = (k) => ["disasm", "stack", "regs"].indexOf(k) >>> 0;
    if (x && typeof x === "object") for (const k of Object.keys(x).sort((a, b) => order(a) - order(b))) box.append(...extraBlock(k, x[k]));
  }
  // counter tracks of this process (or the system) around this event
  const type = trace.typeNames[trace.TYPE[i]], pid = pidOf(i);
  if (view.series && view.series.length && (type === "counter" || type === "sample" || type === "sysstat" || trace.M.cats[trace.CAT[i]] === "system")) {
    for (const s of view.series.filter((s) => s.pid === pid && s.type === type)) {
      box.append(el("h3", "", "track: " + s.key));
      box.append(trackSvg(s, trace.tMin, trace.tMax, 420, 60, trace.T[i]));
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
