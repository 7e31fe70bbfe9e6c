"""The Step-through-time tab's handlers, called directly."""

from __future__ import annotations

import re

import gradio as gr
import numpy as np
import pytest
import torch

from playground.tabs.step import figures
from playground.tabs.step import handlers as tab


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("weights", ["pretrained", "early", "random"])
def test_show_step_for_every_cell_and_weights(cell, weights):
    eq, pred, heat, text, slider = tab.show_step("hello", cell, 4, 1, weights, False, 2, None, "en")
    assert len(figures.equation_columns(eq)) >= 6 and len(pred.data) == 2
    assert "Step t = 2" in text


def test_the_equation_shows_the_real_terms():
    """The numbers drawn for step t are the module's own: checked against its forward."""
    model, source, _ = tab.choose(tab.config("hello", "rnn", 4), "pretrained", None)
    assert source == "pretrained"
    eq = tab.equation_figure(model, "hello", 2, False, "en")
    names = list(eq.layout.xaxis.ticktext)
    assert names == ["x_t", "h_(t-1)", "W_ih x_t", "b_ih", "W_hh h_(t-1)", "b_hh", "a_t",
                     "h_t =<br>tanh(a_t)", "y_t =<br>W_hy h_t<br>+ b_y"]
    assert eq.data[0].type == "heatmap"  # one heatmap: the browser redraws one trace a step
    col = figures.equation_columns(eq)
    assert [len(c) for c in col] == [4, 4, 4, 4, 4, 4, 4, 4, 4]
    with torch.no_grad():
        output, _ = model.rnn(model.vocab.one_hot("hello"))
        logits = model.head(output[2, 0]).numpy()
    np.testing.assert_allclose(col[1], output[1, 0].numpy(), atol=1e-6)  # h_{t-1}
    np.testing.assert_allclose(col[7], output[2, 0].numpy(), atol=1e-6)  # h_t
    np.testing.assert_allclose(np.tanh(col[6]), col[7], atol=1e-6)      # h_t = tanh(a_t)
    np.testing.assert_allclose(col[8], logits, atol=1e-6)               # y_t
    # the embedding of the one-hot 'l' is column 2 of W_ih
    np.testing.assert_allclose(col[2], model.rnn.weight_ih_l0[:, 2].detach().numpy(),
                               atol=1e-7)


def test_concatenated_form_gives_the_same_pre_activation():
    model, _, _ = tab.choose(tab.config("hello", "rnn", 4), "pretrained", None)
    fig = tab.equation_figure(model, "hello", 3, True, "en")
    W, v, b, a = (np.asarray(tr.z) for tr in fig.data)
    np.testing.assert_allclose(W @ v.reshape(-1) + b.reshape(-1), a.reshape(-1), atol=1e-5)
    split = tab.equation_figure(model, "hello", 3, False, "en")
    np.testing.assert_allclose(a.reshape(-1), figures.equation_columns(split)[6], atol=1e-6)


@pytest.mark.assets
def test_pretrained_hello_predicts_ello_and_early_one_does_not():
    pred = tab.prediction_figure
    for weights, expected in (("pretrained", "ello"), ("early", "eell")):
        model, _, _ = tab.choose(tab.config("hello", "rnn", 4), weights, None)
        got = ""
        for t in range(4):
            probs = np.asarray(pred(model, "hello", t, "en").data[0].y)
            got += model.vocab.symbols[int(probs.argmax())]
        assert got == expected


def test_teacher_forcing_and_generation_part_on_the_early_checkpoint():
    md, fig, _, units = tab.compare("hello", "rnn", 4, 1, "early", 0.01, "o", None, "en")
    assert "`eell`" in md and "`eeee`" in md and "part at step 3" in md
    md, _, _, _ = tab.compare("hello", "rnn", 4, 1, "pretrained", 0.01, "o", None, "en")
    assert "`ello`" in md and "agree" in md
    assert np.all(np.asarray(fig.data[0].y) > 0)


def test_own_text_uses_its_own_vocabulary():
    eq, _, _, text, slider = tab.show_step("안녕 안녕", "gru", 6, 1, "pretrained", False, 3,
                                           None, "ko")
    assert "무작위" in text  # no pretrained weights for this text
    # x_t's rows, labelled left of the first column, and y_t's right of the last
    assert list(eq.layout.yaxis.ticktext) == list(eq.layout.yaxis2.ticktext) == ["안", "녕", " "]
    assert eq.data[1].yaxis == "y2"  # Plotly draws an axis only with a trace on it
    assert [len(c) for c in figures.equation_columns(eq)][:2] == [3, 6]


