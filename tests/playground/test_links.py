"""Links that hold every setting (playground.links): what a link sets, and what it refuses."""

from __future__ import annotations

import gradio as gr
import pytest

from playground import controls, links, tabs
from playground.tabs.bptt import settings as bptt_settings
from playground.tabs.seq2seq import settings as seq2seq_settings
from playground.tabs.step import settings as step_settings
from playground.tabs.topologies import settings as topologies_settings

TABLES = {"topologies": [topologies_settings.SETTINGS], "step": [step_settings.SETTINGS],
          "bptt": [bptt_settings.PROFILE_SETTINGS, bptt_settings.RACE_SETTINGS],
          "seq2seq": [seq2seq_settings.SETTINGS]}


@pytest.fixture(scope="module")
def app_links() -> list[links.TabLinks]:
    """Every tab laid out as the app lays it out, with its links."""
    found_tabs = []
    with gr.Blocks():
        lang = gr.Textbox("en")
        with gr.Tabs():
            for tab in tabs.load():
                with gr.Tab(tab.TITLE, id=tab.ID) as title:
                    with controls.collect() as found:
                        draws = tab.build(lang)
                found_tabs.append(links.TabLinks(tab.ID, title, tuple(found), tuple(draws)))
    return found_tabs


def _by_key(app_links, tab_id):
    tab = next(t for t in app_links if t.id == tab_id)
    return {c.key: c for c in tab.linked}


def _result(app_links, tab_id, query, lang="en"):
    """apply's outputs as (notice, selected tab, {tab: {key: update}})."""
    out = links.apply(app_links, tab_id, query, lang)
    notice, selected, updates = out[0], out[1], out[2:]
    by_tab, k = {}, 0
    for tab in app_links:
        by_tab[tab.id] = {}
        for c in tab.linked:
            by_tab[tab.id][c.key] = updates[k]
            k += 1
    return notice, selected, by_tab


def _value(update):
    assert not isinstance(update, type(gr.skip())), "no value was set"
    return update.value if hasattr(update, "value") else update["value"]


def test_every_setting_of_every_tab_is_a_key_of_its_links(app_links):
    for tab in app_links:
        names = {c.setting.name for c in tab.linked}
        for table in TABLES[tab.id]:
            assert set(table) <= names, (tab.id, set(table) - names)
        keys = [c.key for c in tab.linked]
        assert len(keys) == len(set(keys)), tab.id
    assert {"seed", "race_seed"} <= set(_by_key(app_links, "bptt"))
    assert {"task", "train_task", "attention", "train_attention"} <= set(
        _by_key(app_links, "seq2seq"))


def test_a_link_sets_its_tab_and_its_values(app_links):
    notice, selected, by_tab = _result(
        app_links, "bptt", "?tab=bptt&cell=lstm&seq_len=200&recurrent_scale=1.5"
                           "&forget_default=false&race_seed=7")
    assert notice == ""
    assert selected.selected == "bptt"
    bptt = by_tab["bptt"]
    assert _value(bptt["cell"]) == "lstm" and _value(bptt["seq_len"]) == 200
    assert _value(bptt["recurrent_scale"]) == 1.5 and _value(bptt["forget_default"]) is False
    assert _value(bptt["race_seed"]) == 7
    # settings not in the link, and other tabs, are left as they are
    assert isinstance(bptt["init"], type(gr.skip()))
    assert all(isinstance(u, type(gr.skip())) for u in by_tab["step"].values())


def test_a_slider_whose_range_follows_the_text_is_widened_for_the_link(app_links):
    _, _, by_tab = _result(app_links, "step", "tab=step&text=hello+world&t=8")
    step = by_tab["step"]
    assert _value(step["text"]) == "hello world"
    assert _value(step["t"]) == 8 and step["t"].maximum == 8


@pytest.mark.parametrize("lang,words", [("en", ["seq_len", "between 2 and 500", "`100`"]),
                                        ("ko", ["seq_len", "2에서 500 사이", "`100`"])])
def test_a_wrong_value_gets_a_notice_and_the_default(app_links, lang, words):
    default = bptt_settings.PROFILE_SETTINGS.seq_len.default
    notice, _, by_tab = _result(app_links, "bptt", "tab=bptt&seq_len=9999&cell=lstm", lang)
    for w in words:
        assert w.replace("100", str(default)) in notice, notice
    assert _value(by_tab["bptt"]["seq_len"]) == default
    assert _value(by_tab["bptt"]["cell"]) == "lstm"  # the rest of the link still applies


