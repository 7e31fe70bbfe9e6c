"""The live class poll in Chromium: one teacher page, two student pages (a laptop in English, a
phone in Korean) and 28 more students over HTTP (gradio_client, the poll's API). The teacher's
page shows the counts as they come; its reveal reaches every student page with the engine's
answer; its next step moves them; a student who leaves and comes back is the same student; a
wrong code is named.
"""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from playground.lessons import reveal
from playground.lessons.panel import LESSONS

from .test_browser import browser, expect  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LESSON = "bptt"
K = next(k for k, s in enumerate(LESSONS[LESSON].steps) if s.ask is not None)  # from 0


def _page(browser, app_url, query, locale="en-US", viewport=(1280, 800)):  # noqa: F811
    ctx = browser.new_context(locale=locale, viewport={"width": viewport[0],
                                                       "height": viewport[1]})
    page = ctx.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(app_url.rstrip("/") + "/" + query)
    return ctx, page, errors


def _bars(page) -> list[int]:
    return page.evaluate("""() => { const g = document.querySelector('#room-poll .js-plotly-plot');
        return g && g.data[0] ? Array.from(g.data[0].y) : []; }""")


def test_a_class_of_30_answers_and_sees_the_reveal(browser, app_url):  # noqa: F811
    from gradio_client import Client

    step = LESSONS[LESSON].steps[K]
    n = len(step.ask.choices)
    t_ctx, teacher, t_err = _page(browser, app_url, f"?lesson={LESSON}&lesson_step={K + 1}")
    contexts = [t_ctx]
    try:
        expect(teacher.locator("#lesson-head")).to_contain_text(f"step {K + 1} of",
                                                                timeout=90_000)
        teacher.locator("#room-host").click()
        info = teacher.locator("#room-info")
        expect(info).to_contain_text("Class code:", timeout=30_000)
        code = re.search(r"Class code: (\w+)", info.inner_text()).group(1)

        # two students in browsers: a laptop (English), a phone (Korean) by the class's link
        s_ctx, laptop, l_err = _page(browser, app_url, "")
        contexts.append(s_ctx)
        laptop.locator("#lessons").get_by_text("Lessons").first.click()
        laptop.locator("#room-code input, #room-code textarea").fill(code.lower())
        laptop.locator("#room-join").click()
        p_ctx, phone, p_err = _page(browser, app_url, f"?room={code}", "ko-KR", (390, 844))
        contexts.append(p_ctx)
        for page, words in ((laptop, f"step {K + 1} of"), (phone, f"중 {K + 1}단계")):
            expect(page.locator("#lesson-head")).to_contain_text(words, timeout=90_000)
            expect(page.locator("#room-send")).to_be_visible()
            expect(page.locator("#lesson-next")).to_be_disabled()

        # 28 more over HTTP, answering at once (a client per thread: one gradio_client
        # session is not shared between threads; a student is their token, not the session)
        client = Client(app_url, verbose=False)
        local = threading.local()

        def call(*args, api_name):
            if not hasattr(local, "client"):
                local.client = Client(app_url, verbose=False)
            return local.client.predict(*args, api_name=api_name)

        with ThreadPoolExecutor(8) as pool:
            tokens = list(pool.map(lambda _: call(code, "", "en", api_name="/room_join"),
                                   range(28)))
            list(pool.map(lambda kt: call(code, kt[1], kt[0] % n, "en",
                                          api_name="/room_answer"), enumerate(tokens)))
        want = [sum(1 for k in range(28) if k % n == c) for c in range(n)]
        for page, choice in ((laptop, 0), (phone, n - 1)):
            page.locator("#lesson-question label").nth(choice).click()
            page.locator("#room-send").click()
            want[choice] += 1
        # the teacher's page shows the counts as they come
        teacher.wait_for_function("(w) => { const g = document.querySelector('#room-poll "
                                  ".js-plotly-plot'); return g && g.data[0] && JSON.stringify("
                                  "Array.from(g.data[0].y)) === JSON.stringify(w); }",
                                  arg=want, timeout=60_000)
        expect(info).to_contain_text("30 joined, 30 answered")
        assert client.predict(code, "en", api_name="/room_view")["counts"] == want

        # a student who leaves and comes back is the same student
        phone.close()
        phone = p_ctx.new_page()
        phone.on("pageerror", lambda e: p_err.append(str(e)))
        phone.goto(app_url.rstrip("/") + f"/?room={code}")
        expect(phone.locator("#room-info")).to_contain_text("답을 보냈습니다", timeout=90_000)
        assert client.predict(code, "en", api_name="/room_view")["students"] == 30

        # the reveal reaches every page, with the engine's number
        teacher.locator("#lesson-question label").first.click()
        teacher.locator("#lesson-reveal").click()
        for page, lang in ((laptop, "en"), (phone, "ko")):
            why = re.sub(r"[*`]", "", reveal(step, lang).why)[:40]
            expect(page.locator("#lesson-answer")).to_contain_text(why, timeout=60_000)
            expect(page.locator("#room-send")).to_be_hidden()
        assert client.predict(code, "en", api_name="/room_view")["revealed"] is True
        right = reveal(step, "en").index
        teacher.wait_for_function(  # the right bar in the output colour
            "(k) => { const g = document.querySelector('#room-poll .js-plotly-plot'); return g "
            "&& JSON.stringify(g.data[0].marker.color).split(',')[k].includes('#CD7D1E'); }",
            arg=right, timeout=30_000)

        # the teacher's next step moves every student
        teacher.locator("#lesson-next").click()
        for page, words in ((laptop, f"step {K + 2} of"), (phone, f"중 {K + 2}단계")):
            expect(page.locator("#lesson-head")).to_contain_text(words, timeout=60_000)
            page.wait_for_function("(k) => new URLSearchParams(location.search)"
                                   ".get('lesson_step') === String(k)", arg=K + 2,
                                   timeout=60_000)
        assert client.predict(code, "en", api_name="/room_view")["step"] == K + 2

        # a wrong code is named, in the page's language
        laptop.locator("#room-code input, #room-code textarea").fill("ZZZZZ")
        laptop.locator("#room-join").click()
        expect(laptop.locator(".toast-body")).to_contain_text("no class with the code",
                                                              timeout=30_000)
        assert not (t_err or l_err or p_err), (t_err, l_err, p_err)
    finally:
        for ctx in contexts:
            ctx.close()


def test_the_poll_api_says_a_wrong_code(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    with pytest.raises(Exception, match="no class with the code"):
        client.predict("NOPE9", "en", api_name="/room_view")
