// Stepping in the browser: a view's figure carries all of its steps (playground/plots.py,
// `stepped`: layout.meta holds the step shown, and for each step the Plotly.relayout changes
// that show it and undo it, and optionally its text). A time slider's `input` event runs
// `show` here, with no request to the server; Play and Pause move the slider itself, so the
// keyboard, the number box, and the slider's own events all take the same path.
window.unrolled = window.unrolled || (() => {
  const plotOf = (id) => document.querySelector(`#${id} .js-plotly-plot`);

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
      if (traces.length && heatmapsInPlace(el, data, traces)) {
        if (!styleInPlace(el, change) && !titleInPlace(el, change)) {
          window.Plotly.relayout(el, change);
        }
      } else if (traces.length && CALC.some((key) => key in data)) {
        // Plotly.update redraws twice (the traces, then the layout): written into the
        // layout first, the layout's changes are drawn by the one redraw that recomputing
        // these traces makes (Plotly re-reads the layout then)
        for (const [key, value] of Object.entries(change)) setIn(el.layout, key, value);
        window.Plotly.restyle(el, data, traces);
      } else if (traces.length) window.Plotly.update(el, data, change, traces);
      else if (!styleInPlace(el, change)) window.Plotly.relayout(el, change);
      el._unrolledLayout = el.layout;
      el._unrolledT = t;
      el.dispatchEvent(new CustomEvent("unrolled:step", { detail: t }));  // for benchmarks
    }
    return meta.texts ? meta.texts[t - 1] : undefined;
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

  // Only heatmaps' values change (z, text, customdata, each of the same shape as before, and
  // zmin, zmax): each heatmap is computed and drawn again by Plotly's own heatmap code, its
  // module's calc and plot, as a full redraw calls them, but without the rest of a redraw
  // (every trace's defaults and calc, the axes, the titles, the other traces): ~6 ms where
  // Plotly.restyle took ~25 ms for the equation. The figure (gd.data) and Plotly's copy of it
  // (its full data and calcdata) change alike, so hover, export and any later redraw agree.
  // False, with nothing changed, when `traces` or `data` hold anything else.
  const HEAT = ["z", "text", "customdata", "zmin", "zmax"];
  function heatmapsInPlace(gd, data, traces) {
    const full = gd._fullData;
    const plots = gd._fullLayout && gd._fullLayout._plots;
    if (!full || !gd.calcdata || !plots) return false;
    const edits = [];
    for (const [k, i] of traces.entries()) {
      const trace = full[i];
      if (!trace || trace.type !== "heatmap" || trace.visible !== true || !gd.data[i]
          || !gd.calcdata[i] || !trace._module || !trace._module.calc) return false;
      const plot = plots[trace.xaxis + trace.yaxis];
      if (!plot || !plot.plot || plot.plot.select(".heatmaplayer").empty()) return false;
      const values = {};
      for (const [key, all] of Object.entries(data)) {
        const value = all[k];
        if (value === undefined) continue;
        if (!HEAT.includes(key)) return false;
        // a colour bar shows the colours' range: drawn again only by a full redraw
        if (trace.showscale && (key !== "z" ? key.startsWith("z") : trace.zauto !== false)) {
          return false;
        }
        if (Array.isArray(value) && !sameShape(value, trace[key])) return false;
        values[key] = value;
      }
      edits.push({ i, trace, values, plot });
    }
    for (const { i, trace, values } of edits) {
      for (const [key, value] of Object.entries(values)) {
        gd.data[i][key] = value;
        trace[key] = value;
      }
      const cd = trace._module.calc(gd, trace);
      cd[0].trace = trace;
      gd.calcdata[i] = cd;
    }
    // each subplot's heatmap layer drawn with all of its heatmaps (Plotly's join removes any
    // it is not given)
    for (const plot of new Set(edits.map((edit) => edit.plot))) {
      const cds = gd.calcdata.filter((cd) => {
        const trace = cd && cd[0] && cd[0].trace;
        return trace && trace.type === "heatmap" && trace.visible === true
          && plots[trace.xaxis + trace.yaxis] === plot;
      });
      cds[0][0].trace._module.plot(gd, plot, cds, plot.plot.select(".heatmaplayer"));
    }
    return true;
  }

  // a and b both lists of the same length, and so on down, as far as a goes (Plotly keeps an
  // array the server sent as bytes as typed arrays)
  const isList = (v) => Array.isArray(v) || ArrayBuffer.isView(v);
  function sameShape(a, b) {
    if (!isList(b) || a.length !== b.length) return false;
    return a.every((x, k) => !isList(x) || sameShape(x, b[k]));
  }

  // Only the title's words change, with no markup in them or in the title shown: written
  // into the figure, Plotly's full layout and the title's SVG text, where Plotly.relayout
  // would redraw the layout (~7 ms). False, with nothing changed, for anything else.
  const MARKUP = /[<>&$\n]/;
  function titleInPlace(gd, change) {
    const keys = Object.keys(change);
    const value = change["title.text"];
    const node = gd.querySelector(".g-gtitle .gtitle");
    const full = gd._fullLayout && gd._fullLayout.title;
    if (keys.length !== 1 || typeof value !== "string" || MARKUP.test(value) || !node
        || !full || typeof full.text !== "string" || MARKUP.test(full.text)
        || node.childElementCount) return false;
    setIn(gd.layout, "title.text", value);
    full.text = value;
    node.textContent = value;
    node.setAttribute("data-unformatted", value);
    return true;
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
