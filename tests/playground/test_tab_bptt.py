"""The BPTT gradients tab's handlers, called directly."""

from __future__ import annotations

import re
import time
from typing import NamedTuple

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import pytest

from playground.serving import release_ticket
from playground.tabs.bptt import handlers as bptt
from playground.tabs.bptt.settings import RACE_SETTINGS


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
    assert "chunks of k = 25" in regime, regime
    assert re.search(r"\d(\.\d+)? (kB|MB)", regime), regime  # the memory it measured


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


# -- what the race's text states, against the racers and the replays ------------------------------
BIASES_RE = {
    "en": r"LSTM forget gate (?P<f>[^,]+), input gate (?P<i>[^;]+); GRU update gate (?P<z>[^;]+);"
          r".*±1/√H = ±(?P<u>[0-9.]+)",
    "ko": r"LSTM 망각 게이트 (?P<f>[^,]+), 입력 게이트 (?P<i>[^;]+); GRU 업데이트 게이트 "
          r"(?P<z>[^;]+);.*±1/√H = ±(?P<u>[0-9.]+)",
}
DEFAULT_WORDS = {"en": "PyTorch's default", "ko": "PyTorch 기본값"}


def pct(v: float) -> str:
    """A held-out accuracy as the page writes it: 25.6 as '25.6%', 27.0 as '27%'."""
    return f"{v:.1f}".removesuffix(".0") + "%"


def stated_biases(summary: str, lang: str) -> dict[str, float | None]:
    """The gate biases a race summary states (None where it says PyTorch's default)."""
    import re

    m = re.search(BIASES_RE[lang], summary)
    assert m, summary
    out = {}
    for k in "fiz":
        v = m[k].strip()
        out[k] = None if v == DEFAULT_WORDS[lang] else float(v.replace("−", "-"))
    out["u"] = float(m["u"])
    return out


def real_biases(cfg) -> dict[str, object]:
    """The total biases (b_ih + b_hh) the racers of ``cfg`` really start with, per gate."""
    import torch

    from engine.race import build_racer

    H = cfg.hidden_size
    racers = {k: build_racer(k, cfg).rnn for k in ("rnn", "lstm", "gru")}
    total = {k: (m.bias_ih_l0 + m.bias_hh_l0).detach() for k, m in racers.items()}
    # rows the config sets (LSTM gates i f g o, GRU r z n); every other row is PyTorch's draw
    rows = {"rnn": [], "lstm": [(0, cfg.input_bias), (1, cfg.gate_bias)],
            "gru": [(1, cfg.gate_bias)]}
    drawn = []
    for k, m in racers.items():
        keep = torch.ones(m.bias_ih_l0.shape[0], dtype=torch.bool)
        for gate, value in rows[k]:
            if value is not None:
                keep[gate * H:(gate + 1) * H] = False
        drawn += [m.bias_ih_l0.detach()[keep], m.bias_hh_l0.detach()[keep]]
    return {"f": total["lstm"][H:2 * H], "i": total["lstm"][:H], "z": total["gru"][H:2 * H],
            "drawn": drawn}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_stated_gate_biases_are_the_racers_biases(lang):
    """Every recorded race, and a live race either way: the numbers the page states are the
    biases build_racer gives the LSTM and GRU; "PyTorch's default" means every b_ih and b_hh
    lies within the stated ±1/√H and is not a set constant."""
    import torch

    from engine.race import load_replay

    configs = [load_replay(n)[0] for n in RACE_SETTINGS.replay.choices]
    configs += [bptt.race_config("first_symbol", 20, 1.0, 50, 3, b)
                for b in RACE_SETTINGS.biases.choices]
    assert {c.gate_bias for c in configs} >= {5.0, 1.0, None}  # tuned, the SGD race's, PyTorch's
    for cfg in configs:
        said = stated_biases(bptt.race_summary(cfg, [], None, "bp_race_source_live", lang), lang)
        real = real_biases(cfg)
        assert said["u"] == pytest.approx(1 / cfg.hidden_size ** 0.5, abs=0.005)
        for k in "fiz":
            if said[k] is None:
                assert real[k].std() > 0  # random, as PyTorch draws them
            else:
                assert torch.allclose(real[k], torch.full_like(real[k], said[k]))
        # everything not set (the plain RNNs' biases too) is PyTorch's draw, within ±1/√H
        for p in real["drawn"]:
            assert p.abs().max() <= said["u"] + 0.005 and p.std() > 0


