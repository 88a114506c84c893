"""Pure Plotly builders for the Embeddings and Attention pages: data in, `go.Figure` out.

The fixed words of a figure (legend and series names, axis names, hover labels) come from its `FigureText`
(`plm_core.figures.figure_text(lang)`); a title that depends on the data (a layer, a head, a word) is made by
the caller from the same catalog. Token axes are numeric with tick labels, because Plotly would merge repeated
tokens ('the', 'the') on a categorical axis.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from plm_core.explorer.attention import LARGE_SIDE, pool_matrix
from plm_core.explorer.masks import ALLOWED, BLOCKED, PADDING, MaskMatrix
from plm_core.figures import EN, PALETTE, FigureText, fit_titles

MAX_TICK_LABELS = 100  # token axes with more pieces than this get no per-token labels
HOVER_CELLS = 64 * 64  # heatmaps with more cells get position-only hover text
MARGIN = dict(l=10, r=10, t=50, b=10)


# Kelly's colours of maximum contrast (white and black left out): 20 hues no two of which look alike, so an
# 11-topic map never gives two topics the same (or a near-same) colour.
DISTINCT = ["#F3C300", "#0067A5", "#BE0032", "#A1CAF1", "#2B3D26", "#875692", "#F99379", "#8DB600", "#E25822",
            "#008856", "#882D17", "#C2B280", "#B3446C", "#F38400", "#E68FAC", "#848482", "#654522", "#604E97",
            "#F6A600", "#DCD300"]  # ordered so that every prefix keeps its colours as far apart as possible


def sense_colors(keys: Sequence[str]) -> dict[str, str]:
    """One colour per key, in first-seen order: the shared palette for a few keys, distinct hues for many."""
    unique = list(dict.fromkeys(keys))
    palette = PALETTE[:10] if len(unique) <= 10 else DISTINCT
    return {k: palette[i % len(palette)] for i, k in enumerate(unique)}


def _wrap(text: str, width: int = 60) -> str:
    """A user's text for a hover, as its characters (Plotly would read `<b>`, `<a href>` in it), in lines."""
    words, lines, line = html.escape(text, quote=False).split(), [], ""
    for w in words:
        if len(line) + len(w) > width and line:
            lines.append(line)
            line = ""
        line = f"{line} {w}".strip()
    return "<br>".join(lines + [line])


# ---- embeddings ------------------------------------------------------------------------------------
def word_map_figure(
    contextual: pd.DataFrame, static: pd.DataFrame | None, names: Mapping[str, str], titles: tuple[str, str],
    static_note: str = "", fixed_range: bool = True,
) -> go.Figure:
    """Left: the static vector (one point for every sentence) among sense anchors. Right: contextual points.

    contextual: columns x, y, sense, text, pieces. static: columns x, y, name, sense ("" = the word itself),
    hover. `names` maps sense keys to the names shown in the legend. `fixed_range`: both panels span
    [-1, 1] (PCA of unit vectors), so a tight cluster looks tight.
    """
    colors = sense_colors(list(names))
    fig = make_subplots(rows=1, cols=2, subplot_titles=titles, horizontal_spacing=0.08)
    if static is not None and len(static):
        anchors = static[static["sense"] != ""]
        for key, part in anchors.groupby("sense", sort=False):
            sense = str(key)
            fig.add_scatter(x=part["x"], y=part["y"], mode="markers+text", text=part["name"],
                            textposition="top center",
                            marker=dict(size=8, color=colors.get(sense, "#999"), opacity=0.55),
                            name=names.get(sense, sense), legendgroup=sense, showlegend=False, hoverinfo="text",
                            row=1, col=1)
        word = static[static["sense"] == ""]
        fig.add_scatter(x=word["x"], y=word["y"], mode="markers+text", text=word["name"], textposition="bottom center",
                        marker=dict(size=22, symbol="star", color="#1F2430"), hovertext=word["hover"], hoverinfo="text",
                        showlegend=False, row=1, col=1)
    elif static_note:
        fig.add_annotation(text=static_note, x=0.2, y=0.5, xref="paper", yref="paper", showarrow=False)
    for key, part in contextual.groupby("sense", sort=False):
        sense = str(key)
        hover = [f"<b>{names.get(sense, sense)}</b><br>{_wrap(t)}<br><i>{p}</i>"
                 for t, p in zip(part["text"], part["pieces"], strict=True)]
        fig.add_scatter(x=part["x"], y=part["y"], mode="markers", marker=dict(size=13, color=colors.get(sense, "#999"),
                        line=dict(width=1, color="white")), name=names.get(sense, sense), legendgroup=sense,
                        hovertext=hover, hoverinfo="text", row=1, col=2)
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    if fixed_range:
        frames = [contextual] + ([static] if static is not None and len(static) else [])
        reach = max([1.0] + [float(np.abs(f[["x", "y"]].to_numpy()).max()) * 1.1 for f in frames if len(f)])
        fig.update_xaxes(range=[-reach, reach])
        fig.update_yaxes(range=[-reach, reach])
    fig.update_layout(height=480, margin=dict(l=10, r=10, t=70, b=10), legend=dict(orientation="h", y=-0.05))
    fig.update_annotations(font_size=13)
    return fig


