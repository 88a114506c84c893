"""Every chart on every page: the Plotly figure, and under it small PNG / SVG download buttons for THAT figure.

The image is rendered only when a button is clicked (Streamlit's deferred download: `data` is a callable run
on click), so a rerun never pays for an export; `plm_core.export` keeps one Chromium warm for the clicks.
"""

from __future__ import annotations

import hashlib
import logging
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from plm_core import export
from plm_core.errors import PLMError
from plm_core.figures import FigureText, figure_text
from ui.common import lang, tr
from ui.escape import plotly_safe

if TYPE_CHECKING:
    import plotly.graph_objects as go

_LOG = logging.getLogger(__name__)
_BUILT: OrderedDict[str, Any] = OrderedDict()  # figure key -> figure, shared by every session of this server
_BUILT_LOCK = threading.Lock()
BUILT_MAX = 128  # figures kept (a race panel's three charts x the jobs a class watches, with room to spare)


def fig_text() -> FigureText:
    """The words of every figure on this page, in the user's language (the text object figure builders take)."""
    return figure_text(lang())


def built(make: Callable[..., go.Figure], *args: Any, **kwargs: Any) -> go.Figure:
    """`make(*args, **kwargs)`, built once per distinct arguments for the whole server. Job panels redraw
    every 2 s in every watching tab (ten students on one race draw the same three charts), and building a
    Plotly figure costs far more than hashing its data. `make` must be a pure function of its arguments;
    the figure is shared, so callers must not change it."""
    try:
        key = make.__module__ + "." + make.__qualname__ + hashlib.sha1(
            pickle.dumps((args, sorted(kwargs.items())), protocol=5)).hexdigest()
    except (pickle.PicklingError, TypeError, AttributeError):  # arguments that do not pickle: no sharing
        return make(*args, **kwargs)
    with _BUILT_LOCK:
        if key in _BUILT:
            _BUILT.move_to_end(key)
            return _BUILT[key]
    fig = make(*args, **kwargs)
    with _BUILT_LOCK:
        _BUILT[key] = fig
        while len(_BUILT) > BUILT_MAX:
            _BUILT.popitem(last=False)
    return fig


def chart(fig: go.Figure, key: str, name: str, target: Any = None, **kwargs: Any) -> None:
    """`st.plotly_chart(fig, key=key, **kwargs)` in `target` (a column or container; default: the page), with
    "PNG" / "SVG" download buttons under it. `name` is the download's file name (without extension); `key`
    must be unique on the page (the buttons use `<key>-png`, `<key>-svg`). User text on it stays text
    (`ui.escape.plotly_safe`: no markup or link from a label)."""
    fig = plotly_safe(fig)
    box = (target or st).container()
    with box:
        st.plotly_chart(fig, key=key, **kwargs)
        download_buttons(fig, key, name)


def download_buttons(fig: go.Figure, key: str, name: str) -> None:
    """The two small buttons; disabled, with the catalog's install hint, where no Chromium is found."""
    try:
        export.browser_path()
        missing = ""
    except PLMError as err:
        missing = err.message(lang())
    with st.container(horizontal=True, gap="small"):
        for fmt in export.FORMATS:
            st.download_button(
                tr(f"export.download_{fmt}"), data=_renderer(fig, fmt), file_name=export.file_name(name, fmt),
                mime=export.MIME[fmt], key=f"{key}-{fmt}", on_click="ignore", type="tertiary",
                icon=":material/download:", help=missing or tr("export.menu_help"), disabled=bool(missing),
                width="content")


def _renderer(fig: go.Figure, fmt: export.ExportFormat) -> Callable[[], bytes]:
    """The deferred export Streamlit calls on click (in a thread of its own, outside the script run)."""
    def render() -> bytes:
        try:
            return export.figure_bytes(fig, fmt)
        except PLMError as err:
            _LOG.warning("figure export failed: %s", err)  # Streamlit answers the click with its own failure note
            raise

    return render
