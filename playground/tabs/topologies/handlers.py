"""The Topologies tab: the five shapes of recurrent networks, folded and unrolled.

For each topology: a diagram drawn from the current settings, a real small model (shipped
pretrained, or trained here in the background) run on the user's input, the hidden state at
every step, and the PyTorch code with the shapes it really gives.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import torch
from torch import nn

from engine import (
    TASK_FOR_TOPOLOGY,
    TASKS,
    LimitError,
    ModelConfig,
    TopologyModel,
    TrainConfig,
    TrainRequest,
    build_model,
    get_task,
    load_checkpoint,
    manifest,
    train_job,
)
from engine.charlm import TextError
from engine.checkpoints import CHECKPOINT_DIR
from engine.limits import LIMITS
from engine.recipes import RECIPES
from engine.tasks import END, START, Task

from ... import plots
from ...controls import read, value_of
from ...i18n import count, lang_of, tr, words
from ...serving import (
    job_owner,
    jobs,
    keep_view,
    model_from_bytes,
    release_ticket,
    session_snapshot,
    shared_view,
    status_text,
)
from . import (
    figures,
    strings,  # noqa: F401 - registers this tab's text with playground.i18n
)
from .settings import EXAMPLES, SETTINGS

CELL_NAMES = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}


@dataclass(frozen=True)
class Settings:
    """What the user chose, checked (every handler goes through :func:`settings`)."""

    topology: str
    cell: str
    num_layers: int
    dropout: float
    bidirectional: bool

    def config(self, task: Task) -> ModelConfig:
        """The shipped models' hidden size for this task, with the user's other settings."""
        return ModelConfig.for_task(
            task, cell=self.cell, hidden_size=RECIPES[task.name][0], num_layers=self.num_layers,
            bidirectional=self.bidirectional,
            dropout=self.dropout if self.num_layers > 1 else 0.0).check()


def settings(topology: object, cell: object, num_layers: object, dropout: object,
             bidirectional: object) -> Settings:
    return Settings(read(SETTINGS.topology, topology), read(SETTINGS.cell, cell),
                    read(SETTINGS.num_layers, num_layers), read(SETTINGS.dropout, dropout),
                    read(SETTINGS.bidirectional, bidirectional))


# -- models ----------------------------------------------------------------------------------------
@lru_cache(maxsize=32)
def shipped(topology: str, cell: str) -> tuple[TopologyModel, dict]:
    """The pretrained model of this topology and cell, with its manifest entry."""
    task = TASK_FOR_TOPOLOGY[topology]
    for entry in manifest():
        if entry["task"] == task and entry["cell"] == cell:
            return load_checkpoint(CHECKPOINT_DIR / entry["file"]).model, entry
    raise FileNotFoundError(f"no shipped checkpoint for {task} / {cell}")


@dataclass(frozen=True)
class ModelChoice:
    model: TopologyModel
    source: str            # "shipped", "trained" or "untrained"
    accuracy: float | None
    steps: int | None


def trained_choice(s: Settings, ticket: str | None) -> ModelChoice | None:
    """This session's finished training run, if it was of these settings."""
    snap = session_snapshot(ticket)
    config = s.config(get_task(TASK_FOR_TOPOLOGY[s.topology]))
    if snap is None or snap.status != "done" or snap.request.model != config:
        return None
    model = model_from_bytes(ticket, config, snap.result["state_dict"])
    return ModelChoice(model, "trained", snap.result["accuracy"], snap.request.steps)


def choose_model(s: Settings, ticket: str | None) -> ModelChoice:
    """The user's trained model if it matches the settings, else the shipped one if it does,
    else an untrained model with these settings (so the diagram is still a real computation)."""
    trained = trained_choice(s, ticket)
    if trained is not None:
        return trained
    config = s.config(get_task(TASK_FOR_TOPOLOGY[s.topology]))
    model, entry = shipped(s.topology, s.cell)
    if model.config == config:
        return ModelChoice(model, "shipped", entry["accuracy"], entry["train_steps"])
    return ModelChoice(build_model(config, seed=0).eval(), "untrained", None, None)


