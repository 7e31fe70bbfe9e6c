"""Each tab runs alone (``python -m playground.tabs.<tab>``): the app built with one tab has
that tab's endpoints and no other's, and every tab package has the same shape."""

from __future__ import annotations

import importlib.util

import pytest

from playground import tabs
from playground.app import build_demo

OWN = {"topologies": {"/show_topology", "/step_topology", "/train_topology", "/cancel_training"},
       "step": {"/step_through_time", "/teacher_forcing_vs_generation", "/train_step_model"},
       "bptt": {"/gradient_profile", "/race_replay", "/train_race", "/cancel_race"},
       "seq2seq": {"/seq2seq_compare", "/seq2seq_decode", "/train_seq2seq"}}
SHARED = {"/ping", "/training_status"}


@pytest.mark.parametrize("tab", tabs.TABS)
def test_a_tab_alone_serves_its_own_endpoints(tab):
    demo = build_demo((tab,))
    assert set(demo.get_api_info()["named_endpoints"]) == OWN[tab] | SHARED
    shown = [c["props"]["id"] for c in demo.get_config_file()["components"]
             if c.get("type") == "tabitem"]
    assert shown == [tab]


def test_the_whole_app_is_every_tab():
    demo = build_demo()
    assert set(demo.get_api_info()["named_endpoints"]) == set().union(*OWN.values()) | SHARED
    shown = [c["props"]["id"] for c in demo.get_config_file()["components"]
             if c.get("type") == "tabitem"]
    assert shown == list(tabs.TABS)


@pytest.mark.parametrize("tab", tabs.TABS)
def test_every_tab_has_the_same_shape(tab):
    (module,) = tabs.load((tab,))
    assert tab == module.ID and f"tab_{tab}" == module.TITLE and callable(module.build)
    for part in ("handlers", "figures", "strings", "settings", "__main__"):
        assert importlib.util.find_spec(f"{module.__name__}.{part}") is not None, part
