"""Settings in the URL in a real browser, both languages: a changed setting and the open tab hold over a language
switch while ?lang follows; a reload re-attaches to the running job; the copied address opened in a fresh browser
shows the same settings and, run there, the same numbers (the result cache knows it as the same request)."""

from __future__ import annotations

import time

import pytest
from test_jobs_browser import press, tab
from test_pretrain_browser import body, wait_until

from conftest import CHROMEDRIVER, CHROMIUM
from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def fresh_browser():
    """A second Chromium with nothing of the first (no cookies, no session): 'another student's browser'."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--window-size=1400,1000"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)


def number_inputs(driver) -> list[str]:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By

    for _ in range(20):  # the page may redraw between finding the inputs and reading them: read again
        try:
            return [e.get_attribute("value") for e in driver.find_elements(By.CSS_SELECTOR, "input[type='number']")]
        except StaleElementReferenceException:
            time.sleep(0.3)
    return []


def without_owner(url: str) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit

    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "u"])
    return parts._replace(query=query).geturl()


def accuracy(driver, lang: str) -> str:
    """The result card's test accuracy as shown."""
    from selenium.webdriver.common.by import By

    label = t("transfer.metric.accuracy", lang)
    for metric in driver.find_elements(By.CSS_SELECTOR, "[data-testid='stMetric']"):
        if label in metric.text:
            return metric.find_element(By.CSS_SELECTOR, "[data-testid='stMetricValue']").text
    raise AssertionError(f"no {label!r} metric; the page says: {body(driver)[-1500:]}")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_settings_survive_a_switch_a_reload_and_travel_in_the_link(app_server, browser, lang: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    other = "en" if lang == "ko" else "ko"
    seed = int(time.time()) % 9000 + (0 if lang == "en" else 1)  # a new request: computed, not from the cache
    browser.get(f"{app_server}/transfer?lang={lang}&tab=race&backbone=tiny-bert-mlm&n=24&test=20&seed={seed}")
    wait_until(browser, lambda b: t("transfer.start_race", lang) in b, timeout=240)
    tab(browser, t("transfer.tab.single", lang))  # a change made on the page: the open tab
    wait_until(browser, lambda b: t("transfer.start", lang) in b and len(number_inputs(browser)) >= 4)
    wait_until(browser, lambda b: "tab=" not in browser.current_url)  # the default tab leaves the URL
    assert "24" in number_inputs(browser) and str(seed) in number_inputs(browser)

    switch = f"//label[.//p[text()='{'English' if other == 'en' else '한국어'}']]"
    WebDriverWait(browser, 60).until(ec.element_to_be_clickable((By.XPATH, switch))).click()
    wait_until(browser, lambda b: t("transfer.start", other) in b and f"lang={other}" in browser.current_url)
    assert "24" in number_inputs(browser) and str(seed) in number_inputs(browser)  # the settings held
    assert f"seed={seed}" in browser.current_url and "n=24" in browser.current_url

    press(browser, t("transfer.start", other))
    started = (t("jobs.stop", other), t("transfer.metric.accuracy", other))  # queued/running, or already done
    wait_until(browser, lambda b: any(word in b for word in started), timeout=240)
    browser.refresh()  # a reload: the same browser id (?u=) re-attaches to its job, nothing is pressed
    wait_until(browser, lambda b: t("transfer.metric.accuracy", other) in b, timeout=300)
    assert f"lang={other}" in browser.current_url
    first = accuracy(browser, other)
    link = browser.current_url

    second = fresh_browser()
    try:
        second.get(without_owner(link))  # what a student gets: the share link carries no job owner id
        wait_until(second, lambda b: t("transfer.start", other) in b and len(number_inputs(second)) >= 4, timeout=240)
        assert "24" in number_inputs(second) and str(seed) in number_inputs(second)
        press(second, t("transfer.start", other))
        wait_until(second, lambda b: t("transfer.metric.accuracy", other) in b, timeout=300)
        assert t("jobs.run_live", other) in body(second)  # the same request: answered from the cache
        assert accuracy(second, other) == first  # same settings, same seed: same numbers
    finally:
        second.quit()