# -- the computation behind the view ---------------------------------------------------------------
@dataclass(frozen=True)
class View:
    """Everything the tab shows for one input, computed from the model (tests check this)."""

    columns: list[figures.Column]
    hidden: list[tuple[str, np.ndarray, int]]  # (panel, (H, n_steps) values, first column)
    prediction: list[str]
    truth: list[str]
    vector_in: str | None


def _show(sym: str) -> str:
    return {END: "⟨end⟩", START: "⟨start⟩", "balanced": "✓", "unbalanced": "✗"}.get(sym, sym)


def compute_view(s: Settings, text: str, model: TopologyModel) -> View:
    """Run ``model`` on ``text`` and unroll its recurrent module(s) step by step."""
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    symbols = task.parse(text)
    run = model.unrolled(task.one_hot(symbols), task)
    truth = task.solve(symbols)
    pred = [task.out_vocab[k] for k in run.prediction]
    D = 2 if s.bidirectional else 1

    def panels(trace, prefix: str, first: int, dirs: int) -> list:
        out = []
        for layer in range(trace.hidden.shape[0]):
            for d in range(dirs):
                name = f"{prefix}layer {layer + 1}" + ("" if dirs == 1 else
                                                       (" →" if d == 0 else " ←"))
                out.append((name, trace.hidden[layer, d, 0].T.numpy(), first))
        return out

    if run.decoder_inputs is None:  # one output per input, or one at the end
        hidden = panels(run.steps, "", 0, D)
        if s.topology == "many_to_many":
            cols = [figures.Column(_show(a), _show(b)) for a, b in zip(symbols, pred)]
        else:
            cols = [figures.Column(_show(a), None) for a in symbols]
            cols[-1] = figures.Column(cols[-1].x, _show(pred[0]))
        return View(cols, hidden, pred, truth, None)
    # generating topologies: the decoder's steps, each reading the previous output
    cols_dec = [figures.Column(_show(task.out_vocab[i]), _show(p), "dec" if
                               s.topology == "encoder_decoder" else "main", feedback=k > 0)
                for k, (i, p) in enumerate(zip(run.decoder_inputs, pred))]
    if run.encoder is None:  # one-to-many
        return View(cols_dec, panels(run.steps, "", 0, 1), pred, truth, symbols[0])
    cols_enc = [figures.Column(_show(a), None, "enc") for a in symbols]
    hidden = panels(run.encoder, "encoder ", 0, D) + panels(run.steps, "decoder ", len(symbols), 1)
    return View(cols_enc + cols_dec, hidden, pred, truth, None)


def _fmt(v: np.ndarray, n: int = 8) -> str:
    vals = ", ".join(f"{x:+.2f}" for x in v[:n])
    return f"[{vals}{', …' if len(v) > n else ''}] (‖h‖ = {np.linalg.norm(v):.2f})"


def panel_label(name: str, lang: str) -> str:
    """"encoder layer 2 ←" in the user's language."""
    w = words(lang)
    for en, key in (("encoder", "fig_encoder"), ("decoder", "fig_decoder"), ("layer", "fig_layer")):
        name = name.replace(en, w[key])
    return name


def step_text(view: View, t: int, lang: str) -> str:
    lines = []
    for name, values, first in view.hidden:
        k = t - first
        if 0 <= k < values.shape[1]:
            lines.append(tr(lang, "ht_values", i=k + 1, t=t + 1, where=panel_label(name, lang),
                            values=_fmt(values[:, k])))
    return "\n\n".join(lines)


def diagram(s: Settings, view: View, t: int, lang: str) -> go.Figure:
    hover = {}
    for name, values, first in view.hidden:
        layer = int(name.split("layer ")[1].split()[0]) - 1
        d = 1 if name.endswith("←") else 0
        for k in range(values.shape[1]):
            hover[(first + k, layer, d)] = f"{name}, t={first + k + 1}<br>" + _fmt(values[:, k])
    texts = [step_text(view, k, lang) for k in range(len(view.columns))]
    return figures.topology_diagram(
        view.columns, s.num_layers, s.bidirectional and s.topology != "one_to_many",
        s.dropout if s.num_layers > 1 else 0.0, t, words(lang), hover, view.vector_in, texts)


