"""The training race: same data for every racer, clipping, divergence, profiles, replays."""

from __future__ import annotations

import dataclasses
import math
import pickle
import time

import pytest
import torch
from torch.nn import functional as F

from engine import JobManager, LimitError, hidden_grad_norms
from engine import race as R
from engine.race import (
    LIVE_LIMITS,
    RACERS,
    RaceConfig,
    chance_level,
    load_replay,
    race_job,
    race_steps,
    replays,
    run_race,
)

TINY = RaceConfig(lag=8, hidden_size=8, steps=12, batch_size=8, profile_every=4)


def floats(step: R.RaceStep):
    for r in step.racers:
        yield from (r.loss, r.accuracy, r.grad_norm, r.grad_norm_clipped)
        yield from r.profile or ()


def batches(cfg: RaceConfig, n: int):
    """The first n batches of a race, drawn independently of race_steps."""
    gen = torch.Generator().manual_seed(cfg.seed)
    return [R.sample(cfg.task, cfg.lag, cfg.batch_size, gen) for _ in range(n)]


# -- the task ---------------------------------------------------------------------------------
def test_first_symbol_target_is_the_first_symbol_and_the_rest_says_nothing():
    x, y = R.sample("first_symbol", 30, 4000, torch.Generator().manual_seed(1))
    assert x.shape == (4000, 30, R.SYMBOLS + R.DISTRACTORS)
    assert torch.equal(x[:, 0].argmax(-1), y)
    # Steps 1.. hold only distractors, drawn independently of y: forgetting step 0 leaves the
    # best guess a constant, right 1/SYMBOLS of the time.
    assert x[:, 1:, :R.SYMBOLS].sum() == 0
    freq = torch.bincount(y, minlength=R.SYMBOLS).float() / len(y)
    assert chance_level("first_symbol") == 0.25 == 1 / R.SYMBOLS
    assert freq.max().item() == pytest.approx(0.25, abs=0.03)


def test_adding_target_is_the_sum_of_the_marked_numbers():
    lag = 50
    x, y = R.sample("adding", lag, 4000, torch.Generator().manual_seed(2))
    u, m = x[..., 0], x[..., 1]
    assert torch.all(m.sum(1) == 2)
    assert torch.allclose((u * m).sum(1), y)
    first = m.argmax(1)
    assert first.max() < lag // 10 and m[:, lag // 2:].sum() == 0
    # A net that forgets predicts the mean 1: its mean squared error is Var(u_a + u_b) = 1/6.
    assert chance_level("adding") == pytest.approx(1 / 6)
    assert ((y - 1) ** 2).mean().item() == pytest.approx(1 / 6, rel=0.05)


# -- the race ---------------------------------------------------------------------------------
@pytest.mark.slow
def test_same_seed_same_race_and_one_batch_per_step_for_everyone(monkeypatch):
    a, _ = run_race(TINY)
    assert a == run_race(TINY)[0]
    assert a != run_race(dataclasses.replace(TINY, seed=1))[0]
    calls = []
    real = R.sample
    monkeypatch.setattr(R, "sample", lambda *args: calls.append(args) or real(*args))
    list(race_steps(TINY))
    assert len(calls) == TINY.steps  # one batch a step, shared by the four racers
    # The two plain RNNs start equal and see the same data: with a clip that never fires, their
    # records are identical.
    for step in run_race(dataclasses.replace(TINY, clip=1e3))[0]:
        rnn, clip = step.racers[0], step.racers[1]
        assert not clip.clipped and dataclasses.replace(clip, racer="rnn") == rnn
    assert [r.racer for r in a[0].racers] == list(RACERS)


@pytest.mark.slow
def test_clipping_bounds_the_norm_and_reports_the_true_one():
    cfg = dataclasses.replace(TINY, clip=0.05, lr=0.5)
    steps, _ = run_race(cfg)
    fired = 0
    for s in steps:
        rnn, clip = s.racers[0], s.racers[1]
        assert clip.grad_norm_clipped <= cfg.clip * (1 + 1e-6)
        assert clip.clipped == (clip.grad_norm > cfg.clip)
        fired += clip.clipped
        for r in (rnn, *s.racers[2:]):  # the others are never clipped
            assert r.grad_norm_clipped == r.grad_norm and not r.clipped
    assert fired == len(steps)
    # Step 1, independently: the same initial RNN on the same batch, norm by PyTorch.
    x, y = batches(cfg, 1)[0]
    model = R.build_racer("rnn_clip", cfg)
    F.cross_entropy(model(x), y).backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), math.inf).item()
    assert steps[0].racers[1].grad_norm == pytest.approx(norm, rel=1e-5)
    assert steps[0].racers[0].grad_norm == pytest.approx(norm, rel=1e-5)


