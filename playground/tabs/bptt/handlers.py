"""The BPTT gradients tab: watch ||dL/dh_t|| vanish or explode, against the bound set by W_hh.

Every curve is measured by ``engine.bptt.gradient_profile`` on a real ``nn.RNN`` / ``nn.LSTM`` /
``nn.GRU``; the Pascanu-Mikolov-Bengio bound is drawn over the measurement only where it applies
(one plain layer, the loss at the last step, no truncation).
"""

from __future__ import annotations

import math
import threading
import uuid
from dataclasses import replace
from functools import lru_cache

import gradio as gr
import numpy as np

from engine.bptt import Profile, ProfileConfig, gradient_profile, truncation_cost
from engine.race import (
    DEFAULT as RACE_DEFAULT,
)
from engine.race import (
    LIVE_LIMITS,
    RACE_TASKS,
    RACERS,
    SYMBOLS,
    RaceConfig,
    RaceStep,
    chance_level,
    load_replay,
    race_job,
)

from ...controls import read, value_of
from ...i18n import lang_of, tr, words
from ...serving import (
    job_owner,
    jobs,
    keep_view,
    release_ticket,
    session_snapshot,
    shared_view,
    status_text,
)
from ...style import HIDDEN, INPUT, MUTED
from . import figures as figs
from . import strings  # noqa: F401 - registers this tab's text with playground.i18n
from .settings import PROFILE_SETTINGS, RACE_SETTINGS

CELL_NAMES = {"rnn_tanh": "nn.RNN (tanh)", "rnn_relu": "nn.RNN (relu)", "lstm": "nn.LSTM",
              "gru": "nn.GRU"}
_P, _R = PROFILE_SETTINGS, RACE_SETTINGS  # the API's defaults are the controls'
REGIME_COLORS = {"bp_reg_vanish": HIDDEN, "bp_reg_possible": INPUT, "bp_reg_edge": MUTED,
                 "bp_reg_na": MUTED}


def profile_config(cell: object, seq_len: object, recurrent_scale: object, init: object,
                   input_scale: object, forget_default: object, forget_bias: object,
                   update_default: object, update_bias: object, hidden_size: object,
                   num_layers: object, loss_at: object, tbptt: object, seed: object
                   ) -> ProfileConfig:
    """The settings as the UI or an API call sends them, each read through its setting
    (``settings.PROFILE_SETTINGS``: LimitError names it). ``tbptt`` 0 is full BPTT, and so is a
    chunk as long as the sequence or longer (the slider does not follow T); the default flags
    keep PyTorch's random gate biases (each bias is checked whether or not its flag sets it
    aside)."""
    v = {name: read(PROFILE_SETTINGS[name], value) for name, value in (
        ("cell", cell), ("seq_len", seq_len), ("recurrent_scale", recurrent_scale),
        ("init", init), ("input_scale", input_scale), ("forget_default", forget_default),
        ("forget_bias", forget_bias), ("update_default", update_default),
        ("update_bias", update_bias), ("hidden_size", hidden_size), ("num_layers", num_layers),
        ("loss_at", loss_at), ("tbptt", tbptt), ("seed", seed))}
    return ProfileConfig(
        cell=v["cell"], seq_len=v["seq_len"], hidden_size=v["hidden_size"],
        num_layers=v["num_layers"], recurrent_scale=v["recurrent_scale"], init=v["init"],
        input_scale=v["input_scale"],
        forget_bias=None if v["forget_default"] else v["forget_bias"],
        update_bias=None if v["update_default"] else v["update_bias"], loss_at=v["loss_at"],
        tbptt=v["tbptt"] if 0 < v["tbptt"] < v["seq_len"] else None, seed=v["seed"]).check()


def sci(x: float) -> str:
    """1.5e-52 as '1.5 × 10<sup>−52</sup>' (plain below 1e4 and above 1e-3). HTML, not Unicode
    superscripts: Markdown and Plotly both render <sup>, while a Korean font's ¹²³ (Latin-1
    glyphs) look unlike its ⁴⁵⁶."""
    if not math.isfinite(x):
        return "∞" if x > 0 else "NaN"
    if x == 0:
        return "0"
    if 100 <= abs(x) < 1e4:
        return f"{x:.0f}"  # 1280, not 1.28e+03
    if 1e-3 <= abs(x) < 100:
        return f"{x:.3g}"
    mant, exp = f"{x:.1e}".split("e")
    return _power(mant, int(exp))