def heatmap(view: View, t: int, lang: str) -> go.Figure:
    """Hidden states of every panel; step t outlined in the panel it belongs to (and every
    other step's outline carried for the browser)."""
    panels = [(panel_label(name, lang), values,
               [c.x or "" for c in view.columns[first:first + values.shape[1]]])
              for name, values, first in view.hidden]

    def marks(k: int) -> list[int | None]:
        """Each panel's own step at the view's step k (from 0), counting from 1."""
        return [k - first + 1 for _, _, first in view.hidden]

    return plots.hidden_heatmap(panels, t + 1, words(lang), marks(t),
                                [marks(k) for k in range(len(view.columns))])


def evaluated_on(task: Task, lang: str) -> str:
    """What the stated accuracy was measured on (see ``engine.train.evaluate``): held-out
    examples, or every possible input for a task whose inputs all appear in training."""
    everything = task.all_inputs()
    if everything is None:
        return tr(lang, "eval_heldout")
    return tr(lang, "eval_all", n=len(everything))


def model_text(s: Settings, choice: ModelChoice, view: View, lang: str) -> str:
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    metric = tr(lang, "metric_sequence" if task.generates else "metric_token")
    cfg = choice.model.config
    bi = tr(lang, "bi_suffix") if s.bidirectional else ""
    if choice.source == "shipped":
        head = tr(lang, "model_shipped", cell=CELL_NAMES[s.cell], hidden=cfg.hidden_size,
                  steps=choice.steps, acc=choice.accuracy, metric=metric,
                  on=evaluated_on(task, lang))
    elif choice.source == "trained":
        head = tr(lang, "model_trained", cell=CELL_NAMES[s.cell],
                  layers=count(lang, "n_layers", s.num_layers),
                  hidden=cfg.hidden_size, bi=bi, steps=choice.steps, acc=choice.accuracy,
                  metric=metric, on=evaluated_on(task, lang))
    else:
        head = tr(lang, "model_untrained", cell=CELL_NAMES[s.cell],
                  layers=count(lang, "n_layers", s.num_layers), bi=bi, seed=0,
                  train=tr(lang, "retrain"))
    right = view.prediction == view.truth
    inp = view.vector_in or " ".join(c.x for c in view.columns if c.phase != "dec" and c.x)
    result = tr(lang, "result_line", inp=inp, pred=" ".join(_show(p) for p in view.prediction),
                truth=" ".join(_show(p) for p in view.truth),
                mark=tr(lang, "right" if right else "wrong"))
    return head + "\n\n" + result


def pytorch_code(s: Settings, seq_len: int, lang: str, batch: int = 3,
                 out_len: int | None = None) -> str:
    """The code that builds this model, with the shapes that running it really prints.

    Every printed shape comes from running this topology's real model (``build_model`` of
    these settings): its recurrent module, read with ``batch_first`` either way (the same
    weights), the bridge and decoder of an encoder-decoder, the ``init`` layer of one-to-many.
    Comments are in the user's language; the code stays code.
    """
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    cfg = s.config(task)
    model = build_model(cfg, seed=0).eval()
    module = model.generator_rnn if s.topology == "one_to_many" else (
        model.encoder if s.topology == "encoder_decoder" else model.rnn)
    lines = ["import torch", "import torch.nn as nn", ""]
    lines += _module_code(s, cfg, module, seq_len, batch, lang)
    x = torch.zeros(batch, seq_len, cfg.input_size)
    if s.topology in ("one_to_one", "many_to_one", "many_to_many"):
        key = {"one_to_one": "code_head_one", "many_to_one": "code_head_last",
               "many_to_many": "code_head_every"}[s.topology]
        D = 2 if module.bidirectional else 1
        lines.append(f"head = nn.Linear({D * cfg.hidden_size}, {cfg.output_size})  "
                     + _comment(lang, key))
    elif s.topology == "one_to_many":
        lines += _init_code(s, cfg, model, x, lang)
    else:
        lines += _decoder_code(s, cfg, model, x, out_len or task.max_out_len, lang)
    return "\n".join(lines)


def _comment(lang: str, key: str, **kw) -> str:
    """A comment line of the shown code, in the user's language."""
    return "# " + tr(lang, key, **kw)


