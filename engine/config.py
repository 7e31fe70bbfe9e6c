"""Every setting once: its name, type, default and allowed values.

A setting's ``name`` is the engine config's field, the API's parameter and (in the app) the
URL's key; ``check`` is the one validation of it, used by the engine's configs, the app's
handlers and its controls alike (a slider's range is the setting's range, so the two cannot
disagree). ``label`` is the key of the setting's label in the app's strings: the engine only
names it.

A use that allows less than the engine does (the Step tab reads at most 16 units, while a
notebook may build 128) says so in one line with :meth:`Setting.narrow`, which refuses to widen::

    HIDDEN_SIZE = CHAR.hidden_size.narrow(high=16)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .limits import LIMITS, LimitError, check_bool, check_choice, check_float, check_int
from .tasks import TOPOLOGIES

__all__ = ["CHAR", "MODEL", "PROFILE", "RACE", "SEQ2SEQ", "SEQ2SEQ_TRAIN", "TRAIN", "Setting",
           "Table", "choice", "flag", "integer", "number", "text"]

MAX_SEED = 2**31 - 1


@dataclass(frozen=True)
class Setting:
    """One setting. ``kind`` is "int", "float", "choice", "flag" or "text"; ``low``/``high``
    bound a number (a text's length); ``choices`` list a choice's values and ``choice_labels``
    their labels' keys (or their labels, where a label is a name like "LSTM"); ``step`` is a
    control's step; ``optional`` lets None through (None means "off", or "PyTorch's
    default")."""

    name: str
    kind: str
    default: Any
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple = ()
    optional: bool = False
    label: str = ""
    choice_labels: tuple[str, ...] = ()

    def check(self, value: object) -> Any:
        """``value`` if it is allowed (an int for "int", a float for "float"), else raise
        ``LimitError`` naming this setting."""
        if value is None and self.optional:
            return None
        if self.kind == "int":
            return check_int(self.name, value, self.low, self.high)
        if self.kind == "float":
            return check_float(self.name, value, self.low, self.high)
        if self.kind == "choice":
            return check_choice(self.name, value, self.choices)
        if self.kind == "text":
            if not isinstance(value, str):  # its length and characters: the engine's checks
                raise LimitError(self.name, value, expected="text")  # (check_text, tasks)
            return value
        return check_bool(self.name, value)

    def narrow(self, **changes: Any) -> Setting:
        """This setting with a smaller range, fewer choices, another default, step or label;
        never a wider one (what a use allows, the engine must allow)."""
        new = dataclasses.replace(self, **changes)
        if self.kind in ("int", "float", "text"):
            assert self.low <= new.low <= new.high <= self.high, (self, changes)
        assert set(new.choices) <= set(self.choices), (self, changes)
        if new.default is not None:
            new.check(new.default)
        return new


def integer(name: str, default: int | None, low: int, high: int, **kw: Any) -> Setting:
    return Setting(name, "int", default, low, high, step=kw.pop("step", 1), **kw)


def number(name: str, default: float | None, low: float, high: float, step: float | None = None,
           **kw: Any) -> Setting:
    return Setting(name, "float", default, low, high, step=step, **kw)


def choice(name: str, default: str | None, choices: tuple, **kw: Any) -> Setting:
    return Setting(name, "choice", default, choices=tuple(choices), **kw)


def flag(name: str, default: bool, **kw: Any) -> Setting:
    return Setting(name, "flag", default, **kw)


def text(name: str, default: str, low: int, high: int, **kw: Any) -> Setting:
    """A string of ``low`` to ``high`` characters: its control's bounds; the engine checks
    the length and the characters where it reads them (a task's alphabet, ``check_text``), with
    messages that say which characters are allowed."""
    return Setting(name, "text", default, low, high, **kw)


class Table(Mapping[str, Setting]):
    """Settings by name, also as attributes: ``PROFILE.seq_len``."""

    def __init__(self, *settings: Setting):
        self._settings = {s.name: s for s in settings}
        assert len(self._settings) == len(settings), "a name given twice"

    def __getitem__(self, name: str) -> Setting:
        return self._settings[name]

    def __getattr__(self, name: str) -> Setting:
        try:
            return self.__dict__["_settings"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._settings)

    def __len__(self) -> int:
        return len(self._settings)

    def check_fields(self, config: object) -> None:
        """Check every field of ``config`` this table has a setting for."""
        for name, setting in self._settings.items():
            if hasattr(config, name):
                setting.check(getattr(config, name))

    def defaults(self) -> dict[str, Any]:
        return {name: s.default for name, s in self._settings.items()}


CELLS = ("rnn", "lstm", "gru")
MAX_SRC_LEN = 30  # the longest digit string a seq2seq model reads (from a user, or an evaluation)
SEED = integer("seed", 0, 0, MAX_SEED, label="seed")

# engine.models.ModelConfig and engine.train.TrainConfig (the Topologies tab)
MODEL = Table(
    choice("topology", "many_to_many", TOPOLOGIES, label="topology"),
    choice("cell", "rnn", CELLS, label="cell"),
    integer("input_size", 10, 1, 64),
    integer("output_size", 10, 1, 64),
    integer("hidden_size", 32, 1, LIMITS.max_hidden_size),
    integer("num_layers", 1, 1, LIMITS.max_num_layers, label="num_layers"),
    number("dropout", 0.0, 0.0, 0.9, step=0.1, label="dropout"),
    flag("bidirectional", False, label="bidirectional"),
)
TRAIN = Table(
    integer("steps", 300, 1, LIMITS.max_steps, label="train_steps"),
    integer("batch_size", 32, 1, LIMITS.max_batch_size),
    number("lr", 0.01, 1e-6, 1.0),
    number("clip", None, 1e-3, 1e3, optional=True),
    integer("tbptt", None, 1, LIMITS.max_seq_len, optional=True),
    SEED,
)

# engine.charlm.CharConfig (the Step-through-time tab); its text is checked by check_text
CHAR = Table(
    choice("cell", "rnn", CELLS, label="cell"),
    integer("hidden_size", 4, 1, LIMITS.max_hidden_size),
    integer("num_layers", 1, 1, LIMITS.max_num_layers, label="num_layers"),
    integer("steps", 200, 1, LIMITS.max_steps),  # train_char_steps
    number("temperature", 1.0, 1e-6, 10.0, step=0.05),  # generate
    number("lr", 0.05, 1e-5, 1.0),  # train_char_steps
)

# engine.bptt.ProfileConfig (the BPTT tab's profile)
PROFILE = Table(
    choice("cell", "rnn_tanh", ("rnn_tanh", "rnn_relu", "lstm", "gru")),
    integer("seq_len", 100, 2, LIMITS.max_seq_len),
    integer("hidden_size", 32, 1, LIMITS.max_hidden_size),
    integer("num_layers", 1, 1, LIMITS.max_num_layers, label="num_layers"),
    number("recurrent_scale", 0.9, 0.0, 5.0, step=0.05),
    choice("init", "orthogonal", ("orthogonal", "gaussian")),
    number("input_scale", 1.0, 0.0, 10.0, step=0.1),
    number("forget_bias", None, -10.0, 20.0, step=0.5, optional=True),
    number("update_bias", None, -10.0, 20.0, step=0.5, optional=True),
    choice("loss_at", "last", ("last", "every")),
    integer("tbptt", None, 1, LIMITS.max_seq_len, optional=True),
    integer("batch_size", 8, 1, 64),
    SEED,
)

# engine.race.RaceConfig (the BPTT tab's training race); a race run under narrower limits
# (engine.race.RaceLimits: the app's live race) checks lag, hidden size, steps and batch size
# against those too
RACE = Table(
    choice("task", "first_symbol", ("first_symbol", "adding")),
    integer("lag", 60, 2, LIMITS.max_seq_len),
    integer("steps", 800, 1, LIMITS.max_steps),
    integer("hidden_size", 32, 1, LIMITS.max_hidden_size),
    integer("batch_size", 32, 1, LIMITS.max_batch_size),
    number("lr", 0.01, 1e-5, 100.0),
    number("clip", 1.0, 1e-3, 1e3, step=0.1),
    SEED,
    choice("optimizer", "adam", ("sgd", "adam")),
    integer("profile_every", 10, 1, LIMITS.max_steps),
    number("momentum", 0.9, 0.0, 0.99),
    number("rnn_scale", None, 0.0, 10.0, optional=True),
    number("gate_bias", 5.0, -10.0, 10.0, optional=True),
    number("input_bias", -3.0, -10.0, 10.0, optional=True),
)

# engine.seq2seq.Seq2SeqConfig and Seq2SeqTrainConfig (the Seq2seq tab)
SEQ2SEQ = Table(
    choice("cell", "gru", ("gru", "lstm"), label="s2s_p_cell"),
    choice("attention", None, ("additive", "dot"), optional=True, label="s2s_p_attention"),
    integer("hidden_size", 64, 2, LIMITS.max_hidden_size, label="s2s_p_hidden_size"),
    integer("embed_size", 16, 1, 64),
    flag("bidirectional", False, label="s2s_p_bidirectional"),
)
SEQ2SEQ_TRAIN = Table(
    choice("task", "reverse", ("reverse", "copy", "sort"), label="s2s_p_task"),
    integer("min_len", 5, 1, MAX_SRC_LEN, label="s2s_p_min_len"),
    integer("max_len", 20, 1, MAX_SRC_LEN, label="s2s_p_max_len"),
    integer("steps", 1200, 1, LIMITS.max_steps, label="s2s_p_steps"),
    integer("batch_size", 64, 1, LIMITS.max_batch_size),
    number("lr", 0.003, 1e-5, 0.1),
    number("clip", 1.0, 1e-3, 1e3),
    SEED,
)
