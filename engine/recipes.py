"""How the shipped checkpoints were made: sizes, steps, seeds, file names, descriptions.

Data only, nothing runs here. ``python -m engine.pretrain`` and ``python -m
engine.pretrain_seq2seq`` train from these recipes, and the app reads them to offer a model
made like a shipped one (and to find its file), without importing a command-line script.
"""

from __future__ import annotations

from .seq2seq import Seq2SeqConfig, Seq2SeqTrainConfig

__all__ = ["CHAR_EARLY", "CHAR_HIDDEN", "CHAR_LR", "CHAR_SEED", "CHAR_STEPS", "CHAR_TEXT",
           "DESCRIPTIONS", "LONGER", "OVERRIDES", "RECIPES", "SEQ2SEQ_DESCRIPTIONS",
           "SEQ2SEQ_HIDDEN", "SEQ2SEQ_RECIPE", "WIDENING", "char_checkpoint_name",
           "checkpoint_name", "seq2seq_checkpoint_name"]

# -- the Topologies tab: one model per task and cell ----------------------------------------------
# task -> (hidden_size, training steps); every one with TrainConfig(batch_size=32, seed=0, lr=0.01)
# and the initial weights of seed 0
RECIPES = {
    "next_digit": (32, 300),
    "countdown": (32, 800),
    "parens": (32, 1200),
    "running_max": (32, 1000),
    "dedupe": (64, 3000),
}
# (task, cell) -> TrainConfig overrides, where the default lr 0.01 without clipping does worse.
# The plain RNN encoder-decoder: 55% exact outputs with lr 0.01, 68% with lr 0.003 and clip 1.
OVERRIDES = {("dedupe", "rnn"): {"lr": 0.003, "clip": 1.0}}

DESCRIPTIONS = {
    "next_digit": "one-to-one: a digit in, the next digit out",
    "countdown": "one-to-many: a digit d in, 'd ... 1 <end>' out",
    "parens": "many-to-one: a string of brackets in, balanced or not out",
    "running_max": "many-to-many aligned: the largest digit so far, at every step",
    "dedupe": "encoder-decoder: digits in, repeats collapsed out, then <end>",
}


def checkpoint_name(task: str, cell: str, hidden_size: int) -> str:
    """``running_max_gru_h32.pt``: a Topologies checkpoint named after what it is."""
    return f"{task}_{cell}_h{hidden_size}.pt"


# -- Step through time: the character model of "hello", read "hell", predict "ello" -------------
CHAR_TEXT, CHAR_HIDDEN, CHAR_STEPS, CHAR_LR, CHAR_SEED = "hello", 4, 200, 0.05, 4
# An early checkpoint of the same run, where teacher forcing and generation part ways: reading
# the true "hell" it predicts "eell"; writing on its own from "h" it reads its own "e" and goes
# on "eeee". (Seed 4 was picked because its early steps show this; seed 0's never do.)
CHAR_EARLY = 2


def char_checkpoint_name(cell: str, steps: int = CHAR_STEPS) -> str:
    """``char_hello_lstm_h4.pt``, and ``char_hello_rnn_h4_step2.pt`` for an early checkpoint."""
    early = "" if steps == CHAR_STEPS else f"_step{steps}"
    return f"char_{CHAR_TEXT}_{cell}_h{CHAR_HIDDEN}{early}.pt"


# -- the Seq2seq tab: every model from one recipe -------------------------------------------------
SEQ2SEQ_RECIPE = Seq2SeqTrainConfig(min_len=5, max_len=20, steps=1500, batch_size=64, lr=0.003,
                                    clip=1.0, seed=0)
SEQ2SEQ_HIDDEN = 64
WIDENING = (16, 32, 128)     # plain reverse models beside the h64 one: the widening view
LONGER = 3000                # plain reverse h64 trained twice as long: more training, same size

SEQ2SEQ_DESCRIPTIONS = {
    None: "encoder-decoder without attention: the decoder sees only the encoder's last state",
    "additive": "encoder-decoder with additive (Bahdanau) attention over every encoder state",
    "dot": "encoder-decoder with Luong attention over every encoder state",
}


def seq2seq_checkpoint_name(task: str, cfg: Seq2SeqConfig, prefix: str = "") -> str:
    """``reverse_gru_h64_additive.pt``, ``reverse_widen_gru_h16.pt``, ``copy_gru_h64_dot_bi.pt``."""
    att = f"_{cfg.attention}" if cfg.attention else ""
    bi = "_bi" if cfg.bidirectional else ""
    return f"{task}_{prefix}{cfg.cell}_h{cfg.hidden_size}{att}{bi}.pt"
