// expkit report: plain JavaScript, no libraries, no network. Data comes from the JSON element above.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("expkit-data").textContent);
  var runs = data.runs;
  var SVGNS = "http://www.w3.org/2000/svg";
  var palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  var state = { sort: "created", desc: false, filter: "", status: "", selected: [], detail: null };

  function uniq(list) { var seen = {}; return list.filter(function (x) { if (seen[x]) return false; seen[x] = true; return true; }); }
  function keys(objects) { var all = []; objects.forEach(function (o) { all = all.concat(Object.keys(o)); }); return uniq(all).sort(); }
  function fmt(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "number") return Math.abs(v) >= 1e5 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(3) : String(+v.toPrecision(5));
    return String(v);
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs) { var e = document.createElementNS(SVGNS, tag); for (var k in attrs) e.setAttribute(k, attrs[k]); return e; }
  function colour(id) { var i = state.selected.indexOf(id); return palette[(i < 0 ? 0 : i) % palette.length]; }

  var paramNames = keys(runs.map(function (r) { return r.params; }));
  var varying = paramNames.filter(function (p) {
    var first = JSON.stringify(runs[0].params[p]);
    return runs.some(function (r) { return JSON.stringify(r.params[p]) !== first; });
  });
  if (varying.length === 0) varying = paramNames;
  var summaryNames = keys(runs.map(function (r) { return r.summary; }));
  var metricNames = keys(runs.map(function (r) { return r.metrics; }));
  var columns = [{ key: "id", label: "run" }, { key: "hash", label: "hash" }, { key: "status", label: "status" }, { key: "attempt", label: "att", num: true }]
    .concat(varying.map(function (p) { return { key: "p:" + p, label: p, param: p }; }))
    .concat(summaryNames.map(function (m) { return { key: "s:" + m, label: m, summary: m, num: true }; }))
    .concat([{ key: "elapsed", label: "elapsed (s)", num: true }, { key: "created", label: "created" }]);

  function value(run, col) {
    if (col.param) return run.params[col.param];
    if (col.summary) return run.summary[col.summary];
    return run[col.key];
  }

  function matches(run) {
    if (state.status && run.status !== state.status) return false;
    var f = state.filter.trim();
    if (!f) return true;
    return f.split(/\s+/).every(function (term) {
      var eq = term.indexOf("=");
      if (eq > 0) {
        var v = run.params[term.slice(0, eq)];
        return v !== undefined && String(v) === term.slice(eq + 1);
      }
      var text = [run.id, run.hash, run.status, run.note || "", run.error || ""].concat(Object.keys(run.params).map(function (k) { return k + "=" + run.params[k]; })).join(" ").toLowerCase();
      return text.indexOf(term.toLowerCase()) >= 0;
    });
  }

  function compare(a, b) {
    var col = columns.filter(function (c) { return c.key === state.sort; })[0] || columns[0];
    var x = value(a, col), y = value(b, col);
    if (x === y) return a.uid - b.uid;
    if (x === null || x === undefined) return 1;
    if (y === null || y === undefined) return -1;
    var r = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
    return state.desc ? -r : r;
  }

  function renderTable() {
    var thead = document.querySelector("#runs thead"), tbody = document.querySelector("#runs tbody");
    thead.textContent = ""; tbody.textContent = "";
    var tr = el("tr");
    tr.appendChild(el("th", { "data-key": "select" }, "\u2713"));
    columns.forEach(function (c) {
      var th = el("th", { "data-key": c.key }, c.label);
      if (state.sort === c.key) th.className = state.desc ? "sorted-desc" : "sorted-asc";
      th.addEventListener("click", function () {
        if (state.sort === c.key) state.desc = !state.desc; else { state.sort = c.key; state.desc = false; }
        renderTable();
      });
      tr.appendChild(th);
    });
    thead.appendChild(tr);
    var shown = runs.filter(matches).sort(compare);
    shown.forEach(function (run) {
      var row = el("tr", { "data-run": run.id });
      if (state.selected.indexOf(run.id) >= 0) row.className = "selected";
      var cell = el("td");
      var box = el("input", { type: "checkbox", "class": "select-run", "data-run": run.id });
      box.checked = state.selected.indexOf(run.id) >= 0;
      box.addEventListener("click", function (e) { e.stopPropagation(); toggle(run.id); });
      cell.appendChild(box);
      row.appendChild(cell);
      columns.forEach(function (c) {
        var v = value(run, c);
        var td = el("td", { "class": (c.num ? "num " : "") + (c.key === "status" ? run.status : "") }, c.key === "hash" ? String(v).slice(0, 8) : fmt(v));
        if (c.key === "status" && run.error) td.title = run.error;
        row.appendChild(td);
      });
      row.addEventListener("click", function () { state.detail = run.id; renderDetail(); });
      tbody.appendChild(row);
    });
    document.getElementById("count").textContent = shown.length + " of " + runs.length + " runs, " + state.selected.length + " selected";
  }

  function toggle(id) {
    var i = state.selected.indexOf(id);
    if (i >= 0) state.selected.splice(i, 1); else state.selected.push(id);
    renderTable(); renderOverlay(); renderScatter();
  }

  function extent(values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (v !== null && isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; } });
    if (lo === Infinity) return [0, 1];
    if (lo === hi) { lo -= 0.5; hi += 0.5; }
    return [lo, hi];
  }

  // Draws axes with a few ticks into svg and returns the x and y scale functions.
  function frame(svg, xr, yr, w, h) {
    var m = { l: 52, r: 10, t: 10, b: 26 };
    var sx = function (v) { return m.l + (v - xr[0]) / (xr[1] - xr[0]) * (w - m.l - m.r); };
    var sy = function (v) { return h - m.b - (v - yr[0]) / (yr[1] - yr[0]) * (h - m.t - m.b); };
    for (var i = 0; i <= 4; i++) {
      var yv = yr[0] + (yr[1] - yr[0]) * i / 4, xv = xr[0] + (xr[1] - xr[0]) * i / 4;
      svg.appendChild(sv("line", { "class": "grid", x1: m.l, x2: w - m.r, y1: sy(yv), y2: sy(yv) }));
      var ty = sv("text", { x: m.l - 4, y: sy(yv) + 3, "text-anchor": "end" }); ty.textContent = fmt(yv); svg.appendChild(ty);
      var tx = sv("text", { x: sx(xv), y: h - m.b + 14, "text-anchor": "middle" }); tx.textContent = fmt(xv); svg.appendChild(tx);
    }
    svg.appendChild(sv("line", { "class": "axis", x1: m.l, x2: m.l, y1: m.t, y2: h - m.b }));
    svg.appendChild(sv("line", { "class": "axis", x1: m.l, x2: w - m.r, y1: h - m.b, y2: h - m.b }));
    return { x: sx, y: sy };
  }

  function curvePath(points, s) {
    var d = "", pen = false;
    points.forEach(function (p) {
      if (p[1] === null || !isFinite(p[1])) { pen = false; return; }
      d += (pen ? "L" : "M") + s.x(p[0]).toFixed(1) + "," + s.y(p[1]).toFixed(1);
      pen = true;
    });
    return d;
  }

  function drawCurves(svg, series, w, h) {
    svg.textContent = "";
    var all = [];
    series.forEach(function (s) { all = all.concat(s.points); });
    if (all.length === 0) {
      var t = sv("text", { x: w / 2, y: h / 2, "text-anchor": "middle" }); t.textContent = "no points"; svg.appendChild(t);
      return;
    }
    var s = frame(svg, extent(all.map(function (p) { return p[0]; })), extent(all.map(function (p) { return p[1]; })), w, h);
    series.forEach(function (c) {
      var path = sv("path", { "class": "curve", d: curvePath(c.points, s), stroke: c.colour, "data-run": c.id });
      var title = sv("title", {}); title.textContent = c.id; path.appendChild(title);
      svg.appendChild(path);
    });
  }

  function renderOverlay() {
    var metric = document.getElementById("metric").value;
    document.getElementById("overlay-metric").textContent = metric || "(no metrics)";
    var svg = document.getElementById("overlay"), legend = document.getElementById("legend");
    legend.textContent = "";
    var series = state.selected.map(function (id) {
      var run = runs.filter(function (r) { return r.id === id; })[0];
      return { id: id, colour: colour(id), points: (run && run.metrics[metric]) || [] };
    }).filter(function (s) { return s.points.length > 0; });
    if (series.length === 0) {
      svg.textContent = "";
      var t = sv("text", { x: 280, y: 160, "text-anchor": "middle" }); t.textContent = "tick runs in the table to overlay their curves"; svg.appendChild(t);
      return;
    }
    drawCurves(svg, series, 560, 320);
    series.forEach(function (s) { var span = el("span"); var i = el("i"); i.style.background = s.colour; span.appendChild(i); span.appendChild(document.createTextNode(s.id)); legend.appendChild(span); });
  }

  function renderScatter() {
    var px = document.getElementById("scatter-x").value, py = document.getElementById("scatter-y").value;
    var svg = document.getElementById("scatter");
    svg.textContent = "";
    var pts = runs.filter(matches).map(function (r) { return { run: r, x: r.params[px], y: r.summary[py] }; })
      .filter(function (p) { return typeof p.y === "number"; });
    if (pts.length === 0) { var t = sv("text", { x: 280, y: 160, "text-anchor": "middle" }); t.textContent = "no run has both values"; svg.appendChild(t); return; }
    var numeric = pts.every(function (p) { return typeof p.x === "number"; });
    var cats = numeric ? null : uniq(pts.map(function (p) { return String(p.x); })).sort();
    var xs = pts.map(function (p) { return numeric ? p.x : cats.indexOf(String(p.x)); });
    var xr = numeric ? extent(xs) : [-0.5, cats.length - 0.5];
    var s = frame(svg, xr, extent(pts.map(function (p) { return p.y; })), 560, 320);
    pts.forEach(function (p, i) {
      var selected = state.selected.indexOf(p.run.id) >= 0;
      var c = sv("circle", { "class": "point", cx: s.x(xs[i]).toFixed(1), cy: s.y(p.y).toFixed(1), r: selected ? 6 : 4, fill: selected ? colour(p.run.id) : "#9ecae1", "data-run": p.run.id });
      var title = sv("title", {}); title.textContent = p.run.id + ": " + px + "=" + fmt(p.x) + ", " + py + "=" + fmt(p.y); c.appendChild(title);
      c.addEventListener("click", function () { toggle(p.run.id); });
      svg.appendChild(c);
    });
  }

  function renderDetail() {
    var box = document.getElementById("detail");
    box.textContent = "";
    var run = runs.filter(function (r) { return r.id === state.detail; })[0];
    if (!run) return;
    box.appendChild(el("h2", {}, run.id + " (" + run.hash + ", " + run.status + ")"));
    if (run.error) box.appendChild(el("pre", {}, run.error));
    var names = Object.keys(run.metrics).sort();
    if (names.length === 0) box.appendChild(el("p", { "class": "empty" }, "this run logged no metrics"));
    names.forEach(function (m) {
      var fig = el("figure"); fig.style.display = "inline-block";
      fig.appendChild(el("figcaption", {}, m));
      var svg = sv("svg", { width: 300, height: 180, "class": "run-curve" });
      fig.appendChild(svg);
      box.appendChild(fig);
      drawCurves(svg, [{ id: run.id, colour: palette[0], points: run.metrics[m] }], 300, 180);
    });
  }

  function fill(select, names, preferred) {
    names.forEach(function (n) { select.appendChild(el("option", { value: n }, n)); });
    if (preferred && names.indexOf(preferred) >= 0) select.value = preferred;
  }

  document.title = data.title + " \u2013 expkit report";
  document.getElementById("title").textContent = data.title;
  document.getElementById("generated").textContent = runs.length + " runs, generated " + data.generated;
  fill(document.getElementById("status"), uniq(runs.map(function (r) { return r.status; })).sort());
  fill(document.getElementById("metric"), metricNames, metricNames.indexOf("loss") >= 0 ? "loss" : metricNames[0]);
  // Prefer a numeric parameter that varies for the scatter's x axis.
  var numericVarying = varying.filter(function (p) { return runs.every(function (r) { return r.params[p] === undefined || typeof r.params[p] === "number"; }); });
  fill(document.getElementById("scatter-x"), paramNames, numericVarying[0] || varying[0]);
  fill(document.getElementById("scatter-y"), summaryNames, summaryNames[0]);
  document.getElementById("filter").addEventListener("input", function (e) { state.filter = e.target.value; renderTable(); renderScatter(); });
  document.getElementById("status").addEventListener("change", function (e) { state.status = e.target.value; renderTable(); renderScatter(); });
  document.getElementById("metric").addEventListener("change", renderOverlay);
  document.getElementById("scatter-x").addEventListener("change", renderScatter);
  document.getElementById("scatter-y").addEventListener("change", renderScatter);
  document.getElementById("select-none").addEventListener("click", function () { state.selected = []; renderTable(); renderOverlay(); renderScatter(); });
  renderTable(); renderOverlay(); renderScatter();
})();
