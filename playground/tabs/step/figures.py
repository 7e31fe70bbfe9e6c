"""The Step-through-time tab's figures: the equation with its numbers, the prediction, the
forward blur, the units."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ...plots import Grid, from_frames, layout
from ...style import FONT_SIZE, HIDDEN, INK, MUTED, OUTPUT, text_shade

Columns = list[tuple[str, np.ndarray, "list[str] | None"]]


GAP = 0.6  # the width of the space between two columns (holding an operator), in columns


def _equation(columns: Columns, operators: list[str]) -> tuple[Grid, int]:
    """One step's equation as one heatmap (every column in one trace, the spaces between them
    blank: the browser redraws one trace a step, not one per column), and the figure's height.

    Column k fills heatmap column 2k, from the top row down: a column shorter than the longest
    (x_t's vocabulary beside h_t's units) leaves the rows below it blank.
    """
    n = len(columns)
    vecs = [np.asarray(values, dtype=float).reshape(-1) for _, values, _ in columns]
    rows = max(len(v) for v in vecs)
    vmax = max(1.0, max(float(np.abs(v).max()) for v in vecs))
    z = [[None] * (2 * n - 1) for _ in range(rows)]
    text = [[""] * (2 * n - 1) for _ in range(rows)]
    names = [[None] * (2 * n - 1) for _ in range(rows)]
    for k, ((name, _, labels), v) in enumerate(zip(columns, vecs)):
        name = name.replace("<br>", " ")
        for j, x in enumerate(v.tolist()):
            z[j][2 * k], text[j][2 * k] = x, f"{x:+.2f}"
            names[j][2 * k] = f"{name}[{labels[j] if labels else j}]"
    # the edges of heatmap columns: value columns 1 wide, the spaces between them GAP wide
    edges = np.concatenate([[0.0], np.cumsum([1.0 if c % 2 == 0 else GAP
                                              for c in range(2 * n - 1)])]).tolist()
    grid = Grid(1, 1)
    grid.add(dict(type="heatmap", z=z, x=edges, text=text, customdata=names, zmin=-vmax,
                  zmax=vmax, colorscale="RdBu_r", showscale=False, texttemplate="%{text}",
                  textfont=dict(size=FONT_SIZE - 1), xgap=2, ygap=2, hoverongaps=False,
                  hovertemplate="%{customdata}: %{z:.4f}<extra></extra>"))
    # Titles, row labels and operators are tick labels and a text trace, not annotations:
    # Plotly redraws every annotation on each step (half the step's time with 25 of them).
    # The operators' trace is on a second y axis, on the right, that carries the last
    # column's row labels.
    grid.add(dict(type="scatter", mode="text", x=[(edges[2 * k + 1] + edges[2 * k + 2]) / 2
                                                  for k in range(len(operators))],
                  y=[(rows - 1) / 2] * len(operators), text=[f"<b>{op}</b>" for op in operators],
                  textfont=dict(size=FONT_SIZE + 4), hoverinfo="skip", cliponaxis=False))
    grid.traces[-1]["yaxis"] = "y2"
    centers = [(edges[2 * k] + edges[2 * k + 1]) / 2 for k in range(n)]
    grid.x(side="top", tickmode="array", tickvals=centers, ticktext=[c[0] for c in columns],
           ticks="", showgrid=False, zeroline=False, range=[edges[0], edges[-1]],
           fixedrange=True)
    first, last = columns[0][2], columns[-1][2] if n > 1 else None
    for axis, labels in (("yaxis", first), ("yaxis2", last)):
        grid.layout[axis] = dict(
            grid.layout.get(axis, {}), range=[rows - 0.5, -0.5], fixedrange=True, ticks="",
            showgrid=False, zeroline=False, showticklabels=labels is not None,
            tickmode="array", tickvals=list(range(len(labels or []))), ticktext=labels or [],
            tickfont=dict(size=FONT_SIZE - 1))
    grid.layout["yaxis2"].update(overlaying="y", side="right", anchor="x")
    return grid, int(min(640, 150 + 34 * rows))


def equation_columns(fig: go.Figure) -> list[np.ndarray]:
    """The columns' values back from an :func:`equation` figure, left to right (for tests and
    export)."""
    z = np.array([[np.nan if v is None else v for v in row] for row in fig.data[0].z],
                 dtype=float)
    return [col[~np.isnan(col)] for col in z.T[::2]]


def equation(columns: Columns, operators: list[str], title: str, words: dict[str, str]
             ) -> go.Figure:
    """Vectors side by side with the operators between them: the equation with its numbers.

    ``columns`` holds (name, values, row labels or None); ``operators`` the symbols between
    consecutive columns ("+", "=", "→" ...). Each entry is a coloured cell showing its value
    (diverging colours around 0), so the whole step reads left to right.
    """
    return equation_steps([columns], operators, [title], words, 0)


def equation_steps(steps: list[Columns], operators: list[str], titles: list[str],
                   words: dict[str, str], t: int, texts: list[str] | None = None
                   ) -> go.Figure:
    """:func:`equation` at step ``t`` (from 0) of ``steps``, carrying every step (and its
    ``texts``) for the browser."""
    grids = [_equation(columns, operators) for columns in steps]
    grid, height = grids[t]
    fig = layout(grid.figure(), titles[t], height=height)
    return from_frames(fig, t + 1, [g.frame(title) for (g, _), title in zip(grids, titles)],
                       texts)


def _matrix(W: np.ndarray, v: np.ndarray, b: np.ndarray, a: np.ndarray, v_labels: list[str]
            ) -> tuple[Grid, int]:
    H, n = W.shape
    grid = Grid(1, 4, ["W = [W_hh  W_ih]", "[h_(t-1); x_t]", "b = b_ih + b_hh", "a_t"],
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
    return grid, int(min(640, 170 + 34 * max(H, n)))


def matrix_form(W: np.ndarray, v: np.ndarray, b: np.ndarray, a: np.ndarray,
                v_labels: list[str], title: str) -> go.Figure:
    """The concatenated form: a_t = W [h_{t-1}; x_t] + b, with W = [W_hh  W_ih]."""
    return matrix_steps(W, [v], b, [a], v_labels, [title], 0)


def matrix_steps(W: np.ndarray, vs: list[np.ndarray], b: np.ndarray, a_s: list[np.ndarray],
                 v_labels: list[str], titles: list[str], t: int,
                 texts: list[str] | None = None) -> go.Figure:
    """:func:`matrix_form` at step ``t`` (from 0), carrying every step (and its ``texts``)."""
    grids = [_matrix(W, v, b, a, v_labels) for v, a in zip(vs, a_s)]
    grid, height = grids[t]
    fig = layout(grid.figure(), titles[t], height=height)
    return from_frames(fig, t + 1, [g.frame(title) for (g, _), title in zip(grids, titles)],
                       texts)


def _prediction(symbols: list[str], probs: np.ndarray, target: str | None,
                losses: list[float], t: int, words: dict[str, str]) -> Grid:
    grid = Grid(1, 2, [words["fig_probs"].format(t=t + 1), words["fig_losses"]],
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
                                     font=dict(color=text_shade(OUTPUT)),
                                     text=words["fig_mean_loss"].format(T=len(losses), mean=mean)
                                     + "<br>" + words["fig_sum_loss"].format(total=total)))
    grid.x(1, 2, title=dict(text="t"), tickvals=steps)
    grid.y(1, 2, title=dict(text="L_t"), rangemode="tozero")
    return grid


def prediction(symbols: list[str], probs: np.ndarray, target: str | None, losses: list[float],
               t: int, words: dict[str, str]) -> go.Figure:
    """Left: softmax probabilities at step t (target orange). Right: L_t for every step, with
    the sequence loss both ways, from the same L_t: the mean (dashed) and the sum."""
    return _prediction_figure(_prediction(symbols, probs, target, losses, t, words), losses)


def _prediction_figure(grid: Grid, losses: list[float]) -> go.Figure:
    fig = layout(grid.figure(), None, height=400)
    if losses:
        fig.update_layout(margin_b=120)  # room for the two lines of mean and sum
    return fig


def prediction_steps(symbols: list[str], probs: list[np.ndarray], targets: list[str | None],
                     losses: list[float], t: int, words: dict[str, str]) -> go.Figure:
    """:func:`prediction` at step ``t`` (from 0) of the steps whose ``probs`` and ``targets``
    these are, carrying every step for the browser."""
    grids = [_prediction(symbols, p, target, losses, k, words)
             for k, (p, target) in enumerate(zip(probs, targets))]
    return from_frames(_prediction_figure(grids[t], losses), t + 1, [g.frame() for g in grids])


def blur(diffs: np.ndarray, labels: list[str], words: dict[str, str]) -> go.Figure:
    """||h_t - h'_t|| against t, on a log scale: how far the first input's change reaches."""
    fig = go.Figure(go.Scatter(x=list(range(1, len(diffs) + 1)), y=np.maximum(diffs, 1e-12),
                               mode="lines+markers", line=dict(color=HIDDEN, width=3),
                               customdata=labels,
                               hovertemplate="t=%{x} (%{customdata}): %{y:.3g}<extra></extra>"))
    fig.update_yaxes(type="log", title_text="‖h_t − h′_t‖")
    fig.update_xaxes(title_text="t", tickvals=list(range(1, len(diffs) + 1)),
                     ticktext=[f"{k + 1}<br>{c}" for k, c in enumerate(labels)])
    return layout(fig, words["fig_blur_title"], height=340)


def unit_activations(panels: list[tuple[str, np.ndarray]], chars: list[str],
                     words: dict[str, str]) -> go.Figure:
    """Units (rows) x characters (columns), each cell showing its character, coloured by h."""
    n = len(panels)
    grid = Grid(n, 1, [p[0] for p in panels], vspace=0.08 if n > 1 else 0.0)
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
    return layout(grid.figure(), words["fig_units_title"],
                   height=int(min(900, 120 + sum(28 * p[1].shape[0] + 50 for p in panels))))
