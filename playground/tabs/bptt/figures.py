"""Pure figure builders of the BPTT gradients tab: measured numbers in, Plotly figures out.

Values that vanished to exactly 0 (truncation, or below float64's smallest number) or overflowed
(NaN here) cannot sit on a log axis: they are left out, and the tab's text says so.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from ...plots import TEMPLATE, layout
from ...style import CONTEXT, HIDDEN, INK, INPUT, MUTED, OUTPUT, text_shade

# layer 1 strongest: it is farthest from the loss; then a lighter blue, then grey
LAYER_COLORS = [HIDDEN, "#4491FC", "#747478"]
# the two plain RNNs in vermillion and reddish purple (Okabe-Ito's #CC79A7, darkened: it sat 14
# from the LSTM's blue under protanopia)
RACER_COLORS = {"rnn": INPUT, "rnn_clip": "#CA62AE", "lstm": HIDDEN, "gru": CONTEXT}

LOG10_NORM = "log<sub>10</sub> ||dL/dh_t||"  # (a font's subscript ₁ can read as a comma)


def _frame(fig: go.Figure, title: str | None, height: int, legend_rows: int = 0,
           right: int = 20) -> go.Figure:
    """The app's layout, with room for axis titles and a legend of so many rows under the
    plot (at the bottom of the figure, clear of the x axis's title)."""
    layout(fig, title, height=height + 28 * legend_rows, right=right)
    fig.update_layout(margin=dict(l=20, r=right, t=60 if title else 20,
                                  b=20 + (36 + 28 * legend_rows if legend_rows else 0)))
    fig.update_xaxes(automargin=True, title_standoff=8)
    fig.update_yaxes(automargin=True, title_standoff=8)
    if legend_rows:
        fig.update_layout(showlegend=True, legend=dict(orientation="h", yanchor="bottom", y=0,
                                                        yref="container", x=0, xanchor="left"))
    return fig


def _positive(y: np.ndarray) -> list:
    """A log axis shows positive finite values; anything else becomes a gap."""
    return [float(v) if np.isfinite(v) and v > 0 else None for v in np.asarray(y, float)]


def _log_range(*arrays: np.ndarray) -> list[float] | None:
    vals = np.concatenate([np.asarray(a, float).ravel() for a in arrays if a is not None])
    vals = vals[np.isfinite(vals) & (vals > 0)]
    if not vals.size:
        return None
    lo, hi = np.log10(vals.min()), np.log10(vals.max())
    pad = max(0.5, 0.06 * (hi - lo))
    return [lo - pad, hi + pad]


def gradient_profile(hidden: np.ndarray, cell: np.ndarray | None, bound: np.ndarray | None,
                     tbptt: int | None, w: dict[str, str], title: str) -> go.Figure:
    """||dL/dh_t|| against t on a log axis (one line per layer), ||dL/dc_t|| for an LSTM, and
    the Pascanu bound dashed over them where it applies."""
    T = hidden.shape[-1]
    t = list(range(T))
    fig = go.Figure()
    for layer in range(hidden.shape[0]):
        name = w["bp_trace_h"]
        if hidden.shape[0] > 1:
            name += f" ({w['fig_layer']} {layer + 1})"
        fig.add_trace(go.Scatter(
            x=t, y=_positive(hidden[layer]), mode="lines", name=name,
            line=dict(color=LAYER_COLORS[layer % 3], width=4 if layer == 0 else 2.5),
            hovertemplate="t=%{x}<br>||dL/dh_t|| = %{y:.3e}<extra></extra>"))
    if cell is not None:
        fig.add_trace(go.Scatter(
            x=t, y=_positive(cell[0]), mode="lines", name=w["bp_trace_c"],
            line=dict(color=CONTEXT, width=3, dash="dash"),
            hovertemplate="t=%{x}<br>||dL/dc_t|| = %{y:.3e}<extra></extra>"))
    if bound is not None:
        fig.add_trace(go.Scatter(
            x=t, y=_positive(bound), mode="lines", name=w["bp_trace_bound"],
            line=dict(color=INK, width=2.5, dash="dot"),
            hovertemplate="t=%{x}<br>bound = %{y:.3e}<extra></extra>"))
    shapes = []
    if tbptt:
        for b in range(tbptt, T, tbptt):
            shapes.append(dict(type="line", x0=b - 0.5, x1=b - 0.5, y0=0, y1=1, yref="paper",
                               line=dict(color=MUTED, width=1.5, dash="dot")))
    _frame(fig, title, 470, legend_rows=1 + (cell is not None or bound is not None))
    fig.update_layout(
        shapes=shapes,
        xaxis=dict(title=w["bp_axis_t"], range=[-0.5, T - 0.5]),
        yaxis=dict(title="||dL/dh_t||", type="log", exponentformat="power",
                   range=_log_range(hidden, cell, bound)),
        uirevision="profile")
    return fig


def singular_values(sv: np.ndarray, sigma_max: float, rho: float, gamma: float,
                    w: dict[str, str]) -> go.Figure:
    """W_hh's singular values, largest first, against 1/gamma; the spectral radius beside."""
    s = np.sort(np.asarray(sv, float))[::-1]
    fig = go.Figure(go.Bar(x=list(range(1, len(s) + 1)), y=s.tolist(), marker_color=HIDDEN,
                           hovertemplate="σ_%{x} = %{y:.4f}<extra></extra>", name="σ_i"))
    top = max(float(s.max()), rho, 1 / gamma) * 1.18
    lines = [(1 / gamma, INK, "dot", w["bp_sv_threshold"].format(v=1 / gamma)),
             (rho, OUTPUT, "dash", w["bp_sv_rho"].format(v=rho)),
             (sigma_max, HIDDEN, "solid", w["bp_sv_max"].format(v=sigma_max))]
    shapes, notes = [], []
    # labels at the left, middle and right, so that equal values don't overprint
    for (v, color, dash, text), x in zip(lines, (0.0, 0.5, 1.0)):
        shapes.append(dict(type="line", x0=0, x1=1, xref="paper", y0=v, y1=v,
                           line=dict(color=color, width=2.5, dash=dash)))
        notes.append(dict(x=x, xref="paper", xanchor=("left", "center", "right")[int(2 * x)],
                          y=v, yanchor="bottom", text=text, showarrow=False,
                          bgcolor="rgba(255,255,255,0.85)",
                          font=dict(color=text_shade(color), size=15)))
    _frame(fig, w["bp_sv_fig"], 380)
    fig.update_layout(shapes=shapes, annotations=notes, bargap=0.15,
                      xaxis=dict(title=w["bp_axis_i"]), yaxis=dict(title="σ", range=[0, top]))
    return fig


def bptt_sum(contributions: np.ndarray, running: np.ndarray, w: dict[str, str],
             title: str) -> go.Figure:
    """Each step's term of dL/dW_hh and the running sum, built backwards from the loss."""
    T = len(contributions)
    t = list(range(T))
    fig = go.Figure()
    fig.add_trace(go.Bar(x=t, y=_positive(contributions), name=w["bp_sum_term"],
                         marker_color=INPUT, opacity=0.75,
                         hovertemplate="t=%{x}<br>||term_t|| = %{y:.3e}<extra></extra>"))
    fig.add_trace(go.Scatter(x=t, y=_positive(running), mode="lines", name=w["bp_sum_running"],
                             line=dict(color=HIDDEN, width=4),
                             hovertemplate="t=%{x}<br>||Σ_{k≥t}|| = %{y:.3e}<extra></extra>"))
    _frame(fig, title, 380, legend_rows=2)
    fig.update_layout(
        bargap=0,
        xaxis=dict(title=w["bp_axis_t_back"]),
        yaxis=dict(type="log", exponentformat="power", title="||·||",
                   range=_log_range(contributions, running)))
    return fig


def activations(preacts: dict[str, np.ndarray], w: dict[str, str]) -> go.Figure:
    """tanh and sigmoid (or relu) beside their derivatives, over a histogram of where this
    configuration's pre-activations fall."""
    a = np.linspace(-6, 6, 241)
    sig = 1 / (1 + np.exp(-a))
    curves = {
        "tanh": [("tanh(a)", np.tanh(a), HIDDEN, "solid"),
                 ("tanh′(a) = 1 − tanh²(a)", 1 - np.tanh(a) ** 2, HIDDEN, "dot")],
        "sigmoid": [("σ(a)", sig, OUTPUT, "solid"), ("σ′(a) = σ(1 − σ)", sig * (1 - sig),
                                                     OUTPUT, "dot")],
        "relu": [("relu(a) / 6", np.maximum(a, 0) / 6, HIDDEN, "solid"),
                 ("relu′(a)", (a > 0).astype(float), HIDDEN, "dot")],
    }
    fig = go.Figure()
    hist_colors = {"tanh": HIDDEN, "sigmoid": OUTPUT, "relu": HIDDEN}
    for name, values in preacts.items():
        v = np.clip(np.asarray(values, float), -6, 6)
        fig.add_trace(go.Histogram(
            x=v.tolist(), xbins=dict(start=-6, end=6, size=0.25), histnorm="probability",
            marker_color=hist_colors[name], opacity=0.28, yaxis="y2",
            name=w["bp_act_hist"].format(f=name),
            hovertemplate="a ∈ %{x}<br>%{y:.1%}<extra></extra>"))
    for name in preacts:
        for label, y, color, dash in curves[name]:
            fig.add_trace(go.Scatter(x=a.tolist(), y=y.tolist(), mode="lines", name=label,
                                     line=dict(color=color, width=3, dash=dash)))
    _frame(fig, w["bp_act_fig"], 380, legend_rows=2 + 2 * (len(preacts) > 1), right=70)
    fig.update_layout(
        barmode="overlay",
        xaxis=dict(title=w["bp_axis_a"], range=[-6, 6]),
        yaxis=dict(title="f(a), f′(a)", range=[-1.05, 1.05]),
        yaxis2=dict(overlaying="y", side="right", showgrid=False, rangemode="tozero",
                    tickformat=".0%", title=w["bp_act_share"]))
    return fig


def empty(text: str, height: int = 300) -> go.Figure:
    """A figure that says what will appear, rather than a blank box."""
    fig = go.Figure()
    layout(fig, None, height=height)
    fig.update_layout(template=TEMPLATE, xaxis=dict(visible=False), yaxis=dict(visible=False),
                      annotations=[dict(text=text, x=0.5, y=0.5, xref="paper", yref="paper",
                                        showarrow=False, font=dict(size=17, color=MUTED))])
    return fig


# -- the training race ---------------------------------------------------------------------------
def _column(steps: list, k: int, field: str) -> list:
    return [getattr(s.racers[k], field) for s in steps]


def race_losses(steps: list, racers: tuple[str, ...], names: dict[str, str],
                w: dict[str, str], title: str, chance: float | None = None) -> go.Figure:
    """Each racer's training loss per step; a cross where a racer diverged (its loss or
    gradient stopped being a number), with the step."""
    fig = go.Figure()
    x = [s.step for s in steps]
    notes = []
    for k, racer in enumerate(racers):
        loss = _column(steps, k, "loss")
        fig.add_trace(go.Scatter(x=x, y=loss, mode="lines", name=names[racer],
                                 line=dict(color=RACER_COLORS[racer], width=3),
                                 hovertemplate=names[racer] + ": %{y:.4f} (step %{x})"
                                 "<extra></extra>"))
        div = _column(steps, k, "diverged")
        if True in div:
            at = x[div.index(True)]
            last = next((v for v in reversed(loss[:div.index(True)]) if v is not None), None)
            fig.add_trace(go.Scatter(
                x=[at], y=[last if last is not None else 0], mode="markers",
                marker=dict(symbol="x", size=16, color=RACER_COLORS[racer],
                            line=dict(width=2, color=INK)),
                name=w["bp_race_diverged"].format(step=at), showlegend=False,
                hovertemplate=w["bp_race_diverged"].format(step=at) + "<extra></extra>"))
            notes.append(dict(x=at, y=last if last is not None else 0, ax=30, ay=-40,
                              text=w["bp_race_diverged"].format(step=at), showarrow=True,
                              arrowcolor=RACER_COLORS[racer],
                              font=dict(color=text_shade(RACER_COLORS[racer]), size=15),
                              bgcolor="rgba(255,255,255,0.85)"))
    shapes = []
    if chance is not None:
        shapes.append(dict(type="line", x0=0, x1=1, xref="paper", y0=chance, y1=chance,
                           line=dict(color=MUTED, width=2, dash="dot")))
        # named in the legend: a label on the line sat on the curves, which start at chance
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=w["bp_race_chance"],
                                 line=dict(color=MUTED, width=2, dash="dot"),
                                 hoverinfo="skip"))
    _frame(fig, title, 400, legend_rows=1 if chance is None else 2)
    fig.update_layout(annotations=notes, shapes=shapes, uirevision="race-loss",
                      xaxis=dict(title=w["bp_race_step"], rangemode="tozero"),
                      yaxis=dict(title=w["loss_plot"], rangemode="tozero"))
    return fig


