"""Issue 10's abuse scenarios, replayed against a fresh ``python app.py``: what happened to each.

Every scenario starts its own server (``python app.py`` as a subprocess on a free port, with a
``GRADIO_TEMP_DIR`` of its own; scenario 2 starts two, one per flood variant), plays the abuse
with plain HTTP clients on loopback (``httpx``), ``gradio_client`` or a real Chromium
(Playwright), prints what it saw, and stops the server and the worker processes that outlive it
(also on Ctrl-C or an exception). One server at a time. A thread samples the server's VmRSS
(and that of its child processes: forkserver, training workers) every 50 ms for the peak.

1. Oversized input: a 10 MB value as ``/step_through_time``'s ``weights`` and
   ``/teacher_forcing_vs_generation``'s ``first`` and ``weights``, 3 calls each (and once more
   each as a chunked body, which announces no length): the answers, and the server's RSS kept.
2. Queue flood: one client posts ~530 of the largest ``/gradient_profile`` (LSTM, T 500,
   hidden 128, 3 layers, loss at every step; a new seed each, so nothing is cached) within a
   few seconds, (a) through ``/gradio_api/call/gradient_profile`` (no session hash: each call a
   new session) and (b) through ``/gradio_api/queue/join`` with one fixed session hash; while
   it floods, another client calls ``/ping`` and ``/show_topology`` (defaults) every 0.5 s:
   how many of those got 503 / "queue full" / errors, and their latency; how the flood calls
   were answered. Beside them (reported, not in the bar) two BPTT-tab users ask for the
   default profile (a cached view, but in the same concurrency group as the flood) every 2 s,
   one from the flooder's address (127.0.0.1) and one from another (127.0.0.2, which the
   server sees as another machine). The flood is not drained: the server is stopped at the
   window's end.
3. Peak memory: 16 of the largest profiles at once, half through the public endpoint and half
   through the tab's private events (the ``show_profile*`` fn_indexes of ``/config``, through
   ``/gradio_api/queue/join``): the server's peak RSS and what it holds afterwards; then a
   second round of 16 new ones (does what the first round kept add to the next peak?).
4. Job queue: 17 ``/train_topology`` calls with different seeds from one ``gradio_client``
   session, then from 17 sessions, each time followed by another client training the defaults:
   how many jobs each side holds, and whether the newcomer was queued (position, wait) or
   refused.
5. Finished results kept: N sessions each train a short job (10 steps; sessions share M
   distinct seeds) and poll ``/training_status`` every 0.5 s to its end (plain HTTP without a
   session hash: each poll is a new Gradio session, as for a curl script), then keep their
   ticket; W seconds after the last one finished, every ticket is asked again: how many are
   "no longer known".
6. Abandoned jobs: a page (Chromium) starts the longest Topologies training (3000 steps) and
   closes: how long until its worker process stops. Then a script starts the longest
   ``/train_seq2seq`` it may (LSTM, hidden 128, two-way, 5-25 digits; the server caps the
   steps of such a run by a time budget and says how many: the bench asks for that many) over
   plain HTTP and goes silent (never asks for its ticket): how long until that worker stops.
   Workers (the server's grandchildren, forked by multiprocessing's forkserver) are found by
   their CPU. A run that ends on its own before the server's 2-minute idle stop (on an idle
   machine the budgeted run takes ~1.5 min) is reported, not judged.
7. Sessions soak: N sessions (plain HTTP, a session hash each) make two calls each
   (``/show_topology``, ``/step_through_time``): the server's RSS before, right after and
   every 30 s for 5 minutes; then N new sessions more, to tell memory still held (RSS grows
   again by as much) from memory the allocator keeps for reuse (it grows little).
8. Uploads: ``POST /gradio_api/upload`` with a 30 MB file (also chunked, a 1 KB file and two
   spellings of the path): the answers, and what appeared in ``GRADIO_TEMP_DIR``.
9. Loose input: unknown ``weights`` / ``first``, ``concat`` "abc" and NaN, a ~60 KB text and
   a 1 MB one, wrong argument counts: what comes back, and how long the message is.

The summary gives each scenario's number against the issue's bar: 0 MB kept by oversized
inputs; no 503 or wait over 2 s for a cheap call while one client floods; peak memory under
1.5 GB in every scenario; 0 tickets lost within their lifetime; abandoned jobs stopped within
30 s of the page closing; the soak back within 100 MB of its baseline within 5 minutes.

    python bench/bench_abuse.py                # everything, 17-20 minutes on 2 cores
    python bench/bench_abuse.py --quick        # smaller counts and shorter waits (4-5 minutes)
    python bench/bench_abuse.py --only 2,7     # some scenarios

Peaks move with the machine's load (other processes, the clients here): run it on a quiet
machine, and compare runs side by side.

Scenario 5's defaults are reduced from the issue's (300 sessions over 300 distinct jobs, asked
after 4 minutes): a 10-step job costs ~1.9 s of worker start-up and evaluation and jobs run one
at a time, so 300 distinct jobs alone would take ~10 minutes. The default is 300 sessions over
48 distinct seeds (48 finished results held by 300 tickets), asked 240 s after the last one
finished; ``--s5-sessions``, ``--s5-distinct`` and ``--s5-wait`` change it.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import _common
import httpx

MB = 2**20
CHROMIUM, CHROMIUM_ARGS = _common.CHROMIUM, _common.CHROMIUM_ARGS
PEAK_BAR_MB = 1500  # "peak memory under 1.5 GB in every scenario"
CHEAP_WAIT_BAR = 2.0  # seconds: the longest a cheap call may wait while one client floods
PAGE_STOP_BAR = 30.0  # seconds from the page closing to its job stopped
API_STOP_BAR = 150.0  # the README's "two minutes unread", plus the janitor's sweep and slack
SOAK_BAR_MB = 100  # back within this of the baseline ...
MESSAGE_BAR = 300  # characters: a "short" error message
KEPT_NOISE_MB = 5.0  # RSS moves by a few MB on its own: "0 MB kept" means below this
LARGEST = dict(cell="lstm", seq_len=500, hidden_size=128, num_layers=3, loss_at="every")


@dataclass
class Plan:
    quick: bool
    flood_calls: int = 530
    flood_window: float = 30.0  # seconds of flood watched before the server is stopped
    profiles: int = 16
    profile_rounds: int = 2  # a second round: does what the first kept add to its peak?
    trains: int = 17
    s5_sessions: int = 300
    s5_distinct: int = 48
    s5_wait: float = 240.0
    page_cap: float = 60.0
    api_cap: float = 200.0
    soak_sessions: int = 300
    soak_after: float = 300.0
    soak_every: float = 30.0

    @classmethod
    def make(cls, quick: bool) -> Plan:
        if not quick:
            return cls(quick)
        return cls(quick, flood_calls=150, flood_window=12.0, profiles=6, profile_rounds=1,
                   s5_sessions=30, s5_distinct=6, s5_wait=20.0, page_cap=40.0, api_cap=20.0,
                   soak_sessions=40, soak_after=30.0, soak_every=10.0)


@dataclass
class Row:
    """One line of the summary."""

    scenario: str
    measured: str
    bar: str
    ok: bool | None  # None: reported, not judged


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    peaks: dict[str, float] = field(default_factory=dict)  # scenario -> peak server RSS, MB


def say(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)


# -- the server ----------------------------------------------------------------------------------
class RssPoller(threading.Thread):
    """VmRSS of the server, alone and with its descendants, every 50 ms: the peaks."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = self.peak_tree = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            own = _common.rss_kib(self.pid)
            tree = own + sum(_common.rss_kib(k) for k in _common.descendants(self.pid))
            self.peak, self.peak_tree = max(self.peak, own), max(self.peak_tree, tree)
            self._halt.wait(0.05)

    def reset(self) -> None:
        self.peak = self.peak_tree = 0

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)


