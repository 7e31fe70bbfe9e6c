"""The BPTT gradients tab: ||dL/dh_t|| against the bound set by W_hh's largest singular value,
with and without clipping, and a training race of RNN, RNN + clipping, LSTM and GRU.

``build(lang_box)`` lays the tab out and returns its first-view draws; ``python -m
playground.tabs.bptt`` serves this tab alone. Settings in ``settings``, handlers in
``handlers``, figures in ``figures``, text in ``strings``.
"""

from __future__ import annotations

import gradio as gr

from engine.limits import LIMITS

from ... import controls, export
from ...i18n import I18N
from ...serving import release_ticket
from .handlers import (
    PROFILE_OUTPUTS,
    cached_profile,
    cancel_race,
    gate_controls,
    live_note,
    pick_replay,
    poll_race,
    redraw_race,
    show_profile,
    start_race,
)
from .reproduce import reproduce_bptt
from .settings import PROFILE_SETTINGS, RACE_SETTINGS

P, R = PROFILE_SETTINGS, RACE_SETTINGS
ID, TITLE = "bptt", "tab_bptt"  # ?tab= in a URL; its title's key


# -- layout ------------------------------------------------------------------------------------
def build(lang_box: gr.Textbox) -> list[dict]:
    """The tab's components and events (call inside a ``gr.Blocks``); returns the events that
    draw its first view (for the app's load chain)."""
    i18n = I18N
    gr.Markdown(i18n("bp_intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            cell = controls.radio(P.cell, elem_id="bp-cell")
            seq_len = controls.slider(P.seq_len, elem_id="bp-seq-len")
            scale = controls.slider(P.recurrent_scale, elem_id="bp-scale")
            input_scale = controls.slider(P.input_scale)
            loss_at = controls.radio(P.loss_at)
            forget_default = controls.checkbox(P.forget_default, visible=False)
            forget_bias = controls.slider(P.forget_bias, visible=False)
            update_default = controls.checkbox(P.update_default, visible=False)
            update_bias = controls.slider(P.update_bias, visible=False)
            with gr.Accordion(i18n("bp_more"), open=False):
                init = controls.radio(P.init)
                hidden = controls.slider(P.hidden_size)
                layers = controls.slider(P.num_layers)
                tbptt = controls.slider(P.tbptt)
                seed = controls.number(P.seed)
            export.reproduce_panel(ID).connect(reproduce_bptt, [
                cell, seq_len, scale, init, input_scale, forget_default, forget_bias,
                update_default, update_bias, hidden, layers, loss_at, tbptt, seed], lang_box)
        with gr.Column(scale=3, elem_classes="figures"):
            gr.Markdown(i18n("bp_profile_title"))
            profile = gr.Plot(show_label=False, elem_id="bp-profile")
            # server-made text only (no user input in it): its colour mark may keep its style
            regime = gr.Markdown(elem_id="bp-regime", sanitize_html=False)
    with gr.Row():
        with gr.Column():
            gr.Markdown(i18n("bp_sv_title"))
            gr.Markdown(i18n("bp_sv_text"))
            sv_plot = gr.Plot(show_label=False, elem_id="bp-sv")
        with gr.Column():
            gr.Markdown(i18n("bp_sum_title"))
            gr.Markdown(i18n("bp_sum_text"))
            sum_plot = gr.Plot(show_label=False, elem_id="bp-sum")
            sum_md = gr.Markdown()
    with gr.Row():
        with gr.Column():
            gr.Markdown(i18n("bp_act_title"))
            gr.Markdown(i18n("bp_act_text"))
            act_plot = gr.Plot(show_label=False, elem_id="bp-act")
            sat_md = gr.Markdown()
        with gr.Column():
            gr.Markdown(i18n("bp_gated_title"))
            gr.Markdown(i18n("bp_gated_text"))
            gated_md = gr.Markdown(elem_id="bp-gated")

    inputs = [cell, seq_len, scale, init, input_scale, forget_default, forget_bias,
              update_default, update_bias, hidden, layers, loss_at, tbptt, seed, lang_box]
    outputs = [profile, regime, sv_plot, sum_plot, sum_md, act_plot, sat_md, gated_md]
    # Every event that computes a profile is one concurrency group, as wide as the engine's
    # limit: a crowd (or a script reaching private events by fn_index) waits in one line
    # instead of holding a handler thread each while the engine makes them take turns.
    shown = dict(fn=show_profile, inputs=inputs, outputs=outputs, preprocess=False,
                 concurrency_id="gradient_profile",
                 concurrency_limit=LIMITS.max_concurrent_profiles)
    # The user's changes (.input: a link, playground.links, sets them all, then draws once);
    # sliders redraw as they move (the newest position wins). A view already made (what most
    # of a class asks when it moves one slider together) is answered at once, 8 at a time
    # (~10 ms each); a new one goes to the profiles' line through the miss token's change.
    assert len(outputs) == len(PROFILE_OUTPUTS)
    miss = gr.Textbox(visible="hidden", elem_id="bp-profile-miss", label="miss")
    cached = dict(fn=cached_profile, inputs=inputs, outputs=[*outputs, miss], preprocess=False,
                  concurrency_id="profile_cached", concurrency_limit=8,
                  api_visibility="private", trigger_mode="always_last")
    for c in (seq_len, scale, input_scale, forget_bias, update_bias, hidden, layers, tbptt,
              loss_at, forget_default, update_default, init, seed, cell):
        c.input(**cached)
    miss.change(**shown, api_visibility="private", trigger_mode="always_last")
    # the gate's bias controls follow the cell however it is set (no computing)
    cell.change(gate_controls, cell, [forget_default, forget_bias, update_default, update_bias],
                api_visibility="private", show_progress="hidden")
    # One public endpoint, for scripts: the whole view for given settings.
    seq_len.release(**shown, api_name="gradient_profile")
    return [shown, *_build_race(lang_box)]


def _build_race(lang_box: gr.Textbox) -> list[dict]:
    i18n = I18N
    ticket = gr.State(None, time_to_live=3600, delete_callback=release_ticket)
    gr.Markdown(i18n("bp_race_title"))
    gr.Markdown(i18n("bp_race_text"))
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            replay = controls.dropdown(R.replay, elem_id="bp-replay")
            racer = controls.radio(R.racer, elem_id="bp-racer")
            race_md = gr.Markdown(elem_id="bp-race-summary")
            gr.Markdown(i18n("bp_race_live"))
            note = gr.Markdown()
            task = controls.radio(R.task)
            lag = controls.slider(R.lag, elem_id="bp-race-lag")
            clip = controls.slider(R.clip)
            steps = controls.slider(R.steps, elem_id="bp-race-steps")
            seed = controls.number(R.seed, key="race_seed")
            biases = controls.radio(R.biases, elem_id="bp-race-biases")
            with gr.Row():
                run = gr.Button(i18n("bp_race_run"), variant="primary", elem_id="bp-race-run")
                cancel = gr.Button(i18n("bp_race_cancel"), elem_id="bp-race-cancel")
            status = gr.Markdown(elem_id="bp-race-status")
        with gr.Column(scale=3, elem_classes="figures"):
            loss_plot = gr.Plot(show_label=False, elem_id="bp-race-loss")
            grad_plot = gr.Plot(show_label=False, elem_id="bp-race-grad")
            heat_plot = gr.Plot(show_label=False, elem_id="bp-race-heat")
            gr.Markdown(i18n("bp_clip_title"))
            gr.Markdown(i18n("bp_clip_text"))

    figures = [loss_plot, grad_plot, heat_plot, race_md]
    timer = gr.Timer(0.8, active=False)
    replay.input(pick_replay, [replay, racer, ticket, lang_box], [ticket, *figures, status, timer],
                 api_name="race_replay", preprocess=False, concurrency_limit=8)
    racer.input(redraw_race, [replay, racer, ticket, lang_box], [*figures, status],
                api_visibility="private", preprocess=False)
    ticket_out = gr.Textbox(visible=False)  # the ticket, for scripts (State is not returned)
    # the gate biases come last: an API parameter added at the end, with its default
    run.click(start_race, [task, lag, clip, steps, seed, ticket, lang_box, biases],
              [ticket, ticket_out, timer], api_name="train_race", preprocess=False)
    timer.tick(poll_race, [ticket, racer, lang_box], [*figures, status, timer],
               api_visibility="private", concurrency_limit=16, preprocess=False,
               show_progress="hidden")  # no spinner over the figures at every tick
    cancel.click(cancel_race, [ticket, lang_box], [status, timer], api_name="cancel_race",
                 preprocess=False)
    return [dict(fn=redraw_race, inputs=[replay, racer, ticket, lang_box],
                 outputs=[*figures, status], preprocess=False),
            dict(fn=live_note, inputs=[lang_box], outputs=note)]
