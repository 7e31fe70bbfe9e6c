"""Links that hold every setting: the page's URL is its view.

``?tab=<id>`` picks a tab and, for that tab, one key per setting, named as its settings table
names it (``?tab=bptt&cell=lstm&seq_len=200``); ``lang=ko|en`` picks the language. A teacher's
link can also lock controls (``lock=cell,seq_len``: shown, disabled), hide them
(``hide=init``) and show only some tabs (``tabs=step,bptt``).

Each tab's controls are made from its settings (``playground.controls``), which records them
(``controls.collect``): those are the keys. Opening a link runs, once the page's first views
are shown, the tab's hidden "apply" button: :func:`apply` checks every value with the
setting's own check (a wrong one gets a notice in the page's language, naming it, and the
default stays), returns the controls' new values, and the tab's first-view events draw the
view from them. In the page, ``links.js`` writes every change back into the address bar
(``history.replaceState``), keys at their default left out, so the address is always a link to
what is shown; "Copy link" copies it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import gradio as gr

from engine import LimitError

from .controls import Linked, value_of
from .i18n import I18N, LANGS, lang_of, message, quote, register, tr

# Keys of the link itself, not of a tab's settings
RESERVED = ("tab", "lang", "lock", "hide", "tabs", "present", "lesson", "lesson_step", "room")
MAX_QUERY = 4096  # characters of a query read; a longer one is cut (and said so)
MAX_FIELDS = 200

SCRIPT = "".join(f"<script>\n{Path(__file__).with_name(name).read_text()}</script>\n"
                 for name in ("links.js", "page.js", "figure_export.js"))
# page.js: presenter mode, phones; figure_export.js: each figure's PNG, SVG, CSV and summary

register(
    en={
        "link_copy": "Copy link",
        "link_bad": "This link's **{name}** was not used: {reason} The default, `{default}`, "
                    "is shown.",
        "link_unknown": "This link's `{name}` is not a setting of this tab; it was left out.",
        "link_tab": "This link's tab `{tab}` does not exist; the tabs are {tabs}.",
        "link_long": "This link was cut to its first {n} characters.",
        "link_locked": "Set by your teacher (locked): {names}.",
        "link_copied": "Link copied:",
        "link_select": "Copy this link:",
        "present_toggle": "Presenter mode",
    },
    ko={
        "link_copy": "링크 복사",
        "link_bad": "이 링크의 **{name}** 값은 쓰지 않았습니다: {reason} 기본값 `{default}`을(를) "
                    "보여 줍니다.",
        "link_unknown": "이 링크의 `{name}`은(는) 이 탭의 설정이 아니어서 뺐습니다.",
        "link_tab": "이 링크의 탭 `{tab}`은(는) 없습니다. 탭은 {tabs}입니다.",
        "link_long": "이 링크는 앞의 {n}글자만 읽었습니다.",
        "link_locked": "선생님이 정해 둔 설정 (잠김): {names}.",
        "link_copied": "링크를 복사했습니다:",
        "link_select": "이 링크를 복사하세요:",
        "present_toggle": "발표 모드",
    },
)


@dataclass(frozen=True)
class TabLinks:
    """One tab's part of the links: its id (``?tab=``), its title component, the controls
    made from its settings, and the events that draw its view from them."""

    id: str
    title: Any
    linked: tuple[Linked, ...]
    draws: tuple[dict, ...]

    def __post_init__(self):
        keys = [c.key for c in self.linked]
        dup = {k for k in keys if keys.count(k) > 1}
        assert not dup, f"tab {self.id}: two controls named {dup} in its links (give one a key)"
        assert not set(keys) & set(RESERVED), f"tab {self.id}: a setting named as a link key"


def parse(query: str) -> tuple[dict[str, str], bool]:
    """The query's keys and values (the last of a repeated key), and whether it was cut."""
    query = query if isinstance(query, str) else ""
    cut = len(query) > MAX_QUERY
    pairs = parse_qsl(query[:MAX_QUERY].lstrip("?"), keep_blank_values=True,
                      max_num_fields=MAX_FIELDS, separator="&") if query else []
    return dict(pairs), cut


