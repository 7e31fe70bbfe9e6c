"""Reproduce in PyTorch, the BPTT tab: a torch-only script that measures ||dL/dh_t|| as the
profile does (``engine.bptt.gradient_profile``), for the settings on the page.

The script builds the same standard module (PyTorch's init drawn from a generator seeded with
the seed, W_hh = s·Q per gate from seed + 1, inputs and the readout r from seed + 2), steps it by
hand in float64 with every h_t a node of the graph, checks the hand-made steps against the
module's own forward, and prints every number the view draws.
"""

from __future__ import annotations

from engine.bptt import INPUT_SIZE, ProfileConfig

from ... import reproduce as rp
from ...serving import keep_view
from .handlers import _P, CELL_NAMES, profile_config

MODULE = {"rnn_tanh": "nn.RNN({i}, {h}, num_layers={n}, nonlinearity='tanh')",
          "rnn_relu": "nn.RNN({i}, {h}, num_layers={n}, nonlinearity='relu')",
          "lstm": "nn.LSTM({i}, {h}, num_layers={n})", "gru": "nn.GRU({i}, {h}, num_layers={n})"}
GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def header(cfg: ProfileConfig) -> str:
    loss = "L = r . h_(T-1)" if cfg.loss_at == "last" else "L = sum_t r . h_t"
    return f"""Unrolled, BPTT gradients tab: ||dL/dh_t|| measured on a real {CELL_NAMES[cfg.cell]}.

Reproduces the tab's view for these settings with nothing but torch:

{rp.settings_lines({k: getattr(cfg, k) for k in (
    "cell", "seq_len", "hidden_size", "num_layers", "recurrent_scale", "init", "input_scale",
    "forget_bias", "update_bias", "loss_at", "tbptt", "batch_size", "seed")})}

The loss is {loss} (summed over the batch), with r a fixed random unit vector.
BPTT: dL/dh_t = dL_t/dh_t + (dh_(t+1)/dh_t)^T dL/dh_(t+1), with dh_(t+1)/dh_t = diag(f'(a)) W_hh
for a plain RNN, so ||dL/dh_t|| <= (gamma sigma_max(W_hh))^(T-1-t) ||dL/dh_(T-1)||
(Pascanu, Mikolov and Bengio 2013; gamma = max |f'| = 1 for tanh and relu).
Everything runs in float64, so that a vanishing gradient of 1e-30 is a number and not a zero.

Prints one line per quantity, `name value value ...` (t = 0 .. T-1):
grad_h_layer<l> (||dL/dh_t|| of layer l), grad_c_layer<l> (an LSTM's ||dL/dc_t||),
singular_values (of each gate's block of the first layer's W_hh), sigma_max, spectral_radius,
bound (where it applies), dW_hh_term (||the term of dL/dW_hh from step t||), dW_hh_running
(||the sum of those terms from T-1 down to t||; at t = 0 it is ||dL/dW_hh||), memory_gate
(the mean LSTM forget / GRU update gate of the first layer).
"""


def _build(cfg: ProfileConfig) -> str:
    H, gated = cfg.hidden_size, not cfg.cell.startswith("rnn")
    init = ("Q, R = torch.linalg.qr(A)\n    A = Q * torch.sign(torch.diagonal(R))  "
            "# Q orthogonal (QR of a Gaussian, signs fixed)" if cfg.init == "orthogonal" else
            f"A = A / math.sqrt({H})  # Gaussian N(0, 1/H): spectral radius ~1, sigma_max ~2")
    bias = cfg.forget_bias if cfg.cell == "lstm" else cfg.update_bias
    biases = ("b_ih.zero_()  # a plain RNN's biases are zero: with no input, the closed form "
              "holds\n        b_hh.zero_()" if not gated else
              "pass  # PyTorch's own random gate biases" if bias is None else
              f"# the memory gate's bias (rows H..2H; LSTM f, GRU z): b_ih + b_hh = {bias:g}\n"
              f"        b_ih[HIDDEN_SIZE:2 * HIDDEN_SIZE] = {bias!r} / 2\n"
              f"        b_hh[HIDDEN_SIZE:2 * HIDDEN_SIZE] = {bias!r} / 2")
    return f"""\
# PyTorch's init (every weight and bias ~ U(-1/sqrt(H), 1/sqrt(H))), drawn from a private
# generator: the same numbers torch.manual_seed(SEED) followed by the constructor would give
rnn = {MODULE[cfg.cell].format(i="INPUT_SIZE", h="HIDDEN_SIZE", n="NUM_LAYERS")}
gen = torch.Generator().manual_seed(SEED)
with torch.no_grad():
    for p in rnn.parameters():
        p.uniform_(-1 / math.sqrt(HIDDEN_SIZE), 1 / math.sqrt(HIDDEN_SIZE), generator=gen)
rnn = rnn.double().eval()

# W_hh = s * Q, one block per gate ({GATES[cfg.cell]} here), in every layer
gen = torch.Generator().manual_seed(SEED + 1)


def recurrent_block():
    A = torch.randn(HIDDEN_SIZE, HIDDEN_SIZE, generator=gen, dtype=torch.float64)
    {init}
    return RECURRENT_SCALE * A


with torch.no_grad():
    for layer in range(NUM_LAYERS):
        W_hh = torch.cat([recurrent_block() for _ in range({GATES[cfg.cell]})])
        getattr(rnn, f"weight_hh_l{{layer}}").copy_(W_hh)
        b_ih, b_hh = getattr(rnn, f"bias_ih_l{{layer}}"), getattr(rnn, f"bias_hh_l{{layer}}")
        {biases}

# x_t ~ N(0, input_scale^2) for each of BATCH_SIZE sequences, and the readout r
gen = torch.Generator().manual_seed(SEED + 2)
x = INPUT_SCALE * torch.randn(SEQ_LEN, BATCH_SIZE, INPUT_SIZE, generator=gen,
                              dtype=torch.float64)  # (seq_len, batch, input_size)
r = torch.randn(HIDDEN_SIZE, generator=gen, dtype=torch.float64)
r = r / r.norm()"""


