"""The classroom burst: 40 students press everything at the same moment, in two client modes.

For each mode in turn the script starts a fresh ``python app.py`` as a subprocess on a free port
and waits for its first HTTP 200. Then 40 simulated students (each its own session, set up
beforehand, each in its own thread of this process), all released together by a
``threading.Barrier``, call every public endpoint with its defaults, in the order a student
would: ``/show_topology``, ``/step_topology``, ``/train_topology`` (identical settings share one
job, so 40 calls make one job; it returns a ticket), ``/training_status`` with that ticket, then
``/cancel_training`` (the last cancel stops the shared job), then the Step-through-time tab's
``/step_through_time``, ``/teacher_forcing_vs_generation`` and ``/train_step_model`` (one shared
job again), the BPTT tab's ``/gradient_profile``, ``/race_replay``, ``/train_race`` and
``/cancel_race``, and the Seq2seq tab's ``/seq2seq_compare``, ``/seq2seq_decode`` and
``/train_seq2seq``. The two modes differ only in the client:

* ``gradio_client``: one ``gradio_client.Client`` per student, ``predict(api_name=...)``. This
  is what a script would use, but it costs about 100 ms of CPU per call, so 40 of them take
  1 to 1.3 of this machine's 2 cores away from the server they measure.
* ``raw HTTP``: Gradio's REST API over one keep-alive ``http.client`` connection per student:
  ``POST /gradio_api/call/<name>`` with ``{"data": [...], "session_hash": ...}`` answers
  ``{"event_id": ...}``, then ``GET /gradio_api/call/<name>/<event_id>`` streams server-sent
  events that end in ``event: complete`` (or ``event: error``). The REST API wants every input,
  so each endpoint's parameter defaults come from ``GET /gradio_api/info`` at setup; the
  session hash keeps a student's ``gr.State`` (the ticket that ``/cancel_training`` cancels)
  across calls, as a gradio_client session does. Only the answers the bench needs (the ticket,
  the status dict) are parsed as JSON. This is close to the server alone, as with students on
  their own laptops.

Each call's latency is timed client side; any exception, HTTP error or ``event: error`` counts
as an error (the first few are printed). A thread polls the server's VmRSS, and that of all its
child processes (training workers), every 50 ms for the peak, and the workers' CPU time. The
report gives the CPU time each side used during each burst (server process, training workers,
these clients, and the rest of the machine from ``/proc/stat``), and the server CPU time each
endpoint costs when idle: the burst's floor is the sum of those over 40 users, on at most one
core for handlers. Child processes that outlive the stopped server (multiprocessing's forkserver,
its workers, the resource tracker) are stopped by the bench, and counted in the report.

Per mode, two rounds: a cold burst right after start (nothing cached yet: the first users of a
fresh Space), then, after a few single calls that give the idle latency of each endpoint, a warm
burst (skipped when the mode is past its time budget); the report also gives the warm burst's p50
as a multiple of the idle latency, and ends with both modes side by side.
Goal: no errors, p95 < 2 s (stretch: < 1 s).

    python bench/bench_burst.py
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import _common
from _common import RawHttpStudent, RssPoller, endpoint_defaults, machine_busy_seconds

USERS = 40
IDLE_CALLS = 5
SKIP_WARM_AFTER = 100.0  # seconds since the mode's start: skip its warm burst (time budget)
GOAL_P95, STRETCH_P95 = 2.0, 1.0
ENDPOINTS = ("/show_topology", "/step_topology", "/train_topology", "/training_status",
             "/cancel_training", "/step_through_time", "/teacher_forcing_vs_generation",
             "/train_step_model", "/gradient_profile", "/race_replay", "/train_race",
             "/cancel_race", "/seq2seq_compare", "/seq2seq_decode", "/train_seq2seq")
MODES = ("gradio_client", "raw HTTP")


class GradioClientStudent:
    """A student's session through ``gradio_client.Client``."""

    def __init__(self, url: str):
        from gradio_client import Client

        self.client = Client(url, verbose=False, analytics_enabled=False, max_workers=4)

    def call(self, name: str, *args: Any) -> Any:
        """Call ``name``; return the ticket of ``/train_topology``, else the answer."""
        out = self.client.predict(*args, api_name=name)
        return out[0] if name == "/train_topology" else out

    def close(self) -> None:
        self.client.close()


