"""Each setting once (engine.config, and each tab's table): the controls, the checks, the API
and the engine's configs all read the same range and default."""

from __future__ import annotations

import dataclasses

import pytest

from engine.bptt import ProfileConfig
from engine.charlm import CharConfig
from engine.config import CHAR, MODEL, PROFILE, RACE, SEQ2SEQ, SEQ2SEQ_TRAIN, TRAIN, Setting
from engine.limits import LimitError
from engine.models import ModelConfig
from engine.race import RaceConfig
from engine.seq2seq import Seq2SeqConfig, Seq2SeqTrainConfig
from engine.train import TrainConfig
from playground.controls import read
from playground.i18n import LANGS
from playground.tabs.bptt.settings import PROFILE_SETTINGS, RACE_SETTINGS
from playground.tabs.seq2seq.settings import SETTINGS as SEQ2SEQ_SETTINGS
from playground.tabs.step.settings import SETTINGS as STEP_SETTINGS
from playground.tabs.topologies.settings import SETTINGS as TOPOLOGY_SETTINGS

TABLES = {"topologies": TOPOLOGY_SETTINGS, "step": STEP_SETTINGS, "bptt": PROFILE_SETTINGS,
          "race": RACE_SETTINGS, "seq2seq": SEQ2SEQ_SETTINGS}
SETTINGS = [(tab, s) for tab, table in TABLES.items() for s in table.values()]
ENGINE = [(ModelConfig, MODEL), (TrainConfig, TRAIN), (CharConfig, CHAR),
          (ProfileConfig, PROFILE), (RaceConfig, RACE), (Seq2SeqConfig, SEQ2SEQ),
          (Seq2SeqTrainConfig, SEQ2SEQ_TRAIN)]


def ids(item) -> str:
    return f"{item[0]}.{item[1].name}"


@pytest.mark.parametrize("item", SETTINGS, ids=ids)
def test_a_setting_takes_its_range_and_refuses_what_lies_past_it(item):
    _, s = item
    read(s, s.default)
    if s.kind in ("int", "float"):
        assert read(s, s.low) == s.low and read(s, s.high) == s.high
        past = s.step or 1
        for bad in (s.low - past, s.high + past):
            with pytest.raises(LimitError) as e:
                read(s, bad)
            assert e.value.name == s.name and (e.value.low, e.value.high) == (s.low, s.high)
    elif s.kind == "choice":
        for value in s.choices:
            assert read(s, value) == value
        with pytest.raises(LimitError, match=s.name):
            read(s, "no such choice")


@pytest.mark.parametrize("item", [i for i in SETTINGS if i[1].choice_labels], ids=ids)
def test_a_choice_reads_back_from_its_label_in_either_language(item):
    """Gradio 6.31's radio sends its translated label after a language switch in Settings."""
    _, s = item
    for label, value in zip(s.choice_labels, s.choices):
        for words in LANGS.values():
            assert read(s, words.get(label, label)) == value


@pytest.mark.parametrize("item", [i for i in SETTINGS if i[1].label], ids=ids)
def test_every_label_is_a_string_in_both_languages(item):
    _, s = item
    assert s.label in LANGS["en"] and s.label in LANGS["ko"]


def _sliders(demo) -> list[dict]:
    out = []
    for c in demo.get_config_file()["components"]:
        if c.get("type") == "slider":
            label = c["props"]["label"]  # an I18nData: a string key the page translates
            out.append(dict(c["props"], key=getattr(label, "key", label)))
    return out


def test_every_slider_on_the_page_has_its_settings_range():
    """No slider can offer what its handler refuses: each one's range, step and start are a
    setting's (the step sliders' top follows the input, within the setting's range)."""
    from playground.app import build_demo

    sliders = _sliders(build_demo())
    by_label = {}
    for _, s in SETTINGS:
        by_label.setdefault(s.label, []).append(s)
    assert len(sliders) >= 20
    for sl in sliders:
        candidates = by_label.get(sl["key"], [])
        assert candidates, f"slider {sl['key']} has no setting"
        follows_input = sl["key"] in ("step", "s2s_step")
        assert any(s.low == sl["minimum"] and s.step == sl["step"] and s.default == sl["value"]
                   and (sl["maximum"] <= s.high if follows_input else s.high == sl["maximum"])
                   for s in candidates), (sl, candidates)


ENDPOINTS = {"/show_topology": "topologies", "/step_topology": "topologies",
             "/train_topology": "topologies", "/step_through_time": "step",
             "/teacher_forcing_vs_generation": "step", "/train_step_model": "step",
             "/gradient_profile": "bptt", "/train_race": "race", "/race_replay": "race",
             "/seq2seq_compare": "seq2seq", "/seq2seq_decode": "seq2seq",
             "/train_seq2seq": "seq2seq", "/reproduce_bptt": "bptt",
             "/reproduce_step": "step", "/reproduce_topologies": "topologies",
             "/reproduce_seq2seq": "seq2seq"}


def test_the_apis_defaults_are_the_settings_defaults():
    from playground.app import build_demo

    info = build_demo().get_api_info()["named_endpoints"]
    checked = 0
    for endpoint, tab in ENDPOINTS.items():
        table = TABLES[tab]
        for p in info[endpoint]["parameters"]:
            name = p["parameter_name"]
            if name in table and name not in ("t", "first"):  # these two follow the input
                assert p["parameter_default"] == table[name].default, (endpoint, name)
                checked += 1
    assert checked >= 40


@pytest.mark.parametrize("config, table", ENGINE, ids=lambda x: getattr(x, "__name__", ""))
def test_the_engines_configs_take_their_defaults_and_ranges_from_the_settings(config, table):
    fields = {f.name: f.default for f in dataclasses.fields(config)}
    shared = set(table) & set(fields)  # (CHAR also has train_char_steps' and generate's)
    assert len(shared) >= 3
    for name, s in ((n, s) for n, s in table.items() if n in shared):
        assert fields[name] == s.default, name
        if s.kind in ("int", "float") and name != "tbptt":  # tbptt: within seq_len too
            with pytest.raises(LimitError, match=name):
                dataclasses.replace(config(), **{name: s.high + (s.step or 1)}).check()


def test_narrowing_never_widens():
    s = Setting("x", "int", 5, 1, 10, step=1)
    assert s.narrow(high=8).high == 8
    with pytest.raises(AssertionError):
        s.narrow(high=11)
