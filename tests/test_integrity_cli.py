"""CLI input rules: seeds in 0..2**32-1, K and epochs that give no point, cut texts and duplicates counted."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from plm_core.cli import SEED_MAX, main

pytestmark = pytest.mark.usefixtures("private_stores")


@pytest.fixture()
def tiny_models(monkeypatch):
    from plm_core.backbones.tiny import tiny_random_backbone

    models = {"minilm-l6": tiny_random_backbone("encoder")}
    monkeypatch.setattr("plm_core.backbones.load_backbone", lambda name, **kw: models[name])
    return models


@pytest.fixture()
def long_csv(tmp_path) -> str:
    """30 rows, two of them over 2,000 characters, and one repeated row."""
    rows = [(f"a lovely warm film number {i}", "pos") for i in range(15)] + \
           [(f"a dull cold film number {i}", "neg") for i in range(15)]
    rows += [("lovely " * 400, "pos"), ("dull " * 500, "neg"), ("A  lovely warm film number 3", "pos")]
    path = tmp_path / "long.csv"
    pd.DataFrame(rows, columns=["text", "label"]).to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("command", ["train", "race", "pretrain"])
@pytest.mark.parametrize("seed", ["-1", "5000000000", "1.5", "abc"])
def test_bad_seeds_are_a_message_and_exit_2(command, seed, capsys) -> None:
    args = {"train": ["train", "--backbone", "tiny-bert-mlm", "--mode", "frozen", "--data", "movie-snippets",
                      "--n", "8"],
            "race": ["race", "--backbone", "tiny-bert-mlm", "--data", "movie-snippets", "--n", "8"],
            "pretrain": ["pretrain", "--objective", "mlm", "--steps", "1"]}[command]
    code = main([*args, "--seed", seed])
    err = capsys.readouterr().err
    assert code == 2 and "seed must be a whole number from 0 to 4294967295" in err and "Traceback" not in err


def test_the_largest_seed_is_accepted(long_csv, capsys) -> None:
    code = main(["train", "--backbone", "tiny-bert-mlm", "--mode", "frozen", "--data", long_csv, "--per-class", "4",
                 "--epochs", "1", "--seed", str(SEED_MAX), "--json", "--no-save"])
    assert code == 0 and json.loads(capsys.readouterr().out)["seed"] == SEED_MAX


def test_train_json_counts_cut_texts_and_duplicates(long_csv, capsys) -> None:
    code = main(["train", "--backbone", "tiny-bert-mlm", "--mode", "frozen", "--data", long_csv, "--per-class", "4",
                 "--epochs", "1", "--json", "--no-save"])
    out, err = capsys.readouterr()
    summary = json.loads(out)
    assert code == 0 and summary["texts_cut"] == 2 and summary["duplicates_removed"] == 1
    assert "2 text(s) were longer than 2000 characters" in err and "1 duplicate row(s)" in err


@pytest.mark.parametrize("extra, words", [
    (["--methods", "similarity", "--shots", "100000"], "K = 100000"),
    (["--methods", "similarity", "--shots", "0,2,100000"], "K = 100000"),
    (["--methods", "finetune", "--shots", "1", "--epochs", "0"], "epochs must be between 1 and"),
    (["--methods", "similarity", "--shots", "0", "--test-limit", "0"], "test limit"),
])
def test_fewshot_settings_without_points_are_errors(tiny_models, long_csv, extra, words, capsys) -> None:
    code = main(["fewshot", "--data", long_csv, *extra, "--json", "--quiet", "--no-save"])
    out, err = capsys.readouterr()
    assert code == 2 and words in err and "Empty DataFrame" not in out + err and "Traceback" not in err


def test_fewshot_json_counts_cut_texts_and_duplicates(tiny_models, long_csv, capsys) -> None:
    code = main(["fewshot", "--data", long_csv, "--methods", "similarity", "--shots", "0", "--test-limit", "6",
                 "--json", "--quiet", "--no-save"])
    out, err = capsys.readouterr()
    payload = json.loads(out)
    assert code == 0 and payload["texts_cut"] == 2 and payload["duplicates_removed"] == 1
    assert "were cut" in err


def test_datasets_json_reports_duplicates(capsys) -> None:
    assert main(["datasets", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["movie-snippets"]["duplicates_removed"] >= 2 and "texts_cut" in rows["wiki-topics"]
