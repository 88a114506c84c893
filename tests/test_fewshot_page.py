"""The Zero/one/few-shot page in both languages (AppTest from the entry point)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def open_page(language: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["lang"] = language
    at.query_params["lang"] = language
    at.run()
    at.switch_page("app_pages/fewshot.py")
    at.run()
    return at


@pytest.mark.parametrize("language", ["en", "ko"])
def test_page_renders_without_errors(language: str) -> None:
    at = open_page(language)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.startswith("Zero" if language == "en" else "제로")
    assert any(language == "ko" and "프롬프트" in e.label or language == "en" and "prompt" in e.label
               for e in at.expander)
    assert not at.code  # the LM is loaded only when the example prompt is asked for


@pytest.mark.slow
def test_example_prompt_is_shown_exactly() -> None:
    at = open_page("en")
    at.toggle(key="fs_show_prompt").set_value(True)
    at.session_state["lang"] = "en"  # AppTest drops the router's sidebar radio state on widget changes
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    prompt = at.code[0].value
    assert prompt.count("Sentiment:") == 3 and prompt.endswith("Sentiment:")  # K=1: 2 demonstrations + the query


@pytest.mark.slow
def test_page_runs_a_small_curve() -> None:
    at = open_page("en")
    at.multiselect[0].set_value(["similarity"])  # methods
    at.multiselect[1].set_value([0])  # K values
    at.slider[1].set_value(1)  # seeds (slider 0 is the example K)
    at.number_input[0].set_value(20)
    at.button[0].click()
    at.session_state["lang"] = "en"  # AppTest drops the router's sidebar radio state on widget changes
    at.run()
    from plm_core.jobs import JobStatus, get_service

    snap = get_service().wait(at.session_state["job:fewshot-curves"], timeout=120)  # computed in a worker
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert snap.status is JobStatus.DONE, snap.error
    assert len(snap.result.points) == 1, (snap.result.skipped, snap.result.stopped)
    assert len(snap.items) == 1
    assert at.dataframe  # the numbers table


def test_page_switches_to_korean_data_with_korean_defaults() -> None:
    at = open_page("ko")
    at.selectbox[0].set_value("korean-intents")
    at.session_state["lang"] = "ko"
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    similarity_backbone = at.selectbox(key="fewshot.bb_similarity")
    assert similarity_backbone.value == "use-multilingual"  # a Korean-capable sentence encoder
