"""A real browser on the explorer pages: the charts are drawn, in both languages, without an error box."""

import time

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def wait_until(driver, check, timeout: float = 180) -> None:
    deadline = time.time() + timeout
    while not check(driver):
        if time.time() > deadline:
            raise TimeoutError("the page never reached the expected state")
        time.sleep(0.5)


def plots(driver) -> int:
    return driver.execute_script("return document.querySelectorAll('.js-plotly-plot').length")


def problems(driver) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('[data-testid=stException], [data-testid=stAlertContentError]')]"
        ".map(e => e.innerText.slice(0, 300))")


def open_page(driver, base: str, path: str, lang: str, title: str) -> None:
    driver.get(f"{base}/?lang={lang}")  # the router first: it registers the pages (st.navigation)
    wait_until(driver, lambda d: "PLM Lab" in d.title)
    driver.get(f"{base}/{path}?lang={lang}")
    wait_until(driver, lambda d: title in d.execute_script("return document.body.innerText"))


@pytest.mark.parametrize("lang,title", [("en", "Embeddings: static vs contextual"), ("ko", "임베딩: 정적 vs 문맥")])
def test_embeddings_page_draws_the_bank_pictures(app_server, browser, lang, title):
    open_page(browser, app_server, "embeddings", lang, title)
    wait_until(browser, lambda d: plots(d) >= 3)  # word map, similarity heatmap, layer chart
    assert not problems(browser)
    body = browser.execute_script("return document.body.innerText")
    assert "GloVe 6B 50d" in body and "MiniLM-L6" in body


@pytest.mark.parametrize("lang,title", [("en", "Attention and masks"), ("ko", "어텐션과 마스크")])
def test_attention_page_draws_the_masks(app_server, browser, lang, title):
    open_page(browser, app_server, "attention", lang, title)
    wait_until(browser, lambda d: plots(d) >= 2)  # single-stack masks, encoder-decoder masks
    assert not problems(browser)
