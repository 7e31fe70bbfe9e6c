"""Guided lessons (playground.lessons): the five lesson files load and hold to the app, every
link applies as the page applies it, every answer is the engine's number (the one the tab's
handler shows), and a malformed lesson is refused with a message naming its file and step."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import torch

from engine.bptt import gradient_profile, profile_rnn
from engine.seq2seq import encode_digits, greedy_decode
from engine.tasks import TASK_FOR_TOPOLOGY, get_task
from playground import lessons, links
from playground.lessons import LessonError, Step, measures
from playground.tabs.bptt import handlers as bptt
from playground.tabs.seq2seq import handlers as seq2seq
from playground.tabs.step import handlers as step
from playground.tabs.topologies import handlers as topologies

from .test_links import app_links  # noqa: F401  (a fixture: the tabs as the app builds them)

pytestmark = pytest.mark.slow
HANGUL = re.compile(r"[\uac00-\ud7a3]")




@pytest.fixture(scope="module")
def specs(app_links) -> dict[str, lessons.TabSpec]:  # noqa: F811
    return {t.id: lessons.spec_of(t) for t in app_links}


@pytest.fixture(scope="module")
def all_lessons() -> list[lessons.Lesson]:
    return lessons.load_all()


def _steps(all_lessons):
    return [(lesson, i, s) for lesson in all_lessons for i, s in enumerate(lesson.steps, 1)]


# -- the five lessons ----------------------------------------------------------------------------
def test_five_lessons_in_both_languages(all_lessons):
    assert [(lesson.number, lesson.id) for lesson in all_lessons] == [
        (1, "topologies"), (2, "hello"), (3, "bptt"), (4, "fixes"), (5, "attention")]
    for lesson in all_lessons:
        assert 6 <= len(lesson.steps) <= 10, lesson.id
        assert sum(s.ask is not None for s in lesson.steps) >= 2, lesson.id
        texts = [lesson.title, lesson.summary] + [s.text for s in lesson.steps]
        for s in lesson.steps:
            if s.ask:
                texts += [s.ask.question, s.ask.why]
        for t in texts:
            assert t.en.strip() and t.ko.strip() and t.en != t.ko, (lesson.id, t)
            assert HANGUL.search(t.ko) and not HANGUL.search(t.en), (lesson.id, t)
        for s in lesson.steps:  # one idea, in two or three sentences ("et al." ends none)
            sentences = re.findall(r"(?<!al)(?<!e\.g)[.!?](\s|$)", s.text.en)
            assert 1 <= len(sentences) <= 3 and len(s.text.en) <= 450, (lesson.id, s.text.en)


def test_every_lesson_checks_against_the_app(all_lessons, specs):
    for lesson in all_lessons:
        lessons.check(lesson, specs)


def test_the_lessons_use_the_notes_notation(all_lessons):
    every = " ".join(s.text.en + (s.ask.why.en if s.ask else "")
                     for lesson in all_lessons for s in lesson.steps)
    for name in ("W_hh", "h_t", "σ_max", "γ", "W_ih", "batch_first", "c_t", "α_tj",
                 "Transformer", "DRAW", "captioning"):
        assert name in every, name


# links.apply sets a dropdown's value with no choices (the page keeps them): Gradio warns
@pytest.mark.filterwarnings("ignore:The value passed into gr.Dropdown")
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_link_applies_with_no_notice(all_lessons, app_links, specs, lang):  # noqa: F811
    """Each step's link, opened as the page opens it (links.apply), sets its tab's controls
    with no notice, and to exactly the values the lesson's measures read."""
    for lesson, i, s in _steps(all_lessons):
        out = links.apply(app_links, s.tab, s.link, lang)
        notice, selected, updates = out[0], out[1], out[2:]
        assert notice == "", (lesson.id, i, notice)
        assert selected.selected == s.tab
        values = lessons.settings(s, specs)
        k = 0
        for tab in app_links:
            for c in tab.linked:
                u = updates[k]
                k += 1
                if tab.id == s.tab and c.key in dict(s.query):
                    assert u.value == values[c.key], (lesson.id, i, c.key)


