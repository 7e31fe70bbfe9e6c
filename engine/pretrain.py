"""Remake the shipped checkpoints of the Topologies tab and their manifest entries.

    python -m engine.pretrain            # all of them (a few minutes on one core)

One small model per topology and cell, trained by the project's own ``train_steps`` from fixed
seeds, evaluated on held-out examples, saved with its config to ``assets/checkpoints/`` and
listed in ``manifest.json`` (entries of other tabs in the manifest are kept).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import torch

from .checkpoints import CHECKPOINT_DIR, save_checkpoint
from .models import CELLS, ModelConfig, build_model
from .tasks import TASKS
from .train import TrainConfig, evaluate, train_steps

# task -> (hidden_size, training steps)
RECIPES = {
    "next_digit": (32, 300),
    "countdown": (32, 800),
    "parens": (32, 1200),
    "running_max": (32, 1000),
    "dedupe": (64, 3000),
}

DESCRIPTIONS = {
    "next_digit": "one-to-one: a digit in, the next digit out",
    "countdown": "one-to-many: a digit d in, 'd ... 1 <end>' out",
    "parens": "many-to-one: a string of brackets in, balanced or not out",
    "running_max": "many-to-many aligned: the largest digit so far, at every step",
    "dedupe": "encoder-decoder: digits in, repeats collapsed out, then <end>",
}


def checkpoint_name(task: str, cell: str, hidden_size: int) -> str:
    return f"{task}_{cell}_h{hidden_size}.pt"


def make(task_name: str, cell: str) -> dict:
    task = TASKS[task_name]
    hidden_size, steps = RECIPES[task_name]
    config = ModelConfig.for_task(task, cell=cell, hidden_size=hidden_size)
    train = TrainConfig(steps=steps, batch_size=32, lr=0.01, seed=0)
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


def main() -> None:
    torch.set_num_threads(1)
    CHECKPOINT_DIR.mkdir(parents=True, exist_ok=True)
    path = CHECKPOINT_DIR / "manifest.json"
    entries = json.loads(path.read_text())["checkpoints"] if path.exists() else []
    ours = [make(t, c) for t in RECIPES for c in CELLS]
    names = {e["file"] for e in ours}
    entries = ours + [e for e in entries if e["file"] not in names and e["task"] not in RECIPES]
    path.write_text(json.dumps({"checkpoints": entries}, indent=1) + "\n")


if __name__ == "__main__":
    main()
