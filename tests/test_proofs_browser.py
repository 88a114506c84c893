"""The ELMo proof card in a real browser, both languages: pressed (or already in this machine's result
cache, then shown at once), it ends with the verdict badge, the
tables' headings and the learned gamma."""

from __future__ import annotations

import pytest
from test_pretrain_browser import body, press_xpath, wait_until

from plm_core.evidence.stats import OUTCOMES
from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def press_card(driver, card: str) -> None:
    press_xpath(driver, f"//div[contains(@class, 'st-key-proof-run-{card}')]//button", f"run button for {card}", 120)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_elmo_card_shows_its_verdict(app_server, browser, lang: str) -> None:
    browser.get(f"{app_server}/proofs?lang={lang}")
    wait_until(browser, lambda b: t("proofs.elmo.title", lang) in b, timeout=240)
    gamma = t("proofs.gamma", lang, gammas="", weights="").split(":")[0]  # "Learned γ per seed"
    if gamma not in body(browser):  # not computed on this machine yet: run it
        press_card(browser, "elmo")
    wait_until(browser, lambda b: gamma in b, timeout=400)
    text = body(browser)
    outcomes = [t(f"proofs.verdict.{o}", lang) for o in OUTCOMES]
    assert any(o in text for o in outcomes)
    assert t("proofs.diff_table", lang) in text  # the compared difference with its 95 % CI
    assert t("proofs.paper_table", lang, where="Table 2") in text  # the tables themselves draw on a canvas