def test_the_gate_biases_choice_reaches_the_race():
    tuned = bptt.race_config("first_symbol", 20, 1.0, 50, 3)
    assert (tuned.gate_bias, tuned.input_bias) == (5.0, -3.0)  # as the recorded default race
    default = bptt.race_config("first_symbol", 20, 1.0, 50, 3, "pytorch")
    assert (default.gate_bias, default.input_bias) == (None, None)
    # the radio's translated label, as Gradio 6.31 sends it after a language switch
    from playground.i18n import LANGS

    assert bptt.race_config("first_symbol", 20, 1.0, 50, 3,
                            LANGS["ko"]["bp_biases_pytorch"]) == default
    with pytest.raises(gr.Error, match="Gate biases"):
        bptt.start_race(biases="random")
    with pytest.raises(gr.Error, match="게이트 편향"):
        bptt.start_race(biases="random", lang="ko")


@pytest.mark.assets
def test_the_default_replay_is_an_adam_race_that_clipping_lost():
    """The recorded default race is the one the page's text explains: under Adam, the clipped
    RNN ends clearly below the unclipped one."""
    from engine.race import load_replay

    cfg, _, result = load_replay(RACE_SETTINGS.replay.choices[0])
    assert cfg.optimizer == "adam"
    assert result["accuracy"]["rnn_clip"] < result["accuracy"]["rnn"] - 5


def test_the_default_replay_says_why_clipping_lost_under_adam():
    from engine.race import load_replay

    name = RACE_SETTINGS.replay.choices[0]
    cfg, steps, result = load_replay(name)
    acc = result["accuracy"]
    fired = sum(s.racers[1].clipped for s in steps)
    en = bptt.show_race(name, "rnn", "en")[3]
    assert "optimizer Adam, lr 0.01" in en and "all four racers use Adam" in en
    assert "Adam already divides each parameter's step" in en
    assert f"Clipping fired at {fired} of {cfg.steps} steps" in en
    assert f"the clipped RNN ends at {pct(acc['rnn_clip'])}" in en
    assert f"the unclipped one at {pct(acc['rnn'])}" in en and "ended worse off" in en
    ko = bptt.show_race(name, "rnn", "ko")[3]
    assert "옵티마이저 Adam" in ko and f"{cfg.steps}단계 중 {fired}단계" in ko
    assert f"클리핑한 RNN {pct(acc['rnn_clip'])}" in ko and "더 나쁘게" in ko


class SgdRace(NamedTuple):
    """Numbers of the recorded SGD race, found here independently of the page."""

    cfg: object         # its RaceConfig
    result: dict        # held-out accuracies, divergences
    clip: list          # the clipped RNN's RacerStep at every step
    k: int              # index of the unclipped RNN's largest gradient
    step: int           # ... its training step
    norm: float         # ... its norm
    before: float       # the unclipped RNN's median loss before that update
    after: float        # ... and after it
    c_med: float        # the clipped RNN's median loss


def sgd_race() -> SgdRace:
    from engine.race import load_replay

    cfg, steps, result = load_replay("sgd_lag40")
    rnn = [s.racers[0] for s in steps]
    clip = [s.racers[1] for s in steps]
    k = int(np.argmax([r.grad_norm for r in rnn]))
    return SgdRace(cfg, result, clip, k, steps[k].step, rnn[k].grad_norm,
                   np.median([r.loss for r in rnn[:k]]), np.median([r.loss for r in rnn[k + 1:]]),
                   np.median([r.loss for r in clip]))


