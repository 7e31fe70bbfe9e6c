"""Toy tasks, one for each topology, seeded and deterministic.

Every task draws batches from a ``torch.Generator``, so the same seed gives the same data. All
sequences of one batch share a length (no padding on the input side); generated outputs that end
at different lengths are padded with ``IGNORE`` so the loss skips them.

Topologies (the five of the course notes):

- one-to-one     ``next_digit``   a digit d -> (d + 1) mod 10       a plain network (seq_len 1)
- one-to-many    ``countdown``    a digit d -> "d d-1 ... 1 <end>"   like captioning: vector in
- many-to-one    ``parens``       "(()())" -> balanced or not        order matters: ")(" != "()"
- many-to-many   ``running_max``  "3152" -> "3355"                   aligned and causal
- encoder-decoder ``dedupe``      "11223" -> "123<end>"              output length != input length
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from .limits import LimitError

__all__ = ["IGNORE", "TASKS", "TASK_FOR_TOPOLOGY", "TOPOLOGIES", "Batch", "Task", "TaskInputError",
           "get_task"]

IGNORE = -100  # target id that cross-entropy skips (nn.CrossEntropyLoss's ignore_index)
DIGITS = tuple("0123456789")
END, START = "<end>", "<start>"

# the one-digit tasks draw their digit from here to 9 (a countdown from 0 would be empty)
_ONE_DIGIT_LOW = {"next_digit": 0, "countdown": 1}

TOPOLOGIES = ("one_to_one", "one_to_many", "many_to_one", "many_to_many", "encoder_decoder")


@dataclass(frozen=True)
class Batch:
    """One batch, batch-first.

    x:      (batch, seq_len, input_size) one-hot float inputs (seq_len 1 for a vector input)
    y:      targets, token ids: (batch,) for many-to-one and one-to-one, else (batch, out_len),
            padded with IGNORE after the end token
    y_in:   (batch, out_len) decoder inputs for teacher forcing: START, then y shifted right
            (generating topologies only, else None)
    """

    x: Tensor
    y: Tensor
    y_in: Tensor | None = None


@dataclass(frozen=True)
class Task:
    name: str
    topology: str
    in_vocab: tuple[str, ...]     # input symbols; x is one-hot over these
    out_vocab: tuple[str, ...]    # output classes / tokens
    min_len: int                  # input sequence length range (1 for a vector input)
    max_len: int
    max_out_len: int              # longest target, end token included

    @property
    def input_size(self) -> int:
        return len(self.in_vocab)

    @property
    def output_size(self) -> int:
        return len(self.out_vocab)

    @property
    def generates(self) -> bool:
        """True when the output is generated token by token, each step reading the last one."""
        return self.topology in ("one_to_many", "encoder_decoder")

    @property
    def end_id(self) -> int | None:
        return self.out_vocab.index(END) if END in self.out_vocab else None

    @property
    def start_id(self) -> int | None:
        return self.out_vocab.index(START) if START in self.out_vocab else None

    # -- the rule ---------------------------------------------------------------------------
    def solve(self, symbols: list[str]) -> list[str]:
        """The right answer for one input (a list of input symbols), as output symbols."""
        if self.name == "next_digit":
            return [DIGITS[(int(symbols[0]) + 1) % 10]]
        if self.name == "countdown":
            return [str(k) for k in range(int(symbols[0]), 0, -1)] + [END]
        if self.name == "parens":
            depth = 0
            for s in symbols:
                depth += 1 if s == "(" else -1
                if depth < 0:
                    return ["unbalanced"]
            return ["balanced" if depth == 0 else "unbalanced"]
        if self.name == "running_max":
            out, m = [], -1
            for s in symbols:
                m = max(m, int(s))
                out.append(str(m))
            return out
        if self.name == "dedupe":
            return [s for k, s in enumerate(symbols) if k == 0 or s != symbols[k - 1]] + [END]
        raise KeyError(self.name)

    # -- encoding -----------------------------------------------------------------------------
    def parse(self, text: str) -> list[str]:
        """Split user text into input symbols, checking vocabulary and length."""
        if not isinstance(text, str):
            raise LimitError("text", text, expected="a string")
        symbols = [c for c in text if not c.isspace()]
        if not symbols:
            raise TaskInputError("empty", self)
        bad = sorted({s for s in symbols if s not in self.in_vocab})
        if bad:
            raise TaskInputError("vocab", self, "".join(bad))
        if not self.min_len <= len(symbols) <= self.max_len:
            raise TaskInputError("length", self, len(symbols))
        return symbols

    def one_hot(self, symbols: list[str]) -> Tensor:
        """(1, seq_len, input_size) one-hot input for one example."""
        ids = torch.tensor([self.in_vocab.index(s) for s in symbols])
        return torch.nn.functional.one_hot(ids, self.input_size).float().unsqueeze(0)

    # -- sampling -----------------------------------------------------------------------------
    def all_inputs(self) -> list[list[str]] | None:
        """Every input this task trains on, when there are so few that training sees them all:
        the one-digit tasks (``next_digit``: the 10 digits; ``countdown``: 1 to 9). Such a task
        has no held-out input, so it is evaluated on each of these once. None for the tasks
        whose inputs are strings of many lengths, evaluated on fresh examples instead."""
        if self.name in _ONE_DIGIT_LOW:
            return [[d] for d in DIGITS[_ONE_DIGIT_LOW[self.name]:]]
        return None

    def sample_inputs(self, gen: torch.Generator, length: int) -> list[str]:
        def randint(lo: int, hi: int) -> int:  # inclusive
            return int(torch.randint(lo, hi + 1, (1,), generator=gen))

        if self.name in _ONE_DIGIT_LOW:
            return [DIGITS[randint(_ONE_DIGIT_LOW[self.name], 9)]]
        if self.name == "parens":
            return _sample_parens(gen, length)
        if self.name == "running_max":
            return [DIGITS[randint(0, 9)] for _ in range(length)]
        if self.name == "dedupe":
            out = [DIGITS[randint(0, 9)]]
            while len(out) < length:  # repeat the last digit half the time, so runs appear
                out.append(out[-1] if randint(0, 1) else DIGITS[randint(0, 9)])
            return out
        raise KeyError(self.name)

    def sample(self, gen: torch.Generator, batch_size: int, length: int | None = None) -> Batch:
        """A batch of ``batch_size`` examples of one input length (drawn if not given)."""
        if length is None:
            length = int(torch.randint(self.min_len, self.max_len + 1, (1,), generator=gen))
        inputs = [self.sample_inputs(gen, length) for _ in range(batch_size)]
        return self.make_batch(inputs)

    def make_batch(self, inputs: list[list[str]]) -> Batch:
        x = torch.cat([self.one_hot(s) for s in inputs], 0)
        targets = [[self.out_vocab.index(t) for t in self.solve(s)] for s in inputs]
        if self.topology in ("one_to_one", "many_to_one"):
            return Batch(x, torch.tensor([t[0] for t in targets]))
        if self.topology == "many_to_many":
            return Batch(x, torch.tensor(targets))
        n = max(len(t) for t in targets)
        y = torch.full((len(targets), n), IGNORE)
        y_in = torch.full((len(targets), n), self.end_id)
        y_in[:, 0] = self.start_id
        for k, t in enumerate(targets):
            y[k, :len(t)] = torch.tensor(t)
            y_in[k, 1:len(t)] = torch.tensor(t[:-1])
        return Batch(x, y, y_in)


class TaskInputError(ValueError):
    """User input that a task cannot read. ``kind`` is "empty", "vocab" or "length"."""

    def __init__(self, kind: str, task: Task, detail: object = None):
        self.kind, self.task, self.detail = kind, task, detail
        vocab = " ".join(task.in_vocab)
        msg = {
            "empty": f"the input is empty: type some of {vocab}",
            "vocab": f"{detail!r} not in this task's symbols ({vocab})",
            "length": f"the input has {detail} symbols; this task takes "
                      f"{task.min_len} to {task.max_len}",
        }[kind]
        super().__init__(msg)


def _sample_parens(gen: torch.Generator, length: int) -> list[str]:
    """Half balanced strings, half the same symbols shuffled (so mostly unbalanced)."""
    length += length % 2  # balanced strings have even length
    seq, depth, opens = [], 0, 0
    while len(seq) < length:  # a random walk that never goes below 0 and ends at 0
        remaining = length - len(seq)
        can_open = opens < length // 2
        can_close = depth > 0
        if can_open and (not can_close or torch.rand(1, generator=gen).item() < 0.5) \
                and depth < remaining:
            seq.append("(")
            depth, opens = depth + 1, opens + 1
        else:
            seq.append(")")
            depth -= 1
    if torch.rand(1, generator=gen).item() < 0.5:
        seq = [seq[k] for k in torch.randperm(len(seq), generator=gen).tolist()]
    return seq


TASKS: dict[str, Task] = {
    t.name: t
    for t in (
        Task("next_digit", "one_to_one", DIGITS, DIGITS, 1, 1, 1),
        Task("countdown", "one_to_many", DIGITS, DIGITS + (END, START), 1, 1, 10),
        Task("parens", "many_to_one", ("(", ")"), ("unbalanced", "balanced"), 2, 12, 1),
        Task("running_max", "many_to_many", DIGITS, DIGITS, 2, 16, 16),
        Task("dedupe", "encoder_decoder", DIGITS, DIGITS + (END, START), 2, 8, 9),
    )
}

TASK_FOR_TOPOLOGY = {t.topology: t.name for t in TASKS.values()}


def get_task(name: str) -> Task:
    if name not in TASKS:
        raise LimitError("task", name, expected="one of " + ", ".join(TASKS))
    return TASKS[name]
