"""Guided lessons: data, not code. Each lesson is one TOML file here, ``<nn>-<slug>.toml``, in
English and Korean; a step sets a tab's controls with a link (the links the app already takes),
points at one figure, says one idea, and may ask a question whose answer the engine computes
live (``measures``). The README's *Lessons* section documents the format.

- :func:`load_all` reads every lesson file (strictly: a wrong field is refused with a message
  naming the file, the step and the field) into frozen :class:`Lesson` records;
- :func:`check` also holds each step to the app: its link applies with no notice, its figure
  exists in its tab, its question's answer is computed and is one of its choices;
- :func:`reveal` computes a question's measure and picks the right choice.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

from engine import LimitError

from ..links import parse, read
from .measures import MEASURES

LESSON_DIR = Path(__file__).parent
LANGS = ("en", "ko")
TABS = ("topologies", "step", "bptt", "seq2seq")
PICKS = ("nearest", "nearest_log10", "equal")
# link keys a lesson may use besides the tab's settings (lang, tabs and present belong to the
# reader, not to a step)
LINK_EXTRAS = ("tab", "lock", "hide")
MIN_STEPS, MAX_STEPS = 6, 10
# a question's right choice must be clearly nearest: every other choice at least this many
# times as far from the measured value (in log10 for nearest_log10)
CLEAR = 2.0
FILE_NAME = re.compile(r"^(\d+)-([a-z0-9_]+(?:-[a-z0-9_]+)*)\.toml$")


class LessonError(ValueError):
    """A lesson file that cannot be used; the message names the file, the step and the field."""


@dataclass(frozen=True)
class Text:
    """One text in every language."""

    en: str
    ko: str

    def __call__(self, lang: str) -> str:
        return self.ko if lang == "ko" else self.en


@dataclass(frozen=True)
class Choice:
    label: Text
    value: float | str


@dataclass(frozen=True)
class Ask:
    """Predict, then reveal: the question, its choices, the live quantity that answers it
    (``measure``, a name in ``measures.MEASURES``), how its value picks the right choice, and
    the explanation shown with the value (``why``, which formats ``{value}``)."""

    question: Text
    choices: tuple[Choice, ...]
    measure: str
    pick: str
    why: Text


@dataclass(frozen=True)
class Step:
    link: str                  # a link's query, as the app takes it: "tab=bptt&seq_len=20"
    tab: str                   # the tab it opens (its ``tab=``)
    query: tuple[tuple[str, str], ...]  # the link's keys and values, as written
    figure: str                # the elem_id of the figure the step points at
    text: Text
    ask: Ask | None = None


@dataclass(frozen=True)
class Lesson:
    id: str                    # the file's name after its number: 3-bptt.toml is "bptt"
    number: int                # its place among the lessons
    title: Text
    summary: Text
    steps: tuple[Step, ...]
    path: Path


class Reveal(NamedTuple):
    value: float | str   # the measure, computed now
    index: int           # the right choice's index in ``ask.choices``
    why: str             # the explanation with the value formatted in


# -- reading -------------------------------------------------------------------------------------
class _Where:
    """Where an error is: the file, the step (from 1) and the field."""

    def __init__(self, path: Path, step: int | None = None):
        self.path, self.step = path, step

    def error(self, field: str, why: str) -> LessonError:
        where = [self.path.name]
        if self.step is not None:
            where.append(f"step {self.step}")
        if field:
            where.append(field)
        return LessonError(", ".join(where) + ": " + why)


def _table(where: _Where, field: str, value: object, required: set[str],
           optional: frozenset[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        raise where.error(field, "expected a table")
    missing = sorted(required - set(value))
    if missing:
        raise where.error(field, "missing " + ", ".join(f"`{k}`" for k in missing))
    unknown = sorted(set(value) - required - optional)
    if unknown:
        allowed = ", ".join(f"`{k}`" for k in sorted(required | optional))
        raise where.error(field, "unknown " + ", ".join(f"`{k}`" for k in unknown)
                          + f" (allowed: {allowed})")
    return value


def _str(where: _Where, field: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise where.error(field, "expected a text that is not empty")
    return value.strip()


def _text(where: _Where, field: str, value: object, same_ok: bool = False) -> Text:
    """``field.en`` and ``field.ko``; a plain string (``same_ok``: a label such as "10⁻⁵")
    stands for both."""
    if same_ok and isinstance(value, str):
        return Text(_str(where, field, value), _str(where, field, value))
    if not isinstance(value, dict):
        raise where.error(field, "expected `.en` and `.ko` texts"
                          + (" (or one text for both)" if same_ok else ""))
    for lang in LANGS:
        if lang not in value:
            raise where.error(f"{field}.{lang}", "missing: every text needs English and Korean")
    _table(where, field, value, set(LANGS))
    return Text(*(_str(where, f"{field}.{lang}", value[lang]) for lang in LANGS))


def _fields(text: str) -> list[tuple[str, str]]:
    """The ``{name:spec}`` fields of a format string (``ValueError`` if it is malformed)."""
    return [(name, spec) for _, name, spec, _ in string.Formatter().parse(text)
            if name is not None]


def _why(where: _Where, value: object) -> Text:
    why = _text(where, "ask.why", value)
    for lang in LANGS:
        try:
            names = {name for name, _ in _fields(why(lang))}
        except ValueError as exc:
            raise where.error(f"ask.why.{lang}", f"a malformed {{...}} field: {exc}") from None
        if names - {"value"}:
            raise where.error(f"ask.why.{lang}", "may show the measured number as {value} "
                              "(e.g. {value:.1e}) and no other {field}; write {{ }} for braces")
    return why


def _ask(where: _Where, raw: object) -> Ask:
    raw = _table(where, "ask", raw, {"question", "choices", "measure", "pick", "why"})
    measure = _str(where, "ask.measure", raw["measure"])
    if measure not in MEASURES:
        raise where.error("ask.measure", f"unknown measure `{measure}`; the measures are "
                          + ", ".join(sorted(MEASURES)))
    pick = _str(where, "ask.pick", raw["pick"])
    if pick not in PICKS:
        raise where.error("ask.pick", f"unknown pick `{pick}`; one of " + ", ".join(PICKS))
    if not isinstance(raw["choices"], list) or not 2 <= len(raw["choices"]) <= 5:
        raise where.error("ask.choices", "expected 2 to 5 choices ([[steps.ask.choices]])")
    choices = []
    for i, c in enumerate(raw["choices"], 1):
        field = f"ask.choices[{i}]"
        c = _table(where, field, c, {"label", "value"})
        value = c["value"]
        if pick == "equal":
            ok = isinstance(value, (str, int, float)) and not isinstance(value, bool)
        else:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and (
                math.isfinite(value) and (value > 0 or pick == "nearest"))
        if not ok:
            need = {"equal": "a text or a number", "nearest": "a finite number",
                    "nearest_log10": "a positive number"}[pick]
            raise where.error(f"{field}.value", f"expected {need} for pick = \"{pick}\"")
        choices.append(Choice(_text(where, f"{field}.label", c["label"], same_ok=True), value))
    for lang in LANGS:
        labels = [c.label(lang) for c in choices]
        if len(set(labels)) < len(labels):
            raise where.error("ask.choices", f"two choices have the same {lang} label")
    values = [c.value for c in choices]
    if len(set(values)) < len(values):
        raise where.error("ask.choices", "two choices have the same value")
    return Ask(_text(where, "ask.question", raw["question"]), tuple(choices), measure, pick,
               _why(where, raw["why"]))


def _step(where: _Where, raw: object) -> Step:
    raw = _table(where, "", raw, {"link", "figure", "text"}, frozenset({"ask"}))
    link = _str(where, "link", raw["link"]).lstrip("?")
    values, cut = parse(link)
    if cut:
        raise where.error("link", "too long")
    tab = values.get("tab")
    if tab not in TABS:
        raise where.error("link", "must name its tab: `tab=` one of " + ", ".join(TABS))
    for key in ("lang", "tabs", "present"):
        if key in values:
            raise where.error("link", f"`{key}=` is the reader's choice, not a step's")
    ask = _ask(where, raw["ask"]) if "ask" in raw else None
    if ask is not None and MEASURES[ask.measure].tab != tab:
        raise where.error("ask.measure", f"`{ask.measure}` reads the "
                          f"{MEASURES[ask.measure].tab} tab's settings; this step's link opens "
                          f"the {tab} tab")
    return Step(link, tab, tuple(values.items()), _str(where, "figure", raw["figure"]),
                _text(where, "text", raw["text"]), ask)


def load(path: str | Path) -> Lesson:
    """One lesson file, read and its format checked (not yet against the app: :func:`check`)."""
    path = Path(path)
    where = _Where(path)
    m = FILE_NAME.match(path.name)
    if m is None:
        raise where.error("", "a lesson file is named <number>-<slug>.toml, e.g. 3-bptt.toml")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise where.error("", f"not valid TOML: {exc}") from None
    raw = _table(where, "", raw, {"id", "title", "summary", "steps"})
    lesson_id = _str(where, "id", raw["id"])
    if lesson_id != m.group(2):
        raise where.error("id", f"`{lesson_id}` differs from the file's slug `{m.group(2)}`")
    if not isinstance(raw["steps"], list) or not MIN_STEPS <= len(raw["steps"]) <= MAX_STEPS:
        n = len(raw["steps"]) if isinstance(raw["steps"], list) else 0
        raise where.error("steps", f"a lesson has {MIN_STEPS} to {MAX_STEPS} steps "
                          f"([[steps]]); this one has {n}")
    steps = tuple(_step(_Where(path, i), s) for i, s in enumerate(raw["steps"], 1))
    return Lesson(lesson_id, int(m.group(1)), _text(where, "title", raw["title"]),
                  _text(where, "summary", raw["summary"]), steps, path)


def load_all(folder: str | Path = LESSON_DIR) -> list[Lesson]:
    """Every lesson of ``folder``, in the order of their numbers."""
    lessons = sorted((load(p) for p in Path(folder).glob("*.toml")),
                     key=lambda lesson: (lesson.number, lesson.id))
    seen: dict[str, Path] = {}
    for lesson in lessons:
        if lesson.id in seen:
            raise _Where(lesson.path).error("id", f"`{lesson.id}` is also the id of "
                                            f"{seen[lesson.id].name}")
        seen[lesson.id] = lesson.path
    return lessons


# -- against the app -----------------------------------------------------------------------------
@dataclass(frozen=True)
class TabSpec:
    """What a lesson needs of a tab: its link keys (each a ``controls.Linked``) and the
    elem_ids of what it shows (figures, and the texts beside them)."""

    linked: Mapping[str, Any]
    figures: frozenset[str]


SHOWN = ("Plot", "Markdown", "HTML", "Code")  # what a step may point at


def spec_of(tab: Any) -> TabSpec:
    """A tab's :class:`TabSpec` from its ``links.TabLinks`` (as the app and the tests build
    them): its controls by link key, and the ids of what its title's block holds."""
    ids = frozenset(c.elem_id for c in _descendants(tab.title)
                    if c.elem_id and type(c).__name__ in SHOWN)
    return TabSpec({c.key: c for c in tab.linked}, ids)


