"""The steps a view carries for the browser (``plots.stepped``, ``from_frames``), replayed
here as ``playground/stepping.js`` applies them: from any step to any other, the figure must
become what the server draws at that step."""

from __future__ import annotations

import copy
import json
import re

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import plots
from playground.tabs.seq2seq import handlers as seq2seq
from playground.tabs.step import handlers as step


def _set(node: dict, key: str, value) -> None:
    parts = re.findall(r"[^.\[\]]+", key)
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
    node[parts[-1]] = value


def show(fig: dict, b: int) -> dict:
    """stepping.js's ``show``: the figure (its JSON), moved from its step to step ``b``."""
    fig = copy.deepcopy(fig)
    meta = fig["layout"]["meta"]
    a = meta["t"]
    change = {**meta["steps"][a - 1]["off"], **meta["steps"][b - 1]["on"]}
    target = meta["steps"][b - 1]
    for key, values in (target.get("data") or {}).items():
        for trace, value in zip(target["traces"], values):
            if value is not None:  # null: the trace keeps its value
                _set(fig["data"][trace], key, value)
    if "reveal" in target:
        for trace, z in meta["full"].items():
            fig["data"][int(trace)]["z"] = [[v if j < target["reveal"] else None
                                             for j, v in enumerate(row)] for row in z]
    for key, value in change.items():
        _set(fig["layout"], key, value)
    return fig


def plain(fig) -> dict:
    """A figure's JSON with plotly's typed arrays as lists, NaN as None, and no meta."""
    out = json.loads(go.Figure(fig).to_json()) if not isinstance(fig, dict) else fig
    out = json.loads(json.dumps(out))

    def lists(v):
        if isinstance(v, dict) and "bdata" in v:
            import base64
            arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
            if "shape" in v:
                arr = arr.reshape([int(n) for n in str(v["shape"]).split(",")])
            return lists(arr.tolist())
        if isinstance(v, dict):
            return {k: lists(x) for k, x in v.items() if k != "meta"}
        if isinstance(v, list):
            return [lists(x) for x in v]
        if isinstance(v, float) and np.isnan(v):
            return None
        return v

    return lists(out)


def assert_steps_match(draw, n: int) -> None:
    """``draw(t)`` is the server's figure at step t (from 1): stepping from every step to every
    other gives it."""
    figs = {t: json.loads(draw(t).to_json()) for t in range(1, n + 1)}
    for a in range(1, n + 1):
        assert figs[a]["layout"]["meta"]["t"] == a
        assert len(figs[a]["layout"]["meta"]["steps"]) == n
        for b in range(1, n + 1):
            assert plain(show(plain_keep_meta(figs[a]), b)) == plain(figs[b]), (a, b)


def plain_keep_meta(fig: dict) -> dict:
    meta = fig["layout"]["meta"]
    out = plain(fig)
    out["layout"]["meta"] = meta
    return out


@pytest.mark.parametrize("cell,concat", [("rnn", False), ("rnn", True), ("lstm", False),
                                         ("gru", False)])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_step_through_time_steps_as_the_server_draws_them(cell, concat, lang):
    for k in range(3):  # the equation, the prediction, the hidden states
        assert_steps_match(lambda t, k=k: step.show_step("hello", cell, 4, 1, "pretrained",
                                                         concat, t, None, lang)[k], 5)
    texts = json.loads(step.show_step("hello", cell, 4, 1, "pretrained", concat, 1, None,
                                      lang)[0].to_json())["layout"]["meta"]["texts"]
    assert texts == [step.show_step("hello", cell, 4, 1, "pretrained", concat, t, None,
                                    lang)[3] for t in range(1, 6)]


def test_two_layers_step_in_every_layer():
    draw = lambda t: step.show_step("hello there", "gru", 6, 2, "random", False, t, None,  # noqa: E731
                                    "en")[2]
    assert_steps_match(draw, 11)


@pytest.mark.parametrize("kind", ["additive", "dot"])
def test_the_seq2seq_output_step_steps_as_the_server_draws_it(kind):
    def at(t, k):
        return seq2seq.decode("90210", "reverse", kind, "shipped", t, None, "en")[k]

    for k in (2, 3, 4):  # the weights, the states and context, the softmax
        assert_steps_match(lambda t: at(t, k), 5)  # noqa: B023
    texts = json.loads(at(1, 2).to_json())["layout"]["meta"]["texts"]
    assert texts == [at(t, 5) for t in range(1, 6)]


def test_a_step_sends_only_what_moves():
    """From frames that differ in one trace's y and the title, each step carries those two."""
    frames = [{"data": [{"type": "bar", "x": [1, 2], "y": [k, 1]},
                        {"type": "bar", "x": [1, 2], "y": [0, 0]}],
               "layout": {"title": {"text": f"t={k}"}, "height": 300}} for k in range(3)]
    fig = plots.from_frames(go.Figure(frames[1]), 2, frames)
    steps = fig.layout.meta["steps"]
    assert steps[2] == {"on": {"title.text": "t=2"}, "off": {}, "data": {"y": [[2, 1]]},
                        "traces": [0]}


def test_frames_of_different_shapes_are_refused():
    frames = [{"data": [{"type": "bar", "y": [1]}], "layout": {}},
              {"data": [{"type": "bar", "y": [1]}, {"type": "bar", "y": [2]}], "layout": {}}]
    with pytest.raises(ValueError, match="same structure"):
        plots.from_frames(go.Figure(frames[0]), 1, frames)
