"""Pure figure builders: data in, ``plotly.graph_objects.Figure`` out. No model, no gradio.

Diagrams are Plotly figures too (shapes and arrows in data coordinates), so every figure in the
app zooms, hovers and exports the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .style import CONTEXT, FONT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT

BOX_W, BOX_H, DX = 1.0, 0.62, 1.45


@dataclass(frozen=True)
class Column:
    """One time step of an unrolled diagram."""

    x: str | None           # input symbol shown in the input box (None: no input box)
    y: str | None           # output symbol (None: no output at this step)
    phase: str = "main"     # "main", or "enc" / "dec" for an encoder-decoder
    feedback: bool = False  # the input is the previous step's output (autoregressive)


# A small template: plotly deep-copies a figure's template on every update, and the built-in
# ones are large enough to make that most of a figure's cost.
_GRID = dict(gridcolor="#e5e5e5", zerolinecolor="#cccccc", linecolor="#888888")
TEMPLATE = go.layout.Template(layout=dict(
    paper_bgcolor="white", plot_bgcolor="white", xaxis=_GRID, yaxis=_GRID,
    colorway=[HIDDEN, OUTPUT, INPUT, CONTEXT, MUTED]))


def _layout(fig: go.Figure, title: str | None = None, height: int = 460, right: int = 20
            ) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE, height=height, font=dict(family=FONT, size=FONT_SIZE, color=INK),
        margin=dict(l=20, r=right, t=60 if title else 20, b=20), showlegend=False,
        title=dict(text=title, x=0.01) if title else None, hoverlabel=dict(font_size=15),
    )
    # room for tick labels and axis titles (a diagram's hidden axes take none)
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


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
    return _layout(out, height=int(min(820, per_unit * (y_range[1] - y_range[0]) + 40)))


def _unit(x: float) -> float:
    """Clamp to [0, 1]: sums of fractions land a hair outside, which plotly rejects."""
    return min(1.0, max(0.0, float(x)))


class _Grid:
    """A light ``make_subplots``: a rows x cols grid of axes kept as plain dicts and validated
    once, when the figure is made. (``make_subplots`` and each ``update_*`` call re-validate the
    whole layout; for the step views that was most of their cost.)"""

    def __init__(self, rows: int, cols: int, titles: list[str] | None = None,
                 col_widths: list[float] | None = None, hspace: float = 0.06,
                 vspace: float = 0.1):
        self.rows, self.cols = rows, cols
        widths = np.asarray(col_widths or [1.0] * cols, dtype=float)
        widths = widths / widths.sum() * (1 - hspace * (cols - 1))
        lefts = np.concatenate([[0.0], np.cumsum(widths + hspace)[:-1]])
        height = (1 - vspace * (rows - 1)) / rows
        self.traces: list[dict] = []
        self.layout: dict = {}
        self.annotations: list[dict] = []
        self.shapes: list[dict] = []
        for r in range(rows):
            top = 1 - r * (height + vspace)
            for c in range(cols):
                n = self._n(r + 1, c + 1)
                x_dom = [_unit(lefts[c]), _unit(lefts[c] + widths[c])]
                self.layout[f"xaxis{n}"] = dict(domain=x_dom, anchor=f"y{n}")
                self.layout[f"yaxis{n}"] = dict(domain=[_unit(top - height), _unit(top)],
                                                anchor=f"x{n}")
                if titles and r * cols + c < len(titles):
                    self.annotations.append(dict(
                        text=titles[r * cols + c], x=sum(x_dom) / 2, y=top, xref="paper",
                        yref="paper", xanchor="center", yanchor="bottom", showarrow=False))

    def _n(self, r: int, c: int) -> str:
        k = (r - 1) * self.cols + c
        return "" if k == 1 else str(k)

    def add(self, trace: dict, r: int = 1, c: int = 1) -> None:
        n = self._n(r, c)
        self.traces.append({**trace, "xaxis": f"x{n}", "yaxis": f"y{n}"})

    def x(self, r: int = 1, c: int = 1, **kw) -> None:
        self.layout[f"xaxis{self._n(r, c)}"].update(kw)

    def y(self, r: int = 1, c: int = 1, **kw) -> None:
        self.layout[f"yaxis{self._n(r, c)}"].update(kw)

    def shape(self, r: int = 1, c: int = 1, **kw) -> None:
        n = self._n(r, c)
        self.shapes.append({"xref": f"x{n}", "yref": f"y{n}", **kw})

    def between(self, c: int) -> float:
        """The paper x halfway between column c and c + 1 (1-based)."""
        a = self.layout[f"xaxis{self._n(1, c)}"]["domain"][1]
        b = self.layout[f"xaxis{self._n(1, c + 1)}"]["domain"][0]
        return (a + b) / 2

    def figure(self) -> go.Figure:
        return go.Figure(data=self.traces, layout=dict(self.layout, annotations=self.annotations,
                                                       shapes=self.shapes))


def hidden_heatmap(panels: list[tuple[str, np.ndarray, list[str]]], t: int,
                   words: dict[str, str], marks: list[int | None] | None = None) -> go.Figure:
    """Heatmaps of hidden states: one panel per (layer, direction); rows units, columns steps.

    ``panels`` holds (title, values of shape (hidden_size, seq_len), step labels); column ``t``
    (counting from 1) is outlined, or, per panel, ``marks[k]`` (None: no outline). Colours are
    diverging around 0 (tanh states live in [-1, 1]).
    """
    n = len(panels)
    grid = _Grid(n, 1, [p[0] for p in panels], vspace=0.12 if n > 1 else 0.0)
    for r, (_, values, labels) in enumerate(panels, 1):
        H, T = values.shape
        grid.add(dict(
            type="heatmap", z=values, x=list(range(1, T + 1)), y=list(range(H)), zmin=-1, zmax=1,
            colorscale="RdBu_r", showscale=r == 1, colorbar=dict(title=dict(text="h"), len=0.8),
            customdata=np.array([labels] * H),
            hovertemplate="t=%{x} (%{customdata})<br>" + words["fig_unit"] + " %{y}: "
                          "%{z:.3f}<extra></extra>"), r)
        mark = t if marks is None else marks[r - 1]
        if mark is not None and 1 <= mark <= T:  # steps count from 1
            grid.shape(r, type="rect", x0=mark - 0.5, x1=mark + 0.5, y0=-0.5, y1=H - 0.5,
                       line=dict(color=INK, width=4))
        grid.x(r, tickmode="array", tickvals=list(range(1, T + 1)),
               ticktext=[f"{k + 1}<br>{lab}" for k, lab in enumerate(labels)])
        grid.y(r, title=dict(text=words["fig_unit"]))
    return _layout(grid.figure(), words["fig_heat_title"].format(t=t), height=140 + 230 * n)


def loss_curve(losses: list[float], words: dict[str, str]) -> go.Figure:
    """Training loss per step, on a log scale (before any step: a line saying what will come)."""
    fig = go.Figure()
    if not losses:
        fig.add_annotation(text=words["fig_loss_empty"], showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper", font=dict(color=MUTED))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _layout(fig, words["fig_loss_title"], height=320)
    fig.add_trace(go.Scatter(y=losses, x=list(range(1, len(losses) + 1)), mode="lines",
                             line=dict(color=HIDDEN, width=3), name="loss"))
    fig.update_yaxes(type="log", title_text=words["fig_loss"])
    fig.update_xaxes(title_text=words["fig_train_step"])
    return _layout(fig, words["fig_loss_title"], height=320)


def equation(columns: list[tuple[str, np.ndarray, list[str] | None]], operators: list[str],
             title: str, words: dict[str, str]) -> go.Figure:
    """Vectors side by side with the operators between them: the equation with its numbers.

    ``columns`` holds (name, values, row labels or None); ``operators`` the symbols between
    consecutive columns ("+", "=", "→" ...). Each entry is a coloured cell showing its value
    (diverging colours around 0), so the whole step reads left to right.
    """
    n = len(columns)
    grid = _Grid(1, n, [c[0] for c in columns], hspace=0.045)
    vmax = max(1.0, max(float(np.abs(v).max()) for _, v, _ in columns))
    for k, (_, values, labels) in enumerate(columns, 1):
        v = np.asarray(values, dtype=float).reshape(-1, 1)
        rows = labels or [str(j) for j in range(len(v))]
        grid.add(dict(type="heatmap", z=v, y=rows, x=[""], zmin=-vmax, zmax=vmax,
                      colorscale="RdBu_r", showscale=False, text=[[f"{x:+.2f}"] for x in v[:, 0]],
                      texttemplate="%{text}", textfont=dict(size=FONT_SIZE - 1), xgap=2, ygap=2,
                      hovertemplate="%{y}: %{z:.4f}<extra></extra>"), 1, k)
        # row labels left of the first column and right of the last, clear of the operators
        grid.y(1, k, autorange="reversed", showticklabels=labels is not None,
               tickfont=dict(size=FONT_SIZE - 1), side="right" if k == n and k > 1 else "left",
               ticks="", showgrid=False, zeroline=False)
        grid.x(1, k, showticklabels=False, ticks="", showgrid=False, zeroline=False)
    for k, op in enumerate(operators, 1):
        grid.annotations.append(dict(x=grid.between(k), y=0.5, xref="paper", yref="paper",
                                     text=f"<b>{op}</b>", showarrow=False,
                                     font=dict(size=FONT_SIZE + 4)))
    rows = max(len(np.asarray(v).reshape(-1)) for _, v, _ in columns)
    # the right margin leaves room for the last column's title
    return _layout(grid.figure(), title, height=int(min(640, 150 + 34 * rows)), right=80)


def matrix_form(W: np.ndarray, v: np.ndarray, b: np.ndarray, a: np.ndarray,
                v_labels: list[str], title: str) -> go.Figure:
    """The concatenated form: a_t = W [h_{t-1}; x_t] + b, with W = [W_hh  W_ih]."""
    H, n = W.shape
    grid = _Grid(1, 4, ["W = [W_hh  W_ih]", "[h_(t-1); x_t]", "b = b_ih + b_hh", "a_t"],
                 col_widths=[n, 1.2, 1.2, 1.2], hspace=0.06)
    vmax = max(1.0, float(np.abs(W).max()), float(np.abs(v).max()), float(np.abs(a).max()))
    for k, (z, y, x) in enumerate([(W, list(range(H)), v_labels),
                                   (v.reshape(-1, 1), v_labels, [""]),
                                   (b.reshape(-1, 1), list(range(H)), [""]),
                                   (a.reshape(-1, 1), list(range(H)), [""])], 1):
        grid.add(dict(type="heatmap", z=z, x=x, y=[str(r) for r in y], zmin=-vmax, zmax=vmax,
                      colorscale="RdBu_r", showscale=False,
                      text=[[f"{e:+.2f}" for e in row] for row in z], texttemplate="%{text}",
                      xgap=2, ygap=2, hovertemplate="%{z:.4f}<extra></extra>"), 1, k)
        grid.y(1, k, autorange="reversed")
    for k, op in ((1, "×"), (2, "+"), (3, "=")):
        grid.annotations.append(dict(x=grid.between(k), y=0.5, xref="paper", yref="paper",
                                     text=f"<b>{op}</b>", showarrow=False,
                                     font=dict(size=FONT_SIZE + 4)))
    return _layout(grid.figure(), title, height=int(min(640, 170 + 34 * max(H, n))))


def prediction(symbols: list[str], probs: np.ndarray, target: str | None, losses: list[float],
               t: int, words: dict[str, str]) -> go.Figure:
    """Left: softmax probabilities at step t (target orange). Right: L_t for every step, with
    the sequence loss both ways, from the same L_t: the mean (dashed) and the sum."""
    grid = _Grid(1, 2, [words["fig_probs"].format(t=t + 1), words["fig_losses"]],
                 col_widths=[0.55, 0.45], hspace=0.12)
    colors = [OUTPUT if s == target else HIDDEN for s in symbols]
    grid.add(dict(type="bar", x=[repr(s)[1:-1] or " " for s in symbols], y=probs,
                  marker=dict(color=colors), text=[f"{p:.2f}" for p in probs],
                  textposition="outside", hovertemplate="p(%{x}) = %{y:.4f}<extra></extra>"))
    grid.y(1, 1, range=[0, 1.15], title=dict(text="p"))
    steps = list(range(1, len(losses) + 1))
    grid.add(dict(type="bar", x=steps, y=losses,
                  marker=dict(color=[INK if k == t else MUTED for k in range(len(losses))]),
                  hovertemplate="L_%{x} = %{y:.4f}<extra></extra>"), 1, 2)
    if losses:
        total = float(np.sum(losses))
        mean = total / len(losses)
        grid.shapes.append(dict(type="line", xref="x2 domain", yref="y2", x0=0, x1=1, y0=mean,
                                y1=mean, line=dict(color=OUTPUT, dash="dash")))
        # under the plot, not over its bars: both numbers, the dashed line marks the mean
        grid.annotations.append(dict(xref="x2 domain", yref="paper", x=1, y=0, yshift=-72,
                                     xanchor="right", yanchor="top", showarrow=False,
                                     align="right",
                                     font=dict(color=OUTPUT),
                                     text=words["fig_mean_loss"].format(T=len(losses), mean=mean)
                                     + "<br>" + words["fig_sum_loss"].format(total=total)))
    grid.x(1, 2, title=dict(text="t"), tickvals=steps)
    grid.y(1, 2, title=dict(text="L_t"), rangemode="tozero")
    fig = _layout(grid.figure(), None, height=400)
    if losses:
        fig.update_layout(margin_b=120)  # room for the two lines of mean and sum
    return fig


def blur(diffs: np.ndarray, labels: list[str], words: dict[str, str]) -> go.Figure:
    """||h_t - h'_t|| against t, on a log scale: how far the first input's change reaches."""
    fig = go.Figure(go.Scatter(x=list(range(1, len(diffs) + 1)), y=np.maximum(diffs, 1e-12),
                               mode="lines+markers", line=dict(color=HIDDEN, width=3),
                               customdata=labels,
                               hovertemplate="t=%{x} (%{customdata}): %{y:.3g}<extra></extra>"))
    fig.update_yaxes(type="log", title_text="‖h_t − h′_t‖")
    fig.update_xaxes(title_text="t", tickvals=list(range(1, len(diffs) + 1)),
                     ticktext=[f"{k + 1}<br>{c}" for k, c in enumerate(labels)])
    return _layout(fig, words["fig_blur_title"], height=340)


def unit_activations(panels: list[tuple[str, np.ndarray]], chars: list[str],
                     words: dict[str, str]) -> go.Figure:
    """Units (rows) x characters (columns), each cell showing its character, coloured by h."""
    n = len(panels)
    grid = _Grid(n, 1, [p[0] for p in panels], vspace=0.08 if n > 1 else 0.0)
    shown = [repr(c)[1:-1] if c.strip() else "␣" for c in chars]
    for r, (_, values) in enumerate(panels, 1):
        H = values.shape[0]
        grid.add(dict(
            type="heatmap", z=values, zmin=-1, zmax=1, colorscale="RdBu_r", showscale=r == 1,
            xgap=1, ygap=1, text=[shown] * H, texttemplate="%{text}",
            textfont=dict(size=FONT_SIZE - 2), x=list(range(1, len(chars) + 1)),
            y=[f"{words['fig_unit']} {j}" for j in range(H)],
            hovertemplate="%{y}, t=%{x} (%{text}): %{z:.3f}<extra></extra>"), r)
        grid.y(r, autorange="reversed")
    return _layout(grid.figure(), words["fig_units_title"],
                   height=int(min(900, 120 + sum(28 * p[1].shape[0] + 50 for p in panels))))
