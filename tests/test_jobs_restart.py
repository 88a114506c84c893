"""Jobs survive the server: a killed server's queued and running jobs run in the next one (a job running at two
restarts is "interrupted — run again"); its worker ends quietly (no BrokenPipe traceback, no process left); a
failed store is no cache hit; a page whose job is gone says so; the owner id is never in the URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from test_jobs_quota import ManualBackend, job

from plm_core.i18n import t
from plm_core.jobs import JobService, JobStatus
from plm_core.jobs.cache import ResultCache
from plm_core.jobs.journal import JobJournal
from plm_core.jobs.local import LocalBackend
from plm_core.jobs.testing import SleepConfig
from plm_core.paths import REPO_ROOT

SERVER = textwrap.dedent("""
    import json, sys, time
    from plm_core.jobs import JobService, JobStatus
    from plm_core.jobs.cache import ResultCache
    from plm_core.jobs.journal import JobJournal
    from plm_core.jobs.local import LocalBackend
    from plm_core.jobs.testing import SleepConfig

    folder = sys.argv[1]
    backend = LocalBackend(workers=1)
    svc = JobService(backend, ResultCache(folder + "/runs.sqlite"), journal=JobJournal(folder + "/jobs.sqlite"))
    running = svc.submit("test.sleep", SleepConfig(steps=300, seconds=0.05, tag="running"), owner="u1", slot="lab")
    queued = svc.submit("test.sleep", SleepConfig(steps=3, seconds=0.01, tag="queued"), owner="u2", slot="lab")
    while not svc.snapshot(running).items:
        time.sleep(0.05)
    print(json.dumps({"running": running, "queued": queued, "workers": backend.pids()}), flush=True)
    time.sleep(600)