@pytest.mark.assets
def test_the_sgd_replay_is_one_ruinous_update_that_clipping_bounds():
    """The recorded SGD race is the story the page tells: one update at step 8 (gradient norm
    28.6) ruined the unclipped RNN; the clipped one's norm was cut to the threshold there,
    and it stayed far from learning all the same."""
    r = sgd_race()
    assert (r.step, round(r.norm, 1)) == (8, 28.6) and r.after > 20 * r.before
    assert r.c_med > 3 * np.log(4)  # clipped, it stays far from learning
    assert r.clip[r.k].grad_norm_clipped == pytest.approx(r.cfg.clip)


def test_the_sgd_replay_says_what_clipping_did_and_did_not_do():
    """The page states the recorded SGD race's own numbers (:func:`sgd_race`): the unclipped
    RNN's largest gradient, the medians of its loss before and after that update, the clipped
    RNN's median loss and end."""
    r = sgd_race()
    step, norm, before, after, c_med, result = (r.step, r.norm, r.before, r.after, r.c_med,
                                                r.result)
    en = bptt.show_race("sgd_lag40", "rnn", "en")[3]
    assert "optimizer SGD (momentum 0.9), lr 1" in en
    assert f"At step {step} the unclipped RNN's gradient norm jumped to {norm:.3g}" in en
    assert f"median training loss was {before:.3g} before that update and {after:.3g}" in en
    assert "Clipping prevented that one huge update" in en
    assert "did **not** make the RNN learn the lag" in en
    assert f"the clipped RNN ends at {pct(result['accuracy']['rnn_clip'])}" in en
    assert f"{c_med:.3g}, {c_med / np.log(4):.1f}× chance" in en
    assert "rescue" not in en
    ko = bptt.show_race("sgd_lag40", "rnn", "ko")[3]
    assert f"{step}단계에서 클리핑 없는 RNN의 기울기 노름이 {norm:.3g}까지" in ko
    assert "배우게 하지는 **못했습니다**" in ko


def test_a_live_race_at_pytorchs_biases_says_so_and_claims_nothing_for_them():
    from engine.race import RACERS, RacerStep, RaceStep

    cfg = bptt.race_config("first_symbol", 20, 1.0, 10, 3, "pytorch")
    steps = [RaceStep(s, tuple(RacerStep(r, 1.3, 0.25, 0.5, 0.5, False, False) for r in RACERS))
             for s in range(1, 11)]
    result = {"accuracy": {r: 25.0 for r in RACERS}, "diverged_at": {r: None for r in RACERS}}
    text = bptt.race_summary(cfg, steps, result, "bp_race_source_live", "en")
    assert "LSTM forget gate PyTorch's default, input gate PyTorch's default" in text
    assert "do **not** start as a default" not in text  # that sentence is for set biases


def test_cancel_leaves_a_finished_race_finished():
    """Cancel after the live race has ended: it stays finished (held-out accuracies and all),
    and the status says there was nothing to cancel (it used to say "cancelled at step N")."""
    from playground.serving import session_snapshot

    ticket, _, _ = bptt.start_race("first_symbol", 4, 1.0, 10, 11, None, "en")
    try:
        for _ in range(600):
            snap = session_snapshot(ticket)
            if snap.finished:
                break
            time.sleep(0.1)
        assert snap.status == "done"
        status, timer = bptt.cancel_race(ticket, "en")
        assert "had already finished (10 of 10 steps)" in status and "cancelled" not in status
        assert not timer.active
        assert session_snapshot(ticket).status == "done"
        summary = bptt.poll_race(ticket, "rnn", "en")[3]
        assert "held-out" in summary  # still shown as the finished race it is
        ko, _ = bptt.cancel_race(ticket, "ko")
        assert "이미 끝났습니다" in ko and "10단계 중 10단계" in ko
    finally:
        release_ticket(ticket)


