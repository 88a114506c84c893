"""The default race and the default few-shot curve through the job service, in a real browser, both languages:
they start with the form's defaults, show progress and partial results as they arrive, and stop on request."""

from __future__ import annotations

import pytest
from test_pretrain_browser import body, click, press_xpath, wait_until

from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def tab(driver, label: str) -> None:
    click(driver, f"//*[@role='tab'][.//p[text()='{label}']]")


def press(driver, label: str) -> None:
    press_xpath(driver, f"//button[.//p[text()='{label}']]", f"{label!r} button")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_default_race_runs_through_the_job_service(app_server, browser, lang: str) -> None:
    browser.get(f"{app_server}/transfer?lang={lang}")
    wait_until(browser, lambda b: t("transfer.tab.race", lang) in b, timeout=240)
    tab(browser, t("transfer.tab.race", lang))
    press(browser, t("transfer.start_race", lang))
    phases = [t(f"transfer.phase.{p}", lang) + " — " for p in ("starting", "extract_train", "extract_test", "train")]
    live = t("jobs.run_live", lang)
    wait_until(browser, lambda b: any(p in b for p in phases) or live in b, timeout=300)
    if live in body(browser):  # this machine computed the default race before: the cache answered; run it live
        press(browser, live)
    wait_until(browser, lambda b: any(p in b for p in phases), timeout=300)  # the progress line of a racer
    press(browser, t("jobs.stop", lang))
    done = (t("jobs.status.stopped", lang), t("jobs.status.stopping", lang))
    wait_until(browser, lambda b: any(word in b for word in done), timeout=60)
    wait_until(browser, lambda b: t("jobs.status.stopped", lang) in b, timeout=60)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_default_fewshot_curve_grows_point_by_point(app_server, browser, lang: str) -> None:
    browser.get(f"{app_server}/fewshot?lang={lang}")
    wait_until(browser, lambda b: t("fewshot.run", lang) in b, timeout=240)
    press(browser, t("fewshot.run", lang))
    live = t("jobs.run_live", lang)
    wait_until(browser, lambda b: "%" in b or live in b, timeout=300)
    if live in body(browser):  # answered from the cache: run it live to see it grow
        press(browser, live)
    wait_until(browser, lambda b: "%" in b and t("fewshot.table.title", lang) in b, timeout=300)
    press(browser, t("jobs.stop", lang))
    wait_until(browser, lambda b: t("jobs.status.stopped", lang) in b, timeout=90)
    assert t("common.unexpected_error", lang)[:10] not in body(browser)