def similarity_heatmap(sim: np.ndarray, labels: Sequence[str], texts: Sequence[str], names: Mapping[str, str],
                       title: str = "") -> go.Figure:
    """Cosine similarity between the word's occurrences, sentences grouped by sense."""
    order = sorted(range(len(labels)), key=lambda i: list(names).index(labels[i]) if labels[i] in names else 0)
    sim = sim[np.ix_(order, order)]
    ticks = [f"{i + 1}. {names.get(labels[j], labels[j])}" for i, j in enumerate(order)]
    hover = [[f"{_wrap(texts[order[r]], 50)}<br>↔<br>{_wrap(texts[order[c]], 50)}<br>cos = {sim[r, c]:.3f}"
              for c in range(len(order))] for r in range(len(order))]
    fig = go.Figure(go.Heatmap(z=sim, x=list(range(len(order))), y=list(range(len(order))),
                               zmin=min(0.0, float(sim.min())),
                               zmax=1.0, colorscale="Viridis", hovertext=hover, hoverinfo="text"))
    axis = dict(tickvals=list(range(len(order))), ticktext=ticks)
    fig.update_layout(title=title, height=460, margin=dict(l=10, r=10, t=60, b=10), xaxis=axis,
                      yaxis=dict(autorange="reversed", **axis))
    return fig


CONTEXTUALITY = ("all", "same_sense", "different_sense", "baseline")  # the columns drawn, `embeddings.ctx.<col>`


def contextuality_figure(df: pd.DataFrame, text: FigureText = EN, layer: int | None = None,
                         static_name: str = "") -> go.Figure:
    """Lines per layer: mean similarity of occurrences (all / same sense / different sense) and the baseline.

    `static_name`: draw that static model's line (1.0 at every layer).
    """
    series = {c: text(f"embeddings.ctx.{c}") for c in CONTEXTUALITY}
    static_label = text("embeddings.ctx.static", name=static_name) if static_name else ""
    styles = {"all": dict(color="#1F2430", width=3), "same_sense": dict(color=PALETTE[2]),
              "different_sense": dict(color=PALETTE[3]), "baseline": dict(color="#999999", dash="dot"),
              "static": dict(color=PALETTE[1], dash="dash")}
    fig = go.Figure()
    for col, name in series.items():
        if col in df and df[col].notna().any():
            fig.add_scatter(x=df["layer"], y=df[col], mode="lines+markers", name=name, line=styles.get(col, {}))
    if static_label:
        fig.add_scatter(x=df["layer"], y=np.ones(len(df)), mode="lines", name=static_label, line=styles["static"])
    if layer is not None:
        fig.add_vline(x=layer, line=dict(color="#BBBBBB", width=1))
    fig.update_layout(title=text("embeddings.ctx.title"), height=460, margin=dict(l=10, r=10, t=60, b=10),
                      xaxis_title=text("embeddings.ctx.x"), yaxis_title=text("embeddings.ctx.y"),
                      xaxis=dict(dtick=1 if len(df) <= 13 else 5),
                      legend=dict(orientation="h", y=-0.2))
    return fig


