"""What a Korean screen shows a person, gathered from an AppTest: every table column, chart axis / legend /
colour-bar title, widget label, placeholder and tab label, and a check that each one comes from the catalog.

A text passes when it is a Korean catalog message (templates match with any value for their {params}) or
when every Latin word in it is on ALLOWED: model and data-set proper names, units and code identifiers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from plm_core.i18n import all_messages

# Proper names, abbreviations that Korean teaching text keeps in Latin letters, and code identifiers ("English"
# is the language switch's option, a language named in its own tongue). No strategy, few-shot method or mode
# code name is here: a Korean screen names them from the catalog (issue 23: "결과: frozen" was English).
ALLOWED: frozenset[str] = frozenset(w.lower() for w in """
    PLM Lab BERT MiniLM GPT SmolLM SmolLM2 ELMo GloVe T5 SGNS LM MLM CLM biLM LSTM WordPiece BPE UNK CLS SEP
    MASK PAD UMAP PCA LoRA BitFit AG News SST IMDb Wikipedia Shakespeare Moby Dick CSV URL ID id k K
    AdamW Adam SGD PNG SVG JSON CPU GPU Ray softmax tiny bert mlm gpt clm t5 span elmo bilm sgns glove
    minilm smollm2 smollm distilbert all MiniLM-L6-v2 v2 L6 L12 H384 gte e5 sentence transformers
    mean max cls pool layer extra_id ko en Top top-k logit logits token tokens n_params
    English
    """.split())
# The code names a Korean screen must never show (strategies, few-shot methods, the "lr" axis, masking kinds).
CODE_NAMES: frozenset[str] = frozenset("""
    frozen finetune discriminative gradual scratch chain_thaw freeze_bottom embeddings_frozen top_k bitfit lora
    similarity prompt cloze lr causal keep mask random
    """.split())


@lru_cache(maxsize=1)
def studied_words() -> frozenset[str]:
    """The English polysemy words (bank, bat, …): data the page studies, shown as they are on a Korean screen."""
    from plm_core.explorer.polysemy import polysemy_sets

    return frozenset(p.word.lower() for p in polysemy_sets().values())


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_\-]*[A-Za-z0-9]|[A-Za-z]{2,}")
NUMBER = re.compile(r"\d+(?:\.\d+)?[eE][-+]?\d+")  # 1e-03, 2.5E+04: a number, not a word
NUMBERED = re.compile(r"^[LH]\d+$")  # the attention grid's layer / head numbers (L3, H12), as the catalog writes them


@lru_cache(maxsize=1)
def korean_templates() -> tuple[set[str], list[re.Pattern[str]]]:
    """(exact Korean messages, regexes for those with {params})."""
    exact, patterns = set(), []
    for texts in all_messages().values():
        ko = texts.get("ko", "")
        if "{" in ko:
            parts = re.split(r"\{[^{}]*\}", ko)
            patterns.append(re.compile("^" + "(.+?)".join(re.escape(p) for p in parts) + "$", re.S))
        exact.add(ko)
    return exact, patterns


def is_catalog_text(text: str) -> bool:
    exact, patterns = korean_templates()
    return text in exact or any(p.match(text) for p in patterns)


def english_words(text: str) -> list[str]:
    """Latin words in `text` that are not on the allow-list."""
    allowed = ALLOWED | studied_words()
    return [w for w in LATIN_WORD.findall(NUMBER.sub(" ", text))
            if w.lower() not in allowed and w.split("-")[0].lower() not in allowed and not NUMBERED.match(w)]


def offending(text: str) -> bool:
    text = text.strip()
    return bool(text) and not is_catalog_text(text) and bool(english_words(text))


# ---- what an AppTest shows ---------------------------------------------------------------------------

WIDGETS = ("selectbox", "multiselect", "radio", "slider", "select_slider", "number_input", "text_input",
           "text_area", "checkbox", "toggle", "button", "color_picker", "date_input")
OPTION_WIDGETS = ("selectbox", "multiselect", "radio", "select_slider")  # the choices a person reads


def _title(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return str(obj or "")


PLACEHOLDER = re.compile(r"%\{[^}]*\}|<[^>]+>")  # Plotly's %{y:.3f} and <extra>, <br> tags: not words


def figure_texts(spec: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for every word a figure shows: titles, axis titles and tick labels, legend names, text on the
    marks, hover text and templates (placeholders and tags removed), annotations."""
    layout = spec.get("layout", {})
    yield "layout.title", _title(layout.get("title"))
    for key, value in layout.items():
        if re.match(r"^[xy]axis\d*$", key) and isinstance(value, dict):
            yield f"layout.{key}.title", _title(value.get("title"))
            for tick in value.get("ticktext") or ():
                yield f"layout.{key}.ticktext", str(tick)
    for note in layout.get("annotations") or ():
        yield "layout.annotation", PLACEHOLDER.sub(" ", str(note.get("text", "")))
    yield from ((w, t) for w, t in figure_titles(spec) if w.startswith("trace."))
    for trace in spec.get("data", []):
        for field in ("hovertemplate", "hovertext", "text", "x", "y"):
            value = trace.get(field)
            values = value if isinstance(value, list) else [value]
            for v in values:
                if isinstance(v, list):  # a heatmap's rows
                    yield from ((f"trace.{field}", PLACEHOLDER.sub(" ", str(c))) for c in v if isinstance(c, str))
                elif isinstance(v, str):
                    yield f"trace.{field}", PLACEHOLDER.sub(" ", v)


