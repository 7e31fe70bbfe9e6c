"""Backpropagation through time, measured: the norm of dL/dh_t at every step.

Pascanu, Mikolov and Bengio (2013): dL/dh_k = sum over t >= k of
(prod_{i=k+1..t} dh_i/dh_{i-1})^T dL_t/dh_t, with dh_i/dh_{i-1} = diag(f'(a_i)) W_hh for a plain
RNN. ``hidden_grad_norms`` measures these total derivatives on a real module with autograd, in
float64 so that a vanishing gradient of 1e-30 is a number and not a zero.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import torch
from torch import Tensor, nn

from .unroll import _check, _direction_weights

__all__ = ["GradNorms", "hidden_grad_norms"]


def _norm(g: Tensor) -> Tensor:
    """||g||_2 without underflow: squaring 1e-170 gives 0 even in float64, so scale first."""
    m = g.detach().abs().max()
    if m == 0 or not torch.isfinite(m):
        return m if not torch.isfinite(m) else torch.linalg.vector_norm(g)
    return m * torch.linalg.vector_norm(g / m)


class GradNorms(NamedTuple):
    """``hidden[l, d, t]`` = ||dL/dh_t|| (2-norm over batch and units) of layer l, direction d,
    at input position t; ``cell`` the same for an LSTM's c_t (else None). float64; an overflow
    shows as inf."""

    hidden: Tensor
    cell: Tensor | None


def hidden_grad_norms(rnn: nn.Module, x: Tensor, loss_fn: Callable[[Tensor], Tensor],
                      h0: Tensor | tuple[Tensor, Tensor] | None = None) -> GradNorms:
    """Measure ||dL/dh_t|| for every layer, direction and step, with L = loss_fn(output).

    ``output`` is laid out as the module returns it (``batch_first`` respected). The module is
    only read: its weights are copied to float64 and stepped through explicitly, so that every
    h_t is its own node of the graph; its parameter gradients and training mode are untouched.
    """
    kind = _check(rnn, x)
    unbatched = x.dim() == 2
    xs = x.detach().double()
    xs = xs.unsqueeze(1) if unbatched else (xs.transpose(0, 1) if rnn.batch_first else xs)
    T, B, _ = xs.shape
    L, D, H = rnn.num_layers, 2 if rnn.bidirectional else 1, rnn.hidden_size
    c0 = None
    if isinstance(h0, tuple):
        h0, c0 = h0
    h0 = (torch.zeros(L * D, B, H, dtype=torch.float64) if h0 is None
          else h0.detach().double().reshape(L * D, B, H).clone())
    if kind == "lstm":
        c0 = (torch.zeros(L * D, B, H, dtype=torch.float64) if c0 is None
              else c0.detach().double().reshape(L * D, B, H).clone())

    # The initial states are the graph's leaves: every h_t depends on them, so every h_t is a
    # node autograd can differentiate with respect to.
    h0.requires_grad_(True)
    if c0 is not None:
        c0.requires_grad_(True)
    with torch.enable_grad():
        states: list[list[list[Tensor]]] = []   # [layer][direction][t] -> h_t (B, H)
        cells: list[list[list[Tensor]]] = []
        inp = [xs[t] for t in range(T)]
        for layer in range(L):
            hs_l, cs_l = [], []
            for d in range(D):
                W_ih, W_hh, b_ih, b_hh = (w.detach().double()
                                          for w in _direction_weights(rnn, layer, d))
                h = h0[layer * D + d]
                c = c0[layer * D + d] if kind == "lstm" else None
                hs, cs = [None] * T, [None] * T
                # W_ih x_t + b_ih for every t in one product; only W_hh h_{t-1} is sequential
                a_x = torch.addmm(b_ih, torch.stack(inp, 0).reshape(T * B, -1), W_ih.T)
                a_x = a_x.reshape(T, B, -1)
                for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
                    a = a_x[t]
                    ah = torch.addmm(b_hh, h, W_hh.T)
                    if kind == "lstm":
                        i, f, g, o = (a + ah).chunk(4, -1)
                        c = f.sigmoid() * c + i.sigmoid() * g.tanh()  # c_t = f c_{t-1} + i g
                        h = o.sigmoid() * c.tanh()                    # h_t = o tanh(c_t)
                        cs[t] = c
                    elif kind == "gru":
                        xr, xz, xn = a.chunk(3, -1)
                        hr, hz, hn = ah.chunk(3, -1)
                        r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
                        n = (xn + r * hn).tanh()
                        h = (1 - z) * n + z * h                       # h_t = (1-z) n + z h_{t-1}
                    else:
                        h = (a + ah).tanh() if kind == "rnn_tanh" else (a + ah).relu()
                    hs[t] = h
                hs_l.append(hs)
                cs_l.append(cs)
            states.append(hs_l)
            cells.append(cs_l)
            inp = [torch.cat([states[layer][d][t] for d in range(D)], -1) for t in range(T)]
        output = torch.stack(inp, 0)  # (T, B, D*H)
        if unbatched:
            output = output.squeeze(1)
        elif rnn.batch_first:
            output = output.transpose(0, 1)
        loss = loss_fn(output)
        flat_h = [h for layer in states for hs in layer for h in hs]
        flat_c = [c for layer in cells for cs in layer for c in cs] if kind == "lstm" else []
        grads = torch.autograd.grad(loss, flat_h + flat_c, allow_unused=True)

    def norms(gs) -> Tensor:
        vals = [_norm(g) if g is not None else torch.zeros((), dtype=torch.float64) for g in gs]
        return torch.stack(vals).reshape(L, D, T).detach()

    hidden = norms(grads[:len(flat_h)])
    cell = norms(grads[len(flat_h):]) if kind == "lstm" else None
    return GradNorms(hidden, cell)
