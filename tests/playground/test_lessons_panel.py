"""The lessons' card (playground.lessons.panel): what each step shows, and its answers."""

from __future__ import annotations

import json

import gradio as gr
import pytest

from playground.lessons import reveal
from playground.lessons.panel import LESSONS, Walk, powers

from .test_links import app_links  # noqa: F401  (a fixture: the tabs as the app builds them)


@pytest.fixture(scope="module")
def walk(app_links):  # noqa: F811
    from playground.lessons import spec_of

    return Walk({t.id: spec_of(t) for t in app_links})


def _asking(lesson_id):
    lesson = LESSONS[lesson_id]
    return next(k for k, s in enumerate(lesson.steps) if s.ask is not None)


def test_a_step_shows_its_text_question_and_the_link_it_opens(walk):
    k = _asking("bptt")
    step = LESSONS["bptt"].steps[k]
    at, box, card, head, text, question, show, answer, back, forward, go = walk.open(
        "bptt", k, "en")
    assert at == ("bptt", k) and card.visible is True and box.open is True
    assert f"step {k + 1} of {len(LESSONS['bptt'].steps)}" in head
    assert step.text("en") in text and answer == ""
    assert question.visible is True and question.label == step.ask.question("en")
    assert [v for _, v in question.choices] == [str(i) for i in range(len(step.ask.choices))]
    assert show.visible is True and back.interactive is (k > 0) and forward.interactive is True
    assert json.loads(go) == {"link": step.link, "figure": step.figure, "lesson": "bptt",
                              "step": k + 1}
    # in Korean, the same step in Korean
    _, _, _, head, text, question, *_ = walk.open("bptt", k, "ko")
    assert "단계" in head and step.text("ko") in text and question.label == step.ask.question("ko")


def test_the_first_and_last_steps_and_steps_out_of_range(walk):
    n = len(LESSONS["hello"].steps)
    first = walk.open("hello", -5, "en")
    assert first[0] == ("hello", 0) and first[8].interactive is False
    last = walk.open("hello", 999, "en")
    assert last[0] == ("hello", n - 1) and last[9].interactive is False
    assert "last step" in last[4]
    assert walk.move(("hello", 2), 1, "en")[0] == ("hello", 3)
    assert walk.move(("hello", 2), -1, "en")[0] == ("hello", 1)


@pytest.mark.parametrize("lang,needle", [("en", "no lesson `nope`"), ("ko", "수업은 없습니다")])
def test_an_unknown_lesson_is_named(walk, lang, needle):
    with pytest.raises(gr.Error, match=needle):
        walk.open("nope", 0, lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_reveal_says_right_or_not_and_why_with_the_engine_s_number(walk, lang):
    k = _asking("bptt")
    step = LESSONS["bptt"].steps[k]
    want = reveal(step, lang)
    right = walk.reveal(("bptt", k), str(want.index), lang)
    wrong = walk.reveal(("bptt", k), str((want.index + 1) % len(step.ask.choices)), lang)
    assert right.startswith("**Right" if lang == "en" else "**맞았습니다")
    assert wrong.startswith("**Not quite" if lang == "en" else "**아쉽습니다")
    assert right.endswith(want.why) and wrong.endswith(want.why)
    assert walk.reveal(("bptt", k), None, lang) == walk.reveal(("bptt", k), "", lang)
    assert "reveal" in walk.reveal(("bptt", k), None, "en")


def test_powers_read_as_powers():
    assert powers("10⁻¹⁰") == "10^−10"
    assert powers("about 10⁻⁵", html=True) == "about 10<sup>−5</sup>"
    assert powers("0.9") == "0.9"


def test_a_link_s_unknown_lesson_is_named_without_its_markup(walk):
    with pytest.raises(gr.Error) as e:
        walk.open("<img src=x onerror=alert(1)>", 0, "en")
    assert "<" not in str(e.value) and "imgsrcxonerroralert1" in str(e.value)
