"""The one door for long work: submit a typed config, poll its snapshot, stop it.

    service = get_service()
    job_id = service.submit("transfer", config, owner=browser_id, slot="transfer.race")
    snap = service.snapshot(job_id, owner=browser_id)     # Snapshot: status, fraction, items, result, ...
    service.stop(job_id, owner=browser_id)

- a **queue** with a global limit (the backend's capacity); a queued job knows how many are ahead of it;
- a **result cache** keyed by kind + config + data + weights + code: an identical request is answered at
  once; an identical request while the first still runs attaches to it (computed once);
- jobs run in **worker processes** (LocalBackend) or on a **Ray** cluster (RayBackend,
  PLM_LAB_RAY_ADDRESS); the server process only queues, polls and stores;
- a job belongs to its owners (browser-held ids), not to a page view: `latest(owner, slot)` re-attaches
  after a reload; a job whose owners all stopped sending heartbeats is cancelled;
- the result is shown first, then stored (cache + runs store); a failed store is a warning on the snapshot.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from plm_core.errors import PLMError
from plm_core.jobs.cache import CachedResult, ResultCache
from plm_core.jobs.keys import cache_key
from plm_core.jobs.kinds import kind_spec, resolve
from plm_core.jobs.model import JobError, JobStatus, Snapshot

ORPHAN_AFTER_S = 90.0  # a job none of whose owners sent a heartbeat for this long is cancelled (a closed tab)
STOP_GRACE_S = 1.5  # a job that has not stopped this long after a stop is killed (worker replaced)


class Backend(Protocol):
    name: str

    def bind(self, on_event: Any) -> None: ...
    def capacity(self) -> int: ...
    def start(self, job_id: str, kind: str, config: Any) -> None: ...
    def stop(self, job_id: str) -> None: ...
    def kill(self, job_id: str) -> None: ...
    def describe(self) -> list[dict[str, Any]]: ...
    def shutdown(self) -> None: ...


@dataclass
class _Record:
    id: str
    kind: str
    config: Any
    key: str
    seq: int
    submitted: float = field(default_factory=time.time)
    owners: dict[str, float] = field(default_factory=dict)  # owner -> last heartbeat (monotonic)
    detached: set[str] = field(default_factory=set)  # owners who pressed stop while others still watch
    snap: Snapshot | None = None
    started: float | None = None  # monotonic
    stop_asked: float | None = None
    killed: bool = False
    end_status: JobStatus = JobStatus.STOPPED  # what a confirmed stop becomes (STOPPED, or CANCELLED)


class JobService:
    def __init__(self, backend: Backend | None = None, cache: ResultCache | None = None,
                 orphan_after: float = ORPHAN_AFTER_S, stop_grace: float = STOP_GRACE_S) -> None:
        if backend is None:
            from plm_core.jobs.local import LocalBackend

            backend = LocalBackend()
        self.backend = backend
        self.cache = cache or ResultCache()
        self.orphan_after, self.stop_grace = orphan_after, stop_grace
        self._lock = threading.RLock()
        self._jobs: dict[str, _Record] = {}
        self._queue: deque[str] = deque()
        self._running: set[str] = set()
        self._slots: dict[tuple[str, str], str] = {}  # (owner, slot) -> job id
        self._seq = itertools.count()
        self.computed: dict[str, int] = {}  # kind -> computations actually started (not cache hits)
        self.cache_hits = 0
        self.attached = 0  # identical requests that joined a job already queued or running
        backend.bind(self._on_event)
        self._closed = threading.Event()
        threading.Thread(target=self._watch, daemon=True, name="plm-jobs-watch").start()

    # ---- the door -------------------------------------------------------------------------------
    def submit(self, kind: str, config: Any, owner: str = "", slot: str = "", live: bool = False,
               group: str = "", priority: int = 0) -> str:
        """Queue `config` for `kind` (or answer from the cache / join the identical running job); job id.

        `group` is a class's join code (per-class limit), `priority` 1 marks a teacher's job (dispatched first).
        """
        spec = kind_spec(kind)
        key = cache_key(kind, config)
        use_cache = spec.cache and not live
        hit = self.cache.get(key) if use_cache else None
        with self._lock:
            if use_cache and hit is None:
                hit = self._finished_twin(key)  # done a moment ago, still being stored
            if use_cache and hit is None:
                twin = self._active_twin(key)
                if twin is not None:
                    self.attached += 1
                    self._log(twin, "attached")
                    self._own(twin, owner, slot)
                    return twin.id
            rec = _Record(uuid.uuid4().hex[:12], kind, config, key, next(self._seq))
            rec.snap = Snapshot(rec.id, kind, JobStatus.QUEUED, config=config)
            self._jobs[rec.id] = rec
            self._own(rec, owner, slot)
            if hit is not None:
                self.cache_hits += 1
                self._log(rec, "cache_hit")
                rec.snap = replace(rec.snap, status=JobStatus.DONE, fraction=1.0, result=hit.result, cached=True,
                                   items=list(hit.items), state=hit.state,
                                   computed_at=hit.computed_at, computed_on=hit.computed_on,
                                   compute_seconds=hit.seconds, saved=list(hit.saved))
                return rec.id
            self._queue.append(rec.id)
            self._dispatch()
            return rec.id

    def snapshot(self, job_id: str, owner: str = "") -> Snapshot:
        """A copy of the job's state for one redraw (and a heartbeat from `owner`)."""
        with self._lock:
            rec = self._record(job_id)
            if owner and owner in rec.owners:
                rec.owners[owner] = time.monotonic()
            assert rec.snap is not None
            snap = replace(rec.snap, items=list(rec.snap.items), saved=list(rec.snap.saved))
            if snap.status is JobStatus.QUEUED:
                snap.queue_ahead = self._ahead(job_id)
            if rec.started is not None and not snap.finished:
                snap.elapsed = time.monotonic() - rec.started
            if owner in rec.detached and not snap.finished:
                snap.status = JobStatus.STOPPED
            return snap

    def stop(self, job_id: str, owner: str = "") -> None:
        """Stop for `owner`: a job others still watch goes on for them; otherwise it stops (≤ 2 s)."""
        with self._lock:
            rec = self._record(job_id)
            if rec.snap is None or rec.snap.finished:
                return
            others = [o for o in rec.owners if o != owner and o not in rec.detached]
            if owner and others:
                rec.detached.add(owner)
                return
            self._halt(rec, JobStatus.STOPPED)

    def heartbeat(self, owner: str) -> int:
        """The owner is still there (its page is open); returns how many of its jobs are active."""
        now, active = time.monotonic(), 0
        with self._lock:
            for rec in self._jobs.values():
                if owner in rec.owners:
                    rec.owners[owner] = now
                    active += int(rec.snap is not None and not rec.snap.finished)
        return active

    def latest(self, owner: str, slot: str) -> str | None:
        """The job `owner` last started in `slot` (a page's panel), to re-attach after a reload."""
        with self._lock:
            return self._slots.get((owner, slot))

    def forget(self, owner: str, slot: str) -> None:
        with self._lock:
            self._slots.pop((owner, slot), None)

    def wait(self, job_id: str, timeout: float = 600.0, poll: float = 0.05) -> Snapshot:
        """Block until the job has finished (or `timeout`); its last snapshot."""
        end = time.monotonic() + timeout
        while True:
            snap = self.snapshot(job_id)
            if snap.finished or time.monotonic() > end:
                return snap
            time.sleep(poll)

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"backend": self.backend.name, "capacity": self.backend.capacity(),
                    "queued": len(self._queue), "running": len(self._running),
                    "computed": dict(self.computed), "cache_hits": self.cache_hits, "attached": self.attached,
                    "workers": self.backend.describe()}

    def shutdown(self) -> None:
        self._closed.set()
        self.backend.shutdown()

    # ---- inside -----------------------------------------------------------------------------------
    def _record(self, job_id: str) -> _Record:
        rec = self._jobs.get(job_id)
        if rec is None:
            raise PLMError("jobs.err.unknown_job", id=job_id)
        return rec

    def _own(self, rec: _Record, owner: str, slot: str) -> None:
        if owner:
            rec.owners[owner] = time.monotonic()
            rec.detached.discard(owner)
            if slot:
                self._slots[(owner, slot)] = rec.id

    def _active_twin(self, key: str) -> _Record | None:
        for rec in self._jobs.values():
            if rec.key == key and rec.snap is not None and rec.snap.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                return rec
        return None

    def _finished_twin(self, key: str) -> CachedResult | None:
        for rec in self._jobs.values():
            snap = rec.snap
            if rec.key == key and snap is not None and snap.status is JobStatus.DONE and snap.result is not None:
                return CachedResult(snap.result, snap.computed_at or time.time(), snap.computed_on,
                                    snap.compute_seconds or 0.0, list(snap.saved), list(snap.items), snap.state)
        return None

    def _ahead(self, job_id: str) -> int:
        try:
            return list(self._queue).index(job_id)
        except ValueError:
            return 0

    def _dispatch(self) -> None:
        while self._queue and len(self._running) < self.backend.capacity():
            rec = self._jobs[self._queue.popleft()]
            self._running.add(rec.id)
            rec.started = time.monotonic()
            assert rec.snap is not None
            rec.snap = replace(rec.snap, status=JobStatus.RUNNING)
            self.computed[rec.kind] = self.computed.get(rec.kind, 0) + 1
            self._log(rec, "started", queue_wait=time.time() - rec.submitted)
            try:
                self.backend.start(rec.id, rec.kind, rec.config)
            except Exception as err:  # noqa: BLE001 - a backend that cannot start is the job's error
                self._running.discard(rec.id)
                rec.snap = replace(rec.snap, status=JobStatus.ERROR, error=JobError.from_exception(err))

    def _halt(self, rec: _Record, status: JobStatus) -> None:
        assert rec.snap is not None
        if rec.id in self._queue:
            self._queue.remove(rec.id)
            rec.snap = replace(rec.snap, status=status)
            return
        rec.stop_asked = time.monotonic()
        rec.snap = replace(rec.snap, status=JobStatus.STOPPING)
        rec.end_status = status
        self.backend.stop(rec.id)

    def _on_event(self, event: dict[str, Any]) -> None:
        """Events from the backend: started, update, done, stopped, error."""
        kind = event.get("type")
        with self._lock:
            rec = self._jobs.get(event.get("id", ""))
            if rec is None or rec.snap is None:
                return
            snap = rec.snap
            if kind == "update":
                snap.items.extend(event.get("items", []))
                for name in ("fraction", "eta_seconds", "current", "state"):
                    if name in event:
                        setattr(snap, name, event[name])
                return
            if kind not in ("done", "stopped", "error"):
                return
            self._running.discard(rec.id)
            elapsed = time.monotonic() - rec.started if rec.started else 0.0
            if kind == "error":
                rec.snap = replace(snap, status=JobStatus.ERROR, error=event["error"], elapsed=elapsed)
            else:
                final = rec.end_status if kind == "stopped" else JobStatus.DONE
                rec.snap = replace(snap, status=final, result=event.get("result"), elapsed=elapsed,
                                   fraction=1.0 if kind == "done" else snap.fraction,
                                   computed_at=event.get("at", time.time()),
                                   computed_on=f"{event.get('host', '?')} ({self.backend.name})",
                                   compute_seconds=event.get("seconds", elapsed))
            self._log(rec, rec.snap.status.value, seconds=elapsed)
            self._dispatch()
        if kind == "done":
            self._store(rec)

    def _store(self, rec: _Record) -> None:
        """After the result is visible: the kind's runs-store hook, then the cache. Failures are warnings."""
        spec = kind_spec(rec.kind)
        snap = rec.snap
        assert snap is not None
        saved: list[int] = []
        error: JobError | None = None
        if spec.store:
            try:
                saved = list(resolve(spec.store)(rec.config, snap.result))
                from plm_core.runs import claim_runs  # the browsers that made these runs may delete them

                with self._lock:
                    owners = list(rec.owners)
                claim_runs(saved, owners)
            except Exception as err:  # noqa: BLE001 - the result stays on screen; the page warns
                error = JobError.from_exception(err)
        if spec.cache and error is None:
            try:
                self.cache.put(rec.key, rec.kind, CachedResult(snap.result, snap.computed_at or time.time(),
                                                               snap.computed_on, snap.compute_seconds or 0.0, saved,
                                                               list(snap.items), snap.state))
            except PLMError as err:
                error = JobError.from_exception(err)
        with self._lock:
            assert rec.snap is not None
            rec.snap = replace(rec.snap, saved=saved, save_error=error)

    def _log(self, rec: _Record, event: str, **values: Any) -> None:
        """One JSON line per job event in PLM_LAB_JOBS_LOG, if set (what bench/classroom.py reads)."""
        path = os.environ.get("PLM_LAB_JOBS_LOG")
        if not path:
            return
        import json

        line = {"t": time.time(), "job": rec.id, "kind": rec.kind, "event": event, **values}
        try:
            with open(path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(line) + "\n")
        except OSError:
            pass

    def _watch(self) -> None:
        """Once a second: kill jobs that ignore a stop, cancel jobs whose owners are all gone."""
        while not self._closed.wait(0.25):
            now = time.monotonic()
            with self._lock:
                for rec in list(self._jobs.values()):
                    snap = rec.snap
                    if snap is None or snap.finished:
                        continue
                    if rec.stop_asked is not None and not rec.killed and now - rec.stop_asked > self.stop_grace:
                        rec.killed = True
                        self.backend.kill(rec.id)
                    elif rec.stop_asked is None and rec.owners and \
                            all(now - seen > self.orphan_after for seen in rec.owners.values()):
                        self._halt(rec, JobStatus.CANCELLED)


_SERVICE: JobService | None = None
_SERVICE_LOCK = threading.Lock()


def get_service() -> JobService:
    """The process's one service: Ray when PLM_LAB_RAY_ADDRESS is set, else local worker processes."""
    global _SERVICE
    with _SERVICE_LOCK:
        if _SERVICE is None:
            address = os.environ.get("PLM_LAB_RAY_ADDRESS", "").strip()
            backend: Backend
            if address:
                from plm_core.jobs.ray_backend import RayBackend

                backend = RayBackend(address)
            else:
                from plm_core.jobs.local import LocalBackend

                backend = LocalBackend(prestart=True)  # warm workers: the first job starts at once
            _SERVICE = JobService(backend)
        return _SERVICE
