"""The Seq2seq tab's figures: accuracy by length, attention, one decoder step, the losses."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ...plots import TEMPLATE, from_frames
from ...style import CONTEXT, FONT, FONT_SIZE, HIDDEN, INK, INPUT, MUTED, OUTPUT


# -- figures (pure: data in, figure out) ----------------------------------------------------------
def _look(title: str, height: int, rows: int = 0) -> dict:
    """The tab's figure layout, as a plain dict: ``rows`` of legend at the bottom (0 for none),
    under the x axis's title, where it covers neither the title and its subtitle (it did above
    the plot, once they wrapped) nor a curve."""
    return dict(template=TEMPLATE, height=height + 28 * rows, title=dict(text=title, x=0.01),
                font=dict(family=FONT, size=FONT_SIZE - 2, color=INK),
                margin=dict(l=20, r=20, t=70, b=20 + (36 + 28 * rows if rows else 0)),
                showlegend=rows > 0,
                legend=dict(orientation="h", x=0, xanchor="left", y=0, yref="container",
                            yanchor="bottom"),
                hoverlabel=dict(font_size=14))


# automargin makes room for tick labels and axis titles
_AXIS = dict(automargin=True, title_standoff=6)


def _layout(fig: go.Figure, title: str, height: int = 420, legend: bool = True) -> go.Figure:
    rows = 0
    if legend:
        entries = sum(1 for trace in fig.data if trace.showlegend is not False)
        rows = 1 if entries <= 3 else 2  # a phone's width fits about three
    fig.update_layout(**_look(title, height, rows))
    fig.update_xaxes(**_AXIS)
    fig.update_yaxes(**_AXIS)
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
    heat = dict(type="heatmap", z=weights, x=[f"{j + 1}·{d}" for j, d in enumerate(src)],
                y=[f"{t + 1}·{d}" for t, d in enumerate(out)], zmin=0, zmax=1,
                colorscale="Blues", colorbar=dict(title="α", thickness=12),
                hovertemplate="t=%{y}, j=%{x}: α=%{z:.3f}<extra></extra>")
    look = _look(w["s2s_fig_heat_title"], max(360, 140 + 24 * len(out)))
    # the source digits label the top axis: the title goes above them
    return go.Figure(heat, dict(
        look, title=dict(look["title"], yref="container", y=0.98, yanchor="top"),
        margin=dict(look["margin"], t=130),
        xaxis=dict(_AXIS, title_text=w["s2s_fig_heat_x"], type="category", side="top"),
        yaxis=dict(_AXIS, autorange="reversed", title_text=w["s2s_fig_heat_y"],
                   type="category")))


def _weights_traces(scores: np.ndarray, weights: np.ndarray, cats: list[str]) -> list[dict]:
    """The weights alpha_tj as bars, the scores e_tj as points on their own right-hand axis;
    at x = j - 1, the states' columns (the axes' tick labels name them)."""
    x = list(range(len(cats)))
    return [
        dict(type="bar", x=x, y=weights, marker=dict(color=CONTEXT), name="α_tj",
             text=[f"{a:.2f}" for a in weights], textposition="outside",
             customdata=list(zip(cats, scores.tolist())),
             hovertemplate="j=%{customdata[0]}: α=%{y:.3f}, e=%{customdata[1]:.2f}"
                           "<extra></extra>"),
        dict(type="scatter", x=x, y=scores, name="e_tj", mode="markers",
             marker=dict(color=MUTED, size=8, symbol="diamond"),
             hovertemplate="e=%{y:.2f}<extra></extra>", yaxis="y2"),
    ]


def _states_traces(states: np.ndarray, context: np.ndarray, cats: list[str], w: dict
                   ) -> list[dict]:
    """The encoder states h_j as columns, then the context c_t: a weighted average of them.
    Two heatmaps on one colour scale, so that a step sends only its context; on a numeric axis
    (a category axis drew the two at half width, far apart)."""
    lim = max(float(np.abs(states).max()), float(np.abs(context).max())) or 1.0
    return [dict(type="heatmap", z=part, x=x, colorscale="RdBu", zmid=0, zmin=-lim, zmax=lim,
                 showscale=False, customdata=[names] * part.shape[0],
                 hovertemplate="%{customdata}, " + w["s2s_fig_unit"]
                               + " %{y}: %{z:.3f}<extra></extra>")
            for part, x, names in ((states.T, list(range(len(cats))), cats),
                                   (context[:, None], [len(cats)], ["c_t"]))]


def _probs_traces(probs: np.ndarray, right: int | None) -> list[dict]:
    """The softmax over the ten digits: the one written coloured, the right one outlined."""
    top = int(np.argmax(probs))
    return [dict(type="bar", x=probs, y=[str(k) for k in range(10)], orientation="h",
                 marker=dict(color=[OUTPUT if k == top else OTHER for k in range(10)],
                             line=dict(color=[INK if k == right else "rgba(0,0,0,0)"
                                              for k in range(10)], width=3)),
                 hovertemplate="%{y}: p=%{x:.3f}<extra></extra>")]


# The weights' figure stands above the states' at the same width, with the same side margins and
# the same x axis, so that each bar stands over its state's column and the empty c_t slot over
# the context.
_ALIGNED = dict(l=64, r=72)


def step_figures(steps: list[tuple[np.ndarray, ...]], src: list[int],
                 rights: list[int | None], t: int, w: dict, texts: list[str] | None = None,
                 first: int = 0) -> tuple[go.Figure, go.Figure, go.Figure]:
    """One decoding step as three figures: the scores e_tj and weights alpha_tj; the encoder
    states h_j beside the context c_t = sum_j alpha_tj h_j; the softmax over the ten digits.

    Each is drawn at step ``t`` of ``steps`` (each (scores, weights, states, context, probs);
    ``rights`` their right digits) and carries every step for the browser; the first carries
    ``texts``. Step k is the decoder's output step ``first + k`` (from 0). Three figures, not
    one of subplots: a step redraws each figure whole, and the browser draws the first (where
    the decoder looks) at once and the others a frame later (``stepping.js``, ``showAll``)."""
    cats = [f"{j + 1}·{d}" for j, d in enumerate(src)]
    slots = dict(_AXIS, tickvals=list(range(len(cats) + 1)), ticktext=cats + ["c_t"],
                 range=[-0.5, len(cats) + 0.5])
    titles = [w["s2s_fig_step_title"].format(t=first + k + 1) for k in range(len(steps))]

    def figure(frames: list[dict], title: str, height: int, margin: dict, **axes) -> go.Figure:
        # one go.Figure from plain dicts: plotly validates the whole layout once (each
        # update_* call validated it again: more than half of a decoding's time)
        look = _look(title, height)
        return go.Figure(frames[t]["data"], dict(look, **axes,
                                                 margin=dict(look["margin"], **margin)))

    frames = [{"data": _weights_traces(s[0], s[1], cats), "layout": {"title": {"text": title}}}
              for s, title in zip(steps, titles)]
    # the scores' axis spans every step's scores: one scale to compare the steps on, and a
    # step moves no axis (the browser draws it in place)
    scores = np.concatenate([np.ravel(s[0]) for s in steps])
    lo, hi = float(scores.min()), float(scores.max())
    pad = 0.08 * (hi - lo) or 0.5
    weights = figure(frames, titles[t], 300, _ALIGNED, xaxis=slots,
                     yaxis=dict(_AXIS, range=[0, 1.2], title_text="α"),
                     yaxis2=dict(_AXIS, overlaying="y", side="right", showgrid=False,
                                 title_text="e", range=[lo - pad, hi + pad]))
    weights = from_frames(weights, t + 1, frames, texts)

    frames = [{"data": _states_traces(s[2], s[3], cats, w), "layout": {}} for s in steps]
    states = figure(frames, w["s2s_fig_states"], 340, _ALIGNED, xaxis=slots,
                    yaxis=dict(_AXIS, autorange="reversed", title_text=w["s2s_fig_unit"]))
    states = from_frames(states, t + 1, frames)

    frames = [{"data": _probs_traces(s[4], right), "layout": {}}
              for s, right in zip(steps, rights)]
    probs = figure(frames, w["s2s_fig_probs"], 360, {},
                   xaxis=dict(_AXIS, range=[0, 1.05], title_text="p"),
                   yaxis=dict(_AXIS, autorange="reversed", type="category"))
    probs = from_frames(probs, t + 1, frames)
    return weights, states, probs


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
