"""The character model behind Step through time: its numbers, training and generation."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from engine import LimitError
from engine.charlm import (
    CharConfig,
    Vocab,
    build_char_model,
    decodings,
    forward_blur,
    generate,
    step_losses,
    step_numbers,
    teacher_forced,
    train_char_steps,
)


def test_vocab_in_order_of_first_appearance():
    assert Vocab.from_text("hello").symbols == ("h", "e", "l", "o")


@pytest.mark.parametrize("text,kind", [("", "empty"), ("h", "short"), ("x" * 65, "long"),
                                       ("".join(chr(0xAC00 + k) for k in range(33)), "vocab")])
def test_text_limits(text, kind):
    with pytest.raises(LimitError) as e:
        Vocab.from_text(text)
    assert e.value.kind == kind


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_step_numbers_are_the_terms_of_the_recurrence(cell):
    model = build_char_model(CharConfig(cell=cell, hidden_size=3), seed=1)
    rnn = model.rnn
    output, _ = rnn(model.vocab.one_hot("hello"))
    for t in range(4):
        n = step_numbers(model, "hello", t)
        k = model.vocab.symbols.index("hell"[t])
        # the embedding of a one-hot input is one column of W_ih
        torch.testing.assert_close(n.W_ih_x, rnn.weight_ih_l0[:, k].detach())
        h_prev = output[t - 1, 0] if t else torch.zeros(3)
        torch.testing.assert_close(n.h_prev, h_prev.detach(), atol=1e-6, rtol=0)
        torch.testing.assert_close(n.a_t, (rnn.weight_ih_l0 @ n.x_t + rnn.bias_ih_l0
                                           + rnn.weight_hh_l0 @ h_prev + rnn.bias_hh_l0).detach(),
                                   atol=1e-6, rtol=0)
        torch.testing.assert_close(n.h_t, output[t, 0].detach(), atol=1e-6, rtol=0)
        if cell == "rnn":
            torch.testing.assert_close(n.h_t, torch.tanh(n.a_t), atol=1e-6, rtol=0)
        logits = model.head(output[t, 0]).detach()
        torch.testing.assert_close(n.probs, logits.softmax(-1))
        target = "ello"[t]
        ce = nn.functional.cross_entropy(logits[None], torch.tensor([model.vocab.symbols.index(
            target)]))
        assert n.loss_t == pytest.approx(ce.item(), rel=1e-5)


@pytest.mark.slow
def test_hello_is_learned_within_a_bounded_number_of_steps():
    model = build_char_model(CharConfig(), seed=0)
    for m in train_char_steps(model, 300, lr=0.05):
        preds = [("h", "e", "l", "o")[max(range(4), key=p.__getitem__)] for p in m.probs]
        if preds == list("ello"):
            break
    assert preds == list("ello") and m.step < 300
    assert teacher_forced(model, "hell")[0] == list("ello")


def test_near_zero_temperature_is_greedy_argmax():
    model = build_char_model(CharConfig(text="hello world", hidden_size=8), seed=3)
    greedy = []
    x = "h"
    state = None
    with torch.no_grad():
        logits, state = model(model.vocab.one_hot(x))
        for _ in range(10):
            k = int(logits[-1, 0].argmax())
            greedy.append(model.vocab.symbols[k])
            logits, state = model(nn.functional.one_hot(torch.tensor([[k]]), len(model.vocab))
                                  .float(), state)
    assert generate(model, "h", 10, temperature=1e-4) == "".join(greedy)
    with pytest.raises(LimitError, match="temperature"):
        generate(model, "h", 10, temperature=0.0)


def test_forward_blur_starts_where_the_inputs_differ():
    model = build_char_model(CharConfig(text="abcdefghij", hidden_size=6), seed=0)
    d = forward_blur(model, "abcdefghij", "j")
    assert d.shape == (10,) and d[0] > 0
    assert torch.all(forward_blur(model, "abcdefghij", "a") == 0)


def _shipped(name: str):
    from engine import load_checkpoint
    from engine.checkpoints import CHECKPOINT_DIR

    return load_checkpoint(CHECKPOINT_DIR / name).model


def test_a_two_character_text_can_be_read_and_written():
    """A model trained on "ab" reads "a" (teacher forcing) and writes from "a": reading needs
    one character, only a training text needs two."""
    model = build_char_model(CharConfig(text="ab", hidden_size=3), seed=0)
    preds, probs = teacher_forced(model, "a")
    assert len(preds) == 1 and probs.shape == (1, 2)
    d = decodings(model, "ab", 1.0)
    assert len(d.teacher_forced) == len(d.greedy) == len(d.sampled) == 1
    assert step_losses(model, "ab").shape == (1,)
    with pytest.raises(LimitError):
        teacher_forced(model, "")


def _argmax_loop(model, start: str, n: int) -> str:
    """Greedy generation written out by hand: feed back the argmax, one step at a time."""
    out = []
    with torch.no_grad():
        logits, state = model(model.vocab.one_hot(start))
        for _ in range(n):
            k = int(logits[-1, 0].argmax())
            out.append(model.vocab.symbols[k])
            logits, state = model(nn.functional.one_hot(torch.tensor([[k]]), len(model.vocab))
                                  .float(), state)
    return "".join(out)


@pytest.mark.parametrize("name", ["char_hello_rnn_h4_step2.pt", "char_hello_lstm_h4.pt"])
def test_teacher_forcing_is_compared_with_greedy_generation(name):
    """Argmax against argmax, whatever the temperature: the sampling temperature changes only
    the sampled line, and as it goes to 0 sampling is the same argmax."""
    model = _shipped(name)
    with torch.no_grad():
        logits, _ = model(model.vocab.one_hot("hell"))
    tf = "".join(model.vocab.symbols[int(k)] for k in logits[:, 0].argmax(-1))
    cold = decodings(model, "hello", 1e-4)
    assert cold.teacher_forced == tf and cold.greedy == _argmax_loop(model, "h", 4)
    assert cold.sampled == cold.greedy and cold.sample_parted_at is None  # T -> 0: greedy
    for temp in (0.01, 0.5, 1.0, 5.0):
        d = decodings(model, "hello", temp)
        assert (d.teacher_forced, d.greedy, d.parted_at) == (tf, cold.greedy, cold.parted_at)
    assert cold.parted_at != 0  # step 1 reads the same "h" from h_0 = 0 in both


@pytest.mark.assets
def test_sampling_alone_parts_from_greedy_on_the_early_checkpoint():
    """The mismatch the page used to blame on teacher forcing: at T = 1 the sample leaves greedy
    at step 1 by chance; argmax against argmax, the two part at step 3."""
    d = decodings(_shipped("char_hello_rnn_h4_step2.pt"), "hello", 1.0, seed=0)
    assert (d.teacher_forced, d.greedy) == ("eell", "eeee") and d.parted_at == 2
    assert d.sample_parted_at == 0


def test_summed_and_mean_loss_come_from_the_same_step_losses():
    model = _shipped("char_hello_rnn_h4_step2.pt")
    losses = step_losses(model, "hello")
    with torch.no_grad():
        logits, _ = model(model.vocab.one_hot("hell"))
    y = model.vocab.encode("ello")
    assert float(losses.sum()) == pytest.approx(
        nn.functional.cross_entropy(logits[:, 0], y, reduction="sum").item(), rel=1e-6)
    assert float(losses.mean()) == pytest.approx(
        nn.functional.cross_entropy(logits[:, 0], y).item(), rel=1e-6)


@pytest.mark.assets
def test_forward_blur_docstring_numbers_are_the_shipped_lstms():
    import re

    stated = [float(v) for v in re.search(r"LSTM: ([\d., ]+)\)", forward_blur.__doc__)
              .group(1).split(", ")]
    measured = forward_blur(_shipped("char_hello_lstm_h4.pt"), "hello", "e").tolist()
    assert measured == pytest.approx(stated, abs=0.006)
    assert not all(b < a for a, b in zip(measured, measured[1:]))  # it does not just fade
