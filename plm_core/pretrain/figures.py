"""Pure Plotly figures for the "Pretraining" page (data in, `go.Figure` out; words through a `FigureText`)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from plm_core.figures import EN, FigureText, LossCurve, loss_figure

OBJECTIVE_ORDER = ("mlm", "clm", "span", "bilm", "sgns")


def loss_curve_figure(history: Sequence[tuple[int, float]], val_history: Sequence[tuple[int, float]],
                      text: FigureText = EN, total_steps: int | None = None) -> go.Figure:
    """Training loss per step (thin) and validation loss at each evaluation (markers): the one loss figure."""
    return loss_figure([LossCurve("", list(history), list(val_history))], text, title="pretrain.fig.live_title",
                       x_title="pretrain.fig.step", y_title="pretrain.fig.loss", train="pretrain.fig.train",
                       held_out="pretrain.fig.valid", window=1, height=340,
                       x_range=(0, total_steps) if total_steps else None)


def checkpoint_comparison_figure(cards: dict[str, dict], text: FigureText = EN) -> go.Figure:
    """Grouped bars: each shipped checkpoint's validation loss next to its random-init twin's."""
    objectives = [o for o in OBJECTIVE_ORDER if o in cards]
    names = [cards[o]["name"] for o in objectives]
    trained = [cards[o]["final_val_loss"] for o in objectives]
    random = [cards[o]["random_init_val_loss"] for o in objectives]
    fig = go.Figure([
        go.Bar(x=names, y=random, name=text("pretrain.fig.random"), marker_color="#b0b0b0",
               text=[f"{v:.2f}" for v in random], textposition="outside"),
        go.Bar(x=names, y=trained, name=text("pretrain.fig.trained"), marker_color="#3366cc",
               text=[f"{v:.2f}" for v in trained], textposition="outside"),
    ])
    fig.update_layout(barmode="group", title=text("pretrain.fig.compare_title"),
                      yaxis_title=text("pretrain.fig.loss"), height=380, margin=dict(l=40, r=10, t=50, b=40),
                      legend=dict(orientation="h", y=-0.2))
    return fig


def ranked_bar_figure(ranked: Sequence[tuple[str, float]], text: FigureText = EN, value: str = "probability",
                      title: str = "") -> go.Figure:
    """Horizontal bars of top-k predictions (best on top): probabilities or cosine similarities."""
    labels = [w for w, _ in ranked][::-1]
    values = [v for _, v in ranked][::-1]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", text=[f"{v:.2f}" for v in values],
                           textposition="auto", marker_color="#3366cc"))
    key = "pretrain.fig.similarity" if value == "similarity" else "pretrain.fig.probability"
    fig.update_layout(title=title or None, xaxis_title=text(key), height=60 + 28 * max(len(labels), 1),
                      margin=dict(l=10, r=10, t=30 if title else 10, b=40))
    if value != "similarity":
        fig.update_xaxes(range=[0, max(values + [0.01]) * 1.15])
    return fig


HIGHLIGHT = {"mask": "#f4a261", "random": "#e76f51", "keep": "#2a9d8f", "sentinel": "#8ab17d", "target": "#e9c46a"}


def pieces_html(pieces: Sequence[str], marks: dict[int, str] | None = None) -> str:
    """Pieces as chips; `marks` maps a position to a HIGHLIGHT kind (masked, random, kept, sentinel, target)."""
    from plm_core.figures import chips_html

    marks = marks or {}
    return chips_html(pieces, [HIGHLIGHT.get(marks.get(i, ""), "#e8e8e8") for i in range(len(pieces))])


def example_marks(objective: str, inputs: Sequence[str], positions: Sequence[int],
                  kinds: Sequence[str] = ()) -> dict[int, str]:
    """Which input chips to colour: MLM corrupted positions by kind, T5 sentinels."""
    if objective == "mlm":
        return dict(zip(positions, kinds, strict=False))
    if objective == "span":
        return {i: "sentinel" for i, p in enumerate(inputs) if p.startswith("<extra_id_")}
    return {}
