"""Domain fit: how well a backbone fits a target text, continued pretraining on it, and the Korean case."""

import streamlit as st

from plm_core.backbones import specs
from plm_core.evidence.domain import KOREAN_EXAMPLE, CompareJob, FitJob
from plm_core.evidence.domain_continue import MAX_STEPS, ContinueJob
from plm_core.jobs import DataRef
from ui.common import backbone_labels, guard, page_header, tr
from ui.common import tabs as open_tabs
from ui.domain import continue_label, draw_compare, draw_continue, draw_fit, target_picker
from ui.jobs import current_job, is_active, job_panel, submit

SLOTS = {"fit": "domain-fit", "continue": "domain-continue", "korean": "domain-korean"}


def fit_tab() -> None:
    table = specs()
    names = list(table)
    name = st.selectbox(tr("domain.backbone"), names, index=names.index("tiny-bert-mlm"),
                        format_func=backbone_labels().__getitem__, key="domain-backbone")
    data = target_picker("domain-fit")
    pressed = st.button(tr("domain.measure"), type="primary", disabled=data is None or is_active(SLOTS["fit"]),
                        key="domain-measure")
    if pressed and data is not None:
        with guard():
            submit(SLOTS["fit"], "domain.fit", FitJob(name, data))
    if current_job(SLOTS["fit"]) is None:
        st.info(tr("domain.none"))
        return
    job_panel(SLOTS["fit"], draw_fit)


def continue_tab() -> None:
    st.caption(tr("domain.cont.explain"))
    objective = st.segmented_control(tr("domain.cont.objective"), ["mlm", "clm"], default="mlm",
                                     key="domain-objective", format_func=lambda o: tr(f"domain.cont.obj.{o}")) or "mlm"
    data = target_picker("domain-continue")
    cols = st.columns(2)
    steps = cols[0].slider(tr("domain.cont.steps"), 20, 2000, 300, step=20, key="domain-steps")
    budget = cols[1].slider(tr("domain.cont.budget"), 10, 300, 180, step=10, key="domain-budget")
    st.caption(tr("domain.cont.csv_needs_labels"))
    pressed = st.button(tr("domain.cont.start"), type="primary", key="domain-start",
                        disabled=data is None or is_active(SLOTS["continue"]))
    if pressed and data is not None:
        with guard():
            job = ContinueJob(objective, data, steps=min(int(steps), MAX_STEPS), budget_s=float(budget))
            job.check()
            submit(SLOTS["continue"], "domain.continue", job, live=True)
    if current_job(SLOTS["continue"]) is None:
        st.info(tr("domain.cont.none"))
        return
    job_panel(SLOTS["continue"], draw_continue, every=2.0, describe=continue_label)


def korean_tab() -> None:
    st.info(tr("domain.korean.explain"), icon=":material/translate:")
    example = st.text_input(tr("domain.korean.example"), value=KOREAN_EXAMPLE, max_chars=300, key="domain-example")
    if st.button(tr("domain.korean.run"), type="primary", key="domain-compare",
                 disabled=is_active(SLOTS["korean"])):
        with guard():
            submit(SLOTS["korean"], "domain.compare", CompareJob(DataRef("korean-intents"), example=example))
    if current_job(SLOTS["korean"]) is None:
        st.info(tr("domain.korean.none"))
        return
    job_panel(SLOTS["korean"], draw_compare)


page_header("domain")
st.info(tr("domain.explain"), icon=":material/school:")
tabs = open_tabs("domain", ["fit", "continue", "korean"])
with tabs[0], guard():
    fit_tab()
with tabs[1], guard():
    continue_tab()
with tabs[2], guard():
    korean_tab()
