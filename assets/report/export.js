// SPDX-License-Identifier: MIT
// compendium report script: export of the filtered events as Trace Event
// Format JSON (Perfetto, chrome://tracing): one event per event with every
// field as its own args key (eventArgs in detail.js: numbers as numbers),
// processes and threads named and sorted as the report's lanes, and the
// counter tracks (--sample, fault counters, a dump's system figures) as
// counter ("C") events. Written in parts into a Blob, never as one string.
function exportTEF() {
  allColumns();
  const parts = ['{"displayTimeUnit":"ms","traceEvents":[\n'];
  let n = 0;
  const put = (o) => { parts.push((n++ ? ",\n" : "") + JSON.stringify(o)); };
  // the lanes: processes in the report's order, each one's threads under it
  let order = 0;
  const named = new Set();
  for (const l of trace.lanes) {
    const pid = l.pid, tid = l.tid;
    if (!l.thread) {
      if (named.has(pid)) continue;
      named.add(pid);
      const name = l.system ? "system" : str(l.proc.name) || "pid " + pid;
      put({ name: "process_name", ph: "M", pid, tid: pid, args: { name } });
      put({ name: "process_sort_index", ph: "M", pid, tid: pid, args: { sort_index: order++ } });
      put({ name: "thread_name", ph: "M", pid, tid, args: { name } });
      put({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: 0 } });
    } else {
      put({ name: "thread_name", ph: "M", pid, tid, args: { name: (l.proc ? str(l.proc.name) + " " : "") + "thread " + tid } });
      put({ name: "thread_sort_index", ph: "M", pid, tid, args: { sort_index: tid } });
    }
  }
  const { TYPE, CAT, T, typeNames, M } = trace;
  const rows = view.rows;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r], d = durOf(i);
    const e = { name: typeNames[TYPE[i]], cat: M.cats[CAT[i]] || "other", ph: d ? "X" : "i", ts: T[i] / 1e3,
      pid: pidOf(i), tid: tidOf(i), args: eventArgs(i) };
    if (d) e.dur = d / 1e3; else e.s = "t";
    put(e);
  }
  // counter tracks, on their process (pid 0: the system lane)
  if (view.series) {
    for (const s of view.series) {
      const name = s.type + (s.kind ? "/" + s.kind : "") + " " + s.key;
      for (let k = 0; k < s.t.length; k++) put({ name, ph: "C", ts: s.t[k] / 1e3, pid: s.pid, tid: s.pid, args: { [s.key]: s.v[k] } });
    }
  }
  parts.push("\n]}\n");
  const url = URL.createObjectURL(new Blob(parts, { type: "application/json" }));
  const a = el("a");
  a.href = url;
  a.download = "compendium-trace.json";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
