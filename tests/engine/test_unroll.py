"""unroll against PyTorch's own modules, for every module type and option."""

from __future__ import annotations

import copy
import itertools

import pytest
import torch
from torch import nn

from engine import UnrollError, unroll

CASES = list(itertools.product(
    ["rnn_tanh", "rnn_relu", "lstm", "gru"], [1, 2, 3], [False, True], [False, True],
    [False, True]))


def make(kind: str, num_layers: int, bidirectional: bool, batch_first: bool) -> nn.Module:
    kw = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
    if kind.startswith("rnn"):
        return nn.RNN(3, 5, nonlinearity=kind[4:], **kw)
    return {"lstm": nn.LSTM, "gru": nn.GRU}[kind](3, 5, **kw)


@pytest.mark.parametrize("kind,num_layers,bidirectional,batch_first,with_h0", CASES)
def test_matches_module(kind, num_layers, bidirectional, batch_first, with_h0):
    rnn = make(kind, num_layers, bidirectional, batch_first)
    B, T, D = 2, 7, 2 if bidirectional else 1
    x = torch.randn(B, T, 3) if batch_first else torch.randn(T, B, 3)
    h0 = None
    if with_h0:
        h0 = torch.randn(num_layers * D, B, 5)
        if kind == "lstm":
            h0 = (h0, torch.randn(num_layers * D, B, 5))
    output, state = rnn(x, h0)
    u = unroll(rnn, x, h0)
    h_n, c_n = state if kind == "lstm" else (state, None)
    torch.testing.assert_close(u.output, output, atol=1e-5, rtol=0)
    torch.testing.assert_close(u.h_n, h_n, atol=1e-5, rtol=0)
    if kind == "lstm":
        torch.testing.assert_close(u.c_n, c_n, atol=1e-5, rtol=0)
    else:
        assert u.c_n is None and u.cell is None
    assert u.hidden.shape == (num_layers, D, B, T, 5)
    # the top layer's hidden states are the module's output, direction by direction
    out_bt = output if batch_first else output.transpose(0, 1)
    for d in range(D):
        torch.testing.assert_close(u.hidden[-1, d], out_bt[..., d * 5:(d + 1) * 5], atol=1e-5,
                                   rtol=0)
    expected = {"lstm": {"i", "f", "g", "o"}, "gru": {"r", "z", "n"}}.get(kind, set())
    assert set(u.gates) == expected
    for g in u.gates.values():
        assert g.shape == (num_layers, D, B, T, 5)


def test_lstm_gates_obey_the_cell_equations():
    rnn = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    u = unroll(rnn, torch.randn(6, 2, 3))
    i, f, g, o = (u.gates[k] for k in "ifgo")
    c = u.cell
    # forward direction: c_t = f_t * c_{t-1} + i_t * g_t, with c_0 = 0
    c_prev = torch.cat([torch.zeros_like(c[:, 0, :, :1]), c[:, 0, :, :-1]], 2)
    torch.testing.assert_close(c[:, 0], f[:, 0] * c_prev + i[:, 0] * g[:, 0])
    # backward direction reads right to left: its "previous" cell is at t + 1
    c_next = torch.cat([c[:, 1, :, 1:], torch.zeros_like(c[:, 1, :, :1])], 2)
    torch.testing.assert_close(c[:, 1], f[:, 1] * c_next + i[:, 1] * g[:, 1])
    torch.testing.assert_close(u.hidden, o * torch.tanh(c))  # h_t = o_t * tanh(c_t)
    assert ((i > 0) & (i < 1)).all() and ((g > -1) & (g < 1)).all()


def test_gru_update_rule():
    rnn = nn.GRU(3, 4)
    u = unroll(rnn, torch.randn(5, 2, 3))
    r, z, n = (u.gates[k][0, 0] for k in "rzn")
    h = u.hidden[0, 0]
    h_prev = torch.cat([torch.zeros_like(h[:, :1]), h[:, :-1]], 1)
    torch.testing.assert_close(h, (1 - z) * n + z * h_prev)  # h_t = (1 - z) n + z h_{t-1}


