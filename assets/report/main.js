// SPDX-License-Identifier: MIT
// compendium report script, last part: update() after a change of st, and the
// start-up: decode, build the model, draw the first frame, then the counter
// tracks, filter panel and level-of-detail bins one task at a time.
// ---- glue ----------------------------------------------------------------------------
function update(panel) {
  const keep = st.sel;
  refilter();
  view.selRow = keep >= 0 ? lowerBound(view.rows, keep) : -1;
  if (view.selRow >= 0 && view.rows[view.selRow] !== keep) view.selRow = -1;
  if (panel) syncFilterPanel(); else syncFilterPanel();
  syncCards();
  tableLayout();
  if (st.q) $("q-count").textContent = view.hits.length ? plural(view.hits.length, "match", "matches") : "no match";
  scheduleDraw();
  saveHash();
}

const timing = {};
let tPrev = performance.now();
function mark(name) { const t = performance.now(); timing[name] = Math.round(t - tPrev); tPrev = t; }
async function main() {
  mark("script");
  trace.M = JSON.parse($("meta").textContent);
  const C = await decode();
  mark("decode");
  dumpDetect();
  buildLanes(C);
  st.t0 = trace.home[0]; st.t1 = trace.home[1];
  dumpRange();
  setupColors();
  mark("lanes");
  loadHash();
  header();
  cards();
  dumpPanel();
  tableSetup();
  keys();
  timelineEvents();
  $("q").value = st.q;
  let qt = 0;
  $("q").addEventListener("input", () => { clearTimeout(qt); qt = setTimeout(() => runSearch($("q").value), 120); });
  $("b-prev").addEventListener("click", () => nextHit(-1));
  $("b-next").addEventListener("click", () => nextHit(1));
  $("b-filters").addEventListener("click", toggleFilters);
  $("b-reset").addEventListener("click", resetZoom);
  $("b-clear").addEventListener("click", clearAll);
  $("b-export").addEventListener("click", exportTEF);
  $("b-help").addEventListener("click", () => help());
  $("b-help-close").addEventListener("click", () => help(false));
  window.addEventListener("resize", scheduleDraw);
  window.addEventListener("hashchange", () => { loadHash(); update(true); });
  mark("setup");
  update(true);
  mark("filter");
  if (st.q) runSearch(st.q);
  if (st.sel >= 0) {
    const p = lowerBound(view.rows, st.sel);
    if (view.rows[p] === st.sel) { view.selRow = p; scrollToRow(p); details(st.sel); }
  }
  $("loading").hidden = true;
  drawTimeline();
  mark("timeline");
  timing.ready = Math.round(performance.now());
  document.body.dataset.ready = "1";
  document.body.dataset.timing = JSON.stringify(timing);
  // the first frame shows the lanes and the table; the counter tracks and
  // the filter panel (hidden until asked for) follow once it is painted
  // (one task each, so that input is not kept waiting)
  const later = [() => {
    // the main thread is done with the first frame's style, layout and paint
    timing.painted = Math.round(performance.now());
    tPrev = performance.now();
    buildSeries(C);
    drawTracks();
    if (st.sel >= 0 && view.rows[view.selRow] === st.sel) details(st.sel);
    mark("tracks");
  }, () => {
    ensureFilterPanel();
    prepareLod(() => {
      mark("lod");
      timing.complete = Math.round(performance.now());
      document.body.dataset.timing = JSON.stringify(timing);
      document.body.dataset.complete = "1";
    });
  }];
  const step = () => {
    try {
      later.shift()();
    } catch (e) {
      failed(e);
      document.body.dataset.complete = "1";
      return;
    }
    if (later.length) setTimeout(step, 0);
  };
  requestAnimationFrame(() => setTimeout(step, 0));
}

function failed(e) {
  const l = $("loading");
  l.hidden = false;
  l.textContent = "The report could not be shown: " + (e && e.message ? e.message : String(e));
  l.className = "warn";
  console.error(e);
}

main().catch(failed);
