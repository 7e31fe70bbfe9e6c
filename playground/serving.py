"""What every tab's handlers share: the process-wide job manager and its tickets, the status of a
job as text, the page's last good view on an error, and caches of views every session shares."""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import gradio as gr
import plotly.graph_objects as go
import torch

from engine import (
    JobManager,
    JobSnapshot,
    LimitError,
    ModelConfig,
    TopologyModel,
    UnknownJob,
    seeding,
)
from engine.jobs import Status, default_max_running

from .gradio_internals import current_request
from .i18n import EXPECTED_ERRORS, lang_of, message, tr, words
from .plots import loss_curve
from .tabs import TABS  # each holds at most one job per session

log = logging.getLogger("unrolled")


def shared_view(maxsize: int) -> Callable:
    """``lru_cache`` for views that every session shares (shipped or untrained weights, recorded
    races): a classroom asking the same thing costs one computation, and each figure in the
    view is serialized once. gr.Plot sends ``fig.to_json()``; a shared figure is never changed
    after it is made, so its JSON is kept on it (2-5 ms a call for the larger figures)."""
    def decorate(fn: Callable) -> Callable:
        @functools.lru_cache(maxsize=maxsize)
        @functools.wraps(fn)
        def cached(*args):
            out = fn(*args)
            for item in out if isinstance(out, tuple) else (out,):
                if isinstance(item, go.Figure):
                    item.to_json = functools.partial(str, item.to_json())
            return out

        # the keys the cache holds, in its own order (lru_cache cannot say whether it holds
        # one): peek answers from the cache or not at all
        held: OrderedDict = OrderedDict()
        lock = threading.Lock()

        def hold(args: tuple) -> None:
            with lock:
                held[args] = True
                held.move_to_end(args)
                while len(held) > maxsize:
                    held.popitem(last=False)

        @functools.wraps(fn)
        def shared(*args):
            out = cached(*args)
            hold(args)
            return out

        def peek(*args):
            """The view for ``args`` if the cache holds it, else None (nothing computed)."""
            with lock:
                if args not in held:
                    return None
            return shared(*args)

        def cache_clear() -> None:
            cached.cache_clear()
            with lock:
                held.clear()

        shared.peek, shared.cache_clear, shared.cache_info = peek, cache_clear, cached.cache_info
        return shared
    return decorate


_jobs: JobManager | None = None
_jobs_lock = threading.Lock()


def jobs() -> JobManager:
    """The one job manager of this server process, created on first use (not at import)."""
    global _jobs
    with _jobs_lock:
        if _jobs is None:
            _jobs = JobManager(max_running=default_max_running(), max_queued=16,
                               backend="process")
        return _jobs


@contextlib.contextmanager
def use_jobs(manager: JobManager) -> Iterator[JobManager]:
    """Run the tabs' jobs on ``manager`` for a while (tests use a thread-backed one)."""
    global _jobs
    with _jobs_lock:
        old, _jobs = _jobs, manager
    try:
        yield manager
    finally:
        with _jobs_lock:
            _jobs = old


def session_snapshot(ticket: Any) -> JobSnapshot | None:
    """The progress of the job a session holds, or None (no ticket, or one that has expired)."""
    if not isinstance(ticket, str):
        return None
    try:
        return jobs().snapshot(ticket)
    except UnknownJob:
        return None


def release_ticket(ticket: Any) -> None:
    """``gr.State`` delete callback: an abandoned session gives up its job ticket."""
    if isinstance(ticket, str) and _jobs is not None:
        _jobs.release(ticket)



def placeholder(empty: Callable[[dict], go.Figure]) -> Callable:
    """A first-view (and language-switch) draw for a loss plot: ``empty(words)``, the plot that
    says what will appear there, for a session without a job; one with a job leaves the plot
    to its poll."""
    def draw(ticket: str | None, lang: str):
        return gr.skip() if isinstance(ticket, str) else empty(words(lang))
    return draw


loss_placeholder = placeholder(lambda w: loss_curve([], w))  # Topologies, Step through time



def _from_the_page() -> bool:
    """Whether the running event came from the app's own page.

    Gradio 6.31's page sends ``x-gradio-user: app`` with every event; gradio_client and the JS
    client send ``api``, MCP sends ``mcp``, a plain HTTP call (``/call/<api_name>``) sends none,
    and a direct Python call has no request at all: all of those are scripts, which need an
    error. The request is the running event's (``gradio_internals.current_request``).
    """
    headers = getattr(current_request(), "headers", None) or {}
    return headers.get("x-gradio-user") == "app"




def job_owner(tab: str) -> str | None:
    """Whom a new job belongs to: this session's ``tab`` (``JobManager.submit(owner=...)``), so
    a session holds at most one job per tab however often it (or a script) presses Train; None
    outside a request (a direct call)."""
    session = getattr(current_request(), "session_hash", None)
    return f"{session}:{tab}" if session else None


def end_session(request: gr.Request) -> None:
    """``demo.unload``: a closed page gives up its jobs at once (each stops unless someone else
    still holds it)."""
    session = getattr(request, "session_hash", None)
    if session and _jobs is not None:
        for tab in TABS:
            _jobs.release_owner(f"{session}:{tab}")