def test_cancel_stops_a_running_race():
    ticket, _, _ = bptt.start_race("first_symbol", 60, 1.0, 800, 12, None, "en")
    try:
        status, timer = bptt.cancel_race(ticket, "en")
        assert "was cancelled at step" in status and not timer.active
    finally:
        release_ticket(ticket)


# -- the gated cells' text, the formulas' indices, plurals and particles -------------------------
@pytest.mark.parametrize("cell,lang", [("lstm", "en"), ("gru", "en"), ("lstm", "ko")])
def test_the_gated_note_says_what_w_hh_is(cell, lang):
    """W_hh is s·Q per gate here, not PyTorch's init: the note says so, with this config's s,
    and the real module's W_hh blocks all have singular values s."""
    import torch

    from engine.bptt import ProfileConfig, profile_rnn

    s = 0.75
    note = bptt.show_profile(cell, 30, s, "orthogonal", 1.0, lang=lang)[7]
    assert "W_hh = 0.75·Q" in note
    assert ("not PyTorch's init" in note) if lang == "en" else ("PyTorch의 초기화가 아님" in note)
    W = profile_rnn(ProfileConfig(cell=cell, seq_len=30, recurrent_scale=s)).weight_hh_l0
    sv = torch.linalg.svdvals(W.detach().reshape(-1, 32, 32))
    assert torch.allclose(sv, torch.full_like(sv, s), atol=1e-9)
    set_bias = bptt.show_profile(cell, 30, s, "orthogonal", 1.0, False, 4.0, False, 4.0,
                                 lang=lang)[7]
    assert set_bias.rstrip(")").count("4") >= 1 and ("bias: 4" in set_bias or
                                                     "편향: 4" in set_bias)


def test_the_gated_text_quotes_the_configs_w_hh_and_its_claims_hold():
    """The static text names W_hh = s·Q with ProfileConfig's default s (not "PyTorch's init"),
    and its claims hold on the default LSTM: with PyTorch's random forget bias, and with 1,
    the gradient falls by orders of magnitude from h_(T-1) to h_0; past 3 the cell's grows."""
    from engine.bptt import ProfileConfig, gradient_profile
    from playground.i18n import LANGS

    d = ProfileConfig()
    for lang in ("en", "ko"):
        text = LANGS[lang]["bp_gated_text"]
        assert f"{d.recurrent_scale:g}·Q" in text and f"T = {d.seq_len}" in text
    assert "PyTorch's init, then" not in LANGS["en"]["bp_gated_text"]

    def ratio(a):  # ||dL/d·_0|| / ||dL/d·_(T-1)||
        return a[0][0] / a[0][-1]

    for bias in (None, 1.0):
        p = gradient_profile(ProfileConfig(cell="lstm", forget_bias=bias))
        assert ratio(p.hidden) < 1e-3 and ratio(p.cell) < 1e-3
    p = gradient_profile(ProfileConfig(cell="lstm", forget_bias=3.5))
    assert ratio(p.cell) > 1


def test_every_formula_counts_steps_from_0_to_t_minus_1():
    import re

    from playground.i18n import LANGS
    from playground.tabs.bptt.strings import EN

    for lang in ("en", "ko"):
        texts = {k: LANGS[lang][k] for k in EN}
        for key, text in texts.items():
            assert not re.search(r"h_T(?![−\-_(])", text), (key, text)  # the loss is on h_(T−1)
        assert "h_(T−1)" in texts["bp_loss_last"] and "T − 1" in texts["bp_race_text"]
        assert "T − 1" in texts["bp_intro"]
    assert "T steps before" not in EN["bp_race_text"]


def test_one_step_is_one_step():
    regime = bptt.show_profile(seq_len=2)[1]
    assert "over 1 step " in regime or "over 1 step," in regime
    assert "1 steps" not in regime
    assert "1 steps" not in bptt.sum_note(bptt.gradient_profile(bptt.ProfileConfig(seq_len=2)),
                                          "en")


