"""The Seq2seq-vs-attention tab: a plain encoder-decoder against one with attention.

Both models have the same hidden size, data, seed and training budget; the tab shows where the
plain one falls (long sources, late output positions), why (one context vector), and what the
attention model does instead (its alignment, and each decoding step term by term). Every number
comes from ``engine.seq2seq``: the shipped checkpoints' curves were measured at pretrain time and
stored in the manifest, so the first view costs no model evaluation.
"""

from __future__ import annotations

import functools
from functools import lru_cache

import gradio as gr

from engine import LimitError, load_checkpoint, manifest
from engine.checkpoints import CHECKPOINT_DIR
from engine.seq2seq import (
    MAX_SRC_LEN,
    PairTrainRequest,
    Seq2Seq,
    Seq2SeqConfig,
    Seq2SeqTrainConfig,
    accuracy_by_length,
    attention_steps,
    encode_digits,
    greedy_decode,
    max_train_steps,
    model_from_state,
    pair_train_job,
    target_of,
)

from ...controls import read
from ...i18n import I18N, LANGS, UserError, lang_of, tr, words
from ...serving import (
    Recent,
    job_owner,
    jobs,
    keep_view,
    placeholder,
    release_ticket,
    session_snapshot,
    shared_view,
    status_text,
)
from ...style import INPUT
from . import strings  # noqa: F401 - registers this tab's text with playground.i18n
from .figures import (
    ATT_COLOR,
    PLAIN_COLOR,
    WIDTH_SHADES,
    accuracy_figure,
    attention_heatmap,
    loss_figure,
    step_figures,
)
from .settings import SETTINGS

TASKS, KINDS = SETTINGS.task.choices, SETTINGS.attention.choices


class NotTrained(UserError):
    """The user asked for their own models before a training run of theirs had finished."""

    def __init__(self):
        super().__init__("s2s_err_not_trained")


class NoShipped(UserError):
    def __init__(self, task: str, kind: str):
        super().__init__("s2s_err_no_model", task=task, kind=lambda lang: kind_name(
            words(lang), kind, kind == "dot") if kind in KINDS else kind)


class OverBudget(UserError):
    """A training run larger than one may start on the shared server (``max_train_steps``)."""

    def __init__(self, h: int, lo: int, hi: int, most: int, steps: int):
        super().__init__("s2s_err_budget", h=h, lo=lo, hi=hi, most=most, steps=steps)


# the labels error messages name this tab's parameters by
LABELS = {name: "s2s_p_" + name for name in (
    "task", "attention", "source", "cell", "hidden_size", "min_len", "max_len", "steps", "seed",
    "digits", "t", "bidirectional")}
_messages = functools.partial(keep_view, labels=LABELS)


# -- models -------------------------------------------------------------------------------------
def _entries() -> list[dict]:
    return [e for e in manifest() if e.get("task") in TASKS and "by_length" in e]


def shipped_entry(task: str, attention: str | None) -> dict:
    """The first manifest entry of this (task, attention) kind: the one the tab shows."""
    for e in _entries():
        if e["task"] == task and e["attention"] == attention:
            return e
    raise NoShipped(task, attention or "no")


@lru_cache(maxsize=16)
def _checkpoint(file: str) -> Seq2Seq:
    return load_checkpoint(CHECKPOINT_DIR / file).model


def parameter_count(model: Seq2Seq) -> int:
    """Every learned number of the model: sum(p.numel() for p in model.parameters())."""
    return sum(p.numel() for p in model.parameters())


@lru_cache(maxsize=32)
def _far(file: str, task: str, start: int) -> tuple[float, ...]:
    """Per-token accuracy of a shipped checkpoint on sources of ``start``..MAX_SRC_LEN digits,
    measured on first use (200 fresh strings a length, as the manifest's curves) where the
    manifest stops short of the longest source the page takes (a manifest made before the
    curves reached MAX_SRC_LEN; ``python -m engine.pretrain_seq2seq`` stores them all)."""
    if start > MAX_SRC_LEN:
        return ()
    acc = accuracy_by_length(_checkpoint(file), task, range(start, MAX_SRC_LEN + 1))
    return tuple(round(a, 1) for a in acc)


