"""Access in Chromium: axe-core on every tab (English and Korean), and the keyboard.

axe-core comes from PyPI with ``axe-playwright-python`` (the test extra), which ships its
``axe.min.js`` (4.12 in 0.1.8): nothing fetched from a CDN or npm when the tests run.
"""

from __future__ import annotations

import re

import axe_playwright_python.sync_playwright as axe_sync  # the test extra
import pytest

from .test_browser import (  # noqa: F401 - fixtures, marks
    browser,
    expect,
    opened,
    pytestmark,
    settled,
)

# each tab's first figure in view
TABS = {"topologies": "#topology-diagram", "step": "#st-equation", "bptt": "#bp-profile",
        "seq2seq": "#s2s-by-length"}


def _shown(page, tab: str) -> None:
    expect(page.locator(TABS[tab] + " .js-plotly-plot")).to_be_visible(timeout=60_000)
    settled(page)  # the plots below the fold too
    page.wait_for_timeout(1000)  # access.js's pass over them


@pytest.mark.parametrize("locale,theme", [("en-US", "light"), ("ko-KR", "light"),
                                          ("en-US", "dark")])
def test_axe_finds_nothing_serious_on_any_tab(browser, app_url, locale, theme):  # noqa: F811
    axe = axe_sync.Axe()
    found, summaries = {}, {}
    for tab in TABS:
        with opened(browser, app_url, locale, query=f"?tab={tab}&__theme={theme}") as page:
            _shown(page, tab)
            assert page.evaluate("() => document.body.classList.contains('dark')") == (
                theme == "dark")
            violations = axe.run(page).response["violations"]
            if theme == "light":
                summaries[tab] = page.evaluate(SUMMARIES_JS)
        found[tab] = violations
    serious = {tab: [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:5]])
                     for v in vs if v["impact"] in ("serious", "critical")]
               for tab, vs in found.items()}
    others = {tab: sorted({(v["id"], v["impact"]) for v in vs
                           if v["impact"] not in ("serious", "critical")})
              for tab, vs in found.items()}
    assert not any(serious.values()), f"serious or critical: {serious}\nothers: {others}"
    # every figure shown is a figure to a screen reader, named by a summary with its numbers
    for tab, shown in summaries.items():
        assert len(shown) >= 2, (tab, shown)
        for elem_id, role, text, traces in shown:
            assert role == "figure" and text, (tab, elem_id, text)
            # a figure with data says numbers (an empty one says what will appear)
            assert re.search(r"\d", text) or not traces, (tab, elem_id, text)


SUMMARIES_JS = """() => [...document.querySelectorAll('.js-plotly-plot')]
  .filter((g) => g.offsetParent).map((g) => [g.closest('[id]')?.id, g.getAttribute('role'),
    document.getElementById(g.getAttribute('aria-labelledby'))?.textContent,
    g.data.length])"""


# what a focus ring needs to be seen: an outline or a box shadow, 2px or more
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  let opacity = 1;  // Plotly's toolbar is transparent until hovered: it must show on focus
  for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
  return {tag: el.tagName, id: el.id, cls: String(el.className).slice(0, 60),
          label: (el.getAttribute('aria-label') || el.textContent || el.type || '').trim()
                 .slice(0, 30),
          outline: s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0,
          shadow: s.boxShadow !== 'none', w: r.width, h: r.height, opacity,
          hidden: !!el.closest('[aria-hidden="true"]')};
}"""


def test_the_step_tab_works_by_keyboard_with_a_visible_focus(browser, app_url):  # noqa: F811
    with opened(browser, app_url, "en-US", query="?tab=step") as page:
        _shown(page, "step")
        page.locator("body").click(position={"x": 5, "y": 5})
        stops, unseen = [], []
        for _ in range(60):
            page.keyboard.press("Tab")
            got = page.evaluate(FOCUS_JS)
            if got is None:
                continue
            stops.append(got)
            visible = (got["w"] > 2 and got["h"] > 2 and not got["hidden"]
                       and got["opacity"] > 0.5)
            if not visible or (got["outline"] < 2 and not got["shadow"]):
                unseen.append(got)
        assert len(stops) >= 20
        assert any("modebar-btn" in stop["cls"] for stop in stops)  # a plot's toolbar reached
        assert not unseen, f"focused with nothing to see: {unseen}"

        # the time-step slider moves with the arrow keys, and the step shown follows
        slider = page.locator("#st-step input[type=range]")
        text = page.locator("#st-step-text")
        expect(text).to_contain_text("Step t = 1", timeout=30_000)
        slider.focus()
        assert page.evaluate(FOCUS_JS)["outline"] >= 2
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(text).to_contain_text("Step t = 3", timeout=30_000)
        page.keyboard.press("ArrowLeft")
        expect(text).to_contain_text("Step t = 2", timeout=30_000)
        # the equation's summary follows the step shown
        expect(page.locator("#st-equation .figure-summary")).to_contain_text(
            "Step t = 2", timeout=30_000)


def test_a_code_token_whose_colour_changes_after_it_is_drawn_is_fixed_again(
        browser, app_url):  # noqa: F811
    """access.js looks at a code box's tokens again after they are drawn: CodeMirror's
    highlighting and its theme's rules may colour a token after access.js first saw it."""
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-code .cm-content span").first).to_be_attached(
            timeout=60_000)
        ratio = """() => {
          const lin = (c) => { c /= 255;
                               return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
          const lum = (css) => { const [r, g, b] = css.match(/[\\d.]+/g).map(Number);
                                 return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b); };
          const fg = lum(getComputedStyle(document.querySelector('#late-token')).color);
          return (1 + 0.05) / (fg + 0.05);  // on the code box's white
        }"""
        page.evaluate(f"""() => {{
          // a code box's content as CodeMirror writes it (outside CodeMirror, which would put
          // back its own lines)
          const content = document.createElement('div');
          content.className = 'cm-content';
          content.style.background = 'white';
          content.innerHTML = '<div class="cm-line"><span id="late-token">late</span></div>';
          document.querySelector('#topology-code').after(content);
          // its theme's colour arrives after access.js saw it (next frame): 1.5:1 on white,
          // measured as it arrives (a page still busy drawing runs timers late: a fixed wait
          // could look before it came)
          setTimeout(() => {{
            const style = document.createElement('style');
            style.textContent = '#late-token {{ color: #cccccc; }}';
            document.head.appendChild(style);
            window.lateRatio = ({ratio})();
          }}, 100);
        }}""")
        page.wait_for_function("() => window.lateRatio !== undefined", timeout=10_000)
        assert page.evaluate("window.lateRatio") < 2  # the late rule was in force
        page.wait_for_function(f"({ratio})() >= 4.5", timeout=5_000)
