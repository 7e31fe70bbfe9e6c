"""Reproduce in PyTorch, the Seq2seq tab: a script that decodes the user's digits with the
shipped plain and attention models, the attention written out equation by equation around the
models' standard modules (``nn.GRU``, ``nn.Embedding``, ``nn.Linear``), and prints both outputs,
the right answer, and at every output step the scores e_tj, the weights alpha_tj, the context
c_t and the probabilities.

The weights (32k to 77k numbers a model) come from the shipped checkpoints through ``engine``.
Models trained on the page live only on the server: with "your models" chosen, the script says
so and decodes with the shipped pair.
"""

from __future__ import annotations

import textwrap

from ... import reproduce as rp
from ...controls import read
from .handlers import _messages, _settings, encode_digits, shipped_entry
from .settings import SETTINGS

EQUATIONS = {
    "additive": """\
Additive attention (Bahdanau et al. 2014), before step t, from the previous state s_(t-1):
    e_tj = v^T tanh(W s_(t-1) + U h_j),  alpha_tj = softmax_j(e_tj),  c_t = sum_j alpha_tj h_j
    s_t = GRU([E y_(t-1); c_t], s_(t-1)),  logits_t = W_o [s_t; c_t] + b_o""",
    "dot": """\
Luong's dot attention (Luong et al. 2015), after the decoder step:
    s_t = GRU(E y_(t-1), s_(t-1)),  e_tj = s_t . h_j,  alpha_tj = softmax_j(e_tj)
    c_t = sum_j alpha_tj h_j,  h~_t = tanh(W_c [s_t; c_t] + b_c),  logits_t = W_o h~_t + b_o""",
    "general": """\
Luong's general attention (Luong et al. 2015) over a two-way encoder, after the decoder step:
    h_j = [h_j(forward); h_j(backward)],  s_0 = tanh(W_b [h_S(forward); h_1(backward)] + b_b)
    s_t = GRU(E y_(t-1), s_(t-1)),  e_tj = s_t^T W_k h_j,  alpha_tj = softmax_j(e_tj)
    c_t = sum_j alpha_tj h_j,  h~_t = tanh(W_c [s_t; c_t] + b_c),  logits_t = W_o h~_t + b_o""",
}

ENCODE = '''\
def top(state):
    """s_t: the decoder's hidden state (an LSTM's state is (h, c))."""
    return (state[0] if isinstance(state, tuple) else state)[-1]        # (1, H)


def encode(model, src):
    """The encoder states h_j (1, S, D*H) and the decoder's first state s_0."""
    h, state = model.encoder(model.src_embed(src))      # a standard nn.GRU over E x_j
    if model.config.bidirectional:
        last = state[0] if isinstance(state, tuple) else state     # h_S(fwd), h_1(bwd)
        s0 = torch.tanh(model.bridge(torch.cat([last[0], last[1]], -1)))[None]
        state = (s0, torch.zeros_like(s0)) if isinstance(state, tuple) else s0
    return h, state       # without a bridge: s_0 = h_S, the context vector'''

DECODE = '''\
def decode(model, src, steps):
    """Greedy decoding, each step reading the digit written last (START first). Returns the
    digits and, with attention, every step's scores, weights, context and probabilities."""
    h, state = encode(model, src)
    att = model.config.attention
    if att == "dot":
        # dot: k_j = h_j; general (a two-way encoder): k_j = W_k h_j
        keys = model.key(h) if model.config.bidirectional else h
    y, digits, terms = START, [], []
    for t in range(steps):
        emb = model.tgt_embed(torch.tensor([[y]]))             # E y_(t-1): (1, 1, E)
        if att is None:
            out, state = model.decoder(emb, state)             # s_t = GRU(E y_(t-1), s_(t-1))
            logits = model.head(out[:, 0])                     # W_o s_t + b_o
        elif att == "additive":
            # e_tj = v^T tanh(W s_(t-1) + U h_j)
            e = model.v(torch.tanh(model.W(top(state))[:, None] + model.U(h)))[0, :, 0]
            alpha = e.softmax(-1)                              # alpha_tj, sums to 1 over j
            c = alpha[None] @ h[0]                             # c_t = sum_j alpha_tj h_j
            out, state = model.decoder(torch.cat([emb, c[:, None]], -1), state)
            logits = model.head(torch.cat([out[:, 0], c], -1))  # W_o [s_t; c_t] + b_o
        else:
            out, state = model.decoder(emb, state)             # s_t = GRU(E y_(t-1), s_(t-1))
            s_t = out[:, 0]
            e = keys[0] @ s_t[0]                               # e_tj = s_t . k_j
            alpha = e.softmax(-1)
            c = alpha[None] @ h[0]                             # c_t = sum_j alpha_tj h_j
            h_tilde = torch.tanh(model.combine(torch.cat([s_t, c], -1)))  # h~_t
            logits = model.head(h_tilde)                       # W_o h~_t + b_o
        y = int(logits.argmax(-1))
        digits.append(y)
        if att is not None:
            terms.append((e, alpha, c[0], logits[0].softmax(-1)))
    return digits, terms'''

