"""Stepping in the browser: time sliders, Play and Pause that cost the server nothing.

A view's figures carry all of their steps (``plots.stepped``); ``stepping.js``, loaded with the
page, shows step t. The events here have no Python function (``fn=None``): Gradio runs their
``js`` in the page and sends no request. Scripts keep the tabs' API endpoints with ``t``.
"""

from __future__ import annotations

import json
from pathlib import Path

SCRIPT = "<script>\n" + Path(__file__).with_name("stepping.js").read_text() + "</script>\n"


def show_js(*plots: str) -> str:
    """For ``slider.input(None, [slider, text], [text], js=...)``: show step t on the plots
    with these ``elem_id``s, and put the first one's text for that step in ``text``."""
    return f"(t, text) => window.unrolled.showAll({json.dumps(plots)}, t, text)"


def play_js(slider: str, ms: int) -> str:
    """For ``play.click(None, js=...)``: move the slider with this ``elem_id`` from its first
    step, one step every ``ms`` ms, to its last."""
    return f"() => {{ window.unrolled.play({json.dumps(slider)}, {int(ms)}); }}"


def pause_js(slider: str) -> str:
    """For ``pause.click(None, js=...)``."""
    return f"() => {{ window.unrolled.pause({json.dumps(slider)}); }}"


def nudge_js(slider: str, delta: int) -> str:
    """For ``button.click(None, js=...)``: one step back (-1) or forward (+1)."""
    return f"() => {{ window.unrolled.nudge({json.dumps(slider)}, {int(delta)}); }}"