def student(caller, barrier: threading.Barrier, lat: dict, errors: list) -> None:
    """One student's session: every public endpoint once, defaults everywhere."""
    barrier.wait()
    ticket = None
    for name in ENDPOINTS:
        t0 = time.monotonic()
        try:
            if name == "/training_status":
                if ticket is None:
                    raise RuntimeError("no ticket: /train_topology failed")
                out = caller.call(name, ticket)
                if not isinstance(out, dict) or "status" not in out:
                    raise RuntimeError(f"unexpected /training_status answer: {out!r:.200}")
            else:
                out = caller.call(name)
                if name == "/train_topology":
                    ticket = out
        except Exception as e:  # every failure counts, whatever its kind
            errors.append((name, f"{type(e).__name__}: {e}"[:300]))
        finally:
            lat[name].append(time.monotonic() - t0)


def burst(callers: list, poller: RssPoller, server_pid: int) -> tuple[dict, list, float, str]:
    lat: dict[str, list[float]] = {name: [] for name in ENDPOINTS}
    errors: list[tuple[str, str]] = []
    barrier = threading.Barrier(len(callers) + 1)
    threads = [threading.Thread(target=student, args=(c, barrier, lat, errors))
               for c in callers]
    for th in threads:
        th.start()
    poller.reset()
    cpu_server, cpu_self = _common.cpu_seconds(server_pid), time.process_time()
    busy = machine_busy_seconds()
    barrier.wait()
    t0 = time.monotonic()
    for th in threads:
        th.join(timeout=300)
    wall = time.monotonic() - t0
    cpu_server = _common.cpu_seconds(server_pid) - cpu_server
    cpu_self = time.process_time() - cpu_self
    cpu_workers = poller.workers_cpu()
    rest = max(0.0, machine_busy_seconds() - busy - cpu_server - cpu_self - cpu_workers)
    cpu = (f"CPU during the burst, s (cores): server process {cpu_server:.1f} "
           f"({cpu_server / wall:.2f}), training workers {cpu_workers:.1f} "
           f"({cpu_workers / wall:.2f}), these {len(callers)} clients {cpu_self:.1f} "
           f"({cpu_self / wall:.2f}), rest of the machine {rest:.1f} ({rest / wall:.2f})")
    return lat, errors, wall, cpu


def table(lat: dict, idle: dict | None = None) -> list[str]:
    head = f"  {'endpoint':30} {'n':>3} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"
    lines = [head + ("   p50 / idle" if idle else "")]
    everything = [x for v in lat.values() for x in v]
    for name, xs in [*lat.items(), ("all calls", everything)]:
        row = (f"  {name:30} {len(xs):3d} {_common.quantile(xs, 0.5):7.3f} "
               f"{_common.quantile(xs, 0.95):7.3f} {max(xs, default=float('nan')):7.3f}")
        if idle and name in idle:
            row += f"   {_common.quantile(xs, 0.5) / idle[name]:6.1f}x"
        lines.append(row)
    return lines


def burst_lines(label: str, lat: dict, errors: list, wall: float, cpu: str, poller: RssPoller,
                idle: dict | None = None) -> list[str]:
    return [f"{label} burst: {USERS} users x {len(ENDPOINTS)} calls, wall {wall:.2f} s, "
            f"errors {len(errors)}, peak RSS server {poller.peak_server / 1024:.0f} MB, "
            f"server + workers {poller.peak_total / 1024:.0f} MB "
            f"(up to {poller.max_children} child processes)", cpu, *table(lat, idle)]


