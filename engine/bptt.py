"""Backpropagation through time, measured: the norm of dL/dh_t at every step.

Pascanu, Mikolov and Bengio (2013): dL/dh_k = sum over t >= k of
(prod_{i=k+1..t} dh_i/dh_{i-1})^T dL_t/dh_t, with dh_i/dh_{i-1} = diag(f'(a_i)) W_hh for a plain
RNN. Both functions work in float64, so that a vanishing gradient of 1e-30 is a number and not a
zero. ``hidden_grad_norms`` measures these total derivatives on a real module.
``gradient_profile`` builds a standard module from a :class:`ProfileConfig` and returns
everything the BPTT tab draws: the profile, the Pascanu bound where it applies, W_hh's singular
values, each step's share of dL/dW_hh, and where the pre-activations fall on the nonlinearity.

Why there are two implementations of the same derivatives:

- The reference is autograd through an explicit float64 graph of the module's steps, every h_t
  its own node (``_forward64``, differentiated by ``_grad_norms``). ``gradient_profile`` uses
  it: it also needs dL/d(W_hh h_{t-1}) at every step (each step's term of dL/dW_hh) and the
  pre-activations, which the graph has anyway.
- ``hidden_grad_norms`` runs BPTT's backward recursion by hand instead (``_forward_no_grad``
  keeps the factors of each step's Jacobian, ``_backward_norms`` / ``_lstm_backward`` run
  dL/dh_t = dL_direct/dh_t + dL/da_(t+1) W_hh down the steps, an LSTM's in NumPy views of
  reused buffers, ``_Workspace``). It exists for speed: measured side by side by
  ``bench/bench_bptt.py`` (T = 200, batch 16, hidden 64, one thread, 2-CPU x86-64, torch 2.13),
  the recursion is 2.1-2.2x faster than the autograd graph for an LSTM, 1.3x for a plain RNN
  and 1.3-1.6x for a GRU. For the LSTM that is the difference between meeting issue 4's goal
  (at most 3x one forward and backward of the module: 2.2x) and missing it (4.6-4.9x).

``tests/engine/test_bptt.py`` holds the two to each other
(``test_recursion_matches_an_autograd_graph``:
every cell, stacked, bidirectional, batch-first, with h_0 and truncation, rtol 1e-10;
``test_profile_matches_hidden_grad_norms_on_the_same_module``), and the recursion to autograd
through the module's own forward (``test_matches_autograd_through_the_module``).
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import torch
from torch import Tensor, nn

from .cells import GATES, layer_weights, module
from .config import PROFILE
from .limits import LIMITS, check_int
from .seeding import build, generator
from .unroll import check

__all__ = ["GradNorms", "PROFILE_CELLS", "Profile", "ProfileConfig", "TruncationCost",
           "gradient_profile", "hidden_grad_norms", "profile_rnn", "truncation_cost"]


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


class _Trace(NamedTuple):
    """The float64 graph of one forward pass, every step its own node."""

    output: Tensor                       # laid out as the module returns it
    states: list[list[list[Tensor]]]     # [layer][direction][t] -> h_t (B, H)
    cells: list[list[list[Tensor]]]      # the same for c_t (LSTM), else lists of None
    recurrent: list[Tensor]              # layer 0, direction 0: [t] -> W_hh h_{t-1} + b_hh
    inputs: list[Tensor]                 # layer 0, direction 0: [t] -> h_{t-1} (detached)
    preacts: dict[str, list[Tensor]]     # layer 0, direction 0: what enters each nonlinearity


class _Kept(NamedTuple):
    """What ``record`` keeps of the first layer's first direction, step by step (see _Trace)."""

    recurrent: list[Tensor]
    inputs: list[Tensor]
    preacts: dict[str, list[Tensor]]

    def keep(self, name: str, value: Tensor) -> None:
        self.preacts.setdefault(name, []).append(value.detach())


def _time_major(rnn: nn.Module, x: Tensor) -> Tensor:
    """x as float64 (seq_len, batch, input_size), whatever the module's layout."""
    xs = x.detach().double()
    return xs.unsqueeze(1) if x.dim() == 2 else (xs.transpose(0, 1) if rnn.batch_first else xs)


def _module_layout(rnn: nn.Module, x: Tensor, output: Tensor) -> Tensor:
    """(seq_len, batch, D*H) back to the layout the module returns for an input like ``x``."""
    if x.dim() == 2:
        return output.squeeze(1)
    return output.transpose(0, 1) if rnn.batch_first else output


def _initial_states64(h0, kind: str, shape: tuple[int, int, int], clone: bool
                      ) -> tuple[Tensor, Tensor | None]:
    """h_0 (and an LSTM's c_0) as float64 (num_layers * D, B, H): zeros when not given."""
    c0 = None
    if isinstance(h0, tuple):
        h0, c0 = h0

    def given(s: Tensor | None) -> Tensor:
        if s is None:
            return torch.zeros(shape, dtype=torch.float64)
        s = s.detach().double().reshape(shape)
        return s.clone() if clone else s

    return given(h0), given(c0) if kind == "lstm" else None


