"""Seq2seq on digits: the models against their equations, decoding, training, shipped models."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine import LimitError, load_checkpoint, manifest
from engine.checkpoints import CHECKPOINT_DIR
from engine.seq2seq import (
    MAX_SRC_LEN,
    START,
    DigitsError,
    Seq2SeqConfig,
    Seq2SeqTrainConfig,
    accuracy_by_length,
    attention_step,
    build_seq2seq,
    digit_batch,
    encode_digits,
    greedy_decode,
    held_out_accuracy,
    model_from_state,
    pair_train_job,
    seq2seq_train_steps,
    target_of,
)

ENTRIES = [e for e in manifest() if e["task"] in ("reverse", "copy")]

def _shipped(task: str, attention: str | None):
    entry = next(e for e in ENTRIES if e["task"] == task and e["attention"] == attention)
    return load_checkpoint(CHECKPOINT_DIR / entry["file"]).model, entry

def _run(gen):
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        return stop.value

# -- input ----------------------------------------------------------------------------------------
def test_encode_digits():
    assert encode_digits("31 41").tolist() == [[3, 1, 4, 1]]

@pytest.mark.parametrize("text,kind", [("", "empty"), ("  ", "empty"), ("12a4", "digits"),
                                       ("１２", "digits"), ("1" * (MAX_SRC_LEN + 1), "long")])
def test_bad_digits(text, kind):
    with pytest.raises(DigitsError) as e:
        encode_digits(text)
    assert e.value.kind == kind

@pytest.mark.parametrize("value", [None, 123, ["1", "2"]])
def test_digits_of_the_wrong_type(value):
    with pytest.raises(LimitError):
        encode_digits(value)

def test_targets():
    src = torch.tensor([[3, 1, 4, 1, 5]])
    assert target_of("reverse", src).tolist() == [[5, 1, 4, 1, 3]]
    assert target_of("copy", src).tolist() == [[3, 1, 4, 1, 5]]
    assert target_of("sort", src).tolist() == [[1, 1, 3, 4, 5]]
    with pytest.raises(LimitError):
        target_of("shuffle", src)

@pytest.mark.parametrize("kwargs", [dict(cell="rnn"), dict(attention="general"),
                                    dict(hidden_size=0), dict(hidden_size=4096),
                                    dict(bidirectional=True), dict(bidirectional="yes")])
def test_config_limits(kwargs):
    with pytest.raises(LimitError):
        Seq2SeqConfig(**kwargs).check()

@pytest.mark.parametrize("kwargs", [dict(min_len=0), dict(max_len=MAX_SRC_LEN + 1),
                                    dict(min_len=9, max_len=5), dict(steps=10**6),
                                    dict(task="shuffle"), dict(lr=float("nan"))])
def test_train_config_limits(kwargs):
    with pytest.raises(LimitError):
        Seq2SeqTrainConfig(**kwargs).check()

# -- the models against their equations ----------------------------------------------------------
def _tgt_in(tgt):
    return torch.cat([torch.full_like(tgt[:, :1], START), tgt[:, :-1]], 1)

@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_plain_decoder_is_the_module_started_from_the_last_encoder_state(cell):
    model = build_seq2seq(Seq2SeqConfig(cell=cell, hidden_size=8), seed=1)
    src, tgt = digit_batch("reverse", torch.Generator().manual_seed(0), 3, 6)
    logits, att = model(src, _tgt_in(tgt))
    assert att is None
    # reference: the whole source through nn.GRU/LSTM, its final state as the decoder's h_0
    _, state = model.encoder(model.src_embed(src))
    out, _ = model.decoder(model.tgt_embed(_tgt_in(tgt)), state)
    torch.testing.assert_close(logits, model.head(out), atol=1e-6, rtol=0)

def test_additive_scores_follow_bahdanau():
    model = build_seq2seq(Seq2SeqConfig(attention="additive", hidden_size=6), seed=2)
    src = torch.tensor([[3, 1, 4, 1, 5]])
    h, s0 = model.encode(src)
    out = model.step(torch.tensor([START]), s0, h, model.keys(h))
    W, U, b_U = model.W.weight.double(), model.U.weight.double(), model.U.bias.double()
    v = model.v.weight.double()[0]
    s, hj = s0[-1, 0].double(), h[0].double()
    e = torch.stack([v @ torch.tanh(W @ s + U @ hj[j] + b_U) for j in range(5)])
    torch.testing.assert_close(out.scores[0].double(), e, atol=1e-6, rtol=0)
    alpha = torch.exp(e) / torch.exp(e).sum()
    torch.testing.assert_close(out.weights[0].double(), alpha, atol=1e-6, rtol=0)
    c = (alpha[:, None] * hj).sum(0)
    torch.testing.assert_close(out.context[0].double(), c, atol=1e-6, rtol=0)
    # the decoder reads [E y_{t-1}; c_t]; the head reads [s_t; c_t]
    x = torch.cat([model.tgt_embed.weight[START], c.float()])
    _, s1 = model.decoder(x[None, None], s0)
    torch.testing.assert_close(out.state, s1, atol=1e-6, rtol=0)
    torch.testing.assert_close(out.logits[0], model.head(torch.cat([s1[-1, 0], c.float()])),
                               atol=1e-6, rtol=0)

@pytest.mark.parametrize("bidirectional", [False, True])
def test_dot_scores_follow_luong(bidirectional):
    model = build_seq2seq(Seq2SeqConfig(attention="dot", hidden_size=6,
                                        bidirectional=bidirectional), seed=3)
    src = torch.tensor([[2, 7, 1, 8]])
    h, s0 = model.encode(src)
    assert h.shape == (1, 4, 12 if bidirectional else 6)
    out = model.step(torch.tensor([START]), s0, h, model.keys(h))
    _, s1 = model.decoder(model.tgt_embed(torch.tensor([[START]])), s0)
    s_t = s1[-1, 0]   # Luong scores with the state after the step
    keys = h[0] @ model.key.weight.T if bidirectional else h[0]
    torch.testing.assert_close(out.scores[0], keys @ s_t, atol=1e-6, rtol=0)
    c = out.weights[0] @ h[0]
    torch.testing.assert_close(out.context[0], c, atol=1e-6, rtol=0)
    joined = torch.tanh(model.combine(torch.cat([s_t, c])))
    torch.testing.assert_close(out.logits[0], model.head(joined), atol=1e-6, rtol=0)

def test_bidirectional_start_state_joins_both_directions():
    model = build_seq2seq(Seq2SeqConfig(attention="additive", hidden_size=5, bidirectional=True))
    src = torch.tensor([[1, 2, 3]])
    h, s0 = model.encode(src)
    # forward direction ends at h_S, backward at h_1
    both = torch.cat([h[0, -1, :5], h[0, 0, 5:]])
    torch.testing.assert_close(s0[0, 0], torch.tanh(model.bridge(both)), atol=1e-6, rtol=0)

# -- decoding -------------------------------------------------------------------------------------
@pytest.mark.parametrize("attention", [None, "additive", "dot"])
@pytest.mark.parametrize("cell", ["gru", "lstm"])
def test_greedy_decode_shapes_and_rows(attention, cell):
    model = build_seq2seq(Seq2SeqConfig(cell=cell, attention=attention, hidden_size=8), seed=4)
    src = torch.randint(0, 10, (3, 7))
    dec = greedy_decode(model, src, 9)
    assert dec.tokens.shape == (3, 9) and dec.tokens.dtype == torch.long
    if attention is None:
        assert dec.attention is None
    else:
        assert dec.attention.shape == (3, 9, 7)
        torch.testing.assert_close(dec.attention.sum(-1), torch.ones(3, 9))
    # greedy = teacher forcing on its own outputs: every step's argmax is what it then read
    logits, att = model(src, _tgt_in(dec.tokens))
    assert torch.equal(logits.argmax(-1), dec.tokens)
    if attention:
        torch.testing.assert_close(att, dec.attention)

@pytest.mark.parametrize("src,steps", [([[1, 2]], 2), (torch.tensor([[1, 12]]), 2),
                                       (torch.tensor([1, 2]), 2), (torch.tensor([[1.0]]), 1),
                                       (torch.tensor([[1, 2]]), 0),
                                       (torch.zeros(1, MAX_SRC_LEN + 1, dtype=torch.long), 3)])
def test_greedy_decode_refuses_bad_input(src, steps):
    model = build_seq2seq(Seq2SeqConfig(hidden_size=4))
    with pytest.raises(LimitError):
        greedy_decode(model, src, steps)

@pytest.mark.parametrize("attention", ["additive", "dot"])
def test_attention_step_is_a_row_of_the_decoding(attention):
    model = build_seq2seq(Seq2SeqConfig(attention=attention, hidden_size=8), seed=5)
    src = torch.tensor([[9, 0, 2, 1, 0]])
    dec = greedy_decode(model, src, 5)
    for t in range(5):
        s = attention_step(model, src, t)
        torch.testing.assert_close(s.weights, dec.attention[0, t])
        torch.testing.assert_close(s.weights, s.scores.softmax(-1))
        torch.testing.assert_close(s.context, s.weights @ s.states)
        assert s.token == int(dec.tokens[0, t]) == int(s.probs.argmax())
    with pytest.raises(LimitError):
        attention_step(model, src, 5)
    with pytest.raises(LimitError):
        attention_step(build_seq2seq(Seq2SeqConfig(hidden_size=8)), src, 0)

# -- training -------------------------------------------------------------------------------------
def test_pair_job_trains_both_on_identical_data():
    cfg = Seq2SeqTrainConfig(steps=4, batch_size=8, min_len=3, max_len=6)
    plain, att = Seq2SeqConfig(hidden_size=8), Seq2SeqConfig(hidden_size=8, attention="dot")
    result = _run(pair_train_job(plain, att, cfg, init_seed=7))
    assert result["lengths"] == list(range(1, MAX_SRC_LEN + 1))   # up to the longest source
    # the plain model of the pair is exactly the plain model trained alone on that data
    alone = build_seq2seq(plain, seed=7)
    losses = [loss for loss, _ in seq2seq_train_steps(alone, cfg)]
    pair_plain = model_from_state(plain, result["plain"]["state_dict"])
    for k, v in alone.state_dict().items():
        torch.testing.assert_close(pair_plain.state_dict()[k], v)
    assert len(losses) == 4
    assert len(result["attention"]["by_length"]) == len(result["lengths"])
    assert len(result["attention"]["by_position"]) == 6
    with pytest.raises(LimitError):
        _run(pair_train_job(att, plain, cfg))

def test_the_largest_run_is_held_to_a_few_minutes_of_work():
    """max_train_steps: the default run may go to the step limit; the largest models at the
    longest lengths (about 7x the default's cost a step, bench_seq2seq) get fewer steps, and
    pair_train_job itself refuses more, whoever calls it."""
    from engine.limits import LIMITS
    from engine.seq2seq import MAX_SRC_LEN, TRAIN_BUDGET, max_train_steps, step_cost

    default_att = Seq2SeqConfig(attention="additive")
    assert step_cost(default_att, Seq2SeqTrainConfig()) == pytest.approx(1.0)
    assert max_train_steps(default_att, Seq2SeqTrainConfig()) == LIMITS.max_steps
    big = Seq2SeqConfig(cell="lstm", hidden_size=LIMITS.max_hidden_size, attention="additive",
                        bidirectional=True)
    longest = Seq2SeqTrainConfig(min_len=MAX_SRC_LEN, max_len=MAX_SRC_LEN)
    most = max_train_steps(big, longest)
    assert most * step_cost(big, longest) <= TRAIN_BUDGET < (most + 1) * step_cost(big, longest)
    assert most < LIMITS.max_steps / 5
    plain = Seq2SeqConfig(cell="lstm", hidden_size=LIMITS.max_hidden_size)
    over = Seq2SeqTrainConfig(min_len=MAX_SRC_LEN, max_len=MAX_SRC_LEN, steps=most + 1)
    with pytest.raises(LimitError) as e:
        next(pair_train_job(plain, big, over))
    assert e.value.name == "steps" and e.value.high == most


@pytest.mark.slow
def test_attention_learns_reversal_quickly():
    model = build_seq2seq(Seq2SeqConfig(hidden_size=32, attention="dot"), seed=0)
    cfg = Seq2SeqTrainConfig(steps=300, min_len=3, max_len=6, batch_size=32, lr=0.01)
    before = held_out_accuracy(model, "reverse", (3, 6), n=128)
    losses = [loss for loss, _ in seq2seq_train_steps(model, cfg)]
    assert losses[-1] < losses[0] / 3
    assert held_out_accuracy(model, "reverse", (3, 6), n=128) > max(80.0, before + 40)

# -- the shipped models ---------------------------------------------------------------------------
@pytest.mark.assets
def test_manifest_has_the_pairs_and_the_widening_view():
    kinds = {(e["task"], e["attention"]) for e in ENTRIES}
    assert {("reverse", None), ("reverse", "additive"), ("copy", None),
            ("copy", "additive")} <= kinds
    for task in ("reverse", "copy"):
        (plain, p), (att, a) = _shipped(task, None), _shipped(task, "additive")
        assert p["hidden_size"] == a["hidden_size"] and p["train_steps"] == a["train_steps"]
        assert p["train_lengths"] == a["train_lengths"] == [5, 20]
        assert plain.config.attention is None and att.config.attention == "additive"
    widths = {e["hidden_size"] for e in ENTRIES if e["task"] == "reverse"
              and e["attention"] is None and e["train_steps"] == ENTRIES[0]["train_steps"]}
    assert len(widths) >= 3
    for e in ENTRIES:
        assert (CHECKPOINT_DIR / e["file"]).stat().st_size < 1_000_000
        assert len(e["by_length"]["lengths"]) == len(e["by_length"]["accuracy"])

def test_parameter_counts_in_the_module_docstring():
    """The docstring's counts: the general (Luong) model has a two-way encoder, a bridge and W_k
    besides its score, so it is the largest of the three."""
    import engine.seq2seq as s2s

    counts = {}
    for att, bi in ((None, False), ("additive", False), ("dot", True)):
        model = build_seq2seq(Seq2SeqConfig(hidden_size=64, attention=att, bidirectional=bi))
        counts[att] = sum(p.numel() for p in model.parameters())
        assert hasattr(model, "bridge") == bi and hasattr(model, "key") == (att == "dot" and bi)
    assert counts == {None: 32474, "additive": 53722, "dot": 77018}
    doc = " ".join(s2s.__doc__.split())
    assert "77,018 against 53,722 for additive and 32,474 without attention" in doc
    assert "*general* (bilinear) score s_t^T W_k h_j" in doc


@pytest.mark.assets
@pytest.mark.slow
def test_attention_moves_the_fall_it_does_not_remove_it():
    """The docstring's claim, on the shipped reversal models: near 100% on short sources; at 30
    digits the attention models are down to roughly 80-90%, the plain one to about 30%
    (200 fresh strings a length: a few points of sampling noise)."""
    lengths = [5, 30]
    plain = accuracy_by_length(_shipped("reverse", None)[0], "reverse", lengths)
    assert 25 <= plain[1] <= 35
    for kind in ("additive", "dot"):
        short, far = accuracy_by_length(_shipped("reverse", kind)[0], "reverse", lengths)
        assert short > 99 and 75 <= far <= 92, (kind, short, far)


@pytest.mark.assets
@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e["file"])
def test_shipped_models_reproduce_their_accuracy(entry):
    model = load_checkpoint(CHECKPOINT_DIR / entry["file"]).model
    assert not model.training
    assert model.config.hidden_size == entry["hidden_size"]
    assert model.config.attention == entry["attention"]
    # fresh sources: another seed than the one the manifest was measured with
    acc = held_out_accuracy(model, entry["task"], tuple(entry["train_lengths"]), n=512, seed=2026)
    assert acc == pytest.approx(entry["accuracy"], abs=4.0)

@pytest.mark.assets
@pytest.mark.slow
def test_without_attention_accuracy_falls_with_length_with_attention_it_holds():
    plain, _ = _shipped("reverse", None)
    att, _ = _shipped("reverse", "additive")
    short, long = [5, 6, 7], [17, 18, 19, 20]
    p_short = sum(accuracy_by_length(plain, "reverse", short, seed=31)) / 3
    p_long = sum(accuracy_by_length(plain, "reverse", long, seed=31)) / 4
    a_long = sum(accuracy_by_length(att, "reverse", long, seed=31)) / 4
    assert a_long > 85.0
    assert p_short > 85.0
    assert p_long < p_short - 30.0
    assert a_long > p_long + 30.0

def _argmax_offsets(task: str, attention: str) -> torch.Tensor:
    """Where each output step's largest weight lies, relative to the aligned source position."""
    model, _ = _shipped(task, attention)
    src, _ = digit_batch(task, torch.Generator().manual_seed(8), 64, 12)
    dec = greedy_decode(model, src, 12)
    torch.testing.assert_close(dec.attention.sum(-1), torch.ones(64, 12))
    # reversal: output step t reads source position S-1-t (the mirror); copy: position t
    aligned = torch.arange(11, -1, -1) if task == "reverse" else torch.arange(12)
    return dec.attention.argmax(-1) - aligned


@pytest.mark.assets
@pytest.mark.slow
def test_reversal_attention_lies_on_the_anti_diagonal():
    # the shipped dot model (two-way encoder): on the mirrored position itself
    assert (_argmax_offsets("reverse", "dot") == 0).float().mean() > 0.7
    # the additive model's encoder reads one way: its largest weight lies on the mirror or
    # one position right of it (h_(j+1) still holds x_j), still an anti-diagonal
    off = _argmax_offsets("reverse", "additive")
    assert ((off == 0) | (off == 1)).float().mean() > 0.9
    # copying: the diagonal
    assert (_argmax_offsets("copy", "additive") == 0).float().mean() > 0.9

def test_step_weights_reference_softmax():
    # the weights are softmax of the scores, checked against nn.functional (an independent path)
    model, _ = _shipped("reverse", "additive")
    s = attention_step(model, encode_digits("31415926"), 3)
    torch.testing.assert_close(s.weights, nn.functional.softmax(s.scores.double(), 0).float())
