"""Reproduce in PyTorch, the Step-through-time tab: a torch-only script with the weights the
page shows embedded as numbers (the model is small: at most 16 units, 3 layers), so it needs
nothing but torch, whichever weights the view shows: shipped, random, or this session's own
training run.

The script runs the standard module and head, recomputes every step by hand from the same
weights (h_t = tanh(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), or the gated cells' equations),
checks the two agree, and prints every h_t, the next-character probabilities, the losses, and
the terms of the page's step t.
"""

from __future__ import annotations

import textwrap

from engine.charlm import CharModel

from ... import reproduce as rp
from ...controls import read
from ...serving import keep_view
from .handlers import CELL_NAMES, SEED, choose, config, trained
from .settings import SETTINGS


def _source(source: str, info: dict, cfg) -> str:
    """Where the embedded weights come from, in the header's words."""
    if source == "pretrained":
        return (f"the shipped checkpoint assets/checkpoints/char_hello_{cfg.cell}_h4.pt, "
                f"trained on {cfg.text!r} for {info['train']['steps']} steps")
    if source == "early":
        return "the shipped checkpoint after 2 training steps (char_hello_rnn_h4_step2.pt)"
    if source == "trained":
        return (f"your own training run on the page, at step {info['step']} of "
                f"{info['total']}: they exist nowhere else")
    return f"random, untrained weights (PyTorch's init range, drawn with seed {SEED})"


def _weights(model: CharModel) -> str:
    rnn = ",\n".join(f'    "{k}": {rp.literal(v, 8)}' for k, v in model.rnn.state_dict().items())
    head = ",\n".join(f'    "{k}": {rp.literal(v, 8)}' for k, v in model.head.state_dict().items())
    c = model.config
    return f"""\
# The weights the page shows, as numbers: W_ih, W_hh, b_ih, b_hh of every layer, and the head
rnn = {CELL_NAMES[c.cell]}(input_size=len(VOCAB), hidden_size={c.hidden_size}, \
num_layers={c.num_layers})
head = nn.Linear({c.hidden_size}, len(VOCAB))  # y_t = W_hy h_t + b_y
RNN_WEIGHTS = {{
{rnn},
}}
HEAD_WEIGHTS = {{
{head},
}}
rnn.load_state_dict({{k: torch.tensor(v) for k, v in RNN_WEIGHTS.items()}})
head.load_state_dict({{k: torch.tensor(v) for k, v in HEAD_WEIGHTS.items()}})
rnn.eval()"""


MODULE = """\
with torch.no_grad():
    output, _ = rnn(x)                       # (seq_len, 1, hidden_size): the top layer's h_t
    logits = head(output[:, 0])              # y_t = W_hy h_t + b_y
    p = logits.softmax(-1)                   # p_t = softmax(y_t)
    targets = torch.tensor([VOCAB.index(ch) for ch in TEXT[1:]])
    # L_t = -log p_t[target]: read text[t], predict text[t+1] (the last step has no target)
    loss_t = -p[:-1].gather(1, targets[:, None])[:, 0].log()
    print("# vocabulary, the order of p_t:", " ".join(repr(ch) for ch in VOCAB))
    for t in range(len(TEXT)):
        show(f"p_t{t + 1}", p[t])
    for t in range(len(TEXT) - 1):
        show(f"loss_t{t + 1}", [loss_t[t]])
    show("loss_mean", [loss_t.mean()])       # PyTorch's default, what training minimises
    show("loss_sum", [loss_t.sum()])         # the course notes' L = sum_t L_t"""

BY_HAND = """\
with torch.no_grad():
    layer_input = x[:, 0]                    # (seq_len, vocab_size): one one-hot row per step
    hs, cs, gates = [], [], []               # every layer's h_t (and c_t, gates) at every t
    for layer in range(rnn.num_layers):
        W_ih, W_hh, b_ih, b_hh = (getattr(rnn, f"{n}_l{layer}") for n in
                                  ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
        h = torch.zeros(rnn.hidden_size)     # h_0 = 0
        c = torch.zeros(rnn.hidden_size)     # c_0 = 0 (LSTM)
        h_l, c_l, g_l = [], [], []
        for t in range(len(TEXT)):
            h, c, g = cell_step(W_ih @ layer_input[t] + b_ih, W_hh @ h + b_hh, h, c)
            h_l.append(h)
            c_l.append(c)
            g_l.append(g)
        hs.append(h_l)
        cs.append(c_l)
        gates.append(g_l)
        layer_input = torch.stack(h_l)       # the next layer reads this layer's h_t
    assert torch.allclose(layer_input, output[:, 0], atol=1e-6), "the hand-made steps differ"
    print("# ok: the steps by hand match", type(rnn).__name__, "forward")
    for layer in range(rnn.num_layers):
        for t in range(len(TEXT)):
            show(f"h_layer{layer + 1}_t{t + 1}", hs[layer][t])"""


