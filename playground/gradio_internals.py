"""Every use of Gradio's private internals, in one place (checked against gradio 6.31).

The server's guards need a few things Gradio has no public API for: the request of the running
event, a hook into its queue, its per-session state, and its table of events (what each one
takes, for ``playground.arity``). Each is reached here and only here, so that a Gradio upgrade
is checked in one file (``tests/playground/test_fairness.py``,
``tests/playground/test_session_memory.py`` and ``tests/playground/test_keep_view.py`` fail if
one of them moved).

In the page, Gradio's frontend is reached in one place too: ``gradio_lookups.js`` (three methods
of its ``AppTree``, checked by ``tests/browser/test_browser_first_views.py``). And one of its
files is sent made again: its Plotly module, with Plotly's cartesian bundle in place of the
whole of Plotly (``light_plotly.py``, checked by ``tests/playground/test_light_plotly.py``).

Gradio's queue keeps, per concurrency group, a FIFO list of waiting events
(``Queue.event_queue_per_concurrency_id[id].queue``) and refuses new ones in ``Queue.push`` only
when the whole queue is full. Its ``StateHolder`` keeps a ``SessionState`` per session hash
(``session_data``, ``time_last_used``, ``lock``) until 10,000 of them exist.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any, NamedTuple

import gradio as gr
from gradio.state_holder import SessionState

__all__ = ["Event", "Waiting", "api_handlers", "block_function", "busy_sessions", "calm_queue",
           "current_request", "drop_sessions", "event", "event_concurrency", "event_io",
           "guard_queue", "has_sessions", "is_stopping", "last_used", "lazy_sessions",
           "page_value", "queue_polls", "run_event", "served_blocks", "summary_interval"]


class Waiting(NamedTuple):
    """What the queue's guards may know of a waiting event: its session, where it came from."""

    session: str
    address: str


def current_request() -> Any:
    """The request of the running event (None outside one, or on a Gradio without it): the one
    Gradio injects into a ``gr.Request`` parameter, read here so handlers keep their API
    signatures."""
    try:
        from gradio.context import LocalContext
        return LocalContext.request.get(None)
    except Exception:  # another gradio: as for a direct call
        return None


def _address(request: Any) -> str:
    """The connecting address, and the last proxy hop's claim (on a Space, the proxy's)."""
    client = getattr(getattr(request, "client", None), "host", "") or ""
    forwarded = (getattr(request, "headers", None) or {}).get("x-forwarded-for", "")
    return client + "|" + forwarded.rsplit(",", 1)[-1].strip()


def _waiting(event: Any) -> Waiting:
    return Waiting(event.session_hash, _address(getattr(event, "request", None)))


def guard_queue(blocks: gr.Blocks,
                admit: Callable[[Waiting, Any, dict[Any, list[Waiting]]], str | None],
                place: Callable[[list[Waiting], Waiting], int]) -> None:
    """Wrap ``blocks``' queue (after ``blocks.queue()``): before an event joins it,
    ``admit(newcomer, group, waiting)`` (``waiting``: each group's waiting events) returns a
    refusal message (HTTP 503) or None; once it has joined its group, ``place(others, mine)``
    gives its position among the others of its group."""
    queue = blocks._queue
    push = queue.push

    @functools.wraps(push)
    async def guarded(body, request, username):
        fn = blocks.fns.get(body.fn_index) if body.fn_index is not None else None
        if fn is not None:
            waiting = {gid: [_waiting(e) for e in g.queue]
                       for gid, g in queue.event_queue_per_concurrency_id.items()}
            newcomer = Waiting(body.session_hash or "", _address(request))
            refusal = admit(newcomer, fn.concurrency_id, waiting)
            if refusal:
                return False, refusal, "queue_full"
        ok, event_id, status = await push(body, request, username)
        event = queue.event_ids_to_events.get(event_id) if ok else None
        group = queue.event_queue_per_concurrency_id.get(getattr(event, "concurrency_id", None))
        if group is not None and group.queue and group.queue[-1] is event:
            del group.queue[-1]  # the event was appended: move it to its place
            at = place([_waiting(e) for e in group.queue], _waiting(event))
            group.queue.insert(at, event)
        return ok, event_id, status

    queue.push = guarded


