"""The Seq2seq tab's figures: accuracy by length, attention, one decoder step, the losses."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ...plots import TEMPLATE, from_frames
from ...style import CONTEXT, FONT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT


# -- figures (pure: data in, figure out) ----------------------------------------------------------
def _layout(fig: go.Figure, title: str, height: int = 420, legend: bool = True) -> go.Figure:
    # the legend sits at the bottom of the figure, under the x axis's title, where it covers
    # neither the title and its subtitle (it did above the plot, once they wrapped) nor a curve;
    # automargin makes room for tick labels and axis titles
    rows = 0
    if legend:
        entries = sum(1 for trace in fig.data if trace.showlegend is not False)
        rows = 1 if entries <= 3 else 2  # a phone's width fits about three
    fig.update_layout(template=TEMPLATE, height=height + 28 * rows,
                      title=dict(text=title, x=0.01),
                      font=dict(family=FONT, size=FONT_SIZE - 2, color=INK),
                      margin=dict(l=20, r=20, t=70, b=20 + (36 + 28 * rows if rows else 0)),
                      showlegend=legend,
                      legend=dict(orientation="h", x=0, xanchor="left", y=0, yref="container",
                                  yanchor="bottom"),
                      hoverlabel=dict(font_size=14))
    fig.update_xaxes(automargin=True, title_standoff=6)
    fig.update_yaxes(automargin=True, title_standoff=6)
    return fig


def accuracy_figure(x: list[int], curves: list[tuple[str, list[float], str, str]],
                    trained: tuple[int, int] | None, title: str, x_title: str, w: dict
                    ) -> go.Figure:
    """Per-token accuracy curves (name, values, colour, dash) against x; the trained range
    shaded when given; chance level (10%) dotted."""
    fig = go.Figure()
    if trained is not None:
        fig.add_vrect(x0=trained[0] - 0.5, x1=trained[1] + 0.5, fillcolor=CONTEXT, opacity=0.1,
                      line_width=0, annotation_text=w["s2s_fig_trained"],
                      annotation_position="bottom left", annotation_font_color=MUTED)
    fig.add_hline(y=10, line=dict(color=MUTED, dash="dot", width=1),
                  annotation_text=w["s2s_fig_chance"], annotation_position="bottom right",
                  annotation_font_color=MUTED)
    for name, ys, color, dash in curves:
        fig.add_trace(go.Scatter(x=x, y=ys, name=name, mode="lines+markers",
                                 line=dict(color=color, width=3, dash=dash),
                                 hovertemplate="%{x}: %{y:.1f}%<extra>" + name + "</extra>"))
    fig.update_yaxes(range=[0, 103], title_text=w["s2s_fig_acc"])
    fig.update_xaxes(title_text=x_title, dtick=1 if len(x) <= 12 else 2)
    return _layout(fig, title)


def attention_heatmap(weights: np.ndarray, src: list[int], out: list[int], w: dict
                      ) -> go.Figure:
    """alpha_tj: one row per output step t, one column per source position j."""
    S, T = len(src), len(out)
    fig = go.Figure(go.Heatmap(
        z=weights, x=[f"{j + 1}·{d}" for j, d in enumerate(src)],
        y=[f"{t + 1}·{d}" for t, d in enumerate(out)], zmin=0, zmax=1,
        colorscale="Blues", colorbar=dict(title="α", thickness=12),
        hovertemplate="t=%{y}, j=%{x}: α=%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", title_text=w["s2s_fig_heat_y"], type="category")
    fig.update_xaxes(title_text=w["s2s_fig_heat_x"], type="category", side="top")
    # the source digits label the top axis: the title goes above them
    fig.update_layout(title=dict(yref="container", y=0.98, yanchor="top"))
    return _layout(fig, w["s2s_fig_heat_title"], height=max(360, 140 + 24 * T), legend=False
                   ).update_layout(margin=dict(t=130)) if S else fig


def _step_traces(scores: np.ndarray, weights: np.ndarray, states: np.ndarray,
                 context: np.ndarray, probs: np.ndarray, cats: list[str], right: int | None,
                 w: dict) -> list[dict]:
    """One decoding step's traces, each on its axes of :func:`_step_layout`."""
    # the states as columns, then the context: a weighted average of them
    lim = max(float(np.abs(states).max()), float(np.abs(context).max())) or 1.0
    top = int(np.argmax(probs))
    return [
        dict(type="bar", x=cats, y=weights, marker=dict(color=CONTEXT), name="α_tj",
             text=[f"{a:.2f}" for a in weights], textposition="outside", customdata=scores,
             hovertemplate="j=%{x}: α=%{y:.3f}, e=%{customdata:.2f}<extra></extra>",
             xaxis="x", yaxis="y"),
        # the scores on their own right-hand axis over the weights' x axis
        dict(type="scatter", x=cats, y=scores, name="e_tj", mode="markers",
             marker=dict(color=MUTED, size=8, symbol="diamond"),
             hovertemplate="e=%{y:.2f}<extra></extra>", xaxis="x", yaxis="y5"),
        # two heatmaps on one colour scale, so that a step sends only its context; on a
        # numeric axis (a category axis drew the two at half width, far apart)
        *(dict(type="heatmap", z=part, x=x, colorscale="RdBu", zmid=0, zmin=-lim, zmax=lim,
               showscale=False, xaxis="x3", yaxis="y3", customdata=[names] * part.shape[0],
               hovertemplate="%{customdata}, " + w["s2s_fig_unit"]
                             + " %{y}: %{z:.3f}<extra></extra>")
          for part, x, names in ((states.T, list(range(len(cats))), cats),
                                 (context[:, None], [len(cats)], ["c_t"]))),
        dict(type="bar", x=probs, y=[str(k) for k in range(10)], orientation="h",
             marker=dict(color=[OUTPUT if k == top else OTHER for k in range(10)],
                         line=dict(color=[INK if k == right else "rgba(0,0,0,0)"
                                          for k in range(10)], width=3)),
             hovertemplate="%{y}: p=%{x:.3f}<extra></extra>", xaxis="x2", yaxis="y2"),
    ]


