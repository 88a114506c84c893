"""Streamlit widgets of the Transfer lab: the settings form, the live panel and the result cards.

Everything computed lives in `plm_core.transfer`; this module only reads widgets and draws.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from plm_core.backbones import BackboneSpec
from plm_core.jobs import Snapshot
from plm_core.transfer.config import HEADS, TrainConfig, applicable_modes, applicable_poolings, default_pooling
from plm_core.transfer.figures import (
    accuracy_figure,
    confusion_figure,
    drift_heatmap,
    layer_weights_figure,
    loss_figure,
    share_text,
    surgery_display,
)
from ui.common import csv_uploader, dataset_label, show_error, show_notices, table, tr, tr_md

LRS = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 1e-1]
UPLOAD = "__upload__"


@dataclass
class Settings:
    """What the form gives: the configs to run and how to draw the examples."""

    configs: list[TrainConfig]
    data: str  # a sample-set name or UPLOAD
    n: int | None
    per_class: int | None
    test_limit: int | None


def data_source(key: str) -> str:
    """Sample set, or the CSV uploaded here or on the Models & data page."""
    from plm_core.data import DATASETS

    with st.expander(tr("transfer.upload")):
        upload = csv_uploader(tr("transfer.upload"), key=f"{key}-upload", label_visibility="collapsed")
        if upload is not None:
            st.session_state["uploaded_csv"] = (upload.name, upload.getvalue())
    options = list(DATASETS) + ([UPLOAD] if "uploaded_csv" in st.session_state else [])
    names = {n: dataset_label(n) for n in DATASETS}
    names[UPLOAD] = tr("transfer.data.uploaded", name=st.session_state.get("uploaded_csv", ("",))[0])
    choice = st.selectbox(tr("transfer.data"), options, key=f"{key}-data", format_func=names.__getitem__)
    if choice == UPLOAD:  # cut texts, removed duplicates, the separator: said before training
        from plm_core.errors import PLMError
        from ui.loaders import uploaded_dataset

        name, raw = st.session_state["uploaded_csv"]
        try:
            show_notices(uploaded_dataset(raw, name).notices)
        except PLMError as err:
            show_error(err)
    return choice


def backbone_notes(spec: BackboneSpec) -> None:
    if applicable_modes(spec) == ("frozen",):
        st.info(tr("transfer.only_frozen", name=spec.display, family=spec.family), icon=":material/ac_unit:")
    if spec.family == "decoder" and spec.params > 50_000_000:
        st.warning(tr("transfer.slow_decoder", name=spec.display, params=round(spec.params / 1e6)),
                   icon=":material/hourglass:")


def labels(prefix: str, keys: Sequence[str]) -> dict[str, str]:
    """Option key -> label in the user's language (a dict, so widgets format the same way later)."""
    return {k: tr(f"{prefix}.{k}") for k in keys}