class Server:
    """``python app.py`` on a free port with its own GRADIO_TEMP_DIR, as a context manager that
    always stops it, and the child processes that outlive it (forkserver, workers, resource
    tracker). The server's stderr is kept (its last 4000 lines) and its tracebacks counted.
    Ctrl-C and SIGTERM stop the running server at once (:func:`interrupted`), so that client
    threads still waiting on it fail fast and the scenario unwinds."""

    live: set[Server] = set()

    def __init__(self, label: str):
        self.label = label
        self.dir = Path(tempfile.mkdtemp(prefix="bench_abuse_"))
        self.temp = self.dir / "gradio"
        self.port = _common.free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log: deque[str] = deque(maxlen=4000)
        self.tracebacks = 0
        self.proc: subprocess.Popen | None = None
        self.poller: RssPoller | None = None
        self.stopped = False

    def __enter__(self) -> Server:
        env = _common.server_env(self.port)
        env["GRADIO_TEMP_DIR"] = str(self.temp)
        t0 = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "app.py"], cwd=_common.ROOT, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        Server.live.add(self)
        try:
            _common.wait_for_200(self.url + "/", self.proc)
        except BaseException:
            self.stop()
            say(f"  server stderr: {(self.proc.stderr.read() if self.proc.stderr else '')[-2000:]}")
            raise
        threading.Thread(target=self._drain, daemon=True).start()
        self.poller = RssPoller(self.proc.pid)
        self.poller.start()
        say(f"  [{self.label}] server pid {self.proc.pid} up on port {self.port} in "
            f"{time.monotonic() - t0:.1f} s, RSS {self.rss():.0f} MB")
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line.rstrip("\n"))
            if line.startswith("Traceback"):
                self.tracebacks += 1

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def rss(self) -> float:
        """The server process's RSS now, MB."""
        return _common.rss_kib(self.pid) / 1024

    def settled_rss(self, seconds: float = 2.0) -> float:
        """The median of a few samples over ``seconds`` (after the last request), MB."""
        xs = []
        for _ in range(5):
            time.sleep(seconds / 5)
            xs.append(self.rss())
        return _common.median(xs)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        if self.poller is not None:
            self.poller.stop()
        if self.proc is not None:
            kids = _common.descendants(self.proc.pid)
            _common.stop(self.proc)
            _common.stop_orphans(kids)
        shutil.rmtree(self.dir, ignore_errors=True)
        Server.live.discard(self)

    def last_traceback(self) -> str:
        lines = list(self.log)
        starts = [k for k, line in enumerate(lines) if line.startswith("Traceback")]
        if not starts:
            return ""
        block = lines[starts[-1]:starts[-1] + 40]
        end = next((k for k, line in enumerate(block) if k and not line.startswith(" ")),
                   len(block) - 1)
        return "\n".join("      " + line for line in block[:end + 1][-8:])

    def log_note(self) -> list[str]:
        if not self.tracebacks:
            return [f"  [{self.label}] server log: no tracebacks"]
        return [f"  [{self.label}] server log: {self.tracebacks} tracebacks; the last one ends:",
                self.last_traceback()]


# -- talking to it -------------------------------------------------------------------------------
@dataclass
class Outcome:
    """One call: ``kind`` is "complete", "error" (an ``event: error``), "http" (refused before
    the queue: ``status`` says how) or "exception" (the connection failed or timed out)."""

    kind: str
    status: int
    data: Any
    seconds: float

    @property
    def message(self) -> str:
        if self.kind == "complete":
            return ""
        if isinstance(self.data, dict):
            return "null" if self.data.get("error") is None else str(self.data["error"])
        return "null" if self.data is None else str(self.data)

    def label(self) -> str:
        """What happened, in a few words that group alike outcomes (numbers blanked)."""
        if self.kind == "complete":
            return "complete"
        head = f"HTTP {self.status}" if self.kind == "http" else self.kind
        return f"{head}: " + re.sub(r"\d+", "N", self.message)[:90]


def detail(r: httpx.Response) -> str:
    try:
        body = r.json()
        return str(body.get("detail", body)) if isinstance(body, dict) else str(body)
    except ValueError:
        return r.text[:200]


def last_event(stream: str) -> tuple[str, Any]:
    """The last event of a ``/call`` stream that is not a heartbeat: (event name, its data)."""
    events = [e for e in stream.split("\n\n") if e.strip() and "event: heartbeat" not in e]
    if not events:
        return "exception", "the stream ended without an event"
    head, _, payload = events[-1].partition("\ndata: ")
    try:
        data = json.loads(payload)
    except ValueError:
        data = payload[:200]
    return head.removeprefix("event: ").strip(), data


def post_json(http: httpx.Client, path: str, body: dict, **kw: Any) -> httpx.Response:
    """POST ``body`` as JSON, NaN allowed (httpx's own encoder refuses it)."""
    return http.post(path, content=json.dumps(body).encode(),
                     headers={"Content-Type": "application/json"}, **kw)


def call(http: httpx.Client, name: str, data: list, session_hash: str | None = None,
         timeout: float = 120.0) -> Outcome:
    """``POST /gradio_api/call/<name>``, then read its event stream to the end."""
    t0 = time.monotonic()
    body: dict[str, Any] = {"data": data}
    if session_hash:
        body["session_hash"] = session_hash
    try:
        r = post_json(http, f"/gradio_api/call{name}", body, timeout=timeout)
        if r.status_code != 200:
            return Outcome("http", r.status_code, detail(r), time.monotonic() - t0)
        event_id = r.json()["event_id"]
        text = ""
        with http.stream("GET", f"/gradio_api/call{name}/{event_id}", timeout=timeout) as r:
            for chunk in r.iter_text():  # heartbeats every 15 s keep a stream that never ends
                text += chunk
                if time.monotonic() - t0 > timeout:
                    return Outcome("exception", 0, f"no answer within {timeout:.0f} s",
                                   time.monotonic() - t0)
        kind, payload = last_event(text)
        return Outcome(kind, r.status_code, payload, time.monotonic() - t0)
    except httpx.HTTPError as e:
        return Outcome("exception", 0, f"{type(e).__name__}: {e}", time.monotonic() - t0)


