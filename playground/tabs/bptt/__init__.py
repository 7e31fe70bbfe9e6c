"""The BPTT gradients tab: ||dL/dh_t|| against the bound set by W_hh's largest singular value,
with and without clipping, and a training race of RNN, RNN + clipping, LSTM and GRU.

``build(lang_box)`` lays the tab out and returns its first-view draws; ``python -m
playground.tabs.bptt`` serves this tab alone. Handlers in ``handlers``, figures in
``figures``, text in ``strings``.
"""

from __future__ import annotations

import gradio as gr

from engine.bptt import PROFILE_CELLS
from engine.limits import LIMITS
from engine.race import LIVE_LIMITS, RACE_TASKS, RACERS

from ...i18n import I18N
from ...serving import release_ticket
from .handlers import (
    BIASES,
    CELL_LABELS,
    DEFAULTS,
    INITS,
    LIVE_DEFAULT,
    LOSSES,
    RACER_KEYS,
    TASK_KEYS,
    _replay_names,
    cancel_race,
    gate_controls,
    live_note,
    pick_replay,
    poll_race,
    redraw_race,
    show_profile,
    start_race,
)

ID, TITLE = "bptt", "tab_bptt"  # ?tab= in a URL; its title's key


# -- layout ------------------------------------------------------------------------------------
def build(lang_box: gr.Textbox) -> list[dict]:
    """The tab's components and events (call inside a ``gr.Blocks``); returns the events that
    draw its first view (for the app's load chain)."""
    i18n = I18N
    gr.Markdown(i18n("bp_intro"))
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            cell = gr.Radio([(CELL_LABELS[k], k) for k in PROFILE_CELLS], value=DEFAULTS.cell,
                            label=i18n("bp_cell"), elem_id="bp-cell")
            seq_len = gr.Slider(2, LIMITS.max_seq_len, value=DEFAULTS.seq_len, step=1,
                                label=i18n("bp_seq_len"), elem_id="bp-seq-len")
            scale = gr.Slider(0, 3, value=DEFAULTS.recurrent_scale, step=0.05,
                              label=i18n("bp_scale"), elem_id="bp-scale")
            input_scale = gr.Slider(0, 5, value=DEFAULTS.input_scale, step=0.1,
                                    label=i18n("bp_input"))
            loss_at = gr.Radio([(i18n(v), k) for k, v in LOSSES.items()], value="last",
                               label=i18n("bp_loss_at"))
            forget_default = gr.Checkbox(True, label=i18n("bp_forget_default"), visible=False)
            forget_bias = gr.Slider(-3, 10, value=1.0, step=0.5, label=i18n("bp_forget"),
                                    visible=False)
            update_default = gr.Checkbox(True, label=i18n("bp_update_default"), visible=False)
            update_bias = gr.Slider(-3, 10, value=1.0, step=0.5, label=i18n("bp_update"),
                                    visible=False)
            with gr.Accordion(i18n("bp_more"), open=False):
                init = gr.Radio([(i18n(v), k) for k, v in INITS.items()], value="orthogonal",
                                label=i18n("bp_init"))
                hidden = gr.Slider(1, LIMITS.max_hidden_size, value=DEFAULTS.hidden_size, step=1,
                                   label=i18n("bp_hidden"))
                layers = gr.Slider(1, LIMITS.max_num_layers, value=1, step=1,
                                   label=i18n("num_layers"))
                tbptt = gr.Slider(0, LIMITS.max_seq_len, value=0, step=1, label=i18n("bp_tbptt"))
                seed = gr.Number(0, precision=0, minimum=0, label=i18n("seed"))
        with gr.Column(scale=3):
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
    # Sliders redraw as they move (the newest position wins); the rest on change.
    for s in (seq_len, scale, input_scale, forget_bias, update_bias, hidden, layers, tbptt):
        s.input(**shown, api_visibility="private", trigger_mode="always_last")
    for c in (loss_at, forget_default, update_default, init, seed):
        c.change(**shown, api_visibility="private")
    cell.change(gate_controls, cell, [forget_default, forget_bias, update_default, update_bias],
                api_visibility="private").then(**shown, api_visibility="private")
    # One public endpoint, for scripts: the whole view for given settings.
    seq_len.release(**shown, api_name="gradient_profile")
    return [shown, *_build_race(lang_box)]


def _build_race(lang_box: gr.Textbox) -> list[dict]:
    i18n = I18N
    ticket = gr.State(None, time_to_live=3600, delete_callback=release_ticket)
    gr.Markdown(i18n("bp_race_title"))
    gr.Markdown(i18n("bp_race_text"))
    names = _replay_names()
    with gr.Row():
        with gr.Column(scale=1, min_width=300):
            replay = gr.Dropdown([(i18n(f"bp_replay_{n}"), n) for n in names],
                                 value=names[0], label=i18n("bp_race_replay"),
                                 elem_id="bp-replay")
            racer = gr.Radio([(i18n(RACER_KEYS[r]), r) for r in RACERS], value="rnn",
                             label=i18n("bp_race_racer"), elem_id="bp-racer")
            race_md = gr.Markdown(elem_id="bp-race-summary")
            gr.Markdown(i18n("bp_race_live"))
            note = gr.Markdown()
            task = gr.Radio([(i18n(TASK_KEYS[t]), t) for t in RACE_TASKS],
                            value=LIVE_DEFAULT.task, label=i18n("bp_race_task"))
            lag = gr.Slider(2, LIVE_LIMITS.max_lag, value=LIVE_DEFAULT.lag, step=1,
                            label=i18n("bp_race_lag"), elem_id="bp-race-lag")
            clip = gr.Slider(0.1, 10, value=LIVE_DEFAULT.clip, step=0.1,
                             label=i18n("bp_race_clip"))
            steps = gr.Slider(10, LIVE_LIMITS.max_steps, value=LIVE_DEFAULT.steps, step=10,
                              label=i18n("bp_race_steps"), elem_id="bp-race-steps")
            seed = gr.Number(LIVE_DEFAULT.seed, precision=0, minimum=0, label=i18n("seed"))
            biases = gr.Radio([(i18n(v), k) for k, v in BIASES.items()], value="tuned",
                              label=i18n("bp_race_biases_label"), elem_id="bp-race-biases")
            with gr.Row():
                run = gr.Button(i18n("bp_race_run"), variant="primary", elem_id="bp-race-run")
                cancel = gr.Button(i18n("bp_race_cancel"), elem_id="bp-race-cancel")
            status = gr.Markdown(elem_id="bp-race-status")
        with gr.Column(scale=3):
            loss_plot = gr.Plot(show_label=False, elem_id="bp-race-loss")
            grad_plot = gr.Plot(show_label=False, elem_id="bp-race-grad")
            heat_plot = gr.Plot(show_label=False, elem_id="bp-race-heat")
            gr.Markdown(i18n("bp_clip_title"))
            gr.Markdown(i18n("bp_clip_text"))

    figures = [loss_plot, grad_plot, heat_plot, race_md]
    timer = gr.Timer(0.8, active=False)
    replay.change(pick_replay, [replay, racer, ticket, lang_box], [ticket, *figures, status, timer],
                  api_name="race_replay", preprocess=False, concurrency_limit=8)
    racer.change(redraw_race, [replay, racer, ticket, lang_box], [*figures, status],
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
