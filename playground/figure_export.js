// Every figure, exported and described, in the page (no request to the server):
// - its toolbar has PNG, SVG and CSV buttons (and "reset axes"; the other buttons are gone:
//   dragging still zooms), each file named for what it is: the tab, the figure, and the
//   settings that differ from their defaults, as the link holds them
//   (unrolled-bptt-profile-cell-lstm-seq_len-200.png);
// - the CSV holds the data behind the figure as it is shown (the step shown, for a figure that
//   steps in the page), one row per point or heatmap cell: trace, name, type, x, y, z, and the
//   axes' labels where the axis names its ticks (a heatmap's columns, the equation's terms);
// - a short text summary (title, axes, each series' range) is kept beside the figure for
//   screen readers, and follows every redraw.
window.unrolledExport = window.unrolledExport || (() => {
  const WORDS = {
    en: {
      png: "Download as PNG", svg: "Download as SVG", csv: "Download the data (CSV)",
      figure: "Figure", points: (n) => `${n} points`, from: "from", to: "to", grid: "grid of",
      values: "values", last: "last", series: "series", more: (n) => `${n} more series`, labels: "Labels",
      notes: "Notes", bars: (n) => `${n} bars`, largest: "largest",
    },
    ko: {
      png: "PNG로 저장", svg: "SVG로 저장", csv: "데이터 저장 (CSV)",
      figure: "그림", points: (n) => `점 ${n}개`, from: "", to: "~", grid: "격자", values: "값",
      last: "마지막", series: "계열", more: (n) => `계열 ${n}개 더`, labels: "표시",
      notes: "주석", bars: (n) => `막대 ${n}개`, largest: "최대",
    },
  };
  const PREFIX = /^(topology|st|bp|s2s)-/;
  const lang = () => (window.unrolledPage && window.unrolledPage.lang()) || "en";
  const words = () => WORDS[lang()] || WORDS.en;

  // -- names ------------------------------------------------------------------------------
  function blockOf(gd) { return gd.closest(".block[id]"); }

  function tabOf(gd) {
    const panel = gd.closest('[role="tabpanel"]');
    const id = panel && panel.id ? panel.id.replace(/-tab$|^tab-/, "") : "";
    const links = window.unrolledLinks;
    return (links && links.current && links.current()) || id || "figure";
  }

  // unrolled-<tab>-<figure>[-<key>-<value>...]: the keys of the view's link at non-defaults
  function fileName(gd) {
    const block = blockOf(gd);
    const figure = block ? block.id.replace(PREFIX, "") : "figure";
    const parts = ["unrolled", tabOf(gd), figure];
    const links = window.unrolledLinks;
    if (links && links.href) {
      const query = new URLSearchParams(links.href().split("?")[1] || "");
      for (const [key, value] of query) {
        if (!["tab", "lang", "lock", "hide", "tabs", "present"].includes(key)) {
          parts.push(key, value);
        }
      }
    }
    return parts.join("-").replace(/[^\w.-]+/g, "_").slice(0, 150);
  }

  // -- data -------------------------------------------------------------------------------
  const TYPED = {
    f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array,
    u2: Uint16Array, i1: Int8Array, u1: Uint8Array,
  };

  // An array as plain values: Plotly arrays, typed arrays, and the typed-array specs
  // ({dtype, bdata, shape}) that plotly.py sends for numpy arrays.
  function values(a) {
    if (a === undefined || a === null) return null;
    if (Array.isArray(a)) return a.map((v) => (ArrayBuffer.isView(v) || isSpec(v) ? values(v) : v));
    if (ArrayBuffer.isView(a)) return Array.from(a);
    if (isSpec(a)) {
      const bytes = Uint8Array.from(atob(a.bdata), (c) => c.charCodeAt(0));
      const flat = Array.from(new TYPED[a.dtype](bytes.buffer));
      const shape = typeof a.shape === "string" ? a.shape.split(",").map(Number)
        : (a.shape || [flat.length]);
      if (shape.length < 2) return flat;
      const rows = [];
      for (let i = 0; i < shape[0]; i++) rows.push(flat.slice(i * shape[1], (i + 1) * shape[1]));
      return rows;
    }
    return null;
  }
  function isSpec(a) { return a && typeof a === "object" && typeof a.bdata === "string" && a.dtype; }

  // The label an axis gives the value v (its ticktext at that tickval), or "".
  function labelOf(axis, v) {
    if (!axis || typeof v !== "number") return "";
    const vals = values(axis.tickvals);
    const text = values(axis.ticktext);
    if (!vals || !text) return "";
    const k = vals.findIndex((t) => Math.abs(t - v) < 1e-9);
    return k >= 0 ? plain(String(text[k])) : "";
  }

  function labels(gd) {
    return ((gd.layout && gd.layout.annotations) || [])
      .filter((a) => a && a.visible !== false && a.text && a.x !== undefined)
      .map((a) => ({ x: a.x, y: a.y, text: plain(a.text) }))
      .filter((a) => a.text);
  }

  function plain(html) { return window.unrolledPage.plainText(html); }

  function axisOf(layout, ref, letter) {
    const name = (ref || letter).replace(/^([xy])(\d*)$/, (m, l, n) => `${l}axis${n}`);
    return layout[name];
  }

  // One row per point (scatter, bar) or cell (heatmap) of each trace the figure shows.
  function rows(gd) {
    const out = [["trace", "name", "type", "x", "y", "z", "text", "x_label", "y_label"]];
    const layout = gd.layout || {};
    (gd.data || []).forEach((trace, k) => {
      if (trace.visible === false) return;
      const xa = axisOf(layout, trace.xaxis, "x");
      const ya = axisOf(layout, trace.yaxis, "y");
      const name = plain(trace.name || "");
      const type = trace.type || "scatter";
      const x = values(trace.x);
      const y = values(trace.y);
      const z = values(trace.z);
      const text = [trace.text, trace.hovertext].find(Array.isArray) || null;
      const textAt = (i, j) => {
        const t = text && (j === undefined ? text[i] : text[i] && text[i][j]);
        return t === undefined || t === null ? "" : plain(t);
      };
      const row = (xv, yv, zv, tv) => out.push([k, name, type, xv, yv, zv, tv, labelOf(xa, xv),
                                                labelOf(ya, yv)]);
      if (z && Array.isArray(z[0])) {
        z.forEach((line, i) => line.forEach((zv, j) => {
          if (zv === null || zv === undefined) return;  // a gap between blocks of cells
          let xv = x ? x[j] : j;
          if (x && x.length === line.length + 1 && typeof x[j] === "number") {
            xv = (x[j] + x[j + 1]) / 2;  // x given as the cells' edges: the cell's centre
          }
          let yv = y ? y[i] : i;
          if (y && y.length === z.length + 1 && typeof y[i] === "number") yv = (y[i] + y[i + 1]) / 2;
          row(xv, yv, zv, textAt(i, j));
        }));
      } else {
        const n = Math.max(x ? x.length : 0, y ? y.length : 0);
        for (let i = 0; i < n; i++) row(x ? x[i] : i, y ? y[i] : "", "", textAt(i));
      }
    });
    // a diagram's labels (its boxes' names and numbers) are annotations
    for (const a of labels(gd)) out.push(["annotation", "", "annotation", a.x, a.y, "", a.text, "", ""]);
    return out;
  }

  function csvCell(v) {
    if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return "";
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }

  function csv(gd) { return rows(gd).map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n"; }

  function save(text, name, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  function image(gd, format) {
    const full = gd._fullLayout || {};
    return window.Plotly.downloadImage(gd, {
      format, filename: fileName(gd), scale: format === "png" ? 2 : 1,
      width: full.width || gd.clientWidth || 800, height: full.height || gd.clientHeight || 500,
    });
  }

  // -- the toolbar ------------------------------------------------------------------------
  const SVG_ICON = {  // a page with a pen nib: "vector"
    width: 1000, height: 1000,
    path: "M200 50h450l200 200v700h-650zM600 100v200h200M320 780l180-380 180 380-180-90z",
  };
  const CSV_ICON = {  // a table
    width: 1000, height: 1000,
    path: "M100 150h800v700h-800zM100 350h800M100 550h800M100 750h800M380 150v700M640 150v700",
  };

  function config(gd, c) {
    const w = words();
    c.displaylogo = false;
    c.modeBarButtonsToRemove = ["toImage", "zoom2d", "pan2d", "select2d", "lasso2d",
                                "zoomIn2d", "zoomOut2d", "autoScale2d"];
    c.modeBarButtonsToAdd = [
      { name: "unrolled-png", title: w.png, icon: window.Plotly.Icons.camera,
        click: (g) => image(g, "png") },
      { name: "unrolled-svg", title: w.svg, icon: SVG_ICON, click: (g) => image(g, "svg") },
      { name: "unrolled-csv", title: w.csv, icon: CSV_ICON,
        click: (g) => save(csv(g), `${fileName(g)}.csv`, "text/csv;charset=utf-8") },
    ];
  }

  // -- the summary ------------------------------------------------------------------------
  function fmt(v) {
    if (typeof v !== "number" || !Number.isFinite(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(+v.toPrecision(3));
  }

  function range(list) {
    const nums = list.flat(2).filter((v) => typeof v === "number" && Number.isFinite(v));
    if (!nums.length) return null;
    let lo = nums[0];
    let hi = nums[0];
    for (const v of nums) { if (v < lo) lo = v; if (v > hi) hi = v; }
    return [lo, hi];
  }

  function span(lo, hi) {
    const w = words();
    return lo === hi ? fmt(lo) : `${w.from ? `${w.from} ` : ""}${fmt(lo)} ${w.to} ${fmt(hi)}`;
  }

  function summary(gd) {
    const w = words();
    const layout = gd.layout || {};
    const text = (t) => plain((t && typeof t === "object" ? t.text : t) || "");
    const block = blockOf(gd);
    const label = block && block.querySelector('[data-testid="block-label"]');
    const title = text(layout.title) || (label ? plain(label.textContent) : "");
    const axisTitle = (a) => text(a && a.title);
    const parts = [`${w.figure}: ${title || fileName(gd)}.`];
    const xt = axisTitle(layout.xaxis);
    const yt = axisTitle(layout.yaxis);
    if (xt || yt) parts.push(`${xt || "x"} / ${yt || "y"}.`);
    // (text-only traces are labels; invisible markers carry a diagram's hover texts)
    const shown = (gd.data || []).filter((t) => t.visible !== false && t.mode !== "text"
                                         && !(t.marker && t.marker.opacity === 0));
    shown.slice(0, 6).forEach((trace, k) => {
      const name = plain(trace.name || "") || `${w.series} ${k + 1}`;
      const z = values(trace.z);
      if (z && Array.isArray(z[0])) {
        const r = range(z);
        parts.push(`${name}: ${w.grid} ${z.length}×${z[0].length}` +
                   (r ? `, ${w.values} ${span(r[0], r[1])}.` : "."));
        return;
      }
      if (trace.type === "bar") {  // the largest bar, and where it is
        const horizontal = trace.orientation === "h";
        const v = values(horizontal ? trace.x : trace.y) || [];
        const at = values(horizontal ? trace.y : trace.x) || [];
        const r = range(v);
        if (!r) return;
        const k = v.indexOf(r[1]);
        parts.push(`${name}: ${w.bars(v.length)}, ${w.largest} ${fmt(r[1])}` +
                   (at[k] !== undefined ? ` (${plain(at[k])}).` : "."));
        return;
      }
      const y = values(trace.y) || [];
      const r = range(y);
      if (!r) return;
      const last = [...y].reverse().find((v) => typeof v === "number" && Number.isFinite(v));
      parts.push(`${name}: ${w.points(y.length)}, ${span(r[0], r[1])}` +
                 (last !== undefined ? ` (${w.last} ${fmt(last)}).` : "."));
    });
    if (shown.length > 6) parts.push(`${w.more(shown.length - 6)}.`);
    const said = [...new Set(labels(gd).map((a) => a.text))];
    if (!shown.some((t) => t.name)) {  // a diagram: what its labels say
      if (said.length) parts.push(`${w.labels}: ${said.slice(0, 16).join("; ")}.`);
    } else {  // a figure's notes that give numbers (σ_max = 0.9, ...)
      const numbered = said.filter((t) => /\d/.test(t)).slice(0, 4);
      if (numbered.length) parts.push(`${w.notes}: ${numbered.join("; ")}.`);
    }
    return parts.join(" ");
  }

  function describe(gd) {
    const block = blockOf(gd);
    if (!block || !gd.parentNode) return;
    let note = block.querySelector(":scope .figure-summary");
    if (!note) {
      note = document.createElement("p");
      note.className = "figure-summary visually-hidden";
      note.id = `${block.id}-summary`;
      gd.parentNode.insertBefore(note, gd);
      gd.setAttribute("role", "figure");  // a figure, named by its summary
      gd.setAttribute("aria-labelledby", note.id);
    }
    note.textContent = summary(gd);
  }

  // Plotly's toolbar buttons are links with a tooltip and no name: give them their title
  // (Plotly's own in the page's language).
  const PLOTLY = { ko: { "Reset axes": "축 되돌리기" } };
  function name(gd) {
    const own = PLOTLY[lang()] || {};
    for (const a of gd.querySelectorAll(".modebar-btn")) {
      let t = a.getAttribute("data-title");
      if (t && own[t]) { t = own[t]; a.setAttribute("data-title", t); }
      if (t) { a.setAttribute("aria-label", t); a.setAttribute("role", "button"); }
    }
  }

  function drawn(gd) {
    describe(gd);
    name(gd);
    if (!gd.__unrolledDescribed && gd.on) {
      gd.__unrolledDescribed = true;
      let pending = null;
      const later = () => {
        clearTimeout(pending);
        pending = setTimeout(() => { describe(gd); name(gd); }, 200);
      };
      gd.on("plotly_afterplot", later);
      gd.addEventListener("unrolled:step", later);  // a step drawn in place (stepping.js)
    }
  }

  window.unrolledPage.onPlot({ config, drawn });  // page.js, loaded before this
  return { csv, rows, fileName, summary };
})();
