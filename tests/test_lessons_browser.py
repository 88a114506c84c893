"""Lesson 2 end to end in a real browser, both languages: prepared ahead (`lesson prepare`, private runs DB and
caches in tmp, smaller settings), then the lesson page, the step bar (buttons and the → key), the settings applied
on the opened page, each step's result from the cache in <= 2 s, a prediction entered and then revealed next to
the outcome, the teacher's chart of the class's predictions, and the presenter view."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from test_jobs_browser import press
from test_pretrain_browser import body, click, wait_until

from conftest import streamlit_server
from plm_core import urlparams
from plm_core.i18n import all_messages, t
from plm_core.i18n.names import run_name

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
SMALL = {"n": "32", "epochs": "1", "test": "40", "race_test": "40"}  # lesson 2, small enough for CI
PREPARED_STEP_S = 2.0  # the bound for a prepared step's result
TIMES: dict[str, list[float]] = {}  # step -> seconds until its result showed (wall clock, in the browser)
CPU: dict[str, float] = {}  # step -> CPU seconds the app server spent on it (does not grow with others' load)


def small_lessons(folder: Path) -> Path:
    """The course's lessons, lesson 2 with smaller settings (the files in assets/ keep the classroom ones)."""
    folder.mkdir()
    for path in (REPO / "assets" / "lessons").glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.stem == "2-transfer":
            for step in raw["steps"]:
                names = {p.name for p in urlparams.params(step["page"])}
                step["settings"] = {**step["settings"], **{k: v for k, v in SMALL.items() if k in names}}
        (folder / path.name).write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return folder


@contextmanager
def prepared_lesson_2(tmp: Path, lessons: Path) -> Iterator[tuple[str, int, str]]:
    """Lesson 2 of the lessons in `lessons` prepared through the CLI (`lesson prepare`) on a private runs DB and
    caches in `tmp`, then an app server on the same; yields its URL, its pid and what `lesson prepare` printed."""
    env = {"PYTHONUNBUFFERED": "1", "PLM_LAB_UMAP_WARMUP": "0", "PLM_LAB_RUNS_DB": str(tmp / "runs.sqlite"),
           "PLM_LAB_FEATURES_DIR": str(tmp / "features"), "PLM_LAB_LESSONS_DIR": str(lessons)}
    prepared = subprocess.run([sys.executable, "-m", "plm_core", "lesson", "prepare", "2"], cwd=REPO,
                              env={**os.environ, **env}, capture_output=True, text=True, timeout=900)
    assert prepared.returncode == 0, prepared.stderr[-2000:]
    with streamlit_server(env) as (url, pid):
        yield url, pid, prepared.stdout


@pytest.fixture(scope="module")
def lesson_app(tmp_path_factory):
    """Lesson 2 prepared through the CLI, then an app server on the same private runs DB and caches."""
    tmp = tmp_path_factory.mktemp("lessons")
    with prepared_lesson_2(tmp, small_lessons(tmp / "lessons")) as (url, pid, _printed):
        yield url, pid


def fixed_part(key: str, lang: str) -> str:
    """The longest literal piece of a catalog template (what the page shows whatever the params)."""
    return max(re.split(r"\{[^}]*\}", all_messages()[key][lang]), key=len).strip()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def step_result(browser, lang: str, i: int, started: float) -> float:
    """Wait for step i's bar and its result from the cache; seconds since `started`."""
    cached = fixed_part("jobs.cached", lang)
    bar = t("lessons.bar.step", lang, i=i, n=5)
    wait_until(browser, lambda b: bar in b and cached in b, timeout=120)
    return time.monotonic() - started


def timed_step(browser, pid: int, lang: str, i: int, action) -> None:
    """Do `action` (the click that opens step i's result) and record the wall and server CPU time to its result."""
    cpu, started = cpu_seconds(pid), time.monotonic()
    action()
    TIMES[f"{lang} step {i}"] = [step_result(browser, lang, i, started)]
    CPU[f"{lang} step {i}"] = cpu_seconds(pid) - cpu


def test_lesson_2_end_to_end(lesson_app, browser) -> None:
    url, pid = lesson_app
    for lang in ("en", "ko"):
        walk_lesson_2(url, pid, browser, lang)
    cores = len(os.sched_getaffinity(0))
    print(f"prepared step: seconds to its result {TIMES}; server CPU seconds {CPU}; load {os.getloadavg()}, "
          f"{cores} cores")
    # the server's own work per prepared step (the cache answered: nothing was computed); the wall-clock time,
    # which depends on what else this machine runs, is printed here and measured by bench/lessons.py
    assert max(CPU.values()) <= PREPARED_STEP_S, CPU


