"""The Topologies tab's figures: the folded and unrolled diagram."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go

from ...plots import layout
from ...style import CONTEXT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT

BOX_W, BOX_H, DX = 1.0, 0.62, 1.45


@dataclass(frozen=True)
class Column:
    """One time step of an unrolled diagram."""

    x: str | None           # input symbol shown in the input box (None: no input box)
    y: str | None           # output symbol (None: no output at this step)
    phase: str = "main"     # "main", or "enc" / "dec" for an encoder-decoder
    feedback: bool = False  # the input is the previous step's output (autoregressive)


class _Canvas:
    """Collects shapes and annotations as plain dicts: plotly re-validates its whole list on
    every ``add_shape``, which made a diagram of ~100 items take a second to build."""

    def __init__(self) -> None:
        self.shapes: list[dict] = []
        self.annotations: list[dict] = []

    def add_shape(self, **kw) -> None:
        self.shapes.append(kw)

    def add_annotation(self, **kw) -> None:
        self.annotations.append(kw)


def _box(fig: _Canvas, x: float, y: float, color: str, text: str, strong: bool,
         faded: bool = False, w: float = BOX_W) -> None:
    opacity = 0.95 if strong else (0.18 if faded else 0.45)
    fig.add_shape(type="rect", x0=x - w / 2, x1=x + w / 2, y0=y - BOX_H / 2, y1=y + BOX_H / 2,
                  line=dict(color=INK if strong else color, width=4 if strong else 1.5),
                  fillcolor=color, opacity=opacity, layer="below")
    fig.add_annotation(x=x, y=y, text=text, showarrow=False,
                       font=dict(color="white" if strong else INK, size=FONT_SIZE))


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


def topology_diagram(columns: list[Column], num_layers: int, bidirectional: bool,
                     dropout: float, t: int, words: dict[str, str],
                     hover: dict[tuple[int, int, int], str] | None = None,
                     vector_in: str | None = None) -> go.Figure:
    """The folded cell beside the network unrolled over ``columns``; step ``t`` highlighted.

    ``bidirectional`` applies to the "main" and "enc" phases (never to a decoder). ``hover``
    maps (column, layer, direction) to the text shown when hovering that hidden box.
    ``vector_in`` labels the one-to-many input vector that sets h_0.
    """
    fig = _Canvas()
    hover = hover or {}
    D_max = 2 if bidirectional else 1
    row_h = 0.95
    layer_y = [1.25 + k * (row_h * D_max + 0.55) for k in range(num_layers)]
    top = layer_y[-1] + row_h * (D_max - 1)
    y_out = top + 1.35
    x0 = 0.0  # first unrolled column
    enc_end = max((k for k, c in enumerate(columns) if c.phase == "enc"), default=-1)
    gap = 1.6 if enc_end >= 0 else 0.0
    if vector_in is not None:
        x0 = 1.7

    def cx(k: int) -> float:
        return x0 + k * DX + (gap if (enc_end >= 0 and k > enc_end) else 0.0)

    # -- folded view ---------------------------------------------------------------------------
    fx = -3.2
    fig.add_annotation(x=fx, y=y_out + 0.95, text=f"<b>{words['fig_folded']}</b>",
                       showarrow=False)
    _box(fig, fx, 0, INPUT, "x<sub>t</sub>", False)
    _box(fig, fx, layer_y[0], HIDDEN, "h<sub>t</sub>", False)
    _box(fig, fx, y_out, OUTPUT, "y<sub>t</sub>", False)
    _arrow(fig, fx, BOX_H / 2, fx, layer_y[0] - BOX_H / 2, text="W<sub>ih</sub>")
    _arrow(fig, fx, layer_y[0] + BOX_H / 2, fx, y_out - BOX_H / 2, text="W<sub>hy</sub>")
    # the self-loop: h_{t-1} -> h_t through W_hh
    ly = layer_y[0]
    fig.add_shape(type="path", path=f"M {fx + 0.5} {ly + 0.12} C {fx + 1.5} {ly + 0.9}, "
                  f"{fx + 1.5} {ly - 0.9}, {fx + 0.52} {ly - 0.14}",
                  line=dict(color=HIDDEN, width=3))
    fig.add_annotation(x=fx + 0.52, y=ly - 0.14, ax=fx + 0.9, ay=ly - 0.5, xref="x", yref="y",
                       axref="x", ayref="y", showarrow=True, arrowhead=2, arrowwidth=3,
                       arrowcolor=HIDDEN, text="")
    fig.add_annotation(x=fx + 1.45, y=ly + 0.45, text="W<sub>hh</sub>", showarrow=False,
                       font=dict(color=HIDDEN))
    if num_layers > 1:
        fig.add_annotation(x=fx, y=layer_y[0] - 0.55, text=f"× {num_layers}", showarrow=False,
                           font=dict(size=FONT_SIZE - 2, color=MUTED))
    sep = fx + 1.75
    fig.add_shape(type="line", x0=sep, x1=sep, y0=-0.6, y1=y_out + 0.8,
                  line=dict(color=MUTED, width=1, dash="dot"))

    # -- unrolled view -------------------------------------------------------------------------
    fig.add_annotation(x=cx(0) - BOX_W / 2, y=y_out + 0.95, xanchor="left",
                       text=f"<b>{words['fig_unrolled']}</b>", showarrow=False)
    if vector_in is not None:  # one-to-many: the vector sets h_0
        _box(fig, 0.0, layer_y[0], INPUT, vector_in, t == 0, w=0.9)
        fig.add_annotation(x=0.0, y=layer_y[0] - 0.6, text="x → h<sub>0</sub>", showarrow=False,
                           font=dict(size=FONT_SIZE - 3, color=MUTED))
        for layer in range(num_layers):
            _arrow(fig, 0.45, layer_y[0], cx(0) - BOX_W / 2, layer_y[layer], color=INPUT)
    if enc_end >= 0:  # encoder-decoder: the context vector between the two
        xc = (cx(enc_end) + cx(enc_end + 1)) / 2 if enc_end + 1 < len(columns) else cx(enc_end) + 1
        _box(fig, xc, layer_y[-1] + row_h * (D_max - 1) / 2, CONTEXT, "c", False, w=0.6)
        fig.add_annotation(x=xc, y=-0.55, text=words["fig_context"], showarrow=False,
                           font=dict(color=CONTEXT))
        for phase, xs in (("fig_encoder", [cx(k) for k in range(enc_end + 1)]),
                          ("fig_decoder", [cx(k) for k in range(enc_end + 1, len(columns))])):
            if xs:
                fig.add_annotation(x=(xs[0] + xs[-1]) / 2, y=-0.75, text=words[phase],
                                   showarrow=False, font=dict(color=MUTED))

    def first_of_phase(k: int) -> int:  # decoder steps count from 1 again
        return enc_end + 1 if columns[k].phase == "dec" else 0

    hx, hy, htext = [], [], []
    for k, col in enumerate(columns):
        x, strong = cx(k), k == t
        D = D_max if col.phase in ("main", "enc") else 1
        if col.x is not None:
            _box(fig, x, 0, INPUT, col.x, strong)
        for layer in range(num_layers):
            for d in range(D):
                y = layer_y[layer] + d * row_h
                sub = f"<sub>{k + 1 - first_of_phase(k)}</sub>"
                label = f"h{sub}" if D == 1 else (f"h→{sub}" if d == 0 else f"h←{sub}")
                _box(fig, x, y, HIDDEN, label, strong)
                hx.append(x)
                hy.append(y)
                htext.append(hover.get((k, layer, d), ""))
                # recurrence: forward left-to-right, backward right-to-left, within a phase
                nxt = k + 1 if d == 0 else k - 1
                if 0 <= nxt < len(columns) and columns[nxt].phase == col.phase:
                    a, b = (x, cx(nxt))
                    sgn = 1 if b > a else -1
                    _arrow(fig, a + sgn * BOX_W / 2, y, b - sgn * BOX_W / 2, y, color=HIDDEN)
            # input into the first layer, layer l-1 into layer l
            if layer == 0 and col.x is not None:
                _arrow(fig, x, BOX_H / 2, x, layer_y[0] - BOX_H / 2, color=INPUT)
            if layer > 0:
                y_prev = layer_y[layer - 1] + (D - 1) * row_h
                _arrow(fig, x, y_prev + BOX_H / 2, x, layer_y[layer] - BOX_H / 2,
                       text=words["fig_dropout"].format(p=dropout) if dropout > 0 and k == 0
                       else None)
        if col.y is not None:
            _box(fig, x, y_out, OUTPUT, col.y, strong)
            y_top = layer_y[-1] + (D - 1) * row_h
            _arrow(fig, x, y_top + BOX_H / 2, x, y_out - BOX_H / 2, color=OUTPUT)
        if col.feedback and k > 0 and columns[k - 1].y is not None:  # autoregressive input
            fig.add_shape(type="path", path=f"M {cx(k - 1) + 0.3} {y_out - BOX_H / 2} "
                          f"C {cx(k - 1) + 0.8} {y_out - 1.3}, {x - 0.9} {0.9}, "
                          f"{x - 0.3} {BOX_H / 2}",
                          line=dict(color=OUTPUT, width=2, dash="dot"))
    if enc_end >= 0 and enc_end + 1 < len(columns):  # context -> decoder h_0
        xc = (cx(enc_end) + cx(enc_end + 1)) / 2
        yc = layer_y[-1] + row_h * (D_max - 1) / 2
        _arrow(fig, cx(enc_end) + BOX_W / 2, layer_y[-1], xc - 0.3, yc, color=CONTEXT)
        _arrow(fig, xc + 0.3, yc, cx(enc_end + 1) - BOX_W / 2, layer_y[-1], color=CONTEXT)

    # row labels on the far left
    for y, key, color in ((0, "fig_input", INPUT), (layer_y[0], "fig_hidden", HIDDEN),
                          (y_out, "fig_output", OUTPUT)):
        fig.add_annotation(x=fx - 0.6, y=y, xanchor="right", text=words[key], showarrow=False,
                           font=dict(color=color))
    out = go.Figure(
        go.Scatter(x=hx, y=hy, mode="markers", marker=dict(size=28, opacity=0),
                   hovertext=htext, hoverinfo="text"),
        layout=dict(shapes=fig.shapes, annotations=fig.annotations))
    x_range = [fx - 2.4, max(cx(len(columns) - 1) + 1.0, 4.0)]
    y_range = [-1.0, y_out + 1.3]
    out.update_xaxes(visible=False, range=x_range, fixedrange=False)
    out.update_yaxes(visible=False, range=y_range)
    # Equal scale on both axes while the sequence is short; long ones are squeezed sideways
    # rather than shrunk to unreadable boxes.
    per_unit = min(95.0, 950 / (x_range[1] - x_range[0]))
    per_unit = max(per_unit, 62.0)
    return layout(out, height=int(min(820, per_unit * (y_range[1] - y_range[0]) + 40)))
