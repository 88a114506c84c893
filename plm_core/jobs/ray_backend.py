"""Jobs on a Ray cluster: PLM_LAB_RAY_ADDRESS=auto (or host:port, or "local" for a cluster started here).

Each job runs in an actor (one CPU, one job at a time, backbones kept warm between jobs) through the same
`runner.outcome` as a local worker, so snapshots, stop and results are the same. The driver polls every
running actor for its updates. A teacher whose class outgrows one laptop:
    ray start --head --port=6379                       # on the server
    ray start --address=<server-ip>:6379               # on each lab PC
    PLM_LAB_RAY_ADDRESS=auto make run                  # the app, on the server
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

from plm_core.jobs.model import JobError
from plm_core.paths import REPO_ROOT

Event = dict[str, Any]
EXCLUDES = [".venv", ".git", "bench/out", "**/__pycache__", "*.sqlite*", ".pytest_cache"]


def _actor_class() -> Any:
    import ray

    @ray.remote(num_cpus=1, max_concurrency=4)  # type: ignore[call-overload]  # ray's stubs type functions, not actors
    class RayWorker:
        """One job at a time (the driver sees to it); `poll` and `stop` answer while `run` works."""

        def __init__(self) -> None:
            self._events: list[Event] = []
            self._lock = threading.Lock()
            self._stops: dict[str, threading.Event] = {}

        def run(self, job_id: str, kind: str, config: Any) -> Event:
            from plm_core.jobs.runner import outcome

            stop = self._stops.setdefault(job_id, threading.Event())

            def sink(event: Event) -> None:
                with self._lock:
                    self._events.append({"type": "update", "id": job_id, **event})

            try:
                return {"id": job_id, **outcome(kind, config, sink, stop)}
            finally:
                self._stops.pop(job_id, None)

        def poll(self) -> list[Event]:
            with self._lock:
                events, self._events = self._events, []
            return events

        def stop(self, job_id: str) -> None:
            self._stops.setdefault(job_id, threading.Event()).set()

        def pid(self) -> int:
            return os.getpid()

    return RayWorker


def init_ray(address: str, num_cpus: int | None = None) -> None:
    """Connect to (or, for "local", start) a cluster that can import this repo's code."""
    import ray

    if ray.is_initialized():
        return
    env = {"PYTHONPATH": str(REPO_ROOT), "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
           "PLM_LAB_UMAP_WARMUP": "0"}
    if address in ("local", ""):
        ray.init(num_cpus=num_cpus or 1, include_dashboard=False, log_to_driver=False,
                 runtime_env={"env_vars": env})
    else:  # the lab PCs get the code with the job (the weights come from their own packages/cache)
        ray.init(address=address, log_to_driver=False,
                 runtime_env={"working_dir": str(REPO_ROOT), "excludes": EXCLUDES, "env_vars": env})


class RayBackend:
    name = "ray"

    def __init__(self, address: str = "auto", workers: int | None = None, num_cpus: int | None = None) -> None:
        import ray

        init_ray(address, num_cpus)
        self.n = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._actors: list[Any] = [None] * self.n
        self._jobs: dict[int, str] = {}  # actor index -> job id
        self._killed: set[str] = set()
        self._lock = threading.Lock()
        self._on_event: Callable[[Event], None] = lambda event: None
        self._worker_class = _actor_class()

    def bind(self, on_event: Callable[[Event], None]) -> None:
        self._on_event = on_event

    def capacity(self) -> int:
        return self.n

    def start(self, job_id: str, kind: str, config: Any) -> None:
        with self._lock:
            index = next(i for i in range(self.n) if i not in self._jobs)
            if self._actors[index] is None:
                self._actors[index] = self._worker_class.remote()
            actor = self._actors[index]
            self._jobs[index] = job_id
        ref = actor.run.remote(job_id, kind, config)
        threading.Thread(target=self._follow, args=(index, job_id, actor, ref), daemon=True,
                         name=f"plm-ray-{index}").start()

    def _follow(self, index: int, job_id: str, actor: Any, ref: Any) -> None:
        import ray

        while True:
            ready, _ = ray.wait([ref], timeout=0.25)
            try:
                for event in ray.get(actor.poll.remote(), timeout=10):
                    self._on_event(event)
            except Exception:  # noqa: BLE001 - a dead actor: its ref fails below
                pass
            if ready:
                break
        try:
            end = ray.get(ref)
        except Exception:  # noqa: BLE001 - the actor died (killed for a stop, or crashed)
            with self._lock:
                self._actors[index] = None
            end = ({"id": job_id, "type": "stopped", "result": None} if job_id in self._killed else
                   {"id": job_id, "type": "error", "error": JobError("jobs.err.worker_died", {"code": "ray"})})
        with self._lock:
            self._jobs.pop(index, None)
        self._on_event(end)

    def _actor_of(self, job_id: str) -> Any:
        with self._lock:
            return next((self._actors[i] for i, j in self._jobs.items() if j == job_id), None)

    def stop(self, job_id: str) -> None:
        actor = self._actor_of(job_id)
        if actor is not None:
            actor.stop.remote(job_id)

    def kill(self, job_id: str) -> None:
        import ray

        actor = self._actor_of(job_id)
        if actor is not None:
            self._killed.add(job_id)
            ray.kill(actor)

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            return [{"actor": i, "job": self._jobs.get(i)} for i, a in enumerate(self._actors) if a is not None]

    def shutdown(self) -> None:
        import ray

        for actor in self._actors:
            if actor is not None:
                ray.kill(actor)
