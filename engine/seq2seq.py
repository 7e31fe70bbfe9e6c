"""Seq2seq on digits: a plain encoder-decoder against one with attention.

The task is seq2seq (a digit string in, a digit string out); the architecture is an
encoder-decoder around standard ``nn.GRU`` / ``nn.LSTM`` modules. Token ids 0-9 are the digits,
``START`` = 10 is the decoder's first input. The encoder reads exactly the source digits
x_1..x_S (embedded) and gives its states h_1..h_S; the decoder writes one digit per step.

- No attention (Sutskever et al. 2014; Cho et al. 2014): the decoder starts from the encoder's
  final state s_0 = h_S (the context vector) and never sees the source again:
  s_t = cell(E y_{t-1}, s_{t-1}),  logits_t = W_o s_t + b_o.
- Additive attention (Bahdanau et al. 2014): before step t, the previous decoder state s_{t-1}
  scores every encoder state:
  e_tj = v^T tanh(W s_{t-1} + U h_j),  alpha_tj = softmax_j(e_tj),  c_t = sum_j alpha_tj h_j,
  s_t = cell([E y_{t-1}; c_t], s_{t-1}),  logits_t = W_o [s_t; c_t] + b_o.
- Luong attention (Luong et al. 2015), ``attention="dot"``: after the decoder step,
  s_t = cell(E y_{t-1}, s_{t-1}),  e_tj = s_t . k_j,  alpha_tj = softmax_j(e_tj),
  c_t = sum_j alpha_tj h_j,  h~_t = tanh(W_c [s_t; c_t] + b_c),  logits_t = W_o h~_t + b_o.
  With a one-way encoder k_j = h_j: Luong's *dot* score s_t . h_j. With a two-way encoder
  k_j = W_k h_j: Luong's *general* (bilinear) score s_t^T W_k h_j, a learned matrix between the
  state and each h_j (the value "dot" is kept for compatibility; the page calls it general).

With a bidirectional encoder (attention only), h_j = [h_j(forward); h_j(backward)] has 2H floats,
and the decoder starts from a bridge, s_0 = tanh(W_b [h_S(forward); h_1(backward)] + b_b). So the
shipped Luong model differs from the additive one in more than its score: a two-way encoder, a
bridge, W_k, and more parameters (77,018 against 53,722 for additive and 32,474 without attention
at H = 64, E = 16; count them with ``sum(p.numel() for p in model.parameters())``).

Attention moves the length at which accuracy falls much further out; it does not remove it. The
shipped reversal models (trained on 5-20 digits) are near 100% per token on short sources; at 30
digits the attention models are down to roughly 80-90%, the plain one to about 30%.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, NamedTuple

import torch
from torch import Tensor, nn

from .cells import module
from .config import MAX_SRC_LEN, SEQ2SEQ, SEQ2SEQ_TRAIN
from .jobs import as_request
from .limits import LIMITS, LimitError, check_int
from .seeding import build, empty, generator
from .train import Update, optimize, train_step

__all__ = [
    "ATTENTIONS", "MAX_SRC_LEN", "SEQ2SEQ_CELLS", "SEQ2SEQ_RULES", "SEQ2SEQ_TASKS", "START",
    "AttentionStep", "DecoderStep", "Decoded", "DigitsError", "PairStep", "PairTrainRequest",
    "Seq2Seq", "Seq2SeqConfig", "Seq2SeqTrainConfig",
    "accuracy_by_length", "accuracy_by_position", "attention_step", "attention_steps",
    "build_seq2seq",
    "digit_batch", "encode_digits", "eval_lengths", "greedy_decode", "held_out_accuracy",
    "max_train_steps", "model_from_state", "pair_train_job", "seq2seq_train_steps", "state_bytes",
    "steps_to_accuracy", "target_of",
]

START = 10                       # the decoder's first input; ids 0-9 are the digits
SEQ2SEQ_CELLS = SEQ2SEQ.cell.choices
ATTENTIONS = (None, *SEQ2SEQ.attention.choices)


class DigitsError(LimitError):
    """A source string the models cannot read: ``kind`` is "empty", "digits" or "long"."""

    def __init__(self, kind: str, detail: object = None):
        msgs = {"empty": "the input is empty: type some digits, like 31415",
                "digits": f"the input may hold only the digits 0-9, not {detail!r}",
                "long": f"the input has {detail} digits; at most {MAX_SRC_LEN}"}
        ValueError.__init__(self, msgs[kind])
        self.kind, self.detail = kind, detail
        self.name, self.value, self.low, self.high, self.expected = "digits", detail, None, None, ""


def encode_digits(text: object) -> Tensor:
    """``"3141"`` -> LongTensor (1, 4) of digit ids; spaces are ignored."""
    if not isinstance(text, str):
        raise LimitError("digits", text, expected="a string")
    text = "".join(text.split())
    if not text:
        raise DigitsError("empty")
    bad = "".join(sorted({c for c in text if c not in "0123456789"}))
    if bad:
        raise DigitsError("digits", bad)
    if len(text) > MAX_SRC_LEN:
        raise DigitsError("long", len(text))
    return torch.tensor([[int(c) for c in text]])


# task -> its rule: the right answer for src (B, S), x_1..x_S in each row
SEQ2SEQ_RULES: dict[str, Callable[[Tensor], Tensor]] = {
    "reverse": lambda src: src.flip(-1),          # x_S..x_1
    "copy": lambda src: src.clone(),              # x_1..x_S
    "sort": lambda src: src.sort(-1).values,      # ascending
}
SEQ2SEQ_TASKS = tuple(SEQ2SEQ_RULES)
assert SEQ2SEQ_TRAIN.task.choices == SEQ2SEQ_TASKS  # the settings name every task


def target_of(task: str, src: Tensor) -> Tensor:
    """The right answer: ``reverse`` x_S..x_1, ``copy`` x_1..x_S, ``sort`` ascending."""
    if task not in SEQ2SEQ_RULES:
        raise LimitError("task", task, expected="one of " + ", ".join(SEQ2SEQ_TASKS))
    return SEQ2SEQ_RULES[task](src)


def digit_batch(task: str, gen: torch.Generator, batch_size: int, length: int
                ) -> tuple[Tensor, Tensor]:
    """``batch_size`` random digit strings of one ``length``: (src, tgt), both (B, length)."""
    src = torch.randint(0, 10, (batch_size, length), generator=gen)
    return src, target_of(task, src)


# -- the model ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seq2SeqConfig:
    cell: str = SEQ2SEQ.cell.default  # "gru" or "lstm"
    # None, "additive" (Bahdanau) or "dot" (Luong: dot score; general score s^T W_k h_j with a
    # bidirectional encoder)
    attention: str | None = SEQ2SEQ.attention.default
    # H: the context vector of the plain model has H floats
    hidden_size: int = SEQ2SEQ.hidden_size.default
    embed_size: int = SEQ2SEQ.embed_size.default  # E: each digit's learned embedding
    # encoder reads both ways (with attention only)
    bidirectional: bool = SEQ2SEQ.bidirectional.default

    def check(self) -> Seq2SeqConfig:
        SEQ2SEQ.check_fields(self)
        if self.bidirectional and self.attention is None:
            # the plain model's whole point is one context vector, the encoder's last state
            raise LimitError("bidirectional", True, expected="False without attention")
        return self


class Decoded(NamedTuple):
    tokens: Tensor              # (batch, steps) predicted digit ids
    attention: Tensor | None    # (batch, steps, src_len), rows sum to 1; None without attention


class DecoderStep(NamedTuple):
    """One decoder step, every term it used (batch first). Without attention, only ``logits``,
    ``state`` and ``joined`` are set."""

    logits: Tensor                  # (B, 10)
    state: Tensor | tuple           # s_t (and the LSTM's cell state): the decoder's new state
    joined: Tensor                  # what the head reads: s_t, [s_t; c_t] or h~_t
    scores: Tensor | None = None    # e_t (B, S)
    weights: Tensor | None = None   # alpha_t (B, S), rows sum to 1
    context: Tensor | None = None   # c_t (B, D*H)
    query: Tensor | None = None     # the state that scored: s_{t-1} (additive) or s_t (dot)


class Seq2Seq(nn.Module):
    """Encoder-decoder on digits; ``config.attention`` picks none, additive or Luong's dot
    (general with a bidirectional encoder); see the module."""

    def __init__(self, config: Seq2SeqConfig):
        super().__init__()
        self.config = c = config.check()
        H, E = c.hidden_size, c.embed_size
        D = 2 if c.bidirectional else 1
        self.src_embed = nn.Embedding(10, E)
        self.tgt_embed = nn.Embedding(11, E)      # the digits and START
        self.encoder = module(c.cell, E, H, batch_first=True, bidirectional=c.bidirectional)
        self.decoder = module(c.cell, E + (D * H if c.attention == "additive" else 0), H,
                              batch_first=True)
        if c.bidirectional:
            self.bridge = nn.Linear(2 * H, H)     # s_0 = tanh(W_b [h_S(fwd); h_1(bwd)] + b_b)
        if c.attention == "additive":
            self.W = nn.Linear(H, H, bias=False)  # W s_{t-1}
            self.U = nn.Linear(D * H, H)          # U h_j (+ its bias)
            self.v = nn.Linear(H, 1, bias=False)  # v^T tanh(...)
            self.head = nn.Linear(H + D * H, 10)  # W_o [s_t; c_t] + b_o
        elif c.attention == "dot":
            if c.bidirectional:
                self.key = nn.Linear(2 * H, H, bias=False)  # k_j = W_k h_j: general score
            self.combine = nn.Linear(H + D * H, H)          # h~_t = tanh(W_c [s_t; c_t] + b_c)
            self.head = nn.Linear(H, 10)
        else:
            self.head = nn.Linear(H, 10)

    # encoder
    def encode(self, src: Tensor) -> tuple[Tensor, object]:
        """src (B, S) digit ids -> encoder states h (B, S, D*H), decoder start state s_0."""
        h, state = self.encoder(self.src_embed(src))
        if self.config.bidirectional:
            last = state[0] if isinstance(state, tuple) else state      # (2, B, H)
            s0 = torch.tanh(self.bridge(torch.cat([last[0], last[1]], -1)))[None]
            # an LSTM decoder's cell state starts at zero: only h carries the summary
            state = (s0, torch.zeros_like(s0)) if isinstance(state, tuple) else s0
        return h, state

    def keys(self, h: Tensor) -> Tensor | None:
        """What the scores compare against: U h_j (additive), h_j (dot) or W_k h_j (general,
        the ``"dot"`` model with a bidirectional encoder)."""
        if self.config.attention == "additive":
            return self.U(h)
        if self.config.attention == "dot":
            return self.key(h) if self.config.bidirectional else h
        return None

    @staticmethod
    def _top(state) -> Tensor:
        return (state[0] if isinstance(state, tuple) else state)[-1]   # (B, H): s_t

    def step(self, y_prev: Tensor, state, h: Tensor, keys: Tensor | None) -> DecoderStep:
        """One decoder step from y_{t-1} (B,) and s_{t-1}, with every term it used."""
        emb = self.tgt_embed(y_prev)[:, None]                          # (B, 1, E)
        att = self.config.attention
        if att is None:
            out, state = self.decoder(emb, state)
            return DecoderStep(self.head(out[:, 0]), state, out[:, 0])
        if att == "additive":
            query = self._top(state)                                   # s_{t-1}
            # e_tj = v^T tanh(W s_{t-1} + U h_j)
            scores = self.v(torch.tanh(self.W(query)[:, None] + keys))[..., 0]
            weights = scores.softmax(-1)
            context = torch.bmm(weights[:, None], h)[:, 0]             # c_t = sum_j alpha_tj h_j
            out, state = self.decoder(torch.cat([emb, context[:, None]], -1), state)
            joined = torch.cat([out[:, 0], context], -1)               # [s_t; c_t]
            logits = self.head(joined)
        else:
            out, state = self.decoder(emb, state)
            query = out[:, 0]                                          # s_t
            scores = torch.bmm(keys, query[:, :, None])[..., 0]        # e_tj = s_t . k_j
            weights = scores.softmax(-1)
            context = torch.bmm(weights[:, None], h)[:, 0]
            joined = torch.tanh(self.combine(torch.cat([query, context], -1)))  # h~_t
            logits = self.head(joined)
        return DecoderStep(logits, state, joined, scores, weights, context, query)

    def forward(self, src: Tensor, tgt_in: Tensor) -> tuple[Tensor, Tensor | None]:
        """Teacher forcing: the decoder reads tgt_in (B, T) (START, then the target shifted
        right). Returns logits (B, T, 10) and attention (B, T, S) or None."""
        h, state = self.encode(src)
        keys = self.keys(h)
        logits, weights = [], []
        for t in range(tgt_in.shape[1]):
            out = self.step(tgt_in[:, t], state, h, keys)
            state = out.state
            logits.append(out.logits)
            if out.weights is not None:
                weights.append(out.weights)
        return torch.stack(logits, 1), torch.stack(weights, 1) if weights else None


def build_seq2seq(config: Seq2SeqConfig, seed: int = 0) -> Seq2Seq:
    """Fresh weights drawn from a private generator seeded by ``seed`` (PyTorch's default
    ranges: U(-1/sqrt(H), 1/sqrt(H)) for the recurrent cells, N(0, 1) for embeddings)."""
    config.check()
    return build(lambda: Seq2Seq(config), generator(seed)).eval()


def _check_src(src: object) -> Tensor:
    if not isinstance(src, Tensor) or src.dtype != torch.long or src.dim() != 2:
        raise LimitError("src", type(src).__name__, expected="a LongTensor (batch, src_len)")
    check_int("src_len", src.shape[1], 1, MAX_SRC_LEN)
    if src.numel() and (src.min() < 0 or src.max() > 9):
        raise LimitError("src", "ids outside 0-9", expected="digit ids 0-9")
    return src


@torch.no_grad()
def greedy_decode(model: Seq2Seq, src: Tensor, steps: int) -> Decoded:
    """Greedy decoding: each step reads the digit the model wrote last (START at first).

    src (batch, src_len) LongTensor of digit ids -> Decoded(tokens (batch, steps),
    attention (batch, steps, src_len) or None).
    """
    _check_src(src)
    steps = check_int("steps", steps, 1, MAX_SRC_LEN + 10)
    h, state = model.encode(src)
    keys = model.keys(h)
    y = torch.full((src.shape[0],), START, dtype=torch.long)
    tokens, weights = [], []
    for _ in range(steps):
        out = model.step(y, state, h, keys)
        state, y = out.state, out.logits.argmax(-1)
        tokens.append(y)
        if out.weights is not None:
            weights.append(out.weights)
    return Decoded(torch.stack(tokens, 1), torch.stack(weights, 1) if weights else None)


class AttentionStep(NamedTuple):
    """Output step t (0-based) of greedy decoding, term by term, for one source."""

    t: int
    scores: Tensor      # (S,) e_tj
    weights: Tensor     # (S,) alpha_tj = softmax_j(e_tj)
    states: Tensor      # (S, D*H) the encoder states h_j
    context: Tensor     # (D*H,) c_t = sum_j alpha_tj h_j
    query: Tensor       # (H,) the state that scored: s_{t-1} (additive) or s_t (dot, general)
    decoder_state: Tensor  # (H,) s_t
    joined: Tensor      # what the head reads: [s_t; c_t] (additive) or h~_t (dot)
    probs: Tensor       # (10,) softmax of the logits
    token: int          # the digit written


@torch.no_grad()
def attention_step(model: Seq2Seq, src: Tensor, t: int) -> AttentionStep:
    """The terms of output step ``t`` when ``model`` greedily decodes ``src`` (1, S)."""
    _check_src(src)
    t = check_int("t", t, 0, src.shape[1] - 1)
    return _attention_steps(model, src, t + 1)[t]


@torch.no_grad()
def attention_steps(model: Seq2Seq, src: Tensor) -> list[AttentionStep]:
    """:func:`attention_step` of every output step (one a source digit), in one decoding."""
    _check_src(src)
    return _attention_steps(model, src, src.shape[1])


def _attention_steps(model: Seq2Seq, src: Tensor, n: int) -> list[AttentionStep]:
    if model.config.attention is None:
        raise LimitError("attention", None, expected="a model with attention")
    h, state = model.encode(src)
    keys = model.keys(h)
    y = torch.full((1,), START, dtype=torch.long)
    steps = []
    for t in range(n):
        out = model.step(y, state, h, keys)
        state, y = out.state, out.logits.argmax(-1)
        steps.append(AttentionStep(t, out.scores[0], out.weights[0], h[0], out.context[0],
                                   out.query[0], model._top(state)[0], out.joined[0],
                                   out.logits[0].softmax(-1), int(y[0])))
    return steps


# -- training -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seq2SeqTrainConfig:
    task: str = SEQ2SEQ_TRAIN.task.default  # "reverse", "copy" or "sort"
    # source lengths drawn uniformly from [min_len, max_len]
    min_len: int = SEQ2SEQ_TRAIN.min_len.default
    max_len: int = SEQ2SEQ_TRAIN.max_len.default
    steps: int = SEQ2SEQ_TRAIN.steps.default  # optimizer steps (one batch each)
    batch_size: int = SEQ2SEQ_TRAIN.batch_size.default
    lr: float = SEQ2SEQ_TRAIN.lr.default  # Adam
    # max gradient norm (rescales the whole step when larger)
    clip: float = SEQ2SEQ_TRAIN.clip.default
    seed: int = SEQ2SEQ_TRAIN.seed.default  # data order; the models' init has its own seed

    def check(self) -> Seq2SeqTrainConfig:
        SEQ2SEQ_TRAIN.check_fields(self)
        if self.min_len > self.max_len:
            raise LimitError("min_len", self.min_len, 1, self.max_len)
        return self


def _batches(cfg: Seq2SeqTrainConfig) -> Iterator[tuple[Tensor, Tensor]]:
    """The training data: each step one length, then a batch of that length (no padding)."""
    gen = generator(cfg.seed)
    for _ in range(cfg.steps):
        length = int(torch.randint(cfg.min_len, cfg.max_len + 1, (1,), generator=gen))
        yield digit_batch(cfg.task, gen, cfg.batch_size, length)


def _loss(model: Seq2Seq, batch: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor, Tensor]:
    """Teacher forcing: the decoder reads START, then the target shifted right; the loss is the
    mean cross-entropy over every output token of the batch. Returns it, the logits and tgt."""
    src, tgt = batch
    tgt_in = torch.cat([torch.full_like(tgt[:, :1], START), tgt[:, :-1]], 1)
    logits, _ = model(src, tgt_in)
    return nn.functional.cross_entropy(logits.reshape(-1, 10), tgt.reshape(-1)), logits, tgt


def _loss_and_accuracy(u: Update) -> tuple[float, float]:
    """(loss, teacher-forced accuracy on the batch) of one step."""
    logits, tgt = u.extra
    return u.loss, float((logits.argmax(-1) == tgt).float().mean())


def seq2seq_train_steps(model: Seq2Seq, cfg: Seq2SeqTrainConfig) -> Iterator[tuple[float, float]]:
    """Train with Adam and teacher forcing; yields (loss, teacher-forced accuracy) per step.

    Loss: mean cross-entropy over every output token of the batch. The gradient is clipped at
    ``cfg.clip``: it keeps an occasional large step (long sources, early training) from undoing
    progress.
    """
    cfg.check()
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    model.train()
    loss_fn = functools.partial(_loss, model)
    for u in optimize(model.parameters(), opt, _batches(cfg), loss_fn, clip=cfg.clip):
        yield _loss_and_accuracy(u)
    model.eval()


@torch.no_grad()
def accuracy_by_length(model: Seq2Seq, task: str, lengths: range | list[int], n: int = 200,
                       seed: int = 12345) -> list[float]:
    """Per-token accuracy (percent) of greedy decoding, on ``n`` fresh sources of each length
    (drawn from a held-out seed: training never sees this generator)."""
    gen = generator(seed)
    out = []
    for length in lengths:
        src, tgt = digit_batch(task, gen, n, check_int("length", length, 1, MAX_SRC_LEN))
        out.append(100.0 * float((greedy_decode(model, src, length).tokens == tgt)
                                 .float().mean()))
    return out


@torch.no_grad()
def accuracy_by_position(model: Seq2Seq, task: str, length: int, n: int = 500,
                         seed: int = 54321) -> list[float]:
    """Per-position accuracy (percent) of greedy decoding on ``n`` fresh sources of ``length``:
    entry p is how often output digit p+1 is right."""
    gen = generator(seed)
    src, tgt = digit_batch(task, gen, n, check_int("length", length, 1, MAX_SRC_LEN))
    hits = greedy_decode(model, src, length).tokens == tgt
    return (100.0 * hits.float().mean(0)).tolist()


def held_out_accuracy(model: Seq2Seq, task: str, lengths: tuple[int, int], n: int = 1024,
                      seed: int = 777) -> float:
    """Per-token accuracy (percent) over ``n`` fresh sources spread over the trained lengths."""
    lo, hi = lengths
    per = max(1, n // (hi - lo + 1))
    accs = accuracy_by_length(model, task, range(lo, hi + 1), per, seed)
    weights = list(range(lo, hi + 1))    # a source of length L has L tokens
    return sum(a * w for a, w in zip(accs, weights)) / sum(weights)


def state_bytes(model: nn.Module) -> bytes:
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    return buf.getvalue()


def model_from_state(config: Seq2SeqConfig, state: bytes) -> Seq2Seq:
    model = empty(lambda: Seq2Seq(config))  # no draws: every weight is loaded
    model.load_state_dict(torch.load(io.BytesIO(state), weights_only=True))
    return model.eval()


# -- both models as one job -----------------------------------------------------------------------
@dataclass(frozen=True)
class PairStep:
    step: int
    loss_plain: float       # the model without attention
    loss_attention: float   # the model with attention, same batch
    accuracy_plain: float   # teacher-forced accuracy on the batch (fraction)
    accuracy_attention: float

    @property
    def loss(self) -> float:
        """The mean of both losses, for views that follow any job by one number."""
        return (self.loss_plain + self.loss_attention) / 2


def eval_lengths(cfg: Seq2SeqTrainConfig) -> list[int]:
    """Lengths for the accuracy-vs-length curve: the trained range and beyond it, up to the
    longest source a user may give (past the trained lengths attention models fall too, later)."""
    return list(range(max(1, cfg.min_len - 2), MAX_SRC_LEN + 1))


# A run's cost, in steps of the default run (GRU, H = 64, lengths 5-20, batch 64; ~54 ms a step
# for the pair on one core of a loaded 2-core machine). Fitted to bench/bench_seq2seq.py's
# "cost of a step" table: time grows with the length L a bit faster than linearly (attention
# adds an L x L term) and with H^2 only once H passes ~64 (below that, Python's overhead rules).
TRAIN_BUDGET = 3000.0  # the default run at the step limit: about 1.5 min alone, 3 min loaded


def step_cost(attended: Seq2SeqConfig, cfg: Seq2SeqTrainConfig) -> float:
    """The cost of one step of the pair job (plain + ``attended``), relative to the default."""
    L = (cfg.min_len + cfg.max_len) / 2
    cost = L * (1 + L / 25) * (0.6 + 0.4 * (attended.hidden_size / 64) ** 2)
    cost *= (1.1 if attended.cell == "lstm" else 1.0) * (1.15 if attended.bidirectional else 1.0)
    return cost * (cfg.batch_size / 64) / (12.5 * 1.5)


def max_train_steps(attended: Seq2SeqConfig, cfg: Seq2SeqTrainConfig) -> int:
    """The most steps a run of these models and lengths may take (the step limit, or fewer so
    that the largest run a user may start ends in a few minutes on one core)."""
    return max(1, min(LIMITS.max_steps, int(TRAIN_BUDGET / step_cost(attended, cfg))))


@dataclass(frozen=True)
class PairTrainRequest:
    """What ``pair_train_job`` runs: hashable and picklable (see ``engine.jobs``)."""

    plain: Seq2SeqConfig             # the model without attention
    attended: Seq2SeqConfig          # the model with attention
    train: Seq2SeqTrainConfig        # one recipe for both
    init_seed: int = 0               # both models' initial weights

    @property
    def steps(self) -> int:
        """The run's length, as every job request says it (``snap.request.steps``)."""
        return self.train.steps


