"""Unroll a standard ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` and expose every step.

The module does the recurrence in one fused call and hands back only the top layer's outputs and
the final states. ``unroll`` recomputes the same thing layer by layer and returns every hidden
state, every cell state and every gate, so a view can show what happened at step t.

Two paths give the same numbers. The reference, :func:`reference_layer`, is the loop over time
of ``engine.cells``' equations, one step after the other. The fast path, ``engine.unroll_fused``
(chosen by ``bench/bench_unroll.py``), runs each layer through PyTorch's fused kernel and then
computes every gate of every step at once; it is used whenever this torch has what it calls, and
``tests/engine/test_unroll.py`` holds it to the reference.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

from . import unroll_fused
from .cells import GATES, layer_weights, step

__all__ = ["Unrolled", "UnrollError", "check", "kind_of", "reference_layer", "unroll"]


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
    kind = check(rnn, x)
    unbatched = x.dim() == 2
    # Work in the module's default layout: (seq_len, batch, features).
    xs = x.unsqueeze(1) if unbatched else (x.transpose(0, 1) if rnn.batch_first else x)
    h0, c0 = _initial_states(rnn, kind, xs, h0, unbatched)
    output, hidden, cell, gates = _layers(rnn, kind, xs, h0, c0)
    if unbatched:
        output = output.squeeze(1)
    elif rnn.batch_first:
        output = output.transpose(0, 1)
    return Unrolled(
        output=output,
        h_n=_final(hidden, unbatched),
        c_n=_final(cell, unbatched) if cell is not None else None,
        hidden=hidden,
        cell=cell,
        gates=gates,
    )


def _initial_states(rnn: nn.Module, kind: str, xs: Tensor, h0, unbatched: bool
                    ) -> tuple[Tensor, Tensor | None]:
    """h_0 (and an LSTM's c_0) checked and laid out (num_layers * D, batch, H); zeros if not
    given. ``xs`` is the input, already (seq_len, batch, features)."""
    _, B, _ = xs.shape
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
    return h0, c0


def _layers(rnn: nn.Module, kind: str, xs: Tensor, h0: Tensor, c0: Tensor | None
            ) -> tuple[Tensor, Tensor, Tensor | None, dict[str, Tensor]]:
    """Every layer in turn, each reading the one below: the top layer's output (T, B, D*H) and
    h_t, c_t and the gates as (num_layers, D, batch, seq_len, hidden_size)."""
    L, D = rnn.num_layers, 2 if rnn.bidirectional else 1
    run_layer = unroll_fused.layer if unroll_fused.available(kind) else reference_layer
    hidden, cell, gates = [], [], {k: [] for k in GATES[kind]}
    inp = xs
    for layer in range(L):
        hx = h0[layer * D:(layer + 1) * D]
        cx = c0[layer * D:(layer + 1) * D] if kind == "lstm" else None
        out, hs, cs, gs = run_layer(rnn, kind, layer, inp, hx, cx)
        hidden.append(_stack(hs))
        if kind == "lstm":
            cell.append(_stack(cs))
        for k in gates:
            gates[k].append(_stack(gs[k]))
        inp = out  # eval mode: no dropout between layers

    def to_record(parts: list[Tensor]) -> Tensor:
        return _stack(parts).transpose(-2, -3)  # (L, D, T, B, H) -> (L, D, B, T, H)

    return (inp, to_record(hidden), to_record(cell) if kind == "lstm" else None,
            {k: to_record(v) for k, v in gates.items()})


def _final(states: Tensor, unbatched: bool) -> Tensor:
    """h_n (or c_n) from every step's states (L, D, B, T, H): the forward direction ends at the
    last position, the backward one at the first. (L * D, B, H), or (L * D, H) unbatched."""
    L, D, B, _, H = states.shape
    ends = [states[:, d, :, -1 if d == 0 else 0] for d in range(D)]
    s = torch.stack(ends, 1).reshape(L * D, B, H)
    return s.squeeze(1) if unbatched else s


def reference_layer(rnn: nn.Module, kind: str, index: int, inp: Tensor, hx: Tensor,
                    cx: Tensor | None
                    ) -> tuple[Tensor, list[Tensor], list[Tensor], dict[str, list[Tensor]]]:
    """Layer ``index`` of ``rnn``, both directions, one step at a time (``engine.cells``).

    ``inp`` (T, B, features); ``hx``, ``cx`` (D, B, H). Returns the layer's output (T, B, D*H)
    and, per direction, h_t, c_t (LSTM) and the gates, each (T, B, H) by input position (the
    backward direction reads t = T-1 first, and its position t holds the state after x_t).
    """
    T = inp.shape[0]
    hs, cs, gs = [], [], {k: [] for k in GATES[kind]}
    for d in range(hx.shape[0]):
        weights = layer_weights(rnn, index, d)
        h_t, c_t = hx[d], (cx[d] if cx is not None else None)
        steps = [None] * T
        for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
            s = steps[t] = step(kind, inp[t], h_t, c_t, weights)
            h_t, c_t = s.h, s.c
        hs.append(torch.stack([s.h for s in steps]))
        if kind == "lstm":
            cs.append(torch.stack([s.c for s in steps]))
        for k in gs:
            gs[k].append(torch.stack([s.gates[k] for s in steps]))
    return torch.cat(hs, -1), hs, cs, gs


def _stack(parts: list[Tensor]) -> Tensor:
    """``torch.stack(parts)``, without a copy when there is only one part."""
    return parts[0].unsqueeze(0) if len(parts) == 1 else torch.stack(parts, 0)


def kind_of(rnn: nn.Module) -> str:
    if isinstance(rnn, nn.LSTM):
        return "lstm"
    if isinstance(rnn, nn.GRU):
        return "gru"
    if isinstance(rnn, nn.RNN):
        return "rnn_" + rnn.nonlinearity
    raise UnrollError(
        f"unroll explains torch.nn.RNN, nn.LSTM and nn.GRU; got {type(rnn).__name__}"
    )


def check(rnn: nn.Module, x: object) -> str:
    """The kind of ``rnn`` (one of ``engine.cells.KINDS``), once ``rnn`` and ``x`` are something
    ``unroll`` can explain; else :class:`UnrollError`, saying why."""
    kind = kind_of(rnn)
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
