// SPDX-License-Identifier: MIT
// compendium report script: the legend above the timeline. One button per
// category present (its colour, name and event count); a click hides or
// shows that category, like its box in the filter panel, which follows.
// ---- legend ----------------------------------------------------------------------
const catColor = (c) => (c === "other" || CAT_HUE[c] === undefined ? "hsl(0 0% 46%)" : "hsl(" + CAT_HUE[c] + " 62% 46%)");
function legendSetup() {
  let box = $("tl-legend");
  if (box) return box;
  box = el("div");
  box.id = "tl-legend";
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Categories (click to hide or show)");
  trace.M.cats.forEach((c, i) => {
    const n = trace.M.cat_counts ? trace.M.cat_counts[i] : 0;
    if (!n) return;
    const b = el("button", "lg-item");
    b.type = "button";
    b.dataset.cat = c;
    const sw = el("span", "lg-sw");
    sw.style.background = catColor(c);
    b.append(sw, el("span", "lg-name", c), el("span", "lg-n", fmtN(n)));
    b.title = "Hide or show the " + plural(n, c + " event", c + " events");
    b.addEventListener("click", () => {
      if (st.hideCats.has(c)) st.hideCats.delete(c); else st.hideCats.add(c);
      update(true);
    });
    box.append(b);
  });
  $("timeline").insertBefore(box, $("timeline").firstChild);
  return box;
}
function syncLegend() {
  for (const b of legendSetup().children) {
    const off = st.hideCats.has(b.dataset.cat);
    b.classList.toggle("off", off);
    b.setAttribute("aria-pressed", String(!off));
  }
}
