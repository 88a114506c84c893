"""The one helper every page uses for long work: submit a job, then poll and draw it.

    job_id = submit("transfer.race", "transfer", config)        # on the form's button
    job_panel("transfer.race", draw)                            # progress, queue place, stop, cache label,
                                                                # errors; calls draw(snapshot) at each poll
A job belongs to the browser (a secret id kept in a cookie, never in the URL: an address bar shown on a
projector must not let a student act as the teacher), not to one page view: after a reload, or in a second tab,
the panel re-attaches to the job, running or finished, also after a server restart (the service's journal).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import streamlit as st

from plm_core.errors import PLMError
from plm_core.jobs import JobService, JobStatus, Snapshot, get_service, run
from ui.common import lang, show_error, tr
from ui.watch import watch

OWNER_PARAM = "u"  # where the id was kept before (an old link's ?u= is dropped, never adopted)
OWNER_COOKIE = "plm_owner"
_OWNER_RE = re.compile(r"^[0-9a-f]{32}$")
COOKIE_SCRIPT = ('<script>document.cookie = "{name}={value}; path=/; max-age=31536000; SameSite=Strict";'
                 "</script>")
QUOTA_KEYS = ("jobs.err.student_limit", "jobs.err.owner_limit", "jobs.err.class_limit")
RERUN_KEYS = ("jobs.err.interrupted", "jobs.err.result_gone", "jobs.err.worker_died", "ray.err.lost")


def service() -> JobService:
    return get_service()


def owner_id() -> str:
    """This browser's secret id: from its cookie (a reload or another tab gets the same), else a new one,
    which `keep_owner` writes into the cookie. Never read from nor written into the URL."""
    if "owner" not in st.session_state:
        given = _cookie()
        st.session_state["owner"] = given if _OWNER_RE.match(given) else secrets.token_hex(16)
    return str(st.session_state["owner"])


def _cookie() -> str:
    try:
        return str(st.context.cookies.get(OWNER_COOKIE) or "")
    except Exception:  # noqa: BLE001 - no request behind this session (a test): no cookie
        return ""


def keep_owner() -> None:
    """On every page: drop an old link's ?u=, and put a new id into the browser's cookie (once a session)."""
    if OWNER_PARAM in st.query_params:
        del st.query_params[OWNER_PARAM]
    owner = owner_id()
    if _cookie() == owner or st.session_state.get("owner.cookie") == owner:
        return
    st.session_state["owner.cookie"] = owner
    with st.sidebar:
        st.html(COOKIE_SCRIPT.format(name=OWNER_COOKIE, value=owner), unsafe_allow_javascript=True)


def _key(slot: str) -> str:
    return f"job:{slot}"


def submit(slot: str, kind: str, config: Any, live: bool = False) -> str:
    """Hand `config` to the job service for this browser (in a class: its group, the teacher's priority);
    the panel of `slot` follows it. A refusal for lack of a free share (quota) is shown here; then "" and the
    panel keeps what it showed."""
    try:
        job_id = run((kind, config), service=service(), owner=owner_id(), slot=slot, live=live,  # the one door
                     group=str(st.session_state.get("class.group", "") or ""),
                     priority=int(st.session_state.get("class.priority", 0) or 0))
    except PLMError as err:
        if err.key not in QUOTA_KEYS:
            raise
        show_error(err)
        return ""
    st.session_state[_key(slot)] = job_id
    return job_id


def current_job(slot: str) -> str | None:
    """The job shown in `slot`: this session's, or the one this browser started before a reload."""
    job_id = st.session_state.get(_key(slot)) or service().latest(owner_id(), slot)
    if job_id is None:
        return None
    try:
        service().snapshot(job_id)
    except PLMError as err:  # the server restarted and its journal did not know the job: say so, once
        if err.key != "jobs.err.unknown_job":
            raise
        st.session_state.pop(_key(slot), None)
        service().forget(owner_id(), slot)
        st.warning(tr("jobs.gone"), icon=":material/history:")
        return None
    st.session_state[_key(slot)] = job_id
    return str(job_id)


def snapshot(slot: str) -> Snapshot | None:
    job_id = current_job(slot)
    return service().snapshot(job_id, owner_id()) if job_id else None


def is_active(slot: str) -> bool:
    snap = snapshot(slot)
    return bool(snap and snap.active)


def job_panel(slot: str, draw: Callable[[Snapshot], None], every: float = 2.0,
              describe: Callable[[Snapshot], str] | None = None) -> Snapshot | None:
    """Status, stop and the page's own drawing, redrawn every `every` s while the job is not finished (`watch`)."""
    job_id = current_job(slot)
    if job_id is None:
        return None

    def panel(snaps: list[Snapshot]) -> None:
        status_block(slot, snaps[0], describe)
        draw(snaps[0])

    return watch(lambda: [service().snapshot(job_id, owner_id())], panel, every)[0]


def status_block(slot: str, snap: Snapshot, describe: Callable[[Snapshot], str] | None = None) -> None:
    """One line for every job kind: queued (place), running (bar, time left), stopping, done, cached, errors."""
    status = snap.status
    if status is JobStatus.QUEUED:
        in_class = bool(st.session_state.get("class.group"))
        queued = "jobs.status.queued_teacher" if in_class else "jobs.status.queued"
        st.info(tr(queued, ahead=snap.queue_ahead) if snap.queue_ahead
                else tr("jobs.status.queued_next"), icon=":material/hourglass_top:")
        stop_button(slot, snap)
    elif status is JobStatus.RUNNING:
        left = tr("jobs.status.left", seconds=round(snap.eta_seconds)) if snap.eta_seconds is not None else ""
        current = (describe(snap) if describe else snap.current) or tr("jobs.status.starting")
        text = tr("jobs.status.running", current=current,
                  pct=round(100 * snap.fraction), elapsed=round(snap.elapsed), left=left)
        st.progress(min(max(snap.fraction, 0.0), 1.0), text=text)
        stop_button(slot, snap)
    elif status is JobStatus.STOPPING:
        st.info(tr("jobs.status.stopping"), icon=":material/pending:")
    elif status is JobStatus.ERROR and snap.error is not None:
        show_error(snap.error.as_plm())
        if snap.error.key in RERUN_KEYS and snap.config is not None and \
                st.button(tr("jobs.rerun"), key=f"{slot}-rerun-{snap.job_id}", icon=":material/replay:"):
            if submit(slot, snap.kind, snap.config):
                st.rerun()
        if snap.error.detail:
            with st.expander(tr("common.error_details")):
                st.code(snap.error.detail, language="text")
    elif status in (JobStatus.STOPPED, JobStatus.CANCELLED):
        st.info(tr(f"jobs.status.{status.value}"), icon=":material/stop_circle:")
    elif status is JobStatus.DONE:
        done_block(slot, snap)


def stop_button(slot: str, snap: Snapshot) -> None:
    if st.button(tr("jobs.stop"), key=f"{slot}-stop-{snap.job_id}", icon=":material/stop_circle:"):
        service().stop(snap.job_id, owner_id())


def done_block(slot: str, snap: Snapshot) -> None:
    if snap.cached:
        when = datetime.fromtimestamp(snap.computed_at or time.time()).strftime("%Y-%m-%d %H:%M")
        cols = st.columns([4, 1])
        cols[0].caption(tr("jobs.cached", when=when, where=snap.computed_on,
                           seconds=round(snap.compute_seconds or 0, 1)))
        from ui.classroom import allows  # in a class only its teacher runs a shared result again (checked in the core)

        if cols[1].button(tr("jobs.run_live"), key=f"{slot}-live-{snap.job_id}", icon=":material/replay:") and allows(
                "run_live"):
            if submit(slot, snap.kind, snap.config, live=True):
                st.rerun()
    else:
        st.success(tr("jobs.status.done", seconds=round(snap.compute_seconds or snap.elapsed, 1)),
                   icon=":material/check_circle:")
    if snap.save_error is not None:
        reason = snap.save_error.message(lang())
        own_message = snap.save_error.key.startswith("runs.err.not_saved")
        st.warning(reason if own_message else tr("jobs.not_saved", reason=reason), icon=":material/save:")
    elif snap.saved:
        st.caption(tr("jobs.saved", ids=", #".join(map(str, snap.saved))))


def class_usage() -> None:
    """For a class's teacher: one line on the class's share of the queue (running, waiting, limit)."""
    group = str(st.session_state.get("class.group", "") or "")
    if not group or int(st.session_state.get("class.priority", 0) or 0) < 1:
        return
    use = service().group_usage(group)
    st.caption(tr("jobs.usage", running=use.running, queued=use.queued, limit=use.limit, students=use.students,
                  teacher=use.teacher))


def heartbeat() -> None:
    """On every page (sidebar): tells the service this browser is still here while it has active jobs (and
    keeps the browser's secret id in its cookie)."""
    keep_owner()
    if str(st.session_state.get("class.group", "") or "") and int(st.session_state.get("class.priority", 0) or 0):
        with st.sidebar:
            st.fragment(run_every=10.0)(class_usage)()  # the teacher sees the class's share of the queue
    owner = owner_id()
    if service().heartbeat(owner) == 0:
        return

    @st.fragment(run_every=10.0)
    def beat() -> None:
        service().heartbeat(owner)

    with st.sidebar:
        beat()
