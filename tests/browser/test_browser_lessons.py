"""The five lessons walked end to end in Chromium, in English and Korean: each opened from its
link (?lesson=<id>), every step's tab opened with its settings and its figure outlined, every
prediction answered (the first choice) and revealed, with the engine's number and the right
verdict, to the last step; then "Explore freely" ends it.

Uses the helpers of ``test_browser.py``.
"""

from __future__ import annotations

import re

import pytest

from playground.lessons import reveal, tab_specs
from playground.lessons.panel import LESSONS
from playground.links import read

from .test_browser import browser, expect, opened  # noqa: F401  (browser is a fixture)
from .test_browser_layout import OVERLAPS_JS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WORDS = {"en": {"step": "step {k} of {n}", "right": "Right", "wrong": "Not quite"},
         "ko": {"step": "{n}단계 중 {k}단계", "right": "맞았습니다", "wrong": "아쉽습니다"}}


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[*`]|<[^>]+>", "", text)).strip()


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
@pytest.mark.parametrize("lesson_id", list(LESSONS))
def test_a_lesson_walked_end_to_end(browser, app_url, locale, lesson_id):  # noqa: F811
    lang, lesson = locale[:2], LESSONS[lesson_id]
    w, n = WORDS[lang], len(lesson.steps)
    with opened(browser, app_url, locale, query=f"?lesson={lesson_id}") as page:
        head, answer = page.locator("#lesson-head"), page.locator("#lesson-answer")
        for k, step in enumerate(lesson.steps, start=1):
            expect(head).to_contain_text(w["step"].format(k=k, n=n), timeout=90_000)
            # the step's link is applied (the address says which step), then its view drawn
            page.wait_for_function("(k) => new URLSearchParams(location.search)"
                                   ".get('lesson_step') === String(k)", arg=k, timeout=60_000)
            expect(page.locator("html")).to_have_attribute("data-link", "shown",
                                                            timeout=90_000)
            expect(page.locator(f"button[role=tab][data-tab-id={step.tab}]")).to_have_attribute(
                "aria-selected", "true")
            expect(page.locator(f"#{step.figure}")).to_have_class(re.compile("lesson-focus"))
            # the controls hold the step's settings: the address, which follows them, has
            # each one that is not at its default
            linked = tab_specs()[step.tab].linked
            for key, text in step.query:
                if key in linked and read(linked[key], text) != linked[key].setting.default:
                    page.wait_for_function("(k) => new URLSearchParams(location.search).has(k)",
                                           arg=key, timeout=30_000)
            if step.ask is not None:
                want = reveal(step, lang)
                page.locator("#lesson-question label").first.click()
                page.locator("#lesson-reveal").click()
                verdict = w["right"] if want.index == 0 else w["wrong"]
                expect(answer).to_contain_text(verdict, timeout=60_000)
                shown = _plain(answer.inner_text())
                assert _plain(want.why)[:60] in shown, (shown, want.why)
            if k < n:
                page.locator("#lesson-next").click()
        expect(page.locator("#lesson-next")).to_be_disabled()
        page.locator("#lesson-free").click()
        expect(page.locator("#lesson-card")).to_be_hidden(timeout=30_000)
        page.wait_for_function("() => !location.search.includes('lesson')", timeout=30_000)


@pytest.mark.parametrize("query,locale,size", [
    ("", "ko-KR", (390, 844)),            # a phone
    ("&present=1", "en-US", (1024, 768)),  # a projector, in presenter mode
])
def test_a_lesson_on_a_phone_and_a_projector(browser, app_url, query, locale, size):  # noqa: F811
    """The step's figure is in view above the lesson's card (a drawer at the bottom), the page
    does not scroll sideways, and the card's own texts do not overlap."""
    step = LESSONS["bptt"].steps[1]
    with opened(browser, app_url, locale, query=f"?lesson=bptt&lesson_step=2{query}",
                viewport=size) as page:
        expect(page.locator("html")).to_have_attribute("data-link", "shown", timeout=90_000)
        figure = page.locator(f"#{step.figure}")
        expect(figure).to_have_class(re.compile("lesson-focus"), timeout=30_000)
        page.wait_for_timeout(1500)  # the smooth scroll
        card = page.locator("#lesson-card").bounding_box()
        top = figure.bounding_box()["y"]
        assert 0 <= top < card["y"] - 100, (top, card)  # the figure shows above the card
        assert card["y"] + card["height"] <= size[1] + 1 and card["x"] >= 0
        assert card["width"] <= size[0]
        assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
        expect(page.locator("#lesson-question")).to_be_visible()
        assert page.evaluate(OVERLAPS_JS, "#lesson-card") == []