def shipped_curve(entry: dict) -> tuple[list[int], list[float]]:
    """A shipped model's accuracy against source length: the manifest's measured curve, then
    the same measurement from the checkpoint up to MAX_SRC_LEN digits."""
    lengths, acc = entry["by_length"]["lengths"], entry["by_length"]["accuracy"]
    far = _far(entry["file"], entry["task"], lengths[-1] + 1)
    return (list(lengths) + list(range(lengths[-1] + 1, lengths[-1] + 1 + len(far))),
            list(acc) + list(far))


_mine = Recent(16)


def trained_pair(ticket: object) -> dict | None:
    """This session's finished pair: {"plain", "attention": models, "result", "cfg"}, or None."""
    snap = session_snapshot(ticket)
    if snap is None or snap.status != "done" or not isinstance(snap.result, dict):
        return None

    def make() -> dict:
        r = snap.result
        return {"plain": model_from_state(Seq2SeqConfig(**r["plain"]["config"]),
                                          r["plain"]["state_dict"]),
                "attention": model_from_state(Seq2SeqConfig(**r["attention"]["config"]),
                                              r["attention"]["state_dict"]),
                "result": r, "cfg": snap.request.train}
    return _mine.get(ticket, make)


def models(task: str, kind: str, source: str, ticket: object) -> dict:
    """The two models to show, with their curves and what to say about them."""
    if source == "trained":
        pair = trained_pair(ticket)
        if pair is None:
            raise NotTrained()
        r, cfg = pair["result"], pair["cfg"]
        att_cfg = pair["attention"].config
        return {"plain": pair["plain"], "attention": pair["attention"], "task": cfg.task,
                "kind": att_cfg.attention, "lengths": r["lengths"],
                "by_length": (r["plain"]["by_length"], r["attention"]["by_length"]),
                "by_position": (r["plain"]["by_position"], r["attention"]["by_position"]),
                "train": (cfg.min_len, cfg.max_len), "acc": (r["plain"]["accuracy"],
                                                             r["attention"]["accuracy"]),
                "cell": att_cfg.cell, "hidden": att_cfg.hidden_size, "steps": cfg.steps,
                "bi": att_cfg.bidirectional, "source": "trained"}
    p, a = shipped_entry(task, None), shipped_entry(task, kind)
    lengths, plain_curve = shipped_curve(p)
    return {"plain": _checkpoint(p["file"]), "attention": _checkpoint(a["file"]), "task": task,
            "kind": kind, "lengths": lengths, "by_length": (plain_curve, shipped_curve(a)[1]),
            "by_position": (p["by_position"]["accuracy"], a["by_position"]["accuracy"]),
            "train": tuple(p["train_lengths"]), "acc": (p["accuracy"], a["accuracy"]),
            "cell": p["cell"], "hidden": p["hidden_size"], "steps": p["train_steps"],
            "bi": bool(a.get("bidirectional")), "source": "shipped"}


def kind_name(w: dict, kind: str, bidirectional: bool) -> str:
    """"additive attention", "dot attention", or "general attention (two-way encoder +
    bridge)": what the attention model computes, in the UI's words. The value "dot" with a
    two-way encoder scores s_t^T W_k h_j: Luong's general score, not his dot score."""
    score = "general" if kind == "dot" and bidirectional else kind
    name = w["s2s_att_name"].format(kind=w["s2s_kind_" + score])
    return w["s2s_kind_bi"].format(name=name) if bidirectional else name



# -- handlers -------------------------------------------------------------------------------------
def _settings(task: object, attention: object, source: object) -> tuple[str, str, str]:
    return (read(SETTINGS.task, task), read(SETTINGS.attention, attention),
            read(SETTINGS.source, source))


@_messages
def compare(task: str, attention: str, source: str, ticket: str | None, lang: str):
    """The headline: accuracy against source length and along the output, both models."""
    task, kind, source = _settings(task, attention, source)
    lang = lang_of(lang)
    if source == "shipped":
        return _compare_shipped(task, kind, lang)
    return _render_compare(models(task, kind, source, ticket), lang)


