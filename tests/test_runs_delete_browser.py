"""The Runs page in a real browser: select two rows, confirm, delete — the table keeps no selection, nothing
else is ticked, exactly those two runs went; Undo brings them back. (The report: the selection moved to the next
two rows with the box still ticked, and a second click deleted them.)"""

from __future__ import annotations

import time

import pytest

from conftest import streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OWNER = "ab" * 16  # this browser's secret id (the owner cookie)


@pytest.fixture
def runs_server(tmp_path, browser):
    """The app on a runs database of six runs, runs 1-4 made by this browser."""
    from plm_core.runs import RunStore, claim_runs

    db = tmp_path / "runs.sqlite"
    store = RunStore(db)
    config = {"backbone": "minilm-l6", "mode": "frozen", "data": "movie-snippets", "n": 64}
    ids = [store.save("transfer", config | {"seed": i}, {"test_accuracy": 0.6 + i / 100}, {"history": []},
                      {"train_seconds": 1.0}) for i in range(6)]
    claim_runs(ids[:4], [OWNER], store)  # runs 1-4; 5 and 6 (the newest, on top) are another browser's
    env = {"PLM_LAB_RUNS_DB": str(db), "PLM_LAB_FEATURES_DIR": str(tmp_path / "features")}
    with streamlit_server(env) as (url, _pid):
        yield url, store


def wait_for(driver, text: str, timeout: float = 120) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: text in d.find_element(By.TAG_NAME, "body").text)


def tick_row(driver, row: int) -> None:
    """Click the selection box at the left edge of row `row` of the (canvas-drawn) runs table."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    grid = driver.find_element(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')
    x = -grid.size["width"] // 2 + 15
    y = -grid.size["height"] // 2 + 35 + 17 + 35 * row  # a 35 px header, 35 px rows
    ActionChains(driver).move_to_element_with_offset(grid, x, y).click().perform()


def test_deleting_two_selected_runs_deletes_exactly_those(runs_server, browser) -> None:
    from selenium.webdriver.common.by import By

    from ui.jobs import OWNER_COOKIE

    url, store = runs_server
    browser.get(f"{url}/_stcore/health")
    browser.add_cookie({"name": OWNER_COOKIE, "value": OWNER, "path": "/"})
    browser.get(f"{url}/runs?lang=en")
    wait_for(browser, "6 runs stored")
    time.sleep(1.5)  # the table is drawn a moment after the text
    for row in (0, 1):  # runs 6 and 5 (newest first): made in another browser
        tick_row(browser, row)
        time.sleep(2.0)
    wait_for(browser, "2 of the selected runs were made in another browser")
    assert "Yes, delete these" not in browser.find_element(By.TAG_NAME, "body").text  # not this browser's runs
    for row in (0, 1):  # untick them; tick runs 4 and 3 (this browser's)
        tick_row(browser, row)
        time.sleep(2.0)
    for row in (2, 3):
        tick_row(browser, row)
        time.sleep(2.0)
    wait_for(browser, "Yes, delete these 2 run(s)")
    browser.find_element(By.XPATH, "//label[.//p[contains(text(), 'Yes, delete these 2')]]").click()
    time.sleep(2.0)
    browser.find_element(By.XPATH, "//button[.//p[contains(text(), 'Delete 2 selected')]]").click()
    wait_for(browser, "You can undo this for 60 seconds")
    time.sleep(3.0)  # the table is redrawn: the rows that moved up must not come back selected
    body = browser.find_element(By.TAG_NAME, "body").text
    assert store.ids() == [6, 5, 2, 1]
    assert "Nothing selected" in body and "Yes, delete these" not in body and "Delete 2 selected" not in body
    browser.find_element(By.XPATH, "//button[.//p[text()='Undo']]").click()
    wait_for(browser, "6 runs stored")
    assert store.ids() == [6, 5, 4, 3, 2, 1]
