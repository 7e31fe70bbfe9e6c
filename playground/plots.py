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
# Tick labels are never hidden for overflowing (``ticklabeloverflow``: automargin makes room
# for them): Plotly otherwise measures every label again on every redraw, a fifth of a stepped
# figure's redraw in the page.
GRID = dict(gridcolor="#e5e5e5", zerolinecolor="#cccccc", linecolor="#888888",
            ticklabeloverflow="allow")
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



def stepped(fig: go.Figure, t: int, steps: list[dict], texts: list[str] | None = None,
            **extra) -> go.Figure:
    """Let the browser show any step of this view with no request to the server.

    ``layout.meta`` carries the step shown, ``t`` (from 1), and for each step ``k`` the layout
    changes that show it, ``steps[k - 1]["on"]``, and that undo them, ``["off"]``; with
    ``texts``, each step's text as well. ``playground/stepping.js`` applies them with
    ``Plotly.relayout``: moving from step a to step b applies off(a), then on(b). A step may
    also change traces (``"data"``, ``Plotly.restyle`` input for the traces ``"traces"``:
    ``from_frames``) and reveal a heatmap's first columns (``"reveal"``, of ``extra["full"]``:
    ``hidden_heatmap``).
    """
    meta = {"t": t, "steps": steps, **extra}
    if texts is not None:
        meta["texts"] = texts
    fig.update_layout(meta=meta)
    return fig


def _plain(value):
    """A value as JSON has it (numpy arrays as lists, NaN as null), for comparing frames."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (float, np.floating)):
        return None if not np.isfinite(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _flat(node, prefix: str, out: dict) -> dict:
    """Plotly's attribute strings of a frame's leaves: ``marker.color``, ``annotations[2].text``
    (lists of dicts are entered, other lists are values)."""
    if isinstance(node, dict):
        for key, value in node.items():
            _flat(value, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(node, (list, tuple)) and node and all(isinstance(v, dict) for v in node):
        for k, value in enumerate(node):
            _flat(value, f"{prefix}[{k}]", out)
    else:
        out[prefix] = node
    return out


def _same(a, b) -> bool:
    """Equal leaves (numpy arrays by value, NaN equal to NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype.kind == b.dtype.kind and (
            np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))
    return type(a) is type(b) and repr(a) == repr(b)


def from_frames(fig: go.Figure, t: int, frames: list[dict], texts: list[str] | None = None
                ) -> go.Figure:
    """``fig``, drawn from ``frames[t - 1]``, carrying every other frame for the browser.

    ``frames`` are the view at each step as plain dicts (``{"data": [traces], "layout": {...}}``,
    as ``Grid.frame`` makes them), of the same structure: only values differ. Each step gets
    the trace values (``Plotly.restyle`` input, null where a trace keeps its value) and layout
    values (``Plotly.relayout``) that differ anywhere, so stepping sends only what moves.
    """
    datas = [[_flat(trace, "", {}) for trace in f["data"]] for f in frames]
    layouts = [_flat(f["layout"], "", {}) for f in frames]
    if any(len(d) != len(datas[0]) or any(a.keys() != b.keys() for a, b in zip(d, datas[0]))
           for d in datas) or any(la.keys() != layouts[0].keys() for la in layouts):
        raise ValueError("the frames of a stepped figure must have the same structure")
    moving = [{key for key in trace if not all(_same(d[i][key], trace[key]) for d in datas)}
              for i, trace in enumerate(datas[0])]
    traces = [i for i, keys in enumerate(moving) if keys]
    keys = sorted(set().union(*moving)) if moving else []
    laid = [key for key in layouts[0]
            if not all(_same(la[key], layouts[0][key]) for la in layouts)]
    steps = []
    for d, la in zip(datas, layouts):
        step = {"on": {key: _plain(la[key]) for key in laid}, "off": {}}
        if traces:
            step["data"] = {key: [_plain(d[i][key]) if key in moving[i] else None
                                  for i in traces] for key in keys}
            step["traces"] = traces
        steps.append(step)
    return stepped(fig, t, steps, texts)


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

    def frame(self, title: str | None = None) -> dict:
        """The grid as a plain dict (one step of a stepped figure: ``from_frames``)."""
        return {"data": self.traces, "layout": dict(
            self.layout, annotations=self.annotations, shapes=self.shapes,
            **({"title": {"text": title}} if title is not None else {}))}