def keep_view(fn: Callable | None = None, *, labels: Mapping[str, str] | None = None
              ) -> Callable:
    """Bad input keeps the last good view; the message comes in the user's language.

    The one error mechanism for the tabs' event handlers (the user's language is the handler's
    last argument, or its ``lang`` keyword):

    - Input the user can fix (:data:`EXPECTED_ERRORS`: a value out of range, a symbol the task
      cannot read, a full queue, an expired job) gives :func:`message`.
    - Anything else is a bug: logged on the server with its traceback (logger ``unrolled``),
      and the user gets the generic ``err_unexpected`` message, never the exception's text.
    - On the app's page (:func:`_from_the_page`) the message is a ``gr.Warning`` toast and the
      handler returns a single ``gr.skip()``: every output keeps what it showed, with no
      "Error" badge and nothing blanked (Gradio marks every output of an event that raised with
      an error status and, for a plot, drops the figure). The view stays consistent with itself
      because all outputs are skipped together.
    - Anyone else (gradio_client, plain HTTP, a direct call in Python or a test) gets
      ``gr.Error`` with the same message, so a script still fails clearly.

    Every tab's handlers wear it (``@keep_view``, or ``@keep_view(labels=...)`` to name the
    tab's parameters by their labels, see :func:`playground.i18n.message`). Skipping *all*
    outputs must be right for the event: a ``.then()`` after it still runs, and sees the old
    values.
    """
    if fn is None:
        return functools.partial(keep_view, labels=labels)

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - every failure gets a message in the user's language
            lang = kwargs.get("lang", args[-1] if args else "en")
            if isinstance(e, gr.Error):
                text = e.message
            elif isinstance(e, EXPECTED_ERRORS):
                text = message(e, lang, labels)
            else:
                log.exception("unexpected error in %s", getattr(fn, "__name__", fn))
                text = tr(lang, "err_unexpected")
            if _from_the_page():
                gr.Warning(text)  # Gradio 6.31's toast titles it "Warning" in any language
                return gr.skip()
            raise gr.Error(text, print_exception=False) from e

    return wrapper


def training_status(ticket: str, lang: str = "en") -> dict:
    """For scripts: a training job's status, its losses so far, and its accuracy once done.

    A race (several models trained side by side) reports ``losses`` and ``accuracy`` per model.
    """
    if not isinstance(ticket, str):  # a ticket is the string a train endpoint returned
        raise gr.Error(message(LimitError("ticket", ticket, expected="a string"), lang),
                       print_exception=False)
    snap = session_snapshot(ticket)
    if snap is None:
        raise gr.Error(tr(lang, "err_job"), print_exception=False)
    total = snap.request.steps  # every job's one argument, a record, says how many steps
    result = snap.result if isinstance(snap.result, dict) else {}
    progress = snap.progress

    def r5(v: float | None) -> float | None:
        return None if v is None else round(v, 5)

    if progress and hasattr(progress[0], "racers"):  # a race: one column per model
        losses = {r.racer: [r5(s.racers[k].loss) for s in progress]
                  for k, r in enumerate(progress[0].racers)}
    else:
        losses = [r5(m.loss) for m in progress]
    return {"status": snap.status, "queue_position": snap.queue_position,
            "wait_seconds": None if snap.wait is None else round(snap.wait, 1),
            "step": len(progress), "total": total, "losses": losses,
            "accuracy": result.get("accuracy"), "error": snap.error}


def status_text(snap: JobSnapshot, lang: str, running: Callable[[], str],
                done: Callable[[], str] = str, cancelled: Callable[[], str] | None = None
                ) -> str:
    """A job's state in words, one ladder for every tab: waiting (its place and wait), starting,
    running (the tab's ``running()``: its step, its losses), done (``done()``), cancelled
    (``cancelled()``, else "cancelled"), failed (the error)."""
    if snap.status == Status.QUEUED:
        return queued_text(snap, lang)
    if snap.status == Status.FAILED:
        return tr(lang, "job_failed", error=snap.error)
    if snap.status == Status.CANCELLED:
        return cancelled() if cancelled else tr(lang, "job_cancelled")
    if snap.status == Status.DONE:
        return done()
    return running() if snap.progress else tr(lang, "job_starting")


def queued_text(snap: JobSnapshot, lang: str) -> str:
    """A waiting job's place in the queue and, once some runs have been timed, its wait."""
    text = tr(lang, "job_queued", pos=snap.queue_position)
    if snap.wait is not None:
        seconds = max(1, round(snap.wait))
        ko = lang_of(lang) == "ko"
        wait = (f"{seconds}초" if ko else f"{seconds} s") if seconds < 90 else \
               (f"{round(seconds / 60)}분" if ko else f"{round(seconds / 60)} min")
        text += " " + tr(lang, "job_wait", wait=wait)
    return text


class Recent:
    """The values made for the last ``size`` keys (a job's ticket: what it holds is known only
    once its job has finished, so ``functools.lru_cache`` cannot key on it); thread-safe."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: Any, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two makers of one key make the same value
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


_models = Recent(32)


def model_from_bytes(key: str, config: ModelConfig, state: bytes) -> TopologyModel:
    """A trained model from a job's result, cached (a few recent ones) by ``key``."""
    def make() -> TopologyModel:
        model = seeding.empty(lambda: TopologyModel(config))
        model.load_state_dict(torch.load(io.BytesIO(state), weights_only=True))
        return model.eval()
    return _models.get(key, make)
