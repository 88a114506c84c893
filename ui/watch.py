"""The one way a page watches jobs: `watch(read, draw)` redraws `draw(snapshots)` in one fragment while any of
them is active, and the whole page once when they have all ended (the final view needs no polling).

    watch(lambda: [service().snapshot(job_id, owner_id())], draw)      # the job panel, a lesson's reveal
    watch(lambda: [service().snapshot(j, owner_id()) for j in ids], draw)   # a lesson being prepared
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from plm_core.jobs import JobStatus, Snapshot

QUEUED_POLL_S = 5.0  # seconds between redraws while every active job waits in the queue (a class of queued
                     # panels polling every 2 s would take the server's CPU from the pages being used)


def watch(read: Callable[[], list[Snapshot]], draw: Callable[[list[Snapshot]], None],
          every: float = 2.0) -> list[Snapshot]:
    """Draw the jobs `read` returns, redrawn every `every` s while one is active; their first snapshots."""
    first = read()
    active = [s for s in first if s.active]
    queued = bool(active) and all(s.status is JobStatus.QUEUED for s in active)
    interval = (max(every, QUEUED_POLL_S) if queued else every) if active else None

    @st.fragment(run_every=interval)
    def live() -> None:
        snaps = read()
        draw(snaps)
        if active and all(s.finished for s in snaps):
            st.rerun(scope="app")  # ended: one full rerun draws the final view without polling
        elif queued and any(s.status is not JobStatus.QUEUED for s in snaps):
            st.rerun(scope="app")  # started: redraw with the running job's faster poll

    live()
    return first