@_messages
def show(task: str, attention: str, source: str, ticket: str | None, touched: str, lang: str):
    """The headline for the page, after the user ``touched`` one of the top radios ("task",
    "attention" or "source"): the three figures, then the three radios set to what is shown.

    The user's trained pair has one task and one attention kind. Picking another task or kind
    while it is shown switches to the shipped models of that choice; picking "trained" sets
    the task and kind radios to the trained pair's. So the radios never disagree with the
    figures (the API's ``compare`` is unchanged: it takes the settings and returns 3 outputs).
    """
    task, kind, source = _settings(task, attention, source)
    if source == "trained" and trained_pair(ticket) is None:
        # nothing trained yet: say so once, and the radio goes back to what is shown
        gr.Warning(tr(lang, "s2s_err_not_trained"))
        source = "shipped"
    if source == "trained" and touched in ("task", "attention"):
        pair = trained_pair(ticket)
        if pair is not None and (task, kind) != (pair["cfg"].task,
                                                 pair["attention"].config.attention):
            source = "shipped"
    if source == "shipped":
        by_len, by_pos, caption = _compare_shipped(task, kind, lang_of(lang))
        return by_len, by_pos, caption, task, kind_radio(kind, None), source
    m = models(task, kind, source, ticket)
    return (*_render_compare(m, lang_of(lang)), m["task"], kind_radio(m["kind"], m["bi"]),
            source)


def kind_radio(kind: str, trained_bi: bool | None) -> gr.Radio:
    """The top attention radio at ``kind``, each choice labelled with what it shows: the
    shipped models (additive one-way; Luong's general score over a two-way encoder + bridge),
    except the user's trained kind (``trained_bi`` not None), labelled with its own encoder."""
    additive, luong = "s2s_additive", "s2s_dot"
    if trained_bi is not None and kind == "additive" and trained_bi:
        additive = "s2s_additive_bi"
    if trained_bi is not None and kind == "dot" and not trained_bi:
        luong = "s2s_dot_one_way"
    return gr.Radio(choices=[(I18N(additive), "additive"), (I18N(luong), "dot")], value=kind)


@shared_view(maxsize=32)
def _compare_shipped(task: str, kind: str, lang: str) -> tuple:
    return _render_compare(models(task, kind, "shipped", None), lang)


def _render_compare(m: dict, lang: str) -> tuple:
    w = LANGS[lang]
    kind = kind_name(w, m["kind"], m["bi"])
    names = (w["s2s_plain"], w["s2s_with"].format(kind=kind))
    task_name = w["s2s_" + m["task"]]
    by_len = accuracy_figure(
        m["lengths"], [(names[0], m["by_length"][0], PLAIN_COLOR, "solid"),
                       (names[1], m["by_length"][1], ATT_COLOR, "solid")], m["train"],
        w["s2s_fig_len_title"].format(task=task_name), w["s2s_fig_len_x"], w)
    n = len(m["by_position"][0])
    by_pos = accuracy_figure(
        list(range(1, n + 1)), [(names[0], m["by_position"][0], PLAIN_COLOR, "solid"),
                                (names[1], m["by_position"][1], ATT_COLOR, "solid")], None,
        w["s2s_fig_pos_title"].format(n=n), w["s2s_fig_pos_x"], w)
    key = "s2s_caption_" + m["source"]
    caption = tr(lang, key, task=task_name, cell=m["cell"].upper(), hidden=m["hidden"],
                 steps=m["steps"], lo=m["train"][0], hi=m["train"][1], plain=m["acc"][0],
                 att=m["acc"][1], kind=kind)
    far = m["lengths"][-1]
    if far > m["train"][1]:   # past the trained lengths: both fall, at different rates
        caption += " " + tr(lang, "s2s_caption_far", n=far, hi=m["train"][1],
                            plain=m["by_length"][0][-1], att=m["by_length"][1][-1])
    caption += "\n\n" + params_text(m, lang)
    return by_len, by_pos, caption


