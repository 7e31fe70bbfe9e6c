"""The training race: four recurrent nets learn one long-lag task side by side.

Racers (``RACERS``), all trained on the very same batches from the very same seed:

- ``rnn``       plain tanh RNN, h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), no clipping
- ``rnn_clip``  the same RNN (same initial weights), its gradient clipped at ``clip``
                (Pascanu, Mikolov and Bengio 2013, Algorithm 1: if ||g|| > clip,
                g <- clip * g / ||g||: one factor for the whole step's gradient)
- ``lstm``      nn.LSTM, c_t = f_t * c_{t-1} + i_t * g_t, h_t = o_t * tanh(c_t)
- ``gru``       nn.GRU, h_t = (1 - z_t) * n_t + z_t * h_{t-1}

Each reads the whole sequence and a linear head reads its last state: y = W_hy h_{T-1} + b_y.

Tasks (``lag`` = sequence length T, steps t = 0..T-1: the answer lies at the start and the
head reads h_{T-1}, T-1 steps later):

- ``first_symbol``: the first step is one of ``SYMBOLS`` = 4 symbols, the T-1 steps after it
  are drawn from ``DISTRACTORS`` = 4 other symbols (one-hot over all 8), and the target is the
  first symbol. The distractors are drawn independently of it, so a net that has forgotten
  step 0 scores chance, 1/4 = 25%. Loss: cross-entropy.
- ``adding`` (Hochreiter & Schmidhuber 1997): x_t = (u_t, m_t), u_t ~ U(0, 1), and m_t = 1 at
  two places, one among the first 10% of the steps and one in the first half; the target is
  the sum of the two marked u's. Loss: mean squared error; a net that forgets can only predict
  the mean, 1, for a mean squared error of Var(u_a + u_b) = 1/6. A prediction counts as right
  within 0.04 of the target (Hochreiter & Schmidhuber's criterion).

Why these defaults (all measured with ``python -m engine.race`` and the experiments behind it):

- ``optimizer="adam"``, lr 0.01. With plain SGD (momentum 0.9 or 0.99, lr 0.05 to 10, up to
  1500 steps, with the gate biases below too) the LSTM never left the chance plateau at lags
  of 40 and 60, while the GRU often did. Adam gives each weight its own step size, and there
  the LSTM learns. The price: Adam divides each step by a running estimate of the gradient's
  size, so an exploding gradient barely grows its update and clipping matters far less than
  with SGD, where the update is lr * g and one exploding gradient throws the weights far away.
  The replay ``sgd_lag40`` shows that case: one gradient of norm 28.6 at step 8 throws the
  unclipped RNN's loss from about ln 4 to a median of 37; clipping keeps the loss bounded, but
  the clipped RNN does not learn the lag either (25.6% held-out, its median loss over 3x
  chance), and the LSTM (forget bias 1 there) stays at chance. In the default (Adam) race the
  clipped RNN ends below the unclipped one (27.0% against 49.6%).
- ``gate_bias=5``: the total bias (b_ih + b_hh) of the LSTM's forget gate and the GRU's update
  gate. With PyTorch's random biases f_t is about 1/2: at initialisation ||dL/dh_0|| of a
  40-step sequence measured 1e-9 of ||dL/dh_39|| (bias 1: 1e-4); with a bias of 5,
  f_t = sigmoid(5) = 0.993 and a quarter of it arrives (Gers et al. 2000; Jozefowicz et al.
  2015 recommend 1 or more). With a bias of 1 or 2 the LSTM did not learn the default race.
  The plain RNNs keep PyTorch's biases. ``gate_bias=None, input_bias=None`` builds the LSTM
  and GRU with PyTorch's biases too (b_ih and b_hh uniform in +-1/sqrt(H), every gate near
  1/2): so built, the default race (seed 0) ended at chance for both, LSTM 22.7% and GRU
  23.4% held-out (the plain RNNs as recorded, 49.6% and 27.0%). The LSTM's and GRU's 100% in
  the recorded races are for the biases set here.
- ``input_bias=-3``: the LSTM's input gate starts nearly shut, i_t = sigmoid(-3) = 0.05, as
  Hochreiter & Schmidhuber (1997) initialised it. With the input gate at 1/2 and a forget gate
  near 1, the cell adds up every distractor it reads, the first symbol drowns in the sum and
  tanh(c_t) saturates: with PyTorch's input bias the LSTM stayed at chance at lag 100 for 1000
  Adam steps; with -3 it solved lag 100 within 200 steps.
- ``rnn_scale`` (None: PyTorch's init, W_hh uniform in +-1/sqrt(H), spectral radius ~0.58, so
  the plain RNN's gradient vanishes): W_hh = s * Q with Q orthogonal is a legitimate
  initialisation (Saxe et al. 2014; Le et al. 2015 use the identity). Near s = 1 it lets a plain
  RNN learn much longer lags, which the race lets a student find.

Divergence: a racer whose loss or gradient becomes inf or NaN is stopped at that step (its
weights are not updated with it) and every later record of it says ``diverged`` with None in
place of numbers: no inf or NaN ever leaves this module as a float.
"""

