"""One time step of each recurrent cell, one equation a line: the reference.

These are the equations of PyTorch's ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` (and their ``*Cell``
twins), written as the course notes write them, with PyTorch's weight layout: ``W_ih`` is
(G*H, input_size) and ``W_hh`` (G*H, H), the G gates stacked in PyTorch's order (LSTM i, f, g, o;
GRU r, z, n), and both biases kept apart (``b_ih``, ``b_hh``) as PyTorch keeps them.

Nothing here is fast; it is what every faster path in the engine is tested against
(``engine.unroll_fused``, ``engine.bptt``), and ``tests/engine/test_cells.py`` tests it against
PyTorch's own cells. Shapes: x_t (batch, input_size), h_{t-1} and c_{t-1} (batch, H).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import Tensor, nn

__all__ = ["GATES", "KINDS", "MODULES", "Step", "gru_step", "layer_weights", "lstm_step",
           "module", "rnn_step", "step"]

KINDS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
GATES = {"rnn_tanh": (), "rnn_relu": (), "lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n")}
MODULES = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}  # the cell names the app uses


def module(cell: str, input_size: int, hidden_size: int, **options) -> nn.RNNBase:
    """The PyTorch module of a cell named ``rnn`` (tanh), ``rnn_tanh``, ``rnn_relu``, ``lstm`` or
    ``gru``; ``options`` go to its constructor (``num_layers``, ``batch_first``, ...)."""
    if cell.startswith("rnn_"):
        options["nonlinearity"] = cell.removeprefix("rnn_")
        cell = "rnn"
    return MODULES[cell](input_size, hidden_size, **options)


@dataclass(frozen=True)
class Step:
    """What one step computed: h_t, c_t (LSTM only) and the gates after their nonlinearity."""

    h: Tensor
    c: Tensor | None = None
    gates: dict[str, Tensor] = field(default_factory=dict)


def _affine(x_t: Tensor, W: Tensor, b: Tensor) -> Tensor:
    return x_t @ W.T + b


def rnn_step(x_t: Tensor, h_prev: Tensor, W_ih: Tensor, W_hh: Tensor, b_ih: Tensor,
             b_hh: Tensor, nonlinearity: str = "tanh") -> Step:
    """h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)   (or relu)"""
    a_t = _affine(x_t, W_ih, b_ih) + _affine(h_prev, W_hh, b_hh)
    return Step(h=torch.tanh(a_t) if nonlinearity == "tanh" else torch.relu(a_t))


def lstm_step(x_t: Tensor, h_prev: Tensor, c_prev: Tensor, W_ih: Tensor, W_hh: Tensor,
              b_ih: Tensor, b_hh: Tensor) -> Step:
    """The LSTM (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000):

    i_t = sigma(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate
    f_t = sigma(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)       candidate
    o_t = sigma(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate
    c_t = f_t * c_{t-1} + i_t * g_t                         the cell state: a sum, not a squash
    h_t = o_t * tanh(c_t)
    """
    W_ii, W_if, W_ig, W_io = W_ih.chunk(4)
    W_hi, W_hf, W_hg, W_ho = W_hh.chunk(4)
    b_ii, b_if, b_ig, b_io = b_ih.chunk(4)
    b_hi, b_hf, b_hg, b_ho = b_hh.chunk(4)
    i_t = torch.sigmoid(_affine(x_t, W_ii, b_ii) + _affine(h_prev, W_hi, b_hi))
    f_t = torch.sigmoid(_affine(x_t, W_if, b_if) + _affine(h_prev, W_hf, b_hf))
    g_t = torch.tanh(_affine(x_t, W_ig, b_ig) + _affine(h_prev, W_hg, b_hg))
    o_t = torch.sigmoid(_affine(x_t, W_io, b_io) + _affine(h_prev, W_ho, b_ho))
    c_t = f_t * c_prev + i_t * g_t
    h_t = o_t * torch.tanh(c_t)
    return Step(h=h_t, c=c_t, gates={"i": i_t, "f": f_t, "g": g_t, "o": o_t})


def gru_step(x_t: Tensor, h_prev: Tensor, W_ih: Tensor, W_hh: Tensor, b_ih: Tensor,
             b_hh: Tensor) -> Step:
    """The GRU (Cho et al. 2014), as PyTorch computes it:

    r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)      reset gate
    z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)      update gate
    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn))
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    """
    W_ir, W_iz, W_in = W_ih.chunk(3)
    W_hr, W_hz, W_hn = W_hh.chunk(3)
    b_ir, b_iz, b_in = b_ih.chunk(3)
    b_hr, b_hz, b_hn = b_hh.chunk(3)
    r_t = torch.sigmoid(_affine(x_t, W_ir, b_ir) + _affine(h_prev, W_hr, b_hr))
    z_t = torch.sigmoid(_affine(x_t, W_iz, b_iz) + _affine(h_prev, W_hz, b_hz))
    n_t = torch.tanh(_affine(x_t, W_in, b_in) + r_t * _affine(h_prev, W_hn, b_hn))
    h_t = (1 - z_t) * n_t + z_t * h_prev
    return Step(h=h_t, gates={"r": r_t, "z": z_t, "n": n_t})


def step(kind: str, x_t: Tensor, h_prev: Tensor, c_prev: Tensor | None,
         weights: tuple[Tensor, Tensor, Tensor, Tensor]) -> Step:
    """One step of a cell of ``kind`` (one of :data:`KINDS`) with ``(W_ih, W_hh, b_ih, b_hh)``."""
    if kind == "lstm":
        return lstm_step(x_t, h_prev, c_prev, *weights)
    if kind == "gru":
        return gru_step(x_t, h_prev, *weights)
    return rnn_step(x_t, h_prev, *weights, nonlinearity=kind.removeprefix("rnn_"))


def layer_weights(rnn: nn.Module, layer: int, direction: int
                  ) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """``(W_ih, W_hh, b_ih, b_hh)`` of one layer and direction (1: the reverse one) of a
    recurrent module; zeros for the biases of a module built with ``bias=False``."""
    sfx = "_reverse" if direction == 1 else ""
    W_ih = getattr(rnn, f"weight_ih_l{layer}{sfx}")
    W_hh = getattr(rnn, f"weight_hh_l{layer}{sfx}")
    if not rnn.bias:
        zeros = W_ih.new_zeros(W_ih.shape[0])
        return W_ih, W_hh, zeros, zeros
    b_ih, b_hh = (getattr(rnn, f"bias_{kind}_l{layer}{sfx}") for kind in ("ih", "hh"))
    return W_ih, W_hh, b_ih, b_hh