FORWARD = """\
# Every h_t is its own node of the graph, so autograd can give dL/dh_t for each one.
# a_h = W_hh h_(t-1) + b_hh is kept for the first layer: dL/dW_hh = sum_t (dL/da_h)^T h_(t-1).
hs, cs, gates = [], [], []        # hs[l][t]: h_t of layer l, (batch, hidden_size)
recurrent, previous = [], []      # first layer: a_h and h_(t-1) at every t
layer_input = list(x)
for layer in range(NUM_LAYERS):
    W_ih, W_hh, b_ih, b_hh = (getattr(rnn, f"{n}_l{layer}") for n in
                              ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))
    h = torch.zeros(BATCH_SIZE, HIDDEN_SIZE, dtype=torch.float64)  # h_0 = 0
    c = torch.zeros(BATCH_SIZE, HIDDEN_SIZE, dtype=torch.float64)  # c_0 = 0 (LSTM)
    h_l, c_l = [], []
    for t in range(SEQ_LEN):
        if TBPTT and t > 0 and t % TBPTT == 0:
            # truncated BPTT: the next chunk starts from the state's value, not its history
            h, c = h.detach(), (c.detach() if c is not None else None)
        a_h = h @ W_hh.T + b_hh                     # W_hh h_(t-1) + b_hh
        if layer == 0:
            recurrent.append(a_h)
            previous.append(h.detach())
        h, c, g = cell_step(layer_input[t] @ W_ih.T + b_ih, a_h, h, c)
        h_l.append(h)
        c_l.append(c)
        if layer == 0 and g:
            gates.append((g["f"] if "f" in g else g["z"]).detach())  # the memory gate
    hs.append(h_l)
    cs.append(c_l)
    layer_input = h_l

top = torch.stack(hs[-1])                            # (seq_len, batch, hidden_size)
loss = (top[-1] @ r).sum() if LOSS_AT == "last" else (top @ r).sum()

# The module's own forward gives the same h_t (it cannot show dL/dh_t: only the loop can)
output, _ = rnn(x)
assert torch.allclose(output, top, rtol=1e-9, atol=1e-12, equal_nan=True), "steps differ"
print("# ok: the hand-made steps match", type(rnn).__name__, "forward")"""


