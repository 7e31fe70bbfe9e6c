"""Unroll a standard ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` and expose every step.

The module does the recurrence in one fused call and hands back only the top layer's outputs and
the final states. ``unroll`` recomputes the same thing layer by layer and returns every hidden
state, every cell state and every gate, so a view can show what happened at step t.

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn
from torch.autograd.function import once_differentiable

__all__ = ["Unrolled", "UnrollError", "unroll"]


class UnrollError(ValueError):
    """The module or the input is something ``unroll`` refuses to explain (says why)."""


@dataclass(frozen=True)
class Unrolled:
    """Every step of a recurrent module's forward pass.

    ``output``, ``h_n`` and ``c_n`` are what ``rnn(x, h0)`` returns, in the module's own layout.
    ``hidden`` and ``cell`` have shape (num_layers, num_directions, batch, seq_len, hidden_size),
    indexed by input position: for the backward direction, position t holds the state after it
    has read x_t. ``gates`` holds activations after their nonlinearity, each of that same shape:
    LSTM ``i, f, g, o``; GRU ``r, z, n``; empty for a plain RNN.
    """

    output: Tensor
    h_n: Tensor
    c_n: Tensor | None
    hidden: Tensor
    cell: Tensor | None
    gates: dict[str, Tensor] = field(default_factory=dict)


def _kind(rnn: nn.Module) -> str:
    if isinstance(rnn, nn.LSTM):
        return "lstm"
    if isinstance(rnn, nn.GRU):
        return "gru"
    if isinstance(rnn, nn.RNN):
        return "rnn_" + rnn.nonlinearity
    raise UnrollError(
        f"unroll explains torch.nn.RNN, nn.LSTM and nn.GRU; got {type(rnn).__name__}"
    )


_FUSED = {"lstm": torch._VF.lstm, "gru": torch._VF.gru, "rnn_tanh": torch._VF.rnn_tanh,
          "rnn_relu": torch._VF.rnn_relu}


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
        gen = torch.Generator().manual_seed(0)  # never the global RNG: see engine.seeding
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


def _check(rnn: nn.Module, x: object) -> str:
    kind = _kind(rnn)
    if isinstance(x, nn.utils.rnn.PackedSequence):
        raise UnrollError("unroll does not take a PackedSequence: pad the batch instead")
    if not isinstance(x, Tensor):
        raise UnrollError(f"x must be a torch.Tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise UnrollError(f"x must be a floating-point tensor, got dtype {x.dtype}")
    if x.dim() not in (2, 3):
        raise UnrollError(f"x must have 2 (unbatched) or 3 dimensions, got shape {tuple(x.shape)}")
    if x.shape[-1] != rnn.input_size:
        raise UnrollError(f"x's last dimension is {x.shape[-1]} but the module's "
                          f"input_size is {rnn.input_size}")
    if x.shape[0 if (x.dim() == 2 or not rnn.batch_first) else 1] == 0:
        raise UnrollError("x has no time steps (seq_len is 0)")
    if getattr(rnn, "proj_size", 0):
        raise UnrollError("LSTM with proj_size > 0 is not supported by unroll")
    if rnn.training and rnn.dropout > 0 and rnn.num_layers > 1:
        raise UnrollError("dropout between layers is random in training mode: call rnn.eval() "
                          "first, or set dropout=0")
    return kind


def _direction_weights(rnn: nn.Module, layer: int, d: int):
    sfx = "_reverse" if d == 1 else ""
    W_ih = getattr(rnn, f"weight_ih_l{layer}{sfx}")
    W_hh = getattr(rnn, f"weight_hh_l{layer}{sfx}")
    if rnn.bias:
        b_ih = getattr(rnn, f"bias_ih_l{layer}{sfx}")
        b_hh = getattr(rnn, f"bias_hh_l{layer}{sfx}")
    else:
        b_ih = b_hh = W_ih.new_zeros(W_ih.shape[0])
    return W_ih, W_hh, b_ih, b_hh


def unroll(rnn: nn.Module, x: Tensor, h0: Tensor | tuple[Tensor, Tensor] | None = None
           ) -> Unrolled:
    """Run ``rnn`` on ``x`` and return every step (see :class:`Unrolled`).

    Plain RNN:  h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu)
    LSTM:       i, f, g, o = sigma, sigma, tanh, sigma of (W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)
                c_t = f_t * c_{t-1} + i_t * g_t,   h_t = o_t * tanh(c_t)
    GRU:        r, z = sigma(W_i{r,z} x_t + b_i{r,z} + W_h{r,z} h_{t-1} + b_h{r,z})
                n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
                h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    ``x`` and ``h0`` are laid out as the module takes them (``batch_first``, unbatched 2-D input,
    ``(h_0, c_0)`` for an LSTM). With autograd on, every returned tensor is differentiable.
    """
    kind = _check(rnn, x)
    unbatched = x.dim() == 2
    # Work in the module's default layout: (seq_len, batch, features).
    xs = x.unsqueeze(1) if unbatched else (x.transpose(0, 1) if rnn.batch_first else x)
    T, B, _ = xs.shape
    L, D, H = rnn.num_layers, 2 if rnn.bidirectional else 1, rnn.hidden_size

    c0 = None
    if kind == "lstm" and h0 is not None:
        if not (isinstance(h0, tuple) and len(h0) == 2):
            raise UnrollError("an LSTM takes h0 as the pair (h_0, c_0)")
        h0, c0 = h0
    elif h0 is not None and not isinstance(h0, Tensor):
        raise UnrollError("h0 must be a tensor (or None)")
    want = (L * D, H) if unbatched else (L * D, B, H)
    for name, s in (("h_0", h0), ("c_0", c0)):
        if s is not None and tuple(s.shape) != want:
            raise UnrollError(f"{name} must have shape {want}, got {tuple(s.shape)}")
    if h0 is None:
        h0 = xs.new_zeros(L * D, B, H)
    elif unbatched:
        h0 = h0.unsqueeze(1)
    if kind == "lstm":
        c0 = xs.new_zeros(L * D, B, H) if c0 is None else (c0.unsqueeze(1) if unbatched else c0)

    hidden, cell, gates = [], [], {k: [] for k in _gate_names(kind)}
    inp = xs
    for layer in range(L):
        hx = h0[layer * D:(layer + 1) * D]
        state = (hx, c0[layer * D:(layer + 1) * D]) if kind == "lstm" else hx
        out = _fused_layer(rnn, kind, layer, inp, state)  # (T, B, D*H)
        hs, cs, gs = [], [], {k: [] for k in gates}
        for d in range(D):
            h_seq = out[:, :, d * H:(d + 1) * H]  # (T, B, H), by input position
            if kind.startswith("rnn"):
                hs.append(h_seq)  # a plain RNN has no gates: h_t is all there is
                continue
            # The state each step started from: h_{t-1} (forward) or h_{t+1} (backward).
            if d == 0:
                h_prev = torch.cat([hx[d].unsqueeze(0), h_seq[:-1]], 0)
            else:
                h_prev = torch.cat([h_seq[1:], hx[d].unsqueeze(0)], 0)
            W_ih, W_hh, b_ih, b_hh = _direction_weights(rnn, layer, d)
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
                cs.append(_cell_states(i, f, g, c0[layer * D + d], reverse=d == 1))
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
            hs.append(h_seq)
        hidden.append(_stack(hs))
        if kind == "lstm":
            cell.append(_stack(cs))
        for k in gates:
            gates[k].append(_stack(gs[k]))
        inp = out  # eval mode: no dropout between layers

    def to_record(parts: list[Tensor]) -> Tensor:
        return _stack(parts).transpose(-2, -3)  # (L, D, T, B, H) -> (L, D, B, T, H)

    hidden_t = to_record(hidden)
    cell_t = to_record(cell) if kind == "lstm" else None
    gates_t = {k: to_record(v) for k, v in gates.items()}

    def final(states: Tensor) -> Tensor:
        # Forward direction ends at the last position, backward at the first.
        ends = [states[:, d, :, -1 if d == 0 else 0] for d in range(D)]
        s = torch.stack(ends, 1).reshape(L * D, B, H)
        return s.squeeze(1) if unbatched else s

    output = inp
    if unbatched:
        output = output.squeeze(1)
    elif rnn.batch_first:
        output = output.transpose(0, 1)
    return Unrolled(
        output=output,
        h_n=final(hidden_t),
        c_n=final(cell_t) if cell_t is not None else None,
        hidden=hidden_t,
        cell=cell_t,
        gates=gates_t,
    )


def _gate_names(kind: str) -> tuple[str, ...]:
    return {"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}.get(kind, ())


def _stack(parts: list[Tensor]) -> Tensor:
    """``torch.stack(parts)``, without a copy when there is only one part."""
    return parts[0].unsqueeze(0) if len(parts) == 1 else torch.stack(parts, 0)


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
    T, B, H = f.shape
    m = math.isqrt(T)
    k, r = divmod(T, m)
    # Positions in the order the recurrence visits them: blocks first, then the r left over.
    main, rest = (slice(r, T), range(r - 1, -1, -1)) if reverse else (slice(0, k * m),
                                                                      range(k * m, T))
    order = (lambda n: range(n - 1, -1, -1)) if reverse else range
    js, qs = list(order(m)), list(order(k))  # steps inside a block; blocks
    i_b, f_b, g_b = (v[main].unflatten(0, (k, m)) for v in (i, f, g))  # (k, m, B, H) views
    fs = f_b.unsqueeze(2).unbind(1)  # step j of every block: m views (k, 1, B, H)
    if not torch.is_grad_enabled() or not any(v.requires_grad for v in (i, f, g, c_0)):
        pairs = torch.empty(k, m, 2, B, H, dtype=f.dtype, device=f.device)  # (A_j, b_j)
        pairs[:, :, 0] = 0
        pairs[:, js[0], 0] = f_b[:, js[0]]
        torch.mul(i_b, g_b, out=pairs[:, :, 1])
        ps = pairs.unbind(1)
        for j0, j in zip(js, js[1:]):
            torch.addcmul(ps[j], fs[j], ps[j0], out=ps[j])
        A, b = pairs.unbind(2)
        start = torch.empty_like(b[:, 0])
        start[qs[0]] = c_0
        for q0, q in zip(qs, qs[1:]):
            torch.addcmul(b[q0, js[-1]], A[q0, js[-1]], start[q0], out=start[q])
        c = f.new_empty(T, B, H)
        torch.addcmul(b, A, start.unsqueeze(1), out=c[main].unflatten(0, (k, m)))
        for t in rest:
            torch.addcmul(torch.mul(i[t], g[t]), f[t], c[t + (1 if reverse else -1)], out=c[t])
        return c
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
    if not r:
        return c
    tail, c_t = [], c[0 if reverse else -1]
    for t in rest:
        c_t = torch.addcmul(i[t] * g[t], f[t], c_t)
        tail.append(c_t)
    return torch.cat([torch.stack(tail[::-1]), c] if reverse else [c, torch.stack(tail)], 0)
