"""The teacher view's chart: how the class predicted one step (a pure function, text passed in)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go


def predictions_figure(counts: Mapping[str, int], labels: Mapping[str, str], title: str, y_title: str,
                       answer: str | None = None, height: int = 320) -> go.Figure:
    """One bar per answer (labels: answer -> its text in the user's language); the outcome's bar in green."""
    import plotly.graph_objects as go

    answers = list(counts)
    colours = ["#2ca02c" if answer is not None and a == str(answer).lower() else "#1f77b4" for a in answers]
    fig = go.Figure(go.Bar(x=[labels.get(a, a) for a in answers], y=[counts[a] for a in answers],
                           marker_color=colours, text=[counts[a] for a in answers], textposition="outside"))
    top = max(counts.values(), default=1)
    fig.update_layout(title=title, yaxis_title=y_title, height=height, margin={"t": 50, "b": 40, "l": 50, "r": 20},
                      yaxis={"range": [0, top * 1.25 + 0.5], "dtick": max(1, round(top / 5))})
    return fig