def test_every_ask_reveals_one_of_its_choices(all_lessons, specs):
    for lesson, i, s in _steps(all_lessons):
        if s.ask is None:
            continue
        for lang in ("en", "ko"):
            value, index, why = lessons.reveal(s, lang, specs)
            assert 0 <= index < len(s.ask.choices)
            assert "{" not in why and why.strip(), (lesson.id, i, why)
            if isinstance(value, float) and "{value" in s.ask.why(lang):
                assert why != s.ask.why(lang)


# -- each measure against the tab's own handler (or an independent reference) -------------------
def _profile_args(v: dict) -> list:
    return [v[k] for k in ("cell", "seq_len", "recurrent_scale", "init", "input_scale",
                           "forget_default", "forget_bias", "update_default", "update_bias",
                           "hidden_size", "num_layers", "loss_at", "tbptt", "seed")]


def _shown_profile(v: dict) -> tuple:
    return bptt.show_profile(*_profile_args(v), "en")


def _ref_grad_ratio(v, value):
    title = _shown_profile(v)[0].layout.title.text
    assert bptt.sci(value) in title, title
    cfg = bptt.profile_config(*_profile_args(v))
    if cfg.input_scale == 0 and cfg.cell == "rnn_tanh" and cfg.init == "orthogonal":
        # the closed form: every Jacobian is W_hh = s Q
        assert math.isclose(value, cfg.recurrent_scale ** (cfg.seq_len - 1), rel_tol=1e-9)


def _ref_cell_ratio(v, value):
    assert f"= {bptt.sci(value)}." in _shown_profile(v)[7]


