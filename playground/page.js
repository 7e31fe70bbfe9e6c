// The page's two other shapes: presenter mode (?present=1, or its button) for a projector, and
// phones. Both fold long explanations to their first sentence ("more" unfolds one); presenter
// mode also sets larger type, one column, larger figure fonts and a quiet footer (CSS in
// playground/style.py, under html.present).
window.unrolledPage = window.unrolledPage || (() => {
  const root = document.documentElement;
  const SCALE = 1.3;  // figure fonts (and heights) in presenter mode
  const words = { en: { more: "more", less: "less" }, ko: { more: "더 보기", less: "접기" } };
  const phone = window.matchMedia("(max-width: 640px)");

  if (new URLSearchParams(window.location.search).get("present") === "1") {
    root.classList.add("present");
  }

  // -- figure fonts: every figure Gradio draws goes through Plotly.react -----------------
  const scaled = new WeakSet();  // the layouts whose fonts are scaled (Gradio sends new ones)

  function scaleFonts(node, k) {
    if (!node || typeof node !== "object" || ArrayBuffer.isView(node)) return;
    if (Array.isArray(node)) {
      if (node.length && typeof node[0] === "object") for (const item of node) scaleFonts(item, k);
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if (/font$/.test(key) && value && typeof value === "object") {
        if (typeof value.size === "number") value.size *= k;
        else if (Array.isArray(value.size)) value.size = value.size.map((s) => s * k);
      } else if (typeof value === "object") {
        scaleFonts(value, k);
      }
    }
  }

  function scaleFigure(data, layout, k) {
    scaleFonts(data, k);
    scaleFonts(layout, k);
    if (typeof layout.height === "number") layout.height = Math.round(layout.height * k);
  }

  // What else wants to see every figure drawn (figure_export.js: the toolbar's export buttons,
  // the text summary): config(gd, config) may add to the config; drawn(gd) runs after.
  const hooks = [];
  function onPlot(hook) { hooks.push(hook); }

  // -- first draws below the fold wait for the plots in view ------------------------------
  // Gradio draws a tab's plots as they mount, in one task, in no order of place (~30-350 ms
  // each): the Step tab drew its units, at the page's foot, before the equation in view, and
  // nothing was painted until all were drawn. A plot's first draw waits instead until the
  // end of that task: then the plots in view are drawn, top first (one measure of the page
  // for them all), and the ones below the fold wait in a queue, drawn top first, one at a
  // time whenever the page is idle. A later figure for a waiting plot takes its place.
  const queue = new Map();  // graph div -> { self, args, draw, promise, settle }
  let sorting = false;
  let draining = false;

  function later(self, gd, args, draw) {
    let entry = queue.get(gd);
    if (!entry) {
      entry = {};
      entry.promise = new Promise((resolve, reject) => { entry.settle = { resolve, reject }; });
      queue.set(gd, entry);
    }
    Object.assign(entry, { self, args, draw });
    if (!sorting) {
      sorting = true;
      queueMicrotask(sort);
    }
    return entry.promise;
  }

  const topOf = (box) => (box ? box.top : -Infinity);  // a plot no longer on the page first

  // at the end of the task that mounted them: the waiting plots in view (or hidden, where
  // nothing is in view) drawn now, top first; the others when the page is idle
  function sort() {
    sorting = false;
    const boxes = new Map([...queue.keys()].map((gd) => [
      gd, gd.isConnected ? gd.getBoundingClientRect() : null]));
    const order = [...boxes.keys()].sort((a, b) => topOf(boxes.get(a)) - topOf(boxes.get(b)));
    for (const gd of order) {
      const box = boxes.get(gd);
      if (!box || box.width === 0 || box.top < window.innerHeight) drawQueued(gd);
    }
    if (queue.size && !draining) {
      draining = true;
      next();
    }
  }

  // when the page is idle (the next frame painted, Gradio's own work done; at the latest
  // 300 ms on), the queued plot nearest the top is drawn
  const idle = window.requestIdleCallback
    ? (work) => window.requestIdleCallback(work, { timeout: 300 })
    : (work) => requestAnimationFrame(() => setTimeout(work, 0));
  function next() {
    idle(() => {
      const waiting = [...queue.keys()];
      if (!waiting.length) {
        draining = false;
        return;
      }
      const top = (gd) => topOf(gd.isConnected ? gd.getBoundingClientRect() : null);
      drawQueued(waiting.reduce((a, b) => (top(b) < top(a) ? b : a)));
      next();
    });
  }

  function drawQueued(gd) {
    const { self, args, draw, settle } = queue.get(gd);
    queue.delete(gd);
    try {
      Promise.resolve(gd.isConnected ? draw.call(self, gd, ...args) : gd)
        .then(settle.resolve, settle.reject);
    } catch (error) {
      settle.reject(error);
    }
  }

  // Any waiting plot inside `node` drawn now (stepping.js, before it steps a plot: a slider
  // moved before its plots below the fold were drawn).
  function drawNow(node) {
    for (const gd of [...queue.keys()]) if (node && node.contains(gd)) drawQueued(gd);
  }

  function patch(plotly) {
    if (!plotly || plotly.__unrolledPatched) return;
    plotly.__unrolledPatched = true;
    const react = plotly.react;
    function draw(gd, data, layout, config, ...rest) {
      if (root.classList.contains("present") && layout && !scaled.has(layout)) {
        scaleFigure(data || [], layout, SCALE);
        scaled.add(layout);
      }
      config = Object.assign({}, config || {});
      for (const hook of hooks) if (hook.config) hook.config(gd, config);
      gd.__unrolledConfig = config;
      const out = react.call(this, gd, data, layout, config, ...rest);
      Promise.resolve(out).then(() => {
        for (const hook of hooks) if (hook.drawn) hook.drawn(gd);
      }).catch(() => { /* Plotly reports its own errors */ });
      return out;
    }
    plotly.react = function (gd, ...args) {
      // a first draw (or a new figure for one still waiting) waits for the task's end
      if (gd && (queue.has(gd) || (!gd._fullLayout && gd.isConnected))) {
        return later(this, gd, args, draw);
      }
      return draw.call(this, gd, ...args);
    };
    plotly.__unrolledReact = react;
  }

  // Gradio loads Plotly with the first figure and sets window.Plotly: patch it then, before
  // it draws anything.
  let plotly = window.Plotly;
  if (plotly) patch(plotly);
  else {
    try {
      Object.defineProperty(window, "Plotly", {
        configurable: true,
        get: () => plotly,
        set: (value) => { plotly = value; patch(value); },
      });
    } catch (error) { /* figures keep their fonts */ }
  }

  function rescaleAll(k) {
    if (!window.Plotly || !window.Plotly.__unrolledReact) return;
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      if (!gd.layout || !gd.data) continue;
      const on = k > 1;
      if (on === scaled.has(gd.layout)) continue;
      scaleFigure(gd.data, gd.layout, k);
      if (on) scaled.add(gd.layout); else scaled.delete(gd.layout);
      window.Plotly.__unrolledReact.call(window.Plotly, gd, gd.data, gd.layout,
                                         gd.__unrolledConfig);
    }
  }

  // -- folding long explanations ---------------------------------------------------------
  // The explanations are Gradio Markdown blocks with no elem_id; those with one are the
  // views' own text (numbers of the step shown), which stays whole.
  const SENTENCE = /[.!?](?=\s)/g;
  const NOT_AN_END = /(\bal|\be\.g|\bi\.e|\bvs|\bcf|\bFig|\bEq)$/;

  function lang() {
    const el = document.querySelector("#lang-probe");
    return el && el.textContent.trim() === "ko" ? "ko" : "en";
  }

  function fold(p) {
    p.dataset.folded = "1";
    for (const node of [...p.childNodes]) {
      if (node.nodeType !== Node.TEXT_NODE) continue;
      SENTENCE.lastIndex = 0;
      let m;
      while ((m = SENTENCE.exec(node.data))) {
        if (NOT_AN_END.test(node.data.slice(0, m.index))) continue;
        const rest = node.splitText(m.index + 1);
        const span = document.createElement("span");
        span.className = "fold-rest";
        let next = rest;
        while (next) {
          const after = next.nextSibling;
          span.appendChild(next);
          next = after;
        }
        if (!span.textContent.trim()) { p.append(...span.childNodes); return; }
        const button = document.createElement("button");
        button.type = "button";
        button.className = "fold-more";
        button.textContent = words[lang()].more;
        button.setAttribute("aria-expanded", "false");
        button.addEventListener("click", () => {
          const open = p.classList.toggle("unfolded");
          button.textContent = words[lang()][open ? "less" : "more"];
          button.setAttribute("aria-expanded", String(open));
        });
        p.append(button, span);
        return;
      }
    }
  }

  function foldAll() {
    for (const p of document.querySelectorAll(".prose p, .prose li")) {
      if (p.dataset.folded || p.textContent.length < 200) continue;
      const block = p.closest(".block");
      if (!block || block.id) continue;
      fold(p);
    }
  }

  let pending = null;
  new MutationObserver(() => {
    if (!root.classList.contains("fold") || pending) return;
    pending = setTimeout(() => { pending = null; foldAll(); }, 100);
  }).observe(root, { childList: true, subtree: true });

  function sync() {
    root.classList.toggle("fold", root.classList.contains("present") || phone.matches);
    root.classList.toggle("phone", phone.matches);
    if (root.classList.contains("fold")) foldAll();
    for (const gd of document.querySelectorAll(".js-plotly-plot")) caption(gd);
  }

  // -- a figure's title on a phone ----------------------------------------------------------
  // A figure there keeps a legible width and may scroll sideways in its own box, which would
  // hide the end of its title (where the key number is). On a phone the title is shown above
  // the box instead, as text that wraps to the screen (CSS hides Plotly's own); it follows
  // every redraw and every step shown in the page.
  // A figure's text (Plotly's HTML subset) as plain text: a subtitle (<br><sup>) after a
  // dash, an exponent after ^ (10<sup>-5</sup> is 10^-5, not 10-5)
  function plainText(html) {
    return String(html || "")
      .replace(/<br\s*\/?>\s*<sup>(.*?)<\/sup>/gi, " — $1")
      .replace(/<sup>(.*?)<\/sup>/gi, "^$1").replace(/<sub>(.*?)<\/sub>/gi, "_$1")
      .replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, "").replace(/\s+/g, " ").trim();
  }

  function titleText(gd) {
    const t = gd.layout && gd.layout.title;
    return plainText(t && typeof t === "object" ? t.text : t);
  }

  function caption(gd) {
    const box = gd.parentNode;
    if (!box || !box.parentNode) return;
    let note = box.previousElementSibling;
    if (!note || !note.classList.contains("figure-caption")) {
      if (!phone.matches) return;
      note = document.createElement("p");
      note.className = "figure-caption";
      if (box.id) note.id = `${box.id}-caption`;
      note.setAttribute("aria-hidden", "true");  // the figure's summary says it already
      box.parentNode.insertBefore(note, box);
    }
    note.textContent = phone.matches ? titleText(gd) : "";
  }

  onPlot({
    drawn(gd) {
      caption(gd);
      if (gd.__unrolledCaption || !gd.on) return;
      gd.__unrolledCaption = true;
      gd.on("plotly_afterplot", () => caption(gd));
      gd.on("plotly_relayout", () => caption(gd));
      gd.addEventListener("unrolled:step", () => caption(gd));
    },
  });
  phone.addEventListener("change", sync);
  sync();

  // The presenter-mode button: on or off, kept in the address (present=1).
  function present() {
    const on = root.classList.toggle("present");
    sync();
    rescaleAll(on ? SCALE : 1 / SCALE);
    if (window.unrolledLinks) window.unrolledLinks.setKey("present", on ? "1" : null);
    const button = document.querySelector("#present-toggle");
    if (button) button.setAttribute("aria-pressed", String(on));
  }

  return { present, scaleFonts, onPlot, lang, plainText, drawNow };
})();