def test_one_step_by_hand():
    """h_1 = tanh(W_ih x_1 + b_ih + W_hh h_0 + b_hh), written out."""
    rnn = nn.RNN(4, 2)
    x = torch.randn(1, 1, 4)
    h0 = torch.randn(1, 1, 2)
    u = unroll(rnn, x, h0)
    by_hand = torch.tanh(rnn.weight_ih_l0 @ x[0, 0] + rnn.bias_ih_l0
                         + rnn.weight_hh_l0 @ h0[0, 0] + rnn.bias_hh_l0)
    torch.testing.assert_close(u.hidden[0, 0, 0, 0], by_hand)


def test_unbatched_input():
    rnn = nn.GRU(3, 4, bidirectional=True)
    x = torch.randn(5, 3)
    output, h_n = rnn(x)
    u = unroll(rnn, x)
    torch.testing.assert_close(u.output, output, atol=1e-5, rtol=0)
    torch.testing.assert_close(u.h_n, h_n, atol=1e-5, rtol=0)
    assert u.hidden.shape == (1, 2, 1, 5, 4)


def test_gradients_flow_to_the_first_input():
    """The step-through view needs dh_t/dx_1: every returned tensor stays differentiable."""
    rnn = nn.LSTM(3, 4)
    x = torch.randn(6, 1, 3, requires_grad=True)
    u = unroll(rnn, x)
    (g,) = torch.autograd.grad(u.hidden[0, 0, 0, -1].sum(), x)
    (ref,) = torch.autograd.grad(rnn(x)[0][-1].sum(), x)
    torch.testing.assert_close(g, ref, atol=1e-6, rtol=1e-4)
    assert g[0].abs().sum() > 0
    assert u.cell.requires_grad and u.gates["f"].requires_grad


@pytest.mark.parametrize("bad,match", [
    (lambda: (nn.Linear(3, 3), torch.randn(2, 1, 3)), "explains torch.nn.RNN"),
    (lambda: (nn.LSTM(3, 4, proj_size=2), torch.randn(2, 1, 3)), "proj_size"),
    (lambda: (nn.GRU(3, 4, num_layers=2, dropout=0.5).train(), torch.randn(2, 1, 3)), "dropout"),
    (lambda: (nn.RNN(3, 4), nn.utils.rnn.pack_sequence([torch.randn(2, 3)])), "PackedSequence"),
    (lambda: (nn.RNN(3, 4), torch.randn(2, 1, 5)), "input_size"),
    (lambda: (nn.RNN(3, 4), torch.zeros(2, 1, 3, dtype=torch.long)), "floating-point"),
])
def test_refuses_with_a_clear_error(bad, match):
    rnn, x = bad()
    with pytest.raises(UnrollError, match=match):
        unroll(rnn, x)


def test_dropout_in_eval_mode_is_fine():
    rnn = nn.GRU(3, 4, num_layers=2, dropout=0.5).eval()
    x = torch.randn(4, 2, 3)
    torch.testing.assert_close(unroll(rnn, x).output, rnn(x)[0], atol=1e-5, rtol=0)


def test_threads_unrolling_at_once_keep_their_own_weights():
    """A web server unrolls in several threads at once; no thread may see another's weights."""
    import threading

    modules = [nn.GRU(3, 5, num_layers=2) for _ in range(4)]
    x = torch.randn(20, 2, 3)
    expected = [m(x)[0].detach() for m in modules]
    failures = []

    def work(k: int) -> None:
        for _ in range(30):
            with torch.no_grad():
                out = unroll(modules[k], x).output
            if not torch.allclose(out, expected[k], atol=1e-5):
                failures.append(k)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not failures


@pytest.mark.parametrize("cls", [nn.LSTM, nn.GRU])
def test_gate_and_cell_gradients_match_a_float64_reference(cls):
    """Gradients through the recomputed gates and cell states (float32, the fast path) agree
    with the same model unrolled in float64 (plain torch ops all the way)."""
    torch.manual_seed(0)
    rnn = cls(3, 5, num_layers=2, bidirectional=True)
    x = torch.randn(9, 2, 3, requires_grad=True)

    def grads(module, inp):
        u = unroll(module, inp)
        loss = sum((v * torch.linspace(-1, 1, v.numel(), dtype=v.dtype).view_as(v)).sum()
                   for v in [*u.gates.values()] + ([u.cell] if u.cell is not None else []))
        return torch.autograd.grad(loss, [inp, *module.parameters()])

    ref = grads(copy.deepcopy(rnn).double(), x.detach().double().requires_grad_())
    for g, r in zip(grads(rnn, x), ref):
        torch.testing.assert_close(g.double(), r, atol=2e-5, rtol=1e-4)