def settings_form(key: str, spec: BackboneSpec, data: str, race: bool) -> Settings | None:
    """The form; returns Settings when submitted, else None."""
    modes = list(applicable_modes(spec))
    poolings = list(applicable_poolings(spec))
    names = labels("transfer.mode", modes) | labels("transfer.pooling", poolings) | labels("transfer.head", HEADS) \
        | labels("transfer.size", ["n", "k"])  # computed now, in the user's language
    with st.form(f"{key}-form"):
        if race:
            chosen = st.multiselect(tr("transfer.modes"), modes, default=modes, placeholder=tr("common.choose"),
                                    format_func=names.__getitem__, max_selections=5)
        else:
            chosen = [st.radio(tr("transfer.mode"), modes, format_func=names.__getitem__, horizontal=True)]
        c1, c2, c3 = st.columns(3)
        size_kind = c1.radio(tr("transfer.size_kind"), ["n", "k"], format_func=names.__getitem__)
        size = c2.number_input(tr("transfer.size"), min_value=1, max_value=1000, value=256, step=8)
        epochs = c3.number_input(tr("transfer.epochs"), min_value=1, max_value=20, value=3)
        c1, c2, c3 = st.columns(3)
        pooling = c1.selectbox(tr("transfer.pooling"), poolings, index=poolings.index(default_pooling(spec)),
                               format_func=names.__getitem__)
        head = c2.radio(tr("transfer.head"), list(HEADS), format_func=names.__getitem__, horizontal=True)
        top = max(spec.layers, 0)
        layer = c3.slider(tr("transfer.layer"), 0, top, top) if top else 0
        c1, c2, c3 = st.columns(3)
        lr_body = c1.select_slider(tr("transfer.lr_body"), LRS, value=1e-4, format_func=lambda v: f"{v:.0e}")
        lr_head = c2.select_slider(tr("transfer.lr_head"), LRS, value=2e-3, format_func=lambda v: f"{v:.0e}")
        decay = c3.slider(tr("transfer.layer_decay"), 0.5, 1.0, 0.8, 0.05)
        st.caption(tr("transfer.lr_help"))
        with st.expander(tr("transfer.advanced")):
            c1, c2, c3, c4 = st.columns(4)
            seed = c1.number_input(tr("transfer.seed"), min_value=0, max_value=10_000, value=0)
            max_length = c2.select_slider(tr("transfer.max_length"), [16, 32, 64, 128, 256], value=64)
            test_limit = c3.number_input(tr("transfer.test_limit"), min_value=10, max_value=2000,
                                         value=300 if race else 500, step=50)  # a race scores every racer
            batch = c4.select_slider(tr("transfer.batch_size"), [4, 8, 16, 32, 64], value=16)
        submitted = st.form_submit_button(tr("transfer.start_race" if race else "transfer.start"), type="primary")
    if not submitted:
        return None
    base = TrainConfig(backbone=spec.name, pooling=pooling, layer=int(layer) if top else -1, head=head,
                       epochs=int(epochs), lr_body=lr_body, lr_head=lr_head, layer_decay=decay,
                       batch_size=int(batch), max_length=int(max_length), seed=int(seed))
    return Settings([base.with_(mode=m) for m in chosen], data, int(size) if size_kind == "n" else None,
                    int(size) if size_kind == "k" else None, int(test_limit))


def start_job(settings: Settings, slot: str, race: bool) -> str:
    """Hand the configs and the data to the job service (a worker draws the split and trains)."""
    from plm_core.jobs import DataRef
    from plm_core.transfer.jobs import TransferJob
    from plm_core.transfer.race import check_race
    from ui.jobs import submit

    if race:
        check_race(settings.configs)  # before queueing: a bad race is the form's message, not the job's
    if settings.data == UPLOAD:
        name, raw = st.session_state["uploaded_csv"]
        data = DataRef(name, raw)
    else:
        data = DataRef(settings.data)
    job = TransferJob(tuple(settings.configs), data, n=settings.n, per_class=settings.per_class,
                      test_limit=settings.test_limit, race=race)
    return submit(slot, "transfer", job)


def progress_label(snap: Snapshot) -> str:
    """'frozen: extracting features' in the user's language (the job's own line is in English)."""
    state = snap.state
    if not state:
        return tr("transfer.phase.starting")
    run = state.runs[state.current]
    return f"{run.label}: {tr(f'transfer.phase.{run.phase}')}"


def curves(state: Any) -> None:
    runs = [r for r in state.runs if r.history or r.steps] if state else []
    if not runs:
        return
    names = dict(x_title=tr("transfer.chart.epoch"), train_name=tr("transfer.chart.train"),
                 test_name=tr("transfer.chart.heldout"))
    left, right = st.columns(2)
    left.plotly_chart(loss_figure([(r.label, r.history, r.steps) for r in runs], tr("transfer.chart.loss"), **names,
                                  y_title=tr("chart.loss")), width="stretch")
    right.plotly_chart(accuracy_figure([(r.label, r.history) for r in runs], tr("transfer.chart.accuracy"), **names,
                                       y_title=tr("chart.accuracy")), width="stretch")


SURGERY_WORDS = ("embeddings", "head", "mix", "pooler", "lm_head", "lm_head (tied)", "decoder + lm_head", "vectors",
                 "encoder", "body", "pretrained", "random", "new", "trainable", "frozen", "unused", "dropped")


def surgery_names() -> dict[str, str]:
    """Group names, origins and statuses of the surgery table and diagram in the user's language."""
    return {w: tr(f"surgery.{w}") for w in SURGERY_WORDS}


