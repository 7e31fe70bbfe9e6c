"""Reproduce in PyTorch: what every tab's exported script shares (pure: text in, text out).

A script is a header docstring (what it reproduces, with the settings), then cells separated by
``# %%`` lines, so that editors and Jupytext see cells and :func:`notebook` can make a
``.ipynb`` of it. Every number a script prints is one line ``name v v v ...`` (:data:`SHOW`):
a name without spaces, then the values with 8 significant digits; lines that start with ``#``
are for people. Each tab's ``reproduce.py`` writes its script from these pieces.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable

# The one printing helper every script carries: what tests parse, and what a student reads.
SHOW = '''def show(name, values):
    """One line of numbers: the name, then every value with 8 significant digits."""
    values = torch.as_tensor(values, dtype=torch.float64).reshape(-1).tolist()
    print(name, *(f"{v:.8g}" for v in values))'''


def script(header: str, cells: Iterable[str]) -> str:
    """The script: the docstring ``header``, then each cell (its first line ``# %% title``),
    one blank line between them."""
    body = "\n\n".join(c.strip("\n") for c in cells)
    # the docstring holds the header as written, whatever the user's text in it
    quoted = header.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return f'"""{quoted}\n"""\n\n{body}\n'


def cell(title: str, code: str) -> str:
    """A cell: its ``# %%`` line, then ``code``."""
    return f"# %% {title}\n{code.strip(chr(10))}"


def split(text: str) -> tuple[str, list[str]]:
    """A script's header (the docstring's text) and its cells (each from its ``# %%`` line)."""
    m = re.match(r'\s*"""(.*?)(?<!\\)"""\s*', text, re.S)
    header, body = ("", text)
    if m:  # the docstring's value: its escapes undone
        header, body = ast.literal_eval(f'"""{m.group(1)}"""').strip(), text[m.end():]
    cells, current = [], []
    for line in body.splitlines():
        if line.startswith("# %%") and current:
            cells.append("\n".join(current).strip("\n"))
            current = []
        current.append(line)
    if "\n".join(current).strip():
        cells.append("\n".join(current).strip("\n"))
    return header, cells


def notebook(text: str) -> str:
    """The script as a Jupyter notebook (nbformat 4.5 JSON): the header as a markdown cell, then
    one code cell per ``# %%`` cell."""
    header, cells = split(text)

    def lines(s: str) -> list[str]:
        return s.splitlines(keepends=True)

    out = [{"cell_type": "markdown", "id": "header", "metadata": {}, "source": lines(header)}]
    out += [{"cell_type": "code", "execution_count": None, "id": f"cell-{k}", "metadata": {},
             "outputs": [], "source": lines(c)} for k, c in enumerate(cells, 1)]
    meta = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"}}
    return json.dumps({"cells": out, "metadata": meta, "nbformat": 4, "nbformat_minor": 5},
                      indent=1, ensure_ascii=False) + "\n"


def file_name(tab: str, *parts: object) -> str:
    """The downloads' name without its extension: ``unrolled-bptt-lstm-T200``; anything but
    letters, digits and ``_`` becomes ``-``."""
    words = [re.sub(r"[^A-Za-z0-9_]+", "-", str(p)).strip("-") for p in (tab, *parts)]
    return "-".join(["unrolled", *(w for w in words if w)])[:80]


def literal(values, indent: int = 4) -> str:
    """A tensor's values as a Python literal a script can pass to ``torch.tensor``: one row a
    line, 9 significant digits (every float32 exactly)."""
    rows = values.tolist() if hasattr(values, "tolist") else values
    if not isinstance(rows, list):
        return f"{rows:.9g}"
    if not rows or not isinstance(rows[0], list):
        items = [f"{v:.9g}" for v in rows]
        if len(items) <= 6:
            return "[" + ", ".join(items) + "]"
        pad = " " * indent  # long vectors: six numbers a line
        return "[\n" + "".join(f"{pad}{', '.join(items[k:k + 6])},\n"
                               for k in range(0, len(items), 6)) + " " * (indent - 4) + "]"
    pad = " " * indent
    return "[\n" + "".join(f"{pad}{literal(r, indent + 4)},\n" for r in rows) + \
        " " * (indent - 4) + "]"


def settings_lines(values: dict[str, object]) -> str:
    """The settings as the header lists them: ``name = value``, one a line."""
    return "\n".join(f"    {k} = {v!r}" for k, v in values.items())


def step_code(cell: str) -> str:
    """``cell_step``: one step of ``cell`` ("rnn" or "rnn_tanh", "rnn_relu", "lstm", "gru") by
    hand, from a_x = W_ih x_t + b_ih and a_h = W_hh h_(t-1) + b_hh, as PyTorch computes it."""
    head = ('def cell_step(a_x, a_h, h_prev, c_prev):\n'
            '    """One step of {name},\n    from a_x = W_ih x_t + b_ih and '
            'a_h = W_hh h_(t-1) + b_hh.\n'
            '    Returns h_t, c_t (None but for an LSTM) and the gates."""\n')
    if cell == "lstm":
        return head.format(name="nn.LSTM (gates i, f, g, o, in PyTorch's order)") + '''\
    i, f, g, o = (a_x + a_h).chunk(4, -1)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c = f * c_prev + i * g               # c_t = f_t * c_(t-1) + i_t * g_t
    h = o * torch.tanh(c)                # h_t = o_t * tanh(c_t)
    return h, c, {"i": i, "f": f, "g": g, "o": o}'''
    if cell == "gru":
        return head.format(name="nn.GRU (gates r, z, n, in PyTorch's order)") + '''\
    x_r, x_z, x_n = a_x.chunk(3, -1)
    h_r, h_z, h_n = a_h.chunk(3, -1)
    r = torch.sigmoid(x_r + h_r)         # r_t = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)
    z = torch.sigmoid(x_z + h_z)         # z_t = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)
    n = torch.tanh(x_n + r * h_n)        # n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn))
    h = (1 - z) * n + z * h_prev         # h_t = (1 - z_t) * n_t + z_t * h_(t-1)
    return h, None, {"r": r, "z": z, "n": n}'''
    f = "relu" if cell == "rnn_relu" else "tanh"
    return head.format(name=f"nn.RNN ({f})") + f'''\
    a = a_x + a_h                        # a_t = W_ih x_t + b_ih + W_hh h_(t-1) + b_hh
    return torch.{f}(a), None, {{}}        # h_t = {f}(a_t)'''


def equations(cell: str) -> str:
    """The cell's equations, for a script's header (PyTorch's names and gate order)."""
    if cell == "lstm":
        return ("    i_t, f_t, o_t = sigmoid(...), g_t = tanh(...) of the four blocks of\n"
                "        W_ih x_t + b_ih + W_hh h_(t-1) + b_hh   (PyTorch's order i, f, g, o)\n"
                "    c_t = f_t * c_(t-1) + i_t * g_t\n"
                "    h_t = o_t * tanh(c_t)")
    if cell == "gru":
        return ("    r_t = sigmoid(W_ir x_t + b_ir + W_hr h_(t-1) + b_hr)\n"
                "    z_t = sigmoid(W_iz x_t + b_iz + W_hz h_(t-1) + b_hz)\n"
                "    n_t = tanh(W_in x_t + b_in + r_t * (W_hn h_(t-1) + b_hn))\n"
                "    h_t = (1 - z_t) * n_t + z_t * h_(t-1)")
    f = "relu" if cell == "rnn_relu" else "tanh"
    return f"    h_t = {f}(W_ih x_t + b_ih + W_hh h_(t-1) + b_hh)"