def sentence_map_figure(points: np.ndarray, labels: Sequence[str], texts: Sequence[str], title: str,
                        highlight: int | None = None, neighbours: Sequence[int] = ()) -> go.Figure:
    """Sentence vectors in 2-D, coloured by label; the chosen sentence and its neighbours are ringed."""
    colors = sense_colors(sorted(set(labels)))
    fig = go.Figure()
    labels_arr = np.asarray(labels)
    for label, color in colors.items():
        idx = np.flatnonzero(labels_arr == label)
        shown = html.escape(str(label), quote=False)  # a user's label: its characters, not markup
        fig.add_scattergl(x=points[idx, 0], y=points[idx, 1], mode="markers", name=str(label),
                          marker=dict(size=7, color=color, opacity=0.75),
                          hovertext=[f"<b>{shown}</b><br>{_wrap(texts[int(i)])}" for i in idx], hoverinfo="text")
    if neighbours:
        nb = list(neighbours)
        fig.add_scatter(x=points[nb, 0], y=points[nb, 1], mode="markers", showlegend=False, hoverinfo="skip",
                        marker=dict(size=14, color="rgba(0,0,0,0)", line=dict(width=2, color="#1F2430")))
    if highlight is not None:
        fig.add_scatter(x=[points[highlight, 0]], y=[points[highlight, 1]], mode="markers", showlegend=False,
                        hoverinfo="skip", marker=dict(size=20, symbol="star", color="#1F2430"))
    fig.update_xaxes(showticklabels=False, zeroline=False)
    fig.update_yaxes(showticklabels=False, zeroline=False)
    fig.update_layout(title=title, height=520, margin=MARGIN, legend=dict(orientation="h", y=-0.05))
    return fig


# ---- masks and attention ---------------------------------------------------------------------------
def _token_axis(tokens: Sequence[str], x: bool = True) -> dict:
    """Numeric token axis with the pieces as tick labels (slanted on x when there are many)."""
    if len(tokens) > MAX_TICK_LABELS:
        return dict(showticklabels=False)
    return dict(tickvals=list(range(len(tokens))), ticktext=list(tokens), tickangle=-60 if x and len(tokens) > 8 else 0,
                tickfont=dict(size=11 if len(tokens) <= 48 else 8))


def mask_figure(mask_list: Sequence[MaskMatrix], title_keys: Sequence[str], text: FigureText = EN) -> go.Figure:
    """Masks side by side (titles: catalog keys): blue = may attend, white = blocked by the architecture, grey =
    padding; each cell's hover says which."""
    titles = [text(k) for k in title_keys]
    legend = {ALLOWED: text("attention.mask.allowed"), BLOCKED: text("attention.mask.blocked"),
              PADDING: text("attention.mask.padding")}
    scale = [[0.0, "#FFFFFF"], [0.33, "#FFFFFF"], [0.34, "#4C78A8"], [0.66, "#4C78A8"], [0.67, "#C8C8C8"],
             [1.0, "#C8C8C8"]]
    shown = fit_titles(titles, len(mask_list))  # a long title wraps instead of running off the chart
    fig = make_subplots(rows=1, cols=len(mask_list), subplot_titles=shown, horizontal_spacing=0.06)
    for col, m in enumerate(mask_list, start=1):
        hover = [[f"{q} → {k}: {legend[int(m.codes[i, j])]}" for j, k in enumerate(m.key_tokens)]
                 for i, q in enumerate(m.query_tokens)]
        fig.add_heatmap(z=m.codes, zmin=0, zmax=2, colorscale=scale, showscale=False, hovertext=hover,
                        hoverinfo="text", xgap=1, ygap=1, row=1, col=col)
        fig.update_xaxes(_token_axis(m.key_tokens), row=1, col=col)
        fig.update_yaxes(dict(autorange="reversed", **_token_axis(m.query_tokens, x=False)), row=1, col=col)
    side = max(max(m.shape) for m in mask_list)
    lines = max(title.count("<br>") + 1 for title in shown) if shown else 1
    fig.update_layout(height=int(min(640, 260 + 12 * side)), margin=MARGIN | dict(t=MARGIN["t"] + 20 * (lines - 1)))
    return fig


