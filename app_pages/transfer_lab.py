"""Transfer lab: train one classifier in a chosen mode, or race several modes on the identical split."""

import streamlit as st

from plm_core.backbones import specs
from plm_core.jobs import JobStatus, Snapshot
from ui import urlstate as us
from ui.common import backbone_labels, guard, page_header, tr
from ui.jobs import is_active, job_panel
from ui.lesson import lab_controls, step_bar
from ui.transfer import (
    backbone_notes,
    curves,
    data_ref,
    data_source,
    progress_label,
    race_summary,
    result_card,
    settings_form,
    start_job,
    surgery_table,
)

SLOTS = {"single": "transfer-single", "race": "transfer-race"}


def choose_backbone(tab: str):
    table = specs()
    names = backbone_labels()  # in the user's language
    name = st.selectbox(tr("common.backbone"), list(table), format_func=names.__getitem__,
                        key=us.key("transfer", "backbone", list(table)))
    backbone_notes(table[name])
    return table[name]


def launch(tab: str, race: bool) -> None:
    spec = choose_backbone(tab)
    data = data_source(tab)
    if race:
        st.caption(tr("transfer.race_slow"))
    recipe = settings_form(tab, spec, race)
    if recipe is None:
        return
    if any(is_active(slot) for slot in SLOTS.values()):
        st.warning(tr("transfer.busy"))
        return
    with guard():
        start_job(recipe, data, SLOTS[tab])
        st.rerun()


def draw(tab: str, snap: Snapshot) -> None:
    """Curves while it trains (and the optimizer's surgery table); result cards once it has ended."""
    state = snap.state if snap.result is None else snap.result
    curves(state, tab)
    if snap.active:
        if tab == "single" and state and state.runs[0].surgery:
            surgery_table(state.runs[0].surgery)
        return
    if snap.status is JobStatus.ERROR or state is None:
        return
    if tab == "race":
        race_summary(state)
    elif state.runs[0].result is not None:
        result_card(state.runs[0].result, state.runs[0].label)


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("transfer")
with lab_controls() as fold:  # lesson mode: the whole form folded under the step's figure, the result below it
    with st.expander(tr("transfer.tab.modes")):
        st.markdown(tr("transfer.modes_explained"))
    single, race, setfit = us.tabs("transfer", ["single", "race", "setfit"])  # from the URL; kept over a switch
    if single.open:  # only the open tab runs (the tabs share the page's setting keys)
        with single:
            launch("single", race=False)
        with fold.results(single):
            job_panel(SLOTS["single"], lambda snap: draw("single", snap), describe=progress_label)
    if race.open:
        with race:
            launch("race", race=True)
        with fold.results(race):
            job_panel(SLOTS["race"], lambda snap: draw("race", snap), describe=progress_label)
    if setfit.open:
        with setfit:
            from ui.setfit import setfit_section

            source = data_source("setfit")
            setfit_section("transfer", lambda: data_ref(source))
