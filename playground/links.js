// Links that hold every setting (playground/links.py). The address bar always holds the view:
// ?tab=<id>, the tab's settings that differ from their defaults, and a teacher's keys (lang,
// lock, hide, tabs, present), which stay as they came.
window.unrolledLinks = window.unrolledLinks || (() => {
  const start = new URLSearchParams(window.location.search);
  const root = document.documentElement;

  // ?lang=ko|en: the page's language. Gradio has picked one from navigator.language by the
  // time it adds this script (the page's head) to the page: switch it as its Settings dialog
  // does, with changeLocale from Gradio's own core module (already loaded: the same one).
  const lang = (start.get("lang") || "").toLowerCase();
  if (lang === "ko" || lang === "en") {
    const code = lang === "ko" ? "ko-KR" : "en-US";
    try {  // for what reads the browser's language later (the first views' request)
      Object.defineProperty(navigator, "language", { get: () => code, configurable: true });
      Object.defineProperty(navigator, "languages", { get: () => [code], configurable: true });
    } catch (error) { /* the browser's own language stays */ }
    const core = performance.getEntriesByType("resource").map((e) => e.name)
      .find((name) => /\/assets\/core-[\w-]+\.js(\?|$)/.test(name));
    if (core) {
      import(core).then((m) => m.changeLocale && m.changeLocale(lang))
        .catch(() => { /* the page stays in the browser's language */ });
    }
  }

  // kept as they came (a lesson's keys: as its steps set them)
  const RESERVED = ["lang", "lock", "hide", "tabs", "present", "lesson", "lesson_step", "room"];
  let table = null;   // per tab, per key: {kind, default, labels} (links.table)
  let tab = null;     // the tab shown
  let query = "";     // the link the page was opened with
  let opened = false; // the link read (until then the address is not written)
  let waiting = false;
  let timer = null;
  const values = {};  // per tab, per key: the value shown

  function define(t) {
    table = t;
    const ids = Object.keys(t);
    const only = (start.get("tabs") || "").split(",").filter((id) => ids.includes(id));
    const asked = start.get("tab");
    tab = ids.includes(asked) && (!only.length || only.includes(asked)) ? asked
      : (only[0] || ids[0]);
    if (only.length) {  // ?tabs=a,b: the other tabs' titles are not shown
      const style = document.createElement("style");
      const keep = only.map((id) => `:not([data-tab-id="${CSS.escape(id)}"])`).join("");
      style.textContent = `button[role="tab"][data-tab-id]${keep} { display: none !important; }`;
      document.head.appendChild(style);
    }
    if (waiting) open();
    // and if the page's first views never say they are shown, open the link all the same
    setTimeout(() => { if (!opened) open(); }, 4000);
  }

  // The value as the address writes it, or undefined at the setting's default.
  function written(spec, v) {
    if (v === null || v === undefined) return undefined;
    if (spec.kind === "flag") return Boolean(v) === spec.default ? undefined : String(Boolean(v));
    if (spec.kind === "int" || spec.kind === "float") {
      const n = Number(v);
      if (!Number.isFinite(n)) return undefined;
      return spec.default !== null && n === Number(spec.default) ? undefined : String(n);
    }
    if (spec.kind === "choice" && spec.labels[v] !== undefined) v = spec.labels[v];
    return String(v) === String(spec.default) ? undefined : String(v);
  }

  function href() {
    const now = new URLSearchParams(window.location.search);
    const out = new URLSearchParams();
    const ids = table ? Object.keys(table) : [];
    if (tab) out.set("tab", tab);
    const specs = (table && table[tab]) || {};
    const shown = values[tab] || {};
    for (const key of Object.keys(specs)) {  // in the settings table's order
      const w = key in shown ? written(specs[key], shown[key]) : undefined;
      if (w !== undefined) out.set(key, w);
    }
    for (const key of RESERVED) if (now.has(key)) out.set(key, now.get(key));
    let q = out.toString();
    // the first tab at its defaults is the bare address
    if (!window.location.search && q === `tab=${ids[0]}`) q = "";
    return window.location.pathname + (q ? `?${q}` : "") + window.location.hash;
  }

  function write() {
    clearTimeout(timer);
    timer = null;
    const next = href();
    if (next !== window.location.pathname + window.location.search + window.location.hash) {
      const before = window.location.href.split("#")[0];
      try { history.replaceState(history.state, "", next); } catch (error) { return; }
      rebase(before, window.location.href.split("#")[0]);
    }
  }

  // Plotly names its clip paths and gradients by the page's whole address when the page has
  // a <base> (Gradio's has): url('<address>#clip1'). Once the address changes, those point to
  // another document, which the browser asks the server for, and the clipping is lost. Point
  // every plot (and what it draws next) at the new address.
  function rebase(before, after) {
    if (before === after) return;
    for (const gd of document.querySelectorAll(".js-plotly-plot")) {
      if (gd._context && gd._context._baseUrl) gd._context._baseUrl = after;
      for (const el of gd.querySelectorAll("[clip-path], [style*='url(']")) {
        for (const name of ["clip-path", "style"]) {
          const value = el.getAttribute(name);
          if (value && value.includes(before)) el.setAttribute(name, value.split(before).join(after));
        }
      }
    }
  }

  // A control of tab t shows v (its change event): the address follows, a moment later.
  function set(t, key, v) {
    (values[t] = values[t] || {})[key] = v;
    if (opened && t === tab) {
      clearTimeout(timer);
      timer = setTimeout(write, 150);
    }
  }

  // A tab's title was selected. Until the link is open, Gradio's own selecting (it selects
  // the first tab as it sets up the tabs) must not replace the link's tab.
  function select(t) {
    if (!opened) return;
    tab = t;
    write();
  }

  // The page's first views are shown: apply the link it was opened with (its tab's hidden
  // button runs links.apply, then the tab's draws), and from now on write every change.
  function open() {
    if (!table) { waiting = true; return; }
    if (opened) return;
    waiting = false;
    query = window.location.search;
    opened = true;
    // (a link that only opens a tab makes the call too: the server's choice of tab is what
    // held under load, the page's clicks on a title alone sometimes did not)
    // a class's link (the student joins: its step opens its tab), or a lesson's
    for (const [key, id] of [["room", "room-auto"], ["lesson", "lesson-resume"]]) {
      if (!start.get(key)) continue;
      const button = document.querySelector(`#${id} button, button#${id}`);
      if (button) { button.click(); return; }
    }
    if ([...start.keys()].some((key) => !["lang", "present"].includes(key))) press(3);
  }

  // The lesson and step (from 1) the page was opened with, if any.
  function lesson() {
    return [start.get("lesson") || "", Number(start.get("lesson_step")) || 1];
  }

  // Open a lesson's step (lessons/panel.py): its link applied as a link is (its tab's hidden
  // button: links.apply, then the tab's draws), the lesson in the address, and, once the
  // view is drawn, its figure scrolled to and outlined.
  let last = null;  // the step opened last (a class's tick opens a step only when new)
  function go(step, onlyNew = false) {
    const t = new URLSearchParams(step.link).get("tab");
    if (!table || !table[t]) return;
    const key = JSON.stringify(step);
    if (onlyNew && key === last) return;
    last = key;
    tab = t;
    query = `?${step.link}`;
    delete root.dataset.link;
    root.classList.add("in-lesson");
    setKey("lesson", step.lesson);
    setKey("lesson_step", String(step.step));
    const button = document.querySelector(`#link-apply-${t} button, button#link-apply-${t}`);
    if (button) button.click();
    const since = Date.now();
    const point = () => {
      if (root.dataset.link !== "shown" && Date.now() - since < 60000) {
        setTimeout(point, 100);
        return;
      }
      for (const el of document.querySelectorAll(".lesson-focus")) {
        el.classList.remove("lesson-focus");
      }
      const el = document.getElementById(step.figure);
      if (!el) return;
      el.classList.add("lesson-focus");
      // the figure at the top of the window, above the lesson's card (fixed at the bottom),
      // with its title if a phone shows that above it (page.js)
      const above = el.previousElementSibling;
      const anchor = above && above.classList.contains("figure-caption") && above.textContent
        ? above : el;
      window.scrollTo({ top: anchor.getBoundingClientRect().top + window.scrollY - 12,
                        behavior: "smooth" });
    };
    point();
  }

  // Keep the link's tab open while the page starts (for 20 s: Gradio may re-render the tabs
  // as it sets the first views, and select the first again), until the user picks a tab.
  let userChose = false;
  document.addEventListener("click", (event) => {
    if (event.isTrusted && event.target.closest && event.target.closest('button[role="tab"]')) {
      userChose = true;
    }
  }, true);

  function openTab(tries = 40) {
    if (userChose) return;
    const title = document.querySelector(`button[role="tab"][data-tab-id="${tab}"]`);
    if (title && title.getAttribute("aria-selected") !== "true") title.click();
    if (tries > 1) setTimeout(() => openTab(tries - 1), 500);
  }

  // Open the link's tab as a click on its title would, and press its hidden button (again
  // after a while if the page was not ready to take the press: the call never began).
  let applied = false;
  function press(tries) {
    openTab();
    const button = document.querySelector(`#link-apply-${tab} button, button#link-apply-${tab}`);
    if (button) button.click();
    if (tries > 1) setTimeout(() => { if (!applied) press(tries - 1); }, 8000);
  }

  // "Copy link": the address, copied if the browser lets the page (a secure page, a click).
  async function copy(words, lang) {
    write();
    const url = window.location.href;
    const w = words[lang] || words.en;
    try {
      await navigator.clipboard.writeText(url);
      return `${w.link_copied} <${url}>`;
    } catch (error) {
      return `${w.link_select} <${url}>`;
    }
  }

  // A key of the link itself (present=1) set, or removed with null; the rest stays.
  function setKey(key, value) {
    const q = new URLSearchParams(window.location.search);
    if (value === null) q.delete(key);
    else q.set(key, value);
    const before = window.location.href.split("#")[0];
    const next = window.location.pathname + (q.size ? `?${q}` : "") + window.location.hash;
    try { history.replaceState(history.state, "", next); } catch (error) { return; }
    rebase(before, window.location.href.split("#")[0]);
  }

  // The link's call has begun (links.py chains this to its button's event, in the page).
  function began() { applied = true; }

  // The link's view is drawn (chained after the tab's draws).
  function shown() { root.dataset.link = "shown"; }

  return { define, set, select, open, copy, href, setKey, began, shown, go, lesson,
           room: () => start.get("room") || "",
           query: () => query,
           current: () => tab };
})();