from __future__ import annotations

import gzip
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from .bptt import hidden_grad_norms
from .cells import module
from .config import RACE
from .limits import LIMITS, LimitError, check_int
from .seeding import build, generator
from .train import train_step

__all__ = ["LIVE_LIMITS", "RACERS", "RACE_LIMITS", "RACE_TASKS", "RACE_TASK_SPECS", "REPLAY_DIR",
           "SYMBOLS", "RaceConfig", "RaceLimits", "RaceStep", "RaceTask", "RacerStep",
           "chance_level", "load_replay",
           "race_job", "race_steps", "record_replays", "replays", "run_race"]

RACERS = ("rnn", "rnn_clip", "lstm", "gru")
SYMBOLS = 4                 # symbols that can come first in first_symbol: chance is 1/4
DISTRACTORS = 4             # the other symbols, that fill the rest of the sequence
ADDING_TOLERANCE = 0.04     # |prediction - target| counted as right (adding problem)
EVAL_SIZE = 512             # held-out sequences for the final accuracy
EVAL_SEED = 12345           # ... drawn from their own seed, never trained on
REPLAY_DIR = Path(__file__).resolve().parent.parent / "assets" / "replays"


@dataclass(frozen=True)
class RaceLimits:
    max_lag: int
    max_hidden_size: int
    max_steps: int
    max_batch_size: int


# What check() accepts at all (recorded replays, notebooks), and what a live run in the shared
# server may ask for: chosen so that a live race of the largest size takes well under a minute
# on one core (bench/bench_race.py measures it).
RACE_LIMITS = RaceLimits(max_lag=LIMITS.max_seq_len, max_hidden_size=LIMITS.max_hidden_size,
                         max_steps=LIMITS.max_steps, max_batch_size=LIMITS.max_batch_size)
LIVE_LIMITS = RaceLimits(max_lag=60, max_hidden_size=32, max_steps=800, max_batch_size=32)


@dataclass(frozen=True)
class RaceConfig:
    task: str = RACE.task.default  # or "adding"
    lag: int = RACE.lag.default  # sequence length T = how far back the answer lies
    hidden_size: int = RACE.hidden_size.default  # units of every racer
    steps: int = RACE.steps.default  # training steps
    batch_size: int = RACE.batch_size.default  # sequences per step (the same batch for every racer)
    lr: float = RACE.lr.default  # learning rate of every racer
    clip: float = RACE.clip.default  # threshold of the clipped plain RNN
    seed: int = RACE.seed.default  # data and init: the same seed gives the same race
    # measure ||dL/dh_t|| every k steps (heatmap rows)
    profile_every: int = RACE.profile_every.default
    optimizer: str = RACE.optimizer.default  # "adam" or "sgd" (with momentum)
    momentum: float = RACE.momentum.default  # SGD momentum
    # plain RNNs' W_hh = rnn_scale * orthogonal (None: default)
    rnn_scale: float | None = RACE.rnn_scale.default
    # total bias (b_ih + b_hh) of the gates that keep the memory: LSTM forget gate f_t, GRU update
    # gate z_t (None: PyTorch's)
    gate_bias: float | None = RACE.gate_bias.default
    # total bias of the LSTM's input gate i_t (None: PyTorch's)
    input_bias: float | None = RACE.input_bias.default

    def check(self, limits: RaceLimits = RACE_LIMITS) -> RaceConfig:
        """Raise LimitError naming the first field out of range; return self."""
        RACE.check_fields(self)
        # and within the limits this race runs under (the app's live race: fewer of each)
        check_int("lag", self.lag, 2, limits.max_lag)
        check_int("hidden_size", self.hidden_size, 1, limits.max_hidden_size)
        check_int("steps", self.steps, 1, limits.max_steps)
        check_int("batch_size", self.batch_size, 1, limits.max_batch_size)
        check_int("profile_every", self.profile_every, 1, limits.max_steps)
        return self


