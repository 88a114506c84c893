"""The Runs page deletes exactly the runs a person confirmed, only their own, and a deletion can be undone."""

from __future__ import annotations

import time

import pytest

import ui.jobs
from conftest import open_app_page
from plm_core.runs import Deleter, RunStore, claim_runs

pytestmark = pytest.mark.usefixtures("private_stores")

ME, OTHER = "browser-of-alice-0001", "browser-of-bob-00002"


def fill(n: int, owner: str = ME) -> list[int]:
    store = RunStore()
    ids = [store.save("transfer", {"backbone": "minilm-l6", "mode": "frozen", "data": "movie-snippets", "n": 64,
                                   "seed": i}, {"test_accuracy": i / 100}, {"history": []}, {"train_seconds": 1.0})
           for i in range(n)]
    claim_runs(ids, [owner])
    return ids


@pytest.fixture
def as_me(monkeypatch):
    """This AppTest session is the browser ME (whatever way ui.jobs keeps the browser's secret id)."""
    monkeypatch.setattr(ui.jobs, "owner_id", lambda: ME)


def select(at, rows: list[int], lang: str) -> None:
    """What the browser sends when rows of the runs table are ticked (by position, as Streamlit does)."""
    table = at.dataframe[0]
    at.session_state[table.key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.session_state["lang"] = lang
    at.run()


def rerun(at, lang: str) -> None:
    at.session_state["lang"] = lang
    at.run()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_moved_selection_is_not_deleted(as_me, lang) -> None:
    fill(6)  # ids 1..6, newest first in the table: rows 0, 1 are runs 6, 5
    at = open_app_page("app_pages/runs.py", lang)
    assert not at.exception
    select(at, [0, 1], lang)
    assert len(at.checkbox) == 1 and not at.checkbox[0].value
    at.checkbox[0].check()
    rerun(at, lang)
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("runs-delete-"))).click()
    rerun(at, lang)
    assert not at.exception
    assert RunStore().ids() == [4, 3, 2, 1]  # exactly the two confirmed runs
    # the browser keeps rows 0, 1 ticked: they are now runs 4 and 3, which nobody confirmed
    select(at, [0, 1], lang)
    assert len(at.checkbox) == 1 and not at.checkbox[0].value  # a new, unticked confirmation
    delete_button = next(b for b in at.button if b.key and b.key.startswith("runs-delete-"))
    assert delete_button.disabled  # the second click of the report cannot happen
    at.checkbox[0].check()  # confirming the new selection is a deliberate act: then those two go
    rerun(at, lang)
    next(b for b in at.button if b.key and b.key.startswith("runs-delete-")).click()
    rerun(at, lang)
    assert RunStore().ids() == [2, 1]


def test_a_changed_selection_clears_the_confirmation(as_me) -> None:
    fill(4)
    at = open_app_page("app_pages/runs.py", "en")
    select(at, [0, 1], "en")
    at.checkbox[0].check()
    rerun(at, "en")
    select(at, [0, 1, 2], "en")  # one more row: the box asked about two runs, not three
    assert not at.checkbox[0].value
    assert RunStore().ids() == [4, 3, 2, 1]


def test_only_this_browsers_runs_are_deleted(as_me) -> None:
    fill(2, owner=OTHER)  # ids 1, 2: made in another browser
    fill(2)  # ids 3, 4: mine
    at = open_app_page("app_pages/runs.py", "en")
    assert [bool(v) for v in at.dataframe[0].value["mine"]] == [True, True, False, False]
    select(at, [0, 1, 2, 3], "en")
    assert any("2 of the selected runs were made in another browser" in c.value for c in at.caption)
    assert at.checkbox[0].label == "Yes, delete these 2 run(s)"
    at.checkbox[0].check()
    rerun(at, "en")
    next(b for b in at.button if b.key and b.key.startswith("runs-delete-")).click()
    rerun(at, "en")
    assert RunStore().ids() == [2, 1]
    select(at, [0, 1], "en")  # only another browser's runs: nothing to confirm, nothing to press
    assert not at.checkbox and not any(b.key and b.key.startswith("runs-delete-") for b in at.button)


def test_the_core_refuses_other_browsers_runs_and_undoes_within_a_minute() -> None:
    mine, theirs = fill(3), fill(2, owner=OTHER)
    store = RunStore()
    done = store.delete_for([*mine[:2], *theirs], Deleter(ME))
    assert done.deleted == tuple(mine[:2]) and done.refused == tuple(theirs) and done.n == 2
    assert store.ids() == [theirs[1], theirs[0], mine[2]]
    assert store.delete_for(theirs, Deleter("")).deleted == ()  # no browser id: nothing
    assert store.undo("not-a-batch") == 0
    assert store.undo(done.batch) == 2 and sorted(store.ids()) == sorted([*mine, *theirs])
    assert store.owned(mine, ME) == set(mine)  # undone runs are still mine
    late = store.delete_for(mine[:1], Deleter(ME))
    assert store.undo(late.batch, within_s=0.0) == 0 and mine[0] not in store.ids()  # too late