def _step_layout(cats: list[str], w: dict) -> go.Figure:
    """The step figure's axes: weights and scores (x, y and y5), states and context (x3, y3),
    the softmax (x2, y2)."""
    fig = make_subplots(rows=2, cols=2, column_widths=[0.72, 0.28], row_heights=[0.45, 0.55],
                        specs=[[{}, {"rowspan": 2}], [{}, None]], horizontal_spacing=0.1,
                        vertical_spacing=0.16,
                        subplot_titles=(w["s2s_fig_weights"] + " · " + w["s2s_fig_scores"],
                                        w["s2s_fig_probs"], w["s2s_fig_states"]))
    fig.update_yaxes(range=[0, 1.2], row=1, col=1)
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=cats + ["c_t"],
                     row=1, col=1)
    fig.update_xaxes(tickvals=list(range(len(cats) + 1)), ticktext=cats + ["c_t"],
                     range=[-0.5, len(cats) + 0.5], row=2, col=1)
    fig.update_yaxes(autorange="reversed", title_text=w["s2s_fig_unit"], row=2, col=1)
    fig.update_xaxes(range=[0, 1.05], row=1, col=2)
    fig.update_yaxes(autorange="reversed", type="category", row=1, col=2)
    fig.update_layout(yaxis5=dict(overlaying="y", side="right", showgrid=False,
                                  title_text="e", anchor="x"))
    return fig


def step_figure(scores: np.ndarray, weights: np.ndarray, states: np.ndarray, context: np.ndarray,
                probs: np.ndarray, src: list[int], right: int | None, t: int, w: dict
                ) -> go.Figure:
    """One decoding step: scores e_tj, weights alpha_tj, the encoder states h_j beside the
    context c_t = sum_j alpha_tj h_j, and the softmax over the ten digits."""
    return step_figures([(scores, weights, states, context, probs)], src, [right], 0, w,
                        first=t)


def step_figures(steps: list[tuple[np.ndarray, ...]], src: list[int],
                 rights: list[int | None], t: int, w: dict, texts: list[str] | None = None,
                 first: int = 0) -> go.Figure:
    """:func:`step_figure` at step ``t`` of ``steps`` (each (scores, weights, states,
    context, probs); ``rights`` their right digits), carrying every step (and ``texts``) for
    the browser. Step k is the decoder's output step ``first + k`` (from 0)."""
    cats = [f"{j + 1}·{d}" for j, d in enumerate(src)]
    frames = [{"data": _step_traces(*step, cats, right, w),
               "layout": {"title": {"text": w["s2s_fig_step_title"].format(t=first + k + 1)}}}
              for k, (step, right) in enumerate(zip(steps, rights))]
    fig = _step_layout(cats, w)
    fig.add_traces(frames[t]["data"])
    fig = _layout(fig, frames[t]["layout"]["title"]["text"], height=560, legend=False)
    return from_frames(fig, t + 1, frames, texts)


def loss_figure(plain: list[float], attended: list[float], w: dict) -> go.Figure:
    fig = go.Figure()
    if not plain:
        fig.add_annotation(text=w["s2s_fig_loss_empty"], showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper", font=dict(color=MUTED))
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _layout(fig, w["s2s_fig_loss_title"], height=320, legend=False)
    x = list(range(1, len(plain) + 1))
    fig.add_trace(go.Scatter(x=x, y=plain, name=w["s2s_plain"], line=dict(color=PLAIN_COLOR)))
    fig.add_trace(go.Scatter(x=x, y=attended, name=w["s2s_row_att"],
                             line=dict(color=ATT_COLOR)))
    fig.update_yaxes(type="log", title_text=w["s2s_fig_loss_y"])
    fig.update_xaxes(title_text=w["s2s_fig_loss_x"])
    return _layout(fig, w["s2s_fig_loss_title"], height=320)


PLAIN_COLOR, ATT_COLOR = INPUT, HIDDEN
# the bottleneck view's other widths, narrowest lightest (slate: apart from the plain model's
# vermillion and from each other for every colour vision; the lightest has 3:1 on white)
WIDTH_SHADES = ("#8A929A", "#515A7A", "#14182B")
OTHER = "#949494"  # the digits the decoder did not pick: grey, still 3:1 on white
