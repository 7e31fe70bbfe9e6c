"""The Step-through-time tab: watch an RNN read "hello", one character at a time.

Every number on screen is a term of h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), computed
from the real module's weights by ``engine.charlm.step_numbers``.
"""

from __future__ import annotations

from functools import lru_cache

import gradio as gr
import numpy as np
import plotly.graph_objects as go
import torch

from engine import Checkpoint, load_checkpoint, seeding
from engine.charlm import (
    CharConfig,
    CharModel,
    CharTrainRequest,
    Decodings,
    StepNumbers,
    all_step_numbers,
    build_char_model,
    char_train_job,
    decodings,
    forward_blur,
    load_state,
    step_losses,
    step_numbers,
    unroll,
)
from engine.checkpoints import CHECKPOINT_DIR
from engine.limits import LimitError

from ... import plots
from ...controls import read
from ...i18n import count, lang_of, tr, words
from ...serving import (
    job_owner,
    jobs,
    keep_view,
    release_ticket,
    session_snapshot,
    shared_view,
    status_text,
)
from . import (
    figures,
    strings,  # noqa: F401 - registers this tab's text with playground.i18n
)
from .settings import SETTINGS

CELL_NAMES = {"rnn": "nn.RNN", "lstm": "nn.LSTM", "gru": "nn.GRU"}
PRETRAINED = {"text": "hello", "hidden_size": 4}
TRAIN_LR, SEED = 0.05, 4
TEMPERATURE = (SETTINGS.temperature.low, SETTINGS.temperature.high)
SAMPLE_SEED = 0  # sampling draws from a private generator with this seed: same text, same draws


FIRST_INFO = ("a character of `text` to read in place of its first character (forward "
              "blurring); any other value is replaced by the first character of the text's "
              "vocabulary that differs from text[0]")
TEMPERATURE_INFO = (f"sampling temperature T, from {TEMPERATURE[0]} to {TEMPERATURE[1]} (near 0 "
                    "sampling is greedy); teacher forcing and greedy generation do not depend "
                    "on it")


def documented(component: gr.components.Component, json_type: str, text: str):
    """``component``, described in the API by what it accepts: gradio would list a dropdown's
    first choices as its only allowed values, though the choices follow the text. Set on the
    instance: a subclass of a gradio component makes gradio write a .pyi stub beside us."""
    info = {"type": json_type, "description": text, "additional_description": text}
    component.api_info = lambda: info
    return component


def config(text: object, cell: object, hidden_size: object, num_layers: object = 1
           ) -> CharConfig:
    return CharConfig(text=text, cell=read(SETTINGS.cell, cell),
                      hidden_size=read(SETTINGS.hidden_size, hidden_size),
                      num_layers=read(SETTINGS.num_layers, num_layers)).check()


@lru_cache(maxsize=8)
def _checkpoint(name: str) -> Checkpoint:
    return load_checkpoint(CHECKPOINT_DIR / name)


def trained(cfg: CharConfig, ticket: str | None) -> tuple[CharModel, str, dict] | None:
    """This session's training run of these settings, at its latest saved weights."""
    snap = session_snapshot(ticket)
    if snap is None or snap.request.config != cfg:
        return None
    states = [m for m in snap.progress if m.state is not None]
    if not states:
        return None
    m = states[-1]
    model = load_state(seeding.empty(lambda: CharModel(cfg)), m.state)
    return model, "trained", {"step": m.step, "total": snap.request.steps, "loss": m.loss}


def choose(cfg: CharConfig, weights: str, ticket: str | None) -> tuple[CharModel, str, dict]:
    """The model to show: this session's training run (its latest weights) if it matches,
    else the shipped weights if asked for and they exist, else random weights."""
    mine = trained(cfg, ticket)
    if mine is not None:
        return mine
    source = available(cfg, weights)
    if source == "pretrained":
        ckpt = _checkpoint(f"char_hello_{cfg.cell}_h4.pt")
        return ckpt.model, "pretrained", ckpt.meta
    if source == "early":
        ckpt = _checkpoint("char_hello_rnn_h4_step2.pt")
        return ckpt.model, "early", ckpt.meta
    return build_char_model(cfg, SEED), "random", {}


WEIGHTS = SETTINGS.weights.choices


