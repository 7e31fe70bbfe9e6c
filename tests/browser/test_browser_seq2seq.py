"""The Seq2seq vs attention tab in Chromium, in English and Korean: one digit, the top radios
after training, the curves past the trained lengths and the stated parameter counts."""

from __future__ import annotations

import re

import pytest

from playground.tabs.seq2seq import handlers as tab

from .test_browser import (  # noqa: F401  (browser is a fixture)
    browser,
    drawn_in_place,
    expect,
    opened,
    quiet,
    server_view,
    shown_view,
    shows,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "en-US": {"tab": "Seq2seq vs attention", "one": "One digit", "step3": "Step t = 3",
              "general": "General (Luong), two-way encoder + bridge",
              "additive": "Additive (Bahdanau)", "shipped": "Shipped models",
              "mine": "Your models", "with_additive": "with additive attention",
              "params": "Parameters", "moves": "moves the fall",
              "with_general": "with general attention (two-way encoder + bridge).",
              "shipped_radio": "Shipped (pretrained)"},
    "ko-KR": {"tab": "Seq2seq와 어텐션", "one": "한 자리", "step3": "단계 t = 3",
              "general": "일반형 (Luong general), 양방향 인코더 + 브리지",
              "additive": "덧셈형 (Bahdanau)", "shipped": "제공된 모델",
              "mine": "직접 학습한 모델", "with_additive": "덧셈형 어텐션 모델은",
              "params": "매개변수 개수", "moves": "멀리 옮길 뿐",
              "with_general": "일반형 어텐션 (양방향 인코더 + 브리지) 모델은",
              "shipped_radio": "제공된 모델 (사전 학습)"},
}


# the traces of a rendered plot, with plotly's typed arrays ({bdata, _inputArray}) as lists
PLOT_DATA = """((id) => {
    const plain = v => (v && v._inputArray !== undefined) ? plain(v._inputArray)
        : (Array.isArray(v) || ArrayBuffer.isView(v)) ? Array.from(v, plain) : v;
    return document.querySelector(id + ' .js-plotly-plot').data.map(d => ({x: plain(d.x),
        y: plain(d.y), z: plain(d.z)}));
})"""


def _open_tab(page, words):
    page.get_by_role("tab", name=re.compile(words["tab"])).click()
    expect(page.locator("#s2s-by-length .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#s2s-heat .js-plotly-plot")).to_be_visible(timeout=30_000)


def _run_digits(page, digits: str):
    box = page.locator("#s2s-digits textarea, #s2s-digits input").first
    box.fill(digits)
    page.locator("#s2s-run").click()


@pytest.mark.parametrize("locale", list(WORDS))
def test_one_digit_draws_everything(browser, app_url, locale, tmp_path):  # noqa: F811
    """`7` used to fail with "Slider minimum must be less than maximum": blank plots, the
    previous digits left in the table. Now every output draws, with no toast."""
    words = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        _open_tab(page, words)
        expect(page.locator("#s2s-outputs td")).to_have_count(4 * 16, timeout=30_000)
        _run_digits(page, "7")
        expect(page.locator("#s2s-outputs td")).to_have_count(4, timeout=30_000)
        expect(page.locator("#s2s-step-text")).to_contain_text(words["one"], timeout=30_000)
        expect(page.locator("#s2s-heat .js-plotly-plot")).to_be_visible()
        expect(page.locator("#s2s-step-plot .js-plotly-plot")).to_be_visible()
        heat = page.evaluate(f"{PLOT_DATA}('#s2s-heat').map(d => d.z)")
        assert heat == [[[1.0]]]   # one output step over one source digit, weight 1
        expect(page.locator("#s2s-step")).to_be_hidden()
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"seq2seq-one-digit-{locale}.png"), full_page=True)
        # more digits bring the step slider back, and it steps
        _run_digits(page, "90210")
        expect(page.locator("#s2s-outputs td")).to_have_count(4 * 5, timeout=30_000)
        num = page.locator("#s2s-step input[type=number]")
        expect(num).to_be_visible(timeout=30_000)
        num.fill("3")
        num.press("Enter")
        expect(page.locator("#s2s-step-text")).to_contain_text(words["step3"], timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)


@pytest.mark.parametrize("locale", list(WORDS))
def test_curves_to_30_digits_and_parameter_counts(browser, app_url, locale):  # noqa: F811
    words = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        _open_tab(page, words)
        caption = page.locator("#s2s-caption")
        expect(caption).to_contain_text(words["params"], timeout=30_000)
        expect(caption).to_contain_text("32,474", timeout=30_000)
        expect(caption).to_contain_text("53,722")
        expect(caption).to_contain_text("77,018")
        expect(caption).to_contain_text(words["moves"])
        xs = page.evaluate(f"{PLOT_DATA}('#s2s-by-length').map(d => d.x)")
        assert [x[-1] for x in xs] == [30, 30] and xs[0][0] == 3
        widen = page.locator("#s2s-widen .js-plotly-plot")
        expect(widen).to_be_visible(timeout=30_000)
        expect(page.locator("#s2s-kind")).to_contain_text(words["general"])