def _module_code(s: Settings, cfg: ModelConfig, module: nn.RNNBase, seq_len: int, batch: int,
                 lang: str) -> list[str]:
    """The recurrent module built and run both ways: x of (seq_len, batch, input_size) by
    default, (batch, seq_len, input_size) with ``batch_first=True``."""
    cls, H, L = CELL_NAMES[s.cell], cfg.hidden_size, cfg.num_layers
    input_size = module.input_size
    args = f"input_size={input_size}, hidden_size={H}, num_layers={L}"
    if L > 1 and cfg.dropout > 0:
        args += f", dropout={cfg.dropout}"
    args += f", bidirectional={module.bidirectional}"
    name = {"encoder_decoder": "encoder"}.get(s.topology, "rnn")
    outs = "output, (h_n, c_n)" if s.cell == "lstm" else "output, h_n"
    lines = []
    for batch_first in (False, True):
        shape = (batch, seq_len, input_size) if batch_first else (seq_len, batch, input_size)
        mod = copy.deepcopy(module)  # the real module's weights, read either way
        mod.batch_first = batch_first
        with torch.no_grad():
            output, state = mod(torch.zeros(shape))
        h_n = state[0] if isinstance(state, tuple) else state
        lines += [_comment(lang, "code_comment_bf" if batch_first else "code_comment_default"),
                  f"{name} = {cls}({args}" + (", batch_first=True)" if batch_first else ")"),
                  f"x = torch.zeros{shape}",
                  f"{outs} = {name}(x)",
                  f"print(output.shape)  # {tuple(output.shape)}",
                  f"print(h_n.shape)     # {tuple(h_n.shape)}: " + tr(lang, "code_hn_note"), ""]
    return lines


def _init_code(s: Settings, cfg: ModelConfig, model: TopologyModel, x: torch.Tensor,
               lang: str) -> list[str]:
    """One-to-many: a linear layer turns the input vector into every layer's h_0."""
    H, L, batch = cfg.hidden_size, cfg.num_layers, x.shape[0]
    with torch.no_grad():
        state = model.initial_state(x)
    h0 = state[0] if isinstance(state, tuple) else state
    lines = [_comment(lang, "code_init_intro"),
             f"init = nn.Linear({cfg.input_size}, {L * H})  " + _comment(lang, "code_init", L=L),
             f"v = torch.zeros({batch}, {cfg.input_size})  " + _comment(lang, "code_vector"),
             f"h_0 = torch.tanh(init(v)).view({batch}, {L}, {H}).transpose(0, 1)",
             f"print(h_0.shape)     # {tuple(h0.shape)}: (num_layers, batch, hidden_size)"]
    if s.cell == "lstm":
        lines.append("c_0 = torch.zeros_like(h_0)")
    lines.append(f"head = nn.Linear({H}, {cfg.output_size})  " + _comment(lang, "code_head_gen"))
    return lines


def _decoder_code(s: Settings, cfg: ModelConfig, model: TopologyModel, x: torch.Tensor,
                  out_len: int, lang: str) -> list[str]:
    """Encoder-decoder: the decoder starts from the encoder's final state (joined through a
    bridge when the encoder reads both ways) and reads ``out_len`` steps."""
    cls, H, L, batch = CELL_NAMES[s.cell], cfg.hidden_size, cfg.num_layers, x.shape[0]
    lstm = s.cell == "lstm"
    with torch.no_grad():
        state = model.initial_state(x)
        output, _ = model.decoder(torch.zeros(batch, out_len, cfg.output_size), state)
    h0 = state[0] if isinstance(state, tuple) else state
    if model.bridge is not None:
        lines = [_comment(lang, "code_bridge_intro", L2=2 * L, L=L,
                          layers=count(lang, "n_layers", L)),
                 f"bridge = nn.Linear({2 * H}, {H})",
                 "def join(s):  " + _comment(lang, "code_join", L2=2 * L, L=L),
                 f"    s = s.view({L}, 2, s.shape[1], {H})  " + _comment(lang, "code_join_view"),
                 "    return torch.tanh(bridge(torch.cat([s[:, 0], s[:, 1]], -1)))",
                 "h_0, c_0 = join(h_n), join(c_n)" if lstm else "h_0 = join(h_n)"]
    else:
        lines = [_comment(lang, "code_context"), "h_0, c_0 = h_n, c_n" if lstm else "h_0 = h_n"]
    dec_state = "(h_0, c_0)" if lstm else "h_0"
    dec_outs = "output, (h, c)" if lstm else "output, h"
    return lines + [
        f"print(h_0.shape)     # {tuple(h0.shape)}: (num_layers, batch, hidden_size)",
        f"decoder = {cls}(input_size={cfg.output_size}, hidden_size={H}, num_layers={L}, "
        "batch_first=True)",
        f"y_in = torch.zeros({batch}, {out_len}, {cfg.output_size})  "
        + _comment(lang, "code_y_in"),
        f"{dec_outs} = decoder(y_in, {dec_state})",
        f"print(output.shape)  # {tuple(output.shape)}",
        f"head = nn.Linear({H}, {cfg.output_size})  " + _comment(lang, "code_head_gen")]


