"""The Paper proofs page in both languages (AppTest from the entry point), with and without a result."""

from __future__ import annotations

from dataclasses import replace

import pytest
from korean_screens import english_left

from conftest import open_app_page
from plm_core.evidence.cards_registry import CARDS
from plm_core.evidence.cards_verdicts import rule_text
from plm_core.i18n import t
from ui.common import md_escape

PAGE = "app_pages/proofs.py"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_page_renders_every_card(lang: str, private_stores) -> None:
    at = open_app_page(PAGE, lang, timeout=120)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == t("proofs.title", lang)
    subheaders = [s.value for s in at.subheader]
    for card_id in CARDS:
        assert t(f"proofs.{card_id}.title", lang) in subheaders
    assert len([b for b in at.button if b.label == t("proofs.run", lang)]) == len(CARDS)
    text = " ".join(m.value for m in at.markdown)
    assert rule_text("bert", lang) in text


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_cached_card_shows_both_tables_and_the_verdict(lang: str, private_stores, monkeypatch,
                                                         one_torch_thread) -> None:
    from plm_core.evidence.cards import default_job
    from plm_core.evidence.cli import cached_run

    card = CARDS["elmo"]
    monkeypatch.setitem(CARDS, "elmo", replace(card, preset=replace(card.preset, n=80, test_limit=80, seeds=3)))
    result, _ = cached_run("proof", default_job("elmo"))  # seeds the private result cache
    at = open_app_page(PAGE, lang, timeout=120)
    at.button(key="proof-run-elmo").click()
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    outcome = t(f"proofs.verdict.{result.verdict.outcome}", lang)
    assert any(outcome in m.value for m in at.markdown), "no verdict badge"
    text = " ".join(m.value for m in at.markdown)
    assert md_escape(result.verdict.message(lang)) in text
    tables = [df.value for df in at.dataframe]
    assert len(tables) == 3 and "85.2" in tables[0][t("proofs.col.value", lang)].tolist()  # as printed
    assert t("proofs.col.sd", lang) in tables[1].columns  # three seeds: mean ± sd
    assert tables[2][t("proofs.col.outcome", lang)].tolist() == [t(f"proofs.verdict.{result.verdict.outcome}", lang)]
    if lang == "ko":
        assert english_left(at) == []
