"""Background jobs for a classroom on 2 cores.

A job runs a generator function (``fn(*args)`` yielding progress records and returning a result)
in a background worker, so the request that starts it returns at once and a UI polls
``snapshot()``. The engine's job functions take one argument, a frozen dataclass that says what
to run (``train_job(TrainRequest(...))``, ``race_job(RaceConfig(...))``): hashable, so equal
requests are one job, picklable, so it can go to a worker process, and read back by a UI as
``snapshot(ticket).request``. Built for many users sharing one small server:

- **Shared runs.** Runs are seeded, so identical settings give identical results: a job is keyed
  by ``(fn, args)`` and a second request for the same key joins the running (or finished) job
  instead of starting another. Sixty students pressing "train" on the defaults start one job.
- **Tickets.** Each request gets its own ticket id (what a UI keeps in ``gr.State``). Releasing
  a ticket (the user pressed cancel, or the session expired) cancels the job only when no other
  ticket still holds it.
- **Bounded.** At most ``max_running`` jobs run at once; the rest wait in a queue of at most
  ``max_queued``, and each waiting ticket can see its position and an estimated wait. A full
  queue raises QueueFull.
- **Fair.** A ticket can name its ``owner`` (a session): an owner holds at most one ticket, so a
  new request from the same session replaces its old one, and one client cannot fill the queue
  for everyone with its own jobs.
- **Kept while asked for.** A finished job's result lives as long as a ticket holds it (within a
  memory bound, ``max_result_bytes``), not for a fixed count of jobs. Tickets that nobody reads
  expire: a job whose every ticket has gone unread for ``idle_cancel`` seconds is cancelled (an
  abandoned page or script stops costing a core), and a ticket unread for ``ticket_ttl`` seconds
  is released.
- **Workers.** ``backend="process"`` runs each job in a child process (forked from a server that
  has already imported torch, so it starts in tens of milliseconds): training then never holds
  the web server's global interpreter lock. ``backend="thread"`` runs it in a thread of this
  process (simplest; what a notebook wants). ``bench/bench_jobs.py`` measured the difference.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import pickle
import queue
import threading
import time
import traceback
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import Any, TypeVar

__all__ = ["JobManager", "JobSnapshot", "QueueFull", "Status", "UnknownJob", "as_request"]


class Status(str, Enum):
    """Where a job is. Each member is its plain string too, so ``snap.status == "done"`` holds
    and the status goes into JSON as ``"done"``."""

    QUEUED = "queued"          # waiting for a worker
    RUNNING = "running"
    DONE = "done"              # returned its result
    CANCELLED = "cancelled"    # nobody held it any more, or the manager shut down
    FAILED = "failed"          # raised: ``JobSnapshot.error`` says what

    def __str__(self) -> str:
        return self.value

    @property
    def finished(self) -> bool:
        return self in FINISHED


# the module's names from before Status, kept for code that imports them
QUEUED, RUNNING, DONE = Status.QUEUED, Status.RUNNING, Status.DONE
CANCELLED, FAILED = Status.CANCELLED, Status.FAILED
# a tuple, not a set: Enum hashes a member by its name, so "done" in {Status.DONE} is False
FINISHED = (Status.DONE, Status.CANCELLED, Status.FAILED)


class QueueFull(RuntimeError):
    """Too many jobs are waiting; the caller should try again later."""


class UnknownJob(KeyError):
    """No job holds this ticket (it was never issued, or was released)."""


@dataclass(frozen=True)
class JobSnapshot:
    """A frozen copy of a job's progress, as a UI shows it."""

    ticket: str
    status: Status                  # queued | running | done | cancelled | failed (a str too)
    queue_position: int | None      # 1 = next to run; None unless queued
    progress: tuple                 # every record the job has yielded so far
    result: Any                     # the generator's return value, once done
    error: str | None               # what went wrong, if failed
    shared_with: int                # how many tickets hold this job (1 = only this one)
    args: tuple                     # the job's arguments: what it is running
    wait: float | None = None       # queued: estimated seconds until it starts (None: unknown)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", Status(self.status))  # "done" -> Status.DONE

    @property
    def finished(self) -> bool:
        return self.status.finished

    @property
    def request(self) -> Any:
        """The job's one argument, its request record (``TrainRequest``, ``RaceConfig``, ...);
        None for a job submitted with several positional arguments (the older form)."""
        return self.args[0] if len(self.args) == 1 else None


R = TypeVar("R")