def sci_log(log10_x: float) -> str:
    """10^log10_x in the form of :func:`sci`, for numbers past float64's range."""
    if not math.isfinite(log10_x):
        return "0" if log10_x < 0 else "∞"
    if -300 < log10_x < 300:
        return sci(10.0 ** log10_x)
    e = math.floor(log10_x)
    return _power(f"{10 ** (log10_x - e):.1f}", e)


def _power(mant: str, exp: int) -> str:
    return f"{mant} × 10<sup>{str(exp).replace('-', '−')}</sup>"


def _ratio(p: Profile) -> float | None:
    """||dL/dh_0|| / ||dL/dh_(T-1)|| of the layer the loss reads (None if not a positive
    number: no gradient reached step 0, or it over- or underflowed)."""
    top = p.hidden[-1]
    if not (np.isfinite(top[0]) and np.isfinite(top[-1])) or top[-1] == 0 or top[0] == 0:
        return None
    return float(top[0] / top[-1])


def n_steps(n: int, lang: str) -> str:
    """'1 step', '99 steps' ('1단계', '99단계')."""
    return tr(lang, "bp_n_step" if n == 1 else "bp_n_steps", n=n)


def badge(p: Profile, lang: str) -> str:
    """What W_hh's largest singular value guarantees here, and what was measured."""
    c, T = p.config, p.config.seq_len
    ratio = _ratio(p)
    zero = _zero_reason(p)
    steps = n_steps(T - 1, lang)  # from h_0 to h_(T-1), where the loss is read
    if ratio is None:
        measured = tr(lang, "bp_measured_overflow" if p.overflow else
                      "bp_measured_underflow" if zero == "underflow" else "bp_measured_zero",
                      steps=steps)
    elif ratio < 1:
        measured = tr(lang, "bp_measured_vanish", steps=steps, ratio=sci(ratio))
    else:
        measured = tr(lang, "bp_measured_grow", steps=steps, ratio=sci(ratio))
    gs = p.gamma * p.sigma_max
    if p.bound_reason != "applies":
        key = "bp_reg_na"
        text = tr(lang, key, why=tr(lang, "bp_why_" + p.bound_reason),
                  sigma=p.sigma_max, measured=measured)
    else:
        total = sci_log((T - 1) * math.log10(gs)) if gs > 0 else "0"
        key = ("bp_reg_vanish" if gs < 1 - 1e-9 else "bp_reg_possible" if gs > 1 + 1e-9
               else "bp_reg_edge")
        text = tr(lang, key, sigma=p.sigma_max, gs=gs, steps=steps, bound=total,
                  measured=measured)
    text = f"<span style='color:{REGIME_COLORS[key]}'>■</span> " + text
    exact = (c.cell == "rnn_tanh" and c.num_layers == 1 and c.input_scale == 0
             and c.loss_at == "last" and not c.tbptt and c.init == "orthogonal")
    if exact:
        text += tr(lang, "bp_closed_form")
    if p.overflow:
        text += tr(lang, "bp_overflow")
    if zero:
        text += tr(lang, "bp_zero_gap", why=tr(lang, "bp_zero_" + zero))
    return text


def _zero_reason(p: Profile) -> str | None:
    """Why some ||dL/dh_t|| are exactly 0, if any are: a chunk boundary ("tbptt"), float64
    running out of small numbers ("underflow"), or no path at all ("nopath": W_hh = 0, or dead
    relu units), told apart by how small the gradient got before it hit 0."""
    finite = p.hidden[np.isfinite(p.hidden)]
    if not (finite == 0).any():
        return None
    if p.config.tbptt:
        return "tbptt"
    positive = finite[finite > 0]
    if p.sigma_max == 0 or (positive.size and positive.min() > 1e-250):
        return "nopath"
    return "underflow"


