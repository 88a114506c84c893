"""User text on a figure stays text: Plotly reads `<b>`, `<a href=…>`, `<span style=…>` and `&…;` in every label.

`plotly_safe(fig)` is applied by `ui.figures.chart` to every figure a page draws. Data fields (axis categories,
tick labels, legend names, point texts, custom data) are escaped whole: no figure builder writes markup there.
Hover texts are composed by builders (`<b>{label}</b><br>{text}`): there only the markup builders use
(`<br>`, `<b>`, `<i>`) is kept and every other tag (a link, a style, an image) is shown as its characters.
Strings already escaped are left as they are (entities are not escaped twice).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import plotly.graph_objects as go

DATA_FIELDS = ("x", "y", "z", "text", "labels", "parents", "customdata", "name")
HOVER_FIELDS = ("hovertext",)
AXIS_FIELDS = ("ticktext", "categoryarray")
MARKUP = re.compile(r"[<>]|&(?!#?\w+;)")  # a tag character, or an ampersand that does not start an entity
BUILDER_TAG = re.compile(r"</?(?:br|b|i)\s*/?>", re.IGNORECASE)  # the markup figure builders compose hovers with
ENTITY = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}


def plain(text: str) -> str:
    """`text` as Plotly shows it literally: `<`, `>` and a bare `&` as entities."""
    return MARKUP.sub(lambda m: ENTITY[m.group()[0]], text)


def plain_hover(text: str) -> str:
    """A composed hover text: the builders' `<br>`, `<b>`, `<i>` kept, every other markup character escaped."""
    parts = BUILDER_TAG.split(text)
    tags = BUILDER_TAG.findall(text)
    return "".join(plain(part) + (tags[i] if i < len(tags) else "") for i, part in enumerate(parts))


def _has_markup(value: Any, escape: Any = None) -> bool:
    """Whether escaping `value` with `escape` (plain or plain_hover) would change it."""
    if isinstance(value, str):
        return MARKUP.search(BUILDER_TAG.sub("", value) if escape is plain_hover else value) is not None
    if isinstance(value, (list, tuple)):
        return any(_has_markup(v, escape) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return any(_has_markup(v, escape) for v in value.ravel().tolist())
    return False


def _escaped(value: Any, escape: Any) -> Any:
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_escaped(v, escape) for v in value)
    if isinstance(value, np.ndarray) and value.dtype.kind in "OUS":
        return np.array([_escaped(v, escape) for v in value.ravel().tolist()], dtype=object).reshape(value.shape)
    return value


def _targets(fig: go.Figure) -> list[tuple[Any, str, Any]]:
    """(object, field, escape) for every field that holds markup: traces' data and hover texts, axes' labels."""
    found: list[tuple[Any, str, Any]] = []
    for trace in fig.data:
        for field, escape in [(f, plain) for f in DATA_FIELDS] + [(f, plain_hover) for f in HOVER_FIELDS]:
            if field in trace and _has_markup(trace[field], escape):
                found.append((trace, field, escape))
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        for field in AXIS_FIELDS:
            if _has_markup(axis[field]):
                found.append((axis, field, plain))
    return found


def plotly_safe(fig: go.Figure) -> go.Figure:
    """`fig` itself when no label holds markup (the usual case: nothing copied), else an escaped copy (the
    figure passed in may be shared between sessions and is never changed)."""
    if not _targets(fig):
        return fig
    import plotly.graph_objects as go

    safe = go.Figure(fig)
    for owner, field, escape in _targets(safe):
        owner[field] = _escaped(owner[field], escape)
    return safe
