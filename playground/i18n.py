"""Every visible string, in English and Korean.

Labels and static text go to the browser as ``gr.I18n`` keys (the browser's language picks, the
footer's Settings dialog switches). Text made by a handler (explanations with numbers, figure
titles, error messages) is rendered on the server with :func:`tr`, in the language the page
reports (see ``playground.app``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import gradio as gr

from engine import LimitError, QueueFull, TaskInputError, UnknownJob, UnrollError
from engine.charlm import TextError
from engine.limits import LIMITS
from engine.models import AutoregressiveError
from engine.seq2seq import MAX_SRC_LEN, DigitsError

EN: dict[str, str] = {
    "lang_code": "en",
    "title": "# Unrolled: how recurrent neural networks work",
    "subtitle": "Pick a topology, step through time, and see the real PyTorch module at work. "
                "Every number comes from a real model.",
    # -- Topologies tab
    "tab_topologies": "Topologies",
    "one_to_many": "One-to-many",
    "cell": "Cell",
    "num_layers": "Layers (num_layers)",
    "bidirectional": "Bidirectional",
    "step": "Time step t",
    "play": "▶ Play",
    "pause": "■ Pause",
    "train_steps": "Training steps",
    "seed": "Seed",
    "loss_plot": "Training loss",
    "fig_layer": "layer",
    "fig_heat_title": "h_t of each unit at each step (t={t} outlined)",
    "fig_unit": "unit",
    "fig_loss_title": "Loss while training<br><sup>cross-entropy per target token</sup>",
    "fig_train_step": "training step",
    "fig_loss": "loss",
    "fig_loss_empty": "The loss appears here,<br>step by step,<br>once training starts.",
    "job_starting": "Starting the training worker…",
    "right": "(✓ right)",
    "job_queued": "Waiting in the queue: position {pos}. Training runs one job at a time so "
                  "that the page stays quick for everyone.",
    "job_wait": "It should start in about {wait} (from how long the last runs took).",
    "job_failed": "Training failed: {error}",
    # -- Step through time tab
    "tab_step": "Step through time",
    # errors; a checked parameter's name in a message, where no label of the page names it
    "text": "Text",
    "t": "Time step t",
    "weights": "Weights",
    "concat": "Concatenated form",
    "temperature": "Sampling temperature",
    "first": "Character read in place of the first",
    "ticket": "Ticket",
    "n_values_one": "{n} value",
    "n_values_many": "{n} values",
    "n_symbols_one": "{n} symbol",
    "n_symbols_many": "{n} symbols",
    "n_steps_one": "{n} step",
    "n_steps_many": "{n} steps",
    "job_cancelled": "Training cancelled.",
    "err_arity": "{endpoint} takes {count}: {names}; got {got}.",
    "err_arity_none": "{endpoint} takes no values; got {got}.",
    "err_arity_state": "{endpoint} takes {count} in data: {names} (null in place of a "
                       "session's state); got {got}.",
    "err_kwargs": "{endpoint} has no parameter {bad}: its parameters are {names}.",
    "err_kwargs_missing": "{endpoint} needs a value for {missing}.",
    "err_endpoint": "There is no endpoint {endpoint}; the endpoints are {names}.",
    "err_range": "{name} must be between {low} and {high} (got {value}).",
    "err_equal": "{name} must be {low} (got {value}).",
    "err_type": "{name} must be {expected} (got {value}).",
    "err_empty": "The input is empty: type some of {vocab}.",
    "err_vocab": "{bad} cannot be read by this task: use only {vocab}.",
    "err_length": "The input has {count}; this task takes {low} to {high}.",
    "err_length_exact": "The input has {count}; this task takes exactly {need}.",
    "err_autoregressive": "A {topology} model is autoregressive (each step reads its previous "
                          "output), so it cannot be bidirectional.",
    "err_queue": "Too many training jobs are waiting right now; please try again in a minute.",
    "err_job": "That training job is no longer known (it may have expired); start it again.",
    "err_text_empty": "The text is empty: type a word or a sentence.",
    "err_text_short": "The text needs at least 2 characters: one to read, one to predict.",
    "err_text_long": "The text has {n} characters; at most {max} are allowed.",
    "err_text_vocab": "The text has {n} different characters; at most {max} are allowed.",
    "err_internal": "Something went wrong on the server: {error}",
    "err_unexpected": "Something went wrong on the server (it has been logged for the "
                      "developers); please try a different input.",
}

KO: dict[str, str] = {
    "lang_code": "ko",
    "title": "# Unrolled: 순환 신경망은 어떻게 동작할까",
    "subtitle": "구조를 고르고, 시간을 한 단계씩 따라가며, 실제 PyTorch 모듈이 일하는 모습을 "
                "보세요. 모든 숫자는 실제 모델에서 나옵니다.",
    "tab_topologies": "구조 (Topologies)",
    "one_to_many": "일대다 (one-to-many)",
    "cell": "셀",
    "num_layers": "층 수 (num_layers)",
    "bidirectional": "양방향 (bidirectional)",
    "step": "시간 단계 t",
    "play": "▶ 재생",
    "pause": "■ 일시정지",
    "train_steps": "학습 단계 수",
    "seed": "시드",
    "loss_plot": "학습 손실",
    "fig_layer": "층",
    "fig_heat_title": "각 유닛의 단계별 h_t (t={t} 표시)",
    "fig_unit": "유닛",
    "fig_loss_title": "학습 중 손실<br><sup>출력 토큰당 교차 엔트로피</sup>",
    "fig_train_step": "학습 단계",
    "fig_loss": "손실",
    "fig_loss_empty": "학습이 시작되면<br>여기에 손실이 단계별로<br>나타납니다.",
    "job_starting": "학습 작업을 시작하는 중…",
    "right": "(✓ 정답)",
    "job_queued": "대기열 {pos}번째. 모두에게 페이지가 빠르게 유지되도록 학습은 한 번에 "
                  "하나씩 실행됩니다.",
    "job_wait": "최근 학습들이 걸린 시간으로 보면 약 {wait} 뒤에 시작합니다.",
    "job_failed": "학습 실패: {error}",
    "tab_step": "시간 따라가기 (Step through time)",
    "text": "텍스트",
    "t": "시간 단계 t",
    "weights": "가중치",
    "concat": "이어 붙인 형태",
    "temperature": "샘플링 온도",
    "first": "첫 글자 대신 읽을 글자",
    "ticket": "작업 티켓",
    "n_values_one": "값 {n}개",
    "n_values_many": "값 {n}개",
    "n_symbols_one": "{n}개",
    "n_symbols_many": "{n}개",
    "n_steps_one": "{n}단계",
    "n_steps_many": "{n}단계",
    "job_cancelled": "학습이 취소되었습니다.",
    "err_arity": "{endpoint}에는 {count}({names})를 넘겨야 하는데 {got}개를 받았습니다.",
    "err_arity_none": "{endpoint}에는 값을 넘기지 않아야 하는데 {got}개를 받았습니다.",
    "err_arity_state": "{endpoint}에는 data에 {count}({names}; 세션 상태 자리는 null)를 "
                       "넘겨야 하는데 {got}개를 받았습니다.",
    "err_kwargs": "{endpoint}에는 {bad} 매개변수가 없습니다. 매개변수는 {names}입니다.",
    "err_kwargs_missing": "{endpoint}에는 {missing} 값이 필요합니다.",
    "err_endpoint": "{endpoint} 엔드포인트는 없습니다. 엔드포인트는 {names}입니다.",
    "err_range": "{name} 값은 {low}에서 {high} 사이여야 합니다 (입력값: {value}).",
    "err_equal": "{name} 값으로는 {low}만 쓸 수 있습니다 (입력값: {value}).",
    "err_type": "{name} 값은 {expected}이어야 합니다 (입력값: {value}).",
    "err_empty": "입력이 비어 있습니다: {vocab} 중에서 입력하세요.",
    "err_vocab": "{bad}은(는) 이 과제가 읽을 수 없는 기호입니다: {vocab}만 쓰세요.",
    "err_length": "입력 기호가 {count}입니다. 이 과제는 {low}개에서 {high}개까지 받습니다.",
    "err_length_exact": "입력 기호가 {count}입니다. 이 과제는 정확히 {need}를 받습니다.",
    "err_autoregressive": "{topology} 모델은 자기회귀(각 단계가 직전 출력을 읽음)이므로 양방향이 "
                          "될 수 없습니다.",
    "err_queue": "지금은 대기 중인 학습이 너무 많습니다. 1분 뒤에 다시 시도하세요.",
    "err_job": "그 학습 작업을 더는 찾을 수 없습니다 (만료되었을 수 있음). 다시 시작하세요.",
    "err_text_empty": "텍스트가 비어 있습니다: 단어나 문장을 입력하세요.",
    "err_text_short": "텍스트는 적어도 2글자여야 합니다: 읽을 글자 하나, 예측할 글자 하나.",
    "err_text_long": "텍스트가 {n}글자입니다. 최대 {max}글자까지 됩니다.",
    "err_text_vocab": "텍스트에 서로 다른 글자가 {n}개 있습니다. 최대 {max}개까지 됩니다.",
    "err_internal": "서버에서 문제가 생겼습니다: {error}",
    "err_unexpected": "서버에서 문제가 생겼습니다 (개발자를 위해 서버 기록에 "
                      "남겼습니다). 다른 입력으로 다시 해 보세요.",
}

assert EN.keys() == KO.keys(), set(EN) ^ set(KO)

LANGS = {"en": EN, "ko": KO}
I18N = gr.I18n(en=EN, ko=KO)  # holds these dicts: what tabs register later is in it too


def register(en: dict[str, str], ko: dict[str, str]) -> None:
    """Add a tab's strings (its ``strings.py`` calls this when imported). A key may be defined
    once, in both languages."""
    assert en.keys() == ko.keys(), set(en) ^ set(ko)
    clash = en.keys() & EN.keys()
    assert not clash or all(EN[k] == en[k] and KO[k] == ko[k] for k in clash), clash
    EN.update(en)
    KO.update(ko)


def lang_of(value: object) -> str:
    """Normalise a language code from the page or the API ("ko-KR" -> "ko"); English otherwise."""
    return "ko" if isinstance(value, str) and value.lower().startswith("ko") else "en"


def tr(lang: str, key: str, **kw: object) -> str:
    """The string ``key`` in ``lang``, formatted with ``kw``."""
    text = LANGS[lang_of(lang)][key]
    return text.format(**kw) if kw else text


def count(lang: str, key: str, n: int) -> str:
    """``n`` with its noun in the user's language: "1 symbol", "3 symbols", "3개".

    ``key`` names a pair of strings, ``key + "_one"`` and ``key + "_many"`` (e.g. "n_symbols").
    """
    return tr(lang, key + ("_one" if n == 1 else "_many"), n=n)


def words(lang: str) -> dict[str, str]:
    return LANGS[lang_of(lang)]


def quote(value: object, limit: int = 40) -> str:
    """``repr(value)``, cut to ``limit`` characters: a message names a bad value, it does not
    repeat a large one back."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


