"""The live class poll in the page (``playground.rooms`` holds the rooms).

The teacher, in a lesson, presses *Start a class poll*: a room opens on the step shown, with a
short code (and a link, ``?room=K7QPX``) to put on the projector. Students join with the code:
their card follows the teacher's steps (a ``gr.Timer`` asks every :data:`TICK` seconds, and
answers nothing when nothing changed), they send an answer at a step that asks, and the
teacher's card shows the answers' counts as they come. The teacher's *Reveal* reveals to every
page: each computes the answer (``lessons.reveal``) and shows it with why.
"""

from __future__ import annotations

import contextlib

import gradio as gr
import plotly.graph_objects as go

from ..i18n import register, tr
from ..plots import layout
from ..rooms import ROOMS, RoomError, Rooms
from ..style import HIDDEN, MUTED, OUTPUT
from . import powers, reveal

TICK = 2.0  # seconds between a room page's questions

register(
    en={
        "room_host": "Start a class poll",
        "room_join": "Join",
        "room_code": "Class code",
        "room_code_info": "The code on your teacher's screen",
        "room_send": "Send my answer",
        "room_hosting": "**Class code: {code}** · students open this page and join with the "
                        "code, or open [this link](?room={code}) · {students} joined, {answered} "
                        "answered this step",
        "room_in": "In class **{code}**: your teacher leads the steps.",
        "room_sent": "In class **{code}**: your answer is in ({choice}). Your teacher will "
                     "reveal the answer.",
        "room_poll": "{answered} of {students} answered",
        "room_unknown": "There is no class with the code **{code}** (a class ends after 2 hours "
                        "with no activity, or when the server restarts): check the code, or ask "
                        "your teacher for a new one.",
        "room_full": "This class is full ({n} students).",
        "room_busy": "Too many classes are open on this server; try again later.",
        "room_not_joined": "Join the class first.",
        "room_not_teacher": "Only the class's teacher can do that.",
        "room_moved_on": "Your teacher has moved on: this step takes no more answers.",
        "room_bad_choice": "Pick one of the answers.",
        "room_lesson_first": "Start a lesson first, then the poll.",
    },
    ko={
        "room_host": "반 전체 투표 시작",
        "room_join": "참여",
        "room_code": "수업 코드",
        "room_code_info": "선생님 화면에 보이는 코드",
        "room_send": "내 답 보내기",
        "room_hosting": "**수업 코드: {code}** · 학생들은 이 페이지를 열고 코드로 참여하거나 "
                        "[이 링크](?room={code})를 엽니다 · {students}명 참여, 이 단계에 "
                        "{answered}명 답함",
        "room_in": "**{code}** 수업에 참여 중: 선생님이 단계를 이끕니다.",
        "room_sent": "**{code}** 수업: 답을 보냈습니다 ({choice}). 선생님이 정답을 공개합니다.",
        "room_poll": "{students}명 중 {answered}명 답함",
        "room_unknown": "코드가 **{code}**인 수업이 없습니다 (수업은 2시간 동안 활동이 없거나 "
                        "서버가 다시 시작되면 끝납니다). 코드를 확인하거나 선생님께 새 코드를 "
                        "받으세요.",
        "room_full": "이 수업은 가득 찼습니다 ({n}명).",
        "room_busy": "이 서버에 열린 수업이 너무 많습니다. 나중에 다시 해 보세요.",
        "room_not_joined": "먼저 수업에 참여하세요.",
        "room_not_teacher": "수업의 선생님만 할 수 있습니다.",
        "room_moved_on": "선생님이 다음으로 넘어가서 이 단계는 더 이상 답을 받지 않습니다.",
        "room_bad_choice": "답 중 하나를 고르세요.",
        "room_lesson_first": "먼저 수업을 시작한 뒤 투표를 여세요.",
    },
)


def _error(e: RoomError, lang: str) -> gr.Error:
    return gr.Error(tr(lang, e.key, **e.params))