def queue_messages(http: httpx.Client, session_hash: str, deadline: float,
                   halt: threading.Event | None = None) -> Iterator[dict]:
    """The messages of ``/gradio_api/queue/data`` for a session, until ``deadline`` (then the
    stream is closed, which makes gradio drop the session's pending events)."""
    read = max(1.0, deadline - time.monotonic())  # a quiet stream until the deadline is fine
    with http.stream("GET", "/gradio_api/queue/data", params={"session_hash": session_hash},
                     timeout=httpx.Timeout(10.0, read=read)) as r:
        if r.status_code != 200:
            yield {"msg": f"HTTP {r.status_code}"}
            return
        try:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    yield json.loads(line[6:])
                if time.monotonic() > deadline or (halt is not None and halt.is_set()):
                    return
        except httpx.ReadTimeout:
            if time.monotonic() < deadline - 1.0:
                raise


def join_and_wait(http: httpx.Client, fn_index: int, data: list, session_hash: str,
                  timeout: float = 300.0) -> Outcome:
    """``POST /gradio_api/queue/join`` (what the page sends), then wait for the event's end on
    the session's stream."""
    t0 = time.monotonic()
    try:
        r = post_json(http, "/gradio_api/queue/join",
                      {"data": data, "fn_index": fn_index, "session_hash": session_hash,
                       "event_data": None, "trigger_id": None}, timeout=timeout)
        if r.status_code != 200:
            return Outcome("http", r.status_code, detail(r), time.monotonic() - t0)
        event_id = r.json()["event_id"]
        for msg in queue_messages(http, session_hash, t0 + timeout):
            if msg.get("msg") == "process_completed" and msg.get("event_id") == event_id:
                output = msg.get("output") or {}
                kind = "complete" if msg.get("success") else "error"
                return Outcome(kind, 200, output, time.monotonic() - t0)
            if msg.get("msg") in ("unexpected_error", "close_stream") or \
                    str(msg.get("msg", "")).startswith("HTTP"):
                return Outcome("error", 200, msg.get("message", msg.get("msg")),
                               time.monotonic() - t0)
        return Outcome("exception", 0, "no process_completed before the timeout",
                       time.monotonic() - t0)
    except httpx.HTTPError as e:
        return Outcome("exception", 0, f"{type(e).__name__}: {e}", time.monotonic() - t0)


class Api:
    """Each public endpoint's parameters (from ``/gradio_api/info``) and every event's
    dependency (from ``/config``), to build full argument lists by name."""

    def __init__(self, http: httpx.Client):
        info = http.get("/gradio_api/info", timeout=30).json()
        self.params = {name: [(p["parameter_name"], p.get("parameter_default"))
                              for p in ep["parameters"]]
                       for name, ep in info["named_endpoints"].items()}
        self.deps = http.get("/config", timeout=30).json()["dependencies"]

    def args(self, name: str, **over: Any) -> list:
        names = [p for p, _ in self.params[name]]
        unknown = set(over) - set(names)
        if unknown:
            raise KeyError(f"{name} has no parameter {sorted(unknown)} (it has {names})")
        return [over.get(p, d) for p, d in self.params[name]]

    def fn_index(self, api_name: str) -> int:
        return next(d["id"] for d in self.deps if d.get("api_name") == api_name)

    def fn_indexes(self, prefix: str) -> list[int]:
        return [d["id"] for d in self.deps if str(d.get("api_name") or "").startswith(prefix)]


def largest_profile(api: Api, seed: int) -> list:
    return api.args("/gradient_profile", **LARGEST, seed=seed)


def ticket_of(out: Outcome) -> str | None:
    """The ticket in a train endpoint's outputs (the first 32-hex string)."""
    if out.kind != "complete" or not isinstance(out.data, list):
        return None
    return next((x for x in out.data if isinstance(x, str) and re.fullmatch(r"[0-9a-f]{32}", x)),
                None)


def status_of(http: httpx.Client, ticket: str) -> dict:
    """``/training_status`` of a ticket; ``{"status": "unknown", ...}`` when it is not known."""
    out = call(http, "/training_status", [ticket, "en"], timeout=60)
    if out.kind == "complete" and isinstance(out.data, list) and isinstance(out.data[0], dict):
        return out.data[0]
    return {"status": "unknown" if "no longer known" in out.message else "error",
            "message": out.message}


def stats(xs: list[float]) -> str:
    if not xs:
        return "no calls"
    return (f"p50 {_common.quantile(xs, 0.5):.3f} s, p95 {_common.quantile(xs, 0.95):.3f} s, "
            f"max {max(xs):.3f} s")


def counted(counter: Counter, indent: str = "    ") -> list[str]:
    return [f"{indent}{n:4d} x {what}" for what, n in counter.most_common()]


def workers(pid: int) -> list[int]:
    """The server's training worker processes: the children of its children (the server's own
    children are multiprocessing's forkserver, which forks the workers, and resource tracker)."""
    children = set(_common.descendants(pid))
    direct = [k for k in children if _parent(k) == pid]
    return [k for k in children if k not in direct]