def params_text(m: dict, lang: str) -> str:
    """Every model's parameter count, counted in the loaded models: for the shipped ones all
    three of the task (plain, additive, general), so that the page says where they differ in
    more than attention; for the user's pair, both."""
    w = LANGS[lang]
    if m["source"] == "shipped":
        shown = [(None, m["plain"])] + [
            (k, m["attention"] if k == m["kind"] else _checkpoint(shipped_entry(m["task"], k)
                                                                   ["file"])) for k in KINDS]
    else:
        shown = [(None, m["plain"]), (m["kind"], m["attention"])]
    parts = [tr(lang, "s2s_params_one", n=f"{parameter_count(model):,}",
                model=w["s2s_plain"] if k is None
                else kind_name(w, k, model.config.bidirectional)) for k, model in shown]
    text = tr(lang, "s2s_params", models="; ".join(parts))
    general = [model for k, model in shown if k == "dot" and model.config.bidirectional]
    if general:
        text += " " + w["s2s_general_note"]
    return text


def bottleneck(lang: str):
    """The widening view, from the shipped plain reverse models (and the attention one)."""
    return _bottleneck(lang_of(lang))  # cached per language, never per raw value


@shared_view(maxsize=2)
def _bottleneck(lang: str):
    w = LANGS[lang]
    ref = shipped_entry("reverse", None)
    plain = sorted((e for e in _entries() if e["task"] == "reverse" and e["attention"] is None
                    and e["train_steps"] == ref["train_steps"]), key=lambda e: e["hidden_size"])
    longer = [e for e in _entries() if e["task"] == "reverse" and e["attention"] is None
              and e["train_steps"] > ref["train_steps"] and e["hidden_size"] == ref["hidden_size"]]
    att = shipped_entry("reverse", "additive")
    curve = {e["file"]: shipped_curve(e) for e in [*plain, *longer, att]}

    def params(e: dict) -> str:
        return f"{parameter_count(_checkpoint(e['file'])):,}"

    shades = iter(WIDTH_SHADES)  # the other widths, narrowest lightest
    curves = [(w["s2s_widen_line"].format(h=e["hidden_size"]), curve[e["file"]][1],
               PLAIN_COLOR if e["file"] == ref["file"] else next(shades), "solid")
              for e in plain]
    for e in longer:
        curves.append((w["s2s_longer_line"].format(h=e["hidden_size"], steps=e["train_steps"]),
                       curve[e["file"]][1], PLAIN_COLOR, "dot"))
    curves.append((w["s2s_att_line"].format(kind=kind_name(w, "additive", False),
                                            h=att["hidden_size"]),
                   curve[att["file"]][1], ATT_COLOR, "dash"))
    lengths = curve[ref["file"]][0]
    fig = accuracy_figure(lengths, curves, tuple(ref["train_lengths"]),
                          w["s2s_fig_widen_title"], w["s2s_fig_len_x"], w)
    n = ref["train_lengths"][1]

    def reach(e: dict) -> str:
        """The longest source length up to which the model stays at 90% or more."""
        k, (xs, ys) = 0, curve[e["file"]]
        for length, acc in zip(xs, ys):
            if acc < 90:
                break
            k = length
        return tr(lang, "s2s_digits_unit", n=f"{k}+" if k == xs[-1] else k)

    def acc_at(e: dict, length: int) -> float:
        return curve[e["file"]][1][lengths.index(length)]

    # every model's size, counted in the loaded checkpoint
    rows = ", ".join(w["s2s_widen_row"].format(h=e["hidden_size"], p=params(e), reach=reach(e),
                                               acc=acc_at(e, n)) for e in plain)
    summary = tr(lang, "s2s_widen_summary", n=n, rows=rows, h=ref["hidden_size"],
                 steps=longer[0]["train_steps"] if longer else ref["train_steps"],
                 longer=reach(longer[0]) if longer else "-",
                 longer_p=params(longer[0]) if longer else "-", att_p=params(att),
                 longer_acc=acc_at(longer[0], n) if longer else float("nan"),
                 att=reach(att), att_acc=acc_at(att, n), far=lengths[-1],
                 att_far=curve[att["file"]][1][-1])
    return fig, summary


