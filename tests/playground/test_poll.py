"""The live class poll's handlers (playground.lessons.poll), with a room registry of their own."""

from __future__ import annotations

import json

import gradio as gr
import pytest

from playground.lessons import reveal
from playground.lessons.panel import LESSONS, Walk
from playground.lessons.poll import Poll
from playground.rooms import Rooms

from .test_links import app_links  # noqa: F401  (a fixture: the tabs as the app builds them)

SKIP = type(gr.skip())


@pytest.fixture
def poll(app_links):  # noqa: F811
    from playground.lessons import spec_of

    return Poll(Walk({t.id: spec_of(t) for t in app_links}), Rooms())


def _asking(lesson_id: str) -> int:
    return next(k for k, s in enumerate(LESSONS[lesson_id].steps) if s.ask is not None)


def test_a_class_follows_answers_and_sees_the_reveal(poll):
    k = _asking("bptt")
    step = LESSONS["bptt"].steps[k]
    room, md, plot, timer, host = poll.host(("bptt", k), "en")
    code = room["code"]
    assert f"Class code: {code}" in md and timer.active is True and host.visible is False
    assert plot.visible is True  # the step asks: its counts, all 0
    token, timer, host, free, student, *card, s_md, _, send = poll.join(code.lower(), "", "ko")
    assert student["role"] == "student" and student["at"] == ["bptt", k]
    assert card[3].startswith("3강") and card[5].visible is True  # the step, in Korean
    assert card[6].visible is False and card[8].interactive is False  # the teacher leads
    assert send.visible is True and code in s_md
    # nothing changed: the page's tick answers nothing
    assert all(isinstance(v, SKIP) for v in poll.tick(student, "ko"))
    want = reveal(step, "ko")
    wrong = (want.index + 1) % len(step.ask.choices)
    assert "보냈습니다" in poll.send(student, str(wrong), "ko")
    others = [poll.join_api(code) for _ in range(4)]
    for t in others:
        poll.answer_api(code, t, want.index)
    assert poll.view_api(code)["counts"][want.index] == 4
    # the teacher's tick draws the counts
    *_, t_md, t_plot, _ = poll.tick(room, "en")
    bars = json.loads(t_plot.value["plot"])["data"][0]
    assert bars["y"] == [4 if i == want.index else (1 if i == wrong else 0)
                         for i in range(len(step.ask.choices))]
    assert "5 joined, 5 answered" in t_md
    # the reveal reaches the student, with their verdict and the engine's why
    poll.reveal_all(room)
    out = poll.tick(student, "ko")
    assert out[8].startswith("**아쉽습니다") and out[8].endswith(want.why)
    assert out[-1].visible is False  # no more answers
    with pytest.raises(gr.Error, match="넘어가서"):
        poll.send(student, str(want.index), "ko")
    # the teacher moves on: the student's card follows (and its page opens the new step)
    poll.follow(room, ["bptt", k + 1])
    out = poll.tick(student, "ko")
    assert out[0]["at"] == ["bptt", k + 1] and f"{k + 2}단계" in out[4]
    assert f'"step": {k + 2}' in out[11]


def test_rejoining_is_the_same_student_and_a_wrong_code_is_named(poll):
    room, *_ = poll.host(("hello", 0), "en")
    token = poll.join_api(room["code"])
    assert poll.join(room["code"], token, "en")[0] == token
    assert poll.view_api(room["code"])["students"] == 1
    with pytest.raises(gr.Error, match="no class with the code"):
        poll.join("NOPE9", "", "en")
    with pytest.raises(gr.Error, match="코드가"):
        poll.join_api("NOPE9", "", "ko")
    with pytest.raises(gr.Error, match="Start a lesson first"):
        poll.host(None, "en")
    with pytest.raises(gr.Error, match="Pick one"):
        poll.answer_api(room["code"], token, 99)