def _parent(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except OSError:
        return 0
    return int(stat[stat.rfind(")") + 2:].split()[1])


def busy_workers(pid: int, window: float = 1.0) -> dict[int, float]:
    """The server's training workers that use at least a third of a core over ``window``
    seconds: pid -> cores."""
    kids = workers(pid)
    before = {k: _common.cpu_seconds(k) for k in kids}
    time.sleep(window)
    rates = {k: (_common.cpu_seconds(k) - c) / window for k, c in before.items()}
    return {k: r for k, r in rates.items() if r > 0.33}


def wait_for_workers(pid: int, timeout: float) -> dict[int, float]:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        busy = busy_workers(pid, 0.5)
        if busy:
            return busy
    return {}


def wait_stopped(pids: list[int], cap: float) -> tuple[float, str] | None:
    """Seconds until every one of ``pids`` has exited (or sat idle for a second), and which;
    None if some still worked after ``cap`` seconds."""
    t0 = time.monotonic()
    cpu = {p: _common.cpu_seconds(p) for p in pids}
    idle_since: dict[int, float] = {}
    while time.monotonic() - t0 < cap:
        time.sleep(0.2)
        now = time.monotonic()
        for p in pids:
            c = _common.cpu_seconds(p) if _common.rss_kib(p) else None
            if c is None or c - cpu[p] < 0.01:
                idle_since.setdefault(p, now)
            else:
                idle_since.pop(p, None)
                cpu[p] = c
        if all(not _common.rss_kib(p) for p in pids):
            return max(idle_since.values(), default=now) - t0, "exited"
        if all(now - idle_since.get(p, now) >= 1.0 for p in pids):
            return max(idle_since.values()) - t0, "idle, not exited"
    return None


# -- the scenarios -------------------------------------------------------------------------------
def s1_oversized(plan: Plan, report: Report) -> None:
    big = "x" * (10 * MB)
    cases = [("/step_through_time", "weights"), ("/teacher_forcing_vs_generation", "first"),
             ("/teacher_forcing_vs_generation", "weights")]
    with Server("1") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        for name, _ in cases:  # the views these calls would draw, cached first
            call(http, name, api.args(name))
        before = srv.settled_rss()
        seen: Counter = Counter()
        refused = total = 0
        for name, fld in cases:
            for _ in range(3):
                out = call(http, name, api.args(name, **{fld: big}), timeout=120)
                seen[f"{name} {fld}=10 MB: {out.label()}"] += 1
                total += 1
                refused += out.kind == "http" and out.status == 413
            # once more as a chunked body (no Content-Length), through the page's own route
            body = json.dumps({"data": api.args(name, **{fld: big}), "session_hash": "s1chunk",
                               "fn_index": api.fn_index(name.lstrip("/"))}).encode()
            try:
                r = http.post("/gradio_api/queue/join", timeout=120,
                              content=(body[k:k + MB] for k in range(0, len(body), MB)),
                              headers={"Content-Type": "application/json"})
                label = Outcome("http", r.status_code, detail(r), 0.0).label()
                seen[f"{name} {fld}=10 MB, chunked queue/join: {label}"] += 1
                refused += r.status_code == 413
            except httpx.HTTPError as e:
                seen[f"{name} {fld}=10 MB, chunked queue/join: {type(e).__name__}"] += 1
            total += 1
        after = srv.settled_rss(3.0)
        peak = srv.poller.peak / 1024
        say(*counted(seen), *srv.log_note())
    kept = after - before
    say(f"  RSS before {before:.0f} MB, after {after:.0f} MB: {kept:+.1f} MB kept; "
        f"peak {peak:.0f} MB; {refused} of {total} calls refused with 413")
    report.peaks["1"] = peak
    report.rows.append(Row("1 oversized input", f"{kept:+.1f} MB kept, {refused}/{total} got 413",
                           "0 MB kept", kept < KEPT_NOISE_MB))


def caller(url: str, halt: threading.Event, log: list, names: tuple[str, ...],
           period: float, source: str = "127.0.0.1") -> None:
    """``names`` (defaults) in turn, one call every ``period`` seconds (or right after the last
    one if it took longer), each a new session, connecting from the loopback address ``source``
    (127.0.0.2 is another machine to the server); appends (started at, endpoint, Outcome)."""
    transport = httpx.HTTPTransport(local_address=source)
    with httpx.Client(base_url=url, transport=transport) as http:
        api = Api(http)
        k, t0 = 0, time.monotonic()
        while not halt.is_set():
            name = names[k % len(names)]
            start = time.monotonic()
            log.append((start, name, call(http, name, api.args(name), timeout=60)))
            k += 1
            halt.wait(max(0.0, t0 + period * k - time.monotonic()))


def read_call_streams(url: str, name: str, event_ids: list[str], deadline: float) -> Counter:
    """Read every accepted flood call's stream at once (asyncio) until ``deadline``: how each
    ended, and how many had not."""

    async def one(client: httpx.AsyncClient, event_id: str) -> str:
        try:
            async with client.stream("GET", f"/gradio_api/call{name}/{event_id}") as r:
                if r.status_code != 200:
                    return f"HTTP {r.status_code}"
                text = ""
                async for chunk in r.aiter_text():
                    text += chunk
                kind, data = last_event(text)
                return Outcome(kind, 200, data, 0.0).label()
        except httpx.HTTPError as e:
            return f"exception: {type(e).__name__}"

    async def main() -> Counter:
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=0)
        async with httpx.AsyncClient(base_url=url, timeout=None, limits=limits) as client:
            tasks = [asyncio.create_task(one(client, e)) for e in event_ids]
            done, pending = await asyncio.wait(tasks, timeout=max(0.1, deadline
                                                                  - time.monotonic()))
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            out = Counter(t.result() for t in done)
            if pending:
                out["not finished at the window's end"] = len(pending)
            return out

    return asyncio.run(main()) if event_ids else Counter()


def flood_once(plan: Plan, variant: str) -> tuple[dict, float]:
    with Server(f"2{variant}") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        halt, cheap, near, far = threading.Event(), [], [], []
        callers = [threading.Thread(target=caller, daemon=True, args=args) for args in (
            (srv.url, halt, cheap, ("/ping", "/show_topology"), 0.5),
            # not in the bar: BPTT-tab users asking for their own (default, cached) profile
            # every 2 s, one at the flooder's address and one from another (127.0.0.2)
            (srv.url, halt, near, ("/gradient_profile",), 2.0),
            (srv.url, halt, far, ("/gradient_profile",), 2.0, "127.0.0.2"))]
        for c in callers:
            c.start()
        time.sleep(2.5)  # a few cheap calls before the flood: the idle latency
        t_flood = time.monotonic()
        deadline = t_flood + plan.flood_window
        posts: Counter = Counter()
        accepted: list[str] = []
        session = uuid.uuid4().hex[:11]
        reader: threading.Thread | None = None
        streamed: Counter = Counter()

        def read_session() -> None:
            try:
                for msg in queue_messages(http_reader, session, deadline):
                    kind = msg.get("msg")
                    if kind == "process_completed":
                        streamed[Outcome("complete" if msg.get("success") else "error", 200,
                                         msg.get("output"), 0).label()] += 1
                    elif kind in ("unexpected_error", "close_stream") or "HTTP" in str(kind):
                        streamed[f"{kind}: {msg.get('message', '')}"[:100]] += 1
            except httpx.HTTPError as e:
                streamed[f"stream: {type(e).__name__}"] += 1

        http_reader = httpx.Client(base_url=srv.url)
        try:
            for k in range(plan.flood_calls):
                data = largest_profile(api, seed=10_000 + k)
                try:
                    if variant == "a":
                        r = post_json(http, "/gradio_api/call/gradient_profile", {"data": data},
                                      timeout=30)
                    else:
                        r = post_json(http, "/gradio_api/queue/join",
                                      {"data": data, "session_hash": session, "event_data": None,
                                       "fn_index": api.fn_index("gradient_profile"),
                                       "trigger_id": None}, timeout=30)
                except httpx.HTTPError as e:
                    posts[f"exception: {type(e).__name__}"] += 1
                    continue
                if r.status_code == 200:
                    posts["accepted (200, an event id)"] += 1
                    accepted.append(r.json()["event_id"])
                    if variant == "b" and reader is None:
                        reader = threading.Thread(target=read_session, daemon=True)
                        reader.start()
                else:
                    posts[f"HTTP {r.status_code}: " + re.sub(r"\d+", "N", detail(r))[:90]] += 1
            t_posted = time.monotonic() - t_flood
            if variant == "a":
                streamed = read_call_streams(srv.url, "/gradient_profile", accepted, deadline)
            elif reader is not None:
                reader.join(timeout=max(0.0, deadline - time.monotonic()) + 10)
                ended = sum(streamed.values())
                if len(accepted) > ended:
                    streamed["not finished at the window's end"] = len(accepted) - ended
            time.sleep(max(0.0, deadline - time.monotonic()))
            halt.set()
            for c in callers:
                c.join(timeout=70)
            peak = srv.poller.peak / 1024
            note = srv.log_note()
        finally:
            halt.set()
            http_reader.close()
    idle = [o.seconds for t, _, o in cheap if t < t_flood]
    during = [(name, o) for t, name, o in cheap if t >= t_flood]
    lat = [o.seconds for _, o in during]
    kinds = Counter(f"{name} {o.label()}" for name, o in during)
    n503 = sum(o.kind == "http" and o.status == 503 for _, o in during)
    full = sum("queue is full" in o.message.lower() for _, o in during)
    bad = sum(o.kind != "complete" for _, o in during)
    slow = sum(x > CHEAP_WAIT_BAR for x in lat)
    tab_lines, tab = [], {}
    for where, log in (("the flooder's address", near), ("another address", far)):
        tab[where] = xs = [o for t, _, o in log if t >= t_flood]
        tab_lines += [f"  a BPTT-tab user from {where}, its default profile (cached) every 2 s "
                      f"(not in the bar): {len(xs)} calls, {stats([o.seconds for o in xs])}",
                      *counted(Counter(o.label() for o in xs))]
    how = {"a": "POST /gradio_api/call/gradient_profile, no session hash",
           "b": f"POST /gradio_api/queue/join, one session hash ({session})"}[variant]
    say(f"  flood {variant} ({how}): {plan.flood_calls} posted in {t_posted:.1f} s; the answers:",
        *counted(posts), f"  how the accepted ones had ended {plan.flood_window:.0f} s after the "
        "flood began (the server is then stopped):", *counted(streamed),
        f"  cheap calls before the flood: {stats(idle)}",
        f"  cheap calls during the flood: {len(during)}; 503: {n503}, 'queue full': {full}, "
        f"not complete: {bad}, over {CHEAP_WAIT_BAR:g} s: {slow}; {stats(lat)}",
        *counted(kinds), *tab_lines, f"  peak server RSS {peak:.0f} MB", *note)
    res = dict(n=len(during), n503=n503, full=full, bad=bad, slow=slow,
               worst=max(lat, default=float("nan")), refused=sum(
                   n for k, n in posts.items() if not k.startswith("accepted")),
               accepted=len(accepted),
               tab={where: (sum(o.kind != "complete" for o in xs), len(xs),
                            max((o.seconds for o in xs), default=float("nan")))
                    for where, xs in tab.items()})
    return res, peak


