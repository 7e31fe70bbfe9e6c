"""The page in a real browser (Playwright driving Debian's Chromium), in English and Korean.

Skipped with a reason where Chromium is missing, except when UNROLLED_REQUIRE_BROWSER=1 (set by
.ci/run), where a missing browser is a failure.
"""

from __future__ import annotations

import base64
import math
import os
import re
import shutil
import time
from contextlib import contextmanager

import numpy as np
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    if os.environ.get("UNROLLED_REQUIRE_BROWSER") == "1":
        raise RuntimeError("browser tests are required here but Chromium is not installed "
                           "(apt-get install -y chromium fonts-nanum)")
    pytest.skip("Chromium is not installed (apt-get install -y chromium fonts-nanum)",
                allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

TEXTS = {
    "en-US": {"title": "how recurrent neural networks work", "model": "Pretrained",
              "topologies": ["One-to-one", "One-to-many", "Many-to-one", "Encoder-decoder",
                             "Many-to-many (aligned)"],
              "explain": ["One-to-one", "One-to-many", "Many-to-one", "Encoder-decoder",
                          "Many-to-many, aligned"],
              "play": "Play"},
    "ko-KR": {"title": "순환 신경망은 어떻게", "model": "사전 학습된",
              "topologies": ["일대일 (one-to-one)", "일대다 (one-to-many)", "다대일 (many-to-one)",
                             "인코더-디코더 (encoder-decoder)", "다대다, 정렬형 (many-to-many)"],
              "explain": ["일대일", "일대다", "다대일", "인코더-디코더", "다대다, 정렬형"],
              "play": "재생"},
}


# a tab drawn: every plot shown is drawn (page.js draws those below the fold after the ones
# in view), and no output waits greyed out for its first value
SETTLED = """() => ![...document.querySelectorAll('.js-plotly-plot, [data-testid=plotly]')]
    .some((g) => g.offsetParent && !g.querySelector('.main-svg'))
  && !document.querySelector('.pending')"""


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the tab shown is drawn whole (:data:`SETTLED`)."""
    page.wait_for_function(SETTLED, timeout=timeout)


def quiet(page, sent: list, seconds: float = 2.0) -> None:
    """Wait until the page has sent no request (those ``sent`` records) for ``seconds``."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        n = len(sent)
        page.wait_for_timeout(seconds * 1000)
        if len(sent) == n:
            return
    raise AssertionError(f"the page kept sending requests: {sent[-3:]}")


def _plain(value):
    """Numbers as the comparison sees them: NaN is null, floats to 9 digits."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 9)
    return value


def _view(layout: dict, data: list[dict]) -> dict:
    return _plain({
        "title": (layout.get("title") or {}).get("text"),
        "shapes": [[s.get("opacity", 1), (s.get("line") or {}).get("color"),
                    (s.get("line") or {}).get("width"), s.get("visible", True), s.get("x0"),
                    s.get("x1")] for s in layout.get("shapes") or []],
        "labels": [[a.get("text"), (a.get("font") or {}).get("color")]
                   for a in layout.get("annotations") or []],
        "data": [[t.get("z"), t.get("text"), t.get("y"), (t.get("marker") or {}).get("color"),
                  t.get("zmin"), t.get("zmax")] for t in data]})


def shown_view(page, elem_id: str) -> dict:
    """What the browser draws now in the plot #elem_id: title, shapes, annotations and the
    traces' values, as plain lists."""
    got = page.evaluate("""(id) => {
        const el = document.querySelector('#' + id + ' .js-plotly-plot');
        // plotly keeps a typed array it was sent as {bdata, _inputArray}
        const plain = (v) => v && v._inputArray !== undefined ? plain(v._inputArray)
            : ArrayBuffer.isView(v) ? Array.from(v)
            : Array.isArray(v) ? v.map(plain) : v === undefined ? null : v;
        return {layout: JSON.parse(JSON.stringify(el.layout)),
                data: el.data.map(t => ({z: plain(t.z), text: plain(t.text), y: plain(t.y),
                    marker: t.marker ? {color: plain(t.marker.color)} : null,
                    zmin: plain(t.zmin), zmax: plain(t.zmax)}))};
    }""", elem_id)
    return _view(got["layout"], got["data"])


def shows(page, elem_id: str, want: dict, seconds: float = 5.0) -> bool:
    """Whether the plot #elem_id shows ``want`` (as ``shown_view`` reads it) within
    ``seconds``: a time step draws its first plot at once and the others a frame later."""
    deadline = time.monotonic() + seconds
    while True:
        if shown_view(page, elem_id) == want:
            return True
        if time.monotonic() > deadline:
            return False
        page.wait_for_timeout(50)


def server_view(fig) -> dict:
    """The same of a figure the server draws."""
    plain = fig.to_plotly_json()

    def lists(v):
        if hasattr(v, "tolist"):
            return v.tolist()
        if isinstance(v, dict) and "bdata" in v:  # plotly's typed array: base64 of the bytes
            values = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
            if "shape" in v:
                values = values.reshape([int(n) for n in str(v["shape"]).split(",")])
            return values.tolist()
        if isinstance(v, dict):
            return {k: lists(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [lists(x) for x in v]
        return v

    return _view(lists(plain["layout"]), lists(plain["data"]))


# stepping.js draws some steps in place (the traces' values, a title): what that draws, and
# what Plotly draws for the same figure from scratch (Plotly.redraw), read from the SVG, and
# what hovering the middle of each subplot says
_IN_PLACE = """async ([id, order]) => {
    const gd = document.querySelector('#' + id + ' .js-plotly-plot');
    const pause = () => new Promise((done) => setTimeout(done, 60));  // hover is throttled
    const drawn = async () => {
        const hover = [];
        for (const sp of gd._fullLayout._subplots.cartesian) {
            const {xaxis, yaxis} = gd._fullLayout._plots[sp];
            await pause();
            window.Plotly.Fx.hover(gd, {xpx: xaxis._length / 2, ypx: yaxis._length / 2}, sp);
            hover.push([...gd.querySelectorAll('.hoverlayer text')].map((t) => t.textContent));
            window.Plotly.Fx.unhover(gd);
        }
        return JSON.stringify({
            images: [...gd.querySelectorAll('.cartesianlayer image')].map(
                (i) => [i.getAttribute('href'), i.getAttribute('width'), i.getAttribute('x')]),
            paths: [...gd.querySelectorAll('.cartesianlayer path')].map(
                (p) => [p.getAttribute('d'), p.style.fill, p.style.stroke, p.style.opacity]),
            texts: [...gd.querySelectorAll('.cartesianlayer text')].map(
                (t) => [t.textContent, t.getAttribute('x'), t.getAttribute('y'),
                        t.getAttribute('transform'), t.style.fill]),
            title: [...gd.querySelectorAll('.gtitle')].map((t) => t.outerHTML),
            notes: [...gd.querySelectorAll('.annotation')].map((a) => a.outerHTML),
            shapes: [...gd.querySelectorAll('.shapelayer path')].map((p) => p.getAttribute('d')),
            hover});
    };
    const P = window.Plotly, calls = {restyle: 0, update: 0, relayout: 0};
    const spied = {redraw: P.redraw};
    for (const name of Object.keys(calls)) {
        spied[name] = P[name];
        P[name] = (...args) => { calls[name] += 1; return spied[name](...args); };
    }
    const out = [];
    try {
        for (const t of order) {
            window.unrolled.show(id, t);
            const inPlace = await drawn();
            await spied.redraw.call(P, gd);
            out.push({t, inPlace, redrawn: await drawn()});
        }
    } finally { Object.assign(P, spied); }
    return {steps: out, calls};
}"""


def drawn_in_place(page, elem_id: str, order: list[int]) -> dict:
    """Show the steps ``order`` of the plot #elem_id one after another, as stepping.js does;
    after each, what the page drew (the plot area's images, paths and texts, the title, the
    annotations, the shapes, what hovering says) and the same after Plotly redraws that
    figure from scratch; and how many times stepping called Plotly's restyle, update and
    relayout."""
    return page.evaluate(_IN_PLACE, [elem_id, order])


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@contextmanager
def opened(browser, app_url: str, locale: str, on_request=None, query: str = "",
           viewport: tuple[int, int] = (1400, 1000)):
    """A fresh page on the app (with the link ``query``) in a browser locale and a window of
    ``viewport`` pixels; no page error may happen on it. ``on_request`` sees every request
    the page makes, from the first."""
    ctx = browser.new_context(locale=locale, viewport={"width": viewport[0],
                                                       "height": viewport[1]})
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if on_request is not None:
        page.on("request", on_request)
    page.goto(app_url.rstrip("/") + "/" + query)
    try:
        yield page
        assert not errors, errors
    finally:
        ctx.close()


@pytest.mark.parametrize("locale", list(TEXTS))
def test_topologies_tab(browser, app_url, locale, tmp_path):
    words = TEXTS[locale]
    with opened(browser, app_url, locale) as page:
        expect(page.get_by_text(words["title"])).to_be_visible(timeout=30_000)
        diagram = page.locator("#topology-diagram .js-plotly-plot")
        expect(diagram).to_be_visible(timeout=30_000)  # the main figure, with no click
        model = page.locator("#topology-model")
        expect(model).to_contain_text(words["model"], timeout=30_000)

        for label, explain in zip(words["topologies"], words["explain"]):
            page.get_by_label(label, exact=True).check()
            expect(page.get_by_text(explain, exact=False).first).to_be_visible(timeout=30_000)
            expect(model).to_contain_text(words["model"], timeout=30_000)
            expect(diagram).to_be_visible()
            expect(page.locator(".toast-body")).to_have_count(0)

        # many-to-many "31524": play steps through time and the values of h_t change
        values = page.locator("#topology-step-values")
        expect(values).to_contain_text("h_1", timeout=30_000)
        first = values.inner_text()
        page.locator("#topology-play").click()
        expect(values).to_contain_text(re.compile(r"h_[2-5] "), timeout=30_000)
        assert values.inner_text() != first
        page.locator("#topology-pause").click()
        box = page.locator("#topology-step input[type=number]")  # typing a step also moves it
        box.fill("4")
        box.press("Enter")
        expect(values).to_contain_text("h_4 ", timeout=30_000)
        page.screenshot(path=str(tmp_path / f"topologies-{locale}.png"), full_page=True)


def test_switching_language_in_settings_switches_everything(browser, app_url):
    """Labels follow gradio's i18n; server-made text (explanations, figures) must follow too."""
    with opened(browser, app_url, "en-US") as page:
        model = page.locator("#topology-model")
        expect(model).to_contain_text("Pretrained", timeout=30_000)
        page.get_by_text("Settings").last.click()
        page.get_by_label("Language").first.click()
        page.get_by_text("한국어").first.click()
        page.mouse.click(100, 500)  # close the dialog
        expect(model).to_contain_text("사전 학습된", timeout=30_000)
        # every tab's title, not only the selected one's
        for title in ("시간 따라가기", "BPTT 기울기", "Seq2seq와 어텐션"):
            expect(page.get_by_role("tab", name=re.compile(title))).to_be_visible(
                timeout=30_000)
        # the radios still work after the switch (gradio sends their translated labels now)
        page.get_by_label("다대일 (many-to-one)", exact=True).check()
        expect(page.locator("#topology-input input, #topology-input textarea")).to_have_value(
            "(()())", timeout=30_000)
        expect(page.get_by_text("**다대일**", exact=False)).to_have_count(0)
        expect(page.get_by_text("괄호 문자열이 균형이 맞는가?", exact=False)).to_be_visible(
            timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)


@pytest.mark.parametrize("locale,tab,step1,later,untrained", [
    ("en-US", "Step through time", "Step t = 1", r"Step t = [2-5]", "random weights"),
    ("ko-KR", "시간 따라가기", "t = 1 단계", r"t = [2-5] 단계", "무작위 가중치"),
])
def test_step_through_time_tab(browser, app_url, locale, tab, step1, later, untrained,
                               tmp_path):
    with opened(browser, app_url, locale) as page:
        page.get_by_role("tab", name=re.compile(tab)).click()
        expect(page.locator("#st-equation .js-plotly-plot")).to_be_visible(timeout=30_000)
        text = page.locator("#st-step-text")
        expect(text).to_contain_text(step1, timeout=30_000)
        page.locator("#st-forward").click()  # one step forward
        expect(text).to_contain_text(re.compile(r"(Step t = 2|t = 2 단계)"), timeout=30_000)
        page.locator("#st-play").click()
        expect(text).to_contain_text(re.compile(later), timeout=30_000)
        # the user's own text: a new vocabulary, and the equation follows
        box = page.locator("#st-text textarea, #st-text input").first
        box.fill("banana")
        box.press("Enter")
        expect(text).to_contain_text(untrained, timeout=30_000)  # no shipped weights for "banana"
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"step-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale,tab,vanish,explode,lstm_note", [
    ("en-US", "BPTT gradients", "Vanishing is guaranteed", "Exploding is possible",
     "Measured on this LSTM"),
    ("ko-KR", "BPTT 기울기", "소실이 보장됩니다", "폭발할 수 있지만", "이 LSTM에서 측정"),
])
def test_bptt_tab(browser, app_url, locale, tab, vanish, explode, lstm_note, tmp_path):
    with opened(browser, app_url, locale) as page:
        page.get_by_role("tab", name=re.compile(tab)).click()
        expect(page.locator("#bp-profile .js-plotly-plot")).to_be_visible(timeout=30_000)
        regime = page.locator("#bp-regime")
        expect(regime).to_contain_text(vanish, timeout=30_000)  # first view, no click
        expect(page.locator("#bp-sv .js-plotly-plot")).to_be_visible()
        expect(page.locator("#bp-sum .js-plotly-plot")).to_be_visible()
        # typing a recurrent scale above 1 turns the badge
        box = page.locator("#bp-scale input[type=number]")
        box.fill("1.5")
        box.press("Enter")
        expect(regime).to_contain_text(explode, timeout=30_000)
        page.locator("#bp-cell").get_by_label("LSTM", exact=True).check()
        expect(page.locator("#bp-gated")).to_contain_text(lstm_note, timeout=30_000)
        # the training race: a recorded race on first view; the heatmap follows the chosen racer
        expect(page.locator("#bp-race-loss .js-plotly-plot")).to_be_visible(timeout=30_000)
        expect(page.locator("#bp-race-summary")).to_contain_text("GRU", timeout=30_000)
        page.locator("#bp-racer").get_by_label("GRU", exact=True).check()
        expect(page.locator("#bp-race-heat .gtitle")).to_contain_text("GRU", timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"bptt-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale,tab,caption,step", [
    ("en-US", "Seq2seq vs attention", "without attention", "Step t = 3"),
    ("ko-KR", "Seq2seq와 어텐션", "어텐션 없이", "단계 t = 3"),
])
def test_seq2seq_tab(browser, app_url, locale, tab, caption, step, tmp_path):
    with opened(browser, app_url, locale) as page:
        page.get_by_role("tab", name=re.compile(tab)).click()
        # the headline figure and the widening view, with no click
        expect(page.locator("#s2s-by-length .js-plotly-plot")).to_be_visible(timeout=30_000)
        expect(page.locator("#s2s-widen .js-plotly-plot")).to_be_visible(timeout=30_000)
        expect(page.locator("#s2s-caption")).to_contain_text(caption, timeout=30_000)
        expect(page.locator("#s2s-heat .js-plotly-plot")).to_be_visible(timeout=30_000)
        # the user's digits, and a later decoding step
        box = page.locator("#s2s-digits textarea, #s2s-digits input").first
        box.fill("90210")
        page.locator("#s2s-run").click()
        expect(page.locator("#s2s-outputs td")).to_have_count(4 * 5, timeout=30_000)
        num = page.locator("#s2s-step input[type=number]")
        num.fill("3")
        num.press("Enter")
        expect(page.locator("#s2s-step-text")).to_contain_text(step, timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"seq2seq-{locale}.png"), full_page=True)