def _forward64(rnn: nn.Module, x: Tensor, h0, kind: str, tbptt: int | None = None,
               record: bool = False) -> _Trace:
    """Step ``rnn`` through ``x`` in float64 with its own weights, keeping every h_t a node.

    With ``tbptt = k`` the state is detached every k steps (truncated BPTT: the next chunk
    starts from the state's value, not its history). With ``record``, the first layer's
    recurrent terms W_hh h_{t-1} + b_hh and pre-activations are kept too.
    """
    xs = _time_major(rnn, x)
    T, B, _ = xs.shape
    L, D, H = rnn.num_layers, 2 if rnn.bidirectional else 1, rnn.hidden_size
    h0, c0 = _initial_states64(h0, kind, (L * D, B, H), clone=True)
    # The initial states are the graph's leaves: every h_t depends on them, so every h_t is a
    # node autograd can differentiate with respect to.
    h0.requires_grad_(True)
    if c0 is not None:
        c0.requires_grad_(True)
    kept = _Kept([], [], {})
    states: list[list[list[Tensor]]] = []
    cells: list[list[list[Tensor]]] = []
    inp = [xs[t] for t in range(T)]
    for layer in range(L):
        hs_l, cs_l = [], []
        for d in range(D):
            hs, cs = _direction64(kind, layer_weights(rnn, layer, d), inp, h0[layer * D + d],
                                  c0[layer * D + d] if kind == "lstm" else None, d == 1, tbptt,
                                  kept if record and layer == 0 and d == 0 else None)
            hs_l.append(hs)
            cs_l.append(cs)
        states.append(hs_l)
        cells.append(cs_l)
        inp = [torch.cat([states[layer][d][t] for d in range(D)], -1) for t in range(T)]
    output = _module_layout(rnn, x, torch.stack(inp, 0))  # from (T, B, D*H)
    return _Trace(output, states, cells, kept.recurrent, kept.inputs, kept.preacts)


def _direction64(kind: str, weights: tuple[Tensor, ...], inp: list[Tensor], h: Tensor,
                 c: Tensor | None, reverse: bool, tbptt: int | None, kept: _Kept | None
                 ) -> tuple[list[Tensor], list[Tensor | None]]:
    """One layer's one direction, step by step: h_t (and c_t) for t = 0..T-1 by input
    position, each a node of the graph. ``inp`` is the layer's input, one (B, features) per t."""
    W_ih, W_hh, b_ih, b_hh = (w.detach().double() for w in weights)
    T, B = len(inp), inp[0].shape[0]
    hs: list[Tensor] = [None] * T
    cs: list[Tensor | None] = [None] * T
    # W_ih x_t + b_ih for every t in one product; only W_hh h_{t-1} is sequential. Unbound
    # once: indexing a_x[t] at each step makes autograd build a zero gradient of all of a_x per
    # step (T^2 work at T = 500); unbind's backward stacks the T gradients once
    a_x = torch.addmm(b_ih, torch.stack(inp, 0).reshape(T * B, -1), W_ih.T).reshape(T, B, -1)
    a_x = a_x.unbind(0)
    step = _STEPS64[kind]
    for k, t in enumerate(range(T - 1, -1, -1) if reverse else range(T)):
        if tbptt is not None and k > 0 and k % tbptt == 0:
            # a new leaf: the chunk's states stay nodes, but none leads further back
            h = h.detach().requires_grad_(True)
            c = c.detach().requires_grad_(True) if c is not None else None
        ah = torch.addmm(b_hh, h, W_hh.T)                         # W_hh h_{t-1} + b_hh
        if kept is not None:
            kept.recurrent.append(ah)
            kept.inputs.append(h.detach())
        h, c = step(a_x[t], ah, h, c, kept)
        hs[t], cs[t] = h, c
    return hs, cs


def _lstm_step64(a: Tensor, ah: Tensor, h: Tensor, c: Tensor, kept: _Kept | None
                 ) -> tuple[Tensor, Tensor]:
    """a = W_ih x_t + b_ih, ah = W_hh h_{t-1} + b_hh; gates i, f, g, o."""
    i, f, g, o = (a + ah).chunk(4, -1)
    c = f.sigmoid() * c + i.sigmoid() * g.tanh()  # c_t = f_t * c_{t-1} + i_t * g_t
    h = o.sigmoid() * c.tanh()                    # h_t = o_t * tanh(c_t)
    if kept is not None:
        kept.keep("sigmoid", torch.cat([i, f, o], -1))
        kept.keep("tanh", g)
        kept.keep("memory_gate", f.detach().sigmoid())
    return h, c


def _gru_step64(a: Tensor, ah: Tensor, h: Tensor, c: None, kept: _Kept | None
                ) -> tuple[Tensor, None]:
    """a = W_ih x_t + b_ih, ah = W_hh h_{t-1} + b_hh; gates r, z, n."""
    xr, xz, xn = a.chunk(3, -1)
    hr, hz, hn = ah.chunk(3, -1)
    r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
    a_n = xn + r * hn                             # W_in x_t + b_in + r_t * (W_hn h_{t-1} + b_hn)
    n = a_n.tanh()
    h = (1 - z) * n + z * h                       # h_t = (1 - z_t) * n_t + z_t * h_{t-1}
    if kept is not None:
        kept.keep("sigmoid", torch.cat([xr + hr, xz + hz], -1))
        kept.keep("tanh", a_n)
        kept.keep("memory_gate", z)
    return h, None


def _rnn_step64(nonlinearity: str) -> Callable:
    def step(a: Tensor, ah: Tensor, h: Tensor, c: None, kept: _Kept | None
             ) -> tuple[Tensor, None]:
        a_t = a + ah                              # W_ih x_t + b_ih + W_hh h_{t-1} + b_hh
        h = a_t.tanh() if nonlinearity == "tanh" else a_t.relu()    # h_t = tanh(a_t) or relu
        if kept is not None:
            kept.keep(nonlinearity, a_t)
        return h, None
    return step


_STEPS64 = {"lstm": _lstm_step64, "gru": _gru_step64, "rnn_tanh": _rnn_step64("tanh"),
            "rnn_relu": _rnn_step64("relu")}


