"""Helpers shared by the benchmarks in this folder (not a benchmark itself).

Importing it puts the repository root on ``sys.path`` (the project is not installed; a script
run as ``python bench/x.py`` only sees ``bench/``), so ``engine`` and ``playground`` import.
"""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


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


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren, ...), from /proc."""
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
