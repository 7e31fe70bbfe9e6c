"""Export and text summaries in a real browser (Chromium): every figure's toolbar saves it as
PNG and SVG and its data as CSV, with file names that say the tab, the figure and the view's
settings; the CSV holds exactly the figure's data; each figure carries a text summary in the
page's language that follows the step shown.

Uses the helpers of ``test_browser.py`` and ``test_browser_links.py``.
"""

from __future__ import annotations

import csv
import io
import math
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .test_browser import browser, expect, opened  # noqa: F401  (browser is a fixture)
from .test_browser_links import _settled

pytestmark = [pytest.mark.browser, pytest.mark.slow]

BUTTONS = {"en-US": ["Reset axes", "Download as PNG", "Download as SVG",
                     "Download the data (CSV)"],
           "ko-KR": ["축 되돌리기", "PNG로 저장", "SVG로 저장", "데이터 저장 (CSV)"]}

# per tab: a link, a figure it shows, and the name its files get
VIEWS = {
    "topologies": ({"cell": "gru", "t": "2"}, "topology-diagram",
                   "unrolled-topologies-diagram-cell-gru-t-2"),
    "step": ({"cell": "lstm", "t": "3"}, "st-equation", "unrolled-step-equation-cell-lstm-t-3"),
    "bptt": ({"cell": "lstm", "seq_len": "60"}, "bp-profile",
             "unrolled-bptt-profile-cell-lstm-seq_len-60"),
    "seq2seq": ({"attention": "dot"}, "s2s-heat", "unrolled-seq2seq-heat-attention-dot"),
}

# The figure's traces as the page holds them (Plotly keeps a typed array it was sent as
# {bdata, _inputArray}): read independently of the page's export code.
DATA_JS = """(id) => {
    const el = document.querySelector('#' + id + ' .js-plotly-plot');
    const plain = (v) => v && v._inputArray !== undefined ? plain(v._inputArray)
        : ArrayBuffer.isView(v) ? Array.from(v)
        : Array.isArray(v) ? v.map(plain) : v === undefined ? null : v;
    return el.data.map((t) => ({type: t.type || 'scatter', visible: t.visible ?? true,
        x: plain(t.x), y: plain(t.y), z: plain(t.z)}));
}"""


def _expected_points(traces: list[dict]) -> list[tuple]:
    """(trace, x, y, z) of every point and non-empty cell the figure shows."""
    out = []
    for k, t in enumerate(traces):
        if t["visible"] is False:
            continue
        z = t["z"]
        if z and isinstance(z[0], list):
            x, y = t["x"], t["y"]
            for i, line in enumerate(z):
                for j, v in enumerate(line):
                    if v is None:
                        continue
                    xv = j if x is None else (
                        (x[j] + x[j + 1]) / 2 if len(x) == len(line) + 1 else x[j])
                    yv = i if y is None else y[i]
                    out.append((k, xv, yv, v))
        else:
            x, y = t["x"], t["y"]
            for i in range(max(len(x or []), len(y or []))):
                out.append((k, i if x is None else x[i], None if y is None else y[i], None))
    return out


def _number(text: str):
    try:
        return float(text)
    except ValueError:
        return text or None


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-300)
    return a == b or (a in (None, "") and b in (None, ""))


def _download(page, elem_id: str, label: str):
    page.locator(f"#{elem_id} .js-plotly-plot").hover()
    with page.expect_download() as info:
        page.locator(f"#{elem_id} .modebar-btn[aria-label='{label}']").click()
    download = info.value
    with open(download.path(), "rb") as f:
        return download.suggested_filename, f.read()