def attention_heatmap(weights: np.ndarray, query_tokens: Sequence[str], key_tokens: Sequence[str], title: str,
                      colorscale: str = "Blues", zmax: float | None = None) -> go.Figure:
    """One (Tq, Tk) attention map with token labels (pooled, without labels, beyond LARGE_SIDE pieces)."""
    big = max(weights.shape) > LARGE_SIDE
    z = pool_matrix(np.asarray(weights, dtype=np.float32), LARGE_SIDE) if big else np.asarray(weights)
    z = z.astype(np.float32)
    q, k = list(query_tokens), list(key_tokens)
    if not big and len(q) * len(k) <= HOVER_CELLS:
        hover = [[f"{q[i]} → {k[j]}: {z[i, j]:.3f}" for j in range(z.shape[1])] for i in range(z.shape[0])]
        trace = dict(hovertext=hover, hoverinfo="text")
    else:  # many cells: positions only (per-cell strings would weigh megabytes)
        trace = dict(hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>")
    diverging = colorscale.startswith("RdBu")  # differences: centred on 0
    fig = go.Figure(go.Heatmap(z=z, colorscale=colorscale, zmin=-zmax if diverging and zmax else 0, zmax=zmax,
                               zmid=0 if diverging else None, **trace))
    fig.update_xaxes(_token_axis(k) if not big else dict(showticklabels=False))
    fig.update_yaxes(dict(autorange="reversed", **(_token_axis(q, x=False) if not big else dict(showticklabels=False))))
    side = z.shape[0]
    fig.update_layout(title=title, height=int(min(760, 240 + 12 * side)), margin=MARGIN)
    return fig


def attention_grid_figure(mosaic: np.ndarray, n_layers: int, n_heads: int, cell: int,
                          text: FigureText = EN) -> go.Figure:
    """Every layer x head map as one heatmap (see `attention.mosaic`): rows = layers (top first)."""
    layer_label, head_label, title = text("attention.layer_short"), text("attention.head_short"), text("attention.grid")
    step = cell + 1
    fig = go.Figure(go.Heatmap(z=mosaic.astype(np.float32), colorscale="Blues", zmin=0, showscale=False,
                               hoverinfo="skip"))
    fig.update_xaxes(tickvals=[h * step + cell / 2 for h in range(n_heads)],
                     ticktext=[f"{head_label}{h + 1}" for h in range(n_heads)], side="top", showgrid=False)
    fig.update_yaxes(tickvals=[(n_layers - 1 - li) * step + cell / 2 for li in range(n_layers)],
                     ticktext=[f"{layer_label}{li + 1}" for li in range(n_layers)], autorange="reversed",
                     showgrid=False, scaleanchor="x", constrain="domain")
    fig.update_xaxes(constrain="domain")  # the axes shrink with the square cells: labels stay beside the grid
    fig.update_layout(title=title, height=int(min(1400, 120 + n_layers * max(40, 900 // max(n_heads, 1) * 0.9))),
                      margin=dict(l=10, r=10, t=80, b=10), plot_bgcolor="white")
    return fig


def probability_bars(df: pd.DataFrame, x: str, y: str, title: str, text: FigureText = EN,
                     hover_cols: Sequence[str] = (), color: str = PALETTE[0], log: bool = False) -> go.Figure:
    """Bars of probabilities along a numeric position axis labelled with `x` (repeated labels kept apart); the
    hover names each of `hover_cols` as the tables do (`col.<name>`)."""
    names = {c: text.column(c) for c in hover_cols}
    hover = ["<br>".join(f"{names[c]}: {row[c]:.4f}" if isinstance(row[c], float) else f"{names[c]}: {row[c]}"
                         for c in hover_cols) for _, row in df.iterrows()]
    fig = go.Figure(go.Bar(x=list(range(len(df))), y=df[y], marker_color=color, hovertext=hover, hoverinfo="text"))
    fig.update_xaxes(_token_axis(list(df[x])))
    fig.update_layout(title=title, height=360, margin=MARGIN, yaxis=dict(type="log" if log else "linear"))
    return fig


def compare_bars(df: pd.DataFrame, x: str, series: Mapping[str, str], title: str, y_title: str = "",
                 log: bool = False) -> go.Figure:
    """Grouped bars (or lines for long axes) of several columns of `df` against `x` (token labels)."""
    fig = go.Figure()
    colors = [PALETTE[0], PALETTE[3], PALETTE[2]]
    for (col, name), color in zip(series.items(), colors, strict=False):
        fig.add_bar(x=list(range(len(df))), y=df[col], name=name, marker_color=color)
    fig.update_xaxes(_token_axis([str(v) for v in df[x]]))
    fig.update_layout(title=title, barmode="group", height=380, margin=MARGIN, yaxis_title=y_title,
                      yaxis=dict(type="log" if log else "linear"), legend=dict(orientation="h", y=-0.3))
    return fig


def layer_lines(df: pd.DataFrame, series: Mapping[str, str], title: str, x_title: str, y_title: str) -> go.Figure:
    fig = go.Figure()
    for (col, name), color in zip(series.items(), [PALETTE[0], PALETTE[3], PALETTE[2]], strict=False):
        fig.add_scatter(x=df["layer"], y=df[col], mode="lines+markers", name=name, line=dict(color=color))
    fig.update_layout(title=title, height=340, margin=MARGIN, xaxis_title=x_title, yaxis_title=y_title,
                      legend=dict(orientation="h", y=-0.3))
    return fig
