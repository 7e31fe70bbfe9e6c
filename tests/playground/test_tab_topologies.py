"""The Topologies tab's handlers, called directly."""

from __future__ import annotations

import contextlib
import copy
import io
import json
import re
from types import SimpleNamespace

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from engine import TASKS, TOPOLOGIES, build_model, evaluate
from playground.tabs.topologies import handlers as tab
from playground.tabs.topologies.settings import EXAMPLES

ALL = [(topo, cell) for topo in TOPOLOGIES for cell in ("rnn", "lstm", "gru")]


@pytest.mark.parametrize("topology,cell", ALL)
def test_each_topology_shows_its_figure(topology, cell):
    out = tab.show(topology, cell, 1, 0.0, False, EXAMPLES[topology], 1, None, "en")
    diagram, heat, step_md, model_md, code, explain, slider = out
    assert isinstance(diagram, go.Figure) and isinstance(heat, go.Figure)
    assert "Pretrained" in model_md and "right" in model_md  # the shipped model gets it right
    assert f"nn.{cell.upper()}" in code or f"nn.{cell.upper()}(" in code.replace("Rnn", "RNN")
    assert explain.startswith("**")
    boxes = [s for s in diagram.layout.shapes if s.type == "rect"]
    assert len(boxes) >= 3


def test_view_numbers_match_an_independent_computation():
    """The h_t the tab shows equal the module's own output, step by step."""
    s = tab.settings("many_to_many", "rnn", 1, 0.0, False)
    model = tab.choose_model(s, None).model
    view = tab.compute_view(s, "31524", model)
    x = TASKS["running_max"].one_hot(list("31524"))
    with torch.no_grad():
        output, _ = model.rnn(x)
    name, values, first = view.hidden[0]
    np.testing.assert_allclose(values, output[0].numpy().T, atol=1e-5)
    assert view.prediction == view.truth == list("33555")
    text = tab.step_text(view, 2, "en")
    assert f"{output[0, 2, 0].item():+.2f}" in text and "h_3" in text


def test_encoder_decoder_context_is_the_decoders_h0():
    s = tab.settings("encoder_decoder", "gru", 1, 0.0, False)
    model = tab.choose_model(s, None).model
    view = tab.compute_view(s, "112333", model)
    enc = [v for n, v, f in view.hidden if n.startswith("encoder")][0]
    _, h_n = model.encoder(TASKS["dedupe"].one_hot(list("112333")))
    np.testing.assert_allclose(enc[:, -1], h_n[0, 0].detach().numpy(), atol=1e-5)
    assert view.prediction == ["1", "2", "3", "<end>"]
    assert [c.phase for c in view.columns] == ["enc"] * 6 + ["dec"] * 4


def test_stacked_bidirectional_settings_draw_every_layer_and_direction():
    out = tab.show("many_to_one", "lstm", 3, 0.3, True, "(())", 2, None, "en")
    diagram, heat = out[0], out[1]
    hidden_boxes = [a for a in diagram.layout.annotations if a.text and a.text.startswith("h")]
    assert len(hidden_boxes) >= 3 * 2 * 4  # layers x directions x steps
    assert len([t for t in heat.data if t.type == "heatmap"]) == 6
    assert "Untrained" in out[3]  # the shipped model is 1 layer, so this one is untrained
    assert "dropout=0.3" in out[4] and "bidirectional=True" in out[4]


def test_code_shows_real_shapes_for_both_layouts():
    code = tab.show("many_to_many", "lstm", 2, 0.0, True, "3152", 1, None, "en")[4]
    assert "x = torch.zeros(4, 3, 10)" in code and "x = torch.zeros(3, 4, 10)" in code
    assert "# (4, 3, 64)" in code and "# (3, 4, 64)" in code  # output: D * hidden_size
    assert "# (4, 3, 32)" in code  # h_n: (D * num_layers, batch, hidden_size), never batch-first
    assert "output, (h_n, c_n)" in code


def test_step_moves_the_highlight():
    a = tab.step("many_to_many", "rnn", 1, 0.0, False, "31524", 1, None, "en")
    b = tab.step("many_to_many", "rnn", 1, 0.0, False, "31524", 4, None, "en")
    assert a[2] != b[2] and "h_4" in b[2]
    thick = [s.x0 for s in b[0].layout.shapes if s.type == "rect" and s.line.width == 4]
    thick_a = [s.x0 for s in a[0].layout.shapes if s.type == "rect" and s.line.width == 4]
    assert min(thick) > min(thick_a)


