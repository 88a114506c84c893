"""Runs: every stored run — browse a page at a time, filter, compare on one chart, export on request, delete."""

import functools
import hashlib
import time

import pandas as pd
import streamlit as st

import ui.jobs
from plm_core.errors import PLMError
from plm_core.i18n import all_messages
from plm_core.runs import UNDO_SECONDS, Deleter, Deletion, RunStore
from plm_core.transfer.figures import runs_figure
from ui import urlstate as us
from ui.common import backbone_label, dataset_label, guard, page_header, tr
from ui.common import table as show_table
from ui.figures import chart, fig_text
from ui.lesson import step_bar

FILTERS = ("kind", "backbone", "mode", "data")
SHOWN = ["id", "kind", "backbone", "mode", "method", "data", "n", "per_class", "seed", "test_accuracy",
         "test_macro_f1", "epochs", "trainable_params", "train_seconds", "created_at", "app_version"]
METRICS = ["test_accuracy", "test_macro_f1", "test_loss", "train_loss", "train_accuracy"]
PAGE_SIZE = 50  # rows read and drawn per render
EXPORT = "runs-export"  # session key of the export built on request: (ids, csv, json)
DELETED = "runs-deleted"  # session key of this session's last Deletion (its message and its undo button)
TABLE_GEN = "runs-table-gen"  # bumped by a deletion: the table is drawn anew, with nothing selected


def value_label(field: str, value: str) -> str:
    """A stored value as this language shows it: run kinds and data sets by their catalog names, backbones by
    their labels, strategies and few-shot methods by their names; anything else (numbers) as stored."""
    if field == "kind" and f"runs.kind.{value}" in all_messages():
        return tr(f"runs.kind.{value}")
    if field == "data":
        return dataset_label(value)
    if field == "backbone":
        return backbone_label(value)
    if field == "mode":
        return fig_text().run(value)
    if field == "method":
        return fig_text().method(value)
    return value


def chosen_filters(store: RunStore) -> dict[str, list[str]]:
    """The filter widgets (options from SELECT DISTINCT, never the whole table)."""
    cols = st.columns(len(FILTERS))
    out: dict[str, list[str]] = {}
    for col, name in zip(cols, FILTERS, strict=True):
        values = store.distinct(name)
        if values:
            out[name] = col.multiselect(tr(f"runs.filter.{name}"), values, key=f"runs-filter-{name}",
                                        placeholder=tr("common.choose"),
                                        format_func=functools.partial(value_label, name))
    return out


def page_of(store: RunStore, filters: dict[str, list[str]], total: int) -> pd.DataFrame:
    pages = max(1, -(-total // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input(tr("runs.page", pages=pages), min_value=1, max_value=pages,
                                   key=us.key("runs", "page", lo=1, hi=pages)))
        st.caption(tr("runs.page_rows", first=(page - 1) * PAGE_SIZE + 1, last=min(page * PAGE_SIZE, total), n=total))
    return store.page((page - 1) * PAGE_SIZE, PAGE_SIZE, filters)


