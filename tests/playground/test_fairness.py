"""The queue a classroom shares: one client's flood is capped and served after everyone else."""

from __future__ import annotations

import time

import httpx
import pytest

from playground import fairness
from playground.gradio_internals import Waiting


def ev(session: str, host: str = "10.0.0.1") -> Waiting:
    return Waiting(session, host + "|")


def arrive(waiting: list, w: Waiting) -> None:
    waiting.insert(fairness.fair_place(waiting, w), w)


def order(waiting) -> list[str]:
    return [w.session for w in waiting]


def test_a_flooders_events_wait_behind_others_first_ones():
    waiting = [ev("flood") for _ in range(5)]
    for name in ("ana", "bo"):
        arrive(waiting, ev(name, host=f"10.0.0.{2 + len(name)}"))
    assert order(waiting) == ["flood", "ana", "bo", "flood", "flood", "flood", "flood"]
    arrive(waiting, ev("ana", host="10.0.0.5"))  # ana's second event: after the others' second
    assert order(waiting) == ["flood", "ana", "bo", "flood", "ana", "flood", "flood", "flood"]


def test_a_new_session_per_call_from_one_address_is_held_back_too():
    flood = [ev(f"call{k}", host="10.9.9.9") for k in range(3 * fairness.ADDRESS_SHARE)]
    waiting = list(flood)
    arrive(waiting, ev("student", host="10.0.0.1"))
    # the address's first ADDRESS_SHARE calls are its round 0, as the student's one call is:
    # the student goes after them, ahead of the flood's rounds 1 and 2
    assert order(waiting).index("student") == fairness.ADDRESS_SHARE
    assert [w for w in waiting if w.session != "student"] == flood


def test_a_class_behind_one_address_keeps_first_come_first_served():
    waiting = []
    for k in range(fairness.ADDRESS_SHARE):  # one round of the shared address: arrival order
        arrive(waiting, ev(f"s{k}"))
    assert order(waiting) == [f"s{k}" for k in range(fairness.ADDRESS_SHARE)]


def test_admission_caps_a_session_a_group_and_an_address():
    full_group = {"g": [ev(f"x{k}", host=f"10.1.{k}.1")
                        for k in range(fairness.MAX_WAITING_PER_GROUP)]}
    assert fairness.admit(ev("me"), "g", full_group) == fairness.REFUSED_GROUP
    assert fairness.admit(ev("me"), "other", full_group) is None  # other calls keep their room
    mine = {"a": [ev("me")] * (fairness.MAX_WAITING_PER_SESSION - 1), "b": [ev("me")]}
    assert fairness.admit(ev("me"), "c", mine) == fairness.REFUSED_SESSION
    assert fairness.admit(ev("you"), "c", mine) is None
    # a flood from one address, a new session per call: past half the group, that address is
    # refused and everyone else still gets in
    flood = {"g": [ev(f"call{k}", host="10.9.9.9")
                   for k in range(fairness.MAX_WAITING_PER_ADDRESS)]}
    assert fairness.admit(ev("call-next", host="10.9.9.9"), "g", flood) == fairness.REFUSED_GROUP
    assert fairness.admit(ev("student", host="10.0.0.1"), "g", flood) is None


def join(url: str, fn_index: int, data: list, session: str) -> httpx.Response:
    return httpx.post(url + "gradio_api/queue/join", timeout=30,
                      json={"data": data, "fn_index": fn_index, "session_hash": session,
                            "event_data": None, "trigger_id": None})


@pytest.fixture
def drained(app_url):
    """After the test: wait until the flood it left has run (the server is shared)."""
    yield
    import engine.bptt as bptt
    from engine.limits import LIMITS

    end = time.monotonic() + 120
    while httpx.get(app_url + "gradio_api/queue/status").json()["queue_size"] and \
            time.monotonic() < end:
        time.sleep(0.2)
    for _ in range(LIMITS.max_concurrent_profiles):  # every slot free: nothing computing
        bptt._computing.acquire(timeout=60)
    for _ in range(LIMITS.max_concurrent_profiles):
        bptt._computing.release()


def profile_fn_index(url: str) -> int:
    config = httpx.get(url + "config").json()
    return next(d["id"] for d in config["dependencies"] if d.get("api_name") == "gradient_profile")


def profile_args(seed: int) -> list:  # ~0.3-1 s each: enough to keep the group busy
    return ["lstm", 400, 0.9, "orthogonal", 1.0, True, 1.0, True, 1.0, 64, 2, "every", 0,
            seed, "en"]


@pytest.mark.slow
def test_one_session_flooding_the_profile_is_refused_and_others_still_answer(app_url, drained,
                                                                           monkeypatch):
    monkeypatch.setattr(fairness, "MAX_WAITING_PER_SESSION", 4)
    fn = profile_fn_index(app_url)
    codes = [join(app_url, fn, profile_args(1000 + k), "flooder").status_code
             for k in range(12)]
    assert codes.count(200) >= 4 and 503 in codes, codes
    refused = join(app_url, fn, profile_args(2000), "flooder")
    assert refused.status_code == 503 and "waiting" in refused.json()["detail"]
    assert "기다리는" in refused.json()["detail"]  # both languages: the request names neither
    t0 = time.perf_counter()  # a cheap call from someone else is neither refused nor held up
    r = httpx.post(app_url + "gradio_api/call/ping", json={"data": []}, timeout=30)
    with httpx.stream("GET", app_url + "gradio_api/call/ping/" + r.json()["event_id"],
                      timeout=30) as s:
        assert "complete" in "".join(s.iter_text())
    assert time.perf_counter() - t0 < 5
    other = join(app_url, fn, profile_args(3000), "student")  # and the same call, for others
    assert other.status_code == 200


@pytest.mark.slow
def test_a_group_full_of_one_call_refuses_it_but_not_the_page(app_url, drained, monkeypatch):
    monkeypatch.setattr(fairness, "MAX_WAITING_PER_GROUP", 3)
    monkeypatch.setattr(fairness, "MAX_WAITING_PER_ADDRESS", 3)
    fn = profile_fn_index(app_url)
    codes = [join(app_url, fn, profile_args(4000 + k), f"fresh{k}").status_code
             for k in range(10)]  # a new session per call: only the group cap holds them
    assert 503 in codes, codes
    refused = join(app_url, fn, profile_args(5000), "late")
    assert refused.status_code == 503 and "busy" in refused.json()["detail"]
    r = httpx.post(app_url + "gradio_api/call/ping", json={"data": []}, timeout=30)
    assert r.status_code == 200


def test_every_profile_event_shares_one_group_as_wide_as_the_engine_limit():
    """Every event that computes a BPTT profile (the page's and the API's) is in the one
    concurrency group "gradient_profile", limited to ``LIMITS.max_concurrent_profiles``: fails
    if an event is left in the default group or the limit differs from the engine's. Gradio's
    config does not show concurrency, so ``gradio_internals.event_concurrency`` reads it."""
    from engine.limits import LIMITS
    from playground.app import build_demo
    from playground.gradio_internals import event_concurrency
    from playground.tabs.bptt.handlers import cached_profile, show_profile

    demo = build_demo()
    groups = event_concurrency(demo, show_profile)
    assert len(groups) >= 3  # a control's miss, the first view (and a link's), the API
    assert set(groups) == {("gradient_profile", LIMITS.max_concurrent_profiles)}
    # every control's move asks the views already made first, in a group of its own (it
    # computes nothing: tests/playground/test_tab_bptt.py), 8 at a time
    answered = event_concurrency(demo, cached_profile)
    assert len(answered) >= 14 and set(answered) == {("profile_cached", 8)}
