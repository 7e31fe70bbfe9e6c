"""Reproduce in PyTorch: each tab's exported script, run in a subprocess, prints the numbers
the tab's own handlers and engine compute for the same settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from playground import reproduce as rp

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run(script: str, tmp_path: Path) -> dict[str, np.ndarray]:
    """Run ``script`` as a student would (its own file, cwd the repo root) and parse its
    ``name v v ...`` lines."""
    path = tmp_path / "repro.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env={"PYTHONPATH": str(ROOT),
                                                       "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Warning" not in done.stderr, done.stderr
    out = {}
    for line in done.stdout.splitlines():
        if line and not line.startswith("#"):
            name, *values = line.split()
            assert name not in out, name
            out[name] = np.array([float(v) for v in values])
    return out


def close(got: np.ndarray, want, rtol: float = 1e-5, atol: float = 1e-7) -> None:
    """Equal to 8 printed digits; a non-finite value (an overflow) matches any non-finite."""
    want = np.asarray(want, dtype=np.float64).reshape(-1)
    assert got.shape == want.shape, (got.shape, want.shape)
    both = ~np.isfinite(got) & ~np.isfinite(want)
    np.testing.assert_allclose(got[~both], want[~both], rtol=rtol, atol=atol)


# -- the shared pieces ---------------------------------------------------------------------------
def test_the_notebook_is_nbformat_4_with_the_scripts_cells():
    from playground.tabs.bptt.reproduce import reproduce_bptt

    text, nb_text, name = reproduce_bptt(lang="en")
    nb = json.loads(nb_text)
    assert nb["nbformat"] == 4 and nb["nbformat_minor"] >= 4
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and "BPTT" in "".join(cells[0]["source"])
    code = ["".join(c["source"]) for c in cells[1:]]
    assert all(c["cell_type"] == "code" and c["outputs"] == [] for c in cells[1:])
    assert len(code) >= 5 and all(c.startswith("# %%") for c in code)
    body = text[text.index('"""', 3) + 3:].strip()   # the script after its header docstring
    assert "\n\n".join(code) == body
    assert len({c["id"] for c in cells}) == len(cells)
    header, _ = rp.split(text)
    assert "".join(cells[0]["source"]) == header


def test_a_header_with_quotes_and_backslashes_stays_a_docstring():
    header = 'reads \'say """hi""" \\\\n\'\nx = "\\"'
    text = rp.script(header, [rp.cell("A", "x = 1")])
    compile(text, "x.py", "exec")
    assert rp.split(text) == (header, ["# %% A\nx = 1"])
    nb = json.loads(rp.notebook(text))
    assert "".join(nb["cells"][0]["source"]) == header


def test_file_names_say_what_they_are():
    assert rp.file_name("bptt", "lstm", "T200") == "unrolled-bptt-lstm-T200"
    assert rp.file_name("step", "rnn", "h4", "hello there!") == "unrolled-step-rnn-h4-hello-there"
    assert len(rp.file_name("step", "x" * 200)) <= 80


def test_the_downloads_are_made_in_the_browser_with_those_names():
    from playground import export

    assert "new Blob" in export.DOWNLOAD_JS and "a.download" in export.DOWNLOAD_JS
    assert 'a.download = (name || "unrolled") + ".py";' in export.download_js(".py")
    assert 'a.download = (name || "unrolled") + ".ipynb";' in export.download_js(".ipynb")


# -- BPTT ------------------------------------------------------------------------------------------
BPTT = [
    dict(),  # the defaults
    dict(cell="lstm", seq_len=60, hidden_size=8, num_layers=2, input_scale=1.0,
         forget_default=False, forget_bias=2.0),
    dict(cell="gru", seq_len=40, hidden_size=6, loss_at="every", tbptt=15, seed=3,
         update_default=False, update_bias=-1.0),
    dict(cell="rnn_relu", seq_len=30, recurrent_scale=1.3, init="gaussian", hidden_size=5),
]


