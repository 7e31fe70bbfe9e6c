"""The BPTT gradients tab's handlers, called directly."""

from __future__ import annotations

import time

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest

from playground import bptt
from playground.common import release_ticket


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


# -- the training race -----------------------------------------------------------------------------
def test_recorded_race_shows_at_once():
    loss, grad, heat, summary = bptt.show_race()
    racers = ["RNN", "RNN + clipping", "LSTM", "GRU"]
    assert [t.name for t in loss.data if t.showlegend is not False][:4] == racers
    assert "Recorded replay" in summary and all(f"**{r}**" in summary for r in racers)
    assert heat.data and heat.data[0].type == "heatmap"
    assert "NaN" not in loss.to_json() and "Infinity" not in grad.to_json()
    ko = bptt.show_race(racer="gru", lang="ko")
    assert "녹화된 경주" in ko[3] and "GRU" in ko[2].layout.title.text


def test_race_settings_are_checked_against_the_live_limits():
    from engine.race import LIVE_LIMITS

    with pytest.raises(gr.Error, match="Lag T"):
        bptt.start_race(lag=LIVE_LIMITS.max_lag + 1)
    with pytest.raises(gr.Error, match="학습 단계 수"):
        bptt.start_race(steps=LIVE_LIMITS.max_steps + 1, lang="ko")
    with pytest.raises(gr.Error, match="Task"):
        bptt.start_race(task="sorting")
    with pytest.raises(gr.Error, match="Recorded race"):
        bptt.show_race("no_such_race")
    with pytest.raises(gr.Error, match="Heatmap of"):
        bptt.show_race(racer="transformer")


@pytest.mark.slow
def test_live_race_runs_in_the_background_and_is_polled():
    ticket, _, timer = bptt.start_race("first_symbol", 8, 1.0, 12, 3, None, "en")
    try:
        for _ in range(300):
            loss, grad, heat, summary, status, timer = bptt.poll_race(ticket, "rnn", "en")
            if not timer.active:
                break
            time.sleep(0.1)
        assert not timer.active and "Live race" in summary
        assert "held-out" in summary  # finished: the held-out accuracy of each racer
        assert len(loss.data[0].x) == 12
        # the racer of the heatmap can change while the live race is shown
        assert "LSTM" in bptt.redraw_race("", "lstm", ticket, "en")[2].layout.title.text
        assert "Live race" in bptt.redraw_race("", "lstm", ticket, "en")[3]
    finally:
        release_ticket(ticket)
    assert "No live race" in bptt.cancel_race(None, "en")[0]


def test_a_diverged_racer_is_marked_and_explained():
    """A racer whose numbers stopped being finite at step 3: a cross on the loss plot at that
    step, the step and the last gradient norm in the text, and no NaN in any figure."""
    from engine.race import RACERS, RaceConfig, RacerStep, RaceStep

    def rec(racer, step):
        if racer == "rnn" and step >= 3:
            return RacerStep(racer, None, None, None, None, False, True, None)
        norm = 10.0 ** step if racer == "rnn" else 0.5
        return RacerStep(racer, 1.4 / step, 0.25, norm, min(norm, 1.0), norm > 1.0, False,
                         (-2.0, -1.0, 0.0) if step == 1 else None)

    steps = [RaceStep(s, tuple(rec(r, s) for r in RACERS)) for s in range(1, 6)]
    cfg = RaceConfig(lag=3, steps=5)
    loss, grad, heat = bptt.race_figures(cfg, steps, "rnn", "en")
    cross = [t for t in loss.data if t.mode == "markers"]
    assert len(cross) == 1 and list(cross[0].x) == [3]
    assert any("diverged at step 3" in a.text for a in loss.layout.annotations)
    for fig in (loss, grad, heat):
        assert "NaN" not in fig.to_json() and "Infinity" not in fig.to_json()
    text = bptt.race_summary(cfg, steps, None, "bp_race_source_live", "en")
    assert "diverged at step 3" in text and "100" in text  # the norm it had reached: 10^2
    ko = bptt.race_summary(cfg, steps, None, "bp_race_source_live", "ko")
    assert "3단계에서 발산" in ko


def test_shared_views_send_the_json_of_their_figures():
    """Views every session shares keep their figures' JSON: it must be the figure's own."""
    import json

    import plotly.graph_objects as go

    first = bptt.show_profile(seq_len=37)
    again = bptt.show_profile(seq_len=37)
    assert again[0] is first[0]  # one computation for a class asking the same
    for fig in (f for f in first if isinstance(f, go.Figure)):
        assert json.loads(fig.to_json()) == json.loads(go.Figure(fig).to_json())


def test_numbers_read_plainly_up_to_ten_thousand():
    assert [bptt.sci(v) for v in (0.5, 999.6, 1280.0, -2500.0)] == ["0.5", "1000", "1280",
                                                                     "-2500"]
    assert bptt.sci(1.5e-52) == "1.5 × 10<sup>−52</sup>"
    assert bptt.sci(12345.0).endswith("<sup>4</sup>")


def test_a_missing_cell_is_named_not_defaulted():
    with pytest.raises(gr.Error, match="Cell"):
        bptt.show_profile(None)


def test_exact_zeros_are_told_apart_from_underflow():
    """W_hh = 0 carries nothing back (no underflow); s = 0.1 over 500 steps does underflow."""
    none = bptt.show_profile(seq_len=20, recurrent_scale=0.0)[1]
    assert "no path carries it back" in none and "smallest number" not in none
    tiny = bptt.show_profile(seq_len=500, recurrent_scale=0.1)[1]
    assert "smallest number" in tiny and "no path" not in tiny
    assert "경로가 없습니다" in bptt.show_profile(seq_len=20, recurrent_scale=0.0, lang="ko")[1]


def test_a_chunk_as_long_as_the_sequence_is_full_bptt():
    full = bptt.show_profile(seq_len=50)
    for k in (50, 80):
        view = bptt.show_profile(seq_len=50, tbptt=k)
        assert view[1] == full[1] and "truncated" not in view[1]
