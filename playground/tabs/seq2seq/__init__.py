"""The Seq2seq vs attention tab: the encoder-decoder's context vector as a bottleneck, and
attention (Bahdanau et al. 2014) pushing the limit out.

``build(lang_box)`` lays the tab out and returns its first-view draws; ``python -m
playground.tabs.seq2seq`` serves this tab alone. Settings in ``settings``, handlers in
``handlers``, figures in ``figures``, text in ``strings``.
"""

from __future__ import annotations

import gradio as gr

from ... import controls, export, stepping
from ...i18n import I18N
from ...serving import release_ticket
from .handlers import (
    bottleneck,
    cancel,
    compare,
    decode,
    loss_placeholder,
    poll,
    show,
    start_training,
)
from .reproduce import reproduce_seq2seq
from .settings import SETTINGS as S

ID, TITLE = "seq2seq", "tab_seq2seq"  # ?tab= in a URL; its title's key


# -- layout ---------------------------------------------------------------------------------------
def build(lang_box: gr.Textbox) -> list[dict]:
    """The tab; returns the events that draw its first view (for the app's load chain)."""
    i18n = I18N
    ticket = gr.State(None, time_to_live=3600, delete_callback=release_ticket)
    gr.Markdown(i18n("s2s_intro"))
    # on a phone and in presenter mode the figures come before the choices (style.py)
    with gr.Column(elem_classes="figures-first"):
        with gr.Row(elem_classes="choices"):
            task = controls.radio(S.task, elem_id="s2s-task")
            kind = controls.radio(S.attention, elem_id="s2s-kind")
            source = controls.radio(S.source, elem_id="s2s-source")
        caption = gr.Markdown(elem_id="s2s-caption")
        with gr.Row():
            by_len = gr.Plot(show_label=False, elem_id="s2s-by-length")
            by_pos = gr.Plot(show_label=False, elem_id="s2s-by-position")
    gr.Markdown(i18n("s2s_headline_note"))

    gr.Markdown(i18n("s2s_bottleneck_title"))
    gr.Markdown(i18n("s2s_bottleneck"))
    with gr.Row():
        widen = gr.Plot(show_label=False, elem_id="s2s-widen")
    widen_md = gr.Markdown(elem_id="s2s-widen-text")

    gr.Markdown(i18n("s2s_try_title"))
    with gr.Row():
        digits = controls.textbox(S.digits, max_lines=1, scale=3, elem_id="s2s-digits")
        run = gr.Button(i18n("s2s_run"), variant="primary", scale=1, elem_id="s2s-run")
    gr.Markdown(i18n("s2s_outputs_title"))
    outputs = gr.HTML(elem_id="s2s-outputs")
    with gr.Row():
        with gr.Column(scale=2):
            heat = gr.Plot(show_label=False, elem_id="s2s-heat")
            gr.Markdown(i18n("s2s_heat_note"))
        with gr.Column(scale=3):
            t = controls.slider(S.t, high=len(S.digits.default), elem_id="s2s-step")
            # one decoding step in three figures, the states under the weights at one width
            # (figures.step_figures); the softmax beside them, or under them on a phone
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300):
                    step_plot = gr.Plot(show_label=False, elem_id="s2s-step-plot")
                    states_plot = gr.Plot(show_label=False, elem_id="s2s-step-states")
                with gr.Column(scale=1, min_width=160):
                    probs_plot = gr.Plot(show_label=False, elem_id="s2s-step-probs")
            step_md = gr.Markdown(elem_id="s2s-step-text")
    # below the decoding it reproduces
    export.reproduce_panel(ID).connect(reproduce_seq2seq, [digits, task, kind, source, t],
                                       lang_box)

    gr.Markdown(i18n("s2s_train_title"))
    gr.Markdown(i18n("s2s_train_note"))
    with gr.Row():
        with gr.Column(scale=1, min_width=280):
            tr_task = controls.radio(S.task, key="train_task")
            # (whether the encoder reads both ways is the checkbox below, for either kind)
            tr_kind = controls.radio(S.attention.narrow(choice_labels=("s2s_additive",
                                                                       "s2s_dot_plain")),
                                     key="train_attention", elem_id="s2s-train-kind")
            tr_cell = controls.radio(S.cell)
            hidden = controls.slider(S.hidden_size, elem_id="s2s-train-hidden")
            with gr.Row():
                lo = controls.slider(S.min_len)
                hi = controls.slider(S.max_len)
            steps = controls.slider(S.steps, info=i18n("s2s_steps_info"),
                                    elem_id="s2s-train-steps")
            bi = controls.checkbox(S.bidirectional)
            with gr.Row():
                train = gr.Button(i18n("s2s_train"), variant="primary", elem_id="s2s-train")
                stop = gr.Button(i18n("s2s_cancel"), elem_id="s2s-cancel")
        with gr.Column(scale=2, elem_classes="figures"):
            job_md = gr.Markdown(elem_id="s2s-job")
            loss_plot = gr.Plot(show_label=False, elem_id="s2s-loss")

    gr.Markdown(i18n("s2s_closing_title"))
    gr.Markdown(i18n("s2s_closing"))

    timer = gr.Timer(0.7, active=False)
    finished = gr.Textbox(visible=False)   # set to the ticket when a job finishes
    ticket_out = gr.Textbox(visible=False)  # the ticket, for scripts (State is not returned)

    cmp = dict(fn=compare, inputs=[task, kind, source, ticket, lang_box],
               outputs=[by_len, by_pos, caption], preprocess=False)
    dec = dict(fn=decode, inputs=[digits, task, kind, source, t, ticket, lang_box],
               outputs=[outputs, heat, step_plot, states_plot, probs_plot, step_md, t],
               preprocess=False)
    wid = dict(fn=bottleneck, inputs=[lang_box], outputs=[widen, widen_md])
    run.click(**dec, api_name="seq2seq_decode")
    digits.submit(**dec, api_visibility="private")
    # the output step moves in the page: the view carries every step (no request)
    stepping.wire(t, step_md, step_plot, states_plot, probs_plot)

    def on(touched: str):
        def view(task: str, attention: str, source: str, ticket: str | None, lang: str):
            return show(task, attention, source, ticket, touched, lang)
        return dict(fn=view, inputs=[task, kind, source, ticket, lang_box],
                    outputs=[by_len, by_pos, caption, task, kind, source], preprocess=False,
                    api_visibility="private")

    for c, touched in ((task, "task"), (kind, "attention"), (source, "source")):
        c.input(**on(touched)).then(**dec, api_visibility="private")
    gr.Button(visible=False).click(**cmp, api_name="seq2seq_compare")
    train.click(start_training, [tr_task, tr_kind, tr_cell, hidden, lo, hi, steps, bi, ticket,
                                 lang_box], [ticket, ticket_out, timer],
                api_name="train_seq2seq", preprocess=False)
    timer.tick(poll, [ticket, lang_box], [job_md, loss_plot, timer, source, finished, task, kind],
               api_visibility="private", concurrency_limit=16, show_progress="hidden")
    finished.change(**on("source")).then(**dec, api_visibility="private")
    stop.click(cancel, [ticket, lang_box], [timer, job_md], api_visibility="private")
    empty = dict(fn=loss_placeholder, inputs=[ticket, lang_box], outputs=[loss_plot])
    return [cmp, wid, dec, empty]