def _ref_sigma_max(v, value):
    rnn = profile_rnn(bptt.profile_config(*_profile_args(v)))
    H = rnn.hidden_size
    W = rnn.weight_hh_l0.detach()
    blocks = [W[g * H:(g + 1) * H] for g in range(W.shape[0] // H)]
    assert math.isclose(value, max(float(torch.linalg.svdvals(b)[0]) for b in blocks),
                        rel_tol=1e-9)


def _ref_spectral_radius(v, value):
    rnn = profile_rnn(bptt.profile_config(*_profile_args(v)))
    H = rnn.hidden_size
    W = rnn.weight_hh_l0.detach()[:H]
    assert math.isclose(value, float(torch.linalg.eigvals(W).abs().max()), rel_tol=1e-9)


def _ref_bound(v, value):
    cfg = bptt.profile_config(*_profile_args(v))
    p = gradient_profile(cfg)
    assert math.isclose(value, float(p.bound[0] / p.bound[-1]), rel_tol=1e-9)


def _ref_vs_bound(v, value):
    p = gradient_profile(bptt.profile_config(*_profile_args(v)))
    ratio, limit = p.hidden[0, 0] / p.hidden[0, -1], p.bound[0] / p.bound[-1]
    expected = "at" if math.isclose(ratio, limit, rel_tol=0.01) else (
        "below" if ratio < limit else "above")
    assert value == expected


def _ref_memory_gate(v, value):
    assert f"= {value:.3f}" in _shown_profile(v)[7]


def _ref_saturation(v, value):
    assert f"{100 * value:.0f}%" in _shown_profile(v)[6]


def _ref_early_share(v, value):
    assert f"at most {bptt.sci(value)} of it" in _shown_profile(v)[4]


def _ref_steps_reached(v, value):
    cfg = bptt.profile_config(*_profile_args(v))
    assert value == (cfg.tbptt or cfg.seq_len)


def _race_summary(v) -> str:
    return bptt.show_race(v["replay"], v["racer"], "en")[3]


def _ref_race_accuracy(v, value):
    assert bptt._pct(value) in _race_summary(v)


def _ref_race_clipped(v, value):
    assert f"Clipping fired at {value:.0f} of" in _race_summary(v)


def _step_view(v) -> tuple:
    return step.show_step(v["text"], v["cell"], v["hidden_size"], v["num_layers"], v["weights"],
                          v["concat"], v["t"], None, "en")


def _shown_loss(v) -> float:
    return float(re.search(r"= \*\*([0-9.]+)\*\*", _step_view(v)[3]).group(1))


def _ref_p_target(v, value):
    assert math.isclose(-math.log(value), _shown_loss(v), abs_tol=5e-4)


def _ref_loss_t(v, value):
    assert f"{value:.3f}" == f"{_shown_loss(v):.3f}"


def _ref_pred_char(v, value):
    assert f"Predicted: **{value}**" in _step_view(v)[3]


def _ref_w_ih_term(v, value):
    text = _step_view(v)[3]
    k = re.search(r"W_ih\[:, (\d+)\]", text).group(1)
    assert value == f"column {k}"


def _ref_sum_over_mean(v, value):
    assert value == pytest.approx(len(v["text"]) - 1)


def _ref_loss_mean(v, value):
    cfg = step.config(v["text"], v["cell"], v["hidden_size"], v["num_layers"])
    model = step.choose(cfg, v["weights"], None)[0]
    with torch.no_grad():
        logits, _ = model(model.vocab.one_hot(cfg.text[:-1]))
    ref = torch.nn.functional.cross_entropy(logits[:, 0], model.vocab.encode(cfg.text[1:]))
    assert math.isclose(value, float(ref), rel_tol=1e-6)


def _ref_greedy_agrees(v, value):
    text = step.compare(v["text"], v["cell"], v["hidden_size"], v["num_layers"], v["weights"],
                        v["temperature"], v["first"], None, "en")[0]
    assert ("Here they agree at every step" in text) == (value == "yes")


def _topology_code(v) -> str:
    s = topologies.settings(v["topology"], v["cell"], v["num_layers"], v["dropout"],
                            v["bidirectional"])
    return topologies.show(s.topology, s.cell, s.num_layers, s.dropout, s.bidirectional,
                           v["text"], 1, None, "en")[4]


def _printed(code: str, what: str) -> list[str]:
    return re.findall(rf"print\({what}\.shape\)\s+# (\([0-9, ]+\))", code)


def _ref_output_shape(v, value):
    assert _printed(_topology_code(v), "output")[0] == value


def _ref_output_shape_bf(v, value):
    assert _printed(_topology_code(v), "output")[1] == value


def _ref_h_n_bf(v, value):
    assert _printed(_topology_code(v), "h_n")[1] == value


def _ref_outputs(v, value):
    task = get_task(TASK_FOR_TOPOLOGY[v["topology"]])
    assert value == len(task.solve(task.parse(v["text"])))  # the shipped models answer right


def _curves(v) -> tuple:
    return seq2seq.compare(v["task"], v["attention"], v["source"], None, "en")


def _curve_at(fig, which: int, x: int) -> float:
    trace = fig.data[which]
    return float(trace.y[list(trace.x).index(x)])


def _ref_plain_len(v, value):
    assert value == _curve_at(_curves(v)[0], 0, len(v["digits"]))


def _ref_att_len(v, value):
    assert value == _curve_at(_curves(v)[0], 1, len(v["digits"]))


def _ref_plain_pos(v, value):
    assert value == _curve_at(_curves(v)[1], 0, v["t"])


def _ref_att_pos(v, value):
    assert value == _curve_at(_curves(v)[1], 1, v["t"])


def _score(v) -> tuple[int, int]:
    out = seq2seq.decode(v["digits"], v["task"], v["attention"], v["source"], v["t"], None, "en")
    m = re.search(r"(\d+)/\d+ right without attention, (\d+)/\d+ with", out[0])
    return int(m.group(1)), int(m.group(2))


def _ref_plain_correct(v, value):
    assert value == _score(v)[0]


def _ref_att_correct(v, value):
    assert value == _score(v)[1]


def _ref_attended(v, value):
    model = seq2seq.models(v["task"], v["attention"], "shipped", None)["attention"]
    src = encode_digits(v["digits"])
    att = greedy_decode(model, src, src.shape[1]).attention[0]
    assert value == int(att[min(v["t"], src.shape[1]) - 1].argmax()) + 1


def _ref_params(v, value):
    caption = _curves(v)[2]
    counts = [int(n.replace(",", "")) for n in re.findall(r": ([0-9,]{4,})", caption)]
    assert any(math.isclose(value, a / counts[0], rel_tol=1e-12) for a in counts[1:])


# every measure, with a reference and a link to try it on where no lesson asks it
REFERENCES: dict[str, tuple[Callable, str]] = {
    "bptt.grad_ratio": (_ref_grad_ratio, "tab=bptt"),
    "bptt.cell_ratio": (_ref_cell_ratio, "tab=bptt&cell=lstm"),
    "bptt.sigma_max": (_ref_sigma_max, "tab=bptt"),
    "bptt.spectral_radius": (_ref_spectral_radius, "tab=bptt&init=gaussian"),
    "bptt.bound": (_ref_bound, "tab=bptt"),
    "bptt.vs_bound": (_ref_vs_bound, "tab=bptt"),
    "bptt.memory_gate": (_ref_memory_gate, "tab=bptt&cell=lstm"),
    "bptt.saturation": (_ref_saturation, "tab=bptt&recurrent_scale=2&input_scale=3"),
    "bptt.early_share": (_ref_early_share, "tab=bptt"),
    "bptt.steps_reached": (_ref_steps_reached, "tab=bptt&tbptt=30"),
    "race.accuracy": (_ref_race_accuracy, "tab=bptt&racer=gru"),
    "race.clipped_steps": (_ref_race_clipped, "tab=bptt&replay=sgd_lag40"),
    "step.p_target": (_ref_p_target, "tab=step&t=2"),
    "step.loss_t": (_ref_loss_t, "tab=step&weights=random&t=3"),
    "step.pred_char": (_ref_pred_char, "tab=step&t=4"),
    "step.w_ih_term": (_ref_w_ih_term, "tab=step&t=3"),
    "step.loss_sum_over_mean": (_ref_sum_over_mean, "tab=step&text=hello+there"),
    "step.loss_mean": (_ref_loss_mean, "tab=step&weights=random"),
    "step.greedy_agrees": (_ref_greedy_agrees, "tab=step"),
    "topologies.output_shape": (_ref_output_shape, "tab=topologies"),
    "topologies.output_shape_batch_first": (_ref_output_shape_bf, "tab=topologies"),
    "topologies.h_n_shape_batch_first": (_ref_h_n_bf, "tab=topologies&num_layers=3"),
    "topologies.outputs": (_ref_outputs, "tab=topologies&topology=one_to_many&text=3"),
    "seq2seq.plain_accuracy_at_length": (_ref_plain_len, "tab=seq2seq"),
    "seq2seq.attention_accuracy_at_length": (_ref_att_len, "tab=seq2seq&attention=dot"),
    "seq2seq.plain_accuracy_at_position": (_ref_plain_pos, "tab=seq2seq&t=7"),
    "seq2seq.attention_accuracy_at_position": (_ref_att_pos, "tab=seq2seq&t=7"),
    "seq2seq.plain_correct": (_ref_plain_correct, "tab=seq2seq"),
    "seq2seq.attention_correct": (_ref_att_correct, "tab=seq2seq&task=copy"),
    "seq2seq.attended_position": (_ref_attended, "tab=seq2seq&t=3"),
    "seq2seq.parameters_ratio": (_ref_params, "tab=seq2seq"),
}


def test_every_measure_has_a_reference():
    assert set(REFERENCES) == set(measures.MEASURES)


def _step_of(link: str) -> Step:
    values, _ = links.parse(link)
    return Step(link, values["tab"], tuple(values.items()), "", lessons.Text("", ""))


@pytest.mark.parametrize("name", sorted(measures.MEASURES))
def test_a_measure_is_the_number_the_tab_shows(name, all_lessons, specs):
    """Every step that asks ``name`` (or, if none does, the reference's own link): the
    measure, computed as reveal computes it, equals what the tab's handler shows (or an
    independent computation of it)."""
    reference, link = REFERENCES[name]
    asked = [s for _, _, s in _steps(all_lessons) if s.ask and s.ask.measure == name]
    for s in asked or [_step_of(link)]:
        values = lessons.settings(s, specs)
        value = measures.measure(name, values)
        if s.ask is not None:
            assert lessons.reveal(s, "en", specs).value == value
        reference(values, value)


def test_measures_do_not_touch_torchs_global_generator(all_lessons, specs):
    torch.manual_seed(123)
    before = torch.get_rng_state()
    for _, _, s in _steps(all_lessons):
        if s.ask:
            lessons.reveal(s, "en", specs)
    assert torch.equal(before, torch.get_rng_state())


# -- malformed lessons ---------------------------------------------------------------------------
GOOD = lessons.LESSON_DIR / "1-topologies.toml"


def _variant(tmp_path: Path, old: str, new: str, name: str = "1-topologies.toml",
             count: int = 1, good: Path = GOOD) -> Path:
    text = good.read_text(encoding="utf-8")
    assert text.count(old) >= count, old
    path = tmp_path / name
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _refused(path: Path, specs, *words: str) -> str:
    with pytest.raises(LessonError) as err:
        lessons.check(lessons.load(path), specs)
    message = str(err.value)
    for w in (path.name, *words):
        assert w in message, message
    return message


def test_the_good_lesson_passes_in_a_folder_of_its_own(tmp_path, specs):
    lessons.check(lessons.load(_variant(tmp_path, "", "")), specs)


def test_a_missing_korean_text_is_refused(tmp_path, specs):
    path = _variant(tmp_path, 'text.ko = """일대일', 'text.kr = """일대일')
    _refused(path, specs, "step 1", "text.ko", "missing")


def test_an_unknown_key_of_the_tab_is_refused(tmp_path, specs):
    path = _variant(tmp_path, "tab=topologies&topology=one_to_one&text=7",
                    "tab=topologies&topology=one_to_one&text=7&colour=red")
    _refused(path, specs, "step 1", "link", "`colour`")


def test_a_value_the_setting_refuses_is_refused(tmp_path, specs):
    path = _variant(tmp_path, "&num_layers=2&", "&num_layers=9&")
    _refused(path, specs, "step 8", "link", "num_layers=9")


def test_an_unknown_tab_is_refused(tmp_path, specs):
    path = _variant(tmp_path, "tab=topologies&topology=one_to_one", "tab=nowhere&topology=one")
    with pytest.raises(LessonError, match=r"1-topologies.toml, step 1, link: must name its tab"):
        lessons.load(path)


def test_an_unknown_figure_is_refused(tmp_path, specs):
    path = _variant(tmp_path, 'figure = "topology-code"', 'figure = "bp-profile"')
    _refused(path, specs, "step 7", "figure", "`bp-profile`", "topology-heatmap")


def test_an_unknown_measure_is_refused(tmp_path, specs):
    path = _variant(tmp_path, 'measure = "topologies.outputs"', 'measure = "topologies.nothing"')
    _refused(path, specs, "step 2", "ask.measure", "unknown measure")


def test_a_measure_of_another_tab_is_refused(tmp_path, specs):
    path = _variant(tmp_path, 'measure = "topologies.outputs"', 'measure = "bptt.grad_ratio"')
    _refused(path, specs, "step 2", "ask.measure", "bptt tab")


def test_an_answer_not_among_the_choices_is_refused(tmp_path, specs):
    path = _variant(tmp_path, 'label = "(5, 3, 64)"\nvalue = "(5, 3, 64)"',
                    'label = "(5, 3, 65)"\nvalue = "(5, 3, 65)"')
    _refused(path, specs, "step 6", "ask.measure", "none of the choices")


def test_choices_the_answer_does_not_tell_apart_are_refused(tmp_path, specs):
    # step 2 measures 0.9^19 = 0.135: 10^-1 and 0.2 are both near it on a log scale
    path = _variant(tmp_path, 'label = "10⁻⁵"\nvalue = 1e-5', 'label = "0.2"\nvalue = 0.2',
                    name="3-bptt.toml", good=lessons.LESSON_DIR / "3-bptt.toml")
    _refused(path, specs, "step 2", "ask.choices", "not clearly")


def test_two_equal_choices_are_refused(tmp_path, specs):
    path = _variant(tmp_path, 'label.en = "twenty"\nlabel.ko = "스무 개"\nvalue = 20',
                    'label.en = "twenty"\nlabel.ko = "스무 개"\nvalue = 6')
    _refused(path, specs, "step 2", "ask.choices", "same")


def test_a_number_written_out_in_why_is_refused(tmp_path, specs):
    path = _variant(tmp_path, "output.shape is {value}: (seq_len,",
                    "output.shape is (5, 3, 64): (seq_len,")
    _refused(path, specs, "step 6", "ask.why.en", "(5, 3, 64)")


def test_a_field_other_than_value_is_refused(tmp_path, specs):
    path = _variant(tmp_path, "It wrote {value:.0f}:", "It wrote {count}:")
    _refused(path, specs, "step 2", "ask.why.en", "{value}")


def test_an_unknown_field_and_a_wrong_step_count_are_refused(tmp_path, specs):
    _refused(_variant(tmp_path, 'figure = "topology-heatmap"', 'figur = "topology-heatmap"'),
             specs, "step 4", "missing `figure`")
    _refused(_variant(tmp_path, 'pick = "equal"', 'pick = "equal"\nhint = "x"'), specs,
             "step 6", "ask", "unknown `hint`")
    text = GOOD.read_text(encoding="utf-8")
    head, *steps = text.split("[[steps]]")
    path = tmp_path / "1-topologies.toml"
    path.write_text(head + "".join("[[steps]]" + part for part in steps[:3]), encoding="utf-8")
    with pytest.raises(LessonError, match=r"1-topologies.toml, steps: a lesson has 6 to 10 "
                                          r"steps \(\[\[steps\]\]\); this one has 3"):
        lessons.load(path)


def test_a_file_and_its_id_must_agree(tmp_path, specs):
    with pytest.raises(LessonError, match=r"2-other.toml, id: `topologies` differs"):
        lessons.load(_variant(tmp_path, "", "", name="2-other.toml"))
    with pytest.raises(LessonError, match=r"topologies.toml: a lesson file is named"):
        lessons.load(_variant(tmp_path, "", "", name="topologies.toml"))


def test_reveal_picks_by_the_rule_the_lesson_names():
    ask = lessons.Ask(lessons.Text("q", "q"), tuple(
        lessons.Choice(lessons.Text(str(v), str(v)), v) for v in (1e-1, 1e-5, 1e-10)),
        "bptt.grad_ratio", "nearest_log10", lessons.Text("{value}", "{value}"))
    assert lessons.pick(ask, 3e-5) == 1          # log10: -4.5 is nearer -5 than -1
    nearest = lessons.Ask(ask.question, ask.choices, ask.measure, "nearest", ask.why)
    assert lessons.pick(nearest, 3e-5) == 1      # on a linear scale as well here
    assert lessons.pick(nearest, 0.06) == 0
    assert np.isfinite(lessons._distance("nearest_log10", 1e-10, 1e-300))


# -- the README documents the format ------------------------------------------------------------
README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_lessons() -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index("## Lessons"):text.index("## Export")]


def test_the_readme_example_step_is_a_step_that_checks(tmp_path, specs):
    (example,) = re.findall(r"```toml\n(.*?)```", _readme_lessons(), re.S)
    head = ('id = "example"\ntitle.en = "An example"\ntitle.ko = "보기"\n'
            'summary.en = "The README\'s step."\nsummary.ko = "README의 단계."\n')
    path = tmp_path / "9-example.toml"
    path.write_text(head + "\n".join([example] * 6), encoding="utf-8")
    lesson = lessons.load(path)
    lessons.check(lesson, specs)
    assert lessons.reveal(lesson.steps[0], "ko", specs).index == 1


def test_the_readme_lists_every_measure():
    part = _readme_lessons()
    for name in measures.MEASURES:
        assert f"| `{name}` |" in part, name
