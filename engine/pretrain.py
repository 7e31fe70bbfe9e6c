"""Remake the shipped checkpoints of the Topologies tab and their manifest entries.

    python -m engine.pretrain            # all of them (a few minutes on one core)
    python -m engine.pretrain char       # only the character models (seconds)

One small model per topology and cell, trained by the project's own ``train_steps`` from fixed
seeds, evaluated on held-out examples (on every possible input for the one-digit tasks, whose
inputs all appear in training; see ``engine.train.evaluate``), saved with its config to
``assets/checkpoints/`` and listed in ``manifest.json`` (entries of other tabs are kept). The
recipes themselves (sizes, steps, seeds, names) are data, in ``engine.recipes``.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import asdict

import torch

from .charlm import CharConfig, build_char_model, teacher_forced, train_char_steps
from .checkpoints import CHECKPOINT_DIR, save_checkpoint
from .models import CELLS, ModelConfig, build_model
from .recipes import (  # the recipes are data the app reads too; here they are trained
    CHAR_EARLY,
    CHAR_HIDDEN,
    CHAR_LR,
    CHAR_SEED,
    CHAR_STEPS,
    CHAR_TEXT,
    DESCRIPTIONS,
    OVERRIDES,
    RECIPES,
    char_checkpoint_name,
    checkpoint_name,
)
from .tasks import TASKS
from .train import TrainConfig, evaluate, train_steps


def make(task_name: str, cell: str) -> dict:
    task = TASKS[task_name]
    hidden_size, steps = RECIPES[task_name]
    config = ModelConfig.for_task(task, cell=cell, hidden_size=hidden_size)
    options = {"lr": 0.01, **OVERRIDES.get((task_name, cell), {})}
    train = TrainConfig(steps=steps, batch_size=32, seed=0, **options)
    model = build_model(config, seed=0)
    t0 = time.perf_counter()
    losses = [m.loss for m in train_steps(model, task, train)]
    accuracy = evaluate(model, task)
    name = checkpoint_name(task_name, cell, hidden_size)
    save_checkpoint(CHECKPOINT_DIR / name, model, task_name, train=asdict(train),
                    losses=losses[:: max(1, len(losses) // 100)], accuracy=accuracy)
    print(f"{name:32s} {accuracy:6.1f}%  {time.perf_counter() - t0:5.1f}s", flush=True)
    return {
        "file": name, "task": task_name, "topology": task.topology, "cell": cell,
        "attention": None, "hidden_size": hidden_size, "num_layers": 1,
        "train_lengths": [task.min_len, task.max_len], "accuracy": round(accuracy, 1),
        "metric": "exact sequence (greedy decoding)" if task.generates else "per token",
        "train_steps": steps, "description": DESCRIPTIONS[task_name],
    }


def make_char(cell: str, steps: int = CHAR_STEPS) -> dict:
    config = CharConfig(text=CHAR_TEXT, cell=cell, hidden_size=CHAR_HIDDEN)
    model = build_char_model(config, seed=CHAR_SEED)
    losses = [m.loss for m in train_char_steps(model, steps, CHAR_LR)]
    preds, _ = teacher_forced(model, CHAR_TEXT[:-1])
    accuracy = 100.0 * sum(p == c for p, c in zip(preds, CHAR_TEXT[1:])) / len(preds)
    early = steps != CHAR_STEPS
    name = char_checkpoint_name(cell, steps)
    save_checkpoint(CHECKPOINT_DIR / name, model, CHAR_TEXT, losses=losses, accuracy=accuracy,
                    train={"steps": steps, "lr": CHAR_LR, "seed": CHAR_SEED})
    print(f"{name:32s} {accuracy:6.1f}%", flush=True)
    return {
        "file": name, "task": "char_" + CHAR_TEXT, "topology": None, "cell": cell,
        "attention": None, "hidden_size": CHAR_HIDDEN, "num_layers": 1,
        "train_lengths": [len(CHAR_TEXT), len(CHAR_TEXT)], "accuracy": round(accuracy, 1),
        "metric": "next character, teacher-forced, on the training text", "train_steps": steps,
        "description": f"character model of '{CHAR_TEXT}' (reads 'hell', predicts 'ello')"
                       + (f", after only {steps} steps" if early else ""),
    }


def main() -> None:
    torch.set_num_threads(1)
    CHECKPOINT_DIR.mkdir(parents=True, exist_ok=True)
    path = CHECKPOINT_DIR / "manifest.json"
    entries = json.loads(path.read_text())["checkpoints"] if path.exists() else []
    only = sys.argv[1:]  # e.g. "char" to remake only the character models
    ours = []
    if not only or "topology" in only:
        ours += [make(t, c) for t in RECIPES for c in CELLS]
    if not only or "char" in only:
        ours += [make_char(c) for c in CELLS] + [make_char("rnn", CHAR_EARLY)]
    names = {e["file"] for e in ours}
    entries = [e for e in entries if e["file"] not in names] + ours
    entries.sort(key=lambda e: (e["task"].startswith("char"), e["file"]))
    path.write_text(json.dumps({"checkpoints": entries}, indent=1) + "\n")


if __name__ == "__main__":
    main()
