"""The live class poll's rooms (playground.rooms): codes, students, answers, reveal, limits."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from playground.rooms import ALPHABET, CODE_LENGTH, RoomError, Rooms


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_room_counts_one_answer_a_student_and_reveals_to_everyone():
    rooms = Rooms()
    code, teacher = rooms.open("bptt", 1)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    students = [rooms.join(code) for _ in range(5)]
    assert len(set(students)) == 5
    for token, choice in zip(students, [0, 0, 2, 1, 0]):
        rooms.answer(code, token, 1, choice, 3)
    rooms.answer(code, students[0], 1, 2, 3)  # a new answer replaces the last
    view = rooms.view(code, 3, students[0])
    assert view.counts == (2, 1, 2) and view.answered == 5 and view.students == 5
    assert view.mine == 2 and not view.revealed and view.step == 1
    rooms.reveal(code, teacher)
    assert rooms.view(code, 3).revealed
    with pytest.raises(RoomError) as e:  # after the reveal, no more answers
        rooms.answer(code, students[1], 1, 2, 3)
    assert e.value.key == "room_moved_on"
    rooms.move(code, teacher, "bptt", 2)  # every student follows; a new step, no answers
    view = rooms.view(code, 3)
    assert view.step == 2 and view.counts == (0, 0, 0) and not view.revealed
    rooms.move(code, teacher, "bptt", 1)  # back: the step's answers and reveal are kept
    assert rooms.view(code, 3).counts == (2, 1, 2) and rooms.view(code, 3).revealed


def test_leaving_and_rejoining_is_the_same_student():
    rooms = Rooms()
    code, _ = rooms.open("hello", 0)
    token = rooms.join(code)
    rooms.answer(code, token, 0, 1, 2)
    again = rooms.join(code.lower(), token)  # the code in any case, the token kept
    assert again == token
    rooms.answer(code, again, 0, 1, 2)
    assert rooms.view(code, 2).counts == (0, 1) and rooms.view(code, 2).students == 1
    assert rooms.join(code, "not-a-token-of-this-room") != token


@pytest.mark.parametrize("call,key", [
    (lambda r, c, t, s: r.join("ZZZZZ"), "room_unknown"),
    (lambda r, c, t, s: r.answer(c, "stranger", 0, 0, 3), "room_not_joined"),
    (lambda r, c, t, s: r.answer(c, s, 0, 3, 3), "room_bad_choice"),
    (lambda r, c, t, s: r.answer(c, s, 5, 0, 3), "room_moved_on"),
    (lambda r, c, t, s: r.reveal(c, s), "room_not_teacher"),
    (lambda r, c, t, s: r.move(c, "", "bptt", 2), "room_not_teacher"),
])
def test_what_a_room_refuses(call, key):
    rooms = Rooms()
    code, teacher = rooms.open("bptt", 0)
    student = rooms.join(code)
    with pytest.raises(RoomError) as e:
        call(rooms, code, teacher, student)
    assert e.value.key == key


def test_an_idle_room_expires_and_limits_hold():
    clock = Clock()
    rooms = Rooms(clock=clock, max_rooms=2, max_students=3, idle=7200)
    code, _ = rooms.open("bptt", 0)
    clock.now = 7000
    rooms.view(code)  # touched: idle from now
    clock.now = 14000
    rooms.join(code)
    for _ in range(2):
        rooms.join(code)
    with pytest.raises(RoomError) as e:
        rooms.join(code)
    assert e.value.key == "room_full"
    rooms.open("hello", 0)
    with pytest.raises(RoomError) as e:
        rooms.open("hello", 0)
    assert e.value.key == "room_busy"
    clock.now = 14000 + 7201
    assert len(rooms) == 0  # both gone idle
    with pytest.raises(RoomError) as e:
        rooms.join(code)
    assert e.value.key == "room_unknown"


def test_200_students_answering_at_once_are_all_counted():
    rooms = Rooms()
    code, teacher = rooms.open("bptt", 3)
    tokens = [rooms.join(code) for _ in range(200)]
    barrier = threading.Barrier(8)

    def answer(k: int) -> None:
        if k < 8:
            barrier.wait()
        rooms.answer(code, tokens[k], 3, k % 4, 4)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(answer, range(200)))
    view = rooms.view(code, 4)
    assert view.counts == (50, 50, 50, 50) and view.answered == 200 and view.students == 200


def test_a_code_is_read_without_its_markup():
    rooms = Rooms()
    code, _ = rooms.open("bptt", 0)
    assert rooms.join(f" {code[:2]}-{code[2:].lower()} ")  # spaces, a dash, any case
    with pytest.raises(RoomError) as e:
        rooms.join("<svg/onload=alert(1)>")
    assert e.value.params["code"] == "SVGONLO"
