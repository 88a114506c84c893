"""Settings in the URL under AppTest: a link's values reach the widgets, bad values warn in the page's language,
the values and the open tab survive a language switch and a visit to another page, the share panel's link
and QR code are the view's."""

from __future__ import annotations

import io

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO
from plm_core import urlparams as up
from plm_core.i18n import t

pytestmark = pytest.mark.usefixtures("private_stores")


def open_link(path: str, query: dict[str, str]) -> AppTest:
    """A fresh browser opening `path?query` (AppTest starts at the router's default page, then switches)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.query_params["lang"] = query.get("lang", "ko")
    at.run()
    at.switch_page(path)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def query(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k][-1] if isinstance(at.query_params[k], list) else at.query_params[k]
            for k in at.query_params}


LINK = {"lang": "ko", "tab": "race", "backbone": "tiny-bert-mlm", "modes": "frozen,finetune", "n": "64",
        "epochs": "2", "seed": "7"}


def test_a_transfer_link_fills_the_widgets_in_korean() -> None:
    at = open_link("app_pages/transfer_lab.py", LINK)
    assert not at.error and not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="transfer.backbone").value == "tiny-bert-mlm"
    assert at.multiselect(key="transfer.modes").value == ["frozen", "finetune"]
    assert at.number_input(key="transfer.n").value == 64
    assert at.number_input(key="transfer.epochs").value == 2
    assert at.number_input(key="transfer.seed").value == 7
    assert at.multiselect(key="transfer.modes").label == t("transfer.strategies", "ko")  # the race tab is open
    assert query(at) | {"u": ""} == LINK | {"u": ""}  # the address bar holds the view (and this browser's id)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_bad_value_warns_in_the_pages_language_and_falls_back(lang: str) -> None:
    at = open_link("app_pages/transfer_lab.py", {"lang": lang, "epochs": "999", "backbone": "gpt-5", "n": "64"})
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2, warnings
    expected = t("url.err.bad_value", lang, name="epochs", value="999", default="3", allowed="1–20")
    assert expected.replace("'", "") in [w.replace("\\", "").replace("'", "") for w in warnings]
    assert at.number_input(key="transfer.epochs").value == 3  # the default
    assert at.selectbox(key="transfer.backbone").value == "minilm-l6"
    assert at.number_input(key="transfer.n").value == 64  # the good value stays
    assert "epochs" not in query(at) and "backbone" not in query(at) and query(at)["n"] == "64"
    at.run()
    assert not at.warning  # said once


def test_values_and_the_open_tab_survive_a_language_switch_and_another_page() -> None:
    at = open_link("app_pages/transfer_lab.py", LINK)
    at.radio(key="lang-switch").set_value("en").run()
    assert not at.exception
    assert at.number_input(key="transfer.n").value == 64 and at.multiselect(key="transfer.modes").value == [
        "frozen", "finetune"]
    assert at.multiselect(key="transfer.modes").label == t("transfer.strategies", "en")  # still the race tab
    assert query(at)["lang"] == "en" and query(at)["tab"] == "race"
    at.switch_page("app_pages/fewshot.py").run()
    assert not at.exception and query(at).get("n") is None and query(at)["lang"] == "en"
    at.switch_page("app_pages/transfer_lab.py").run()
    assert not at.exception
    assert at.number_input(key="transfer.n").value == 64 and query(at)["n"] == "64" and query(at)["tab"] == "race"


def test_a_changed_widget_goes_into_the_url_and_a_default_leaves_it() -> None:
    at = open_link("app_pages/attention.py", {"lang": "en"})
    at.button_group(key="attention.tab").set_value("tokens").run()
    assert query(at)["tab"] == "tokens"
    at.button_group(key="attention.tab").set_value("masks").run()
    assert "tab" not in query(at)


def test_a_fewshot_link_fills_its_form() -> None:
    at = open_link("app_pages/fewshot.py", {"lang": "en", "methods": "similarity", "shots": "0,4", "seeds": "2",
                                            "calibrate": "1"})
    assert not at.warning, [w.value for w in at.warning]
    assert at.multiselect(key="fewshot.methods").value == ["similarity"]
    assert at.multiselect(key="fewshot.shots").value == [0, 4]
    assert at.slider(key="fewshot.seeds").value == 2
    assert at.checkbox(key="fewshot.calibrate").value is True


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_share_panel_shows_the_views_link_and_its_qr_code(lang: str, monkeypatch) -> None:
    import zxingcpp
    from PIL import Image

    monkeypatch.setenv(up.PUBLIC_URL_ENV, "http://10.1.2.3:8501")
    at = open_link("app_pages/transfer_lab.py", LINK | {"lang": lang})
    assert not at.code  # built only when opened
    at.session_state["share-panel"] = True
    at.run()
    expected = "http://10.1.2.3:8501/transfer?" + "&".join(
        f"{k}={v}" for k, v in ({"lang": lang} | up.encode("transfer", up.parse("transfer", LINK)[0])).items())
    assert [c.value for c in at.code] == [expected]
    assert t("share.title", lang) in " ".join(m.value for m in at.sidebar.markdown)
    image = at.sidebar.get("imgs")
    png = up.qr_png(expected)  # what the panel draws: the same function of the same string
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("L"))] == [expected]
    assert image is not None


def test_korean_backbone_boxes_name_the_models_in_korean() -> None:
    ko = open_link("app_pages/transfer_lab.py", {"lang": "ko"})
    options = ko.selectbox(key="transfer.backbone").options
    assert "작은 BERT (마스크 언어 모델, 직접 학습)" in options
    assert not any(word in " ".join(options) for word in ("ours", "masked LM", "sentence encoder", "GPT-style"))
    en = open_link("app_pages/transfer_lab.py", {"lang": "en"})
    assert "Tiny BERT (masked LM, ours)" in en.selectbox(key="transfer.backbone").options


def test_go_opens_a_page_with_exactly_its_settings_even_all_defaults() -> None:
    at = open_link("app_pages/attention.py", {"lang": "en", "tab": "tokens", "top_k": "7"})
    assert at.session_state["attention.tab"] == "tokens"
    at.session_state["_url.go"] = "attention"  # what urlstate.go("attention", {}) leaves before its switch_page
    for k in ("tab", "top_k"):
        del at.query_params[k]
    at.run()
    assert not at.exception
    assert at.session_state["attention.tab"] == "masks" and at.session_state["attention.top_k"] == 5