@dataclass(frozen=True)
class RacerStep:
    racer: str
    loss: float | None            # None once diverged (never nan/inf)
    accuracy: float | None        # on this batch, a fraction (None once diverged)
    grad_norm: float | None       # total gradient norm before clipping (None if not finite)
    grad_norm_clipped: float | None  # ... after clipping (== grad_norm when it did not fire)
    clipped: bool                 # clipping fired this step
    diverged: bool                # loss or gradient became non-finite at or before this step
    profile: tuple[float | None, ...] | None = None  # log10 ||dL/dh_t||, t = 0..T-1, at profile
                                  # steps (else None); an entry is None where the norm is 0
                                  # or not finite


@dataclass(frozen=True)
class RaceStep:
    step: int                     # 1-based
    racers: tuple[RacerStep, ...]  # in RACERS order


# -- the tasks ---------------------------------------------------------------------------------
def _first_symbol(lag: int, batch_size: int, gen: torch.Generator) -> tuple[Tensor, Tensor]:
    """x: one-hot (batch, lag, SYMBOLS + DISTRACTORS), a symbol first and distractors after;
    y: (batch,) the first symbol's id."""
    ids = torch.randint(0, DISTRACTORS, (batch_size, lag), generator=gen) + SYMBOLS
    ids[:, 0] = torch.randint(0, SYMBOLS, (batch_size,), generator=gen)
    return F.one_hot(ids, SYMBOLS + DISTRACTORS).float(), ids[:, 0]


