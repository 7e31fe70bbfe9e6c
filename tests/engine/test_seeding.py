"""engine.seeding: a private generator gives exactly what torch.manual_seed(s) + the constructor
gives, and never touches the global generator."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine import RaceConfig, Seq2SeqConfig, build_seq2seq
from engine.bptt import ProfileConfig, profile_rnn
from engine.race import DISTRACTORS, SYMBOLS, Racer, build_racer
from engine.seeding import build, empty, generator, pytorch_init_
from engine.seq2seq import Seq2Seq


def classic(factory, seed: int) -> nn.Module:
    """The usual two lines, on the global generator (saved and restored around them)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return factory()


def same_weights(a: nn.Module, b: nn.Module) -> bool:
    sa, sb = a.state_dict(), b.state_dict()
    return sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)


FACTORIES = {
    "rnn": lambda: nn.RNN(4, 2),
    "rnn_relu_2_layers": lambda: nn.RNN(3, 5, 2, nonlinearity="relu"),
    "lstm_bi": lambda: nn.LSTM(4, 8, 2, bidirectional=True, batch_first=True),
    "gru": lambda: nn.GRU(6, 3),
    "linear": lambda: nn.Linear(7, 3),
    "linear_no_bias": lambda: nn.Linear(7, 3, bias=False),
    "embedding": lambda: nn.Embedding(11, 5),
    "racer": lambda: Racer("lstm", 10, 16, 4),
    "seq2seq_additive_lstm": lambda: Seq2Seq(Seq2SeqConfig(cell="lstm", attention="additive")),
    "seq2seq_dot_bi": lambda: Seq2Seq(Seq2SeqConfig(attention="dot", bidirectional=True)),
}


@pytest.mark.parametrize("name", list(FACTORIES))
def test_build_equals_manual_seed_and_constructor(name):
    before = torch.get_rng_state()
    built = build(FACTORIES[name], generator(3))
    assert torch.equal(before, torch.get_rng_state())
    assert same_weights(built, classic(FACTORIES[name], 3))


def test_build_continues_the_stream_like_the_global_generator():
    """Draws after the constructor continue the same stream, as after torch.manual_seed."""
    gen = generator(5)
    rnn = build(lambda: nn.RNN(4, 3), gen)
    x = torch.randn(2, 4, generator=gen)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(5)
        ref, x_ref = nn.RNN(4, 3), torch.randn(2, 4)
    assert same_weights(rnn, ref) and torch.equal(x, x_ref)
    assert torch.equal(rnn(x)[0], ref(x_ref)[0])  # the fused kernel sees the new storage


def test_empty_draws_nothing_and_unknown_modules_are_refused():
    before = torch.get_rng_state()
    m = empty(lambda: nn.LSTM(3, 4))
    assert torch.equal(before, torch.get_rng_state()) and m.weight_hh_l0.shape == (16, 4)
    with pytest.raises(TypeError, match="LayerNorm"):
        pytorch_init_(nn.LayerNorm(3), generator(0))
    with pytest.raises(TypeError, match="buffers"):
        empty(lambda: nn.BatchNorm1d(3))


def test_engine_models_equal_their_global_seeded_versions():
    """The shipped checkpoints and recorded races were made with torch.manual_seed: the
    private-generator builders give the same initial weights, so they stay reproducible."""
    cfg = Seq2SeqConfig(attention="dot", bidirectional=True)
    assert same_weights(build_seq2seq(cfg, seed=4), classic(lambda: Seq2Seq(cfg), 4))

    race = RaceConfig(lag=20, steps=5, seed=9, rnn_scale=1.2)  # W_hh = s Q draws after init
    for kind in ("rnn", "lstm", "gru"):
        def old(kind=kind):
            model = Racer(kind, SYMBOLS + DISTRACTORS, race.hidden_size, SYMBOLS)
            H = race.hidden_size
            with torch.no_grad():
                if kind == "rnn" and race.rnn_scale is not None:
                    Q, _ = torch.linalg.qr(torch.randn(H, H, dtype=torch.float64))
                    model.rnn.weight_hh_l0.copy_((race.rnn_scale * Q).float())
                if kind in ("lstm", "gru"):
                    model.rnn.bias_ih_l0[H:2 * H].fill_(race.gate_bias / 2)
                    model.rnn.bias_hh_l0[H:2 * H].fill_(race.gate_bias / 2)
                if kind == "lstm":
                    model.rnn.bias_ih_l0[:H].fill_(race.input_bias / 2)
                    model.rnn.bias_hh_l0[:H].fill_(race.input_bias / 2)
            return model
        assert same_weights(build_racer(kind, race), classic(old, race.seed)), kind

    for cell in ("rnn_tanh", "lstm", "gru"):
        pc = ProfileConfig(cell=cell, seq_len=20, seed=6)
        cls = {"rnn_tanh": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        ref = classic(lambda cls=cls, pc=pc: cls(8, pc.hidden_size, pc.num_layers), pc.seed)
        got = profile_rnn(pc)
        # W_ih is PyTorch's init from the seed; W_hh and some biases are then set by the config
        assert torch.equal(got.weight_ih_l0, ref.weight_ih_l0.double()), cell


def test_training_with_dropout_is_the_same_run_for_the_same_seed():
    """nn.RNN's dropout between layers can only draw from the global generator: train_steps
    seeds it from the run, so whatever was drawn before, the same seed gives the same run."""
    from engine import TASKS, ModelConfig, TrainConfig, build_model, train_steps

    task = TASKS["running_max"]
    cfg = ModelConfig.for_task(task, cell="gru", hidden_size=8, num_layers=2, dropout=0.5)
    runs = []
    for noise in (1, 2):
        torch.manual_seed(noise)  # something else used the global generator before this run
        model = build_model(cfg, seed=0)
        runs.append([m.loss for m in train_steps(model, task, TrainConfig(steps=5, seed=3))])
    assert runs[0] == runs[1]
    other = [m.loss for m in train_steps(build_model(cfg, seed=0), task,
                                         TrainConfig(steps=5, seed=4))]
    assert other != runs[0]