def test_course_example_rows_repeat_only_when_read_as_time_steps():
    code = tab.course_example("en")
    default, batch_first = code.split("rnn.batch_first = True")
    rows = [re.findall(r"\[([^\]]+)\]", line) for line in default.splitlines()
            if line.startswith("# [")]
    assert len(rows) == 3 and all(len(r) == 5 for r in rows)
    # row 0 is time step 0 of "hello","eolll","lleel" read column-wise: h,e,l,l,o -> the two
    # 'l' columns start from the same h_0 and give the same output
    assert rows[0][2] == rows[0][3]
    bf_rows = [re.findall(r"\[([^\]]+)\]", line) for line in batch_first.splitlines()
               if line.startswith("# [")]
    # batch_first=True: each row is one word, read left to right; no two rows are equal
    assert len({tuple(r) for r in bf_rows}) == 3


@pytest.mark.parametrize("args,needle_en,needle_ko", [
    (("", "rnn", 4, 1, "pretrained", False, 1), "empty", "비어"),
    (("h", "rnn", 4, 1, "pretrained", False, 1), "at least 2", "2글자"),
    (("x" * 65, "rnn", 4, 1, "pretrained", False, 1), "65 characters", "65글자"),
    (("".join(chr(0xAC00 + k) for k in range(33)), "rnn", 4, 1, "pretrained", False, 1),
     "33 different", "33개"),
    (("hello", "rnn", 99, 1, "pretrained", False, 1), "hidden_size", "hidden_size"),
    (("hello", "rnn", 4, 7, "pretrained", False, 1), "num_layers", "num_layers"),
    (("hello", "rnn", 4, 1, "pretrained", False, "x"), "t", "t"),
    ((7, "rnn", 4, 1, "pretrained", False, 1), "text", "text"),
])
def test_bad_input(args, needle_en, needle_ko):
    for lang, needle in (("en", needle_en), ("ko", needle_ko)):
        with pytest.raises(gr.Error) as e:
            tab.show_step(*args, None, lang)
        assert needle.lower() in e.value.message.lower()


def test_temperature_must_be_positive():
    for temp in (0, -1):
        with pytest.raises(gr.Error, match="emperature"):
            tab.compare("hello", "rnn", 4, 1, "pretrained", temp, "o", None, "en")


def test_stacked_layers_show_every_layer():
    eq, pred, heat, text, _ = tab.show_step("hello", "gru", 3, 2, "pretrained", False, 2, None,
                                            "en")
    assert "layer 2" in text.lower() and "random" in text  # no shipped 2-layer weights
    assert len([d for d in heat.data if d.type == "heatmap"]) == 2
    model, _, _ = tab.choose(tab.config("hello", "gru", 3, 2), "pretrained", None)
    with torch.no_grad():
        output, _ = model.rnn(model.vocab.one_hot("hello"))
    from engine.charlm import step_numbers
    n = step_numbers(model, "hello", 1)
    torch.testing.assert_close(n.h_layers[-1], output[1, 0], atol=1e-6, rtol=0)


def test_units_view_shows_every_unit_at_every_character():
    *_, units = tab.compare("hello world", "rnn", 5, 1, "random", 1.0, "h", None, "en")
    z = np.asarray(units.data[0].z)
    assert z.shape == (5, 11) and np.all(np.abs(z) <= 1)
    assert list(units.data[0].text[0]) == list("hello") + ["␣"] + list("world")


def test_pause_keeps_the_weights_and_train_resumes_from_them(thread_jobs):
    import time

    jm = thread_jobs
    ticket, _, _ = tab.start_training("hello", "rnn", 4, 1, 1000, None, "en")
    end = time.monotonic() + 30
    while len(jm.snapshot(ticket).progress) < 20 and time.monotonic() < end:
        time.sleep(0.01)
    timer, text = tab.pause(ticket, "en")
    assert "Paused after" in text
    while jm.snapshot(ticket).status != "cancelled" and time.monotonic() < end:
        time.sleep(0.01)
    assert jm.snapshot(ticket).status == "cancelled"
    paused = tab.choose(tab.config("hello", "rnn", 4), "random", ticket)
    assert paused[1] == "trained"  # the paused weights stay on screen
    state = [m.state for m in jm.snapshot(ticket).progress if m.state][-1]
    resumed, _, _ = tab.start_training("hello", "rnn", 4, 1, 50, ticket, "en")
    assert jm.snapshot(resumed).request.init_state == state  # started from the paused run's weights


