"""Step through time in a real browser (Chromium), in English and Korean: the page bugs of
issue 9 that only a page shows (a toast beside a drawn view, a box that ignores the keyboard).

Uses the helpers of ``test_browser.py`` (Chromium's path, the ``browser`` fixture, ``opened``).
"""

from __future__ import annotations

import re

import pytest

from playground.tabs.step import handlers as tab

from .test_browser import (  # noqa: F401  (browser is a fixture)
    browser,
    drawn_in_place,
    expect,
    opened,
    quiet,
    server_view,
    settled,
    shown_view,
    shows,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "en-US": {"tab": "Step through time", "step1": "Step t = 1", "greedy": "starting from a",
              "blur": "at t = 1 … 2", "empty": "temperature is empty", "random": "random weights"},
    "ko-KR": {"tab": "시간 따라가기", "step1": "t = 1 단계", "greedy": "시작 글자 a",
              "blur": "(t = 1 … 2)", "empty": "온도 칸이 비어", "random": "무작위 가중치"},
}


def _step_tab(page, locale: str):
    page.get_by_role("tab", name=re.compile(WORDS[locale]["tab"])).click()
    expect(page.locator("#st-equation .js-plotly-plot")).to_be_visible(timeout=30_000)
    expect(page.locator("#st-tf")).to_contain_text("T = 1", timeout=30_000)


@pytest.mark.parametrize("locale", list(WORDS))
def test_a_two_character_text_draws_without_an_error(browser, app_url, locale, tmp_path):  # noqa: F811
    """'ab' drew the step view, yet a toast said it needed 2 characters and the comparison and
    blurring panels showed Error over the previous word."""
    w = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        _step_tab(page, locale)
        box = page.locator("#st-text textarea, #st-text input").first
        box.fill("ab")
        box.press("Enter")
        expect(page.locator("#st-step-text")).to_contain_text(w["random"], timeout=30_000)
        expect(page.locator("#st-step-text")).to_contain_text(w["step1"])
        expect(page.locator("#st-tf")).to_contain_text(w["greedy"], timeout=30_000)
        expect(page.locator("#st-blur-text")).to_contain_text(w["blur"], timeout=30_000)
        expect(page.locator("#st-blur .js-plotly-plot")).to_be_visible()
        page.wait_for_timeout(1000)  # a toast would come with the comparison's answer
        expect(page.locator(".toast-body")).to_have_count(0)
        for panel in ("#st-tf", "#st-blur", "#st-blur-text", "#st-units"):
            expect(page.locator(f"{panel} .error")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"step-ab-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale", list(WORDS))
def test_the_temperature_box_takes_enter_and_arrow_keys(browser, app_url, locale):  # noqa: F811
    w = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        _step_tab(page, locale)
        tf = page.locator("#st-tf")
        box = page.locator("#st-temperature input[type=number]")
        box.fill("0.5")
        box.press("Enter")
        expect(tf).to_contain_text("T = 0.5 ", timeout=30_000)
        box.press("ArrowUp")
        expect(tf).to_contain_text("T = 0.51 ", timeout=30_000)
        box.press("ArrowDown")
        box.press("ArrowDown")
        expect(tf).to_contain_text("T = 0.49 ", timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)
        box.fill("")
        box.press("Enter")
        toast = page.locator(".toast-body")
        expect(toast).to_contain_text(w["empty"], timeout=30_000)
        assert "None" not in toast.inner_text()