@_messages
def decode(digits: str, task: str, attention: str, source: str, t: float, ticket: str | None,
           lang: str):
    """Both models on the user's digits: outputs token by token, the attention map, and the
    decoding step t (1-based) term by term."""
    src = encode_digits(digits)
    task, kind, source = _settings(task, attention, source)
    lang = lang_of(lang)
    S = src.shape[1]
    k = min(read(SETTINGS.t, t), S) - 1
    if source == "shipped":
        out = _decode_shipped(tuple(src[0].tolist()), task, kind, k, lang)
    else:
        out = _render_decode(models(task, kind, source, ticket), src, k, lang)
    # the slider is made per call, never cached: gradio strips a component it has sent as an
    # update, so a shared one would reach the next caller without its attributes
    return (*out, step_slider(S, k))


@shared_view(maxsize=256)
def _decode_shipped(src: tuple[int, ...], task: str, kind: str, k: int, lang: str) -> tuple:
    import torch

    return _render_decode(models(task, kind, "shipped", None), torch.tensor([src]), k, lang)


def _render_decode(m: dict, src, k: int, lang: str) -> tuple:
    w = LANGS[lang]
    S = src.shape[1]
    target = target_of(m["task"], src)[0].tolist()
    plain = greedy_decode(m["plain"], src, S).tokens[0].tolist()
    dec = greedy_decode(m["attention"], src, S)
    att = dec.tokens[0].tolist()
    table = outputs_html(src[0].tolist(), target, plain, att, w)
    score = tr(lang, "s2s_score", n=S, plain=sum(a == b for a, b in zip(plain, target)),
               att=sum(a == b for a, b in zip(att, target)))
    if m["train"][1] < S:
        score += " " + tr(lang, "s2s_beyond", n=S, hi=m["train"][1])
    heat = attention_heatmap(dec.attention[0].numpy(), src[0].tolist(), att, w)
    digits = src[0].tolist()
    # every output step, for the browser to step through with no request
    steps = attention_steps(m["attention"], src)
    texts = [_step_text(m, s, digits, target, lang) for s in steps]
    step = step_figures([(s.scores.numpy(), s.weights.numpy(), s.states.numpy(),
                          s.context.numpy(), s.probs.numpy()) for s in steps], digits,
                        target[:S], k, w, texts)
    for fig in (heat, *step):
        fig.update_layout(uirevision=repr((digits, m["task"], m["kind"], m["source"])))
    return table + f"<p>{score}</p>", heat, *step, texts[k]


def _step_text(m: dict, s, digits: list[int], target: list[int], lang: str) -> str:
    """What output step ``s.t`` does: where it looks, what it writes, and whether it is right."""
    w, k, S = LANGS[lang], s.t, len(digits)
    j = int(s.weights.argmax())
    top = float(s.weights[j])
    close = tr(lang, "s2s_close" if top >= 0.5 else "s2s_not_close", j=j + 1)
    # Luong's score: dot, s_t . h_j, over a one-way encoder; general, s_t^T W_k h_j, over a
    # two-way one (its 2H-float h_j need W_k to meet the H-float s_t)
    luong = w["s2s_score_general" if m["bi"] else "s2s_score_dot"]
    scores = w["s2s_n_scores"].format(S=S) if S > 1 else w["s2s_one_score"]
    text = tr(lang, "s2s_step_" + m["kind"], score=luong, t=k + 1,
              scores=scores, top=top, j=j + 1, d=digits[j], pred=s.token, close=close,
              cell=m["cell"].upper(),
              p=float(s.probs[s.token]), right=target[k],
              mark=w["s2s_right"] if s.token == target[k] else w["s2s_wrong"])
    if S == 1:
        text += " " + w["s2s_one_step"]
    return text


def step_slider(S: int, k: int) -> gr.Slider:
    """The output-step slider for a source of S digits, at step k + 1. One digit means one
    output step: nothing to choose, and gradio's Slider needs minimum < maximum (1 to 1 raises
    ValueError), so the slider is hidden then; its value stays 1."""
    if S == 1:
        return gr.Slider(minimum=1, maximum=2, value=1, step=1, visible=False)
    return gr.Slider(minimum=1, maximum=S, value=k + 1, step=1, visible=True)


