"""The BPTT gradients tab's handlers, called directly."""

from __future__ import annotations

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest

from playground import bptt


def test_defaults_draw_a_measured_profile_under_its_bound():
    profile, regime, sv, total, sum_md, act, sat, gated = bptt.show_profile()
    assert all(isinstance(f, go.Figure) for f in (profile, sv, total, act))
    names = [t.name for t in profile.data]
    assert names[0].startswith("||dL/dh_t||") and any("bound" in n for n in names)
    measured = np.array([v for v in profile.data[0].y], dtype=float)
    bound = np.array([v for v in profile.data[-1].y], dtype=float)
    assert np.all(measured <= bound * (1 + 1e-9))
    assert "Vanishing is guaranteed" in regime and "0.900" in regime
    assert "dL/dW_hh" in sum_md and "saturated" in sat and gated == ""


def test_regimes_follow_sigma_max_and_the_measurement():
    boom = bptt.show_profile("rnn_tanh", 100, 1.5, "orthogonal", 1.0)[1]
    assert "Exploding is possible, not certain" in boom and "grew" in boom
    quiet = bptt.show_profile("rnn_tanh", 100, 1.5, "orthogonal", 3.0)[1]
    assert "Exploding is possible, not certain" in quiet and "shrank" in quiet
    exact = bptt.show_profile("rnn_tanh", 50, 0.8, "orthogonal", 0.0)[1]
    assert "The exact case" in exact
    gated = bptt.show_profile("lstm")[1]
    assert "not drawn" in gated and "gated" in gated


def test_overflow_is_said_and_never_sent_as_a_number():
    """No input, s = 5, 500 steps: the exact case grows by 5^499 ~ 1e349, past float64; no
    inf/NaN reaches the figure."""
    profile, regime = bptt.show_profile("rnn_tanh", 500, 5.0, "orthogonal", 0.0)[:2]
    assert "Overflow" in regime
    for trace in profile.data:
        ys = [y for y in trace.y if y is not None]
        assert ys and all(np.isfinite(ys))
    assert "NaN" not in profile.to_json() and "Infinity" not in profile.to_json()


def test_lstm_note_and_korean():
    out = bptt.show_profile("lstm", 100, 0.9, "orthogonal", 1.0, False, 5.0, lang="ko")
    assert "망각 게이트 평균" in out[7] and "상한을 그리지 않습니다" in out[1]
    assert len(out[0].data) == 2  # ||dL/dh_t|| and ||dL/dc_t||, no bound


def test_truncation_is_measured():
    regime = bptt.show_profile("rnn_tanh", 200, 1.0, "orthogonal", 1.0, True, 1.0, True, 1.0,
                               32, 1, "every", 25, 0, "en")[1]
    assert "chunks of k = 25" in regime and "MB" in regime or "kB" in regime


def test_translated_radio_labels_are_accepted():
    """Gradio 6.31 sends a radio's translated label after a language switch."""
    gauss = "가우시안 N(0, 1/H) (정규 행렬이 아님: σ_max ≈ 2ρ)"
    a = bptt.show_profile("RNN (relu)", 60, 0.9, gauss, 1.0, loss_at="모든 단계에: L = Σ_t r · h_t",
                          lang="ko")
    assert "nn.RNN (relu)" in a[0].layout.title.text


@pytest.mark.parametrize("args,needle", [
    (dict(seq_len=501), "Sequence length T"),
    (dict(seq_len="many"), "whole number"),
    (dict(cell="transformer"), "Cell"),
    (dict(recurrent_scale=float("nan")), "Recurrent scale"),
    (dict(forget_default="no"), "true or false"),
    (dict(forget_default=False, forget_bias=99), "LSTM forget bias"),
    (dict(tbptt=-1), "Truncated BPTT"),
    (dict(hidden_size=0), "Hidden size"),
])
def test_bad_input_names_the_problem(args, needle):
    with pytest.raises(gr.Error) as e:
        bptt.show_profile(**args)
    assert needle in str(e.value)


def test_bad_input_in_korean():
    with pytest.raises(gr.Error) as e:
        bptt.show_profile(seq_len=9999, lang="ko")
    assert "시퀀스 길이 T" in str(e.value) and "2에서 500 사이" in str(e.value)


def test_gate_controls_follow_the_cell():
    lstm = bptt.gate_controls("lstm")
    assert [u["visible"] for u in lstm] == [True, True, False, False]
    assert [u["visible"] for u in bptt.gate_controls("GRU")] == [False, False, True, True]
