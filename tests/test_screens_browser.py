"""State that survives, in a real browser: the open tab and ?lang survive a language switch, ?lang (and the
?u= browser id) follow every navigation, a reload keeps the language."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_until(driver, check, timeout: float = 90) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: check(d))


def body(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def click_when_ready(driver, xpath: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(ec.element_to_be_clickable((By.XPATH, xpath))).click()


def open_tab(driver) -> str:
    from selenium.webdriver.common.by import By

    tabs = driver.find_elements(By.CSS_SELECTOR, '[role="tab"][aria-selected="true"]')
    return tabs[0].text if tabs else ""


def test_language_switch_keeps_the_open_tab_and_the_url_follows(app_server, browser):

    browser.get(f"{app_server}/pretraining")
    wait_until(browser, lambda d: "체크포인트" in body(d))
    click_when_ready(browser, '//*[@role="tab"][normalize-space(.)="체크포인트"]')
    wait_until(browser, lambda d: open_tab(d) == "체크포인트")
    click_when_ready(browser, "//label[.//p[text()='English']]")  # the sidebar may be drawn after the body
    wait_until(browser, lambda d: "Checkpoints" in body(d) and "lang=en" in d.current_url)
    wait_until(browser, lambda d: open_tab(d) == "Checkpoints")  # the same tab, now in English
    assert "?u=" not in browser.current_url and "&u=" not in browser.current_url  # the job owner id: a cookie
    click_when_ready(browser, "//a[contains(@href, '/models')]")
    wait_until(browser, lambda d: "/models" in d.current_url and "lang=en" in d.current_url)
    browser.refresh()
    wait_until(browser, lambda d: "Models & data" in body(d) and "Backbones" in body(d))
    assert "lang=en" in browser.current_url and "모델과 데이터" not in body(browser)