def _number(text: str) -> object:
    """A URL's number as a number (ints stay ints); the text itself if it is not one, for the
    setting's check to name."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


FLAGS = {"1": True, "true": True, "yes": True, "on": True,
         "0": False, "false": False, "no": False, "off": False}


def read(c: Linked, text: str) -> Any:
    """The value ``text`` (from a URL) gives the setting ``c``; ``LimitError`` if it is not one
    it allows."""
    s = c.setting
    if s.kind in ("int", "float"):
        return s.check(_number(text))
    if s.kind == "flag":
        return s.check(FLAGS.get(text.lower(), text))
    if s.kind == "text":
        if not s.low <= len(text) <= s.high:
            raise LimitError(s.name, text, s.low, s.high, expected="text")
        return s.check(text)
    return s.check(value_of(s, text))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value


def _label(c: Linked, lang: str) -> str:
    return LANGS[lang].get(c.setting.label, c.setting.label) if c.setting.label else c.key


def apply(tabs: Sequence[TabLinks], tab_id: str, query: str, lang: str) -> list:
    """What opening the link ``query`` on the tab ``tab_id`` does to the page: the notice,
    the selected tab, and each control's value (or ``gr.skip()``), in the order of
    :func:`outputs`. (``tabs=`` hides the other tabs' titles in the page: ``links.js``.)"""
    lang = lang_of(lang)
    values, cut = parse(query)
    notes = [tr(lang, "link_long", n=MAX_QUERY)] if cut else []
    ids = [t.id for t in tabs]
    asked = values.get("tab")
    if asked is not None and asked not in ids:
        notes.append(tr(lang, "link_tab", tab=quote(asked)[1:-1], tabs=", ".join(ids)))
    shown = [i for i in values.get("tabs", "").split(",") if i in ids] or ids
    if tab_id not in shown:
        tab_id = shown[0]
    lock = {k for k in values.get("lock", "").split(",") if k}
    hide = {k for k in values.get("hide", "").split(",") if k}
    here = next(t for t in tabs if t.id == tab_id)
    keys = {c.key for c in here.linked}
    for key in values:
        if key not in RESERVED and key not in keys:
            notes.append(tr(lang, "link_unknown", name=quote(key)[1:-1]))
    updates: list = []
    locked = []
    for tab in tabs:
        for c in tab.linked:
            change: dict[str, Any] = {}
            if tab is here and c.key in values:
                try:
                    change["value"] = read(c, values[c.key])
                except LimitError as exc:
                    reason = message(exc, lang, {c.setting.name: c.setting.label})
                    notes.append(tr(lang, "link_bad", name=c.key, reason=reason,
                                    default=_shown(c.setting.default)))
                    change["value"] = c.setting.default
                if c.setting.kind in ("int", "float") and isinstance(c.component, gr.Slider):
                    # a range that follows another setting (a step of the text) may be
                    # narrower than the setting's: the view's draw sets it again
                    change["maximum"] = max(c.component.maximum, change["value"])
            # the classes keep them so if a handler makes them interactive or visible again
            # (a new topology re-enables Bidirectional, an LSTM shows its forget bias)
            classes = []
            if c.key in lock:
                change["interactive"] = False
                classes.append("locked")
                if tab is here:
                    locked.append(_label(c, lang))
            if c.key in hide:
                change["visible"] = False
                classes.append("link-hidden")
            if classes:
                change["elem_classes"] = classes
            updates.append(type(c.component)(**change) if change else gr.skip())
    if locked:
        notes.append(tr(lang, "link_locked", names=", ".join(dict.fromkeys(locked))))
    return ["\n\n".join(notes), gr.Tabs(selected=tab_id), *updates]


def outputs(notice: Any, tabs_box: Any, tabs: Sequence[TabLinks]) -> list:
    return [notice, tabs_box, *(c.component for t in tabs for c in t.linked)]


def table(tabs: Sequence[TabLinks]) -> dict:
    """For ``links.js``: per tab, per key, the setting's kind and default, and each label of a
    choice (in every language) with its value."""
    out: dict = {}
    for tab in tabs:
        specs = out[tab.id] = {}
        for c in tab.linked:
            s = c.setting
            labels = {}
            for label, value in zip(s.choice_labels, s.choices):
                for words in LANGS.values():
                    labels[words.get(label, label)] = value
            specs[c.key] = {"kind": s.kind, "default": s.default, "labels": labels}
    return out


def install(blocks: gr.Blocks, tabs: Sequence[TabLinks], notice: Any, tabs_box: Any,
            lang_js: str) -> None:
    """The links of ``tabs`` (call inside ``blocks``): a hidden "apply" button per tab, which
    the page presses when it opens with a link; every control's changes written to the URL."""
    query = gr.Textbox(visible=False)
    lang_box = gr.Textbox(visible=False)
    outs = outputs(notice, tabs_box, tabs)
    for tab in tabs:
        # in the page (the page presses it), not shown, nor read by a screen reader
        button = gr.Button(f"link {tab.id}", elem_id=f"link-apply-{tab.id}", visible="hidden")
        # the js runs in the page as the call begins: it hands over the link, and says so
        ev = button.click(_applier(tabs, tab.id), [query, lang_box], outs,
                          js=f"(q, l) => {{ window.unrolledLinks.began(); "
                             f"return [window.unrolledLinks.query(), ({lang_js})()]; }}",
                          api_visibility="private", show_progress="hidden")
        for draw in tab.draws:
            ev = ev.then(**draw, api_visibility="private")
        # the link's view is drawn: said on the page (<html data-link="shown">), for tests
        # and for what waits on a link (a lesson's step)
        ev.then(None, js="() => window.unrolledLinks.shown()")
        tab.title.select(None, js=f"() => window.unrolledLinks.select({json.dumps(tab.id)})")
        for c in tab.linked:
            c.component.change(None, c.component, None, js=(
                f"(v) => window.unrolledLinks.set({json.dumps(tab.id)}, {json.dumps(c.key)}, v)"))
    blocks.load(None, None, None, js="() => window.unrolledLinks.define("
                + json.dumps(table(tabs), ensure_ascii=False) + ")")


def _applier(tabs: Sequence[TabLinks], tab_id: str) -> Callable:
    def apply_link(query: str, lang: str) -> list:
        return apply(tabs, tab_id, query, lang)
    return apply_link


def present_button() -> None:
    """The presenter-mode button (``page.js``): larger type and figures, one column, the
    explanations folded; kept in the address as ``present=1``."""
    gr.Button(I18N("present_toggle"), size="sm", elem_id="present-toggle", scale=0,
              min_width=160).click(None, js="() => window.unrolledPage.present()")


def copy_button(lang_js: str) -> None:
    """A "Copy link" button: copies the address (the view's link) and shows it."""
    words = {lang: {k: LANGS[lang][k] for k in ("link_copied", "link_select")} for lang in LANGS}
    with gr.Row(elem_classes="link-row"):
        button = gr.Button(I18N("link_copy"), size="sm", scale=0, min_width=120,
                           elem_classes="link-copy")
        shown = gr.Markdown(elem_classes="link-copied")
    button.click(None, None, shown, js=f"() => window.unrolledLinks.copy({json.dumps(words)}, "
                                       f"({lang_js})())")
