"""Peak memory of a crowd asking for the largest BPTT profile at once.

    python bench/bench_profile_memory.py [threads]

Eight threads (as Gradio's handler threads would) each compute the largest profile the tab
allows (LSTM, T = 500, hidden 128, 3 layers, loss at every step). Four variants, each in a
fresh process, side by side in one run: with and without the engine's limit on profiles
computed at once (``LIMITS.max_concurrent_profiles``), and with glibc's default malloc arenas
or two of them (what ``playground.app.main`` sets). Prints each one's peak RSS and time.
"""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from engine.limits import LIMITS  # noqa: E402

CHILD = r"""
import resource, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
import torch
torch.set_num_threads(1)
limited, arenas, threads = sys.argv[1] == "1", sys.argv[2] == "1", int(sys.argv[3])
from playground.app import limit_malloc_arenas  # the server's imports, in every variant
if arenas:
    limit_malloc_arenas()
import engine.bptt as bptt
if not limited:
    bptt._computing = threading.BoundedSemaphore(threads)
cfg = dict(cell="lstm", seq_len=500, hidden_size=128, num_layers=3, loss_at="every")
bptt.gradient_profile(bptt.ProfileConfig(cell="rnn_tanh", seq_len=10))  # imports, warm-up
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
with ThreadPoolExecutor(threads) as pool:
    list(pool.map(lambda s: bptt.gradient_profile(bptt.ProfileConfig(**cfg, seed=s)),
                  range(threads)))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{base:.0f} {peak:.0f} {time.perf_counter() - t0:.1f}")
"""


def main() -> None:
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    print(f"{threads} threads, each the largest profile; load average {os.getloadavg()[0]:.1f}")
    print(f"{'limit at once':>14} {'malloc arenas':>14} {'baseline MB':>12} {'peak MB':>8} "
          f"{'time s':>7}")
    for limited in ("0", "1"):
        for arenas in ("0", "1"):
            out = subprocess.run([sys.executable, "-c", CHILD, limited, arenas, str(threads)],
                                 capture_output=True, text=True, cwd=root, check=True,
                                 env={**os.environ, "PYTHONPATH": root})
            base, peak, secs = out.stdout.split()
            limit = str(LIMITS.max_concurrent_profiles) if limited == "1" else "none"
            print(f"{limit:>14} {'2' if arenas == '1' else 'default':>14} {base:>12} "
                  f"{peak:>8} {secs:>7}")


if __name__ == "__main__":
    main()
