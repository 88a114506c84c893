"""Pure figure and table builders for the few-shot page: data in, Plotly figure / DataFrame out (words through the
figure's `FigureText`: methods by their names, never their code names)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from plm_core.figures import EN, PALETTE, FigureText, frame_sd

if TYPE_CHECKING:
    import plotly.graph_objects as go

METHOD_COLORS = {"similarity": PALETTE[4], "prompt": PALETTE[1], "cloze": PALETTE[5], "frozen": PALETTE[0],
                 "finetune": PALETTE[3]}
ZERO_ONLY = ("similarity", "cloze")


def k_position(k: float) -> float:
    """x position of K on a log-like axis that still shows K = 0: log2(K + 1)."""
    return float(np.log2(k + 1))


def _band(fig: go.Figure, xs: list[float], lo: list[float], hi: list[float], color: str, group: str) -> None:
    fig.add_scatter(x=xs + xs[::-1], y=hi + lo[::-1], fill="toself", fillcolor=color + "33", mode="lines",
                    line=dict(width=0), hoverinfo="skip", showlegend=False, legendgroup=group)


def curve_figure(summary: pd.DataFrame, shots: Sequence[int], text: FigureText = EN, metric: str = "acc",
                 majority: float | None = None, crossovers: Sequence = (), height: int = 430) -> go.Figure:
    """Mean accuracy (or macro-F1) against K per method, with a mean ± sd band (sample sd over seeds), chance line
    and crossovers.

    summary: rows (method, k, acc_mean, acc_std, f1_mean, f1_std, n) from `curves.summarize`.
    Zero-shot-only methods (similarity, cloze) are drawn as a dashed line across every K.
    """
    import plotly.graph_objects as go

    shots = sorted(set(int(k) for k in shots) | set(int(k) for k in summary.get("k", [])))
    x_all = [k_position(k) for k in shots] or [0.0]
    fig = go.Figure()
    for key, rows in summary.groupby("method", sort=False):
        method, rows = str(key), rows.sort_values("k")
        color, name = METHOD_COLORS.get(method, PALETTE[7]), text.method(method)
        mean, std = rows[f"{metric}_mean"].tolist(), rows[f"{metric}_std"].fillna(0).tolist()
        if method in ZERO_ONLY:
            value = mean[0]
            fig.add_scatter(x=[x_all[0], x_all[-1]], y=[value, value], mode="lines", name=name, legendgroup=method,
                            line=dict(color=color, dash="dash"), hovertemplate=f"{name}: %{{y:.3f}}<extra></extra>")
            continue
        xs = [k_position(k) for k in rows["k"]]
        _band(fig, xs, [m - s for m, s in zip(mean, std, strict=True)], [m + s for m, s in zip(mean, std, strict=True)],
              color, method)
        fig.add_scatter(x=xs, y=mean, mode="lines+markers", name=name, legendgroup=method, line=dict(color=color),
                        customdata=np.stack([rows["k"], std, rows["n"]], axis=1),
                        hovertemplate="K=%{customdata[0]}: %{y:.3f} ± %{customdata[1]:.3f} (n=%{customdata[2]})"
                                      "<extra>" + name + "</extra>")
    if majority is not None:
        fig.add_scatter(x=[x_all[0], x_all[-1]], y=[majority, majority], mode="lines",
                        name=text("fewshot.fig.chance"),
                        line=dict(color="#999999", dash="dot"), hoverinfo="skip")
    for c in crossovers:
        fig.add_scatter(x=[k_position(c.k)], y=[c.accuracy], mode="markers", showlegend=False,
                        marker=dict(symbol="star", size=18, color=METHOD_COLORS.get(c.method, "#000"),
                                    line=dict(color="black", width=1)),
                        hovertemplate=text("fewshot.fig.crossover", method=text.method(c.method), k=c.k)
                        + "<extra></extra>")
        fig.add_annotation(x=k_position(c.k), y=c.accuracy, text=f"K={c.k}", showarrow=True, arrowhead=2, ay=-30)
    fig.update_layout(
        height=height, margin=dict(l=10, r=10, t=30, b=10), legend=dict(orientation="h", y=-0.2),
        xaxis=dict(title=text("fewshot.fig.k_axis"), tickvals=x_all, ticktext=[str(k) for k in shots]),
        yaxis=dict(title=text("fewshot.fig.acc_axis" if metric == "acc" else "fewshot.fig.f1_axis")),
    )
    return fig


def summary_table(summary: pd.DataFrame, text: FigureText = EN) -> pd.DataFrame:
    """The numbers behind the curves, one row per (method, K), readable column names."""
    table = summary.copy()
    table["method"] = [text.method(m) for m in table["method"]]
    for col in ("acc_mean", "acc_std", "f1_mean", "f1_std"):
        table[col] = table[col].astype(float).round(3)
    names = {c: text(f"fewshot.table.{c}") for c in table.columns}
    return table.rename(columns=names)


def sensitivity_figure(rows: pd.DataFrame, text: FigureText = EN, height: int = 360) -> go.Figure:
    """Accuracy of each template over demonstration orders: one box with its points per template."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (template, grp) in enumerate(rows.groupby("template", sort=True)):
        label = text("fewshot.sens.template_n", n=template)
        fig.add_box(y=grp["accuracy"], name=label, boxpoints="all", jitter=0.3, pointpos=0,
                    marker_color=PALETTE[i % len(PALETTE)], customdata=grp["order"],
                    hovertemplate=text("fewshot.sens.order") + " %{customdata}: %{y:.3f}<extra></extra>")
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
                      yaxis=dict(title=text("fewshot.fig.acc_axis")))
    return fig


def sensitivity_table(rows: pd.DataFrame, text: FigureText = EN) -> pd.DataFrame:
    """Per template: mean, sd (sample sd), min and max accuracy over the demonstration orders."""
    if rows.empty:
        return pd.DataFrame()
    g = rows.groupby(["template", "template_text"])["accuracy"]
    out = pd.DataFrame({"mean": g.mean(), "std": frame_sd(g), "min": g.min(), "max": g.max()}).round(3).reset_index()
    return out.rename(columns={c: text(f"fewshot.sens.col.{c}") for c in out.columns})