def hidden_grad_norms(rnn: nn.Module, x: Tensor, loss_fn: Callable[[Tensor], Tensor],
                      h0: Tensor | tuple[Tensor, Tensor] | None = None,
                      tbptt: int | None = None) -> GradNorms:
    """Measure ||dL/dh_t|| for every layer, direction and step, with L = loss_fn(output).

    ``output`` is laid out as the module returns it (``batch_first`` respected) and has the
    module's dtype, so ``lambda out: out[-1] @ r`` works with a readout ``r`` of that dtype. The
    module is only read: its weights are copied to float64, and the backward recursion of BPTT
    is run explicitly, step by step (Pascanu et al.'s sum over paths, accumulated as autograd
    would; the faster of the module's two implementations, see its docstring):

        dL/dh_t = dL_direct/dh_t + (dL/da_(t+1)) W_hh      (+ dL/dh_(t+1) * z_(t+1) for a GRU)
        dL/dc_t = dL/dh_t * o_t * tanh'(c_t) + dL/dc_(t+1) * f_(t+1)     (LSTM)

    where dL/da_(t+1) is the gradient of step t+1's recurrent pre-activations. Everything that
    doesn't depend on the recursion is computed for all steps at once, so each step costs a
    few tensor operations. Its parameter gradients and training mode are untouched. With
    ``tbptt = k`` the state is detached every k steps, as truncated BPTT does: the gradient
    stops at each chunk boundary (and is exactly 0 before it, where no loss reaches).
    """
    kind = check(rnn, x)
    if tbptt is not None:
        check_int("tbptt", tbptt, 1, LIMITS.max_seq_len)
    taken: list = []  # workspace buffers, given back once nothing refers to them
    with torch.no_grad():  # truncation changes only the backward: values carry over
        layers, output = _forward_no_grad(rnn, x, h0, kind, taken)
    with torch.enable_grad():
        # the loss sees the output in the module's own dtype (a float32 readout r works as
        # is); its gradient then enters the float64 recursion
        dtype = next(rnn.parameters()).dtype
        out = output.detach().to(dtype).requires_grad_(True)
        (g_out,) = torch.autograd.grad(loss_fn(out), out, allow_unused=True)
    g_out = torch.zeros_like(output) if g_out is None else g_out
    with torch.no_grad():
        # back to (T, B, D*H), the layout the recursion runs in
        g = g_out.unsqueeze(1) if x.dim() == 2 else (g_out.transpose(0, 1) if rnn.batch_first
                                                       else g_out)
        norms = _backward_norms(rnn, layers, g.double(), kind, tbptt, taken)
    del layers
    _WORKSPACE.give(taken)
    return norms


class _Layer(NamedTuple):
    """What one layer's forward keeps for the backward recursion, per direction."""

    W_ih: list[Tensor]
    W_hh: list[Tensor]
    saved: list[dict[str, Tensor]]   # per direction: factors of the step Jacobians, (T, B, ..)


def _forward_no_grad(rnn: nn.Module, x: Tensor, h0, kind: str, taken: list | None = None
                     ) -> tuple[list[_Layer], Tensor]:
    """The module's forward in float64, keeping what the backward recursion needs (an LSTM's
    buffers come from the workspace and are listed in ``taken``)."""
    xs = _time_major(rnn, x)
    T, B, _ = xs.shape
    L, D, H = rnn.num_layers, 2 if rnn.bidirectional else 1, rnn.hidden_size
    h0, c0 = _initial_states64(h0, kind, (L * D, B, H), clone=False)
    layers, inp = [], xs
    for layer in range(L):
        W_ihs, W_hhs, saved, outs = [], [], [], []
        for d in range(D):
            W_ih, W_hh, b_ih, b_hh = (w.detach().double()
                                      for w in layer_weights(rnn, layer, d))
            if kind == "lstm":  # gates reordered (o, i, f, g): sigmoid on one block, tanh on one
                perm = torch.cat([torch.arange(3 * H, 4 * H), torch.arange(3 * H)])
                W_ih, W_hh, b_ih, b_hh = W_ih[perm], W_hh[perm], b_ih[perm], b_hh[perm]
            W_ihs.append(W_ih)
            W_hhs.append(W_hh)
            order = list(range(T)) if d == 0 else list(range(T - 1, -1, -1))
            h = h0[layer * D + d]
            if kind == "lstm":
                # W_ih x_t + b_ih + b_hh for every t, into a buffer the steps then work in
                a_x = _buffer(taken, T, B, 4 * H)
                torch.addmm(b_ih + b_hh, inp.reshape(T * B, -1), W_ih.T, out=a_x.view(T * B, -1))
                sv, H_all = _lstm_forward(a_x, W_hh, h, c0[layer * D + d], order, taken)
            else:
                a_x = torch.addmm(b_ih, inp.reshape(T * B, -1), W_ih.T).reshape(T, B, -1)
                if kind != "gru":  # b_hh can join the input part; a GRU keeps b_hn in r * (.)
                    a_x = a_x + b_hh
                sv, H_all = _gru_rnn_forward(a_x, W_hh, b_hh, h, order, kind)
            saved.append(sv)
            outs.append(H_all)
        layers.append(_Layer(W_ihs, W_hhs, saved))
        inp = torch.cat(outs, -1) if D > 1 else outs[0]  # each direction's own (fresh) tensor
    return layers, _module_layout(rnn, x, inp)


class _Workspace:
    """Float64 buffers handed from one call of hidden_grad_norms to the next.

    Fresh memory is the dearest thing in an LSTM's recursion: a large block is returned to the
    system when freed, and every page faults in again (zeroed) on the next call, ~0.25 ms per
    MB here, as much as the arithmetic. ``take`` gives a buffer of a shape (a kept one if there
    is one; never the same one to two callers), ``give`` keeps a call's buffers for the next,
    at most ``cap`` bytes in all, so the memory held stays bounded."""

    def __init__(self, cap: int) -> None:
        self.cap, self._lock, self._free, self._held = cap, threading.Lock(), {}, 0

    def take(self, taken: list | None, shape: tuple[int, ...]) -> np.ndarray:
        a = None
        if taken is not None:
            with self._lock:
                kept = self._free.get(shape)
                if kept:
                    a = kept.pop()
                    self._held -= a.nbytes
        if a is None:
            a = np.empty(shape)
        if taken is not None:
            taken.append(a)
        return a

    def give(self, taken: list) -> None:
        with self._lock:
            for a in taken:
                if self._held + a.nbytes <= self.cap:
                    self._free.setdefault(a.shape, []).append(a)
                    self._held += a.nbytes
        taken.clear()


