"""A character-level language model, the classic first RNN: read "hell", predict "ello".

Everything the Step-through-time view shows is computed here, from a standard ``nn.RNN`` /
``nn.LSTM`` / ``nn.GRU`` and a linear head:

    h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)      (x_t one-hot: W_ih x_t = W_ih[:, k])
    y_t = W_hy h_t + b_y                                   (logits over the vocabulary)
    p_t = softmax(y_t),  L_t = -log p_t[target_t],  L = mean_t L_t   (the notes: sum_t L_t)

``step_numbers`` recomputes one step by hand from the module's weights, so the numbers a student
sees are the terms of that equation, not just its result.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import Tensor, nn

from .cells import module
from .config import CHAR
from .jobs import as_request
from .limits import LIMITS, LimitError, check_int
from .seeding import empty, generator
from .train import optimize
from .unroll import unroll

__all__ = ["CharConfig", "CharModel", "CharStep", "CharTrainRequest", "Decodings", "StepNumbers",
           "Vocab", "all_step_numbers", "build_char_model", "char_train_job", "decodings",
           "forward_blur", "generate", "greedy", "step_losses", "step_numbers", "teacher_forced",
           "train_char_steps"]


class TextError(LimitError):
    """User text a character model cannot take: ``kind`` is "empty", "long" or "vocab"."""

    def __init__(self, kind: str, detail: object = None):
        msgs = {"empty": "the text is empty: type a word or a sentence",
                "short": "the text needs at least 2 characters (one to read, one to predict)",
                "long": f"the text has {detail} characters; at most {LIMITS.max_text_len}",
                "vocab": f"the text has {detail} distinct characters; at most {LIMITS.max_vocab}"}
        ValueError.__init__(self, msgs[kind])
        self.kind, self.detail = kind, detail
        self.name, self.value, self.low, self.high, self.expected = "text", detail, None, None, ""


@dataclass(frozen=True)
class Vocab:
    """The characters of a text, in order of first appearance ("hello" -> h, e, l, o)."""

    symbols: tuple[str, ...]

    @classmethod
    def from_text(cls, text: object) -> Vocab:
        check_text(text)
        return cls(tuple(dict.fromkeys(text)))

    def __len__(self) -> int:
        return len(self.symbols)

    def encode(self, text: str) -> Tensor:
        return torch.tensor([self.symbols.index(c) for c in text])

    def one_hot(self, text: str) -> Tensor:
        """(seq_len, 1, vocab_size): batch_first=False, the modules' default."""
        return nn.functional.one_hot(self.encode(text), len(self)).float().unsqueeze(1)


def check_text(text: object, min_len: int = 2) -> str:
    """A text the model can take: a training text needs ``min_len`` = 2 characters (one to
    read, one to predict); a text it only reads (teacher forcing, a start) needs 1."""
    if not isinstance(text, str):
        raise LimitError("text", text, expected="a string")
    if not text:
        raise TextError("empty")
    if len(text) < min_len:
        raise TextError("short")
    if len(text) > LIMITS.max_text_len:
        raise TextError("long", len(text))
    n = len(set(text))
    if n > LIMITS.max_vocab:
        raise TextError("vocab", n)
    return text


@dataclass(frozen=True)
class CharConfig:
    text: str = "hello"        # the training text: read text[:-1], predict text[1:]
    cell: str = CHAR.cell.default  # "rnn" (tanh), "lstm" or "gru"
    hidden_size: int = CHAR.hidden_size.default  # units; "hello" needs very few
    num_layers: int = CHAR.num_layers.default

    def check(self) -> CharConfig:
        check_text(self.text)
        CHAR.check_fields(self)
        return self


class CharModel(nn.Module):
    """``nn.RNN/LSTM/GRU(input_size=V, hidden_size=H)`` on one-hot characters, and a head."""

    def __init__(self, config: CharConfig):
        super().__init__()
        self.config = config.check()
        self.vocab = Vocab.from_text(config.text)
        V, H = len(self.vocab), config.hidden_size
        self.rnn = module(config.cell, V, H, num_layers=config.num_layers)
        self.head = nn.Linear(H, V)  # y_t = W_hy h_t + b_y

    def forward(self, x: Tensor, state=None):
        """x: (seq_len, batch, V) one-hot -> logits (seq_len, batch, V), final state."""
        output, state = self.rnn(x, state)
        return self.head(output), state


