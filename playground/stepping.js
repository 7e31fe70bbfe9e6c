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
      if (traces.length) window.Plotly.update(el, data, change, traces);
      else window.Plotly.relayout(el, change);
      el._unrolledLayout = el.layout;
      el._unrolledT = t;
    }
    return meta.texts ? meta.texts[t - 1] : undefined;
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

  // Show step t on every plot in ids; the first text any of them carries, else `text`.
  function showAll(ids, t, text) {
    let out;
    for (const id of ids) {
      const shown = show(id, t);
      if (out === undefined) out = shown;
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

  return { show, showAll, play, pause, nudge };
})();