# -- handlers --------------------------------------------------------------------------------------
# The most columns a view can have (an input and its generated output): a step past them
# shows the last one, and is cached as that step.
MAX_COLUMNS = max(task.max_len + task.max_out_len for task in TASKS.values())


def _checked(topology, cell, num_layers, dropout, bidirectional, text, t, lang):
    """Every input checked, and each in the one form the caches and figures see: the settings,
    a text of at most ``LIMITS.max_text_len`` characters (the task checks its symbols), a step
    within the view's reach, and a known language (anything else reads as English)."""
    s = settings(topology, cell, num_layers, dropout, bidirectional)
    if not isinstance(text, str):
        raise LimitError("text", text, expected="a string")
    if len(text) > LIMITS.max_text_len:
        raise TextError("long", len(text))
    if isinstance(t, bool) or not isinstance(t, (int, float)) or (
            isinstance(t, float) and not t.is_integer()):  # not float(t): a huge int overflows
        raise LimitError("t", t, expected="a whole number")
    # a step before the first or after the last shows that end (the slider's range follows
    # the view, so a range message would name a stale number)
    return s, text, min(max(1, int(t)), MAX_COLUMNS), lang_of(lang)


def _view(render, shared, topology, cell, num_layers, dropout, bidirectional, text, t, ticket,
          lang) -> tuple:
    """Check the input, then draw with this session's trained model, or take the view that
    every session shares (shipped or untrained weights) from the cache."""
    s, text, t, lang = _checked(topology, cell, num_layers, dropout, bidirectional, text, t, lang)
    trained = trained_choice(s, ticket)
    if trained is not None:
        return render(s, trained, text, t, lang)
    return shared(s, text, t, lang)


@keep_view
def show(topology: str, cell: str, num_layers: float, dropout: float, bidirectional: bool,
         text: str, t: float, ticket: str | None, lang: str):
    """Everything the tab shows: diagram, hidden states, step values, model, code, text."""
    return _view(_render, _show_shared, topology, cell, num_layers, dropout, bidirectional, text,
                 t, ticket, lang)


@shared_view(maxsize=256)
def _show_shared(s: Settings, text: str, t: int, lang: str) -> tuple:
    """Shipped and untrained models answer every session alike: a classroom pressing the same
    buttons costs one computation, not sixty."""
    return _render(s, choose_model(s, None), text, t, lang)


def _render(s: Settings, choice: ModelChoice, text: str, t: int, lang: str) -> tuple:
    view = compute_view(s, text, choice.model)
    n = len(view.columns)
    t = min(t, n)  # steps count from 1: h_0 is the initial state
    seq_len = sum(1 for c in view.columns if c.phase != "dec")
    out_len = sum(1 for c in view.columns if c.phase == "dec") or None
    figs = _kept_zoom((diagram(s, view, t - 1, lang), heatmap(view, t - 1, lang)), s, text)
    return (*figs, step_text(view, t - 1, lang), model_text(s, choice, view, lang),
            pytorch_code(s, seq_len, lang, out_len=out_len), tr(lang, "explain_" + s.topology),
            gr.Slider(minimum=1, maximum=max(n, 2), value=t, interactive=n > 1))


def _kept_zoom(figs: tuple, s: Settings, text: str) -> tuple:
    """Same settings and input: keep the user's zoom while only the highlighted step moves."""
    for fig in figs:
        fig.update_layout(uirevision=repr((s, text)))
    return figs


@keep_view
def step(topology: str, cell: str, num_layers: float, dropout: float, bidirectional: bool,
         text: str, t: float, ticket: str | None, lang: str):
    """Move to step t: the diagram's highlight, the heatmap's outline, and h_t's values."""
    return _view(_step, _step_shared, topology, cell, num_layers, dropout, bidirectional, text,
                 t, ticket, lang)