def pair_train_job(request: PairTrainRequest | Seq2SeqConfig, *args: Any, **kwargs: Any
                   ) -> Iterator[PairStep]:
    """Train the plain model and the attention model on identical batches, seed and budget,
    step by step side by side; returns both state_dicts (bytes) and their accuracy curves.

    Called as ``pair_train_job(PairTrainRequest(plain, attended, train, init_seed))``; the
    older positional form ``pair_train_job(plain, attended, cfg, init_seed=0)`` still works.
    """
    request = as_request(PairTrainRequest, request, *args, **kwargs)
    plain, attended, cfg = request.plain, request.attended, request.train.check()
    if plain.attention is not None or attended.attention is None:
        raise LimitError("attention", attended.attention, expected="one plain, one with attention")
    check_int("steps", cfg.steps, 1, max_train_steps(attended.check(), cfg))
    models = [build_seq2seq(plain, request.init_seed), build_seq2seq(attended, request.init_seed)]
    opts = [torch.optim.Adam(m.parameters(), lr=cfg.lr) for m in models]
    params = [list(m.parameters()) for m in models]
    loss_fns = [functools.partial(_loss, m) for m in models]
    for m in models:
        m.train()
    # one batch a step, drawn once and given to both models, the plain one first
    for step, batch in enumerate(_batches(cfg), 1):
        (lp, ap), (la, aa) = (_loss_and_accuracy(train_step(p, o, f, batch, clip=cfg.clip))
                              for p, o, f in zip(params, opts, loss_fns))
        yield PairStep(step, lp, la, ap, aa)
    result = {}
    lengths = eval_lengths(cfg)
    for key, m in zip(("plain", "attention"), models):
        m.eval()
        result[key] = {
            "config": asdict(m.config), "state_dict": state_bytes(m),
            "by_length": accuracy_by_length(m, cfg.task, lengths),
            "by_position": accuracy_by_position(m, cfg.task, cfg.max_len),
            "accuracy": held_out_accuracy(m, cfg.task, (cfg.min_len, cfg.max_len)),
        }
    result["lengths"] = lengths
    result["accuracy"] = {k: result[k]["accuracy"] for k in ("plain", "attention")}
    return result


def steps_to_accuracy(model: Seq2Seq, cfg: Seq2SeqTrainConfig, target: float = 95.0,
                      every: int = 50) -> tuple[int | None, list[tuple[int, float]]]:
    """Train until held-out per-token accuracy on the trained lengths reaches ``target``;
    returns the step it did (None if never within cfg.steps) and the (step, accuracy) checks."""
    checks = []
    for step, _ in enumerate(seq2seq_train_steps(model, cfg), 1):
        if step % every == 0:
            model.eval()
            acc = held_out_accuracy(model, cfg.task, (cfg.min_len, cfg.max_len), n=256)
            model.train()
            checks.append((step, acc))
            if acc >= target:
                model.eval()
                return step, checks
    return None, checks
