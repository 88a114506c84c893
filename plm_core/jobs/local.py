"""The default backend: a small pool of worker processes on this machine (`python -m plm_core.jobs.worker`).

Workers start on the first job (the server's start pays nothing), run at a lower CPU priority than the
server (pages stay responsive while jobs train), keep their loaded backbones warm between jobs, and are
replaced when they die or must be killed to honour a stop.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any

from plm_core.jobs.model import JobError
from plm_core.jobs.worker import read_frame, write_frame
from plm_core.paths import REPO_ROOT

Event = dict[str, Any]


def usable_cores() -> int:
    """The cores this process may really use: the CPU affinity and a cgroup quota (containers) both count,
    not just `os.cpu_count()`, which reports the host's cores inside a container limited to two."""
    cores = os.cpu_count() or 2
    try:
        cores = min(cores, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux: no affinity mask to read
        pass
    try:  # cgroup v2: "max 100000" (no quota) or "200000 100000" (two cores)
        quota, period = open("/sys/fs/cgroup/cpu.max").read().split()[:2]
        if quota != "max" and int(period) > 0:
            cores = min(cores, max(1, int(quota) // int(period)))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def default_workers() -> int:
    """PLM_LAB_WORKERS, else one fewer than the usable cores (at least one): a core stays free for the pages."""
    env = os.environ.get("PLM_LAB_WORKERS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    return max(1, usable_cores() - 1)


class _Worker:
    def __init__(self, index: int, on_event: Callable[[Event], None], threads: int) -> None:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
                   OMP_NUM_THREADS=str(threads), PLM_LAB_WORKER_THREADS=str(threads), HF_HUB_OFFLINE="1",
                   TOKENIZERS_PARALLELISM="false", PLM_LAB_UMAP_WARMUP="0")
        self.index = index
        self.proc = subprocess.Popen([sys.executable, "-m", "plm_core.jobs.worker"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, env=env, cwd=str(REPO_ROOT),
                                     preexec_fn=_lower_priority if os.name == "posix" else None)
        self.lock = threading.Lock()
        self.job: str | None = None  # the job it runs now
        self.killed_for_stop = False
        self._on_event = on_event
        threading.Thread(target=self._read, daemon=True, name=f"plm-worker-{index}").start()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, message: Event) -> None:
        assert self.proc.stdin is not None
        write_frame(self.proc.stdin, message, self.lock)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        while True:
            try:
                message = read_frame(self.proc.stdout)
            except Exception:  # noqa: BLE001 - a garbled stream is a dead worker
                message = None
            if message is None:
                break
            if message["type"] in ("done", "stopped", "error"):
                self.job = None
            if message["type"] != "ready":
                self._on_event(message)
        self.proc.wait()
        job, self.job = self.job, None
        if job is not None:  # it died while running a job
            if self.killed_for_stop:
                self._on_event({"type": "stopped", "id": job, "result": None})
            else:
                code = self.proc.returncode
                self._on_event({"type": "error", "id": job,
                                "error": JobError("jobs.err.worker_died", {"code": code})})

    def kill(self) -> None:
        self.killed_for_stop = True
        self.proc.kill()

    def abandon(self) -> None:
        self._on_event = _ignore
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass

    def close(self) -> None:
        try:
            self.send({"type": "quit"})
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        except (OSError, ValueError):
            pass


WORKER_NICE = 10  # added to the server's niceness for job workers. SCHED_IDLE was tried (bench/classroom.py):
# no clear gain in render times, and a worker under it can be starved outright by a busy foreground.


def _lower_priority() -> None:
    """Jobs give way to page renders (the server's threads keep their priority)."""
    try:
        os.nice(WORKER_NICE)
    except OSError:
        pass


class LocalBackend:
    """Worker processes on this machine; `capacity` jobs run at once, the service queues the rest."""

    name = "local"

    def __init__(self, workers: int | None = None, threads: int | None = None, prestart: bool = False) -> None:
        """prestart: start one worker now (at low priority), so the first job does not wait for it; the
        others start when jobs need them (many workers importing torch at once would stall a small machine)."""
        from plm_core.jobs.runner import worker_threads

        self.n = workers or default_workers()
        self.threads = threads or worker_threads()
        self._workers: list[_Worker | None] = [None] * self.n
        self._lock = threading.Lock()
        self._on_event: Callable[[Event], None] = lambda event: None
        self._prestart = prestart

    def bind(self, on_event: Callable[[Event], None]) -> None:
        self._on_event = on_event
        if self._prestart:
            with self._lock:
                self._workers[0] = _Worker(0, self._on_event, self.threads)

    def capacity(self) -> int:
        return self.n

    def start(self, job_id: str, kind: str, config: Any) -> None:
        with self._lock:
            index = next(i for i, w in enumerate(self._workers) if w is None or not w.alive or w.job is None)
            worker = self._workers[index]
            if worker is None or not worker.alive:
                worker = self._workers[index] = _Worker(index, self._on_event, self.threads)
            worker.job = job_id
        worker.send({"type": "run", "id": job_id, "kind": kind, "config": config})

    def _worker_of(self, job_id: str) -> _Worker | None:
        with self._lock:
            return next((w for w in self._workers if w is not None and w.job == job_id), None)

    def stop(self, job_id: str) -> None:
        worker = self._worker_of(job_id)
        if worker is not None:
            worker.send({"type": "stop", "id": job_id})

    def kill(self, job_id: str) -> None:
        worker = self._worker_of(job_id)
        if worker is not None:
            worker.kill()

    def describe(self) -> list[dict[str, Any]]:
        """pid, running job and resident memory of each started worker."""
        import psutil

        out = []
        for w in self._workers:
            if w is not None and w.alive:
                try:
                    rss = psutil.Process(w.proc.pid).memory_info().rss / 2**20
                except psutil.Error:
                    rss = float("nan")
                out.append({"pid": w.proc.pid, "job": w.job, "rss_mb": rss})
        return out

    def shutdown(self) -> None:
        for w in self._workers:
            if w is not None:
                w.close()

    def abandon(self) -> None:
        """What the server's death does to its workers (tests and bench/soak.py play a restart with it): their
        stdin closes, so each stops its job and exits by itself; nothing they still say is heard."""
        self._on_event = _ignore
        for w in self._workers:
            if w is not None:
                w.abandon()

    def pids(self) -> list[int]:
        """The worker processes alive now."""
        return [w.proc.pid for w in self._workers if w is not None and w.alive]


def _ignore(event: Event) -> None:
    pass
