"""The lessons in the page: a card above the tabs that walks through one lesson, step by step.

A step opens as a link does (``links.js: go``): its tab's hidden apply button sets the tab's
controls from the step's link (``links.apply``, the same checks), the tab draws once, and the
page scrolls to the step's figure and outlines it. A step that asks shows its choices first;
*Reveal* computes the answer now (``lessons.reveal``: the engine, as the tab computes it) and
says why. The address holds the lesson and its step (``?lesson=bptt&lesson_step=3``), so a
teacher can link to one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import gradio as gr

from ..i18n import I18N, lang_of, register, tr
from ..serving import keep_view
from . import Lesson, TabSpec, load_all, powers, reveal, spec_of
from .poll import TICK, Poll

register(
    en={
        "lesson_title": "Lessons",
        "lesson_pick": "Lesson",
        "lesson_start": "Start",
        "lesson_back": "◀ Back",
        "lesson_next": "Next ▶",
        "lesson_free": "Explore freely from here",
        "lesson_reveal": "Reveal the answer",
        "lesson_progress": "Lesson {n}: {title} · step {k} of {steps}",
        "lesson_look": "Look at the outlined figure.",
        "lesson_pick_first": "Pick an answer first, then reveal.",
        "lesson_right": "**Right: {answer}.**",
        "lesson_wrong": "**Not quite: the answer is {answer}.**",
        "lesson_unknown": "There is no lesson `{name}`; the lessons are {names}.",
        "lesson_done": "That was the last step. Explore freely from here, or pick another lesson.",
    },
    ko={
        "lesson_title": "수업",
        "lesson_pick": "수업",
        "lesson_start": "시작",
        "lesson_back": "◀ 이전",
        "lesson_next": "다음 ▶",
        "lesson_free": "여기서부터 자유롭게 살펴보기",
        "lesson_reveal": "정답 보기",
        "lesson_progress": "{n}강: {title} · {steps}단계 중 {k}단계",
        "lesson_look": "테두리로 표시한 그림을 보세요.",
        "lesson_pick_first": "먼저 답을 고른 뒤 정답을 보세요.",
        "lesson_right": "**맞았습니다: {answer}.**",
        "lesson_wrong": "**아쉽습니다. 정답은 {answer}입니다.**",
        "lesson_unknown": "`{name}`이라는 수업은 없습니다. 수업은 {names}입니다.",
        "lesson_done": "마지막 단계였습니다. 여기서부터 자유롭게 살펴보거나 다른 수업을 고르세요.",
    },
)

LESSONS: dict[str, Lesson] = {lesson.id: lesson for lesson in load_all()}

class Walk:
    """The handlers of one app's lesson card (they need its tabs' link keys and figures)."""

    def __init__(self, specs: dict[str, TabSpec]):
        self.specs = specs

    def lesson(self, name: object, lang: str) -> Lesson:
        if not isinstance(name, str) or name not in LESSONS:
            shown = re.sub(r"[^\w-]", "", str(name))[:40] or "-"  # (a link's text: no markup)
            raise gr.Error(tr(lang, "lesson_unknown", name=shown, names=", ".join(LESSONS)))
        return LESSONS[name]

    def open(self, name: object, k: object, lang: str = "en") -> list:
        """Step ``k`` (from 0) of the lesson ``name``: the card's contents, and what the page
        opens (the step's link, its figure, the lesson and step for the address)."""
        lang = lang_of(lang)
        lesson = self.lesson(name, lang)
        try:
            k = min(max(int(k), 0), len(lesson.steps) - 1)
        except (TypeError, ValueError):
            k = 0
        step = lesson.steps[k]
        head = tr(lang, "lesson_progress", n=lesson.number, title=lesson.title(lang), k=k + 1,
                  steps=len(lesson.steps))
        last = k == len(lesson.steps) - 1
        text = step.text(lang) + "\n\n*" + tr(lang, "lesson_look") + "*"
        if last:
            text += "\n\n" + tr(lang, "lesson_done")
        ask = step.ask
        question = (gr.Radio(choices=[(powers(c.label(lang)), str(i))
                                      for i, c in enumerate(ask.choices)],
                             value=None, label=ask.question(lang), visible=True)
                    if ask else gr.Radio(choices=[], value=None, visible=False))
        go = json.dumps({"link": step.link, "figure": step.figure, "lesson": lesson.id,
                         "step": k + 1})
        return [(lesson.id, k), gr.Accordion(open=True), gr.Column(visible=True), head, text,
                question,
                gr.Button(visible=ask is not None), "", gr.Button(interactive=k > 0),
                gr.Button(interactive=not last), go]

    def start(self, name: object, lang: str = "en") -> list:
        return self.open(name, 0, lang)

    def move(self, at: object, delta: int, lang: str = "en") -> list:
        name, k = _where(at)
        return self.open(name, int(k) + delta, lang)

    def answer(self, step, lang: str) -> tuple[int, str, str]:
        """A step's question answered now: the right choice's index, its label (Markdown)
        and why."""
        r = reveal(step, lang, self.specs)
        return r.index, powers(step.ask.choices[r.index].label(lang), html=True), r.why

    def reveal(self, at: object, choice: object, lang: str = "en") -> str:
        """The question of the step shown, answered now: right or not, and why."""
        lang = lang_of(lang)
        name, k = _where(at)
        step = self.lesson(name, lang).steps[int(k)]
        if step.ask is None:
            return ""
        if choice in (None, ""):
            return tr(lang, "lesson_pick_first")
        index, answer, why = self.answer(step, lang)
        right = str(choice) == str(index)
        return tr(lang, "lesson_right" if right else "lesson_wrong", answer=answer) + "\n\n" + why


def _where(at: object) -> tuple[object, object]:
    """The lesson and step a card's state holds (none if it holds nothing)."""
    return at if isinstance(at, (tuple, list)) and len(at) == 2 else (None, 0)


def build(tabs: Sequence, lang_box: gr.Textbox, lang_js: str) -> None:
    """The lesson card (call inside the app's Blocks, above its tabs): ``tabs`` are the app's
    ``links.TabLinks``, whose apply buttons open each step; ``lang_js`` reads the page's
    language in the page."""
    walk = Walk({t.id: spec_of(t) for t in tabs})
    at = gr.State(None)
    names = [(f"{lesson.number}. {lesson.title.en} / {lesson.title.ko}", lesson.id)
             for lesson in LESSONS.values()]
    with gr.Accordion(I18N("lesson_title"), open=False, elem_id="lessons") as box:
        with gr.Row(elem_classes="lesson-pick"):
            pick = gr.Dropdown(names, value=names[0][1], label=I18N("lesson_pick"), scale=4,
                               elem_id="lesson-pick")
            start = gr.Button(I18N("lesson_start"), variant="primary", scale=1,
                              elem_id="lesson-start")
        with gr.Row(elem_classes="room-join"):  # a student joins the teacher's class
            code_in = gr.Textbox(label=I18N("room_code"), info=I18N("room_code_info"),
                                 max_lines=1, scale=3, elem_id="room-code")
            join = gr.Button(I18N("room_join"), scale=1, elem_id="room-join")
        with gr.Column(visible=False, elem_id="lesson-card") as card:
            head = gr.Markdown(elem_id="lesson-head")
            text = gr.Markdown(elem_id="lesson-text")
            question = gr.Radio(visible=False, elem_id="lesson-question")
            show = gr.Button(I18N("lesson_reveal"), visible=False, elem_id="lesson-reveal")
            send = gr.Button(I18N("room_send"), visible=False, variant="primary",
                             elem_id="room-send")
            answer = gr.Markdown(elem_id="lesson-answer")
            room_md = gr.Markdown(elem_id="room-info")
            poll_plot = gr.Plot(visible=False, show_label=False, elem_id="room-poll")
            with gr.Row():
                back = gr.Button(I18N("lesson_back"), elem_id="lesson-back")
                forward = gr.Button(I18N("lesson_next"), variant="primary",
                                    elem_id="lesson-next")
                free = gr.Button(I18N("lesson_free"), elem_id="lesson-free")
                host = gr.Button(I18N("room_host"), elem_id="room-host")
    # (outside the accordion: there while it is closed, for a link to press)
    go = gr.Textbox(visible="hidden", elem_id="lesson-go", label="go")
    resume = gr.Button("resume", visible="hidden", elem_id="lesson-resume")
    token = gr.Textbox(visible="hidden", elem_id="room-token", label="token")
    auto = gr.Button("join", visible="hidden", elem_id="room-auto")
    room = gr.State(None)
    timer = gr.Timer(TICK, active=False)
    poll = Poll(walk)
    outputs = [at, box, card, head, text, question, show, answer, back, forward, go]
    opened = dict(outputs=outputs, api_visibility="private", show_progress="hidden")
    # open the step's view (always, from the card's buttons; from a room's tick, when new)
    then = dict(fn=None, inputs=[go], outputs=None,
                js="(g) => { if (g) window.unrolledLinks.go(JSON.parse(g)); }")
    follow = dict(fn=poll.follow, inputs=[room, at], outputs=None, api_visibility="private",
                  show_progress="hidden")
    start.click(keep_view(walk.start), [pick, lang_box], **opened).then(**then)
    back.click(keep_view(lambda a, lang: walk.move(a, -1, lang)), [at, lang_box],
               **opened).then(**then).then(**follow)
    forward.click(keep_view(lambda a, lang: walk.move(a, 1, lang)), [at, lang_box],
                  **opened).then(**then).then(**follow)
    # the live poll (lessons.poll, playground.rooms)
    ticked = [room, *outputs, room_md, poll_plot, send]
    host.click(keep_view(poll.host), [at, lang_box], [room, room_md, poll_plot, timer, host],
               api_visibility="private")
    # a student joins with the code (typed, or from a class's link, ?room=K7QPX): the page
    # keeps the student's token per class (localStorage), so that coming back is the same one
    kept = "String(CODE).trim().toUpperCase()"
    mine = ("(c, _t, _l) => { c = " + kept + "; let t = ''; try { t = localStorage.getItem("
            "'unrolled-room-' + c) || ''; } catch (e) {} return [c, t, (" + lang_js + ")()]; }")
    keep = ("(t, c) => { try { localStorage.setItem('unrolled-room-' + " + kept
            + ", t); } catch (e) {} }")
    new_step = dict(fn=None, inputs=[go], outputs=None,
                    js="(g) => { if (g) window.unrolledLinks.go(JSON.parse(g), true); }")
    joined = dict(fn=keep_view(poll.join), inputs=[code_in, token, lang_box],
                  outputs=[token, timer, host, free, *ticked], api_visibility="private")
    for button, code in ((join, "c || ''"), (auto, "window.unrolledLinks.room()")):
        button.click(**joined, js=mine.replace("CODE", code)).then(
            None, [token, code_in], None, js=keep.replace("CODE", code)).then(**new_step)
    timer.tick(poll.tick, [room, lang_box], ticked, api_visibility="private",
               show_progress="hidden").then(**new_step)
    send.click(keep_view(poll.send), [room, question, lang_box], room_md,
               api_visibility="private")
    # the poll for scripts (and a class's HTTP clients): join, answer, see the counts
    gr.api(poll.join_api, api_name="room_join")
    gr.api(poll.answer_api, api_name="room_answer")
    gr.api(poll.view_api, api_name="room_view")
    # a link to a lesson (?lesson=bptt&lesson_step=3): the page presses resume with them
    resume.click(keep_view(walk.open), [pick, go, lang_box], **opened,
                 js="(p, g, l) => [window.unrolledLinks.lesson()[0], "
                    "window.unrolledLinks.lesson()[1] - 1, l]").then(**then)
    show.click(keep_view(walk.reveal), [at, question, lang_box], answer,
               api_visibility="private").then(poll.reveal_all, [room], None,
                                              api_visibility="private", show_progress="hidden")
    free.click(lambda: (None, gr.Column(visible=False), None, gr.Timer(active=False)), None,
               [at, card, room, timer],
               api_visibility="private",
               js="() => { window.unrolledLinks.setKey('lesson', null); "
                  "window.unrolledLinks.setKey('lesson_step', null); "
                  "document.documentElement.classList.remove('in-lesson'); "
                  "for (const e of document.querySelectorAll('.lesson-focus')) "
                  "e.classList.remove('lesson-focus'); }")
