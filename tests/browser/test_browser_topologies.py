"""The Topologies tab in Chromium, EN and KO: bad input keeps the last good view, training shows
no loading state on the view, and Pause pauses (helpers from tests/browser/test_browser.py)."""

from __future__ import annotations

import time

import pytest

from playground.tabs.topologies import handlers as tab

from . import test_browser

browser = test_browser.browser  # the fixture: one Chromium for the module
expect, opened, quiet = test_browser.expect, test_browser.opened, test_browser.quiet
server_view, shows = test_browser.server_view, test_browser.shows

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {
    "en-US": {"many_to_one": "Many-to-one", "one_to_many": "One-to-many",
              "explain_m21": "Many-to-one", "explain_12m": "One-to-many",
              "bad": "cannot be read by this task", "trained": "Your model"},
    "ko-KR": {"many_to_one": "다대일 (many-to-one)", "one_to_many": "일대다 (one-to-many)",
              "explain_m21": "다대일", "explain_12m": "일대다",
              "bad": "이 과제가 읽을 수 없는", "trained": "직접 학습한 모델"},
}
VIEW = ["#topology-diagram", "#topology-heatmap", "#topology-step-values", "#topology-step",
        "#topology-model"]
ERROR_BADGE = "[data-testid=status-tracker] .error"


def loading(page) -> list[str]:
    """The view's parts that show a loading state now (gradio's status tracker not hidden)."""
    return page.evaluate("""(ids) => ids.filter(id => [...document.querySelectorAll(
        id + ' [data-testid=status-tracker]')].some(e => !e.classList.contains('hide')))""", VIEW)


def ready(page):
    expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
    expect(page.locator("#topology-model")).to_contain_text("RNN", timeout=60_000)


@pytest.mark.parametrize("locale", list(WORDS))
def test_bad_input_keeps_the_last_good_view(browser, app_url, locale, tmp_path):
    w = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        ready(page)
        page.get_by_label(w["many_to_one"], exact=True).check()
        model = page.locator("#topology-model")
        expect(model).to_contain_text("( ( ) ( ) )", timeout=30_000)
        explain = page.locator("#topology-explain")
        expect(explain).to_contain_text(w["explain_m21"], timeout=30_000)
        before = model.inner_text()
        box = page.locator("#topology-input input, #topology-input textarea").first
        box.fill("<b>x</b>")
        box.press("Enter")
        toast = page.locator(".toast-body")
        expect(toast).to_contain_text(w["bad"], timeout=30_000)  # the message, in the language
        page.screenshot(path=str(tmp_path / f"bad-input-{locale}.png"), full_page=True)
        expect(page.locator(ERROR_BADGE)).to_have_count(0)  # no "Error" badge anywhere
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible()  # not blank
        expect(page.locator("#topology-heatmap .js-plotly-plot")).to_be_visible()
        assert model.inner_text() == before  # the last good view, explanation and all
        expect(explain).to_contain_text(w["explain_m21"])
        assert not loading(page)

        # Bidirectional, then One-to-many: the box unticks itself (an autoregressive model has
        # no backward direction), and the view is One-to-many's, with no message at all
        page.locator("[data-testid=toast-close]").first.click()
        expect(toast).to_have_count(0, timeout=30_000)
        box.fill("(())")
        box.press("Enter")
        expect(model).to_contain_text("( ( ) )", timeout=30_000)
        bidir = page.locator("#topology-bidirectional input")
        bidir.check()
        page.get_by_label(w["one_to_many"], exact=True).check()
        expect(explain).to_contain_text(w["explain_12m"], timeout=30_000)
        expect(bidir).not_to_be_checked(timeout=30_000)
        expect(bidir).to_be_disabled()
        expect(model).to_contain_text("5", timeout=30_000)
        expect(toast).to_have_count(0)
        expect(page.locator(ERROR_BADGE)).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"one-to-many-{locale}.png"), full_page=True)

        # dropout acts only between stacked layers: its slider waits for a second layer
        dropout = page.locator("#topology-dropout input[type=range]")
        expect(dropout).to_be_disabled()
        layers = page.locator("#topology-layers input[type=number]")
        layers.fill("2")
        layers.press("Enter")
        expect(dropout).to_be_enabled(timeout=30_000)