""")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:  # a zombie is gone too (its parent, the killed server, will not reap it)
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] == "Z"
    except OSError:
        return True


@pytest.fixture
def quick_workers(monkeypatch):
    monkeypatch.setenv("PLM_LAB_WORKER_PRELOAD", "0")  # the test kinds need no transformers


def test_a_killed_servers_queued_and_running_jobs_complete_after_the_restart(tmp_path, quick_workers) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(tmp_path)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO_ROOT))
    try:
        assert server.stdout is not None
        ids = json.loads(server.stdout.readline())
    finally:
        server.send_signal(signal.SIGKILL)  # the server dies at once: no shutdown, no goodbye to its worker
    _, errors = server.communicate(timeout=30)  # returns once the worker (which shares stderr) has exited too
    worker = ids["workers"][0]
    deadline = time.monotonic() + 10
    while not gone(worker):
        assert time.monotonic() < deadline, "the old worker outlived its server"
        time.sleep(0.1)
    assert "Traceback" not in errors and "BrokenPipe" not in errors, errors

    backend = LocalBackend(workers=1)
    svc = JobService(backend, ResultCache(tmp_path / "runs.sqlite"), journal=JobJournal(tmp_path / "jobs.sqlite"))
    try:
        assert svc.stats()["restored"] == 2
        assert svc.latest("u1", "lab") == ids["running"]  # a reloaded page finds its job again
        assert svc.snapshot(ids["running"]).status is JobStatus.RUNNING  # run again at once
        assert svc.snapshot(ids["queued"]).status is JobStatus.QUEUED
        done = [svc.wait(ids[k], timeout=120) for k in ("running", "queued")]
        assert [s.status for s in done] == [JobStatus.DONE, JobStatus.DONE]
        assert done[0].result["steps"] == 300 and done[1].result["steps"] == 3
    finally:
        svc.shutdown()


def test_a_job_running_at_two_restarts_is_interrupted_with_a_rerun(tmp_path) -> None:
    def server() -> tuple[JobService, ManualBackend]:
        backend = ManualBackend(capacity=1)
        return JobService(backend, ResultCache(tmp_path / "r.sqlite"),
                          journal=JobJournal(tmp_path / "j.sqlite")), backend

    first, backend = server()
    running = first.submit("test.sleep", job("long"), owner="u1", slot="lab")
    queued = first.submit("test.sleep", job("next"), owner="u2", slot="lab")
    assert backend.started == [running]
    first.abandon()
    second, backend = server()  # restart 1: the running job runs again, the queued one waits its turn
    assert backend.started == [running] and second.snapshot(queued).status is JobStatus.QUEUED
    second.abandon()
    third, backend = server()  # restart 2 while it ran again: interrupted, with what it takes to run it again
    snap = third.snapshot(running, owner="u1")
    assert snap.status is JobStatus.ERROR and snap.error is not None and snap.error.key == "jobs.err.interrupted"
    assert snap.config == job("long")
    assert snap.error.message("ko") != snap.error.message("en")
    assert backend.started == [queued]  # nothing silently vanished: the queued one runs
    backend.finish(queued)
    assert third.wait(queued, timeout=5).status is JobStatus.DONE
    third.submit(snap.kind, snap.config, owner="u1", slot="lab")  # the page's "Run again"
    assert third.latest("u1", "lab") != running


def test_an_identical_request_after_a_failed_store_is_not_labelled_from_the_cache(tmp_path) -> None:
    backend = ManualBackend(capacity=1)
    svc = JobService(backend, ResultCache(tmp_path))  # a folder: the cache cannot be written (read-only DB)
    first = svc.submit("test.sleep", job("same"), owner="a")
    backend.finish(first)
    snap = svc.snapshot(first, owner="a")
    assert snap.status is JobStatus.DONE and snap.save_error is not None
    again = svc.submit("test.sleep", job("same"), owner="b")  # another browser, the same request
    assert again != first and not svc.snapshot(again).cached  # computed again, not "From the result cache"


def test_workers_of_a_vanished_server_exit_by_themselves(tmp_path, quick_workers) -> None:
    backend = LocalBackend(workers=2)
    svc = JobService(backend, ResultCache(tmp_path / "w.sqlite"))
    ids = [svc.submit("test.sleep", SleepConfig(steps=400, seconds=0.05, tag=str(i))) for i in range(2)]
    while not all(svc.snapshot(i).items for i in ids):
        time.sleep(0.05)
    pids = backend.pids()
    assert len(pids) == 2
    svc.abandon()
    backend.abandon()
    deadline = time.monotonic() + 10
    while not all(gone(p) for p in pids):
        assert time.monotonic() < deadline, "a worker outlived its server"
        time.sleep(0.1)


def page_script() -> None:
    import streamlit as st

    from ui.jobs import current_job, heartbeat, owner_id, submit

    if st.session_state.get("mode") == "gone":
        heartbeat()  # what every page does (app.py)
        st.session_state["job:lab"] = "feedfacecafe"
        current_job("lab")
    else:
        st.session_state["class.group"], st.session_state["class.priority"] = "ABCD", 1
        st.session_state["job"] = submit("lab", "test.sleep", st.session_state["config"])
        st.session_state["me"] = owner_id()
        heartbeat()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_page_whose_job_is_gone_says_so(tmp_path, monkeypatch, lang: str) -> None:
    from streamlit.testing.v1 import AppTest

    import plm_core.jobs.service as service
    from ui.common import LANG_KEY

    monkeypatch.setattr(service, "_SERVICE", JobService(ManualBackend(), ResultCache(tmp_path / "p.sqlite")))
    at = AppTest.from_function(page_script)
    at.session_state["mode"] = "gone"
    at.session_state[LANG_KEY] = lang
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("jobs.gone", lang)]
    assert "job:lab" not in at.session_state


def test_jobs_carry_the_class_and_the_owner_id_stays_out_of_the_url(tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    import plm_core.jobs.service as service

    svc = JobService(ManualBackend(capacity=0), ResultCache(tmp_path / "c.sqlite"))
    monkeypatch.setattr(service, "_SERVICE", svc)
    at = AppTest.from_function(page_script)
    at.session_state["config"] = job("class")
    at.query_params["u"] = "0123456789abcdef"  # an old link's owner id: not adopted, dropped from the URL
    at.run()
    assert not at.exception
    me = at.session_state["me"]
    assert len(me) == 32 and me != "0123456789abcdef" and "u" not in at.query_params
    assert svc.group_usage("ABCD").teacher == 1 and svc.latest(me, "lab") == at.session_state["job"]
    usage = t("jobs.usage", "ko", running=0, queued=0, limit=30, students=0, teacher=1)
    assert [c.value for c in at.sidebar.caption] == [usage]  # the teacher sees the class's share of the queue


def test_a_shutdown_leaves_its_jobs_to_the_next_start(tmp_path) -> None:
    backend = ManualBackend(capacity=1)
    svc = JobService(backend, ResultCache(tmp_path / "s.sqlite"), journal=JobJournal(tmp_path / "sj.sqlite"))
    job_id = svc.submit("test.sleep", job("cut short"), owner="u1")
    svc.shutdown()
    backend.on_event({"type": "stopped", "id": job_id, "result": None})  # what a worker told to quit says
    after = ManualBackend(capacity=1)
    JobService(after, ResultCache(tmp_path / "s.sqlite"), journal=JobJournal(tmp_path / "sj.sqlite"))
    assert after.started == [job_id]  # run again, not remembered as "stopped"


def test_the_jobs_of_a_server_still_running_are_not_taken_over(tmp_path) -> None:
    """Two servers over one runs database (two test servers, say): each keeps its own; a dead one's are taken."""
    import socket

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        journal = JobJournal(tmp_path / "two.sqlite")
        journal.holder = f"{socket.gethostname()}:{other.pid}"
        first = JobService(ManualBackend(), ResultCache(tmp_path / "two-r.sqlite"), journal=journal)
        job_id = first.submit("test.sleep", job("theirs"), owner="u1")
        first.abandon()
        mine = ManualBackend()
        JobService(mine, ResultCache(tmp_path / "two-r.sqlite"), journal=JobJournal(tmp_path / "two.sqlite"))
        assert mine.started == []  # the other server is alive: its job stays its own
    finally:
        other.kill()
        other.wait()
    later = ManualBackend()
    JobService(later, ResultCache(tmp_path / "two-r.sqlite"), journal=JobJournal(tmp_path / "two.sqlite"))
    assert later.started == [job_id]  # it died: its job runs here