def test_loss_plot_before_training_says_what_will_appear():
    from playground.serving import loss_placeholder

    assert "손실이 단계별로" in loss_placeholder(None, "ko").layout.annotations[0].text
    assert "once training starts" in loss_placeholder(None, "en").layout.annotations[0].text
    assert isinstance(loss_placeholder("a-ticket", "en"), type(gr.skip()))  # left to the poll


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_a_two_character_text_draws_every_panel(cell, lang):
    """"ab": the step view drew while the comparison said "needs at least 2 characters" (it
    checked text[:-1], the part teacher forcing reads, with the training text's rule)."""
    _, _, _, text, _ = tab.show_step("ab", cell, 4, 1, "pretrained", False, 1, None, lang)
    md, blur, first, units, blur_md = tab.compare_view("ab", cell, 4, 1, "pretrained", 1.0, "e",
                                                       None, lang)
    from engine.charlm import forward_blur

    model, _, _ = tab.choose(tab.config("ab", cell, 4), "pretrained", None)
    # 'e' is not in the text: the first character that differs from 'a' is read instead
    np.testing.assert_allclose(blur.data[0].y, forward_blur(model, "ab", "b").numpy(), rtol=1e-6)
    assert "`a`" in md and len(blur.data[0].y) == 2
    assert np.asarray(units.data[0].z).shape == (4, 2) and "‖h_t − h′_t‖" in blur_md
    assert len(tab.compare("ab", cell, 4, 1, "pretrained", 1.0, "e", None, lang)) == 4  # the API


def _mean_and_sum(fig) -> tuple[float, float]:
    text = fig.layout.annotations[2].text
    mean = float(re.search(r"(?:mean|평균): L = \(1/\d+\) Σ L_t = ([\d.e+-]+)", text).group(1))
    total = float(re.search(r"(?:sum|합): Σ L_t = ([\d.e+-]+)", text).group(1))
    return mean, total


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("weights", ["pretrained", "early"])
def test_summed_loss_is_shown_beside_the_mean(weights, lang):
    """The course notes' L = Σ L_t next to PyTorch's mean, both from the bars' L_t."""
    from engine.charlm import step_losses

    model, _, _ = tab.choose(tab.config("hello", "rnn", 4), weights, None)
    fig = tab.prediction_figure(model, "hello", 1, lang)
    bars = np.asarray(fig.data[1].y, dtype=float)
    mean, total = _mean_and_sum(fig)
    assert total == pytest.approx(bars.sum(), rel=1e-3)
    assert total == pytest.approx(float(step_losses(model, "hello").sum()), rel=1e-3)
    assert mean == pytest.approx(total / len(bars), rel=1e-3) and len(bars) == 4
    assert fig.layout.shapes[0].y0 == pytest.approx(bars.mean())  # the dashed line is the mean


def test_the_intro_gives_the_right_tanh_and_names_the_notes_misprint():
    from playground.i18n import EN, KO

    x = np.linspace(-4, 4, 81)
    sigmoid = 1 / (1 + np.exp(-x * 2))
    np.testing.assert_allclose(np.tanh(x), 2 * sigmoid - 1, atol=1e-12)  # tanh(x) = 2σ(2x) − 1
    notes = (1 - np.exp(-x)) / (1 + np.exp(-x))
    np.testing.assert_allclose(notes, np.tanh(x / 2), atol=1e-12)  # the notes' formula
    assert np.abs(notes - np.tanh(x)).max() > 0.2
    for words in (EN, KO):
        intro = words["st_intro"]
        assert "tanh(x) = (e^x − e^−x) / (e^x + e^−x) = 2σ(2x) − 1" in intro
        assert "(1 − e^−x) / (1 + e^−x)" in intro and "tanh(x/2)" in intro
        assert "Σ_t L_t" in intro