@pytest.mark.parametrize("kw", BPTT, ids=lambda kw: kw.get("cell", "default"))
def test_bptt_script_prints_the_profile(kw, tmp_path):
    from engine.bptt import gradient_profile
    from playground.tabs.bptt.handlers import profile_config
    from playground.tabs.bptt.reproduce import reproduce_bptt
    from playground.tabs.bptt.settings import PROFILE_SETTINGS

    values = {name: kw.get(name, s.default) for name, s in PROFILE_SETTINGS.items()}
    text, _, name = reproduce_bptt(**values, lang="en")
    assert name == f"unrolled-bptt-{values['cell']}-T{values['seq_len']}"
    assert "import engine" not in text and "from engine" not in text  # torch only
    p = gradient_profile(profile_config(**values))
    got = run(text, tmp_path)
    for layer in range(p.config.num_layers):
        close(got[f"grad_h_layer{layer + 1}"], p.hidden[layer])
        if p.cell is not None:
            close(got[f"grad_c_layer{layer + 1}"], p.cell[layer])
    assert (p.cell is None) == ("grad_c_layer1" not in got)
    close(got["singular_values"], p.singular_values)
    close(got["sigma_max"], p.sigma_max)
    close(got["spectral_radius"], p.spectral_radius)
    close(got["dW_hh_term"], p.contributions)
    close(got["dW_hh_running"], p.running)
    if p.bound is None:
        assert "bound" not in got
    else:
        close(got["bound"], p.bound)
    if p.memory_gate is not None:
        close(got["memory_gate"], p.memory_gate)


def test_bptt_bad_input_gets_the_tabs_message_in_the_users_language():
    import gradio as gr

    from playground.tabs.bptt.reproduce import reproduce_bptt

    with pytest.raises(gr.Error, match="seq_len"):
        reproduce_bptt(seq_len=10_000, lang="en")
    with pytest.raises(gr.Error) as e:
        reproduce_bptt(cell="elman", lang="ko")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in str(e.value.message))


def test_close_fails_on_a_wrong_number():
    with pytest.raises(AssertionError):
        close(np.array([1.0, 2.0]), [1.0, 2.001])


# -- Step through time -----------------------------------------------------------------------------
STEP = [
    dict(),  # the defaults: the shipped RNN on "hello", step 1
    dict(cell="lstm", t=3),
    dict(cell="gru", text="hello there", hidden_size=6, num_layers=2, t=11),
    dict(weights="early", concat=True, t=4),
    dict(text='say """hi""" \\n', weights="random", t=2),  # quotes and a backslash: still code
]


@pytest.mark.parametrize("kw", STEP, ids=lambda kw: kw.get("cell", kw.get("weights", "rnn")))
def test_step_script_prints_every_step(kw, tmp_path):
    import torch

    from engine.charlm import all_step_numbers, step_losses
    from engine.unroll import unroll
    from playground.tabs.step.handlers import choose, config
    from playground.tabs.step.reproduce import reproduce_step
    from playground.tabs.step.settings import SETTINGS

    v = {name: kw.get(name, s.default) for name, s in SETTINGS.items()
         if name not in ("steps", "temperature", "first")}
    text, _, name = reproduce_step(**v, ticket=None, lang="en")
    assert "import engine" not in text and "from engine" not in text  # torch only
    assert name.startswith(f"unrolled-step-{v['cell']}-h{v['hidden_size']}-")
    cfg = config(v["text"], v["cell"], v["hidden_size"], v["num_layers"])
    model, source, _ = choose(cfg, v["weights"], None)
    assert source in name
    got = run(text, tmp_path)
    numbers = all_step_numbers(model, cfg.text)
    with torch.no_grad():
        hidden = unroll(model.rnn, model.vocab.one_hot(cfg.text)).hidden[:, 0, 0]  # (L, T, H)
    for n in numbers:
        close(got[f"p_t{n.t + 1}"], n.probs.numpy())
        for layer in range(cfg.num_layers):
            close(got[f"h_layer{layer + 1}_t{n.t + 1}"], hidden[layer, n.t].numpy(), atol=1e-6)
    losses = step_losses(model, cfg.text).detach().numpy()
    for t, loss in enumerate(losses):
        close(got[f"loss_t{t + 1}"], loss)
    close(got["loss_mean"], losses.mean())
    close(got["loss_sum"], losses.sum(), rtol=2e-5)
    n = numbers[v["t"] - 1]
    for key, want in [("x_t", n.x_t), ("h_prev", n.h_prev), ("W_ih_x", n.W_ih_x),
                      ("W_hh_h", n.W_hh_h), ("a_t", n.a_t), ("h_t", n.h_t)]:
        close(got[key], want.numpy(), atol=1e-6)
    for gate, value in n.gates.items():
        close(got[f"gate_{gate}"], value.numpy(), atol=1e-6)
    if n.c_t is not None:
        close(got["c_t"], n.c_t.numpy(), atol=1e-6)


