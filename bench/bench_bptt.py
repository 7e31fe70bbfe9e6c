"""``hidden_grad_norms`` against one forward and backward of the module, and against autograd.

Issue 4's benchmark: T = 200, batch 16, hidden 64 (input 64), for nn.RNN, nn.LSTM and nn.GRU,
one thread. The reference is what a training step costs: ``rnn(x)``, a loss on the last step,
``backward()``. ``hidden_grad_norms`` runs BPTT's recursion by hand in float64, step by step
in Python, so it is expected to cost more; the ratio says how much. Goal: at most 3x for every
cell.

Issue 11's question, in the same interleaved run: does that hand-written recursion pay for
itself? Beside it, the same norms from the engine's other implementation, the one
``gradient_profile`` uses: a float64 graph with every h_t its own node (``bptt._forward64``),
differentiated by autograd (``bptt._grad_norms``). ``tests/engine/test_bptt.py`` holds the two to
each other (rtol 1e-10).

Then the tab's own speed: one slider move of the BPTT tab at T = 500 (a fresh, uncached
``gradient_profile`` and every figure of the view, for each cell), against one forward and
backward of the same module at the same size: the tab must follow a slider.

    python bench/bench_bptt.py
"""

from __future__ import annotations

import time

import _common
import torch
from torch import nn

from engine import hidden_grad_norms
from engine.bptt import _forward64, _grad_norms
from engine.unroll import check

T, B, H, PAIRS = 200, 16, 64, 15


def main() -> None:
    torch.set_num_threads(1)
    rows = []
    for cls in (nn.RNN, nn.LSTM, nn.GRU):
        torch.manual_seed(0)
        rnn = cls(H, H)
        x = torch.randn(T, B, H)
        kind = check(rnn, x)

        def module_step(rnn: nn.Module = rnn, x: torch.Tensor = x) -> None:
            rnn.zero_grad()
            out, _ = rnn(x)
            out[-1].pow(2).sum().backward()

        def norms(rnn: nn.Module = rnn, x: torch.Tensor = x) -> None:
            hidden_grad_norms(rnn, x, lambda out: out[-1].pow(2).sum())

        def graph(rnn: nn.Module = rnn, x: torch.Tensor = x, kind: str = kind) -> None:
            with torch.enable_grad():
                tr = _forward64(rnn, x, None, kind)
                _grad_norms(tr, tr.output[-1].pow(2).sum(), rnn, kind)

        runs = (module_step, norms, graph)
        for _ in range(2):
            for f in runs:
                f()
        times: dict = {f: [] for f in runs}
        for k in range(PAIRS):
            for f in runs[k % 3:] + runs[:k % 3]:  # each goes first in turn: the load hits all
                t0 = time.perf_counter()
                f()
                times[f].append(time.perf_counter() - t0)
        ratio = [n / m for n, m in zip(times[norms], times[module_step])]
        speedup = [g / n for g, n in zip(times[graph], times[norms])]
        rows.append((cls.__name__, _common.median(times[module_step]),
                     _common.median(times[norms]), _common.median(times[graph]),
                     _common.median(ratio), _common.median(speedup)))
    print(f"hidden_grad_norms vs forward + backward: T {T}, batch {B}, hidden {H}, 1 thread, "
          f"{PAIRS} interleaved rounds")
    print(_common.machine())
    print(_common.load())
    for name, fwd, ours, _, ratio, _ in rows:
        verdict = "ok" if ratio <= 3 else "MISSED"
        print(f"  {name:5s} module fwd+bwd {fwd * 1000:7.1f} ms   hidden_grad_norms "
              f"{ours * 1000:7.1f} ms   ratio {ratio:5.2f}x  (goal <= 3x) {verdict}")
    print("the recursion (hidden_grad_norms) vs the autograd graph (_forward64 + _grad_norms), "
          "same norms:")
    for name, _, ours, graph_t, _, speedup in rows:
        print(f"  {name:5s} recursion {ours * 1000:7.1f} ms   autograd graph "
              f"{graph_t * 1000:7.1f} ms   the recursion is {speedup:5.1f}x faster")
    tab_view()


def tab_view(pairs: int = 5) -> None:
    """A slider move of the BPTT tab at T = 500: the whole view, fresh, per cell."""
    from dataclasses import replace

    from engine.bptt import PROFILE_CELLS, ProfileConfig, _inputs_and_readout, profile_rnn
    from playground.tabs.bptt import handlers as bptt

    print("BPTT tab, one slider move at T = 500 (fresh view: profile, bound, sum, figures) vs "
          "the module's forward + backward on the same input")
    for cell in PROFILE_CELLS:
        cfg = ProfileConfig(cell=cell, seq_len=500)
        rnn = profile_rnn(cfg).float()
        x, r = _inputs_and_readout(cfg)
        x, r = x.float(), r.float()

        def module_step(rnn=rnn, x=x, r=r) -> None:
            rnn.zero_grad()
            out, _ = rnn(x)
            (out[-1] @ r).sum().backward()

        views, mods = [], []
        for k in range(pairs):
            fresh = replace(cfg, seed=k + 1)  # a new seed: nothing cached
            t0 = time.perf_counter()
            bptt._view.__wrapped__(fresh, "en")
            views.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            module_step()
            mods.append(time.perf_counter() - t0)
        view, mod = _common.median(views), _common.median(mods)
        print(f"  {cell:8s} view {view * 1000:6.0f} ms   module fwd+bwd {mod * 1000:6.1f} ms   "
              f"ratio {view / mod:5.1f}x  (a slider needs well under 1 s)")


if __name__ == "__main__":
    main()