def cell_text(value: object) -> str:
    """A cell of a column with gaps: "—" for none (Streamlit writes "None", in English), whole numbers whole."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.4f}".rstrip("0")
    return str(value)


def with_dashes(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns with empty cells as text ("—" in the gaps; a few-shot run has no mode or seed); full columns
    keep their numbers (and their numeric sort)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].isna().any():
            out[col] = [cell_text(v) for v in out[col].astype(object)]
    return out


def selected_ids(table: pd.DataFrame, mine: set[int]) -> list[int]:
    shown = table[[c for c in SHOWN if c in table]]
    readable = shown.copy()  # the cells a person reads; `shown` keeps the stored ids for the selection
    for field in ("kind", "data", "mode", "method"):
        if field in readable:
            readable[field] = [value_label(field, v) if isinstance(v, str) else v for v in readable[field]]
    readable.insert(1, "mine", [int(i) in mine for i in shown["id"]])
    event = show_table(with_dashes(readable), on_select="rerun", selection_mode="multi-row",
                       key=f"runs-table-{st.session_state.get(TABLE_GEN, 0)}",
                       column_config={"mine": st.column_config.CheckboxColumn(tr("runs.col.mine"),
                                                                              help=tr("runs.col.mine_help"))})
    selection = getattr(event, "selection", None)  # None before the first selection
    rows = selection.rows if selection is not None else []
    return [int(shown.iloc[i]["id"]) for i in rows]


def compare(store: RunStore, ids: list[int]) -> None:
    st.markdown(f"#### {tr('runs.compare')}")
    names = {m: tr(f"col.{m}") for m in METRICS}  # fixed now: a format_func may run after this script run
    metric = st.selectbox(tr("runs.metric"), METRICS, key=us.key("runs", "metric", METRICS),
                          format_func=names.__getitem__)
    chart(runs_figure(store.get_many(ids), metric, fig_text()), "runs-compare", f"runs-{metric}", width="stretch")


def export(store: RunStore, targets: list[int]) -> None:
    """Build the CSV/JSON only when asked; offer the downloads while the selection stays the same."""
    left, middle, right = st.columns(3)
    if left.button(tr("runs.export_prepare", n=len(targets)), icon=":material/download:", key="runs-export-go"):
        st.session_state[EXPORT] = (targets, store.export_csv(targets), store.export_json(targets))
    built = st.session_state.get(EXPORT)
    if built is None or built[0] != targets:
        return
    middle.download_button(tr("runs.export_csv", n=len(targets)), built[1], "runs.csv", "text/csv")
    right.download_button(tr("runs.export_json", n=len(targets)), built[2], "runs.json", "application/json")


def deleter() -> Deleter:
    """Who this browser is when it deletes: its secret id (its own runs), and the teacher key of the class it
    leads (any run; the step bar has read the class into the session; the core checks the key)."""
    from ui import classroom as class_ui

    return Deleter(owner=ui.jobs.owner_id(), class_code=str(st.session_state.get(class_ui.CODE) or ""),
                   teacher_key=str(st.session_state.get(class_ui.KEY) or ""))


def ids_tag(ids: list[int]) -> str:
    """A short name for exactly these run ids: the confirmation box is bound to it."""
    return hashlib.sha1(",".join(map(str, sorted(ids))).encode()).hexdigest()[:12]


def delete(store: RunStore, ids: list[int]) -> None:
    """Delete the selected runs this browser may delete, after a confirmation bound to exactly those ids: a
    changed selection (also the one a deletion leaves behind) is a new, unticked box."""
    if store.read_only:
        return
    who = deleter()
    teacher = who.may_delete_any()
    allowed = sorted(ids) if teacher else sorted(store.owned(ids, who.owner))
    others = len(ids) - len(allowed)
    if others:
        st.caption(tr("runs.delete.not_yours", n=others))
    elif teacher and set(ids) - store.owned(ids, who.owner):
        st.caption(tr("runs.delete.as_teacher"))
    if not allowed:
        return
    tag = ids_tag(allowed)
    confirm = st.checkbox(tr("runs.delete.confirm", n=len(allowed)), key=f"runs-confirm-{tag}")
    if st.button(tr("runs.delete.button", n=len(allowed)), disabled=not confirm, icon=":material/delete:",
                 key=f"runs-delete-{tag}") and st.session_state.get(f"runs-confirm-{tag}"):
        st.session_state[DELETED] = store.delete_for(allowed, who)
        st.session_state[TABLE_GEN] = st.session_state.get(TABLE_GEN, 0) + 1
        st.session_state.pop(EXPORT, None)
        st.rerun()


def deleted_note(store: RunStore) -> None:
    """The last deletion of this session, with an undo button for UNDO_SECONDS."""
    done: Deletion | None = st.session_state.get(DELETED)
    if done is None:
        return
    if time.time() - done.at > UNDO_SECONDS:
        st.session_state.pop(DELETED)
        return
    cols = st.columns([4, 1])
    cols[0].success(tr("runs.delete.done", n=done.n, seconds=int(UNDO_SECONDS)), icon=":material/delete:")
    if done.n and cols[1].button(tr("runs.delete.undo"), icon=":material/undo:", key=f"runs-undo-{done.batch}"):
        back = store.undo(done.batch)
        st.session_state.pop(DELETED)
        st.session_state[TABLE_GEN] = st.session_state.get(TABLE_GEN, 0) + 1
        if back:
            st.toast(tr("runs.delete.undone", n=back), icon=":material/undo:")
        else:
            st.toast(tr("runs.delete.too_late"), icon=":material/schedule:")
        st.rerun()


def open_store() -> RunStore:
    """The runs database; one that cannot be opened is named without its server path."""
    try:
        return RunStore()
    except PLMError as err:
        if err.key == "runs.err.open":
            raise PLMError("runs.err.unavailable") from None
        raise


step_bar()  # lesson mode: the step bar (nothing without ?lesson=)
page_header("runs")
with guard():
    store = open_store()
    deleted_note(store)
    st.caption(tr("runs.count", n=store.count()))
    if store.read_only:
        st.info(tr("runs.read_only"), icon=":material/lock:")
    if store.count() == 0:
        st.info(tr("runs.empty"))
    else:
        filters = chosen_filters(store)
        total = store.count(filters)
        table = page_of(store, filters, total)
        st.caption(tr("runs.select_help"))
        ids = selected_ids(table, store.owned(table["id"].tolist(), deleter().owner))
        if ids:
            compare(store, ids)
        else:
            st.caption(tr("runs.none_selected"))
        export(store, ids or store.ids(filters))
        if ids:
            delete(store, ids)
