"""The one door for long work: submit a typed config, poll its snapshot, stop it.

    service = get_service()
    job_id = service.submit("transfer", config, owner=browser_id, slot="transfer.race")
    snap = service.snapshot(job_id, owner=browser_id)     # Snapshot: status, fraction, items, result, ...
    service.stop(job_id, owner=browser_id)

- a **queue** with a global limit (the backend's capacity); a teacher's jobs (priority 1) go before
  students'; a queued job knows how many are ahead of it;
- **fair share** (`Quota`): one active job per student of a class, a few per browser outside a class, a
  limit per class (`group_usage` shows the teacher where the class stands); a refusal is a PLMError;
- a **result cache** keyed by kind + config + data + weights + code: an identical request is answered at
  once; an identical request while the first still runs attaches to it (computed once);
- jobs run in **worker processes** (LocalBackend) or on a **Ray** cluster (RayBackend,
  PLM_LAB_RAY_ADDRESS); the server process only queues, polls and stores;
- a job belongs to its owners (browser-held secret ids), not to a page view: `latest(owner, slot)`
  re-attaches after a reload; only an owner may stop it; a job whose owners all stopped sending heartbeats
  is cancelled;
- the **journal** (`plm_core.jobs.journal`, SQLite beside the runs DB) keeps queued and running jobs across a
  server restart: queued ones run, running ones run again once (then "interrupted — run again");
- finished jobs **leave memory** (a small window of recent ones stays for re-reads; older ones are rebuilt
  from the journal and the result cache), so the server's memory stays flat over a long day;
- the result is shown first, then stored (cache + runs store); a failed store is a warning on the snapshot.
"""

from __future__ import annotations

import bisect
import itertools
import os
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from plm_core.errors import PLMError
from plm_core.jobs.cache import CachedResult, ResultCache
from plm_core.jobs.journal import JobJournal, JournalRow
from plm_core.jobs.keys import cache_key
from plm_core.jobs.kinds import kind_spec, resolve
from plm_core.jobs.model import JobError, JobStatus, Snapshot

ORPHAN_AFTER_S = 90.0  # a job none of whose owners sent a heartbeat for this long is cancelled (a closed tab)
STOP_GRACE_S = 1.5  # a job that has not stopped this long after a stop is killed (worker replaced)
RECENT_KEEP = 24  # finished jobs kept in memory for re-reads; older ones come back from the journal + cache
STORE_WAIT_S = 5.0  # an identical request waits this long for a just-finished job's store (then joins the job)
RERUNS_AFTER_RESTART = 1  # a job running when the server went away runs again this often, then "interrupted"


@dataclass(frozen=True)
class Quota:
    """Fair share of the CPU: how many active (queued or running) jobs one browser or one class may have.

    A teacher's jobs (priority ≥ 1) and the app's own (no owner: CLI, benchmarks) are never refused.
    """

    per_student: int = 1  # a student of a class (a job with a group, priority 0)
    per_owner: int = 6  # a browser outside any class (a lesson's preparation, 5 jobs, fits)
    per_class: int = 30  # a class's students together


@dataclass(frozen=True)
class GroupUsage:
    """Where one class stands in the queue (the teacher's view)."""

    group: str
    queued: int  # students' jobs waiting
    running: int  # students' jobs running
    limit: int  # Quota.per_class
    students: int  # students with an active job
    teacher: int  # the teacher's active jobs (not counted against the limit)

    @property
    def active(self) -> int:
        return self.queued + self.running


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
    priority: int = 0  # 1 = a teacher's job: dispatched before students'
    group: str = ""  # the class (join code) it was submitted in
    attempts: int = 0  # times started (a restart while running counts)
    submitted: float = field(default_factory=time.time)
    owners: dict[str, float] = field(default_factory=dict)  # owner -> last heartbeat (monotonic)
    detached: set[str] = field(default_factory=set)  # owners who pressed stop while others still watch
    snap: Snapshot | None = None
    started: float | None = None  # monotonic
    stop_asked: float | None = None
    killed: bool = False
    end_status: JobStatus = JobStatus.STOPPED  # what a confirmed stop becomes (STOPPED, or CANCELLED)
    storing: bool = False  # done, its result being stored: an identical request joins it

    def order(self) -> tuple[int, int]:
        """Queue order: higher priority first, then first come."""
        return (-self.priority, self.seq)