_WORKSPACE = _Workspace(cap=64 << 20)


def _buffer(taken: list | None, *shape: int) -> Tensor:
    """An uninitialised float64 (torch) tensor from the workspace (see _Workspace)."""
    return torch.from_numpy(_WORKSPACE.take(taken, shape))


def _lstm_forward(a_x: Tensor, W_hh: Tensor, h: Tensor, c: Tensor, order: list[int],
                  taken: list | None = None) -> tuple[dict[str, Tensor], Tensor]:
    """One LSTM direction, gates in the order (o, i, f, g), keeping for the backward recursion
    the factors of the step Jacobians:

        dL/da_t = F_t * (dL/dh_t, dL/dc_t, dL/dc_t, dL/dc_t),    d(h_t)/d(c_t) = q_t

    with F = (o' tanh(c_t), i' g, f' c_{t-1}, i tanh'(a_g)) = (h_t, i g, f c_{t-1}) (1 - (o, i, f))
    and i tanh'(a_g): the products h_t, i g and f c_{t-1} are made by the forward anyway.
    ``a_x`` (T, B, 4H), the input part of the pre-activations, is overwritten with the gates.

    A step is one product with W_hh (torch) and elementwise operations on (B, H) blocks, done by
    NumPy on views of the same buffers: at this size an operation costs its call, a NumPy call
    costs less than half a torch one, and NumPy's float64 tanh is ~5x faster than torch's (and
    as exact). The factors are then made for all steps at once, by torch (faster than NumPy on
    strided and broadcast operations over whole tensors)."""
    T, B, G = a_x.shape
    H = G // 4
    act = a_x.numpy()                         # becomes sigma(o), sigma(i), sigma(f), tanh(g)
    # F holds (-, i g, f c_{t-1}, -) until the factors are made in it (memory is dear here:
    # the fewer buffers, the more of them stays in cache). H_all, the output, is not reused.
    F, TC, H_all = _buffer(taken, T, B, 4, H), _buffer(taken, T, B, H), _buffer(None, T, B, H)
    F_n, TC_n, H_n = F.numpy(), TC.numpy(), H_all.numpy()
    # The step works in two tensors made once, r = the gates and h = h_{t-1}: a torch view made
    # per step would cost more than its arithmetic, and the garbage collector more still.
    r, h_s = torch.empty(B, G, dtype=torch.float64), h.clone(memory_format=torch.contiguous_format)
    r_n, h_n, r_sig, WT = r.numpy(), h_s.numpy(), r[:, :3 * H], W_hh.T
    o, i, f, g = r_n[:, :H], r_n[:, H:2 * H], r_n[:, 2 * H:3 * H], r_n[:, 3 * H:]
    c, cs = c.resolve_neg().numpy(), (np.empty((B, H)), np.empty((B, H)))  # c_{t-1}, c_t
    with np.errstate(all="ignore"):
        for k, t in enumerate(order):
            torch.mm(h_s, WT, out=r)
            np.add(r_n, act[t], out=r_n)                          # a_t
            r_sig.sigmoid_()
            np.tanh(g, out=g)
            F_t = F_n[t]
            np.multiply(f, c, out=F_t[:, 2])                      # c_t = f c_{t-1} + i g
            np.multiply(i, g, out=F_t[:, 1])
            c = np.add(F_t[:, 2], F_t[:, 1], out=cs[k & 1])
            h_n[...] = np.multiply(o, np.tanh(c, out=TC_n[t]), out=H_n[t])  # o tanh(c_t)
            act[t] = r_n
    act = a_x
    one = torch.ones((), dtype=torch.float64)
    # (h, i g, f c_{t-1}) (1 - (o, i, f)), the latter two in place
    torch.addcmul(H_all, H_all, act[..., :H], value=-1, out=F[:, :, 0])
    F2 = F[:, :, 1:3]
    torch.addcmul(F2, F2, act.view(T, B, 4, H)[:, :, 1:3], value=-1, out=F2)
    torch.addcmul(one, act[..., 3 * H:], act[..., 3 * H:], value=-1, out=F[:, :, 3]).mul_(
        act[..., H:2 * H])                                       # i tanh'(a_g)
    q = torch.addcmul(one, TC, TC, value=-1, out=TC).mul_(act[..., :H])  # o tanh'(c_t)
    return {"F": F, "q": q, "f": act[..., 2 * H:3 * H]}, H_all


