"""SetFit in the Transfer lab and the Few-shot lab: a form, the job panel, pairs and the embedding maps.

The work runs as the "setfit" job kind (`plm_core.transfer.setfit`); this module reads widgets and draws.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from plm_core.backbones import specs
from plm_core.figures import loss_figure
from plm_core.jobs import Snapshot
from plm_core.transfer.figures import embedding_map_figure, run_loss_curves
from ui import urlstate as us
from ui.common import backbone_labels, guard, tr
from ui.figures import chart, fig_text


def setfit_backbones() -> dict[str, str]:
    """Encoders SetFit can tune: trainable transformer encoders (MiniLM first)."""
    table = specs()
    names = [n for n, s in table.items() if s.family == "encoder" and s.can("trainable")]
    labels = backbone_labels()  # in the user's language
    return {n: labels[n] for n in sorted(names, key=lambda n: n != "minilm-l6")}


def setfit_form(key: str, data_ref: Any) -> None:
    """Settings and start: K per class, pairs per text, seed; submits the "setfit" job for `slot`.

    `key` is the page ("transfer", "fewshot"): the form shows its URL settings sf_*."""
    from dataclasses import replace

    from plm_core.recipes import SetFitRun
    from ui.jobs import submit

    names = setfit_backbones()
    st.caption(tr("setfit.explain"))
    with st.form(f"{key}-setfit-form"):
        c1, c2, c3, c4 = st.columns(4)
        c1.selectbox(us.label(key, "sf_backbone"), list[str](names), format_func=names.__getitem__,
                     key=us.key(key, "sf_backbone", list(names)))
        us.chosen(c2.select_slider, key, "sf_k")
        us.chosen(c3.select_slider, key, "sf_iters")
        us.ranged(c4.number_input, key, "sf_seed")
        started = st.form_submit_button(tr("setfit.start"), type="primary")
    if started:
        with guard():
            recipe = SetFitRun.parse(us.values_of(key))[0]
            submit(slot(key), recipe.kind, replace(recipe.job_config(), data=data_ref()))  # a set, or an upload
            st.rerun()


def slot(key: str) -> str:
    return f"{key}-setfit"


def draw_setfit(snap: Snapshot) -> None:
    """Live: the contrastive loss. Done: scores, the pairs it made, the map before and after."""
    state = snap.state
    result = snap.result if snap.result is not None else (state.result if state is not None else None)
    steps = result.steps if result is not None else (state.steps if state is not None else [])
    if result is None:
        return
    cols = st.columns(4)
    cols[0].metric(tr("transfer.metric.accuracy"), f"{result.test_accuracy:.3f}")
    cols[1].metric(tr("transfer.metric.f1"), f"{result.test_macro_f1:.3f}")
    cols[2].metric(tr("setfit.pairs_metric"), f"{result.n_pairs:,}", tr("setfit.positive_share",
                   share=f"{result.n_positive / max(result.n_pairs, 1):.0%}"), delta_color="off")
    cols[3].metric(tr("transfer.metric.time"), f"{result.train_seconds:.1f} s")
    st.caption(tr("transfer.metric.examples", train=result.n_train, test=result.n_test))
    st.markdown(f"**{tr('setfit.pairs')}**")
    st.caption(tr("setfit.pairs_help"))
    frame = pd.DataFrame(result.pairs)
    if not frame.empty:
        frame["kind"] = frame["kind"].map(lambda k: tr(f"setfit.kind.{k}"))
        st.dataframe(frame[["kind", "text_a", "label_a", "text_b", "label_b"]], hide_index=True, width="stretch")
    left, right = st.columns(2)
    chart(embedding_map_figure(result.map_before, fig_text(), "setfit.map.before"), "setfit-map-before",
          "setfit-map-before", left, width="stretch")
    chart(embedding_map_figure(result.map_after, fig_text(), "setfit.map.after"), "setfit-map-after",
          "setfit-map-after", right, width="stretch")
    if steps:
        curves = run_loss_curves([("SetFit", [], [{"epoch": 1, **s} for s in steps])])
        chart(loss_figure(curves, fig_text(), title="setfit.loss", train="setfit.contrastive"), "setfit-loss",
              "setfit-contrastive-loss", width="stretch")


def setfit_section(key: str, data_ref: Any) -> None:
    """The whole SetFit method: form + job panel."""
    from ui.jobs import job_panel

    setfit_form(key, data_ref)
    job_panel(slot(key), draw_setfit)
