"""The job service: one door for every long computation (see `service.py` for the whole story).

    job_id = jobs.run(recipe, owner=..., slot=...)     # queued in the service (pages, lessons, cards)
    snap = jobs.run_here(recipe, show=print_it)         # computed in this process (the CLI): show, then store
"""

from plm_core.jobs.door import compute, run, run_here, unpack, wait_all
from plm_core.jobs.kinds import KINDS, KindSpec
from plm_core.jobs.model import JobContext, JobError, JobStatus, Snapshot
from plm_core.jobs.refs import DataRef
from plm_core.jobs.service import JobService, get_service

__all__ = ["KINDS", "DataRef", "JobContext", "JobError", "JobService", "JobStatus", "KindSpec", "Snapshot",
           "compute", "get_service", "run", "run_here", "unpack", "wait_all"]