def build_char_model(config: CharConfig, seed: int = 0) -> CharModel:
    """Fresh weights from ``seed`` (U(-1/sqrt(fan), 1/sqrt(fan)), PyTorch's own default range),
    drawn from a private generator so that background jobs stay reproducible."""
    model = empty(lambda: CharModel(config))
    gen = generator(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            fan = config.hidden_size if name.startswith("rnn") else model.head.in_features
            k = 1.0 / math.sqrt(fan)
            p.copy_(torch.empty_like(p).uniform_(-k, k, generator=gen))
    return model.eval()


# -- one step, by hand --------------------------------------------------------------------------
@dataclass(frozen=True)
class StepNumbers:
    """Every term of step t (0-based position) of the first layer, every layer's h_t, and the
    output.

    Plain RNN: a_t = W_ih x_t + b_ih + W_hh h_prev + b_hh, h_t = tanh(a_t) (or relu).
    LSTM / GRU: ``gates`` holds their activations at t, and ``c_prev`` / ``c_t`` the cell.
    """

    t: int
    x_char: str
    target_char: str | None
    x_t: Tensor          # (V,) one-hot
    h_prev: Tensor       # (H,) h_{t-1} (h_0 = 0 at the start)
    W_ih_x: Tensor       # (G*H,) W_ih x_t: column k of W_ih for the one-hot of symbol k
    b_ih: Tensor
    W_hh_h: Tensor       # (G*H,) W_hh h_{t-1}
    b_hh: Tensor
    a_t: Tensor          # (G*H,) the pre-activation (all gates' for LSTM/GRU)
    h_t: Tensor          # (H,) the first layer's h_t: the result of the terms above
    h_layers: Tensor     # (num_layers, H): every layer's h_t; the last one feeds the head
    logits: Tensor       # (V,) y_t = W_hy h_t + b_y, from the top layer's h_t
    probs: Tensor        # (V,) softmax(y_t)
    pred_char: str
    loss_t: float | None  # -log p_t[target], None past the last target
    gates: dict[str, Tensor] = field(default_factory=dict)
    c_prev: Tensor | None = None
    c_t: Tensor | None = None


@torch.no_grad()
def step_numbers(model: CharModel, text: str, t: int) -> StepNumbers:
    """The numbers of step ``t`` (0-based) when ``model`` reads ``text`` from h_0 = 0."""
    _check_in_vocab(model.vocab, text)
    t = check_int("t", t, 0, len(text) - 1)
    return _numbers(model, text, unroll(model.rnn, model.vocab.one_hot(text)), t)


@torch.no_grad()
def all_step_numbers(model: CharModel, text: str) -> list[StepNumbers]:
    """:func:`step_numbers` of every step of ``text``, from one unroll."""
    _check_in_vocab(model.vocab, text)
    trace = unroll(model.rnn, model.vocab.one_hot(text))
    return [_numbers(model, text, trace, t) for t in range(len(text))]


def _numbers(model: CharModel, text: str, trace, t: int) -> StepNumbers:
    """Step ``t``'s terms, recomputed by hand from the weights and the unrolled ``trace``."""
    vocab, rnn = model.vocab, model.rnn
    x_t = vocab.one_hot(text[t])[0, 0]
    h_prev = trace.hidden[0, 0, 0, t - 1] if t > 0 else torch.zeros(rnn.hidden_size)
    W_ih_x = rnn.weight_ih_l0 @ x_t
    W_hh_h = rnn.weight_hh_l0 @ h_prev
    a_t = W_ih_x + rnn.bias_ih_l0 + W_hh_h + rnn.bias_hh_l0
    h_layers = trace.hidden[:, 0, 0, t]
    logits = model.head(h_layers[-1])
    probs = logits.softmax(-1)
    target = text[t + 1] if t + 1 < len(text) else None
    loss_t = -math.log(float(probs[vocab.symbols.index(target)])) if target else None
    gates = {k: v[0, 0, 0, t] for k, v in trace.gates.items()}
    c_prev = c_t = None
    if trace.cell is not None:
        c_t = trace.cell[0, 0, 0, t]
        c_prev = trace.cell[0, 0, 0, t - 1] if t > 0 else torch.zeros(rnn.hidden_size)
    return StepNumbers(t, text[t], target, x_t, h_prev, W_ih_x, rnn.bias_ih_l0.clone(), W_hh_h,
                       rnn.bias_hh_l0.clone(), a_t, h_layers[0], h_layers, logits, probs,
                       vocab.symbols[int(probs.argmax())], loss_t, gates, c_prev, c_t)


def _check_in_vocab(vocab: Vocab, text: str) -> None:
    """``text`` is for the model to read: any length from 1, in its vocabulary."""
    check_text(text, min_len=1)
    bad = sorted(set(text) - set(vocab.symbols))
    if bad:
        raise LimitError("text", "".join(bad),
                         expected="characters of the model's vocabulary " + "".join(vocab.symbols))


# -- reading and writing --------------------------------------------------------------------------
@torch.no_grad()
def teacher_forced(model: CharModel, text: str) -> tuple[list[str], Tensor]:
    """Predictions when every step reads the true previous character (as in training).

    Returns the argmax character at each step and the probabilities (seq_len, V).
    """
    _check_in_vocab(model.vocab, text)
    logits, _ = model(model.vocab.one_hot(text))
    probs = logits[:, 0].softmax(-1)
    return [model.vocab.symbols[int(k)] for k in probs.argmax(-1)], probs


@torch.no_grad()
def step_losses(model: CharModel, text: str) -> Tensor:
    """L_t = -log p_t[text[t+1]] for each step t, reading ``text[:-1]``: shape (len(text) - 1,).

    The sequence loss is their mean (PyTorch's ``cross_entropy`` default, and what training
    minimises here) or their sum (L = sum_t L_t, as the course notes write it): the sum is T
    times the mean, so both have the same minimiser.
    """
    check_text(text)
    _check_in_vocab(model.vocab, text)
    logits, _ = model(model.vocab.one_hot(text[:-1]))
    return nn.functional.cross_entropy(logits[:, 0], model.vocab.encode(text[1:]),
                                       reduction="none")


def _decode(model: CharModel, start: str, n: int, pick) -> str:
    """Autoregressive decoding: each step reads the character the model produced last;
    ``pick(y_t)`` chooses it from the logits."""
    _check_in_vocab(model.vocab, start)
    n = check_int("n", n, 1, LIMITS.max_text_len)
    logits, state = model(model.vocab.one_hot(start))
    out = []
    for _ in range(n):
        k = pick(logits[-1, 0])
        out.append(model.vocab.symbols[k])
        x = nn.functional.one_hot(torch.tensor([[k]]), len(model.vocab)).float()
        logits, state = model(x, state)
    return "".join(out)


@torch.no_grad()
def greedy(model: CharModel, start: str, n: int) -> str:
    """Greedy generation: each step takes the argmax of y_t and reads it at the next step."""
    return _decode(model, start, n, lambda y: int(y.argmax()))


@torch.no_grad()
def generate(model: CharModel, start: str, n: int, temperature: float = 1.0,
             seed: int = 0) -> str:
    """Sampling: each step draws its character from softmax(y_t / temperature) (a private
    generator seeded with ``seed``) and reads it at the next step.

    As the temperature goes to 0 this becomes greedy argmax decoding (below 1e-3 it is exactly
    :func:`greedy`). Above it, even a perfect model writes other characters now and then:
    sampling differs from greedy by chance, not by mistake.
    """
    temperature = CHAR.temperature.check(temperature)
    if temperature < 1e-3:
        return greedy(model, start, n)
    gen = generator(seed)
    return _decode(model, start, n, lambda y: int(torch.multinomial(
        (y / temperature).softmax(-1), 1, generator=gen)))


@dataclass(frozen=True)
class Decodings:
    """Teacher forcing against generation, like with like (argmax against argmax), and
    sampling shown beside them as what it is.

    All three write len(text) - 1 characters; step k (0-based) predicts text[k + 1].
    """

    teacher_forced: str   # argmax at each step, reading the true text[:-1]
    greedy: str           # argmax at each step, reading its own previous argmax (from text[0])
    sampled: str          # drawn at ``temperature`` with ``seed``, reading its own samples
    temperature: float
    seed: int
    parted_at: int | None  # first step where greedy != teacher_forced (None: they agree)
    sample_parted_at: int | None  # first step where sampled != greedy (None: they agree)


def _first_difference(a: str, b: str) -> int | None:
    return next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), None)