@pytest.mark.parametrize("locale", list(WORDS))
def test_stepping_runs_in_the_page_with_no_request(browser, app_url, locale):  # noqa: F811
    """The slider's arrow keys, ◀ ▶, Play and Pause step the equation, the prediction, the
    hidden states and the text in the browser: no request reaches the server, and each step
    shows exactly what the server's /step_through_time draws there."""
    lang = locale[:2]
    with opened(browser, app_url, locale) as page:
        sent = []
        page.on("request", lambda r: sent.append((r.url, r.post_data))
                if "heartbeat" not in r.url else None)
        _step_tab(page, locale)
        quiet(page, sent)
        sent.clear()
        text = page.locator("#st-step-text")
        slider = page.locator("#st-step input[type=range]")
        slider.focus()
        for k in (2, 3, 4):
            page.keyboard.press("ArrowRight")
            expect(slider).to_have_value(str(k))
        view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 4, None, lang)
        for elem_id, fig in zip(("st-equation", "st-prediction", "st-hidden"), view[:3]):
            assert shows(page, elem_id, server_view(fig)), elem_id
        assert text.inner_text().split()[-3:] == view[3].replace("**", "").split()[-3:]
        page.locator("#st-back").click()
        page.locator("#st-back").click()
        expect(slider).to_have_value("2")
        page.locator("#st-forward").click()
        expect(slider).to_have_value("3")
        view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 3, None, lang)
        assert shows(page, "st-hidden", server_view(view[2]))
        page.locator("#st-play").click()  # from step 1 to the last (5), then it stops
        expect(slider).to_have_value("5", timeout=10_000)
        view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 5, None, lang)
        for elem_id, fig in zip(("st-equation", "st-prediction", "st-hidden"), view[:3]):
            assert shows(page, elem_id, server_view(fig)), elem_id
        page.locator("#st-play").click()
        expect(slider).to_have_value("2", timeout=10_000)
        page.locator("#st-stop").click()
        paused = slider.input_value()
        page.wait_for_timeout(2_500)
        assert slider.input_value() == paused
        assert sent == [], sent


def test_the_sliders_own_input_draws_the_step_at_once(browser, app_url):  # noqa: F811
    """The slider's input event draws the equation in the same task (stepping.js ``bind``),
    before Gradio's event for it has run; Gradio's event then sets the step's text."""
    with opened(browser, app_url, "en-US") as page:
        _step_tab(page, "en-US")
        page.wait_for_function("() => document.querySelector('#st-equation .js-plotly-plot')"
                               ".layout.meta.t === 1")
        drawn = page.evaluate("""() => {
          const input = document.querySelector('#st-step input[type=range]');
          const gd = document.querySelector('#st-equation .js-plotly-plot');
          let at = null;
          gd.addEventListener('unrolled:step', (e) => { at = e.detail; }, {once: true});
          input.value = '3';
          input.dispatchEvent(new Event('input', {bubbles: true}));
          return at;  // before any task or microtask of Gradio's could run
        }""")
        assert drawn == 3
        view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 3, None, "en")
        assert shows(page, "st-equation", server_view(view[0]))
        expect(page.locator("#st-step-text")).to_contain_text(
            view[3].replace("**", "").split()[-1])


