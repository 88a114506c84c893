"""`python -m plm_core fewshot`: the JSON contract, on tiny models, and the runs store."""

import json

import pandas as pd
import pytest

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.cli import main


@pytest.fixture()
def tiny_models(monkeypatch):
    models = {"minilm-l6": tiny_random_backbone("encoder"), "smollm2-135m": tiny_random_backbone("decoder")}
    monkeypatch.setattr("plm_core.backbones.load_backbone", lambda name, **kw: models[name])
    return models


@pytest.fixture()
def csv_path(tmp_path):
    rows = [(f"good fun film {i}", "positive") for i in range(40)]
    rows += [(f"dull bad film {i}", "negative") for i in range(40)]
    path = tmp_path / "mini.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    return str(path)


def test_cli_prints_one_json_object(tiny_models, csv_path, capsys) -> None:
    code = main(["fewshot", "--data", csv_path, "--methods", "similarity,prompt", "--shots", "0,1,2",
                 "--seeds", "2", "--test-limit", "10", "--json", "--quiet", "--no-save"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["n_test"] == 10 and payload["labels"] == ["negative", "positive"] and payload["seeds"] == 2
    assert set(payload["methods"]) == {"similarity", "prompt"}
    assert list(payload["methods"]["similarity"]["points"]) == ["0"]
    prompt = payload["methods"]["prompt"]["points"]
    assert list(prompt) == ["0", "1", "2"]
    for point in prompt.values():
        assert len(point["values"]) == 2 and point["seeds"] == [0, 1]
        assert point["mean"] == pytest.approx(sum(point["values"]) / 2, abs=1e-3)
        assert 0 <= point["std"] <= 0.5 and {"macro_f1_mean", "macro_f1_std", "macro_f1_values"} <= set(point)


def test_cli_refuses_unknown_methods(tiny_models, csv_path, capsys) -> None:
    assert main(["fewshot", "--data", csv_path, "--methods", "telepathy", "--json"]) == 2
    assert "telepathy" in capsys.readouterr().err


def test_finished_curves_go_into_the_runs_store(tiny_models, csv_path, tmp_path, monkeypatch, capsys) -> None:
    pytest.importorskip("plm_core.runs")
    from plm_core.runs import RunStore

    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(tmp_path / "runs.sqlite"))
    assert main(["fewshot", "--data", csv_path, "--methods", "similarity", "--shots", "0", "--seeds", "1",
                 "--test-limit", "10", "--json", "--quiet"]) == 0
    payload = json.loads(capsys.readouterr().out)
    runs = RunStore().list("fewshot")
    assert len(runs) == 1 and int(runs["id"].iloc[0]) == payload["run_id"]