def test_korean_text():
    out = tab.show("many_to_one", "rnn", 1, 0.0, False, "(()", 1, None, "ko")
    assert "사전 학습된" in out[3] and "다대일" in out[5]


@pytest.mark.parametrize("args,needle_en,needle_ko", [
    (("many_to_many", "rnn", 1, 0.0, False, "", 1), "empty", "비어"),
    (("many_to_many", "rnn", 1, 0.0, False, "12x", 1), "'x'", "'x'"),
    (("many_to_many", "rnn", 1, 0.0, False, "1" * 40, 1), "40 symbols", "40개"),
    (("many_to_many", "rnn", 99, 0.0, False, "12", 1), "num_layers", "num_layers"),
    (("many_to_many", "rnn", 1, 0.0, "yes", "12", 1), "bidirectional", "bidirectional"),
    (("one_to_many", "rnn", 1, 0.0, True, "5", 1), "autoregressive", "자기회귀"),
    (("no_such", "rnn", 1, 0.0, False, "5", 1), "topology", "topology"),
    (("many_to_many", "rnn", 1, 0.0, False, 12, 1), "text", "텍스트"),
])
def test_bad_input_gets_a_clear_message_in_both_languages(args, needle_en, needle_ko):
    for lang, needle in (("en", needle_en), ("ko", needle_ko)):
        with pytest.raises(gr.Error) as e:
            tab.show(*args, None, lang)
        assert needle.lower() in str(e.value.message).lower()


def test_training_handlers_with_bad_input():
    with pytest.raises(gr.Error, match="steps"):
        tab.start_training("many_to_one", "rnn", 1, 0.0, False, 10**7, 0, None, "en")
    text, fig, timer = tab.poll("not-a-ticket", "en")  # an expired or made-up ticket
    assert "no longer known" in text
    assert tab.poll(None, "ko")[0].startswith("진행 중인")


def relayout(fig: dict, change: dict) -> None:
    """``Plotly.relayout(gd, change)`` on a figure's JSON: keys like ``shapes[3].line.color``."""
    for key, value in change.items():
        node, parts = fig["layout"], re.findall(r"[^.\[\]]+", key)
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        node[parts[-1]] = value


@pytest.mark.parametrize("topology,text", [("one_to_one", "7"), ("one_to_many", "5"),
                                           ("many_to_one", "(()())"),
                                           ("many_to_many", "31524"),
                                           ("encoder_decoder", "112333")])
@pytest.mark.parametrize("cell,layers,bidirectional", [("rnn", 1, False), ("lstm", 3, True)])
def test_every_step_the_view_carries_is_the_servers_step(topology, text, cell, layers,
                                                          bidirectional):
    """The browser steps a view from what its figures carry (``stepping.js``: off(a), then
    on(b)). From any step to any other, that must draw what ``/step_topology`` draws there,
    and give its text."""
    args = (topology, cell, layers, 0.0, bidirectional and topology != "one_to_many", text)
    for lang in ("en", "ko"):
        views = {}
        n = len(json.loads(tab.show(*args, 1, None, lang)[0].to_json())["layout"]["meta"]
                ["steps"])
        assert n >= len(text)
        for t in range(1, n + 1):
            views[t] = [json.loads(f.to_json()) for f in tab.step(*args, t, None, lang)[:2]]
            views[t].append(tab.step(*args, t, None, lang)[2])
        for a in range(1, n + 1):
            for b in range(1, n + 1):
                for k in (0, 1):  # diagram, heatmap
                    fig = copy.deepcopy(views[a][k])
                    meta = fig["layout"]["meta"]
                    assert meta["t"] == a
                    relayout(fig, meta["steps"][a - 1]["off"])
                    relayout(fig, meta["steps"][b - 1]["on"])
                    want = views[b][k]
                    for part in ("shapes", "annotations", "title"):
                        assert fig["layout"].get(part) == want["layout"].get(part), (a, b, k)
                assert views[a][0]["layout"]["meta"]["texts"][b - 1] == views[b][2]


def test_the_training_poll_sends_only_what_changed():
    text, _, _ = tab.poll(None, "en")
    out = tab.watch(None, "en", None)
    assert out[0] == text and isinstance(out[1], go.Figure)
    again = tab.watch(None, "en", text)
    assert again[:2] == (gr.skip(), gr.skip())
    assert tab.watch(None, "ko", text)[0] != gr.skip()  # the language changed: resend


