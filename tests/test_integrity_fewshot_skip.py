"""A few-shot method that none of the chosen K suits is listed as skipped, with why (it was silently dropped)."""

import json

import pandas as pd
import pytest

from fewshot_helpers import toy_set
from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.cli import main
from plm_core.errors import PLMError
from plm_core.fewshot.curves import CurveConfig, run_curves
from plm_core.fewshot.methods import Method, Outcome, make_task


class FlatMethod(Method):
    def __init__(self, name: str, kind: str) -> None:
        self.name, self.kind = name, kind

    def run(self, train_k, task, seed):
        return Outcome(0.5, 0.5)


@pytest.fixture()
def flat_methods(monkeypatch):
    methods = {"similarity": FlatMethod("similarity", "zero"), "frozen": FlatMethod("frozen", "train")}
    monkeypatch.setattr("plm_core.fewshot.curves.build_method", lambda name, backbone, **kw: methods[name])
    return methods


def test_similarity_without_k0_is_listed_as_skipped(flat_methods) -> None:
    config = CurveConfig(data="toy", methods=("similarity", "frozen"), shots=(1, 2), seeds=2,
                         backbones={"similarity": "x", "frozen": "x"})
    result = run_curves(config, make_task(toy_set(), test_limit=None), load=lambda name: None)
    assert set(result.frame()["method"]) == {"frozen"}
    (skip,) = result.skipped
    assert (skip.method, skip.k, skip.key) == ("similarity", 1, "fewshot.skip.no_k.zero")
    assert "K = 0 only" in str(PLMError(skip.key, **skip.params)) and "1, 2" in str(PLMError(skip.key, **skip.params))
    assert "K = 0" in PLMError(skip.key, **skip.params).message("ko")


def test_frozen_with_k0_only_is_listed_as_skipped(flat_methods) -> None:
    config = CurveConfig(data="toy", methods=("similarity", "frozen"), shots=(0,), seeds=2,
                         backbones={"similarity": "x", "frozen": "x"})
    result = run_curves(config, make_task(toy_set(), test_limit=None), load=lambda name: None)
    assert set(result.frame()["method"]) == {"similarity"}
    assert [(s.method, s.key) for s in result.skipped] == [("frozen", "fewshot.skip.no_k.train")]


def test_cli_similarity_with_shots_1_2_says_why_there_is_no_point(monkeypatch, tmp_path, capsys) -> None:
    """`fewshot --methods similarity --shots 1,2` printed "no point at all: -" (no reason)."""
    monkeypatch.setattr("plm_core.backbones.load_backbone", lambda name, **kw: tiny_random_backbone("encoder"))
    rows = [(f"good fun film {i}", "positive") for i in range(20)] + [(f"dull film {i}", "negative") for i in range(20)]
    path = tmp_path / "mini.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    code = main(["fewshot", "--data", str(path), "--methods", "similarity", "--shots", "1,2", "--seeds", "1",
                 "--test-limit", "6", "--json", "--quiet", "--no-save"])
    err = capsys.readouterr().err
    assert code == 2 and "similarity K=1" in err and "K = 0 only" in err, err
    assert not json.dumps(err).count("Traceback")
