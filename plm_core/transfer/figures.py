"""Pure Plotly builders for the Transfer lab and Runs pages: data in, `go.Figure` out.

Every builder takes its words as a `FigureText` (`plm_core.figures.figure_text(lang)`): titles, axis names, and
the names of strategies and parameter groups (a run labelled "frozen" is drawn as "본체 고정" on a Korean chart).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from plm_core.figures import EN, PALETTE, FigureText, LossCurve, loss_figure

if TYPE_CHECKING:
    import plotly.graph_objects as go

# The legend sits below the x-axis title (anchored by its top, with room kept for it), never over it.
LAYOUT = dict(margin=dict(l=10, r=10, t=40, b=110), legend=dict(orientation="h", yanchor="top", y=-0.3, x=0))


def run_loss_curves(runs: Sequence[tuple[str, list[dict], list[dict]]]) -> list[LossCurve]:
    """[(label, history, steps)] -> one loss curve per run: step losses at fractional epochs, held-out per epoch."""
    return [LossCurve(label, list(zip(_fractional_epochs(steps), [s["loss"] for s in steps], strict=True)),
                      [(h["epoch"], h["test_loss"]) for h in history]) for label, history, steps in runs]


def runs_loss_figure(runs: Sequence[tuple[str, list[dict], list[dict]]], text: FigureText = EN) -> go.Figure:
    """Loss curves of Transfer-lab runs, `runs` = [(label, history, steps)]: the one loss figure."""
    return loss_figure(run_loss_curves(runs), text)


def _fractional_epochs(steps: list[dict]) -> list[float]:
    """Step records -> x positions in epochs (step k of n in epoch e sits at e - 1 + k/n)."""
    per_epoch: dict[int, int] = {}
    for s in steps:
        per_epoch[s["epoch"]] = per_epoch.get(s["epoch"], 0) + 1
    seen: dict[int, int] = {}
    xs = []
    for s in steps:
        seen[s["epoch"]] = seen.get(s["epoch"], 0) + 1
        xs.append(s["epoch"] - 1 + seen[s["epoch"]] / per_epoch[s["epoch"]])
    return xs


def accuracy_figure(runs: Sequence[tuple[str, list[dict]]], text: FigureText = EN) -> go.Figure:
    """Accuracy per epoch, training (dotted) and held-out (solid), one colour per run."""
    import plotly.graph_objects as go

    train_name, test_name = text("transfer.chart.train"), text("transfer.chart.heldout")
    fig = go.Figure()
    for i, (label, history) in enumerate(runs):
        color, name = PALETTE[i % len(PALETTE)], text.run(label)
        epochs = [h["epoch"] for h in history]
        fig.add_scatter(x=epochs, y=[h["train_accuracy"] for h in history], mode="lines+markers",
                        name=f"{name} · {train_name}", line=dict(color=color, dash="dot", width=1), legendgroup=name)
        fig.add_scatter(x=epochs, y=[h["test_accuracy"] for h in history], mode="lines+markers",
                        name=f"{name} · {test_name}", line=dict(color=color, width=2), legendgroup=name)
    fig.update_layout(title=text("transfer.chart.accuracy"), height=400, xaxis_title=text("transfer.chart.epoch"),
                      yaxis_title=text("chart.accuracy"), yaxis_range=[0, 1.02], **LAYOUT)
    return fig


def confusion_figure(confusion: list[list[int]], labels: Sequence[str], text: FigureText = EN) -> go.Figure:
    """Counts of (true label, predicted label) on the test texts."""
    import plotly.graph_objects as go

    z = np.asarray(confusion)
    fig = go.Figure(go.Heatmap(z=z, x=list(labels), y=list(labels), colorscale="Blues", text=z,
                               texttemplate="%{text}", showscale=False))
    fig.update_layout(title=text("transfer.chart.confusion"), height=120 + 40 * len(labels),
                      xaxis_title=text("transfer.chart.pred"), yaxis_title=text("transfer.chart.true"),
                      yaxis_autorange="reversed", margin=dict(l=10, r=10, t=40, b=10))
    return fig


def layer_weights_figure(weights: Sequence[float], gamma: float | None = None, text: FigureText = EN) -> go.Figure:
    """The learned ELMo mix softmax(lambda) as bars, one per layer, numbered as the layer slider: 0 = embeddings.

    The x axis is categorical with a range over every bar (numeric-looking names made Plotly pick a linear
    axis from 0.5 that hid layer 0); the y axis starts at 0 with room above the tallest bar for its label.
    """
    import plotly.graph_objects as go

    names = [str(i) for i in range(len(weights))]
    fig = go.Figure(go.Bar(x=names, y=list(weights), marker_color=PALETTE[0], text=[f"{w:.2f}" for w in weights],
                           textposition="outside", cliponaxis=False))
    uniform = 1.0 / max(len(weights), 1)
    fig.add_hline(y=uniform, line_dash="dot", annotation_text=text("chart.uniform", w=uniform),
                  annotation_position="top left", annotation_bgcolor="rgba(255,255,255,0.8)")
    suffix = f"  (γ = {gamma:.2f})" if gamma is not None else ""
    top = max([*weights, uniform]) * 1.25
    fig.update_layout(title=text("transfer.chart.mix") + suffix, height=300, xaxis_title=text("transfer.chart.layer"),
                      yaxis_title="softmax(λ)",
                      xaxis=dict(type="category", categoryorder="array", categoryarray=names,
                                 range=[-0.5, len(names) - 0.5]),
                      yaxis=dict(range=[0, top]), margin=dict(l=10, r=10, t=40, b=10))
    return fig


def drift_frame(labels: Sequence[str], drifts: Sequence[dict[str, float] | None]) -> pd.DataFrame:
    """Rows = runs, columns = body groups bottom to top (the head is left out: it starts from noise)."""
    rows = {label: {k: v for k, v in (d or {}).items() if k not in ("head", "mix")}
            for label, d in zip(labels, drifts, strict=False)}
    frame = pd.DataFrame(rows).T
    order = [c for c in frame.columns if c == "embeddings"] + sorted(
        [c for c in frame.columns if c.startswith("layer.")], key=lambda c: int(c.split(".")[1]))
    order += [c for c in frame.columns if c not in order]
    return frame[order] if len(frame.columns) else frame


def drift_heatmap(labels: Sequence[str], drifts: Sequence[dict[str, float] | None],
                  text: FigureText = EN) -> go.Figure:
    """Relative weight change ||W - W0|| / ||W0|| per run and group: where learning happened. Runs are shown by
    their strategy's name, groups as the surgery table names them, layers numbered as the slider (1..L)."""
    import plotly.graph_objects as go

    frame = drift_frame(labels, drifts)
    z = frame.to_numpy(dtype=float)
    cells = [[("0" if v == 0 else f"{v:.1e}") if np.isfinite(v) else "" for v in row] for row in z]
    groups = [text.group(c) for c in frame.columns]
    fig = go.Figure(go.Heatmap(z=z, x=groups, y=[text.run(r) for r in frame.index], colorscale="YlOrRd", text=cells,
                               texttemplate="%{text}", textfont=dict(size=11), zmin=0, colorbar=dict(title="ΔW/W")))
    fig.update_layout(title=text("transfer.chart.drift"), height=140 + 45 * len(frame),
                      xaxis_title=text("transfer.chart.group"),
                      yaxis_autorange="reversed", margin=dict(l=10, r=10, t=40, b=10))
    return fig


