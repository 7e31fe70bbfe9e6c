"""Each tab runs alone (``python -m playground.tabs.<tab>``): the app built with one tab has
that tab's endpoints and no other's, and every tab package has the same shape."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from playground import tabs
from playground.app import build_demo
from playground.i18n import tr

OWN = {"topologies": {"/show_topology", "/step_topology", "/train_topology", "/cancel_training",
                      "/reproduce_topologies"},
       "step": {"/step_through_time", "/teacher_forcing_vs_generation", "/train_step_model",
                "/reproduce_step"},
       "bptt": {"/gradient_profile", "/race_replay", "/train_race", "/cancel_race",
                "/reproduce_bptt"},
       "seq2seq": {"/seq2seq_compare", "/seq2seq_decode", "/train_seq2seq",
                   "/reproduce_seq2seq"}}
SHARED = {"/ping", "/training_status"}
LESSONS = {"/room_join", "/room_answer", "/room_view"}  # the lessons' class poll: all tabs only


@pytest.mark.parametrize("tab", tabs.TABS)
def test_a_tab_alone_serves_its_own_endpoints(tab):
    demo = build_demo((tab,))
    assert set(demo.get_api_info()["named_endpoints"]) == OWN[tab] | SHARED
    shown = [c["props"]["id"] for c in demo.get_config_file()["components"]
             if c.get("type") == "tabitem"]
    assert shown == [tab]


def test_the_whole_app_is_every_tab():
    demo = build_demo()
    assert set(demo.get_api_info()["named_endpoints"]) == (set().union(*OWN.values()) | SHARED
                                                            | LESSONS)
    shown = [c["props"]["id"] for c in demo.get_config_file()["components"]
             if c.get("type") == "tabitem"]
    assert shown == list(tabs.TABS)


@pytest.mark.parametrize("tab", tabs.TABS)
def test_a_tab_alone_has_its_first_views(tab):
    """Its page's first views are computed as the whole app's are (with one tab, the tab's
    title was sent as a list of one, and computing the file failed: the page fell back to
    running every view's handler)."""
    import asyncio

    views = build_demo((tab,)).first_views
    body, _, _ = asyncio.run(views.payload("ko"))
    values = json.loads(body)
    assert len(values) == len(views.outputs) > 1
    assert any(isinstance(v, dict) and v.get("type") == "plotly" for v in values)
    title = next(v for v, c in zip(values, views.outputs) if c.get_block_name() == "tabitem")
    assert title["label"] == tr("ko", tabs.load((tab,))[0].TITLE)


@pytest.mark.parametrize("tab", tabs.TABS)
def test_every_tab_has_the_same_shape(tab):
    (module,) = tabs.load((tab,))
    assert tab == module.ID and f"tab_{tab}" == module.TITLE and callable(module.build)
    for part in ("handlers", "figures", "strings", "settings", "reproduce", "__main__"):
        assert importlib.util.find_spec(f"{module.__name__}.{part}") is not None, part


SHARED_MODULES = ("i18n", "serving", "arity", "controls", "app")
USED = re.compile(r'\b(tr|count)\((?:lang|[a-z_]+\.lang|lang_of\([^)]*\)),\s*"([a-z_0-9]+)"')


@pytest.mark.parametrize("tab", tabs.TABS)
def test_a_tab_alone_has_every_string_it_uses(tab):
    """Served alone, a tab has every string that it and the shared modules name: a key
    defined only in another tab's strings.py fails here (it did: the Step tab's Pause named
    the Topologies tab's "n_steps")."""
    root = Path(__file__).parents[2] / "playground"
    sources = [root / f"{m}.py" for m in SHARED_MODULES]
    sources += sorted((root / "tabs" / tab).glob("*.py"))
    used = set()
    for source in sources:
        for kind, key in USED.findall(source.read_text()):
            if key.endswith("_"):  # a prefix, completed in code ("err_text_" + kind)
                continue
            used |= {key + "_one", key + "_many"} if kind == "count" else {key}
    assert len(used) > 10  # the pattern still finds the calls
    code = (f"import json, playground.tabs.{tab}, playground.app; "
            "from playground.i18n import LANGS; "
            "print(json.dumps({k: sorted(v) for k, v in LANGS.items()}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root.parent)
    for lang, keys in json.loads(out.stdout.splitlines()[-1]).items():
        assert not used - set(keys), (lang, sorted(used - set(keys)))
