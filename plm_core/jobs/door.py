"""The one door for long work: `run(recipe)` queues it in the job service, `run_here(recipe)` computes it in
this process (the CLI). Both share the result cache and the rule "show the result, then store it".

A recipe is anything with `kind` (a job kind) and `job_config()` (the typed config that kind runs); a plain
`(kind, config)` pair is accepted too.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from plm_core.jobs.model import JobError, JobStatus, Snapshot


class JobRecipe(Protocol):
    @property
    def kind(self) -> str: ...
    def job_config(self) -> Any: ...


Work = JobRecipe | tuple[str, Any]


def unpack(recipe: Work) -> tuple[str, Any]:
    """(job kind, job config) of a recipe or a (kind, config) pair."""
    if isinstance(recipe, tuple):
        kind, config = recipe
        return str(kind), config
    return recipe.kind, recipe.job_config()


def run(recipe: Work, *, owner: str = "", slot: str = "", live: bool = False, group: str = "",
        priority: int = 0, service: Any = None) -> str:
    """Hand `recipe` to the job service (the process's own, or `service`); the job id to poll or watch."""
    from plm_core.jobs.service import get_service

    kind, config = unpack(recipe)
    return str((service or get_service()).submit(kind, config, owner=owner, slot=slot, live=live, group=group,
                                                 priority=priority))


def wait_all(service: Any, job_ids: Mapping[Any, str], owner: str = "", timeout: float = 3600.0, poll: float = 0.5,
             on_progress: Callable[[float], None] | None = None, stored: bool = False) -> dict[Any, Snapshot] | None:
    """The core's one way to watch jobs (a CLI, a prepare): poll until all have finished (`stored`: and their
    results reached the result cache, or failed to); their snapshots, or None at `timeout`. Each poll reports
    the mean fraction (a finished job counts 1) and is `owner`'s heartbeat."""
    deadline = time.monotonic() + timeout
    while True:
        snaps = {i: service.snapshot(job_id, owner) for i, job_id in job_ids.items()}
        if on_progress is not None:
            on_progress(sum(1.0 if s.finished else min(max(s.fraction, 0.0), 1.0) for s in snaps.values())
                        / max(len(snaps), 1))
        if all(s.finished and (not stored or _stored(service, s)) for s in snaps.values()):
            return snaps
        if time.monotonic() > deadline:
            return None
        time.sleep(poll)


def _stored(service: Any, snap: Snapshot) -> bool:
    """A finished job's result is in the result cache, or will not be (not done, not cached, or its store failed)."""
    from plm_core.jobs.keys import cache_key
    from plm_core.jobs.kinds import kind_spec

    if snap.status is not JobStatus.DONE or snap.cached or snap.save_error is not None:
        return True
    if not kind_spec(snap.kind).cache:
        return True
    return service.cache.get(cache_key(snap.kind, snap.config)) is not None


def compute(kind: str, config: Any, on_update: Callable[[dict[str, Any]], None] | None = None,
            own: bool = True) -> Any:
    """The bare computation in this process: no cache, no store (tests comparing numbers, benches).

    own=True seeds and sets the threads of this process, as a worker does: only for a process that runs
    one job at a time (the CLI, a test)."""
    from plm_core.jobs.runner import execute

    return execute(kind, config, on_update or (lambda event: None), threading.Event(), own=own)


def run_here(recipe: Work, *, live: bool = False, show: Callable[[Snapshot], None] | None = None,
             on_update: Callable[[dict[str, Any]], None] | None = None, own: bool = True,
             cache: Any = None) -> Snapshot:
    """Answer from the result cache, or compute in this process; call `show(snapshot)`, then store.

    The returned snapshot says whether it was `cached` and when it was `computed_at`; a failed store is its
    `save_error` (the result was shown first). Errors of the job itself are raised, as the job raised them.
    """
    from plm_core.jobs.cache import CachedResult, ResultCache
    from plm_core.jobs.keys import cache_key
    from plm_core.jobs.kinds import kind_spec, resolve

    kind, config = unpack(recipe)
    spec, key = kind_spec(kind), cache_key(kind, config)
    hit = None
    if spec.cache and not live:  # a live run opens the cache only to store its result
        cache = cache or ResultCache()
        hit = cache.get(key)
    snap = Snapshot("here", kind, JobStatus.DONE, config=config, fraction=1.0)
    if hit is not None:
        snap = replace(snap, result=hit.result, cached=True, items=list(hit.items), state=hit.state,
                       computed_at=hit.computed_at, computed_on=hit.computed_on, compute_seconds=hit.seconds,
                       saved=list(hit.saved))
    else:
        snap = _computed(snap, kind, config, on_update, own)
    if show is not None:
        show(snap)  # the result first: a failed store below never costs it
    if hit is not None:
        return snap
    saved: list[int] = []
    try:
        if spec.store is not None:
            saved = list(resolve(spec.store)(config, snap.result))
        if spec.cache:
            (cache or ResultCache()).put(key, kind, CachedResult(
                snap.result, snap.computed_at or time.time(), snap.computed_on, snap.compute_seconds or 0.0, saved,
                list(snap.items), snap.state))
    except Exception as err:  # noqa: BLE001 - reported on the snapshot; the result was shown already
        return replace(snap, saved=saved, save_error=JobError.from_exception(err))
    return replace(snap, saved=saved)


def _computed(snap: Snapshot, kind: str, config: Any, on_update: Callable[[dict[str, Any]], None] | None,
              own: bool) -> Snapshot:
    """Run the job here, keeping its partial items and last live view as the service would."""

    def sink(event: dict[str, Any]) -> None:
        snap.items.extend(event.get("items", []))
        if "state" in event:
            snap.state = event["state"]
        if on_update is not None:
            on_update(event)

    start = time.perf_counter()
    result = compute(kind, config, sink, own)
    seconds = time.perf_counter() - start
    return replace(snap, result=result, elapsed=seconds, computed_at=time.time(), compute_seconds=seconds,
                   computed_on=f"{socket.gethostname()} (here)")