def walk_lesson_2(url: str, pid: int, browser, lang: str) -> None:
    browser.get(f"{url}/lessons?lang={lang}")
    browser.delete_all_cookies()  # a new browser id for each language: its own predictions
    browser.get(f"{url}/lessons?lang={lang}")
    wait_until(browser, lambda b: t("lessons.card.open", lang) in b, timeout=240)
    click(browser, "//div[contains(@class, 'st-key-open-2-transfer')]//button")
    title = yaml.safe_load((REPO / "assets/lessons/2-transfer.yaml").read_text(encoding="utf-8"))["steps"]
    wait_until(browser, lambda b: title[0]["title"][lang] in b and t("lessons.bar.step", lang, i=1, n=5) in b,
               timeout=240)
    step_result(browser, lang, 1, time.monotonic())  # the first open of the Transfer lab in this browser: warm-up
    assert "lesson=2-transfer" in browser.current_url and "n=32" in browser.current_url
    frozen = t("transfer.result", lang, label=run_name("frozen", lang))  # mode=frozen applied
    wait_until(browser, lambda b: frozen in b, timeout=30)

    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    # the → key moves to step 2
    timed_step(browser, pid, lang, 2, lambda: browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT))
    wait_until(browser, lambda b: t("transfer.result", lang, label=run_name("finetune", lang)) in b, timeout=30)
    timed_step(browser, pid, lang, 3, lambda: press(browser, t("lessons.bar.next", lang)))

    press(browser, t("lessons.bar.next", lang))  # step 4: the race, with a question first
    wait_until(browser, lambda b: t("lessons.predict.hidden", lang) in b, timeout=120)
    page = body(browser)
    # modes= applied: the step's URL carries the three racers (the lab itself stays hidden until the prediction)
    assert "modes=frozen,finetune,discriminative" in unquote(browser.current_url)
    assert fixed_part("jobs.cached", lang) not in page  # no result before the prediction
    choice = title[3]["question"]["choices"][1]["label"][lang]
    click(browser, f"//label[.//p[text()='{choice}']]")
    timed_step(browser, pid, lang, 4, lambda: press(browser, t("lessons.predict.save", lang)))
    wait_until(browser, lambda b: fixed_part("lessons.outcome.race_winner", lang) in b and choice in b, timeout=30)
    page = body(browser)  # after the prediction: the race of exactly those three, named as the screen names them
    assert all(run_name(m, lang) in page for m in ("frozen", "finetune", "discriminative")), page[-2000:]

    press(browser, t("lessons.bar.next", lang))  # step 5: a number question, then the drift heatmap
    wait_until(browser, lambda b: t("lessons.predict.hidden", lang) in b and t("lessons.bar.step", lang, i=5, n=5)
               in b, timeout=120)
    field = browser.find_element(By.CSS_SELECTOR, "[data-testid='stNumberInputField']")
    field.send_keys("3")
    timed_step(browser, pid, lang, 5, lambda: press(browser, t("lessons.predict.save", lang)))
    wait_until(browser, lambda b: fixed_part("lessons.outcome.race_winner", lang) in b, timeout=30)

    press(browser, t("lessons.bar.present", lang))  # presenter view: no sidebar, no settings, the figure alone
    wait_until(browser, lambda b: t("lessons.bar.leave_present", lang) in b, timeout=60)
    assert "present=1" in browser.current_url
    wait_until(browser, lambda b: bool(browser.find_elements(
        By.CSS_SELECTOR, ".st-key-lesson-figure [data-testid='stPlotlyChart']")), timeout=60)
    sidebar = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stSidebar']")
    assert not sidebar or not sidebar[0].is_displayed()
    assert not any(e.is_displayed() for e in browser.find_elements(By.CSS_SELECTOR, "[data-testid='stForm']"))

    # ?teacher=1 opens nothing any more: the teacher view, clear and prepare belong to a class's teacher (the
    # class panel, tests/test_classroom_browser.py)
    browser.get(f"{url}/lessons?lang={lang}&teacher=1")
    wait_until(browser, lambda b: t("classroom.start", lang) in b, timeout=120)
    page = body(browser)
    assert t("classroom.clear", lang) not in page and t("lessons.prepare", lang) not in page
