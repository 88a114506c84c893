"""A real browser: load the app in headless Chromium, switch the language, see the text change."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_for_text(driver, text: str, timeout: float = 60) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def test_language_switch_in_a_real_browser(app_server, browser):
    from selenium.webdriver.common.by import By

    browser.get(app_server)
    wait_for_text(browser, "사전학습 언어모델과 전이학습")
    assert "Transfer learning, three ways" not in browser.find_element(By.TAG_NAME, "body").text
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    # the sidebar's switch may be drawn a moment after the page's text: wait for it, don't race it
    switch = (By.XPATH, "//label[.//p[text()='English']]")
    english = WebDriverWait(browser, 60).until(ec.element_to_be_clickable(switch))
    english.click()
    wait_for_text(browser, "PLM Lab — pretrained language models")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "Transfer learning, three ways" in body and "전이학습의 세 가지 방법" not in body


def test_models_page_in_both_languages(app_server, browser):
    browser.get(f"{app_server}/models?lang=en")
    wait_for_text(browser, "Models & data")
    wait_for_text(browser, "pieces for")  # the tokenizer view ran MiniLM on the default text
    browser.get(f"{app_server}/models?lang=ko")
    wait_for_text(browser, "모델과 데이터")