@pytest.mark.slow
def test_a_diverging_racer_stops_at_its_step_and_the_others_go_on():
    # Plain SGD on the adding problem's squared error with lr 10: each step multiplies W_hy, so
    # the plain RNN's loss overflows float32 within a few steps; the clipped RNN moves at most
    # lr * clip a step.
    cfg = RaceConfig(task="adding", lag=8, hidden_size=8, steps=30, batch_size=8, lr=10.0,
                     optimizer="sgd", profile_every=3)
    steps, result = run_race(cfg)
    at = result["diverged_at"]["rnn"]
    assert at is not None and 1 < at < cfg.steps
    for s in steps:
        assert all(v is None or math.isfinite(v) for v in floats(s))
        rnn = s.racers[0]
        assert rnn.diverged == (s.step >= at)
        if s.step > at:
            assert (rnn.loss, rnn.accuracy, rnn.grad_norm, rnn.profile) == (None,) * 4
        elif s.step < at:
            assert rnn.loss is not None and rnn.grad_norm is not None
    assert steps[at - 2].racers[0].loss > 1e20  # it was exploding just before
    clip = [s.racers[1] for s in steps]
    assert not any(r.diverged for r in clip) and all(r.loss is not None for r in clip)
    assert result["diverged_at"]["rnn_clip"] is None and result["accuracy"]["rnn"] is None
    assert result["accuracy"]["rnn_clip"] is not None


@pytest.mark.slow
def test_profiles_match_hidden_grad_norms():
    cfg = TINY
    runners: list = []
    gen = race_steps(cfg, runners)
    data = batches(cfg, cfg.steps)
    for k, step in enumerate(gen, 1):
        expected_rows = k == 1 or k % cfg.profile_every == 0
        assert all((r.profile is not None) == expected_rows for r in step.racers)
        if k == cfg.profile_every:
            break
        if k == cfg.profile_every - 1:
            # the weights the racers have now are the ones step k+1 measures, before its update
            models = [R.build_racer(name, cfg) for name in RACERS]
            for m, r in zip(models, runners):
                m.load_state_dict(r.model.state_dict())
    x, y = data[cfg.profile_every - 1]
    for m, r in zip(models, step.racers):
        g = hidden_grad_norms(m.rnn, x, lambda out, m=m: F.cross_entropy(m.head(out[:, -1]), y))
        assert len(r.profile) == cfg.lag
        assert r.profile == pytest.approx(torch.log10(g.hidden[0, 0]).tolist(), abs=1e-9)


def test_limits_name_the_field():
    bad = {"task": "copy", "lag": 1, "hidden_size": 0, "steps": 10**6, "batch_size": 0,
           "lr": 0.0, "clip": -1.0, "seed": -1, "profile_every": 0, "optimizer": "lbfgs",
           "momentum": 1.5, "rnn_scale": -1.0, "gate_bias": float("nan"), "input_bias": 11.0}
    for name, value in bad.items():
        with pytest.raises(LimitError) as e:
            dataclasses.replace(RaceConfig(), **{name: value}).check()
        assert e.value.name == name
    with pytest.raises(LimitError) as e:
        next(race_job(dataclasses.replace(RaceConfig(), lag=LIVE_LIMITS.max_lag + 1)))
    assert e.value.name == "lag"
    assert RaceConfig() == RaceConfig().check()
    hash(RaceConfig())


@pytest.mark.slow
def test_race_job_runs_in_a_job_manager_and_returns_the_result():
    cfg = dataclasses.replace(TINY, steps=5)
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    jm = JobManager(backend="process")
    try:
        ticket = jm.submit(race_job, cfg)
        end = time.monotonic() + 60
        while not jm.snapshot(ticket).finished and time.monotonic() < end:
            time.sleep(0.05)
        snap = jm.snapshot(ticket)
    finally:
        jm.shutdown()
    assert snap.status == "done", snap.error
    assert [s.step for s in snap.progress] == [1, 2, 3, 4, 5]
    assert set(snap.result["accuracy"]) == set(RACERS) == set(snap.result["diverged_at"])
    assert all(0 <= v <= 100 for v in snap.result["accuracy"].values())


# -- replays ----------------------------------------------------------------------------------
@pytest.mark.assets
def test_replays_load_and_round_trip():
    """Every recorded race in the index loads, with the config it was recorded from, all its
    steps, finite numbers, and the divergences the index lists."""
    index = replays()
    assert len(index) >= 2 and index[0]["name"] == R.REPLAYS[0][0]
    for entry in index:
        cfg, steps, result = load_replay(entry)
        assert cfg == RaceConfig(**{f.name: entry[f.name] for f in dataclasses.fields(cfg)})
        assert cfg == next(c for n, c, _ in R.REPLAYS if n == entry["name"])
        assert [s.step for s in steps] == list(range(1, cfg.steps + 1))
        assert all(v is None or math.isfinite(v) for s in steps for v in floats(s))
        assert result["diverged_at"] == entry["diverged_at"]


