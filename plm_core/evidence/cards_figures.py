"""Pure Plotly builders for the proof cards and the objective matrix: data in, `go.Figure` out (text
already translated by the page)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from plm_core.figures import PALETTE

if TYPE_CHECKING:
    import plotly.graph_objects as go

LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=40), legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))


def bars_figure(frame: pd.DataFrame, title: str, y_title: str) -> go.Figure:
    """Grouped bars with error bars; frame columns: group, label, value, sd (one colour per group)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (group, rows) in enumerate(frame.groupby("group", sort=False)):
        fig.add_bar(x=rows["label"], y=rows["value"], name=str(group), marker_color=PALETTE[i % len(PALETTE)],
                    error_y=dict(type="data", array=rows["sd"], visible=bool((rows["sd"] > 0).any())))
    fig.update_layout(title=title, yaxis_title=y_title, barmode="group", height=380, **LAYOUT)
    return fig


def curve_figure(curves: Mapping[str, Mapping[str, float]], majority: float, title: str, x_title: str,
                 y_title: str, majority_name: str) -> go.Figure:
    """Accuracy vs K per model (K as strings, the JSON way), with the majority-class line."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (name, curve) in enumerate(curves.items()):
        ks = sorted(int(k) for k in curve)
        fig.add_scatter(x=ks, y=[curve[str(k)] for k in ks], mode="lines+markers", name=name,
                        line=dict(color=PALETTE[i % len(PALETTE)]))
    fig.add_hline(y=majority, line_dash="dot", annotation_text=majority_name)
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=360, **LAYOUT)
    return fig


def layers_figure(layers: Sequence[Mapping], measures: Mapping[str, str], title: str, x_title: str,
                  y_title: str) -> go.Figure:
    """Per-layer lines, one colour per model and one dash per measure; x = layer / top layer (0..1)."""
    import plotly.graph_objects as go

    frame = pd.DataFrame(list(layers))
    fig = go.Figure()
    dashes = ["solid", "dot", "dash"]
    for i, (model, rows) in enumerate(frame.groupby("model", sort=False)):
        depth = rows["layer"] / max(float(rows["layer"].max()), 1.0)
        for j, (measure, name) in enumerate(measures.items()):
            fig.add_scatter(x=depth, y=rows[measure], mode="lines+markers", name=f"{model} · {name}",
                            line=dict(color=PALETTE[i % len(PALETTE)], dash=dashes[j % len(dashes)]))
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=400, **LAYOUT)
    return fig


def matrix_heatmap(rows: Sequence[str], cols: Sequence[str], means: np.ndarray, sds: np.ndarray, title: str,
                   x_title: str, y_title: str, colorbar: str, na: str,
                   texts: Sequence[Sequence[str]] | None = None) -> go.Figure:
    """Objective x setting heatmap: cell colour = mean accuracy, text = `texts` (e.g. mean [95 % CI]) or mean +- sd
    (or `na`)."""
    import plotly.graph_objects as go

    text = [list(t) for t in texts] if texts is not None else \
        [[na if np.isnan(m) else f"{m:.3f} ± {s:.3f}" for m, s in zip(mr, sr, strict=True)]
         for mr, sr in zip(means, sds, strict=True)]
    fig = go.Figure(go.Heatmap(z=means, x=list(cols), y=list(rows), text=text, texttemplate="%{text}",
                               textfont=dict(size=12), colorscale="Viridis", colorbar=dict(title=colorbar),
                               hoverongaps=False))
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title=y_title, height=120 + 42 * len(rows),
                      margin=dict(l=10, r=10, t=40, b=40), yaxis=dict(autorange="reversed"))
    return fig