def sum_note(p: Profile, lang: str) -> str:
    """How quickly the backwards sum of dL/dW_hh fills up."""
    T, total = p.config.seq_len, p.total_grad
    if not (math.isfinite(total) and total > 0):
        return ""
    run = np.nan_to_num(p.running, nan=np.inf)
    t_half = int(np.nonzero(run >= 0.5 * total)[0].max())
    half = T // 2
    early = float(np.nansum(p.contributions[:half])) / total
    return tr(lang, "bp_sum_note", k=T - t_half, k_steps=n_steps(T - t_half, lang), T=T,
              half=half, early=sci(min(early, 1.0)))


def gated_note(p: Profile, lang: str) -> str:
    c = p.config
    if c.cell == "lstm" and p.cell is not None:
        cell = p.cell[0]
        ok = cell[-1] > 0 and cell[0] > 0 and np.isfinite(cell[[0, -1]]).all()
        ratio = sci(cell[0] / cell[-1]) if ok else "—"
        return tr(lang, "bp_lstm_note", gate=p.memory_gate, steps=n_steps(c.seq_len - 1, lang),
                  ratio=ratio, init=init_note(c, lang))
    if c.cell == "gru":
        return tr(lang, "bp_gru_note", gate=p.memory_gate, init=init_note(c, lang))
    return ""


def init_note(c: ProfileConfig, lang: str) -> str:
    """How this gated cell was built: W_hh = s·Q (not PyTorch's init), and its memory gate's
    bias (PyTorch's random one, or the total the user set)."""
    bias = c.forget_bias if c.cell == "lstm" else c.update_bias
    return tr(lang, "bp_gated_init", s=f"{c.recurrent_scale:g}",
              q=tr(lang, "bp_q_" + c.init),
              bias=tr(lang, "bp_bias_pytorch") if bias is None else f"{bias:g}")


