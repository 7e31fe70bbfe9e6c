"""Checkpoints: a model saved with its config and task, loaded ready without guessing.

A checkpoint is a plain dict saved by ``torch.save``: ``{"format": 1, "config": asdict(config),
"task": name, "state_dict": ..., "meta": {...}}``. Shipped checkpoints are listed in
``assets/checkpoints/manifest.json`` and remade by ``python -m engine.pretrain``.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import torch

from .charlm import CharConfig, CharModel
from .models import ModelConfig, TopologyModel
from .seeding import empty
from .seq2seq import Seq2Seq, Seq2SeqConfig

__all__ = ["CHECKPOINT_DIR", "load_checkpoint", "manifest", "save_checkpoint"]

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "assets" / "checkpoints"


def save_checkpoint(path: str | Path, model: TopologyModel | CharModel | Seq2Seq, task: str,
                    **meta) -> None:
    kind = ("char" if isinstance(model, CharModel)
            else "seq2seq" if isinstance(model, Seq2Seq) else "topology")
    torch.save({"format": 1, "kind": kind, "config": asdict(model.config), "task": task,
                "state_dict": model.state_dict(), "meta": meta}, path)


def load_checkpoint(path: str | Path) -> TopologyModel | CharModel | Seq2Seq:
    """The saved model, in eval mode; ``model.task`` names its task, ``model.meta`` the rest."""
    data = torch.load(path, map_location="cpu", weights_only=True)
    kind = data.get("kind")
    if kind == "char":
        model = empty(lambda: CharModel(CharConfig(**data["config"])))
    elif kind == "seq2seq":
        model = empty(lambda: Seq2Seq(Seq2SeqConfig(**data["config"])))
    else:
        model = empty(lambda: TopologyModel(ModelConfig(**data["config"])))
    model.load_state_dict(data["state_dict"])
    model.task = data["task"]
    model.meta = data.get("meta", {})
    return model.eval()


def manifest(directory: str | Path = CHECKPOINT_DIR) -> list[dict]:
    """The entries of ``manifest.json`` (file, task, cell, attention, hidden_size, ...)."""
    path = Path(directory) / "manifest.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())["checkpoints"]
