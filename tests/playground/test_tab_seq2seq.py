"""The Seq2seq-vs-attention tab's handlers, called directly."""

from __future__ import annotations

import re
import time

import gradio as gr
import numpy as np
import pytest

from engine.seq2seq import accuracy_by_length, attention_step, encode_digits, greedy_decode
from playground.tabs.seq2seq import handlers as tab


@pytest.mark.parametrize("task,kind", [("reverse", "additive"), ("reverse", "dot"),
                                       ("copy", "additive")])
def test_headline_draws_both_models_from_the_manifest(task, kind):
    by_len, by_pos, caption = tab.compare(task, kind, "shipped", None, "en")
    lines = [d for d in by_len.data if d.type == "scatter"]
    assert len(lines) == 2 and lines[0].name == "no attention"
    plain, att = tab.shipped_entry(task, None), tab.shipped_entry(task, kind)
    stored = len(plain["by_length"]["accuracy"])
    assert list(lines[0].y)[:stored] == plain["by_length"]["accuracy"]
    assert list(lines[1].y)[:stored] == att["by_length"]["accuracy"]
    # the trained range is marked, and the curve reaches beyond it, to the longest source
    shape = by_len.layout.shapes[0]
    assert (shape.x0, shape.x1) == (4.5, 20.5) and list(lines[0].x) == list(range(3, 31))
    assert len(by_pos.data[0].y) == 20
    assert f"{plain['accuracy']:.1f}%" in caption and "64" in caption


@pytest.mark.assets
@pytest.mark.parametrize("task,kind", [("reverse", "additive"), ("reverse", "dot")])
def test_headline_runs_to_30_digits_from_the_checkpoints(task, kind):
    """The curves reach the longest source the page takes, and they are the shipped
    checkpoints' own (measured again here, as the manifest measured them); the attention models
    fall there too: attention moves the fall, it does not remove it."""
    by_len, _, _ = tab.compare(task, kind, "shipped", None, "en")
    m = tab.models(task, kind, "shipped", None)
    for line, model in zip(by_len.data, (m["plain"], m["attention"])):
        assert list(line.x) == list(range(3, 31))
        fresh = accuracy_by_length(model, task, list(line.x))
        np.testing.assert_allclose(list(line.y), fresh, atol=0.051)
    plain, att = (list(d.y) for d in by_len.data)
    assert max(att[:5]) >= 99 and att[-1] < 92          # near 100% short, down at 30 digits
    assert att[-1] > plain[-1] + 40                        # ... far later than the plain one


@pytest.mark.parametrize("task,kind", [("reverse", "additive"), ("reverse", "dot")])
def test_headline_caption_quotes_both_curves_at_30_digits(task, kind):
    """The caption states the two curves' own accuracy at 30 digits, and that attention moves
    the fall rather than removes it."""
    by_len, _, caption = tab.compare(task, kind, "shipped", None, "en")
    plain, att = (list(d.y) for d in by_len.data)
    assert f"at 30 digits (trained up to 20), **{plain[-1]:.0f}%** without attention, " \
           f"**{att[-1]:.0f}%** with it" in caption
    assert "moves the fall" in caption and "removes" not in caption
    ko = tab.compare(task, kind, "shipped", None, "ko")[2]
    assert f"30자리에서(학습은 20자리까지) 정확도는 어텐션 없이 **{plain[-1]:.0f}%**" in ko


def test_no_text_says_attention_removes_the_fall():
    from playground.tabs.seq2seq.strings import EN, KO

    for text in EN.values():
        assert "removes" not in text and "remove it altogether" not in text
    assert "없앱니다" not in " ".join(KO.values())


@pytest.mark.parametrize("task,kind", [("reverse", "additive"), ("reverse", "dot"),
                                       ("copy", "dot")])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_stated_parameter_counts_are_the_models(task, kind, lang):
    caption = tab.compare(task, kind, "shipped", None, lang)[2]
    stated = [int(n.replace(",", "")) for n in re.findall(r": (\d[\d,]*)", caption)]
    real = [sum(p.numel() for p in tab._checkpoint(tab.shipped_entry(task, k)["file"])
                .parameters()) for k in (None, "additive", "dot")]
    assert stated == real
    # the general model's other differences are named beside its count
    assert ("two-way encoder + bridge" if lang == "en" else "양방향 인코더 + 브리지") in caption
    assert "W_b" in caption and "W_k" in caption


@pytest.mark.assets
@pytest.mark.parametrize("task", ["reverse", "copy"])
def test_the_shipped_models_have_the_documented_sizes(task):
    """The shipped plain, additive and general models are the sizes the page, the README and
    engine.seq2seq's docstring give: 32,474, 53,722 and 77,018 parameters."""
    real = [sum(p.numel() for p in tab._checkpoint(tab.shipped_entry(task, k)["file"])
                .parameters()) for k in (None, "additive", "dot")]
    assert real == [32474, 53722, 77018]