def test_korean_particles_never_follow_a_value_directly():
    """After a placeholder the particle would depend on the value's last sound ("0.900가"):
    every Korean string of the tab rephrases, or writes 이(가) style."""
    import re

    from playground.tabs.bptt.strings import KO

    # (the copula 이고 / 입니다 / 이었 is right after any value; 였 is not)
    bad = re.compile(r"\}(?:이|가|을|를|은|는|와|과|으로|로|였)(?=[\s.,;:)]|$)")
    for key, text in KO.items():
        assert not bad.search(text), (key, text)
    regime = bptt.show_profile(lang="ko")[1]
    assert "0.900가" not in regime and "γσ_max = 0.900이고" in regime


def test_a_view_already_made_is_answered_without_computing():
    """cached_profile: a view the cache holds comes back whole, with no miss; a new one is not
    computed there (every output skipped) and gets a new miss token, each time another."""
    args = ["gru", 77, 1.1, "orthogonal", 1.0, True, 1.0, True, 1.0, 32, 1, "last", 0, 5]
    bptt._view.cache_clear()
    first = bptt.cached_profile(*args, "en")
    old, bptt.COMING_WAIT = bptt.COMING_WAIT, 0.05  # (the second waits for the first's view)
    try:
        again = bptt.cached_profile(*args, "en")
    finally:
        bptt.COMING_WAIT = old
    for miss in (first, again):
        assert all(isinstance(v, type(gr.skip())) for v in miss[:-1])
        assert isinstance(miss[-1], str) and len(miss[-1]) == 32
    assert first[-1] != again[-1]  # a token that changes: its change event computes the view
    assert bptt._view.cache_info().currsize == 0  # nothing was computed to answer
    view = bptt.show_profile(*args, "en")
    hit = bptt.cached_profile(*args, "en")
    assert hit[:-1] == view and isinstance(hit[-1], type(gr.skip()))
    assert "T = 77" in view[0].layout.title.text
    with pytest.raises(gr.Error, match="seq_len"):  # bad input: the handler's own message
        bptt.cached_profile("gru", 99999, *args[2:], "en")


def test_a_move_for_a_view_on_its_way_waits_for_it_instead_of_queueing():
    """Sixty moves to one new view: the first is told to make it (a miss); the others wait
    for that view and get it, without a miss of their own; a view never made lets them go."""
    import threading

    args = ["rnn_tanh", 61, 0.97, "orthogonal", 1.0, True, 1.0, True, 1.0, 32, 1, "last", 0, 9]
    bptt._view.cache_clear()
    first = bptt.cached_profile(*args, "en")
    assert isinstance(first[-1], str)  # a miss: this page makes it
    got = {}
    waiting = [threading.Thread(target=lambda k=k: got.__setitem__(k, bptt.cached_profile(
        *args, "en"))) for k in range(4)]
    for t in waiting:
        t.start()
    time.sleep(0.3)
    assert not got  # they wait for the view on its way
    view = bptt.show_profile(*args, "en")  # the miss's own call makes it
    for t in waiting:
        t.join(5)
    assert len(got) == 4 and all(out[:-1] == view for out in got.values())
    assert all(isinstance(out[-1], type(gr.skip())) for out in got.values())
    # a view asked for and never made: the next move waits COMING_WAIT s, then misses too
    other = ["rnn_tanh", 62, 0.97, "orthogonal", 1.0, True, 1.0, True, 1.0, 32, 1, "last", 0, 9]
    old, bptt.COMING_WAIT = bptt.COMING_WAIT, 0.2
    try:
        assert isinstance(bptt.cached_profile(*other, "en")[-1], str)
        t0 = time.monotonic()
        assert isinstance(bptt.cached_profile(*other, "en")[-1], str)
        assert time.monotonic() - t0 >= 0.2
    finally:
        bptt.COMING_WAIT = old
        bptt.show_profile(*other, "en")  # (made: nothing is left waiting)
    assert not bptt._coming
