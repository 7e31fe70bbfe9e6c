"""The Seq2seq-vs-attention tab's handlers, called directly."""

from __future__ import annotations

import time

import gradio as gr
import numpy as np
import pytest

from engine import JobManager
from engine.seq2seq import accuracy_by_length, attention_step, encode_digits, greedy_decode
from playground import common
from playground import seq2seq as tab


@pytest.mark.parametrize("task,kind", [("reverse", "additive"), ("reverse", "dot"),
                                       ("copy", "additive")])
def test_headline_draws_both_models_from_the_manifest(task, kind):
    by_len, by_pos, caption = tab.compare(task, kind, "shipped", None, "en")
    lines = [d for d in by_len.data if d.type == "scatter"]
    assert len(lines) == 2 and lines[0].name == "no attention"
    plain, att = tab.shipped_entry(task, None), tab.shipped_entry(task, kind)
    assert list(lines[0].y) == plain["by_length"]["accuracy"]
    assert list(lines[1].y) == att["by_length"]["accuracy"]
    # the trained range is marked, and the curve reaches beyond it
    shape = by_len.layout.shapes[0]
    assert (shape.x0, shape.x1) == (4.5, 20.5) and max(lines[0].x) > 20
    assert len(by_pos.data[0].y) == 20
    assert f"{plain['accuracy']:.1f}%" in caption and "64" in caption


@pytest.mark.slow
def test_stored_curves_are_what_the_model_measures():
    """The first view's numbers (stored at pretrain time) are the shipped model's own."""
    m = tab.models("reverse", "additive", "shipped", None)
    lengths = [5, 12, 20, 23]
    stored = [m["by_length"][1][m["lengths"].index(n)] for n in lengths]
    fresh = accuracy_by_length(m["attention"], "reverse", lengths, n=200, seed=99)
    np.testing.assert_allclose(fresh, stored, atol=6.0)


def test_korean_headline():
    by_len, _, caption = tab.compare("reverse", "additive", "shipped", None, "ko")
    assert "어텐션 없음" in by_len.data[0].name + by_len.data[1].name
    assert "제공된 모델" in caption


def test_bottleneck_widening_view():
    fig, text = tab.bottleneck("en")
    names = [d.name for d in fig.data]
    assert sum("no attention, H =" in n for n in names) >= 4  # 3+ widths and the longer run
    assert any("attention, H = 64" in n and "no" not in n for n in names)
    assert "20 digits" in text and "H = 16" in text and "H = 128" in text
    fig_ko, text_ko = tab.bottleneck("ko")
    assert "어텐션 없이" in text_ko


def test_decode_outputs_heatmap_and_step():
    html, heat, step, text, slider = tab.decode("31415926", "reverse", "additive", "shipped", 3,
                                                None, "en")
    src = encode_digits("31415926")
    model = tab.models("reverse", "additive", "shipped", None)["attention"]
    dec = greedy_decode(model, src, 8)
    np.testing.assert_allclose(np.asarray(heat.data[0].z), dec.attention[0].numpy(), atol=1e-6)
    assert html.count("<tr>") == 4 and html.count("✓") + html.count("✗") == 16
    # the step view is step t = 3 of that decoding, term by term
    s = attention_step(model, src, 2)
    bars = step.data[0]
    np.testing.assert_allclose(np.asarray(bars.y), s.weights.numpy(), atol=1e-6)
    np.testing.assert_allclose(np.asarray(step.data[1].y), s.scores.numpy(), atol=1e-5)
    z = np.asarray(step.data[2].z)
    np.testing.assert_allclose(z[:, -1], s.context.numpy(), atol=1e-6)  # c_t, the last column
    np.testing.assert_allclose(z[:, :-1] @ s.weights.numpy(), s.context.numpy(), atol=1e-5)
    assert "Step t = 3" in text and "position" in text
    assert slider.maximum == 8


def test_decode_marks_right_and_wrong_tokens():
    digits = "12345678901234567890"
    html, *_ = tab.decode(digits, "reverse", "additive", "shipped", 1, None, "en")
    m = tab.models("reverse", "additive", "shipped", None)
    src = encode_digits(digits)
    plain = greedy_decode(m["plain"], src, 20).tokens[0]
    wrong = int((plain != src.flip(-1)[0]).sum())
    right_att = int((greedy_decode(m["attention"], src, 20).tokens[0] == src.flip(-1)[0]).sum())
    assert html.count("✗") == wrong + (20 - right_att)
    assert f"{20 - wrong}/20 right without attention" in html


def test_decode_beyond_the_trained_lengths_says_so():
    html, *_ = tab.decode("1" * 25, "copy", "additive", "shipped", 25, None, "en")
    assert "more than the 20" in html


