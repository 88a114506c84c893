"""A real browser (headless Chromium) on the Zero/one/few-shot page: both languages, one small curve end to end."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def fewshot_server(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("headless Chromium / chromedriver not installed")
    pytest.importorskip("selenium")
    port = free_port()
    env = {**os.environ, "PLM_LAB_RUNS_DB": str(tmp_path_factory.mktemp("runs") / "runs.sqlite")}
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                             "--server.headless", "true"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def chrome():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,2400"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def body_text(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.TAG_NAME, "body").text


def wait_for(driver, text: str, timeout: float = 180) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout, poll_frequency=0.5).until(lambda d: text in body_text(d))


def remove_tags(driver, widget_label: str, remove: list[str]) -> None:
    """Click the × of the given selected options of a multiselect."""
    from selenium.webdriver.common.by import By

    widget = f"//div[@data-testid='stMultiSelect'][.//p[text()='{widget_label}']]"
    for value in remove:
        driver.find_element(By.XPATH, f"{widget}//button[@aria-label='Remove {value}']").click()
        time.sleep(0.3)


def set_number(driver, label: str, value: int) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = driver.find_element(By.XPATH, f"//div[@data-testid='stNumberInput'][.//p[text()='{label}']]//input")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(str(value))


def open_page(driver, server: str, language: str) -> None:
    """Start at the router (a deep link to /fewshot would run app_pages/fewshot.py without it), then navigate."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{server}/?lang={language}")
    link = (By.XPATH, "//a[@data-testid='stSidebarNavLink'][contains(@href, '/fewshot')]")
    WebDriverWait(driver, 120).until(ec.element_to_be_clickable(link)).click()
    wait_for(driver, "Zero/one/few-shot" if language == "en" else "제로/원/퓨샷")


def test_page_in_korean(fewshot_server, chrome) -> None:
    open_page(chrome, fewshot_server, "ko")
    wait_for(chrome, "곡선 그리기 실행")
    assert "Run the curves" not in body_text(chrome)


def test_small_curve_end_to_end_in_english(fewshot_server, chrome) -> None:
    from selenium.webdriver.common.by import By

    open_page(chrome, fewshot_server, "en")
    wait_for(chrome, "Run the curves")
    remove_tags(chrome, "Methods", ["prompt (in-context)"])
    remove_tags(chrome, "K values (examples per class)", ["1", "4", "8", "16", "32"])
    set_number(chrome, "Test examples", 40)
    chrome.find_element(By.XPATH, "//button[.//p[text()='Run the curves']]").click()
    wait_for(chrome, "Done in", timeout=300)
    text = body_text(chrome)
    assert "similarity (zero-shot)" in text and "frozen probe" in text
    assert "Something went wrong" not in text
    assert chrome.find_elements(By.CSS_SELECTOR, "[data-testid='stPlotlyChart']")
    chrome.find_element(By.XPATH, "//summary[.//p[contains(text(), 'Two meanings')]]").click()
    chrome.find_element(By.XPATH, "//label[.//p[text()='Show an example prompt']]").click()
    wait_for(chrome, "Sentiment:")  # the example prompt exactly as the model reads it