def test_widening_view_states_each_models_parameters():
    fig, text = tab.bottleneck("en")
    reverse = [e for e in tab._entries() if e["task"] == "reverse"]
    plain = [e for e in reverse if e["attention"] is None and e["train_steps"] == 1500]
    longer = next(e for e in reverse if e["attention"] is None and e["train_steps"] == 3000)

    def count(e: dict) -> str:
        return f"{sum(p.numel() for p in tab._checkpoint(e['file']).parameters()):,}"

    for e in plain:
        assert f"H = {e['hidden_size']} ({count(e)} parameters)" in text
    assert f"3000 steps, the same {count(longer)} parameters" in text
    assert f"(H = 64, {count(tab.shipped_entry('reverse', 'additive'))} parameters)" in text
    assert list(fig.data[0].x)[-1] == 30
    text_ko = tab.bottleneck("ko")[1]
    h16 = next(e for e in plain if e["hidden_size"] == 16)
    assert f"H = 16 (매개변수 {count(h16)}개)" in text_ko


@pytest.mark.assets
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
    # the attention model's reach is a number now (it falls before 30 digits), and so is its
    # accuracy at 30
    att = list(fig.data[-1].y)
    assert att[-1] < 90 and f"{att[-1]:.0f}% at 30 digits" in text
    assert "digits+" not in text.split("With additive attention")[1]
    fig_ko, text_ko = tab.bottleneck("ko")
    assert "어텐션 없이" in text_ko


def test_decode_outputs_heatmap_and_step():
    html, heat, step, states_fig, probs_fig, text, slider = tab.decode(
        "31415926", "reverse", "additive", "shipped", 3, None, "en")
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
    states, context = np.asarray(states_fig.data[0].z), np.asarray(states_fig.data[1].z)[:, 0]
    assert list(states_fig.data[1].x) == [8] and list(states_fig.data[0].x) == list(range(8))
    assert list(states_fig.layout.xaxis.ticktext)[-1] == "c_t"  # h_1..h_8, then c_t beside
    np.testing.assert_allclose(context, s.context.numpy(), atol=1e-6)
    np.testing.assert_allclose(states @ s.weights.numpy(), s.context.numpy(), atol=1e-5)
    assert states_fig.data[0].zmax == states_fig.data[1].zmax  # one colour scale for both
    np.testing.assert_allclose(np.asarray(probs_fig.data[0].x), s.probs.numpy(), atol=1e-6)
    # each weight's bar stands over its state's column, and the empty c_t slot over the context
    assert list(bars.x) == list(range(8))
    for key in ("tickvals", "ticktext", "range"):
        assert list(step.layout.xaxis[key]) == list(states_fig.layout.xaxis[key])
    assert (step.layout.margin.l, step.layout.margin.r) == (states_fig.layout.margin.l,
                                                            states_fig.layout.margin.r)
    assert "Step t = 3" in text and "position" in text
    assert slider.maximum == 8
    # the scores' axis is fixed, and spans every step's scores (the page steps with no axis
    # moving): each step's e_tj within it, the lowest and highest near its ends
    lo, hi = step.layout.yaxis2.range
    every = np.concatenate([attention_step(model, src, k).scores.numpy() for k in range(8)])
    assert lo < every.min() and every.max() < hi
    assert every.max() - every.min() > 0.8 * (hi - lo)


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


@pytest.mark.parametrize("lang,words", [
    ("en", ["hidden size 128", "at most 404", "asked for 1500"]),
    ("ko", ["은닉 크기 128", "최대 404번", "요청: 1500번"])])
def test_a_run_too_large_for_the_shared_server_is_refused_with_why(lang, words, thread_jobs):
    with pytest.raises(gr.Error) as e:  # the largest models at the longest lengths
        tab.start_training("reverse", "additive", "lstm", 128, 25, 25, 1500, True, None, lang)
    assert all(w in e.value.message for w in words), e.value.message
    assert thread_jobs.counts()["tickets"] == 0  # nothing was started


def _labels(radio: gr.Radio) -> list[str]:
    """The i18n keys of a radio's choice labels."""
    return [label.key for label, _ in radio.choices]


def _radios(out: tuple) -> tuple:
    """What show() sets the top radios to: task, attention kind, models shown."""
    return out[3], out[4].value, out[5]


