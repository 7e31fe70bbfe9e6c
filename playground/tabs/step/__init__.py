"""The Step-through-time tab: h_t = tanh(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh), number by number,
on "hello" and on the user's text; teacher forcing against generation; training it live.

``build(lang_box)`` lays the tab out and returns its first-view draws; ``python -m
playground.tabs.step`` serves this tab alone. Settings in ``settings``, handlers in
``handlers``, figures in ``figures``, text in ``strings``.
"""

from __future__ import annotations

import gradio as gr

from ... import controls, export, stepping
from ...i18n import I18N
from ...serving import loss_placeholder, release_ticket
from .handlers import (
    FIRST_INFO,
    TEMPERATURE_INFO,
    compare,
    compare_typing,
    compare_view,
    course_example,
    documented,
    pause,
    poll,
    reset,
    show_step,
    start_training,
    weights_shown,
)
from .reproduce import reproduce_step
from .settings import SETTINGS as S

ID, TITLE = "step", "tab_step"  # ?tab= in a URL; its title's key


# -- layout ------------------------------------------------------------------------------------
def build(lang_box: gr.Textbox) -> list[dict]:
    """The tab's components and events (call inside a ``gr.Blocks``); returns the events that
    draw its first view (for the app's load chain)."""
    i18n = I18N
    ticket = gr.State(None, time_to_live=3600, delete_callback=release_ticket)
    gr.Markdown(i18n("st_intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            text = controls.textbox(S.text, max_lines=1, elem_id="st-text")
            cell = controls.radio(S.cell)
            hidden = controls.slider(S.hidden_size)
            layers = controls.slider(S.num_layers)
            weights = controls.radio(S.weights)
            concat = controls.checkbox(S.concat)
            steps = controls.slider(S.steps)
            with gr.Row():
                train = gr.Button(i18n("st_train"), variant="primary", elem_id="st-train")
                pause_btn = gr.Button(i18n("st_pause"))
                reset_btn = gr.Button(i18n("st_reset"))
            job_md = gr.Markdown(elem_id="st-job")
            loss_plot = gr.Plot(label=i18n("loss_plot"), elem_id="st-loss")
            repro = export.reproduce_panel(ID)
        with gr.Column(scale=3, elem_classes="figures"):
            eq = gr.Plot(elem_id="st-equation", show_label=False)
            with gr.Row():
                back = gr.Button("◀", scale=0, min_width=60, elem_id="st-back")
                t = controls.slider(S.t, high=len(S.text.default), scale=4,
                                    elem_id="st-step")
                forward = gr.Button("▶", scale=0, min_width=60, elem_id="st-forward")
                play = gr.Button(i18n("play"), scale=1, elem_id="st-play")
                stop = gr.Button(i18n("pause"), scale=1, elem_id="st-stop")
            step_md = gr.Markdown(elem_id="st-step-text")
            pred = gr.Plot(show_label=False, elem_id="st-prediction")
            heat = gr.Plot(show_label=False, elem_id="st-hidden")
            gr.Markdown(i18n("st_state_space"))
    with gr.Row():
        with gr.Column():
            gr.Markdown(i18n("st_tf_title"))
            # a number box: Enter, the arrow keys and typing all redraw
            temperature = documented(controls.number(
                S.temperature, step=S.temperature.step, elem_id="st-temperature"), "number",
                TEMPERATURE_INFO)
            tf_md = gr.Markdown(elem_id="st-tf")
        with gr.Column():
            gr.Markdown(i18n("st_blur_title"))
            gr.Markdown(i18n("st_blur"))
            first = controls.linked(S.first, documented(gr.Dropdown(
                [S.first.default], value=S.first.default, label=i18n(S.first.label),
                allow_custom_value=True, elem_id="st-first"), "string", FIRST_INFO))
            blur_plot = gr.Plot(show_label=False, elem_id="st-blur")
            blur_md = gr.Markdown(elem_id="st-blur-text")
    gr.Markdown(i18n("st_units_title"))
    gr.Markdown(i18n("st_units"))
    units_plot = gr.Plot(show_label=False, elem_id="st-units")
    gr.Markdown(i18n("st_course_title"))
    gr.Markdown(i18n("st_course"))
    course = gr.Code(language="python", show_label=False, interactive=False)

    timer = gr.Timer(0.6, active=False)
    inputs = [text, cell, hidden, layers, weights, concat, t, ticket, lang_box]
    outputs = [eq, pred, heat, step_md, t]
    cmp_inputs = [text, cell, hidden, layers, weights, temperature, first, ticket, lang_box]
    cmp_outputs = [tf_md, blur_plot, first, units_plot, blur_md]
    shown = dict(fn=show_step, inputs=inputs, outputs=outputs, preprocess=False)
    repro.connect(reproduce_step, inputs[:-1], lang_box)  # the view's settings and session
    compared = dict(fn=compare_view, inputs=cmp_inputs, outputs=cmp_outputs, preprocess=False)
    for c in (text, cell, hidden, layers, weights):
        # the user's changes only (.input): setting the weights below, or a link setting them
        # all (playground.links, which then draws once), must not redraw again
        ev = c.submit if c is text else c.input
        ev(weights_shown, [text, cell, hidden, layers, weights], weights, preprocess=False,
           api_visibility="private", show_progress="hidden").then(
            **shown, api_visibility="private").then(**compared, api_visibility="private")
    concat.input(**shown, api_visibility="private")
    # Stepping happens in the page: the view carries every step of the text (dragging, arrow
    # keys, the number box, ◀ ▶, Play), with no request. Scripts step through the API.
    stepping.wire(t, step_md, eq, pred, heat)
    gr.Button(visible=False).click(**shown, api_name="step_through_time", concurrency_limit=8)
    # the public endpoint keeps its four outputs; the explanation under the blurring plot does
    # not depend on the temperature
    temperature.submit(compare, cmp_inputs, cmp_outputs[:4], preprocess=False,
                       api_name="teacher_forcing_vs_generation")
    temperature.input(compare_typing, cmp_inputs, cmp_outputs, preprocess=False,
                      api_visibility="private", trigger_mode="always_last")
    first.input(**compared, api_visibility="private")

    for button, delta in ((back, -1), (forward, 1)):  # one step at a time
        button.click(None, js=stepping.nudge_js(t.elem_id, delta))
    play.click(None, js=stepping.play_js(t.elem_id, 1000))
    stop.click(None, js=stepping.pause_js(t.elem_id))

    ticket_out = gr.Textbox(visible=False)  # the ticket, for scripts (State is not returned)
    train.click(start_training, [text, cell, hidden, layers, steps, ticket, lang_box],
                [ticket, ticket_out, timer],
                api_name="train_step_model", preprocess=False)
    # the view follows the training live, with no spinner over it at every tick
    timer.tick(poll, [ticket, lang_box], [job_md, loss_plot, timer], api_visibility="private",
               concurrency_limit=16, show_progress="hidden").then(
        **shown, api_visibility="private", show_progress="hidden").then(
        **compared, api_visibility="private", show_progress="hidden")
    pause_btn.click(pause, [ticket, lang_box], [timer, job_md], api_visibility="private")
    reset_btn.click(reset, [ticket, lang_box], [ticket, timer, job_md, loss_plot],
                    api_visibility="private").then(**shown, api_visibility="private").then(
        **compared, api_visibility="private")
    return [shown, compared, dict(fn=course_example, inputs=[lang_box], outputs=course),
            dict(fn=loss_placeholder, inputs=[ticket, lang_box], outputs=[loss_plot])]
