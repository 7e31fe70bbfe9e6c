"""Reproduce in PyTorch, the Topologies tab: a script that runs the model the tab shows on the
user's input with its standard modules, then recomputes every h_t by hand, and prints the
prediction, the tensor shapes and every h_t of every layer (and direction).

The weights are too many to write out (up to a few hundred thousand numbers), so the script
takes the model from ``engine``: the shipped checkpoint in ``assets/checkpoints`` (loaded as it
is), or, where none fits the settings, the untrained model of seed 0 (``engine.build_model``).
A model trained on the page lives only on the server: the script says so, and reproduces the
model a fresh page shows.
"""

from __future__ import annotations

from engine import TASK_FOR_TOPOLOGY, get_task

from ... import reproduce as rp
from ...serving import keep_view
from .handlers import CELL_NAMES, Settings, _checked, shipped
from .settings import SETTINGS


def panel_key(name: str) -> str:
    """A heatmap panel's name as the script prints it: "encoder layer 1 ←" ->
    "encoder_layer1_bwd"."""
    out = name.replace("layer ", "layer").replace(" →", "_fwd").replace(" ←", "_bwd")
    return out.replace(" ", "_")


def _model_code(s: Settings) -> tuple[str, str]:
    """The line that gets the model, and what the header says about it."""
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    config = s.config(task)
    model, entry = shipped(s.topology, s.cell)
    if model.config == config:
        return (f"model = load_checkpoint(CHECKPOINT_DIR / {entry['file']!r}).model  # eval mode",
                f"the shipped pretrained model ({entry['file']}, {entry['accuracy']:.0f}% on "
                f"held-out inputs)")
    return (f"model = build_model({config!r}, seed=0).eval()",
            "an untrained model (weights drawn from seed 0): no shipped model has these settings")


FORWARD = {
    "one_to_one": """\
output, h_n = model.rnn(x)           # output: (batch, seq_len, D * hidden_size)
h_last = h_n[0] if isinstance(h_n, tuple) else h_n      # (an LSTM also returns c_n)
h_last = torch.cat(list(h_last[-D:]), -1)                # the top layer's final h, both ways
logits = model.head(h_last)          # y = W_hy h_T + b_y
prediction = logits.argmax(-1).tolist()""",
    "many_to_many": """\
output, h_n = model.rnn(x)           # output: (batch, seq_len, D * hidden_size)
logits = model.head(output)          # y_t = W_hy h_t + b_y at every step
prediction = logits.argmax(-1)[0].tolist()""",
    "generate": """\
{start}
# Greedy generation: each step reads the token it wrote last (one-hot), from <start>
token, prediction = START_ID, []
for _ in range(MAX_OUT_LEN):
    inp = nn.functional.one_hot(torch.tensor([[token]]), len(OUT_VOCAB)).float()
    o, state = generator(inp, state)
    logits = model.head(o[:, 0])
    logits[:, START_ID] = -torch.inf     # <start> is an input, never an output
    token = int(logits.argmax(-1))
    prediction.append(token)
    if token == END_ID:
        break

# The generator's steps, replayed on what it read: <start>, then its own outputs
y_in = [START_ID] + prediction[:-1]
y_x = nn.functional.one_hot(torch.tensor([y_in]), len(OUT_VOCAB)).float()
replayed, replayed_state = generator(y_x, initial)
{after}""",
}
FORWARD["many_to_one"] = FORWARD["one_to_one"]
START = {
    "one_to_many": """\
# h_0 = tanh(W_c x + b_c): the input vector sets the generator's first state, every layer's
generator = model.rnn
h0 = torch.tanh(model.init(x[:, 0])).view(1, NUM_LAYERS, -1).transpose(0, 1).contiguous()
initial = (h0, torch.zeros_like(h0)) if CELL == "lstm" else h0
state = initial""",
    "encoder_decoder": """\
# The encoder reads the input; its final state (the context vector) starts the decoder
output, h_n = model.encoder(x)       # output: (batch, seq_len, D * hidden_size)
generator = model.decoder
initial = h_n
if model.bridge is not None:
    def join(s):                     # a two-way encoder: tanh(W_b [h_fwd; h_bwd] + b_b) a layer
        s = s.view(NUM_LAYERS, 2, 1, -1)
        return torch.tanh(model.bridge(torch.cat([s[:, 0], s[:, 1]], -1)))
    initial = tuple(join(s) for s in h_n) if isinstance(h_n, tuple) else join(h_n)
state = initial""",
}

