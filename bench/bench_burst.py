"""The classroom burst: 40 students press everything at the same moment.

Starts ``python app.py`` as a subprocess on a free port and waits for its first HTTP 200. Then 40
``gradio_client.Client``s (each its own session, created beforehand) each run in their own
thread, all released together by a ``threading.Barrier``, and call every public endpoint with
its defaults, in the order a student would: ``/show_topology``, ``/step_topology``,
``/train_topology`` (identical settings share one job, so 40 calls make one job; it returns a
ticket), ``/training_status`` with that ticket, then ``/cancel_training`` (the last cancel
stops the shared job), then the Step-through-time tab's ``/step_through_time``,
``/teacher_forcing_vs_generation`` and ``/train_step_model`` (one shared job again). Each
call's latency is timed client side; any exception counts as an error (the first few are
printed). A thread polls the server's VmRSS, and that of all its child processes (training
workers), every 50 ms for the peak. The clients share the machine's CPUs
with the server (in a classroom they would be the students' laptops), so the report gives the
CPU time both sides used during each burst, and the server CPU time each endpoint costs when
idle: the burst's floor is the sum of those over 40 users, on at most one core for handlers.

Two rounds: a cold burst right after start (nothing cached yet: the first users of a fresh
Space), then, after a few single calls that give the idle latency of each endpoint, a warm
burst; the report also gives the warm burst's p50 as a multiple of the idle latency.
Goal: no errors, p95 < 2 s (stretch: < 1 s).

    python bench/bench_burst.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import _common

USERS = 40
IDLE_CALLS = 5
SKIP_WARM_AFTER = 120.0  # seconds since start: skip the warm burst, to end within ~3 minutes
GOAL_P95, STRETCH_P95 = 2.0, 1.0
ENDPOINTS = ("/show_topology", "/step_topology", "/train_topology", "/training_status",
             "/cancel_training", "/step_through_time", "/teacher_forcing_vs_generation",
             "/train_step_model")


class RssPoller(threading.Thread):
    """Peak VmRSS of a process alone and with all its descendants, sampled every 50 ms."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_server = self.peak_total = 0
        self.max_children = 0
        self._halt = threading.Event()

    def sample(self) -> tuple[int, int]:
        kids = _common.descendants(self.pid)
        own = _common.rss_kib(self.pid)
        return own, own + sum(_common.rss_kib(k) for k in kids)

    def run(self) -> None:
        while not self._halt.is_set():
            kids = _common.descendants(self.pid)
            own = _common.rss_kib(self.pid)
            total = own + sum(_common.rss_kib(k) for k in kids)
            self.peak_server = max(self.peak_server, own)
            self.peak_total = max(self.peak_total, total)
            self.max_children = max(self.max_children, len(kids))
            self._halt.wait(self.interval)

    def reset(self) -> None:
        self.peak_server = self.peak_total = self.max_children = 0

    def stop(self) -> None:
        self._halt.set()
        self.join()


def student(client, barrier: threading.Barrier, lat: dict, errors: list) -> None:
    """One student's session: every public endpoint once, defaults everywhere."""
    barrier.wait()
    ticket = None
    for name in ENDPOINTS:
        t0 = time.monotonic()
        try:
            if name == "/training_status":
                if ticket is None:
                    raise RuntimeError("no ticket: /train_topology failed")
                out = client.predict(ticket, api_name=name)
                if not isinstance(out, dict) or "status" not in out:
                    raise RuntimeError(f"unexpected /training_status answer: {out!r:.200}")
            else:
                out = client.predict(api_name=name)
                if name == "/train_topology":
                    ticket = out[0]
        except Exception as e:  # every failure counts, whatever its kind
            errors.append((name, f"{type(e).__name__}: {e}"[:300]))
        finally:
            lat[name].append(time.monotonic() - t0)


def burst(clients: list, poller: RssPoller, server_pid: int) -> tuple[dict, list, float, str]:
    lat: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    errors: list[tuple[str, str]] = []
    barrier = threading.Barrier(len(clients) + 1)
    threads = [threading.Thread(target=student, args=(c, barrier, lat, errors))
               for c in clients]
    for th in threads:
        th.start()
    poller.reset()
    cpu_server, cpu_self = _common.cpu_seconds(server_pid), time.process_time()
    barrier.wait()
    t0 = time.monotonic()
    for th in threads:
        th.join(timeout=300)
    wall = time.monotonic() - t0
    cpu_server = _common.cpu_seconds(server_pid) - cpu_server
    cpu_self = time.process_time() - cpu_self
    cpu = (f"CPU during the burst: server process {cpu_server:.1f} s "
           f"({cpu_server / wall:.2f} cores), these {len(clients)} clients {cpu_self:.1f} s "
           f"({cpu_self / wall:.2f} cores)")
    return lat, errors, wall, cpu


def table(lat: dict, idle: dict | None = None) -> list[str]:
    head = f"  {'endpoint':18} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
    lines = [head + ("   p50 / idle" if idle else "")]
    everything = [x for v in lat.values() for x in v]
    for name, xs in [*lat.items(), ("all calls", everything)]:
        row = (f"  {name:18} {len(xs):3d} {_common.quantile(xs, 0.5):7.3f} "
               f"{_common.quantile(xs, 0.95):7.3f} {max(xs, default=float('nan')):7.3f}")
        if idle and name in idle:
            row += f"   {_common.quantile(xs, 0.5) / idle[name]:6.1f}x"
        lines.append(row)
    return lines


