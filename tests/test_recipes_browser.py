"""A prepared lesson step, opened from its URL in a real browser: pressing the Transfer form's run button without
changing anything is answered from the result cache (the form's recipe has the lesson's cache key)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from test_jobs_browser import press
from test_lessons_browser import fixed_part, prepared_lesson_2
from test_pretrain_browser import body, wait_until

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
    with prepared_lesson_2(tmp, tmp / "lessons") as (url, _pid, printed):
        assert "step 1: done" in printed, printed[-2000:]
        yield url, settings


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
