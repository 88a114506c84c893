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


def architecture_table(spec: BackboneSpec) -> pd.DataFrame:
    """The layer stack of a backbone, bottom to top, as rows (part, what it does, output width)."""
    h = spec.hidden_size
    rows: list[tuple[str, str, int | None]]  # (part, role, output width)
    if spec.family == "static":
        rows = [("lookup table", "one vector per word type, the same in every sentence", h),
                ("sentence = mean", "average of the word vectors", h)]
    elif spec.family == "sentence":
        rows = [("SentencePiece", "text -> pieces", None), ("encoder (closed)", "pieces -> one vector", h),
                ("sentence vector", "L2-normalised", h)]
    elif spec.family == "bilm":
        rows = [("token embedding", "shared by both directions", h // 2 or h)]
        rows += [(f"LSTM layer {i + 1}", "forward (left->right) + backward (right->left)", h)
                 for i in range(spec.layers)]
        rows += [("softmax", "shared: predicts next word (fwd) and previous word (bwd)", None)]
    else:
        attn = {"encoder": "bidirectional self-attention", "decoder": "causal (masked) self-attention",
                "encoder-decoder": "encoder: bidirectional; decoder: causal + cross-attention"}[spec.family]
        rows = [("embeddings", "token (+ position) vectors", h)]
        rows += [(f"block {i + 1}", f"{attn}, {spec.heads} heads + feed-forward", h) for i in range(spec.layers)]
        head = {"mlm": "masked-LM head (fill in [MASK])", "clm": "LM head (next token)",
                "seq2seq": "LM head on the decoder (span filling)"}.get(spec.head, "no head: add one for your task")
        rows += [("head", head, None)]
    table = pd.DataFrame(rows, columns=["part", "role", "width"])
    table["width"] = [str(w) if w else "–" for w in table["width"]]
    return table


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


def label_balance_figure(pool: pd.DataFrame, test: pd.DataFrame, title: str = "") -> go.Figure:
    import plotly.graph_objects as go

    labels = sorted(set(pool["label"]) | set(test["label"]))
    fig = go.Figure()
    for name, df, color in (("pool", pool, PALETTE[0]), ("test", test, PALETTE[1])):
        counts = df["label"].value_counts().reindex(labels, fill_value=0)
        fig.add_bar(x=labels, y=counts.values, name=name, marker_color=color)
    fig.update_layout(barmode="group", title=title, height=320, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def length_histogram(texts: pd.Series, title: str = "", unit: str = "words") -> go.Figure:
    import plotly.express as px

    lengths = texts.str.count(r"\S+") if unit == "words" else texts.str.len()  # words: runs of non-space
    fig = px.histogram(x=lengths, nbins=40, title=title, color_discrete_sequence=[PALETTE[2]])
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), xaxis_title=unit, yaxis_title="texts")
    return fig