def _gru_rnn_forward(a_x: Tensor, W_hh: Tensor, b_hh: Tensor, h: Tensor, order: list[int],
                     kind: str) -> tuple[dict[str, Tensor], Tensor]:
    """One GRU or plain RNN direction, keeping the factors of its step Jacobians."""
    T, B, _ = a_x.shape
    H = h.shape[-1]
    hs, prev, pre, hns = [None] * T, [None] * T, [None] * T, [None] * T
    for t in order:
        prev[t] = h
        if kind == "gru":
            ah = torch.addmm(b_hh, h, W_hh.T)
            xr, xz, xn = a_x[t].chunk(3, -1)
            hr, hz, hn = ah.chunk(3, -1)
            r, z = (xr + hr).sigmoid(), (xz + hz).sigmoid()
            n = torch.addcmul(xn, r, hn).tanh()
            pre[t] = torch.cat([r, z, n], -1)
            hns[t] = hn
            h = n + z * (h - n)                                   # (1-z) n + z h_{t-1}
        else:
            a = torch.addmm(a_x[t], h, W_hh.T)
            h = a.tanh() if kind == "rnn_tanh" else a.relu()
        hs[t] = h
    H_all, P = torch.stack(hs), torch.stack(prev)
    if kind == "gru":
        R = torch.stack(pre)
        r, z, n = R[..., :H], R[..., H:2 * H], R[..., 2 * H:]
        hn = torch.stack(hns)
        q_n = (1 - z) * (1 - n * n)                              # dL/da_n = dh q_n
        factors = torch.stack([q_n * hn * r * (1 - r), (P - n) * z * (1 - z), q_n * r], 2)
        return {"z": z, "gates": factors, "q_n": q_n}, H_all
    fprime = (1 - H_all * H_all) if kind == "rnn_tanh" else (H_all > 0).double()
    return {"gates": fprime.unsqueeze(2)}, H_all


def _backward_norms(rnn: nn.Module, layers: list[_Layer], g: Tensor, kind: str,
                    tbptt: int | None, taken: list | None = None) -> GradNorms:
    """Run BPTT's recursion from the top layer down; ||dL/dh_t|| (and ||dL/dc_t||) per step."""
    T, B, _ = g.shape
    L, D, H = rnn.num_layers, 2 if rnn.bidirectional else 1, rnn.hidden_size
    hidden = torch.zeros(L, D, T, dtype=torch.float64)
    cell = torch.zeros(L, D, T, dtype=torch.float64) if kind == "lstm" else None
    for layer in range(L - 1, -1, -1):
        lay = layers[layer]
        g_in = None
        for d in range(D):
            ext = g[..., d * H:(d + 1) * H]
            sv, W_hh = lay.saved[d], lay.W_hh[d]
            if kind == "lstm":  # its own recursion, in NumPy and workspace buffers
                dhs, dcs, dA = _lstm_backward(ext, sv, W_hh, d, tbptt, taken, layer > 0)
                hidden[layer, d] = _norms(dhs)
                cell[layer, d] = _norms(dcs)
                if layer > 0:
                    part = (dA.view(T * B, -1) @ lay.W_ih[d]).view(T, B, -1)
                    g_in = part if g_in is None else g_in + part
                continue
            F = sv["gates"]                                     # (T, B, gates, H)
            order = list(range(T)) if d == 0 else list(range(T - 1, -1, -1))
            dhs = torch.empty(T, B, H, dtype=torch.float64)
            dA = torch.empty(T, B, F.shape[2], H, dtype=torch.float64)
            carry_h = torch.zeros(B, H, dtype=torch.float64)
            for k in range(T - 1, -1, -1):
                t = order[k]
                dh = torch.add(ext[t], carry_h, out=dhs[t])      # dL/dh_t, total
                if kind == "gru":
                    da = torch.mul(F[t], dh.unsqueeze(1), out=dA[t])  # d(W_hh h + b_hh)
                    carry_h = torch.addmm(dh * sv["z"][t], da.view(B, -1), W_hh)
                else:
                    da = torch.mul(F[t], dh.unsqueeze(1), out=dA[t])
                    carry_h = da.view(B, -1) @ W_hh
                if tbptt is not None and k % tbptt == 0 and k > 0:
                    carry_h = torch.zeros_like(carry_h)       # the state was detached here
            hidden[layer, d] = _norms(dhs)
            if layer > 0:  # the gradient reaching the layer below, through W_ih, for all t
                dA = dA.reshape(T, B, -1)
                if kind == "gru":  # the input side sees a_n itself, not r * (W_hn h + b_hn)
                    dA[..., 2 * H:] = dhs * sv["q_n"]
                part = (dA.reshape(T * B, -1) @ lay.W_ih[d]).reshape(T, B, -1)
                g_in = part if g_in is None else g_in + part
        if layer > 0:
            g = g_in
    return GradNorms(hidden, cell)


def _lstm_backward(ext: Tensor, sv: dict, W_hh: Tensor, d: int, tbptt: int | None,
                   taken: list | None = None, keep_da: bool = False
                   ) -> tuple[Tensor, Tensor, Tensor | None]:
    """One LSTM direction's recursion (factors from _lstm_forward), per step one product with
    W_hh (torch, in tensors made once) and NumPy operations on (B, H) blocks:

        dL/dh_t = dL_direct/dh_t + dL/da_(t+1) W_hh
        dL/dc_t = dL/dh_t q_t + dL/dc_(t+1) f_(t+1),   dL/da_t = F_t * (dh, dc, dc, dc)

    Returns dL/dh_t, dL/dc_t (T, B, H) and, with ``keep_da``, dL/da_t (T, B, 4H, gates o, i, f,
    g), which then overwrites F."""
    T, B, H = ext.shape
    F, q, f = sv["F"].numpy(), sv["q"].numpy(), sv["f"].numpy()
    ext = ext.resolve_conj().resolve_neg().numpy()
    dh, dc = _buffer(taken, T, B, H), _buffer(taken, T, B, H)
    dh_n, dc_n = dh.numpy(), dc.numpy()
    da, carry = torch.empty(B, 4 * H, dtype=torch.float64), torch.empty(B, H, dtype=torch.float64)
    da_n, carry_n = da.numpy().reshape(B, 4, H), carry.numpy()
    W = W_hh.T.contiguous().T                           # column-major: a faster product here
    tmp, D = np.empty((B, H)), np.empty((B, 4, H))
    order = range(T) if d == 0 else range(T - 1, -1, -1)
    nxt = None                                            # the step after t, if it reaches t
    with np.errstate(all="ignore"):
        for k in range(T - 1, -1, -1):
            t = order[k]
            h_, c_ = dh_n[t], dc_n[t]
            if nxt is None:
                h_[...] = ext[t]
                np.multiply(h_, q[t], out=c_)
            else:  # the paths through the next step: dL/da_(t+1) W_hh and dL/dc_(t+1) f_(t+1)
                torch.mm(da, W, out=carry)
                np.add(ext[t], carry_n, out=h_)
                np.multiply(h_, q[t], out=c_)
                np.add(c_, np.multiply(dc_n[nxt], f[nxt], out=tmp), out=c_)
            D[:, 0] = h_                                # (dh, dc, dc, dc): one product
            D[:, 1:] = c_[:, None]
            F_t = F[t]
            np.multiply(F_t, D, out=da_n)
            if keep_da:
                F_t[...] = da_n
            nxt = None if tbptt is not None and k % tbptt == 0 and k > 0 else t  # detached
    return dh, dc, (sv["F"].view(T, B, 4 * H) if keep_da else None)


