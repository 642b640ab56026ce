// The explorer page: looks up numbers the initnotes package computed when the site was
// built (explorer.json + explorer.bin, written by initnotes/explorer.py) and draws them.
// No maths happens here: the script reads stored values, picks sentence templates the
// package chose, and turns numbers into SVG. Plain JavaScript, no library.
(function () {
  "use strict";

  var root = document.getElementById("initnotes-explorer");
  if (!root) return;
  var fallback = document.getElementById("initnotes-explorer-fallback");
  var SVG = "http://www.w3.org/2000/svg";

  // -- numbers as the page writes them (initnotes.explorer.fmt does the same) ----------
  function fmt(x) {
    if (x === 0) return "0";
    if (Number.isNaN(x)) return "NaN";
    if (!Number.isFinite(x)) return x > 0 ? "infinity" : "-infinity";
    var parts = x.toExponential(2).split("e");
    var e = parseInt(parts[1], 10);
    if (e >= -3 && e < 4) return (parseFloat(parts[0]) * Math.pow(10, e)).toFixed(Math.max(0, 2 - e));
    return parts[0] + "e" + e;
  }

  // Axis tick labels: as short as possible, with a true minus sign.
  function tick(x) {
    if (x === 0) return "0";
    var a = Math.abs(x), s;
    if (a >= 1e-3 && a < 1e4) {
      s = String(Number(x.toPrecision(3)));
    } else {
      var p = x.toExponential(2).split("e");
      s = String(Number(p[0])) + "e" + parseInt(p[1], 10);
    }
    return s.replace(/-/g, "\u2212");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : m;
    });
  }

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // -- the data --------------------------------------------------------------------------
  function Data(index, buffer) {
    this.index = index;
    this.view = new DataView(buffer);
    this.fields = {};
    for (var i = 0; i < index.fields.length; i++) this.fields[index.fields[i].name] = index.fields[i];
    var needed = (Math.max.apply(null, index.records) + 1) * index.record_size;
    if (buffer.byteLength < needed) throw new Error("explorer.bin is shorter than its index says");
  }

  Data.prototype.record = function (initIdx, actIdx, scaleIdx) {
    var ix = this.index;
    var pos = (initIdx * ix.activations.length + actIdx) * ix.scales.length + scaleIdx;
    return ix.records[pos] * ix.record_size;
  };

  Data.prototype.shown = function (base, depthIdx, layer) {
    var ix = this.index, v = this.view, f = this.fields;
    var depth = ix.depths[depthIdx];
    var start = 0;
    for (var i = 0; i < depthIdx; i++) start += ix.depths[i];
    var act = [], grad = [];
    for (var l = 0; l < depth; l++) {
      act.push(Math.pow(10, v.getFloat32(base + f.activation_log10_std.offset + 4 * l, true)));
      grad.push(Math.pow(10, v.getFloat32(base + f.gradient_log10_std.offset + 4 * (start + l), true)));
    }
    var r = base + f.readings.offset + 4 * depthIdx;
    var reading = [v.getUint8(r), v.getUint8(r + 1), v.getUint8(r + 2), v.getUint8(r + 3)];
    var j = ix.hist_layers.indexOf(layer);
    var flags = v.getUint8(base + f.hist_flags.offset + j);
    var exponent = v.getInt8(base + f.hist_exponent.offset + j);
    var hi = ix.mantissas[flags & 3] * Math.pow(10, exponent);
    var counts = [];
    for (var b = 0; b < ix.bins; b++) {
      counts.push(v.getUint16(base + f.hist_counts.offset + 2 * (j * ix.bins + b), true));
    }
    return {
      depth: depth, act: act, grad: grad, reading: reading,
      hist: { layer: layer, lo: flags & 4 ? -hi : 0, hi: hi, counts: counts },
    };
  };

  // -- charts ----------------------------------------------------------------------------
  function niceStep(span, target) {
    var raw = span / target, p = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= raw) return steps[i] * p;
    return 10 * p;
  }

  // Chart widths in CSS pixels, kept up to date by a ResizeObserver (reading clientWidth
  // inside every update would force a layout of the whole page each time).
  var widths = new Map();

  function widthOf(container) {
    if (!widths.has(container)) widths.set(container, container.clientWidth || 600);
    return Math.max(260, Math.round(widths.get(container)));
  }

  function frame(container, height) {
    var width = widthOf(container);
    var svg = el("svg", { width: width, height: height, viewBox: "0 0 " + width + " " + height,
      class: "ix-svg", "aria-hidden": "true", focusable: "false" });
    return { svg: svg, width: width, height: height };
  }

  function axisLine(svg, x1, y1, x2, y2, cls) {
    svg.appendChild(el("line", { x1: x1, y1: y1, x2: x2, y2: y2, class: cls }));
  }

  function marker(shape, x, y, colour, open) {
    var attrs = { fill: open ? "none" : colour, stroke: colour, "stroke-width": 1.2 };
    if (shape === "s") {
      attrs.x = x - 3; attrs.y = y - 3; attrs.width = 6; attrs.height = 6;
      return el("rect", attrs);
    }
    attrs.cx = x; attrs.cy = y; attrs.r = 3.2;
    return el("circle", attrs);
  }

  function drawStd(container, shown, index) {
    var series = [
      { key: "activations", values: shown.act, dash: "", shape: "o" },
      { key: "gradients", values: shown.grad, dash: "6 4", shape: "s" },
    ];
    // legend entries, wrapped onto rows that fit the width (about 6.8 px per character)
    var width = widthOf(container);
    var lx = 58 + 4, row = 0;
    series.forEach(function (s) {
      var w = 40 + 6.8 * index.labels[s.key].length;
      if (lx > 62 && lx + w > width - 12) { lx = 8; row += 1; }
      s.legend = { x: lx, y: 12 + 18 * row };
      lx += w;
    });
    var f = frame(container, 300 + 18 * row);
    var svg = f.svg, m = { l: 58, r: 12, t: 30 + 18 * row, b: 42 };
    var logs = [], zeros = false;
    series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v > 0 && Number.isFinite(v)) logs.push(Math.log10(v));
        else if (v === 0) zeros = true;
      });
    });
    var lo = logs.length ? Math.floor(Math.min.apply(null, logs)) : -1;
    var hi = logs.length ? Math.ceil(Math.max.apply(null, logs)) : 1;
    if (hi - lo < 2) { lo -= 1; hi += 1; }
    var zeroBand = zeros ? 22 : 0;
    var x0 = m.l, x1 = f.width - m.r, y0 = f.height - m.b - zeroBand, y1 = m.t;
    var n = shown.depth;
    function X(layer) { return n === 1 ? (x0 + x1) / 2 : x0 + (x1 - x0) * (layer - 1) / (n - 1); }
    function Y(lg) { return y0 - (y0 - y1) * (lg - lo) / (hi - lo); }
    var yZero = f.height - m.b - 6;

    // grid and ticks
    var step = Math.max(1, niceStep(hi - lo, 6));
    for (var k = Math.ceil(lo / step) * step; k <= hi; k += step) {
      axisLine(svg, x0, Y(k), x1, Y(k), "ix-grid");
      var t = el("text", { x: x0 - 6, y: Y(k) + 4, "text-anchor": "end", class: "ix-tick" });
      t.appendChild(el("tspan", {}, "10"));
      t.appendChild(el("tspan", { dy: -6, class: "ix-sup" }, String(k)));
      svg.appendChild(t);
    }
    if (zeros) {
      svg.appendChild(el("text", { x: x0 - 6, y: yZero + 4, "text-anchor": "end", class: "ix-tick" }, "0"));
      axisLine(svg, x0, y0 + 8, x1, y0 + 8, "ix-break");
    }
    var xstep = Math.max(1, niceStep(Math.max(1, n - 1), 8));
    var xticks = [1];
    for (var xt = xstep; xt <= n; xt += xstep) if (xt > 1) xticks.push(xt);
    if (xticks[xticks.length - 1] !== n) {
      if (X(n) - X(xticks[xticks.length - 1]) < 22) xticks.pop();
      xticks.push(n);
    }
    xticks.forEach(function (v) {
      axisLine(svg, X(v), f.height - m.b, X(v), f.height - m.b + 4, "ix-axis");
      svg.appendChild(el("text", { x: X(v), y: f.height - m.b + 17, "text-anchor": "middle", class: "ix-tick" }, String(v)));
    });
    axisLine(svg, x0, f.height - m.b, x1, f.height - m.b, "ix-axis");
    axisLine(svg, x0, y1, x0, f.height - m.b, "ix-axis");
    svg.appendChild(el("text", { x: (x0 + x1) / 2, y: f.height - 6, "text-anchor": "middle", class: "ix-label" }, index.labels.layer));
    svg.appendChild(el("text", { x: 14, y: (y0 + y1) / 2, "text-anchor": "middle", class: "ix-label",
      transform: "rotate(-90 14 " + (y0 + y1) / 2 + ")" }, index.labels.std));

    // series
    series.forEach(function (s) {
      var colour = index.colours[s.key], d = "", pen = false;
      var g = el("g", { "data-series": s.key });
      s.values.forEach(function (v, i) {
        if (v > 0 && Number.isFinite(v)) {
          d += (pen ? "L" : "M") + X(i + 1).toFixed(1) + " " + Y(Math.log10(v)).toFixed(1);
          pen = true;
        } else {
          pen = false;
        }
      });
      g.appendChild(el("path", { d: d, fill: "none", stroke: colour, "stroke-width": 2,
        "stroke-dasharray": s.dash, class: "ix-line" }));
      var every = n > 30 ? 2 : 1;
      s.values.forEach(function (v, i) {
        if (i % every !== 0 && i !== n - 1) return;
        if (v > 0 && Number.isFinite(v)) g.appendChild(marker(s.shape, X(i + 1), Y(Math.log10(v)), colour, false));
        else if (v === 0) g.appendChild(marker(s.shape, X(i + 1), yZero, colour, true));
      });
      svg.appendChild(g);
    });

    // legend, above the plot
    series.forEach(function (s) {
      var colour = index.colours[s.key], p = s.legend;
      svg.appendChild(el("line", { x1: p.x, y1: p.y, x2: p.x + 26, y2: p.y, stroke: colour, "stroke-width": 2, "stroke-dasharray": s.dash }));
      svg.appendChild(marker(s.shape, p.x + 13, p.y, colour, false));
      svg.appendChild(el("text", { x: p.x + 32, y: p.y + 4, class: "ix-legend" }, index.labels[s.key]));
    });
    container.replaceChildren(svg);
  }

  function drawHist(container, hist, index) {
    var f = frame(container, 240);
    var svg = f.svg, m = { l: 50, r: 26, t: 12, b: 42 };  // r: room for half of a tick label such as "5e-33"
    var total = hist.counts.reduce(function (a, b) { return a + b; }, 0);
    var share = hist.counts.map(function (c) { return total ? c / total : 0; });
    var top = Math.max.apply(null, share);
    var ystep = niceStep(top || 1, 4);
    var ymax = Math.max(ystep, Math.ceil(top / ystep) * ystep);
    var x0 = m.l, x1 = f.width - m.r, y0 = f.height - m.b, y1 = m.t;
    function X(v) { return x0 + (x1 - x0) * (v - hist.lo) / (hist.hi - hist.lo); }
    function Y(s) { return y0 - (y0 - y1) * s / ymax; }
    for (var s = 0; s <= ymax + 1e-12; s += ystep) {
      axisLine(svg, x0, Y(s), x1, Y(s), "ix-grid");
      svg.appendChild(el("text", { x: x0 - 6, y: Y(s) + 4, "text-anchor": "end", class: "ix-tick" },
        String(Number((100 * s).toPrecision(3))) + "%"));
    }
    var w = (hist.hi - hist.lo) / share.length;
    var colour = index.colours.activations;
    var bars = el("g", { "data-series": "histogram" });
    share.forEach(function (sv, i) {
      if (!sv) return;
      var a = X(hist.lo + i * w), b = X(hist.lo + (i + 1) * w);
      bars.appendChild(el("rect", { x: a.toFixed(1), y: Y(sv).toFixed(1), width: Math.max(0.5, b - a - 0.6).toFixed(1),
        height: (y0 - Y(sv)).toFixed(1), fill: colour }));
    });
    svg.appendChild(bars);
    var xt = hist.lo < 0 ? [-1, -0.5, 0, 0.5, 1] : [0, 0.5, 1];
    xt.forEach(function (t) {
      var v = t * hist.hi;
      axisLine(svg, X(v), y0, X(v), y0 + 4, "ix-axis");
      svg.appendChild(el("text", { x: X(v), y: y0 + 17, "text-anchor": "middle", class: "ix-tick" }, tick(v)));
    });
    axisLine(svg, x0, y0, x1, y0, "ix-axis");
    axisLine(svg, x0, y1, x0, y0, "ix-axis");
    svg.appendChild(el("text", { x: (x0 + x1) / 2, y: f.height - 6, "text-anchor": "middle", class: "ix-label" },
      index.labels.value + " at layer " + hist.layer));
    container.replaceChildren(svg);
    return { total: total, top: top, topBin: share.indexOf(top), width: w };
  }

  // -- the page --------------------------------------------------------------------------
  function start(index, buffer) {
    var data = new Data(index, buffer);
    var c = {
      init: document.getElementById("ix-init"),
      activation: document.getElementById("ix-activation"),
      depth: document.getElementById("ix-depth"),
      scale: document.getElementById("ix-scale"),
      layer: document.getElementById("ix-layer"),
    };
    var out = {
      depth: document.getElementById("ix-depth-value"),
      scale: document.getElementById("ix-scale-value"),
      reading: document.getElementById("ix-reading"),
      std: document.getElementById("ix-std-plot"),
      hist: document.getElementById("ix-hist-plot"),
      histCaption: document.getElementById("ix-hist-caption"),
      table: document.getElementById("ix-table"),
      code: document.getElementById("ix-code"),
    };
    function options(select, items) {
      items.forEach(function (it) {
        var o = document.createElement("option");
        o.value = it.key; o.textContent = it.label;
        select.appendChild(o);
      });
    }
    options(c.init, index.inits);
    options(c.activation, index.activations);
    c.depth.max = index.depths.length - 1;
    c.scale.max = index.scales.length - 1;

    var keys = function (list) { return list.map(function (it) { return it.key; }); };
    var d = index.default;
    var params = new URLSearchParams(window.location.search);
    function pick(name, list, fallbackValue) {
      var v = params.get(name);
      return v !== null && list.indexOf(v) >= 0 ? v : fallbackValue;
    }
    var depthKeys = index.depths.map(String);
    var scaleKeys = index.scales.map(function (s) { return s.label; });
    c.init.value = pick("init", keys(index.inits), d.init);
    c.activation.value = pick("activation", keys(index.activations), d.activation);
    c.depth.value = depthKeys.indexOf(pick("depth", depthKeys, String(d.depth)));
    c.scale.value = scaleKeys.indexOf(pick("scale", scaleKeys, scaleKeys[index.scales.map(function (s) { return s.value; }).indexOf(d.scale)]));
    var layerParam = parseInt(params.get("layer"), 10);
    var state = { layer: index.hist_layers.indexOf(layerParam) >= 0 ? layerParam : d.layer, followLast: !params.get("layer") };

    var api = window.initnotesExplorer = { updates: 0, lastUpdateMs: null, shown: null, sentence: "" };
    var urlTimer = null;

    function layerOptions(depth) {
      var layers = index.hist_layers.filter(function (l) { return l <= depth; });
      if (state.followLast || layers.indexOf(state.layer) < 0) state.layer = depth;
      c.layer.replaceChildren();
      layers.forEach(function (l) {
        var o = document.createElement("option");
        o.value = String(l);
        o.textContent = l === depth ? l + " (last)" : String(l);
        c.layer.appendChild(o);
      });
      c.layer.value = String(state.layer);
    }

    function update(event) {
      var t0 = performance.now();
      var fromUser = Boolean(event && event.type);
      var initIdx = c.init.selectedIndex, actIdx = c.activation.selectedIndex;
      var depthIdx = Number(c.depth.value), scaleIdx = Number(c.scale.value);
      var depth = index.depths[depthIdx], scale = index.scales[scaleIdx];
      layerOptions(depth);
      var shown = data.shown(data.record(initIdx, actIdx, scaleIdx), depthIdx, state.layer);

      out.depth.textContent = depth + " layers";
      c.depth.setAttribute("aria-valuetext", depth + " layers");
      out.scale.textContent = "\u00d7" + scale.label;
      c.scale.setAttribute("aria-valuetext", "times " + scale.label);

      // the sentence: templates and codes from the package, numbers from the data
      var act = shown.act, grad = shown.grad;
      var numbers = { depth: depth, act_first: fmt(act[0]), act_last: fmt(act[depth - 1]),
        grad_first: fmt(grad[0]), grad_last: fmt(grad[depth - 1]) };
      var ar = index.activation_readings[shown.reading[0]], gr = index.gradient_readings[shown.reading[2]];
      numbers.k = shown.reading[1];
      var actText = fill(ar.text, numbers);
      numbers.k = shown.reading[3];
      var gradText = fill(gr.text, numbers);
      var sentence = fill(index.sentence, { init: index.inits[initIdx].label,
        activation: index.activations[actIdx].label, depth: depth, scale: scale.label,
        act: actText, grad: gradText });
      out.reading.textContent = sentence;

      drawStd(out.std, shown, index);
      var h = drawHist(out.hist, shown.hist, index);
      var a = shown.hist.lo + h.topBin * h.width, b = a + h.width;
      out.histCaption.textContent = "Histogram of the " + h.total + " activation values at layer " +
        shown.hist.layer + ", from " + tick(shown.hist.lo) + " to " + tick(shown.hist.hi) +
        " in " + index.bins + " bins; the tallest bar, from " + tick(a) + " to " + tick(b) +
        ", holds " + fmt(100 * h.top) + "% of them." +
        (index.zero_notes && index.zero_notes[index.activations[actIdx].key] ?
          " " + index.zero_notes[index.activations[actIdx].key] : "");

      // the numbers, as a table
      var table = document.createElement("table");
      var head = table.createTHead().insertRow();
      [index.labels.layer, "activation std", "gradient std"].forEach(function (t) {
        var th = document.createElement("th"); th.scope = "col"; th.textContent = t; head.appendChild(th);
      });
      var body = table.createTBody();
      for (var l = 0; l < depth; l++) {
        var row = body.insertRow();
        var th = document.createElement("th"); th.scope = "row"; th.textContent = String(l + 1);
        row.appendChild(th);
        row.insertCell().textContent = fmt(act[l]);
        row.insertCell().textContent = fmt(grad[l]);
      }
      out.table.replaceChildren(table);

      out.code.textContent = fill(index.reproduce, {
        init: index.inits[initIdx].key, activation: index.activations[actIdx].key,
        depth: depth, width: index.width, batch: index.batch, scale: scale.code,
        keep: index.keep, stack_depth: index.stack_depth, seed: index.seed,
        layer_index: shown.hist.layer - 1, layer: shown.hist.layer,
      });

      if (fromUser) {  // a link to this setting, for sharing (not on the first view)
        var q = new URLSearchParams({ init: c.init.value, activation: c.activation.value,
          depth: String(depth), scale: scale.label });
        if (!state.followLast) q.set("layer", String(state.layer));
        // once the controls rest: browsers throttle frequent history updates
        clearTimeout(urlTimer);
        urlTimer = setTimeout(function () {
          history.replaceState(null, "", "?" + q.toString() + window.location.hash);
        }, 400);
      }

      api.shown = shown;
      api.sentence = sentence;
      api.updates += 1;
      api.lastUpdateMs = performance.now() - t0;
    }

    // "input" fires on every step of a slider and on every choice in a list
    [c.init, c.activation, c.depth, c.scale].forEach(function (ctl) {
      ctl.addEventListener("input", update);
    });
    c.layer.addEventListener("input", function (event) {
      state.layer = Number(c.layer.value);
      state.followLast = state.layer === index.depths[Number(c.depth.value)];
      update(event);
    });

    var copy = document.getElementById("ix-copy"), status = document.getElementById("ix-copy-status");
    copy.addEventListener("click", function () {
      var text = out.code.textContent;
      function selected() {
        var range = document.createRange();
        range.selectNodeContents(out.code);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        status.textContent = "Selected: press Ctrl+C (or \u2318C) to copy.";
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { status.textContent = "Copied."; }, selected);
      } else {
        selected();
      }
    });

    root.hidden = false;
    update(null);
    if (window.ResizeObserver) {
      var resized = new ResizeObserver(function (entries) {
        var changed = false;
        entries.forEach(function (e) {
          var w = e.contentRect.width;
          if (w && Math.abs(w - (widths.get(e.target) || 0)) > 1) { widths.set(e.target, w); changed = true; }
        });
        if (changed) update(null);
      });
      resized.observe(out.std);
      resized.observe(out.hist);
    }
  }

  function fail(err) {
    document.documentElement.classList.remove("ix-js");
    var note = document.createElement("p");
    note.className = "ix-error";
    note.textContent = "The interactive explorer could not load its data (" + err.message +
      "), so the page shows its first setting only. Pages opened straight from disk cannot " +
      "load data files: serve the site (for instance with make serve) and open it over HTTP.";
    if (fallback) fallback.insertBefore(note, fallback.firstChild);
  }

  function load(url, kind) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ": HTTP " + r.status);
      return kind === "json" ? r.json() : r.arrayBuffer();
    });
  }

  try {
    Promise.all([load(root.dataset.index, "json"), load(root.dataset.records, "bin")])
      .then(function (got) { start(got[0], got[1]); })
      .catch(fail);
  } catch (err) {
    fail(err);
  }
})();