def poll_figure(labels: list[str], counts: tuple[int, ...], right: int | None,
                title: str) -> go.Figure:
    """The answers' counts, one bar a choice (the right one in the output colour once
    revealed)."""
    colors = [OUTPUT if k == right else (MUTED if right is not None else HIDDEN)
              for k in range(len(labels))]
    fig = go.Figure(go.Bar(x=labels, y=list(counts), marker=dict(color=colors),
                           text=[str(c) for c in counts], textposition="outside",
                           cliponaxis=False, name="answers", hoverinfo="x+y"))
    top = max(counts, default=0)
    fig.update_yaxes(range=[0, max(1, top) * 1.2], dtick=max(1, (top + 4) // 5))
    return layout(fig, title, height=240)


class Poll:
    """The poll's handlers; ``walk`` opens steps (``panel.Walk``)."""

    def __init__(self, walk, rooms: Rooms = ROOMS):
        self.walk, self.rooms = walk, rooms

    def _step(self, lesson: str, k: int):
        return self.walk.lesson(lesson, "en").steps[k]

    def _n(self, lesson: str, k: int) -> int:
        ask = self._step(lesson, k).ask
        return len(ask.choices) if ask else 0

    def _labels(self, lesson: str, k: int, lang: str) -> list[str]:
        ask = self._step(lesson, k).ask
        return [powers(c.label(lang)) for c in ask.choices] if ask else []

    # -- the teacher -----------------------------------------------------------------------
    def host(self, at: object, lang: str) -> list:
        """A room on the step shown: the card says its code; the counts start."""
        if not (isinstance(at, (tuple, list)) and len(at) == 2):
            raise gr.Error(tr(lang, "room_lesson_first"))
        lesson, k = at
        try:
            code, teacher = self.rooms.open(lesson, int(k))
        except RoomError as e:
            raise _error(e, lang) from None
        room = {"code": code, "role": "teacher", "token": teacher, "version": -1,
                "at": [lesson, int(k)], "revealed": False}
        return [room, *self._teacher_view(room, lang), gr.Timer(active=True),
                gr.Button(visible=False)]

    def _teacher_view(self, room: dict, lang: str) -> list:
        lesson, k = room["at"]
        view = self.rooms.view(room["code"], self._n(lesson, k))
        room["version"] = view.version
        md = tr(lang, "room_hosting", code=room["code"], students=view.students,
                answered=view.answered)
        if not view.counts:
            return [md, gr.Plot(visible=False)]
        right = reveal(self._step(lesson, k), lang, self.walk.specs).index \
            if view.revealed else None
        fig = poll_figure(self._labels(lesson, k, lang), view.counts, right,
                          tr(lang, "room_poll", answered=view.answered, students=view.students))
        return [md, gr.Plot(fig, visible=True)]

    def follow(self, room: object, at: object) -> None:
        """The teacher opened another step: the room goes there too."""
        if isinstance(room, dict) and room.get("role") == "teacher" and at:
            lesson, k = at
            try:
                self.rooms.move(room["code"], room["token"], lesson, int(k))
            except RoomError:
                return  # the room is gone: the teacher's card goes on alone
            room["at"] = [lesson, int(k)]

    def reveal_all(self, room: object) -> None:
        if isinstance(room, dict) and room.get("role") == "teacher":
            with contextlib.suppress(RoomError):
                self.rooms.reveal(room["code"], room["token"])

    # -- the students ----------------------------------------------------------------------
    def join(self, code: object, token: object, lang: str) -> list:
        """A student in the room ``code`` (``token``: theirs from before, kept by the page):
        the card at the teacher's step, the student's token (for the page to keep)."""
        try:
            token = self.rooms.join(str(code or ""), str(token or "") or None)
            view = self.rooms.view(str(code))
        except RoomError as e:
            raise _error(e, lang) from None
        room = {"code": view.code, "role": "student", "token": token, "version": -1,
                "at": None, "revealed": False}
        # (a student neither hosts nor ends the teacher's lesson)
        return [token, gr.Timer(active=True), gr.Button(visible=False), gr.Button(visible=False),
                *self.tick(room, lang, force=True)]

    def send(self, room: object, choice: object, lang: str) -> str:
        if not (isinstance(room, dict) and room.get("role") == "student" and room.get("at")):
            raise gr.Error(tr(lang, "room_not_joined"))
        if choice in (None, ""):
            raise gr.Error(tr(lang, "room_bad_choice"))
        lesson, k = room["at"]
        try:
            self.rooms.answer(room["code"], room["token"], k, int(choice), self._n(lesson, k))
        except (RoomError, ValueError) as e:
            raise _error(e if isinstance(e, RoomError) else RoomError("room_bad_choice"),
                         lang) from None
        return tr(lang, "room_sent", code=room["code"],
                  choice=self._labels(lesson, k, lang)[int(choice)])

    # -- the API ---------------------------------------------------------------------------
    def join_api(self, code: str, token: str = "", lang: str = "en") -> str:
        """Join the class ``code`` (again, with ``token``, the one this returned before): the
        student's token."""
        try:
            return self.rooms.join(str(code or ""), str(token or "") or None)
        except RoomError as e:
            raise _error(e, lang) from None

    def answer_api(self, code: str, token: str, choice: int, lang: str = "en") -> str:
        """Answer the class's step shown with the choice ``choice`` (from 0)."""
        try:
            view = self.rooms.view(str(code or ""))
            self.rooms.answer(view.code, str(token or ""), view.step, int(choice),
                              self._n(view.lesson, view.step))
        except (RoomError, ValueError, TypeError) as e:
            raise _error(e if isinstance(e, RoomError) else RoomError("room_bad_choice"),
                         lang) from None
        return "ok"

    def view_api(self, code: str, lang: str = "en") -> dict:
        """The class's step (from 1) and its answers' counts: no one's answers, only counts."""
        try:
            view = self.rooms.view(str(code or ""))
            view = self.rooms.view(view.code, self._n(view.lesson, view.step))
        except RoomError as e:
            raise _error(e, lang) from None
        return {"code": view.code, "lesson": view.lesson, "step": view.step + 1,
                "students": view.students, "answered": view.answered,
                "counts": list(view.counts), "revealed": view.revealed}

    # -- every page, every TICK seconds ----------------------------------------------------
    def tick(self, room: object, lang: str, force: bool = False) -> list:
        """What changed in the room since this page last looked (all skipped if nothing):
        [room, *the card's outputs (walk.open's), the room's text, the counts, send]."""
        skip = [gr.skip()] * (1 + 11 + 3)
        if not isinstance(room, dict):
            return skip
        try:
            if room.get("role") == "teacher":
                view = self.rooms.view(room["code"])
                if view.version == room["version"] and not force:
                    return skip
                md, plot = self._teacher_view(room, lang)
                return [room, *[gr.skip()] * 11, md, plot, gr.skip()]
            view = self.rooms.view(room["code"], 0, room["token"])
        except RoomError as e:  # the room ended: the page says so, once
            if room.get("gone"):
                return skip
            room["gone"] = True
            return [room, *[gr.skip()] * 11, tr(lang, e.key, **e.params), gr.skip(),
                    gr.Button(visible=False)]
        if view.version == room["version"] and not force:
            return skip
        room["version"] = view.version
        at = [view.lesson, view.step]
        # the card's outputs, as walk.open gives them: [at, box, card, head, text, question,
        # reveal, answer, back, next, go]; a student's reveal, back and next are the teacher's
        card = [gr.skip()] * 11
        if at != room["at"] or force:
            room["at"], room["revealed"] = at, False
            card = self.walk.open(view.lesson, view.step, lang)
            card[6] = gr.Button(visible=False)
            card[8] = card[9] = gr.Button(interactive=False)
        asks = self._n(*at) > 0
        if asks and view.revealed and not room["revealed"]:
            room["revealed"] = True
            card[7] = (self.walk.reveal(at, str(view.mine), lang) if view.mine is not None
                       else self._answer_only(at, lang))
        md = (tr(lang, "room_sent", code=view.code, choice=self._labels(*at, lang)[view.mine])
              if asks and view.mine is not None and not view.revealed
              else tr(lang, "room_in", code=view.code))
        return [room, *card, md, gr.skip(), gr.Button(visible=asks and not view.revealed)]

    def _answer_only(self, at: list, lang: str) -> str:
        _, answer, why = self.walk.answer(self._step(*at), lang)
        return f"**{answer}**\n\n{why}"
