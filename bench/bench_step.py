"""A slider move in Step through time against a no-op endpoint of the same app, pair by pair.

Starts ``python app.py`` on a free port, then one ``gradio_client.Client`` alternates
``/step_through_time`` (a slider move: the equation, the prediction and the hidden states at
step t) with ``/ping`` (returns a constant), so both go through the same queue, client and
network path and their ratio is the cost of the step itself. Two cases:

- shared: the pretrained "hello" model, t cycling 1..5. Views of shipped weights are cached,
  so in a class this is what most slider moves cost;
- fresh: a text no one has asked for before (random weights, not cached), so the view is
  computed from scratch: what a student's own text or own training run costs.

Goal (issue 3): a slider move costs at most 1.5x a no-op.

    python bench/bench_step.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import time

import _common

PAIRS = 40


def main() -> None:
    from gradio_client import Client

    port = _common.free_port()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=_common.ROOT,
                            env=_common.server_env(port), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        _common.wait_for_200(url, proc)
        client = Client(url, verbose=False)
        rng = random.Random(0)
        letters = "abcdefghijklmnopqrstuvwxyz"

        def step_shared(k: int) -> None:
            client.predict("hello", "rnn", 4, 1, "pretrained", False, k % 5 + 1, "en",
                           api_name="/step_through_time")

        def step_fresh(k: int) -> None:
            text = "".join(rng.choice(letters) for _ in range(12))
            client.predict(text, "rnn", 8, 1, "random", False, k % 12 + 1, "en",
                           api_name="/step_through_time")

        def ping(_: int) -> None:
            client.predict(api_name="/ping")

        results = {}
        for name, fn in (("shared", step_shared), ("fresh", step_fresh)):
            for k in range(5):  # warm up
                fn(k)
                ping(k)
            ratios, a, b = [], [], []
            for k in range(PAIRS):
                order = (fn, ping) if k % 2 == 0 else (ping, fn)
                times = {}
                for f in order:
                    t0 = time.perf_counter()
                    f(k)
                    times[f] = time.perf_counter() - t0
                a.append(times[fn])
                b.append(times[ping])
                ratios.append(times[fn] / times[ping])
            results[name] = (_common.median(a), _common.median(b), _common.median(ratios))
    finally:
        proc.terminate()
        proc.wait(timeout=10)

    print(_common.machine())
    print(_common.load())
    print(f"{PAIRS} pairs each, median per-pair ratio (goal: at most 1.5x)")
    for name, (step, noop, ratio) in results.items():
        verdict = "ok" if ratio <= 1.5 else "MISSED"
        print(f"  {name:7s} step {step * 1000:6.1f} ms   ping {noop * 1000:6.1f} ms   "
              f"ratio {ratio:4.2f}x  {verdict}")


if __name__ == "__main__":
    main()