class UserError(ValueError):
    """Something the user asked for that cannot be done, as a message key and its parameters:
    the message is made in the user's language when it is shown. A parameter may be a function
    of the language (a name that itself needs translating)."""

    def __init__(self, key: str, **params: object):
        super().__init__(key + (f" {params}" if params else ""))
        self.key, self.params = key, params

    def text(self, lang: str) -> str:
        return tr(lang, self.key, **{k: v(lang) if callable(v) else v
                                     for k, v in self.params.items()})


def message(exc: Exception, lang: str, labels: Mapping[str, str] | None = None) -> str:
    """A clear message, in the user's language, naming what was wrong: the one translator of
    errors for every tab. ``labels`` maps a parameter's name to the key of its label on the
    tab (default: a key of the same name)."""
    if isinstance(exc, UserError):
        return exc.text(lang)
    if isinstance(exc, AutoregressiveError):
        return tr(lang, "err_autoregressive", topology=tr(lang, "one_to_many"))
    if isinstance(exc, TextError):
        return tr(lang, "err_text_" + exc.kind, n=exc.detail, max=LIMITS.max_text_len
                  if exc.kind == "long" else LIMITS.max_vocab)
    if isinstance(exc, DigitsError):
        return tr(lang, "s2s_err_" + exc.kind, bad=quote(exc.detail), n=exc.detail,
                  max=MAX_SRC_LEN)
    if isinstance(exc, TaskInputError):
        return _task_input(exc, lang)
    if isinstance(exc, LimitError):
        return _limit(exc, lang, labels or {})
    if isinstance(exc, QueueFull):
        return tr(lang, "err_queue")
    if isinstance(exc, UnknownJob):
        return tr(lang, "err_job")
    if isinstance(exc, UnrollError):
        return str(exc)
    return tr(lang, "err_internal", error=f"{type(exc).__name__}: {exc}")