def as_request(cls: type[R], *args: Any, **kwargs: Any) -> R:
    """A job function's one record: ``args[0]`` when it already is a ``cls``, else the record
    made from the older positional (and keyword) arguments, ``cls(*args, **kwargs)``."""
    if len(args) == 1 and not kwargs and isinstance(args[0], cls):
        return args[0]
    return cls(*args, **kwargs)


class _Job:
    def __init__(self, key: tuple, fn: Callable[..., Iterator], args: tuple):
        self.key, self.fn, self.args = key, fn, args
        self.status = Status.QUEUED
        self.progress: list = []
        self.result: Any = None
        self.error: str | None = None
        self.cancel = threading.Event()
        self.tickets: set[str] = set()
        self.started_at: float | None = None
        self.finished_at: float | None = None
        self.size = 0                   # bytes its progress and result take, once finished


class JobManager:
    def __init__(self, max_running: int = 1, max_queued: int = 16, backend: str = "process",
                 keep_finished: int = 64, max_result_bytes: int = 256 * 2**20,
                 idle_cancel: float = 120.0, ticket_ttl: float = 3600.0):
        """``keep_finished``: finished runs that no ticket holds, kept for identical requests;
        ``max_result_bytes``: bound on the memory of all finished runs kept, held or not;
        ``idle_cancel``, ``ticket_ttl``: seconds unread before a job is cancelled, a ticket
        released (see the module docstring)."""
        if backend not in ("thread", "process"):
            raise ValueError("backend must be 'thread' or 'process'")
        self.max_running, self.max_queued, self.backend = max_running, max_queued, backend
        self.keep_finished, self.max_result_bytes = keep_finished, max_result_bytes
        self.idle_cancel, self.ticket_ttl = idle_cancel, ticket_ttl
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: deque[_Job] = deque()
        self._by_key: dict[tuple, _Job] = {}
        self._finished: OrderedDict[tuple, _Job] = OrderedDict()
        self._tickets: dict[str, _Job] = {}
        self._read: dict[str, float] = {}      # ticket -> when it was last issued or read
        self._owners: dict[str, str] = {}      # owner -> its one ticket
        self._durations: deque[float] = deque(maxlen=8)  # of the last runs that completed
        self._running = 0
        self._closed = False
        self._stopped = threading.Event()
        self._workers = [threading.Thread(target=self._work, daemon=True, name=f"job-worker-{k}")
                         for k in range(max_running)]
        # tickets expire even when nobody calls: a janitor sweeps a few times per idle_cancel
        self._workers.append(threading.Thread(target=self._janitor, daemon=True,
                                              name="job-janitor"))
        for w in self._workers:
            w.start()

    # -- public ----------------------------------------------------------------------------------
    def submit(self, fn: Callable[..., Iterator], *args: Any, owner: str | None = None) -> str:
        """Start (or join) the job ``fn(*args)`` and return a new ticket for it.

        ``fn`` must be a module-level generator function and ``args`` hashable and picklable.
        With ``owner``, the owner's previous ticket (if any) is released first: one job per
        owner.
        """
        key = (fn.__module__, fn.__qualname__, args)
        ticket = uuid.uuid4().hex
        with self._lock:
            if self._closed:
                raise RuntimeError("the job manager is shut down")
            self._sweep()
            if owner is not None and owner in self._owners:
                self._leave_locked(self._owners.pop(owner), forget=True)
            job = self._by_key.get(key)
            if (job is None and key in self._finished
                    and self._finished[key].status == Status.DONE):
                job = self._finished[key]
                self._finished.move_to_end(key)
            if job is None:
                if len(self._waiting) >= self.max_queued:
                    raise QueueFull(f"{len(self._waiting)} jobs are already waiting; "
                                    "try again in a minute")
                job = _Job(key, fn, args)
                self._by_key[key] = job
                self._waiting.append(job)
                self._wake.notify()
            job.tickets.add(ticket)
            self._tickets[ticket] = job
            self._read[ticket] = time.monotonic()
            if owner is not None:
                self._owners[owner] = ticket
        return ticket

    def snapshot(self, ticket: str) -> JobSnapshot:
        with self._lock:
            self._sweep()
            job = self._job(ticket)
            self._read[ticket] = time.monotonic()
            pos = wait = None
            if job.status == Status.QUEUED:
                pos = next(k for k, j in enumerate(self._waiting, 1) if j is job)
                wait = self._estimate_wait(pos)
            return JobSnapshot(ticket, job.status, pos, tuple(job.progress), job.result,
                               job.error, len(job.tickets), job.args, wait)

    def release(self, ticket: str) -> None:
        """Give up a ticket; the job is cancelled if no other ticket holds it. Idempotent."""
        self._leave(ticket, forget=True)

    def release_owner(self, owner: str) -> None:
        """Release the ticket ``owner`` holds, if any (its session has ended)."""
        with self._lock:
            ticket = self._owners.pop(owner, None)
            if ticket is not None:
                self._leave_locked(ticket, forget=True)

    def cancel(self, ticket: str) -> None:
        """Like ``release``, but the ticket can still be read (it shows "cancelled" unless
        someone else still holds the job)."""
        self._leave(ticket, forget=False)

    def _leave(self, ticket: str, forget: bool) -> None:
        with self._lock:
            self._leave_locked(ticket, forget)

    def _leave_locked(self, ticket: str, forget: bool) -> None:
        job = self._tickets.pop(ticket, None) if forget else self._tickets.get(ticket)
        if forget:
            self._read.pop(ticket, None)
        if job is None or (not forget and ticket not in job.tickets):
            return
        job.tickets.discard(ticket)
        if job.status in FINISHED:
            self._trim()  # an unheld run is now one of the keep_finished, or dropped
        elif not job.tickets:
            job.cancel.set()
            if job.status == Status.QUEUED:
                self._waiting.remove(job)
                self._finish(job, Status.CANCELLED)

    def counts(self) -> dict[str, int]:
        with self._lock:
            self._sweep()
            return {"running": self._running, "queued": len(self._waiting),
                    "tickets": len(self._tickets), "finished": len(self._finished),
                    "result_bytes": sum(j.size for j in self._finished.values())}

    def shutdown(self, timeout: float = 5.0) -> None:
        """Cancel everything and wait (up to ``timeout`` s) for the workers to stop, so that no
        training step is cut off mid-computation when the interpreter exits."""
        self._stopped.set()
        with self._lock:
            self._closed = True
            for job in list(self._waiting) + [j for j in self._by_key.values()]:
                job.cancel.set()
            self._waiting.clear()
            self._wake.notify_all()
        end = time.monotonic() + timeout
        for w in self._workers:
            w.join(max(0.0, end - time.monotonic()))

    # -- internals -------------------------------------------------------------------------------
    def _job(self, ticket: str) -> _Job:
        try:
            return self._tickets[ticket]
        except KeyError:
            raise UnknownJob(ticket) from None

    def _finish(self, job: _Job, status: Status) -> None:  # call with the lock held
        job.status, job.finished_at = status, time.monotonic()
        if status == Status.DONE and job.started_at is not None:
            self._durations.append(job.finished_at - job.started_at)
        self._by_key.pop(job.key, None)
        job.size = _size(job.progress) + _size(job.result)
        self._finished[job.key] = job
        self._trim()

    def _trim(self) -> None:  # call with the lock held
        """Drop finished runs: unheld ones that nobody can join (cancelled, failed) and unheld
        ones beyond ``keep_finished`` (oldest first), then, while
        all of them take more than ``max_result_bytes``, the oldest, held or not (its tickets
        then answer UnknownJob: a bound on memory, reached only under abuse)."""
        for key in [k for k, j in self._finished.items()
                    if not j.tickets and j.status != Status.DONE]:
            del self._finished[key]
        unheld = [k for k, j in self._finished.items() if not j.tickets]
        for key in unheld[:max(0, len(unheld) - self.keep_finished)]:
            del self._finished[key]
        total = sum(j.size for j in self._finished.values())
        while total > self.max_result_bytes and self._finished:
            _, old = self._finished.popitem(last=False)
            total -= old.size
            for t in old.tickets:
                self._tickets.pop(t, None)
                self._read.pop(t, None)

    def _sweep(self) -> None:  # call with the lock held
        """Expire tickets nobody reads: cancel the jobs they alone kept alive, release them."""
        now = time.monotonic()
        for ticket, seen in list(self._read.items()):
            job = self._tickets.get(ticket)
            if job is None:
                self._read.pop(ticket, None)
            elif now - seen > self.ticket_ttl:
                self._leave_locked(ticket, forget=True)
        for job in list(self._waiting) + [j for j in self._by_key.values()
                                          if j.status == Status.RUNNING]:
            if job.tickets and all(now - self._read.get(t, now) > self.idle_cancel
                                   for t in job.tickets):
                for t in list(job.tickets):
                    self._leave_locked(t, forget=False)
        for owner, ticket in list(self._owners.items()):
            if ticket not in self._tickets:
                del self._owners[owner]

    def _janitor(self) -> None:
        period = max(0.05, min(5.0, self.idle_cancel / 4, self.ticket_ttl / 4))
        while not self._stopped.wait(period):
            with self._lock:
                self._sweep()

    def _estimate_wait(self, position: int) -> float | None:  # call with the lock held
        """Seconds until the job at ``position`` starts: the jobs ahead of it, and what is left
        of the running ones, at the mean duration of recent runs."""
        if not self._durations:
            return None
        mean = sum(self._durations) / len(self._durations)
        now = time.monotonic()
        left = sorted(max(0.0, mean - (now - j.started_at)) for j in self._by_key.values()
                      if j.status == Status.RUNNING and j.started_at is not None)
        slots = left + [0.0] * (self.max_running - len(left))
        for _ in range(position - 1):  # each job ahead takes the slot that frees first
            slots.sort()
            slots[0] += mean
        return min(slots)

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._waiting and not self._closed:
                    self._wake.wait()
                if self._closed:
                    return
                job = self._waiting.popleft()
                job.status, job.started_at = Status.RUNNING, time.monotonic()
                self._running += 1
            status = Status.DONE
            try:
                run = _run_in_process if self.backend == "process" else _run_in_thread
                for kind, value in run(job.fn, job.args, job.cancel):
                    with self._lock:
                        if kind == "item":
                            job.progress.append(value)
                        elif kind == "result":
                            job.result = value
            except Exception as e:  # a failed job must not take the worker down with it
                job.error = f"{type(e).__name__}: {e}"
                status = Status.FAILED
            with self._lock:
                self._running -= 1
                if status == Status.DONE and job.cancel.is_set():
                    status = Status.CANCELLED
                self._finish(job, status)


