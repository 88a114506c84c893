"""What the domain-fit page draws: the target picker, a fit report, the continued-pretraining view, the Korean case."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from plm_core.evidence import domain_figures as fg
from plm_core.figures import chips_html
from plm_core.jobs import DataRef, Snapshot
from ui.common import backbone_label, csv_uploader, dataset_label, md_escape, show_notices, table, tr, tr_md
from ui.figures import chart, fig_text

UPLOAD = "__domain_upload__"
UPLOAD_KEY = "domain_csv"
UNK_COLOUR, PIECE_COLOUR = "#f4a3a3", "#e8e8e8"


def target_picker(key: str, default: str = "movie-snippets") -> DataRef | None:
    """A sample set, or the CSV uploaded here (texts only are enough to measure fit)."""
    from plm_core.data import DATASETS

    with st.expander(tr("domain.upload")):
        upload = csv_uploader(tr("domain.upload"), key=f"{key}-upload", label_visibility="collapsed")
        if upload is not None:
            st.session_state[UPLOAD_KEY] = (upload.name, upload.getvalue())
    options = [*DATASETS, UPLOAD]
    names = {n: dataset_label(n) for n in DATASETS} | {UPLOAD: tr("domain.data.upload")}
    choice = st.selectbox(tr("domain.data"), options, index=options.index(default), key=f"{key}-data",
                          format_func=names.__getitem__)
    if choice != UPLOAD:
        return DataRef(choice)
    if UPLOAD_KEY not in st.session_state:
        st.info(tr("domain.upload.missing"))
        return None
    name, raw = st.session_state[UPLOAD_KEY]
    return DataRef(name, raw)


def fit_frame(report: Any) -> pd.DataFrame:
    frame = report.fit_table()
    frame["side"] = [tr(f"domain.side.{s}") for s in frame["side"]]
    if not report.perplexity:
        frame = frame.drop(columns=["perplexity"])
    return frame.rename(columns={c: tr(f"domain.col.{c}") for c in frame.columns})


def draw_fit(snap: Snapshot) -> None:
    """A finished fit report: the table, overlap, the example sentence and the map."""
    report = snap.result
    if report is None:
        return
    name = backbone_label(report.backbone)
    st.subheader(tr("domain.fit.header"))
    st.caption(tr(f"domain.reference.{report.reference}", name=name))
    table(fit_frame(report))
    if report.perplexity:
        st.caption(tr(f"domain.ppl.{next(iter(report.perplexity.values())).kind}"))
    for key, params in report.notices:
        st.warning(tr_md(key, **params), icon=":material/info:")
    draw_overlap(report, name)
    if report.example is not None:
        draw_example(report.example)
    if report.map is not None:
        st.subheader(tr("domain.map.header"))
        chart(fg.map_figure(report.map, fig_text(), name), key=f"domain-map-{snap.job_id}", name="domain-map")
        st.caption(tr("domain.map.separability", share=f"{report.separability:.0%}"))


def draw_overlap(report: Any, name: str) -> None:
    ov = report.overlap
    st.subheader(tr("domain.overlap.header"))
    cols = st.columns(3)
    cols[0].metric(tr("domain.overlap.one_piece"), f"{ov.one_piece:.0%}", help=tr("domain.overlap.one_piece_help"))
    if ov.in_corpus is None:
        st.caption(tr("domain.overlap.no_corpus", name=name))
        return
    cols[1].metric(tr("domain.overlap.in_corpus"), f"{ov.in_corpus:.0%}")
    cols[2].metric(tr("domain.overlap.tokens_in_corpus"), f"{ov.tokens_in_corpus:.0%}")
    st.caption(tr(f"domain.overlap.corpus.{report.corpus_text}", types=ov.types))
    if ov.unseen:
        st.caption(tr_md("domain.overlap.unseen", words=", ".join(ov.unseen)))


def draw_example(example: Any, header: bool = True) -> None:
    if header:
        st.markdown(f"**{tr('domain.example.header')}**: {md_escape(example.text)}")
    colours = [UNK_COLOUR if unk else PIECE_COLOUR for unk in example.unknown]
    st.markdown(chips_html(example.pieces, colours), unsafe_allow_html=True)
    st.caption(tr("domain.example.caption", n=len(example.pieces), unk=sum(example.unknown),
                  chars=sum(1 for c in example.text if not c.isspace()), ppc=example.pieces_per_char))


def continue_label(snap: Snapshot) -> str:
    state = snap.state
    if state is None:
        return ""
    return tr("domain.status.running", phase=tr(f"domain.phase.{state.phase}"), step=state.step,
              total=state.steps_total)


def draw_continue(snap: Snapshot) -> None:
    """The live curve, then the before/after tables."""
    state = snap.result or snap.state
    if state is None:
        return
    chart(fg.perplexity_curve_figure(state.history, state.val_history, fig_text(), state.steps_total),
          key=f"domain-curve-{snap.job_id}-{state.step}", name="continued-pretraining")
    if snap.result is not None and state.stopped_by == "user":
        st.info(tr("domain.cont.stopped"))
    if state.before:
        st.subheader(tr("domain.cont.ppl_header"))
        rows = pd.DataFrame(state.perplexity_table())
        rows["side"] = [tr(f"domain.side.{s}") for s in rows["side"]]
        small_table(rows)
    if state.transfer:
        st.subheader(tr("domain.cont.transfer_header"))
        rows = pd.DataFrame(state.transfer_table())
        rows["mode"] = [tr(f"domain.mode.{m}") for m in rows["mode"]]
        for column in ("before", "after"):  # accuracies as percentages, one decimal (the change is in points)
            rows[column] = ["–" if pd.isna(v) else f"{v:.1%}" for v in rows[column]]
        small_table(rows)
    if snap.result is not None and state.after:
        continue_notes(snap, state)


def small_table(rows: pd.DataFrame) -> None:
    """A two-row before/after table as plain HTML (readable at a glance, and by a browser test)."""
    frame = rows.rename(columns={c: tr(f"domain.col.{c}") for c in rows.columns})
    st.table(frame.set_index(frame.columns[0]).style.format(precision=2, na_rep="–"))


def continue_notes(snap: Snapshot, state: Any) -> None:
    job = snap.config
    why = tr(f"domain.cont.why.{state.stopped_by}") if state.stopped_by else ""
    st.caption(tr("domain.cont.summary", steps=state.step, seconds=round(state.pretrain_seconds), why=why,
                  n=state.pool_size, n_train=job.n_train, n_test=job.test_limit, seed=job.seed))
    ppl = {row["side"]: row for row in state.perplexity_table()}
    if ppl["target"]["change_pct"] < 0 < ppl["reference"]["change_pct"]:
        st.info(tr("domain.cont.forgetting"), icon=":material/school:")
    if state.weights:
        st.caption(tr_md("domain.cont.weights", folder=state.weights))
    show_notices(state.notices)


def draw_compare(snap: Snapshot) -> None:
    report = snap.result
    if report is None:
        return
    rows = pd.DataFrame(report.rows).drop(columns=["backbone", "texts", "words"])
    rows = rows.rename(columns={"display": "backbone"})
    table(rows.rename(columns={c: tr(f"domain.col.{c}") for c in rows.columns}))
    for name, example in report.examples.items():
        st.markdown(f"**{md_escape(next(r['display'] for r in report.rows if r['backbone'] == name))}**")
        draw_example(example, header=False)