def _terms(cell: str, concat: bool) -> str:
    """Step t's terms (the first layer), as the equation figure shows them."""
    common = """\
with torch.no_grad():
    t = T_SHOWN - 1                           # counting from 0
    x_t = x[t, 0]                             # one-hot: W_ih x_t is column k of W_ih
    h_prev = hs[0][t - 1] if t > 0 else torch.zeros(rnn.hidden_size)
    k = VOCAB.index(TEXT[t])
    W_ih_x = rnn.weight_ih_l0 @ x_t
    assert torch.equal(W_ih_x, rnn.weight_ih_l0[:, k])
    W_hh_h = rnn.weight_hh_l0 @ h_prev
    show("x_t", x_t)
    show("h_prev", h_prev)
    show("W_ih_x", W_ih_x)
    show("W_hh_h", W_hh_h)
    a_t = W_ih_x + rnn.bias_ih_l0 + W_hh_h + rnn.bias_hh_l0   # every gate's pre-activation
"""
    if cell == "rnn" and concat:
        common += """\
    # the concatenated form: a_t = W [h_(t-1); x_t] + b, with W = [W_hh W_ih], b = b_ih + b_hh
    W = torch.cat([rnn.weight_hh_l0, rnn.weight_ih_l0], 1)
    a_concat = W @ torch.cat([h_prev, x_t]) + (rnn.bias_ih_l0 + rnn.bias_hh_l0)
    assert torch.allclose(a_concat, a_t, atol=1e-6)
"""
    common += '    show("a_t", a_t)\n    show("h_t", hs[0][t])'
    if cell != "rnn":
        common += '\n    for name, value in gates[0][t].items():\n' \
                  '        show(f"gate_{name}", value)'
    if cell == "lstm":
        common += '\n    show("c_t", cs[0][t])'
    return common


def script(model: CharModel, source: str, info: dict, t: int, concat: bool) -> str:
    """The script for ``model`` reading its text, with the page's step ``t`` (from 1)."""
    c = model.config
    header = f"""Unrolled, Step through time: a character model reads {c.text!r}.

Reproduces the tab's view for these settings with nothing but torch:

{rp.settings_lines(dict(text=c.text, cell=c.cell, hidden_size=c.hidden_size,
                        num_layers=c.num_layers, t=t, concat=concat))}

{textwrap.fill(f"The weights are {_source(source, info, c)}; they are written out below "
               "as numbers.", 96)}

At every step t ({CELL_NAMES[c.cell]}; x_t is one-hot, so W_ih x_t is column k of W_ih):
{rp.equations(c.cell)}
    y_t = W_hy h_t + b_y,  p_t = softmax(y_t),  L_t = -log p_t[target_t]
and the sequence loss is the mean of the L_t (the course notes' sum is T times it).

Prints one line per quantity, `name value value ...`: p_t<t> (the next-character
probabilities, in the vocabulary's order), loss_t<t>, loss_mean, loss_sum, h_layer<l>_t<t>
(every layer's h_t), then step t's terms: x_t, h_prev, W_ih_x, W_hh_h, a_t, h_t (and the
gates gate_<name>, c_t for an LSTM).
"""
    vocab = list(model.vocab.symbols)
    return rp.script(header, [
        rp.cell("Imports", f"import torch\nfrom torch import nn\n\n\n{rp.SHOW}"),
        rp.cell("The text and its characters", f"""\
TEXT = {c.text!r}
T_SHOWN = {t}  # the page's step t (counting from 1)
VOCAB = {vocab!r}  # the characters, in order of first appearance
# x: (seq_len, batch=1, vocab_size), batch_first=False as the modules' default
x = nn.functional.one_hot(torch.tensor([VOCAB.index(ch) for ch in TEXT]), len(VOCAB))
x = x.float().unsqueeze(1)"""),
        rp.cell(f"The model: a standard {CELL_NAMES[c.cell]} and a linear head", _weights(model)),
        rp.cell("The module's forward: p_t and the losses", MODULE),
        rp.cell("One step by hand (the equations)", rp.step_code(c.cell)),
        rp.cell("Every step by hand, checked against the module", BY_HAND),
        rp.cell("Step t, term by term (the first layer)", _terms(c.cell, concat)),
    ])


@keep_view
def reproduce_step(text: str = SETTINGS.text.default, cell: str = SETTINGS.cell.default,
                   hidden_size: float = SETTINGS.hidden_size.default,
                   num_layers: float = SETTINGS.num_layers.default,
                   weights: str = SETTINGS.weights.default,
                   concat: bool = SETTINGS.concat.default, t: float = SETTINGS.t.default,
                   ticket: str | None = None, lang: str = "en") -> tuple[str, str, str]:
    """A torch-only script that prints what the step view shows for these settings (the
    model this session sees: its own training run if it matches, else the weights chosen):
    (the script, the same as a notebook, the downloads' file name without extension)."""
    cfg = config(text, cell, hidden_size, num_layers)
    k = min(read(SETTINGS.t, t), len(cfg.text))
    weights, concat = read(SETTINGS.weights, weights), read(SETTINGS.concat, concat)
    model, source, info = trained(cfg, ticket) or choose(cfg, weights, None)
    text = script(model, source, info, k, bool(concat))
    return text, rp.notebook(text), rp.file_name(
        "step", cfg.cell, f"h{cfg.hidden_size}", source, cfg.text[:20], f"t{k}")
