"""Startup time: from `streamlit run` to the first page's content in headless Chromium.

Prints the app's figure next to a one-line Streamlit page measured the same way in the same run
(target: app <= 1.5x the bare page). Needs /usr/bin/chromium and /usr/bin/chromedriver.
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROUNDS = 3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--no-first-run"):
        opts.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def time_to_content(driver, script: Path, expected: str) -> float:
    """Seconds from spawning `streamlit run script` until `expected` text is on the page."""
    from selenium.webdriver.common.by import By

    port = free_port()
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
                             "--server.headless", "true", "--server.address", "127.0.0.1"],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:  # the page is fetched as soon as the port answers
            try:
                driver.get(f"http://127.0.0.1:{port}/?lang=en")
                break
            except Exception:  # noqa: BLE001 - server not up yet
                time.sleep(0.05)
        while expected not in driver.find_element(By.TAG_NAME, "body").text:
            if time.perf_counter() - start > 120:
                raise TimeoutError(f"{expected!r} did not appear")
            time.sleep(0.02)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def main() -> None:
    driver = make_driver()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text('import streamlit as st\nst.write("bare page ready")\n')
        time_to_content(driver, bare, "bare page ready")  # warm the OS file cache once
        bare_times, app_times = [], []
        for _ in range(ROUNDS):
            bare_times.append(time_to_content(driver, bare, "bare page ready"))
            app_times.append(time_to_content(driver, REPO / "app.py", "Transfer learning, three ways"))
    driver.quit()
    b, a = statistics.median(bare_times), statistics.median(app_times)
    print(f"bare one-line page : {b:.2f} s  (median of {ROUNDS}: {', '.join(f'{x:.2f}' for x in bare_times)})")
    print(f"PLM Lab Home page  : {a:.2f} s  (median of {ROUNDS}: {', '.join(f'{x:.2f}' for x in app_times)})")
    print(f"ratio app / bare   : {a / b:.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
