"""The Runs page reads one page of runs and builds an export only when asked."""

from __future__ import annotations

import json

import pytest

from conftest import open_app_page
from plm_core.runs import RunStore

pytestmark = pytest.mark.usefixtures("private_stores")


def fill(n: int) -> RunStore:
    store = RunStore()
    for i in range(n):
        store.save("transfer", {"backbone": ("minilm-l6", "glove-6b-50d")[i % 2], "mode": "frozen",
                                "data": "movie-snippets", "n": 64, "seed": i},
                   {"test_accuracy": i / 100}, {"history": [{"epoch": 1, "test_accuracy": 0.5}]},
                   {"train_seconds": 1.0})
    return store


def test_store_pages_filters_and_distinct_values() -> None:
    store = fill(7)
    assert store.count() == 7 and store.count({"backbone": ["glove-6b-50d"]}) == 3
    page = store.page(2, 3)
    assert page["id"].tolist() == [5, 4, 3] and page["seed"].tolist() == [4, 3, 2]
    assert store.distinct("backbone") == ["glove-6b-50d", "minilm-l6"] and store.distinct("kind") == ["transfer"]
    assert store.ids({"backbone": ["minilm-l6"], "kind": ["transfer"]}) == [7, 5, 3, 1]
    assert store.export_csv([2, 1]).splitlines()[1].startswith("2,")
    assert [r["id"] for r in json.loads(store.export_json([2, 1]))] == [1, 2]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_runs_page_paginates_and_builds_the_export_on_request(lang) -> None:
    fill(60)
    at = open_app_page("app_pages/runs.py", lang)
    assert not at.exception and not at.error
    assert len(at.dataframe[0].value) == 50 and at.number_input(key="runs.page").value == 1
    assert not at.get("download_button")  # nothing exported until asked
    at.number_input(key="runs.page").set_value(2)
    at.session_state["lang"] = lang
    at.run()
    assert len(at.dataframe[0].value) == 10 and at.dataframe[0].value["id"].max() == 10
    at.button(key="runs-export-go").click()
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception and len(at.get("download_button")) == 2
    ids, csv, payload = at.session_state["runs-export"]
    assert len(ids) == 60 and len(json.loads(payload)) == 60 and len(csv.splitlines()) == 61