def test_undo_button_brings_the_runs_back(as_me) -> None:
    fill(3)
    at = open_app_page("app_pages/runs.py", "en")
    select(at, [0], "en")
    at.checkbox[0].check()
    rerun(at, "en")
    next(b for b in at.button if b.key and b.key.startswith("runs-delete-")).click()
    rerun(at, "en")
    assert RunStore().ids() == [2, 1] and any("undo this for 60 seconds" in s.value for s in at.success)
    next(b for b in at.button if b.key and b.key.startswith("runs-undo-")).click()
    rerun(at, "en")
    assert RunStore().ids() == [3, 2, 1] and not at.success


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_page_never_shows_the_database_path(as_me, lang) -> None:
    fill(1)
    at = open_app_page("app_pages/runs.py", lang)
    path = str(RunStore().path)
    texts = [e.value for kind in ("markdown", "caption", "info", "success", "warning", "error")
             for e in getattr(at, kind)]
    assert texts and not any(path in t or "runs.sqlite" in t for t in texts)


def test_the_job_service_records_who_made_a_jobs_runs(tmp_path, monkeypatch) -> None:
    from dataclasses import replace

    from plm_core.jobs import kinds
    from plm_core.jobs.cache import ResultCache
    from plm_core.jobs.local import LocalBackend
    from plm_core.jobs.model import JobStatus
    from plm_core.jobs.service import JobService
    from plm_core.jobs.testing import SleepConfig

    def store_two(config, result):  # a kind's store hook, in the server process
        store = RunStore()
        return [store.save("test", {"tag": config.tag}, {}, {}, {}) for _ in range(2)]

    kinds.kind_spec("test.sleep")  # registered by the composition root
    monkeypatch.setitem(kinds.KINDS, "test.sleep", replace(kinds.KINDS["test.sleep"], store=lambda: store_two))
    svc = JobService(LocalBackend(workers=1), ResultCache(RunStore().path))
    try:
        job_id = svc.submit("test.sleep", SleepConfig(steps=1, seconds=0.01, tag="own"), owner=ME)
        snap = svc.wait(job_id, timeout=120)
        deadline = time.monotonic() + 30
        while not snap.saved and snap.save_error is None and time.monotonic() < deadline:  # stored after shown
            time.sleep(0.05)
            snap = svc.snapshot(job_id)
    finally:
        svc.shutdown()
    assert snap.status is JobStatus.DONE and len(snap.saved) == 2
    assert RunStore().owned(snap.saved, ME) == set(snap.saved) and not RunStore().owned(snap.saved, OTHER)


def test_a_class_teacher_may_delete_any_run_students_may_not(as_me) -> None:
    from plm_core.lessons import classroom

    theirs = fill(2, owner=OTHER)
    state, key = classroom.start_class("2-transfer")
    assert Deleter(ME, state.code, "a-guessed-key").may_delete_any() is False
    assert Deleter(ME, "NOCLS", key).may_delete_any() is False
    at = open_app_page("app_pages/runs.py", "en")
    at.session_state["class.code"], at.session_state["class.key"] = state.code, key  # the teacher's browser
    select(at, [0, 1], "en")
    assert any("As the teacher of this class" in c.value for c in at.caption)
    at.checkbox[0].check()
    rerun(at, "en")
    next(b for b in at.button if b.key and b.key.startswith("runs-delete-")).click()
    rerun(at, "en")
    assert not at.exception and RunStore().ids() == []
    RunStore().undo(at.session_state["runs-deleted"].batch)
    classroom.end_class(state.code, key)
    assert Deleter(ME, state.code, key).may_delete_any() is False  # an ended class's key opens nothing
    assert RunStore().delete_for(theirs, Deleter(ME, state.code, key)).deleted == ()


def test_a_database_that_cannot_be_written_is_read(as_me, monkeypatch) -> None:
    """A read-only folder (simulated: this test may run as root, whom file modes do not stop) used to break
    the page ("cannot open"): it is read with SQLite's read-only mode, and nothing offers to delete."""
    import sqlite3

    fill(3)

    def refuse(self) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(RunStore, "_set_up", refuse)
    store = RunStore()
    assert store.read_only and store.ids() == [3, 2, 1] and len(store.page(0, 10)) == 3
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.delete([1])  # SQLite itself refuses: the connection is read-only
    assert store.delete_for([1, 2], Deleter(ME)).deleted == ()
    for lang in ("en", "ko"):
        at = open_app_page("app_pages/runs.py", lang)
        assert not at.exception and not at.error and len(at.dataframe[0].value) == 3
        assert len(at.info) == 1 and ("read-only" in at.info[0].value or "읽기 전용" in at.info[0].value)
        select(at, [0], lang)
        assert not at.checkbox and not [c for c in at.caption if "another browser" in c.value]


def test_a_database_that_cannot_be_opened_is_named_without_its_path(as_me, tmp_path, monkeypatch) -> None:
    folder = tmp_path / "a-folder-not-a-file.sqlite"
    folder.mkdir()
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(folder))
    at = open_app_page("app_pages/runs.py", "en")
    assert not at.exception and len(at.error) == 1
    assert "cannot be opened on this server" in at.error[0].value and str(tmp_path) not in at.error[0].value
