"""hidden_grad_norms against autograd on PyTorch's own modules, and a closed-form case."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from engine.bptt import (
    PROFILE_CELLS,
    ProfileConfig,
    _forward64,
    _grad_norms,
    _inputs_and_readout,
    gradient_profile,
    hidden_grad_norms,
    profile_rnn,
    truncation_cost,
)
from engine.limits import LimitError


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
    rnn = cls(3, 4).double()  # the loss sees the module's dtype: float64 to compare to 1e-9
    x = torch.randn(9, 2, 3)
    v = torch.randn(2, 4, dtype=torch.float64)

    def loss_fn(out):
        return (out[-1] * v).sum() if loss_at == "last" else (out * v).pow(2).sum()

    g = hidden_grad_norms(rnn, x, loss_fn)
    assert g.hidden.dtype == torch.float64 and g.hidden.shape == (1, 1, 9)
    for t in range(8):
        ref = reference_norm(rnn, x, t, loss_fn)
        assert g.hidden[0, 0, t].item() == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("cls,kind", [(nn.RNN, "rnn_tanh"), (nn.LSTM, "lstm"), (nn.GRU, "gru")])
@pytest.mark.parametrize("num_layers,bidirectional,batch_first,with_h0,tbptt", [
    (1, False, False, False, None), (2, True, False, True, None), (3, False, True, False, None),
    (2, True, True, True, 4), (1, False, False, True, 3)])
def test_recursion_matches_an_autograd_graph(cls, kind, num_layers, bidirectional, batch_first,
                                             with_h0, tbptt):
    """hidden_grad_norms runs BPTT's recursion by hand; the same numbers come out of autograd
    through an explicit float64 graph of the same steps (every h_t its own node)."""
    torch.manual_seed(4)
    rnn = cls(3, 5, num_layers=num_layers, bidirectional=bidirectional,
              batch_first=batch_first).double()
    D = 2 if bidirectional else 1
    x = torch.randn((2, 11, 3) if batch_first else (11, 2, 3))
    h0 = None
    if with_h0:
        h0 = torch.randn(num_layers * D, 2, 5)
        h0 = (h0, torch.randn(num_layers * D, 2, 5)) if cls is nn.LSTM else h0
    w = torch.randn(2, 11, 5 * D, dtype=torch.float64)

    def loss_fn(out):
        out = out if batch_first else out.transpose(0, 1)
        return (out * w).tanh().sum()  # a nonlinear loss at every step

    fast = hidden_grad_norms(rnn, x, loss_fn, h0, tbptt=tbptt)
    with torch.enable_grad():
        tr = _forward64(rnn, x, h0, kind, tbptt)
        ref_h, ref_c = _grad_norms(tr, loss_fn(tr.output), rnn, kind)
    torch.testing.assert_close(fast.hidden, ref_h, rtol=1e-10, atol=1e-300)
    if cls is nn.LSTM:
        torch.testing.assert_close(fast.cell, ref_c, rtol=1e-10, atol=1e-300)
    if tbptt:
        assert torch.all(fast.hidden[-1, 0, :tbptt] > 0)


def test_unbatched_input_and_relu():
    torch.manual_seed(5)
    rnn = nn.RNN(3, 4, nonlinearity="relu").double()
    x = torch.randn(9, 3)
    fast = hidden_grad_norms(rnn, x, lambda out: out.pow(2).sum())
    for t in range(8):
        ref = reference_norm(rnn, x.unsqueeze(1), t, lambda out: out.pow(2).sum())
        assert fast.hidden[0, 0, t].item() == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_the_loss_sees_the_modules_own_dtype(cls):
    """A float32 module's natural loss, out[-1] @ r with a float32 readout r, works as written;
    the recursion through time stays float64, so only the loss gradient is float32 (~1e-7)."""
    torch.manual_seed(2)
    rnn, x, r = cls(3, 4), torch.randn(30, 3), torch.randn(4)
    seen = []

    def loss_fn(out):
        seen.append(out.dtype)
        return out[-1] @ r

    g = hidden_grad_norms(rnn, x, loss_fn)
    assert seen == [torch.float32] and g.hidden.dtype == torch.float64
    ref = hidden_grad_norms(rnn.double(), x, lambda out: out[-1] @ r.double())
    torch.testing.assert_close(g.hidden, ref.hidden, rtol=1e-6, atol=0)


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
    """Zero input, biases and initial state, W_hh = s Q, t = 0..T-1, the loss on h_(T-1):
    ||dL/dh_t|| = s^(T-1-t) ||dL/dh_(T-1)|| exactly."""
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


# -- the tab's experiment: gradient_profile ----------------------------------------------------


def module_reference(cfg: ProfileConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """The same experiment through the module's own forward (float64): dL/dW_hh of layer 0 and
    ||dL/dh_(T-1)|| of the top layer, by plain autograd."""
    rnn = profile_rnn(cfg)
    x, r = _inputs_and_readout(cfg)
    out, _ = rnn(x)
    loss = (out[-1] @ r).sum() if cfg.loss_at == "last" else (out @ r).sum()
    (g,) = torch.autograd.grad(loss, rnn.weight_hh_l0)
    return g, out


@pytest.mark.parametrize("cell", PROFILE_CELLS)
@pytest.mark.parametrize("loss_at", ["last", "every"])
def test_profile_terms_sum_to_autograds_dW_hh(cell, loss_at):
    """BPTT as a sum: the per-step terms, added up, are the module's own dL/dW_hh."""
    cfg = ProfileConfig(cell=cell, seq_len=30, hidden_size=6, loss_at=loss_at,
                        recurrent_scale=1.1, seed=2)
    p = gradient_profile(cfg)
    g, _ = module_reference(cfg)
    assert p.total_grad == pytest.approx(float(torch.linalg.vector_norm(g)), rel=1e-9)
    assert p.running[0] == pytest.approx(p.total_grad)
    # the running sum starts at the last step's own term
    assert p.running[-1] == pytest.approx(p.contributions[-1], rel=1e-12)
    assert p.hidden.shape == (1, 30) and (p.cell is not None) == (cell == "lstm")


