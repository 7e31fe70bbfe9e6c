"""Checkpoints: a model saved with its config and task, loaded ready without guessing.

A checkpoint is a plain dict saved by ``torch.save``: ``{"format": 1, "config": asdict(config),
"task": name, "state_dict": ..., "meta": {...}}``. Shipped checkpoints are listed in
``assets/checkpoints/manifest.json`` and remade by ``python -m engine.pretrain``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from .charlm import CharConfig, CharModel
from .models import ModelConfig, TopologyModel
from .seeding import empty
from .seq2seq import Seq2Seq, Seq2SeqConfig

__all__ = ["CHECKPOINT_DIR", "Checkpoint", "load_checkpoint", "manifest", "save_checkpoint"]

CHECKPOINT_DIR = Path(__file__).resolve().parent.parent / "assets" / "checkpoints"


# a checkpoint's "kind" -> its model class and config class (older files without a kind hold a
# topology model)
MODEL_KINDS: dict[str, tuple[type, type]] = {
    "topology": (TopologyModel, ModelConfig),
    "char": (CharModel, CharConfig),
    "seq2seq": (Seq2Seq, Seq2SeqConfig),
}


def save_checkpoint(path: str | Path, model: TopologyModel | CharModel | Seq2Seq, task: str,
                    **meta) -> None:
    kind = next(k for k, (cls, _) in MODEL_KINDS.items() if isinstance(model, cls))
    torch.save({"format": 1, "kind": kind, "config": asdict(model.config), "task": task,
                "state_dict": model.state_dict(), "meta": meta}, path)


@dataclass(frozen=True)
class Checkpoint:
    """A loaded checkpoint: the model (in eval mode), the name of its task, and what its
    training recorded (``meta``: accuracy, steps, loss, ...)."""

    model: TopologyModel | CharModel | Seq2Seq
    task: str
    meta: dict = field(default_factory=dict)


def load_checkpoint(path: str | Path) -> Checkpoint:
    """The saved model, ready in eval mode, with its task and what its training recorded."""
    data = torch.load(path, map_location="cpu", weights_only=True)
    cls, config = MODEL_KINDS.get(data.get("kind"), MODEL_KINDS["topology"])
    model = empty(lambda: cls(config(**data["config"])))
    model.load_state_dict(data["state_dict"])
    return Checkpoint(model.eval(), data["task"], data.get("meta", {}))


def manifest(directory: str | Path = CHECKPOINT_DIR) -> list[dict]:
    """The entries of ``manifest.json`` (file, task, cell, attention, hidden_size, ...)."""
    path = Path(directory) / "manifest.json"
    if not path.exists():
        return []
    return json.loads(path.read_text())["checkpoints"]
