"""Developer tool: screenshot a page of a running app once some text has appeared.

    .venv/bin/python scripts/screenshot.py http://127.0.0.1:8501/models?lang=en "Models & data" out.png [height] [width]

(width 390: a phone; the default 1400: a desktop)
"""

import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main(url: str, text: str, out: str, height: int = 1400, width: int = 1400) -> None:
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--no-first-run", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    try:
        driver.get(url)
        deadline = time.time() + 120
        while text not in driver.find_element(By.TAG_NAME, "body").text:
            if time.time() > deadline:
                raise TimeoutError(f"{text!r} never appeared on {url}")
            time.sleep(0.3)
        time.sleep(2.0)  # let charts finish drawing
        driver.save_screenshot(out)
    finally:
        driver.quit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 1400,
         int(sys.argv[5]) if len(sys.argv) > 5 else 1400)
