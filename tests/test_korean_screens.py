"""Korean with no English left: every page, rendered in Korean, shows only catalog text in its table columns,
chart axis / legend titles, widget labels, placeholders and tab labels (proper names by korean_screens.ALLOWED)."""

import pytest

from conftest import open_app_page
from korean_screens import english_left, offending
from ui.pages import available_pages

PAGES = [p.path for p in available_pages()]


def test_the_check_tells_catalog_text_from_english():
    assert offending("test_accuracy") and offending("Choose options") and offending("loss")
    assert not offending("정확도") and not offending("MiniLM") and not offending("0.5")


@pytest.mark.slow
@pytest.mark.parametrize("path", PAGES)
def test_korean_page_has_no_english_left(path):
    at = open_app_page(path, "ko", timeout=240)
    assert not at.exception, [e.message for e in at.exception]
    assert english_left(at) == []
