"""Transfer lab: train one classifier in a chosen mode, or race several modes on the identical split."""

import streamlit as st

from plm_core.backbones import specs
from ui.common import guard, page_header, tr
from ui.transfer import (
    backbone_notes, data_source, live_status, race_summary, result_card, settings_form, start_job, surgery_table,
)

JOBS = {"single": "transfer-job", "race": "transfer-race-job"}


def running(key: str) -> bool:
    job = st.session_state.get(key)
    return job is not None and job.running


def choose_backbone(tab: str):
    table = specs()
    name = st.selectbox(tr("common.backbone"), list(table), format_func=lambda n: table[n].display,
                        key=f"{tab}-backbone")
    backbone_notes(table[name])
    return table[name]


def launch(tab: str, race: bool) -> None:
    spec = choose_backbone(tab)
    data = data_source(tab)
    if race:
        st.caption(tr("transfer.race_slow"))
    settings = settings_form(tab, spec, data, race)
    if settings is None:
        return
    if any(running(k) for k in JOBS.values()):
        st.warning(tr("transfer.busy"))
        return
    with guard():
        st.session_state[JOBS[tab]] = start_job(settings, "race" if race else "transfer")
        st.rerun()


def finished_view(tab: str, snap: dict) -> None:
    if tab == "race":
        race_summary(snap)
        return
    run = snap["runs"][0]
    if run.result is not None:
        result_card(run.result, run.label, run.run_id)


def panel(tab: str) -> None:
    """Live while the job runs (polled every second, so other pages never block), static after."""
    key = JOBS[tab]
    if st.session_state.get(key) is None:
        return
    was_running = running(key)

    @st.fragment(run_every=1.0 if was_running else None)
    def live() -> None:
        job = st.session_state[key]
        snap = live_status(job, tab)
        if job.running:
            current = snap["runs"][snap["current"]]
            if tab == "single" and current.surgery:
                surgery_table(current.surgery)
        elif was_running:
            st.rerun(scope="app")  # the job ended: draw the results once, without polling
        else:
            finished_view(tab, snap)

    live()


page_header("transfer")
with st.expander(tr("transfer.tab.modes")):
    st.markdown(tr("transfer.modes_explained"))
single, race = st.tabs([tr("transfer.tab.single"), tr("transfer.tab.race")])
with single:
    launch("single", race=False)
    panel("single")
with race:
    launch("race", race=True)
    panel("race")
