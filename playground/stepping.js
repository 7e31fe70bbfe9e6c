// Stepping in the browser: a view's figure carries all of its steps (playground/plots.py,
// `stepped`: layout.meta holds the step shown, and for each step the Plotly.relayout changes
// that show it and undo it, and optionally its text). A time slider's `input` event runs
// `show` here, with no request to the server; Play and Pause move the slider itself, so the
// keyboard, the number box, and the slider's own events all take the same path.
window.unrolled = window.unrolled || (() => {
  // the plot inside #id; drawn now if its first draw was waiting (page.js queues those below
  // the fold): the slider moved before it was drawn
  const plotOf = (id) => {
    if (window.unrolledPage && window.unrolledPage.drawNow) {
      window.unrolledPage.drawNow(document.getElementById(id));
    }
    return document.querySelector(`#${id} .js-plotly-plot`);
  };

  // Show step t (from 1) on the plot inside #id; returns that step's text, if it has any.
  function show(id, t) {
    const el = plotOf(id);
    const meta = el && el.layout && el.layout.meta;
    if (!meta || !Array.isArray(meta.steps) || !window.Plotly) return undefined;
    t = Math.round(Number(t));
    if (!Number.isFinite(t)) return undefined;
    t = Math.min(Math.max(1, t), meta.steps.length);
    // a new figure from the server (Plotly.react) brings a new layout, at its own step
    const now = el._unrolledLayout === el.layout ? el._unrolledT : meta.t;
    if (now !== t) {
      const step = meta.steps[t - 1];
      const change = Object.assign({}, (meta.steps[now - 1] || {}).off, step.on);
      const { data, traces } = restyle(meta, step);
      if (traces.length && valuesInPlace(el, data, traces)) layoutInPlace(el, change);
      else if (traces.length && CALC.some((key) => key in data)) {
        // Plotly.update redraws twice (the traces, then the layout): written into the
        // layout first, the layout's changes are drawn by the one redraw that recomputing
        // these traces makes (Plotly re-reads the layout then)
        for (const [key, value] of Object.entries(change)) setIn(el.layout, key, value);
        window.Plotly.restyle(el, data, traces);
      } else if (traces.length) window.Plotly.update(el, data, change, traces);
      else layoutInPlace(el, change);
      el._unrolledLayout = el.layout;
      el._unrolledT = t;
      el.dispatchEvent(new CustomEvent("unrolled:step", { detail: t }));  // for benchmarks
    }
    return meta.texts ? meta.texts[t - 1] : undefined;
  }

  // The layout's changes: what can be is drawn in place (the look of shapes and labels, the
  // words of the title and annotations, a rectangle's place), the rest by Plotly.relayout,
  // which redraws the whole figure for most of it (~15-30 ms).
  function layoutInPlace(gd, change) {
    const look = {};
    const words = {};
    const place = {};
    for (const [key, value] of Object.entries(change)) {
      const part = /^(title|annotations\[\d+\])\.text$/.test(key) ? words
        : /^shapes\[\d+\]\.(x0|x1|visible)$/.test(key) ? place : look;
      part[key] = value;
    }
    const rest = {};
    if (!styleInPlace(gd, look)) Object.assign(rest, look);
    if (!wordsInPlace(gd, words)) Object.assign(rest, words);
    if (!shapesInPlace(gd, place)) Object.assign(rest, place);
    if (Object.keys(rest).length) window.Plotly.relayout(gd, rest);
  }

  // Only rectangles move (their x0, x1; `visible` as it is), each on a linear axis of its
  // figure: each one's path computed as Plotly's shape code computes it (the axis's own
  // r2p) and written into the figure, Plotly's full layout and the SVG path. On an axis that
  // ranges itself, only where the rectangle, before and after, stays clear of the axis's
  // ends by half its line: there Plotly widens the range for it (at the first and last
  // column of a heatmap), and a redraw would move the axis. False, with nothing changed, for
  // anything else.
  function shapesInPlace(gd, change) {
    const moves = new Map();  // shape number -> its new x0, x1
    for (const [key, value] of Object.entries(change)) {
      const [, k, attr] = key.match(/^shapes\[(\d+)\]\.(\w+)$/);
      const full = gd._fullLayout.shapes && gd._fullLayout.shapes[+k];
      const item = gd.layout.shapes && gd.layout.shapes[+k];
      if (!full || !item) return false;
      if (attr === "visible") {
        if (value !== full.visible) return false;
        continue;
      }
      if (typeof value !== "number") return false;
      if (!moves.has(+k)) moves.set(+k, { full, item, x0: full.x0, x1: full.x1 });
      moves.get(+k)[attr] = value;
    }
    const edits = [];
    for (const [k, move] of moves) {
      const { full } = move;
      const node = gd.querySelector(`.shapelayer path[data-index="${k}"]`);
      const xa = gd._fullLayout[`xaxis${full.xref.slice(1)}`];
      const ya = gd._fullLayout[`yaxis${full.yref.slice(1)}`];
      if (!node || full.visible !== true || full.type !== "rect" || full.xsizemode !== "scaled"
          || full.ysizemode !== "scaled" || full.x0shift || full.x1shift
          || (full.label && full.label.text) || !/^x\d*$/.test(full.xref)
          || !/^y\d*$/.test(full.yref) || !xa || !ya || xa.type !== "linear"
          || ya.type !== "linear") return false;
      const pad = (full.line && full.line.width ? full.line.width : 0) / 2;
      const clear = (a, b) => {
        const [lo, hi] = [xa.r2p(a), xa.r2p(b)].sort((p, q) => p - q);
        return lo - pad > 1 && hi + pad < xa._length - 1;
      };
      if (xa.autorange !== false && !(clear(full.x0, full.x1) && clear(move.x0, move.x1))) {
        return false;
      }
      const x0 = xa._offset + xa.r2p(move.x0);
      const x1 = xa._offset + xa.r2p(move.x1);
      const y0 = ya._offset + ya.r2p(full.y0);
      const y1 = ya._offset + ya.r2p(full.y1);
      edits.push([move, node, `M${x0},${y0}H${x1}V${y1}H${x0}Z`]);
    }
    for (const [move, node, path] of edits) {
      for (const attr of ["x0", "x1"]) move.item[attr] = move.full[attr] = move[attr];
      node.setAttribute("d", path);
    }
    return true;
  }

  // Only the look of some shapes and labels changes (a diagram's highlight): written into the
  // figure (its layout, and Plotly's full layout, so that any later redraw agrees) and onto
  // those SVG elements, where Plotly.relayout would redraw every shape and label (~50 ms for
  // a long diagram). False, with nothing changed, when `change` holds anything else.
  const LOOK = {
    "opacity": (node, v) => { node.style.opacity = v; },
    "line.color": (node, v) => { node.style.stroke = v; },
    "line.width": (node, v) => { node.style.strokeWidth = `${v}px`; },
    "font.color": (node, v) => { node.style.fill = v; },
  };

  // trace keys whose change makes Plotly recompute the figure (and re-read its layout)
  const CALC = ["x", "y", "z"];

  // obj's value at a Plotly attribute string ("title.text", "annotations[2].text")
  function setIn(obj, path, value) {
    const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
    for (const part of parts.slice(0, -1)) obj = obj[part] = obj[part] || {};
    obj[parts[parts.length - 1]] = value;
  }

  function styleInPlace(gd, change) {
    const edits = [];
    for (const [key, value] of Object.entries(change)) {
      const m = key.match(/^(shapes|annotations)\[(\d+)\]\.(opacity|line\.color|line\.width|font\.color)$/);
      if (!m || (m[1] === "shapes") === (m[3] === "font.color")) return false;
      const node = m[1] === "shapes"
        ? gd.querySelector(`.shapelayer path[data-index="${m[2]}"]`)
        : gd.querySelector(`.annotation[data-index="${m[2]}"] .annotation-text`);
      const full = gd._fullLayout && gd._fullLayout[m[1]] && gd._fullLayout[m[1]][+m[2]];
      if (!node || !full || !gd.layout[m[1]] || !gd.layout[m[1]][+m[2]]) return false;
      edits.push([node, gd.layout[m[1]][+m[2]], full, m[3], value]);
    }
    for (const [node, item, full, attr, value] of edits) {
      setIn(item, attr, value);
      setIn(full, attr, value);
      LOOK[attr](node, value);
    }
    return true;
  }

  // Only the traces' values change (VALUES; arrays keep their shape) and no axis has to move
  // for them: those traces are computed again and the plot area drawn again by Plotly's own
  // code, as a full redraw runs it (each trace's module's calc, the cross-trace calc that
  // places bars, the cartesian plot, the modules' styles), without the rest of a redraw
  // (every trace's defaults and calc, the axes, titles, annotations and shapes): ~2-6 ms
  // where Plotly.restyle took 20-30 ms. The figure (gd.data) and Plotly's copy of it (its full
  // data and calcdata) change alike, so hover, export and any later redraw agree with what is
  // drawn. False, with nothing changed, for anything else.
  const VALUES = ["x", "y", "z", "text", "customdata", "hovertext", "zmin", "zmax",
                  "marker.color", "marker.line.color"];
  function valuesInPlace(gd, data, traces) {
    const layout = gd._fullLayout;
    const plots = layout && layout._plots;
    const bases = (layout && layout._basePlotModules) || [];
    if (!gd._fullData || !gd.calcdata || !plots || bases.length !== 1
        || bases[0].name !== "cartesian" || layout.showlegend) return false;
    const edits = [];
    for (const [k, i] of traces.entries()) {
      const trace = gd._fullData[i];
      if (!trace || trace.visible !== true || !gd.data[i] || !gd.calcdata[i]
          || !trace._module || !trace._module.calc || isList(trace.hovertemplate)
          || isList(trace.hoverinfo) || (trace.error_x && trace.error_x.visible)
          || (trace.error_y && trace.error_y.visible)) return false;
      const plot = plots[trace.xaxis + trace.yaxis];
      if (!plot || !plot.xaxis || !plot.yaxis) return false;
      const values = {};
      for (const [key, all] of Object.entries(data)) {
        const value = all[k];
        if (value === undefined) continue;
        if (!VALUES.includes(key) || !fixed(trace, plot, key)) return false;
        if (isList(value) && !sameShape(value, getIn(trace, key))) return false;
        values[key] = value;
      }
      edits.push({ i, trace, values });
    }
    for (const { i, trace, values } of edits) {
      for (const [key, value] of Object.entries(values)) {
        setIn(gd.data[i], key, value);
        setIn(trace, key, value);
      }
      const cd = trace._module.calc(gd, trace);  // as Plotly's doCalcdata keeps it
      if (!cd[0].t) cd[0].t = {};
      cd[0].trace = trace;
      gd.calcdata[i] = cd;
    }
    // the kinds of trace that changed: the others are drawn and styled as they were
    const modules = edits.map((edit) => edit.trace._module);
    const each = (name) => [...new Set(modules.map((m) => m[name]).filter(Boolean))];
    for (const id of (layout._subplots && layout._subplots.cartesian) || []) {
      for (const crossTraceCalc of each("crossTraceCalc")) crossTraceCalc(gd, plots[id], id);
    }
    drawLayers(gd, edits.map((edit) => edit.trace));
    for (const style of each("style")) style(gd);
    return true;
  }

  // The layers that hold `traces` drawn again, each with every trace of its kind on its
  // subplot (Plotly's join removes any trace it is not given), as Plotly's cartesian plot
  // draws each subplot's layers; or the whole plot area, where a layer is more than that (a
  // trace drawn off its axes' clip, or ordered by zorder).
  function drawLayers(gd, traces) {
    const layout = gd._fullLayout;
    const layers = new Map();
    for (const trace of traces) {
      const plot = layout._plots[trace.xaxis + trace.yaxis];
      const mod = trace._module;
      const layer = plot.plot.select(`g.${mod.layerName || `${mod.name}layer`}`);
      const cds = gd.calcdata.filter((cd) => {
        const other = cd[0].trace;
        return other.visible === true && other._module.plot === mod.plot
          && layout._plots[other.xaxis + other.yaxis] === plot;
      });
      if (!mod.plot || layer.empty() || cds.some((cd) => cd[0].trace.cliponaxis === false
                                                 || cd[0].trace.zorder)) {
        return layout._basePlotModules[0].plot(gd);
      }
      layers.set(layer.node(), () => mod.plot(gd, plot, cds, layer));
    }
    for (const draw of layers.values()) draw();
  }

  // Whether the trace's axes and colour bar stay as they are when `key` changes: a value
  // along an axis (x, y, a bar's text outside it) needs that axis's range fixed, and not a
  // list of categories; a colour bar shows the colours' range (it is drawn by a full redraw).
  function fixed(trace, plot, key) {
    const along = key === "text" && trace.type === "bar"
      ? (trace.orientation === "h" ? "x" : "y") : key;
    if (along === "x" || along === "y") {
      const axis = plot[`${along}axis`];
      if (axis.autorange !== false || /category/.test(axis.type)) return false;
    }
    if (key === "marker.color" && trace.marker && trace.marker.showscale) return false;
    if (trace.showscale && (key === "zmin" || key === "zmax"
                            || (key === "z" && trace.zauto !== false))) return false;
    return true;
  }

  function getIn(obj, path) {
    for (const part of path.split(".")) obj = obj === undefined || obj === null ? obj : obj[part];
    return obj;
  }

  // a and b both lists of the same length, and so on down, as far as a goes (Plotly keeps an
  // array the server sent as bytes as typed arrays)
  const isList = (v) => Array.isArray(v) || ArrayBuffer.isView(v);
  function sameShape(a, b) {
    if (!isList(b) || a.length !== b.length) return false;
    return a.every((x, k) => !isList(x) || sameShape(x, b[k]));
  }

  // Only the words of the title, or of annotations, change, between the same markup (<sub>,
  // <b>, <br> in the same places): each changed run of words is written into the one SVG text
  // node that shows it (Plotly draws a run of words as one text node), and into the figure
  // and Plotly's full layout. Plotly.relayout would redraw the layout for a title (~7 ms) and
  // the whole figure for an annotation (~20-30 ms). An annotation is placed by its text's
  // size: its words change in place only where that size stays the same ("t = 3" to "t = 4":
  // digits are of one width), measured. False, with nothing changed, for anything else (a
  // changed tag, an entity, a run shown twice or not found, an annotation's size).
  function wordsInPlace(gd, change) {
    const edits = [];
    for (const [key, value] of Object.entries(change)) {
      const m = key.match(/^(?:title|annotations\[(\d+)\])\.text$/);
      const k = m && m[1];
      const node = !m ? null : k === undefined ? gd.querySelector(".g-gtitle .gtitle")
        : gd.querySelector(`.annotation[data-index="${k}"] .annotation-text`);
      const full = !m ? null : k === undefined ? gd._fullLayout.title
        : (gd._fullLayout.annotations || [])[+k];
      const runs = node && full && wordRuns(node, full.text, value);
      if (!runs || (k !== undefined && !(gd.layout.annotations || [])[+k])) return false;
      edits.push({ key, value, node, full, runs, sized: k !== undefined });
    }
    const sizeOf = (node) => node.getBBox().width;
    const sizes = edits.map((edit) => (edit.sized ? sizeOf(edit.node) : 1));
    if (sizes.some((size) => !size)) return false;  // not drawn (a hidden tab): not measured
    for (const { runs } of edits) for (const [text, , words] of runs) text.data = words;
    if (edits.some((edit, k) => edit.sized && Math.abs(sizeOf(edit.node) - sizes[k]) > 1e-3)) {
      for (const { runs } of edits) for (const [text, words] of runs) text.data = words;
      return false;
    }
    for (const { key, value, node, full } of edits) {
      setIn(gd.layout, key, value);
      full.text = value;
      node.setAttribute("data-unformatted", value);
    }
    return true;
  }

  // The text nodes inside `node` that show what changes from `was` to `now`, as [node, its
  // words now, its words then]; null where the markup differs or a run is not found once.
  const TAG = /(<[^>]*>)/;  // split keeps the tags, at the odd places
  function wordRuns(node, was, now) {
    if (typeof was !== "string" || typeof now !== "string" || /[&$\n]/.test(was + now)) {
      return null;
    }
    const before = was.split(TAG);
    const after = now.split(TAG);
    if (before.length !== after.length) return null;
    const nodes = [];
    const walk = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walk.nextNode()) nodes.push(walk.currentNode);
    const runs = [];
    for (const [k, words] of before.entries()) {
      if (words === after[k]) continue;
      const shown = nodes.filter((text) => text.data === words);
      if (k % 2 || !words || shown.length !== 1) return null;
      runs.push([shown[0], words, after[k]]);
    }
    return runs;
  }

  // A step's trace changes as Plotly.restyle takes them: one value per trace in `traces`,
  // undefined where a trace keeps its value (JSON has null there); a heatmap that reveals
  // its first columns gets its whole values (meta.full) with the later columns blank.
  function restyle(meta, step) {
    const data = {};
    const traces = step.traces ? [...step.traces] : [];
    for (const [key, values] of Object.entries(step.data || {})) {
      data[key] = values.map((v) => (v === null ? undefined : v));
    }
    if (step.reveal !== undefined && meta.full) {
      for (const [trace, z] of Object.entries(meta.full)) {
        const i = Number(trace);
        let k = traces.indexOf(i);
        if (k < 0) {
          k = traces.push(i) - 1;
          for (const values of Object.values(data)) values.push(undefined);
        }
        data.z = data.z || traces.map(() => undefined);
        data.z[k] = z.map((row) => row.map((v, j) => (j < step.reveal ? v : null)));
      }
    }
    return { data, traces };
  }

  // Step t's text on the plot inside #id, if its figure carries texts.
  function textOf(id, t) {
    const el = plotOf(id);
    const meta = el && el.layout && el.layout.meta;
    if (!meta || !Array.isArray(meta.texts)) return undefined;
    t = Math.min(Math.max(1, Math.round(Number(t))), meta.texts.length);
    return Number.isFinite(t) ? meta.texts[t - 1] : undefined;
  }

  // Show step t on every plot in ids; the first text any of them carries, else `text`.
  // The first plot (the one the step is about) is drawn at once and painted alone; the others
  // follow in the next frame (each redraw costs ~15-30 ms: drawn together, the first plot
  // would wait for all of them). A later step before then replaces the one they show.
  const later = {};  // id -> the step it will show
  function showAll(ids, t, text) {
    let out;
    for (const [k, id] of ids.entries()) {
      if (k === 0) show(id, t);
      else {
        if (!(id in later)) {
          requestAnimationFrame(() => requestAnimationFrame(() => {
            const step = later[id];
            delete later[id];
            show(id, step);
          }));
        }
        later[id] = t;
      }
      if (out === undefined) out = textOf(id, t);
    }
    return out === undefined ? text : out;
  }

  const players = {};

  function pause(id) {
    clearInterval(players[id]);
    delete players[id];
  }

  // Move the slider #id as a user would (its `input` event steps the view): to its first
  // step, then one step every `ms` ms, stopping after the last.
  function play(id, ms) {
    pause(id);
    const input = document.querySelector(`#${id} input[type=range]`);
    if (!input) return;
    const set = (v) => {
      input.value = String(v);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    };
    set(input.min || 1);
    players[id] = setInterval(() => {
      const next = Number(input.value) + 1;
      if (!(next <= Number(input.max))) return pause(id);
      set(next);
    }, ms);
  }

  // One step back or forward on the slider #id (the ◀ ▶ buttons), within its range.
  function nudge(id, delta) {
    const input = document.querySelector(`#${id} input[type=range]`);
    if (!input) return;
    const next = Math.min(Math.max(Number(input.value) + delta, Number(input.min)),
                          Number(input.max));
    if (next === Number(input.value)) return;
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The time sliders' own input events (a key, a drag, Play): their plots drawn at once,
  // before Gradio's event for the same input (which then finds them drawn and sets the text)
  const bound = {};  // slider elem_id -> the elem_ids of its plots
  function bind(sliders) { Object.assign(bound, sliders); }
  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "range") return;
    for (let node = input.parentElement; node; node = node.parentElement) {
      if (node.id && bound[node.id]) return void showAll(bound[node.id], input.value);
    }
  }, true);

  return { show, showAll, play, pause, nudge, bind };
})();
