"""The Topologies tab: pick a topology, see it folded and unrolled, with the real PyTorch code
and the shapes it gives, and train it in the background.

``build(lang_box)`` lays the tab out and returns its first-view draws; ``python -m
playground.tabs.topologies`` serves this tab alone. Settings in ``settings``, handlers in
``handlers``, figures in ``figures``, text in ``strings``.
"""

from __future__ import annotations

import gradio as gr

from ... import controls, export, stepping
from ...i18n import I18N
from ...serving import loss_placeholder, release_ticket
from .handlers import (
    _show_when_done,
    cancel,
    dropout_control,
    example_for,
    show,
    start_training,
    step,
    watch,
)
from .reproduce import reproduce_topology
from .settings import SETTINGS as S

ID, TITLE = "topologies", "tab_topologies"  # ?tab= in a URL; its title's key


# -- layout ----------------------------------------------------------------------------------------
def build(lang_box: gr.Textbox) -> list[dict]:
    """The tab's components and events (call inside a ``gr.Blocks``); returns the events that
    draw its first view (for the app's load chain)."""
    i18n = I18N
    ticket = gr.State(None, time_to_live=3600, delete_callback=release_ticket)
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            topology = controls.radio(S.topology)
            cell = controls.radio(S.cell)
            num_layers = controls.slider(S.num_layers, elem_id="topology-layers")
            dropout = controls.slider(S.dropout, interactive=False,
                                      elem_id="topology-dropout")  # 1 layer
            bidirectional = controls.checkbox(S.bidirectional, elem_id="topology-bidirectional")
            text = controls.textbox(S.text, max_lines=1, elem_id="topology-input")
            run = gr.Button(i18n("run"), variant="primary")
            export.reproduce_panel(ID).connect(
                reproduce_topology, [topology, cell, num_layers, dropout, bidirectional, text],
                lang_box)
        with gr.Column(scale=3, elem_classes="figures"):
            explain = gr.Markdown(elem_id="topology-explain")
            plot = gr.Plot(label=i18n("diagram"), elem_id="topology-diagram")
            with gr.Row():
                t = controls.slider(S.t, high=len(S.text.default), scale=4,
                                    elem_id="topology-step")
                play = gr.Button(i18n("play"), scale=1, elem_id="topology-play")
                pause = gr.Button(i18n("pause"), scale=1, elem_id="topology-pause")
            step_md = gr.Markdown(elem_id="topology-step-values")
            model_md = gr.Markdown(elem_id="topology-model")
    with gr.Row():
        with gr.Column(scale=1):
            heat = gr.Plot(label=i18n("hidden_states"), elem_id="topology-heatmap")
        with gr.Column(scale=1):
            gr.Markdown(i18n("code_title"))
            code = gr.Code(language="python", show_label=False, interactive=False,
                           elem_id="topology-code")
            gr.Markdown(i18n("code_misreading"))
    with gr.Accordion(i18n("retrain"), open=False, elem_id="topology-train-box"):
        with gr.Row():
            steps = controls.slider(S.steps)
            seed = controls.number(S.seed)
            train_btn = gr.Button(i18n("retrain"), variant="primary", elem_id="topology-train")
            cancel_btn = gr.Button(i18n("cancel"), elem_id="topology-cancel")
        job_md = gr.Markdown(elem_id="topology-job")
        loss_plot = gr.Plot(label=i18n("loss_plot"), elem_id="topology-loss")
    timer = gr.Timer(0.5, active=False)

    inputs = [topology, cell, num_layers, dropout, bidirectional, text, t, ticket, lang_box]
    outputs = [plot, heat, step_md, model_md, code, explain, t]
    # preprocess=False: our own checks (engine limits, in the user's language) see the raw
    # values, rather than gradio's English "Value 99 is greater than maximum value 3."
    shown = dict(fn=show, inputs=inputs, outputs=outputs, preprocess=False)
    run.click(**shown, api_name="show_topology")
    text.submit(**shown, api_visibility="private")
    # the user's changes redraw (.input): values set by a link (playground.links) are drawn
    # once by the link, not again by each control they change
    for c in (cell, num_layers, dropout):
        c.input(**shown, api_visibility="private", trigger_mode="always_last")
    # the user's ticks only: a new topology may untick it, and then draws once itself
    bidirectional.input(**shown, api_visibility="private")
    num_layers.change(dropout_control, num_layers, dropout, api_visibility="private",
                      preprocess=False, show_progress="hidden")
    # the user's choice only: gradio fires .change on this radio when the page translates its
    # choices, which cost every opened page a request and a redraw
    topology.input(example_for, topology, [text, bidirectional], api_visibility="private",
                    preprocess=False).then(
        **shown, api_visibility="private")
    # Stepping happens in the page: the view carries every step (dragging, arrow keys, the
    # number box, Play), with no request. Scripts step through the API.
    stepping.wire(t, step_md, plot, heat)
    play.click(None, js=stepping.play_js(t.elem_id, 900))
    pause.click(None, js=stepping.pause_js(t.elem_id))
    gr.Button(visible=False).click(step, inputs, [plot, heat, step_md], api_name="step_topology",
                                   concurrency_limit=8, preprocess=False)

    train_inputs = [topology, cell, num_layers, dropout, bidirectional, steps, seed, ticket,
                    lang_box]
    # The ticket goes to the session's State and, for scripts, out through a hidden textbox.
    ticket_out = gr.Textbox(visible=False)
    train_btn.click(start_training, train_inputs, [ticket, ticket_out, job_md, loss_plot, timer],
                    api_name="train_topology", preprocess=False)
    # Polls draw nothing while they wait: no loading state on the view at every tick, and an
    # output is sent only when it changed (the view once, when the job is done).
    timer.tick(watch, [ticket, lang_box, job_md], [job_md, loss_plot, timer],
               api_visibility="private", concurrency_limit=16, show_progress="hidden").then(
        _show_when_done, inputs, outputs, api_visibility="private", show_progress="hidden")
    cancel_btn.click(cancel, [ticket, lang_box], [ticket, job_md, timer],
                     api_name="cancel_training")
    empty = dict(fn=loss_placeholder, inputs=[ticket, lang_box], outputs=[loss_plot])
    return [shown, empty]
