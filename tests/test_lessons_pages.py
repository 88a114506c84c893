"""The lesson page and the step bar through Streamlit's AppTest (from the router), both languages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from conftest import REPO, open_app_page
from plm_core.i18n import t
from plm_core.lessons import lessons


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_lesson_page_lists_every_lesson_as_a_card(lang: str) -> None:
    at = open_app_page("app_pages/lessons.py", lang, timeout=120)
    assert not at.exception, [e.message for e in at.exception]
    headers = [h.value for h in at.subheader]
    assert headers == [f"{lesson.order}. {lesson.title.get(lang)}" for lesson in lessons()]
    buttons = [b.label for b in at.button]
    assert buttons.count(t("lessons.card.open", lang)) == 5
    assert buttons.count(t("classroom.start", lang)) == 5
    assert t("lessons.prepare", lang) not in buttons  # prepare is the teacher's, in a class's panel
    assert t("lessons.card.meta", lang, steps=5, minutes=50) in [c.value for c in at.caption]


def open_step(query: dict[str, str], page: str, lang: str) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    at.session_state["lang"] = lang
    at.query_params.update({**query, "lang": lang})
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.slow
@pytest.mark.usefixtures("private_stores")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_step_bar_asks_first_then_reveals_the_answer(lang: str) -> None:
    from plm_core.lessons.predictions import save_prediction

    at = open_step({"tab": "masks", "lesson": "3-pretraining", "step": "4"}, "app_pages/attention.py", lang)
    captions = " ".join(c.value for c in at.caption)
    assert t("lessons.bar.step", lang, i=4, n=6) in captions and t("lessons.predict.hidden", lang) in captions
    assert any(r.label for r in at.radio if r.options and len(r.options) == 3)  # the three choices, none picked
    save_prediction("3-pretraining", 3, at.session_state["owner"], "full")
    at.run()
    shown = " ".join(w.value for w in at.warning) + " ".join(s.value for s in at.success)
    assert t("lessons.reveal.wrong", lang, said="", outcome="").split()[0] in shown
    lower = next(c for c in lessons()[2].steps[3].question.choices if c.value == "lower").label.get(lang)
    full = next(c for c in lessons()[2].steps[3].question.choices if c.value == "full").label.get(lang)
    assert lower in shown and full in shown  # the answer, in the class's language, next to what they said


@pytest.mark.slow
def test_a_lesson_link_for_another_page_draws_no_step_bar() -> None:
    at = open_step({"lesson": "3-pretraining", "step": "4"}, "app_pages/home.py", "en")
    assert t("lessons.bar.step", "en", i=4, n=6) not in " ".join(c.value for c in at.caption)
    assert "lesson" not in at.query_params
