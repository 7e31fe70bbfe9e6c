"""``hidden_grad_norms`` against one forward and backward of the module, pair by pair.

Issue 4's benchmark: T = 200, batch 16, hidden 64 (input 64), for nn.RNN, nn.LSTM and nn.GRU,
one thread. The reference is what a training step costs: ``rnn(x)``, a loss on the last step,
``backward()``. ``hidden_grad_norms`` steps through time in Python, in float64, keeping every
h_t as its own graph node, so it is expected to cost more; the ratio says how much.
Goal: at most 3x for every cell.

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

T, B, H, PAIRS = 200, 16, 64, 15


def main() -> None:
    torch.set_num_threads(1)
    rows = []
    for cls in (nn.RNN, nn.LSTM, nn.GRU):
        torch.manual_seed(0)
        rnn = cls(H, H)
        x = torch.randn(T, B, H)

        def module_step(rnn: nn.Module = rnn, x: torch.Tensor = x) -> None:
            rnn.zero_grad()
            out, _ = rnn(x)
            out[-1].pow(2).sum().backward()

        def norms(rnn: nn.Module = rnn, x: torch.Tensor = x) -> None:
            hidden_grad_norms(rnn, x, lambda out: out[-1].pow(2).sum())

        for _ in range(2):
            module_step()
            norms()
        ratios, a, b = [], [], []
        for k in range(PAIRS):
            times = {}
            for f in ((module_step, norms) if k % 2 == 0 else (norms, module_step)):
                t0 = time.perf_counter()
                f()
                times[f] = time.perf_counter() - t0
            a.append(times[module_step])
            b.append(times[norms])
            ratios.append(times[norms] / times[module_step])
        rows.append((cls.__name__, _common.median(a), _common.median(b),
                     _common.median(ratios)))
    print(f"hidden_grad_norms vs forward + backward: T {T}, batch {B}, hidden {H}, 1 thread, "
          f"{PAIRS} interleaved pairs")
    print(_common.machine())
    print(_common.load())
    for name, fwd, ours, ratio in rows:
        verdict = "ok" if ratio <= 3 else "MISSED"
        print(f"  {name:5s} module fwd+bwd {fwd * 1000:7.1f} ms   hidden_grad_norms "
              f"{ours * 1000:7.1f} ms   ratio {ratio:5.2f}x  (goal <= 3x) {verdict}")
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