def test_the_attention_radio_labels_the_trained_kind_as_trained():
    """The shipped Luong model is general over a two-way encoder; a trained one may be a
    one-way dot model, and a trained additive one two-way: the radio says which."""
    from playground.tabs.seq2seq.strings import EN

    assert _labels(tab.kind_radio("dot", None)) == ["s2s_additive", "s2s_dot"]
    assert _labels(tab.kind_radio("dot", False)) == ["s2s_additive", "s2s_dot_one_way"]
    assert _labels(tab.kind_radio("dot", True)) == ["s2s_additive", "s2s_dot"]
    assert _labels(tab.kind_radio("additive", True)) == ["s2s_additive_bi", "s2s_dot"]
    assert _labels(tab.kind_radio("additive", False)) == ["s2s_additive", "s2s_dot"]
    assert "one-way" in EN["s2s_dot_one_way"] and "two-way" in EN["s2s_additive_bi"]


@pytest.mark.slow
def test_retraining_both_models_as_one_job(thread_jobs):
    ticket, same, timer = tab.start_training("copy", "dot", "gru", 16, 3, 6, 60, True, None,
                                                 "en")
    assert ticket == same
    end = time.monotonic() + 60
    while not thread_jobs.snapshot(ticket).finished and time.monotonic() < end:
        tab.poll(ticket, "en")
        time.sleep(0.1)
    snap = thread_jobs.snapshot(ticket)
    assert snap.status == "done"
    plain, att, cfg = snap.request.plain, snap.request.attended, snap.request.train
    assert plain.attention is None and att.attention == "dot" and att.bidirectional
    assert plain.hidden_size == att.hidden_size == 16 and cfg.steps == 60
    text, fig, timer, source, finished, task, kind = tab.poll(ticket, "en")
    assert "Done" in text and source == "trained" and finished == ticket
    # the top radios follow the trained pair; its kind is labelled as it was trained
    assert (task, kind.value) == ("copy", "dot") and _labels(kind) == ["s2s_additive", "s2s_dot"]
    assert len(fig.data) == 2 and len(fig.data[0].y) == 60
    # the views switch to this session's models
    by_len, by_pos, caption = tab.compare("reverse", "additive", "trained", ticket, "en")
    assert "Your models" in caption and "hidden size 16" in caption
    assert list(by_len.data[0].x) == list(range(1, 31))   # trained 3-6, measured up to 30
    m = tab.models("copy", "dot", "trained", ticket)
    assert f"no attention: {sum(p.numel() for p in m['plain'].parameters()):,}" in caption
    assert f"(two-way encoder + bridge): {tab.parameter_count(m['attention']):,}" in caption
    # the radios follow what is shown: picking another kind shows the shipped models of it,
    # and picking "trained" again sets the radios back to the trained pair's
    out = tab.show("copy", "additive", "trained", ticket, "attention", "en")
    assert _radios(out) == ("copy", "additive", "shipped") and "Shipped models" in out[2]
    out = tab.show("reverse", "additive", "trained", ticket, "source", "en")
    assert _radios(out) == ("copy", "dot", "trained") and "Your models" in out[2]
    out = tab.show("copy", "dot", "trained", ticket, "task", "en")
    assert _radios(out) == ("copy", "dot", "trained")
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
    _, _, step, _, probs_fig, _, _ = tab.decode("90210", "reverse", "dot", "shipped", 5, None,
                                                "ko")
    assert float(np.sum(step.data[0].y)) == pytest.approx(1.0, abs=1e-5)
    probs = np.asarray(probs_fig.data[0].x)
    assert probs.sum() == pytest.approx(1.0, abs=1e-5)


def test_a_wrong_choice_names_what_is_allowed():
    # one translator for every tab (playground.i18n.message): a label that is its parameter's name
    # up to case is not repeated ("Task", not "Task (task)")
    with pytest.raises(gr.Error, match=r"Task must be one of reverse, copy"):
        tab.compare("sort", "additive", "shipped", None, "en")
    with pytest.raises(gr.Error, match="reverse, copy 중 하나"):
        tab.compare("sort", "additive", "shipped", None, "ko")


def test_step_text_names_the_cell_and_only_calls_a_spread_context_spread():
    out = tab.decode("1111111111", "reverse", "additive", "shipped", 1, None, "en")[-2]
    assert "no single state dominates" in out and "close to h_" not in out
    sharp = tab.decode("31415926", "reverse", "additive", "shipped", 1, None, "en")[-2]
    assert "close to h_" in sharp
    dot = tab.decode("31415926", "reverse", "dot", "shipped", 1, None, "ko")[-2]
    assert "s_t = GRU(" in dot


