"""Helpers shared by the benchmarks in this folder (not a benchmark itself).

Importing it puts the repository root on ``sys.path`` (the project is not installed; a script
run as ``python bench/x.py`` only sees ``bench/``), so ``engine`` and ``playground`` import.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"  # Debian's; `playwright install` cannot download one here
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
KEEP_ALIVE = 4.0  # seconds: reconnect rather than reuse a connection idle that long


def machine(threads: bool = False) -> str:
    """One line naming the machine and the versions that matter."""
    import gradio
    import torch

    line = (f"machine: {os.cpu_count()} CPUs, {platform.platform()}, "
            f"Python {platform.python_version()}, torch {torch.__version__}, "
            f"gradio {gradio.__version__}")
    return line + (f", torch threads here {torch.get_num_threads()}" if threads else "")


def load() -> str:
    try:
        return "load average: " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average: n/a"


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def quantile(xs: Sequence[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation between order statistics."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GRADIO_SERVER_PORT=str(port), GRADIO_SERVER_NAME="127.0.0.1",
               GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1")
    return env


def wait_for_200(url: str, proc: subprocess.Popen, timeout: float = 120.0,
                 interval: float = 0.02) -> float:
    """Poll ``url`` until it answers 200; return the monotonic time it did.

    Raises RuntimeError if the process exits or the timeout passes first.
    """
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.monotonic()
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(interval)
    raise RuntimeError(f"no HTTP 200 from {url} within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started (and only it): terminate, then kill if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def rss_kib(pid: int) -> int:
    """VmRSS of ``pid`` in KiB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by ``pid`` (all its threads); 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            stat = f.read()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0.0
    fields = stat[stat.rfind(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parents() -> dict[int, int]:
    """Every process's parent, from /proc: pid -> ppid."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        # the command name (field 2) is in parentheses and may hold spaces
        fields = stat[stat.rfind(")") + 2:].split()
        parent[int(entry)] = int(fields[1])
    return parent


def descendants(pid: int, parent: dict[int, int] | None = None) -> list[int]:
    """Every process below ``pid`` (children, grandchildren, ...), from /proc (or from a
    ``parents()`` map read once for several calls)."""
    parent = parents() if parent is None else parent
    out, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        out += kids
        frontier += kids
    return out


def stop_orphans(pids: list[int]) -> int:
    """Stop those of ``pids`` (the server's child processes, seen just before stopping it) that
    outlived it: multiprocessing's forkserver, its workers and the resource tracker are not
    stopped with the server. Returns how many were still there."""
    alive = [p for p in pids if rss_kib(p)]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for p in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(p, sig)
        end = time.monotonic() + 5
        while any(rss_kib(p) for p in alive) and time.monotonic() < end:
            time.sleep(0.1)
        if not any(rss_kib(p) for p in alive):
            break
    return len(alive)


def git_state() -> str:
    """The commit the benchmark runs, and the files changed since."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                                  text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return "?"
    dirty = git("status", "--porcelain").splitlines()
    return (f"code: {git('rev-parse', '--short', 'HEAD')}"
            + (f" with {len(dirty)} changed files ({', '.join(d[3:] for d in dirty[:6])})"
               if dirty else ", clean"))


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return float("nan")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    guest = sum(fields[8:10])  # already counted in user and nice
    return (sum(fields) - idle - guest) / os.sysconf("SC_CLK_TCK")


class Server:
    """``python <script>`` (the app by default) on a free port, as a context manager: started
    until its first HTTP 200 on "/", then stopped with the child processes that outlive it
    (forkserver, training workers, resource tracker). Its stderr is drained (its last lines
    kept, printed if it fails to start)."""

    def __init__(self, script: str | Path = "app.py", env: dict[str, str] | None = None):
        self.script, self.extra_env = script, env or {}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log: deque[str] = deque(maxlen=200)
        self.proc: subprocess.Popen | None = None
        self.startup = float("nan")  # seconds from Popen to the first 200
        self.orphans = 0  # child processes that outlived it, stopped by stop()
        self.stopped = False

    def __enter__(self) -> Server:
        t0 = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, str(self.script)], cwd=ROOT,
                                     env={**server_env(self.port), **self.extra_env},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        threading.Thread(target=self._drain, daemon=True).start()
        try:
            self.startup = wait_for_200(self.url, self.proc) - t0
        except BaseException:
            self.stop()
            print("\n".join(list(self.log)[-30:]), flush=True)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _drain(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        for line in self.proc.stderr:  # never blocks the server on a full pipe
            self.log.append(line.rstrip("\n"))

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None or self.stopped:
            return
        self.stopped = True
        kids = descendants(self.proc.pid)
        stop(self.proc)
        self.orphans = stop_orphans(kids)


class RssPoller(threading.Thread):
    """Peak VmRSS of a process alone and with all its descendants (but those under ``skip``),
    sampled every ``interval`` s, and the CPU time its descendants use (to within one sample
    per process)."""

    def __init__(self, pid: int, interval: float = 0.05, skip: Iterable[int] = ()):
        super().__init__(daemon=True)
        self.pid, self.interval, self.skip = pid, interval, tuple(skip)
        self.peak_server = self.peak_total = 0
        self.max_children = 0
        self._kid_cpu: dict[int, list[float]] = {}  # pid -> [first seen, last seen]
        self._halt = threading.Event()

    def kids(self) -> list[int]:
        parent = parents()
        kids = descendants(self.pid, parent)
        if not self.skip:
            return kids
        skipped = set(self.skip).union(*(descendants(s, parent) for s in self.skip))
        return [k for k in kids if k not in skipped]

    def sample(self) -> tuple[int, int]:
        kids = self.kids()
        own = rss_kib(self.pid)
        return own, own + sum(rss_kib(k) for k in kids)

    def run(self) -> None:
        while not self._halt.is_set():
            kids = self.kids()
            own = rss_kib(self.pid)
            total = own + sum(rss_kib(k) for k in kids)
            self.peak_server = max(self.peak_server, own)
            self.peak_total = max(self.peak_total, total)
            self.max_children = max(self.max_children, len(kids))
            kid_cpu = self._kid_cpu
            for k in kids:
                c = cpu_seconds(k)
                seen = kid_cpu.setdefault(k, [c, c])
                seen[1] = max(seen[1], c)
            self._halt.wait(self.interval)

    def workers_cpu(self) -> float:
        return sum(last - first for first, last in list(self._kid_cpu.values()))

    def reset(self) -> None:
        self.peak_server = self.peak_total = self.max_children = 0
        self._kid_cpu = {}

    def stop(self) -> None:
        self._halt.set()
        if self.is_alive():
            self.join()

    def __enter__(self) -> RssPoller:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


BROWSER_ENCODINGS = "gzip, deflate, br, zstd"  # what Chromium accepts


class RawHttpStudent:
    """A student's session through Gradio's REST API: one keep-alive HTTP connection, stdlib
    only, parsing JSON only where asked to.

    ``POST /gradio_api/call/<name>`` with ``{"data": [...], "session_hash": ...}`` answers
    ``{"event_id": ...}``, then ``GET /gradio_api/call/<name>/<event_id>`` streams server-sent
    events that end in ``event: complete`` (or ``event: error``). The session hash keeps the
    student's ``gr.State`` across calls, as a page or a gradio_client session does. Any event
    can be called by its ``api_name`` with one value per input (``null`` for a state), the
    page's private events included: that is what a page sends (through ``/queue/join``)."""

    PARSE = ("/train_topology", "/training_status")

    def __init__(self, host: str, port: int, defaults: dict[str, list] | None = None,
                 session_hash: str | None = None, timeout: float = 300.0):
        self.host, self.port, self.defaults = host, port, defaults or {}
        self.session_hash = session_hash or uuid.uuid4().hex[:11]
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)
        self.conn.connect()
        self.last_used = time.monotonic()

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """One request on the kept-alive connection; reconnect once if the server closed it."""
        headers = dict(headers or {})
        if body is not None:
            headers["Content-Type"] = "application/json"
        if time.monotonic() - self.last_used > KEEP_ALIVE:  # the server may have closed it
            self.conn.close()
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()  # for the SSE stream: until the server ends it
                self.last_used = time.monotonic()
                return resp.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # http.client reconnects on the next request
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> int:
        """``GET path`` (a page, a static file) as a browser asks for it (compressed, if the
        server will); returns the bytes read."""
        status, raw = self._request("GET", path, headers={"Accept-Encoding": BROWSER_ENCODINGS})
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        return len(raw)

    def run(self, name: str, data: list, parse: bool = False) -> Any:
        """Call the event ``name`` (without its slash) with ``data``, one value per input;
        return its outputs if ``parse``, else None."""
        body = json.dumps({"data": data, "session_hash": self.session_hash}).encode()
        status, raw = self._request("POST", f"/gradio_api/call/{name}", body)
        if status != 200:
            raise RuntimeError(f"POST {name}: HTTP {status} {raw[:200]!r}")
        event_id = json.loads(raw)["event_id"]
        status, raw = self._request("GET", f"/gradio_api/call/{name}/{event_id}")
        if status != 200:
            raise RuntimeError(f"GET {name}: HTTP {status} {raw[:200]!r}")
        # the last event that is not a heartbeat: "event: complete|error\ndata: <json>"
        events = [e for e in raw.split(b"\n\n") if e.strip() and b"event: heartbeat" not in e]
        if not events:
            raise RuntimeError(f"GET {name}: stream ended without an event")
        head, _, payload = events[-1].partition(b"\ndata: ")
        if head != b"event: complete":
            raise RuntimeError(f"{head.decode(errors='replace')}: {payload[:250]!r}")
        return json.loads(payload) if parse else None

    def call(self, name: str, *args: Any) -> Any:
        """Call the public endpoint ``name`` (positional ``args`` first, then its defaults);
        return the ticket of ``/train_topology``, the answer of ``/training_status``, else
        None."""
        data = [*args, *self.defaults[name][len(args):]]
        out = self.run(name.lstrip("/"), data, parse=name in self.PARSE)
        if name == "/training_status":
            return out[0]
        if name == "/train_topology":
            # all outputs, gr.State ones included (as null): the ticket is the first string
            return next(x for x in out if isinstance(x, str))
        return out

    def close(self) -> None:
        self.conn.close()


def endpoint_defaults(url: str) -> dict[str, list]:
    """Every public endpoint's parameter defaults, in order, from ``/gradio_api/info``."""
    with urllib.request.urlopen(f"{url.rstrip('/')}/gradio_api/info", timeout=30) as r:
        info = json.load(r)
    return {name: [p.get("parameter_default") for p in ep["parameters"]]
            for name, ep in info["named_endpoints"].items()}
