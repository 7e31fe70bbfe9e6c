"""Tiny models for the five topologies, built from standard ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU``.

Each model keeps its recurrent module in plain sight (``model.rnn``, or ``model.encoder`` and
``model.decoder``) so that ``unroll`` can explain it, and a linear head maps h_t to logits:
y_t = W_hy h_t + b_y. Inputs are one-hot, so the "embedding" of symbol k is column k of W_ih.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import torch
from torch import Tensor, nn

from .cells import module
from .config import MODEL
from .limits import LimitError
from .seeding import empty, generator
from .tasks import Batch, Task
from .unroll import Unrolled, unroll

__all__ = ["CELLS", "ModelConfig", "TopologyModel", "build_model"]

CELLS = MODEL.cell.choices


@dataclass(frozen=True)
class ModelConfig:
    topology: str = MODEL.topology.default  # one of tasks.TOPOLOGIES
    cell: str = MODEL.cell.default  # "rnn" (tanh), "lstm" or "gru"
    input_size: int = MODEL.input_size.default  # one-hot width: the task's input vocabulary
    output_size: int = MODEL.output_size.default  # classes / output tokens
    hidden_size: int = MODEL.hidden_size.default  # units per layer
    num_layers: int = MODEL.num_layers.default  # stacked recurrent layers
    bidirectional: bool = MODEL.bidirectional.default  # refused where the model is autoregressive
    # between stacked layers (PyTorch applies none after the last)
    dropout: float = MODEL.dropout.default

    def check(self) -> ModelConfig:
        """Raise LimitError if any field is out of range; return self."""
        MODEL.check_fields(self)
        if self.bidirectional and self.topology == "one_to_many":
            raise AutoregressiveError(self.topology)
        return self

    @classmethod
    def for_task(cls, task: Task, **overrides) -> ModelConfig:
        return cls(topology=task.topology, input_size=task.input_size,
                   output_size=task.output_size, **overrides)


class AutoregressiveError(LimitError):
    """Bidirectional was asked of a model that reads its own previous output."""

    def __init__(self, topology: str):
        ValueError.__init__(
            self, f"a {topology} model is autoregressive (each step reads the previous output), "
                  "so it cannot read the sequence backwards: bidirectional must be False")
        self.name, self.value, self.low, self.high = "bidirectional", True, None, None
        self.expected = "False for an autoregressive model"


def _rnn(cell: str, input_size: int, cfg: ModelConfig, bidirectional: bool) -> nn.Module:
    return module(cell, input_size, cfg.hidden_size, num_layers=cfg.num_layers, batch_first=True,
                  bidirectional=bidirectional,
                  dropout=cfg.dropout if cfg.num_layers > 1 else 0.0)


class TopologyModel(nn.Module):
    """One of the five topologies around standard recurrent modules.

    one_to_one:      h = tanh(W_ih x + b_ih + b_hh) (one step from h_0 = 0), y = W_hy h + b_y
    one_to_many:     h_0 = tanh(W_c x + b_c); then each step reads the previous output token
    many_to_one:     y = W_hy h_T + b_y, from the final state (both directions if bidirectional)
    many_to_many:    y_t = W_hy h_t + b_y at every step
    encoder_decoder: the encoder's final state (the context vector) is the decoder's h_0; the
                     decoder reads the previous output token and stops at the end token
    """

    def __init__(self, config: ModelConfig):
        super().__init__()
        self.config = config.check()
        c, D = config, 2 if config.bidirectional else 1
        if c.topology == "encoder_decoder":
            self.encoder = _rnn(c.cell, c.input_size, c, c.bidirectional)
            self.decoder = _rnn(c.cell, c.output_size, c, False)
            # A bidirectional encoder's two final states are joined into one context per layer.
            self.bridge = nn.Linear(D * c.hidden_size, c.hidden_size) if D == 2 else None
            self.head = nn.Linear(c.hidden_size, c.output_size)
        elif c.topology == "one_to_many":
            self.init = nn.Linear(c.input_size, c.num_layers * c.hidden_size)
            self.rnn = _rnn(c.cell, c.output_size, c, False)
            self.head = nn.Linear(c.hidden_size, c.output_size)
        else:
            self.rnn = _rnn(c.cell, c.input_size, c, c.bidirectional)
            self.head = nn.Linear(D * c.hidden_size, c.output_size)

    # -- teacher-forced forward: logits aligned with Batch.y ------------------------------------
    def forward(self, batch: Batch) -> Tensor:
        """Logits: (batch, classes) for one/many-to-one, else (batch, out_len, classes)."""
        c = self.config
        if c.topology in ("one_to_one", "many_to_one"):
            _, h_n = self.rnn(batch.x)
            h_last = self._top(h_n)  # (B, D*H)
            return self.head(h_last)
        if c.topology == "many_to_many":
            output, _ = self.rnn(batch.x)
            return self.head(output)
        state = self.initial_state(batch.x)
        y_in = nn.functional.one_hot(batch.y_in, c.output_size).float()
        output, _ = self.generator_rnn(y_in, state)
        return self.head(output)

    @property
    def generator_rnn(self) -> nn.Module:
        return self.decoder if self.config.topology == "encoder_decoder" else self.rnn

    def _top(self, h_n: Tensor | tuple[Tensor, Tensor]) -> Tensor:
        """The top layer's final state, both directions concatenated: (B, D*H)."""
        if isinstance(h_n, tuple):
            h_n = h_n[0]
        D = 2 if self.config.bidirectional else 1
        return torch.cat(list(h_n[-D:]), -1)

    def initial_state(self, x: Tensor):
        """h_0 of the generating RNN: from the vector (one-to-many) or the encoder (context)."""
        c = self.config
        B = x.shape[0]
        if c.topology == "one_to_many":
            h0 = torch.tanh(self.init(x[:, 0])).view(B, c.num_layers, c.hidden_size)
            h0 = h0.transpose(0, 1).contiguous()  # (num_layers, B, H)
            return (h0, torch.zeros_like(h0)) if c.cell == "lstm" else h0
        _, state = self.encoder(x)
        if self.bridge is None:
            return state

        def join(s: Tensor) -> Tensor:  # (L*2, B, H) -> (L, B, H)
            s = s.view(c.num_layers, 2, B, c.hidden_size)
            return torch.tanh(self.bridge(torch.cat([s[:, 0], s[:, 1]], -1)))

        return tuple(join(s) for s in state) if isinstance(state, tuple) else join(state)

    # -- inference -------------------------------------------------------------------------------
    @torch.no_grad()
    def predict(self, x: Tensor, task: Task) -> Tensor:
        """Predicted token ids: (B,) for one/many-to-one, (B, T) aligned, (B, <=max_out) generated.

        Generation is greedy: each step feeds back its own argmax, and stops at the end token.
        """
        c = self.config
        if not task.generates:
            logits = self.forward(Batch(x, torch.zeros(0)))
            return logits.argmax(-1)
        state = self.initial_state(x)
        B = x.shape[0]
        tok = torch.full((B,), task.start_id)
        out = []
        done = torch.zeros(B, dtype=torch.bool)
        for _ in range(task.max_out_len):
            inp = nn.functional.one_hot(tok, c.output_size).float().unsqueeze(1)
            o, state = self.generator_rnn(inp, state)
            logits = self.head(o[:, 0])
            logits[:, task.start_id] = -torch.inf  # <start> is an input, never an output
            tok = logits.argmax(-1)
            tok = torch.where(done, torch.full_like(tok, task.end_id), tok)
            out.append(tok)
            done |= tok == task.end_id
            if bool(done.all()):
                break
        return torch.stack(out, 1)

    @torch.no_grad()
    def unrolled(self, x: Tensor, task: Task) -> Unrolling:
        """What the model does on one input ``x`` (1, T, input_size), step by step: its
        prediction, and every step of its recurrent module(s) (``engine.unroll``). A generating
        model is replayed on its own previous outputs (greedy, from the start token, up to and
        with the end token): the decoder reads y_(t-1), so that is what its steps show."""
        pred = self.predict(x, task)[0].reshape(-1).tolist()
        if task.generates and task.end_id in pred:
            pred = pred[:pred.index(task.end_id) + 1]
        if not task.generates:
            return Unrolling(pred, None, unroll(self.rnn, x), None)
        y_in = [task.start_id] + pred[:-1]
        inputs = nn.functional.one_hot(torch.tensor([y_in]), self.config.output_size).float()
        decoder = unroll(self.generator_rnn, inputs, self.initial_state(x))
        encoder = unroll(self.encoder, x) if self.config.topology == "encoder_decoder" else None
        return Unrolling(pred, encoder, decoder, y_in)


class Unrolling(NamedTuple):
    """A model's run on one input, step by step (:meth:`TopologyModel.unrolled`)."""

    prediction: list[int]          # output token ids (aligned, one class, or generated)
    encoder: Unrolled | None       # the encoder's steps (encoder-decoder only)
    steps: Unrolled                # the recurrent module that makes the outputs: its steps
    decoder_inputs: list[int] | None  # what each generating step read: <start>, y_1, ...


def build_model(config: ModelConfig, seed: int = 0) -> TopologyModel:
    """A fresh model, initialised from ``seed`` without touching torch's global RNG.

    Every weight is drawn from U(-1/sqrt(H), 1/sqrt(H)) as PyTorch's own default init does for
    recurrent layers (fan-in for the linear layers), but from a private generator, so training
    jobs on several threads stay reproducible.
    """
    model = empty(lambda: TopologyModel(config))
    gen = generator(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            mod_name = name.rsplit(".", 1)[0]
            mod = model.get_submodule(mod_name)
            fan = mod.hidden_size if isinstance(mod, nn.RNNBase) else mod.in_features
            k = 1.0 / math.sqrt(fan)
            p.copy_(torch.empty_like(p).uniform_(-k, k, generator=gen))
    return model

