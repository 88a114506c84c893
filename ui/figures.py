"""Every chart on every page: the Plotly figure, and under it small PNG / SVG download buttons for THAT figure.

The image is rendered only when a button is clicked (Streamlit's deferred download: `data` is a callable run
on click), so a rerun never pays for an export; `plm_core.export` keeps one Chromium warm for the clicks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import streamlit as st

from plm_core import export
from plm_core.errors import PLMError
from ui.common import lang, tr

if TYPE_CHECKING:
    import plotly.graph_objects as go

_LOG = logging.getLogger(__name__)


def chart(fig: go.Figure, key: str, name: str, target: Any = None, **kwargs: Any) -> None:
    """`st.plotly_chart(fig, key=key, **kwargs)` in `target` (a column or container; default: the page), with
    "PNG" / "SVG" download buttons under it. `name` is the download's file name (without extension); `key`
    must be unique on the page (the buttons use `<key>-png`, `<key>-svg`)."""
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