@pytest.mark.parametrize("weights,part", [("early", 3), ("random", None)])
def test_teacher_forcing_is_compared_greedy_with_greedy(weights, part):
    """The temperature changes only the sampled line; teacher forcing is compared with greedy
    generation. (The early checkpoint at T = 1 samples 'llol': it used to 'part at step 1'.)"""
    texts = {}
    for temp in (0.01, 1.0, 5.0):
        md, *_ = tab.compare("hello", "rnn", 4, 1, weights, temp, "o", None, "en")
        tf_part, sample = md.split("**Sampling**")
        texts[temp] = tf_part
        assert f"T = {temp:g} (random seed {tab.SAMPLE_SEED})" in sample
    assert len(set(texts.values())) == 1  # teacher forcing vs greedy: not the temperature's
    if part:
        assert f"part at step {part}" in texts[1.0]
    else:
        assert "agree at every step" in texts[1.0]
    md, *_ = tab.compare("hello", "rnn", 4, 1, "early", 1.0, "o", None, "en")
    assert "`llol`" in md and "leaves greedy generation at step 1 by chance" in md
    md, *_ = tab.compare("hello", "rnn", 4, 1, "early", 1.0, "o", None, "ko")
    assert "3단계에서 갈라집니다" in md and "1단계에서 탐욕적 생성과 달라지는데" in md


FADES = {"en": "influence fades.", "ko": "첫 글자의 영향이 흐려집니다."}


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("cell,weights", [("rnn", "pretrained"), ("rnn", "early"),
                                          ("lstm", "pretrained"), ("gru", "pretrained"),
                                          ("lstm", "random"), ("gru", "random")])
def test_blurring_explanation_follows_the_cell_and_the_measured_numbers(cell, weights, lang):
    from engine.charlm import forward_blur

    model, _, _ = tab.choose(tab.config("hello", cell, 4), weights, None)
    *_, md = tab.compare_view("hello", cell, 4, 1, weights, 1.0, "e", None, lang)
    measured = forward_blur(model, "hello", "e").numpy()
    stated = [float(v) for v in re.search(r": ([\d., e+-]+)\.", md).group(1).split(", ")]
    np.testing.assert_allclose(stated, measured, rtol=5e-3)
    fades = bool(np.all(np.diff(measured) < 0))
    assert (FADES[lang] in md) == fades  # "fades" only where every step is smaller
    mechanism = {"rnn": ("**Plain RNN.**", "**기본 RNN.**"), "lstm": ("forget gate", "망각 게이트"),
                 "gru": ("update gate", "업데이트 게이트")}[cell][lang == "ko"]
    assert mechanism in md
    if cell != "rnn":  # a gated cell can keep a difference alive
        assert ("need not fade" if lang == "en" else "흐려지지 않을 수") in md


def test_the_shipped_lstm_is_not_said_to_fade():
    *_, md = tab.compare_view("hello", "lstm", 4, 1, "pretrained", 1.0, "e", None, "en")
    assert "1.63, 0.609, 1.76, 0.433, 0.904" in md and "fades" not in md.split("\n\n")[0]
    assert "grows again at step 3, 5" in md


def test_blurring_verdicts_on_chosen_numbers():
    cfg = tab.config("hello", "rnn", 4)
    assert "shrinks at every step, to 10%" in tab.blur_text(cfg, np.array([1.0, 0.5, 0.1]), "en")
    grows = tab.blur_text(cfg, np.array([1.0, 0.5, 2.0]), "en")
    assert "does not fade" in grows and "grows at step 3" in grows and "fades." not in grows
    assert "same in both runs" in tab.blur_text(cfg, np.zeros(3), "en")
    two = tab.blur_text(tab.config("hello", "rnn", 4, 2), np.array([1.0, 0.5, 0.1]), "ko")
    assert "층이 2개이면" in two


@pytest.mark.parametrize("lang,column", [("en", "columns are counted from 0"),
                                         ("ko", "열 번호는 PyTorch처럼 0부터")])
def test_the_column_of_w_ih_is_numbered_as_the_math_shows(lang, column):
    *_, text, _ = tab.show_step("hello", "rnn", 4, 1, "pretrained", False, 3, None, lang)
    assert "W_ih[:, 2]" in text and column in text  # 'l' is symbol 2 of h, e, l, o


def test_korean_step_strings_put_no_fixed_particle_after_a_variable():
    from playground.i18n import EN, KO

    keys = [k for k in EN if k.startswith(("st_", "fig_")) and k not in ("st_course",)]
    particle = re.compile(r"\}[*`]*(?:을|를|이|가|은|는|와|과|로|으로)(?=[\s.,:;)]|$)")
    for k in keys:
        assert not particle.search(KO[k]), (k, KO[k])
        assert "크로스" not in KO[k] and "앞으로 번지는" not in KO[k]
    assert KO["st_blur_title"].startswith("#### 순방향 흐려짐")