@pytest.mark.parametrize("cell", PROFILE_CELLS)
def test_profile_matches_hidden_grad_norms_on_the_same_module(cell):
    cfg = ProfileConfig(cell=cell, seq_len=25, hidden_size=5, num_layers=2, loss_at="every")
    p = gradient_profile(cfg)
    x, r = _inputs_and_readout(cfg)
    ref = hidden_grad_norms(profile_rnn(cfg), x, lambda out: (out @ r).sum())
    np.testing.assert_allclose(p.hidden, ref.hidden[:, 0].numpy(), rtol=1e-12)
    assert p.bound is None and p.bound_reason in ("gated", "layers")


def test_profile_closed_form_lies_on_the_bound():
    """No input: the profile is s^(T-1-t) ||dL/dh_(T-1)||, and so is the drawn bound."""
    s, T = 0.85, 80
    p = gradient_profile(ProfileConfig(seq_len=T, recurrent_scale=s, input_scale=0.0))
    expected = s ** np.arange(T - 1, -1, -1.0) * p.hidden[0, -1]
    np.testing.assert_allclose(p.hidden[0], expected, rtol=1e-9)
    np.testing.assert_allclose(p.bound, expected, rtol=1e-9)
    assert p.sigma_max == pytest.approx(s) and p.spectral_radius == pytest.approx(s)
    assert p.hidden[0, -1] == pytest.approx(np.sqrt(8))  # dL/dh_(T-1) = r (unit), 8 sequences


@pytest.mark.parametrize("s,input_scale", [(0.7, 1.0), (1.0, 2.0), (1.6, 0.5), (2.5, 3.0)])
def test_profile_never_exceeds_its_bound(s, input_scale):
    p = gradient_profile(ProfileConfig(seq_len=200, recurrent_scale=s, input_scale=input_scale))
    ok = np.isfinite(p.hidden[0])
    assert np.all(p.hidden[0][ok] <= p.bound[ok] * (1 + 1e-9))


def test_exploding_is_possible_not_certain():
    """sigma_max > 1 with no input: it explodes; the same W_hh with saturating input: it
    vanishes (SCIENCE.md: necessary, not sufficient)."""
    calm = gradient_profile(ProfileConfig(recurrent_scale=1.2, input_scale=0.0))
    busy = gradient_profile(ProfileConfig(recurrent_scale=1.2, input_scale=3.0))
    assert calm.sigma_max == busy.sigma_max == pytest.approx(1.2)
    assert calm.hidden[0, 0] / calm.hidden[0, -1] > 1e6
    assert busy.hidden[0, 0] / busy.hidden[0, -1] < 1e-6
    assert busy.saturation > calm.saturation


def test_gaussian_w_hh_is_not_normal():
    p = gradient_profile(ProfileConfig(init="gaussian", recurrent_scale=1.0, hidden_size=64))
    assert p.sigma_max > 1.6 * p.spectral_radius  # about 2 rho for a large Gaussian matrix
    W = profile_rnn(p.config).weight_hh_l0.detach().numpy()
    assert p.sigma_max == pytest.approx(np.linalg.norm(W, 2), rel=1e-9)
    assert p.spectral_radius == pytest.approx(np.abs(np.linalg.eigvals(W)).max(), rel=1e-9)


