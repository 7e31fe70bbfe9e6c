"""Remake the shipped checkpoints of the Seq2seq-vs-attention tab and their manifest entries.

    python -m engine.pretrain_seq2seq        # about 4 minutes on one core

Every model is trained by ``engine.seq2seq`` from the same recipe (``SEQ2SEQ_RECIPE`` in
``engine.recipes``: lengths 5-20, the same steps, batch, learning rate and data seed). Each pair
(without / with attention) is one ``pair_train_job``: identical batches, in the same order, for
both. Each entry stores the held-out per-token accuracy and the curves the tab draws first
(accuracy by source length and by output position), so the first view needs no computation.
Entries of other tabs are kept.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, replace

import torch

from .checkpoints import CHECKPOINT_DIR, save_checkpoint
from .recipes import LONGER, WIDENING, seq2seq_checkpoint_name
from .recipes import SEQ2SEQ_DESCRIPTIONS as DESCRIPTIONS
from .recipes import SEQ2SEQ_HIDDEN as HIDDEN
from .recipes import SEQ2SEQ_RECIPE as RECIPE
from .seq2seq import (
    PairTrainRequest,
    Seq2SeqConfig,
    Seq2SeqTrainConfig,
    accuracy_by_length,
    accuracy_by_position,
    build_seq2seq,
    eval_lengths,
    held_out_accuracy,
    model_from_state,
    pair_train_job,
    seq2seq_train_steps,
)


def _entry(file: str, cfg: Seq2SeqConfig, train: Seq2SeqTrainConfig, accuracy: float,
           by_length: list[float], by_position: list[float], note: str = "") -> dict:
    return {
        "file": file, "task": train.task, "topology": "encoder_decoder", "cell": cfg.cell,
        "attention": cfg.attention, "hidden_size": cfg.hidden_size, "num_layers": 1,
        "bidirectional": cfg.bidirectional, "train_lengths": [train.min_len, train.max_len],
        "accuracy": round(accuracy, 1),
        "metric": "per token (greedy decoding), held-out sources of the trained lengths",
        "train_steps": train.steps, "description": DESCRIPTIONS[cfg.attention] + note,
        "by_length": {"lengths": eval_lengths(train), "accuracy": [round(a, 1) for a in
                                                                  by_length]},
        "by_position": {"length": train.max_len, "accuracy": [round(a, 1) for a in by_position]},
    }


def _save(model, file: str, train: Seq2SeqTrainConfig, accuracy: float) -> None:
    save_checkpoint(CHECKPOINT_DIR / file, model, train.task, train=asdict(train),
                    accuracy=accuracy)


def make_pair(task: str, attention: str = "additive", hidden: int = HIDDEN) -> list[dict]:
    """The plain model and the attention model, trained on identical data as one job."""
    train = replace(RECIPE, task=task)
    plain = Seq2SeqConfig(hidden_size=hidden)
    attended = replace(plain, attention=attention)
    t0 = time.perf_counter()
    gen = pair_train_job(PairTrainRequest(plain, attended, train))
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        result = stop.value
    entries = []
    for key, cfg in (("plain", plain), ("attention", attended)):
        r = result[key]
        file = seq2seq_checkpoint_name(task, cfg)
        _save(model_from_state(cfg, r["state_dict"]), file, train, r["accuracy"])
        entries.append(_entry(file, cfg, train, r["accuracy"], r["by_length"], r["by_position"]))
        print(f"{file:32s} {r['accuracy']:6.1f}%  {time.perf_counter() - t0:5.1f}s", flush=True)
    return entries


def make_one(task: str, cfg: Seq2SeqConfig, train: Seq2SeqTrainConfig, prefix: str = "",
             note: str = "") -> dict:
    t0 = time.perf_counter()
    model = build_seq2seq(cfg, seed=0)
    for _ in seq2seq_train_steps(model, train):
        pass
    acc = held_out_accuracy(model, task, (train.min_len, train.max_len))
    file = seq2seq_checkpoint_name(task, cfg, prefix)
    _save(model, file, train, acc)
    print(f"{file:32s} {acc:6.1f}%  {time.perf_counter() - t0:5.1f}s", flush=True)
    return _entry(file, cfg, train, acc, accuracy_by_length(model, task, eval_lengths(train)),
                  accuracy_by_position(model, task, train.max_len), note)


def main() -> None:
    torch.set_num_threads(1)
    CHECKPOINT_DIR.mkdir(parents=True, exist_ok=True)
    ours = make_pair("reverse") + make_pair("copy")
    # Luong attention over a bidirectional encoder (each h_j reads both ways, as in Bahdanau et
    # al.'s RNNsearch): with a one-way encoder the reversal's alignment sits one position off
    # the mirror (h_(j+1) still holds x_j); with both directions it lies on the mirror.
    for task in ("reverse", "copy"):
        ours.append(make_one(task, Seq2SeqConfig(hidden_size=HIDDEN, attention="dot",
                                                 bidirectional=True), replace(RECIPE, task=task),
                             note=", bidirectional encoder with a bridge: Luong's general "
                                  "score s_t^T W_k h_j"))
    for h in WIDENING:
        ours.append(make_one("reverse", Seq2SeqConfig(hidden_size=h), RECIPE, prefix="widen_"))
    ours.append(make_one("reverse", Seq2SeqConfig(hidden_size=HIDDEN),
                         replace(RECIPE, steps=LONGER), prefix="longer_",
                         note=f" (trained {LONGER} steps, twice the others)"))
    path = CHECKPOINT_DIR / "manifest.json"
    entries = json.loads(path.read_text())["checkpoints"] if path.exists() else []
    names = {e["file"] for e in ours}
    entries = [e for e in entries if e["file"] not in names] + ours
    path.write_text(json.dumps({"checkpoints": entries}, indent=1) + "\n")


if __name__ == "__main__":
    main()
