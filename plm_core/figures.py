"""Pure figure and table builders shared by pages (Plotly figures, DataFrames, small HTML strings).

They take data and return a figure; they never load models or read widgets.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from plm_core.backbones.base import BackboneSpec, Tokenized

if TYPE_CHECKING:
    import plotly.graph_objects as go

PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D",
           "#BAB0AC", "#EECA3B", "#1F77B4", "#8C564B"]


def architecture_table(spec: BackboneSpec, lang: str = "en") -> pd.DataFrame:
    """The layer stack of a backbone, bottom to top, as rows (part, what it does, output width), in `lang`."""
    from plm_core.i18n import t

    h = spec.hidden_size

    def row(part: str, role: str, width: int | None, **params: object) -> tuple[str, str, int | None]:
        return t(f"arch.part.{part}", lang, **params), t(f"arch.role.{role}", lang, **params), width

    if spec.family == "static":
        rows = [row("lookup", "lookup", h), row("sentence_mean", "sentence_mean", h)]
    elif spec.family == "sentence":
        rows = [row("sentencepiece", "sentencepiece", None), row("closed_encoder", "closed_encoder", h),
                row("sentence_vector", "sentence_vector", h)]
    elif spec.family == "bilm":
        rows = [row("token_embedding", "token_embedding", h // 2 or h)]
        rows += [row("lstm", "lstm", h, n=i + 1) for i in range(spec.layers)]
        rows += [row("softmax", "softmax", None)]
    else:
        attn = t(f"arch.attn.{spec.family}", lang)
        rows = [row("embeddings", "embeddings", h)]
        rows += [row("block", "block", h, n=i + 1, attn=attn, heads=spec.heads) for i in range(spec.layers)]
        rows += [row("head", f"head.{spec.head or 'none'}", None)]
    # widths as text before the frame is built: a None among ints made the column float ("384.0", "nan")
    return pd.DataFrame([(part, role, str(int(w)) if w else "–") for part, role, w in rows],
                        columns=["part", "role", "width"])


def backbone_overview(table: dict[str, BackboneSpec]) -> pd.DataFrame:
    """One row per backbone; counts as text ("—" where a family has none), never "nan" or "384.0"."""
    def count(v: int | None) -> str:
        return f"{int(v):,}" if v else "—"

    return pd.DataFrame([{"name": s.name, "family": s.family, "params (M)": f"{s.params / 1e6:.2f}",
                          "layers": count(s.layers), "hidden": count(s.hidden_size), "heads": count(s.heads),
                          "license": s.license} for s in table.values()])


def chips_html(pieces: Sequence[str], colors: Sequence[str]) -> str:
    """The one token-chip builder: each piece as a rounded monospace chip on its background colour."""
    chips = [f'<span style="background:{color};border-radius:4px;padding:2px 6px;margin:2px;'
             f'display:inline-block;font-family:monospace">{html.escape(piece)}</span>'
             for piece, color in zip(pieces, colors, strict=False)]
    return "<div style='line-height:2.2'>" + "".join(chips) + "</div>"


def tokens_html(tok: Tokenized) -> str:
    """Pieces as coloured chips; pieces of the same word share a colour, special tokens are grey."""
    colors = ["#DDDDDD" if special or word is None else PALETTE[word % len(PALETTE)] + "33"
              for word, special in zip(tok.word_ids, tok.special, strict=True)]
    return chips_html(tok.tokens, colors)


def label_balance_figure(pool: pd.DataFrame, test: pd.DataFrame, title: str = "",
                         names: tuple[str, str] = ("pool", "test")) -> go.Figure:
    import plotly.graph_objects as go

    labels = sorted(set(pool["label"]) | set(test["label"]))
    fig = go.Figure()
    for name, df, color in ((names[0], pool, PALETTE[0]), (names[1], test, PALETTE[1])):
        counts = df["label"].value_counts().reindex(labels, fill_value=0)
        fig.add_bar(x=labels, y=counts.values, name=name, marker_color=color)
    fig.update_layout(barmode="group", title=title, height=320, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def length_histogram(texts: pd.Series, title: str = "", unit: str = "words", x_title: str = "words",
                     y_title: str = "texts") -> go.Figure:
    import plotly.express as px

    lengths = texts.str.count(r"\S+") if unit == "words" else texts.str.len()  # words: runs of non-space
    fig = px.histogram(x=lengths, nbins=40, title=title, color_discrete_sequence=[PALETTE[2]])
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), xaxis_title=x_title, yaxis_title=y_title)
    return fig


def fit_titles(titles: Sequence[str], columns: int, page_px: int = 900, size: int = 16) -> list[str]:
    """Subplot titles broken into lines (Plotly's <br>) that fit one of `columns` side-by-side subplots on a
    page `page_px` wide; Plotly never wraps a title and a long one runs into its neighbour or off the chart."""
    from plm_core.diagrams import wrap

    room = 0.85 * page_px / max(columns, 1)
    return ["<br>".join(wrap(title, size, room)) for title in titles]
