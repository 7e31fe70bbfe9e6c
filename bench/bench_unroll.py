"""How much slower is ``engine.unroll(rnn, x)`` than the module's own forward ``rnn(x)``?

Cells: nn.RNN, nn.LSTM and nn.GRU (one layer, batch_first=True as the app builds them), batch 32,
seq_len 100, input_size 64, hidden_size 64, one CPU thread (``torch.set_num_threads(1)``), each
under ``torch.no_grad()`` and with autograd on (forward only: the graph is built, never
backpropagated). The two calls are timed pair by pair (the order inside a pair alternates),
round-robin over the six cells, after 20 unmeasured rounds: the first calls of a process run up
to 3x slower (fresh allocations, oneDNN primitives), and measuring one cell after the other
made whichever came first look worst. The report gives, per cell, the median of the per-pair
ratios unroll / module: on a noisy shared machine the ratio of neighbours is stable
where absolute times drift. Goal: at most 2x in every cell.

    python bench/bench_unroll.py
"""

from __future__ import annotations

import time

import _common

PAIRS = 50
WARMUP = 20  # pairs; the first ~10 calls of a new size run slow (allocator, oneDNN)
BATCH, SEQ_LEN, INPUT, HIDDEN = 32, 100, 64, 64
GOAL = 2.0


def main() -> None:
    import torch
    from torch import nn

    from engine import unroll

    torch.set_num_threads(1)
    torch.manual_seed(0)
    x = torch.randn(BATCH, SEQ_LEN, INPUT)
    cells = []  # (cell name, mode, grad on?, module)
    for grad in (False, True):
        for cls in (nn.RNN, nn.LSTM, nn.GRU):
            rnn = cls(INPUT, HIDDEN, batch_first=True).eval()
            with torch.set_grad_enabled(grad):
                # the same numbers, or the comparison means nothing
                ref, got = rnn(x)[0], unroll(rnn, x).output
                assert torch.allclose(ref, got, atol=1e-5), f"{cls.__name__}: outputs differ"
            cells.append((cls.__name__, "autograd on" if grad else "no_grad", grad, rnn))

    def call(rnn: nn.Module, grad: bool, name: str) -> float:
        with torch.set_grad_enabled(grad):
            t0 = time.perf_counter()
            out = rnn(x) if name == "module" else unroll(rnn, x)
            elapsed = time.perf_counter() - t0
        del out
        return elapsed

    # Round-robin over the cells, pair by pair: a slow spell of the machine (or the process's
    # own warm-up) then touches every cell alike instead of whichever ran first.
    times = {(c[0], c[1], name): [] for c in cells for name in ("module", "unroll")}
    for k in range(WARMUP + PAIRS):
        for cell, mode, grad, rnn in cells:
            order = ("module", "unroll") if k % 2 == 0 else ("unroll", "module")
            for name in order:
                t = call(rnn, grad, name)
                if k >= WARMUP:
                    times[(cell, mode, name)].append(t)
    rows = []
    for cell, mode, _, _ in cells:
        m, u = times[(cell, mode, "module")], times[(cell, mode, "unroll")]
        ratios = [a / b for a, b in zip(u, m)]
        rows.append((cell, mode, _common.median(m) * 1e3, _common.median(u) * 1e3,
                     _common.median(ratios), _common.quantile(ratios, 0.25),
                     _common.quantile(ratios, 0.75)))

    print()
    print(f"engine.unroll vs the module's forward: batch {BATCH}, seq_len {SEQ_LEN}, "
          f"input {INPUT}, hidden {HIDDEN}, 1 thread, {PAIRS} interleaved pairs per cell")
    print(_common.machine(threads=True))
    print(_common.load())
    print()
    print(f"{'cell':8} {'mode':12} {'module ms':>10} {'unroll ms':>10} {'ratio':>7} "
          f"{'(IQR)':>13}  goal <= {GOAL:g}x")
    misses = 0
    for cell, mode, m, u, r, q1, q3 in rows:
        ok = r <= GOAL
        misses += not ok
        print(f"{cell:8} {mode:12} {m:10.2f} {u:10.2f} {r:6.2f}x  ({q1:.2f}-{q3:.2f})  "
              f"{'ok' if ok else 'MISSED'}")
    print()
    print("ratio = median over pairs of (unroll time / module time); absolute ms are medians "
          "and drift with the machine's load")
    print(f"goal (every cell <= {GOAL:g}x): "
          f"{'met' if not misses else f'missed in {misses} of {len(rows)} cells'}")


if __name__ == "__main__":
    main()