@functools.lru_cache(maxsize=1)
def tab_specs() -> dict[str, TabSpec]:
    """Every tab laid out as the app lays it out (once per process): its link keys and the
    ids of its figures."""
    import gradio as gr

    from playground import controls, links, tabs

    specs = {}
    with gr.Blocks():
        lang = gr.Textbox("en")
        with gr.Tabs():
            for tab in tabs.load():
                with gr.Tab(tab.TITLE, id=tab.ID) as title, controls.collect() as found:
                    draws = tab.build(lang)
                specs[tab.ID] = spec_of(links.TabLinks(tab.ID, title, tuple(found),
                                                       tuple(draws)))
    return specs


def _descendants(block: Any):
    for child in getattr(block, "children", None) or ():
        yield child
        yield from _descendants(child)


def settings(step: Step, specs: Mapping[str, TabSpec] | None = None) -> dict[str, Any]:
    """The tab's settings as the step's link sets them: every key of the tab's links, read
    through its setting as ``links.apply`` reads it, the rest at their defaults."""
    spec = (specs or tab_specs())[step.tab]
    values = {key: c.setting.default for key, c in spec.linked.items()}
    for key, text in step.query:
        if key in spec.linked:
            values[key] = read(spec.linked[key], text)
    return values


def _renderings(why: str, value: float | str) -> set[str]:
    """The ways the number ``value`` could be written out: as ``why`` formats it, and as the
    usual formats would (one digit alone is too common to tell)."""
    specs = {spec for name, spec in _fields(why) if name == "value"}
    if isinstance(value, str):
        shown = {value}
    else:
        specs |= {"g", ".2g", ".3g", ".0f", ".1f", ".2f", ".1e", ".2e"}
        shown = set()
    for spec in specs:
        try:
            shown.add(format(value, spec))
        except (ValueError, TypeError):
            continue
    return {n for n in shown if len(n) > 1}


