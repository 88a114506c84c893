"""The sidebar line every page shows: which backend runs jobs (local workers, Ray at host:port, or Ray
unreachable / lost and local workers instead). Reading it never waits for Ray: the service connects in the
background, and while it does the line redraws itself every few seconds."""

from __future__ import annotations

import streamlit as st

from plm_core.jobs import get_service
from plm_core.jobs.ray_backend import BackendInfo, backend_info
from ui.common import tr_md

REDRAW_S = 2.0  # while connecting: how often the line looks again


def banner_text(info: BackendInfo) -> str:
    return tr_md(f"ray.banner.{info.mode}", address=info.address, workers=info.workers)


def _draw() -> None:
    info = backend_info(get_service().backend)
    if info.mode in ("unreachable", "lost"):
        st.warning(banner_text(info), icon=":material/cloud_off:")
    elif info.mode == "connecting":
        st.info(banner_text(info), icon=":material/sync:")
    else:
        st.caption(f":material/memory: {banner_text(info)}")


def backend_banner() -> None:
    """In the sidebar: the backend line (a fragment that redraws while the cluster is being connected)."""
    connecting = backend_info(get_service().backend).mode == "connecting"
    with st.sidebar:
        if connecting:
            st.fragment(run_every=REDRAW_S)(_draw)()
        else:
            _draw()
