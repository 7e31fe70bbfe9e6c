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

from collections.abc import Callable
from dataclasses import dataclass

import torch
from torch import Tensor

from .limits import LimitError

__all__ = ["IGNORE", "TASKS", "TASK_FOR_TOPOLOGY", "TOPOLOGIES", "Batch", "Task", "TaskInputError",
           "get_task"]

IGNORE = -100  # target id that cross-entropy skips (nn.CrossEntropyLoss's ignore_index)
DIGITS = tuple("0123456789")
END, START = "<end>", "<start>"

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
    rule: Callable[[list[str]], list[str]]  # input symbols -> the right output symbols
    draw: Callable[[torch.Generator, int], list[str]] | None = None  # a random input of a length
    first_digit: int | None = None  # one-digit tasks: inputs are the digits from this one to 9

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
        return self.rule(symbols)

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
        return None if self.first_digit is None else [[d] for d in DIGITS[self.first_digit:]]

    def sample_inputs(self, gen: torch.Generator, length: int) -> list[str]:
        """One random input of ``length`` symbols (one digit for the one-digit tasks)."""
        if self.first_digit is not None:
            return [DIGITS[_randint(gen, self.first_digit, 9)]]
        return self.draw(gen, length)

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


def _randint(gen: torch.Generator, lo: int, hi: int) -> int:
    """A whole number in [lo, hi], both included, from ``gen``."""
    return int(torch.randint(lo, hi + 1, (1,), generator=gen))


# -- the five tasks: each one's rule and its random inputs ---------------------------------------
def _next_digit(symbols: list[str]) -> list[str]:
    return [DIGITS[(int(symbols[0]) + 1) % 10]]


def _countdown(symbols: list[str]) -> list[str]:
    return [str(k) for k in range(int(symbols[0]), 0, -1)] + [END]


def _parens(symbols: list[str]) -> list[str]:
    depth = 0
    for s in symbols:
        depth += 1 if s == "(" else -1
        if depth < 0:
            return ["unbalanced"]
    return ["balanced" if depth == 0 else "unbalanced"]


def _running_max(symbols: list[str]) -> list[str]:
    out, m = [], -1
    for s in symbols:
        m = max(m, int(s))
        out.append(str(m))
    return out


def _dedupe(symbols: list[str]) -> list[str]:
    return [s for k, s in enumerate(symbols) if k == 0 or s != symbols[k - 1]] + [END]


def _digits(gen: torch.Generator, length: int) -> list[str]:
    return [DIGITS[_randint(gen, 0, 9)] for _ in range(length)]


def _digits_with_runs(gen: torch.Generator, length: int) -> list[str]:
    out = [DIGITS[_randint(gen, 0, 9)]]
    while len(out) < length:  # repeat the last digit half the time, so runs appear
        out.append(out[-1] if _randint(gen, 0, 1) else DIGITS[_randint(gen, 0, 9)])
    return out


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
        Task("next_digit", "one_to_one", DIGITS, DIGITS, 1, 1, 1, _next_digit,
             first_digit=0),
        # a countdown from 0 would be empty: it starts at 1
        Task("countdown", "one_to_many", DIGITS, DIGITS + (END, START), 1, 1, 10, _countdown,
             first_digit=1),
        Task("parens", "many_to_one", ("(", ")"), ("unbalanced", "balanced"), 2, 12, 1, _parens,
             _sample_parens),
        Task("running_max", "many_to_many", DIGITS, DIGITS, 2, 16, 16, _running_max, _digits),
        Task("dedupe", "encoder_decoder", DIGITS, DIGITS + (END, START), 2, 8, 9, _dedupe,
             _digits_with_runs),
    )
}

TASK_FOR_TOPOLOGY = {t.topology: t.name for t in TASKS.values()}


def get_task(name: str) -> Task:
    if name not in TASKS:
        raise LimitError("task", name, expected="one of " + ", ".join(TASKS))
    return TASKS[name]
