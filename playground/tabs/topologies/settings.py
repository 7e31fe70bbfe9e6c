"""The Topologies tab's settings: each control's range, default and label, one line each.

The controls are made from these (``playground.controls``) and the handlers read every value
through them, for the page and the API alike.
"""

from __future__ import annotations

from engine.config import MODEL, TRAIN, Table, integer, text
from engine.limits import LIMITS

# each topology's example input (a task's alphabet: digits, or brackets)
EXAMPLES = {"one_to_one": "7", "one_to_many": "5", "many_to_one": "(()())",
            "many_to_many": "31524", "encoder_decoder": "112333"}
SETTINGS = Table(
    MODEL.topology.narrow(choice_labels=MODEL.topology.choices),  # labelled by their own keys
    MODEL.cell.narrow(choice_labels=("RNN", "LSTM", "GRU")),
    MODEL.num_layers,
    MODEL.dropout,  # active only with more than one layer, as in PyTorch
    MODEL.bidirectional,
    text("text", EXAMPLES["many_to_many"], 1, LIMITS.max_text_len, label="input_text"),
    # a step past either end shows that end: the slider follows the view
    integer("t", 1, 1, LIMITS.max_text_len, label="step"),
    TRAIN.steps.narrow(low=10, default=400, step=10),
    TRAIN.seed,
)