@pytest.mark.parametrize("locale", list(WORDS))
def test_top_radio_follows_the_trained_models(browser, app_url, locale, tmp_path):  # noqa: F811
    """General (Luong) at the top, then Train both with Additive: when the job is done the
    figures show the additive pair, and the top radio says Additive."""
    words = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        _open_tab(page, words)
        kind = page.locator("#s2s-kind")
        kind.get_by_label(words["general"], exact=True).check()
        caption = page.locator("#s2s-caption")
        expect(caption).to_contain_text(words["with_general"], timeout=30_000)
        expect(kind.get_by_label(words["general"], exact=True)).to_be_checked()
        # a small, quick pair: hidden 8, 50 steps, additive (the training radio's default)
        expect(page.locator("#s2s-train-kind").get_by_label(words["additive"], exact=True)
               ).to_be_checked()
        for elem, value in (("#s2s-train-hidden", "8"), ("#s2s-train-steps", "50")):
            box = page.locator(f"{elem} input[type=number]")
            box.fill(value)
            box.press("Enter")
        page.locator("#s2s-train").click()
        expect(caption).to_contain_text(words["mine"], timeout=120_000)
        expect(caption).to_contain_text(words["with_additive"])
        expect(kind.get_by_label(words["additive"], exact=True)).to_be_checked()
        expect(kind.get_by_label(words["general"], exact=True)).not_to_be_checked()
        # picking General again shows the shipped general pair, and the source radio says so
        kind.get_by_label(words["general"], exact=True).check()
        expect(caption).to_contain_text(words["shipped"], timeout=30_000)
        source = page.locator("#s2s-source")
        expect(source.get_by_label(words["shipped_radio"], exact=True)).to_be_checked()
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"seq2seq-radio-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale", list(WORDS))
def test_the_output_step_moves_in_the_page_with_no_request(browser, app_url,  # noqa: F811
                                                            locale):
    """The output-step slider steps the step figure and its text in the browser: no request,
    and each step shows what the server's /seq2seq_decode draws there."""
    words, lang = WORDS[locale], locale[:2]
    with opened(browser, app_url, locale) as page:
        sent = []
        page.on("request", lambda r: sent.append((r.url, r.post_data))
                if "heartbeat" not in r.url else None)
        _open_tab(page, words)
        _run_digits(page, "90210")
        expect(page.locator("#s2s-outputs td")).to_have_count(4 * 5, timeout=30_000)
        quiet(page, sent)
        sent.clear()
        slider = page.locator("#s2s-step input[type=range]")
        slider.focus()
        for k in (2, 3, 4):
            page.keyboard.press("ArrowRight")
            expect(slider).to_have_value(str(k))
        expect(page.locator("#s2s-step-text")).to_contain_text(
            words["step3"].replace("3", "4"))
        view = tab.decode("90210", "reverse", "additive", "shipped", 4, None, lang)
        for elem_id, fig in zip(("s2s-step-plot", "s2s-step-states", "s2s-step-probs"),
                                view[2:5]):
            assert shows(page, elem_id, server_view(fig)), elem_id
        page.keyboard.press("ArrowLeft")
        expect(page.locator("#s2s-step-text")).to_contain_text(words["step3"])
        assert sent == [], sent
        # the states (5 columns) and the context (1) are drawn side by side, at one width
        states, context = page.evaluate("""() => [...document.querySelectorAll(
            '#s2s-step-states .heatmaplayer image')].map(i => {
                const r = i.getBoundingClientRect(); return [r.left, r.right]; })""")
        column = (states[1] - states[0]) / 5
        assert context[1] - context[0] == pytest.approx(column, rel=0.05)
        assert context[0] == pytest.approx(states[1], abs=column * 0.05)
        # and each weight's bar, in the figure above, stands over its state's column
        bars = page.evaluate("""() => [...document.querySelectorAll(
            '#s2s-step-plot .barlayer .point path')].map(p => {
                const r = p.getBoundingClientRect(); return (r.left + r.right) / 2; })""")
        assert len(bars) == 5
        for j, x in enumerate(bars):
            assert x == pytest.approx(states[0] + (j + 0.5) * column, abs=column * 0.1), j
        # each figure's steps are drawn in place (stepping.js), as Plotly draws them from
        # scratch; the step figure's title is written in place too
        for elem_id in ("s2s-step-plot", "s2s-step-states", "s2s-step-probs"):
            got = drawn_in_place(page, elem_id, [1, 5, 2])
            assert all(step["inPlace"] == step["redrawn"] for step in got["steps"]), elem_id
            assert len({step["inPlace"] for step in got["steps"]}) == 3, elem_id
            assert got["calls"] == {"restyle": 0, "update": 0, "relayout": 0}, elem_id