BY_HAND = """\
def by_hand(module, inputs, h0=None, c0=None):
    \"\"\"Every h_t of every layer and direction of ``module``, one cell_step at a time.

    inputs: (seq_len, input_size), one sequence; h0, c0: (num_layers * D, hidden_size) or None
    (zeros). Returns hs[layer][d][t] (t by input position) and the top layer's output.
    \"\"\"
    D = 2 if module.bidirectional else 1
    T, H = inputs.shape[0], module.hidden_size
    hs, layer_input = [], inputs
    for layer in range(module.num_layers):
        hs_l = []
        for d in range(D):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            W_ih, W_hh, b_ih, b_hh = (getattr(module, n + sfx) for n in
                                      ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
            h = torch.zeros(H) if h0 is None else h0[layer * D + d]
            c = torch.zeros(H) if c0 is None else c0[layer * D + d]
            out = [None] * T
            # the backward direction reads the sequence from its end
            for t in (range(T - 1, -1, -1) if d else range(T)):
                h, c, _ = cell_step(W_ih @ layer_input[t] + b_ih, W_hh @ h + b_hh, h, c)
                out[t] = h
            hs_l.append(out)
        hs.append(hs_l)
        # the next layer reads both directions' h_t, joined (dropout acts only in training)
        layer_input = torch.stack([torch.cat([hs_l[d][t] for d in range(D)]) for t in range(T)])
    return hs, layer_input


def show_panels(prefix, hs):
    for layer, hs_l in enumerate(hs):
        for d, h_d in enumerate(hs_l):
            way = "" if len(hs_l) == 1 else ("_fwd", "_bwd")[d]
            for t, h in enumerate(h_d):
                show(f"h_{prefix}layer{layer + 1}{way}_t{t + 1}", h)"""

ENCODER = """\
hs, top = by_hand(model.encoder, x[0])
assert torch.allclose(top, output[0], atol=1e-5), "the hand-made steps differ"
print("# ok: the encoder's steps by hand match its output")
show_panels("encoder_", hs)"""
AFTER = {"one_to_many": "output, h_n = replayed, replayed_state  # the generator's run",
         "encoder_decoder": ""}
CHECK = {
    "plain": """\
hs, top = by_hand(model.rnn, x[0])
assert torch.allclose(top, output[0], atol=1e-5), "the hand-made steps differ"
print("# ok: the steps by hand match the module's output")
show_panels("", hs)""",
    "generate": """\
h0, c0 = initial if isinstance(initial, tuple) else (initial, None)
hs, top = by_hand(generator, y_x[0], h0[:, 0], None if c0 is None else c0[:, 0])
assert torch.allclose(top, replayed[0], atol=1e-5), "the hand-made steps differ"
print("# ok: the steps by hand match the module's output")""",
}