def decodings(model: CharModel, text: str, temperature: float = 1.0, seed: int = 0
              ) -> Decodings:
    """Read ``text[:-1]`` with teacher forcing, and write as many characters from ``text[0]``,
    greedily and by sampling. Step 0 reads text[0] from h_0 = 0 in all three, so greedy and
    teacher forcing agree there; they can part only once greedy has read its own output."""
    check_text(text)
    n = len(text) - 1
    tf = "".join(teacher_forced(model, text[:-1])[0])
    best = greedy(model, text[0], n)
    sampled = generate(model, text[0], n, temperature, seed)
    return Decodings(tf, best, sampled, float(temperature), int(seed),
                     _first_difference(tf, best), _first_difference(best, sampled))


@torch.no_grad()
def forward_blur(model: CharModel, text: str, first: str) -> Tensor:
    """||h_t - h'_t|| for t = 0..T-1 (the top layer), where h' reads ``first`` in place of
    text[0] and the same text after it.

    Whether the difference fades depends on the cell and its weights, so measure it. In a plain
    RNN it passes from step to step through W_hh and the slope of tanh (to first order, the
    product of step Jacobians diag(tanh'(a_t)) W_hh that makes gradients vanish backwards); it
    fades when that product shrinks. An LSTM or GRU also carries it through gates that read
    h_{t-1}: a forget gate f_t (LSTM, c_t = f_t * c_{t-1} + ...) or an update gate z_t
    (GRU, h_t = (1 - z_t) * n_t + z_t * h_{t-1}) near 1 passes it on, and the two runs' gates
    may differ, so it need not fade (the shipped "hello" LSTM: 1.63, 0.61, 1.76, 0.43, 0.90).
    """
    _check_in_vocab(model.vocab, text)
    _check_in_vocab(model.vocab, first + text[1:])
    a = unroll(model.rnn, model.vocab.one_hot(text)).hidden[-1, 0, 0]
    b = unroll(model.rnn, model.vocab.one_hot(first + text[1:])).hidden[-1, 0, 0]
    return torch.linalg.vector_norm(a - b, dim=-1)


