"""Shared fixtures: network guards, tiny random backbones, the repo root."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


class NetworkBlocked(RuntimeError):
    pass


def _is_loopback(address) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host in ("localhost", ""):
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, (str, bytes))  # unix sockets


@pytest.fixture(autouse=True)
def no_remote_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: connecting anywhere but this machine raises (the app must work offline)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        if not _is_loopback(address):
            raise NetworkBlocked(f"test tried to reach the network: {address!r}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stricter: any socket connection at all raises (used by the tests that load real weights)."""

    def blocked(sock, address):
        raise NetworkBlocked(f"test tried to open a connection: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", blocked)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: blocked(None, a[0] if a else None))


@pytest.fixture(scope="session")
def tiny_encoder():
    from plm_core.backbones.tiny import tiny_random_backbone

    return tiny_random_backbone("encoder")


@pytest.fixture(scope="session")
def tiny_decoder():
    from plm_core.backbones.tiny import tiny_random_backbone

    return tiny_random_backbone("decoder")


@pytest.fixture(scope="session")
def tiny_seq2seq():
    from plm_core.backbones.tiny import tiny_random_backbone

    return tiny_random_backbone("encoder-decoder")


# ---- real-browser tests ------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_LOG: list[Path] = []  # the app server's output (stdout and stderr), see server_log_tail()


def server_log_tail(chars: int = 3000) -> str:
    """The end of the test app server's output, for a failing browser test's message."""
    if not SERVER_LOG or not SERVER_LOG[0].exists():
        return ""
    return SERVER_LOG[0].read_text(errors="replace")[-chars:]


@contextmanager
def streamlit_server(env: dict[str, str] | None = None, log: Path | None = None, script: str = "app.py",
                     start_s: float = 90) -> Iterator[tuple[str, int]]:
    """`streamlit run <script>` on a free local port, `env` over this environment; yields its URL and pid once it
    answers, stops it afterwards. Its output goes to the file `log` or nowhere (a pipe nobody reads fills up
    after 64 KB and then blocks every thread and job worker that logs)."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=REPO, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + start_s
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
            if time.time() > deadline:
                tail = log.read_text(errors="replace")[-2000:] if log else ""
                raise RuntimeError(f"streamlit did not start within {start_s:.0f} s: {tail}")
        yield url, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log:
            out.close()  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The app on a free local port for the whole session; yields its URL. Its output goes to a file."""
    log_path = tmp_path_factory.mktemp("server") / "streamlit.log"
    SERVER_LOG[:] = [log_path]
    with streamlit_server(log=log_path) as (url, _pid):
        yield url
    print(f"\napp server output: {log_path.stat().st_size} bytes in {log_path}")


def chromium(performance_log: bool = False, page_load_s: float = 60):
    """Headless Debian Chromium driven by Selenium through the system chromedriver (no downloads); with
    `performance_log`, its log records every network request (Chrome DevTools events). Skips without them."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("chromium/chromedriver not installed (make test installs them: scripts/install_browser.sh)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--window-size=1400,1000"):
        opts.add_argument(flag)
    if performance_log:
        opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(page_load_s)
    return driver


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()


# ---- shared helpers -----------------------------------------------------------------------------------

def open_app_page(path: str, lang: str, timeout: float = 300):
    """AppTest from the router (as a browser arrives), in `lang`, then switched to `path` (an app_pages/ file)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
    at.session_state["lang"] = lang
    at.run()
    if path != "app_pages/home.py":
        at.switch_page(path)
        at.run()
    return at


@pytest.fixture
def one_torch_thread():
    """One torch thread: on a busy 2-core machine two threads are several times slower for tiny models."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture
def private_stores(tmp_path, monkeypatch):
    """The runs store and the feature cache in this test's tmp_path, never the user's."""
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path / "runs.sqlite"))
    monkeypatch.setenv("PLM_LAB_FEATURES_DIR", str(tmp_path / "features"))