def test_only_a_finished_job_stops_the_training_timer(monkeypatch):
    """A poll in flight must not restart a timer that Cancel stopped: while the job runs the
    poll leaves the timer alone."""
    def job(status):
        return SimpleNamespace(status=status, progress=[SimpleNamespace(loss=1.0)] * 3,
                               request=SimpleNamespace(task="parens", steps=10), shared_with=1,
                               finished=status != "running", queue_position=None,
                               result={"accuracy": 50.0}, error=None)
    monkeypatch.setattr(tab, "session_snapshot", lambda ticket: job("running"))
    text, fig, timer = tab.poll("t", "en")
    assert "step 3 of 10" in text and timer == gr.skip()
    monkeypatch.setattr(tab, "session_snapshot", lambda ticket: job("done"))
    assert tab.poll("t", "en")[2].active is False


def test_one_to_many_unticks_bidirectional_and_dropout_needs_two_layers():
    text, box = tab.example_for("one_to_many")
    assert text == "5" and box["value"] is False and box["interactive"] is False
    text, box = tab.example_for("many_to_one")
    assert text == "(()())" and box["interactive"] is True and "value" not in box
    assert tab.dropout_control(1)["interactive"] is False
    assert tab.dropout_control(2)["interactive"] is True


@pytest.mark.assets
@pytest.mark.parametrize("task", ["next_digit", "countdown"])
def test_one_digit_shipped_models_score_their_manifest_accuracy_on_every_input(task):
    """The accuracy the manifest stores (and the page states) for these tasks' shipped models
    is the one measured on every possible input, measured again here."""
    t = TASKS[task]
    for cell in ("rnn", "lstm", "gru"):
        model, entry = tab.shipped(t.topology, cell)
        assert evaluate(model, t) == entry["accuracy"]


@pytest.mark.parametrize("task,n", [("next_digit", 10), ("countdown", 9)])
def test_one_digit_tasks_are_scored_on_every_possible_input(task, n):
    """No input of these tasks is held out (training draws from all of them): the stated
    accuracy is measured on each one, and the page says so, with N from the task."""
    t = TASKS[task]
    everything = t.all_inputs()
    gen = torch.Generator().manual_seed(0)
    drawn = {tuple(t.sample_inputs(gen, 1)) for _ in range(500)}
    assert len(everything) == n and drawn == {tuple(x) for x in everything}
    topology = t.topology
    for cell in ("rnn", "lstm", "gru"):
        s = tab.settings(topology, cell, 1, 0.0, False)
        model, entry = tab.shipped(topology, cell)
        md = tab.show(topology, cell, 1, 0.0, False, EXAMPLES[topology], 1, None, "en")[3]
        assert f"on every possible input (all {n};" in md and "held-out" not in md
        assert f"{entry['accuracy']:.1f}%" in md
        ko = tab.show(topology, cell, 1, 0.0, False, EXAMPLES[topology], 1, None, "ko")[3]
        assert f"가능한 입력 {n}개 전부에서" in ko and "처음 보는" not in ko
        assert s.topology == topology


def test_tasks_with_a_real_held_out_set_still_say_held_out():
    assert TASKS["parens"].all_inputs() is None
    md = tab.show("many_to_one", "rnn", 1, 0.0, False, "(())", 1, None, "en")[3]
    assert "on held-out examples" in md


CODE_CASES = [(topo, cell, layers, bi) for topo in TOPOLOGIES for cell in ("gru", "lstm")
              for layers in (1, 2) for bi in (False, True)
              if not (topo == "one_to_many" and bi)]


