"""The domain-fit lab in a real browser, both languages: the fit measures of the tiny BERT on movie snippets,
then a short continued pretraining (20 steps) whose before/after perplexity and transfer tables appear.

Set PLM_LAB_SHOTS=<folder> to keep a screenshot of each finished view."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from test_jobs_browser import press, tab
from test_pretrain_browser import body, wait_until

from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def shot(driver, name: str) -> None:
    folder = os.environ.get("PLM_LAB_SHOTS")
    if folder:
        height = driver.execute_script(
            "const m = document.querySelector('[data-testid=\"stMain\"]'); return m ? m.scrollHeight : 1000")
        driver.set_window_size(1400, min(max(int(height), 1000), 4000))
        time.sleep(1.5)
        driver.save_screenshot(str(Path(folder) / f"{name}.png"))
        driver.set_window_size(1400, 1000)


def slide_to_minimum(driver) -> str:
    """The first visible slider (steps) to its minimum with the keyboard; the value it shows then."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    def visible(d):
        return next((s for s in d.find_elements(By.CSS_SELECTOR, "[data-testid='stSlider']") if s.is_displayed()),
                    False)

    for _ in range(20):  # a rerun may replace the slider between finding it and pressing the key
        try:
            slider = WebDriverWait(driver, 60, poll_frequency=0.5).until(visible)
            thumb = slider.find_element(By.CSS_SELECTOR, "input[type='range']")
            driver.execute_script("arguments[0].focus();", thumb)
            ActionChains(driver).send_keys(Keys.HOME).perform()
            low = thumb.get_attribute("min")
            WebDriverWait(driver, 30).until(lambda d, el=thumb, want=low: el.get_attribute("value") == want)
            time.sleep(2.0)  # the rerun that takes the new value
            return str(low)
        except StaleElementReferenceException:
            time.sleep(0.5)
    raise AssertionError("the steps slider kept going stale")


def summary_pattern(lang: str) -> str:
    """The finished run's summary line up to its ending (stopped / budget), numbers as \\d+, steps = 20."""
    text = t("domain.cont.summary", lang, steps="§S", seconds="§", why="¤", n="§", n_train="§", n_test="§", seed="§")
    return re.escape(text.split("¤")[0]).replace("§S", "20").replace("§", r"\d+")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_fit_measures_and_a_short_continued_pretraining(app_server, browser, lang: str) -> None:
    browser.get(f"{app_server}/domain?lang={lang}")
    wait_until(browser, lambda b: t("domain.measure", lang) in b)
    press(browser, t("domain.measure", lang))
    page = wait_until(browser, lambda b: t("domain.map.header", lang) in b and b, timeout=300)
    assert t("domain.fit.header", lang) in page and t("domain.col.perplexity", lang) in page
    assert t("domain.ppl.pseudo", lang) in page  # the tiny BERT gives a pseudo-perplexity
    shot(browser, f"domain_fit_{lang}")

    tab(browser, t("domain.tab.continue", lang))
    assert slide_to_minimum(browser) == "20"
    press(browser, t("domain.cont.start", lang))
    page = wait_until(browser, lambda b: re.search(summary_pattern(lang), b) is not None and b, timeout=400)
    assert t("domain.cont.ppl_header", lang) in page and t("domain.cont.transfer_header", lang) in page
    for mode in ("frozen", "finetune"):
        assert t(f"domain.mode.{mode}", lang) in page
    assert "Traceback" not in body(browser)
    shot(browser, f"domain_continue_{lang}")