def outputs_html(src: list[int], target: list[int], plain: list[int], att: list[int],
                 w: dict) -> str:
    """A table: the source, the right answer, and each model's digits, right or wrong."""
    def cells(row: list[int], ref: list[int] | None) -> str:
        out = []
        for i, d in enumerate(row):
            if ref is None:
                style = ""
            elif d == ref[i]:
                style = "background:#d4efe6;color:#00573f"
            else:
                style = f"background:#fbe0cf;color:{INPUT};font-weight:700"
            mark = "" if ref is None else ("✓" if d == ref[i] else "✗")
            out.append(f'<td style="{style};padding:2px 5px;text-align:center">{d}'
                       f'<br><small>{mark}</small></td>')
        return "".join(out)

    rows = [(w["s2s_row_src"], src, None), (w["s2s_row_target"], target, None),
            (w["s2s_row_plain"], plain, target), (w["s2s_row_att"], att, target)]
    body = "".join(f'<tr><th style="text-align:left;padding-right:8px;white-space:nowrap">'
                   f"{name}</th>{cells(row, ref)}</tr>" for name, row, ref in rows)
    return (f'<div style="overflow-x:auto"><table class="s2s-outputs" '
            f'style="border-collapse:collapse;font-family:monospace;font-size:1.05rem">'
            f"{body}</table></div>")


@_messages
def start_training(task: str, attention: str, cell: str, hidden_size: float, min_len: float,
                   max_len: float, steps: float, bidirectional: bool, ticket: str | None,
                   lang: str):
    """Train both models (without and with attention) on identical data as one job."""
    task, kind = read(SETTINGS.task, task), read(SETTINGS.attention, attention)
    cell, h = read(SETTINGS.cell, cell), read(SETTINGS.hidden_size, hidden_size)
    lo, hi = read(SETTINGS.min_len, min_len), read(SETTINGS.max_len, max_len)
    if hi < lo:
        raise LimitError("max_len", hi, lo, SETTINGS.max_len.high)
    plain = Seq2SeqConfig(cell=cell, hidden_size=h)
    attended = Seq2SeqConfig(cell=cell, hidden_size=h, attention=kind,
                             bidirectional=bidirectional).check()
    # the larger the models and the longer the inputs, the fewer steps (a run ends in minutes)
    n = read(SETTINGS.steps, steps)
    most = max_train_steps(attended, Seq2SeqTrainConfig(task=task, min_len=lo, max_len=hi))
    if n > most:
        raise OverBudget(h, lo, hi, most, n)
    cfg = Seq2SeqTrainConfig(task=task, min_len=lo, max_len=hi, steps=n).check()
    new = jobs().submit(pair_train_job, PairTrainRequest(plain, attended, cfg),
                        owner=job_owner("seq2seq"))
    release_ticket(ticket)
    return new, new, gr.Timer(active=True)


def poll(ticket: str | None, lang: str):
    """While training: progress and both loss curves; when done, switch the views over."""
    w = LANGS[lang_of(lang)]
    idle = (gr.skip(),) * 4
    if not isinstance(ticket, str):
        return "", loss_figure([], [], w), gr.Timer(active=False), *idle
    snap = session_snapshot(ticket)
    if snap is None:
        return tr(lang, "err_job"), loss_figure([], [], w), gr.Timer(active=False), *idle
    steps = snap.progress
    fig = loss_figure([s.loss_plain for s in steps], [s.loss_attention for s in steps], w)
    text = status_text(
        snap, lang, running=lambda: tr(lang, "s2s_job_running", step=len(steps),
                                       total=snap.request.steps, lp=steps[-1].loss_plain,
                                       la=steps[-1].loss_attention),
        done=lambda: tr(lang, "s2s_job_done", plain=snap.result["plain"]["accuracy"],
                        att=snap.result["attention"]["accuracy"]),
        cancelled=lambda: tr(lang, "s2s_job_cancelled"))
    if snap.status == "done":
        # the views switch to the user's models: the top radios say which they are
        attended, cfg = snap.request.attended, snap.request.train
        return (text, fig, gr.Timer(active=False), "trained", ticket, cfg.task,
                kind_radio(attended.attention, attended.bidirectional))
    return text, fig, gr.Timer(active=not snap.finished), *idle


loss_placeholder = placeholder(lambda w: loss_figure([], [], w))


def cancel(ticket: str | None, lang: str):
    if isinstance(ticket, str):
        jobs().cancel(ticket)
    return gr.Timer(active=False), tr(lang, "s2s_job_cancelled")