def code_names_in(text: str) -> list[str]:
    """The code names (CODE_NAMES) that `text` shows as words."""
    return [w for w in re.findall(r"[A-Za-z_]+", text) if w in CODE_NAMES]  # "[MASK]" is a proper token


def figure_titles(spec: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for the axis, legend and colour-bar titles of a Plotly figure spec."""
    layout = spec.get("layout", {})
    for key, value in layout.items():
        if re.match(r"^[xy]axis\d*$", key) and isinstance(value, dict):
            yield f"layout.{key}.title", _title(value.get("title"))
    yield "layout.legend.title", _title(layout.get("legend", {}).get("title"))
    yield "layout.coloraxis.colorbar.title", _title(layout.get("coloraxis", {}).get("colorbar", {}).get("title"))
    for trace in spec.get("data", []):
        if trace.get("showlegend", True) and trace.get("name"):
            yield "trace.name", str(trace["name"])
        bar = (trace.get("colorbar") or trace.get("marker", {}).get("colorbar") or {})
        yield "trace.colorbar.title", _title(bar.get("title"))


def dataframe_columns(element: Any) -> Iterator[str]:
    """The column headers a person sees: a column_config label where one is set, else the column name."""
    labels: dict[str, str] = {}
    raw = getattr(element.proto, "columns", "") or ""
    if raw:
        for name, conf in json.loads(raw).items():
            if isinstance(conf, dict) and conf.get("label"):
                labels[name] = conf["label"]
    for col in element.value.columns:
        name = " ".join(map(str, col)) if isinstance(col, tuple) else str(col)
        yield labels.get(name, name)


def screen_texts(at: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for everything on the screen that the catalog should provide."""
    for kind in WIDGETS:
        for w in at.get(kind):
            yield f"{kind}.label", w.proto.label
            placeholder = getattr(w.proto, "placeholder", "")
            if kind == "multiselect" and not placeholder:
                placeholder = "Choose options"  # what the browser shows for an unset placeholder
            if placeholder:
                yield f"{kind}.placeholder", placeholder
            if kind in OPTION_WIDGETS:
                for option in w.proto.options:
                    yield f"{kind}.option", option
    for tab in at.tabs:
        yield "tab.label", tab.label
    for exp in at.expander:
        yield "expander.label", exp.label
    for m in at.metric:
        yield "metric.label", m.label
    for df in list(at.dataframe) + list(at.table):
        for col in dataframe_columns(df):
            yield "table.column", col
    for chart in at.get("plotly_chart"):
        for where, text in figure_titles(json.loads(chart.proto.spec)):
            yield f"chart.{where}", text


def english_left(at: Any) -> list[tuple[str, str]]:
    """Every (where, text) on the screen that is not Korean catalog text and holds a non-allowed Latin word."""
    return sorted({(where, text) for where, text in screen_texts(at) if offending(text)})
