"""Pure figure and table builders shared by pages (Plotly figures, DataFrames, small HTML strings).

They take data and return a figure; they never load models or read widgets. The convention for every figure
builder of the core: `builder(data, text)` where `text` is a `FigureText` made by `figure_text(lang)`: the one
helper through which a figure reads its words from the catalog — titles, axis and legend names, and the names
of strategies, few-shot methods and parameter groups (never their code names). Where a figure shows a spread
it is "mean ± sd" with the sample sd (n − 1) of `sample_sd` / `frame_sd`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from plm_core.backbones.base import BackboneSpec, Tokenized

if TYPE_CHECKING:
    import plotly.graph_objects as go

PALETTE = ["#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#FF9DA6", "#9D755D",
           "#BAB0AC", "#EECA3B", "#1F77B4", "#8C564B"]
SD_DDOF = 1  # "± sd" everywhere: the sample standard deviation (divides by n − 1); a single value has sd 0


def sample_sd(values: Sequence[float] | np.ndarray) -> float:
    """The sd every "mean ± sd" shows: sample sd (n − 1), 0.0 for fewer than two values."""
    arr = np.asarray(values, dtype=float)
    return float(arr.std(ddof=SD_DDOF)) if arr.size > 1 else 0.0


def frame_sd(column: Any) -> Any:
    """`sample_sd` for a pandas Series or a grouped column (0.0 where a group has a single value)."""
    return column.std(ddof=SD_DDOF).fillna(0.0)


@dataclass(frozen=True)
class FigureText:
    """The words of a figure in one language, read from the catalog: `text("transfer.chart.loss")`, and the names
    a person reads for code names: `text.run("frozen · seed 2")`, `text.method("prompt")`, `text.group("layer.0")`.
    Frozen and picklable, so `ui.figures.built` keys a shared figure on it."""

    lang: str = "en"

    def __call__(self, key: str, **params: Any) -> str:
        from plm_core.i18n import t

        return t(key, self.lang, **params)

    def run(self, label: str) -> str:
        """A run / racer / strategy label by its name in this language ("frozen" -> "본체 고정")."""
        from plm_core.i18n.names import run_name

        return run_name(label, self.lang)

    def column(self, name: str) -> str:
        """A table column's header (`col.<name>`), as tables and hover labels show it; else the name itself."""
        from plm_core.i18n import all_messages

        return self(f"col.{name}") if f"col.{name}" in all_messages() else name

    def method(self, method: str) -> str:
        from plm_core.i18n.names import method_name

        return method_name(method, self.lang)

    def group(self, name: str) -> str:
        """A parameter group, origin or status as the surgery table names it ("layer.0" -> "1층", "frozen" -> "고정").
        """
        from plm_core.i18n import all_messages

        if f"surgery.{name}" in all_messages():
            return self(f"surgery.{name}")
        if name.startswith("layer.") and name.split(".", 1)[1].isdigit():
            return self("surgery.layer", n=int(name.split(".", 1)[1]) + 1)
        return name


def figure_text(lang: str) -> FigureText:
    """The one helper that gives a figure builder its text in `lang`."""
    return FigureText(lang)


EN = FigureText("en")  # the default of every builder (tests, the CLI's exports)


@dataclass(frozen=True)
class LossCurve:
    """One model's loss: `train` (x, loss) per step, drawn thin and smoothed; `held_out` (x, loss) per evaluation,
    drawn with markers. `name` is the legend name ("" for a chart of one model)."""

    name: str
    train: Sequence[tuple[float, float]] = ()
    held_out: Sequence[tuple[float, float]] = ()


def smooth(values: Sequence[float], window: int = 5) -> np.ndarray:
    """Running mean over the last `window` steps (noisy mini-batch losses read better smoothed)."""
    arr = np.asarray(values, dtype=float)
    if len(arr) < 2 or window <= 1:
        return arr
    csum = np.cumsum(np.insert(arr, 0, 0.0))
    idx = np.arange(1, len(arr) + 1)
    lo = np.maximum(idx - window, 0)
    return (csum[idx] - csum[lo]) / (idx - lo)