def _format(why: str, value: float | str) -> str:
    return why.format(value=value)


def reveal(step: Step, lang: str = "en", specs: Mapping[str, TabSpec] | None = None) -> Reveal:
    """The step's question answered: its measure computed now from the step's settings, the
    index of the choice it picks, and ``why`` in ``lang`` with the value formatted in."""
    ask = step.ask
    if ask is None:
        raise ValueError("this step asks nothing")
    value = MEASURES[ask.measure].fn(settings(step, specs))
    return Reveal(value, pick(ask, value), _format(ask.why(lang), value))


def pick(ask: Ask, value: float | str) -> int:
    """The index of the choice ``value`` picks (``ValueError`` if none does)."""
    values = [c.value for c in ask.choices]
    if ask.pick == "equal":
        for i, v in enumerate(values):
            if v == value or (isinstance(value, float) and isinstance(v, (int, float))
                              and math.isclose(v, value, rel_tol=1e-9)):
                return i
        raise ValueError(f"the measured value {value!r} is none of the choices {values!r}")
    if isinstance(value, str) or not math.isfinite(value):
        raise ValueError(f"the measured value {value!r} is not a finite number")
    return min(range(len(values)), key=lambda i: _distance(ask.pick, values[i], value))


def _distance(how: str, choice: float, value: float) -> float:
    if how == "nearest_log10":
        if value <= 0:
            return math.inf
        return abs(math.log10(choice) - math.log10(value))
    return abs(choice - value)


