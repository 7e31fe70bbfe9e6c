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


def test_file_names_say_what_they_are():
    assert rp.file_name("bptt", "lstm", "T200") == "unrolled-bptt-lstm-T200"
    assert rp.file_name("step", "rnn", "h4", "hello there!") == "unrolled-step-rnn-h4-hello-there"
    assert len(rp.file_name("step", "x" * 200)) <= 80


def test_the_downloads_are_made_in_the_browser_with_those_names():
    from playground import export

    assert "new Blob" in export.DOWNLOAD_JS and "a.download" in export.DOWNLOAD_JS
    assert export.download_js(".py").count('".py"') == 1
    assert export.download_js(".ipynb").count('".ipynb"') == 1


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