def test_lstm_forget_bias_sets_the_sum_of_both_biases_and_the_decay():
    """PyTorch's init and a forget bias of 1 still decay by orders of magnitude over 100 steps;
    a larger bias slows the decay, and past about 3 the cell-state gradient grows."""
    H = 32
    rnn = profile_rnn(ProfileConfig(cell="lstm", forget_bias=2.5))
    total = rnn.bias_ih_l0[H:2 * H] + rnn.bias_hh_l0[H:2 * H]
    assert torch.allclose(total, torch.full((H,), 2.5, dtype=torch.float64))

    def decay(bias):
        p = gradient_profile(ProfileConfig(cell="lstm", seq_len=100, forget_bias=bias))
        return p.cell[0, 0] / p.cell[0, -1], p.memory_gate

    default, one, two, five = decay(None), decay(1.0), decay(2.0), decay(5.0)
    assert default[0] < 1e-6 and one[0] < 1e-2
    assert one[0] < two[0] < five[0] and five[0] > 1
    assert default[1] < one[1] < two[1] < five[1] < 1


def test_truncation_stops_the_gradient_at_chunk_boundaries():
    T, k = 60, 15
    full = gradient_profile(ProfileConfig(seq_len=T, recurrent_scale=1.0))
    cut = gradient_profile(ProfileConfig(seq_len=T, recurrent_scale=1.0, tbptt=k))
    last = (T - 1) // k * k  # the last chunk starts here
    assert np.all(cut.hidden[0, :last] == 0)
    np.testing.assert_allclose(cut.hidden[0, last:], full.hidden[0, last:], rtol=1e-12)
    every = gradient_profile(ProfileConfig(seq_len=T, loss_at="every", tbptt=k))
    assert np.all(every.hidden[0] > 0) and every.bound is None
    cost = truncation_cost(ProfileConfig(seq_len=T, tbptt=k), repeats=1)
    assert cost.chunk_bytes * 3 < cost.full_bytes  # about k/T of the memory


@pytest.mark.parametrize("field,value", [("seq_len", 501), ("seq_len", 1), ("cell", "tanh"),
                                         ("recurrent_scale", -1.0), ("hidden_size", 0),
                                         ("loss_at", "first"), ("tbptt", 0), ("init", "eye")])
def test_profile_config_limits_name_the_field(field, value):
    with pytest.raises(LimitError) as e:
        ProfileConfig(**{field: value}).check()
    assert e.value.name == field


def test_lstm_buffers_reused_across_calls_change_nothing():
    """An LSTM's buffers are handed from one call to the next: a second call on other data
    leaves the first call's results, and the output its loss saw, as they were."""
    torch.manual_seed(6)
    rnn = nn.LSTM(3, 5, num_layers=2)
    x1, x2 = torch.randn(12, 4, 3), torch.randn(12, 4, 3)
    seen = []

    def loss_fn(out):
        seen.append(out.detach())
        return out.pow(2).sum()

    first = hidden_grad_norms(rnn, x1, loss_fn)
    kept = (first.hidden.clone(), first.cell.clone(), seen[0].clone())
    hidden_grad_norms(rnn, x2, loss_fn)
    again = hidden_grad_norms(rnn, x1, loss_fn)
    assert torch.equal(first.hidden, kept[0]) and torch.equal(first.cell, kept[1])
    assert torch.equal(seen[0], kept[2])
    torch.testing.assert_close(again.hidden, first.hidden, rtol=0, atol=0)
    torch.testing.assert_close(again.cell, first.cell, rtol=0, atol=0)


def test_only_a_few_profiles_are_computed_at_once(monkeypatch):
    """However many threads ask, at most LIMITS.max_concurrent_profiles profiles are computed at
    the same time (the rest wait): memory stays bounded under a crowd."""
    import threading
    import time
    from concurrent.futures import ThreadPoolExecutor

    import engine.bptt as bptt
    from engine.limits import LIMITS

    inside, most, lock = 0, 0, threading.Lock()
    real = bptt.profile_rnn

    def counting(cfg):
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)
        with lock:
            inside -= 1
        return real(cfg)

    monkeypatch.setattr(bptt, "profile_rnn", counting)
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda s: gradient_profile(ProfileConfig(seq_len=10, seed=s)), range(6)))
    assert most == LIMITS.max_concurrent_profiles
