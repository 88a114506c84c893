"""The Ray dispatcher: `python -m plm_core.jobs.ray_dispatch ADDRESS [WORKERS] [NUM_CPUS]`.

The one process of the app that is a Ray driver. The server talks to it as to a local worker (length-prefixed
pickled frames on stdin/stdout, `plm_core.jobs.worker`), so Ray's core never lives in the server process: when
the cluster goes away, Ray ends *this* process ("Failed to connect to GCS … will terminate"), the server sees
its pipe close, fails the jobs it had with a message and runs the next ones on local workers.

Server → dispatcher: run {id, kind, config} · stop {id} · kill {id} · quit (or stdin closing).
Dispatcher → server: connected {address, workers} · unreachable {reason} · lost {reason} · the jobs' events
(update, done, stopped, error: the same as a local worker's).

Each job runs in an actor (one CPU, one job at a time, backbones kept warm between jobs) through the same
`runner.outcome` as a local worker, so snapshots, stop and results are the same.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Any

from plm_core.jobs.model import JobError
from plm_core.jobs.worker import read_frame, write_frame
from plm_core.paths import REPO_ROOT

Event = dict[str, Any]
EXCLUDES = [".venv", ".git", "bench/out", "**/__pycache__", "*.sqlite*", ".pytest_cache", ".mypy_cache",
            ".ruff_cache", ".hypothesis"]
LOST_CHECK_S = 8.0  # after an actor died: how long the GCS is watched before calling the cluster lost (`ray stop`
# ends it ~3 s after the raylet and the actors)
EXIT_GRACE_S = 5.0  # leaving (server gone, quit): the process ends this long after, whatever Ray still does


def token_available(env: dict[str, str] | None = None) -> bool:
    """A Ray auth token this process can read: RAY_AUTH_TOKEN, the file RAY_AUTH_TOKEN_PATH names, or the one
    `ray start` / `ray get-auth-token --generate` writes (~/.ray/auth_token)."""
    env = dict(os.environ) if env is None else env
    if env.get("RAY_AUTH_TOKEN", "").strip():
        return True
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    path = Path(env.get("RAY_AUTH_TOKEN_PATH") or home / ".ray" / "auth_token")
    try:
        return bool(path.read_text(encoding="utf-8").strip())
    except OSError:
        return False


def auth_env(env: dict[str, str]) -> dict[str, str]:
    """`env` with token authentication on where Ray 2.60's `ray start` turns it on: RAY_AUTH_MODE unset and a
    token present. `ray.init` does the same only for address "auto"; with host:port it would knock without the
    token for 20 s and give up."""
    if "RAY_AUTH_MODE" not in env and token_available(env):
        return {**env, "RAY_AUTH_MODE": "token"}
    return env


def gcs_up(address: str, timeout: float = 1.0) -> bool:
    """Whether the cluster's GCS (host:port) accepts a connection now."""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return False
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            return True
    except OSError:
        return False


def _actor_class() -> Any:
    import ray

    @ray.remote(num_cpus=1, max_concurrency=4)  # type: ignore[call-overload]  # ray's stubs type functions, not actors
    class RayWorker:
        """One job at a time (the dispatcher sees to it); `poll` and `stop` answer while `run` works."""

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


class Dispatcher:
    """Runs the server's jobs on Ray actors (`workers` at once) and reports their events."""

    def __init__(self, workers: int, send: Any, gcs: str) -> None:
        self.n = workers
        self._send = send
        self._gcs = gcs
        self._actors: list[Any] = [None] * workers
        self._jobs: dict[int, str] = {}  # actor index -> job id
        self._killed: set[str] = set()
        self._lock = threading.Lock()
        self._worker_class = _actor_class()

    def run(self, job_id: str, kind: str, config: Any) -> None:
        with self._lock:
            index = next((i for i in range(self.n) if i not in self._jobs), None)
            if index is None:  # the server never sends more than `workers` jobs; if it did, say so
                self._send({"type": "error", "id": job_id, "error": JobError("jobs.err.worker_died", {"code": "ray"})})
                return
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
                    self._send(event)
            except Exception:  # noqa: BLE001 - a dead actor: its ref fails below
                pass
            if ready:
                break
        try:
            end = ray.get(ref)
        except Exception:  # noqa: BLE001 - the actor died (killed for a stop, crashed, or the cluster went away)
            with self._lock:
                self._actors[index] = None
            if job_id not in self._killed and not self._cluster_alive():
                self._send({"type": "lost", "reason": f"GCS {self._gcs} stopped answering"})
                return  # the server fails every job of this dispatcher and ends it
            end = ({"id": job_id, "type": "stopped", "result": None} if job_id in self._killed else
                   {"id": job_id, "type": "error", "error": JobError("jobs.err.worker_died", {"code": "ray"})})
        with self._lock:
            self._jobs.pop(index, None)
        self._send(end)

    def _cluster_alive(self) -> bool:
        """`ray stop` ends the raylet (and with it the actors) a moment before the GCS: watch the GCS a while."""
        end = time.monotonic() + LOST_CHECK_S
        while time.monotonic() < end:
            if not gcs_up(self._gcs, timeout=0.5):
                return False
            time.sleep(0.25)
        return True

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

    def close(self) -> None:
        import ray

        for actor in self._actors:
            if actor is not None:
                try:
                    ray.kill(actor)
                except Exception:  # noqa: BLE001 - the cluster may be gone already
                    pass
        ray.shutdown()  # for "local": the cluster this process started ends with it


def main(argv: list[str]) -> None:
    address = argv[0] if argv else "auto"
    workers = int(argv[1]) if len(argv) > 1 and argv[1].isdigit() and int(argv[1]) > 0 else 0
    num_cpus = int(argv[2]) if len(argv) > 2 and argv[2].isdigit() and int(argv[2]) > 0 else None
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # Ray's and stray prints go to stderr, never into frames
    lock = threading.Lock()

    def send(message: Event) -> None:
        try:
            write_frame(out, message, lock)
        except (BrokenPipeError, ConnectionError, OSError, ValueError):  # the server went away
            os._exit(0)

    def leave() -> None:
        timer = threading.Timer(EXIT_GRACE_S, os._exit, args=(0,))
        timer.daemon = True
        timer.start()

    try:
        init_ray(address, num_cpus)
        import ray

        gcs = str(ray.get_runtime_context().gcs_address)
        n = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    except Exception as err:  # noqa: BLE001 - no cluster there, refused, wrong token: the server runs locally
        send({"type": "unreachable", "reason": f"{type(err).__name__}: {str(err)[:300]}"})
        out.flush()
        os._exit(0)
    dispatcher = Dispatcher(n, send, gcs)
    send({"type": "connected", "address": gcs, "workers": n})
    while True:
        try:
            message = read_frame(sys.stdin.buffer)
        except Exception:  # noqa: BLE001 - a garbled or broken stdin is a server gone
            message = None
        if message is None or message.get("type") == "quit":
            leave()
            dispatcher.close()
            os._exit(0)
        if message["type"] == "run":
            dispatcher.run(message["id"], message["kind"], message["config"])
        elif message["type"] == "stop":
            dispatcher.stop(message["id"])
        elif message["type"] == "kill":
            dispatcher.kill(message["id"])


if __name__ == "__main__":
    main(sys.argv[1:])