@pytest.mark.parametrize("lang,one", [("en", "One digit"), ("ko", "한 자리")])
def test_one_digit_draws_every_output(lang, one):
    """One digit is one output step: gradio's Slider can't go from 1 to 1 (that raised
    "Slider minimum must be less than maximum" and blanked the view), so it is hidden."""
    html, heat, step, _, _, text, slider = tab.decode("7", "reverse", "additive", "shipped", 5,
                                                      None, lang)
    assert html.count("<tr>") == 4 and ">7<" in html
    assert np.asarray(heat.data[0].z).shape == (1, 1)
    assert float(np.asarray(step.data[0].y)[0]) == pytest.approx(1.0)
    assert one in text and ("1 scores" not in text)
    assert slider.visible is False and slider.value == 1
    # (made per call: a second call, as after gradio has sent the first, gets a whole slider)
    again = tab.decode("7", "reverse", "additive", "shipped", 1, None, lang)[-1]
    assert again is not slider and again.visible is False
    # a longer input shows the slider again, over its own steps
    *_, slider = tab.decode("31", "reverse", "dot", "shipped", 2, None, lang)
    assert slider.visible is True and (slider.minimum, slider.maximum, slider.value) == (1, 2, 2)


def test_top_radios_follow_what_is_shown_without_a_trained_pair():
    for touched in ("task", "attention", "source"):
        out = tab.show("copy", "dot", "shipped", None, touched, "en")
        assert _radios(out) == ("copy", "dot", "shipped")
        assert _labels(out[4]) == ["s2s_additive", "s2s_dot"]
        assert "general attention (two-way encoder + bridge)" in out[2]
    # "Trained by you" before any training: said once, and the radio goes back to "shipped"
    # (it never claims trained models while the shipped ones are shown)
    for lang, said in (("en", "“Train both”"), ("ko", "‘둘 다 학습’을")):
        with pytest.warns(UserWarning, match=said):
            out = tab.show("reverse", "additive", "trained", None, "source", lang)
        assert _radios(out) == ("reverse", "additive", "shipped")


def test_the_luong_model_is_named_by_its_score():
    """The shipped "dot" model scores s_t^T W_k h_j over a two-way encoder: Luong's general
    score. Labels and texts say so; a one-way "dot" model keeps the name dot."""
    from playground.tabs.seq2seq.strings import EN, KO

    assert EN["s2s_dot"].startswith("General (Luong)") and "bridge" in EN["s2s_dot"]
    assert KO["s2s_dot"].startswith("일반형") and "브리지" in KO["s2s_dot"]
    assert tab.shipped_entry("reverse", "dot")["bidirectional"]
    text = tab.decode("31415", "reverse", "dot", "shipped", 2, None, "en")[-2]
    assert "general (bilinear) score: e_tj = s_t^T W_k h_j" in text
    w = tab.LANGS["en"]
    assert tab.kind_name(w, "dot", False) == "dot attention"
    assert tab.kind_name(w, "dot", True) == "general attention (two-way encoder + bridge)"
    assert tab.kind_name(w, "additive", True) == "additive attention (two-way encoder + bridge)"


def test_korean_uses_one_term_for_the_context_vector():
    from playground.tabs.seq2seq.strings import EN, KO

    assert "컨텍스트" not in " ".join(KO.values())
    assert "문맥 벡터" in KO["s2s_intro"]
    # bold that closes after punctuation right before Hangul ("**88%**입니다") is not closed
    # by Markdown: the asterisks would show
    shown = [tab.compare("reverse", k, "shipped", None, "ko")[2] for k in tab.KINDS]
    shown += [tab.decode("31415", "reverse", k, "shipped", 2, None, "ko")[-2] for k in tab.KINDS]
    shown.append(tab.bottleneck("ko")[1])
    for text in shown:
        assert not re.search(r"[^\w\s]\*\*[가-힣]", text), text
    # no markdown in messages shown as toasts (they would print raw asterisks)
    for lang in (EN, KO):
        for key in ("s2s_err_empty", "s2s_err_digits", "s2s_err_long", "s2s_err_type",
                    "s2s_err_no_model", "s2s_err_not_trained"):
            assert "*" not in lang[key] and "`" not in lang[key]


@pytest.mark.assets
def test_the_first_view_needs_no_accuracy_measured(monkeypatch):
    """The manifest stores every shipped model's curve up to the longest source the page
    takes (MAX_SRC_LEN): the headline view is drawn from it, with nothing measured."""
    from engine.seq2seq import MAX_SRC_LEN

    def refuse(*args, **kwargs):
        raise AssertionError("a curve was measured for the first view")

    monkeypatch.setattr(tab, "accuracy_by_length", refuse)
    tab._far.cache_clear()
    for entry in tab._entries():
        lengths, acc = tab.shipped_curve(entry)
        assert lengths[-1] == MAX_SRC_LEN and len(acc) == len(lengths)
