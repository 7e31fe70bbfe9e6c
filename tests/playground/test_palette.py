"""The palette for every colour vision, and the contrast of lines and text on white.

Each set below is a group of series that one figure draws together. Under simulated
protanopia, deuteranopia and tritanopia (colorspacious, Machado et al. 2009 at severity 100)
and normal vision, every pair in a set that is drawn in the same style (no dash or marker of
its own) must lie at least ``MIN_DELTA_E`` apart in CAM02-UCS. Why 20: issue 13 found the
pairs at 17-18 (RNN+clip against GRU, LSTM against GRU) hard to tell apart as 3 px lines, and
thin marks need several times the difference of large patches (Szafir 2017, "Modeling Color
Difference for Visualization Design"); 20 keeps a margin above what failed. Pairs told apart by
a dash are reported, not held to it.

Contrast (WCAG 2.x, computed here independently of ``playground.style``): every series colour
at least 3:1 on white (non-text graphics, 1.4.11), every text colour a figure uses at least
4.5:1 (text, 1.4.3). ``python -m tests.playground.test_palette`` prints the report.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from playground import style
from playground.style import CONTEXT, HIDDEN, INK, INPUT, MUTED, OUTPUT
from playground.tabs.bptt.figures import LAYER_COLORS, RACER_COLORS
from playground.tabs.bptt.handlers import REGIME_COLORS
from playground.tabs.seq2seq.figures import ATT_COLOR, OTHER, PLAIN_COLOR, WIDTH_SHADES

colorspacious = pytest.importorskip("colorspacious")

MIN_DELTA_E = 20.0
VISIONS = {"normal": None, "protanopia": "protanomaly", "deuteranopia": "deuteranomaly",
           "tritanopia": "tritanomaly"}

# (series, colour, style): series drawn together in one figure; the style is the dash or marker
# that tells a series apart besides its colour ("" for none)
SETS = {
    "roles (topologies diagrams: input, hidden, output, context)": [
        ("input", INPUT, ""), ("hidden", HIDDEN, ""), ("output", OUTPUT, ""),
        ("context", CONTEXT, "")],
    "cells (BPTT race: losses)": [(k, c, "") for k, c in RACER_COLORS.items()]
    + [("chance", MUTED, "dot")],
    "clip vs no clip (BPTT race: gradient norms)": [
        ("rnn", RACER_COLORS["rnn"], ""), ("rnn_clip before", RACER_COLORS["rnn_clip"], "dot"),
        ("rnn_clip after", RACER_COLORS["rnn_clip"], ""), ("lstm", RACER_COLORS["lstm"], ""),
        ("gru", RACER_COLORS["gru"], ""), ("threshold", INK, "dash")],
    "layers (BPTT profile)": [(f"layer {k + 1}", c, "") for k, c in enumerate(LAYER_COLORS)]
    + [("dL/dc_t", CONTEXT, "dash"), ("bound", INK, "dot")],
    "singular values (BPTT)": [("sigma_i", HIDDEN, ""), ("1/gamma", INK, "dot"),
                               ("rho", OUTPUT, "dash")],
    "regimes (BPTT badge)": [(k, c, "") for k, c in REGIME_COLORS.items() if k != "bp_reg_na"],
    "H lines (seq2seq bottleneck)": [
        *((f"width {k + 1}", c, "") for k, c in enumerate(WIDTH_SHADES)),
        ("plain (shipped)", PLAIN_COLOR, ""), ("plain, longer", PLAIN_COLOR, "dot"),
        ("attention", ATT_COLOR, "dash"), ("chance", MUTED, "dot")],
    "plain vs attention (seq2seq)": [("plain", PLAIN_COLOR, ""), ("attention", ATT_COLOR, "")],
    "decoder's pick (seq2seq step)": [("picked", OUTPUT, ""), ("other", OTHER, "")],
    "prediction (step)": [("target", OUTPUT, ""), ("other", HIDDEN, ""),
                          ("loss at t", INK, ""), ("other losses", MUTED, "")],
}


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]) / 255


def seen(color: str, vision: str) -> np.ndarray:
    """The colour in CAM02-UCS as a viewer with ``vision`` sees it."""
    rgb = _rgb(color)
    if VISIONS[vision]:
        cvd = {"name": "sRGB1+CVD", "cvd_type": VISIONS[vision], "severity": 100}
        rgb = np.clip(colorspacious.cspace_convert(rgb, cvd, "sRGB1"), 0, 1)
    return colorspacious.cspace_convert(rgb, "sRGB1", "CAM02-UCS")


def delta_e(a: str, b: str, vision: str) -> float:
    return float(np.linalg.norm(seen(a, vision) - seen(b, vision)))


def wcag_contrast(a: str, b: str = "#ffffff") -> float:
    def lum(c: str) -> float:
        v = _rgb(c)
        v = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
        return float(v @ [0.2126, 0.7152, 0.0722])
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def pairs(same_style: bool):
    """(set, series a, series b, colour a, colour b) of every pair in every set, those drawn
    alike (``same_style``) or those told apart by a dash or marker."""
    for name, members in SETS.items():
        for (a, ca, sa), (b, cb, sb) in itertools.combinations(members, 2):
            if (sa == sb) == same_style and ca.lower() != cb.lower():
                yield name, a, b, ca, cb


def closest(vision: str, same_style: bool = True) -> tuple[float, str]:
    d, name, a, b = min((delta_e(ca, cb, vision), name, a, b)
                        for name, a, b, ca, cb in pairs(same_style))
    return d, f"{a} / {b} in {name}"


def report() -> str:
    lines = [f"smallest CAM02-UCS ΔE between series drawn alike (need >= {MIN_DELTA_E:g}):"]
    lines += [f"  {v:13s} {closest(v)[0]:5.1f}  {closest(v)[1]}" for v in VISIONS]
    lines += ["between series told apart by a dash or marker (reported only):"]
    lines += [f"  {v:13s} {closest(v, False)[0]:5.1f}  {closest(v, False)[1]}" for v in VISIONS]
    lines += ["contrast on white:"]
    colors = sorted({c for m in SETS.values() for _, c, _ in m}, key=wcag_contrast)
    lines += [f"  {c} {wcag_contrast(c):5.2f}:1" for c in colors]
    return "\n".join(lines)


@pytest.mark.parametrize("vision", VISIONS)
def test_series_drawn_alike_stay_apart(vision):
    close = sorted((round(delta_e(ca, cb, vision), 1), f"{a} / {b} in {name}")
                   for name, a, b, ca, cb in pairs(True) if delta_e(ca, cb, vision) < MIN_DELTA_E)
    assert not close, f"closer than {MIN_DELTA_E} under {vision}: {close}\n{report()}"


def test_series_colours_have_3_to_1_on_white():
    low = {c: round(wcag_contrast(c), 2) for m in SETS.values() for _, c, _ in m
           if wcag_contrast(c) < 3}
    assert not low, f"series colours under 3:1 on white: {low}"


def test_the_style_module_measures_contrast_as_wcag_does():
    for c in (INPUT, HIDDEN, OUTPUT, CONTEXT, MUTED, "#777777", "#ffffff"):
        assert style.contrast(c) == pytest.approx(wcag_contrast(c), rel=1e-9)
    for c in (OUTPUT, RACER_COLORS["rnn_clip"], "#E69F00", "#cccccc"):
        shade = style.text_shade(c)
        assert 4.5 <= wcag_contrast(shade) < 4.5 * 1.15, (c, shade)
    for c in (INPUT, HIDDEN, CONTEXT):  # dark enough already: kept as it is
        assert style.text_shade(c) == c


# -- the figures themselves: every colour drawn as text or as a line ------------------------------
HEX = re.compile(r"#[0-9a-fA-F]{6}$")


def _walk(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, f"{path}.{k}" if path else k)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _walk(v, path)
    elif isinstance(node, str) and HEX.match(node):
        yield path, node


def figure_colours(fig) -> tuple[set, set]:
    """(text colours, line and marker colours) of a figure, as hex."""
    plain = fig.to_plotly_json()
    text, lines = set(), set()
    for part in (plain["layout"], *plain["data"]):
        for path, color in _walk(part):
            leaf = path.split(".")
            if "colorscale" in path or "bgcolor" in leaf[-1] or "fillcolor" in leaf[-1]:
                continue
            if "font" in leaf or "annotations" in leaf and leaf[-1] == "color":
                if "font" in leaf:
                    text.add(color)
                else:
                    lines.add(color)
            elif leaf[-1] in ("color", "arrowcolor") and "grid" not in path:
                lines.add(color)
    return text, lines


def _figures():
    import plotly.graph_objects as go

    from playground.tabs.bptt import handlers as bptt
    from playground.tabs.seq2seq import handlers as s2s
    from playground.tabs.step import handlers as step
    from playground.tabs.topologies import handlers as topo
    from playground.tabs.topologies.settings import EXAMPLES

    outs = [*bptt.show_profile(), *bptt.show_race(), *step.show_step(
        "hello", "rnn", 4, 1, "pretrained", False, 2, None, "en"), *s2s.bottleneck("en"),
        *s2s.compare("reverse", "additive", "shipped", None, "en")]
    for topology in ("one_to_many", "encoder_decoder"):
        outs += topo.show(topology, "rnn", 2, 0.0, False, EXAMPLES[topology], 2, None, "en")
    return [o for o in outs if isinstance(o, go.Figure)]


@pytest.mark.slow
def test_figures_draw_text_at_4_5_to_1_and_lines_at_3_to_1():
    """Text white or on a filled box is checked against its box (label_ink), not here."""
    figs = _figures()
    assert len(figs) >= 10
    low_text, low_lines = {}, {}
    for fig in figs:
        text, lines = figure_colours(fig)
        low_text.update({c: round(wcag_contrast(c), 2) for c in text if wcag_contrast(c) < 4.5})
        low_lines.update({c: round(wcag_contrast(c), 2) for c in lines
                          if wcag_contrast(c) < 3 and c.lower() != "#ffffff"})
    assert not low_text, f"text under 4.5:1 on white: {low_text}"
    assert not low_lines, f"lines and marks under 3:1 on white: {low_lines}"


def test_box_labels_read_on_their_fill():
    for fill in (INPUT, HIDDEN, OUTPUT, CONTEXT):
        ink = style.label_ink(fill)
        assert wcag_contrast("#ffffff" if ink == "white" else ink, fill) >= 4.5, fill


if __name__ == "__main__":
    print(report())
