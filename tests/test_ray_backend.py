"""Ray as a backend that can fail, against a real local cluster (`ray start --head` in a temp dir, with token
authentication as Ray 2.60 sets it up): the README's recipe works as written; `ray stop` mid-job ends that job
with a message, the next job runs on local workers and this process (the server) lives on past Ray's 60-s GCS
timeout; an unreachable cluster means local workers at once, and the app's pages say which backend runs jobs."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import pytest

from conftest import REPO, free_port
from plm_core.jobs.cache import ResultCache
from plm_core.jobs.model import JobStatus
from plm_core.jobs.ray_backend import RayBackend
from plm_core.jobs.ray_dispatch import auth_env, gcs_up, token_available
from plm_core.jobs.service import JobService
from plm_core.jobs.testing import SleepConfig

RAY = Path(sys.executable).with_name("ray")
GCS_TIMEOUT_S = 60  # Ray's core ends a driver whose GCS is gone this long ("will terminate")


def ray_cli(*args: str, env: dict[str, str], timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(RAY), *args], env=env, capture_output=True, text=True, timeout=timeout)


def processes_of(temp_dir: str) -> list[psutil.Process]:
    """Ray's processes of the cluster that lives in `temp_dir` (its GCS, raylet, agents and their children)."""
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        try:
            if any(temp_dir in part for part in proc.info["cmdline"] or []):
                found.append(proc)
                found.extend(proc.children(recursive=True))
        except psutil.Error:
            continue
    return found


class Cluster:
    """A one-node Ray cluster started as the README says (`ray start --head`), in its own temp dir and HOME."""

    def __init__(self, home: Path, token: bool) -> None:
        self.temp_dir = tempfile.mkdtemp(prefix="plmray", dir="/tmp")  # short: Ray's socket paths must fit
        self.port = free_port()
        self.env = dict(os.environ, HOME=str(home), RAY_USAGE_STATS_ENABLED="0")
        self.env.pop("RAY_AUTH_MODE", None)
        self.env.pop("RAY_ADDRESS", None)
        if token:  # what `ray get-auth-token --generate` leaves in ~/.ray: `ray start` then turns token auth on
            ray_cli("get-auth-token", "--generate", env=self.env, timeout=60).check_returncode()
        self.address = f"127.0.0.1:{self.port}"

    def start(self) -> None:
        done = ray_cli("start", "--head", f"--port={self.port}", "--num-cpus=1", "--include-dashboard=false",
                       "--node-ip-address=127.0.0.1", f"--temp-dir={self.temp_dir}", "--disable-usage-stats",
                       env=self.env)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert gcs_up(self.address)

    def stop(self) -> None:
        ray_cli("stop", env=self.env, timeout=120)

    def close(self) -> None:
        self.stop()
        for proc in processes_of(self.temp_dir):  # `ray stop` found them all: nothing is left to kill
            try:
                proc.kill()
            except psutil.Error:
                pass
        shutil.rmtree(self.temp_dir, ignore_errors=True)


