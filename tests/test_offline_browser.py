"""Offline in the browser too: every request of every page, in both languages, goes to the app's own origin.

Chromium's performance log lists every request the page makes (documents, scripts, fonts, the favicon, images,
the websocket); the test opens each page of the navigation in Korean and English, waits until the page's script
has finished, and asserts that none of them leaves the app's origin.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

import pytest

from conftest import chromium, streamlit_server
from plm_core.i18n import t
from ui.pages import available_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL_SCHEMES = frozenset({"data", "blob", "about", "chrome", "chrome-extension", "devtools"})  # never the network
NETWORK_EVENTS = ("Network.requestWillBeSent", "Network.webSocketCreated")


@pytest.fixture(scope="module")
def logging_browser():
    """Headless Chromium whose performance log records every network request (Chrome DevTools events)."""
    driver = chromium(performance_log=True, page_load_s=90)
    yield driver
    driver.quit()


def requested_urls(driver) -> list[str]:
    """The URLs requested since the last call (the performance log is emptied by reading it)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") in NETWORK_EVENTS:
            params = message["params"]
            urls.append(params["request"]["url"] if "request" in params else params["url"])
    return urls


def foreign(urls: list[str], origin: str) -> list[str]:
    """The URLs that leave `origin` (scheme, host and port), local schemes (data:, blob:) aside."""
    own = urlsplit(origin)
    out = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in LOCAL_SCHEMES:
            continue
        if parts.scheme not in ("http", "https", "ws", "wss") or parts.netloc != own.netloc:
            out.append(url)
    return out


def wait_until_drawn(driver, title: str, timeout: float = 240) -> None:
    """The page's title is shown and its script has stopped running (Streamlit's status widget is gone)."""
    from selenium.webdriver.common.by import By

    deadline, quiet_since = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        body = driver.find_element(By.TAG_NAME, "body").text
        running = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stStatusWidget"]')
        if title in body and not running:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 2.0:  # lazy requests (fonts, the favicon, chart code) go out too
                return
        else:
            quiet_since = None
        time.sleep(0.25)
    raise TimeoutError(f"{title!r} was not drawn within {timeout:.0f} s")


def test_favicon_is_shipped_not_fetched() -> None:
    """The router's page icon is a file in assets/ (a Material icon makes the browser fetch a font host's SVG)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    router = (root / "app.py").read_text(encoding="utf-8")
    line = next(x for x in router.splitlines() if "set_page_config(" in x)
    assert '"assets" / "icon.png"' in line and ":material/" not in line
    assert (root / "assets" / "icon.png").read_bytes().startswith(b"\x89PNG")


def test_no_page_requests_anything_but_the_app(app_server, logging_browser) -> None:
    seen: dict[str, list[str]] = {}
    for lang in ("ko", "en"):
        for page in available_pages():
            logging_browser.get(f"{app_server}/{page.key if page.key != 'home' else ''}?lang={lang}")
            wait_until_drawn(logging_browser, t(f"{page.key}.title", lang))
            seen[f"{page.key} ({lang})"] = requested_urls(logging_browser)
    assert all(seen.values()), "the performance log recorded no request: the test would see nothing"
    assert sum(len(v) for v in seen.values()) > 2 * len(available_pages())
    outside = {page: foreign(urls, app_server) for page, urls in seen.items() if foreign(urls, app_server)}
    assert not outside, f"requests that leave the app's origin: {outside}"


HOSTILE = "see https://example.com/x, www.example.org or a@b.com :material/home: :red[red] <b>neg</b> [l](http://x.y)"

USER_TEXT_APP = f'''
import sys
sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parent.parent)!r})
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from ui.common import md_escape
from ui.figures import chart

text = {HOSTILE!r}
st.markdown("md: " + md_escape(text))
st.caption("caption: " + md_escape(text))
st.table(pd.DataFrame({{"cell": [md_escape(text)]}}))
fig = go.Figure(go.Bar(x=["<b>neg</b>", "pos"], y=[1, 2], name="<i>mine</i>",
                       hovertext=["<b>label</b><br><a href='http://x.y'>a link</a>", "ok"], hoverinfo="text"))
fig.update_layout(showlegend=True)
chart(fig, key="hostile", name="hostile")
st.write("END")
'''


@pytest.fixture
def user_text_app(tmp_path):
    """A one-page Streamlit app that shows hostile user text the way the pages do (ui.common, ui.figures)."""
    script = tmp_path / "user_text.py"
    script.write_text(USER_TEXT_APP, encoding="utf-8")
    with streamlit_server(script=str(script)) as (url, _pid):
        yield url


def test_user_text_is_never_a_link_or_markup(user_text_app, logging_browser) -> None:
    from selenium.webdriver.common.by import By

    logging_browser.get(user_text_app)
    wait_until_drawn(logging_browser, "END", timeout=120)
    main = logging_browser.find_element(By.CSS_SELECTOR, '[data-testid="stMain"]')
    deadline = time.monotonic() + 30
    while not main.find_elements(By.CSS_SELECTOR, ".xtick text") and time.monotonic() < deadline:
        time.sleep(0.25)  # the chart draws a moment after the script ends
    links = [a.get_attribute("href") for a in main.find_elements(By.TAG_NAME, "a")]
    assert not [h for h in links if h and "example" in h or h and "x.y" in h], links  # no link from user text
    shown = main.text.replace("\u2060", "")  # the invisible joiners that defuse the links
    for literal in ("https://example.com/x", "a@b.com", ":material/home:", ":red[red]", "<b>neg</b>", "[l](http://x.y)"):
        assert shown.count(literal) >= 3, (literal, shown)  # markdown, caption and table cell: as typed
    ticks = [t.text for t in main.find_elements(By.CSS_SELECTOR, ".xtick text")]
    assert "<b>neg</b>" in ticks, ticks  # the label's characters, not a bold "neg"
    assert not main.find_elements(By.CSS_SELECTOR, ".xtick tspan[style*='bold']")
    assert any(t.text == "<i>mine</i>" for t in main.find_elements(By.CSS_SELECTOR, ".legendtext"))
