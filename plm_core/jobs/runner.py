"""Run one job in this process: the same code path for a worker process, a Ray actor and the CLI.

A process that runs jobs one at a time *owns* its process-wide state, so it may set torch's thread count
and seed the global generators (dropout draws from them) before each job: `own_process`. Everything
else in the core draws from per-run generators and never touches process-wide state.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from plm_core.jobs.kinds import kind_spec, resolve
from plm_core.jobs.model import JobContext, JobError, Stop


def worker_threads() -> int:
    """torch threads per worker: PLM_LAB_WORKER_THREADS, default 1 (on a shared 2-core CPU one thread per
    run was measured several times faster than two)."""
    try:
        return max(1, int(os.environ.get("PLM_LAB_WORKER_THREADS", "1")))
    except ValueError:
        return 1


@lru_cache(maxsize=6)
def warm_backbone(name: str, random_init: bool = False) -> Any:
    """Backbones stay loaded in a worker between jobs (the next job on the same backbone starts at once)."""
    from plm_core.backbones import load_backbone

    return load_backbone(name, random_init=random_init)


def job_seed(config: Any) -> int:
    seed = getattr(config, "seed", 0)  # every job config has a seed field (0 where nothing is random)
    return int(seed) % 2**32 if isinstance(seed, int) else 0


def execute(kind: str, config: Any, sink: Callable[[dict[str, Any]], None], stop: Stop,
            own: bool = True, threads: int | None = None) -> Any:
    """Run `kind` on `config`; updates go to `sink`; raises what the job raises."""
    run = resolve(kind_spec(kind).run)
    if own:
        from plm_core.training.threads import own_process

        own_process(job_seed(config), threads or worker_threads())
    ctx = JobContext(sink, stop)
    try:
        return run(config, ctx)
    finally:
        ctx.flush()


def outcome(kind: str, config: Any, sink: Callable[[dict[str, Any]], None], stop: Stop,
            own: bool = True) -> dict[str, Any]:
    """`execute`, with the ending as one event: done (result), stopped (partial result) or error."""
    import socket
    import time

    start = time.perf_counter()
    try:
        result = execute(kind, config, sink, stop, own)
    except BaseException as err:  # noqa: BLE001 - reported to the page; the worker lives on
        if isinstance(err, (KeyboardInterrupt, SystemExit)):
            raise
        return {"type": "error", "error": JobError.from_exception(err, traceback.format_exc())}
    return {"type": "stopped" if stop.is_set() else "done", "result": result,
            "seconds": time.perf_counter() - start, "host": socket.gethostname(), "at": time.time()}
