"""Domain fit: option lists are plain text (a selectbox shows Markdown's backticks as they are)."""

import pytest

from conftest import open_app_page

pytestmark = pytest.mark.usefixtures("private_stores")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_domain_fit_options_have_no_markdown(lang) -> None:
    at = open_app_page("app_pages/domain_fit.py", lang)
    assert not at.exception
    options = [o for box in at.selectbox for o in box.options]
    assert any("CSV" in o for o in options), options  # the upload choice is among them
    assert not [o for o in options if "`" in o or "**" in o], options