def loss_figure(curves: Sequence[LossCurve], text: FigureText = EN, title: str = "transfer.chart.loss",
                x_title: str = "transfer.chart.epoch", y_title: str = "chart.loss", train: str = "transfer.chart.train",
                held_out: str = "transfer.chart.heldout", window: int = 5, perplexity: bool = False,
                x_range: tuple[float, float] | None = None, height: int = 400) -> go.Figure:
    """The one loss-curve figure (Transfer lab runs, SetFit, pretraining, domain fit): per curve, the training loss
    (smoothed over `window` steps) and the held-out loss, one colour per curve; `perplexity`: exp(loss) on a log
    axis. Titles and series names are catalog keys; the legend sits below the x-axis title, never over it."""
    import plotly.graph_objects as go

    def values(ys: Sequence[float]) -> list[float]:
        return [float(np.exp(min(v, 30.0))) for v in ys] if perplexity else [float(v) for v in ys]

    train_name, held_name = text(train), text(held_out)
    fig = go.Figure()
    for i, curve in enumerate(curves):
        color = PALETTE[i % len(PALETTE)]
        name = text.run(curve.name) if curve.name else ""
        if curve.train:
            xs, ys = zip(*curve.train, strict=True)
            fig.add_scatter(x=list(xs), y=values(list(smooth(ys, window))), mode="lines", legendgroup=name or "_",
                            name=f"{name} · {train_name}" if name else train_name,
                            line=dict(color=color, width=1, dash="dot" if name else "solid"))
        if curve.held_out:
            xs, ys = zip(*curve.held_out, strict=True)
            fig.add_scatter(x=list(xs), y=values(list(ys)), mode="lines+markers", legendgroup=name or "_",
                            name=f"{name} · {held_name}" if name else held_name, line=dict(color=color, width=2))
    fig.update_layout(title=text(title), height=height, xaxis_title=text(x_title), yaxis_title=text(y_title),
                      margin=dict(l=10, r=10, t=40, b=110), legend=dict(orientation="h", yanchor="top", y=-0.3, x=0))
    if perplexity:
        fig.update_yaxes(type="log")
    if x_range is not None:
        fig.update_xaxes(range=list(x_range))
    return fig


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


def label_balance_figure(pool: pd.DataFrame, test: pd.DataFrame, text: FigureText = EN) -> go.Figure:
    """How many texts of each label the pool and the test set hold, side by side."""
    import plotly.graph_objects as go

    labels = sorted(set(pool["label"]) | set(test["label"]))
    fig = go.Figure()
    for name, df, color in ((text("chart.pool"), pool, PALETTE[0]), (text("chart.test"), test, PALETTE[1])):
        counts = df["label"].value_counts().reindex(labels, fill_value=0)
        fig.add_bar(x=labels, y=counts.values, name=name, marker_color=color)
    fig.update_layout(barmode="group", title=text("models.ds.balance"), height=320, margin=dict(l=10, r=10, t=40, b=10))
    return fig


def length_histogram(texts: pd.Series, text: FigureText = EN) -> go.Figure:
    """Text lengths in words (runs of non-space) as a histogram."""
    import plotly.express as px

    lengths = texts.str.count(r"\S+")
    fig = px.histogram(x=lengths, nbins=40, title=text("models.ds.lengths"), color_discrete_sequence=[PALETTE[2]])
    fig.update_layout(height=320, margin=dict(l=10, r=10, t=40, b=10), xaxis_title=text("chart.words"),
                      yaxis_title=text("chart.texts"))
    return fig


def fit_titles(titles: Sequence[str], columns: int, page_px: int = 900, size: int = 16) -> list[str]:
    """Subplot titles broken into lines (Plotly's <br>) that fit one of `columns` side-by-side subplots on a
    page `page_px` wide; Plotly never wraps a title and a long one runs into its neighbour or off the chart."""
    from plm_core.diagrams import wrap

    room = 0.85 * page_px / max(columns, 1)
    return ["<br>".join(wrap(title, size, room)) for title in titles]
