"""A real browser (headless Chromium) on the Transfer lab: a three-strategy race with LoRA, in both languages."""

from __future__ import annotations

import pytest
from test_pretrain_browser import body as body_text
from test_pretrain_browser import wait_until

from plm_core.i18n import t
from plm_core.i18n.names import run_name

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_for(driver, text: str, timeout: float = 300) -> None:
    """Wait for `text` on the page; on timeout, fail with the end of the page (CI logs say why)."""
    wait_until(driver, lambda page: text in page, timeout)


def click(driver, xpath: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    element = WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.XPATH, xpath)))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    WebDriverWait(driver, timeout).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()  # real pointer events


def set_number(driver, panel: str, label: str, value: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    xpath = f"{panel}//div[@data-testid='stNumberInput'][.//p[text()='{label}']]//input"
    # an input in an expander that is still opening is there but not yet interactable
    box = WebDriverWait(driver, 30).until(ec.element_to_be_clickable((By.XPATH, xpath)))
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(value))


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_three_strategy_race_with_lora(app_server, browser, lang):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1400, 2600)
    browser.get(f"{app_server}/?lang={lang}")
    click(browser, "//a[@data-testid='stSidebarNavLink'][contains(@href, '/transfer')]", timeout=120)
    wait_for(browser, "SetFit")  # the page has drawn its tabs
    click(browser, f"//*[@role='tab'][.//p[text()='{t('transfer.tab.race', lang)}']]")
    panel = "//div[@role='tabpanel'][not(@hidden)]"
    wait_for(browser, t("transfer.start_race", lang))
    wait_for(browser, t("transfer.strategy.lora", lang))  # the default racers: feature extraction, fine-tune, LoRA
    set_number(browser, panel, t("transfer.size", lang), 16)  # MiniLM (the default backbone), 16 examples
    set_number(browser, panel, t("transfer.epochs", lang), 1)
    click(browser, f"{panel}//summary[.//p[text()='{t('transfer.advanced', lang)}']]")
    set_number(browser, panel, t("transfer.test_limit", lang), 20)
    click(browser, f"{panel}//button[.//p[text()='{t('transfer.start_race', lang)}']]")
    heading = t("transfer.compare_seeds", lang, n=1)
    wait_for(browser, heading, timeout=600)
    text = body_text(browser)
    assert t("transfer.one_seed_note", lang) in text
    from selenium.webdriver.support.ui import WebDriverWait

    names = tuple(run_name(s, lang) for s in ("lora r=8", "frozen", "finetune"))  # the table is a canvas; the
    # charts' labels (catalog names, as the screen names the strategies) are SVG text, drawn
    WebDriverWait(browser, 60, poll_frequency=0.5).until(  # a moment after the heading
        lambda d: all(name in d.page_source for name in names))
    assert browser.find_elements(By.CSS_SELECTOR, "[data-testid='stPlotlyChart']")
    other = "Start the race" if lang == "ko" else "경주 시작"
    assert other not in text  # one language on screen
