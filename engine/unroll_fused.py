"""The fast path of ``engine.unroll``: PyTorch's fused kernel, then every gate at once.

How it computes (chosen by ``bench/bench_unroll.py``): each layer runs through PyTorch's own fused
kernel, called with that layer's weights (``torch._VF.lstm`` / ``gru`` / ``rnn_tanh`` /
``rnn_relu``, exactly what ``nn.LSTM.forward`` calls, so nothing is mutated and threads cannot mix
their weights), which gives h_t for every t; the gates are then recomputed for all steps at once
from x_t and h_{t-1} with batched matrix products. Only the LSTM cell state is a recurrence, and it
is elementwise and linear, c_t = f_t * c_{t-1} + i_t * g_t: it is solved in blocks (see
``_cell_states``) in about 2*sqrt(seq_len) small steps instead of seq_len.

What an LSTM's unroll costs, in units of the module's forward (bench_unroll.py, 1 thread, CPU,
about 2.3x in all): the fused call itself, ~1x; the gate products with their activations, ~0.9x
(as many flops as the module's whole forward does: with the fused call, they alone put the floor
near 2x); the c_t blocks, ~0.2x; the copies and the rest, ~0.2x. Two choices keep it there:

* the gate products go through oneDNN's matmul (``_linear``), as the fused kernel does, with the
  sigmoid / tanh applied on its output: ``torch.addmm`` goes to MKL's sgemm, measured 2x slower
  on an AMD EPYC, and PyTorch's CPU tanh costs ~10x its sigmoid.
* c_t is solved in blocks rather than step by step (~25 small ops instead of seq_len).

This is the one module of the engine that calls private torch APIs (``torch._VF``,
``torch.ops.mkldnn._linear_pointwise``). :func:`available` says whether they are there; when
they are not (another torch), ``unroll`` runs the reference loop over ``engine.cells`` instead:
an upgrade of torch can cost speed, never correctness. ``tests/engine/test_unroll.py`` checks
this path against the reference for every cell, layer count, direction and layout.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
from torch import Tensor, nn
from torch.autograd.function import once_differentiable

from .cells import GATES, layer_weights
from .seeding import generator

__all__ = ["available", "layer"]

def layer(rnn: nn.Module, kind: str, index: int, inp: Tensor, hx: Tensor,
          cx: Tensor | None) -> tuple[Tensor, list[Tensor], list[Tensor], dict[str, list[Tensor]]]:
    """Layer ``index`` of ``rnn``, both directions: its output (T, B, D*H), and per direction
    h_t for every t, c_t (LSTM) and the gates, each (T, B, H) by input position.

    ``inp`` (T, B, features); ``hx`` and ``cx`` (D, B, H), the layer's initial states.
    """
    T, B, _ = inp.shape
    D, H = hx.shape[0], rnn.hidden_size
    out = _fused_layer(rnn, kind, index, inp, (hx, cx) if kind == "lstm" else hx)  # (T, B, D*H)
    hs, cs, gs = [], [], {k: [] for k in GATES[kind]}
    for d in range(D):
        h_seq = out[:, :, d * H:(d + 1) * H]  # (T, B, H), by input position
        hs.append(h_seq)
        if kind.startswith("rnn"):
            continue  # a plain RNN has no gates: h_t is all there is
        # The state each step started from: h_{t-1} (forward) or h_{t+1} (backward).
        if d == 0:
            h_prev = torch.cat([hx[d].unsqueeze(0), h_seq[:-1]], 0)
        else:
            h_prev = torch.cat([h_seq[1:], hx[d].unsqueeze(0)], 0)
        W_ih, W_hh, b_ih, b_hh = layer_weights(rnn, index, d)
        if kind == "lstm":
            # W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every t at once, as products of
            # [x_t; h_{t-1}] with [W_ih W_hh] (cheaper than two): rows i, f, o with their
            # sigmoid, rows g with their tanh.
            xh = torch.cat([inp, h_prev], 2).view(T * B, -1)
            W = torch.cat([W_ih, W_hh], 1)
            b = b_ih + b_hh
            ifo = torch.cat([W[:2 * H], W[3 * H:]]), torch.cat([b[:2 * H], b[3 * H:]])
            s = _linear(xh, *ifo, "sigmoid").view(T, B, 3 * H)
            g = _linear(xh, W[2 * H:3 * H], b[2 * H:3 * H], "tanh").view(T, B, H)
            i, f, o = s[..., :H], s[..., H:2 * H], s[..., 2 * H:]
            cs.append(_cell_states(i, f, g, cx[d], reverse=d == 1))
            for k, v in zip("ifgo", (i, f, g, o)):
                gs[k].append(v)
        else:
            x2d, h2d = inp.reshape(T * B, -1), h_prev.view(T * B, H)
            a_x = _linear(x2d, W_ih, b_ih).view(T, B, 3 * H)
            a_h = _linear(h2d, W_hh, b_hh).view(T, B, 3 * H)
            xr, xz, xn = a_x.chunk(3, -1)
            hr, hz, hn = a_h.chunk(3, -1)
            r = (xr + hr).sigmoid()
            z = (xz + hz).sigmoid()
            # n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn)), computed as
            # 2 sigmoid(2 .) - 1 (agrees to ~2e-7; torch.tanh on CPU is ~10x slower)
            n = torch.addcmul(xn, r, hn).mul_(2).sigmoid().mul(2).sub_(1)
            for k, v in zip("rzn", (r, z, n)):
                gs[k].append(v)
    return out, hs, cs, gs


_FUSED = {kind: getattr(getattr(torch, "_VF", None), kind, None) for kind in GATES}


def available(kind: str) -> bool:
    """Whether this torch has the fused kernel of ``kind`` that :func:`layer` calls."""
    return _FUSED.get(kind) is not None


def _fused_layer(rnn: nn.Module, kind: str, layer: int, inp: Tensor, hx) -> Tensor:
    """One layer (both directions) through PyTorch's fused kernel: its output (T, B, D*H).

    The same call ``nn.LSTM.forward`` makes, with one layer's weights: a pure function of its
    arguments (unlike ``functional_call`` on a shared module), so threads need no twins.
    """
    weights = []
    for sfx in [""] + (["_reverse"] if rnn.bidirectional else []):
        for name in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if rnn.bias else ()):
            weights.append(getattr(rnn, f"{name}_l{layer}{sfx}"))
    return _FUSED[kind](inp, hx, weights, rnn.bias, 1, 0.0, False, rnn.bidirectional, False)[0]


def _probe_onednn_linear() -> bool:
    """Whether ``torch.ops.mkldnn._linear_pointwise`` (oneDNN's matmul, bias, activation) works."""
    try:
        gen = generator(0)  # never the global RNG: see engine.seeding
        a, w, b = (torch.randn(*shape, generator=gen) for shape in ((5, 3), (4, 3), (4,)))
        ref = torch.addmm(b, a, w.T)
        return all(
            torch.allclose(torch.ops.mkldnn._linear_pointwise(a, w, b, act, [], ""), fn(ref),
                           atol=1e-5)
            for act, fn in _ACTIVATIONS.items())
    except Exception:  # an older/newer torch without the op, or a build without oneDNN
        return False


_ACTIVATIONS = {"none": lambda y: y, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
_ONEDNN_LINEAR = _probe_onednn_linear()


class _OneDNNLinear(torch.autograd.Function):
    """act(x @ w.T + b) by oneDNN; its backward is plain torch ops (first derivatives only: a
    second one raises rather than come out wrong)."""

    @staticmethod
    def forward(ctx, x: Tensor, w: Tensor, b: Tensor, act: str) -> Tensor:
        y = torch.ops.mkldnn._linear_pointwise(x, w, b, act, [], "")
        ctx.act = act
        ctx.save_for_backward(x, w, y)
        return y

    @staticmethod
    @once_differentiable  # y is saved as a number, so a second derivative would miss its terms
    def backward(ctx, grad: Tensor):
        x, w, y = ctx.saved_tensors
        if ctx.act == "sigmoid":
            grad = grad * y * (1 - y)
        elif ctx.act == "tanh":
            grad = grad * (1 - y * y)
        return (grad @ w if ctx.needs_input_grad[0] else None,
                grad.T @ x if ctx.needs_input_grad[1] else None,
                grad.sum(0) if ctx.needs_input_grad[2] else None,
                None)


def _linear(x: Tensor, w: Tensor, b: Tensor, act: str = "none") -> Tensor:
    """``act(torch.addmm(b, x, w.T))``, act "none", "sigmoid" or "tanh".

    For float32 on CPU it runs on oneDNN (``torch.ops.mkldnn._linear_pointwise``, with the
    activation applied to the product's output), as the module's fused kernel does:
    ``torch.addmm`` goes to MKL's sgemm, measured 2x slower on an AMD EPYC, and PyTorch's own CPU
    tanh costs ~10x its sigmoid. Elsewhere (float64, no oneDNN, mkldnn disabled): plain torch.
    """
    if (_ONEDNN_LINEAR and x.dtype == w.dtype == b.dtype == torch.float32
            and x.device.type == "cpu" and torch.backends.mkldnn.enabled):
        if torch.is_grad_enabled() and (x.requires_grad or w.requires_grad or b.requires_grad):
            return _OneDNNLinear.apply(x, w, b, act)
        return torch.ops.mkldnn._linear_pointwise(x, w, b, act, [], "")
    return _ACTIVATIONS[act](torch.addmm(b, x, w.T))


def _cell_states(i: Tensor, f: Tensor, g: Tensor, c_0: Tensor, reverse: bool) -> Tensor:
    """c_t = f_t * c_{t-1} + i_t * g_t for every t (t - 1 is t + 1 if ``reverse``), in about
    2 * sqrt(seq_len) small steps.

    Shapes: i, f, g (seq_len, batch, hidden_size); c_0 (batch, H) -> (seq_len, batch, H).

    A loop over t costs one tiny op per step, nearly all of it Python and dispatch overhead. The
    recurrence is linear, so it is solved in k blocks of m ~ sqrt(seq_len) steps. Within every
    block at once (m steps): the products A_j = f_1 ... f_j and the offsets
    b_j = f_j b_{j-1} + i_j g_j, both in one op per step as the pair (A_j, b_j) =
    f_j * (A_{j-1}, b_{j-1}) + (0, i_j g_j); then c_j = A_j * c_start + b_j, once the k block
    starts are known (k small steps, one block after the other). The seq_len mod m steps left
    over at the end run one by one. Only products and sums of the numbers the plain loop would
    use: no division, no logs, nothing that loses precision when a forget gate saturates at 0
    (A_j then underflows to 0, as it should).
    """
    blocks = _Blocks.of(f.shape[0], reverse)
    if not torch.is_grad_enabled() or not any(v.requires_grad for v in (i, f, g, c_0)):
        return _cell_states_in_place(i, f, g, c_0, blocks)
    return _cell_states_graph(i, f, g, c_0, blocks)


class _Blocks(NamedTuple):
    """How ``_cell_states`` cuts seq_len steps: k blocks of m steps, then r left over."""

    m: int                 # steps in a block, ~sqrt(seq_len)
    k: int                 # blocks
    r: int                 # steps left over, at the end of the visit
    reverse: bool          # the recurrence runs from t = seq_len - 1 down to 0
    main: slice            # the positions the blocks cover
    rest: range            # the left-over positions, in the order the recurrence visits them
    js: list[int]          # the steps inside a block, in the order they are visited
    qs: list[int]          # the blocks, in the order they are visited

    @classmethod
    def of(cls, T: int, reverse: bool) -> _Blocks:
        m = math.isqrt(T)
        k, r = divmod(T, m)
        # Positions in the order the recurrence visits them: blocks first, then the r left over.
        main, rest = ((slice(r, T), range(r - 1, -1, -1)) if reverse
                      else (slice(0, k * m), range(k * m, T)))
        order = (lambda n: range(n - 1, -1, -1)) if reverse else range
        return cls(m, k, r, reverse, main, rest, list(order(m)), list(order(k)))

    def split(self, *vs: Tensor) -> list[Tensor]:
        """(seq_len, B, H) -> the blocks' positions as (k, m, B, H) views."""
        return [v[self.main].unflatten(0, (self.k, self.m)) for v in vs]


def _cell_states_in_place(i: Tensor, f: Tensor, g: Tensor, c_0: Tensor, bl: _Blocks) -> Tensor:
    """_cell_states without autograd, in buffers made once: the pairs (A_j, b_j) of every block
    in one (k, m, 2, B, H) tensor, updated in place."""
    T, B, H = f.shape
    k, m, js, qs = bl.k, bl.m, bl.js, bl.qs
    i_b, f_b, g_b = bl.split(i, f, g)  # (k, m, B, H) views
    fs = f_b.unsqueeze(2).unbind(1)    # step j of every block: m views (k, 1, B, H)
    pairs = torch.empty(k, m, 2, B, H, dtype=f.dtype, device=f.device)  # (A_j, b_j)
    pairs[:, :, 0] = 0
    pairs[:, js[0], 0] = f_b[:, js[0]]
    torch.mul(i_b, g_b, out=pairs[:, :, 1])
    ps = pairs.unbind(1)
    for j0, j in zip(js, js[1:]):
        torch.addcmul(ps[j], fs[j], ps[j0], out=ps[j])        # f_j * (A, b)_{j-1} + (0, i_j g_j)
    A, b = pairs.unbind(2)
    start = torch.empty_like(b[:, 0])
    start[qs[0]] = c_0
    for q0, q in zip(qs, qs[1:]):                            # each block's c_start, in turn
        torch.addcmul(b[q0, js[-1]], A[q0, js[-1]], start[q0], out=start[q])
    c = f.new_empty(T, B, H)
    torch.addcmul(b, A, start.unsqueeze(1), out=c[bl.main].unflatten(0, (k, m)))  # A c_start + b
    for t in bl.rest:
        torch.addcmul(torch.mul(i[t], g[t]), f[t], c[t + (1 if bl.reverse else -1)], out=c[t])
    return c


def _cell_states_graph(i: Tensor, f: Tensor, g: Tensor, c_0: Tensor, bl: _Blocks) -> Tensor:
    """_cell_states with autograd: the same products and sums, each a new tensor (a node)."""
    k, m, js, qs = bl.k, bl.m, bl.js, bl.qs
    i_b, f_b, g_b = bl.split(i, f, g)  # (k, m, B, H) views
    fs = f_b.unsqueeze(2).unbind(1)    # step j of every block: m views (k, 1, B, H)
    ig = i_b * g_b
    zero_ig = torch.stack([torch.zeros_like(ig), ig], 2).unbind(1)  # (0, i_j g_j)
    pair = torch.stack([f_b[:, js[0]], ig[:, js[0]]], 1)
    pairs = [pair] * m
    for j in js[1:]:
        pair = pairs[j] = torch.addcmul(zero_ig[j], fs[j], pair)
    A, b = torch.stack(pairs, 1).unbind(2)
    starts = [c_0] * k
    for q0, q in zip(qs, qs[1:]):
        starts[q] = torch.addcmul(b[q0, js[-1]], A[q0, js[-1]], starts[q0])
    c = torch.addcmul(b, A, torch.stack(starts, 0).unsqueeze(1)).flatten(0, 1)
    if not bl.r:
        return c
    tail, c_t = [], c[0 if bl.reverse else -1]
    for t in bl.rest:
        c_t = torch.addcmul(i[t] * g[t], f[t], c_t)            # c_t = f_t * c_{t-1} + i_t * g_t
        tail.append(c_t)
    return torch.cat([torch.stack(tail[::-1]), c] if bl.reverse else [c, torch.stack(tail)], 0)
