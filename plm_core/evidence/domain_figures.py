"""Pure Plotly figures of the domain-fit lab (data in, `go.Figure` out; words through a `FigureText`)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from plm_core.figures import EN, FigureText, LossCurve, loss_figure

SIDE_COLOURS = {"target": "#e76f51", "reference": "#3366cc"}


def map_figure(frame: pd.DataFrame, text: FigureText = EN, backbone: str = "") -> go.Figure:
    """The target's texts and the reference sentences in one 2-D projection, one colour per side."""
    fig = go.Figure()
    for side in ("reference", "target"):
        part = frame[frame["side"] == side]
        hover = [text[:120] for text in part["text"]]
        fig.add_trace(go.Scatter(x=part["x"], y=part["y"], mode="markers", name=text(f"domain.side.{side}"),
                                 marker=dict(size=7, color=SIDE_COLOURS[side], opacity=0.75), text=hover,
                                 hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title=text("domain.fig.map_title", backbone=backbone), height=420,
                      margin=dict(l=30, r=10, t=50, b=30), legend=dict(orientation="h", y=-0.1))
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig


def perplexity_curve_figure(history: Sequence[tuple[int, float]], val_history: Sequence[tuple[int, float]],
                            text: FigureText = EN, total_steps: int | None = None) -> go.Figure:
    """Continued pretraining: exp(training loss) per step and exp(held-out target loss) at each evaluation (the
    one loss figure, on a log perplexity axis)."""
    return loss_figure([LossCurve("", list(history), list(val_history))], text, title="domain.fig.curve_title",
                       x_title="domain.fig.step", y_title="domain.fig.perplexity", train="domain.fig.train",
                       held_out="domain.fig.heldout", window=1, perplexity=True, height=340,
                       x_range=(0, total_steps) if total_steps else None)