def slider_layer_name(name: str, template: str = "layer {n}") -> str:
    """Group name as the layer slider numbers it: "layer.0" (the first block) -> "layer 1"; others unchanged."""
    if name.startswith("layer.") and name.split(".", 1)[1].isdigit():
        return template.format(n=int(name.split(".", 1)[1]) + 1)
    return name


def surgery_display(rows: Sequence[dict], text: FigureText = EN) -> pd.DataFrame:
    """The head-surgery rows as a readable table: layers numbered as the slider (1..L, embeddings = 0), a
    learning rate only where the optimizer trains the group ("—" when frozen, unused or dropped), parameter
    counts with separators; group names, origins and statuses in the text's language ("frozen" -> "고정")."""
    frame = pd.DataFrame(list(rows))
    if frame.empty:
        return frame
    trainable = frame["status"] == "trainable"
    frame["lr"] = [f"{v:.1e}" if ok and v is not None and np.isfinite(v) else "—"
                   for v, ok in zip(frame["lr"], trainable, strict=True)]
    frame["n_params"] = frame["n_params"].map(lambda v: f"{int(v):,}")
    frame["name"] = frame["name"].map(text.group)
    frame["origin"] = frame["origin"].map(text.group)
    frame["status"] = frame["status"].map(text.group)
    cols = ["name", "origin", "status", "lr", "n_params"]
    if "n_trainable" in frame and (frame["status"] == "partial").any():  # BitFit / LoRA: the part that learns
        frame["n_trainable"] = frame["n_trainable"].map(lambda v: "" if pd.isna(v) else f"{int(v):,}")
        cols.append("n_trainable")
    if "lora_rank" in frame and (frame["lora_rank"] > 0).any():
        cols.append("lora_rank")
    if "unfreeze_epoch" in frame and frame["unfreeze_epoch"].notna().any():
        frame["unfreeze_epoch"] = frame["unfreeze_epoch"].map(lambda v: "" if pd.isna(v) else str(int(v)))
        cols.append("unfreeze_epoch")
    return frame[cols]