def _size(value: Any) -> int:
    """Bytes a job's progress or result takes, as pickled (what a worker process sends)."""
    try:
        return len(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # an unpicklable thread-job result: count it as small
        return 0


def _run_in_thread(fn: Callable, args: tuple, cancel: threading.Event) -> Iterator[tuple]:
    gen = fn(*args)
    while not cancel.is_set():
        try:
            yield "item", next(gen)
        except StopIteration as stop:
            yield "result", stop.value
            return
    gen.close()


# -- process workers ------------------------------------------------------------------------------
_CTX = None


def _context():
    """A forkserver that has imported torch and the engine once, so each job forks in ~50 ms."""
    global _CTX
    if _CTX is None:
        method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
        _CTX = mp.get_context(method)
        if method == "forkserver":
            _CTX.set_forkserver_preload(["torch", "engine"])
    return _CTX


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _child(fn: Callable, args: tuple, out: Any, server_pid: int) -> None:
    import torch

    torch.set_num_threads(1)  # one core per job: the other serves the web requests
    try:
        gen = fn(*args)
        while True:
            if not _alive(server_pid):  # the server is gone (killed): nobody will read this
                return
            try:
                out.put(("item", next(gen)))
            except StopIteration as stop:
                out.put(("result", stop.value))
                break
        out.put(("end", None))
    except BaseException as e:  # report, don't die silently
        out.put(("error", f"{type(e).__name__}: {e}\n{traceback.format_exc(limit=3)}"))


def _run_in_process(fn: Callable, args: tuple, cancel: threading.Event) -> Iterator[tuple]:
    ctx = _context()
    out = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, out, os.getpid()), daemon=True)
    proc.start()
    try:
        while True:
            if cancel.is_set():
                proc.terminate()  # nothing to save: a cancelled run is thrown away
                break
            try:
                kind, value = out.get(timeout=0.05)
            except queue.Empty:
                if not proc.is_alive() and out.empty():
                    raise RuntimeError(
                        f"the worker process died (exit code {proc.exitcode})") from None
                continue
            if kind == "end":
                break
            if kind == "error":
                raise RuntimeError(value)
            yield kind, value
    finally:
        proc.join(timeout=1.0)
        if proc.is_alive():
            proc.terminate()
            proc.join(timeout=1.0)
        out.close()


def default_max_running() -> int:
    """How many jobs run at once: ``UNROLLED_MAX_JOBS``, else 1 (measured best on 2 cores)."""
    return int(os.environ.get("UNROLLED_MAX_JOBS", "1"))