def _measure(cfg: ProfileConfig) -> str:
    cell_grads = "" if cfg.cell != "lstm" else """
for layer in range(NUM_LAYERS):
    show(f"grad_c_layer{layer + 1}", [norm(g) for g in grads_c[layer]])"""
    applies = (cfg.cell.startswith("rnn") and cfg.num_layers == 1 and cfg.loss_at == "last"
               and not cfg.tbptt)
    bound = ('show("bound", sigma_max ** torch.arange(T - 1, -1, -1.0, dtype=torch.float64)\n'
             '     * norm(grads_h[0][-1]))' if applies else
             "# (not here: it holds for one plain layer, the loss at the last step, full BPTT)")
    return f"""\
def norm(g):
    \"\"\"||g||_2 without underflow: squaring 1e-170 gives 0 even in float64, so scale first.\"\"\"
    if g is None:                                   # no path from the loss to this h_t
        return 0.0
    m = g.abs().max()
    if m == 0 or not torch.isfinite(m):
        return float(m)
    return float(m * torch.linalg.vector_norm(g / m))


flat_h = [h for h_l in hs for h in h_l]
flat_c = [c for c_l in cs for c in c_l] if {cfg.cell == "lstm"} else []
grads = torch.autograd.grad(loss, flat_h + flat_c + recurrent + [rnn.weight_hh_l0],
                            allow_unused=True)
T = SEQ_LEN
grads_h = [grads[k * T:(k + 1) * T] for k in range(NUM_LAYERS)]
grads_c = [grads[len(flat_h) + k * T:len(flat_h) + (k + 1) * T] for k in range(len(flat_c) // T)]
grads_a = grads[len(flat_h) + len(flat_c):-1]
for layer in range(NUM_LAYERS):
    show(f"grad_h_layer{{layer + 1}}", [norm(g) for g in grads_h[layer]]){cell_grads}

# dL/dW_hh as a sum over time: step t adds (dL/da_h)^T h_(t-1), summed from the loss back
# (one term at a time: all T of them at once can be hundreds of MB)
terms, running = [0.0] * T, [0.0] * T
acc = torch.zeros_like(rnn.weight_hh_l0)
for t in range(T - 1, -1, -1):
    if grads_a[t] is not None:                      # (None: no gradient reaches step t)
        term = grads_a[t].T @ previous[t]
        acc = acc + term
        terms[t] = norm(term)
    running[t] = norm(acc)
show("dW_hh_term", terms)
show("dW_hh_running", running)
if torch.isfinite(acc).all():  # (an overflow leaves nothing to compare)
    assert torch.allclose(acc, grads[-1], rtol=1e-6, atol=1e-300), "sum over time != autograd"
    print("# ok: the sum over time equals autograd's dL/dW_hh")

# W_hh's singular values (each gate's block) and its spectral radius
W = rnn.weight_hh_l0.detach()
sv = torch.cat([torch.linalg.svdvals(block) for block in W.split(HIDDEN_SIZE, 0)])
sigma_max = float(sv.max())
show("singular_values", sv)
show("sigma_max", [sigma_max])
show("spectral_radius", [float(torch.linalg.eigvals(W[:HIDDEN_SIZE]).abs().max())])
# Pascanu's bound (one plain layer, the loss at the last step, full BPTT):
# ||dL/dh_t|| <= (gamma sigma_max)^(T-1-t) ||dL/dh_(T-1)||, gamma = 1
{bound}
if gates:
    show("memory_gate", [float(torch.stack(gates).mean())])"""


def script(cfg: ProfileConfig) -> str:
    """The script for ``cfg`` (checked)."""
    cfg.check()
    settings = "\n".join(f"{k.upper()} = {getattr(cfg, k)!r}" for k in (
        "seq_len", "hidden_size", "num_layers", "recurrent_scale", "input_scale", "loss_at",
        "tbptt", "batch_size", "seed"))
    return rp.script(header(cfg), [
        rp.cell("Imports", f"import math\n\nimport torch\nfrom torch import nn\n\n\n{rp.SHOW}"),
        rp.cell("The settings (the page's)", f"INPUT_SIZE = {INPUT_SIZE}\n{settings}"),
        rp.cell(f"The module: a standard {CELL_NAMES[cfg.cell]} with W_hh = s * Q",
                _build(cfg)),
        rp.cell("One step by hand (the equations)", rp.step_code(cfg.cell)),
        rp.cell("Forward, every h_t kept", FORWARD),
        rp.cell("Backward: ||dL/dh_t||, dL/dW_hh over time, W_hh's singular values",
                _measure(cfg)),
    ])


@keep_view
def reproduce_bptt(cell: str = _P.cell.default, seq_len: float = _P.seq_len.default,
                   recurrent_scale: float = _P.recurrent_scale.default,
                   init: str = _P.init.default, input_scale: float = _P.input_scale.default,
                   forget_default: bool = _P.forget_default.default,
                   forget_bias: float = _P.forget_bias.default,
                   update_default: bool = _P.update_default.default,
                   update_bias: float = _P.update_bias.default,
                   hidden_size: float = _P.hidden_size.default,
                   num_layers: float = _P.num_layers.default, loss_at: str = _P.loss_at.default,
                   tbptt: float = _P.tbptt.default, seed: float = _P.seed.default,
                   lang: str = "en") -> tuple[str, str, str]:
    """A torch-only script that prints the profile for these settings: (the script, the same
    as a notebook, the downloads' file name without extension)."""
    cfg = profile_config(cell, seq_len, recurrent_scale, init, input_scale, forget_default,
                         forget_bias, update_default, update_bias, hidden_size, num_layers,
                         loss_at, tbptt, seed)
    text = script(cfg)
    return text, rp.notebook(text), rp.file_name("bptt", cfg.cell, f"T{cfg.seq_len}")