def has_sessions(app: Any) -> bool:
    """Whether ``app`` (a server's ASGI app) keeps Gradio's per-session state."""
    return getattr(app, "state_holder", None) is not None


def is_stopping(app: Any) -> bool:
    return bool(getattr(getattr(app, "stop_event", None), "is_set", lambda: False)())


def busy_sessions(app: Any) -> set[str]:
    """Sessions with an event waiting in, or running from, Gradio's queue."""
    queue = app.get_blocks()._queue
    busy = {e.session_hash for g in list(queue.event_queue_per_concurrency_id.values())
            for e in list(g.queue)}
    busy |= {e.session_hash for job in list(queue.active_jobs) if job for e in job}
    return busy


def last_used(app: Any) -> dict[str, float]:
    """Every session Gradio keeps state for, and the seconds since it was last used."""
    holder = app.state_holder
    now = datetime.datetime.now()
    with holder.lock:
        return {s: (now - holder.time_last_used[s]).total_seconds()
                if s in holder.time_last_used else float("inf")
                for s in list(holder.session_data)}


def drop_sessions(app: Any, sessions: list[str]) -> None:
    """Forget the state Gradio keeps for ``sessions`` (a later call starts a fresh one)."""
    holder = app.state_holder
    with holder.lock:
        for session in sessions:
            holder.session_data.pop(session, None)
            holder.time_last_used.pop(session, None)


class Event(NamedTuple):
    """What ``playground.arity`` needs of one of the app's events (``Blocks.fns``)."""

    endpoint: str                # "/api_name", or "fn_index N" for a private event
    names: list[str]             # each input's name: the handler's parameter, else its label
    stateful: list[bool]         # which inputs are session state (sent as null by a client)
    checkable: bool              # data is one value per input (not a batch, not a cancel)


def event(blocks: gr.Blocks, api_name: str | None = None, index: object = None
          ) -> Event | None:
    """The event named ``api_name``, or number ``index`` (a queue/join's ``fn_index``)."""
    fns = getattr(blocks, "fns", {})
    if api_name is not None:
        fn = next((f for f in fns.values() if f.api_name == api_name), None)
    else:
        fn = fns.get(index) if isinstance(index, int) and not isinstance(index, bool) else None
    if fn is None:
        return None
    given = list(getattr(fn, "input_parameter_names", None) or [])
    names = [(given[k] if k < len(given) else None) or getattr(block, "label", None)
             or block.get_block_name() for k, block in enumerate(fn.inputs)]
    return Event("/" + fn.api_name if fn.api_name else f"fn_index {fn._id}",
                 [str(n) for n in names], [getattr(b, "stateful", False) for b in fn.inputs],
                 fn.fn is not None and not fn.cancels and not fn.batch)


def served_blocks(app: Any) -> gr.Blocks | None:
    """The Blocks a Gradio app (an ASGI ``scope["app"]``) serves; None if there is none."""
    get = getattr(app, "get_blocks", None)
    try:
        return get() if get is not None else None
    except Exception:  # an app without blocks yet
        return None


# -- for the tests: what Gradio's public API (get_api_info, get_config_file) does not show ---------
def api_handlers(blocks: gr.Blocks) -> dict[str, Callable]:
    """Each public API endpoint's name (without its "/") and the Python function it calls.

    ``blocks.get_api_info()`` describes an endpoint's parameters but not its function; the
    function is in Gradio's event table (``Blocks.fns``: fn_index -> ``BlockFunction``).
    """
    return {fn.api_name: fn.fn for fn in blocks.fns.values()
            if fn.api_visibility == "public" and fn.api_name}


def event_concurrency(blocks: gr.Blocks, handler: Callable) -> list[tuple[str, int | str | None]]:
    """``(concurrency_id, concurrency_limit)`` of every event that calls ``handler``: the
    page's own events and the API's alike (a limit of "default" is the queue's default).
    Gradio's config (``get_config_file``) leaves both out; its event table (``Blocks.fns``)
    has them. ``handler`` is compared by identity."""
    return [(fn.concurrency_id, fn.concurrency_limit) for fn in blocks.fns.values()
            if fn.fn is handler]


