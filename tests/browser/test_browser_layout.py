"""The page's shapes in a real browser (Chromium): phones (390x844) and presenter mode for a
projector (1024x768, 1280x720), in English and Korean, on every tab: no sideways scroll of the
page, no text over other text, the figures first, long explanations folded.

Uses the helpers of ``test_browser.py`` (Chromium's path, the ``browser`` fixture).
"""

from __future__ import annotations

import pytest

from playground.style import FONT_SIZE

from .test_browser import browser, expect, opened  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TABS = {"topologies": "topology-diagram", "step": "st-equation", "bptt": "bp-profile",
        "seq2seq": "s2s-by-length"}

# Text elements whose boxes may not overlap (leaves with their own text), visible on screen
OVERLAPS_JS = """(root) => {
  const tags = 'p, li, label, button, h1, h2, h3, td, th, span, a, code, strong, em';
  const boxes = [];
  for (const el of (root ? document.querySelector(root) : document).querySelectorAll(tags)) {
    const skip = '.js-plotly-plot, .cm-editor, footer, [aria-hidden=true], .visually-hidden';
    if (el.closest(skip + ', #lang-probe')) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
    if (!own) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    // one box per line of an inline element (its bounding box would span the lines)
    for (const r of el.getClientRects()) if (r.width >= 1 && r.height >= 1) boxes.push([el, r]);
  }
  const out = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, ra] = boxes[i], [b, rb] = boxes[j];
      if (a === b || a.contains(b) || b.contains(a)) continue;
      const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
      const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
      if (w > 3 && h > 3) out.push([a.textContent.slice(0, 40), b.textContent.slice(0, 40)]);
    }
  }
  return out.slice(0, 5);
}"""


def _no_sideways_scroll_nor_overlap(page, width):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    assert page.evaluate(OVERLAPS_JS) == []
    # a slider's ends are one line each (not "0." over "9")
    assert page.evaluate("""() => [...document.querySelectorAll('.min_value, .max_value')]
        .filter((e) => e.offsetParent && e.getBoundingClientRect().height >
                 1.6 * parseFloat(getComputedStyle(e).lineHeight || 20))
        .map((e) => e.textContent)""") == []


def _shown(page, plot_id):
    tab = next(t for t, p in TABS.items() if p == plot_id)
    expect(page.locator(f"button[role=tab][data-tab-id={tab}]")).to_have_attribute(
        "aria-selected", "true", timeout=60_000)
    plot = page.locator(f"#{plot_id} .js-plotly-plot")
    expect(plot).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)
    return plot


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
@pytest.mark.parametrize("tab", list(TABS))
def test_phone(browser, app_url, tab, locale):  # noqa: F811
    with opened(browser, app_url, locale, query=f"?tab={tab}", viewport=(390, 844)) as page:
        plot = _shown(page, TABS[tab])
        _no_sideways_scroll_nor_overlap(page, 390)
        # every tab's title is shown (none behind a "..." menu)
        for t in TABS:
            expect(page.locator(f"button[role=tab][data-tab-id={t}]")).to_be_visible()
        # the figure comes before the tab's controls; a wide figure scrolls in its own box
        first_control = page.locator("input[type=radio], input[type=range]").locator(
            "visible=true").first
        assert plot.bounding_box()["y"] < first_control.bounding_box()["y"]
        # the title, where the key number is, is text above the figure that wraps to the
        # screen (Plotly's own, in the figure's box, would be cut where the box scrolls)
        title = page.evaluate("(id) => (document.querySelector('#' + id + ' .js-plotly-plot')"
                              ".layout.title || {}).text || ''", TABS[tab])
        if title:  # (the diagram's title is its block's label)
            caption = page.locator(f"#{TABS[tab]}-caption")
            expect(caption).to_be_visible()
            assert caption.text_content()[:10] == title[:10]
            box = caption.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        # long explanations (the other tabs open with one) are folded to their first
        # sentence; "more" unfolds one
        if tab == "topologies":
            return
        more = page.locator(".fold-more").locator("visible=true").first
        expect(more).to_be_visible()
        rest = more.locator("xpath=following-sibling::span[@class='fold-rest']")
        expect(rest).to_be_hidden()
        more.click()
        expect(rest).to_be_visible()
        _no_sideways_scroll_nor_overlap(page, 390)


@pytest.mark.parametrize("size,locale", [((1024, 768), "en-US"), ((1280, 720), "ko-KR")])
@pytest.mark.parametrize("tab", list(TABS))
def test_presenter_mode(browser, app_url, tab, size, locale):  # noqa: F811
    width, height = size
    with opened(browser, app_url, locale, query=f"?tab={tab}&present=1",
                viewport=(width, height)) as page:
        plot = _shown(page, TABS[tab])
        assert "present" in page.evaluate("() => document.documentElement.className")
        _no_sideways_scroll_nor_overlap(page, width)
        font = lambda: page.evaluate(  # noqa: E731
            "(id) => document.querySelector('#' + id + ' .js-plotly-plot').layout.font.size",
            TABS[tab])
        scaled = font()
        assert scaled >= FONT_SIZE  # the figure's own size (16, or 14 for some), times 1.3
        # one column, the figure first: the figure starts on the first screen
        assert plot.bounding_box()["y"] < height
        # the button turns it off: figures at their own size, the address without present
        page.locator("#present-toggle").click()
        page.wait_for_function("() => !document.documentElement.classList.contains('present')")
        expect(page.locator("#present-toggle")).to_have_attribute("aria-pressed", "false")
        assert font() == pytest.approx(scaled / 1.3)
        assert "present" not in page.url
        page.locator("#present-toggle").click()
        assert font() == pytest.approx(scaled)
        assert "present=1" in page.url
