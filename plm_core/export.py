"""Figures out: a Plotly figure as PNG or SVG bytes, rendered by Plotly's `kaleido` driving the system Chromium.

No browser is ever downloaded: kaleido (v1, through `choreographer`) is pointed at the Chromium installed on
this machine (`$PLM_LAB_CHROMIUM`, else `$BROWSER_PATH`, else `chromium` on the PATH). Starting Chromium
costs seconds on this CPU, so one browser is kept warm per process and reused for every figure:

    png = figure_bytes(fig, "png", width=900, height=500)    # b"\\x89PNG..."
    svg = figure_bytes(fig, "svg")                          # b"<svg ..."

The warm browser lives on one private asyncio loop in a daemon thread (kaleido's API is async; its own sync
server has no timeout and hangs if Chromium dies). Calls are serialised by a lock, so sessions of one
Streamlit server can export side by side. Every failure (no Chromium, a timeout, a render error) becomes a
`PLMError` whose catalog message says what to install or try.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import os
import shutil
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from plm_core.errors import PLMError

if TYPE_CHECKING:
    import plotly.graph_objects as go

ExportFormat = Literal["png", "svg"]
FORMATS: tuple[ExportFormat, ...] = ("png", "svg")
MIME: dict[ExportFormat, str] = {"png": "image/png", "svg": "image/svg+xml"}
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "chrome")  # looked up on the PATH, in order
DEFAULT_WIDTH, DEFAULT_HEIGHT = 900, 500  # px, when neither the call nor the figure's layout gives a size


@dataclass(frozen=True)
class ExportSettings:
    """How the warm browser is started and how long one figure may take."""

    browser: str  # path of the Chromium binary kaleido drives
    render_timeout_s: float = 60.0  # one figure; a slow first render on a busy 2-core CPU takes ~3 s
    start_timeout_s: float = 60.0  # starting Chromium


def browser_path() -> str:
    """The Chromium that renders figures: $PLM_LAB_CHROMIUM, else $BROWSER_PATH, else the first of
    BROWSER_NAMES on the PATH. Raises PLMError("export.err.no_browser") when there is none. Looked up once
    per (those variables, PATH): every chart's buttons ask, and a PATH walk per chart per poll adds up."""
    wanted = os.environ.get("PLM_LAB_CHROMIUM") or os.environ.get("BROWSER_PATH")
    found = _which(wanted, os.environ.get("PATH", ""))
    if found is None:
        raise PLMError("export.err.no_browser", path=wanted or ", ".join(BROWSER_NAMES))
    return found


@functools.lru_cache(maxsize=16)
def _which(wanted: str | None, path: str) -> str | None:
    """`wanted` (a name or path) on `path`, else the first of BROWSER_NAMES there; None when none is."""
    for name in (wanted,) if wanted else BROWSER_NAMES:
        if (found := shutil.which(name, path=path or None)) is not None:
            return found
    return None


class _WarmKaleido:
    """One kaleido browser on one private event loop, started on first use and restarted after a failure."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._pid = 0
        self._settings: ExportSettings | None = None

    def render(self, fig: go.Figure, opts: dict[str, Any], settings: ExportSettings) -> bytes:
        with self._lock:
            self._ensure_started(settings)
            assert self._loop is not None
            future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
            try:
                return bytes(future.result(timeout=settings.render_timeout_s + 5))
            except TimeoutError as err:  # concurrent.futures' and asyncio's are this one since 3.11
                future.cancel()
                self._close_locked()
                raise PLMError("export.err.timeout", seconds=round(settings.render_timeout_s)) from err
            except Exception as err:
                self._close_locked()  # a browser that failed once is not trusted again: the next call restarts it
                raise PLMError("export.err.failed", kind=type(err).__name__, detail=str(err)[:300]) from err

    def close(self) -> None:
        with self._lock:
            self._close_locked()

    def _alive(self, settings: ExportSettings) -> bool:
        return (self._kaleido is not None and self._pid == os.getpid() and self._settings == settings
                and self._thread is not None and self._thread.is_alive())

    def _ensure_started(self, settings: ExportSettings) -> None:
        if self._alive(settings):
            return
        self._close_locked()
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="plm-kaleido", daemon=True)
        thread.start()
        self._loop, self._thread, self._pid = loop, thread, os.getpid()
        future = asyncio.run_coroutine_threadsafe(_open_kaleido(settings), loop)
        try:
            self._kaleido = future.result(timeout=settings.start_timeout_s)
        except Exception as err:
            future.cancel()
            self._close_locked()
            if isinstance(err, TimeoutError):
                raise PLMError("export.err.start_timeout", path=settings.browser,
                               seconds=round(settings.start_timeout_s)) from err
            raise PLMError("export.err.start_failed", path=settings.browser, kind=type(err).__name__,
                           detail=str(err)[:300]) from err
        self._settings = settings

    def _close_locked(self) -> None:
        loop, kaleido, thread = self._loop, self._kaleido, self._thread
        self._loop = self._kaleido = self._thread = self._settings = None
        if loop is None or self._pid != os.getpid():
            return  # nothing started, or a forked child: the parent's browser and loop are not ours to stop
        if kaleido is not None and loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(kaleido.close(), loop).result(timeout=10)
            except Exception:  # noqa: BLE001 - a browser already gone is closed enough
                pass
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(timeout=5)
        if not loop.is_running():
            loop.close()


async def _open_kaleido(settings: ExportSettings) -> Any:
    """A started kaleido browser on the running loop (built inside it: its queues belong to that loop)."""
    import kaleido

    # mathjax=False: the default fetches MathJax from a CDN, and this machine is offline.
    browser = kaleido.Kaleido(n=1, timeout=settings.render_timeout_s, mathjax=False, path=settings.browser)
    await browser.open()
    return browser


_WARM = _WarmKaleido()
atexit.register(_WARM.close)


def figure_bytes(
    fig: go.Figure,
    fmt: ExportFormat,
    width: int | None = None,
    height: int | None = None,
    scale: float = 2.0,
) -> bytes:
    """`fig` rendered as PNG or SVG bytes. Size in CSS px: the arguments, else the figure's layout, else
    DEFAULT_WIDTH × DEFAULT_HEIGHT; `scale` multiplies the PNG's pixels (2.0: sharp on slides), not the layout."""
    if fmt not in FORMATS:
        raise PLMError("export.err.format", fmt=fmt, choices=", ".join(FORMATS))
    opts: dict[str, Any] = {
        "format": fmt,
        "width": width or fig.layout.width or DEFAULT_WIDTH,
        "height": height or fig.layout.height or DEFAULT_HEIGHT,
        "scale": scale if fmt == "png" else 1.0,  # an SVG is vector: its size stays the layout's
    }
    return _WARM.render(fig, opts, ExportSettings(browser=browser_path()))


def close_browser() -> None:
    """Stop the warm browser (tests, benchmarks); the next figure_bytes starts a new one."""
    _WARM.close()


def file_name(name: str, fmt: ExportFormat) -> str:
    """A download file name: `name` with anything but letters, digits, '-' and '_' turned into '_', plus the
    extension (Korean letters are kept)."""
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name).strip("_") or "figure"
    return f"{stem}.{fmt}"