@pytest.mark.parametrize("query,key", [("cell=tanh", "cell"), ("seq_len=abc", "seq_len"),
                                       ("seq_len=1e400", "seq_len"), ("seq_len=2.5", "seq_len"),
                                       ("forget_default=maybe", "forget_default"),
                                       ("recurrent_scale=nan", "recurrent_scale")])
def test_values_a_setting_refuses(app_links, query, key):
    notice, _, by_tab = _result(app_links, "bptt", "tab=bptt&" + query)
    assert f"**{key}**" in notice
    default = _by_key(app_links, "bptt")[key].setting.default
    assert _value(by_tab["bptt"][key]) == default


def test_unknown_keys_and_tabs_are_named(app_links):
    notice, selected, _ = _result(app_links, "topologies", "tab=nope&colour=red")
    assert "`nope`" in notice and "topologies, step, bptt, seq2seq" in notice
    assert "`colour`" in notice
    assert selected.selected == "topologies"


def test_a_teacher_locks_hides_and_picks_tabs(app_links):
    notice, selected, by_tab = _result(
        app_links, "topologies", "tab=topologies&tabs=step,bptt&lock=cell,seq_len&hide=init")
    # the link's tab is not among its tabs: the first of them is shown
    assert selected.selected == "step"
    assert by_tab["bptt"]["cell"].interactive is False
    assert by_tab["bptt"]["seq_len"].interactive is False
    assert by_tab["bptt"]["init"].visible is False
    assert by_tab["bptt"]["init"].elem_classes == ["link-hidden"]
    assert by_tab["bptt"]["cell"].elem_classes == ["locked"]
    assert by_tab["step"]["cell"].interactive is False  # a key locks it on every tab
    assert "Set by your teacher" in notice and "Cell" in notice


def test_a_long_link_is_cut_and_said_so(app_links):
    notice, _, by_tab = _result(app_links, "step", "tab=step&cell=gru&text=" + "a" * 10_000)
    assert "first 4096 characters" in notice
    assert _value(by_tab["step"]["cell"]) == "gru"
    assert "**text**" in notice  # what is left of the text is still too long


def test_the_table_for_the_page_maps_labels_of_both_languages(app_links):
    table = links.table(app_links)
    assert table["bptt"]["cell"]["labels"]["RNN (tanh)"] == "rnn_tanh"
    weights = table["step"]["weights"]["labels"]
    assert weights["Pretrained"] == "pretrained" and weights["사전 학습됨"] == "pretrained"
    assert table["bptt"]["seq_len"] == {"kind": "int", "default": 100, "labels": {}}


def _plain(out) -> list:
    """apply's outputs as plain values, to compare two calls."""
    notice, selected, by_tab = out
    return [notice, selected.selected, [
        (t, k, None if isinstance(u, type(gr.skip())) else
         (repr(getattr(u, "value", None)), getattr(u, "interactive", None),
          getattr(u, "visible", None), tuple(getattr(u, "elem_classes", None) or ())))
        for t, keys in by_tab.items() for k, u in keys.items()]]


def test_a_link_gives_the_same_answer_alone_and_beside_7_others(app_links):
    """apply shares nothing between calls: links opened by 8 pages at once (good, wrong,
    locked, in both languages) each get what they get alone."""
    from concurrent.futures import ThreadPoolExecutor

    asks = [("bptt", "?tab=bptt&cell=lstm&seq_len=200", "en"),
            ("bptt", "?tab=bptt&seq_len=9999&colour=red", "ko"),
            ("step", "?tab=step&text=hello+there&cell=gru&t=4&lock=cell,t", "en"),
            ("step", "?tab=step&hidden_size=0&hide=concat", "ko"),
            ("topologies", "?topology=many_to_one&num_layers=2&dropout=0.3", "en"),
            ("seq2seq", "?tab=seq2seq&attention=dot&digits=12345&t=3", "ko"),
            ("seq2seq", "?tab=seq2seq&digits=" + "9" * 5000, "en"),
            ("topologies", "?tab=nowhere&tabs=step,bptt", "en")]
    alone = [_plain(_result(app_links, *a)) for a in asks]
    with ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            crowd = list(pool.map(lambda a: _plain(_result(app_links, *a)), asks * 2))
            assert crowd == alone * 2
    assert len({repr(a) for a in alone}) == len(asks)  # every ask has an answer of its own