def lazy_sessions(blocks: gr.Blocks) -> None:
    """A new session of ``blocks`` costs a dict, not a config of every block.

    Gradio's ``SessionState.__init__`` builds, for every new session, the config of every
    block of the app (``config_values``, "so we can recreate the state for deep links"): 20-80
    ms of the server's one core for this app's 357 blocks, paid by every student's first call.
    Only the deep-link route reads it (closed here: ``playground.guard``), and Gradio fills in
    a block's entry itself when an event sets one (``_update_value_in_config``). So a session
    of ``blocks`` starts with none: ``SessionState.__init__`` runs as written, but sees a
    ``blocks`` with no block to make a config for."""
    blocks.unrolled_lazy_sessions = True
    if getattr(SessionState, "_unrolled_lazy", False):
        return
    eager = SessionState.__init__

    @functools.wraps(eager)
    def init(self, blocks: Any) -> None:
        eager(self, _NoBlocks(blocks) if getattr(blocks, "unrolled_lazy_sessions", False)
              else blocks)

    SessionState.__init__ = init
    SessionState._unrolled_lazy = True


class _NoBlocks:
    """``blocks`` as ``SessionState.__init__`` reads it, but with no blocks (``.blocks``)."""

    def __init__(self, blocks: Any):
        self._blocks = blocks
        self.blocks: dict = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._blocks, name)


def summary_interval(blocks: gr.Blocks) -> int:
    """How many events ``blocks``' queue records between two summaries of its history (a
    pandas groupby for the monitoring page). Gradio's ``Queue`` reads it from the environment
    variable GRADIO_ANALYTICS_CACHE_FREQUENCY when ``blocks.queue()`` makes it, and keeps it
    as ``ANAYLTICS_CACHE_FREQUENCY`` (sic)."""
    return blocks._queue.ANAYLTICS_CACHE_FREQUENCY


def calm_queue(blocks: gr.Blocks, idle_poll: float = 0.01, progress_poll: float = 0.05) -> None:
    """Gradio's queue looks for work every 1 ms (``Queue.sleep_when_free``), and for progress
    to send every 10 ms: on an idle server ~60 ms of a core every second, and the lock that
    handlers need taken ~1,100 times a second. The same 1 ms paces a busy group: an event
    waiting for a full group's slot is started at most 1 ms after one frees.

    So: while nothing waits, look every ``idle_poll`` seconds (the first event after a quiet
    spell waits at most that much longer); while anything waits, every 1 ms as before; and
    look for progress every ``progress_poll``. (The queue reads ``sleep_when_free`` before
    each sleep: a property of its class, here, answers by how many events wait.)"""
    queue = blocks._queue
    if not isinstance(queue, _Calm):
        queue.__class__ = type("CalmQueue", (_Calm, type(queue)), {})
    queue._idle_poll = idle_poll
    queue.progress_update_sleep_when_free = progress_poll


class _Calm:
    _idle_poll = 0.01
    _busy_poll = 0.001  # Gradio's own

    @property
    def sleep_when_free(self) -> float:
        return self._busy_poll if len(self) else self._idle_poll

    @sleep_when_free.setter
    def sleep_when_free(self, value: float) -> None:  # Gradio sets it once, in __init__
        pass


def queue_polls(blocks: gr.Blocks) -> tuple[float, float]:
    """How often the queue looks for work now, and for progress (for the tests)."""
    return blocks._queue.sleep_when_free, blocks._queue.progress_update_sleep_when_free


# -- the first views (playground.first_views): an event run as a call would run it -----------------
def block_function(blocks: gr.Blocks, dependency: Any) -> Any:
    """The event (Gradio's ``BlockFunction``) that a listener returned (its ``Dependency``)."""
    return blocks.fns[dependency["id"]]


def event_io(block_fn: Any) -> tuple[list, list]:
    """An event's input and output components."""
    return list(block_fn.inputs), list(block_fn.outputs)


async def run_event(blocks: gr.Blocks, block_fn: Any, inputs: list) -> list:
    """Run one event as a page's call would (preprocess, the function, postprocess) in a
    session of its own: the payloads the page would receive, ready for JSON."""
    from gradio.state_holder import SessionState

    return (await blocks.process_api(block_fn, inputs, state=SessionState(blocks)))["data"]


def page_value(component: Any) -> Any:
    """What a fresh page sends for a component: its value in the page's config (None for a
    component whose value stays on the server, such as ``gr.State``)."""
    if getattr(component, "stateful", False):
        return None
    return component.get_config().get("value")
