"""Sessions that end: what Gradio keeps per session is dropped once nobody can use it again.

Gradio 6.31 keeps a ``SessionState`` for every session hash it has seen (a copy of the page's
config, ~0.4 MB here) until 10,000 of them exist: every API call without a session hash is a
new one, so a class and its scripts grew the server by hundreds of MB that never came back.
A page keeps a heartbeat request open for as long as it is open; :class:`HeartbeatWatch` counts
those. The janitor (a thread, started with the first request) drops a session's state when no
page holds it open and it has not been used for :data:`IDLE_SECONDS` (an API session, or a
page that was closed), unless one of its events is still waiting or running.

Its jobs are not touched here: a closed page gave them up already (``end_session``, on
``demo.unload``), and a script's job tickets live in the job manager, which cancels a job
nobody reads and forgets a ticket nobody asks for (``engine.jobs``). A script that comes back
after :data:`IDLE_SECONDS` starts a fresh session, as a new visitor would; its tickets still
answer ``/training_status``.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import logging
import threading
import time
from collections import Counter
from typing import Any

log = logging.getLogger("unrolled")

IDLE_SECONDS = 120.0  # as long as the job manager waits before cancelling a job nobody reads
SWEEP_SECONDS = 15.0

_open: Counter = Counter()  # session hash -> heartbeat requests open
_open_lock = threading.Lock()
_started: set[int] = set()  # id() of the apps whose janitor runs
_started_lock = threading.Lock()


def open_pages() -> int:
    """How many sessions a page holds open right now."""
    with _open_lock:
        return len(_open)


class HeartbeatWatch:
    """ASGI middleware: counts each session's open heartbeat (``GET .../heartbeat/<hash>``,
    held open by the page while it is open) and starts the janitor with the first request."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        _start_janitor(scope.get("app"))
        path = scope.get("path", "")
        if scope.get("method") != "GET" or "/heartbeat/" not in path:
            return await self.app(scope, receive, send)
        session = path.rsplit("/heartbeat/", 1)[1]
        with _open_lock:
            _open[session] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            with _open_lock:
                _open[session] -= 1
                if _open[session] <= 0:
                    del _open[session]


def _start_janitor(app: Any) -> None:
    holder = getattr(app, "state_holder", None)
    if holder is None or id(app) in _started:
        return
    with _started_lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    threading.Thread(target=_janitor, args=(app,), name="unrolled-sessions",
                     daemon=True).start()


def _janitor(app: Any) -> None:
    while not getattr(getattr(app, "stop_event", None), "is_set", lambda: False)():
        time.sleep(SWEEP_SECONDS)
        try:
            if sweep(app):
                _trim()
        except Exception:  # noqa: BLE001 - a janitor that dies would leak silently
            log.exception("session sweep failed")


def _busy_sessions(app: Any) -> set[str]:
    """Sessions with an event waiting in, or running from, Gradio's queue."""
    queue = app.get_blocks()._queue
    busy = {e.session_hash for g in list(queue.event_queue_per_concurrency_id.values())
            for e in list(g.queue)}
    busy |= {e.session_hash for job in list(queue.active_jobs) if job for e in job}
    return busy


def sweep(app: Any, idle_seconds: float | None = None) -> int:
    """Drop the state of every session no page holds open, idle for ``idle_seconds`` (default
    :data:`IDLE_SECONDS`) and with nothing queued; return how many were dropped."""
    idle_seconds = IDLE_SECONDS if idle_seconds is None else idle_seconds
    holder = app.state_holder
    now = datetime.datetime.now()
    busy = _busy_sessions(app)
    with _open_lock:
        held = set(_open)
    dropped = 0
    with holder.lock:
        for session in list(holder.session_data):
            last = holder.time_last_used.get(session)
            if session in held or session in busy or (
                    last is not None and (now - last).total_seconds() < idle_seconds):
                continue
            holder.session_data.pop(session, None)
            holder.time_last_used.pop(session, None)
            dropped += 1
    return dropped


def _trim() -> None:
    """Give freed heap pages back to the system (glibc keeps them otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