def hidden_heatmap(panels: list[tuple[str, np.ndarray, list[str]]], t: int,
                   words: dict[str, str], marks: list[int | None] | None = None,
                   marks_at: list[list[int | None]] | None = None, reveal: bool = False
                   ) -> go.Figure:
    """Heatmaps of hidden states: one panel per (layer, direction); rows units, columns steps.

    ``panels`` holds (title, values of shape (hidden_size, seq_len), step labels); column ``t``
    (counting from 1) is outlined, or, per panel, ``marks[k]`` (None: no outline). Colours are
    diverging around 0 (tanh states live in [-1, 1]).

    ``marks_at[s]``, if given, is ``marks`` for the view's step ``s + 1``: the figure then
    carries every step (``stepped``), and ``t`` must be one of them. With ``reveal``, only the
    first ``t`` columns are shown (the future is not computed yet); the figure carries the
    whole values (``meta.full``) and each step the number of columns to show.
    """
    n = len(panels)
    grid = Grid(n, 1, [p[0] for p in panels], vspace=0.12 if n > 1 else 0.0)
    title = words["fig_heat_title"]
    for r, (_, values, labels) in enumerate(panels, 1):
        H, T = values.shape
        shown = values
        if reveal:
            shown = np.full_like(values, np.nan, dtype=float)
            shown[:, :t] = values[:, :t]
        grid.add(dict(
            type="heatmap", z=shown, x=list(range(1, T + 1)), y=list(range(H)), zmin=-1, zmax=1,
            colorscale="RdBu_r", showscale=r == 1, colorbar=dict(title=dict(text="h"), len=0.8),
            customdata=np.array([labels] * H),
            hovertemplate="t=%{x} (%{customdata})<br>" + words["fig_unit"] + " %{y}: "
                          "%{z:.3f}<extra></extra>"), r)
        # each panel's outline, hidden while the step shown is not one of the panel's
        mark = _mark(t if marks is None else marks[r - 1], T)
        grid.shape(r, type="rect", x0=(mark or 1) - 0.5, x1=(mark or 1) + 0.5, y0=-0.5,
                   y1=H - 0.5, line=dict(color=INK, width=4), visible=mark is not None)
        grid.x(r, tickmode="array", tickvals=list(range(1, T + 1)),
               ticktext=[f"{k + 1}<br>{lab}" for k, lab in enumerate(labels)])
        grid.y(r, title=dict(text=words["fig_unit"]))
    fig = layout(grid.figure(), title.format(t=t), height=140 + 230 * n)
    if marks_at is None:
        return fig
    steps = []
    for s, step_marks in enumerate(marks_at):
        on = {"title.text": title.format(t=s + 1)}
        for r, (_, values, _) in enumerate(panels):
            mark = _mark(step_marks[r], values.shape[1])
            on[f"shapes[{r}].visible"] = mark is not None
            on[f"shapes[{r}].x0"], on[f"shapes[{r}].x1"] = (mark or 1) - 0.5, (mark or 1) + 0.5
        steps.append({"on": on, "off": {}})  # "on" sets every key a step changes
        if reveal:
            steps[-1]["reveal"] = s + 1
    full = {str(r): _plain(values) for r, (_, values, _) in enumerate(panels)}
    return stepped(fig, t, steps, **({"full": full} if reveal else {}))


def _mark(mark: int | None, T: int) -> int | None:
    """A panel's outlined step (from 1), or None when it is not one of its T steps."""
    return mark if mark is not None and 1 <= mark <= T else None


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