def check(lesson: Lesson, specs: Mapping[str, TabSpec] | None = None) -> None:
    """Hold every step of ``lesson`` to the app: its link's keys are its tab's and every value
    is one its setting allows; its figure is in its tab; its question is answered by its
    measure, clearly (every other choice at least ``CLEAR`` times as far from the value), and
    its ``why`` shows the number as {value}, not written out. ``LessonError`` names the file,
    the step and the field."""
    specs = specs or tab_specs()
    for i, step in enumerate(lesson.steps, 1):
        where = _Where(lesson.path, i)
        spec = specs[step.tab]
        for key, text in step.query:
            if key in ("lock", "hide"):
                bad = [k for k in text.split(",") if k and k not in spec.linked]
                if bad:
                    raise where.error("link", f"`{key}=` names {', '.join(bad)}, not settings "
                                      f"of the {step.tab} tab")
            elif key not in LINK_EXTRAS and key not in spec.linked:
                raise where.error("link", f"`{key}` is not a setting of the {step.tab} tab; "
                                  "its keys are " + ", ".join(spec.linked))
            elif key in spec.linked:
                try:
                    read(spec.linked[key], text)
                except LimitError as exc:
                    raise where.error("link", f"`{key}={text}` is refused: {exc}") from None
        if step.figure not in spec.figures:
            raise where.error("figure", f"`{step.figure}` is not a figure of the {step.tab} "
                              "tab; its figures are " + ", ".join(sorted(spec.figures)))
        if step.ask is not None:
            _check_ask(where, step, specs)


def _check_ask(where: _Where, step: Step, specs: Mapping[str, TabSpec]) -> None:
    ask = step.ask
    try:
        value = MEASURES[ask.measure].fn(settings(step, specs))
        index = pick(ask, value)
    except (ValueError, LimitError) as exc:
        raise where.error("ask.measure", f"`{ask.measure}` gives no answer here: {exc}") from None
    if ask.pick != "equal":
        right = _distance(ask.pick, ask.choices[index].value, value)
        for j, c in enumerate(ask.choices):
            if j != index and _distance(ask.pick, c.value, value) < CLEAR * right:
                raise where.error("ask.choices", f"the measured value {value:.4g} is not clearly "
                                  f"nearest one choice: {ask.choices[index].value!r} and "
                                  f"{c.value!r} are both close")
    for lang in LANGS:
        try:
            _format(ask.why(lang), value)
        except (ValueError, TypeError) as exc:
            raise where.error(f"ask.why.{lang}", f"cannot format the value {value!r}: "
                              f"{exc}") from None
        template = re.sub(r"\{[^{}]*\}", "", ask.why(lang))
        for n in _renderings(ask.why(lang), value):
            if re.search(rf"(?<![\w.]){re.escape(n)}(?![\w])", template):
                raise where.error(f"ask.why.{lang}", f"writes the number {n} out: show it as "
                                  "{value}, so that it is always the one computed")


SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789−")
POWER = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")


def powers(text: str, html: bool = False) -> str:
    """10⁻¹ as 10^−1 (a choice's label) or 10<sup>−1</sup> (Markdown): the fonts' superscript
    one (a Latin-1 glyph) reads as an apostrophe beside their ⁴⁵⁶."""
    def plain(m: re.Match) -> str:
        digits = m.group(0).translate(SUPER)
        return f"<sup>{digits}</sup>" if html else f"^{digits}"
    return POWER.sub(plain, text)
