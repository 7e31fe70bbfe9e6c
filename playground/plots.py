"""What every tab's figures share: the template, the layout, a grid of panels, the heatmap of
h_t and the loss curve. Figure builders are pure: data in, ``plotly.graph_objects.Figure``
out; no model, no gradio.

Diagrams are Plotly figures too (shapes and arrows in data coordinates), so every figure in the
app zooms, hovers and exports the same way.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .style import CONTEXT, FONT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT

# A small template: plotly deep-copies a figure's template on every update, and the built-in
# ones are large enough to make that most of a figure's cost.
GRID = dict(gridcolor="#e5e5e5", zerolinecolor="#cccccc", linecolor="#888888")
TEMPLATE = go.layout.Template(layout=dict(
    paper_bgcolor="white", plot_bgcolor="white", xaxis=GRID, yaxis=GRID,
    colorway=[HIDDEN, OUTPUT, INPUT, CONTEXT, MUTED]))


def layout(fig: go.Figure, title: str | None = None, height: int = 460, right: int = 20
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



def _unit(x: float) -> float:
    """Clamp to [0, 1]: sums of fractions land a hair outside, which plotly rejects."""
    return min(1.0, max(0.0, float(x)))


class Grid:
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
    grid = Grid(n, 1, [p[0] for p in panels], vspace=0.12 if n > 1 else 0.0)
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
    return layout(grid.figure(), words["fig_heat_title"].format(t=t), height=140 + 230 * n)


def loss_curve(losses: list[float], words: dict[str, str]) -> go.Figure:
    """Training loss per step, on a log scale (before any step: a line saying what will come)."""
    fig = go.Figure()
    if not losses:
        fig.add_annotation(text=words["fig_loss_empty"], showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper", font=dict(color=MUTED))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return layout(fig, words["fig_loss_title"], height=320)
    fig.add_trace(go.Scatter(y=losses, x=list(range(1, len(losses) + 1)), mode="lines",
                             line=dict(color=HIDDEN, width=3), name="loss"))
    fig.update_yaxes(type="log", title_text=words["fig_loss"])
    fig.update_xaxes(title_text=words["fig_train_step"])
    return layout(fig, words["fig_loss_title"], height=320)


