"""Uploads: the size limit speaks in the UI's language (ours sits below Streamlit's own English check);
the Transfer lab says how many texts of an uploaded CSV were cut."""

from __future__ import annotations

import tomllib

import pytest

from conftest import REPO, open_app_page
from plm_core.data import MAX_UPLOAD_BYTES

BIG = b"text,label\n" + b"".join(b"%s,pos\n%s,neg\n" % (b"x" * 1000, b"y" * 1000) for _ in range(3000))  # ~6 MB


def test_streamlits_own_limit_is_above_ours() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] * 2**20 > MAX_UPLOAD_BYTES


@pytest.mark.parametrize("lang, words", [("ko", "한도는 5.0 MB"), ("en", "the limit is 5.0 MB")])
def test_a_too_large_csv_is_refused_in_the_ui_language(lang, words) -> None:
    assert len(BIG) > MAX_UPLOAD_BYTES
    at = open_app_page("app_pages/models_data.py", lang)
    at.session_state["models.tab"] = "csv"  # only the open tab runs: open the upload's
    at.run()
    uploader = at.file_uploader[0]
    assert uploader.proto.max_upload_size_mb * 2**20 > MAX_UPLOAD_BYTES  # the browser lets it through to us
    uploader.set_value(("big.csv", BIG, "text/csv"))
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert "uploaded_csv" not in at.session_state


def test_transfer_lab_says_how_many_texts_were_cut() -> None:
    rows = "".join(f"good film {i},pos\nbad film {i},neg\n" for i in range(10))
    data = f"text,label\n{rows}{'z' * 2500},pos\n".encode()
    at = open_app_page("app_pages/transfer_lab.py", "en")
    at.session_state["uploaded_csv"] = ("long.csv", data)
    at.run()
    at.selectbox(key="transfer.data").select("__upload__")
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    assert any("1 text(s) were longer than 2000 characters" in i.value for i in at.info), [i.value for i in at.info]