def race_grad_norms(steps: list, racers: tuple[str, ...], names: dict[str, str], clip: float,
                    w: dict[str, str], title: str) -> go.Figure:
    """The total gradient norm of every step, before clipping, on a log axis; for the clipped
    racer also after clipping, with a mark on every step where clipping fired."""
    fig = go.Figure()
    x = [s.step for s in steps]
    for k, racer in enumerate(racers):
        before = _column(steps, k, "grad_norm")
        fig.add_trace(go.Scatter(
            x=x, y=_positive(np.array([np.nan if v is None else v for v in before])),
            mode="lines", name=names[racer] + (" " + w["bp_race_before"]
                                              if racer == "rnn_clip" else ""),
            line=dict(color=RACER_COLORS[racer], width=2.5 if racer != "rnn_clip" else 2,
                      dash="dot" if racer == "rnn_clip" else "solid"),
            hovertemplate="%{y:.3g} (step %{x})<extra>" + names[racer] + "</extra>"))
        if racer == "rnn_clip":
            after = _column(steps, k, "grad_norm_clipped")
            fig.add_trace(go.Scatter(
                x=x, y=_positive(np.array([np.nan if v is None else v for v in after])),
                mode="lines", name=names[racer] + " " + w["bp_race_after"],
                line=dict(color=RACER_COLORS[racer], width=3.5),
                hovertemplate="%{y:.3g} (step %{x})<extra></extra>"))
            fired = [(s, b) for s, b, c in zip(x, before, _column(steps, k, "clipped"))
                     if c and b is not None]
            if fired:
                fig.add_trace(go.Scatter(
                    x=[s for s, _ in fired], y=[b for _, b in fired], mode="markers",
                    name=w["bp_race_fired"], marker=dict(symbol="triangle-down", size=8,
                                                         color=RACER_COLORS[racer]),
                    hovertemplate=w["bp_race_fired"] + " (step %{x})<extra></extra>"))
    shapes = [dict(type="line", x0=0, x1=1, xref="paper", y0=clip, y1=clip,
                   line=dict(color=INK, width=2, dash="dash"))]
    notes = [dict(x=1, xref="paper", xanchor="right", y=np.log10(clip), yanchor="bottom",
                  text=w["bp_race_threshold"].format(clip=clip), showarrow=False,
                  font=dict(color=INK, size=14), bgcolor="rgba(255,255,255,0.85)")]
    _frame(fig, title, 400, legend_rows=2)
    fig.update_layout(shapes=shapes, annotations=notes, uirevision="race-grad",
                      xaxis=dict(title=w["bp_race_step"], rangemode="tozero"),
                      yaxis=dict(title="||g||", type="log", exponentformat="power", dtick=1))
    return fig


def race_heatmap(rows: list[tuple[int, tuple]], lag: int, w: dict[str, str],
                 title: str) -> go.Figure:
    """log10 ||dL/dh_t|| over time step t (x) and training step (y), as the racer learns."""
    if not rows:
        return empty(w["bp_race_heat_empty"], 380)
    z = [[np.nan if v is None else v for v in prof] for _, prof in rows]
    fig = go.Figure(go.Heatmap(
        z=z, x=list(range(lag)), y=[s for s, _ in rows], colorscale="Viridis",
        colorbar=dict(title=dict(text=LOG10_NORM, side="right"), thickness=14),
        hovertemplate="t=%{x}, step %{y}<br>" + LOG10_NORM + " = %{z:.2f}<extra></extra>"))
    _frame(fig, title, 400)
    fig.update_layout(uirevision="race-heat", xaxis=dict(title=w["bp_axis_t"]),
                      yaxis=dict(title=w["bp_race_step"], autorange=True))
    return fig
