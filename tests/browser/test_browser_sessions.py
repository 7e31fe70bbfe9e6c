"""A closed page gives up its job at once (``demo.unload``), in a real browser."""

from __future__ import annotations

import time

import pytest

from playground import serving, sessions

from .test_browser import browser, expect, opened  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_for(condition, timeout: float = 30.0) -> bool:
    end = time.monotonic() + timeout
    while not condition() and time.monotonic() < end:
        time.sleep(0.1)
    return condition()


def test_a_closed_page_releases_its_job(browser, app_url):  # noqa: F811
    before = serving.jobs().counts()["tickets"]
    with opened(browser, app_url, "en-US") as page:
        page.locator("#topology-train-box").get_by_role("button").first.click()  # open it
        train = page.locator("button#topology-train")
        expect(train).to_be_visible(timeout=30_000)
        train.click()
        assert wait_for(lambda: serving.jobs().counts()["tickets"] == before + 1)
    # the page (its browser context) is closed: its ticket goes, and with it the job it alone
    # kept running; the State's own expiry (an hour) would be far later
    assert wait_for(lambda: serving.jobs().counts()["tickets"] == before)


def test_an_open_page_keeps_its_session_and_a_closed_one_loses_it(browser, app_demo,  # noqa: F811
                                                                   app_url):
    holder = app_demo.server_app.state_holder
    before = set(sessions._open)
    with opened(browser, app_url, "en-US") as page:
        expect(page.locator("#topology-diagram .js-plotly-plot")).to_be_visible(timeout=60_000)
        assert wait_for(lambda: set(sessions._open) - before), "the page opened no heartbeat"
        mine = set(sessions._open) - before
        # opening the page calls no handler (first views come as a file): a call makes the
        # session's state
        page.locator("#topology-input input, #topology-input textarea").first.press("Enter")
        assert wait_for(lambda: all(s in holder.session_data for s in mine))
        time.sleep(0.3)
        sessions.sweep(app_demo.server_app, idle_seconds=0)
        assert all(s in holder.session_data for s in mine)  # open: kept, however idle
    assert wait_for(lambda: not mine & set(sessions._open))
    time.sleep(0.3)
    sessions.sweep(app_demo.server_app, idle_seconds=0)
    assert not any(s in holder.session_data for s in mine)
