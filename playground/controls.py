"""Controls made from settings (``engine.config``), and values read back through them.

A control's range, choices, default and label come from its setting, and every value a
handler receives (from the page or from a script) is read back with :func:`read`, which checks
it against the same setting: a slider cannot offer what the handler refuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import gradio as gr

from engine.config import Setting

from .i18n import EN, I18N, LANGS


@dataclass(frozen=True)
class Linked:
    """A control showing a setting: ``key`` is its name in the page's URL (the setting's name,
    unless two controls of one tab show settings of one name)."""

    key: str
    setting: Setting
    component: Any


_collecting: list[list[Linked]] = []


@contextmanager
def collect() -> Iterator[list[Linked]]:
    """Every control made from a setting inside this block, in order (a tab's, for its
    links: ``playground.links``)."""
    found: list[Linked] = []
    _collecting.append(found)
    try:
        yield found
    finally:
        _collecting.pop()


def linked(s: Setting, component: Any, key: str | None = None) -> Any:
    """``component`` (made by hand) shows ``s``: the URL holds it as ``key`` (``s.name``)."""
    if _collecting:
        _collecting[-1].append(Linked(key or s.name, s, component))
    return component


def _text(key: str) -> Any:
    """A label: the string ``key`` in the page's language, or ``key`` itself where it is a
    name no language translates ("LSTM")."""
    return I18N(key) if key in EN else key


# Each takes ``key``, the control's name in the URL where it is not the setting's (``linked``).
def slider(s: Setting, key: str | None = None, high: float | None = None, **kw: Any
           ) -> gr.Slider:
    """``high``: the slider's first maximum, where the view narrows the setting's range (a
    step of the text: the view sets it); a link may ask for any value of the setting."""
    return linked(s, gr.Slider(s.low, s.high if high is None else high, value=s.default,
                               step=s.step, label=_text(s.label), **kw), key)


def number(s: Setting, key: str | None = None, **kw: Any) -> gr.Number:
    return linked(s, gr.Number(s.default, minimum=s.low, maximum=s.high,
                               precision=0 if s.kind == "int" else None, label=_text(s.label),
                               **kw), key)


def radio(s: Setting, key: str | None = None, **kw: Any) -> gr.Radio:
    return linked(s, gr.Radio(_choices(s), value=s.default, label=_text(s.label), **kw), key)


def dropdown(s: Setting, key: str | None = None, **kw: Any) -> gr.Dropdown:
    return linked(s, gr.Dropdown(_choices(s), value=s.default, label=_text(s.label), **kw), key)


def checkbox(s: Setting, key: str | None = None, **kw: Any) -> gr.Checkbox:
    return linked(s, gr.Checkbox(s.default, label=_text(s.label), **kw), key)


def textbox(s: Setting, key: str | None = None, **kw: Any) -> gr.Textbox:
    return linked(s, gr.Textbox(s.default, label=_text(s.label), **kw), key)


def _choices(s: Setting) -> list[tuple[Any, str]]:
    labels = s.choice_labels or s.choices
    return [(_text(label), value) for label, value in zip(labels, s.choices)]


def read(s: Setting, value: object) -> Any:
    """``value`` checked against ``s`` (``LimitError`` names the setting); a choice may come as
    its label (see :func:`value_of`)."""
    return s.check(value_of(s, value))


def value_of(s: Setting, value: object) -> object:
    """A choice's value from its value or its label in either language (Gradio 6.31's radio
    sends its translated label instead of its value after the language is switched in
    Settings); anything else as it is."""
    if s.kind == "choice" and isinstance(value, str) and value not in s.choices:
        for label, key in zip(s.choice_labels, s.choices):
            if value == label or any(value == LANGS[lang].get(label) for lang in LANGS):
                return key
    return value