def share_text(trainable: int, total: int) -> str:
    """The trainable share with enough digits to be non-zero: 770 of 22.6M -> "0.0034%" (never "0.00%")."""
    share = 100 * trainable / max(total, 1)
    if share == 0 or share >= 1:
        return f"{share:.1f}%"
    return f"{share:.2g}%"


def runs_figure(runs: Sequence[dict], metric: str = "test_accuracy", text: FigureText = EN) -> go.Figure:
    """Selected stored runs on one chart: `metric` per epoch from each run's history; a run is named by its number,
    backbone and strategy (or few-shot method) in the text's language."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, run in enumerate(runs):
        history = (run.get("curves") or {}).get("history") or []
        cfg = run.get("config") or {}
        how = cfg.get("strategy") or cfg.get("mode")
        name = f"#{run['id']} {cfg.get('backbone', '')} · " + (
            text.run(how) if how else text.method(cfg["method"]) if cfg.get("method") else run.get("kind", ""))
        if history and metric in history[0]:
            fig.add_scatter(x=[h.get("epoch", j + 1) for j, h in enumerate(history)],
                            y=[h.get(metric) for h in history], mode="lines+markers", name=name,
                            line=dict(color=PALETTE[i % len(PALETTE)]))
        elif metric in (run.get("metrics") or {}):
            fig.add_scatter(x=[0], y=[run["metrics"][metric]], mode="markers", name=name,
                            marker=dict(color=PALETTE[i % len(PALETTE)], size=10))
    fig.update_layout(height=420, xaxis_title=text("transfer.chart.epoch"), yaxis_title=text(f"col.{metric}"),
                      **LAYOUT)
    return fig


def schedule_figure(runs: Sequence[tuple[str, list[dict]]], text: FigureText = EN) -> go.Figure:
    """The learning rate every step used (the top group's), one line per run: drawn next to the loss."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (label, steps) in enumerate(runs):
        points = [(s["step"], s["lr"]) for s in steps if s.get("lr") is not None]
        if points:
            fig.add_scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="lines", name=text.run(label),
                            line=dict(color=PALETTE[i % len(PALETTE)], width=2))
    fig.update_layout(title=text("transfer.chart.schedule"), height=340, xaxis_title=text("transfer.chart.step"),
                      yaxis_title=text("term.lr"), yaxis_exponentformat="e", **LAYOUT)
    return fig


def share_figure(table: pd.DataFrame, text: FigureText = EN) -> go.Figure:
    """Accuracy (mean ± sample sd over seeds) against the trainable share of parameters, log x: a point per
    strategy, named in the text's language."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, row in enumerate(table.to_dict(orient="records")):
        name = text.run(row["strategy"])
        fig.add_scatter(x=[max(row["trainable_share"], 1e-6)], y=[row["accuracy_mean"]], mode="markers+text",
                        name=name, text=[name], textposition="top center",
                        error_y=dict(type="data", array=[row["accuracy_sd"]], visible=row["seeds"] > 1),
                        marker=dict(size=12, color=PALETTE[i % len(PALETTE)]))
    fig.update_layout(title=text("transfer.chart.share"), height=380, xaxis_title=text("transfer.chart.share_x"),
                      yaxis_title=text("transfer.metric.accuracy"), xaxis_type="log",
                      xaxis_tickformat=".1%", showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def embedding_map_figure(points: Sequence[dict], text: FigureText = EN, title: str = "setfit.map.before") -> go.Figure:
    """2-D map of sentence vectors, a colour per label; labelled (K-shot) texts large, test texts small."""
    import plotly.graph_objects as go

    train_name, test_name = text("setfit.map.train"), text("setfit.map.test")
    fig = go.Figure()
    labels = list(dict.fromkeys(p["label"] for p in points))
    for i, label in enumerate(labels):
        for split, size, name in (("test", 6, test_name), ("train", 13, train_name)):
            pts = [p for p in points if p["label"] == label and p["split"] == split]
            if pts:
                fig.add_scatter(x=[p["x"] for p in pts], y=[p["y"] for p in pts], mode="markers",
                                name=f"{label} · {name}", legendgroup=label,
                                marker=dict(size=size, color=PALETTE[i % len(PALETTE)],
                                            opacity=0.45 if split == "test" else 1,
                                            line=dict(width=1, color="black") if split == "train" else None))
    fig.update_layout(title=text(title), height=380, xaxis_title="PCA 1", yaxis_title="PCA 2", **LAYOUT)
    return fig
