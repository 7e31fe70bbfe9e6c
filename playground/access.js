// Access: what CSS alone cannot do for the page's keyboard and screen-reader users.
// - Code (CodeMirror's themes, inside gr.Code) colours some tokens below WCAG AA (light:
//   numbers 2.8:1, keywords 4.0:1 on white) in classes whose names are generated: each such
//   token is moved, in its own hue, away from its background (darker on a light one, lighter
//   on a dark one) until it reaches 4.5:1.
// (Figures' text summaries, for screen readers, are in figure_export.js.)
// - Hidden helpers (the language probe, the buttons the page presses itself) are taken out of
//   the tab order and of what a screen reader reads; JS's .click() still presses them.
(() => {
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  const rgb = (css) => (css.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const ratio = (a, b) => (Math.max(lum(a), lum(b)) + 0.05) / (Math.min(lum(a), lum(b)) + 0.05);
  const background = (el) => {  // the first opaque background behind el
    for (let e = el; e; e = e.parentElement) {
      const bg = getComputedStyle(e).backgroundColor;
      const alpha = bg.startsWith('rgba') ? parseFloat(bg.split(',')[3]) : 1;
      if (alpha > 0.5) return rgb(bg);
    }
    return [255, 255, 255];
  };
  // `all`: every token again, not only those not yet seen (a token's colour can change after
  // it was first drawn: CodeMirror's highlighting and its theme's rules arrive in their own time)
  const fixCode = (root, all = false) => {
    const which = all ? '.cm-content span' : '.cm-content span:not([data-ink])';
    const spans = [...root.querySelectorAll(which)];
    if (root.matches && root.matches(which)) spans.push(root);
    if (!all && spans.length) recheckSoon();  // new tokens: look again soon
    for (const span of spans) {
      span.dataset.ink = '1';
      let c = rgb(getComputedStyle(span).color);
      const bg = background(span);
      if (c.length < 3 || ratio(c, bg) >= 4.5) continue;
      const dark = lum(bg) < 0.18;  // on a dark background, towards white
      for (let i = 0; i < 60 && ratio(c, bg) < 4.5; i++) {
        c = c.map((v) => (dark ? v + (255 - v) * 0.06 : v * 0.95));
      }
      span.style.color = `rgb(${c.map(Math.round).join(',')})`;
    }
  };
  // after code was drawn, every token is looked at again twice (the latest after 2 s)
  let rechecks = [];
  const recheckSoon = () => {
    if (rechecks.length) return;
    rechecks = [400, 2000].map((ms) => setTimeout(() => {
      if (ms === 2000) rechecks = [];
      for (const content of document.querySelectorAll('.cm-content')) fixCode(content, true);
    }, ms));
  };
  const HELPERS = '#lang-probe, .visually-hidden, #relang, [id^="link-apply-"]';
  const hideHelpers = (root) => {
    const found = [...root.querySelectorAll(HELPERS)];
    if (root.matches && root.matches(HELPERS)) found.push(root);
    for (const el of found) {
      el.setAttribute('aria-hidden', 'true');
      for (const f of [el, ...el.querySelectorAll('button, input, textarea, a, [tabindex]')]) {
        if (f.matches('button, input, textarea, a, [tabindex]')) f.tabIndex = -1;
      }
    }
  };
  // Only what was added since the last pass is looked at (Gradio builds the page in
  // thousands of insertions: a pass over the whole page each frame slowed its first plot).
  let queued = false;
  let added = [];
  const sweep = () => {
    queued = false;
    const roots = added;
    added = [];
    for (const root of roots) {
      if (!root.isConnected) continue;
      fixCode(root);
      hideHelpers(root);
    }
  };
  const start = () => {
    added.push(document.body);
    sweep();
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1) added.push(node);
          else if (node.parentElement) added.push(node.parentElement);  // a token's text
        }
      }
      if (!queued && added.length) { queued = true; requestAnimationFrame(sweep); }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
