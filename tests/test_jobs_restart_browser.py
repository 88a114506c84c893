"""After a restart, in a real browser: the page of a job caught by the restart says "interrupted" in its language and
runs it again with one click; a page whose job is gone says so; the browser's id is its cookie, never in the URL,
and another browser sees none of it. The server here starts over a journal left by the server before it."""

from __future__ import annotations

import time

import pytest
from test_pretrain_browser import body, press_xpath, wait_until

from conftest import streamlit_server
from plm_core.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.slow]
OWNERS = {"en": "0123456789abcdef" * 2, "ko": "fedcba9876543210" * 2}


@pytest.fixture(scope="module")
def restarted_server(tmp_path_factory):
    """A server whose journal holds, for each owner, a live pretraining job that was running at two restarts
    (now "interrupted") and a few-shot panel whose job nobody knows any more."""
    from plm_core.jobs.journal import JobJournal, JournalRow
    from plm_core.pretrain.studio import LivePretrainJob

    folder = tmp_path_factory.mktemp("restart")
    journal = JobJournal(folder / "jobs.sqlite")
    journal.holder = "the-server-before:1"  # the server that wrote these rows is gone
    for i, owner in enumerate(OWNERS.values()):
        job_id = f"{i:012x}"
        journal.add(JournalRow(job_id, "pretrain.live", "key", i, 0, "", [owner], "running", 2, time.time(),
                               config=LivePretrainJob("mlm", steps=30, seed=i)))
        journal.slot(owner, "pretrain-live", job_id)
        journal.slot(owner, "fewshot-curves", f"gone{i:08x}")
    env = {"PLM_LAB_RUNS_DB": str(folder / "runs.sqlite"), "PLM_LAB_WORKERS": "1"}
    with streamlit_server(env, log=folder / "server.log") as (url, _pid):
        yield url


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_an_interrupted_job_says_so_and_runs_again_with_one_click(restarted_server, browser, lang: str) -> None:
    browser.get(f"{restarted_server}/?lang={lang}")
    wait_until(browser, lambda b: "PLM Lab" in b, timeout=240)
    browser.add_cookie({"name": "plm_owner", "value": OWNERS[lang], "path": "/"})
    browser.get(f"{restarted_server}/fewshot?lang={lang}")
    wait_until(browser, lambda b: t("jobs.gone", lang) in b, timeout=240)  # its job is gone: said, in its language
    browser.get(f"{restarted_server}/pretraining?lang={lang}&tab=live")
    wait_until(browser, lambda b: t("jobs.err.interrupted", lang) in b, timeout=240)
    assert "&u=" not in browser.current_url and "?u=" not in browser.current_url
    press_xpath(browser, f"//button[.//p[text()='{t('jobs.rerun', lang)}']]", "the re-run button")
    wait_until(browser, lambda b: t("jobs.err.interrupted", lang) not in b, timeout=240)  # a new job in its place
    if t("jobs.stop", lang) in body(browser):
        press_xpath(browser, f"//button[.//p[text()='{t('jobs.stop', lang)}']]", "the stop button")


def test_another_browser_sees_nothing_of_it(restarted_server, browser) -> None:
    browser.get(f"{restarted_server}/pretraining?lang=en&tab=live&u={OWNERS['en'][:16]}")  # an old link's id
    wait_until(browser, lambda b: t("pretrain.live.none", "en") in b, timeout=240)
    assert t("jobs.err.interrupted", "en") not in body(browser)
    wait_until(browser, lambda b: "u=" not in browser.current_url)
    assert any(c["name"] == "plm_owner" and c["value"] not in OWNERS.values() for c in browser.get_cookies())
