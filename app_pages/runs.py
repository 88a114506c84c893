"""Runs: every stored run — browse, filter, compare on one chart, export, delete."""

import pandas as pd
import streamlit as st

from plm_core.runs import RunStore
from plm_core.transfer.figures import runs_figure
from ui.common import guard, page_header, tr, tr_md

FILTERS = ("kind", "backbone", "mode", "data")
SHOWN = ["id", "kind", "backbone", "mode", "method", "data", "n", "per_class", "seed", "test_accuracy",
         "test_macro_f1", "epochs", "trainable_params", "train_seconds", "created_at", "app_version"]
METRICS = ["test_accuracy", "test_macro_f1", "test_loss", "train_loss", "train_accuracy"]


def filtered(table: pd.DataFrame) -> pd.DataFrame:
    cols = st.columns(len(FILTERS))
    for col, name in zip(cols, FILTERS):
        if name not in table:
            continue
        values = sorted(table[name].dropna().astype(str).unique())
        chosen = col.multiselect(tr(f"runs.filter.{name}"), values, key=f"runs-filter-{name}")
        if chosen:
            table = table[table[name].astype(str).isin(chosen)]
    return table


def selected_ids(table: pd.DataFrame) -> list[int]:
    shown = table[[c for c in SHOWN if c in table]]
    event = st.dataframe(shown, hide_index=True, width="stretch", on_select="rerun", selection_mode="multi-row",
                         key="runs-table")
    rows = event.selection.rows if event is not None and hasattr(event, "selection") else []
    return [int(shown.iloc[i]["id"]) for i in rows]


def compare(store: RunStore, ids: list[int]) -> None:
    st.markdown(f"#### {tr('runs.compare')}")
    metric = st.selectbox(tr("runs.metric"), METRICS, key="runs-metric")
    st.plotly_chart(runs_figure(store.get_many(ids), metric), width="stretch")


def export_and_delete(store: RunStore, ids: list[int], table: pd.DataFrame) -> None:
    targets = ids or table["id"].astype(int).tolist()
    if not ids:
        st.caption(tr("runs.none_selected"))
    left, middle, right = st.columns(3)
    left.download_button(tr("runs.export_csv", n=len(targets)), store.export_csv(targets), "runs.csv", "text/csv")
    middle.download_button(tr("runs.export_json", n=len(targets)), store.export_json(targets), "runs.json",
                           "application/json")
    if ids:
        confirm = right.checkbox(tr("runs.confirm"), key="runs-confirm")
        if right.button(tr("runs.delete", n=len(ids)), disabled=not confirm, icon=":material/delete:"):
            st.session_state["runs-deleted"] = store.delete(ids)
            st.rerun()


page_header("runs")
with guard():
    store = RunStore()
    if "runs-deleted" in st.session_state:
        st.success(tr("runs.deleted", n=st.session_state.pop("runs-deleted")))
    table = store.list()
    st.caption(tr_md("runs.db", path=str(store.path), n=len(table)))
    if table.empty:
        st.info(tr("runs.empty"))
    else:
        table = filtered(table)
        st.caption(tr("runs.select_help"))
        ids = selected_ids(table)
        if ids:
            compare(store, ids)
        export_and_delete(store, ids, table)
