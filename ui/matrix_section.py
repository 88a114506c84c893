"""The objective matrix on the Pretraining page: the latest stored matrix as a heatmap, or a button that
computes it through the job service (job kind "matrix", stored in the runs store)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from plm_core.evidence.cards_figures import matrix_heatmap
from plm_core.evidence.matrix import (
    MatrixJob,
    best_objective,
    budget_text,
    heatmap_table,
    heatmap_texts,
    latest_matrix,
    stale_models,
)
from ui.common import dataset_label, lang, tr
from ui.jobs import current_job, job_panel, submit

SLOT = "pretrain-matrix"


def column_label(column: str) -> str:
    setting, data = column.split(" · ", 1)
    return f"{tr(f'matrix.setting.{setting}')} · {dataset_label(data)}"


def row_label(row: str) -> str:
    model, init = row.split(" · ", 1)
    return f"{model} · {tr(f'proofs.variant.{init}')}"


def draw_stored() -> bool:
    """The newest stored matrix; False when there is none."""
    found = latest_matrix()
    if found is None:
        return False
    record, summary = found
    rows, cols, means, sds = heatmap_table(summary)
    st.caption(tr("matrix.lead", seeds=record["config"].get("seeds", "?")))
    texts = heatmap_texts(summary, tr("matrix.na"), tr("matrix.chance"))
    fig = matrix_heatmap([row_label(r) for r in rows], [column_label(c) for c in cols], means, sds,
                         "", tr("matrix.axis.setting"), tr("matrix.axis.model"), tr("matrix.colorbar"),
                         tr("matrix.na"), texts)
    st.plotly_chart(fig, width="stretch", key="matrix-heatmap")
    if np.isnan(means).any():
        st.caption(tr("matrix.na_note"))
    if "at_chance" in summary and summary["at_chance"].fillna(False).astype(bool).any():
        st.caption(tr("matrix.chance_note"))
    st.caption(budget_text(list(dict.fromkeys(summary["model"])), lang()))
    for column, model in best_objective(summary).items():
        st.markdown("- " + tr("matrix.best", column=column_label(column), model=model))
    st.caption(tr("matrix.stored", id=record["id"], when=record["created_at"], cells=record["metrics"]["n_cells"],
                  seconds=round(record["timings"]["seconds"])))
    stale = stale_models(record)
    if stale:
        st.warning(tr("matrix.stale", models=", ".join(stale)), icon=":material/update:")
        if current_job(SLOT) is None:
            compute_button("matrix.recompute", ":material/refresh:")
    return True


def compute_button(label: str, icon: str) -> None:
    """A button that submits the whole matrix as a job (its panel below shows progress)."""
    if st.button(tr(label), key=label, icon=icon):
        submit(SLOT, "matrix", MatrixJob())
        st.rerun()


def matrix_section() -> None:
    st.subheader(tr("matrix.title"))
    if not draw_stored() and current_job(SLOT) is None:
        st.info(tr("matrix.none"), icon=":material/grid_view:")
        compute_button("matrix.compute", ":material/play_arrow:")
    job_panel(SLOT, lambda snap: None)  # progress and stop; the panel's final rerun draws the stored heatmap
