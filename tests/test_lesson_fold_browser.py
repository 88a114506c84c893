"""A prepared lesson step in a real browser, at phone size (390 x 844), both languages: the Transfer lab's form is
folded in one collapsed expander under the step bar, the step's result shows below it without opening it, and
the form's run button, once the fold is opened, is answered from the result cache (nothing changed in the form)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from test_jobs_browser import press
from test_lessons_browser import fixed_part, prepared_lesson_2
from test_pretrain_browser import click, wait_until
from test_recipes_browser import one_step_lesson

from plm_core.i18n import t
from plm_core.i18n.names import run_name

pytestmark = [pytest.mark.browser, pytest.mark.slow]
FOLD = ".st-key-lesson-controls"  # ui.lesson.FOLD_KEY


@pytest.fixture(scope="module")
def prepared_step(tmp_path_factory):
    """Lesson 2 cut to its first step (frozen MiniLM, small), prepared, then an app server on the same stores."""
    tmp = tmp_path_factory.mktemp("fold")
    settings = one_step_lesson(tmp / "lessons")
    log, before = tmp / "jobs.log", os.environ.get("PLM_LAB_JOBS_LOG")
    os.environ["PLM_LAB_JOBS_LOG"] = str(log)  # the server's job events: a cache hit or a start, one line each
    try:
        with prepared_lesson_2(tmp, tmp / "lessons") as (url, _pid, printed):
            assert "step 1: done" in printed, printed[-2000:]
            yield url, settings, log
    finally:
        if before is None:
            del os.environ["PLM_LAB_JOBS_LOG"]
        else:
            os.environ["PLM_LAB_JOBS_LOG"] = before


def events(log: Path) -> list[str]:
    """The transfer jobs' events so far ("cache_hit", "started", ...)."""
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [e["event"] for e in map(json.loads, lines) if e["kind"] == "transfer"]


def shown(browser, xpath: str) -> bool:
    from selenium.webdriver.common.by import By

    return any(e.is_displayed() for e in browser.find_elements(By.XPATH, xpath))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_step_shows_its_result_above_the_folded_form_which_still_runs_from_the_cache(prepared_step, browser,
                                                                                          lang) -> None:
    from selenium.webdriver.common.by import By

    url, settings, log = prepared_step
    browser.set_window_size(390, 844)
    query = "&".join(f"{k}={v}" for k, v in settings.items())
    browser.get(f"{url}/transfer?lang={lang}&{query}&lesson=2-transfer&step=1")
    cached = fixed_part("jobs.cached", lang)
    result = t("transfer.result", lang, label=run_name("frozen", lang))
    wait_until(browser, lambda b: t("lessons.bar.step", lang, i=1, n=1) in b and cached in b and result in b,
               timeout=240)  # the step's result from the cache, with the fold still closed

    folds = browser.find_elements(By.CSS_SELECTOR, FOLD)
    assert len(folds) == 1 and t("lessonfold.controls", lang) in folds[0].text
    start = f"//button[.//p[text()='{t('transfer.start', lang)}']]"
    backbone = f"//*[@data-testid='stSelectbox'][.//*[text()='{t('common.backbone', lang)}']]"
    assert not shown(browser, start) and not shown(browser, backbone)  # the whole form is folded away
    assert folds[0].find_elements(By.XPATH, "." + start)  # ... inside the fold
    card = browser.find_element(By.XPATH, f"//*[contains(text(), '{result}')]")
    assert card.is_displayed() and card.location["y"] > folds[0].location["y"]  # the result right below the fold
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, width  # no horizontal scroll on the phone

    click(browser, "//*[contains(@class, 'st-key-lesson-controls')]//summary")  # open the fold
    wait_until(browser, lambda b: shown(browser, start), timeout=30)
    assert shown(browser, backbone)
    seen = events(log)
    press(browser, t("transfer.start", lang))  # nothing changed in the form: the lesson's cache key
    wait_until(browser, lambda b: len(events(log)) > len(seen) and cached in b and result in b, timeout=120)
    assert events(log)[len(seen):] == ["cache_hit"]  # the form's job: answered from the cache, nothing trained
    assert shown(browser, start)  # the fold stays open after the run
