// SPDX-License-Identifier: MIT
// compendium report script: search (next and previous match), the keyboard
// and its help (the export is in export.js).
// ---- search ------------------------------------------------------------------------
function runSearch(q) {
  st.q = q;
  computeHits();
  $("q-count").textContent = q ? (view.hits.length ? plural(view.hits.length, "match", "matches") : "no match") : "";
  drawTable();
  scheduleDraw();
  saveHash();
}
function nextHit(dir) {
  if (!view.hits.length) return;
  const cur = view.selRow;
  let h;
  if (dir > 0) { h = lowerBound(view.hits, cur + 1); if (h >= view.hits.length) h = 0; }
  else { h = lowerBound(view.hits, cur) - 1; if (h < 0) h = view.hits.length - 1; }
  select(view.hits[h], true);
  $("q-count").textContent = (h + 1) + " of " + plural(view.hits.length, "match", "matches");
}

// ---- keys and help -------------------------------------------------------------------
const KEYS = [["?", "show or hide this help"], ["/", "search"], ["n / N", "next / previous match"],
  ["+ / -", "zoom in / out (also Ctrl+wheel)"], ["0", "reset zoom: the activity; again: the whole run (also double-click)"], ["z", "zoom to the selected event"],
  ["← / →", "pan (timeline focused)"], ["↑ ↓ PgUp PgDn Home End", "move in the table (table focused)"],
  ["t", "focus the table"], ["l", "focus the timeline"], ["f", "show or hide filters"],
  ["c", "clear filters and search"], ["[ / ]", "previous / next snapshot (a --watch dump)"], ["e", "export the filtered events (Trace Event Format)"], ["Esc", "close help / leave the search box"]];
function help(show) {
  const h = $("help");
  h.hidden = show === undefined ? !h.hidden : !show;
  if (!h.hidden) $("b-help-close").focus();
}
function keys() {
  const tb = $("help-keys");
  for (const [k, d] of KEYS) { const tr = el("tr"); tr.append(el("td", "", k), el("td", "", d)); tb.append(tr); }
  document.addEventListener("keydown", (ev) => {
    const inInput = ev.target && (ev.target.tagName === "INPUT" || ev.target.tagName === "TEXTAREA");
    if (ev.key === "Escape") { help(false); if (inInput) ev.target.blur(); return; }
    if (inInput) { if (ev.key === "Enter") { ev.preventDefault(); nextHit(ev.shiftKey ? -1 : 1); } return; }
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    switch (ev.key) {
      case "?": help(); break;
      case "/": ev.preventDefault(); $("q").focus(); break;
      case "n": nextHit(1); break;
      case "N": nextHit(-1); break;
      case "+": case "=": zoom(0.5); break;
      case "-": case "_": zoom(2); break;
      case "0": resetZoom(); break;
      case "z": zoomToSelection(); break;
      case "f": toggleFilters(); break;
      case "c": clearAll(); break;
      case "e": exportTEF(); break;
      case "[": case "]": if (!dumpStep(ev.key === "]" ? 1 : -1)) return; break;
      case "t": $("tbody").focus(); break;
      case "l": $("timeline").focus(); break;
      default: return;
    }
    ev.preventDefault();
  });
}
function clearAll() {
  st.hideCats.clear(); st.hideTypes.clear(); st.hideLanes.clear(); st.path = 0; st.failed = false;
  $("q").value = "";
  st.q = "";
  update(true);
  $("q-count").textContent = "";
}
