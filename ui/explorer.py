"""Small Streamlit helpers shared by the Embeddings and Attention pages."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import streamlit as st

from plm_core.backbones import Capability, specs


def names_where(test: Callable[[Any], bool]) -> list[str]:
    """Registry names of the installed backbones whose spec passes `test` (hidden if not in specs())."""
    return [name for name, spec in specs().items() if test(spec)]


def names_that_can(*caps: Capability) -> list[str]:
    """Registry names of the backbones whose spec declares every capability in `caps`."""
    return names_where(lambda s: all(s.can(c) for c in caps))


def attention_names() -> list[str]:
    return names_that_can("attention")


def display(name: str) -> str:
    """The backbone's name in the user's language (selectboxes and captions)."""
    from ui.common import backbone_label

    return backbone_label(name)


def memo(slot: str, inputs: Hashable, compute: Callable[[], Any], spinner: str = "") -> Any:
    """Compute once per session for these inputs; reruns (sliders, reruns of other widgets) reuse the result.

    One result per slot is kept, so big arrays (attention of a long text) do not pile up in the session.
    """
    held = st.session_state.get(slot)
    if held is not None and held[0] == inputs:
        return held[1]
    with st.spinner(spinner or "…"):
        result = compute()
    st.session_state[slot] = (inputs, result)
    return result


def option_labels(prefix: str) -> Callable[[Any], str]:
    """A format_func showing option `v` as the catalog text `<prefix>.<v>` in the language of this run.

    The language is fixed now (not looked up when the label is drawn), so the labels stay consistent.
    """
    from plm_core.i18n import t
    from ui.common import lang

    current = lang()
    return lambda value: t(f"{prefix}.{value}", current)


def projected(slot: str, x: Any, method: str) -> Any:
    """A 2-D projection of `x` (N, H): PCA here (instant); UMAP and t-SNE as a job with its panel (the server
    never compiles UMAP). None while the job runs."""
    from plm_core.explorer.jobs import ProjectionJob
    from plm_core.explorer.projection import MIN_POINTS_NONLINEAR, project
    from ui.jobs import job_panel, snapshot, submit

    if method == "pca" or len(x) < MIN_POINTS_NONLINEAR:
        return project(x, method)
    job = ProjectionJob.of(x, method)
    snap = snapshot(slot)
    if snap is None or snap.config != job:
        submit(slot, "explorer.project", job)
    job_panel(slot, lambda snap: None)
    snap = snapshot(slot)
    return snap.result if snap is not None and snap.config == job else None
