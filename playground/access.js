// Access: what CSS alone cannot do for the page's keyboard and screen-reader users.
// - Code (CodeMirror's themes, inside gr.Code) colours some tokens below WCAG AA (light:
//   numbers 2.8:1, keywords 4.0:1 on white) in classes whose names are generated: each such
//   token is moved, in its own hue, away from its background (darker on a light one, lighter
//   on a dark one) until it reaches 4.5:1.
// - Figures: a screen reader reads each plot as a figure, named by a short text summary made
//   from the figure itself (its title, axes, each series' size and range, its notes), kept up
//   to date as the figure changes (a step moved in the browser, a new view).
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
  const fixCode = (root) => {
    for (const span of root.querySelectorAll('.cm-content span:not([data-ink])')) {
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
  const HELPERS = '#lang-probe, .visually-hidden, #relang, [id^="link-apply-"]';
  const hideHelpers = (root) => {
    for (const el of root.querySelectorAll(HELPERS)) {
      el.setAttribute('aria-hidden', 'true');
      for (const f of [el, ...el.querySelectorAll('button, input, textarea, a, [tabindex]')]) {
        if (f.matches('button, input, textarea, a, [tabindex]')) f.tabIndex = -1;
      }
    }
  };
  const WORDS = {
    en: {figure: 'Figure', x: 'x', y: 'y', points: 'points', from: 'from', to: 'to',
         last: 'last', bars: 'bars', largest: 'largest', heatmap: 'heatmap', of: '×',
         values: 'values', notes: 'notes'},
    ko: {figure: '그림', x: 'x축', y: 'y축', points: '점', from: '', to: '~', last: '마지막',
         bars: '막대', largest: '최대', heatmap: '히트맵', of: '×', values: '값', notes: '주석'},
  };
  const words = () => {
    const probe = document.querySelector('#lang-probe');
    return WORDS[probe && probe.textContent.trim() === 'ko' ? 'ko' : 'en'];
  };
  const plainText = (html) => String(html || '').replace(/<br\s*\/?>/gi, ' ')
    .replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
  const values = (v, out = []) => {  // every finite number in v (nested, typed arrays too)
    if (v && v._inputArray !== undefined) v = v._inputArray;
    if (ArrayBuffer.isView(v) || Array.isArray(v)) {
      for (const x of v) values(x, out);
    } else if (typeof v === 'number' && Number.isFinite(v)) out.push(v);
    return out;
  };
  const count = (v) => (v && v._inputArray !== undefined ? v._inputArray : v || []).length;
  const num = (x) => (Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3)
    ? x.toExponential(2) : String(+x.toPrecision(3)));
  const range = (w, xs) => [w.from, num(Math.min(...xs)), w.to, num(Math.max(...xs))]
    .filter(Boolean).join(' ');
  const titleOf = (t) => plainText(t && typeof t === 'object' ? t.text : t);
  const summary = (gd) => {
    const w = words();
    const lay = gd.layout || {};
    const parts = [];
    const title = titleOf(lay.title);
    parts.push(title ? `${w.figure}: ${title}` : w.figure);
    const notes = (lay.annotations || []).map((a) => plainText(a.text)).filter(Boolean);
    if (lay.xaxis && lay.xaxis.visible === false) {  // a diagram: what its boxes say
      parts.push([...new Set(notes)].slice(0, 24).join(', '));
      return parts.join('. ').slice(0, 600);
    }
    const xt = titleOf(lay.xaxis && lay.xaxis.title), yt = titleOf(lay.yaxis && lay.yaxis.title);
    if (xt || yt) parts.push([xt && `${w.x} ${xt}`, yt && `${w.y} ${yt}`].filter(Boolean)
      .join(', '));
    for (const t of gd.data || []) {
      if (t.visible === false || t.visible === 'legendonly') continue;
      const name = plainText(t.name);
      if (t.type === 'heatmap') {
        const z = t.z && t.z._inputArray !== undefined ? t.z._inputArray : t.z;
        const zs = values(z);
        if (!zs.length) continue;
        const rows = count(z);
        parts.push(`${name ? name + ': ' : ''}${w.heatmap} ${rows} ${w.of} ` +
                   `${rows ? zs.length / rows : 0}, ${w.values} ${range(w, zs)}`);
      } else if (t.type === 'bar') {
        const ys = values(t.orientation === 'h' ? t.x : t.y);
        const labels = t.orientation === 'h' ? t.y : t.x;
        if (!ys.length) continue;
        const k = ys.indexOf(Math.max(...ys));
        const at = Array.isArray(labels) && labels[k] !== undefined ? ` (${labels[k]})` : '';
        parts.push(`${name ? name + ': ' : ''}${ys.length} ${w.bars}, ${w.largest} ` +
                   `${num(ys[k])}${at}`);
      } else if (!String(t.mode || 'lines').match(/lines|markers/)) {
        continue;  // text placed on the figure (operators, labels): no series
      } else {
        const ys = values(t.type === 'histogram' ? t.x : t.y);
        if (ys.length < 2) continue;
        parts.push(`${name ? name + ': ' : ''}${ys.length} ${w.points}, ${range(w, ys)}, ` +
                   `${w.last} ${num(ys[ys.length - 1])}`);
      }
    }
    const numbered = notes.filter((t) => /\d/.test(t)).slice(0, 4);  // σ_max = 0.9, ...
    if (numbered.length) parts.push(`${w.notes}: ${numbered.join('; ')}`);
    return parts.join('. ').slice(0, 600);
  };
  let figures = 0;
  const describe = (gd) => {
    if (!gd.dataset.summary) {
      gd.dataset.summary = `figure-summary-${++figures}`;
      const p = document.createElement('p');
      p.id = gd.dataset.summary;
      p.className = 'sr-only';
      gd.parentElement.insertBefore(p, gd);
      gd.setAttribute('role', 'figure');
      gd.setAttribute('aria-labelledby', p.id);
      if (gd.on) gd.on('plotly_afterplot', () => describe(gd));
    }
    const p = document.getElementById(gd.dataset.summary);
    if (p) {
      const text = summary(gd);
      if (p.textContent !== text) p.textContent = text;
    }
  };
  let queued = false;
  const sweep = () => {
    queued = false;
    fixCode(document);
    hideHelpers(document);
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      if (gd.data && !gd.dataset.summary) describe(gd);  // then on each of its redraws
    }
  };
  const start = () => {
    sweep();
    new MutationObserver(() => {
      if (!queued) { queued = true; requestAnimationFrame(sweep); }
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