def allow_this_machine(monkeypatch) -> None:
    """Ray names a cluster on this machine by the machine's own network address ("auto" finds 192.0.2.2:port, not
    127.0.0.1), and the app knocks there: allow this machine's own addresses, nothing beyond them."""
    import _socket

    own = {a.address for addrs in psutil.net_if_addrs().values() for a in addrs if a.family == socket.AF_INET}
    guarded = socket.socket.connect

    def connect(sock, address):
        if isinstance(address, tuple) and address and address[0] in own:
            return _socket.socket.connect(sock, address)
        return guarded(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture
def cluster(tmp_path, monkeypatch):
    """A started cluster with a token in ~/.ray (HOME is this test's, so the app's dispatcher finds it there)."""
    allow_this_machine(monkeypatch)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("RAY_AUTH_MODE", raising=False)
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    monkeypatch.setenv("PLM_LAB_WORKERS", "1")
    made = Cluster(home, token=True)
    try:
        made.start()
        yield made
    finally:
        made.close()
        assert not [p for p in processes_of(made.temp_dir) if p.is_running()], "Ray processes left behind"


def wait_for(test, timeout: float, what: str) -> None:
    end = time.monotonic() + timeout
    while not test():
        assert time.monotonic() < end, f"waited {timeout:.0f} s for {what}"
        time.sleep(0.2)


def test_token_auth_is_turned_on_as_ray_start_does(tmp_path):
    home = tmp_path / "home"
    env = {"HOME": str(home)}
    assert not token_available(env) and "RAY_AUTH_MODE" not in auth_env(env)
    (home / ".ray").mkdir(parents=True)
    (home / ".ray" / "auth_token").write_text("a" * 32)
    assert token_available(env) and auth_env(env)["RAY_AUTH_MODE"] == "token"
    assert auth_env({**env, "RAY_AUTH_MODE": "disabled"})["RAY_AUTH_MODE"] == "disabled"  # an explicit choice stays
    assert auth_env({"HOME": str(tmp_path / "nobody"), "RAY_AUTH_TOKEN": "t0k3n"})["RAY_AUTH_MODE"] == "token"


@pytest.mark.slow
def test_the_readme_recipe_runs_jobs_on_ray_with_token_auth(cluster, tmp_path, monkeypatch):
    """`ray start --head`, then PLM_LAB_RAY_ADDRESS=auto: the app's service (get_service) runs jobs on the
    cluster, though token authentication is on; the banner names the cluster's address."""
    import plm_core.jobs.service as service_module

    assert (Path(cluster.env["HOME"]) / ".ray" / "auth_token").exists()
    monkeypatch.setenv("PLM_LAB_RAY_ADDRESS", "auto")
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path / "runs.sqlite"))
    monkeypatch.setattr(service_module, "_SERVICE", None)
    svc = service_module.get_service()
    try:
        backend = svc.backend
        assert isinstance(backend, RayBackend)
        job = svc.submit("test.sleep", SleepConfig(steps=3, seconds=0.05, tag="recipe"))
        snap = svc.wait(job, timeout=240)
        assert snap.status is JobStatus.DONE, snap.error
        assert snap.computed_on.endswith("(ray)") and snap.result["steps"] == 3
        info = backend.info()
        assert info.mode == "ray" and info.address.endswith(f":{cluster.port}") and info.workers == 1
    finally:
        svc.shutdown()
        service_module._SERVICE = None


@pytest.mark.slow
def test_losing_the_cluster_mid_job_ends_the_job_with_a_message_and_the_next_runs_locally(cluster, tmp_path):
    """`ray stop` while a job runs (the issue's case): that job says the cluster went away (with a re-run), the
    dispatcher is gone, the next job runs on a local worker, and this process, which is the server here, is still
    alive after Ray's 60-s GCS timeout (a Ray driver in it would have been ended by Ray's core)."""
    had_ray = "ray" in sys.modules
    backend = RayBackend(cluster.address, workers=1)
    svc = JobService(backend, ResultCache(tmp_path / "r.sqlite"))
    try:
        wait_for(lambda: backend.info().mode == "ray", 120, "the cluster to connect")
        dispatcher = backend.dispatcher_pid()
        assert dispatcher is not None and dispatcher != os.getpid()
        job = svc.submit("test.sleep", SleepConfig(steps=2000, seconds=0.05, tag="lost"))
        wait_for(lambda: svc.snapshot(job).fraction > 0, 180, "the job to report progress from Ray")
        assert svc.snapshot(job).status is JobStatus.RUNNING
        stopped_at = time.monotonic()
        cluster.stop()
        wait_for(lambda: svc.snapshot(job).finished, 30, "the job to end after `ray stop`")
        print(f"ray stop -> the job ended: {time.monotonic() - stopped_at:.1f} s")
        snap = svc.snapshot(job)
        assert snap.status is JobStatus.ERROR and snap.error is not None and snap.error.key == "ray.err.lost"
        assert f":{cluster.port})" in snap.error.message("en") and f":{cluster.port})" in snap.error.message("ko")
        info = backend.info()
        assert info.mode == "lost" and info.workers == 1 and backend.dispatcher_pid() is None
        assert not psutil.pid_exists(dispatcher) or psutil.Process(dispatcher).status() == psutil.STATUS_ZOMBIE
        after = svc.wait(svc.submit("test.sleep", SleepConfig(steps=3, seconds=0.05, tag="after")), timeout=240)
        assert after.status is JobStatus.DONE, after.error
        assert after.computed_on.endswith("(local)")
        print(f"ray stop -> the next job done on a local worker: {time.monotonic() - stopped_at:.1f} s")
        time.sleep(max(0.0, GCS_TIMEOUT_S + 5 - (time.monotonic() - stopped_at)))  # Ray's core would end us here
        assert svc.snapshot(after.job_id).status is JobStatus.DONE
        assert svc.stats()["backend"] == "local"
        if not had_ray:
            assert "ray" not in sys.modules  # the server never became a Ray driver
    finally:
        svc.shutdown()


