"""`ui.watch.watch`: the one fragment that follows jobs; the page is redrawn once when they have all ended."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def script() -> None:
    import streamlit as st

    from plm_core.jobs import JobStatus, Snapshot
    from ui.watch import watch

    plan = st.session_state.setdefault("plan", ["running", "done", "done", "done"])
    log = st.session_state.setdefault("log", [])

    def read() -> list[Snapshot]:
        status = JobStatus(plan[min(len(log), len(plan) - 1)])
        log.append(status.value)
        return [Snapshot("j", "test.sleep", status, fraction=1.0 if status is JobStatus.DONE else 0.5)]

    watch(read, lambda snaps: st.write(f"drawn {snaps[0].status.value} {snaps[0].fraction}"))


def test_a_job_that_ends_while_watched_redraws_the_page_once() -> None:
    at = AppTest.from_function(script).run(timeout=60)
    assert not at.exception
    # first read: running (the fragment polls); its read: done -> one full rerun, which reads done twice, no more
    assert at.session_state["log"] == ["running", "done", "done", "done"]
    assert [m.value for m in at.markdown] == ["drawn done 1.0"]


def test_finished_jobs_are_drawn_without_polling() -> None:
    at = AppTest.from_function(script)
    at.session_state["plan"] = ["done"]
    at.run(timeout=60)
    assert not at.exception and at.session_state["log"] == ["done", "done"]  # the first read and one draw
    assert [m.value for m in at.markdown] == ["drawn done 1.0"]
