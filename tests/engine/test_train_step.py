"""engine.train's one step: the norm before and after clipping, and the stop on inf or NaN."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from engine.train import optimize, total_norm, train_step


def linear(seed: int = 0) -> tuple[nn.Linear, list[nn.Parameter]]:
    model = nn.Linear(3, 2)
    with torch.no_grad():
        gen = torch.Generator().manual_seed(seed)
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=gen))
    return model, list(model.parameters())


def squared(model: nn.Module):
    def loss_fn(x: torch.Tensor):
        out = model(x)
        return out.pow(2).sum(), out
    return loss_fn


X = torch.randn(4, 3, generator=torch.Generator().manual_seed(1))


@pytest.mark.parametrize("norm64", [False, True])
def test_clipping_rescales_the_whole_gradient_by_one_factor(norm64):
    model, params = linear()
    loss_fn = squared(model)
    loss_fn(X)[0].backward()
    g = [p.grad.clone() for p in params]
    norm = total_norm(g)
    clip = norm / 10
    model.zero_grad()
    opt = torch.optim.SGD(params, lr=1.0)
    before = [p.detach().clone() for p in params]
    u = train_step(params, opt, loss_fn, X, clip=clip, norm64=norm64)
    assert u.stepped and u.clipped and u.grad_norm == pytest.approx(norm, rel=1e-6)
    assert u.grad_norm_clipped == pytest.approx(clip, rel=1e-5)
    for p, p0, gk in zip(params, before, g):  # plain SGD: the step is -lr * clip * g / ||g||
        torch.testing.assert_close(p0 - p.detach(), gk * (clip / norm), rtol=1e-5, atol=1e-6)
    assert u.extra[0].shape == (4, 2)  # what loss_fn returned beside the loss comes back


def test_no_clip_measures_only():
    model, params = linear()
    u = train_step(params, torch.optim.SGD(params, lr=0.0), squared(model), X)
    assert not u.clipped and u.grad_norm == pytest.approx(u.grad_norm_clipped, rel=1e-6)


def test_a_non_finite_loss_or_gradient_stops_before_the_weights_move():
    model, params = linear()
    before = [p.detach().clone() for p in params]
    opt = torch.optim.SGD(params, lr=1.0)
    u = train_step(params, opt, lambda x: model(x).sum() * math.inf, X, stop_nonfinite=True,
                   norm64=True)
    assert not u.stepped and u.grad_norm is None and math.isinf(u.loss)
    # a finite loss whose gradient's squares overflow float32: its float32 norm is inf (stop),
    # its float64 norm a number (step)
    loud = lambda x: (model(x) * 1e30).sum()  # noqa: E731
    u = train_step(params, opt, loud, X, stop_nonfinite=True)
    assert not u.stepped and math.isfinite(u.loss) and math.isinf(u.grad_norm)
    assert all(torch.equal(p, p0) for p, p0 in zip(params, before))
    u = train_step(params, opt, loud, X, stop_nonfinite=True, norm64=True)
    assert u.stepped and 1e30 < u.grad_norm < 1e32

def test_the_loop_draws_one_batch_a_step_lazily():
    model, params = linear()
    drawn = []

    def batches():
        for k in range(3):
            drawn.append(k)
            yield X + k

    loop = optimize(params, torch.optim.Adam(params, lr=0.01), batches(), squared(model))
    next(loop)
    assert drawn == [0]
    assert len(list(loop)) == 2 and drawn == [0, 1, 2]
