"""A prepared lesson step, opened from its URL in a real browser: pressing the Transfer form's run button without
changing anything is answered from the result cache (the form's recipe has the lesson's cache key)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from test_jobs_browser import press
from test_lessons_browser import fixed_part
from test_pretrain_browser import body, wait_until

from conftest import free_port
from plm_core.i18n import t
from plm_core.i18n.names import run_name

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
SMALL = {"n": 32, "test": 40}  # lesson 2's first step (frozen MiniLM), small enough for CI


def one_step_lesson(folder: Path) -> dict:
    """Lesson 2 with only its first step, smaller; its settings."""
    folder.mkdir()
    raw = yaml.safe_load((REPO / "assets" / "lessons" / "2-transfer.yaml").read_text(encoding="utf-8"))
    raw["steps"] = [raw["steps"][0] | {"settings": {**raw["steps"][0]["settings"], **SMALL}}]
    (folder / "2-transfer.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return raw["steps"][0]["settings"]


@pytest.fixture(scope="module")
def prepared_app(tmp_path_factory):
    """The step prepared through `lesson prepare`, then an app server on the same private runs DB and caches."""
    tmp = tmp_path_factory.mktemp("recipes")
    settings = one_step_lesson(tmp / "lessons")
    env = dict(os.environ, PYTHONUNBUFFERED="1", PLM_LAB_UMAP_WARMUP="0", PLM_LAB_RUNS_DB=str(tmp / "runs.sqlite"),
               PLM_LAB_FEATURES_DIR=str(tmp / "features"), PLM_LAB_LESSONS_DIR=str(tmp / "lessons"))
    prepared = subprocess.run([sys.executable, "-m", "plm_core", "lesson", "prepare", "2"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=900)
    assert prepared.returncode == 0 and "step 1: done" in prepared.stdout, prepared.stderr[-2000:]
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    yield url, settings
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_forms_run_button_on_a_prepared_step_is_answered_from_the_cache(prepared_app, browser, lang) -> None:
    url, settings = prepared_app
    query = "&".join(f"{k}={v}" for k, v in settings.items())
    browser.get(f"{url}/transfer?lang={lang}&{query}")  # the step's own link: nothing is submitted by opening it
    wait_until(browser, lambda b: t("transfer.start", lang) in b, timeout=240)
    cached = fixed_part("jobs.cached", lang)
    assert cached not in body(browser)
    started = time.monotonic()
    press(browser, t("transfer.start", lang))  # nothing changed in the form
    result = t("transfer.result", lang, label=run_name("frozen", lang))  # the strategy by its name, as shown
    wait_until(browser, lambda b: cached in b and result in b, timeout=120)
    print(f"{lang}: from the result cache in {time.monotonic() - started:.1f} s")