@pytest.mark.parametrize("args,en,ko", [
    (("",), "empty", "비어"),
    (("12a4",), "only the digits", "숫자 0-9만"),
    (("1" * 31,), "31 digits", "31자리"),
    ((None,), "Digits", "숫자"),
    (("123", "shuffle"), "Task", "과제"),
    (("123", "reverse", "general"), "Attention", "어텐션"),
    (("123", "reverse", "additive", "mine"), "source", "source"),
    (("123", "reverse", "additive", "shipped", "x"), "Output step", "출력 단계"),
    (("123", "reverse", "additive", "shipped", 0), "between 1 and 30", "1에서 30"),
    (("123", "reverse", "additive", "trained"), "no finished training", "끝난 학습"),
])
def test_bad_input_gives_a_clear_message(args, en, ko):
    defaults = ("31415", "reverse", "additive", "shipped", 1)
    full = args + defaults[len(args):]
    for lang, needle in (("en", en), ("ko", ko)):
        with pytest.raises(gr.Error) as e:
            tab.decode(*full, None, lang)
        assert needle in e.value.message, e.value.message


@pytest.mark.parametrize("args,en", [
    (("reverse", "additive", "gru", 4096, 5, 20, 100, False), "between 8 and 128"),
    (("reverse", "additive", "gru", 64, 9, 5, 100, False), "Longest training string"),
    (("reverse", "additive", "gru", 64, 5, 20, 10**6, False), "between 50 and 3000"),
    (("reverse", "additive", "rnn", 64, 5, 20, 100, False), "Cell"),
    (("reverse", "additive", "gru", "64", 5, 20, 100, False), "Hidden size"),
    (("reverse", "additive", "gru", 64, 5, 20, 100, "yes"), "Two-way encoder"),
])
def test_bad_training_settings(args, en):
    with pytest.raises(gr.Error) as e:
        tab.start_training(*args, None, "en")
    assert en in e.value.message, e.value.message


@pytest.fixture
def thread_jobs():
    jm = JobManager(max_running=1, backend="thread")
    old, common._jobs = common._jobs, jm
    yield jm
    common._jobs = old
    jm.shutdown()


@pytest.mark.slow
def test_retraining_both_models_as_one_job(thread_jobs):
    ticket, same, timer = tab.start_training("copy", "dot", "gru", 16, 3, 6, 60, True, None,
                                                 "en")
    assert ticket == same
    end = time.monotonic() + 60
    while not thread_jobs.snapshot(ticket).finished and time.monotonic() < end:
        text, fig, timer, source, finished = tab.poll(ticket, "en")
        time.sleep(0.1)
    snap = thread_jobs.snapshot(ticket)
    assert snap.status == "done"
    plain, att, cfg, _ = snap.args
    assert plain.attention is None and att.attention == "dot" and att.bidirectional
    assert plain.hidden_size == att.hidden_size == 16 and cfg.steps == 60
    text, fig, timer, source, finished = tab.poll(ticket, "en")
    assert "Done" in text and source == "trained" and finished == ticket
    assert len(fig.data) == 2 and len(fig.data[0].y) == 60
    # the views switch to this session's models
    by_len, by_pos, caption = tab.compare("reverse", "additive", "trained", ticket, "en")
    assert "Your models" in caption and "hidden size 16" in caption
    assert list(by_len.data[0].x) == list(range(1, 12))
    html, heat, *_ = tab.decode("4321", "reverse", "additive", "trained", 1, ticket, "en")
    assert np.asarray(heat.data[0].z).shape == (4, 4)
    # cancel stops a run; polling says so
    t2, _, _ = tab.start_training("copy", "dot", "gru", 16, 3, 6, 3000, False, ticket, "en")
    tab.cancel(t2, "en")
    end = time.monotonic() + 10
    while not thread_jobs.snapshot(t2).finished and time.monotonic() < end:
        time.sleep(0.05)
    assert thread_jobs.snapshot(t2).status == "cancelled"
    assert "cancelled" in tab.poll(t2, "en")[0]


def test_poll_without_a_job():
    text, fig, timer, *_ = tab.poll(None, "en")
    assert text == "" and "appear here" in fig.layout.annotations[0].text
    assert "나타납니다" in tab.loss_placeholder(None, "ko").layout.annotations[0].text
    assert isinstance(tab.loss_placeholder("some-ticket", "en"), type(gr.skip()))


def test_step_weights_sum_to_one_for_users_digits():
    _, _, step, _, _ = tab.decode("90210", "reverse", "dot", "shipped", 5, None, "ko")
    assert float(np.sum(step.data[0].y)) == pytest.approx(1.0, abs=1e-5)
    probs = np.asarray(step.data[3].x)
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_wrong_choice_names_what_is_allowed():
    with pytest.raises(gr.Error, match=r"Task \(task\) must be one of reverse, copy"):
        tab.compare("sort", "additive", "shipped", None, "en")
    with pytest.raises(gr.Error, match="reverse, copy 중 하나"):
        tab.compare("sort", "additive", "shipped", None, "ko")


def test_step_text_names_the_cell_and_only_calls_a_spread_context_spread():
    out = tab.decode("1111111111", "reverse", "additive", "shipped", 1, None, "en")[3]
    assert "no single state dominates" in out and "close to h_" not in out
    sharp = tab.decode("31415926", "reverse", "additive", "shipped", 1, None, "en")[3]
    assert "close to h_" in sharp
    dot = tab.decode("31415926", "reverse", "dot", "shipped", 1, None, "ko")[3]
    assert "s_t = GRU(" in dot
