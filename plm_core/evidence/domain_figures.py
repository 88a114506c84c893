"""Pure Plotly figures of the domain-fit lab (data in, `go.Figure` out; text through `t` in `lang`)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from plm_core.i18n import t

SIDE_COLOURS = {"target": "#e76f51", "reference": "#3366cc"}


def map_figure(frame: pd.DataFrame, lang: str = "en", backbone: str = "") -> go.Figure:
    """The target's texts and the reference sentences in one 2-D projection, one colour per side."""
    fig = go.Figure()
    for side in ("reference", "target"):
        part = frame[frame["side"] == side]
        hover = [text[:120] for text in part["text"]]
        fig.add_trace(go.Scatter(x=part["x"], y=part["y"], mode="markers", name=t(f"domain.side.{side}", lang),
                                 marker=dict(size=7, color=SIDE_COLOURS[side], opacity=0.75), text=hover,
                                 hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title=t("domain.fig.map_title", lang, backbone=backbone), height=420,
                      margin=dict(l=30, r=10, t=50, b=30), legend=dict(orientation="h", y=-0.1))
    fig.update_xaxes(showticklabels=False)
    fig.update_yaxes(showticklabels=False)
    return fig


def perplexity_curve_figure(history: Sequence[tuple[int, float]], val_history: Sequence[tuple[int, float]],
                            lang: str = "en", total_steps: int | None = None) -> go.Figure:
    """Continued pretraining: exp(training loss) per step and exp(held-out target loss) at each evaluation."""
    fig = go.Figure()
    if history:
        steps, losses = zip(*history, strict=True)
        fig.add_trace(go.Scatter(x=steps, y=[math.exp(min(v, 30)) for v in losses], mode="lines",
                                 name=t("domain.fig.train", lang), line=dict(width=1, color="#b0b0b0")))
    if val_history:
        steps, losses = zip(*val_history, strict=True)
        fig.add_trace(go.Scatter(x=steps, y=[math.exp(min(v, 30)) for v in losses], mode="lines+markers",
                                 name=t("domain.fig.heldout", lang), line=dict(color=SIDE_COLOURS["target"])))
    fig.update_layout(title=t("domain.fig.curve_title", lang), xaxis_title=t("domain.fig.step", lang),
                      yaxis_title=t("domain.fig.perplexity", lang), height=340, margin=dict(l=40, r=10, t=40, b=40),
                      legend=dict(orientation="h", y=-0.25))
    fig.update_yaxes(type="log")
    if total_steps:
        fig.update_xaxes(range=[0, total_steps])
    return fig
