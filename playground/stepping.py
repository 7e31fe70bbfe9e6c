"""Stepping in the browser: time sliders, Play and Pause that cost the server nothing.

A view's figures carry all of their steps (``plots.stepped``); ``stepping.js``, loaded with the
page, shows step t. The events here have no Python function (``fn=None``): Gradio runs their
``js`` in the page and sends no request. Scripts keep the tabs' API endpoints with ``t``.

A time slider's plots are drawn from the slider's own ``input`` event, in the same task as the
key press or the drag (:func:`wire`, :func:`install`): Gradio's event for that input comes
~10 ms later (its component updates first), so going through it alone cost a step a third of
its time (the Step tab's equation, key to frame: 43 ms through Gradio, 30 ms now, alone).
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

SCRIPT = "<script>\n" + Path(__file__).with_name("stepping.js").read_text() + "</script>\n"


def wire(slider: gr.Slider, text: gr.Markdown, *plots: gr.Plot) -> None:
    """Step the ``plots`` with ``slider`` in the page, and put the first one's text for the
    step in ``text``. The slider's own input event draws the plots at once (``bind``, set up
    by :func:`install`, about 10 ms sooner than through Gradio's event); Gradio's event then
    finds them drawn and sets the text."""
    ids = tuple(p.elem_id for p in plots)
    slider.input(None, [slider, text], text, js=show_js(*ids))
    slider.unrolled_steps = ids  # for install()


def install(demo: gr.Blocks) -> None:
    """On load, bind every slider :func:`wire` set up to its plots (call inside ``demo``,
    after the tabs are built)."""
    bound = {b.elem_id: list(b.unrolled_steps) for b in demo.blocks.values()
             if getattr(b, "unrolled_steps", None) and b.elem_id}
    if bound:
        demo.load(None, js=f"() => {{ window.unrolled.bind({json.dumps(bound)}); }}",
                  api_visibility="private")


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