def _norms(G: Tensor) -> Tensor:
    """||G[t]|| for every t, without underflow (see _norm): each step scaled by its max."""
    flat = G.reshape(G.shape[0], -1)
    m = torch.maximum(flat.amax(1), flat.amin(1).neg())  # max |G[t]| (faster than abs().amax)
    if bool((((m >= 1e-140) & (m <= 1e140)) | (m == 0)).all()):
        # no square underflows enough to matter (relative 1e-28 at most), none overflows
        return torch.linalg.vector_norm(flat, dim=1)
    scale = torch.where((m > 0) & torch.isfinite(m), m, torch.ones_like(m))
    n = torch.linalg.vector_norm(flat / scale[:, None], dim=1) * scale
    return torch.where(torch.isfinite(m), n, m)


def _grad_norms(tr: _Trace, loss: Tensor, rnn: nn.Module, kind: str,
                extra: list[Tensor] = ()) -> tuple:
    L, D = rnn.num_layers, 2 if rnn.bidirectional else 1
    T = len(tr.states[0][0])
    flat_h = [h for layer in tr.states for hs in layer for h in hs]
    flat_c = [c for layer in tr.cells for cs in layer for c in cs] if kind == "lstm" else []
    grads = torch.autograd.grad(loss, flat_h + flat_c + list(extra), allow_unused=True)

    def norms(gs) -> Tensor:
        vals = [_norm(g) if g is not None else torch.zeros((), dtype=torch.float64) for g in gs]
        return torch.stack(vals).reshape(L, D, T).detach()

    hidden = norms(grads[:len(flat_h)])
    cell = norms(grads[len(flat_h):len(flat_h) + len(flat_c)]) if kind == "lstm" else None
    rest = grads[len(flat_h) + len(flat_c):]
    return (hidden, cell, rest) if extra else (hidden, cell)


# -- the tab's experiment: a standard module with a chosen W_hh, and everything it shows ----------
PROFILE_CELLS = PROFILE.cell.choices
INPUT_SIZE = 8


@dataclass(frozen=True)
class ProfileConfig:
    cell: str = PROFILE.cell.default  # rnn_tanh | rnn_relu | lstm | gru
    seq_len: int = PROFILE.seq_len.default  # T, the depth backpropagation must travel
    hidden_size: int = PROFILE.hidden_size.default  # units per layer
    num_layers: int = PROFILE.num_layers.default  # stacked layers (the bound is for one)
    # s in W_hh = s * Q (each gate's block)
    recurrent_scale: float = PROFILE.recurrent_scale.default
    init: str = PROFILE.init.default  # Q orthogonal, or "gaussian": N(0, 1/H), not normal
    # x_t ~ N(0, input_scale^2); 0 gives the closed form
    input_scale: float = PROFILE.input_scale.default
    # LSTM: b_ih_f + b_hh_f for every unit; None = PyTorch's
    forget_bias: float | None = PROFILE.forget_bias.default
    # GRU: b_iz + b_hz; None = PyTorch's random init
    update_bias: float | None = PROFILE.update_bias.default
    # "last": L = r . h_{T-1}; "every": sum_{t=0..T-1} r . h_t
    loss_at: str = PROFILE.loss_at.default
    tbptt: int | None = PROFILE.tbptt.default  # truncated BPTT chunk length; None = full BPTT
    batch_size: int = PROFILE.batch_size.default  # sequences, each with its own random input
    seed: int = PROFILE.seed.default  # weights, inputs and the readout r

    def check(self) -> ProfileConfig:
        """Raise LimitError naming the first field out of range; return self."""
        PROFILE.check_fields(self)
        if self.tbptt is not None:
            check_int("tbptt", self.tbptt, 1, self.seq_len)  # a chunk within the sequence
        return self

    @property
    def gamma(self) -> float:
        """max |f'(a)| of the recurrent nonlinearity: 1 for tanh (at 0) and relu."""
        return 1.0


def _recurrent_matrix(n: int, H: int, cfg: ProfileConfig, gen: torch.Generator) -> Tensor:
    """n blocks of W_hh (one per gate), each s * Q: Q orthogonal (QR of a Gaussian, signs fixed so
    it is uniformly distributed), or a Gaussian N(0, 1/H), whose spectral radius is about 1 but
    whose largest singular value is about 2 (it is not normal)."""
    blocks = []
    for _ in range(n):
        A = torch.randn(H, H, generator=gen, dtype=torch.float64)
        if cfg.init == "orthogonal":
            Q, R = torch.linalg.qr(A)
            A = Q * torch.sign(torch.diagonal(R))
        else:
            A = A / math.sqrt(H)
        blocks.append(cfg.recurrent_scale * A)
    return torch.cat(blocks, 0)


