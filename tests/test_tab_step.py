"""The Step-through-time tab's handlers, called directly."""

from __future__ import annotations

import re

import gradio as gr
import numpy as np
import pytest
import torch

from playground import step_through as tab


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("weights", ["pretrained", "early", "random"])
def test_show_step_for_every_cell_and_weights(cell, weights):
    eq, pred, heat, text, slider = tab.show_step("hello", cell, 4, 1, weights, False, 2, None, "en")
    assert len(eq.data) >= 6 and len(pred.data) == 2 and "Step t = 2" in text


def test_the_equation_shows_the_real_terms():
    """The numbers drawn for step t are the module's own: checked against its forward."""
    model, source, _ = tab.choose(tab.config("hello", "rnn", 4), "pretrained", None)
    assert source == "pretrained"
    eq = tab.equation_figure(model, "hello", 2, False, "en")
    names = [a.text for a in eq.layout.annotations][:9]
    assert names == ["x_t", "h_(t-1)", "W_ih x_t", "b_ih", "W_hh h_(t-1)", "b_hh", "a_t",
                     "h_t =<br>tanh(a_t)", "y_t =<br>W_hy h_t<br>+ b_y"]
    col = [np.asarray(d.z).reshape(-1) for d in eq.data]
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
    np.testing.assert_allclose(a.reshape(-1), np.asarray(split.data[6].z).reshape(-1), atol=1e-6)


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
    assert list(eq.data[0].y) == ["안", "녕", " "]


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


def test_pause_keeps_the_weights_and_train_resumes_from_them():
    import time

    from engine import JobManager
    from playground import common

    jm = JobManager(max_running=1, backend="thread")
    old, common._jobs = common._jobs, jm
    try:
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
        assert jm.snapshot(resumed).args[4] == state  # started from the paused run's weights
    finally:
        common._jobs = old
        jm.shutdown()


def test_loss_plot_before_training_says_what_will_appear():
    from playground.common import loss_placeholder

    assert "손실이 단계별로" in loss_placeholder(None, "ko").layout.annotations[0].text
    assert "once training starts" in loss_placeholder(None, "en").layout.annotations[0].text
    assert isinstance(loss_placeholder("a-ticket", "en"), type(gr.skip()))  # left to the poll