def _bytes(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e5 else f"{n / 1e3:.1f} kB"


def tbptt_note(cfg: ProfileConfig, lang: str) -> str:
    if not cfg.tbptt:
        return ""
    cost = truncation_cost(cfg)
    return tr(lang, "bp_tbptt_note", k=cfg.tbptt, full=_bytes(cost.full_bytes),
              chunk=_bytes(cost.chunk_bytes), ratio=cost.full_bytes / max(cost.chunk_bytes, 1),
              t_full=1e3 * cost.full_seconds, t_chunk=1e3 * cost.chunk_seconds)


@shared_view(maxsize=64)
def _view(cfg: ProfileConfig, lang: str) -> tuple:
    """Everything the tab draws for one configuration (a class asking the same costs once)."""
    p = gradient_profile(cfg)
    w = words(lang)
    ratio = _ratio(p)
    title = (tr(lang, "bp_fig_title", cell=CELL_NAMES[cfg.cell], T=cfg.seq_len, ratio=sci(ratio))
             if ratio is not None else tr(lang, "bp_fig_title_none", cell=CELL_NAMES[cfg.cell],
                                          T=cfg.seq_len))
    profile = figs.gradient_profile(p.hidden, p.cell, p.bound, cfg.tbptt, w, title)
    text = badge(p, lang)
    note = tbptt_note(cfg, lang)
    if note:
        text += "\n\n" + note
    sv = figs.singular_values(p.singular_values, p.sigma_max, p.spectral_radius, p.gamma, w)
    total = figs.bptt_sum(p.contributions, p.running, w, tr(lang, "bp_sum_fig"))
    act = figs.activations(p.preacts, w)
    sat = tr(lang, "bp_sat_note", pct=100 * p.saturation) if p.preacts.keys() - {"relu"} else ""
    return profile, text, sv, total, sum_note(p, lang), act, sat, gated_note(p, lang)


@keep_view
def show_profile(cell: str = _P.cell.default, seq_len: float = _P.seq_len.default,
                 recurrent_scale: float = _P.recurrent_scale.default,
                 init: str = _P.init.default, input_scale: float = _P.input_scale.default,
                 forget_default: bool = _P.forget_default.default,
                 forget_bias: float = _P.forget_bias.default,
                 update_default: bool = _P.update_default.default,
                 update_bias: float = _P.update_bias.default,
                 hidden_size: float = _P.hidden_size.default,
                 num_layers: float = _P.num_layers.default, loss_at: str = _P.loss_at.default,
                 tbptt: float = _P.tbptt.default, seed: float = _P.seed.default,
                 lang: str = "en"):
    """The measured gradient profile and everything beside it: the regime badge, W_hh's
    singular values, dL/dW_hh as a sum over time, the nonlinearities, the gated cells' note."""
    cfg = profile_config(cell, seq_len, recurrent_scale, init, input_scale, forget_default,
                         forget_bias, update_default, update_bias, hidden_size, num_layers,
                         loss_at, tbptt, seed)
    key = (cfg, lang_of(lang))  # the cache keeps "en" or "ko", never the raw value
    try:
        return _view(*key)
    finally:  # made (or failed): the moves that wait for it go on
        with _coming_lock:
            done = _coming.pop(key, None)
        if done is not None:
            done.set()


# Views on their way: the first move that misses a view is told to make it (its miss token's
# change asks show_profile, in the profiles' line); a move for the same view meanwhile waits
# here (up to COMING_WAIT s) for it rather than joining that line too. A class moving one
# slider at once asks for one new view sixty times.
_coming: dict = {}
_coming_lock = threading.Lock()
COMING_WAIT = 8.0
MAX_COMING = 256


@keep_view
def cached_profile(*args):
    """What a control's move shows at once when the view is already made (a class moving one
    slider together asks mostly for those), or once another page's call has made it: the view
    of :func:`show_profile`, and no miss; else nothing shown yet, and a new miss token, whose
    change computes it in the profiles' line. (Same arguments as :func:`show_profile`; bad
    input gets its message here.)"""
    *values, lang = args
    key = (profile_config(*values), lang_of(lang))
    view = _view.peek(*key)
    if view is None:
        with _coming_lock:
            done = _coming.get(key)
            if done is None and len(_coming) < MAX_COMING:
                _coming[key] = threading.Event()  # this page's miss will make it
        if done is not None and done.wait(COMING_WAIT):
            view = _view.peek(*key)
    if view is None:
        return (*[gr.skip()] * len(PROFILE_OUTPUTS), uuid.uuid4().hex)
    return (*view, gr.skip())


PROFILE_OUTPUTS = ("profile", "regime", "sv", "sum", "sum_note", "act", "sat", "gated")


def gate_controls(cell: object):
    """Show the LSTM forget-bias controls for an LSTM, the GRU update-bias ones for a GRU."""
    cell = value_of(PROFILE_SETTINGS.cell, cell)
    lstm, gru = cell == "lstm", cell == "gru"
    return (gr.update(visible=lstm), gr.update(visible=lstm), gr.update(visible=gru),
            gr.update(visible=gru))


# -- the training race ---------------------------------------------------------------------------
# A live race: the recorded default's settings, within what the shared server allows.
LIVE_DEFAULT = replace(RACE_DEFAULT, lag=min(RACE_DEFAULT.lag, LIVE_LIMITS.max_lag),
                       steps=min(RACE_DEFAULT.steps, LIVE_LIMITS.max_steps))
RACER_KEYS = dict(zip(RACERS, RACE_SETTINGS.racer.choice_labels))
TASK_KEYS = dict(zip(RACE_TASKS, RACE_SETTINGS.task.choice_labels))


@lru_cache(maxsize=8)
def _replay(name: str) -> tuple[RaceConfig, list[RaceStep], dict]:
    return load_replay(name)


def _pct(v: float | None) -> str:
    """49.6 as '49.6%', 100.0 as '100%': one decimal, as the replays' index keeps them (near
    chance, 25.6% and 25% differ)."""
    return "—" if v is None else f"{v:.1f}".removesuffix(".0") + "%"


def _num(v: float) -> str:
    """5.0 as '5', -3.0 as '−3' (a true minus sign)."""
    return f"{v:g}".replace("-", "−")


def bias_note(cfg: RaceConfig, lang: str) -> str:
    """The gate biases the racers start from, read from the race's config: the numbers
    ``build_racer`` sets, or PyTorch's own (uniform in ±1/√H for b_ih and b_hh alike)."""
    def total(v: float | None) -> str:
        return tr(lang, "bp_bias_pytorch") if v is None else _num(v)

    text = tr(lang, "bp_race_biases", f=total(cfg.gate_bias), i=total(cfg.input_bias),
              z=total(cfg.gate_bias), u=f"{1 / math.sqrt(cfg.hidden_size):.2f}",
              H=cfg.hidden_size)
    if cfg.gate_bias is not None or cfg.input_bias is not None:
        text += " " + tr(lang, "bp_race_biases_tuned")
    return text


def _median(values: list[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return float(np.median(vals)) if vals else None


def chance_loss(task: str) -> tuple[str, float]:
    """The training loss of a net that has forgotten the start: its formula and value
    (cross-entropy of a uniform guess over the symbols; the adding problem's variance)."""
    if task == "first_symbol":
        return f"ln {SYMBOLS}", math.log(SYMBOLS)
    return "1/6", chance_level(task)


def clip_note(cfg: RaceConfig, steps: list[RaceStep], result: dict | None, lang: str) -> str:
    """What clipping did in this race, read from its records: the optimizer, how often
    clipping fired and where both plain RNNs end; with SGD, the unclipped RNN's largest
    gradient and what its loss did after that update. Empty until the race is over."""
    if result is None or not steps:
        return ""
    k_rnn, k_clip = RACERS.index("rnn"), RACERS.index("rnn_clip")
    rnn = [s.racers[k_rnn] for s in steps]
    clipped = [s.racers[k_clip] for s in steps]
    acc = result.get("accuracy") or {}
    a_rnn, a_clip = acc.get("rnn"), acc.get("rnn_clip")
    name, chance = chance_loss(cfg.task)
    chance_acc = (tr(lang, "bp_clip_chance_acc", chance=_pct(100 * chance_level(cfg.task)))
                  if cfg.task == "first_symbol" else "")
    common = dict(fired=sum(r.clipped for r in clipped), n=len(steps), clip=f"{cfg.clip:g}",
                  lr=f"{cfg.lr:g}", momentum=f"{cfg.momentum:g}", acc_clip=_pct(a_clip),
                  acc_rnn=_pct(a_rnn), chance_name=name, chance=f"{chance:.3g}",
                  chance_acc=chance_acc)
    if cfg.optimizer == "adam":
        text = tr(lang, "bp_clip_adam", **common)
        if a_rnn is not None and a_clip is not None and a_clip < a_rnn - 5:
            text += " " + tr(lang, "bp_clip_adam_worse")
        return text
    text = tr(lang, "bp_clip_sgd", **common)
    norms = [(r.grad_norm, i) for i, r in enumerate(rnn) if r.grad_norm is not None]
    if not norms:
        return text
    norm, at = max(norms)
    before, after = _median([r.loss for r in rnn[:at]]), _median([r.loss for r in rnn[at + 1:]])
    c_med = _median([r.loss for r in clipped])
    if (clipped[at].clipped and before is not None and after is not None
            and after > 2 * before and c_med is not None):
        # one update, which clipping cut in the clipped twin, after which the unclipped RNN's
        # loss climbed (the twins are equal until clipping first fires)
        prev = max((g for g, i in norms if i < at), default=None)
        text += " " + tr(lang, "bp_clip_sgd_spike", step=steps[at].step, norm=sci(norm),
                         prev="—" if prev is None else sci(prev), before=f"{before:.3g}",
                         after=f"{after:.3g}", c_med=f"{c_med:.3g}",
                         c_x=f"{c_med / chance:.1f}", **common)
    return text


def race_summary(cfg: RaceConfig, steps: list[RaceStep], result: dict | None, source: str,
                 lang: str) -> str:
    """Who learned what: held-out accuracy when the race is over (else the last batch's), and
    where a racer diverged, with the gradient norm that led there; the gate biases the racers
    started from; what clipping did."""
    opt = tr(lang, "bp_opt_" + cfg.optimizer, momentum=f"{cfg.momentum:g}", lr=f"{cfg.lr:g}")
    lines = [tr(lang, "bp_race_head", source=tr(lang, source), task=tr(lang, TASK_KEYS[cfg.task]),
                lag=cfg.lag, hidden=cfg.hidden_size, steps=n_steps(cfg.steps, lang), opt=opt,
                seed=cfg.seed),
             bias_note(cfg, lang)]
    chance = chance_level(cfg.task)
    if cfg.task == "first_symbol":
        lines.append(tr(lang, "bp_race_chance_line", chance=f"{100 * chance:.0f}%"))
    acc = (result or {}).get("accuracy") or {}
    for k, racer in enumerate(RACERS):
        col = [s.racers[k] for s in steps]
        div = next((i for i, r in enumerate(col) if r.diverged), None)
        div_text = ""
        if div is not None:
            norms = [r.grad_norm for r in col[:div + 1] if r.grad_norm is not None]
            div_text = tr(lang, "bp_race_row_div", step=steps[div].step,
                          norm=sci(norms[-1]) if norms else "∞")
        name = tr(lang, RACER_KEYS[racer])
        if result is not None:
            lines.append(tr(lang, "bp_race_row", racer=name, acc=_pct(acc.get(racer)),
                            div=div_text))
        else:
            last = next((r.accuracy for r in reversed(col) if r.accuracy is not None), None)
            lines.append(tr(lang, "bp_race_row_live", racer=name,
                            acc=_pct(None if last is None else 100 * last), div=div_text))
    text = "\n\n".join(lines[:-len(RACERS)]) + "\n\n" + "\n".join(lines[-len(RACERS):])
    note = clip_note(cfg, steps, result, lang)
    return text + "\n\n" + note if note else text


def race_figures(cfg: RaceConfig, steps: list[RaceStep], racer: str, lang: str) -> tuple:
    w = words(lang)
    names = {r: tr(lang, RACER_KEYS[r]) for r in RACERS}
    k = RACERS.index(racer)
    rows = [(s.step, s.racers[k].profile) for s in steps if s.racers[k].profile is not None]
    chance = math.log(4) if cfg.task == "first_symbol" else None  # cross-entropy of a guess
    return (figs.race_losses(steps, RACERS, names, w, tr(lang, "bp_race_loss_fig"), chance),
            figs.race_grad_norms(steps, RACERS, names, cfg.clip, w, tr(lang, "bp_race_grad_fig")),
            figs.race_heatmap(rows, cfg.lag, w, tr(lang, "bp_race_heat_fig", racer=names[racer])))


@shared_view(maxsize=32)
def _replay_view(name: str, racer: str, lang: str) -> tuple:
    cfg, steps, result = _replay(name)
    return (*race_figures(cfg, steps, racer, lang),
            race_summary(cfg, steps, result, "bp_race_source_replay", lang))


@keep_view
def show_race(replay: str = "", racer: str = _R.racer.default, lang: str = "en"):
    """A recorded race: loss curves, gradient norms before and after clipping, the heatmap of
    ||dL/dh_t|| over time and training step for ``racer``, and who learned what."""
    if replay is None or replay == "":  # the default: the first recorded race
        replay = RACE_SETTINGS.replay.default
    return _replay_view(read(RACE_SETTINGS.replay, replay), read(RACE_SETTINGS.racer, racer),
                        lang_of(lang))


def race_config(task: object, lag: object, clip: object, steps: object, seed: object,
                biases: object = "tuned") -> RaceConfig:
    """A live race's settings, checked against what the shared server allows. ``biases``
    "tuned" keeps the recorded races' gate biases, "pytorch" builds the LSTM and GRU with
    PyTorch's own."""
    v = {name: read(RACE_SETTINGS[name], value) for name, value in (
        ("task", task), ("lag", lag), ("clip", clip), ("steps", steps), ("seed", seed),
        ("biases", biases))}
    default = LIVE_DEFAULT if v["biases"] == "tuned" else replace(
        LIVE_DEFAULT, gate_bias=None, input_bias=None)
    return replace(default, task=v["task"], lag=v["lag"], clip=v["clip"], steps=v["steps"],
                   seed=v["seed"]).check(LIVE_LIMITS)


def start_race(task: str = _R.task.default, lag: float = _R.lag.default,
               clip: float = _R.clip.default, steps: float = _R.steps.default,
               seed: float = _R.seed.default, ticket: str | None = None, lang: str = "en",
               biases: str = _R.biases.default):
    """Start (or join) a live race in the background; returns its ticket. ``biases``: "tuned"
    (the recorded races' gate biases) or "pytorch" (PyTorch's defaults)."""
    return _start_race(task, lag, clip, steps, seed, ticket, biases, lang=lang)


@keep_view
def _start_race(task: object, lag: object, clip: object, steps: object, seed: object,
                ticket: str | None, biases: object, lang: str = "en"):
    cfg = race_config(task, lag, clip, steps, seed, biases)
    new = jobs().submit(race_job, cfg, owner=job_owner("bptt"))
    release_ticket(ticket)
    return new, new, gr.Timer(active=True)


def live_view(ticket: object, racer: object, lang: str) -> tuple | None:
    """This session's live race, drawn as far as it has got (None when there is none)."""
    snap = session_snapshot(ticket)
    if snap is None:
        return None
    cfg, steps = snap.request, list(snap.progress)
    status = status_text(
        snap, lang, running=lambda: tr(lang, "bp_race_running", step=len(steps), total=cfg.steps),
        cancelled=lambda: tr(lang, "bp_race_cancelled", step=len(steps)))
    result = snap.result if snap.status == "done" else None
    summary = race_summary(cfg, steps, result, "bp_race_source_live", lang)
    racer = read(RACE_SETTINGS.racer, racer)
    return (*race_figures(cfg, steps, racer, lang), summary, status, snap.finished)


@keep_view
def poll_race(ticket: str | None, racer: str, lang: str):
    """While a live race runs: its figures so far; stop polling once it has finished."""
    view = live_view(ticket, racer, lang)
    if view is None:
        return gr.skip(), gr.skip(), gr.skip(), gr.skip(), "", gr.Timer(active=False)
    *shown, finished = view
    return (*shown, gr.Timer(active=not finished))


@keep_view
def redraw_race(replay: str, racer: str, ticket: str | None, lang: str):
    """The heatmap's racer changed (or the language): redraw the live race if this session
    has one, else the chosen replay."""
    view = live_view(ticket, racer, lang)
    if view is not None:
        return view[:5]
    return (*show_race(replay, racer, lang), "")


@keep_view
def pick_replay(replay: str, racer: str, ticket: str | None, lang: str):
    """Show a recorded race; this session's live race (if any) is given up."""
    release_ticket(ticket)
    return (None, *show_race(replay, racer, lang), "", gr.Timer(active=False))


def live_note(lang: str) -> str:
    return tr(lang, "bp_race_live_note", lag=LIVE_LIMITS.max_lag, steps=LIVE_LIMITS.max_steps)


@keep_view
def cancel_race(ticket: str | None, lang: str = "en"):
    """Cancel this session's live race (it goes on if another session shares it). A race that
    has already ended stays as it ended, and the status says so."""
    snap = session_snapshot(ticket)
    if snap is None:
        return tr(lang, "bp_race_none"), gr.Timer(active=False)
    if not snap.finished:
        jobs().cancel(ticket)
        snap = session_snapshot(ticket)
    if snap is None:
        return tr(lang, "bp_race_none"), gr.Timer(active=False)
    step, total = len(snap.progress), snap.request.steps
    if snap.status == "done":
        status = tr(lang, "bp_race_already_done", step=step, total=total)
    elif snap.status == "failed":
        status = tr(lang, "job_failed", error=snap.error)
    else:  # cancelled now, or before; or still stopping
        status = tr(lang, "bp_race_cancelled", step=step)
    return status, gr.Timer(active=False)