def profile_rnn(cfg: ProfileConfig) -> nn.Module:
    """The standard ``nn.RNN`` / ``nn.LSTM`` / ``nn.GRU`` of ``cfg``: W_hh = s * Q per gate, W_ih
    and gate biases as PyTorch initialises them (seeded), a plain RNN's biases zero (so that with
    no input the closed form holds), the LSTM forget / GRU update bias set if asked. float64."""
    cfg.check()
    H, kind = cfg.hidden_size, cfg.cell
    rnn = build(lambda: module(kind, INPUT_SIZE, H, num_layers=cfg.num_layers),
                generator(cfg.seed)).double().eval()
    gen = generator(cfg.seed + 1)
    gates = len(GATES[kind]) or 1
    with torch.no_grad():
        for layer in range(cfg.num_layers):
            getattr(rnn, f"weight_hh_l{layer}").copy_(_recurrent_matrix(gates, H, cfg, gen))
            b_ih, b_hh = getattr(rnn, f"bias_ih_l{layer}"), getattr(rnn, f"bias_hh_l{layer}")
            if kind.startswith("rnn"):
                b_ih.zero_()
                b_hh.zero_()
            # The gate that carries memory: LSTM f (rows H..2H, order i f g o), GRU z (H..2H,
            # order r z n). PyTorch has two biases; their sum acts, so each gets half.
            total = cfg.forget_bias if kind == "lstm" else cfg.update_bias
            if total is not None and not kind.startswith("rnn"):
                b_ih[H:2 * H] = total / 2
                b_hh[H:2 * H] = total / 2
    return rnn


def _inputs_and_readout(cfg: ProfileConfig) -> tuple[Tensor, Tensor]:
    gen = generator(cfg.seed + 2)
    x = cfg.input_scale * torch.randn(cfg.seq_len, cfg.batch_size, INPUT_SIZE, generator=gen,
                                      dtype=torch.float64)
    r = torch.randn(cfg.hidden_size, generator=gen, dtype=torch.float64)
    return x, r / r.norm()


@dataclass(frozen=True)
class Profile:
    """What one configuration shows. Arrays are float64 numpy; index t counts from 0."""

    config: ProfileConfig
    hidden: np.ndarray            # (num_layers, T): ||dL/dh_t|| per layer (0 where none flows)
    cell: np.ndarray | None       # (num_layers, T): ||dL/dc_t|| for an LSTM
    overflow: bool                # some gradient overflowed float64 (shown as missing, not inf)
    singular_values: np.ndarray   # of the first layer's W_hh (each gate's block, concatenated)
    sigma_max: float              # the largest of them
    spectral_radius: float        # max |eigenvalue| of the first layer's W_hh (first block)
    bound: np.ndarray | None      # (gamma sigma_max)^(T-1-t) ||dL/dh_{T-1}||, where it applies
    bound_reason: str             # "applies", or why not: "every", "layers", "gated", "tbptt"
    contributions: np.ndarray     # (T,) ||dL/dW_hh contributed by step t|| (first layer)
    running: np.ndarray           # (T,) ||sum_{k >= t} contribution_k||: the sum built backwards
    total_grad: float             # ||dL/dW_hh|| (= running[0])
    preacts: dict                 # nonlinearity name -> 1-D sample of pre-activations
    saturation: float             # share of tanh/sigmoid pre-activations with f' < 0.1 f'(0)
    memory_gate: float | None     # mean LSTM forget gate f_t / GRU update gate z_t (layer 1)

    @property
    def gamma(self) -> float:
        return self.config.gamma


# However many requests ask at once, only so many profiles are computed at the same time: the
# rest wait here (bench: 8 of the largest from 8 threads peaked at 2.4 GB unlimited, 1.0-1.1 GB
# with 2 at once and glibc's malloc arenas capped, as playground.app does, in the same time).
_computing = threading.BoundedSemaphore(LIMITS.max_concurrent_profiles)


