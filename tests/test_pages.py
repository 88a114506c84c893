"""Every page renders in both languages without an exception (Streamlit AppTest from the router)."""

import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_app_page
from ui.pages import available_pages

PAGES = [p.path for p in available_pages()]


def run_page(path: str, lang: str) -> AppTest:
    return open_app_page(path, lang, timeout=180)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_error(path, lang):
    at = run_page(path, lang)
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


def test_language_changes_the_text():
    titles = {lang: run_page("app_pages/home.py", lang).title[0].value for lang in ("ko", "en")}
    assert titles["en"].startswith("PLM Lab — pretrained") and "사전학습" in titles["ko"]


def test_home_links_only_to_existing_pages():
    at = run_page("app_pages/home.py", "en")
    links = {el.proto.page for el in at.get("page_link")}
    assert links and links <= {p.key for p in available_pages()}


@pytest.mark.slow
def test_models_page_tokenizer_view_shows_subword_pieces():
    at = run_page("app_pages/models_data.py", "en")
    chips = [m.value for m in at.markdown if "font-family:monospace" in m.value]
    assert chips and "##" in chips[0]  # MiniLM's WordPiece splits "unbelievably" / "riverbank"
    at.selectbox[0].set_value("glove-6b-50d").run()
    chips = [m.value for m in at.markdown if "font-family:monospace" in m.value]
    assert not at.exception and "riverbank" in chips[0] and "##" not in chips[0]


def test_models_page_names_the_family_in_the_page_language():
    at = run_page("app_pages/models_data.py", "ko")
    assert not at.exception and at.metric[0].value == "인코더"  # MiniLM's family, not the code name "encoder"
    captions = [c.value for c in at.caption]
    assert any("퍼블릭 도메인" in c for c in captions) and not any("public domain" in c for c in captions)