def test_a_step_drawn_in_place_is_what_plotly_draws(browser, app_url):  # noqa: F811
    """The equation's steps (a heatmap's values and colours, the title), the prediction's (the
    bars, their colours and numbers) and the hidden states' (columns revealed, the column
    outlined) are drawn in place, with no Plotly.restyle: each step looks exactly as Plotly
    draws the same figure from scratch, and hovering says the same, back and forth; and the
    figure's summary follows the step."""
    with opened(browser, app_url, "en-US") as page:
        _step_tab(page, "en-US")
        settled(page)
        page.wait_for_function("() => document.querySelector('#st-hidden .js-plotly-plot')"
                               ".layout.meta.t === 1")
        order = [3, 1, 5, 2, 4, 1]
        for elem_id in ("st-equation", "st-prediction", "st-hidden"):
            got = drawn_in_place(page, elem_id, order)
            assert [s["t"] for s in got["steps"]] == order
            for step in got["steps"]:
                assert step["inPlace"] == step["redrawn"], (elem_id, step["t"])
            assert len({s["inPlace"] for s in got["steps"]}) == 5, elem_id  # each step its own
            assert got["calls"]["restyle"] == got["calls"]["update"] == 0, (elem_id, got)
        # the titles (the prediction's subplot title, an annotation, of one size at each of
        # these steps), and the states' outlined column, were written in place too: all but
        # the outline on the first or last column, which widens the axis (from step 1, to
        # 2: 1 relayout)
        for elem_id, relayouts in (("st-equation", 0), ("st-hidden", 1), ("st-prediction", 0)):
            got = drawn_in_place(page, elem_id, [2, 3, 4])
            assert got["calls"]["relayout"] == relayouts, elem_id
            assert all(step["inPlace"] == step["redrawn"] for step in got["steps"]), elem_id
        # an annotation whose words change its size is Plotly's to place again ("t = 50")
        page.evaluate("""() => {
            const on = document.querySelector('#st-prediction .js-plotly-plot').layout.meta
                .steps[4].on;
            on['annotations[0].text'] = on['annotations[0].text'].replace('t = 5', 't = 50');
        }""")
        got = drawn_in_place(page, "st-prediction", [5])
        assert got["calls"]["relayout"] == 1
        assert got["steps"][0]["inPlace"] == got["steps"][0]["redrawn"]
        assert "t = 50" in got["steps"][0]["inPlace"]
        # the summary a screen reader gives (figure_export.js) follows a step drawn in place
        note = page.locator("#" + page.locator("#st-equation .js-plotly-plot")
                            .get_attribute("aria-labelledby"))
        for t in (4, 2):  # drawn by Plotly (the last redraw above), then in place
            if t == 2:
                page.evaluate("window.unrolled.show('st-equation', 2)")
            view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, t, None, "en")
            assert shows(page, "st-equation", server_view(view[0]))
            values = [v for row in view[0].data[0].z for v in row if v is not None]
            lo, hi = (f"{float(f'{v:.3g}'):g}" for v in (min(values), max(values)))
            expect(note).to_contain_text(view[0].layout.title.text)
            expect(note).to_contain_text(f"{lo} to {hi}")


def test_a_tabs_plots_in_view_are_drawn_first_and_late_ones_follow_the_slider(
        browser, app_url):  # noqa: F811
    """On opening the tab, the equation (in view) is drawn before any plot below the fold
    (page.js queues their first draws, drawn top first, one at a time); and a plot drawn
    after the slider moved shows the slider's step, not the one its figure came with."""
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=30_000)
        order = page.evaluate("""() => new Promise((resolve) => {
          const ids = ['st-equation', 'st-prediction', 'st-hidden', 'st-blur', 'st-units',
                       'st-loss'];
          const drawn = [];
          const moved = {};
          new MutationObserver(() => {
            for (const id of ids) {
              if (drawn.includes(id) || !document.querySelector(`#${id} .main-svg`)) continue;
              drawn.push(id);
              const box = document.getElementById(id).getBoundingClientRect();
              moved[id] = box.top >= window.innerHeight;
              if (id === 'st-equation') {  // the slider moves before the rest is drawn
                const input = document.querySelector('#st-step input[type=range]');
                input.value = '3';
                input.dispatchEvent(new Event('input', {bubbles: true}));
              }
            }
            if (drawn.length === ids.length) resolve({drawn, below: moved});
          }).observe(document.body, {subtree: true, childList: true});
          [...document.querySelectorAll('[role=tab]')]
            .find((tab) => tab.textContent.trim() === 'Step through time').click();
        })""")
        assert order["drawn"][0] == "st-equation", order
        below = [elem_id for elem_id in order["drawn"] if order["below"][elem_id]]
        assert below and below == order["drawn"][-len(below):], order  # after those in view
        tops = page.evaluate("""(ids) => ids.map((id) =>
            document.getElementById(id).getBoundingClientRect().top)""", below)
        assert tops == sorted(tops), (below, tops)  # top first
        view = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 3, None, "en")
        for elem_id, fig in zip(("st-equation", "st-prediction", "st-hidden"), view[:3]):
            assert shows(page, elem_id, server_view(fig)), elem_id
