"""Unroll a standard ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` and expose every step.

The module does the recurrence in one fused call and hands back only the top layer's outputs and
the final states. ``unroll`` recomputes the same thing layer by layer and returns every hidden
state, every cell state and every gate, so a view can show what happened at step t.

How it computes (chosen by ``bench/bench_unroll.py``): each layer runs through PyTorch's own fused
kernel, called with that layer's weights (``torch.func.functional_call`` on a one-layer twin), which
gives h_t for every t; the gates are then recomputed for all steps at once from x_t and h_{t-1}
with two batched matrix products. Only the LSTM cell state needs a loop, and it is elementwise:
c_t = f_t * c_{t-1} + i_t * g_t.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import torch
from torch import Tensor, nn
from torch.func import functional_call

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


_twins = threading.local()


def _one_layer_twin(kind: str, input_size: int, hidden_size: int, bidirectional: bool,
                    bias: bool) -> nn.Module:
    """A one-layer module of the same kind, used only as a function of weights we pass in.

    One per thread: ``functional_call`` puts our weights on the module for the length of the
    call, so two threads sharing a twin (a web server's handlers) would mix their weights.
    """
    cache = _twins.__dict__.setdefault("modules", {})
    key = (kind, input_size, hidden_size, bidirectional, bias)
    if key not in cache:
        cache[key] = _make_twin(*key)
    return cache[key]


def _make_twin(kind: str, input_size: int, hidden_size: int, bidirectional: bool,
               bias: bool) -> nn.Module:
    if kind == "lstm":
        m = nn.LSTM(input_size, hidden_size, bias=bias, bidirectional=bidirectional)
    elif kind == "gru":
        m = nn.GRU(input_size, hidden_size, bias=bias, bidirectional=bidirectional)
    else:
        m = nn.RNN(input_size, hidden_size, nonlinearity=kind[4:], bias=bias,
                   bidirectional=bidirectional)
    return m.requires_grad_(False)


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


def _layer_params(rnn: nn.Module, layer: int) -> dict[str, Tensor]:
    params = {}
    for suffix in ([""] + (["_reverse"] if rnn.bidirectional else [])):
        for name in ("weight_ih", "weight_hh") + (("bias_ih", "bias_hh") if rnn.bias else ()):
            params[f"{name}_l0{suffix}"] = getattr(rnn, f"{name}_l{layer}{suffix}")
    return params


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
        twin = _one_layer_twin(kind, inp.shape[-1], H, rnn.bidirectional, rnn.bias)
        hx = h0[layer * D:(layer + 1) * D]
        args = (inp, (hx, c0[layer * D:(layer + 1) * D])) if kind == "lstm" else (inp, hx)
        out = functional_call(twin, _layer_params(rnn, layer), args)[0]  # (T, B, D*H)
        hs, cs, gs = [], [], {k: [] for k in gates}
        for d in range(D):
            h_seq = out[:, :, d * H:(d + 1) * H]  # (T, B, H), by input position
            # The state each step started from: h_{t-1} (forward) or h_{t+1} (backward).
            if d == 0:
                h_prev = torch.cat([hx[d].unsqueeze(0), h_seq[:-1]], 0)
            else:
                h_prev = torch.cat([h_seq[1:], hx[d].unsqueeze(0)], 0)
            W_ih, W_hh, b_ih, b_hh = _direction_weights(rnn, layer, d)
            if kind.startswith("rnn"):
                hs.append(h_seq)  # a plain RNN has no gates: h_t is all there is
                continue
            x2d, h2d = inp.reshape(T * B, -1), h_prev.reshape(T * B, H)
            if kind == "lstm":
                # W_ih x_t + b_ih + W_hh h_{t-1} + b_hh for every t at once: (T, B, 4H)
                # (one product of [x_t; h_{t-1}] with [W_ih W_hh]: cheaper than two)
                xh = torch.cat([x2d, h2d], 1)
                a = torch.addmm(b_ih + b_hh, xh, torch.cat([W_ih, W_hh], 1).T).view(T, B, 4 * H)
                i, f, _, o = a.sigmoid().chunk(4, -1)
                g = a[..., 2 * H:3 * H].tanh()
                ig = i * g
                cs.append(_cell_states(f, ig, c0[layer * D + d], reverse=d == 1))
                for k, v in zip("ifgo", (i, f, g, o)):
                    gs[k].append(v)
            else:
                a_x = torch.addmm(b_ih, x2d, W_ih.T).view(T, B, 3 * H)
                a_h = torch.addmm(b_hh, h2d, W_hh.T).view(T, B, 3 * H)
                xr, xz, xn = a_x.chunk(3, -1)
                hr, hz, hn = a_h.chunk(3, -1)
                r = (xr + hr).sigmoid()
                z = (xz + hz).sigmoid()
                # n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
                n = torch.addcmul(xn, r, hn).tanh()
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


def _cell_states(f: Tensor, ig: Tensor, c_0: Tensor, reverse: bool) -> Tensor:
    """c_t = f_t * c_{t-1} + i_t * g_t for every t (elementwise, so cheap even in a loop).

    Shapes: f, ig (seq_len, batch, hidden_size); c_0 (batch, hidden_size) -> (seq_len, batch, H).
    """
    T = f.shape[0]
    order = range(T - 1, -1, -1) if reverse else range(T)
    c = c_0
    if not torch.is_grad_enabled() or not (f.requires_grad or c_0.requires_grad):
        out = torch.empty_like(ig)
        for t in order:
            c = torch.addcmul(ig[t], f[t], c, out=out[t])
        return out
    steps: list[Tensor] = [c_0] * T
    for t in order:
        c = torch.addcmul(ig[t], f[t], c)
        steps[t] = c
    return torch.stack(steps, 0)