class JobService:
    def __init__(self, backend: Backend | None = None, cache: ResultCache | None = None,
                 orphan_after: float = ORPHAN_AFTER_S, stop_grace: float = STOP_GRACE_S,
                 quota: Quota | None = None, journal: JobJournal | None = None) -> None:
        """journal: keep jobs across restarts (the app's service has one; tests and the CLI may not); a
        new service over an existing journal takes over its queued and running jobs."""
        if backend is None:
            from plm_core.jobs.local import LocalBackend

            backend = LocalBackend()
        self.backend = backend
        self.cache = cache or ResultCache()
        self.orphan_after, self.stop_grace = orphan_after, stop_grace
        self.quota = quota or Quota()
        self.journal = journal
        self._lock = threading.RLock()
        self._jobs: dict[str, _Record] = {}  # active: queued, running, stopping
        self._recent: OrderedDict[str, _Record] = OrderedDict()  # the last RECENT_KEEP finished
        self._queue: list[str] = []  # job ids in dispatch order (_Record.order)
        self._running: set[str] = set()
        self._slots: dict[tuple[str, str], str] = {}  # (owner, slot) -> job id
        self._seq = itertools.count()
        self._abandoned = False
        self.computed: dict[str, int] = {}  # kind -> computations actually started (not cache hits)
        self.cache_hits = 0
        self.attached = 0  # identical requests that joined a job already queued or running
        self.restored = 0  # jobs taken over from the journal at start
        self.interrupted = 0  # ... of which were marked "interrupted" instead of run again
        backend.bind(self._on_event)
        if journal is not None:
            with self._lock:
                self._take_over(journal)
        self._closed = threading.Event()
        threading.Thread(target=self._watch, daemon=True, name="plm-jobs-watch").start()

    # ---- the door -------------------------------------------------------------------------------
    def submit(self, kind: str, config: Any, owner: str = "", slot: str = "", live: bool = False,
               group: str = "", priority: int = 0) -> str:
        """Queue `config` for `kind` (or answer from the cache / join the identical running job); job id.

        `group` is a class's join code (per-class limit), `priority` 1 marks a teacher's job (dispatched first).
        Raises PLMError when the owner or the class already has its share of active jobs (`Quota`).
        """
        spec = kind_spec(kind)
        key = cache_key(kind, config)
        use_cache = spec.cache and not live
        if use_cache:
            self._wait_stored(key)  # an identical job done a moment ago: its store decides (cache hit, or not)
        hit = self.cache.get(key) if use_cache else None
        with self._lock:
            if use_cache and hit is None:
                twin = self._active_twin(key) or self._storing_twin(key)
                if twin is not None:  # computed once: joining is never refused
                    self.attached += 1
                    self._log(twin, "attached")
                    self._own(twin, owner, slot)
                    if priority > twin.priority and twin.id in self._queue:  # the teacher wants it too
                        twin.priority = priority
                        self._queue.remove(twin.id)
                        self._enqueue(twin)
                    return twin.id
            if hit is None:
                self._check_quota(owner, group, priority)
            rec = _Record(uuid.uuid4().hex[:12], kind, config, key, next(self._seq), priority=priority, group=group)
            rec.snap = Snapshot(rec.id, kind, JobStatus.QUEUED, config=config)
            self._own(rec, owner, slot)
            if hit is not None:
                self.cache_hits += 1
                self._log(rec, "cache_hit")
                rec.snap = replace(rec.snap, status=JobStatus.DONE, fraction=1.0, result=hit.result, cached=True,
                                   items=list(hit.items), state=hit.state,
                                   computed_at=hit.computed_at, computed_on=hit.computed_on,
                                   compute_seconds=hit.seconds, saved=list(hit.saved))
                self._journal_add(rec, "done")
                self._remember(rec)
                return rec.id
            self._jobs[rec.id] = rec
            self._journal_add(rec, "queued")
            self._enqueue(rec)
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
        """Stop for `owner`: a job others still watch goes on for them; otherwise it stops (≤ 2 s).

        Only an owner may stop a job (a student cannot stop the teacher's); `owner=""` is the app itself.
        """
        with self._lock:
            rec = self._record(job_id)
            if owner and owner not in rec.owners:
                raise PLMError("jobs.err.not_yours")
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
                    active += 1
        return active

    def latest(self, owner: str, slot: str) -> str | None:
        """The job `owner` last started in `slot` (a page's panel), to re-attach after a reload."""
        with self._lock:
            return self._slots.get((owner, slot))

    def forget(self, owner: str, slot: str) -> None:
        with self._lock:
            if self._slots.pop((owner, slot), None) is not None and self.journal is not None:
                self.journal.forget(owner, slot)

    def group_usage(self, group: str) -> GroupUsage:
        """The class's jobs now: its students' queued and running ones against its limit, the teacher's."""
        with self._lock:
            mine = [r for r in self._jobs.values() if r.group == group]
            students = [r for r in mine if r.priority == 0]
            return GroupUsage(group, queued=sum(r.id in self._queue for r in students),
                              running=sum(r.id not in self._queue for r in students), limit=self.quota.per_class,
                              students=len({o for r in students for o in r.owners if o not in r.detached}),
                              teacher=len(mine) - len(students))

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
                    "in_memory": len(self._jobs) + len(self._recent), "restored": self.restored,
                    "interrupted": self.interrupted,
                    "journal": (self.journal.broken or "ok") if self.journal is not None else "off",
                    "workers": self.backend.describe()}

    def shutdown(self) -> None:
        """Stop the workers. The journal is left as it is: jobs cut short here run again at the next start."""
        with self._lock:
            self.journal = None
        self._closed.set()
        self.backend.shutdown()

    def abandon(self) -> None:
        """What a server that is killed does: nothing more. No event is handled and nothing is written to the
        journal after this (tests and bench/soak.py use it to play a restart; the backend is not touched)."""
        with self._lock:
            self._abandoned = True
            self.journal = None
            self._closed.set()

    # ---- inside -----------------------------------------------------------------------------------
    def _record(self, job_id: str) -> _Record:
        rec = self._jobs.get(job_id) or self._recent.get(job_id) or self._rebuild(job_id)
        if rec is None:
            raise PLMError("jobs.err.unknown_job", id=job_id)
        return rec

    def _check_quota(self, owner: str, group: str, priority: int) -> None:
        if not owner or priority > 0:
            return
        mine = sum(owner in r.owners and owner not in r.detached for r in self._jobs.values())
        limit = self.quota.per_student if group else self.quota.per_owner
        if mine >= limit:
            raise PLMError("jobs.err.student_limit" if group else "jobs.err.owner_limit", count=mine, limit=limit)
        if group:
            used = sum(r.group == group and r.priority == 0 for r in self._jobs.values())
            if used >= self.quota.per_class:
                raise PLMError("jobs.err.class_limit", count=used, limit=self.quota.per_class)

    def _own(self, rec: _Record, owner: str, slot: str) -> None:
        if not owner:
            return
        new = owner not in rec.owners
        rec.owners[owner] = time.monotonic()
        rec.detached.discard(owner)
        if new and rec.id in self._jobs and self.journal is not None:
            self.journal.owners(rec.id, list(rec.owners))
        if slot:
            self._slots[(owner, slot)] = rec.id
            if self.journal is not None:
                self.journal.slot(owner, slot, rec.id)

    def _active_twin(self, key: str) -> _Record | None:
        for rec in self._jobs.values():
            if rec.key == key and rec.snap is not None and rec.snap.status in (JobStatus.QUEUED, JobStatus.RUNNING):
                return rec
        return None

    def _storing_twin(self, key: str) -> _Record | None:
        """Done a moment ago, its result being stored now (a store slower than STORE_WAIT_S): join it. A twin
        whose store failed is neither joined nor a cache hit: nothing was stored, the request runs again."""
        for rec in reversed(self._recent.values()):
            if rec.key == key and rec.storing and rec.snap is not None and rec.snap.status is JobStatus.DONE:
                return rec
        return None

    def _wait_stored(self, key: str, timeout: float = STORE_WAIT_S) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if self._storing_twin(key) is None:
                    return
            time.sleep(0.02)

    def _ahead(self, job_id: str) -> int:
        try:
            return self._queue.index(job_id)
        except ValueError:
            return 0

    def _enqueue(self, rec: _Record) -> None:
        bisect.insort(self._queue, rec.id, key=lambda job_id: self._jobs[job_id].order())

    def _dispatch(self) -> None:
        while self._queue and len(self._running) < self.backend.capacity() and not self._abandoned:
            rec = self._jobs[self._queue.pop(0)]
            self._running.add(rec.id)
            rec.started = time.monotonic()
            rec.attempts += 1
            assert rec.snap is not None
            rec.snap = replace(rec.snap, status=JobStatus.RUNNING)
            self.computed[rec.kind] = self.computed.get(rec.kind, 0) + 1
            self._log(rec, "started", queue_wait=time.time() - rec.submitted)
            if self.journal is not None:
                self.journal.started(rec.id, rec.attempts)
            try:
                self.backend.start(rec.id, rec.kind, rec.config)
            except Exception as err:  # noqa: BLE001 - a backend that cannot start is the job's error
                rec.snap = replace(rec.snap, status=JobStatus.ERROR, error=JobError.from_exception(err))
                self._finish(rec)

    def _halt(self, rec: _Record, status: JobStatus) -> None:
        assert rec.snap is not None
        if rec.id in self._queue:
            rec.snap = replace(rec.snap, status=status)
            self._finish(rec)
            return
        rec.stop_asked = time.monotonic()
        rec.snap = replace(rec.snap, status=JobStatus.STOPPING)
        rec.end_status = status
        self.backend.stop(rec.id)

    def _finish(self, rec: _Record) -> None:
        """The job's snapshot is final: it leaves the active jobs (and the queue) for the recent window."""
        self._jobs.pop(rec.id, None)
        self._running.discard(rec.id)
        if rec.id in self._queue:
            self._queue.remove(rec.id)
        self._remember(rec)
        if self.journal is not None and rec.snap is not None:
            self.journal.finished(rec.id, rec.snap.status.value, rec.snap.error)

    def _remember(self, rec: _Record) -> None:
        self._recent[rec.id] = rec
        self._recent.move_to_end(rec.id)
        while len(self._recent) > RECENT_KEEP:
            self._recent.popitem(last=False)

    def _on_event(self, event: dict[str, Any]) -> None:
        """Events from the backend: started, update, done, stopped, error; capacity (more jobs may run now)."""
        kind = event.get("type")
        with self._lock:
            if kind == "capacity":  # e.g. a Ray cluster connected, or local workers took over from a lost one
                self._dispatch()
                return
            rec = self._jobs.get(event.get("id", ""))
            if rec is None or rec.snap is None or self._abandoned:
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
            rec.storing = kind == "done"
            self._finish(rec)
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
            rec.storing = False

    # ---- the journal: jobs across restarts ----------------------------------------------------------
    def _journal_add(self, rec: _Record, status: str) -> None:
        if self.journal is None:
            return
        self.journal.add(JournalRow(rec.id, rec.kind, rec.key, rec.seq, rec.priority, rec.group, list(rec.owners),
                                    status, rec.attempts, rec.submitted, config=rec.config,
                                    finished=time.time() if status != "queued" else None))

    def _take_over(self, journal: JobJournal) -> None:
        """At start: the queued jobs of the server that ran before queue again; its running jobs run again
        (once; a job that was running at two restarts is marked "interrupted — run again")."""
        journal.prune()
        self._seq = itertools.count(journal.max_seq() + 1)
        self._slots.update(journal.slots())
        now = time.monotonic()
        for row in journal.active():
            if journal.held_by_a_live_server(row):
                continue
            rec = _Record(row.id, row.kind, row.config, row.key, row.seq, priority=row.priority, group=row.group,
                          attempts=row.attempts, submitted=row.submitted)
            rec.owners = dict.fromkeys(row.owners, now)  # their pages get ORPHAN_AFTER_S to come back
            rec.snap = Snapshot(rec.id, rec.kind, JobStatus.QUEUED, config=row.config)
            self.restored += 1
            runnable = row.config is not None and row.kind in _known_kinds()
            if not runnable or (row.status == "running" and row.attempts > RERUNS_AFTER_RESTART):
                self.interrupted += 1
                rec.snap = replace(rec.snap, status=JobStatus.ERROR, error=JobError("jobs.err.interrupted"))
                self._finish(rec)
                continue
            self._jobs[rec.id] = rec
            journal.requeued(rec.id, rec.priority)
            self._enqueue(rec)
        self._dispatch()

    def _rebuild(self, job_id: str) -> _Record | None:
        """A finished job that has left memory, from its journal row (its result from the result cache)."""
        row = self.journal.get(job_id) if self.journal is not None else None
        if row is None or row.status in ("queued", "running"):
            return None
        rec = _Record(row.id, row.kind, row.config, row.key, row.seq, priority=row.priority, group=row.group,
                      attempts=row.attempts, submitted=row.submitted)
        rec.owners = dict.fromkeys(row.owners, time.monotonic())
        try:
            status = JobStatus(row.status)
        except ValueError:
            status = JobStatus.ERROR
        snap = Snapshot(rec.id, rec.kind, status, config=row.config, error=row.error, fraction=1.0)
        if status is JobStatus.DONE:
            hit = self.cache.get(row.key) if row.kind in _known_kinds() and kind_spec(row.kind).cache else None
            if hit is None:
                snap = replace(snap, status=JobStatus.ERROR, error=JobError("jobs.err.result_gone"))
            else:
                snap = replace(snap, result=hit.result, items=list(hit.items), state=hit.state,
                               computed_at=hit.computed_at, computed_on=hit.computed_on,
                               compute_seconds=hit.seconds, saved=list(hit.saved))
        rec.snap = snap
        self._remember(rec)
        return rec

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
        """Four times a second: kill jobs that ignore a stop, cancel jobs whose owners are all gone."""
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


def _known_kinds() -> set[str]:
    from plm_core.jobs.kinds import KINDS

    return set(KINDS)


_SERVICE: JobService | None = None
_SERVICE_LOCK = threading.Lock()


def get_service() -> JobService:
    """The process's one service: Ray when PLM_LAB_RAY_ADDRESS is set (connected in the background by a dispatcher
    process; local workers whenever the cluster is unreachable or lost), else local worker processes."""
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
            _SERVICE = JobService(backend, journal=JobJournal())  # queued and running jobs survive a restart
        return _SERVICE
