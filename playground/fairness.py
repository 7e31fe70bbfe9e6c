"""Gradio's queue, made fair for a classroom: one client's flood waits behind everyone else.

Gradio 6.31 queues every event in a FIFO per concurrency group and refuses new ones only when
the whole queue (all groups together) reaches ``max_size``. One client posting 530 of the
largest BPTT profiles filled it, and every other student's page and cheap calls got
HTTP 503 "Queue is full". :func:`install` wraps the queue's ``push`` so that:

- a session has at most :data:`MAX_WAITING_PER_SESSION` events waiting (a page rarely has more
  than a few: sliders keep only their newest position, timers one tick);
- a concurrency group has at most :data:`MAX_WAITING_PER_GROUP` waiting: a flood of one kind
  of call is refused past that, and the other groups (the page, cheap calls) keep their room;
- a new event joins its group in *rounds* rather than at the end: its round is how many events
  its session already has waiting there (and its address, counted a class at a time, see
  :data:`ADDRESS_SHARE`). A student's first event goes ahead of a flooder's second.

A refused event gets HTTP 503 with a message in both languages (nothing about the request says
which one the caller reads). The heavy work itself is bounded elsewhere: the BPTT profile's
events share one concurrency group as wide as ``LIMITS.max_concurrent_profiles``.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import gradio as gr

MAX_WAITING_PER_SESSION = 16
MAX_WAITING_PER_GROUP = 128
# Students behind one school NAT share an address: an address is held back one round only per
# ADDRESS_SHARE of its waiting events, so a class is served nearly first come, first served,
# while a flood from one address (even with a new session per call) goes behind the others.
ADDRESS_SHARE = 8

REFUSED_SESSION = ("Too many of your requests are waiting: wait for them to finish. / "
                   "기다리는 요청이 너무 많습니다. 앞의 요청이 끝난 뒤 다시 시도하세요.")
REFUSED_GROUP = ("The server is busy with this kind of request: try again in a minute. / "
                 "이 요청이 몰려 서버가 바쁩니다. 1분 뒤 다시 시도하세요.")


def _address(event: Any) -> str:
    """Where an event came from: the connecting address, and the last proxy hop's claim (on a
    Space, the proxy's ``x-forwarded-for``); "" when unknown."""
    request = getattr(event, "request", None)
    client = getattr(getattr(request, "client", None), "host", "") or ""
    forwarded = (getattr(request, "headers", None) or {}).get("x-forwarded-for", "")
    return client + "|" + forwarded.rsplit(",", 1)[-1].strip()


def _round(seen_session: Counter, seen_address: Counter, event: Any) -> int:
    return max(seen_session[event.session_hash], seen_address[_address(event)] // ADDRESS_SHARE)


def fair_insert(waiting: list, event: Any) -> None:
    """Move ``event`` (just appended to ``waiting``) to the end of its round: before the first
    waiting event whose session (or address) has more events ahead of it than this one's."""
    del waiting[max(i for i, e in enumerate(waiting) if e is event)]  # by identity
    seen_session: Counter = Counter()
    seen_address: Counter = Counter()
    rounds = []
    for e in waiting:
        rounds.append(_round(seen_session, seen_address, e))
        seen_session[e.session_hash] += 1
        seen_address[_address(e)] += 1
    mine = _round(seen_session, seen_address, event)
    at = next((i for i, r in enumerate(rounds) if r > mine), len(waiting))
    waiting.insert(at, event)


def install(demo: gr.Blocks) -> None:
    """Wrap ``demo``'s queue (after ``demo.queue()``) with the rules above."""
    queue = demo._queue
    push = queue.push

    @functools.wraps(push)
    async def fair_push(body, request, username):
        fn = demo.fns.get(body.fn_index) if body.fn_index is not None else None
        if fn is not None:
            groups = queue.event_queue_per_concurrency_id
            session = body.session_hash
            if session and sum(e.session_hash == session for g in groups.values()
                               for e in g.queue) >= MAX_WAITING_PER_SESSION:
                return False, REFUSED_SESSION, "queue_full"
            group = groups.get(fn.concurrency_id)
            if group is not None and len(group.queue) >= MAX_WAITING_PER_GROUP:
                return False, REFUSED_GROUP, "queue_full"
        ok, event_id, status = await push(body, request, username)
        event = queue.event_ids_to_events.get(event_id) if ok else None
        group = queue.event_queue_per_concurrency_id.get(getattr(event, "concurrency_id", None))
        if group is not None and event in group.queue:
            fair_insert(group.queue, event)
        return ok, event_id, status

    queue.push = fair_push
