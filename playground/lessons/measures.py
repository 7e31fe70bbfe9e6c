"""Live quantities a lesson's question can ask about: each computed by the engine, through the
same functions the tab's handlers call, from one step's settings.

A measure takes the tab's settings as a link sets them (``values``: every key of the tab's
links, each read through its setting, defaults filled in) and returns a number, or a short
string for questions answered by ``pick = "equal"``. Nothing is drawn and nothing new is cached:
the engine calls are the handlers' own (``gradient_profile``, ``all_step_numbers``,
``greedy_decode`` ...), with the handlers' seeds, so the number is the one the page shows.

``MEASURES`` maps each name to its tab and function; ``measure(name, values)`` computes one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from engine import TASK_FOR_TOPOLOGY, build_model, get_task
from engine.bptt import gradient_profile
from engine.charlm import all_step_numbers, decodings, step_losses
from engine.race import RACERS
from engine.seq2seq import attention_steps, encode_digits, greedy_decode, target_of

from ..controls import read
from ..tabs.bptt import handlers as bptt
from ..tabs.bptt.settings import RACE_SETTINGS
from ..tabs.seq2seq import handlers as seq2seq
from ..tabs.seq2seq.settings import SETTINGS as SEQ2SEQ
from ..tabs.step import handlers as step
from ..tabs.step.settings import SETTINGS as STEP
from ..tabs.topologies import handlers as topologies

Values = Mapping[str, Any]


@dataclass(frozen=True)
class Measure:
    name: str
    tab: str                         # the tab whose settings it reads
    fn: Callable[[Values], float | str]
    doc: str                         # one line, for the README and error messages


MEASURES: dict[str, Measure] = {}


def _measure(name: str, tab: str) -> Callable:
    def register(fn: Callable[[Values], float | str]) -> Callable:
        doc = (fn.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ")
        MEASURES[name] = Measure(name, tab, fn, " ".join(doc.split()))
        return fn
    return register


def measure(name: str, values: Values) -> float | str:
    """The measure ``name`` for these settings (``KeyError`` if there is no such measure)."""
    return MEASURES[name].fn(values)


# -- the BPTT tab: the profile -------------------------------------------------------------------
def _profile(v: Values):
    """The profile the tab draws for these settings (``handlers.profile_config``, then the
    engine's ``gradient_profile``: the handler's own two calls)."""
    cfg = bptt.profile_config(v["cell"], v["seq_len"], v["recurrent_scale"], v["init"],
                              v["input_scale"], v["forget_default"], v["forget_bias"],
                              v["update_default"], v["update_bias"], v["hidden_size"],
                              v["num_layers"], v["loss_at"], v["tbptt"], v["seed"])
    return gradient_profile(cfg)


def _finite(x: float | None, what: str) -> float:
    if x is None or not math.isfinite(x):
        raise ValueError(f"{what} is not a finite number for these settings")
    return float(x)


def _ratio_of(p) -> float:
    return _finite(bptt._ratio(p), "||dL/dh_0|| / ||dL/dh_(T-1)||")


def _bound_of(p) -> float:
    if p.bound_reason != "applies":
        raise ValueError(f"the bound does not apply here ({p.bound_reason})")
    return (p.gamma * p.sigma_max) ** (p.config.seq_len - 1)


@_measure("bptt.grad_ratio", "bptt")
def grad_ratio(v: Values) -> float:
    """||dL/dh_0|| / ||dL/dh_(T-1)|| of the measured profile (the figure's title)."""
    return _ratio_of(_profile(v))


@_measure("bptt.cell_ratio", "bptt")
def cell_ratio(v: Values) -> float:
    """An LSTM's ||dL/dc_0|| / ||dL/dc_(T-1)||: the cell state's highway (the gated note)."""
    p = _profile(v)
    if p.cell is None:
        raise ValueError("the cell state's gradient exists only for an LSTM")
    cell = p.cell[0]
    return _finite(cell[0] / cell[-1] if cell[-1] > 0 else None, "||dL/dc_0|| / ||dL/dc_(T-1)||")


@_measure("bptt.sigma_max", "bptt")
def sigma_max(v: Values) -> float:
    """σ_max, the largest singular value of the first layer's W_hh."""
    return float(_profile(v).sigma_max)


@_measure("bptt.spectral_radius", "bptt")
def spectral_radius(v: Values) -> float:
    """ρ, the largest |eigenvalue| of the first layer's W_hh."""
    return float(_profile(v).spectral_radius)


@_measure("bptt.bound", "bptt")
def bound(v: Values) -> float:
    """Pascanu et al.'s bound on the ratio, (γ σ_max)^(T-1), where it applies (one plain layer,
    the loss at the last step, full BPTT)."""
    return _bound_of(_profile(v))


@_measure("bptt.vs_bound", "bptt")
def vs_bound(v: Values) -> str:
    """Where the measured ratio sits against the bound: "below", "at" (within 1%) or "above"."""
    p = _profile(v)
    ratio, limit = _ratio_of(p), _bound_of(p)
    if abs(ratio - limit) <= 0.01 * limit:
        return "at"
    return "below" if ratio < limit else "above"


@_measure("bptt.memory_gate", "bptt")
def memory_gate(v: Values) -> float:
    """The mean LSTM forget gate f_t (GRU update gate z_t) of the first layer."""
    p = _profile(v)
    if p.memory_gate is None:
        raise ValueError("a memory gate exists only in an LSTM or a GRU")
    return float(p.memory_gate)


@_measure("bptt.saturation", "bptt")
def saturation(v: Values) -> float:
    """The share of tanh/sigmoid pre-activations where f' < 0.1 f'(0) (0 to 1)."""
    return float(_profile(v).saturation)


@_measure("bptt.early_share", "bptt")
def early_share(v: Values) -> float:
    """The share of dL/dW_hh's terms that comes from the first half of the steps (the sum's
    note: Σ of the first T/2 terms' norms over ||dL/dW_hh||)."""
    p = _profile(v)
    total = p.total_grad
    if not (math.isfinite(total) and total > 0):
        raise ValueError("dL/dW_hh is zero or not finite for these settings")
    return min(float(np.nansum(p.contributions[:p.config.seq_len // 2])) / total, 1.0)


@_measure("bptt.steps_reached", "bptt")
def steps_reached(v: Values) -> float:
    """How many steps h_t receive any gradient at all (||dL/dh_t|| > 0, the top layer)."""
    top = _profile(v).hidden[-1]
    return float(np.count_nonzero(np.isfinite(top) & (top > 0)))


# -- the BPTT tab: the recorded races ------------------------------------------------------------
def _race(v: Values):
    return bptt._replay(read(RACE_SETTINGS.replay, v["replay"]))


@_measure("race.accuracy", "bptt")
def race_accuracy(v: Values) -> float:
    """The held-out accuracy (%) of the link's racer in the link's recorded race."""
    _, _, result = _race(v)
    return _finite((result.get("accuracy") or {}).get(v["racer"]), "the racer's accuracy")


@_measure("race.clipped_steps", "bptt")
def race_clipped_steps(v: Values) -> float:
    """In how many of the recorded race's steps clipping fired for the clipped RNN."""
    _, steps, _ = _race(v)
    k = RACERS.index("rnn_clip")
    return float(sum(s.racers[k].clipped for s in steps))


# -- the Step-through-time tab -------------------------------------------------------------------
def _char(v: Values):
    """The model the tab shows for these settings (no training run: a lesson's link has none),
    the text, and the step k (0-based) as the handler clamps it."""
    cfg = step.config(v["text"], v["cell"], v["hidden_size"], v["num_layers"])
    model, _, _ = step.choose(cfg, read(STEP.weights, v["weights"]), None)
    k = min(read(STEP.t, v["t"]), len(cfg.text)) - 1
    return model, cfg.text, k


def _numbers(v: Values):
    model, text, k = _char(v)
    return model, all_step_numbers(model, text)[k]


def _target(v: Values):
    model, n = _numbers(v)
    if n.target_char is None:
        raise ValueError("the last step of the text has no target")
    return model, n


@_measure("step.p_target", "step")
def p_target(v: Values) -> float:
    """p_t of the target character at step t (the softmax's bar of the next character)."""
    model, n = _target(v)
    return float(n.probs[model.vocab.symbols.index(n.target_char)])


@_measure("step.loss_t", "step")
def loss_t(v: Values) -> float:
    """L_t = -log p_t[target] at step t."""
    return float(_target(v)[1].loss_t)


@_measure("step.pred_char", "step")
def pred_char(v: Values) -> str:
    """The character the model predicts at step t (the argmax of softmax(y_t))."""
    return _numbers(v)[1].pred_char


@_measure("step.w_ih_term", "step")
def w_ih_term(v: Values) -> str:
    """What the term W_ih x_t is at step t, checked against W_ih's own numbers: "column k"
    (k from 0), "row k", "sum" (of every column) or "other"."""
    model, n = _numbers(v)
    W, term = model.rnn.weight_ih_l0.detach(), n.W_ih_x

    def same(a: torch.Tensor) -> bool:
        return a.shape == term.shape and torch.allclose(a, term, rtol=0, atol=1e-7)

    for k in range(W.shape[1]):
        if same(W[:, k]):
            return f"column {k}"
    for k in range(W.shape[0]):
        if same(W[k]):
            return f"row {k}"
    return "sum" if same(W.sum(1)) else "other"


@_measure("step.loss_sum_over_mean", "step")
def loss_sum_over_mean(v: Values) -> float:
    """The notes' sequence loss Σ_t L_t divided by PyTorch's mean (the page shows both)."""
    model, text, _ = _char(v)
    losses = step_losses(model, text)
    return float(losses.sum() / losses.mean())


@_measure("step.loss_mean", "step")
def loss_mean(v: Values) -> float:
    """The sequence loss as PyTorch's cross_entropy gives it: the mean of the L_t."""
    model, text, _ = _char(v)
    return float(step_losses(model, text).mean())


@_measure("step.greedy_agrees", "step")
def greedy_agrees(v: Values) -> str:
    """"yes" if greedy generation from text[0] writes what teacher forcing predicts, else
    "no" (argmax against argmax, as the tab compares them)."""
    model, text, _ = _char(v)
    d = decodings(model, text, read(STEP.temperature, v["temperature"]), step.SAMPLE_SEED)
    return "yes" if d.parted_at is None else "no"


# -- the Topologies tab --------------------------------------------------------------------------
def _topology(v: Values) -> topologies.Settings:
    return topologies.settings(v["topology"], v["cell"], v["num_layers"], v["dropout"],
                               v["bidirectional"])


def _module_run(v: Values, batch_first: bool) -> tuple[tuple, tuple]:
    """The shapes the tab's code prints: its module (``build_model`` of these settings, seed 0,
    as ``pytorch_code`` builds it) run on zeros of (seq_len, 3, input_size), or batch-first."""
    s = _topology(v)
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    model = build_model(s.config(task), seed=0).eval()
    module = model.generator_rnn if s.topology == "one_to_many" else (
        model.encoder if s.topology == "encoder_decoder" else model.rnn)
    seq_len, batch = len(task.parse(v["text"])), 3
    shape = (batch, seq_len, module.input_size) if batch_first else (
        seq_len, batch, module.input_size)
    was = module.batch_first
    module.batch_first = batch_first
    try:
        with torch.no_grad():
            output, state = module(torch.zeros(shape))
    finally:
        module.batch_first = was
    h_n = state[0] if isinstance(state, tuple) else state
    return tuple(output.shape), tuple(h_n.shape)


def _shape(shape: tuple) -> str:
    return str(tuple(shape))


@_measure("topologies.output_shape", "topologies")
def output_shape(v: Values) -> str:
    """output.shape of the tab's recurrent module, batch_first=False, batch 3: "(5, 3, 32)"."""
    return _shape(_module_run(v, False)[0])


@_measure("topologies.output_shape_batch_first", "topologies")
def output_shape_batch_first(v: Values) -> str:
    """output.shape of the same module with batch_first=True."""
    return _shape(_module_run(v, True)[0])


@_measure("topologies.h_n_shape_batch_first", "topologies")
def h_n_shape_batch_first(v: Values) -> str:
    """h_n.shape of the module with batch_first=True (h_n is never batch-first)."""
    return _shape(_module_run(v, True)[1])


@_measure("topologies.outputs", "topologies")
def outputs(v: Values) -> float:
    """How many outputs the tab's shipped (or untrained) model writes for the link's input."""
    s = _topology(v)
    model = topologies.choose_model(s, None).model
    return float(len(topologies.compute_view(s, v["text"], model).prediction))


# -- the Seq2seq tab -----------------------------------------------------------------------------
def _pair(v: Values) -> dict:
    """The two shipped models the tab shows, with their curves (``handlers.models``)."""
    if read(SEQ2SEQ.source, v["source"]) != "shipped":
        raise ValueError("a lesson reads the shipped models (source=shipped)")
    return seq2seq.models(read(SEQ2SEQ.task, v["task"]),
                          read(SEQ2SEQ.attention, v["attention"]), "shipped", None)


def _digits(v: Values) -> torch.Tensor:
    return encode_digits(v["digits"])


def _at_length(v: Values, which: int) -> float:
    m, S = _pair(v), _digits(v).shape[1]
    if S not in m["lengths"]:
        raise ValueError(f"no accuracy was measured for sources of {S} digits")
    return float(m["by_length"][which][m["lengths"].index(S)])


@_measure("seq2seq.plain_accuracy_at_length", "seq2seq")
def plain_accuracy_at_length(v: Values) -> float:
    """The plain model's per-token accuracy (%) on sources as long as the link's digits (the
    curve against source length)."""
    return _at_length(v, 0)


@_measure("seq2seq.attention_accuracy_at_length", "seq2seq")
def attention_accuracy_at_length(v: Values) -> float:
    """The attention model's per-token accuracy (%) on sources as long as the link's digits."""
    return _at_length(v, 1)


def _at_position(v: Values, which: int) -> float:
    curve = _pair(v)["by_position"][which]
    t = read(SEQ2SEQ.t, v["t"])
    if t > len(curve):
        raise ValueError(f"the curve along the output has {len(curve)} positions")
    return float(curve[t - 1])


@_measure("seq2seq.plain_accuracy_at_position", "seq2seq")
def plain_accuracy_at_position(v: Values) -> float:
    """The plain model's accuracy (%) at output position t (the curve along the output)."""
    return _at_position(v, 0)


@_measure("seq2seq.attention_accuracy_at_position", "seq2seq")
def attention_accuracy_at_position(v: Values) -> float:
    """The attention model's accuracy (%) at output position t."""
    return _at_position(v, 1)


def _correct(v: Values, which: str) -> float:
    m, src = _pair(v), _digits(v)
    out = greedy_decode(m[which], src, src.shape[1]).tokens[0]
    return float((out == target_of(m["task"], src)[0]).sum())


@_measure("seq2seq.plain_correct", "seq2seq")
def plain_correct(v: Values) -> float:
    """How many of the link's digits the plain model writes right (the outputs table)."""
    return _correct(v, "plain")


@_measure("seq2seq.attention_correct", "seq2seq")
def attention_correct(v: Values) -> float:
    """How many of the link's digits the attention model writes right."""
    return _correct(v, "attention")


@_measure("seq2seq.attended_position", "seq2seq")
def attended_position(v: Values) -> float:
    """At output step t, the source position j (from 1) with the largest weight α_tj."""
    m, src = _pair(v), _digits(v)
    k = min(read(SEQ2SEQ.t, v["t"]), src.shape[1]) - 1
    return float(int(attention_steps(m["attention"], src)[k].weights.argmax()) + 1)


@_measure("seq2seq.parameters_ratio", "seq2seq")
def parameters_ratio(v: Values) -> float:
    """The attention model's parameter count over the plain one's."""
    m = _pair(v)
    return seq2seq.parameter_count(m["attention"]) / seq2seq.parameter_count(m["plain"])
