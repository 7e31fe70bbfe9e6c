"""The Topologies tab's figures: the folded and unrolled diagram."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from ...plots import layout, stepped
from ...style import CONTEXT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT, label_ink, text_shade

BOX_W, BOX_H, DX = 1.0, 0.62, 1.45  # box size, and the distance between two steps
ROW_H = 0.95     # height of one direction's row within a layer
FOLDED_X = -3.2  # x of the folded cell, left of the unrolled network


@dataclass(frozen=True)
class Column:
    """One time step of an unrolled diagram."""

    x: str | None           # input symbol shown in the input box (None: no input box)
    y: str | None           # output symbol (None: no output at this step)
    phase: str = "main"     # "main", or "enc" / "dec" for an encoder-decoder
    feedback: bool = False  # the input is the previous step's output (autoregressive)


class _Canvas:
    """Collects shapes and annotations as plain dicts: plotly re-validates its whole list on
    every ``add_shape``, which made a diagram of ~100 items take a second to build.

    ``t`` is the highlighted step; ``boxes[k]`` lists the boxes that step ``k`` highlights, as
    (shape index, label's annotation index, colour), so that the browser can move the
    highlight to any step without asking the server (:func:`_steps`).
    """

    def __init__(self, t: int) -> None:
        self.t = t
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []
        self.boxes: dict[int, list[tuple[int, int, str]]] = {}

    def add_shape(self, **kw) -> None:
        self.shapes.append(kw)

    def add_annotation(self, **kw) -> None:
        self.annotations.append(kw)


def _look(color: str, strong: bool) -> tuple[dict, str]:
    """A box's look, highlighted (``strong``) or not: the shape's style and its label's
    colour."""
    return (dict(opacity=0.95 if strong else 0.45,
                 line=dict(color=INK if strong else color, width=4 if strong else 1.5)),
            label_ink(color) if strong else INK)


def _box(fig: _Canvas, x: float, y: float, color: str, text: str, step: int | None = None,
         w: float = BOX_W) -> None:
    """A labelled box; one of step ``step``'s boxes (highlighted when that step is shown), or
    of none."""
    style, ink = _look(color, step is not None and step == fig.t)
    if step is not None:
        fig.boxes.setdefault(step, []).append((len(fig.shapes), len(fig.annotations), color))
    fig.add_shape(type="rect", x0=x - w / 2, x1=x + w / 2, y0=y - BOX_H / 2, y1=y + BOX_H / 2,
                  fillcolor=color, layer="below", **style)
    fig.add_annotation(x=x, y=y, text=text, showarrow=False,
                       font=dict(color=ink, size=FONT_SIZE))


def _steps(fig: _Canvas, n: int) -> list[dict]:
    """For each of ``n`` steps, the layout changes that highlight its boxes ("on") and that
    take the highlight off them again ("off"): ``Plotly.relayout`` input for the browser."""
    out = []
    for k in range(n):
        step = {}
        for key, strong in (("on", True), ("off", False)):
            change = {}
            for shape, label, color in fig.boxes.get(k, []):
                style, ink = _look(color, strong)
                change[f"shapes[{shape}].opacity"] = style["opacity"]
                change[f"shapes[{shape}].line.color"] = style["line"]["color"]
                change[f"shapes[{shape}].line.width"] = style["line"]["width"]
                change[f"annotations[{label}].font.color"] = ink
            step[key] = change
        out.append(step)
    return out


def _arrow(fig: _Canvas, x0: float, y0: float, x1: float, y1: float, color: str = MUTED,
           dash: bool = False, width: float = 2, text: str | None = None) -> None:
    fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                       showarrow=True, arrowhead=2, arrowsize=1.1, arrowwidth=width,
                       arrowcolor=color, text="")
    if dash:  # arrows can't be dashed: draw a dashed line over the arrow's shaft
        fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1,
                      line=dict(color="white", width=width + 1, dash="dot"))
    if text:
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=text, showarrow=False,
                           font=dict(size=FONT_SIZE - 3, color=MUTED), bgcolor="white")


@dataclass(frozen=True)
class _Grid:
    """Where an unrolled diagram's boxes go: each layer's row, the output row, each column."""

    columns: list[Column]
    num_layers: int
    D_max: int              # directions of the "main" and "enc" phases (2: bidirectional)
    layer_y: list[float]    # y of each layer's first (forward) row
    y_out: float            # y of the output row
    x0: float               # x of the first unrolled column
    enc_end: int            # the encoder's last column (-1: no encoder)
    gap: float              # extra space between encoder and decoder, for the context vector

    def cx(self, k: int) -> float:
        """The x of column ``k``."""
        return self.x0 + k * DX + (self.gap if (self.enc_end >= 0 and k > self.enc_end)
                                   else 0.0)

    def directions(self, col: Column) -> int:
        """A decoder always reads forwards."""
        return self.D_max if col.phase in ("main", "enc") else 1

    def first_of_phase(self, k: int) -> int:
        """The column where column ``k``'s phase starts: decoder steps count from 1 again."""
        return self.enc_end + 1 if self.columns[k].phase == "dec" else 0

    def context_y(self) -> float:
        """The context vector's height: beside the encoder's last layer, both directions."""
        return self.layer_y[-1] + ROW_H * (self.D_max - 1) / 2


def _grid(columns: list[Column], num_layers: int, bidirectional: bool,
          vector_in: str | None) -> _Grid:
    D_max = 2 if bidirectional else 1
    layer_y = [1.25 + k * (ROW_H * D_max + 0.55) for k in range(num_layers)]
    top = layer_y[-1] + ROW_H * (D_max - 1)
    enc_end = max((k for k, c in enumerate(columns) if c.phase == "enc"), default=-1)
    return _Grid(columns, num_layers, D_max, layer_y, y_out=top + 1.35,
                 x0=1.7 if vector_in is not None else 0.0, enc_end=enc_end,
                 gap=1.6 if enc_end >= 0 else 0.0)


def _folded(fig: _Canvas, g: _Grid, words: dict[str, str]) -> None:
    """The folded cell: x_t -> h_t -> y_t, with h_t's self-loop through W_hh."""
    fx, ly = FOLDED_X, g.layer_y[0]
    fig.add_annotation(x=fx, y=g.y_out + 0.95, text=f"<b>{words['fig_folded']}</b>",
                       showarrow=False)
    _box(fig, fx, 0, INPUT, "x<sub>t</sub>")
    _box(fig, fx, ly, HIDDEN, "h<sub>t</sub>")
    _box(fig, fx, g.y_out, OUTPUT, "y<sub>t</sub>")
    _arrow(fig, fx, BOX_H / 2, fx, ly - BOX_H / 2, text="W<sub>ih</sub>")
    _arrow(fig, fx, ly + BOX_H / 2, fx, g.y_out - BOX_H / 2, text="W<sub>hy</sub>")
    # the self-loop: h_{t-1} -> h_t through W_hh
    fig.add_shape(type="path", path=f"M {fx + 0.5} {ly + 0.12} C {fx + 1.5} {ly + 0.9}, "
                  f"{fx + 1.5} {ly - 0.9}, {fx + 0.52} {ly - 0.14}",
                  line=dict(color=HIDDEN, width=3))
    fig.add_annotation(x=fx + 0.52, y=ly - 0.14, ax=fx + 0.9, ay=ly - 0.5, xref="x", yref="y",
                       axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=3,
                       arrowcolor=HIDDEN, text="")
    fig.add_annotation(x=fx + 1.45, y=ly + 0.45, text="W<sub>hh</sub>", showarrow=False,
                       font=dict(color=HIDDEN))
    if g.num_layers > 1:
        fig.add_annotation(x=fx, y=ly - 0.55, text=f"× {g.num_layers}", showarrow=False,
                           font=dict(size=FONT_SIZE - 2, color=MUTED))
    sep = fx + 1.75
    fig.add_shape(type="line", x0=sep, x1=sep, y0=-0.6, y1=g.y_out + 0.8,
                  line=dict(color=MUTED, width=1, dash="dot"))


def _vector_input(fig: _Canvas, g: _Grid, vector_in: str) -> None:
    """One-to-many: the input vector sets h_0 of every layer (shown with the first step)."""
    _box(fig, 0.0, g.layer_y[0], INPUT, vector_in, step=0, w=0.9)
    fig.add_annotation(x=0.0, y=g.layer_y[0] - 0.6, text="x → h<sub>0</sub>", showarrow=False,
                       font=dict(size=FONT_SIZE - 3, color=MUTED))
    for layer in range(g.num_layers):
        _arrow(fig, 0.45, g.layer_y[0], g.cx(0) - BOX_W / 2, g.layer_y[layer], color=INPUT)


def _context(fig: _Canvas, g: _Grid, words: dict[str, str]) -> None:
    """Encoder-decoder: the context vector between the two, and each part's name below."""
    enc_end, n = g.enc_end, len(g.columns)
    xc = (g.cx(enc_end) + g.cx(enc_end + 1)) / 2 if enc_end + 1 < n else g.cx(enc_end) + 1
    _box(fig, xc, g.context_y(), CONTEXT, "c", w=0.6)
    fig.add_annotation(x=xc, y=-0.55, text=words["fig_context"], showarrow=False,
                       font=dict(color=CONTEXT))
    for phase, xs in (("fig_encoder", [g.cx(k) for k in range(enc_end + 1)]),
                      ("fig_decoder", [g.cx(k) for k in range(enc_end + 1, n)])):
        if xs:
            fig.add_annotation(x=(xs[0] + xs[-1]) / 2, y=-0.75, text=words[phase],
                               showarrow=False, font=dict(color=MUTED))


def _context_arrows(fig: _Canvas, g: _Grid) -> None:
    """The encoder's last state -> context -> the decoder's h_0."""
    enc_end = g.enc_end
    xc = (g.cx(enc_end) + g.cx(enc_end + 1)) / 2
    yc = g.context_y()
    _arrow(fig, g.cx(enc_end) + BOX_W / 2, g.layer_y[-1], xc - 0.3, yc, color=CONTEXT)
    _arrow(fig, xc + 0.3, yc, g.cx(enc_end + 1) - BOX_W / 2, g.layer_y[-1], color=CONTEXT)


Point = tuple[float, float, str]  # a hidden box's centre and its hover text


def _hidden_boxes(fig: _Canvas, g: _Grid, k: int, layer: int,
                  hover: dict[tuple[int, int, int], str]) -> list[Point]:
    """Column ``k``'s hidden boxes in ``layer`` (one a direction), each with its recurrence
    arrow: forward left-to-right, backward right-to-left, within a phase."""
    col, x = g.columns[k], g.cx(k)
    D = g.directions(col)
    points = []
    for d in range(D):
        y = g.layer_y[layer] + d * ROW_H
        sub = f"<sub>{k + 1 - g.first_of_phase(k)}</sub>"
        label = f"h{sub}" if D == 1 else (f"h→{sub}" if d == 0 else f"h←{sub}")
        _box(fig, x, y, HIDDEN, label, step=k)
        points.append((x, y, hover.get((k, layer, d), "")))
        nxt = k + 1 if d == 0 else k - 1
        if 0 <= nxt < len(g.columns) and g.columns[nxt].phase == col.phase:
            a, b = (x, g.cx(nxt))
            sgn = 1 if b > a else -1
            _arrow(fig, a + sgn * BOX_W / 2, y, b - sgn * BOX_W / 2, y, color=HIDDEN)
    return points


def _column(fig: _Canvas, g: _Grid, k: int, dropout: float, words: dict[str, str],
            hover: dict[tuple[int, int, int], str]) -> list[Point]:
    """One time step: input box, hidden boxes of every layer, output box, and their arrows."""
    col, x = g.columns[k], g.cx(k)
    D = g.directions(col)
    points = []
    if col.x is not None:
        _box(fig, x, 0, INPUT, col.x, step=k)
    for layer in range(g.num_layers):
        points += _hidden_boxes(fig, g, k, layer, hover)
        # input into the first layer, layer l-1 into layer l
        if layer == 0 and col.x is not None:
            _arrow(fig, x, BOX_H / 2, x, g.layer_y[0] - BOX_H / 2, color=INPUT)
        if layer > 0:
            y_prev = g.layer_y[layer - 1] + (D - 1) * ROW_H
            _arrow(fig, x, y_prev + BOX_H / 2, x, g.layer_y[layer] - BOX_H / 2,
                   text=words["fig_dropout"].format(p=dropout) if dropout > 0 and k == 0
                   else None)
    if col.y is not None:
        _box(fig, x, g.y_out, OUTPUT, col.y, step=k)
        y_top = g.layer_y[-1] + (D - 1) * ROW_H
        _arrow(fig, x, y_top + BOX_H / 2, x, g.y_out - BOX_H / 2, color=OUTPUT)
    if col.feedback and k > 0 and g.columns[k - 1].y is not None:  # autoregressive input
        x_prev = g.cx(k - 1)
        fig.add_shape(type="path", path=f"M {x_prev + 0.3} {g.y_out - BOX_H / 2} "
                      f"C {x_prev + 0.8} {g.y_out - 1.3}, {x - 0.9} {0.9}, "
                      f"{x - 0.3} {BOX_H / 2}",
                      line=dict(color=OUTPUT, width=2, dash="dot"))
    return points


def _row_labels(fig: _Canvas, g: _Grid, words: dict[str, str]) -> None:
    """Input, hidden and output, on the far left."""
    for y, key, color in ((0, "fig_input", INPUT), (g.layer_y[0], "fig_hidden", HIDDEN),
                          (g.y_out, "fig_output", OUTPUT)):
        fig.add_annotation(x=FOLDED_X - 0.6, y=y, xanchor="right", text=words[key],
                           showarrow=False, font=dict(color=text_shade(color)))


def _figure(fig: _Canvas, g: _Grid, points: list[Point]) -> go.Figure:
    """The drawing as a figure: invisible markers carry the hidden boxes' hover texts."""
    out = go.Figure(
        go.Scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="markers",
                   marker=dict(size=28, opacity=0), hovertext=[p[2] for p in points],
                   hoverinfo="text"),
        layout=dict(shapes=fig.shapes, annotations=fig.annotations))
    x_range = [FOLDED_X - 2.4, max(g.cx(len(g.columns) - 1) + 1.0, 4.0)]
    y_range = [-1.0, g.y_out + 1.3]
    out.update_xaxes(visible=False, range=x_range, fixedrange=False)
    out.update_yaxes(visible=False, range=y_range)
    # Equal scale on both axes while the sequence is short; long ones are squeezed sideways
    # rather than shrunk to unreadable boxes.
    per_unit = min(95.0, 950 / (x_range[1] - x_range[0]))
    per_unit = max(per_unit, 62.0)
    return layout(out, height=int(min(820, per_unit * (y_range[1] - y_range[0]) + 40)))