@pytest.mark.parametrize("tab", list(VIEWS))
def test_a_figure_downloads_as_png_svg_and_csv_named_for_its_view(browser, app_url, tab):  # noqa: F811
    settings, elem_id, stem = VIEWS[tab]
    with opened(browser, app_url, "en-US", query="?" + urlencode({"tab": tab, **settings})) as page:
        _settled(page, elem_id)
        traces = page.evaluate(DATA_JS, elem_id)
        labels = page.locator(f"#{elem_id} .modebar-btn").evaluate_all(
            "(els) => els.map((e) => e.getAttribute('aria-label'))")
        assert labels == BUTTONS["en-US"][(0 if "Reset axes" in labels else 1):]

        name, body = _download(page, elem_id, "Download the data (CSV)")
        assert name == f"{stem}.csv"
        rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
        assert rows[0] == ["trace", "name", "type", "x", "y", "z", "text", "x_label", "y_label"]
        points = [r for r in rows[1:] if r[0] != "annotation"]
        got = [(int(r[0]), _number(r[3]), _number(r[4]), _number(r[5])) for r in points]
        want = _expected_points(traces)
        assert len(got) == len(want) > 0
        for g, w in zip(got, want):
            assert all(_same(a, b) for a, b in zip(g, w)), (g, w)

        name, body = _download(page, elem_id, "Download as PNG")
        assert name == f"{stem}.png" and body[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", body[16:24])
        shown = page.locator(f"#{elem_id} .js-plotly-plot").bounding_box()
        assert abs(width - 2 * shown["width"]) <= 4 and abs(height - 2 * shown["height"]) <= 4

        name, body = _download(page, elem_id, "Download as SVG")
        assert name == f"{stem}.svg"
        root = ET.fromstring(body)
        assert root.tag.endswith("svg")
        texts = " ".join(t for t in root.itertext() if t.strip())
        title = page.evaluate("(id) => { const l = document.querySelector('#' + id + "
                              "' .js-plotly-plot').layout; return l.title && l.title.text "
                              "|| ''; }", elem_id)
        if title:  # the title's words are in the SVG (Plotly writes its text as <text>)
            assert title.split(":")[0].split("<")[0].strip()[:12] in texts


def test_the_heatmap_csv_names_its_rows_and_columns(browser, app_url):  # noqa: F811
    """The equation figure's CSV says which term (column title) and which unit each cell is."""
    with opened(browser, app_url, "en-US", query="?tab=step") as page:
        _settled(page, "st-equation")
        _, body = _download(page, "st-equation", "Download the data (CSV)")
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        heat = [r for r in rows if r["type"] == "heatmap"]
        terms = {r["x_label"] for r in heat}
        assert {"x_t", "W_ih x_t", "b_ih", "h_(t-1)", "W_hh h_(t-1)", "b_hh", "a_t"} <= terms, terms
        assert all(r["y_label"] for r in heat)
        assert all(r["z"] != "" for r in heat)  # no gap columns


@pytest.mark.parametrize("locale,words", [
    ("en-US", ["Figure: nn.LSTM, T = 60", "60 points", "||dL/dh_t|| measured"]),
    ("ko-KR", ["그림: nn.LSTM, T = 60", "점 60개"])])
def test_each_figure_has_a_text_summary_in_the_page_language(browser, app_url, locale, words):  # noqa: F811
    with opened(browser, app_url, locale, query="?tab=bptt&cell=lstm&seq_len=60") as page:
        _settled(page, "bp-profile")
        summary = page.locator("#bp-profile .figure-summary")
        for w in words:
            expect(summary).to_contain_text(w, timeout=30_000)
        # a screen reader reaches it from the plot
        plot = page.locator("#bp-profile .js-plotly-plot")
        assert plot.get_attribute("role") == "figure"
        assert plot.get_attribute("aria-labelledby") == "bp-profile-summary"
        labels = page.locator("#bp-profile .modebar-btn").evaluate_all(
            "(els) => els.map((e) => e.getAttribute('aria-label'))")
        assert labels == BUTTONS[locale]
        # every figure on the tab has one, saying something
        plots = page.locator("#bp-profile, #bp-sv, #bp-sum, #bp-act")
        for i in range(plots.count()):
            text = plots.nth(i).locator(".figure-summary").text_content(timeout=30_000)
            assert len(text) > 20, text


def test_the_summary_follows_the_step_shown_in_the_page(browser, app_url):  # noqa: F811
    with opened(browser, app_url, "en-US", query="?tab=step") as page:
        _settled(page, "st-equation")
        summary = page.locator("#st-equation .figure-summary")
        expect(summary).to_contain_text("t = 1", timeout=30_000)
        slider = page.locator("#st-step input[type=range]")
        slider.focus()
        slider.press("ArrowRight")
        expect(summary).to_contain_text("t = 2", timeout=30_000)


@pytest.mark.parametrize("locale,words", [
    ("en-US", ("Reproduce in PyTorch", "Make the script", "Download .py", "Download .ipynb")),
    ("ko-KR", ("PyTorch로 재현하기", "스크립트 만들기", ".py 내려받기", ".ipynb 내려받기"))])
def test_reproduce_in_pytorch_downloads_the_script_of_the_view_shown(browser, app_url,  # noqa: F811
                                                                      locale, words, tmp_path):
    """The page's script is the one its settings give (the handler's, for the link's
    settings), the .ipynb holds it cell by cell, and the script runs."""
    import json
    import subprocess
    import sys

    from playground.tabs.step.reproduce import reproduce_step

    with opened(browser, app_url, locale, query="?tab=step&cell=gru&t=3") as page:
        _settled(page, "st-equation")
        panel = page.locator("#step-repro")
        panel.get_by_text(words[0], exact=True).first.click()
        panel.get_by_role("button", name=words[1]).click()
        code = page.locator("#step-repro-code")
        expect(code).to_contain_text("import torch", timeout=60_000)
        with page.expect_download() as info:
            panel.get_by_role("button", name=words[2]).click()
        script = Path(info.value.path()).read_text(encoding="utf-8")
        py_name = info.value.suggested_filename
        with page.expect_download() as info:
            panel.get_by_role("button", name=words[3]).click()
        nb = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
        nb_name = info.value.suggested_filename
    want, want_nb, name = reproduce_step(cell="gru", t=3, lang=locale[:2])
    assert script == want
    assert nb == json.loads(want_nb) and nb["nbformat"] == 4
    assert py_name == f"{name}.py" and nb_name == f"{name}.ipynb" and "gru" in name
    path = tmp_path / py_name
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                         timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    printed = {line.split()[0] for line in run.stdout.splitlines() if line.strip()}
    assert {"p_t1", "p_t2", "a_t", "h_t", "loss_mean"} <= printed, printed
