"""Figures out in a real browser, both languages: the race's accuracy-vs-share chart and the few-shot curve each
download as PNG and SVG from the buttons under them (files non-empty, valid headers).

To show a result at once, the result cache of a private server is seeded: the page's default race / curve
config is read back from the page itself (AppTest with `ui.jobs.submit` recording it), a small version of it
is computed here, and its result is stored under the default config's cache key. Clicking "start" then
shows that result from the cache, charts and buttons included.
"""

from __future__ import annotations

import dataclasses
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from test_jobs_browser import press, tab
from test_pretrain_browser import body, wait_until

from conftest import open_app_page, streamlit_server
from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LANGS = ("en", "ko")


def default_job(page: str, button: str, lang: str, tab: tuple[str, str] | None,
                monkeypatch: pytest.MonkeyPatch) -> tuple:
    """(kind, config) the page submits when its start button is pressed with the form's defaults; `tab`:
    (page key, tab key) to open first (only the open tab runs)."""
    from plm_core.urlparams import widget_key

    seen: list[tuple[str, Any]] = []
    monkeypatch.setattr("ui.jobs.submit", lambda slot, kind, config: seen.append((kind, config)) or "recorded")
    at = open_app_page(page, lang, timeout=240)
    if tab is not None:
        at.session_state[widget_key(tab[0], "tab")] = tab[1]
        at.run()
    label = t(button, lang)
    buttons = [b for b in at.button if b.label == label]
    assert buttons, f"no {label!r} button"
    buttons[0].click().run()
    monkeypatch.undo()
    assert seen, [e.message for e in at.exception] + [e.value for e in at.error]
    return seen[-1]


def small_race(job: Any) -> Any:
    configs = tuple(c.with_(epochs=1, frozen_iters=10) for c in job.configs[:2])
    return dataclasses.replace(job, configs=configs, n=32, test_limit=32, seeds=1)


def small_curve(job: Any) -> Any:
    config = dataclasses.replace(job.config, methods=("frozen",), shots=(1, 4), seeds=1, test_limit=24)
    return dataclasses.replace(job, config=config)


@dataclasses.dataclass(frozen=True)
class Server:
    url: str
    log: Path  # its stdout and stderr, quoted when a download does not arrive


def seed_defaults(db: Path, features: Path) -> None:
    """Store a small result for the default race and the default curve under their default configs' keys."""
    from plm_core.jobs import compute
    from plm_core.jobs.cache import CachedResult, ResultCache
    from plm_core.jobs.keys import cache_key

    cache = ResultCache(db)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PLM_LAB_RUNS_DB", str(db))
        mp.setenv("PLM_LAB_FEATURES_DIR", str(features))
        for page, button, tab, shrink in (
                ("app_pages/transfer_lab.py", "transfer.start_race", ("transfer", "race"), small_race),
                ("app_pages/fewshot.py", "fewshot.run", None, small_curve)):
            jobs = {cache_key(kind, job): (kind, job) for kind, job in
                    (default_job(page, button, lang, tab, mp) for lang in LANGS)}  # one, unless the language matters
            for key, (kind, job) in jobs.items():
                start = time.monotonic()
                result = compute(kind, shrink(job), own=False)
                cache.put(key, kind, CachedResult(result, time.time(), "test", time.monotonic() - start))


@pytest.fixture(scope="module")
def seeded_server(tmp_path_factory: pytest.TempPathFactory):
    """A private app server whose result cache holds a (small) result for the default race and curve."""
    tmp = tmp_path_factory.mktemp("export")
    db = tmp / "runs.sqlite"
    seed_defaults(db, tmp / "features")
    env = {"PLM_LAB_RUNS_DB": str(db), "PLM_LAB_FEATURES_DIR": str(tmp / "features")}
    with streamlit_server(env, log=tmp / "server.log") as (url, _pid):
        yield Server(url, tmp / "server.log")


@pytest.fixture
def downloads(browser, tmp_path: Path) -> Path:
    """This test's download folder, set on the running headless Chromium."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    return folder


def download(driver, server: Server, folder: Path, key: str, fmt: str, timeout: float = 150) -> bytes:
    """Click the `fmt` button under the chart `key`; return the bytes of the file that arrives (the first click
    starts the server's Chromium: slow on a busy machine)."""
    from selenium.webdriver.common.by import By

    before = set(folder.iterdir())
    button = driver.find_element(By.CSS_SELECTOR, f".st-key-{key}-{fmt} button")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        new = [p for p in set(folder.iterdir()) - before if not p.name.endswith(".crdownload")]
        if new and new[0].stat().st_size:
            assert new[0].suffix == f".{fmt}", new[0].name
            return new[0].read_bytes()
        time.sleep(0.3)
    log = server.log.read_text(errors="replace")[-2000:]
    raise AssertionError(f"no {fmt} file for {key}; the page says: {body(driver)[-800:]}; the server: {log}")


def wait_for_buttons(driver, key: str, timeout: float = 120) -> None:
    """Until the chart `key` and its SVG button are on the page (the cached result has been drawn)."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        WebDriverWait(driver, timeout, poll_frequency=0.5).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, f".st-key-{key}-svg button"))
    except TimeoutException:
        raise AssertionError(f"no export buttons under {key}; the page says: {body(driver)[-1500:]}") from None


def check_both(driver, server: Server, folder: Path, key: str) -> None:
    png = download(driver, server, folder, key, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
    svg = download(driver, server, folder, key, "svg")
    assert ET.fromstring(svg).tag == "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("lang", LANGS)
def test_race_and_fewshot_charts_download_as_png_and_svg(seeded_server, browser, downloads, lang: str) -> None:
    browser.get(f"{seeded_server.url}/transfer?lang={lang}")
    wait_until(browser, lambda b: t("transfer.tab.race", lang) in b, timeout=240)
    tab(browser, t("transfer.tab.race", lang))
    press(browser, t("transfer.start_race", lang))
    wait_for_buttons(browser, "race-share")
    check_both(browser, seeded_server, downloads, "race-share")

    browser.get(f"{seeded_server.url}/fewshot?lang={lang}")
    wait_until(browser, lambda b: t("fewshot.run", lang) in b, timeout=240)
    press(browser, t("fewshot.run", lang))
    wait_for_buttons(browser, "fewshot-curve")
    check_both(browser, seeded_server, downloads, "fewshot-curve")
    assert t("common.unexpected_error", lang)[:10] not in body(browser)