@pytest.mark.parametrize("locale", list(WORDS))
def test_training_shows_no_loading_state_on_the_view(browser, app_url, locale, tmp_path):
    """Polls every 0.5 s while the model trains: the diagram, slider, step text and heatmap
    must not sit grey with a spinner, and the trained model is drawn once it is done."""
    w = WORDS[locale]
    with opened(browser, app_url, locale) as page:
        ready(page)
        page.locator("#topology-train-box").get_by_role("button").first.click()
        steps = page.locator("#topology-train-box input[type=number]").first
        total = str(2980 + 10 * list(WORDS).index(locale))  # not a job the other test shares
        steps.fill(total)
        steps.press("Enter")
        page.locator("#topology-train").click()
        job = page.locator("#topology-job")
        seen, samples = [], 0
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and "✓" not in job.inner_text():
            seen += loading(page)
            samples += 1
            page.wait_for_timeout(200)
        assert "✓" in job.inner_text(), job.inner_text()
        assert samples >= 10  # the poll ran while we watched
        assert not seen, f"loading state on {sorted(set(seen))} in {len(seen)} of {samples}"
        model = page.locator("#topology-model")
        expect(model).to_contain_text(w["trained"], timeout=30_000)  # drawn once, when done
        expect(model).to_contain_text(total)
        page.screenshot(path=str(tmp_path / f"trained-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale", list(WORDS))
def test_stepping_runs_in_the_page_with_no_request(browser, app_url, locale):
    """Arrow keys, the number box, Play and Pause step the view in the browser: no request
    reaches the server, and each step looks exactly as the server's /step_topology draws it."""
    lang = locale[:2]
    with opened(browser, app_url, locale) as page:
        ready(page)
        values = page.locator("#topology-step-values")
        expect(values).to_contain_text("h_1 ", timeout=30_000)
        sent = []
        page.on("request", lambda r: sent.append((r.url, r.post_data))
                if "heartbeat" not in r.url else None)
        quiet(page, sent)  # the first view of every tab is drawn
        sent.clear()
        slider = page.locator("#topology-step input[type=range]")
        slider.focus()
        for k in (2, 3, 4, 5):
            page.keyboard.press("ArrowRight")
            expect(values).to_contain_text(f"h_{k} ")
        page.keyboard.press("ArrowLeft")
        expect(values).to_contain_text("h_4 ")
        args = ("many_to_many", "rnn", 1, 0.0, False, "31524")
        diagram, heat, text = tab.step(*args, 4, None, lang)
        assert shows(page, "topology-diagram", server_view(diagram))
        assert shows(page, "topology-heatmap", server_view(heat))
        # and drawn so: the highlight is written onto the SVG, not only into the layout
        drawn = page.evaluate("""() => {
            const gd = document.querySelector('#topology-diagram .js-plotly-plot');
            return gd.layout.shapes.map((s, i) => {
                const node = gd.querySelector(`.shapelayer path[data-index="${i}"]`);
                return [s.opacity ?? 1, Number(node.style.opacity || 1), s.line.width,
                        parseFloat(node.style.strokeWidth)];
            });
        }""")
        assert [d[:2] for d in drawn] == [[d[0], d[0]] for d in drawn]
        assert [d[2:] for d in drawn] == [[d[2], d[2]] for d in drawn]
        assert sum(d[0] == 0.95 for d in drawn) == 3  # step 4's input, h_4 and output
        assert values.inner_text().split() == [w for w in page.evaluate(
            "(t) => t", text).replace("**", "").split()]  # the server's text, as markdown
        box = page.locator("#topology-step input[type=number]")  # typing a step
        box.fill("2")
        box.press("Enter")
        expect(values).to_contain_text("h_2 ")
        page.locator("#topology-play").click()  # plays from step 1 to the last, then stops
        expect(values).to_contain_text("h_5 ", timeout=10_000)
        expect(slider).to_have_value("5")
        page.locator("#topology-play").click()
        expect(values).to_contain_text("h_2 ", timeout=10_000)
        page.locator("#topology-pause").click()
        paused = slider.input_value()
        page.wait_for_timeout(2_000)
        assert slider.input_value() == paused  # paused
        assert sent == [], sent
        # the heatmap's steps (its title, the outlined column) are drawn in place, exactly
        # as Plotly draws the same figure from scratch; but to or from the outline on the
        # first or last column, which widens the axis: Plotly's to draw (to 1, 5 and 2)
        page.evaluate("window.unrolled.show('topology-heatmap', 3)")
        got = test_browser.drawn_in_place(page, "topology-heatmap", [1, 5, 2, 3, 4])
        assert all(step["inPlace"] == step["redrawn"] for step in got["steps"])
        assert len({step["inPlace"] for step in got["steps"]}) == 5
        assert got["calls"] == {"restyle": 0, "update": 0, "relayout": 3}


@pytest.mark.parametrize("locale", list(WORDS))
def test_an_unexpected_error_keeps_the_view_and_says_so_generically(browser, app_url, locale,
                                                                     monkeypatch):
    """A bug (here: a view that raises) is logged on the server; the page keeps its view and
    says, in its language, that something went wrong, never the exception's own text."""
    with opened(browser, app_url, locale) as page:
        ready(page)
        model = page.locator("#topology-model")
        before = model.inner_text()

        def boom(*args, **kwargs):
            raise RuntimeError("secret internals 0xdeadbeef")

        monkeypatch.setattr(tab, "compute_view", boom)
        box = page.locator("#topology-input input, #topology-input textarea").first
        box.fill("4242")  # a view no one has asked for: not in the shared cache
        box.press("Enter")
        toast = page.locator(".toast-body")
        generic = tab.tr(locale, "err_unexpected")
        expect(toast).to_contain_text(generic, timeout=30_000)
        assert "deadbeef" not in toast.inner_text()
        expect(page.locator(ERROR_BADGE)).to_have_count(0)
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible()
        assert model.inner_text() == before