@shared_view(maxsize=512)
def _step_shared(s: Settings, text: str, t: int, lang: str) -> tuple:
    return _step(s, choose_model(s, None), text, t, lang)


def _step(s: Settings, choice: ModelChoice, text: str, t: int, lang: str) -> tuple:
    view = compute_view(s, text, choice.model)
    k = min(t, len(view.columns)) - 1
    figs = _kept_zoom((diagram(s, view, k, lang), heatmap(view, k, lang)), s, text)
    return (*figs, step_text(view, k, lang))


def example_for(topology: str) -> tuple[str, dict]:
    """A new topology's example input, and the Bidirectional box: a one-to-many model reads its
    own previous outputs (autoregressive), so it has no backward direction to offer."""
    key = value_of(SETTINGS.topology, topology)
    if key == "one_to_many":
        return EXAMPLES[key], gr.update(value=False, interactive=False)
    return EXAMPLES.get(key, ""), gr.update(interactive=True)


def dropout_control(num_layers: object) -> dict:
    """PyTorch applies ``dropout`` only between stacked layers: with one layer it does nothing,
    so the slider is only active with more than one."""
    return gr.update(interactive=isinstance(num_layers, (int, float)) and num_layers > 1)


@keep_view
def start_training(topology: str, cell: str, num_layers: float, dropout: float,
                   bidirectional: bool, steps: float, seed: float, ticket: str | None,
                   lang: str):
    """Start (or join) training of these settings in the background.

    Returns the ticket twice (the session's State, and a string for scripts to pass to
    ``/training_status``), the status text, the loss figure, and the polling timer.
    """
    s = settings(topology, cell, num_layers, dropout, bidirectional)
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    train = TrainConfig(steps=read(SETTINGS.steps, steps), batch_size=32, lr=0.01,
                        seed=read(SETTINGS.seed, seed)).check()
    new = jobs().submit(train_job, TrainRequest(task.name, s.config(task), train, train.seed),
                        owner=job_owner("topologies"))
    release_ticket(ticket)  # one job per session: a new request replaces the old one
    status, fig, _ = poll(new, lang)
    return new, new, status, fig, gr.Timer(active=True)


def poll(ticket: str | None, lang: str):
    """Progress of this session's job: status text, loss curve, and whether to keep polling."""
    if not isinstance(ticket, str):
        return tr(lang, "job_none"), plots.loss_curve([], words(lang)), gr.Timer(active=False)
    snap = session_snapshot(ticket)
    if snap is None:
        return tr(lang, "err_job"), plots.loss_curve([], words(lang)), gr.Timer(active=False)
    losses = [m.loss for m in snap.progress]

    def running() -> str:
        others = snap.shared_with - 1
        shared = tr(lang, "job_shared", people=count(lang, "n_people", others)) if others else ""
        return tr(lang, "job_running", step=len(losses), total=snap.request.steps,
                  loss=losses[-1], shared=shared)

    text = status_text(snap, lang, running, done=lambda: tr(
        lang, "job_done", acc=snap.result["accuracy"],
        on=evaluated_on(get_task(snap.request.task), lang)))
    fig = plots.loss_curve(losses, words(lang))
    # only a finished job stops the timer: a poll in flight never restarts one that Cancel
    # (or a newer job) has stopped
    return text, fig, gr.Timer(active=False) if snap.finished else gr.skip()


def watch(ticket: str | None, lang: str, shown: str | None):
    """The training timer's tick: :func:`poll`, sending the status and loss plot only when they
    changed (``shown`` is the status text the page shows now). The status text names the step,
    the loss and the state, so an unchanged text means an unchanged curve."""
    text, fig, timer = poll(ticket, lang)
    if text == shown:
        return gr.skip(), gr.skip(), timer
    return text, fig, timer


def cancel(ticket: str | None, lang: str):
    release_ticket(ticket)
    return None, tr(lang, "job_cancelled"), gr.Timer(active=False)



def _show_when_done(*args):
    """After a poll: redraw with the trained model once its job has just finished."""
    snap = session_snapshot(args[7])
    if snap is not None and snap.status == "done":
        return show(*args)
    return (gr.skip(),) * 7