def test_temperature_empty_out_of_range_and_typing():
    for lang, needle in (("en", "temperature is empty"), ("ko", "온도 칸이 비어")):
        with pytest.raises(gr.Error) as e:
            tab.compare("hello", "rnn", 4, 1, "pretrained", None, "o", None, lang)
        assert needle in e.value.message and "None" not in e.value.message
        assert f"{tab.TEMPERATURE[0]}" in e.value.message
    with pytest.raises(gr.Error, match="between 0.01 and 5.0"):
        tab.compare("hello", "rnn", 4, 1, "pretrained", 7, "o", None, "en")
    # while typing: a number half typed waits; a number in range redraws
    for partial in (None, "", 0, 7):
        out = tab.compare_typing("hello", "rnn", 4, 1, "pretrained", partial, "o", None, "en")
        assert all(isinstance(o, type(gr.skip())) for o in out) and len(out) == 5
    md, *_ = tab.compare_typing("hello", "rnn", 4, 1, "pretrained", 0.5, "o", None, "en")
    assert "T = 0.5" in md


@pytest.mark.slow
def test_the_api_documents_first_and_temperature_by_what_they_accept(client, app_url):
    import httpx

    info = client.view_api(print_info=False, return_format="dict")
    params = {p["parameter_name"]: p
              for p in info["named_endpoints"]["/teacher_forcing_vs_generation"]["parameters"]}
    assert list(params) == ["text", "cell", "hidden_size", "num_layers", "weights",
                            "temperature", "first", "lang"]  # the same parameters as before
    first = params["first"]
    assert first["python_type"]["type"] == "str" and "enum" not in first["type"]
    assert "a character of `text`" in first["python_type"]["description"]
    temp = params["temperature"]["python_type"]
    assert temp["type"] == "float" and f"from {tab.TEMPERATURE[0]} to {tab.TEMPERATURE[1]}" \
        in temp["description"]
    raw = httpx.get(app_url.rstrip("/") + "/gradio_api/info").json()
    first_raw = [p for p in raw["named_endpoints"]["/teacher_forcing_vs_generation"]["parameters"]
                 if p["parameter_name"] == "first"][0]
    assert first_raw["type"] == {"type": "string", "description": tab.FIRST_INFO,
                                 "additional_description": tab.FIRST_INFO}
    # any character of the text is accepted, not only the 'e' the page was built with
    md, fig, chosen, units = client.predict("banana", "rnn", 4, 1, "random", 1.0, "n", "en",
                                            api_name="/teacher_forcing_vs_generation")
    assert chosen["value"] == "n" and "Greedy generation" in md


def test_the_weights_radio_says_what_the_view_shows():
    """Pretrained (or early) weights exist only for "hello", hidden 4, one layer (early: RNN);
    elsewhere the view shows random weights, and the radio follows."""
    assert tab.weights_shown("hello", "gru", 4, 1, "pretrained") == "pretrained"
    assert tab.weights_shown("hello", "rnn", 4, 1, "early") == "early"
    for settings in (("hello", "rnn", 6, 1), ("hello", "rnn", 4, 2), ("world", "lstm", 4, 1)):
        assert tab.weights_shown(*settings, "pretrained") == "random"
        _, source, _ = tab.choose(tab.config(*settings), "pretrained", None)
        assert source == "random"
    assert tab.weights_shown("hello", "gru", 4, 1, "early") == "random"


@pytest.mark.parametrize("bad", [dict(weights="x" * 100_000), dict(concat="abc"),
                                 dict(concat=float("nan")), dict(first="ee")])
def test_loose_input_is_refused_before_any_cache_with_a_short_message(bad):
    args = dict(text="hello", cell="rnn", hidden_size=4, num_layers=1, weights="pretrained",
                concat=False, t=1, ticket=None, lang="en")
    handler = tab.show_step
    if "first" in bad:
        args = {**{k: v for k, v in args.items() if k not in ("concat", "t")},
                "temperature": 1.0, "first": "e"}
        handler = tab.compare
    args.update(bad)
    with pytest.raises(gr.Error) as e:
        handler(**args)
    assert len(str(e.value)) < 300  # names the value, does not repeat 100 kB of it


@pytest.mark.parametrize("lang,n,text", [("en", 1, "Paused after 1 step."),
                                         ("en", 3, "Paused after 3 steps."),
                                         ("ko", 1, "1단계 뒤 일시정지")])
def test_paused_counts_its_steps(lang, n, text):
    from playground.i18n import count, tr

    assert tr(lang, "st_paused", steps=count(lang, "n_steps", n)).startswith(text)