def _adding(lag: int, batch_size: int, gen: torch.Generator) -> tuple[Tensor, Tensor]:
    """x_t = (u_t, m_t): (batch, lag, 2); y: (batch,) the sum of the two marked u's."""
    u = torch.rand(batch_size, lag, generator=gen)
    first = torch.randint(0, max(1, lag // 10), (batch_size,), generator=gen)
    # the second mark: anywhere else in the first half
    half = max(2, lag // 2)
    second = torch.randint(0, half - 1, (batch_size,), generator=gen)
    second = second + (second >= first).long()
    marks = torch.zeros(batch_size, lag)
    rows = torch.arange(batch_size)
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    y = u[rows, first] + u[rows, second]
    return torch.stack([u, marks], -1), y


@dataclass(frozen=True)
class RaceTask:
    """A long-lag task: its data, the racers' loss on it, and what counts as right."""

    name: str
    input_size: int       # width of x_t
    output_size: int      # what the head predicts: classes, or one number
    chance: float         # what a net that forgot the start reaches (accuracy, or the MSE)
    draw: Callable[[int, int, torch.Generator], tuple[Tensor, Tensor]]  # (lag, batch, gen)
    loss: Callable[[Tensor, Tensor], Tensor]    # (logits, y) -> the batch's loss
    right: Callable[[Tensor, Tensor], Tensor]   # (logits, y) -> (batch,) bool


RACE_TASK_SPECS: dict[str, RaceTask] = {t.name: t for t in (
    RaceTask("first_symbol", SYMBOLS + DISTRACTORS, SYMBOLS, 1.0 / SYMBOLS, _first_symbol,
             F.cross_entropy, lambda logits, y: logits.argmax(-1) == y),
    RaceTask("adding", 2, 1, 1.0 / 6.0, _adding,
             lambda logits, y: F.mse_loss(logits.squeeze(-1), y.to(logits.dtype)),
             lambda logits, y: (logits.squeeze(-1) - y).abs() < ADDING_TOLERANCE),
)}
RACE_TASKS = tuple(RACE_TASK_SPECS)
assert RACE.task.choices == RACE_TASKS  # the settings name every task


def chance_level(task: str) -> float:
    """What a net that has forgotten the start can reach: accuracy (fraction) for
    first_symbol, 1/SYMBOLS; the best mean squared error for adding, 1/6."""
    return RACE_TASK_SPECS[task].chance


def sample(task: str, lag: int, batch_size: int, gen: torch.Generator) -> tuple[Tensor, Tensor]:
    """One batch, batch-first: x (batch, lag, input_size) and the target y (batch,) (class ids
    for first_symbol, float sums for adding)."""
    return RACE_TASK_SPECS[task].draw(lag, batch_size, gen)


def task_loss(task: str, logits: Tensor, y: Tensor) -> Tensor:
    """Cross-entropy for first_symbol, mean squared error for adding."""
    return RACE_TASK_SPECS[task].loss(logits, y)


def hits(task: str, logits: Tensor, y: Tensor) -> Tensor:
    """(batch,) bool: which predictions are right."""
    return RACE_TASK_SPECS[task].right(logits, y)


class Racer(nn.Module):
    """A standard recurrent module (``self.rnn``, batch_first) and a head on its last state."""

    def __init__(self, kind: str, input_size: int, hidden_size: int, output_size: int):
        super().__init__()
        self.rnn = module(kind.removesuffix("_clip"), input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, output_size)

    def forward(self, x: Tensor) -> Tensor:
        output, _ = self.rnn(x)
        return self.head(output[:, -1])


def build_racer(kind: str, cfg: RaceConfig) -> Racer:
    """The racer's initial weights come from ``cfg.seed`` alone (the two plain RNNs are equal)."""
    task = RACE_TASK_SPECS[cfg.task]
    gen = generator(cfg.seed)
    model = build(lambda: Racer(kind, task.input_size, cfg.hidden_size, task.output_size), gen)
    H = cfg.hidden_size
    with torch.no_grad():
        if kind in ("rnn", "rnn_clip") and cfg.rnn_scale is not None:
            Q, _ = torch.linalg.qr(torch.randn(H, H, dtype=torch.float64, generator=gen))
            model.rnn.weight_hh_l0.copy_((cfg.rnn_scale * Q).float())
        # LSTM gates i, f, g, o and GRU gates r, z, n: f and z are rows H..2H of each bias;
        # PyTorch has two biases per gate, their sum acts, so each gets half. None keeps
        # PyTorch's own: every bias uniform in +-1/sqrt(H), so each gate starts near 1/2.
        if kind in ("lstm", "gru") and cfg.gate_bias is not None:
            model.rnn.bias_ih_l0[H:2 * H].fill_(cfg.gate_bias / 2)
            model.rnn.bias_hh_l0[H:2 * H].fill_(cfg.gate_bias / 2)
        if kind == "lstm" and cfg.input_bias is not None:  # the input gate i_t: rows 0..H
            model.rnn.bias_ih_l0[:H].fill_(cfg.input_bias / 2)
            model.rnn.bias_hh_l0[:H].fill_(cfg.input_bias / 2)
    return model


def profile(model: Racer, task: str, x: Tensor, y: Tensor) -> tuple[float | None, ...]:
    """log10 ||dL/dh_t|| for t = 0..T-1 with L the racer's real loss (through its own head),
    measured by ``engine.hidden_grad_norms`` (its recursion through time in float64). None where
    the norm is exactly 0 (the gradient died: a fully saturated tanh has derivative 0 even in
    float64) or not finite."""

    def loss_fn(output: Tensor) -> Tensor:
        return task_loss(task, model.head(output[:, -1]), y)

    norms = hidden_grad_norms(model.rnn, x, loss_fn).hidden[0, 0]
    return tuple(_finite(math.log10(v)) if v > 0 else None for v in norms.tolist())


def _finite(v: float) -> float | None:
    return v if math.isfinite(v) else None


# -- the race ---------------------------------------------------------------------------------
class _Runner:
    """One racer's model, optimizer and fate."""

    def __init__(self, kind: str, cfg: RaceConfig):
        self.kind, self.cfg = kind, cfg
        self.model = build_racer(kind, cfg)
        self.params = list(self.model.parameters())
        self.opt = (torch.optim.SGD(self.params, lr=cfg.lr, momentum=cfg.momentum)
                    if cfg.optimizer == "sgd" else torch.optim.Adam(self.params, lr=cfg.lr))
        self.diverged_at: int | None = None

    def step(self, step: int, x: Tensor, y: Tensor, measure: bool) -> RacerStep:
        if self.diverged_at is not None:
            return RacerStep(self.kind, None, None, None, None, False, True)
        cfg = self.cfg
        prof = profile(self.model, cfg.task, x, y) if measure else None
        # Pascanu et al.'s Algorithm 1 for the clipped racer alone: one factor for the whole
        # gradient, so its direction is kept and only the size of the update is bounded. Norms
        # in float64 and a stop at the first inf or NaN: some races are meant to explode.
        u = train_step(self.params, self.opt, self._loss, (x, y),
                       clip=cfg.clip if self.kind == "rnn_clip" else None,
                       norm64=True, stop_nonfinite=True)
        (logits,) = u.extra
        accuracy = float(hits(cfg.task, logits, y).float().mean())
        loss = _finite(u.loss)
        if not u.stepped:  # an inf or NaN in the loss or the gradient: stopped before stepping
            return self._diverge(step, loss, accuracy, prof)
        diverged = not all(bool(torch.isfinite(p).all()) for p in self.params)
        if diverged:
            # a finite gradient times lr overflowed a weight: nothing after this step is real
            self.diverged_at = step
        return RacerStep(self.kind, loss, accuracy, u.grad_norm, u.grad_norm_clipped, u.clipped,
                         diverged, prof)

    def _loss(self, batch: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor]:
        x, y = batch
        logits = self.model(x)
        return task_loss(self.cfg.task, logits, y), logits

    def _diverge(self, step: int, loss: float | None, accuracy: float, prof) -> RacerStep:
        self.diverged_at = step
        return RacerStep(self.kind, loss, accuracy if loss is not None else None, None, None,
                         False, True, prof)

    @torch.no_grad()
    def evaluate(self) -> float | None:
        """Accuracy in percent on EVAL_SIZE held-out sequences; None if diverged."""
        if self.diverged_at is not None:
            return None
        x, y = sample(self.cfg.task, self.cfg.lag, EVAL_SIZE,
                      generator(EVAL_SEED))
        return 100.0 * float(hits(self.cfg.task, self.model(x), y).float().mean())


def race_steps(cfg: RaceConfig, _runners: list | None = None) -> Iterator[RaceStep]:
    """Train the four racers side by side, one yielded RaceStep per training step.

    Every step draws ONE batch from the data generator (seeded by ``cfg.seed``) and gives it to
    every racer. Every ``profile_every`` steps (and at step 1) each live racer's ||dL/dh_t|| is
    measured on that batch, before its update: one row of the heatmap. ``_runners``, if given,
    receives the racers (model, optimizer) as they are built: for tests and notebooks.
    """
    cfg.check()
    runners = [_Runner(kind, cfg) for kind in RACERS]
    if _runners is not None:
        _runners.extend(runners)
    gen = generator(cfg.seed)
    for step in range(1, cfg.steps + 1):
        x, y = sample(cfg.task, cfg.lag, cfg.batch_size, gen)
        measure = step == 1 or step % cfg.profile_every == 0
        yield RaceStep(step, tuple(r.step(step, x, y, measure) for r in runners))


def _run(cfg: RaceConfig) -> Iterator[RaceStep]:
    runners: list[_Runner] = []
    yield from race_steps(cfg, runners)
    return {"accuracy": {r.kind: r.evaluate() for r in runners},
            "diverged_at": {r.kind: r.diverged_at for r in runners}}


def race_job(cfg: RaceConfig) -> Iterator[RaceStep]:
    """A live race as a job (see ``engine.jobs``), within LIVE_LIMITS: yields each RaceStep and
    returns ``{"accuracy": {racer: percent on held-out or None}, "diverged_at": {racer: step or
    None}}``."""
    cfg.check(LIVE_LIMITS)
    return (yield from _run(cfg))


# -- recorded replays -------------------------------------------------------------------------
def _round(v: float | None, digits: int = 4) -> float | None:
    """``digits`` significant digits: a replay stays small and needs no more than a plot."""
    return None if v is None else float(f"{v:.{digits}g}")


def encode_race(cfg: RaceConfig, steps: list[RaceStep], result: dict) -> dict:
    """A race as compact JSON: one column per racer and quantity, rounded; profiles by step."""
    racers = {}
    for k, name in enumerate(RACERS):
        rows = [s.racers[k] for s in steps]
        racers[name] = {
            "loss": [_round(r.loss) for r in rows],
            "accuracy": [_round(r.accuracy, 3) for r in rows],
            "grad_norm": [_round(r.grad_norm) for r in rows],
            "grad_norm_clipped": [_round(r.grad_norm_clipped) for r in rows],
            "clipped": [int(r.clipped) for r in rows],
            "diverged": [int(r.diverged) for r in rows],
            "profiles": {str(s.step): [None if v is None else round(v, 2) for v in r.profile]
                         for s, r in zip(steps, rows) if r.profile is not None},
        }
    return {"config": asdict(cfg), "result": result, "steps": len(steps), "racers": racers}


def decode_race(data: dict) -> tuple[RaceConfig, list[RaceStep], dict]:
    cfg = RaceConfig(**data["config"])
    cols = data["racers"]
    steps = []
    for i in range(data["steps"]):
        racers = []
        for name in RACERS:
            c = cols[name]
            prof = c["profiles"].get(str(i + 1))
            racers.append(RacerStep(name, c["loss"][i], c["accuracy"][i], c["grad_norm"][i],
                                    c["grad_norm_clipped"][i], bool(c["clipped"][i]),
                                    bool(c["diverged"][i]),
                                    None if prof is None else tuple(prof)))
        steps.append(RaceStep(i + 1, tuple(racers)))
    return cfg, steps, data["result"]


def run_race(cfg: RaceConfig) -> tuple[list[RaceStep], dict]:
    """The whole race at once: (every RaceStep, the result ``race_job`` would return)."""
    gen = _run(cfg)
    steps = []
    while True:
        try:
            steps.append(next(gen))
        except StopIteration as stop:
            return steps, stop.value


def replays() -> list[dict]:
    """The index of recorded races: each entry has the RaceConfig fields, ``name``, ``file``,
    ``description``, the held-out ``accuracy`` and ``diverged_at`` of each racer."""
    path = REPLAY_DIR / "index.json"
    return json.loads(path.read_text())["replays"] if path.exists() else []


def load_replay(name_or_entry: str | dict) -> tuple[RaceConfig, list[RaceStep], dict]:
    """A recorded race by name (or index entry): (its config, every RaceStep, its result)."""
    name = name_or_entry["name"] if isinstance(name_or_entry, dict) else name_or_entry
    entry = next((e for e in replays() if e["name"] == name), None)
    if entry is None:
        raise LimitError("replay", name,
                         expected="one of " + ", ".join(e["name"] for e in replays()))
    with gzip.open(REPLAY_DIR / entry["file"], "rt", encoding="utf-8") as f:
        return decode_race(json.load(f))


def _config_fields(cfg: RaceConfig) -> dict:
    return {f.name: getattr(cfg, f.name) for f in fields(cfg)}


def record_replays(only: list[str] | None = None) -> None:
    """Run every race of REPLAYS with the project's own ``race_steps`` and write them (gzip
    JSON) and their index to ``assets/replays/``: ``python -m engine.race [name ...]``."""
    REPLAY_DIR.mkdir(parents=True, exist_ok=True)
    for name, cfg, description in REPLAYS:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        steps, result = run_race(cfg)
        file = f"{name}.json.gz"
        raw = json.dumps(encode_race(cfg, steps, result), separators=(",", ":"))
        with gzip.open(REPLAY_DIR / file, "wt", encoding="utf-8", compresslevel=9) as f:
            f.write(raw)
        acc = {k: None if v is None else round(v, 1) for k, v in result["accuracy"].items()}
        index = {e["name"]: e for e in replays()}  # read now: another recording may have ended
        index[name] = {"name": name, "file": file, "description": description,
                       **_config_fields(cfg), "accuracy": acc,
                       "diverged_at": result["diverged_at"]}
        print(f"{name:24s} {time.perf_counter() - t0:6.1f}s  accuracy {acc}  diverged at "
              f"{result['diverged_at']}", flush=True)
        ordered = [index[n] for n, _, _ in REPLAYS if n in index]
        (REPLAY_DIR / "index.json").write_text(json.dumps({"replays": ordered}, indent=1) + "\n")


DEFAULT = RaceConfig()
REPLAYS: list[tuple[str, RaceConfig, str]] = [
    (f"first_symbol_lag{DEFAULT.lag}", DEFAULT,
     "the default race (Adam): LSTM and GRU remember the first symbol over 60 steps; the plain "
     "RNNs stay far from it, clipped or not"),
    ("first_symbol_lag100", replace(DEFAULT, lag=100, steps=1000),
     "a longer lag (Adam): 100 steps back"),
    ("sgd_lag40", replace(DEFAULT, lag=40, steps=800, optimizer="sgd", lr=1.0, momentum=0.9,
                          gate_bias=1.0),
     "plain SGD with momentum: the unclipped RNN's loss spikes, clipping bounds it; the GRU "
     "solves the task, the LSTM does not leave chance"),
]


if __name__ == "__main__":
    import sys

    torch.set_num_threads(1)
    record_replays(sys.argv[1:] or None)