def topology_diagram(columns: list[Column], num_layers: int, bidirectional: bool,
                     dropout: float, t: int, words: dict[str, str],
                     hover: dict[tuple[int, int, int], str] | None = None,
                     vector_in: str | None = None, texts: list[str] | None = None
                     ) -> go.Figure:
    """The folded cell beside the network unrolled over ``columns``; step ``t`` highlighted,
    and every other step's highlight carried along for the browser (``plots.stepped``).

    ``bidirectional`` applies to the "main" and "enc" phases (never to a decoder). ``hover``
    maps (column, layer, direction) to the text shown when hovering that hidden box.
    ``vector_in`` labels the one-to-many input vector that sets h_0. ``texts``, one per
    column, travel with the figure for the browser to show beside each step.
    """
    fig = _Canvas(t)
    hover = hover or {}
    g = _grid(columns, num_layers, bidirectional, vector_in)
    _folded(fig, g, words)
    fig.add_annotation(x=g.cx(0) - BOX_W / 2, y=g.y_out + 0.95, xanchor="left",
                       text=f"<b>{words['fig_unrolled']}</b>", showarrow=False)
    if vector_in is not None:
        _vector_input(fig, g, vector_in)
    if g.enc_end >= 0:
        _context(fig, g, words)
    points = []
    for k in range(len(columns)):
        points += _column(fig, g, k, dropout, words, hover)
    if g.enc_end >= 0 and g.enc_end + 1 < len(columns):
        _context_arrows(fig, g)
    _row_labels(fig, g, words)
    return stepped(_figure(fig, g, points), t + 1, _steps(fig, len(columns)), texts)