def available(cfg: CharConfig, weights: str) -> str:
    """The weights asked for if shipped ones fit these settings ("hello", hidden 4, one layer;
    the early checkpoint only for the RNN), else "random"."""
    shipped = (cfg.text == PRETRAINED["text"] and cfg.hidden_size == PRETRAINED["hidden_size"]
               and cfg.num_layers == 1)
    if weights == "pretrained" and shipped:
        return "pretrained"
    if weights == "early" and shipped and cfg.cell == "rnn":
        return "early"
    return "random"


def weights_shown(text: str, cell: str, hidden_size: float, num_layers: float, weights: str):
    """The weights radio says what the view shows: "random" where no shipped weights fit."""
    try:
        return available(config(text, cell, hidden_size, num_layers), str(weights))
    except Exception:  # bad settings: the view's own handler says what is wrong
        return gr.skip()


def _vec(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy().astype(float)


def equation_figure(model: CharModel, text: str, t: int, concat: bool, lang: str,
                    numbers: list[StepNumbers] | None = None,
                    texts: list[str] | None = None) -> go.Figure:
    """Step ``t``'s terms, left to right (or in the concatenated form W [h; x] + b), with
    every other step's (and ``texts``, one a step) carried for the browser."""
    numbers = numbers or all_step_numbers(model, text)
    w = words(lang)
    V = list(model.vocab.symbols)
    H = model.rnn.hidden_size
    shown = [repr(c)[1:-1] or " " for c in V]
    if concat and model.config.cell == "rnn":
        W = torch.cat([model.rnn.weight_hh_l0, model.rnn.weight_ih_l0], 1).detach().numpy()
        labels = [f"h{j}" for j in range(H)] + [f"x:{c}" for c in shown]
        return figures.matrix_steps(
            W, [np.concatenate([_vec(n.h_prev), _vec(n.x_t)]) for n in numbers],
            _vec(numbers[0].b_ih + numbers[0].b_hh), [_vec(n.a_t) for n in numbers], labels,
            [w["fig_concat_title"].format(t=n.t + 1) for n in numbers], t, texts)
    steps = [_equation_columns(model, n, shown) for n in numbers]
    return figures.equation_steps([cols for cols, _ in steps], steps[0][1],
                                  [w["fig_eq_title"].format(t=n.t + 1) for n in numbers], w, t,
                                  texts)


def _equation_columns(model: CharModel, n: StepNumbers, shown: list[str]
                      ) -> tuple[list, list[str]]:
    """One step's terms as the equation figure's columns, and the operators between them."""
    units = None  # unit j is row j of every hidden-sized column
    if model.config.cell == "rnn":
        cols = [("x_t", _vec(n.x_t), shown), ("h_(t-1)", _vec(n.h_prev), units),
                ("W_ih x_t", _vec(n.W_ih_x), None), ("b_ih", _vec(n.b_ih), None),
                ("W_hh h_(t-1)", _vec(n.W_hh_h), None), ("b_hh", _vec(n.b_hh), None),
                ("a_t", _vec(n.a_t), None),
                (f"h_t =<br>{model.rnn.nonlinearity}(a_t)", _vec(n.h_t), None)]
        ops = [";", "→", "+", "+", "+", "=", "→"]
    elif model.config.cell == "lstm":
        g = {k: _vec(v) for k, v in n.gates.items()}
        cols = [("x_t", _vec(n.x_t), shown), ("h_(t-1)", _vec(n.h_prev), units),
                ("i", g["i"], None), ("f", g["f"], None), ("g", g["g"], None),
                ("o", g["o"], None), ("c_(t-1)", _vec(n.c_prev), None), ("c_t", _vec(n.c_t), None),
                ("h_t", _vec(n.h_t), None)]
        ops = [";", "→", " ", " ", " ", " ", "→", "→"]
    else:
        g = {k: _vec(v) for k, v in n.gates.items()}
        cols = [("x_t", _vec(n.x_t), shown), ("h_(t-1)", _vec(n.h_prev), units),
                ("r", g["r"], None), ("z", g["z"], None), ("n", g["n"], None),
                ("h_t", _vec(n.h_t), None)]
        ops = [";", "→", " ", " ", "→"]
    # the output: logits over the vocabulary, from the top layer's h_t
    return cols + [("y_t =<br>W_hy h_t<br>+ b_y", _vec(n.logits), shown)], ops + ["→"]


def _losses(model: CharModel, text: str) -> list[float]:
    return step_losses(model, text).tolist()


def prediction_figure(model: CharModel, text: str, t: int, lang: str,
                      numbers: list[StepNumbers] | None = None) -> go.Figure:
    """Step ``t``'s softmax and every step's loss, with every other step carried along."""
    numbers = numbers or all_step_numbers(model, text)
    return figures.prediction_steps(list(model.vocab.symbols), [_vec(n.probs) for n in numbers],
                                    [n.target_char for n in numbers], _losses(model, text), t,
                                    words(lang))


def hidden_figure(model: CharModel, text: str, t: int, lang: str) -> go.Figure:
    """Every layer's h_t up to step ``t``: the future is not computed yet (the figure carries
    it for the browser, which shows it step by step)."""
    with torch.no_grad():
        trace = unroll(model.rnn, model.vocab.one_hot(text))
    values = trace.hidden[:, 0, 0].numpy()  # (layers, T, H)
    panels = [(f"{words(lang)['fig_layer']} {k + 1}", values[k].T, list(text))
              for k in range(values.shape[0])]
    return plots.hidden_heatmap(panels, t + 1, words(lang), [t + 1] * len(panels),
                                [[s + 1] * len(panels) for s in range(len(text))], reveal=True)


def units_figure(model: CharModel, text: str, lang: str) -> go.Figure:
    """Every unit's h_t over the whole text, the characters written in the cells: which
    characters make each unit fire (Karpathy's interpretable units, on a small scale)."""
    with torch.no_grad():
        hidden = unroll(model.rnn, model.vocab.one_hot(text)).hidden[:, 0, 0]  # (L, T, H)
    rows = [(f"{words(lang)['fig_layer']} {k + 1}", hidden[k].T.numpy())
            for k in range(hidden.shape[0])]
    return figures.unit_activations(rows, list(text), words(lang))


def _sym(text: str) -> str:
    """Characters as a reader can see them in bold or code: a space becomes ␣."""
    return "".join("␣" if c == " " else repr(c)[1:-1] if not c.isprintable() else c
                   for c in text)


def step_text(model: CharModel, text: str, t: int, source: str, info: dict, lang: str,
              n: StepNumbers | None = None) -> str:
    """What step ``t`` reads, predicts and loses, under a line on the model shown."""
    n = n or step_numbers(model, text, t)
    cell = CELL_NAMES[model.config.cell]
    if source == "pretrained":
        head = tr(lang, "st_model_pretrained", cell=cell, hidden=model.config.hidden_size,
                  text=model.config.text, steps=info["train"]["steps"], acc=info["accuracy"])
    elif source == "early":
        head = tr(lang, "st_model_early", cell=cell, steps=info["train"]["steps"])
    elif source == "trained":
        head = tr(lang, "st_model_trained", cell=cell, **info)
    else:
        head = tr(lang, "st_model_random", cell=cell, seed=SEED)
    k = model.vocab.symbols.index(n.x_char)
    if n.target_char is None:
        body = tr(lang, "st_step_last", t=t + 1, x=_sym(n.x_char), pred=_sym(n.pred_char))
    else:
        body = tr(lang, "st_step", t=t + 1, x=_sym(n.x_char), k=k, target=_sym(n.target_char),
                  pred=_sym(n.pred_char), p=float(n.probs.max()), loss=f"{n.loss_t:.3f}")
    extra = ""
    if model.config.cell in ("lstm", "gru"):
        extra = "\n\n" + tr(lang, f"st_gates_{model.config.cell}", t=t + 1)
    if model.config.num_layers > 1:
        layers = "\n".join(f"- {words(lang)['fig_layer']} {k + 1}: "
                           + ", ".join(f"{v:+.2f}" for v in n.h_layers[k].tolist())
                           for k in range(model.config.num_layers))
        extra += "\n\n" + tr(lang, "st_layers", t=t + 1) + "\n" + layers
    return head + "\n\n" + body + extra


# -- handlers ----------------------------------------------------------------------------------
@keep_view
def show_step(text: str, cell: str, hidden_size: float, num_layers: float, weights: str,
              concat: bool, t: float, ticket: str | None, lang: str):
    """Everything at step t: the equation, the prediction and losses, the hidden states."""
    cfg = config(text, cell, hidden_size, num_layers)
    k = min(read(SETTINGS.t, t), len(cfg.text)) - 1
    weights, concat = read(SETTINGS.weights, weights), read(SETTINGS.concat, concat)
    lang = lang_of(lang)
    mine = trained(cfg, ticket)
    if mine is not None:
        return _render_step(*mine, cfg, weights, concat, k, lang)
    return _step_shared(cfg, weights, concat, k, lang)


@shared_view(maxsize=512)
def _step_shared(cfg: CharConfig, weights: str, concat: bool, k: int, lang: str) -> tuple:
    """Shipped and random weights give every session the same view: computed once."""
    return _render_step(*choose(cfg, weights, None), cfg, weights, concat, k, lang)


def _render_step(model: CharModel, source: str, info: dict, cfg: CharConfig, weights: str,
                 concat: bool, k: int, lang: str) -> tuple:
    """The view at step k, carrying every step of the text: the browser steps through them
    with no request (``playground.stepping``)."""
    numbers = all_step_numbers(model, cfg.text)
    texts = [step_text(model, cfg.text, n.t, source, info, lang, n) for n in numbers]
    figs = (equation_figure(model, cfg.text, k, bool(concat), lang, numbers, texts),
            prediction_figure(model, cfg.text, k, lang, numbers),
            hidden_figure(model, cfg.text, k, lang))
    for fig in figs:  # moving t (or training) keeps the user's zoom; new settings reset it
        fig.update_layout(uirevision=repr((cfg, weights, bool(concat))))
    return (*figs, texts[k], gr.Slider(minimum=1, maximum=len(cfg.text), value=k + 1))


@keep_view
def compare(text: str, cell: str, hidden_size: float, num_layers: float, weights: str,
            temperature: float, first: str, ticket: str | None, lang: str):
    """Teacher forcing against greedy generation (argmax against argmax), with sampling at
    ``temperature`` beside them; forward blurring; and the per-unit view."""
    return _compare(text, cell, hidden_size, num_layers, weights, temperature, first, ticket,
                    lang)[:4]


@keep_view
def compare_view(text: str, cell: str, hidden_size: float, num_layers: float, weights: str,
                 temperature: float, first: str, ticket: str | None, lang: str):
    """What the page shows: :func:`compare`'s outputs and the forward-blurring explanation
    (kept out of the public endpoint, whose outputs stay as they were)."""
    return _compare(text, cell, hidden_size, num_layers, weights, temperature, first, ticket,
                    lang)


def compare_typing(text: str, cell: str, hidden_size: float, num_layers: float, weights: str,
                   temperature: object, first: str, ticket: str | None, lang: str):
    """The temperature box as it is typed in (or moved with the arrow keys): a number in range
    redraws; anything else may be a number half typed, so it waits for Enter to be judged."""
    try:
        ok = TEMPERATURE[0] <= float(temperature) <= TEMPERATURE[1]
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok:
        return (gr.skip(),) * 5
    return compare_view(text, cell, hidden_size, num_layers, weights, temperature, first, ticket,
                        lang)


def check_temperature(value: object, lang: str) -> float:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise gr.Error(tr(lang, "st_temp_empty", low=TEMPERATURE[0], high=TEMPERATURE[1]),
                       print_exception=False)
    return read(SETTINGS.temperature, value)


def check_first(first: object, text: str) -> str:
    """``first`` as the caches see it: a character of ``text``, or "" for the default (the
    vocabulary's first character that differs from text[0]), which a character the text does
    not have (the documented "any other value") or no value (None, "") also gets. Anything
    but one character is refused."""
    if first is None:
        return ""
    if not isinstance(first, str) or len(first) > 1:
        raise LimitError("first", first, expected="one character of the text")
    return first if first in text else ""


def _compare(text: str, cell: str, hidden_size: float, num_layers: float, weights: str,
             temperature: float, first: str, ticket: str | None, lang: str) -> tuple:
    cfg = config(text, cell, hidden_size, num_layers)
    lang = lang_of(lang)
    temp = check_temperature(temperature, lang)
    weights = read(SETTINGS.weights, weights)
    first = check_first(first, cfg.text)
    mine = trained(cfg, ticket)
    if mine is not None:
        return _render_compare(mine[0], cfg, temp, first, lang)
    return _compare_shared(cfg, weights, temp, first, lang)


@shared_view(maxsize=256)
def _compare_shared(cfg: CharConfig, weights: str, temp: float, first: str, lang: str) -> tuple:
    return _render_compare(choose(cfg, weights, None)[0], cfg, temp, first, lang)


def decoding_text(text: str, d: Decodings, lang: str) -> str:
    """Teacher forcing against greedy generation, then sampling as sampling."""
    md = tr(lang, "st_tf", inp=_sym(text[:-1]), tf=_sym(d.teacher_forced), start=_sym(text[0]),
            greedy=_sym(d.greedy))
    if d.parted_at is None:
        md += "\n\n" + tr(lang, "st_tf_same")
    else:
        # greedy read the same characters as teacher forcing until one of its outputs was wrong
        w = next(k for k in range(d.parted_at) if d.greedy[k] != text[k + 1])
        md += "\n\n" + tr(lang, "st_tf_part", t=d.parted_at + 1, w=w + 1,
                           wrong=_sym(d.greedy[w]), right=_sym(text[w + 1]))
    md += "\n\n" + tr(lang, "st_sample", temp=f"{d.temperature:g}", seed=d.seed,
                       start=_sym(text[0]), sampled=_sym(d.sampled))
    md += " " + (tr(lang, "st_sample_same") if d.sample_parted_at is None
                 else tr(lang, "st_sample_part", t=d.sample_parted_at + 1))
    return md


def _percent(r: float) -> str:
    return f"{100 * r:.0f}%" if r >= 0.1 else f"{100 * r:.2g}%"


def blur_text(cfg: CharConfig, diffs: np.ndarray, lang: str) -> str:
    """What the measured ||h_t - h'_t|| show, said only as far as they show it, and how this
    cell carries a difference forwards."""
    if not np.any(diffs > 0):
        return tr(lang, "st_blur_same")
    values = ", ".join(f"{d:.3g}" for d in diffs)
    grows = [t + 1 for t in range(1, len(diffs)) if diffs[t] >= diffs[t - 1]]
    pct = _percent(float(diffs[-1] / diffs[0]))
    if not grows:
        verdict = tr(lang, "st_blur_fades", pct=pct)
    elif diffs[-1] < diffs[0]:
        verdict = tr(lang, "st_blur_shrinks", pct=pct, steps=", ".join(map(str, grows)))
    else:
        verdict = tr(lang, "st_blur_grows", pct=pct, steps=", ".join(map(str, grows)))
    layers = (" " + tr(lang, "st_blur_layers", layers=cfg.num_layers)
              if cfg.num_layers > 1 else "")
    return (tr(lang, "st_blur_values", T=len(diffs), values=values) + " " + verdict + "\n\n"
            + tr(lang, f"st_blur_{cfg.cell}") + layers)


def _render_compare(model: CharModel, cfg: CharConfig, temp: float, first: str, lang: str
                    ) -> tuple:
    md = decoding_text(cfg.text, decodings(model, cfg.text, temp, SAMPLE_SEED), lang)
    if not isinstance(first, str) or len(first) != 1 or first not in model.vocab.symbols:
        first = next(c for c in model.vocab.symbols if c != cfg.text[0]) \
            if len(model.vocab) > 1 else cfg.text[0]
    diffs = forward_blur(model, cfg.text, first).numpy()
    return (md, figures.blur(diffs, list(cfg.text), words(lang)),
            gr.Dropdown(choices=list(model.vocab.symbols), value=first),
            units_figure(model, cfg.text, lang), blur_text(cfg, diffs, lang))


@keep_view
def start_training(text: str, cell: str, hidden_size: float, num_layers: float, steps: float,
                   ticket: str | None, lang: str):
    """Train the character model of these settings in the background; returns its ticket."""
    cfg = config(text, cell, hidden_size, num_layers)
    steps = read(SETTINGS.steps, steps)
    request = CharTrainRequest(cfg, steps, TRAIN_LR, SEED, _paused_state(cfg, ticket))
    new = jobs().submit(char_train_job, request, owner=job_owner("step"))
    release_ticket(ticket)
    return new, new, gr.Timer(active=True)


def _paused_state(cfg: CharConfig, ticket: str | None) -> bytes | None:
    """The weights a paused run of these settings reached, so that Train resumes from them."""
    snap = session_snapshot(ticket)
    # "running" too: a paused job may not have noticed its cancel yet
    if snap is None or snap.status not in ("cancelled", "running") or snap.request.config != cfg:
        return None
    states = [m.state for m in snap.progress if m.state is not None]
    return states[-1] if states else None


def poll(ticket: str | None, lang: str):
    """While training: the status and loss curve; stop polling once the job has finished."""
    if not isinstance(ticket, str):
        return "", plots.loss_curve([], words(lang)), gr.Timer(active=False)
    snap = session_snapshot(ticket)
    if snap is None:
        return tr(lang, "err_job"), plots.loss_curve([], words(lang)), gr.Timer(active=False)
    losses = [m.loss for m in snap.progress]

    def running() -> str:  # also what a finished or paused run says: where it stopped
        return (tr(lang, "st_job_running", step=len(losses), total=snap.request.steps,
                   loss=losses[-1]) if losses else tr(lang, "job_starting"))

    text = status_text(snap, lang, running, done=running, cancelled=running)
    return text, plots.loss_curve(losses, words(lang)), gr.Timer(active=not snap.finished)


def pause(ticket: str | None, lang: str):
    """Stop training; the weights reached so far stay on screen, and Train resumes from them."""
    if not isinstance(ticket, str):
        return gr.Timer(active=False), ""
    jobs().cancel(ticket)
    snap = session_snapshot(ticket)
    if snap is None:
        return gr.Timer(active=False), ""
    return gr.Timer(active=False), tr(lang, "st_paused",
                                      steps=count(lang, "n_steps", len(snap.progress)))


def reset(ticket: str | None, lang: str):
    release_ticket(ticket)
    return None, gr.Timer(active=False), "", plots.loss_curve([], words(lang))


# The course example's code comments, in the page's language (the code itself stays code).
COURSE_COMMENTS = {
    "en": {"one_hot": "(5, 4): one row per letter", "default": "batch_first=False (default)",
           "as_steps": "read as 3 time steps of a batch of 5 sequences",
           "as_batch": "the same weights, now 3 sequences of 5 steps"},
    "ko": {"one_hot": "(5, 4): 글자마다 한 행", "default": "batch_first=False (기본값)",
           "as_steps": "시퀀스 5개짜리 배치의 시간 단계 3개로 읽음",
           "as_batch": "같은 가중치로, 이제 5단계짜리 시퀀스 3개"},
}


def course_example(lang: str) -> str:
    """The course notes' example, run for real: its code with the printed output."""
    note = COURSE_COMMENTS[lang_of(lang)]
    # The weights torch.manual_seed(0) would give, from a private generator: the global one is
    # shared by every request this server is answering.
    rnn = seeding.build(lambda: torch.nn.RNN(input_size=4, hidden_size=2), seeding.generator(0))
    vocab = "helo"

    def one_hot(word: str) -> torch.Tensor:
        return torch.nn.functional.one_hot(torch.tensor([vocab.index(c) for c in word]), 4).float()

    x = torch.stack([one_hot(w) for w in ("hello", "eolll", "lleel")])  # (3, 5, 4)
    with torch.no_grad():
        out_default, _ = rnn(x)  # batch_first=False: 3 steps of a batch of 5
        rnn.batch_first = True
        out_bf, _ = rnn(x)  # 3 sequences of 5 steps
        rnn.batch_first = False

    def rows(out: torch.Tensor) -> str:
        return "\n".join("# " + "  ".join(f"[{a:+.4f}, {b:+.4f}]" for a, b in out[i].tolist())
                         for i in range(out.shape[0]))

    return "\n".join([
        "import torch, torch.nn as nn",
        "vocab = 'helo'",
        f"def one_hot(word):  # {note['one_hot']}",
        "    return nn.functional.one_hot(torch.tensor([vocab.index(c) for c in word]), 4).float()",
        "",
        "torch.manual_seed(0)",
        f"rnn = nn.RNN(input_size=4, hidden_size=2)        # {note['default']}",
        "x = torch.stack([one_hot(w) for w in ('hello', 'eolll', 'lleel')])  # (3, 5, 4)",
        f"output, h_n = rnn(x)   # {note['as_steps']}",
        f"print(output.shape)    # {tuple(out_default.shape)}",
        rows(out_default),
        "",
        f"rnn.batch_first = True  # {note['as_batch']}",
        "output, h_n = rnn(x)",
        f"print(output.shape)    # {tuple(out_bf.shape)}",
        rows(out_bf),
    ])


