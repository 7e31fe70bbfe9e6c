"""The BPTT tab's settings: each control's range, default and label, one line each.

The controls are made from these (``playground.controls``) and the handlers read every value
through them, for the page and the API alike. Two tables, one per endpoint that takes them:
the profile's (``/gradient_profile``) and the live race's (``/train_race``, ``/race_replay``);
both have a ``seed``.
"""

from __future__ import annotations

from engine.config import PROFILE, RACE, Table, choice, flag, integer
from engine.limits import LIMITS
from engine.race import LIVE_LIMITS, RACE_TASKS, RACERS, replays

# -- the profile ---------------------------------------------------------------------------------
CELL_LABELS = {"rnn_tanh": "RNN (tanh)", "rnn_relu": "RNN (relu)", "lstm": "LSTM", "gru": "GRU"}
PROFILE_SETTINGS = Table(
    PROFILE.cell.narrow(label="bp_cell", choice_labels=tuple(CELL_LABELS.values())),
    PROFILE.seq_len.narrow(label="bp_seq_len"),
    PROFILE.recurrent_scale.narrow(label="bp_scale"),  # up to 5: 5^499 overflows float64
    PROFILE.init.narrow(label="bp_init", choice_labels=("bp_init_orth", "bp_init_gauss")),
    PROFILE.input_scale.narrow(high=5.0, label="bp_input"),
    # the bias sliders hold a value even while their flag keeps PyTorch's random biases
    flag("forget_default", True, label="bp_forget_default"),
    PROFILE.forget_bias.narrow(low=-3.0, high=10.0, default=1.0, optional=False,
                               label="bp_forget"),
    flag("update_default", True, label="bp_update_default"),
    PROFILE.update_bias.narrow(low=-3.0, high=10.0, default=1.0, optional=False,
                               label="bp_update"),
    PROFILE.hidden_size.narrow(label="bp_hidden"),
    PROFILE.num_layers,
    PROFILE.loss_at.narrow(label="bp_loss_at", choice_labels=("bp_loss_last", "bp_loss_every")),
    # 0 is full BPTT, and so is a chunk as long as the sequence or longer
    integer("tbptt", 0, 0, LIMITS.max_seq_len, label="bp_tbptt"),
    PROFILE.seed,
)

# -- the training race ---------------------------------------------------------------------------
REPLAYS = tuple(e["name"] for e in replays())  # the recorded races, in the index's order
RACE_SETTINGS = Table(
    choice("replay", REPLAYS[0], REPLAYS, label="bp_race_replay",
           choice_labels=tuple(f"bp_replay_{n}" for n in REPLAYS)),
    choice("racer", "rnn", RACERS, label="bp_race_racer",
           choice_labels=tuple(f"bp_racer_{r}" for r in RACERS)),
    RACE.task.narrow(label="bp_race_task", choice_labels=tuple(f"bp_task_{t}" for t in RACE_TASKS)),
    RACE.lag.narrow(high=LIVE_LIMITS.max_lag, label="bp_race_lag"),
    RACE.clip.narrow(low=0.1, high=10.0, label="bp_race_clip"),
    RACE.steps.narrow(low=10, high=LIVE_LIMITS.max_steps, step=10, label="bp_race_steps"),
    RACE.seed,
    # the gate biases a live race starts from: the recorded races' (RaceConfig's defaults), or
    # the ones nn.LSTM / nn.GRU are built with
    choice("biases", "tuned", ("tuned", "pytorch"), label="bp_race_biases_label",
           choice_labels=("bp_biases_tuned", "bp_biases_pytorch")),
)
