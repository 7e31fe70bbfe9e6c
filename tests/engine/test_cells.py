"""The reference equations (engine.cells) against PyTorch's own cells, and the fast path of
``unroll`` (engine.unroll_fused) against the reference loop, for every cell and layout."""

from __future__ import annotations

import itertools

import pytest
import torch
from torch import nn

from engine import cells, unroll, unroll_fused
from engine.unroll import reference_layer

TORCH_CELLS = {"rnn_tanh": lambda i, h: nn.RNNCell(i, h, nonlinearity="tanh"),
               "rnn_relu": lambda i, h: nn.RNNCell(i, h, nonlinearity="relu"),
               "lstm": nn.LSTMCell, "gru": nn.GRUCell}


@pytest.mark.parametrize("kind", cells.KINDS)
def test_one_step_is_pytorchs_cell(kind):
    gen = torch.Generator().manual_seed(3)
    torch.manual_seed(3)
    module = TORCH_CELLS[kind](5, 7).double()
    x_t = torch.randn(4, 5, generator=gen, dtype=torch.float64)
    h_prev = torch.randn(4, 7, generator=gen, dtype=torch.float64)
    c_prev = torch.randn(4, 7, generator=gen, dtype=torch.float64)
    weights = (module.weight_ih, module.weight_hh, module.bias_ih, module.bias_hh)
    with torch.no_grad():
        s = cells.step(kind, x_t, h_prev, c_prev if kind == "lstm" else None, weights)
        want = module(x_t, (h_prev, c_prev)) if kind == "lstm" else module(x_t, h_prev)
    if kind == "lstm":
        torch.testing.assert_close(s.h, want[0], rtol=0, atol=1e-12)
        torch.testing.assert_close(s.c, want[1], rtol=0, atol=1e-12)
    else:
        torch.testing.assert_close(s.h, want, rtol=0, atol=1e-12)
    assert tuple(s.gates) == cells.GATES[kind]


def test_the_lstm_cell_state_is_the_notes_sum():
    gen = torch.Generator().manual_seed(0)
    W_ih, W_hh = torch.randn(8, 3, generator=gen), torch.randn(8, 2, generator=gen)
    b_ih, b_hh = torch.randn(8, generator=gen), torch.randn(8, generator=gen)
    x_t, h, c = torch.randn(1, 3, generator=gen), torch.randn(1, 2), torch.randn(1, 2)
    s = cells.lstm_step(x_t, h, c, W_ih, W_hh, b_ih, b_hh)
    g = s.gates
    torch.testing.assert_close(s.c, g["f"] * c + g["i"] * g["g"])
    torch.testing.assert_close(s.h, g["o"] * torch.tanh(s.c))


def make(kind: str, layers: int, bidirectional: bool, batch_first: bool, bias: bool = True):
    torch.manual_seed(1)
    cls = {"lstm": nn.LSTM, "gru": nn.GRU}.get(kind, nn.RNN)
    extra = {"nonlinearity": kind.removeprefix("rnn_")} if kind.startswith("rnn") else {}
    return cls(3, 5, num_layers=layers, bidirectional=bidirectional, batch_first=batch_first,
               bias=bias, **extra).eval()


def reference(rnn, x, h0=None, monkeypatch=None):
    monkeypatch.setattr(unroll_fused, "available", lambda kind: False)
    try:
        return unroll(rnn, x, h0)
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("kind,layers,bidirectional,batch_first",
                         list(itertools.product(cells.KINDS, (1, 2), (False, True),
                                                (False, True))))
def test_the_fast_path_is_the_reference(kind, layers, bidirectional, batch_first, monkeypatch):
    rnn = make(kind, layers, bidirectional, batch_first)
    gen = torch.Generator().manual_seed(2)
    x = torch.randn(4, 9, 3, generator=gen)  # (B, T, F) or (T, B, F): the same tensor either way
    with torch.no_grad():
        fast = unroll(rnn, x)
        ref = reference(rnn, x, monkeypatch=monkeypatch)
        module_out = rnn(x)[0]
    for name in ("output", "h_n", "c_n", "hidden", "cell"):
        a, b = getattr(fast, name), getattr(ref, name)
        if a is None:
            assert b is None
            continue
        torch.testing.assert_close(a, b, rtol=1e-5, atol=1e-6, msg=name)
    assert fast.gates.keys() == ref.gates.keys()
    for k in fast.gates:
        torch.testing.assert_close(fast.gates[k], ref.gates[k], rtol=1e-5, atol=1e-6, msg=k)
    torch.testing.assert_close(ref.output, module_out, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", cells.KINDS)
def test_without_the_fused_kernels_unroll_falls_back_to_the_reference(kind, monkeypatch):
    """A torch without ``torch._VF``'s kernels costs speed, not correctness."""
    monkeypatch.setattr(unroll_fused, "_FUSED", {})
    assert not unroll_fused.available(kind)
    rnn = make(kind, 2, True, True, bias=False)
    x = torch.randn(2, 6, 3, generator=torch.Generator().manual_seed(4))
    h0 = torch.randn(4, 2, 5, generator=torch.Generator().manual_seed(5))
    state = (h0, torch.zeros_like(h0)) if kind == "lstm" else h0
    with torch.no_grad():
        got = unroll(rnn, x, state)
        out, h_n = rnn(x, state)
    torch.testing.assert_close(got.output, out, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(got.h_n, h_n[0] if kind == "lstm" else h_n, rtol=1e-5, atol=1e-6)


def test_the_reference_layer_reads_the_backward_direction_from_the_end():
    rnn = make("rnn_tanh", 1, True, False)
    x = torch.randn(5, 1, 3, generator=torch.Generator().manual_seed(6))
    with torch.no_grad():
        out, hs, _, _ = reference_layer(rnn, "rnn_tanh", 0, x, torch.zeros(2, 1, 5), None)
        W = cells.layer_weights(rnn, 0, 1)
        last = cells.rnn_step(x[4], torch.zeros(1, 5), *W).h  # the first it reads: x_{T-1}
    torch.testing.assert_close(hs[1][4], last)
    assert out.shape == (5, 1, 10)
