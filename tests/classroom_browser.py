"""Many browsers in one Chromium, for the class tests and bench/class.py: each "context" is an isolated browser
context (its own cookies, so its own job owner id and teacher key) in its own tab, driven by switching
Selenium's window to it, with its own viewport (a phone is 390x844 with touch)."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import free_port
from conftest import streamlit_server as app_server  # noqa: F401 - the class tests' and bench's app server

REPO = Path(__file__).resolve().parent.parent
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
PHONE = (390, 844)
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000", "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
         "--disable-backgrounding-occluded-windows")
# every 100 ms, the first time (ms since the epoch) each watched text appears on the page: a step's follow time
# is read from the student's own clock (same machine), not from how fast Selenium gets round to that tab
WATCH_JS = """
window.plmSeen = window.plmSeen || {};
window.plmWatch = arguments[0];
if (!window.plmTimer) {
  window.plmTimer = setInterval(() => {
    const text = document.body ? document.body.innerText : "";
    for (const w of window.plmWatch || []) {
      if (!(w in window.plmSeen) && text.includes(w)) window.plmSeen[w] = Date.now();
    }
  }, 100);
}
"""


class Chromium:
    """One headless Chromium with many isolated contexts. Selenium drives it through chromedriver attached to
    its debugging port; the contexts are made through the browser's own DevTools connection (a page's session
    may not create them)."""

    def __init__(self, profile: Path) -> None:
        import json

        import websocket
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        port = free_port()
        self.proc = subprocess.Popen([str(CHROMIUM), *FLAGS, f"--remote-debugging-port={port}",
                                      "--remote-allow-origins=*", f"--user-data-dir={profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while True:
            try:
                info = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/version", timeout=2))
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.ws = websocket.create_connection(info["webSocketDebuggerUrl"], timeout=60)
        self.calls = 0
        opts = webdriver.ChromeOptions()
        opts.debugger_address = f"127.0.0.1:{port}"
        self.driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
        self.driver.set_page_load_timeout(90)

    def cdp(self, method: str, **params: object) -> dict:
        import json

        self.calls += 1
        self.ws.send(json.dumps({"id": self.calls, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.calls:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return dict(msg.get("result") or {})

    def new_context(self, width: int, height: int, phone: bool = False) -> str:
        """A fresh browser context (no cookies shared with the others) with one tab of this size; its handle."""
        context = self.cdp("Target.createBrowserContext")["browserContextId"]
        # its own window: a background tab of a shared window is throttled (its screen would not follow in time)
        target = str(self.cdp("Target.createTarget", url="about:blank", browserContextId=context,
                              newWindow=True)["targetId"])
        self.driver.switch_to.window(target)
        set_viewport(self.driver, width, height, phone)
        return target

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            self.ws.close()
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def set_viewport(driver, width: int, height: int, phone: bool = False) -> None:
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": width, "height": height,
                                                                   "deviceScaleFactor": 1, "mobile": phone})
    if phone:
        driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": 5})


def watch(driver, texts: list[str]) -> None:
    driver.execute_script(WATCH_JS, texts)


def seen(driver) -> dict[str, float]:
    """Text -> when (unix seconds) it first appeared in this tab."""
    return {k: v / 1000.0 for k, v in (driver.execute_script("return window.plmSeen || {}") or {}).items()}


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the job workers), in MB."""
    total = 0
    for p in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    kids = [int(x) for x in out]
    return kids + [g for k in kids for g in children(k)]
