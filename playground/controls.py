"""Controls made from settings (``engine.config``), and values read back through them.

A control's range, choices, default and label come from its setting, and every value a
handler receives (from the page or from a script) is read back with :func:`read`, which checks
it against the same setting: a slider cannot offer what the handler refuses.
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from engine.config import Setting

from .i18n import EN, I18N, LANGS


def _text(key: str) -> Any:
    """A label: the string ``key`` in the page's language, or ``key`` itself where it is a
    name no language translates ("LSTM")."""
    return I18N(key) if key in EN else key


def slider(s: Setting, **kw: Any) -> gr.Slider:
    return gr.Slider(s.low, s.high, value=s.default, step=s.step, label=_text(s.label), **kw)


def number(s: Setting, **kw: Any) -> gr.Number:
    return gr.Number(s.default, minimum=s.low, maximum=s.high,
                     precision=0 if s.kind == "int" else None, label=_text(s.label), **kw)


def radio(s: Setting, **kw: Any) -> gr.Radio:
    return gr.Radio(_choices(s), value=s.default, label=_text(s.label), **kw)


def dropdown(s: Setting, **kw: Any) -> gr.Dropdown:
    return gr.Dropdown(_choices(s), value=s.default, label=_text(s.label), **kw)


def checkbox(s: Setting, **kw: Any) -> gr.Checkbox:
    return gr.Checkbox(s.default, label=_text(s.label), **kw)


def textbox(s: Setting, **kw: Any) -> gr.Textbox:
    return gr.Textbox(s.default, label=_text(s.label), **kw)


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