def transfer_diagram_chart(rows: list[dict], key: str) -> None:
    """The transfer diagram drawn from the same optimizer rows as the surgery table."""
    from plm_core.transfer.diagram import DiagramText, transfer_diagram

    names = surgery_names()
    text = DiagramText(tr("diagram.transfer.title"), tr("diagram.transfer.body"), tr("diagram.transfer.head"),
                       tr("diagram.transfer.lr"), tr("surgery.layer"),
                       {s: names[s] for s in ("trainable", "frozen", "unused", "dropped")}, names)
    st.plotly_chart(transfer_diagram(rows, text), width="stretch", key=key)
    st.caption(tr("diagram.transfer.caption"))


def surgery_table(rows: list[dict], key: str = "surgery") -> None:
    if rows:
        transfer_diagram_chart(rows, f"{key}-diagram")
        st.markdown(f"**{tr('transfer.surgery')}**")
        st.caption(tr("transfer.surgery_help"))
        table(surgery_display(rows, surgery_names(), tr("surgery.layer")))


def short_count(n: int) -> str:
    """770 -> '770', 22_566_146 -> '22.6M' (metrics are narrow)."""
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if n >= size:
            return f"{n / size:.1f}{unit}"
    return str(n)


def result_card(result: Any, label: str) -> None:
    """Scores, parameter counts, time, memory, confusion matrix, layer weights, surgery table."""
    st.markdown(f"#### {tr('transfer.result', label=label)}")
    cols = st.columns(5)
    cols[0].metric(tr("transfer.metric.accuracy"), f"{result.test_accuracy:.3f}")
    cols[1].metric(tr("transfer.metric.f1"), f"{result.test_macro_f1:.3f}")
    cols[2].metric(tr("transfer.metric.trainable"), f"{short_count(result.trainable_params)} / "
                   f"{short_count(result.total_params)}")
    cols[2].caption(tr("transfer.metric.share", share=share_text(result.trainable_params, result.total_params)))
    cols[3].metric(tr("transfer.metric.time"), f"{result.train_seconds:.1f} s")
    cols[4].metric(tr("transfer.metric.memory"), f"{result.peak_memory_mb:,.0f} MB")
    st.caption(tr("transfer.metric.examples", train=result.n_train, test=result.n_test))
    for key, params in result.notices:
        st.warning(tr_md(key, **params))
    if result.stop_reason == "user":
        st.info(tr("transfer.stopped_early", epochs=len(result.history)))
    if result.timings.get("cache_hit"):
        st.caption(tr("transfer.cache_hit"))
    left, right = st.columns(2)
    if result.confusion:
        left.plotly_chart(confusion_figure(result.confusion, result.labels, tr("transfer.chart.confusion"),
                                           tr("transfer.chart.true"), tr("transfer.chart.pred")), width="stretch")
    if result.layer_weights:
        right.plotly_chart(layer_weights_figure(result.layer_weights, result.mix_gamma, tr("transfer.chart.mix"),
                                                tr("transfer.chart.layer"), tr("chart.uniform")), width="stretch")
        from ui import diagrams

        diagrams.elmo(result.layer_weights, result.mix_gamma)
        st.caption(tr("diagram.elmo.caption"))
    surgery_table(result.param_groups, f"result-{label}")


def race_summary(state: Any) -> None:
    """Comparison table and the weight-drift heatmap of the finished racers."""
    from plm_core.transfer.race import comparison_table

    done = [r for r in state.runs if r.result is not None] if state else []
    if not done:
        return
    st.markdown(f"#### {tr('transfer.compare')}")
    frame = comparison_table([r.label for r in done], [r.result for r in done])
    formats = {"test_accuracy": "%.3f", "test_macro_f1": "%.3f", "trainable_params": "localized",
               "total_params": "localized", "trainable_share": "percent", "train_seconds": "%.1f",
               "peak_memory_mb": "%.0f"}
    table(frame, column_config={c: st.column_config.NumberColumn(tr(f"col.{c}"), format=f) for c, f in formats.items()})
    st.plotly_chart(drift_heatmap([r.label for r in done], [r.result.drift for r in done],
                                  tr("transfer.chart.drift"), tr("transfer.chart.group")), width="stretch")
    st.caption(tr("transfer.drift_help"))
