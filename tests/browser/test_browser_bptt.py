"""The BPTT tab's training race in Chromium, in English and Korean: the page states the gate
biases and the optimizer each race really used (read here from the replays' configs), says what
clipping did, and a Cancel after a live race has finished leaves it finished.

Uses the browser fixture and helpers of ``tests/browser/test_browser.py`` (skipped, or failed under
UNROLLED_REQUIRE_BROWSER=1, where Chromium is missing).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from engine.race import load_replay, replays

from .test_browser import browser, expect, opened  # noqa: F401  (browser is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def num(v: float) -> str:
    return f"{v:g}".replace("-", "−")


def sgd_spike() -> tuple[int, float]:
    """The step and norm of the unclipped RNN's largest gradient in the SGD replay."""
    _, steps, _ = load_replay("sgd_lag40")
    norms = [s.racers[0].grad_norm for s in steps]
    k = int(np.argmax(norms))
    return steps[k].step, norms[k]


def texts(locale: str) -> dict:
    cfg = load_replay(replays()[0]["name"])[0]
    step, norm = sgd_spike()
    g, i = num(cfg.gate_bias), num(cfg.input_bias)
    if locale == "en-US":
        return {"tab": "BPTT gradients",
                "biases": f"LSTM forget gate {g}, input gate {i}; GRU update gate {g}",
                "optimizer": f"optimizer Adam, lr {cfg.lr:g}",
                "adam": "Adam already divides each parameter's step",
                "sgd": f"At step {step} the unclipped RNN's gradient norm jumped to {norm:.3g}",
                "sgd_label": "Plain SGD with momentum",
                "pytorch": "PyTorch's defaults", "tuned": f"forget / update gate {g}",
                "live_biases": "LSTM forget gate PyTorch's default", "done": "held-out",
                "already": "had already finished (10 of 10 steps)"}
    return {"tab": "BPTT 기울기",
            "biases": f"LSTM 망각 게이트 {g}, 입력 게이트 {i}; GRU 업데이트 게이트 {g}",
            "optimizer": f"옵티마이저 Adam, 학습률 {cfg.lr:g}",
            "adam": "Adam은 이미 매개변수마다",
            "sgd": f"{step}단계에서 클리핑 없는 RNN의 기울기 노름이 {norm:.3g}까지",
            "sgd_label": "모멘텀 SGD",
            "pytorch": "PyTorch 기본값", "tuned": f"망각·업데이트 게이트 {g}",
            "live_biases": "LSTM 망각 게이트 PyTorch 기본값", "done": "학습에 쓰지 않은",
            "already": "이미 끝났습니다 (10단계 중 10단계)"}


def set_number(page, elem_id: str, value: int) -> None:
    box = page.locator(f"#{elem_id} input[type=number]")
    box.fill(str(value))
    box.press("Enter")


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_race_states_its_biases_and_optimizer(browser, app_url, locale, tmp_path):  # noqa: F811
    words = texts(locale)
    with opened(browser, app_url, locale) as page:
        page.get_by_role("tab", name=re.compile(words["tab"])).click()
        summary = page.locator("#bp-race-summary")
        # the recorded default race, on first view: its biases, its optimizer, why clipping lost
        expect(summary).to_contain_text(words["biases"], timeout=30_000)
        expect(summary).to_contain_text(words["optimizer"])
        expect(summary).to_contain_text(words["adam"])
        choice = page.locator("#bp-race-biases")
        expect(choice).to_contain_text(words["tuned"])
        expect(choice).to_contain_text(words["pytorch"])
        # the SGD replay: what clipping prevented, with the replay's own step and norm
        page.locator("#bp-replay input").click()
        page.get_by_role("option", name=re.compile(words["sgd_label"])).click()
        expect(summary).to_contain_text(words["sgd"], timeout=30_000)
        expect(page.locator(".toast-body")).to_have_count(0)
        page.screenshot(path=str(tmp_path / f"bptt-race-{locale}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["en-US", "ko-KR"])
def test_a_finished_live_race_stays_finished_on_cancel(browser, app_url, locale,  # noqa: F811
                                                       tmp_path):
    words = texts(locale)
    with opened(browser, app_url, locale) as page:
        page.get_by_role("tab", name=re.compile(words["tab"])).click()
        summary = page.locator("#bp-race-summary")
        expect(summary).to_contain_text(words["biases"], timeout=30_000)
        set_number(page, "bp-race-lag", 4)
        set_number(page, "bp-race-steps", 10)
        page.locator("#bp-race-biases").get_by_label(re.compile(words["pytorch"])).check()
        page.locator("#bp-race-run").click()
        expect(summary).to_contain_text(words["live_biases"], timeout=60_000)
        expect(summary).to_contain_text(words["done"], timeout=60_000)
        page.locator("#bp-race-cancel").click()
        status = page.locator("#bp-race-status")
        expect(status).to_contain_text(words["already"], timeout=30_000)
        expect(summary).to_contain_text(words["done"])  # still the finished race
        expect(page.locator(".toast-body")).to_have_count(0)


def test_a_view_already_made_takes_one_call_a_new_one_two(browser, app_url):  # noqa: F811
    """A control's move is answered from the views already made in one call (the wide
    group); a new view takes a second call, in the profiles' line, started by the miss."""
    joins: list[str] = []

    def on_request(r):
        if "queue/join" in r.url:
            joins.append(r.url)

    with opened(browser, app_url, "en-US", on_request=on_request, query="?tab=bptt") as page:
        expect(page.locator("html")).to_have_attribute("data-link", "shown", timeout=90_000)
        title = page.locator("#bp-profile .gtitle")
        expect(title).to_contain_text("T = 100", timeout=30_000)
        page.wait_for_timeout(1500)
        for value, calls in ((137, 2), (100, 1), (137, 1)):  # new, first view, made before
            before = len(joins)
            set_number(page, "bp-seq-len", value)
            expect(title).to_contain_text(f"T = {value}", timeout=60_000)
            page.wait_for_timeout(1500)  # (a second call would have started by now)
            assert len(joins) - before == calls, (value, joins[before:])