@pytest.mark.parametrize("topology,cell,layers,bi", CODE_CASES)
def test_printed_code_runs_and_prints_the_shapes_it_states(topology, cell, layers, bi):
    """Run the code the tab prints: every ``print(...shape)`` gives the shape its comment
    states, and the decoder's h_0 is the real model's (a bridge for a two-way encoder)."""
    text = EXAMPLES[topology]
    code = tab.show(topology, cell, layers, 0.0, bi, text, 1, None, "en")[4]
    stated = [tuple(int(v) for v in re.search(r"# \(([\d, ]+)\)", line).group(1).split(","))
              for line in code.splitlines() if line.startswith("print(")]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, {})  # the code a student would paste
    printed = [tuple(int(v) for v in re.findall(r"\d+", line))
               for line in out.getvalue().splitlines()]
    assert printed == stated and len(stated) >= 4
    if topology == "encoder_decoder":
        s = tab.settings(topology, cell, layers, 0.0, bi)
        task = TASKS["dedupe"]
        model = build_model(s.config(task), seed=0)
        h0 = model.initial_state(task.one_hot(list(text)).repeat(3, 1, 1))
        h0 = h0[0] if isinstance(h0, tuple) else h0
        line = next(x for x in code.splitlines() if x.startswith("print(h_0.shape)"))
        assert f"# {tuple(h0.shape)}" in line and h0.shape == (layers, 3, 64)
        assert ("bridge = nn.Linear(128, 64)" in code) == bi == (model.bridge is not None)
        assert "h_0 = h_n" not in code if bi else "h_0 = h_n" in code or "h_0, c_0 = h_n" in code


def test_korean_page_prints_korean_comments_and_the_same_code():
    en = tab.show("encoder_decoder", "lstm", 2, 0.0, True, "112333", 1, None, "en")[4]
    ko = tab.show("encoder_decoder", "lstm", 2, 0.0, True, "112333", 1, None, "ko")[4]
    strip = [line.split("#")[0] for line in en.splitlines()]
    assert strip == [line.split("#")[0] for line in ko.splitlines()]  # the code is the same
    comments = [line.split("#", 1)[1] for line in ko.splitlines() if "#" in line]
    assert all(re.search("[가-힣]", c) for c in comments if not re.fullmatch(r" \([\d, ]+\)", c)
               and "(num_layers, batch, hidden_size)" not in c and "->" not in c)
    assert "브리지" in ko and "문맥 벡터" in tab.show("encoder_decoder", "gru", 1, 0.0, False,
                                                  "112333", 1, None, "ko")[4]


def test_messages_count_right_in_both_languages(monkeypatch):
    from engine.limits import LimitError
    from playground.i18n import message
    with pytest.raises(gr.Error, match=r"has 2 symbols; this task takes exactly 1 symbol\."):
        tab.show("one_to_one", "rnn", 1, 0.0, False, "77", 1, None, "en")
    with pytest.raises(gr.Error, match="정확히 1개를"):
        tab.show("one_to_many", "rnn", 1, 0.0, False, "77", 1, None, "ko")
    with pytest.raises(gr.Error, match=r"has 1 symbol; this task takes 2 to 12\."):
        tab.show("many_to_one", "rnn", 1, 0.0, False, "(", 1, None, "en")
    assert message(LimitError("num_layers", 3, 1, 1), "en").endswith("must be 1 (got 3).")
    assert "1만 쓸 수" in message(LimitError("num_layers", 3, 1, 1), "ko")
    # a step outside the view shows its nearest end, instead of "between 1 and 10000"
    first = tab.step("many_to_many", "rnn", 1, 0.0, False, "31524", 0, None, "en")[2]
    assert "h_1 " in first
    with pytest.raises(gr.Error, match="whole number"):
        tab.step("many_to_many", "rnn", 1, 0.0, False, "31524", 2.5, None, "en")
    # "1 other person", never "1 people"
    snap = SimpleNamespace(status="running", progress=[SimpleNamespace(loss=1.0)],
                           request=SimpleNamespace(task="parens", steps=10), shared_with=2,
                           finished=False, queue_position=None)
    monkeypatch.setattr(tab, "session_snapshot", lambda ticket: snap)
    assert "shared with 1 other person who" in tab.poll("t", "en")[0]
    snap.shared_with = 3
    assert "shared with 2 other people who" in tab.poll("t", "en")[0]
    assert "2명과" in tab.poll("t", "ko")[0]


def test_untrained_model_text_names_the_real_button_and_counts_layers():
    md = tab.show("many_to_one", "lstm", 1, 0.0, True, "(())", 1, None, "en")[3]
    assert "(1 layer, bidirectional)" in md and "layer(s)" not in md
    assert f"**{tab.tr('en', 'retrain')}**" in md and "*Train*" not in md
    md = tab.show("many_to_one", "lstm", 3, 0.0, True, "(())", 1, None, "en")[3]
    assert "(3 layers, bidirectional)" in md
    ko = tab.show("many_to_one", "lstm", 2, 0.0, False, "(())", 1, None, "ko")[3]
    assert "(2층)" in ko and f"**{tab.tr('ko', 'retrain')}**을" in ko