def test_an_unreachable_address_means_local_workers_at_once(tmp_path, monkeypatch):
    monkeypatch.setenv("PLM_LAB_WORKERS", "1")
    address = f"127.0.0.1:{free_port()}"  # nothing listens there
    backend = RayBackend(address)
    svc = JobService(backend, ResultCache(tmp_path / "r.sqlite"))
    try:
        wait_for(lambda: backend.info().mode == "unreachable", 5, "the backend to give up")
        assert backend.info().address == address and backend.info().workers == 1
        assert backend.dispatcher_pid() is None
        snap = svc.wait(svc.submit("test.sleep", SleepConfig(steps=2, seconds=0.01, tag="u")), timeout=240)
        assert snap.status is JobStatus.DONE and snap.computed_on.endswith("(local)"), snap.error
    finally:
        svc.shutdown()


def test_a_cluster_that_never_answers_is_given_up_after_the_timeout(tmp_path, monkeypatch):
    """Something listens at the address but never speaks Ray: the dispatcher is ended after the timeout, jobs queued
    meanwhile run locally, and no dispatcher process is left."""
    monkeypatch.setenv("PLM_LAB_WORKERS", "1")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    threading.Thread(target=lambda: [accepted.append(listener.accept()[0]) for _ in range(8)], daemon=True).start()
    address = f"127.0.0.1:{listener.getsockname()[1]}"
    backend = RayBackend(address, connect_timeout=6)
    svc = JobService(backend, ResultCache(tmp_path / "r.sqlite"))
    try:
        job = svc.submit("test.sleep", SleepConfig(steps=2, seconds=0.01, tag="silent"))
        assert backend.info().mode == "connecting" and svc.snapshot(job).status is JobStatus.QUEUED
        wait_for(lambda: backend.dispatcher_pid() is not None or backend.info().mode != "connecting", 5,
                 "the dispatcher to start")
        wait_for(lambda: backend.info().mode == "unreachable", 30, "the timeout")
        assert backend.dispatcher_pid() is None
        snap = svc.wait(job, timeout=240)
        assert snap.status is JobStatus.DONE and snap.computed_on.endswith("(local)"), snap.error
    finally:
        svc.shutdown()
        listener.close()
        for conn in accepted:
            conn.close()


def test_home_says_ray_is_unreachable_in_both_languages_without_a_traceback(tmp_path, monkeypatch):
    """AppTest of the router (Home) with PLM_LAB_RAY_ADDRESS pointing at nothing: the page renders, the sidebar
    banner says Ray is unreachable and jobs run locally, in English and in Korean, and nothing raised."""
    from streamlit.testing.v1 import AppTest

    import plm_core.jobs.service as service_module
    from plm_core.i18n import t

    address = f"127.0.0.1:{free_port()}"
    monkeypatch.setenv("PLM_LAB_RAY_ADDRESS", address)
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path / "runs.sqlite"))
    monkeypatch.setenv("PLM_LAB_WORKERS", "1")
    monkeypatch.setattr(service_module, "_SERVICE", None)
    try:
        for lang in ("en", "ko"):
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
            at.session_state["lang"] = lang
            at.run()
            wait_for(lambda: service_module.get_service().backend.info().mode == "unreachable", 5, "unreachable")
            started = time.perf_counter()
            at.run()
            seconds = time.perf_counter() - started
            assert not at.exception, at.exception
            expected = t("ray.banner.unreachable", lang, address=address, workers=1)
            warnings = [w.value.replace("\\", "") for w in at.sidebar.warning]  # as shown: no Markdown escapes
            assert expected in warnings, warnings
            assert seconds < 5, f"Home took {seconds:.1f} s"
            texts = " ".join(str(e.value) for e in [*at.markdown, *at.error, *at.warning])
            assert "Traceback" not in texts and "ConnectionError" not in texts
    finally:
        if service_module._SERVICE is not None:
            service_module._SERVICE.shutdown()
        service_module._SERVICE = None
