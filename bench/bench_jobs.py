"""Does training in worker processes keep the UI more responsive than training in threads?

A web server answers requests in its own process; this script plays that process. It times two
handlers, called in this main process with ``torch.set_num_threads(1)``:

- ``tiny``: a small torch op in a loop (64x64 matmul + tanh, calibrated to ~5 ms alone): many
  short torch calls, each of which takes the interpreter lock, like a light handler;
- ``step``: the Topologies tab's real ``step(...)`` handler (``playground.tabs.topologies``)
  with its defaults (plotly figures: pure Python work under the interpreter lock).

Phases: (a) alone; (b) 2 training jobs in threads of this process
(``engine.JobManager(max_running=2, backend="thread")``); (c) 2 jobs in worker processes
(``backend="process"``, a forkserver); (d) 1 job in a worker process. A job is
``engine.train_job("running_max", GRU config from ModelConfig.for_task, TrainConfig(steps=3000))``
with its own init seed, so jobs do not merge; each phase waits until its jobs have taken a few
optimizer steps, measures, then cancels them and waits for them to end. To fight the noise of a
shared machine, the four phases run in rounds, each round in a rotated order; a phase's ratio
is the median over rounds of (its median latency / phase (a)'s median latency in that round).
Also reported: the jobs' training speed (optimizer steps per second per job) during each phase,
the other side of the trade.

The process backend re-imports this file in its workers: everything runs under
``if __name__ == "__main__":``.

    python bench/bench_jobs.py
"""

from __future__ import annotations

import time

import _common

ROUNDS = 4
TINY_CALLS = 60
STEP_CALLS = 12
TINY_TARGET_S = 0.005
PHASES = ("a alone", "b 2 thread jobs", "c 2 process jobs", "d 1 process job")
JOBS_IN_PHASE = {"a alone": (None, 0), "b 2 thread jobs": ("thread", 2),
                 "c 2 process jobs": ("process", 2), "d 1 process job": ("process", 1)}


def main() -> None:
    import torch

    from engine import JobManager, ModelConfig, TrainConfig, TrainRequest, get_task, train_job
    from playground.tabs.topologies import handlers as topologies

    torch.set_num_threads(1)
    torch.manual_seed(0)

    # -- the two handlers ------------------------------------------------------------------------
    a, b = torch.randn(64, 64), torch.randn(64, 64)

    def tiny_loop(n: int) -> None:
        y = a
        for _ in range(n):
            y = torch.tanh(y @ b)

    def calibrate() -> int:
        n = 50
        for _ in range(30):
            tiny_loop(n)
        best = min(_time(lambda: tiny_loop(n)) for _ in range(20))
        return max(10, round(n * TINY_TARGET_S / best))

    step_args = ("many_to_many", "rnn", 1, 0.0, False, "31524", 3, None, "en")
    tiny_n = calibrate()
    handlers = {"tiny": (lambda: tiny_loop(tiny_n), TINY_CALLS),
                "step": (lambda: topologies.step(*step_args), STEP_CALLS)}
    for fn, _ in handlers.values():
        for _ in range(3):
            fn()

    # -- jobs --------------------------------------------------------------------------------------
    task = get_task("running_max")
    config = ModelConfig.for_task(task, cell="gru", hidden_size=32).check()
    train = TrainConfig(steps=3000)
    managers = {"thread": JobManager(max_running=2, max_queued=4, backend="thread"),
                "process": JobManager(max_running=2, max_queued=4, backend="process")}
    seeds = iter(range(1, 10_000))  # a new init seed per job: never the same key twice

    def start_jobs(backend: str, n: int) -> list[str]:
        jm = managers[backend]
        tickets = [jm.submit(train_job, TrainRequest(task.name, config, train, next(seeds)))
                   for _ in range(n)]
        end = time.monotonic() + 60
        while time.monotonic() < end:
            snaps = [jm.snapshot(t) for t in tickets]
            if any(s.finished for s in snaps):
                raise RuntimeError(f"a job ended early: {[(s.status, s.error) for s in snaps]}")
            if all(len(s.progress) >= 5 for s in snaps):
                return tickets
            time.sleep(0.02)
        raise RuntimeError("jobs did not start within 60 s")

    def steps_done(backend: str, tickets: list[str]) -> list[int]:
        return [len(managers[backend].snapshot(t).progress) for t in tickets]

    def stop_jobs(backend: str, tickets: list[str]) -> None:
        jm = managers[backend]
        for t in tickets:
            jm.cancel(t)
        end = time.monotonic() + 30
        while time.monotonic() < end and jm.counts()["running"]:
            time.sleep(0.02)
        for t in tickets:
            jm.release(t)

    # -- rounds ----------------------------------------------------------------------------------
    lat: dict[tuple[str, str], list[list[float]]] = {(p, h): [] for p in PHASES for h in handlers}
    speed: dict[str, list[float]] = {p: [] for p in PHASES}
    still_running = True
    t_begin = time.monotonic()
    for r in range(ROUNDS):
        order = PHASES[r % len(PHASES):] + PHASES[:r % len(PHASES)]
        for phase in order:
            backend, n_jobs = JOBS_IN_PHASE[phase]
            tickets = start_jobs(backend, n_jobs) if backend else []
            before, t0 = (steps_done(backend, tickets) if backend else []), time.monotonic()
            for h, (fn, calls) in handlers.items():
                xs = []
                for _ in range(calls):
                    xs.append(_time(fn))
                lat[(phase, h)].append(xs)
            if backend:
                done = steps_done(backend, tickets)
                speed[phase].append(sum(d - b for d, b in zip(done, before))
                                    / n_jobs / (time.monotonic() - t0))
                still_running &= all(not managers[backend].snapshot(t).finished
                                     for t in tickets)
                stop_jobs(backend, tickets)
        print(f"round {r + 1}/{ROUNDS} done ({time.monotonic() - t_begin:.0f} s)", flush=True)
    for jm in managers.values():
        jm.shutdown()

    # -- report ----------------------------------------------------------------------------------
    print()
    print("UI handler latency in the server process while training jobs run "
          f"({ROUNDS} rounds, phases in rotated order)")
    print(_common.machine(threads=True))
    print(_common.load())
    print(f"handlers: tiny = {tiny_n} x (64x64 matmul + tanh), {TINY_CALLS} calls per phase; "
          f"step = topologies step(defaults), {STEP_CALLS} calls per phase")
    print("jobs: train_job('running_max', GRU hidden 32, TrainConfig(steps=3000)), "
          "cancelled after each phase" + ("" if still_running else
                                           "  (WARNING: a job finished during a phase)"))
    print()
    print(f"{'phase':18} {'tiny ms':>8} {'ratio':>6} {'p90 ms':>8}  {'step ms':>8} {'ratio':>6} "
          f"{'p90 ms':>8}  {'job steps/s':>11}")
    for phase in PHASES:
        row = f"{phase:18}"
        for h in handlers:
            pooled = [x for xs in lat[(phase, h)] for x in xs]
            ratios = [_common.median(xs) / _common.median(base) for xs, base
                      in zip(lat[(phase, h)], lat[(PHASES[0], h)])]
            row += (f" {_common.median(pooled) * 1e3:8.1f} {_common.median(ratios):5.2f}x "
                    f"{_common.quantile(pooled, 0.9) * 1e3:8.1f} ")
        sp = speed[phase]
        row += f" {_common.median(sp):11.0f}" if sp else f" {'-':>11}"
        print(row)
    print()
    print("ratio = median over rounds of (phase median / same round's phase (a) median); "
          "job steps/s = optimizer steps per second per job during the phase")


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
