"""Jobs on a Ray cluster: PLM_LAB_RAY_ADDRESS=auto (or host:port, or "local" for a cluster started here).

A teacher whose class outgrows one laptop:
    ray start --head --port=6379                       # on the server
    ray start --address=<server-ip>:6379               # on each lab PC
    PLM_LAB_RAY_ADDRESS=auto make run                  # the app, on the server

Ray is a backend that can fail, and the app stays up when it does:
- the Ray driver lives in a dispatcher process (`plm_core.jobs.ray_dispatch`), never in the server: Ray's core
  ends a driver whose cluster is gone, and that must not be the web server;
- connecting happens in the background (at most CONNECT_TIMEOUT_S); pages render meanwhile and jobs wait in the
  queue; an unreachable cluster means local worker processes run the jobs ("Ray unreachable — running locally");
- a cluster lost mid-job (`ray stop`, the server's network gone) fails that job with a message that offers a
  re-run, and the next jobs run on local workers; every few seconds the GCS is knocked on to notice it;
- token authentication as `ray start` sets it up: RAY_AUTH_MODE unset and a token in ~/.ray means token mode.
`info()` says which of these holds, for the banner every page shows (`ui/backend_banner.py`).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from plm_core.jobs.local import LocalBackend
from plm_core.jobs.model import JobError
from plm_core.jobs.ray_dispatch import auth_env, gcs_up
from plm_core.jobs.worker import read_frame, write_frame
from plm_core.paths import REPO_ROOT

Event = dict[str, Any]
Mode = Literal["local", "connecting", "ray", "unreachable", "lost"]
CONNECT_TIMEOUT_S = 30.0  # a cluster that has not answered by then counts as unreachable (ray.init alone: ~20 s)
WATCH_S = 1.0  # how often the GCS of a connected cluster is knocked on
MISSES_FOR_LOST = 2  # knocks in a row without an answer that mean the cluster is gone


@dataclass(frozen=True)
class BackendInfo:
    """Which backend runs jobs now, for the banner."""

    mode: Mode  # local: worker processes (no Ray asked for) · connecting · ray · unreachable / lost: local workers
    address: str = ""  # the cluster (host:port once connected; what PLM_LAB_RAY_ADDRESS said before)
    workers: int = 0  # jobs at once
    reason: str = ""  # why Ray is not used (Ray's own words, for the details)


class RayBackend:
    """Ray through a dispatcher process, with local worker processes whenever Ray is not there."""

    def __init__(self, address: str = "auto", workers: int | None = None, num_cpus: int | None = None,
                 local: LocalBackend | None = None, connect_timeout: float = CONNECT_TIMEOUT_S) -> None:
        """Returns at once: the connection is made in the background (`info().mode` is "connecting" meanwhile)."""
        self.address = address
        self.local = local or LocalBackend()
        self._workers, self._num_cpus, self._timeout = workers, num_cpus, connect_timeout
        self._lock = threading.Lock()
        self._mode: Mode = "connecting"
        self._gcs = ""
        self._n = 0
        self._reason = ""
        self._ray_jobs: set[str] = set()
        self._proc: subprocess.Popen[bytes] | None = None
        self._send_lock = threading.Lock()
        self._on_event: Callable[[Event], None] = lambda event: None
        self._closed = threading.Event()
        self.name = "local"  # where jobs run now ("computed on … (ray)" or "(local)"): "ray" once connected
        self.local.bind(self._emit)

    # ---- the Backend protocol -------------------------------------------------------------------
    def bind(self, on_event: Callable[[Event], None]) -> None:
        self._on_event = on_event
        threading.Thread(target=self._connect, daemon=True, name="plm-ray-connect").start()

    def capacity(self) -> int:
        """0 while connecting (jobs wait in the queue), the cluster's workers, else the local workers'."""
        with self._lock:
            if self._mode == "connecting":
                return 0
            return self._n if self._mode == "ray" else self.local.capacity()

    def start(self, job_id: str, kind: str, config: Any) -> None:
        with self._lock:
            on_ray = self._mode == "ray" and len(self._ray_jobs) < self._n
            if on_ray:
                self._ray_jobs.add(job_id)
        if not on_ray:
            self.local.start(job_id, kind, config)
        elif not self._send({"type": "run", "id": job_id, "kind": kind, "config": config}):
            self._lose("the dispatcher process is gone")

    def stop(self, job_id: str) -> None:
        if self._on_ray(job_id):
            self._send({"type": "stop", "id": job_id})
        else:
            self.local.stop(job_id)

    def kill(self, job_id: str) -> None:
        if self._on_ray(job_id):
            self._send({"type": "kill", "id": job_id})
        else:
            self.local.kill(job_id)

    def describe(self) -> list[dict[str, Any]]:
        with self._lock:
            ray_jobs = [{"ray": self._gcs, "job": job} for job in sorted(self._ray_jobs)]
        return ray_jobs + self.local.describe()

    def shutdown(self) -> None:
        self._closed.set()
        self._send({"type": "quit"})
        self._end_dispatcher(wait=10.0)
        self.local.shutdown()

    # ---- what the banner shows --------------------------------------------------------------------
    def info(self) -> BackendInfo:
        with self._lock:
            mode = self._mode
            workers = self._n if mode == "ray" else (0 if mode == "connecting" else self.local.capacity())
            return BackendInfo(mode, self._gcs or self.address, workers, self._reason)

    def dispatcher_pid(self) -> int | None:
        proc = self._proc
        return proc.pid if proc is not None and proc.poll() is None else None

    # ---- inside -------------------------------------------------------------------------------------
    def _on_ray(self, job_id: str) -> bool:
        with self._lock:
            return job_id in self._ray_jobs

    def _emit(self, event: Event) -> None:
        if event.get("type") in ("done", "stopped", "error"):
            with self._lock:
                self._ray_jobs.discard(event.get("id", ""))
        self._on_event(event)

    def _send(self, message: Event) -> bool:
        proc = self._proc
        if proc is None or proc.stdin is None or proc.poll() is not None:
            return False
        try:
            write_frame(proc.stdin, message, self._send_lock)
            return True
        except (OSError, ValueError):
            return False

    def _connect(self) -> None:
        """Start the dispatcher and wait for its word (bounded); then watch the cluster while it is used."""
        if ":" in self.address and not gcs_up(self.address):
            self._give_up("unreachable", f"nothing answers at {self.address}")
            return
        env = auth_env(dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO_ROOT),
                                                                     os.environ.get("PYTHONPATH", "")])))
        args = [self.address, str(self._workers or 0), str(self._num_cpus or 0)]
        if self._closed.is_set():  # shut down before it could start
            return
        try:
            proc = subprocess.Popen([sys.executable, "-m", "plm_core.jobs.ray_dispatch", *args],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=str(REPO_ROOT),
                                    start_new_session=True)  # a Ctrl+C in the terminal reaches the server only
        except OSError as err:
            self._give_up("unreachable", str(err))
            return
        self._proc = proc
        first: list[Event] = []
        heard = threading.Event()
        threading.Thread(target=self._read, args=(proc, first, heard), daemon=True, name="plm-ray-read").start()
        if not heard.wait(self._timeout) or self._closed.is_set():
            self._end_dispatcher()
            self._give_up("unreachable", f"no answer within {self._timeout:.0f} s")
            return
        word = first[0] if first else {"type": "unreachable", "reason": "the dispatcher ended"}
        if word.get("type") != "connected":
            self._end_dispatcher()
            self._give_up("unreachable", str(word.get("reason", "")))
            return
        with self._lock:
            self._mode, self._gcs, self._n = "ray", str(word["address"]), int(word["workers"])
            self.name = "ray"
        self._on_event({"type": "capacity"})  # the queued jobs may start now
        self._watch(proc)

    def _read(self, proc: subprocess.Popen[bytes], first: list[Event], heard: threading.Event) -> None:
        assert proc.stdout is not None
        while True:
            try:
                message = read_frame(proc.stdout)
            except Exception:  # noqa: BLE001 - a garbled stream is a dead dispatcher
                message = None
            if message is None:
                break
            kind = message.get("type")
            if kind in ("connected", "unreachable"):
                first.append(message)
                heard.set()
            elif kind == "lost":
                self._lose(str(message.get("reason", "")))
            else:
                self._emit(message)
        heard.set()  # ended before a word: `first` stays empty
        proc.wait()
        if self._mode == "ray" and not self._closed.is_set():
            self._lose(f"the dispatcher ended (exit {proc.returncode})")

    def _watch(self, proc: subprocess.Popen[bytes]) -> None:
        misses = 0
        while not self._closed.wait(WATCH_S):
            if self._mode != "ray":
                return
            misses = 0 if gcs_up(self._gcs) else misses + 1
            if misses >= MISSES_FOR_LOST or proc.poll() is not None:
                self._lose(f"the cluster's GCS at {self._gcs} stopped answering")
                return

    def _lose(self, reason: str) -> None:
        """The cluster is gone: its jobs end with a message (and a re-run button); local workers take over."""
        with self._lock:
            if self._mode != "ray":
                return
            self._mode, self._reason, self.name = "lost", reason, "local"
            jobs, self._ray_jobs = sorted(self._ray_jobs), set()
        self._end_dispatcher()
        for job_id in jobs:
            self._on_event({"type": "error", "id": job_id, "error": JobError("ray.err.lost", {"address": self._gcs})})
        self._on_event({"type": "capacity"})

    def _give_up(self, mode: Mode, reason: str) -> None:
        with self._lock:
            self._mode, self._reason = mode, reason
        self._on_event({"type": "capacity"})

    def _end_dispatcher(self, wait: float = 0.0) -> None:
        proc = self._proc
        if proc is None:
            return
        if wait:
            try:
                proc.wait(timeout=wait)
            except subprocess.TimeoutExpired:
                pass
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdin, proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass


def backend_info(backend: Any) -> BackendInfo:
    """Which backend runs the service's jobs: Ray (and how it stands) or this machine's worker processes."""
    if isinstance(backend, RayBackend):
        return backend.info()
    capacity = backend.capacity() if isinstance(backend, LocalBackend) else 0
    return BackendInfo("local", workers=capacity)
