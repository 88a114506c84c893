"""Pure Plotly figures for the "Pretraining" page (data in, `go.Figure` out; text through `t`)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from plm_core.i18n import t

OBJECTIVE_ORDER = ("mlm", "clm", "span", "bilm", "sgns")


def loss_curve_figure(history: Sequence[tuple[int, float]], val_history: Sequence[tuple[int, float]],
                      lang: str = "en", total_steps: int | None = None) -> go.Figure:
    """Training loss per step (thin) and validation loss at each evaluation (markers)."""
    fig = go.Figure()
    if history:
        steps, losses = zip(*history, strict=True)
        fig.add_trace(go.Scatter(x=steps, y=losses, mode="lines", name=t("pretrain.fig.train", lang),
                                 line=dict(width=1)))
    if val_history:
        steps, losses = zip(*val_history, strict=True)
        fig.add_trace(go.Scatter(x=steps, y=losses, mode="lines+markers", name=t("pretrain.fig.valid", lang)))
    fig.update_layout(title=t("pretrain.fig.live_title", lang), xaxis_title=t("pretrain.fig.step", lang),
                      yaxis_title=t("pretrain.fig.loss", lang), height=340, margin=dict(l=40, r=10, t=40, b=40),
                      legend=dict(orientation="h", y=-0.25))
    if total_steps:
        fig.update_xaxes(range=[0, total_steps])
    return fig


def checkpoint_comparison_figure(cards: dict[str, dict], lang: str = "en") -> go.Figure:
    """Grouped bars: each shipped checkpoint's validation loss next to its random-init twin's."""
    objectives = [o for o in OBJECTIVE_ORDER if o in cards]
    names = [cards[o]["name"] for o in objectives]
    trained = [cards[o]["final_val_loss"] for o in objectives]
    random = [cards[o]["random_init_val_loss"] for o in objectives]
    fig = go.Figure([
        go.Bar(x=names, y=random, name=t("pretrain.fig.random", lang), marker_color="#b0b0b0",
               text=[f"{v:.2f}" for v in random], textposition="outside"),
        go.Bar(x=names, y=trained, name=t("pretrain.fig.trained", lang), marker_color="#3366cc",
               text=[f"{v:.2f}" for v in trained], textposition="outside"),
    ])
    fig.update_layout(barmode="group", title=t("pretrain.fig.compare_title", lang),
                      yaxis_title=t("pretrain.fig.loss", lang), height=380, margin=dict(l=40, r=10, t=50, b=40),
                      legend=dict(orientation="h", y=-0.2))
    return fig


def ranked_bar_figure(ranked: Sequence[tuple[str, float]], lang: str = "en", value: str = "probability",
                      title: str = "") -> go.Figure:
    """Horizontal bars of top-k predictions (best on top): probabilities or cosine similarities."""
    labels = [w for w, _ in ranked][::-1]
    values = [v for _, v in ranked][::-1]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h", text=[f"{v:.2f}" for v in values],
                           textposition="auto", marker_color="#3366cc"))
    key = "pretrain.fig.similarity" if value == "similarity" else "pretrain.fig.probability"
    fig.update_layout(title=title or None, xaxis_title=t(key, lang), height=60 + 28 * max(len(labels), 1),
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