def s2_flood(plan: Plan, report: Report) -> None:
    peaks = []
    for variant in ("a", "b"):
        res, peak = flood_once(plan, variant)
        peaks.append(peak)
        ok = res["n"] > 0 and res["bad"] == 0 and res["slow"] == 0
        name = {"a": "2a flood /call", "b": "2b flood queue/join 1 session"}[variant]
        report.rows.append(Row(
            name, f"cheap: {res['n503']} x 503, {res['bad']}/{res['n']} failed, max "
                  f"{res['worst']:.2f} s; flood {res['accepted']} accepted, {res['refused']} "
                  "refused", f"no 503, no cheap wait > {CHEAP_WAIT_BAR:g} s", ok))
        report.rows.append(Row(
            f"{name[:2]}  BPTT users' profiles", "; ".join(
                f"{where}: {bad}/{n} failed, max {worst:.1f} s"
                for where, (bad, n, worst) in res["tab"].items()),
            "(reported: not a cheap call)", None))
    report.peaks["2"] = max(peaks)


def s3_peak(plan: Plan, report: Report) -> None:
    with Server("3") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        private = api.fn_indexes("show_profile")
        say(f"  the profile's private events (fn_index): {private}; public gradient_profile: "
            f"{api.fn_index('gradient_profile')}")
        call(http, "/gradient_profile", api.args("/gradient_profile"))  # imports, first figure
        before = srv.settled_rss()

        def one(k: int, seed: int, barrier: threading.Barrier) -> tuple[str, Outcome]:
            with httpx.Client(base_url=srv.url) as h:
                barrier.wait()
                if k % 2 == 0:
                    return "public /call", call(h, "/gradient_profile",
                                                largest_profile(api, seed), timeout=600)
                fn = private[(k // 2) % len(private)]
                return f"private fn_index {fn}", join_and_wait(
                    h, fn, largest_profile(api, seed), uuid.uuid4().hex[:11], 600)

        rounds = []
        n = plan.profiles
        for r in range(plan.profile_rounds):
            srv.poller.reset()
            seeds = [20_000 + 100 * r + k for k in range(n)]  # new profiles: nothing cached
            t0 = time.monotonic()
            with ThreadPoolExecutor(n) as pool:
                outs = list(pool.map(one, range(n), seeds, [threading.Barrier(n)] * n))
            wall = time.monotonic() - t0
            peak, peak_tree = srv.poller.peak / 1024, srv.poller.peak_tree / 1024
            after = srv.settled_rss(5.0)
            rounds.append((peak, after))
            kinds = Counter(f"{route}: {o.label()}" for route, o in outs)
            say(f"  round {r + 1}: {plan.profiles} largest profiles at once, {wall:.1f} s "
                f"(slowest call {max(o.seconds for _, o in outs):.1f} s):", *counted(kinds),
                f"  RSS before {before:.0f} MB, peak {peak:.0f} MB (with child processes "
                f"{peak_tree:.0f} MB), held 5 s after {after:.0f} MB ({after - before:+.0f} MB)")
        say(*srv.log_note())
    peak = max(p for p, _ in rounds)
    after = rounds[-1][1]
    report.peaks["3"] = peak
    report.rows.append(Row(f"3 peak, {plan.profiles} largest x {len(rounds)}",
                           "peak " + " / ".join(f"{p:.0f}" for p, _ in rounds) + " MB, held "
                           f"{after:.0f} MB ({after - before:+.0f})",
                           f"peak < {PEAK_BAR_MB} MB", peak < PEAK_BAR_MB))


def s4_job_queue(plan: Plan, report: Report) -> None:
    from gradio_client import Client

    def train(client: Any, seed: int) -> tuple[str | None, str]:
        """One /train_topology through gradio_client: (ticket, what it said)."""
        try:
            out = client.predict(*api.args("/train_topology", seed=seed),
                                 api_name="/train_topology")
        except Exception as e:  # noqa: BLE001 - the refusal is what we report
            return None, f"refused: {type(e).__name__}: {str(e)[:120]}"
        items = out if isinstance(out, (list, tuple)) else [out]
        ticket = next((x for x in items if isinstance(x, str)
                       and re.fullmatch(r"[0-9a-f]{32}", x)), None)
        text = next((x for x in items if isinstance(x, str) and x != ticket), "")
        return ticket, re.sub(r"\d+", "N", text)[:80]

    def newcomer() -> str:
        """Another client trains the defaults (then gives its job up, so that the next
        newcomer does not simply join it: identical settings share one job)."""
        sh = uuid.uuid4().hex[:11]
        out = call(http, "/train_topology", api.args("/train_topology"), session_hash=sh)
        ticket = ticket_of(out)
        if ticket is None:
            text = f"refused: {out.label()}"
        else:
            st = status_of(http, ticket)
            text = (f"{st['status']}, queue position {st.get('queue_position')}, wait "
                    f"{st.get('wait_seconds')} s")
        say(f"  then another client trains the defaults: {text}")
        call(http, "/cancel_training", api.args("/cancel_training"), session_hash=sh)
        return text

    clients: list = []
    with Server("4") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        try:
            one = Client(srv.url + "/", verbose=False)
            clients.append(one)
            said: Counter = Counter()
            tickets = []
            for k in range(plan.trains):
                ticket, text = train(one, 100 + k)
                said[text] += 1
                tickets.append(ticket)
            states = Counter(status_of(http, t)["status"] if t else "no ticket" for t in tickets)
            held_one = states["queued"] + states["running"]
            say(f"  one session (gradio_client), {plan.trains} x /train_topology, seeds 100-"
                f"{99 + plan.trains}: the answers:", *counted(said),
                "  its tickets now:", *counted(states))
            after_one = newcomer()

            with ThreadPoolExecutor(8) as pool:
                many = list(pool.map(lambda _: Client(srv.url + "/", verbose=False),
                                     range(plan.trains)))
            clients += many
            with ThreadPoolExecutor(8) as pool:
                results = list(pool.map(lambda kc: train(kc[1], 200 + kc[0]), enumerate(many)))
            said = Counter(text for _, text in results)
            states = Counter(status_of(http, t)["status"] if t else "refused"
                             for t, _ in results)
            say(f"  {plan.trains} sessions (gradio_client), one /train_topology each, seeds "
                f"200-{199 + plan.trains}: the answers:", *counted(said),
                "  their tickets now:", *counted(states))
            after_many = newcomer()
            peak = srv.poller.peak / 1024
            say(*srv.log_note())
        finally:
            for c in clients:
                with contextlib.suppress(Exception):
                    c.close()
    report.peaks["4"] = peak
    report.rows.append(Row("4 job queue, one session",
                           f"{held_one} queued/running of {plan.trains}; newcomer: {after_one}",
                           "at most 1 per session and tab", held_one <= 1))
    report.rows.append(Row(f"4 job queue, {plan.trains} sessions",
                           f"{dict(states)}; newcomer: {after_many}", "(reported)", None))


def s5_kept(plan: Plan, report: Report) -> None:
    with Server("5") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        t0 = time.monotonic()
        retries: Counter = Counter()
        calls = Counter()  # per endpoint: each status poll (no session hash) a new session
        lock = threading.Lock()

        def session(k: int) -> tuple[str | None, str, float]:
            seed = 5000 + k % plan.s5_distinct
            sh = uuid.uuid4().hex[:11]
            with httpx.Client(base_url=srv.url) as h:
                args = api.args("/train_topology", steps=10, seed=seed)
                end = time.monotonic() + 600
                while True:
                    out = call(h, "/train_topology", args, session_hash=sh)
                    calls["/train_topology"] += 1
                    ticket = ticket_of(out)
                    if ticket or time.monotonic() > end:
                        break
                    with lock:
                        retries[out.label()] += 1
                    time.sleep(1.0)
                if ticket is None:
                    return None, "never accepted", time.monotonic()
                while time.monotonic() < end:
                    st = status_of(h, ticket)
                    calls["/training_status"] += 1
                    if st["status"] not in ("queued", "running"):
                        return ticket, st["status"], time.monotonic()
                    time.sleep(0.5)
                return ticket, "still unfinished", time.monotonic()

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(session, range(plan.s5_sessions)))
        trained = time.monotonic() - t0
        first = Counter(st for _, st, _ in results)
        say(f"  {plan.s5_sessions} sessions over {plan.s5_distinct} distinct seeds trained in "
            f"{trained:.0f} s ({calls['/train_topology']} train calls, "
            f"{calls['/training_status']} status polls, each poll a new session as plain HTTP "
            f"without a session hash; server RSS {srv.rss():.0f} MB); how their jobs ended:",
            *counted(first))
        if retries:
            say("  refusals met on the way (each retried after 1 s):", *counted(retries))
        last = max(t for _, _, t in results)
        for left in range(int(plan.s5_wait), 0, -60):
            say(f"  ... waiting: {left:.0f} s before asking again, RSS {srv.rss():.0f} MB")
            time.sleep(max(0.0, min(60.0, last + plan.s5_wait - time.monotonic())))
        time.sleep(max(0.0, last + plan.s5_wait - time.monotonic()))
        tickets = [t for t, _, _ in results if t]
        with ThreadPoolExecutor(8) as pool:
            later = Counter(st["status"] for st in pool.map(lambda t: status_of(http, t),
                                                             tickets))
        lost = later["unknown"]
        peak = srv.poller.peak / 1024
        say(f"  {plan.s5_wait:.0f} s after the last job finished, /training_status of the "
            f"{len(tickets)} tickets:", *counted(later), f"  peak server RSS {peak:.0f} MB",
            *srv.log_note())
    report.peaks["5"] = peak
    report.rows.append(Row("5 finished results kept",
                           f"{lost} of {len(tickets)} lost after {plan.s5_wait:.0f} s "
                           f"({plan.s5_sessions} sessions, {plan.s5_distinct} jobs)",
                           "0 lost within their lifetime", lost == 0 and len(tickets) > 0))


def s6_abandoned(plan: Plan, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    with Server("6") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        page_stop: float | None = None
        page_text = "the page did not get to Train"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                ctx = browser.new_context(locale="en-US", viewport={"width": 1400,
                                                                    "height": 1000})
                page = ctx.new_page()
                page.goto(srv.url + "/")
                page.locator("#topology-train-box").get_by_role("button").first.click(
                    timeout=60_000)
                numbers = page.locator("#topology-train-box input[type=number]")
                for k, value in ((0, "3000"), (1, "777")):  # steps (the max), seed
                    numbers.nth(k).fill(value)
                    numbers.nth(k).press("Enter")
                page.locator("button#topology-train").click()
                busy = wait_for_workers(srv.pid, 30)
                time.sleep(2.0)  # the job well under way
                text = page.locator("#topology-job").inner_text().replace("\n", " ")
                say(f"  page: Train pressed (3000 steps); the page says {text[:70]!r}; busy "
                    f"workers {sorted(busy)}")
                t_close = time.monotonic()
                ctx.close()
                if busy:
                    stopped = wait_stopped(list(busy), plan.page_cap)
                    if stopped is None:
                        page_text = f"still busy after {time.monotonic() - t_close:.0f} s"
                    else:
                        page_stop = stopped[0]
                        page_text = f"stopped after {page_stop:.1f} s ({stopped[1]})"
                else:
                    page_text = "no training worker seen after Train"
                say(f"  page closed: its job's worker {page_text}")
            finally:
                browser.close()

        # the longest run a script may start: the largest models at the longest strings, for
        # as many steps as the server allows them (it says how many when asked for too many)
        sh = uuid.uuid4().hex[:11]
        big = dict(cell="lstm", hidden_size=128, min_len=5, max_len=25, bidirectional=True)
        steps = 3000
        out = call(http, "/train_seq2seq", api.args("/train_seq2seq", **big, steps=steps),
                   session_hash=sh)
        allowed = re.search(r"at most (\d+) training steps", out.message)
        if ticket_of(out) is None and allowed:
            steps = int(allowed.group(1))
            out = call(http, "/train_seq2seq", api.args("/train_seq2seq", **big, steps=steps),
                       session_hash=sh)
        t_start = time.monotonic()
        ticket = ticket_of(out)
        busy = wait_for_workers(srv.pid, 30)
        say(f"  script: /train_seq2seq (LSTM, hidden 128, two-way, 5-25 digits, {steps} steps) "
            f"-> {out.label()}, ticket {ticket}; busy workers {sorted(busy)}; now silent")
        t_wait = time.monotonic()
        api_stop = wait_stopped(list(busy), plan.api_cap) if busy else None
        # seconds from the call's answer to the worker's stop (or to now, if it never did)
        since = (time.monotonic() - t_start if api_stop is None
                 else t_wait - t_start + api_stop[0])
        final = status_of(http, ticket)["status"] if ticket else "no ticket"
        say(f"  script silent: its worker stopped ({api_stop[1]}) {since:.0f} s after the call "
            f"returned (the ticket now says {final!r})" if api_stop is not None else
            f"  script silent: its worker still busy {since:.0f} s after the call (cap "
            f"{plan.api_cap:.0f} s); the ticket says {final!r}", *srv.log_note())
        peak = srv.poller.peak / 1024
    report.peaks["6"] = peak
    report.rows.append(Row("6 abandoned: page closed", page_text,
                           f"stopped within {PAGE_STOP_BAR:g} s",
                           page_stop is not None and page_stop <= PAGE_STOP_BAR))
    if api_stop is None:
        api_text, api_ok = f"still running after {since:.0f} s ({final})", False
    elif final == "done":  # it ran to its end before anyone could call it abandoned
        api_text, api_ok = f"ran to completion in {since:.0f} s (idle stop not reached)", None
    else:
        api_text, api_ok = f"stopped after {since:.0f} s ({final})", since <= API_STOP_BAR
    report.rows.append(Row("6 abandoned: silent script", api_text,
                           f"README: 2 min unread (< {API_STOP_BAR:g} s)",
                           None if plan.quick and api_stop is None else api_ok))


def s7_soak(plan: Plan, report: Report) -> None:
    with Server("7") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)

        def session(_: int) -> list[Outcome]:
            sh = uuid.uuid4().hex[:11]
            with httpx.Client(base_url=srv.url) as h:
                return [call(h, name, api.args(name), session_hash=sh)
                        for name in ("/show_topology", "/step_through_time")]

        for k in range(3):  # warm: the views are cached, the code paths run once
            session(k)
        base = srv.settled_rss(3.0)
        t0 = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            outs = [o for s in pool.map(session, range(plan.soak_sessions)) for o in s]
        soak = time.monotonic() - t0
        right_after = srv.settled_rss(1.0)
        kinds = Counter(o.label() for o in outs)
        say(f"  {plan.soak_sessions} sessions x 2 calls in {soak:.0f} s:", *counted(kinds),
            f"  RSS baseline {base:.0f} MB, right after {right_after:.0f} MB "
            f"({right_after - base:+.0f} MB, {1024 * (right_after - base) / plan.soak_sessions:.0f}"
            " KB a session)")
        back_at: float | None = None
        t_end = time.monotonic()
        samples = []
        while time.monotonic() - t_end < plan.soak_after:
            time.sleep(min(plan.soak_every, plan.soak_after - (time.monotonic() - t_end)))
            rss = srv.rss()
            samples.append((time.monotonic() - t_end, rss))
            say(f"    +{samples[-1][0]:4.0f} s: {rss:.0f} MB ({rss - base:+.0f})")
            if back_at is None and rss - base <= SOAK_BAR_MB:
                back_at = samples[-1][0]
        # a second round: memory the first gave back to the allocator is reused (RSS grows
        # little); memory still held by something grows again
        before2 = srv.rss()
        with ThreadPoolExecutor(8) as pool:
            outs2 = [o for s in pool.map(session, range(plan.soak_sessions)) for o in s]
        after2 = srv.settled_rss(1.0)
        bad2 = sum(o.kind != "complete" for o in outs2)
        say(f"  second round, {plan.soak_sessions} new sessions: {before2:.0f} -> {after2:.0f} MB "
            f"({after2 - before2:+.0f} MB; first round {right_after - base:+.0f} MB); "
            f"{bad2} calls not complete")
        peak = srv.poller.peak / 1024
        say(f"  peak server RSS {peak:.0f} MB", *srv.log_note())
    report.peaks["7"] = peak
    last = samples[-1][1] if samples else right_after
    report.rows.append(Row(
        f"7 soak, {plan.soak_sessions} sessions",
        f"base {base:.0f}, after {right_after:.0f}, +{plan.soak_after:.0f} s {last:.0f} MB "
        f"({last - base:+.0f})" + (f"; within {SOAK_BAR_MB} MB from +{back_at:.0f} s"
                                   if back_at is not None else ""),
        f"within {SOAK_BAR_MB} MB of baseline in {plan.soak_after / 60:g} min",
        back_at is not None))


def files_under(root: Path) -> dict[str, int]:
    if not root.exists():
        return {}
    return {str(p): p.stat().st_size for p in root.rglob("*") if p.is_file()}


def s8_uploads(plan: Plan, report: Report) -> None:
    data = os.urandom(30 * MB)
    with Server("8") as srv, httpx.Client(base_url=srv.url, timeout=120) as http:
        before = files_under(srv.temp)
        answers: list[tuple[str, str, bool]] = []

        def attempt(label: str, send: Callable[[], httpx.Response]) -> None:
            try:
                r = send()
                answers.append((label, f"HTTP {r.status_code}: {detail(r)[:90]}",
                                400 <= r.status_code < 500))
            except httpx.HTTPError as e:  # the server refused and closed before the body ended
                answers.append((label, f"{type(e).__name__} (connection closed while sending)",
                                True))

        boundary = "benchabuse" + uuid.uuid4().hex
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
                "filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
        tail = f"\r\n--{boundary}--\r\n".encode()

        def chunked() -> Iterator[bytes]:
            yield head
            for k in range(0, len(data), MB):
                yield data[k:k + MB]
            yield tail

        attempt("30 MB multipart", lambda: http.post(
            "/gradio_api/upload", files={"files": ("big.bin", data)}))
        attempt("30 MB multipart, chunked (no length)", lambda: http.post(
            "/gradio_api/upload", content=chunked(),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}))
        attempt("1 KB multipart", lambda: http.post(
            "/gradio_api/upload", files={"files": ("small.txt", b"x" * 1024)}))
        attempt("1 KB multipart to /gradio_api/upload/?upload_id=x", lambda: http.post(
            "/gradio_api/upload/", params={"upload_id": "x"},
            files={"files": ("small.txt", b"x" * 1024)}))
        attempt("1 KB multipart to /gradio_api//upload", lambda: http.post(
            "/gradio_api//upload", files={"files": ("small.txt", b"x" * 1024)}))
        time.sleep(1.0)
        after = files_under(srv.temp)
        new = {p: n for p, n in after.items() if before.get(p) != n}
        peak = srv.poller.peak / 1024
        say(*(f"    {label}: {what}" for label, what, _ in answers),
            f"  new files in GRADIO_TEMP_DIR: {len(new)} ({sum(new.values()) / MB:.1f} MB)"
            + "".join(f"\n      {p} {n} bytes" for p, n in list(new.items())[:5]),
            *srv.log_note())
    report.peaks["8"] = peak
    refused = sum(ok for _, _, ok in answers)
    report.rows.append(Row("8 uploads", f"{refused}/{len(answers)} refused, {len(new)} files "
                           "stored", "refused, nothing stored",
                           refused == len(answers) and not new))