def _task_input(exc: TaskInputError, lang: str) -> str:
    vocab = " ".join(exc.task.in_vocab)
    if exc.kind == "empty":
        return tr(lang, "err_empty", vocab=vocab)
    if exc.kind == "vocab":
        bad = " ".join(repr(c) for c in exc.detail)
        return tr(lang, "err_vocab", bad=bad if len(bad) <= 40 else bad[:39] + "…", vocab=vocab)
    got, low, high = exc.detail, exc.task.min_len, exc.task.max_len
    if low == high:  # not "takes 1 to 1"
        return tr(lang, "err_length_exact", count=count(lang, "n_symbols", got),
                  need=count(lang, "n_symbols", low))
    return tr(lang, "err_length", count=count(lang, "n_symbols", got), low=low, high=high)


def _limit(exc: LimitError, lang: str, labels: Mapping[str, str]) -> str:
    words = LANGS[lang_of(lang)]
    label = words.get(labels.get(exc.name, exc.name), exc.name)
    # the label the user sees, and the parameter's name for those scripting the API
    name = label if exc.name.lower() in label.lower() else f"{label} ({exc.name})"
    if exc.low is not None and exc.low == exc.high:  # a range of one value
        return tr(lang, "err_equal", name=name, low=exc.low, value=quote(exc.value))
    if exc.low is not None:
        return tr(lang, "err_range", name=name, low=exc.low, high=exc.high, value=quote(exc.value))
    return tr(lang, "err_type", name=name, expected=expected_text(exc.expected, lang),
              value=quote(exc.value))


_KO_EXPECTED = [(re.compile(r"^a whole number$"), "정수"), (re.compile(r"^a number$"), "숫자"),
                (re.compile(r"^true or false$"), "참 또는 거짓"), (re.compile(r"^text$"), "텍스트"),
                (re.compile(r"^a string$"), "문자열"),
                (re.compile(r"^one character of the text$"), "텍스트에 있는 글자 하나"),
                (re.compile(r"^one of (.+)$"), r"\1 중 하나"),
                (re.compile(r"^(\w+) or (\w+)$"), r"\1 또는 \2")]


def expected_text(expected: str, lang: str) -> str:
    """The engine's "expected ..." phrase, in Korean where it is one of the common ones."""
    if lang_of(lang) == "ko":
        for pattern, ko in _KO_EXPECTED:
            if pattern.match(expected):
                return pattern.sub(ko, expected)
    return expected


# What a user can get wrong (checked input, a full queue, an expired job): the message says
# what to change. Anything else is a bug of ours: logged, and shown as a generic message.
EXPECTED_ERRORS = (UserError, LimitError, TaskInputError, QueueFull, UnknownJob, UnrollError)
