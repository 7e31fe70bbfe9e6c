"""A live class poll: a teacher's room that students join with a short code, no account.

The teacher opens a room on a lesson's step; students join with the room's code (or its link,
``?room=K7QPX``) and follow the teacher's steps; at a step that asks, each student's answer is
counted (one per student: a new answer replaces the old), the teacher sees the counts as they
come, and reveals the computed answer to everyone.

One server process holds the rooms, in memory: a restart (a Space that sleeps or is rebuilt)
empties them, and the teacher opens a new one. A room keeps no personal data: a student is a
random token the student's page keeps (``localStorage``), so that leaving and rejoining is the
same student. Limits: :data:`MAX_ROOMS` rooms, :data:`MAX_STUDENTS` students a room, and a
room idle for :data:`IDLE_SECONDS` is gone.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
CODE_LENGTH = 5
MAX_ROOMS = 200
MAX_STUDENTS = 400
IDLE_SECONDS = 2 * 3600
MAX_CHOICES = 8


class RoomError(ValueError):
    """A code that names no room (or one gone idle), a full room, or a token not the room's:
    ``key`` is the message's key in ``playground.i18n``."""

    def __init__(self, key: str, **params: object):
        super().__init__(key)
        self.key, self.params = key, params


@dataclass
class Room:
    code: str
    teacher: str                     # the teacher's token: who may move and reveal
    lesson: str
    step: int                        # from 0
    students: set[str] = field(default_factory=set)
    answers: dict[int, dict[str, int]] = field(default_factory=dict)  # step -> token -> choice
    revealed: set[int] = field(default_factory=set)
    version: int = 0                 # bumped by every change a page shows
    touched: float = 0.0


@dataclass(frozen=True)
class View:
    """What a page shows of a room: the teacher's step, the counts, whether it is revealed."""

    code: str
    lesson: str
    step: int
    counts: tuple[int, ...]
    answered: int                    # students who answered this step
    students: int
    revealed: bool
    version: int
    mine: int | None = None          # this student's answer to this step, if any


class Rooms:
    """Every room of this process; thread-safe (handlers run in several threads)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_rooms: int = MAX_ROOMS,
                 max_students: int = MAX_STUDENTS, idle: float = IDLE_SECONDS):
        self.clock, self.max_rooms, self.max_students, self.idle = (clock, max_rooms,
                                                                     max_students, idle)
        self._rooms: dict[str, Room] = {}
        self._lock = threading.Lock()

    # -- the teacher -----------------------------------------------------------------------
    def open(self, lesson: str, step: int) -> tuple[str, str]:
        """A new room on ``lesson``'s ``step``: its code, and the teacher's token."""
        with self._lock:
            self._sweep()
            if len(self._rooms) >= self.max_rooms:
                raise RoomError("room_busy")
            code = self._new_code()
            teacher = secrets.token_hex(16)
            self._rooms[code] = Room(code, teacher, lesson, int(step), touched=self.clock())
            return code, teacher

    def move(self, code: str, teacher: str, lesson: str, step: int) -> None:
        """The teacher went to another step: every student follows."""
        with self._lock:
            room = self._teachers(code, teacher)
            if (room.lesson, room.step) != (lesson, int(step)):
                if room.lesson != lesson:
                    room.answers.clear()
                    room.revealed.clear()
                room.lesson, room.step = lesson, int(step)
                room.version += 1

    def reveal(self, code: str, teacher: str) -> None:
        """Show every page the answer to the room's step."""
        with self._lock:
            room = self._teachers(code, teacher)
            if room.step not in room.revealed:
                room.revealed.add(room.step)
                room.version += 1

    # -- the students ----------------------------------------------------------------------
    def join(self, code: str, token: str | None = None) -> str:
        """A student in the room ``code``: their token (``token`` again, if it is one of the
        room's: a student who left and came back)."""
        with self._lock:
            room = self._room(code)
            if token in room.students:
                return token
            if len(room.students) >= self.max_students:
                raise RoomError("room_full", n=self.max_students)
            token = secrets.token_hex(16)
            room.students.add(token)
            room.version += 1
            return token

    def answer(self, code: str, token: str, step: int, choice: int, n_choices: int) -> None:
        """A student's answer to the room's step (a new one replaces their last)."""
        with self._lock:
            room = self._room(code)
            if token not in room.students:
                raise RoomError("room_not_joined")
            if int(step) != room.step or room.step in room.revealed:
                raise RoomError("room_moved_on")
            if not 0 <= int(choice) < min(int(n_choices), MAX_CHOICES):
                raise RoomError("room_bad_choice")
            mine = room.answers.setdefault(room.step, {})
            if mine.get(token) != int(choice):
                mine[token] = int(choice)
                room.version += 1

    # -- every page ------------------------------------------------------------------------
    def view(self, code: str, n_choices: int = 0, token: str | None = None) -> View:
        """The room as a page shows it (``n_choices``: the step's number of choices)."""
        with self._lock:
            room = self._room(code)
            answers = room.answers.get(room.step, {})
            counts = [0] * max(0, min(int(n_choices), MAX_CHOICES))
            for choice in answers.values():
                if choice < len(counts):
                    counts[choice] += 1
            return View(room.code, room.lesson, room.step, tuple(counts), len(answers),
                        len(room.students), room.step in room.revealed, room.version,
                        answers.get(token) if token else None)

    def __len__(self) -> int:
        with self._lock:
            self._sweep()
            return len(self._rooms)

    # -- inside ----------------------------------------------------------------------------
    def _new_code(self) -> str:
        while True:
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if code not in self._rooms:
                return code

    def _room(self, code: object) -> Room:
        """The room ``code`` names (any case, spaces ignored), touched now; RoomError if none."""
        self._sweep()
        key = "".join(c for c in str(code or "")[:64] if c.isalnum()).upper()[:CODE_LENGTH + 2]
        room = self._rooms.get(key)
        if room is None:
            raise RoomError("room_unknown", code=key or "-")
        room.touched = self.clock()
        return room

    def _teachers(self, code: str, teacher: str) -> Room:
        room = self._room(code)
        if not secrets.compare_digest(str(teacher or ""), room.teacher):
            raise RoomError("room_not_teacher")
        return room

    def _sweep(self) -> None:
        now = self.clock()
        for code in [c for c, r in self._rooms.items() if now - r.touched > self.idle]:
            del self._rooms[code]


ROOMS = Rooms()  # the process's rooms (the app's handlers use these)
