"""A real browser (headless Chromium) on the Pretraining page, in both languages: the shipped tiny BERT fills
the default mask with 'states', and a live pretraining run starts, reports steps and is stopped midway."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TEXT = {  # tab and button labels, status lines (the labels are checked against the catalog below)
    "en": dict(predict="Shipped model", live="Pretrain live", start="Start", stop="Stop", stopped="Stopped",
               running=r"Running: step [1-9]", status=r"Stopped: step (?P<step>\d+) of (?P<total>\d+)"),
    "ko": dict(predict="배포된 모델", live="실시간 사전학습", start="시작", stop="중지", stopped="중지됨",
               running=r"학습 중: \d+ 스텝 중 [1-9]", status=r"중지됨: (?P<total>\d+) 스텝 중 (?P<step>\d+)"),
}


def body(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def wait_until(driver, test, timeout: float = 180):
    """Wait until `test(page text)` holds; on timeout, fail with the end of the page so CI logs say why."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.5).until(lambda d: test(body(d)))
    except TimeoutException:
        raise AssertionError(f"waited {timeout:.0f} s; the page says: {body(driver)[-2000:]}") from None


def press_xpath(driver, xpath: str, what: str, timeout: float = 240) -> None:
    """Click the last element matching `xpath`, retrying while a redrawing panel (every 2 s) replaces it."""
    import time

    from selenium.common.exceptions import ElementNotInteractableException, StaleElementReferenceException
    from selenium.webdriver.common.by import By

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            button = driver.find_elements(By.XPATH, xpath)[-1]
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
            button.click()
            return
        except (IndexError, StaleElementReferenceException, ElementNotInteractableException):
            time.sleep(0.3)
    raise AssertionError(f"no {what}; the page says: {body(driver)[-1500:]}")


def click(driver, xpath: str) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    for _ in range(20):  # a live panel redraws every 2 s: a button found just before a redraw goes stale
        try:
            WebDriverWait(driver, 60).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()
            return
        except StaleElementReferenceException:
            continue
    raise AssertionError(f"{xpath} kept going stale")


def test_labels_match_the_catalog() -> None:
    from plm_core.i18n import t

    for lang, words in TEXT.items():
        assert words["predict"] == t("pretrain.tab.predict", lang)
        assert words["live"] == t("pretrain.tab.live", lang)
        assert words["start"] == t("pretrain.live.start", lang) and words["stop"] == t("pretrain.live.stop", lang)
        assert words["stopped"] == t("pretrain.status.stopped", lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_shipped_predictions_and_a_live_run_stopped_midway(app_server, browser, lang: str) -> None:
    from selenium.webdriver.common.by import By

    w = TEXT[lang]
    browser.get(f"{app_server}/pretraining?lang={lang}")
    wait_until(browser, lambda b: w["predict"] in b)
    click(browser, f"//*[@role='tab'][.//p[text()='{w['predict']}']]")
    # the default input is "the united [MASK] of america ."; its chart ranks the tiny BERT's guesses
    wait_until(browser, lambda b: "[MASK] #1" in b, timeout=120)
    charts = browser.find_elements(By.CSS_SELECTOR, "[data-testid='stPlotlyChart']")
    assert any("states" in c.text for c in charts), [c.text[:200] for c in charts]

    click(browser, f"//*[@role='tab'][.//p[text()='{w['live']}']]")
    click(browser, f"//button[.//p[text()='{w['start']}']]")
    wait_until(browser, lambda b: re.search(w["running"], b) is not None)  # steps are counting
    click(browser, f"//button[.//p[text()='{w['stop']}']]")
    match = wait_until(browser, lambda b: re.search(w["status"], b))
    step, total = int(match["step"]), int(match["total"])
    assert 0 < step < total == 300, (step, total)  # stopped midway, and the page says so
