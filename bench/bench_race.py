"""How long a live training race of the largest live size takes on one core.

    python bench/bench_race.py [steps]

Runs ``race_job`` at LIVE_LIMITS (lag, hidden size, batch, steps) with the default profile
interval, and the same race without heatmap rows, in one process with one thread (as a job
worker has): the time of each and the cost of the ||dL/dh_t|| profiles as a ratio.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import _common
import torch

from engine.race import LIVE_LIMITS, RaceConfig, race_job


def timed(cfg: RaceConfig) -> float:
    t0 = time.perf_counter()
    for _ in race_job(cfg):
        pass
    return time.perf_counter() - t0


def main() -> None:
    torch.set_num_threads(1)
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else LIVE_LIMITS.max_steps
    cfg = RaceConfig(lag=LIVE_LIMITS.max_lag, hidden_size=LIVE_LIMITS.max_hidden_size,
                     batch_size=LIVE_LIMITS.max_batch_size, steps=steps)
    bare = replace(cfg, profile_every=steps)  # heatmap rows at step 1 and the last step only
    print(f"live race at the limits: lag {cfg.lag}, hidden {cfg.hidden_size}, batch "
          f"{cfg.batch_size}, {steps} steps, 4 racers, 1 thread")
    print(_common.machine())
    print(_common.load())
    with_rows, without = timed(cfg), timed(bare)
    scale = LIVE_LIMITS.max_steps / steps
    print(f"  with a heatmap row every {cfg.profile_every} steps: {with_rows:6.1f} s "
          f"({1000 * with_rows / steps:.1f} ms a step; {with_rows * scale:.0f} s for "
          f"{LIVE_LIMITS.max_steps} steps)")
    print(f"  without heatmap rows:              {without:6.1f} s   "
          f"ratio {with_rows / without:.2f}x")


if __name__ == "__main__":
    main()