def script(s: Settings, text: str) -> str:
    """The script for these (checked) settings on ``text``."""
    task = get_task(TASK_FOR_TOPOLOGY[s.topology])
    symbols = task.parse(text)
    get, source = _model_code(s)
    generates = s.topology in START
    fwd = (FORWARD["generate"].format(start=START[s.topology], after=AFTER[s.topology])
           if generates
           else FORWARD[s.topology])
    check = CHECK["generate" if generates else "plain"]
    if s.topology == "encoder_decoder":
        check = ENCODER + "\n\n" + check + '\nshow_panels("decoder_", hs)'
    elif generates:
        check += '\nshow_panels("", hs)'
    header = f"""Unrolled, Topologies tab: a {s.topology.replace("_", "-")} network on "{text}".

Reproduces the tab's view for these settings:

{rp.settings_lines(dict(topology=s.topology, cell=s.cell, num_layers=s.num_layers,
                        dropout=s.dropout, bidirectional=s.bidirectional, text=text))}

The model is {source}. It comes from this project's `engine` (its weights are too many to
write out here): save the script in the project's folder (or `pip install -e .` there), so
that `engine` imports. Everything after that is standard torch. A model you trained on the
page is not in this script (it lives only on the server).

Every recurrent step ({CELL_NAMES[s.cell]}):
{rp.equations(s.cell)}
and a linear head gives the outputs, y_t = W_hy h_t + b_y.

Prints `name value value ...` lines: prediction (output token ids; a line above it shows
them as symbols), shape_x, shape_output, shape_h_n (what the module returned), and h_t of every
panel of the heatmap: h_<panel>_t<step>, e.g. h_layer1_t3, h_encoder_layer1_bwd_t2.
"""
    return rp.script(header, [
        rp.cell("Imports", "import torch\nfrom torch import nn\n\n" + (
            "from engine import load_checkpoint\nfrom engine.checkpoints import CHECKPOINT_DIR"
            if "load_checkpoint" in get else "from engine import ModelConfig, build_model")
            + f"\n\n\n{rp.SHOW}"),
        rp.cell("The input: one-hot symbols", f"""\
TOPOLOGY, CELL, NUM_LAYERS, BIDIRECTIONAL = {s.topology!r}, {s.cell!r}, {s.num_layers}, \
{s.bidirectional}
D = 2 if BIDIRECTIONAL else 1
IN_VOCAB = {list(task.in_vocab)!r}
OUT_VOCAB = {list(task.out_vocab)!r}
START_ID, END_ID, MAX_OUT_LEN = {task.start_id!r}, {task.end_id!r}, {task.max_out_len}
symbols = {symbols!r}
# x: (batch=1, seq_len, input_size), batch_first=True as the model's modules are built
x = nn.functional.one_hot(torch.tensor([[IN_VOCAB.index(a) for a in symbols]]),
                          len(IN_VOCAB)).float()"""),
        rp.cell("The model", f"{get}\n"
                "print(\"\\n\".join(\"# \" + line for line in str(model).splitlines()))"),
        rp.cell("The standard modules' forward", "with torch.no_grad():\n" + _indent(fwd) + """
print("# prediction:", " ".join(OUT_VOCAB[k] for k in prediction))
show("prediction", prediction)
show("shape_x", list(x.shape))
show("shape_output", list(output.shape))
show("shape_h_n", list((h_n[0] if isinstance(h_n, tuple) else h_n).shape))"""),
        rp.cell("One step by hand (the equations)", rp.step_code(s.cell)),
        rp.cell("Every h_t by hand, checked against the module", BY_HAND),
        rp.cell("The heatmap's h_t", "with torch.no_grad():\n" + _indent(check)),
    ])


def _indent(code: str) -> str:
    return "\n".join("    " + line if line else "" for line in code.splitlines())


@keep_view
def reproduce_topology(topology: str = SETTINGS.topology.default,
                       cell: str = SETTINGS.cell.default,
                       num_layers: float = SETTINGS.num_layers.default,
                       dropout: float = SETTINGS.dropout.default,
                       bidirectional: bool = SETTINGS.bidirectional.default,
                       text: str = SETTINGS.text.default, lang: str = "en"
                       ) -> tuple[str, str, str]:
    """A script that prints what the tab shows for these settings and input, with the shipped
    (or untrained) model: (the script, the same as a notebook, the downloads' file name)."""
    s, text, _, _ = _checked(topology, cell, num_layers, dropout, bidirectional, text, 1, lang)
    code = script(s, text)
    return code, rp.notebook(code), rp.file_name(
        "topologies", s.topology, s.cell, f"L{s.num_layers}", "bi" if s.bidirectional else "",
        text[:20])