def test_an_unknown_replay_is_refused():
    with pytest.raises(LimitError):
        load_replay("no_such_race")


def curves(steps, field):
    return {name: [getattr(s.racers[k], field) for s in steps] for k, name in enumerate(RACERS)}


@pytest.mark.assets
def test_the_default_replay_tells_the_story():
    cfg, steps, result = load_replay(replays()[0])
    assert cfg == RaceConfig()  # the tab's first view is the default race
    acc, loss, norm = result["accuracy"], curves(steps, "loss"), curves(steps, "grad_norm")
    # LSTM and GRU solve it; both plain RNNs stay far from it (chance is 25%).
    assert acc["lstm"] >= 95 and acc["gru"] >= 95
    assert acc["rnn"] <= 60 and acc["rnn_clip"] <= 60
    # The clipped RNN stays finite throughout; the unclipped one's gradient norm spikes to more
    # than 20 times the clipping threshold and 50 times its own median.
    assert result["diverged_at"]["rnn_clip"] is None and None not in loss["rnn_clip"]
    rnn = [v for v in norm["rnn"] if v is not None]
    assert max(rnn) > 20 * cfg.clip and max(rnn) > 50 * sorted(rnn)[len(rnn) // 2]


@pytest.mark.assets
def test_the_sgd_replay_shows_what_clipping_bounds():
    cfg, steps, result = load_replay("sgd_lag40")
    assert cfg.optimizer == "sgd"
    loss, clipped = curves(steps, "loss"), curves(steps, "clipped")
    rnn = [v for v in loss["rnn"] if v is not None]
    # Without clipping the loss spikes far above its start (ln 4 = 1.39); with clipping it
    # stays several times lower, though the task is not learnt either.
    assert max(rnn) > 20 * rnn[0]
    assert max(loss["rnn_clip"]) < max(rnn) / 3 and sum(clipped["rnn_clip"]) > len(steps) / 2
    assert result["accuracy"]["gru"] >= 95 and result["accuracy"]["rnn_clip"] <= 40


@pytest.mark.assets
@pytest.mark.slow
def test_replays_are_remade_by_the_race():
    """The shipped default replay is what race_steps computes (its first steps, rounded)."""
    cfg, replay, _ = load_replay(replays()[0])
    fresh, _ = run_race(dataclasses.replace(cfg, steps=3))
    for a, b in zip(fresh, replay):
        for ra, rb in zip(a.racers, b.racers):
            assert rb.loss == pytest.approx(ra.loss, rel=1e-3)
            assert rb.grad_norm == pytest.approx(ra.grad_norm, rel=1e-3)
            assert (rb.profile is None) == (ra.profile is None)
            if ra.profile:
                assert rb.profile == pytest.approx(ra.profile, abs=0.01)


def test_encode_decode_keeps_none_and_flags():
    steps, result = run_race(dataclasses.replace(TINY, steps=3, profile_every=2))
    cfg, back, res = R.decode_race(R.encode_race(TINY, steps, result))
    assert cfg == TINY and res == result and len(back) == 3
    for a, b in zip(steps, back):
        for ra, rb in zip(a.racers, b.racers):
            assert (ra.clipped, ra.diverged, ra.profile is None) == \
                   (rb.clipped, rb.diverged, rb.profile is None)
            assert rb.loss == pytest.approx(ra.loss, rel=1e-3)


def test_gate_biases_none_keeps_pytorchs_own():
    """gate_bias / input_bias None: the LSTM and GRU start with PyTorch's biases (b_ih and b_hh
    uniform in ±1/√H); every other weight is the one the tuned race starts from."""
    H = TINY.hidden_size
    default = dataclasses.replace(TINY, gate_bias=None, input_bias=None).check()
    for kind in ("lstm", "gru"):
        tuned, plain = R.build_racer(kind, TINY), R.build_racer(kind, default)
        for (name, a), (_, b) in zip(tuned.named_parameters(), plain.named_parameters()):
            if name.startswith("rnn.bias"):
                assert b.abs().max() <= 1 / math.sqrt(H) and b.std() > 0
                gates = slice(0, 2 * H) if kind == "lstm" else slice(H, 2 * H)  # i f / z
                assert not torch.equal(a[gates], b[gates])
            else:
                assert torch.equal(a, b), name
    for kind in ("rnn", "rnn_clip"):  # the plain RNNs have no gates: the same either way
        assert all(torch.equal(a, b) for a, b in zip(R.build_racer(kind, TINY).parameters(),
                                                      R.build_racer(kind, default).parameters()))

