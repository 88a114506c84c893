"""Transfer lab and Runs pages under AppTest, in both languages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from conftest import open_app_page
from plm_core.runs import RunStore

APP = str(Path(__file__).resolve().parent.parent / "app.py")


pytestmark = pytest.mark.usefixtures("private_stores")  # runs store + feature cache in tmp_path


def open_page(page: str, lang: str) -> AppTest:
    return open_app_page(page, lang, timeout=60)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_transfer_lab_renders(lang):
    at = open_page("app_pages/transfer_lab.py", lang)
    assert not at.exception and not at.error
    assert len(at.tabs) >= 2 and at.button  # the form buttons exist
    if lang == "ko":
        assert any("전이학습" in t.value for t in at.title)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_runs_page_empty_and_full(lang):
    at = open_page("app_pages/runs.py", lang)
    assert not at.exception and not at.error and at.info  # "no runs yet"
    store = RunStore()
    for mode in ("frozen", "finetune"):
        store.save("transfer", {"backbone": "minilm-l6", "mode": mode, "data": "movie-snippets", "n": 64},
                   {"test_accuracy": 0.7}, {"history": [{"epoch": 1, "test_accuracy": 0.6}]}, {"train_seconds": 2})
    at.run()
    assert not at.exception and not at.error
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 2


def test_static_backbone_offers_only_frozen():
    at = open_page("app_pages/transfer_lab.py", "en")
    at.selectbox(key="transfer.backbone").select("glove-6b-50d").run()
    assert not at.exception
    assert any("only the frozen mode" in i.value for i in at.info)
    assert len(at.radio[0].options) == 1 and at.radio[0].options[0].startswith("frozen")


@pytest.mark.slow
def test_a_frozen_glove_run_trains_in_the_background_and_is_stored():
    at = open_page("app_pages/transfer_lab.py", "en")
    at.selectbox(key="transfer.backbone").select("glove-6b-50d").run()
    at.number_input[0].set_value(24)
    at.button[0].click().run(timeout=120)  # the form's submit button
    assert not at.exception and not at.error
    from plm_core.jobs import JobStatus, get_service

    job_id = at.session_state["job:transfer-single"]
    snap = get_service().wait(job_id, timeout=180)  # trained in a worker process, not in the page
    assert snap.status is JobStatus.DONE, snap.error
    deadline = time.monotonic() + 10
    while not get_service().snapshot(job_id).saved and time.monotonic() < deadline:
        time.sleep(0.1)  # stored right after the result is shown
    at.run()
    assert not at.exception and not at.error
    assert any("Test accuracy" in m.label for m in at.metric)
    assert len(RunStore().list("transfer")) == 1


def finished_job(configs, race: bool) -> str:
    """A transfer job on a tiny shipped checkpoint, finished in a worker; its id."""
    import pandas as pd

    from plm_core.jobs import JobStatus, get_service
    from plm_core.transfer import split_from_frames
    from plm_core.transfer.jobs import TransferJob

    texts = [f"good fine film {i}" for i in range(8)] + [f"bad dull film {i}" for i in range(8)]
    df = pd.DataFrame({"text": texts, "label": ["pos"] * 8 + ["neg"] * 8})
    job = TransferJob(tuple(configs), split=split_from_frames(df, df), race=race)
    snap = get_service().wait(get_service().submit("transfer", job), timeout=240)
    assert snap.status is JobStatus.DONE, snap.error
    return snap.job_id


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_result_card_and_race_summary_render(lang):
    from plm_core.transfer import TrainConfig

    base = TrainConfig.of(backbone="tiny-bert-mlm", epochs=2, batch_size=4, max_length=12)
    single = finished_job([base.with_(mode="frozen", pooling="mix")], race=False)
    race = finished_job([base.with_(mode="frozen"), base.with_(mode="gradual")], race=True)
    at = open_page("app_pages/transfer_lab.py", lang)
    at.session_state["job:transfer-single"] = single
    at.session_state["job:transfer-race"] = race
    at.run()
    assert not at.exception and not at.error
    assert len(at.metric) == 5  # accuracy, F1, parameters, time, memory
    single_tables, single_charts = len(at.dataframe), len(at.get("plotly_chart"))
    at.session_state["transfer.tab"] = "race"  # only the open tab runs: open the race's
    at.run()
    assert not at.exception and not at.error
    assert single_tables + len(at.dataframe) == 2  # the single run's surgery table, the race's comparison table
    assert single_charts + len(at.get("plotly_chart")) >= 6  # two curve pairs, confusion, layer weights, drift


def test_a_reload_reattaches_to_the_browsers_job():
    """The job belongs to the browser's secret id (its cookie), not to the page view: a new session with it sees
    the job."""
    from plm_core.jobs import get_service
    from plm_core.transfer import TrainConfig

    base = TrainConfig.of(backbone="tiny-bert-mlm", epochs=1, batch_size=4, max_length=12)
    job_id = finished_job([base.with_(mode="frozen"), base.with_(mode="finetune")], race=True)
    owner = "0123456789abcdef"
    mine = get_service().submit("transfer", get_service().snapshot(job_id).config, owner=owner, slot="transfer-race")
    assert get_service().snapshot(mine).cached  # this browser's request, answered from the cache
    reloaded = AppTest.from_file(APP, default_timeout=60)
    reloaded.query_params["lang"] = "en"
    reloaded.session_state["owner"] = owner  # what ui.jobs.owner_id reads from the browser's cookie
    reloaded.run()
    reloaded.switch_page("app_pages/transfer_lab.py")
    reloaded.query_params.update({"lang": "en", "tab": "race"})  # the URL holds the open tab too
    reloaded.run()
    assert not reloaded.exception and not reloaded.error
    assert reloaded.session_state["job:transfer-race"] == get_service().latest(owner, "transfer-race")
    assert len(reloaded.dataframe) == 1  # the race's comparison table, without starting anything
    fresh = open_page("app_pages/transfer_lab.py", "en")  # another browser: nothing of it
    fresh.session_state["transfer.tab"] = "race"
    fresh.run()
    assert not fresh.dataframe


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_result_card_with_a_not_saved_warning_when_the_runs_db_is_unusable(lang, tmp_path, monkeypatch):
    from plm_core.jobs import get_service
    from plm_core.transfer import TrainConfig

    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path))  # a directory: no database can be opened there
    base = TrainConfig.of(backbone="tiny-bert-mlm", epochs=1, batch_size=4, max_length=12,
                          seed=7 if lang == "en" else 8)
    job_id = finished_job([base.with_(mode="frozen")], race=False)
    deadline = time.monotonic() + 10
    while get_service().snapshot(job_id).save_error is None and time.monotonic() < deadline:
        time.sleep(0.05)
    at = open_page("app_pages/transfer_lab.py", lang)
    at.session_state["job:transfer-single"] = job_id
    at.run()
    assert not at.exception and not at.error
    assert len(at.metric) == 5  # the whole result card is there
    warning = " ".join(w.value for w in at.warning)
    said = ("Not saved",) if lang == "en" else ("저장되지 않음", "저장하지 못했습니다")
    assert any(word in warning for word in said), warning