def _few_at_once(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with _computing:
            return fn(*args, **kwargs)
    return wrapper


@_few_at_once
def gradient_profile(cfg: ProfileConfig) -> Profile:
    """Build the module of ``cfg``, run it on random input and measure BPTT in float64.

    L = r . h_{T-1} (loss at the last step) or sum_t r . h_t (every step), with r a fixed random
    unit vector, so that dL/dh_{T-1} = r for each sequence: linear in h, as in the closed form.
    The bound (Pascanu et al. 2013) ||dL/dh_t|| <= (gamma sigma_max)^(T-1-t) ||dL/dh_{T-1}||
    is drawn only for one plain layer, the loss at the last step and no truncation.
    """
    cfg.check()
    rnn = profile_rnn(cfg)
    kind = "rnn_" + cfg.cell[4:] if cfg.cell.startswith("rnn") else cfg.cell
    x, r = _inputs_and_readout(cfg)

    def loss_fn(out: Tensor) -> Tensor:
        return (out[-1] @ r).sum() if cfg.loss_at == "last" else (out @ r).sum()

    with torch.enable_grad():
        tr = _forward64(rnn, x, None, kind, cfg.tbptt, record=True)
        hidden, cell, g_rec = _grad_norms(tr, loss_fn(tr.output), rnn, kind, tr.recurrent)
    contributions, running = _weight_grad_terms(tr, g_rec)
    hidden_np = hidden[:, 0].numpy()
    cell_np = cell[:, 0].numpy() if cell is not None else None
    overflow = not (np.isfinite(hidden_np).all() and np.isfinite(contributions).all()
                    and (cell_np is None or np.isfinite(cell_np).all()))
    W = rnn.weight_hh_l0.detach()
    H = cfg.hidden_size
    sv = torch.cat([torch.linalg.svdvals(b) for b in W.split(H, 0)]).numpy()
    rho = float(torch.linalg.eigvals(W[:H]).abs().max())
    reason, bound = _bound(cfg, float(sv.max()), hidden_np[-1, -1])
    memory_gate, pre, saturation = _preactivations(tr.preacts, cfg.seed)
    return Profile(cfg, _clean(hidden_np), None if cell_np is None else _clean(cell_np), overflow,
                   sv, float(sv.max()), rho, None if bound is None else _clean(bound), reason,
                   _clean(contributions), _clean(running), float(_clean(running)[0]), pre,
                   saturation, memory_gate)


def _weight_grad_terms(tr: _Trace, g_rec: tuple) -> tuple[np.ndarray, np.ndarray]:
    """dL/dW_hh = sum_t (dL/d(W_hh h_{t-1}))^T h_{t-1}: one term per step, summed over the batch.

    Returns ||term_t|| and ||sum_{k >= t} term_k|| (the running sum from the loss back to t),
    made one (gates*H, H) matrix at a time: all T of them at once would be ~1 GB at the limits,
    per request. ``g_rec[t]`` is dL/d(W_hh h_{t-1} + b_hh), None where no gradient reaches.
    """
    T = len(tr.inputs)
    contributions, running = np.zeros(T), np.zeros(T)
    acc = torch.zeros(tr.recurrent[0].shape[-1], tr.inputs[0].shape[-1], dtype=torch.float64)
    for t in range(T - 1, -1, -1):
        if g_rec[t] is not None:  # (None: no gradient reaches this step; its term is 0)
            c = g_rec[t].T @ tr.inputs[t]
            acc += c
            contributions[t] = _norm(c).item()
        running[t] = _norm(acc).item()
    return contributions, running


def _bound(cfg: ProfileConfig, sigma_max: float, last: float) -> tuple[str, np.ndarray | None]:
    """Whether Pascanu et al.'s bound applies ("applies", or why not: "gated", "layers",
    "every", "tbptt") and, where it does, (gamma sigma_max)^(T-1-t) ||dL/dh_{T-1}|| for every
    t, with ``last`` = ||dL/dh_{T-1}||."""
    reason = ("gated" if not cfg.cell.startswith("rnn") else "layers" if cfg.num_layers > 1
              else "every" if cfg.loss_at == "every" else "tbptt" if cfg.tbptt else "applies")
    if reason != "applies":
        return reason, None
    with np.errstate(over="ignore"):
        return reason, (cfg.gamma * sigma_max) ** np.arange(cfg.seq_len - 1, -1, -1.0) * last


def _preactivations(preacts: dict[str, list[Tensor]], seed: int
                    ) -> tuple[float | None, dict[str, np.ndarray], float]:
    """From the first layer's recorded pre-activations: the mean memory gate (LSTM f_t, GRU
    z_t; None for a plain RNN), a sample of at most 4000 of each nonlinearity's inputs (drawn
    with ``seed``), and the share of tanh / sigmoid inputs where f' < 0.1 f'(0)."""
    pre = {}
    gen = np.random.default_rng(seed)
    gate = preacts.pop("memory_gate", None)
    memory_gate = float(torch.stack(gate).mean()) if gate else None
    for name, parts in preacts.items():
        a = torch.cat([p.reshape(-1) for p in parts]).numpy()
        pre[name] = a if a.size <= 4000 else gen.choice(a, 4000, replace=False)
    # tanh'(a) < 0.1 where |a| > 1.82; sigmoid'(a) < 0.1 * 1/4 where |a| > 3.64
    sat = [(np.abs(v) > (1.82 if k == "tanh" else 3.64)) for k, v in pre.items()
           if k in ("tanh", "sigmoid")]
    return memory_gate, pre, float(np.concatenate(sat).mean()) if sat else 0.0


def _clean(a: np.ndarray) -> np.ndarray:
    """Non-finite values (an overflow) become NaN, which figures leave out as missing."""
    a = np.asarray(a, dtype=np.float64).copy()
    a[~np.isfinite(a)] = np.nan
    return a


class TruncationCost(NamedTuple):
    full_bytes: int         # activations kept for backward by full BPTT
    chunk_bytes: int        # ... by truncated BPTT, at most, at any one time
    full_seconds: float     # forward + backward of the whole sequence
    chunk_seconds: float    # the same work in chunks of k steps


@_few_at_once
def truncation_cost(cfg: ProfileConfig, repeats: int = 5) -> TruncationCost:
    """Measure what truncated BPTT saves on the module itself (float32, as training runs it):
    the bytes autograd keeps for backward (counted by a saved-tensors hook) and the time of a
    forward and backward pass over the sequence, whole or in chunks of ``cfg.tbptt`` steps."""
    cfg.check()
    k = cfg.tbptt or cfg.seq_len
    rnn = profile_rnn(cfg).float()
    x, r = _inputs_and_readout(cfg)
    x, r = x.float(), r.float()

    def run(chunk: int) -> tuple[int, float]:
        peak = 0
        t0 = time.perf_counter()
        state = None
        for s in range(0, cfg.seq_len, chunk):
            kept = 0

            def pack(t: Tensor) -> Tensor:
                nonlocal kept
                kept += t.numel() * t.element_size()
                return t

            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                out, state = rnn(x[s:s + chunk], state)
                loss = (out @ r).sum()
            loss.backward()
            state = (tuple(v.detach() for v in state) if isinstance(state, tuple)
                     else state.detach())
            peak = max(peak, kept)
        return peak, time.perf_counter() - t0

    with torch.enable_grad():
        run(k)  # warm-up: the first pass allocates
        full, chunked = [], []
        for _ in range(repeats):  # pair by pair, so that the machine's load hits both alike
            full.append(run(cfg.seq_len))
            chunked.append(run(k))
    rnn.zero_grad(set_to_none=True)
    return TruncationCost(full[0][0], chunked[0][0], float(np.median([f[1] for f in full])),
                          float(np.median([c[1] for c in chunked])))
