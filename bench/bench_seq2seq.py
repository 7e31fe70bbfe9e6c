"""Training the shipped reversal recipe to 95% per-token accuracy, with and without attention.

Issue 5's benchmark: the shipped recipe (GRU, hidden 64, lengths 5-20, batch 64, Adam 0.003,
clip 1, seed 0), one thread. Every ``EVERY`` steps the model decodes 512 fresh sources of the
trained lengths greedily; the run stops at the first check at or above 95% per token. Wall time
counts the training steps only (the checks are timed apart). The additive (Bahdanau) model is
the one the tab shows; dot (Luong) attention and the plain encoder-decoder run beside it on the
same data. Goal: additive attention under 30 s.

    python bench/bench_seq2seq.py
"""

from __future__ import annotations

import time
from dataclasses import replace

import _common
import torch

from engine.recipes import SEQ2SEQ_HIDDEN as HIDDEN
from engine.recipes import SEQ2SEQ_RECIPE as RECIPE
from engine.seq2seq import (
    Seq2SeqConfig,
    build_seq2seq,
    held_out_accuracy,
    seq2seq_train_steps,
)

TARGET, EVERY, MAX_STEPS = 95.0, 50, 3000


def run(attention: str | None) -> tuple[int | None, float, float, float]:
    """(steps to TARGET or None, training seconds, seconds per step, last accuracy)."""
    model = build_seq2seq(Seq2SeqConfig(hidden_size=HIDDEN, attention=attention), seed=0)
    cfg = replace(RECIPE, steps=MAX_STEPS)
    train_time, acc, step = 0.0, 0.0, 0
    t0 = time.perf_counter()
    for step, _ in enumerate(seq2seq_train_steps(model, cfg), 1):
        if step % EVERY:
            continue
        train_time += time.perf_counter() - t0
        model.eval()
        acc = held_out_accuracy(model, "reverse", (cfg.min_len, cfg.max_len), n=512, seed=4242)
        model.train()
        if acc >= TARGET:
            return step, train_time, train_time / step, acc
        t0 = time.perf_counter()
    return None, train_time, train_time / max(step, 1), acc


def main() -> None:
    torch.set_num_threads(1)
    print(f"reverse, lengths {RECIPE.min_len}-{RECIPE.max_len}: steps and training time to "
          f"{TARGET:.0f}% per token (greedy, 512 fresh sources every {EVERY} steps), GRU "
          f"hidden {HIDDEN}, batch {RECIPE.batch_size}, 1 thread")
    print(_common.machine())
    print(_common.load())
    rows = {a: run(a) for a in ("additive", "dot", None)}
    base = rows["additive"][2]
    for a, (steps, secs, per, acc) in rows.items():
        name = a or "none"
        reached = f"{steps:5d} steps  {secs:6.1f} s" if steps else \
            f"not within {MAX_STEPS} steps ({acc:.1f}% at the end, {secs:.1f} s)"
        goal = ""
        if a == "additive":
            goal = "  (goal < 30 s) " + ("ok" if steps and secs < 30 else "MISSED")
        print(f"  attention {name:8s} {reached}   {per * 1000:5.1f} ms/step "
              f"({per / base:4.2f}x additive's){goal}")


if __name__ == "__main__":
    main()