def s9_loose(plan: Plan, report: Report) -> None:
    with Server("9") as srv, httpx.Client(base_url=srv.url) as http:
        api = Api(http)
        stt, tf = "/step_through_time", "/teacher_forcing_vs_generation"
        cases: list[tuple[str, str, list]] = [
            ("unknown weights", stt, api.args(stt, weights="unknown")),
            ("unknown first", tf, api.args(tf, first="unknown")),
            ("unknown weights (compare)", tf, api.args(tf, weights="unknown")),
            ("concat 'abc'", stt, api.args(stt, concat="abc")),
            ("concat NaN", stt, api.args(stt, concat=float("nan"))),
            ("t NaN", stt, api.args(stt, t=float("nan"))),
            ("~60 KB text (under the body bound)", stt, api.args(stt, text="ab" * 30_000)),
            ("~60 KB weights", stt, api.args(stt, weights="w" * 60_000)),
            ("1 MB text", stt, api.args(stt, text="x" * MB)),
            ("3 arguments of 8", stt, api.args(stt)[:3]),
            ("12 arguments of 8", stt, [*api.args(stt), 1, 2, 3, 4]),
            ("2 arguments of 0 (/ping)", "/ping", [1, 2]),
            ("no arguments of 15 (/gradient_profile)", "/gradient_profile", []),
        ]
        rows = []
        for label, name, data in cases:
            out = call(http, name, data)
            msg = out.message
            ok = out.kind != "complete" and msg not in ("", "null") and len(msg) <= MESSAGE_BAR
            rows.append((label, out, ok))
            say(f"    {label:40} {out.kind:9} {out.status:3d}  {len(msg):6d} chars  "
                f"{msg[:110]!r}")
        peak = srv.poller.peak / 1024
        say(*srv.log_note())
    report.peaks["9"] = peak
    bad = [label for label, _, ok in rows if not ok]
    longest = max(len(o.message) for _, o, _ in rows)
    report.rows.append(Row("9 loose input", f"{len(rows) - len(bad)}/{len(rows)} clear and short"
                           f" (longest {longest} chars)" + (f"; not: {', '.join(bad)}"
                                                            if bad else ""),
                           f"an error, a message <= {MESSAGE_BAR} chars, never null", not bad))