def run_mode(mode: str) -> dict:
    """One fresh server, ``USERS`` students of the given client kind: cold burst, idle calls,
    warm burst. Returns the report lines, the bursts' latencies and the errors."""
    t_start = time.monotonic()
    load = _common.load()
    server = _common.Server()
    report: list[str] = []
    bursts: dict[str, dict] = {}
    all_errors: list[tuple[str, str]] = []
    callers: list = []
    with server:
        url, port, startup = server.url, server.port, server.startup
        poller = RssPoller(server.pid)
        try:
            poller.start()
            idle_rss = poller.sample()
            t0 = time.monotonic()
            if mode == "gradio_client":
                with ThreadPoolExecutor(8) as pool:
                    callers = list(pool.map(lambda _: GradioClientStudent(url), range(USERS)))
            else:
                defaults = endpoint_defaults(url)
                callers = [RawHttpStudent("127.0.0.1", port, defaults) for _ in range(USERS)]

            print(f"[{mode}] server up in {startup:.1f} s, {USERS} clients ready in "
                  f"{time.monotonic() - t0:.1f} s; cold burst ...", flush=True)
            lat, errors, wall, cpu = burst(callers, poller, server.pid)
            all_errors += errors
            report += burst_lines("cold", lat, errors, wall, cpu, poller)
            bursts["cold"] = lat

            # idle latency: one client, one call at a time (and the server CPU each call costs)
            print(f"[{mode}] cold burst took {wall:.1f} s; idle calls ...", flush=True)
            idle: dict[str, float] = {}
            idle_cpu: dict[str, float] = {}
            one = callers[0]
            ticket = one.call("/train_topology")
            for name in ENDPOINTS:
                xs = []
                cpu0 = _common.cpu_seconds(server.pid)
                for _ in range(IDLE_CALLS):
                    t0 = time.monotonic()
                    if name == "/training_status":
                        one.call(name, ticket)
                    else:
                        out = one.call(name)
                        if name == "/train_topology":
                            ticket = out
                    xs.append(time.monotonic() - t0)
                idle_cpu[name] = (_common.cpu_seconds(server.pid) - cpu0) / IDLE_CALLS
                idle[name] = _common.median(xs)
            one.call("/cancel_training")
            time.sleep(1.0)  # let the cancelled job's worker exit

            if time.monotonic() - t_start > SKIP_WARM_AFTER:
                report += [f"warm burst skipped: past {SKIP_WARM_AFTER:.0f} s in this mode already "
                           "(time budget)"]
            else:
                print(f"[{mode}] warm burst ...", flush=True)
                lat, errors, wall, cpu = burst(callers, poller, server.pid)
                all_errors += errors
                report += burst_lines("warm", lat, errors, wall, cpu, poller, idle)
                bursts["warm"] = lat
        finally:
            for c in callers:
                c.close()
            poller.stop()
    orphans = server.orphans

    floor = USERS * sum(idle_cpu.values())
    head = [f"startup to first 200: {startup:.2f} s; idle RSS server {idle_rss[0] / 1024:.0f} MB;"
            f" {load} at the mode's start",
            f"idle, one client, {IDLE_CALLS} calls each: median latency / server CPU per call",
            "  " + ", ".join(f"{k} {idle[k]:.3f} / {idle_cpu[k]:.3f} s" for k in ENDPOINTS),
            f"  floor: {USERS} users x {sum(idle_cpu.values()):.3f} s = {floor:.1f} s of server "
            f"CPU per burst; the {USERS} /show_topology calls alone "
            f"{USERS * idle_cpu['/show_topology']:.1f} s"]
    if orphans:
        report.append(f"{orphans} child processes outlived the stopped server (forkserver, "
                      "workers, resource tracker); the bench stopped them")
    return {"report": head + report, "bursts": bursts, "errors": all_errors,
            "seconds": time.monotonic() - t_start}


def main() -> None:
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # this process's clients too
    results = {mode: run_mode(mode) for mode in MODES}

    print()
    print(f"classroom burst against python app.py ({USERS} students released by one barrier, "
          "a fresh server per client mode)")
    print(_common.machine())
    print(_common.load())
    clients = {"gradio_client": f"{USERS} gradio_client.Client sessions",
               "raw HTTP": f"{USERS} keep-alive http.client connections, REST API "
                           "/gradio_api/call/<name>"}
    for mode, res in results.items():
        print()
        print(f"== {mode} mode: {clients[mode]}, threads in this process "
              f"({res['seconds']:.0f} s) ==")
        print("\n".join(res["report"]))
        if res["errors"]:
            print(f"errors: {len(res['errors'])}; the first few:")
            for name, msg in res["errors"][:5]:
                print(f"  {name}: {msg}")

    print()
    print("side by side, p50 / p95 s (warm burst, or cold where a mode skipped its warm one):")
    chosen = {mode: res["bursts"].get("warm") or res["bursts"]["cold"]
              for mode, res in results.items()}
    print(f"  {'endpoint':30}" + "".join(
        f" {mode + (' warm' if 'warm' in results[mode]['bursts'] else ' cold'):>21}"
        for mode in MODES))
    for name in (*ENDPOINTS, "all calls"):
        row = f"  {name:30}"
        for mode in MODES:
            lat = chosen[mode]
            xs = [x for v in lat.values() for x in v] if name == "all calls" else lat[name]
            row += f" {_common.quantile(xs, 0.5):10.3f} / {_common.quantile(xs, 0.95):7.3f}"
        print(row)

    print()
    for mode, res in results.items():
        for label, lat in res["bursts"].items():
            p95 = _common.quantile([x for v in lat.values() for x in v], 0.95)
            worst = max(lat, key=lambda k: _common.quantile(lat[k], 0.95))
            verdict = ("met, stretch met" if p95 < STRETCH_P95 else "met" if p95 < GOAL_P95
                       else "MISSED")
            print(f"goal p95 < {GOAL_P95:g} s (stretch < {STRETCH_P95:g} s), {mode}, {label} "
                  f"burst: p95 of all calls {p95:.3f} s -> {verdict} (slowest endpoint: {worst})")
        n = len(res["errors"])
        print(f"goal no errors, {mode}: {'met' if not n else f'MISSED ({n})'}")


if __name__ == "__main__":
    main()