def test_step_script_embeds_this_sessions_trained_weights(thread_jobs, tmp_path):
    """A session's training run is what its page shows, so the script carries its weights."""
    import time

    from engine.charlm import all_step_numbers
    from playground.tabs.step.handlers import config, start_training, trained
    from playground.tabs.step.reproduce import reproduce_step

    ticket = start_training("hello", "rnn", 4, 1, 20, None, "en")[0]
    end = time.monotonic() + 60
    cfg = config("hello", "rnn", 4, 1)
    while trained(cfg, ticket) is None or thread_jobs.snapshot(ticket).status != "done":
        assert time.monotonic() < end
        time.sleep(0.2)
    model, source, _ = trained(cfg, ticket)
    text, _, name = reproduce_step("hello", "rnn", 4, 1, "pretrained", False, 2, ticket, "en")
    assert "-trained-" in name and "your own training run" in text
    got = run(text, tmp_path)
    for n in all_step_numbers(model, "hello"):
        close(got[f"p_t{n.t + 1}"], n.probs.numpy())


# -- Topologies ------------------------------------------------------------------------------------
TOPOLOGIES = [
    dict(),  # the defaults: the shipped RNN, many-to-many, on "31524"
    dict(topology="encoder_decoder", cell="gru", text="112333"),
    dict(topology="many_to_one", cell="lstm", num_layers=2, bidirectional=True, text="(()())"),
    dict(topology="one_to_many", cell="lstm", text="5"),
    dict(topology="encoder_decoder", cell="rnn", num_layers=2, bidirectional=True, text="1223"),
]


@pytest.mark.parametrize("kw", TOPOLOGIES,
                         ids=lambda kw: f"{kw.get('topology', 'default')}-{kw.get('cell', '')}")
def test_topologies_script_prints_the_view(kw, tmp_path):
    import torch

    from engine import TASK_FOR_TOPOLOGY, get_task
    from playground.tabs.topologies.handlers import choose_model, compute_view, settings
    from playground.tabs.topologies.reproduce import panel_key, reproduce_topology
    from playground.tabs.topologies.settings import SETTINGS

    v = {name: kw.get(name, s.default) for name, s in SETTINGS.items()
         if name not in ("t", "steps", "seed")}
    text, _, name = reproduce_topology(**v, lang="en")
    assert name.startswith(f"unrolled-topologies-{v['topology']}-{v['cell']}-")
    s = settings(v["topology"], v["cell"], v["num_layers"], v["dropout"], v["bidirectional"])
    choice = choose_model(s, None)
    assert (choice.source == "shipped") == ("shipped pretrained model" in text)
    view = compute_view(s, v["text"], choice.model)
    got = run(text, tmp_path)
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    close(got["prediction"], [task.out_vocab.index(p) for p in view.prediction])
    for panel, values, _ in view.hidden:
        for k in range(values.shape[1]):
            close(got[f"h_{panel_key(panel)}_t{k + 1}"], values[:, k], atol=1e-6)
    n_panels = sum(values.shape[1] for _, values, _ in view.hidden)
    assert sum(k.startswith("h_") for k in got) == n_panels
    x = task.one_hot(task.parse(v["text"]))
    close(got["shape_x"], list(x.shape))
    if s.topology != "one_to_many":  # the module that reads x: its output's shape
        module = choice.model.encoder if s.topology == "encoder_decoder" else choice.model.rnn
        with torch.no_grad():
            out, _ = module(x)
        close(got["shape_output"], list(out.shape))


def test_topologies_bad_input_gets_the_tabs_message():
    import gradio as gr

    from playground.tabs.topologies.reproduce import reproduce_topology

    with pytest.raises(gr.Error, match="'x'"):
        reproduce_topology("many_to_many", "rnn", 1, 0, False, "12x", "en")
    with pytest.raises(gr.Error, match="autoregressive"):
        reproduce_topology("one_to_many", "rnn", 1, 0, True, "5", "en")


# -- Seq2seq ---------------------------------------------------------------------------------------
SEQ2SEQ = [
    dict(),  # the defaults: reverse, additive, the shipped models, 16 digits
    dict(task="copy", attention="dot", digits="9081726354", t=4),
    dict(task="reverse", attention="dot", digits="7", source="trained"),
]


