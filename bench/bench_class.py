"""A class follows a lesson: N students against one fresh ``python app.py`` (issue 12).

The script starts the app and, beside it, a bare Gradio page serving one static Plotly figure
(the first-view floor), as subprocesses on free ports. Before the class comes in, on the quiet
servers: first views of the app and of the floor in alternating pairs, each in a fresh
Chromium context; then one page *rehearses* the lesson step by step, and what it sends for
each step (the events it calls, ``/gradio_api/queue/join``, with their data) is the script
the HTTP students follow. (A page sends more than ``/config``'s event chains say: an answer
that sets a component fires its ``.change`` event, which the page sends at once. A student
sends such an event only if an answer of its own set that component, as its page would: the
rehearsal's page, alone, missed the BPTT views' cache on every move and sent the miss's
``show_profile``; a class moving together mostly finds the view made.)

Then N students (``--students``, default 60) follow the lesson at once, each in its own session:

* ``--browsers`` of them (default 3) in real Chromium pages (Playwright: one browser, a context
  per student, one asyncio loop in one thread). The pages stand for students' own devices, so
  in the lesson one page works at a time (a step, or a probe's first view, below): a page's
  timing never holds another page's work (in a trace, another page loading on the same CPU
  took a Step move from ~25 ms to 60-550 ms). The burst is the exception: all at once;
* the others over plain HTTP, a thread each: Gradio's REST API over one keep-alive connection
  (``_common.RawHttpStudent``, as in ``bench_burst.py``'s raw mode), each call
  ``/gradio_api/call/<event>`` with the rehearsal's data (and the digits the student typed).
  Opening the page is ``GET /`` and the static files the rehearsal's page fetched, then its
  load chain, call by call. ``--trainers`` of them (default 3) also press Train with the
  defaults on the way (Topologies, the Step model, the BPTT race) and then run the page's timer
  ticks (and their ``.then`` events) at the timer's interval until the timer stops. One call
  at a time per student: the ``/call`` streams of one session read one queue of messages, so
  two at once would take each other's answers; the ticks run while the student thinks.

The lesson, with think times from a seeded ``random.Random`` (lognormal, median 4 s; the
lesson takes one to two minutes): open the page; move Topologies' time step t three times;
the Step-through-time tab, its t four times (through "hello"); the BPTT tab, ``seq_len``
twice and ``recurrent_scale`` twice, the cell radio to LSTM; the Seq2seq tab, type some
digits, press Run, move the output step t three times. Then the "same second" burst: every
student goes to the BPTT tab, waits at one ``threading.Barrier``, and moves ``seq_len`` one
step to the right: all to the same new value at once.

In a page a step is timed in the page's own clock, from the key press (or pointer down) to the
target plot redrawn (its Plotly element, or the element's ``data``, replaced; for a tab, its
plot drawn visible), checked on every DOM mutation and animation frame: the plot as put in the
page, before the frame that paints it; the requests the page makes for the step are counted
(``page.on("request")``, until no event stream is open): the issue's goal is 0 per slider move.
First views: navigation to the tabs visible, to the first plot drawn, and to the load chain's
last answer; the app against the floor, on the quiet servers (on this machine, and over an
emulated 20 Mbit/s, 20 ms network: a student's page is never served from localhost) and again
while the class works (``probes``: each app page there is one more page open for the server).
Chromium runs on the machine that serves: on 2 cores the pages share the cores with the server,
so in the class a page's timings include its wait for a core (compare the rehearsal's, "alone",
on the quiet machine); the HTTP timings are closer to the server alone. With ``--browser-core
N`` Chromium runs on CPU N alone, and the servers, their workers and the HTTP students on the
other CPUs (``taskset``, ``sched_setaffinity``): a student's device is not the server, so this
times the pages as a student's own device would see them, while the server has one core fewer
than a free Space.

Reported: p50/p95/max of the HTTP interactive answers (slides, choice, Run, Train), of slider
moves (HTTP and browser), of the burst, per step and per handler; CPU seconds of the server
(``/proc/<pid>/stat``), of the training workers, of this script, of the rest of the machine,
in the lesson and in the burst; peak RSS of the server alone and with its workers, and of
Chromium; errors; requests per step in a page; first views against the floor. Last, where the
server's CPU went: after the class, one session replays each event the class called
(``--repeats`` times, caches warm) for the server CPU per call; times the calls the class
made, that is each handler's share of the CPU measured (timer ticks and Train presses are not
replayed: they need a live job).

The run is bounded (``--minutes``): no student starts a step past the lesson's share of the
budget, the barrier waits until the burst's share, every thread is joined, both servers are
stopped with the processes that outlive them (``_common.stop_orphans``), on Ctrl-C too.

    python bench/bench_class.py                                  # 60 students, 3 in Chromium
    python bench/bench_class.py --students 5 --browsers 1 --quick
    python bench/bench_class.py --browser-core 1                 # Chromium on a core of its own
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import signal
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import _common
from _common import RawHttpStudent, RssPoller

CHROMIUM = _common.CHROMIUM  # or, with --browser-core, a script that pins it (main)
WAIT = 60.0  # seconds: the longest one answer, one redraw or one page may take
SETTLE = 0.3  # seconds after a step's redraw (and no stream open) still counted as its requests
RESERVE = 45.0  # seconds of the budget kept for the replay and the report
LOCALE, VIEWPORT = "en-US", {"width": 1400, "height": 1000}
# a student's connection for the second set of first views: 20 Mbit/s down, 5 up, 20 ms
NETWORK = {"offline": False, "latency": 20, "downloadThroughput": 20e6 / 8,
           "uploadThroughput": 5e6 / 8}
TABS = {"Topologies": "topology-diagram", "Step through time": "st-equation",
        "BPTT gradients": "bp-profile", "Seq2seq vs attention": "s2s-by-length"}

FLOOR = '''\
import os

import gradio as gr
import plotly.graph_objects as go

fig = go.Figure(go.Scatter(x=list(range(40)), y=[(7 * k) % 11 for k in range(40)],
                           mode="lines+markers"))
with gr.Blocks(title="floor") as demo:
    gr.Plot(fig, elem_id="floor-plot")
demo.launch(server_name=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
            server_port=int(os.environ["GRADIO_SERVER_PORT"]))
'''

# In every page, before its own scripts: first-view times, and the redraw of an armed plot.
PAGE_JS = """
(() => {
  const now = () => performance.now();  // ms since this page's navigation started
  const fv = window.__fv = {tabs: null, plot: null};
  const mv = window.__mv = {armed: false, t0: null, t1: null};
  const plotOf = (id) => document.querySelector('#' + id + ' .js-plotly-plot');
  function check() {
    if (fv.tabs === null) {
      const tab = document.querySelector('[role=tab]');
      if (tab && tab.offsetParent) fv.tabs = now();
    }
    if (fv.plot === null && document.querySelector('.js-plotly-plot .main-svg')) fv.plot = now();
    if (mv.armed && mv.t1 === null) {
      const gd = plotOf(mv.id);
      const drawn = gd && gd.querySelector('.main-svg');
      // "shown": the plot drawn where the user sees it (a tab's plot may be drawn hidden);
      // otherwise the plot replaced, or its data
      if (drawn && (mv.shown ? gd.getBoundingClientRect().width > 0
                             : gd !== mv.gd || gd.data !== mv.data)) {
        mv.t1 = now();
      }
    }
  }
  new MutationObserver(check).observe(document, {subtree: true, childList: true,
                                                 attributes: true});
  const frame = () => { check(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  for (const type of ['keydown', 'pointerdown']) {
    document.addEventListener(type, () => {
      if (mv.armed && mv.t0 === null) mv.t0 = now();
    }, true);
  }
  // a plot stepped in the page (playground/stepping.js: Plotly.relayout or update) keeps
  // its element and data array: Plotly's own events say it was redrawn
  const stepped = (gd) => () => {
    if (mv.armed && mv.t1 === null && mv.t0 !== null && mv.gd === gd) mv.t1 = now();
  };
  window.__arm = ([id, shown]) => {
    const gd = plotOf(id);
    if (gd && gd.on && !gd.__benchHooked) {
      gd.__benchHooked = true;
      for (const type of ['plotly_relayout', 'plotly_restyle', 'plotly_update']) {
        gd.on(type, stepped(gd));
      }
      gd.addEventListener('unrolled:step', stepped(gd));  // a highlight drawn in place
    }
    Object.assign(mv, {armed: true, id, shown, gd, data: gd ? gd.data : undefined,
                       t0: null, t1: null});
  };
})();
"""


# -- the lesson ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One thing a student does: ``kind`` is open, tab, slide, choose, type, press or train;
    ``target`` an elem_id (a tab's title for ``tab``); ``plot`` the elem_id of the plot whose
    redraw ends the step in the browser; ``value`` the choice (``choose``)."""

    kind: str
    target: str = ""
    plot: str = ""
    value: Any = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.target}".strip()


def lesson(trainer: bool) -> list[Step]:
    def train(target: str) -> list[Step]:
        return [Step("train", target)] if trainer else []

    return [Step("open"),
            *[Step("slide", "topology-step", "topology-diagram")] * 3,
            *train("topology-train"),
            Step("tab", "Step through time", TABS["Step through time"]),
            *[Step("slide", "st-step", "st-equation")] * 4,  # "hello": t 1 -> 5
            *train("st-train"),
            Step("tab", "BPTT gradients", TABS["BPTT gradients"]),
            *[Step("slide", "bp-seq-len", "bp-profile")] * 2,
            *[Step("slide", "bp-scale", "bp-profile")] * 2,
            Step("choose", "bp-cell", "bp-profile", "lstm"),
            *train("bp-race-run"),
            Step("tab", "Seq2seq vs attention", TABS["Seq2seq vs attention"]),
            Step("type", "s2s-digits"),
            Step("press", "s2s-run", "s2s-heat"),
            *[Step("slide", "s2s-step", "s2s-step-plot")] * 3]


BURST_TAB = Step("tab", "BPTT gradients", TABS["BPTT gradients"])
BURST = Step("slide", "bp-seq-len", "bp-profile")  # all to the same new value, at once


# -- the page, as its /config describes it -------------------------------------------------------
class Page:
    """The app's components and events from ``/config``: what a page sends for each action."""

    def __init__(self, config: dict):
        self.comps = {c["id"]: c for c in config["components"]}
        self.deps = {d["id"]: d for d in config["dependencies"]}
        self.ids = {c["props"]["elem_id"]: c["id"] for c in config["components"]
                    if (c.get("props") or {}).get("elem_id")}
        self.port = urlsplit(config["root"]).port  # the app's (the floor page has no events)

    def initial(self) -> dict[int, Any]:
        """Every component's first value (a session state is sent as null)."""
        return {cid: None if c["type"] == "state" else (c.get("props") or {}).get("value")
                for cid, c in self.comps.items()}

    def props(self, elem_id: str) -> dict:
        return self.comps[self.ids[elem_id]].get("props") or {}

    def chain(self, firsts: Iterable[dict]) -> list[dict]:
        """``firsts`` and every event ``.then()`` after them, in the order they run; only
        those with a server function."""
        out = []
        for dep in firsts:
            if dep.get("backend_fn"):
                out.append(dep)
            later = sorted((d for d in self.deps.values() if d.get("trigger_after") == dep["id"]),
                           key=lambda d: d["id"])
            out += self.chain(later)
        return out

    def on(self, cid: int, *events: str) -> list[dict]:
        """The events a user's ``events`` on component ``cid`` start, with their ``.then``s."""
        firsts = [d for d in self.deps.values() if d.get("trigger_after") is None
                  and any(t[0] == cid and t[1] in events for t in d["targets"])]
        return self.chain(sorted(firsts, key=lambda d: d["id"]))

    def load(self) -> list[dict]:
        """The page's load chain: the events it runs on opening."""
        firsts = [d for d in self.deps.values() if any(t[1] == "load" for t in d["targets"])]
        return self.chain(sorted(firsts, key=lambda d: d["id"]))

    def last_of_load(self) -> int | None:
        """The fn_index of the load chain's last event (its answer ends the first view)."""
        chain = self.load()
        return chain[-1]["id"] if chain else None

    def timer(self, dep: dict) -> int | None:
        """The position of a timer among ``dep``'s outputs (a Train press starts one)."""
        kinds = [self.comps[o]["type"] for o in dep["outputs"]]
        return kinds.index("timer") if "timer" in kinds else None

    def name(self, fn_index: Any) -> str:
        dep = self.deps.get(fn_index) if isinstance(fn_index, int) else None
        return dep["api_name"] if dep else f"fn {fn_index}"


def handler(api_name: str) -> str:
    """The handler behind an event name: ``show_profile_14`` -> ``show_profile``."""
    head, _, tail = api_name.rpartition("_")
    return head if head and tail.isdigit() else api_name


# -- what the students share ----------------------------------------------------------------------
Sent = list[tuple[int, list]]  # the event calls a page made for one step: (fn_index, data)


@dataclass
class Sample:
    side: str  # "http" | "browser" | "alone" (the rehearsal page on the quiet server)
    student: int
    phase: str  # "lesson" | "burst" | "open" | "call" (one HTTP call) | "tick"
    step: str
    seconds: float
    error: str = ""
    requests: list[str] | None = None  # browser: what the page requested for the step
    # when it was recorded (time.monotonic(), as the run's clock): in --save, which students
    # were late, and when
    at: float = field(default_factory=time.monotonic)


class Run:
    """The class: the page model, the rehearsed script, the clock, the barriers, and
    everything measured."""

    def __init__(self, opts: argparse.Namespace, page: Page, app: _common.Server,
                 paths: list[str], script: list[Sent], t_end: float):
        self.opts, self.page, self.app, self.paths, self.script = opts, page, app, paths, script
        self.t_end = t_end
        self.burst_by = t_end - RESERVE  # the barrier waits until then
        self.lesson_by = self.burst_by - (20.0 if opts.quick else 60.0)  # no new step after
        self.samples: list[Sample] = []
        self.calls: Counter = Counter()  # event api_name -> calls (HTTP and pages)
        self.first_data: dict[str, list] = {}  # event api_name -> the data of its first call
        self.not_replayed: set[str] = set()  # Train presses and timer ticks
        self.skipped = 0  # lesson steps not started: time budget
        self.page_bytes = 0  # what a page open's GETs read
        self.lock = threading.Lock()
        self.stop = threading.Event()
        parties = opts.http + opts.browsers
        self.marks: dict[str, dict[str, float]] = {}
        self.ready = threading.Barrier(parties, action=lambda: self.mark("burst"))
        self.done = threading.Barrier(parties, action=lambda: self.mark("burst end"))
        self.burst_over = threading.Event()
        self.cpu_poller: RssPoller | None = None

    def mark(self, name: str) -> None:
        """The clock and the CPU counters now (a barrier's action: the last one in runs it)."""
        self.marks[name] = cpu_marks(self.app.pid, self.cpu_poller)
        if name == "burst end":
            self.burst_over.set()

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def count(self, api_name: str, data: list | None = None, replay: bool = True) -> None:
        """One call of the event ``api_name``; ``replay=False`` keeps it out of the replay."""
        with self.lock:
            self.calls[api_name] += 1
            if data is not None and api_name not in self.first_data:
                self.first_data[api_name] = data
            if not replay:
                self.not_replayed.add(api_name)

    def skip(self, n: int) -> None:
        with self.lock:
            self.skipped += n

    def think(self, rng: random.Random) -> float:
        median = self.opts.think
        return min(max(rng.lognormvariate(math.log(median), 0.5), 0.3 * median), 4 * median)

    def left(self, until: float) -> float:
        return max(0.5, until - time.monotonic())


def cpu_marks(server_pid: int, poller: RssPoller | None) -> dict[str, float]:
    return {"t": time.monotonic(), "server": _common.cpu_seconds(server_pid),
            "workers": poller.workers_cpu() if poller else 0.0,
            "self": time.process_time(), "busy": _common.machine_busy_seconds()}


def digits(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789") for _ in range(rng.randint(6, 8)))


def skipped(value: Any) -> bool:
    """An output the answer left as it was (``gr.skip()``: an update with nothing in it)."""
    return isinstance(value, dict) and value.keys() == {"__type__"} and \
        value["__type__"] == "update"


def active(update: Any) -> bool | None:
    """A timer's update: started (True), stopped (False) or left as it was (None)."""
    return update.get("active") if isinstance(update, dict) else None


# -- a student over plain HTTP --------------------------------------------------------------------
@dataclass
class Ticker:
    """A page's training timer: its tick events, every ``interval`` s, until it stops itself."""

    deps: list[dict]
    interval: float
    due: float


class HttpStudent:
    """A student's session through the REST API. It sends what the rehearsal's page sent for
    each step, with its own session hash (and the digits it typed); a Train press and the
    timer ticks after it are the page's events as ``/config`` chains them. One call at a time:
    Gradio's ``/call`` streams of one session read one queue of messages, so two at once would
    take each other's answers; the ticks run while the student thinks."""

    def __init__(self, run: Run, k: int, trainer: bool):
        self.run, self.k, self.trainer = run, k, trainer
        self.rng = random.Random(run.opts.seed * 1000 + k)
        self.client = RawHttpStudent("127.0.0.1", run.app.port, timeout=WAIT)
        self.values = run.page.initial()  # what the page shows (for Train and the ticks)
        self.typed: dict[int, str] = {}  # component id -> what the student typed there
        self.tickers: list[Ticker] = []

    def call(self, fn_index: int, data: list, phase: str, parse: bool = False,
             replay: bool = True) -> Any:
        dep = self.run.page.deps[fn_index]
        data = [self.typed.get(cid, x) for cid, x in zip(dep["inputs"], data)]
        t0 = time.monotonic()
        try:
            return self.client.run(dep["api_name"], data, parse=parse)
        finally:
            self.run.count(dep["api_name"], data, replay)
            self.run.add(Sample("http", self.k, "tick" if phase == "tick" else "call",
                                handler(dep["api_name"]), time.monotonic() - t0))

    def chain(self, deps: list[dict], phase: str, replay: bool = True) -> Any:
        """``deps`` in turn with the page's values; the first one's outputs."""
        outs = [self.call(d["id"], [self.values.get(i) for i in d["inputs"]], phase,
                          parse=not n, replay=replay) for n, d in enumerate(deps)]
        return outs[0] if outs else None

    def step(self, step: Step, phase: str, sent: Sent) -> None:
        page, t0, label = self.run.page, time.monotonic(), step.label
        try:
            if step.kind == "type":
                self.typed[page.ids[step.target]] = digits(self.rng)
                return
            if step.kind == "tab" and not sent:
                return  # switching tabs asked the rehearsal's page nothing
            if step.kind == "open":
                self.run.page_bytes = sum(self.client.get(path) for path in self.run.paths)
                self.run.add(Sample("http", self.k, phase, "open: GET page + files",
                                    time.monotonic() - t0))
                t0, label = time.monotonic(), "open: load chain"
            if step.kind == "train":
                deps = page.on(page.ids[step.target], "click")
                out = self.chain(deps, phase, replay=False)
                self.watch(deps[0], out)
            else:
                self.send(sent, phase)
        except Exception as e:  # every failure counts, whatever its kind
            self.run.add(Sample("http", self.k, phase, label, time.monotonic() - t0,
                                f"{type(e).__name__}: {e}"[:300]))
            return
        self.run.add(Sample("http", self.k, phase, label, time.monotonic() - t0))

    def send(self, sent: Sent, phase: str) -> None:
        """What the rehearsal's page sent for a step, as this student's page would send it: an
        event a component's ``.change`` starts (a BPTT move's miss token: the rehearsal's page,
        alone, missed the cache) only if an answer of this step set that component."""
        page, changed = self.run.page, set()
        for fn_index, data in sent:
            dep = page.deps[fn_index]
            on_change = dep.get("trigger_after") is None and dep["targets"] and all(
                event == "change" for _, event in dep["targets"])
            if on_change and not any(cid in changed for cid, _ in dep["targets"]):
                continue
            out = self.call(fn_index, data, phase, parse=True)
            changed |= {cid for cid, value in zip(dep["outputs"], out or []) if not skipped(value)}

    def watch(self, train: dict, out: Any) -> None:
        """After a Train press: the timer it started, if it did."""
        page = self.run.page
        at = page.timer(train)
        if at is None or not isinstance(out, list) or not active(out[at]):
            return
        timer = train["outputs"][at]
        interval = float(page.comps[timer]["props"]["value"])
        self.tickers.append(Ticker(page.on(timer, "tick"), interval,
                                   time.monotonic() + interval))

    def tick(self, ticker: Ticker) -> None:
        t0 = time.monotonic()
        try:
            out = self.chain(ticker.deps, "tick", replay=False)
            at = self.run.page.timer(ticker.deps[0])
            if at is not None and isinstance(out, list) and active(out[at]) is False:
                self.tickers.remove(ticker)  # the job is over: the page stops its timer
            self.run.add(Sample("http", self.k, "tick", "timer tick", time.monotonic() - t0))
        except Exception as e:  # every failure counts, and the page's timer goes on
            self.run.add(Sample("http", self.k, "tick", "timer tick", time.monotonic() - t0,
                                f"{type(e).__name__}: {e}"[:300]))
        ticker.due = time.monotonic() + ticker.interval

    def pause(self, seconds: float) -> bool:
        """Think for ``seconds``, the page's timers ticking meanwhile; False if the run stops."""
        end = time.monotonic() + seconds
        while True:
            for ticker in list(self.tickers):
                if ticker.due <= time.monotonic() < self.run.t_end:
                    self.tick(ticker)
            now = time.monotonic()
            if now >= end:
                return True
            nxt = min([end] + [t.due for t in self.tickers])
            if self.run.stop.wait(max(0.0, nxt - now)):
                return False

    def follow(self) -> None:
        """The whole lesson, then the burst (the thread's body)."""
        run = self.run
        steps = lesson(self.trainer)
        rehearsed = iter(run.script)
        try:
            if not self.pause(self.rng.uniform(0, 2 * run.opts.think)):
                return
            for n, step in enumerate(steps):
                if time.monotonic() > run.lesson_by or run.stop.is_set():
                    run.skip(len(steps) - n)
                    break
                if n and not self.pause(run.think(self.rng)):
                    return
                self.step(step, "lesson", [] if step.kind == "train" else next(rehearsed, []))
        finally:
            with contextlib.suppress(threading.BrokenBarrierError):
                run.ready.wait(timeout=run.left(run.burst_by))
                self.step(BURST, "burst", run.script[-1] if run.script else [])
                run.done.wait(timeout=run.left(run.burst_by))
            self.client.close()


# -- students in Chromium -------------------------------------------------------------------------
class Tab:
    """A browser page and what it requested: event calls (``queue/join``: the event's name,
    and its ``fn_index`` and data in ``sent``), event streams (``queue/data``), the rest."""

    def __init__(self, page: Any, run: Run | None, model: Page):
        self.page, self.run, self.model = page, run, model
        self.requests: list[tuple[str, str]] = []  # (kind, detail)
        self.sent: list[tuple[int, list]] = []  # each event call: (fn_index, data)
        self.streams = 0  # event streams open now
        self.seen: set[Any] = set()  # the fn_index of every event called
        self.last = self.last_end = time.monotonic()  # the last call or stream started; ended
        page.on("request", self._start)
        page.on("requestfinished", self._end)
        page.on("requestfailed", self._end)

    def _start(self, r: Any) -> None:
        path = urlsplit(r.url).path
        if path.endswith("/queue/join"):
            try:
                body = json.loads(r.post_data or "{}")
            except ValueError:
                body = {}
            name = self.model.name(body.get("fn_index"))
            self.sent.append((body.get("fn_index"), body.get("data") or []))
            self.seen.add(body.get("fn_index"))
            self.requests.append(("join", name))
            self.last = time.monotonic()
            if self.run is not None:
                self.run.count(name)
        elif "/queue/data" in path:
            self.streams += 1
            self.last = time.monotonic()
            self.requests.append(("data", path))
        elif "/heartbeat/" in path:
            self.requests.append(("heartbeat", path))
        else:
            self.requests.append(("get" if r.method == "GET" else r.method, path))

    def _end(self, r: Any) -> None:
        if "/queue/data" in urlsplit(r.url).path:
            self.streams -= 1
            self.last_end = time.monotonic()

    async def idle(self, quiet: float = 0.5, timeout: float = WAIT,
                   after: Any = None) -> bool:
        """Wait until the event ``after`` (a fn_index) was called, if given, and then until no
        event stream is open and no call started for ``quiet`` seconds (an answer may fire a
        component's ``.change``, which the page sends at once)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if (after is None or after in self.seen) and self.streams <= 0 and \
                    time.monotonic() - max(self.last, self.last_end) >= quiet:
                return True
            await asyncio.sleep(0.05)
        return False

    async def open(self, url: str) -> dict[str, Any]:
        """Navigate; seconds from navigation to tabs visible and first plot drawn (the page's
        clock), and to the last answer of the load chain (and what its answers set off)."""
        t0 = time.monotonic()
        await self.page.goto(url, wait_until="commit", timeout=WAIT * 1000)
        await self.page.wait_for_function("() => window.__fv.plot !== null",
                                          timeout=WAIT * 1000)
        fv = await self.page.evaluate("() => window.__fv")
        last = self.model.last_of_load() if urlsplit(url).port == self.model.port else None
        done = await self.idle(after=last)
        joins = sum(k == "join" for k, _ in self.requests)
        return {"tabs": fv["tabs"] / 1000 if fv["tabs"] is not None else None,
                "plot": fv["plot"] / 1000,
                "chain": self.last_end - t0 if done and joins else None,
                "joins": joins, "files": sum(k == "get" for k, _ in self.requests)}

    async def act(self, step: Step, value: Any = None) -> tuple[float | None, list[str]]:
        """Do ``step``; seconds from the input to the plot redrawn, and the requests made."""
        page = self.page
        if step.kind == "type":
            await page.locator(f"#{step.target} textarea, #{step.target} input").first.fill(value)
            return None, []
        mark = len(self.requests)
        if step.kind == "slide":
            await page.locator(f"#{step.target} input[type=range]").focus()
        await page.evaluate("args => window.__arm(args)", [step.plot, step.kind == "tab"])
        if step.kind == "tab":
            await page.get_by_role("tab", name=step.target, exact=True).click()
        elif step.kind == "slide":
            await page.keyboard.press("ArrowRight")
        elif step.kind == "choose":
            label = next(lab for lab, v in self.model.props(step.target)["choices"]
                         if v == step.value)
            await page.locator(f"#{step.target}").get_by_label(label, exact=True).check()
        else:  # press
            await page.locator(f"#{step.target}").click()
        await page.wait_for_function("() => window.__mv.t1 !== null", timeout=WAIT * 1000)
        mv = await page.evaluate("() => window.__mv")
        await self.idle(SETTLE)
        reqs = [f"{kind} {detail}" if kind == "join" else kind
                for kind, detail in self.requests[mark:]]
        return (mv["t1"] - mv["t0"]) / 1000 if mv["t0"] is not None else None, reqs


async def new_tab(browser: Any, run: Run | None, model: Page,
                  network: dict | None = None) -> tuple[Any, Tab]:
    """A page in a fresh context; over ``network`` (Chromium's emulated conditions), if given."""
    ctx = await browser.new_context(locale=LOCALE, viewport=VIEWPORT)
    await ctx.add_init_script(PAGE_JS)
    page = await ctx.new_page()
    if network is not None:
        cdp = await ctx.new_cdp_session(page)
        await cdp.send("Network.enable")
        await cdp.send("Network.emulateNetworkConditions", network)
    return ctx, Tab(page, run, model)


async def first_view(browser: Any, url: str, run: Run | None, model: Page,
                     network: dict | None = None) -> tuple[dict, Tab]:
    """One first view in a fresh context (an empty cache: a student's first visit)."""
    ctx, tab = await new_tab(browser, run, model, network)
    try:
        return await tab.open(url), tab
    finally:
        await ctx.close()


async def do(tab: Tab, step: Step, side: str, k: int, phase: str, rng: random.Random,
             url: str) -> list[Sample]:
    """One step in a page, as samples (an error is one too)."""
    t0 = time.monotonic()
    try:
        if step.kind == "open":
            fv = await tab.open(url)
            return [*(Sample(side, k, "open", what, fv[what]) for what in ("tabs", "plot", "chain")
                      if fv[what] is not None),
                    Sample(side, k, "open", "requests", float(len(tab.requests)),
                           requests=[kind for kind, _ in tab.requests])]
        seconds, reqs = await tab.act(step, digits(rng) if step.kind == "type" else None)
        return [] if seconds is None else [Sample(side, k, phase, step.label, seconds,
                                                  requests=reqs)]
    except Exception as e:  # every failure counts, whatever its kind
        return [Sample(side, k, phase, step.label, time.monotonic() - t0,
                       f"{type(e).__name__}: {e}"[:300])]


async def browser_student(run: Run, browser: Any, k: int, pool: ThreadPoolExecutor,
                          one_page: asyncio.Lock) -> None:
    rng = random.Random(run.opts.seed * 1000 + k)
    loop = asyncio.get_running_loop()
    ctx, tab = await new_tab(browser, run, run.page)
    here = "Topologies"
    try:
        await asyncio.sleep(rng.uniform(0, 2 * run.opts.think))
        steps = lesson(trainer=False)
        for n, step in enumerate(steps):
            if time.monotonic() > run.lesson_by or run.stop.is_set():
                run.skip(len(steps) - n)
                break
            if n:
                await asyncio.sleep(run.think(rng))
            async with one_page:
                samples = await do(tab, step, "browser", k, "lesson", rng, run.app.url)
            for sample in samples:
                run.add(sample)
            here = step.target if step.kind == "tab" else here
    finally:
        try:
            if here != BURST_TAB.target:
                await tab.page.get_by_role("tab", name=BURST_TAB.target, exact=True).click()
            await tab.page.locator(f"#{BURST.target} input[type=range]").wait_for(
                timeout=WAIT * 1000)
            # the student looks at the tab, and the page is done drawing it (two frames
            # painted), before the teacher's "now": the burst then times the burst alone
            await asyncio.sleep(run.think(rng))
            await tab.page.evaluate(
                "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            await loop.run_in_executor(pool, lambda: run.ready.wait(run.left(run.burst_by)))
            for sample in await do(tab, BURST, "browser", k, "burst", rng, run.app.url):
                run.add(sample)
            await loop.run_in_executor(pool, lambda: run.done.wait(run.left(run.burst_by)))
        except threading.BrokenBarrierError:
            pass
        except Exception as e:  # noqa: BLE001 - counted; the page is closed all the same
            run.add(Sample("browser", k, "burst", BURST.label, float("nan"),
                           f"{type(e).__name__}: {e}"[:300]))
        await ctx.close()


async def prober(run: Run, browser: Any, floor_url: str, out: list[tuple[str, dict]],
                 one_page: asyncio.Lock) -> None:
    """While the class works: first views of the floor and of the app, alternating."""
    await asyncio.sleep(2 * run.opts.think)
    for n in range(run.opts.probes):
        for which in (("floor", "app") if n % 2 == 0 else ("app", "floor")):
            if time.monotonic() > run.lesson_by or run.stop.is_set():
                return
            try:
                async with one_page:
                    fv, _ = await first_view(
                        browser, floor_url if which == "floor" else run.app.url, run, run.page)
                out.append((which, fv))
            except Exception as e:  # noqa: BLE001 - a missed probe is reported, not fatal
                out.append((which, {"error": f"{type(e).__name__}: {e}"[:200]}))
        await asyncio.sleep(4 * run.opts.think)


async def browser_class(run: Run, floor_url: str, probes: list[tuple[str, dict]]) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=_common.CHROMIUM_ARGS)
        # the pages stand for students' own devices: one of them works at a time in the
        # lesson (a step, or a probe's first view), so that no page's timing holds another
        # page's work on the same CPUs (the burst, all at once, is the exception)
        one_page = asyncio.Lock()
        # the barrier waits block: one thread each, so that they never starve one another
        with ThreadPoolExecutor(run.opts.browsers + 1) as pool:
            try:
                await asyncio.gather(
                    *(browser_student(run, browser, run.opts.http + k, pool, one_page)
                      for k in range(run.opts.browsers)),
                    prober(run, browser, floor_url, probes, one_page))
            finally:
                await browser.close()


def browsers(run: Run, floor_url: str, probes: list[tuple[str, dict]]) -> None:
    """The browser side's thread. If it fails, nobody waits for its students at the burst."""
    try:
        asyncio.run(browser_class(run, floor_url, probes))
    except Exception as e:  # noqa: BLE001 - reported with the rest
        run.add(Sample("browser", -1, "lesson", "browser side", float("nan"),
                       f"{type(e).__name__}: {e}"[:300]))
        run.ready.abort()


@dataclass
class Prelude:
    """What one page learns on the quiet servers before the class comes in."""

    views: list[tuple[str, dict]]  # first views, app and floor alternating
    views_net: list[tuple[str, dict]]  # the same over the NETWORK
    paths: list[str]  # what the app's page fetched on opening (but event calls and streams)
    script: list[Sent]  # the event calls of each step of the lesson, then of the burst
    samples: list[Sample]  # the rehearsal's own timings and requests


async def prelude(app_url: str, floor_url: str, model: Page, pairs: int,
                  seed: int) -> Prelude:
    """First views on the quiet servers, app and floor alternating, on this machine and over
    :data:`NETWORK` (after one unmeasured visit of each: the app makes its first views and
    its page on the first request, as the teacher's own visit would); then the rehearsal: one
    page does the lesson and the burst step by step (a short pause between steps), and what
    it sent for each step is the script of the HTTP students."""
    from playwright.async_api import async_playwright

    out = Prelude([], [], ["/"], [], [])
    rng = random.Random(seed)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=_common.CHROMIUM_ARGS)
        try:
            for url in (app_url, floor_url):
                await first_view(browser, url, None, model)
            for views, network in ((out.views, None), (out.views_net, NETWORK)):
                for n in range(pairs):
                    for which in (("app", "floor") if n % 2 == 0 else ("floor", "app")):
                        fv, _ = await first_view(
                            browser, app_url if which == "app" else floor_url, None, model,
                            network)
                        views.append((which, fv))
            ctx, tab = await new_tab(browser, None, model)
            try:
                for step in [*lesson(trainer=False), BURST_TAB, BURST]:
                    mark = len(tab.sent)
                    await asyncio.sleep(0.5)
                    out.samples += await do(tab, step, "alone", 0, "lesson", rng, app_url)
                    out.script.append(tab.sent[mark:])
                    if step.kind == "open":
                        out.paths = [d for kind, d in tab.requests if kind == "get"] or ["/"]
            finally:
                await ctx.close()
        finally:
            await browser.close()
    return out


# -- where the time goes --------------------------------------------------------------------------
@dataclass
class Cost:
    """The server's CPU on the idle server: per call of each event, per page open's GETs,
    and per second with no call at all."""

    per_call: dict[str, float]
    gets: float = float("nan")
    idle: float = float("nan")
    session: float = float("nan")  # what a new session's first call costs more
    ping: float = float("nan")     # the no-op /ping: the floor a call costs the server


def replay(run: Run, repeats: int) -> Cost:
    """One fresh session on the idle server: each event the class called (but Train presses
    and timer ticks), ``repeats`` times with the data of its first call (once more before,
    unmeasured: the view the class saw, cached): the server's CPU seconds per call. And the
    CPU of one page open's GETs, and of a few seconds with no call."""
    pid = run.app.pid
    cost = Cost({})
    cpu0 = _common.cpu_seconds(pid)
    time.sleep(3.0)
    cost.idle = (_common.cpu_seconds(pid) - cpu0) / 3.0
    client = RawHttpStudent("127.0.0.1", run.app.port, timeout=WAIT)

    def per_call(name: str, data: list) -> float:
        cpu0 = _common.cpu_seconds(pid)
        for _ in range(repeats):
            client.run(name, data)
        return (_common.cpu_seconds(pid) - cpu0) / repeats

    try:
        # the floor, a call that does nothing, measured beside each event (the server's
        # CPU clock counts in 10 ms ticks, and the machine drifts): its median
        pings = []
        with contextlib.suppress(Exception):
            client.run("ping", [])
            pings.append(per_call("ping", []))
        for name, data in run.first_data.items():
            if name in run.not_replayed or time.monotonic() > run.t_end - 10:
                continue
            with contextlib.suppress(Exception):
                client.run(name, data)
                cost.per_call[name] = per_call(name, data)
                pings.append(per_call("ping", []))
        cost.ping = _common.median(pings) if pings and _common.median(pings) else float("nan")
        cpu0 = _common.cpu_seconds(pid)
        for _ in range(repeats):
            for path in run.paths:
                client.get(path)
        cost.gets = (_common.cpu_seconds(pid) - cpu0) / repeats
        if cost.per_call:  # the cheapest event, each time in a new session
            name = min(cost.per_call, key=cost.per_call.get)
            cpu0 = _common.cpu_seconds(pid)
            for _ in range(repeats):
                client.session_hash = uuid.uuid4().hex[:11]
                client.run(name, run.first_data[name])
            cost.session = (_common.cpu_seconds(pid) - cpu0) / repeats - cost.per_call[name]
    finally:
        client.close()
    return cost


# -- the report -----------------------------------------------------------------------------------
def say(*lines: str) -> None:
    print(*lines, sep="\n", flush=True)


def stats(xs: list[float]) -> str:
    xs = [x for x in xs if not math.isnan(x)]
    if not xs:
        return f"{0:4d}       -       -       -"
    return (f"{len(xs):4d} {_common.quantile(xs, 0.5):7.3f} {_common.quantile(xs, 0.95):7.3f} "
            f"{max(xs):7.3f}")


def pick(samples: list[Sample], side: str | None = None, phase: str | None = None,
         step: str | None = None, kinds: Iterable[str] = ()) -> list[float]:
    """The seconds of the samples that match (errors left out)."""
    kinds = set(kinds)
    return [s.seconds for s in samples
            if (side is None or s.side == side) and (phase is None or s.phase == phase)
            and (step is None or s.step == step)
            and (not kinds or s.step.split(" ")[0] in kinds) and not s.error]


def answers(run: Run, alone: list[Sample]) -> list[str]:
    sm = run.samples
    chain = [len(sent) for sent in run.script[:1]]
    rows = [
        ("HTTP interactive answers (slides, choice, Run, Train)",
         pick(sm, "http", "lesson", kinds=("slide", "choose", "press", "train"))),
        ("HTTP slider moves", pick(sm, "http", "lesson", kinds=("slide",))),
        ("browser slider moves (key -> plot redrawn)", pick(sm, "browser", "lesson",
                                                            kinds=("slide",))),
        ("browser choice, Run (pointer -> plot redrawn)",
         pick(sm, "browser", "lesson", kinds=("choose", "press"))),
        ("browser tab's first view (click -> plot drawn)", pick(sm, "browser", "lesson",
                                                                kinds=("tab",))),
        (f"HTTP page open: GET page + {len(run.paths) - 1} files "
         f"({run.page_bytes / 2**20:.1f} MB)", pick(sm, "http", "lesson",
                                                    step="open: GET page + files")),
        (f"HTTP page open: load chain ({chain[0] if chain else '?'} calls)",
         pick(sm, "http", "lesson", step="open: load chain")),
        ("browser open: tabs visible", pick(sm, "browser", "open", step="tabs")),
        ("browser open: first plot drawn", pick(sm, "browser", "open", step="plot")),
        ("browser open: load chain answered", pick(sm, "browser", "open", step="chain")),
        ("HTTP timer ticks of the trainers' pages", pick(sm, "http", "tick",
                                                          step="timer tick")),
        ("burst, HTTP", pick(sm, "http", "burst")),
        ("burst, browser (key -> plot redrawn)", pick(sm, "browser", "burst")),
        ("burst, all", pick(sm, phase="burst")),
    ]
    lines = [f"  {'seconds':52} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7}"]
    lines += [f"  {label:52} {stats(xs)}" for label, xs in rows]
    lines += ["", f"  per step {'(HTTP)':>20} {'n':>4} {'p50':>7} {'p95':>7} {'max':>7} | "
              f"{'browser':>14} {'':15} | browser alone, before the class"]
    order = [step.label for step in lesson(trainer=True)[1:] if step.kind != "type"]
    for label in dict.fromkeys(order):
        lines.append(f"    {label:26} {stats(pick(sm, 'http', 'lesson', step=label))} | "
                     f"{stats(pick(sm, 'browser', 'lesson', step=label))} | "
                     f"{stats(pick(alone, 'alone', 'lesson', step=label))}")
    lines.append("  HTTP, per call (lesson and burst), by handler:")
    for name in sorted({s.step for s in sm if s.phase == "call"}):
        lines.append(f"    {name:26} {stats(pick(sm, 'http', 'call', step=name))}")
    return lines


def requests_lines(samples: list[Sample], side: str) -> list[str]:
    lines = []
    stepped = [s for s in samples if s.side == side and s.requests is not None
               and s.phase in ("lesson", "burst")]
    for label in dict.fromkeys(s.step for s in stepped):
        moves = [s for s in stepped if s.step == label]
        kinds = Counter(r for s in moves for r in s.requests or [])
        per = sum(len(s.requests or []) for s in moves) / len(moves)
        what = ", ".join(f"{r} x{n / len(moves):.1f}" for r, n in kinds.most_common())
        lines.append(f"  {label:26} {per:4.1f} per step ({len(moves)} steps): "
                     f"{what or 'none'}")
    opens = [s for s in samples if s.side == side and s.step == "requests"]
    if opens:
        kinds = Counter(r for s in opens for r in s.requests or [])
        n = len(opens)
        lines.append(f"  {'page open':26} {sum(kinds.values()) / n:4.0f} per open ({n} opens): "
                     + ", ".join(f"{k} x{v / n:.0f}" for k, v in kinds.most_common()))
    return lines


def view_lines(views: list[tuple[str, dict]]) -> list[str]:
    def fmt(x: float | None) -> str:
        return "   -  " if x is None else f"{x:6.2f}"

    lines, ratios, pending = [], [], {}
    for which, fv in views:
        if "error" in fv:
            lines.append(f"    {which:5} error: {fv['error']}")
            continue
        lines.append(f"    {which:5} tabs {fmt(fv['tabs'])}   first plot {fmt(fv['plot'])}   "
                     f"load chain answered {fmt(fv['chain'])}   ({fv['joins']} event calls, "
                     f"{fv['files']} files)")
        pending[which] = fv["plot"]
        if "app" in pending and "floor" in pending:
            ratios.append(pending.pop("app") / pending.pop("floor"))
    app = [fv["plot"] for w, fv in views if w == "app" and "plot" in fv]
    floor = [fv["plot"] for w, fv in views if w == "floor" and "plot" in fv]
    if app and floor:
        lines.append(f"    median first plot: app {_common.median(app):.2f} s, floor "
                     f"{_common.median(floor):.2f} s; app / floor, pair by pair: "
                     + ", ".join(f"{r:.2f}" for r in ratios)
                     + f" (median {_common.median(ratios):.2f}x)")
    return lines


def cpu_lines(run: Run, cost: Cost, measured: float, seconds: float, opens: int,
              sessions: int) -> list[str]:
    rows: dict[str, list[float]] = {}  # handler -> [calls, calls replayed, estimated CPU s]
    for name, n in run.calls.items():
        row = rows.setdefault(handler(name) + ("*" if name in run.not_replayed else ""),
                              [0, 0, 0.0])
        row[0] += n
        if name in cost.per_call:
            row[1] += n
            row[2] += n * cost.per_call[name]
    lines = [f"  {'handler':26} {'calls':>6} {'CPU ms/call':>11} {'est. s':>7} {'share':>6}"
             f" {'/ping':>6}"]
    total = 0.0

    def line(label: str, n: int, each: float, est: float) -> str:
        return (f"  {label:26} {n:6d} {1000 * each:11.1f} {est:7.1f} "
                f"{100 * est / measured:5.0f}% {each / cost.ping:5.2f}x")

    for name, (n, replayed, est) in sorted(rows.items(), key=lambda kv: (-kv[1][2],
                                                                          -kv[1][0])):
        total += est
        lines.append(line(name, n, est / replayed, est) if replayed else
                     f"  {name:26} {n:6d} {'n/a':>11}")
    if not math.isnan(cost.gets):
        lines.append(line("page GETs (/ + files)", opens, cost.gets, opens * cost.gets))
        total += opens * cost.gets
    if not math.isnan(cost.session):
        lines.append(line("a new session (1st call)", sessions, cost.session,
                          sessions * cost.session))
        total += sessions * cost.session
    if not math.isnan(cost.idle):
        lines.append(f"  {'no call (per second)':26} {round(seconds):6d} "
                     f"{1000 * cost.idle:11.1f} {cost.idle * seconds:7.1f} "
                     f"{100 * cost.idle * seconds / measured:5.0f}%")
        total += cost.idle * seconds
    if not math.isnan(cost.ping):
        calls = {k: v for k, v in cost.per_call.items()}
        worst = max(calls, key=calls.get) if calls else None
        lines.append(f"  /ping (no-op) {1000 * cost.ping:.1f} ms of CPU a call; the interactive "
                     f"calls at most {calls[worst] / cost.ping:.2f}x it ({handler(worst)})"
                     if worst else f"  /ping (no-op) {1000 * cost.ping:.1f} ms of CPU a call")
    lines += [f"  estimated {total:.1f} s of the {measured:.1f} s measured "
              f"({100 * total / measured:.0f}%)",
              "  * timer ticks (and their .then events) and Train presses: not replayed (they "
              "need a live job); 'a new session': what its first call costs beyond the same "
              "call in a known session; 'no call': the server's CPU per second with no request "
              "at all (jobs may still run: their progress, the session janitor)",
              "  the rest: those, and what a crowd costs beyond one call at a time"]
    return lines


def report(run: Run, pre: Prelude, probes: list, cost: Cost | None, poller: RssPoller,
           clients: RssPoller, t0: dict, t1: dict, load_start: str) -> None:
    opts, sm = run.opts, run.samples
    burst, end = run.marks.get("burst"), run.marks.get("burst end")
    say("", f"== a class of {opts.students}: {opts.http} over HTTP ({opts.trainers} pressing "
        f"Train), {opts.browsers} in Chromium; think time median {opts.think:g} s ==")
    lesson_end = burst or t1
    errors = [s for s in [*pre.samples, *sm] if s.error]
    say(f"lesson {lesson_end['t'] - t0['t']:.0f} s: {sum(s.phase == 'lesson' for s in sm)} "
        f"steps, {run.skipped} not started (time budget); "
        + (f"burst {end['t'] - burst['t']:.2f} s" if burst and end else
           "burst: not run (barrier broken, or past the time budget)"))

    def cpu(a: dict, b: dict, label: str) -> str:
        dt = max(b["t"] - a["t"], 1e-9)
        server, workers = b["server"] - a["server"], b["workers"] - a["workers"]
        mine = b["self"] - a["self"]
        rest = max(0.0, b["busy"] - a["busy"] - server - workers - mine)
        return (f"  {label} ({dt:.1f} s): server {server:.1f} ({server / dt:.2f}), training "
                f"workers {workers:.1f} ({workers / dt:.2f}), this script {mine:.1f} "
                f"({mine / dt:.2f}), rest of the machine {rest:.1f} ({rest / dt:.2f})")

    say("CPU seconds (cores):", cpu(t0, lesson_end, "lesson"))
    if burst and end:
        say(cpu(burst, end, "burst"))
    measured = t1["server"] - t0["server"]
    say(f"  Chromium (all pages, the whole run) {clients.workers_cpu():.1f}; server, lesson + "
        f"burst: {measured:.1f} in {t1['t'] - t0['t']:.0f} s")
    say(f"peak RSS: server {poller.peak_server / 1024:.0f} MB, server + training workers "
        f"{poller.peak_total / 1024:.0f} MB (up to {poller.max_children} child processes); "
        f"Chromium {clients.peak_total / 1024:.0f} MB")
    say(f"errors: {len(errors)}" + ("; the first few:" if errors else ""))
    for s in errors[:6]:
        say(f"  {s.side} {s.student} {s.phase} {s.step}: {s.error}")
    say("", "answers:", *answers(run, pre.samples))
    say("", "requests a page makes per step (goal: 0 per slider move), in the class:",
        *requests_lines(sm, "browser"), "alone, before the class:",
        *requests_lines(pre.samples, "alone"))
    say("", "first views, quiet servers, alternating (seconds from navigation, page clock):",
        *view_lines(pre.views))
    say(f"the same over a network of {NETWORK['downloadThroughput'] * 8 / 1e6:g} Mbit/s down, "
        f"{NETWORK['latency']:g} ms (Chromium's emulation; a school's connection shared by a "
        "class is slower):", *view_lines(pre.views_net))
    if probes:
        say("first views while the class works (alternating; each app page is one more "
            "student's page open):", *view_lines(probes))
    if cost is not None:
        pages = opts.browsers + sum(w == "app" for w, _ in probes)
        opens = len(pick(sm, "http", "lesson", step="open: GET page + files")) + pages
        say("", f"where the server's CPU went: each event replayed {opts.repeats}x on the idle "
            "server (caches warm) for its CPU per call, times the calls the class made:",
            *cpu_lines(run, cost, measured, t1["t"] - t0["t"], opens, opts.http + pages))
    say("", f"load at the start: {load_start}", f"load at the end:   {_common.load()}")


# -- main ------------------------------------------------------------------------------------------
def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=60, help="the class's size (60)")
    parser.add_argument("--browsers", type=int, default=3,
                        help="how many of them in Chromium pages (3)")
    parser.add_argument("--trainers", type=int, default=3,
                        help="how many of those over HTTP press Train on the way (3)")
    parser.add_argument("--minutes", type=float, default=10.0, help="the run's budget (10)")
    parser.add_argument("--seed", type=int, default=12, help="think times, digits (12)")
    parser.add_argument("--save", metavar="PATH", help="also write every sample as JSON")
    parser.add_argument("--browser-core", type=int, metavar="N",
                        help="run Chromium on CPU N alone, everything else on the other CPUs")
    parser.add_argument("--quick", action="store_true",
                        help="think times around 1 s, fewer first-view pairs and repeats")
    opts = parser.parse_args()
    opts.browsers = max(0, min(opts.browsers, opts.students))
    opts.http = opts.students - opts.browsers
    opts.trainers = max(0, min(opts.trainers, opts.http))
    opts.think = 1.0 if opts.quick else 4.0
    opts.pairs = 1 if opts.quick else 3  # first-view pairs on the quiet servers
    opts.probes = 1 if opts.quick else 2  # ... and while the class works
    opts.repeats = 3 if opts.quick else 20
    cpus = os.sched_getaffinity(0)
    if opts.browser_core is not None and (opts.browser_core not in cpus or len(cpus) < 2):
        parser.error(f"--browser-core must be one of {sorted(cpus)}, and leave another CPU")
    return opts


def pin_browsers(core: int, tmp: str) -> str:
    """This process (and so the servers and threads it starts from now on) on every CPU but
    ``core``; returns a Chromium that runs on ``core`` alone, with all its processes."""
    global CHROMIUM
    os.sched_setaffinity(0, os.sched_getaffinity(0) - {core})
    CHROMIUM = str(Path(tmp) / "chromium")
    Path(CHROMIUM).write_text(f"#!/bin/sh\nexec taskset -c {core} {_common.CHROMIUM} \"$@\"\n")
    Path(CHROMIUM).chmod(0o755)
    return f"Chromium on CPU {core} alone; the servers, their workers and the HTTP students on " \
           f"CPU {','.join(map(str, sorted(os.sched_getaffinity(0))))}"


def interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    opts = options()
    t_start = time.monotonic()
    signal.signal(signal.SIGTERM, interrupted)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    load_start = _common.load()
    say(f"a class of {opts.students} following a lesson against python app.py"
        + (" (quick)" if opts.quick else ""), _common.machine(), load_start,
        _common.git_state())
    with tempfile.TemporaryDirectory() as tmp:
        if opts.browser_core is not None:
            say(pin_browsers(opts.browser_core, tmp))
        floor_script = Path(tmp) / "floor_plotly.py"
        floor_script.write_text(FLOOR)
        with _common.Server() as app, _common.Server(floor_script) as floor:
            say(f"app up in {app.startup:.1f} s, floor page in {floor.startup:.1f} s")
            with RssPoller(app.pid, interval=0.1) as poller, \
                    RssPoller(os.getpid(), interval=0.5, skip=(app.pid, floor.pid)) as clients:
                with urllib.request.urlopen(app.url + "config", timeout=30) as r:
                    page = Page(json.load(r))
                say(f"first views on the quiet servers ({opts.pairs} pairs), then one page "
                    "rehearses the lesson ...")
                pre = asyncio.run(prelude(app.url, floor.url, page, opts.pairs, opts.seed))
                run = Run(opts, page, app, pre.paths, pre.script, t_start + 60 * opts.minutes)
                run.cpu_poller = poller
                lesson_class(run, pre, floor.url, poller, clients, load_start)
        for server in (app, floor):
            if server.orphans:
                say(f"{server.orphans} child processes of {Path(server.script).name} outlived "
                    "it; stopped")


def lesson_class(run: Run, pre: Prelude, floor_url: str, poller: RssPoller,
                 clients: RssPoller, load_start: str) -> None:
    opts = run.opts
    students = [HttpStudent(run, k, trainer=k < opts.trainers) for k in range(opts.http)]
    probes: list[tuple[str, dict]] = []
    threads = [threading.Thread(target=s.follow, name=f"student-{s.k}", daemon=True)
               for s in students]
    if opts.browsers:
        threads.append(threading.Thread(target=browsers, args=(run, floor_url, probes),
                                        name="browsers", daemon=True))
    say(f"lesson: {len(students)} students over HTTP, {opts.browsers} in Chromium; a page open "
        f"is {len(run.paths)} files and {len(run.script[0]) if run.script else 0} event calls")
    poller.reset()
    t0 = cpu_marks(run.app.pid, poller)
    for th in threads:
        th.start()
    try:
        while not run.burst_over.wait(15) and time.monotonic() < run.burst_by:
            if not any(th.is_alive() for th in threads):
                break
            say(f"  +{time.monotonic() - t0['t']:4.0f} s: "
                f"{sum(s.phase == 'lesson' for s in run.samples)} steps, "
                f"{sum(bool(s.error) for s in run.samples)} errors, server CPU "
                f"{_common.cpu_seconds(run.app.pid) - t0['server']:.0f} s, {_common.load()}")
    except KeyboardInterrupt:
        # the servers stop next (the callers' with blocks): calls still waiting fail at once
        run.stop.set()
        for barrier in (run.ready, run.done):
            barrier.abort()
        raise
    run.stop.set()
    for barrier in (run.ready, run.done):
        barrier.abort()  # nobody waits any longer for a student who is not coming
    for th in threads:
        th.join(timeout=max(5.0, run.t_end - time.monotonic()))
    t1 = cpu_marks(run.app.pid, poller)
    alive = [th.name for th in threads if th.is_alive()]
    if alive:
        say(f"threads still running at the end of the budget: {alive}")
    cost = None
    if time.monotonic() < run.t_end - 20:
        say(f"replaying {len(run.first_data)} events for their CPU ...")
        cost = replay(run, opts.repeats)
    report(run, pre, probes, cost, poller, clients, t0, t1, load_start)
    if opts.save:
        Path(opts.save).write_text(json.dumps(
            {"options": vars(opts), "marks": {"lesson": t0, "lesson end": t1, **run.marks},
             "calls": run.calls,
             "samples": [asdict(s) for s in [*pre.samples, *run.samples]],
             "views": pre.views, "views_net": pre.views_net, "probes": probes,
             "cost": asdict(cost) if cost else None}, indent=1))
        say(f"samples saved to {opts.save}")


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        say("interrupted: the servers and their workers are stopped")
        raise SystemExit(130) from None