# -- training ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CharStep:
    step: int
    loss: float                 # L = mean over t of L_t
    losses_t: tuple[float, ...]  # L_t for each position
    probs: tuple[tuple[float, ...], ...]  # softmax at each position, (seq_len - 1, V)
    state: bytes | None = None  # the weights after this step (every ``snapshot_every`` steps)


def train_char_steps(model: CharModel, steps: int, lr: float = 0.05,
                     snapshot_every: int = 0) -> Iterator[CharStep]:
    """Train on the model's own text with Adam: read text[:-1], predict text[1:].

    Loss: L = (1/T) sum_t L_t with L_t the cross-entropy of step t (the mean, as
    ``nn.CrossEntropyLoss`` takes by default). The course notes' L = sum_t L_t is T times it:
    Adam's step m / (sqrt(v) + eps) is the same for both, up to eps.
    """
    steps, lr = CHAR.steps.check(steps), CHAR.lr.check(lr)
    text = model.config.text
    x = model.vocab.one_hot(text[:-1])
    y = model.vocab.encode(text[1:])

    def loss_fn(batch: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor, Tensor]:
        x, y = batch
        logits, _ = model(x)
        losses_t = nn.functional.cross_entropy(logits[:, 0], y, reduction="none")
        return losses_t.mean(), losses_t, logits

    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    # every step reads the whole text: the same one batch, ``steps`` times
    updates = optimize(model.parameters(), opt, itertools.repeat((x, y), steps), loss_fn)
    for step, u in enumerate(updates, 1):
        losses_t, logits = u.extra
        probs = logits[:, 0].detach().softmax(-1)
        snap = snapshot_every and (step % snapshot_every == 0 or step == steps)
        yield CharStep(step, u.loss, tuple(losses_t.tolist()),
                       tuple(tuple(p) for p in probs.tolist()),
                       state_bytes(model) if snap else None)
    model.eval()


def state_bytes(model: nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def load_state(model: nn.Module, state: bytes) -> nn.Module:
    model.load_state_dict(torch.load(io.BytesIO(state), weights_only=True))
    return model.eval()


@dataclass(frozen=True)
class CharTrainRequest:
    """What ``char_train_job`` runs: hashable and picklable (see ``engine.jobs``)."""

    config: CharConfig
    steps: int
    lr: float
    seed: int                        # the initial weights (unless init_state is given)
    init_state: bytes | None = None  # resume from these weights (a paused run's state_dict)


def char_train_job(request: CharTrainRequest | CharConfig, *args: Any, **kwargs: Any
                   ) -> Iterator[CharStep]:
    """A training run as a job (see ``engine.jobs``): the weights every 5 steps, so a view can
    follow the model as it learns; returns the final state_dict as bytes. ``init_state``
    resumes from saved weights (a paused run) instead of the seed's random ones.

    Called as ``char_train_job(CharTrainRequest(config, steps, lr, seed, init_state))``; the
    older positional form ``char_train_job(config, steps, lr, seed, init_state=None)`` still
    works.
    """
    request = as_request(CharTrainRequest, request, *args, **kwargs)
    model = build_char_model(request.config, request.seed)
    if request.init_state is not None:
        load_state(model, request.init_state)
    yield from train_char_steps(model, request.steps, request.lr, snapshot_every=5)
    return {"state_dict": state_bytes(model)}
