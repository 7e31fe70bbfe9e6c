"""Links in a real browser (Chromium): a link sets every setting of its tab, the address bar
follows every change, the address opened in a new page shows the same numbers; a wrong value
gets a notice in the page's language; a teacher's link locks, hides and picks tabs.

Uses the helpers of ``test_browser.py`` (Chromium's path, the ``browser`` fixture, ``opened``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlparse

import pytest

from playground.tabs.step import handlers as step

from .test_browser import (  # noqa: F401  (browser is a fixture)
    browser,
    expect,
    opened,
    server_view,
    shown_view,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# For each tab: a value other than the default for every one of its settings (together a view
# the tab can show), and the plot that shows them.
LINKS = {
    "topologies": ("topology-diagram", {
        "topology": "many_to_one", "cell": "gru", "num_layers": "2", "dropout": "0.2",
        "bidirectional": "true", "text": "(())()", "t": "3", "steps": "200", "seed": "5"}),
    "step": ("st-equation", {
        "text": "hello there", "cell": "lstm", "hidden_size": "6", "num_layers": "2",
        "weights": "random", "concat": "true", "steps": "100", "t": "4",
        "temperature": "0.5", "first": "o"}),
    "bptt": ("bp-profile", {
        "cell": "gru", "seq_len": "150", "recurrent_scale": "1.5", "input_scale": "0.5",
        "loss_at": "every", "forget_default": "false", "forget_bias": "2",
        "update_default": "false", "update_bias": "0.5", "init": "gaussian", "hidden_size": "16",
        "num_layers": "2", "tbptt": "20", "seed": "3", "replay": "sgd_lag40", "racer": "lstm",
        "task": "adding", "lag": "30", "clip": "2", "steps": "400", "race_seed": "4",
        "biases": "pytorch"}),
    "seq2seq": ("s2s-heat", {
        "task": "copy", "attention": "dot", "digits": "12345", "t": "3",
        "train_task": "copy", "train_attention": "dot", "cell": "lstm", "hidden_size": "32",
        "min_len": "3", "max_len": "10", "steps": "500", "bidirectional": "true"}),
}


def _settled(page, elem_id: str) -> dict:
    """The plot #elem_id once the page's link has drawn its view (links.js says so on
    <html data-link>) and the plot has stopped changing, as ``shown_view`` reads it."""
    expect(page.locator("html")).to_have_attribute("data-link", "shown", timeout=90_000)
    plot = page.locator(f"#{elem_id} .js-plotly-plot")
    expect(plot).to_be_attached(timeout=60_000)
    last, same = None, 0
    for _ in range(120):
        page.wait_for_timeout(500)
        now = shown_view(page, elem_id)
        same = same + 1 if now == last else 0
        if same >= 3:
            return now
        last = now
    raise AssertionError(f"#{elem_id} kept changing")


def _query(page) -> dict:
    return dict(parse_qsl(urlparse(page.url).query))


@pytest.mark.parametrize("tab", list(LINKS))
def test_a_link_round_trips_every_setting_of_its_tab(browser, app_url, tab):  # noqa: F811
    elem_id, values = LINKS[tab]
    link = "?" + urlencode({"tab": tab, **values})
    with opened(browser, app_url, "en-US", query=link) as page:
        shown = _settled(page, elem_id)
        expect(page.locator("#link-notice")).to_be_empty()
        # every setting came back from its control into the address bar, as the link had it
        page.wait_for_function("(n) => new URLSearchParams(location.search).size >= n",
                               arg=len(values) + 1, timeout=30_000)
        assert _query(page) == {"tab": tab, **values}
        address = page.url
    # the address, opened in a new page, shows the same numbers
    with opened(browser, app_url, "en-US", query="?" + urlparse(address).query) as page:
        assert _settled(page, elem_id) == shown
        assert _query(page) == {"tab": tab, **values}
    # which are not the tab's defaults
    with opened(browser, app_url, "en-US", query=f"?tab={tab}") as page:
        assert _settled(page, elem_id) != shown


def test_the_step_link_shows_the_numbers_the_handler_computes(browser, app_url):  # noqa: F811
    """Opened from a link, the equation holds the numbers of a direct call with its settings."""
    _, values = LINKS["step"]
    link = "?" + urlencode({"tab": "step", **values})
    with opened(browser, app_url, "en-US", query=link) as page:
        shown = _settled(page, "st-equation")
        eq = step.show_step(values["text"], values["cell"], int(values["hidden_size"]),
                            int(values["num_layers"]), values["weights"], True,
                            int(values["t"]), None, "en")[0]
        assert shown == server_view(eq)
        expect(page.locator("#st-step-text")).to_contain_text("Step t = 4")


def test_changes_are_written_to_the_address_and_copy_link_shows_it(browser, app_url):  # noqa: F811
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(1000)
        assert urlparse(page.url).query == ""  # the first tab at its defaults: a bare address
        page.get_by_role("tab", name=re.compile("Step through time")).click()
        page.wait_for_function("() => location.search === '?tab=step'", timeout=30_000)
        page.get_by_role("radio", name="GRU").last.check()
        page.wait_for_function("() => location.search.includes('cell=gru')", timeout=30_000)
        # the GRU's view drawn (it sets the step slider too), then a step
        expect(page.locator("#st-step-text")).to_contain_text("nn.GRU", timeout=60_000)
        slider = page.locator("#st-step input[type=range]")
        slider.focus()
        slider.press("ArrowRight")
        page.wait_for_function("() => location.search.includes('t=2')", timeout=30_000)
        # Plotly's clip paths name the page's address: they follow it (else the browser asks
        # the server for the old address, and the plots lose their clipping)
        stale = page.evaluate("""() => {
            const base = location.href.split('#')[0];
            const urls = [...document.querySelectorAll('.js-plotly-plot [clip-path]')]
                .map((e) => e.getAttribute('clip-path')).filter((v) => v.includes('http'));
            return [urls.length, urls.filter((v) => !v.includes(base))];
        }""")
        assert stale[0] > 0 and stale[1] == [], stale
        page.locator("#tabs .link-copy, .link-copy").locator("visible=true").first.click()
        copied = page.locator(".link-copied").locator("visible=true").first
        expect(copied).to_contain_text("tab=step", timeout=30_000)
        expect(copied).to_contain_text("cell=gru")


@pytest.mark.parametrize("locale,words", [
    ("en-US", ["**seq_len**", "between 2 and 500", "`100`", "`colour`"]),
    ("ko-KR", ["seq_len", "2에서 500 사이", "100", "colour"])])
def test_a_wrong_value_gets_a_notice_in_the_page_language(browser, app_url, locale, words):  # noqa: F811
    link = "?tab=bptt&seq_len=9999&cell=lstm&colour=red"
    with opened(browser, app_url, locale, query=link) as page:
        notice = page.locator("#link-notice")
        for w in words:
            expect(notice).to_contain_text(w.strip("*`"), timeout=60_000)
        # the rest of the link applies: an LSTM at the default length
        expect(page.locator("#bp-profile")).to_contain_text("nn.LSTM, T = 100", timeout=60_000)


def test_lang_in_the_link_picks_the_language(browser, app_url):  # noqa: F811
    with opened(browser, app_url, "en-US", query="?lang=ko") as page:
        expect(page.get_by_role("tab", name=re.compile("시간 따라가기"))).to_be_visible(
            timeout=30_000)
        expect(page.locator("#topology-model")).to_contain_text("사전 학습된", timeout=30_000)


def test_a_teacher_link_locks_hides_and_picks_tabs(browser, app_url):  # noqa: F811
    link = "?tab=bptt&tabs=step,bptt&lock=cell,seq_len&hide=init&cell=lstm"
    with opened(browser, app_url, "en-US", query=link) as page:
        expect(page.locator("#link-notice")).to_contain_text("Set by your teacher", timeout=60_000)
        expect(page.locator("#link-notice")).to_contain_text("Cell")
        expect(page.get_by_role("tab", name=re.compile("BPTT"))).to_have_attribute(
            "aria-selected", "true")
        expect(page.get_by_role("tab")).to_have_count(2)
        cell = page.locator("#bp-cell input[type=radio]")
        expect(cell.first).to_be_disabled()
        expect(page.locator("#bp-seq-len input[type=range]")).to_be_disabled()
        expect(page.get_by_role("radio", name=re.compile("orthogonal"))).to_have_count(0)
        expect(page.locator("#bp-cell input[value=lstm]")).to_be_checked()
        expect(page.locator("#bp-profile")).to_contain_text("nn.LSTM", timeout=60_000)
        # the teacher's keys stay in the address as the page changes it
        page.locator("#bp-scale input[type=number]").fill("1.2")
        page.locator("#bp-scale input[type=number]").press("Enter")
        page.wait_for_function("() => location.search.includes('recurrent_scale=1.2')",
                               timeout=30_000)
        q = _query(page)
        assert q["lock"] == "cell,seq_len" and q["hide"] == "init" and q["tabs"] == "step,bptt"

