"""Training as a generator: each ``next()`` is one optimizer step and yields its metrics.

The loop knows nothing of threads or UIs (as minGPT's trainer knows nothing of GPT): a caller
can stop it at any step, draw a plot between steps, or run it in a background job.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import Tensor, nn

from .limits import LIMITS, LimitError, check_float, check_int
from .models import ModelConfig, TopologyModel, build_model
from .tasks import IGNORE, Batch, Task, get_task

__all__ = ["StepMetrics", "TrainConfig", "evaluate", "train_job", "train_steps"]


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 300               # optimizer steps
    batch_size: int = 32           # sequences per step
    lr: float = 0.01               # Adam learning rate
    clip: float | None = None      # max total gradient norm (Pascanu et al. 2013), None = off
    tbptt: int | None = None       # truncated BPTT chunk length (aligned many-to-many only)
    seed: int = 0                  # data order; the model's init has its own seed

    def check(self) -> TrainConfig:
        check_int("steps", self.steps, 1, LIMITS.max_steps)
        check_int("batch_size", self.batch_size, 1, LIMITS.max_batch_size)
        check_float("lr", self.lr, 1e-6, 1.0)
        if self.clip is not None:
            check_float("clip", self.clip, 1e-3, 1e3)
        if self.tbptt is not None:
            check_int("tbptt", self.tbptt, 1, LIMITS.max_seq_len)
        check_int("seed", self.seed, 0, 2**31 - 1)
        return self


@dataclass(frozen=True)
class StepMetrics:
    step: int             # 1-based optimizer step
    loss: float           # mean cross-entropy over the batch's target tokens
    accuracy: float       # fraction of target tokens predicted right (teacher-forced)
    grad_norm: float      # total gradient norm before clipping
    grad_norm_clipped: float  # ... and after (equal when clipping is off or did not fire)


_loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)


def _loss_and_hits(logits: Tensor, y: Tensor) -> tuple[Tensor, int, int]:
    logits = logits.reshape(-1, logits.shape[-1])
    y = y.reshape(-1)
    mask = y != IGNORE
    hits = int((logits.argmax(-1)[mask] == y[mask]).sum())
    return _loss_fn(logits, y), hits, int(mask.sum())


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
    gen = torch.Generator().manual_seed(cfg.seed)
    if model.config.dropout > 0 and model.config.num_layers > 1:
        # nn.RNN's dropout between layers draws from torch's global generator and takes no
        # other: seed it from the run, so the same seed gives the same run. Jobs run in worker
        # processes of their own (engine.jobs), where that generator is the job's alone.
        torch.manual_seed(int(torch.randint(0, 2**62, (1,), generator=gen)))
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    model.train()
    for step in range(1, cfg.steps + 1):
        batch = task.sample(gen, cfg.batch_size)
        opt.zero_grad(set_to_none=True)
        if cfg.tbptt is None:
            loss, hits, n = _loss_and_hits(model(batch), batch.y)
            loss.backward()
        else:
            loss, hits, n = _tbptt_backward(model, batch, cfg.tbptt)
        grads = [p.grad for p in model.parameters() if p.grad is not None]
        # clip_grad_norm_ returns the norm *before* clipping; with no clip we measure it alone.
        norm = float(torch.nn.utils.clip_grad_norm_(
            model.parameters(), cfg.clip if cfg.clip is not None else math.inf))
        after = float(torch.linalg.vector_norm(torch.stack(
            [torch.linalg.vector_norm(g) for g in grads]))) if grads else 0.0
        opt.step()
        yield StepMetrics(step, loss.item(), hits / max(n, 1), norm, after)
    model.eval()


def _tbptt_backward(model: TopologyModel, batch: Batch, k: int) -> tuple[Tensor, int, int]:
    """Backward through chunks of k steps, carrying the state forward detached."""
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
    gen = torch.Generator().manual_seed(seed)
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


def train_job(task_name: str, config: ModelConfig, train: TrainConfig, init_seed: int = 0
              ) -> Iterator[StepMetrics]:
    """A whole training run as a job (see ``engine.jobs``): yields each step's metrics and
    returns ``{"state_dict": bytes, "accuracy": percent}`` (see :func:`evaluate`: on held-out
    examples, or on every possible input for the one-digit tasks).

    Arguments are plain, hashable and picklable, so identical requests share one run and the
    run can go to a worker process.
    """
    task = get_task(task_name)
    model = build_model(config, seed=init_seed)
    yield from train_steps(model, task, train)
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return {"state_dict": buf.getvalue(), "accuracy": evaluate(model, task)}