@pytest.mark.parametrize("kw", SEQ2SEQ, ids=lambda kw: kw.get("attention", "additive"))
def test_seq2seq_script_decodes_as_the_page(kw, tmp_path):
    from engine.seq2seq import attention_steps, encode_digits, greedy_decode, target_of
    from playground.tabs.seq2seq.handlers import models
    from playground.tabs.seq2seq.reproduce import reproduce_seq2seq
    from playground.tabs.seq2seq.settings import SETTINGS

    v = {name: kw.get(name, SETTINGS[name].default)
         for name in ("digits", "task", "attention", "source", "t")}
    text, _, name = reproduce_seq2seq(**v, lang="en")
    assert name == f"unrolled-seq2seq-{v['task']}-{v['attention']}-{v['digits']}"
    assert ("live only on the" in text) == (v["source"] == "trained")
    m = models(v["task"], v["attention"], "shipped", None)
    src = encode_digits(v["digits"])
    S = src.shape[1]
    got = run(text, tmp_path)
    close(got["target"], target_of(v["task"], src)[0].numpy())
    close(got["plain"], greedy_decode(m["plain"], src, S).tokens[0].numpy())
    dec = greedy_decode(m["attention"], src, S)
    close(got["attention"], dec.tokens[0].numpy())
    right = (dec.tokens[0] == target_of(v["task"], src)[0]).sum()
    close(got["right_attention"], int(right))
    for step in attention_steps(m["attention"], src):
        t = step.t + 1
        close(got[f"e_t{t}"], step.scores.numpy(), atol=1e-5)
        close(got[f"alpha_t{t}"], step.weights.numpy(), atol=1e-7)
        close(got[f"c_t{t}"], step.context.numpy(), atol=1e-6)
        close(got[f"p_t{t}"], step.probs.numpy(), atol=1e-7)
    close(got["alpha_t1"], dec.attention[0, 0].numpy(), atol=1e-7)  # the heatmap's first row


def test_seq2seq_bad_digits_get_the_tabs_message():
    import gradio as gr

    from playground.tabs.seq2seq.reproduce import reproduce_seq2seq

    with pytest.raises(gr.Error) as e:
        reproduce_seq2seq("12a4", lang="en")
    assert "a" in str(e.value.message)
    with pytest.raises(gr.Error, match="task|Task"):
        reproduce_seq2seq("1234", task="sort", lang="en")


# -- the page --------------------------------------------------------------------------------------
@pytest.mark.parametrize("tab", ["topologies", "step", "bptt", "seq2seq"])
def test_every_tab_has_the_accordion_its_endpoint_and_browser_downloads(tab):
    """Closed; its button is the public ``/reproduce_<tab>`` filling the code, the notebook and
    the name; the two downloads run in the browser only (no server function), from the shown
    code (or the notebook) and the name; none of it is a linked setting."""
    from playground.app import build_demo

    config = build_demo((tab,)).get_config_file()
    ids = {c["id"]: c for c in config["components"]}
    by_elem = {c["props"].get("elem_id"): i for i, c in ids.items()}
    assert ids[by_elem[f"{tab}-repro"]]["props"]["open"] is False
    code = by_elem[f"{tab}-repro-code"]
    assert ids[code]["type"] == "code" and ids[code]["props"]["language"] == "python"
    (make,) = [d for d in config["dependencies"] if d.get("api_name") == f"reproduce_{tab}"]
    assert make["api_visibility"] == "public" and make["outputs"][0] == code
    _, notebook, name = make["outputs"]
    downloads = {}
    for d in config["dependencies"]:
        if d.get("js") and "new Blob" in d["js"]:
            assert not d["backend_fn"] and d["api_visibility"] == "private" and not d["outputs"]
            (target, _), = d["targets"]
            downloads[ids[target]["props"]["elem_id"]] = (d["inputs"], d["js"])
    assert downloads[f"{tab}-repro-py"][0] == [code, name]
    assert '+ ".py"' in downloads[f"{tab}-repro-py"][1]
    assert downloads[f"{tab}-repro-ipynb"][0] == [notebook, name]
    assert '+ ".ipynb"' in downloads[f"{tab}-repro-ipynb"][1]