def main() -> None:
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # this process's clients too
    from gradio_client import Client

    port = _common.free_port()
    url = f"http://127.0.0.1:{port}/"
    t_start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=_common.ROOT,
                            env=_common.server_env(port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            text=True)
    poller = RssPoller(proc.pid)
    report: list[str] = []
    all_errors: list[tuple[str, str]] = []
    try:
        try:
            startup = _common.wait_for_200(url, proc) - t_start
        except RuntimeError:
            _common.stop(proc)
            print(proc.stderr.read()[-3000:] if proc.stderr else "")
            raise
        # drain the server's stderr so it never blocks on a full pipe
        threading.Thread(target=proc.stderr.read, daemon=True).start()
        poller.start()
        idle_rss = poller.sample()
        t0 = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            clients = list(pool.map(
                lambda _: Client(url, verbose=False, analytics_enabled=False, max_workers=4),
                range(USERS)))

        print(f"server up in {startup:.1f} s, {USERS} clients ready in "
              f"{time.monotonic() - t0:.1f} s; cold burst ...", flush=True)
        lat, errors, wall, cpu = burst(clients, poller, proc.pid)
        all_errors += errors
        report += [f"cold burst: {USERS} users x {len(ENDPOINTS)} calls, wall {wall:.2f} s, "
                   f"errors {len(errors)}, peak RSS server {poller.peak_server / 1024:.0f} MB, "
                   f"server + workers {poller.peak_total / 1024:.0f} MB "
                   f"(up to {poller.max_children} child processes)"]
        report += [cpu, *table(lat)]
        cold = lat

        # idle latency: one client, one call at a time (and the server CPU each call costs)
        print(f"cold burst took {wall:.1f} s; idle calls ...", flush=True)
        idle: dict[str, float] = {}
        idle_cpu: dict[str, float] = {}
        one = clients[0]
        ticket = one.predict(api_name="/train_topology")[0]
        for name in ENDPOINTS:
            xs = []
            cpu0 = _common.cpu_seconds(proc.pid)
            for _ in range(IDLE_CALLS):
                t0 = time.monotonic()
                if name == "/training_status":
                    one.predict(ticket, api_name=name)
                else:
                    out = one.predict(api_name=name)
                    if name == "/train_topology":
                        ticket = out[0]
                xs.append(time.monotonic() - t0)
            idle_cpu[name] = (_common.cpu_seconds(proc.pid) - cpu0) / IDLE_CALLS
            idle[name] = _common.median(xs)
        one.predict(api_name="/cancel_training")
        time.sleep(1.0)  # let the cancelled job's worker exit

        warm = None
        if time.monotonic() - t_start > SKIP_WARM_AFTER:
            report += [f"warm burst skipped: past {SKIP_WARM_AFTER:.0f} s already (time budget)"]
        else:
            print("warm burst ...", flush=True)
            lat, errors, wall, cpu = burst(clients, poller, proc.pid)
            all_errors += errors
            report += [f"warm burst: {USERS} users x {len(ENDPOINTS)} calls, wall {wall:.2f} s, "
                       f"errors {len(errors)}, peak RSS server {poller.peak_server / 1024:.0f} "
                       f"MB, server + workers {poller.peak_total / 1024:.0f} MB "
                       f"(up to {poller.max_children} child processes)"]
            report += [cpu, *table(lat, idle)]
            warm = lat
        for c in clients:
            c.close()
    finally:
        if poller.is_alive():
            poller.stop()
        _common.stop(proc)

    print()
    print(f"classroom burst against python app.py ({USERS} gradio_client sessions, "
          "released by one barrier)")
    print(_common.machine())
    print(_common.load())
    print(f"startup to first 200: {startup:.2f} s; idle RSS server {idle_rss[0] / 1024:.0f} MB")
    print(f"idle, one client, {IDLE_CALLS} calls each: median latency / server CPU per call")
    print("  " + ", ".join(f"{k} {idle[k]:.3f} / {idle_cpu[k]:.3f} s" for k in ENDPOINTS))
    floor = USERS * sum(idle_cpu.values())
    print(f"  floor: {USERS} users x {sum(idle_cpu.values()):.3f} s = {floor:.1f} s of server CPU "
          f"per burst; the {USERS} /show_topology calls alone "
          f"{USERS * idle_cpu['/show_topology']:.1f} s")
    print("\n".join(report))
    if all_errors:
        print(f"errors: {len(all_errors)}; the first few:")
        for name, msg in all_errors[:5]:
            print(f"  {name}: {msg}")
    print()
    for label, lat in (("cold", cold), ("warm", warm)):
        if lat is None:
            continue
        p95 = _common.quantile([x for v in lat.values() for x in v], 0.95)
        worst = max(lat, key=lambda k: _common.quantile(lat[k], 0.95))
        verdict = ("met, stretch met" if p95 < STRETCH_P95 else "met" if p95 < GOAL_P95
                   else "MISSED")
        print(f"goal p95 < {GOAL_P95:g} s (stretch < {STRETCH_P95:g} s), {label} burst: "
              f"p95 of all calls {p95:.3f} s -> {verdict} (slowest endpoint: {worst})")
    print(f"goal no errors: {'met' if not all_errors else f'MISSED ({len(all_errors)})'}")


if __name__ == "__main__":
    main()