ENCODER_BY_HAND = '''\
# The attention model's encoder states h_j, recomputed one cell_step at a time
enc = attended.encoder
x = attended.src_embed(src)[0]                                   # E x_j: (S, E)
D, H = (2 if enc.bidirectional else 1), enc.hidden_size
ways = []
for d in range(D):
    sfx = "_l0" + ("_reverse" if d else "")
    W_ih, W_hh, b_ih, b_hh = (getattr(enc, n + sfx) for n in
                              ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    h_j, c_j, out = torch.zeros(H), torch.zeros(H), [None] * len(x)
    for j in (range(len(x) - 1, -1, -1) if d else range(len(x))):  # backward: from x_S
        h_j, c_j, _ = cell_step(W_ih @ x[j] + b_ih, W_hh @ h_j + b_hh, h_j, c_j)
        out[j] = h_j
    ways.append(torch.stack(out))
h_by_hand = torch.cat(ways, -1)                                   # (S, D*H)
assert torch.allclose(h_by_hand, encode(attended, src)[0][0], atol=1e-5)
print("# ok: the encoder's h_j by hand match", type(enc).__name__, "forward")'''

PRINTS = '''\
S = src.shape[1]
target = SOURCE[::-1] if TASK == "reverse" else SOURCE
plain_digits, _ = decode(plain, src, S)
att_digits, terms = decode(attended, src, S)
print("# source:   ", " ".join(map(str, SOURCE)))
print("# right:    ", " ".join(map(str, target)))
print("# plain:    ", " ".join(map(str, plain_digits)))
print("# attention:", " ".join(map(str, att_digits)))
show("target", target)
show("plain", plain_digits)
show("attention", att_digits)
show("right_plain", [sum(a == b for a, b in zip(plain_digits, target))])
show("right_attention", [sum(a == b for a, b in zip(att_digits, target))])
for t, (e, alpha, c, p) in enumerate(terms, 1):   # output step t: a row of the heatmap
    show(f"e_t{t}", e)
    show(f"alpha_t{t}", alpha)
    show(f"c_t{t}", c)
    show(f"p_t{t}", p)'''


def script(task: str, kind: str, source: str, digits: list[int], t: int) -> str:
    """The script for the shipped models of ``task`` and ``kind`` on ``digits``."""
    plain, att = shipped_entry(task, None), shipped_entry(task, kind)
    general = kind == "dot" and bool(att.get("bidirectional"))
    note = ("\n\n" + textwrap.fill(
        "You chose your own models: they were trained on the page and live only on the "
        "server, so this script decodes with the shipped pair instead.", 92)
            if source == "trained" else "")
    header = f"""Unrolled, Seq2seq vs attention tab: {task} the digits {"".join(map(str, digits))}.

Reproduces the tab's view for these settings:

{rp.settings_lines(dict(task=task, attention=kind, source=source,
                        digits="".join(map(str, digits)), t=t))}

The models are the shipped checkpoints {plain['file']} (no attention) and
{att['file']}, trained on {plain['train_lengths'][0]} to {plain['train_lengths'][1]} digits.
They come from this project's `engine` (their weights are too many to write out here): save
the script in the project's folder (or `pip install -e .` there), so that `engine` imports.{note}

Both encode the digits x_1..x_S (embedded, E x_j) with a GRU into h_1..h_S. Without
attention the decoder starts from the context vector s_0 = h_S and never sees the source again:
    s_t = GRU(E y_(t-1), s_(t-1)),  logits_t = W_o s_t + b_o
{EQUATIONS["general" if general else kind]}

Prints `name value value ...` lines: target, plain, attention (the digits written),
right_plain, right_attention (how many are right), and at every output step t: e_t<t> (the
scores over the source), alpha_t<t> (the weights, a row of the alignment heatmap), c_t<t> (the
context) and p_t<t> (the probabilities of the digits 0-9).
"""
    return rp.script(header, [
        rp.cell("Imports", "import torch\n\nfrom engine import load_checkpoint\n"
                "from engine.checkpoints import CHECKPOINT_DIR\n\ntorch.set_grad_enabled(False)"
                f"\n\n\n{rp.SHOW}"),
        rp.cell("The digits and the models", f"""\
TASK = {task!r}
SOURCE = {digits!r}
START = 10  # the decoder's first input: ids 0-9 are the digits
src = torch.tensor([SOURCE])  # (batch=1, src_len)
plain = load_checkpoint(CHECKPOINT_DIR / {plain['file']!r}).model     # eval mode
attended = load_checkpoint(CHECKPOINT_DIR / {att['file']!r}).model
print("\\n".join("# " + line for line in str(attended).splitlines()))"""),
        rp.cell("The encoder", ENCODE),
        rp.cell("One encoder step by hand (the equations)", rp.step_code(att["cell"])),
        rp.cell("The encoder's states by hand, checked against the module", ENCODER_BY_HAND),
        rp.cell("Greedy decoding, the attention term by term", DECODE),
        rp.cell("Both models on the digits", PRINTS),
    ])


@_messages
def reproduce_seq2seq(digits: str = SETTINGS.digits.default, task: str = SETTINGS.task.default,
                      attention: str = SETTINGS.attention.default,
                      source: str = SETTINGS.source.default, t: float = SETTINGS.t.default,
                      lang: str = "en") -> tuple[str, str, str]:
    """A script that decodes ``digits`` with the shipped plain and attention models and prints
    what the decoding view shows: (the script, the same as a notebook, the file name)."""
    src = encode_digits(digits)
    task, kind, source = _settings(task, attention, source)
    k = min(read(SETTINGS.t, t), src.shape[1])
    values = src[0].tolist()
    code = script(task, kind, source, values, k)
    return code, rp.notebook(code), rp.file_name(
        "seq2seq", task, kind, "".join(map(str, values)))
