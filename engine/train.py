"""Training as a generator: each ``next()`` is one optimizer step and yields its metrics.

The loop knows nothing of tasks, threads or UIs (as minGPT's trainer knows nothing of GPT): a
caller can stop it at any step, draw a plot between steps, or run it in a background job.

Every trainer of the engine steps through :func:`train_step`, the one place where a gradient is
taken, measured, clipped and applied:

- :func:`optimize` is the loop for one model: ``train_steps`` here (the topologies),
  ``charlm.train_char_steps`` and ``seq2seq.seq2seq_train_steps``;
- models trained side by side on the very same batch call :func:`train_step` once each per batch:
  the race's four racers (``race.race_steps``) and the seq2seq pair (``seq2seq.pair_train_job``).
  One loop per model stepped together through ``zip`` would need the batches copied for each
  (``itertools.tee``) and would hide that every model sees the batch drawn once for the step; a
  plain ``for`` over the batches that calls the step for each model says so in one line.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import torch
from torch import Tensor, nn

from .config import TRAIN
from .jobs import as_request
from .limits import LimitError
from .models import ModelConfig, TopologyModel, build_model
from .seeding import generator
from .tasks import IGNORE, Batch, Task, get_task

__all__ = ["StepMetrics", "TrainConfig", "TrainRequest", "Update", "evaluate", "optimize",
           "train_job", "train_step", "train_steps"]


# -- the one training step ------------------------------------------------------------------------
@dataclass(frozen=True)
class Update:
    """What one optimizer step did (see :func:`train_step`)."""

    loss: float                      # the loss of the batch, as a number (inf or NaN left as is)
    extra: tuple                     # everything else loss_fn returned (logits, hit counts, ...)
    grad_norm: float | None          # ||g|| before clipping; None: stopped before the backward
    grad_norm_clipped: float | None  # ... and after (equal when clipping is off or did not fire)
    clipped: bool                    # clipping fired: ||g|| was above ``clip``
    stepped: bool                    # the weights were updated (False: see ``stop_nonfinite``)


# What a loss function gives back: the loss, or a tuple (loss, anything else the caller needs).
LossFn = Callable[[Any], "Tensor | tuple"]


def train_step(params: list[nn.Parameter], opt: torch.optim.Optimizer, loss_fn: LossFn,
               batch: Any, *, clip: float | None = None, backward: bool = True,
               norm64: bool = False, stop_nonfinite: bool = False) -> Update:
    """One optimizer step on one batch:

        L, *extra = loss_fn(batch)                 the forward pass
        g = dL/dtheta                              L.backward() (``backward=False``: loss_fn
                                                   has done it, as truncated BPTT does by chunks)
        if ||g|| > clip:  g <- clip * g / ||g||    (Pascanu et al. 2013, Algorithm 1)
        theta <- opt.step()                        (Adam, SGD, ...)

    ||g|| is the norm of every parameter's gradient together. Clipping rescales the whole
    gradient by one factor: it bounds the size of the update and keeps its direction.

    How ||g|| is measured: by default ``torch.nn.utils.clip_grad_norm_`` (in the gradients' own
    dtype, float32 for the engine's models; its factor is clip / (||g|| + 1e-6)), and
    ``grad_norm_clipped`` measured again afterwards. With ``norm64``,
    summed in float64 (float32 squares overflow past 1e19: a run allowed to explode needs this)
    with the exact factor clip / ||g||. With ``stop_nonfinite``, a loss or a gradient that is
    inf or NaN stops the step before it touches the weights (``stepped`` False).
    """
    opt.zero_grad(set_to_none=True)
    out = loss_fn(batch)
    loss, *extra = out if isinstance(out, tuple) else (out,)
    value = loss.item()
    if stop_nonfinite and not math.isfinite(value):
        return Update(value, tuple(extra), None, None, False, False)
    if backward:
        loss.backward()
    grads = [p.grad for p in params if p.grad is not None]
    before, after, clipped = (_clip_float64 if norm64 else _clip_torch)(params, grads, clip)
    if stop_nonfinite and not math.isfinite(before):  # an inf or NaN gradient: don't step on it
        return Update(value, tuple(extra), before, after, False, False)
    opt.step()
    return Update(value, tuple(extra), before, after, clipped, True)


def optimize(params: Iterable[nn.Parameter], opt: torch.optim.Optimizer, batches: Iterable,
             loss_fn: LossFn, **step_options: Any) -> Iterator[Update]:
    """The training loop: one :func:`train_step` per batch, each yielded as it is done.

    ``batches`` is drawn lazily, one batch per step, so a seeded generator of batches draws in
    the same order however the loop is consumed or stopped. ``step_options`` go to train_step.
    """
    params = list(params)
    for batch in batches:
        yield train_step(params, opt, loss_fn, batch, **step_options)


def _clip_torch(params: list[nn.Parameter], grads: list[Tensor], clip: float | None
            ) -> tuple[float, float, bool]:
    """||g|| by torch's clip_grad_norm_ (which returns the norm *before* clipping; with no clip
    it only measures), then the norm after."""
    norm = float(torch.nn.utils.clip_grad_norm_(params, clip if clip is not None else math.inf))
    after = float(torch.linalg.vector_norm(torch.stack(
        [torch.linalg.vector_norm(g) for g in grads]))) if grads else 0.0
    return norm, after, clip is not None and norm > clip


def _clip_float64(params: list[nn.Parameter], grads: list[Tensor], clip: float | None
            ) -> tuple[float, float, bool]:
    """||g|| in float64, and g <- clip * g / ||g|| when ||g|| > clip (an inf or NaN norm is
    returned as it is, nothing clipped)."""
    norm = total_norm(grads)
    if not math.isfinite(norm) or clip is None or norm <= clip:
        return norm, norm, False
    for g in grads:
        g.mul_(clip / norm)
    return norm, total_norm(grads), True


def total_norm(grads: list[Tensor]) -> float:
    """||g|| over every parameter together, in float64 (float32 squares overflow past 1e19)."""
    return math.sqrt(sum(float(g.double().pow(2).sum()) for g in grads))


# -- the topologies' trainer ----------------------------------------------------------------------
@dataclass(frozen=True)
class TrainConfig:
    steps: int = TRAIN.steps.default  # optimizer steps
    batch_size: int = TRAIN.batch_size.default  # sequences per step
    lr: float = TRAIN.lr.default  # Adam learning rate
    # max total gradient norm (Pascanu et al. 2013), None = off
    clip: float | None = TRAIN.clip.default
    # truncated BPTT chunk length (aligned many-to-many only)
    tbptt: int | None = TRAIN.tbptt.default
    seed: int = TRAIN.seed.default  # data order; the model's init has its own seed

    def check(self) -> TrainConfig:
        TRAIN.check_fields(self)
        return self


@dataclass(frozen=True)
class StepMetrics:
    step: int             # 1-based optimizer step
    loss: float           # mean cross-entropy over the batch's target tokens
    accuracy: float       # fraction of target tokens predicted right (teacher-forced)
    grad_norm: float      # total gradient norm before clipping
    grad_norm_clipped: float  # ... and after (equal when clipping is off or did not fire)


_cross_entropy = nn.CrossEntropyLoss(ignore_index=IGNORE)


def _loss_and_hits(logits: Tensor, y: Tensor) -> tuple[Tensor, int, int]:
    logits = logits.reshape(-1, logits.shape[-1])
    y = y.reshape(-1)
    mask = y != IGNORE
    hits = int((logits.argmax(-1)[mask] == y[mask]).sum())
    return _cross_entropy(logits, y), hits, int(mask.sum())


def train_steps(model: TopologyModel, task: Task, cfg: TrainConfig) -> Iterator[StepMetrics]:
    """Train ``model`` on ``task`` with Adam, one yielded StepMetrics per step.

    Loss: mean cross-entropy per target token. With ``clip``, the whole gradient g is rescaled
    to clip * g / ||g|| when ||g|| > clip (one factor for every parameter). With ``tbptt = k``,
    the sequence is cut into chunks of k steps: the hidden state is carried over, detached, so
    gradients stop at each boundary; the chunks' gradients add up to one update.
    """
    cfg.check()
    if cfg.tbptt is not None and task.topology != "many_to_many":
        raise LimitError("tbptt", cfg.tbptt, expected="None: truncated BPTT applies only to "
                         "aligned many-to-many models")
    gen = generator(cfg.seed)
    if model.config.dropout > 0 and model.config.num_layers > 1:
        # nn.RNN's dropout between layers draws from torch's global generator and takes no
        # other: seed it from the run, so the same seed gives the same run. Jobs run in worker
        # processes of their own (engine.jobs), where that generator is the job's alone.
        torch.manual_seed(int(torch.randint(0, 2**62, (1,), generator=gen)))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    batches = (task.sample(gen, cfg.batch_size) for _ in range(cfg.steps))
    if cfg.tbptt is None:
        def loss_fn(batch: Batch) -> tuple[Tensor, int, int]:
            return _loss_and_hits(model(batch), batch.y)
    else:
        def loss_fn(batch: Batch) -> tuple[Tensor, int, int]:
            return _tbptt_backward(model, batch, cfg.tbptt)
    model.train()
    updates = optimize(model.parameters(), opt, batches, loss_fn, clip=cfg.clip,
                       backward=cfg.tbptt is None)
    for step, u in enumerate(updates, 1):
        hits, n = u.extra
        yield StepMetrics(step, u.loss, hits / max(n, 1), u.grad_norm, u.grad_norm_clipped)
    model.eval()


def _tbptt_backward(model: TopologyModel, batch: Batch, k: int) -> tuple[Tensor, int, int]:
    """Forward and backward through chunks of k steps, carrying the state forward detached:
    the gradients of the chunks add up in the parameters' ``.grad``; returns the mean loss (a
    number, already back-propagated), the hits and the count of target tokens."""
    T = batch.x.shape[1]
    state = None
    total, hits, n = 0.0, 0, 0
    for t0 in range(0, T, k):
        output, state = model.rnn(batch.x[:, t0:t0 + k], state)
        # Truncation: the next chunk starts from this state's value but not its history.
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        loss, h, m = _loss_and_hits(model.head(output), batch.y[:, t0:t0 + k])
        (loss * m / batch.y.numel()).backward()
        total += loss.item() * m
        hits, n = hits + h, n + m
    return torch.tensor(total / max(n, 1)), hits, n


@torch.no_grad()
def evaluate(model: TopologyModel, task: Task, n: int = 512, seed: int = 12345) -> float:
    """Accuracy in percent on ``n`` fresh examples from a held-out seed, or, for a task with
    so few inputs that training sees them all (``task.all_inputs()``: the one-digit tasks), on
    every possible input once: such a task has no held-out input to test on.

    Classification and aligned outputs: per-token accuracy. Generated outputs: the share of
    examples whose greedy decoding (each step reading its own previous output, stopping at the
    end token) equals the target exactly.
    """
    was_training = model.training
    model.eval()
    gen = generator(seed)
    right = total = 0
    everything = task.all_inputs()
    per_len = max(1, n // (task.max_len - task.min_len + 1))
    batches = ([task.make_batch(everything)] if everything is not None else
               (task.sample(gen, per_len, length)
                for length in range(task.min_len, task.max_len + 1)))
    for batch in batches:
        pred = model.predict(batch.x, task)
        if task.generates:
            for p, y in zip(pred.tolist(), batch.y.tolist()):
                y = [t for t in y if t != IGNORE]
                p = p[:p.index(task.end_id) + 1] if task.end_id in p else p
                right += p == y
                total += 1
        else:
            right += int((pred == batch.y).sum())
            total += batch.y.numel()
    model.train(was_training)
    return 100.0 * right / total


@dataclass(frozen=True)
class TrainRequest:
    """What ``train_job`` runs: hashable and picklable (see ``engine.jobs``)."""

    task: str                      # a name of ``TASKS``
    model: ModelConfig
    train: TrainConfig
    init_seed: int = 0             # the model's initial weights (the data has train.seed)

    @property
    def steps(self) -> int:
        """The run's length, as every job request says it (``snap.request.steps``)."""
        return self.train.steps


def train_job(request: TrainRequest | str, *args: Any, **kwargs: Any) -> Iterator[StepMetrics]:
    """A whole training run as a job (see ``engine.jobs``): yields each step's metrics and
    returns ``{"state_dict": bytes, "accuracy": percent}`` (see :func:`evaluate`: on held-out
    examples, or on every possible input for the one-digit tasks).

    Called as ``train_job(TrainRequest(task, model, train, init_seed))``; the older positional
    form ``train_job(task_name, config, train, init_seed=0)`` still works.
    """
    request = as_request(TrainRequest, request, *args, **kwargs)
    task = get_task(request.task)
    model = build_model(request.model, seed=request.init_seed)
    yield from train_steps(model, task, request.train)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return {"state_dict": buf.getvalue(), "accuracy": evaluate(model, task)}
