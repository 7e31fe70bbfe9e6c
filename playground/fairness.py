"""Gradio's queue, made fair for a classroom: one client's flood waits behind everyone else.

Gradio 6.31 queues every event in a FIFO per concurrency group and refuses new ones only when
the whole queue (all groups together) reaches ``max_size``. One client posting 530 of the
largest BPTT profiles filled it, and every other student's page and cheap calls got
HTTP 503 "Queue is full". :func:`install` wraps the queue's ``push`` so that:

- a session has at most :data:`MAX_WAITING_PER_SESSION` events waiting (a page rarely has more
  than a few: sliders keep only their newest position, timers one tick);
- a concurrency group has at most :data:`MAX_WAITING_PER_GROUP` waiting, and at most
  :data:`MAX_WAITING_PER_ADDRESS` from one address: a flood of one kind of call is refused past
  that, the other groups (the page, cheap calls) keep their room, and so do other places;
- a new event joins its group in *rounds* rather than at the end: its round is how many events
  its session already has waiting there (and its address, counted a class at a time, see
  :data:`ADDRESS_SHARE`). A student's first event goes ahead of a flooder's second.

A refused event gets HTTP 503 with a message in both languages (nothing about the request says
which one the caller reads). The heavy work itself is bounded elsewhere: the BPTT profile's
events share one concurrency group as wide as ``LIMITS.max_concurrent_profiles``.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import gradio as gr

from .gradio_internals import Waiting, guard_queue

MAX_WAITING_PER_SESSION = 16
MAX_WAITING_PER_GROUP = 128
# One address may fill half of a group: a flood from one place (even with a new session per
# call) leaves the other half to everyone else; a class of 60 behind one address still fits.
MAX_WAITING_PER_ADDRESS = 64
# Students behind one school NAT share an address: an address is held back one round only per
# ADDRESS_SHARE of its waiting events, so a class is served nearly first come, first served,
# while a flood from one address (even with a new session per call) goes behind the others.
ADDRESS_SHARE = 8

REFUSED_SESSION = ("Too many of your requests are waiting: wait for them to finish. / "
                   "기다리는 요청이 너무 많습니다. 앞의 요청이 끝난 뒤 다시 시도하세요.")
REFUSED_GROUP = ("The server is busy with this kind of request: try again in a minute. / "
                 "이 요청이 몰려 서버가 바쁩니다. 1분 뒤 다시 시도하세요.")


def _round(seen_session: Counter, seen_address: Counter, w: Waiting) -> int:
    return max(seen_session[w.session], seen_address[w.address] // ADDRESS_SHARE)


def fair_place(waiting: list[Waiting], mine: Waiting) -> int:
    """Where a new event goes among those ``waiting`` in its group: at the end of its round,
    before the first one whose session (or address) has more events ahead of it than it has."""
    seen_session: Counter = Counter()
    seen_address: Counter = Counter()
    rounds = []
    for w in waiting:
        rounds.append(_round(seen_session, seen_address, w))
        seen_session[w.session] += 1
        seen_address[w.address] += 1
    my_round = _round(seen_session, seen_address, mine)
    return next((i for i, r in enumerate(rounds) if r > my_round), len(waiting))


def admit(newcomer: Waiting, group: Any, waiting: dict[Any, list[Waiting]]) -> str | None:
    """None if ``newcomer`` (its session and address) may join ``group``, else why not."""
    if newcomer.session and sum(w.session == newcomer.session for ws in waiting.values()
                                for w in ws) >= MAX_WAITING_PER_SESSION:
        return REFUSED_SESSION
    here = waiting.get(group, ())
    if len(here) >= MAX_WAITING_PER_GROUP or sum(
            w.address == newcomer.address for w in here) >= MAX_WAITING_PER_ADDRESS:
        return REFUSED_GROUP
    return None


def install(demo: gr.Blocks) -> None:
    """Put ``demo``'s queue (after ``demo.queue()``) under the rules above."""
    guard_queue(demo, admit, fair_place)
