"""hidden_grad_norms against autograd on PyTorch's own modules, and a closed-form case."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine.bptt import hidden_grad_norms


def reference_norm(rnn: nn.Module, x: torch.Tensor, t: int, loss_fn) -> float:
    """||dL/dh_t|| from the module's own forward split at t, with h_t made a leaf: it reaches
    the loss directly (it is output[t]) and through every later step."""
    rnn = rnn.double()
    x = x.double()
    out1, state = rnn(x[:t + 1])
    if isinstance(state, tuple):
        h, c = (s.detach().requires_grad_(True) for s in state)
        state = (h, c)
    else:
        h = state = state.detach().requires_grad_(True)
    parts = [out1[:t].detach(), h]
    if t + 1 < len(x):
        parts.append(rnn(x[t + 1:], state)[0])
    (g,) = torch.autograd.grad(loss_fn(torch.cat(parts, 0)), h)
    return float(torch.linalg.vector_norm(g))


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_matches_autograd_through_the_module(cls, loss_at):
    torch.manual_seed(1)
    rnn = cls(3, 4)
    x = torch.randn(9, 2, 3)
    v = torch.randn(2, 4, dtype=torch.float64)

    def loss_fn(out):
        return (out[-1] * v).sum() if loss_at == "last" else (out * v).pow(2).sum()

    g = hidden_grad_norms(rnn, x, loss_fn)
    assert g.hidden.dtype == torch.float64 and g.hidden.shape == (1, 1, 9)
    for t in range(8):
        ref = reference_norm(rnn, x, t, loss_fn)
        assert g.hidden[0, 0, t].item() == pytest.approx(ref, rel=1e-9)


def orthogonal_rnn(input_size: int, H: int, s: float) -> nn.RNN:
    """An RNN with W_hh = s Q (Q orthogonal) and zero biases: the closed-form case."""
    rnn = nn.RNN(input_size, H)
    Q, _ = torch.linalg.qr(torch.randn(H, H, dtype=torch.float64))
    with torch.no_grad():
        rnn.weight_hh_l0.copy_((s * Q).float())
        rnn.bias_ih_l0.zero_()
        rnn.bias_hh_l0.zero_()
    return rnn


def test_closed_form_orthogonal_case():
    """Zero input and biases, h_0 = 0, W_hh = s Q: ||dL/dh_t|| = s^(T-t) ||dL/dh_T|| exactly."""
    T, H, s = 60, 8, 0.8
    rnn = orthogonal_rnn(2, H, s)
    v = torch.randn(1, H, dtype=torch.float64)
    g = hidden_grad_norms(rnn, torch.zeros(T, 1, 2), lambda out: (out[-1] * v).sum())
    # W_hh was rounded to float32 when copied in: its singular values are s to ~1e-7
    sigma = torch.linalg.svdvals(rnn.weight_hh_l0.double())
    assert torch.allclose(sigma, torch.full_like(sigma, s), atol=1e-6)
    expected = torch.tensor([s ** (T - 1 - t) for t in range(T)], dtype=torch.float64)
    expected *= torch.linalg.vector_norm(v)
    torch.testing.assert_close(g.hidden[0, 0], expected, rtol=1e-4, atol=0)
    assert g.hidden[0, 0, 0] > 0 and g.hidden[0, 0, 0] < 1e-5  # tiny, but not underflowed


def test_module_left_untouched_and_layers_directions_shapes():
    rnn = nn.LSTM(3, 5, num_layers=2, bidirectional=True, batch_first=True).train()
    for p in rnn.parameters():
        p.grad = torch.ones_like(p)
    g = hidden_grad_norms(rnn, torch.randn(2, 7, 3), lambda out: out.pow(2).sum())
    assert g.hidden.shape == (2, 2, 7) and g.cell.shape == (2, 2, 7)
    assert rnn.training and all(torch.all(p.grad == 1) for p in rnn.parameters())
    assert torch.all(g.hidden > 0)


def test_underflow_free_over_500_steps():
    """In float32 most of a long vanishing profile would be exactly zero; in float64 it is not."""
    T, H, s = 500, 8, 0.3
    rnn = orthogonal_rnn(1, H, s)
    g = hidden_grad_norms(rnn, torch.zeros(T, 1, 1), lambda out: out[-1].sum())
    assert torch.all(g.hidden[0, 0] > 0)
    assert g.hidden[0, 0, 0].item() == pytest.approx(s ** (T - 1) * H ** 0.5, rel=1e-3)
    assert torch.tensor(s ** (T - 1), dtype=torch.float32) == 0  # what float32 would show


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
def test_never_exceeds_the_pascanu_bound(scale):
    """One tanh layer, loss on the last step: ||dL/dh_t|| <= sigma_max^(T-1-t) ||dL/dh_(T-1)||
    (gamma = max tanh' = 1), whatever the inputs; the bound is tight only without saturation."""
    torch.manual_seed(3)
    T = 40
    rnn = nn.RNN(3, 6)
    with torch.no_grad():
        rnn.weight_hh_l0.mul_(scale)
    g = hidden_grad_norms(rnn, torch.randn(T, 2, 3), lambda out: (out[-1] ** 2).sum()).hidden[0, 0]
    sigma = torch.linalg.svdvals(rnn.weight_hh_l0.double())[0]
    bound = sigma ** torch.arange(T - 1, -1, -1, dtype=torch.float64) * g[-1]
    assert torch.all(g <= bound * (1 + 1e-9))