SCENARIOS: dict[int, tuple[str, Callable[[Plan, Report], None]]] = {
    1: ("oversized input", s1_oversized),
    2: ("queue flood", s2_flood),
    3: ("peak memory, largest profiles at once", s3_peak),
    4: ("job queue", s4_job_queue),
    5: ("finished results kept", s5_kept),
    6: ("abandoned jobs", s6_abandoned),
    7: ("sessions memory soak", s7_soak),
    8: ("uploads", s8_uploads),
    9: ("loose input", s9_loose),
}


def interrupted(signum: int, frame: object) -> None:
    """Ctrl-C or SIGTERM: stop the running server now (its clients then fail at once, rather
    than the thread pools waiting out their calls), then unwind."""
    for server in list(Server.live):
        server.stop()
    raise KeyboardInterrupt


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="scenarios to run, e.g. 2,7 (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller counts, shorter waits")
    parser.add_argument("--s5-sessions", type=int, help="scenario 5: sessions (300)")
    parser.add_argument("--s5-distinct", type=int, help="scenario 5: distinct jobs (48)")
    parser.add_argument("--s5-wait", type=float, help="scenario 5: seconds before asking (240)")
    parser.add_argument("--flood-calls", type=int, help="scenario 2: flood calls (530)")
    parser.add_argument("--soak-sessions", type=int, help="scenario 7: sessions (300)")
    opts = parser.parse_args()
    plan = Plan.make(opts.quick)
    for name in ("s5_sessions", "s5_distinct", "s5_wait", "flood_calls", "soak_sessions"):
        if getattr(opts, name) is not None:
            setattr(plan, name, getattr(opts, name))
    only = [int(x) for x in opts.only.split(",") if x.strip()] or list(SCENARIOS)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # gradio_client in this process too
    say("abuse scenarios of issue 10 against python app.py"
        + (" (quick: smaller counts, shorter waits)" if plan.quick else ""),
        _common.machine(), _common.load(), _common.git_state())
    report = Report()
    t_all = time.monotonic()
    for number in only:
        title, run = SCENARIOS[number]
        say("", f"== {number}. {title} ({_common.load()}) ==")
        t0 = time.monotonic()
        try:
            run(plan, report)
        except KeyboardInterrupt:
            say("interrupted: servers stopped")
            break
        except Exception as e:  # one scenario's failure must not hide the others' numbers
            say(f"  scenario {number} failed: {type(e).__name__}: {e}")
            report.rows.append(Row(f"{number} {title}", f"bench error: {type(e).__name__}",
                                   "-", False))
        say(f"  ({time.monotonic() - t0:.0f} s)")

    say("", f"summary ({(time.monotonic() - t_all) / 60:.1f} min, {_common.load()}):")
    w = max([len(r.scenario) for r in report.rows] + [10])
    for r in report.rows:
        verdict = "n/a" if r.ok is None else "pass" if r.ok else "FAIL"
        say(f"  {r.scenario:{w}}  {verdict:4}  {r.measured}   [bar: {r.bar}]")
    if report.peaks:
        worst = max(report.peaks.values())
        verdict = "pass" if worst < PEAK_BAR_MB else "FAIL"
        peaks = ", ".join(f"{k}: {v:.0f}" for k, v in report.peaks.items())
        say(f"  {'peak server RSS, MB':{w}}  {verdict:4}  {peaks}   "
            f"[bar: under {PEAK_BAR_MB} MB in every scenario]")


if __name__ == "__main__":
    main()
