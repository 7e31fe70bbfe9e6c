"""Resource limits, enforced in the engine so that no caller (UI, API, notebook) can exceed them.

A shared 2-core Space serves a whole classroom: one request for a 4096-unit, 10-layer RNN trained
for a million steps would stall everyone. Every entry point checks its numbers here; an error
names the limit, so the UI can say exactly what was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LIMITS", "LimitError", "Limits", "check_bool", "check_choice", "check_float",
           "check_int"]


@dataclass(frozen=True)
class Limits:
    max_hidden_size: int = 128     # units per layer
    max_num_layers: int = 3        # stacked recurrent layers
    max_seq_len: int = 500         # time steps of one sequence (the BPTT view goes to 500)
    max_steps: int = 3000          # optimizer steps of one training run
    max_batch_size: int = 256      # sequences per batch
    max_text_len: int = 64         # characters of user text
    max_vocab: int = 32            # distinct symbols of user text
    max_concurrent_profiles: int = 1  # BPTT profiles computed at once in a process (the
                                      # largest: ~3 s of a core and ~0.3 GB; two at once took
                                      # a flooded server to 1.7 GB, and the second core is
                                      # the other tabs' and the training jobs')


LIMITS = Limits()


class LimitError(ValueError):
    """A value is missing, of the wrong type or out of its allowed range.

    ``name`` is the parameter, ``low``/``high`` the allowed range (None when the problem is the
    type), so that a UI can phrase the message in its user's language.
    """

    def __init__(self, name: str, value: object, low: float | None = None,
                 high: float | None = None, expected: str = "a number"):
        self.name, self.value, self.low, self.high, self.expected = name, value, low, high, expected
        if low is None:
            msg = f"{name} must be {expected}, got {value!r}"
        else:
            msg = f"{name} must be between {low} and {high}, got {value!r}"
        super().__init__(msg)


def check_int(name: str, value: object, low: int, high: int) -> int:
    """Return ``value`` as an int if it is a whole number in [low, high], else raise LimitError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LimitError(name, value, expected="a whole number")
    if isinstance(value, float) and not value.is_integer():
        raise LimitError(name, value, expected="a whole number")
    if not low <= value <= high:
        raise LimitError(name, value, low, high)
    return int(value)


def check_choice(name: str, value: object, allowed: tuple[str, ...]) -> str:
    """Return ``value`` if it is one of ``allowed`` (strings), else raise LimitError."""
    if not isinstance(value, str) or value not in allowed:
        raise LimitError(name, value, expected="one of " + ", ".join(allowed))
    return value


def check_bool(name: str, value: object) -> bool:
    """Return ``value`` if it is True or False (not "abc", 1 or NaN), else raise LimitError."""
    if not isinstance(value, bool):
        raise LimitError(name, value, expected="true or false")
    return value


def check_float(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a float if it is a finite number in [low, high], else raise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise LimitError(name, value)
    # compared as given: float() of an int past 1e308 (JSON carries one) raises OverflowError
    if not low <= value <= high:  # also false for NaN
        raise LimitError(name, value, low, high)
    return float(value)
