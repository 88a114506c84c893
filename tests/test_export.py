"""plm_core.export: figures as PNG / SVG bytes through kaleido and the system Chromium."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest

from plm_core import export
from plm_core.errors import PLMError
from plm_core.i18n import t

SVG_NS = "{http://www.w3.org/2000/svg}"


def bar_figure(**layout) -> go.Figure:
    return go.Figure(go.Bar(x=["동결", "full"], y=[0.61, 0.83]), layout={"title": "정확도", **layout})


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels from the PNG's IHDR chunk."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_png_has_its_header_and_the_asked_size_times_scale():
    data = export.figure_bytes(bar_figure(), "png", width=400, height=300, scale=2.0)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert png_size(data) == (800, 600)
    assert png_size(export.figure_bytes(bar_figure(), "png", width=321, height=123, scale=1.0)) == (321, 123)


def test_svg_parses_with_an_svg_root_of_the_asked_size():
    data = export.figure_bytes(bar_figure(), "svg", width=640, height=360)
    root = ET.fromstring(data)
    assert root.tag == f"{SVG_NS}svg"
    assert (root.get("width"), root.get("height")) == ("640", "360")
    assert "정확도" in data.decode("utf-8")  # Korean text survives as text


def test_size_comes_from_the_figure_layout_then_the_default():
    assert png_size(export.figure_bytes(bar_figure(width=500, height=250), "png", scale=1.0)) == (500, 250)
    assert png_size(export.figure_bytes(bar_figure(), "png", scale=1.0)) == (export.DEFAULT_WIDTH,
                                                                            export.DEFAULT_HEIGHT)


def test_one_browser_stays_warm_between_figures_and_restarts_after_close():
    export.figure_bytes(bar_figure(), "svg")
    first = export._WARM._kaleido
    export.figure_bytes(bar_figure(), "png", width=200, height=100)
    assert export._WARM._kaleido is first and first is not None
    export.close_browser()
    assert export._WARM._kaleido is None
    assert export.figure_bytes(bar_figure(), "png", width=200, height=100).startswith(b"\x89PNG")
    assert export._WARM._kaleido is not first


def test_a_missing_chromium_is_a_catalog_error_saying_what_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLM_LAB_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(PLMError) as caught:
        export.figure_bytes(bar_figure(), "png")
    assert caught.value.key == "export.err.no_browser"
    assert "apt-get install chromium" in caught.value.message("ko")
    assert "/nonexistent/chromium" in str(caught.value)


def test_a_browser_that_will_not_start_is_a_catalog_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLM_LAB_CHROMIUM", "/bin/false")
    try:
        with pytest.raises(PLMError) as caught:
            export.figure_bytes(bar_figure(), "svg")
        assert caught.value.key in ("export.err.start_failed", "export.err.start_timeout")
        assert "/bin/false" in str(caught.value)
    finally:
        export.close_browser()


def test_an_unknown_format_is_refused():
    with pytest.raises(PLMError) as caught:
        export.figure_bytes(bar_figure(), "jpeg")  # type: ignore[arg-type]
    assert caught.value.key == "export.err.format"


def test_file_names_keep_letters_and_drop_path_characters():
    assert export.file_name("race/정확도 곡선", "svg") == "race_정확도_곡선.svg"
    assert export.file_name("../", "png") == "figure.png"


def test_export_messages_exist_in_both_languages():
    for key in ("export.download_png", "export.download_svg", "export.err.no_browser", "export.err.timeout"):
        assert t(key, "ko") != key and t(key, "en") != key
