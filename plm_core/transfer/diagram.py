"""The transfer diagram, drawn from the optimizer's group plan (the same rows as the head-surgery table).

    phi (the pretrained body): embeddings, layer 1..L      grey = frozen, coloured = trainable
    psi (the new head) on top, the dropped old head crossed out beside it
    right: each trainable group's learning rate as a bar (log scale)

Pure: rows in (GroupInfo.as_row() dicts, read back from the optimizer), a Plotly figure out; the text comes
in already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plm_core.diagrams import FONTS, GREY, NEW_COLOUR, STATUS_COLOURS, text_width
from plm_core.transfer.figures import slider_layer_name

if TYPE_CHECKING:
    import plotly.graph_objects as go

COLOURS = STATUS_COLOURS  # one palette with the concept diagrams (plm_core.diagrams)
ROW_PX = 36  # px per group: a box holds its label at FONTS.label


@dataclass(frozen=True)
class DiagramText:
    title: str = ""
    body: str = "φ pretrained body"
    head: str = "ψ new head"
    lr_axis: str = "learning rate"
    layer: str = "layer {n}"
    status: dict[str, str] = field(default_factory=lambda: {"trainable": "trainable", "frozen": "frozen",
                                                            "unused": "unused", "dropped": "dropped"})
    names: dict[str, str] = field(default_factory=dict)  # group name -> shown name ("embeddings" -> ...)


def diagram_rows(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows bottom to top as drawn: body groups by depth, then the new parts, the dropped head last."""
    kept = [r for r in rows if r["status"] != "dropped"]
    body = [r for r in kept if r["origin"] != "new"]
    new = [r for r in kept if r["origin"] == "new"]
    return body + new + [r for r in rows if r["status"] == "dropped"]


def trainable_groups(fig: go.Figure) -> list[str]:
    """The group names the diagram draws as trainable (read back from the figure, for tests and exports)."""
    boxes = fig.data[0]
    names, statuses = boxes.customdata[:, 0], boxes.customdata[:, 1]
    return [name for name, status in zip(names, statuses, strict=True) if status == "trainable"]


def _label(row: dict[str, Any], text: DiagramText) -> str:
    name = text.names.get(row["name"], slider_layer_name(row["name"], text.layer))
    status = text.status.get(row["status"], row["status"])
    mark = "✗ " if row["status"] == "dropped" else ""
    return f"{mark}{name} · {status} · {int(row['n_params']):,}"


def transfer_diagram(rows: Sequence[dict[str, Any]], text: DiagramText | None = None) -> go.Figure:
    """The layer stack as boxes (colour = what the optimizer does with each group) + learning-rate bars."""
    text = text or DiagramText()
    import numpy as np
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    ordered = diagram_rows(rows)
    y = list(range(len(ordered)))
    colours = [NEW_COLOUR if r["origin"] == "new" and r["status"] == "trainable"
               else COLOURS.get(r["status"], GREY) for r in ordered]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.62, 0.38], horizontal_spacing=0.02)
    fig.add_trace(go.Bar(
        x=[1] * len(ordered), y=y, orientation="h", marker=dict(color=colours, line=dict(color="#555", width=1),
        pattern=dict(shape=["x" if r["status"] == "dropped" else "" for r in ordered])),
        text=[_label(r, text) for r in ordered], textposition="inside", insidetextanchor="middle",
        textfont=dict(size=FONTS.label),
        customdata=np.array([[r["name"], r["status"]] for r in ordered], dtype=object), hoverinfo="text",
        showlegend=False), row=1, col=1)
    lrs = [r["lr"] if r["status"] == "trainable" and r["lr"] else None for r in ordered]
    fig.add_trace(go.Bar(x=lrs, y=y, orientation="h", marker_color=colours, showlegend=False,
                         text=[f"{v:.0e}" if v else "" for v in lrs], textposition="outside",
                         textfont=dict(size=FONTS.small), cliponaxis=False,
                         hovertemplate="%{x:.1e}<extra></extra>"), row=1, col=2)
    n_body = sum(1 for r in ordered if r["origin"] != "new" and r["status"] != "dropped")
    _brace(fig, 0, n_body - 1, text.body)
    if n_body < len(ordered):
        _brace(fig, n_body, len(ordered) - 1, text.head)
    fig.update_yaxes(visible=False, range=[-0.6, len(ordered) - 0.4])
    fig.update_xaxes(visible=False, range=[0, 1], row=1, col=1)
    fig.update_xaxes(type="log", title_text=text.lr_axis, row=1, col=2, visible=any(lrs),  # frozen: no rates
                     range=lr_range(lrs), dtick=1, tickformat=".0e", tickfont=dict(size=FONTS.small))
    fig.update_layout(title=dict(text=text.title, font=dict(size=FONTS.title)), height=120 + ROW_PX * len(ordered),
                      bargap=0.15, margin=dict(l=brace_margin(text), r=10, t=48, b=48),
                      uniformtext=dict(minsize=FONTS.small, mode="show"))  # Plotly would shrink box labels to fit
    return fig


def lr_range(lrs: Sequence[float | None]) -> list[float] | None:
    """The log-axis range (log10 units) with room right of the largest rate for its printed value."""
    import math

    rates = [v for v in lrs if v]
    if not rates:
        return None
    return [math.log10(min(rates)) - 0.3, math.log10(max(rates)) + 0.6]


def brace_margin(text: DiagramText) -> int:
    """The left margin (px) that holds the phi / psi labels beside their braces."""
    return int(max(text_width(text.body, FONTS.small), text_width(text.head, FONTS.small)) + 30)


def _brace(fig: go.Figure, lo: int, hi: int, label: str) -> None:
    """A bracket left of the stack from box lo to box hi, with its label (phi / psi)."""
    if hi < lo:
        return
    fig.add_shape(type="line", xref="paper", yref="y", x0=-0.02, x1=-0.02, y0=lo - 0.4, y1=hi + 0.4,
                  line=dict(color="#333", width=2))
    fig.add_annotation(xref="paper", yref="y", x=-0.03, y=(lo + hi) / 2, text=label, showarrow=False,
                       xanchor="right", font=dict(size=FONTS.small))
