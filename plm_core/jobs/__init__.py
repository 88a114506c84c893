"""The job service: one door for every long computation (see `service.py` for the whole story)."""

from plm_core.jobs.kinds import KINDS, KindSpec
from plm_core.jobs.model import JobContext, JobError, JobStatus, Snapshot
from plm_core.jobs.refs import DataRef
from plm_core.jobs.service import JobService, get_service


def run_here(kind: str, config: object, on_update: object = None, own: bool = True) -> object:
    """Run a job in this process and return its result (the CLI's path; raises what the job raises).

    own=True seeds and sets the threads of this process, as a worker does: only for a process that runs
    one job at a time (the CLI, a test).
    """
    import threading

    from plm_core.jobs.runner import execute

    sink = on_update if callable(on_update) else (lambda event: None)
    return execute(kind, config, sink, threading.Event(), own=own)


__all__ = ["KINDS", "DataRef", "JobContext", "JobError", "JobService", "JobStatus", "KindSpec", "Snapshot",
           "get_service", "run_here"]
