"""The Seq2seq tab's settings: each control's range, default and label, one line each.

The controls are made from these (``playground.controls``) and the handlers read every value
through them, for the page and the API alike.
"""

from __future__ import annotations

from engine.config import SEQ2SEQ, SEQ2SEQ_TRAIN, Table, choice, integer, text
from engine.seq2seq import MAX_SRC_LEN

DEFAULT_DIGITS = "3141592653589793"
SETTINGS = Table(
    # what is shown
    SEQ2SEQ_TRAIN.task.narrow(choices=("reverse", "copy"), label="s2s_task",
                              choice_labels=("s2s_reverse", "s2s_copy")),
    SEQ2SEQ.attention.narrow(choices=("additive", "dot"), default="additive", optional=False,
                             label="s2s_attention", choice_labels=("s2s_additive", "s2s_dot")),
    choice("source", "shipped", ("shipped", "trained"), label="s2s_source",
           choice_labels=("s2s_shipped", "s2s_trained")),
    text("digits", DEFAULT_DIGITS, 1, MAX_SRC_LEN, label="s2s_digits"),
    integer("t", 1, 1, MAX_SRC_LEN, label="s2s_step"),  # the slider follows the input's length
    # what is trained (task and attention as above)
    SEQ2SEQ.cell.narrow(label="cell", choice_labels=("GRU", "LSTM")),
    SEQ2SEQ.hidden_size.narrow(low=8, default=64, step=8, label="s2s_hidden"),
    SEQ2SEQ_TRAIN.min_len.narrow(high=25, label="s2s_min_len"),
    SEQ2SEQ_TRAIN.max_len.narrow(low=2, high=25, label="s2s_max_len"),
    SEQ2SEQ_TRAIN.steps.narrow(low=50, default=1500, step=50, label="s2s_steps"),
    SEQ2SEQ.bidirectional.narrow(label="s2s_bi"),
)
