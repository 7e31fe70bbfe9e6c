"""The Step-through-time tab's settings: each control's range, default and label, one line each.

The controls are made from these (``playground.controls``) and the handlers read every value
through them, for the page and the API alike.
"""

from __future__ import annotations

from engine.config import CHAR, Table, choice, flag, integer, text
from engine.limits import LIMITS

SETTINGS = Table(
    text("text", "hello", 1, LIMITS.max_text_len, label="st_text"),
    CHAR.cell.narrow(label="cell", choice_labels=("RNN", "LSTM", "GRU")),
    # the equation figure shows every unit's number: 16 is as many as it can show legibly
    CHAR.hidden_size.narrow(high=16, label="st_hidden"),
    CHAR.num_layers,
    choice("weights", "pretrained", ("pretrained", "early", "random"), label="st_weights",
           choice_labels=("w_pretrained", "w_early", "w_random")),
    flag("concat", False, label="st_concat"),
    integer("t", 1, 1, LIMITS.max_text_len, label="step"),  # the slider follows the text
    CHAR.steps.narrow(low=10, high=1000, step=10, label="train_steps"),
    CHAR.temperature.narrow(low=0.01, high=5.0, step=0.01, label="st_temperature"),
    # a character of the text, read in place of its first (the choices follow the text)
    text("first", "e", 1, 1, label="st_first"),
)
