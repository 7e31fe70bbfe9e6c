"""The engine's import boundary, limits, tasks, training and checkpoints."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from engine import (
    CELLS,
    TASKS,
    LimitError,
    ModelConfig,
    TaskInputError,
    TrainConfig,
    build_model,
    evaluate,
    load_checkpoint,
    manifest,
    train_steps,
)
from engine.charlm import teacher_forced
from engine.checkpoints import CHECKPOINT_DIR
from engine.models import AutoregressiveError
from engine.seq2seq import SEQ2SEQ_TASKS


def test_engine_does_not_import_gradio():
    code = "import sys, engine; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("name", list(TASKS))
def test_tasks_are_seeded_and_right(name):
    task = TASKS[name]
    a = task.sample(torch.Generator().manual_seed(3), 8)
    b = task.sample(torch.Generator().manual_seed(3), 8)
    assert torch.equal(a.x, b.x) and torch.equal(a.y, b.y)
    assert task.min_len <= a.x.shape[1] <= task.max_len + 1
    assert a.x.shape[-1] == task.input_size and torch.all(a.x.sum(-1) == 1)  # one-hot


def test_task_rules():
    assert TASKS["next_digit"].solve(["9"]) == ["0"]
    assert TASKS["countdown"].solve(["3"]) == ["3", "2", "1", "<end>"]
    assert TASKS["running_max"].solve(list("3152")) == list("3355")
    assert TASKS["dedupe"].solve(list("11223")) == ["1", "2", "3", "<end>"]
    parens = TASKS["parens"]
    # order matters: the same symbols in another order get another label
    assert parens.solve(list("()")) == ["balanced"]
    assert parens.solve(list(")(")) == ["unbalanced"]


def test_parens_data_is_half_balanced():
    task = TASKS["parens"]
    b = task.sample(torch.Generator().manual_seed(0), 400, 8)
    share = b.y.float().mean().item()
    assert 0.35 < share < 0.75


@pytest.mark.parametrize("text,kind", [("", "empty"), ("12a", "vocab"), ("1" * 17, "length")])
def test_task_input_errors(text, kind):
    with pytest.raises(TaskInputError) as e:
        TASKS["running_max"].parse(text)
    assert e.value.kind == kind


@pytest.mark.parametrize("field,value", [("hidden_size", 4096), ("num_layers", 9),
                                          ("hidden_size", 0), ("hidden_size", "big"),
                                          ("dropout", 1.5)])
def test_model_limits_name_the_field(field, value):
    with pytest.raises(LimitError, match=field):
        ModelConfig(**{field: value}).check()


def test_autoregressive_models_refuse_bidirectional():
    with pytest.raises(AutoregressiveError):
        ModelConfig(topology="one_to_many", bidirectional=True).check()
    ModelConfig(topology="encoder_decoder", bidirectional=True).check()  # the encoder may


@pytest.mark.parametrize("field,value", [("steps", 10**6), ("batch_size", 10**4), ("lr", 5.0),
                                          ("steps", 2.5)])
def test_train_limits(field, value):
    with pytest.raises(LimitError, match=field):
        TrainConfig(**{field: value}).check()


def test_same_seed_same_run():
    task = TASKS["parens"]
    cfg = ModelConfig.for_task(task, cell="gru", hidden_size=8)
    runs = [[m.loss for m in train_steps(build_model(cfg, 1), task, TrainConfig(steps=15))]
            for _ in range(2)]
    assert runs[0] == runs[1]


def test_clipping_bounds_the_update_and_reports_the_norm_before():
    task = TASKS["running_max"]
    model = build_model(ModelConfig.for_task(task, hidden_size=16), 0)
    metrics = list(train_steps(model, task, TrainConfig(steps=5, clip=0.01, lr=1e-3)))
    for m in metrics:
        assert m.grad_norm > 0.01  # the raw norm is reported...
        assert m.grad_norm_clipped == pytest.approx(0.01, rel=1e-3)  # ...and the clipped one


def test_truncated_bptt_stops_gradients_at_chunk_boundaries():
    task = TASKS["running_max"]
    cfg = ModelConfig.for_task(task, hidden_size=8)
    full = list(train_steps(build_model(cfg, 0), task, TrainConfig(steps=1, lr=1e-6)))[0]
    trunc = list(train_steps(build_model(cfg, 0), task, TrainConfig(steps=1, lr=1e-6, tbptt=2)))
    # same data, same weights, same loss; only the gradient differs
    assert trunc[0].loss == pytest.approx(full.loss, rel=1e-5)
    assert trunc[0].grad_norm != pytest.approx(full.grad_norm, rel=1e-4)
    with pytest.raises(LimitError, match="tbptt"):
        next(train_steps(build_model(ModelConfig.for_task(TASKS["parens"]), 0), TASKS["parens"],
                         TrainConfig(steps=1, tbptt=2)))


@pytest.mark.slow
def test_training_learns_running_max():
    task = TASKS["running_max"]
    model = build_model(ModelConfig.for_task(task, cell="gru", hidden_size=16), 0)
    before = evaluate(model, task, n=128)
    metrics = list(train_steps(model, task, TrainConfig(steps=150)))
    assert metrics[-1].loss < metrics[0].loss / 3
    assert evaluate(model, task, n=128) > max(80.0, before + 30)


@pytest.mark.assets
def test_manifest_lists_a_checkpoint_for_every_topology_and_cell():
    entries = manifest()
    have = {(e["topology"], e["cell"]) for e in entries if e.get("topology")}
    assert have == {(t.topology, c) for t in TASKS.values() for c in CELLS}
    for e in entries:
        assert (CHECKPOINT_DIR / e["file"]).exists()
        assert {"file", "task", "cell", "attention", "hidden_size", "train_lengths", "accuracy",
                "description"} <= set(e)


@pytest.mark.assets
@pytest.mark.slow
@pytest.mark.parametrize("entry", [e for e in manifest() if e["task"] not in SEQ2SEQ_TASKS],
                         ids=lambda e: e["file"])  # seq2seq models: tests/engine/test_seq2seq.py
def test_shipped_checkpoints_reach_their_manifest_accuracy(entry):
    model = load_checkpoint(CHECKPOINT_DIR / entry["file"]).model
    assert not model.training
    assert model.config.hidden_size == entry["hidden_size"]
    if entry["task"].startswith("char_"):  # a character model of one text: its own text
        text = model.config.text
        preds, _ = teacher_forced(model, text[:-1])
        acc = 100.0 * sum(p == c for p, c in zip(preds, text[1:])) / len(preds)
        assert acc == pytest.approx(entry["accuracy"], abs=0.1)
        return
    # fresh examples (another seed than the manifest's), within a few points
    acc = evaluate(model, TASKS[entry["task"]], n=512, seed=777)
    assert acc >= entry["accuracy"] - 4.0


def test_the_recipes_name_every_shipped_checkpoint_and_the_scripts_read_them():
    """engine.recipes is the data the pretraining scripts train from (and the app reads): the
    files they would write are exactly the manifest's."""
    import engine.pretrain
    import engine.pretrain_seq2seq
    from engine import recipes as R
    from engine.seq2seq import Seq2SeqConfig

    names = {R.checkpoint_name(t, c, R.RECIPES[t][0]) for t in R.RECIPES for c in CELLS}
    names |= {R.char_checkpoint_name(c) for c in CELLS} | {R.char_checkpoint_name("rnn",
                                                                                R.CHAR_EARLY)}
    H = R.SEQ2SEQ_HIDDEN
    for task in ("reverse", "copy"):
        names |= {R.seq2seq_checkpoint_name(task, Seq2SeqConfig(hidden_size=H, attention=a,
                                                                bidirectional=a == "dot"))
                  for a in (None, "additive", "dot")}
    names |= {R.seq2seq_checkpoint_name("reverse", Seq2SeqConfig(hidden_size=h), "widen_")
              for h in R.WIDENING}
    names.add(R.seq2seq_checkpoint_name("reverse", Seq2SeqConfig(hidden_size=H), "longer_"))
    assert names == {e["file"] for e in manifest()}
    assert engine.pretrain.RECIPES is R.RECIPES and engine.pretrain.checkpoint_name is \
        R.checkpoint_name
    assert engine.pretrain_seq2seq.RECIPE is R.SEQ2SEQ_RECIPE


def test_a_new_task_is_data_its_rule_and_its_inputs():
    """Tasks are a registry of (rule, inputs): one more needs no branch in the engine."""
    import torch

    from engine.tasks import DIGITS, Task

    def copy_rule(symbols):
        return list(symbols)

    def digits(gen, length):
        return [DIGITS[int(torch.randint(0, 10, (1,), generator=gen))] for _ in range(length)]

    task = Task("copy", "many_to_many", DIGITS, DIGITS, 2, 5, 5, copy_rule, digits)
    batch = task.sample(torch.Generator().manual_seed(0), 8, length=4)
    assert batch.x.shape == (8, 4, 10)
    assert torch.equal(batch.y, batch.x.argmax(-1))  # the rule, applied to every input
    assert task.solve(["3", "1"]) == ["3", "1"] and task.all_inputs() is None
