"""Sessions that end: what Gradio keeps per session is dropped once nobody can use it again.

Gradio 6.31 keeps a ``SessionState`` for every session hash it has seen (a copy of the page's
config, ~0.4 MB here) until 10,000 of them exist: every API call without a session hash is a
new one, so a class and its scripts grew the server by hundreds of MB that never came back.
A page keeps a heartbeat request open for as long as it is open; :class:`HeartbeatWatch` counts
those. The janitor (a thread, started with the first request) drops a session's state when no
page holds it open and it has not been used for :data:`IDLE_SECONDS` (an API session, or a
page that was closed), unless one of its events is still waiting or running; and when more
than :data:`MAX_LOOSE_SESSIONS` such sessions exist, the least recently used go sooner.

Its jobs are not touched here: a closed page gave them up already (``end_session``, on
``demo.unload``), and a script's job tickets live in the job manager, which cancels a job
nobody reads and forgets a ticket nobody asks for (``engine.jobs``). A script that comes back
after :data:`IDLE_SECONDS` starts a fresh session, as a new visitor would; its tickets still
answer ``/training_status``. (A script that keeps one session, as gradio_client does, and calls at
least once a minute keeps its session.)
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
import time
from collections import Counter
from typing import Any

from .gradio_internals import busy_sessions, drop_sessions, has_sessions, is_stopping, last_used

log = logging.getLogger("unrolled")

IDLE_SECONDS = 60.0  # a session no page holds, unused this long, is dropped
SWEEP_SECONDS = 2.0
# Past this many sessions no page holds (~0.4 MB each), the least recently used are dropped
# at once (if idle for a few seconds): a client making a new session per call cannot grow the
# server by more than about this many between two sweeps.
MAX_LOOSE_SESSIONS = 200
MIN_IDLE_SECONDS = 3.0

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
    if not has_sessions(app) or id(app) in _started:
        return
    with _started_lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    threading.Thread(target=_janitor, args=(app,), name="unrolled-sessions",
                     daemon=True).start()


def _janitor(app: Any) -> None:
    while not is_stopping(app):
        time.sleep(SWEEP_SECONDS)
        try:
            if sweep(app):
                _trim()
        except Exception:  # noqa: BLE001 - a janitor that dies would leak silently
            log.exception("session sweep failed")


def sweep(app: Any, idle_seconds: float | None = None,
          max_loose: int | None = None) -> int:
    """Drop the state of the sessions no page holds open and with nothing queued that have
    been idle for ``idle_seconds`` (default :data:`IDLE_SECONDS`), and then, while more than
    ``max_loose`` (:data:`MAX_LOOSE_SESSIONS`) such sessions remain, the least recently used
    of them idle for :data:`MIN_IDLE_SECONDS`. Returns how many were dropped."""
    idle_seconds = IDLE_SECONDS if idle_seconds is None else idle_seconds
    max_loose = MAX_LOOSE_SESSIONS if max_loose is None else max_loose
    busy = busy_sessions(app)
    with _open_lock:
        held = set(_open)
    idle = {s: seconds for s, seconds in last_used(app).items()
            if s not in held and s not in busy}  # loose sessions: seconds since last used
    drop = [s for s, seconds in idle.items() if seconds >= idle_seconds]
    rest = sorted((s for s, seconds in idle.items() if MIN_IDLE_SECONDS <= seconds < idle_seconds),
                  key=idle.get, reverse=True)  # the longest idle first
    drop += rest[:max(0, len(idle) - len(drop) - max_loose)]
    drop_sessions(app, drop)
    return len(drop)


def _trim() -> None:
    """Give freed heap pages back to the system (glibc keeps them otherwise)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)
