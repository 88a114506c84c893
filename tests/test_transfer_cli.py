"""`python -m plm_core train|race`: JSON output, CSV input, and bad settings as messages, not tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from plm_core.cli import main

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = {"backbone", "mode", "data", "n_train", "n_test", "test_accuracy", "test_macro_f1", "trainable_params",
            "total_params", "train_seconds", "history"}


pytestmark = pytest.mark.usefixtures("private_stores")  # runs store + feature cache in tmp_path


@pytest.mark.parametrize("extra, words", [
    (["--mode", "finetune", "--n", "1"], "too few"),
    (["--mode", "finetune", "--n", "32", "--lr-body", "10"], "learning rate"),
    (["--mode", "finetune", "--n", "32", "--epochs", "0"], "Epochs"),
    (["--mode", "frozen", "--n", "32", "--test-limit", "0"], "test limit"),
])
def test_bad_settings_are_messages(extra, words, capsys):
    code = main(["train", "--backbone", "minilm-l6", "--data", "movie-snippets", *extra])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err


def test_k_larger_than_the_pool_is_a_message(capsys):
    code = main(["train", "--backbone", "glove-6b-50d", "--mode", "frozen", "--data", "korean-intents",
                 "--per-class", "200"])
    err = capsys.readouterr().err
    assert code == 2 and "per class" in err


def test_static_backbone_only_allows_frozen(capsys):
    code = main(["train", "--backbone", "glove-6b-50d", "--mode", "finetune", "--data", "movie-snippets", "--n", "8"])
    err = capsys.readouterr().err
    assert code == 2 and "frozen" in err


def test_race_needs_two_to_five(capsys):
    code = main(["race", "--backbone", "minilm-l6", "--modes", "frozen", "--data", "movie-snippets", "--n", "8"])
    assert code == 2 and "2" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_csv_frozen_glove_prints_json(tmp_path):
    rows = ["text,label"] + [f"a lovely warm film number {i},pos" for i in range(15)] + \
           [f"a dull cold film number {i},neg" for i in range(15)]
    csv = tmp_path / "mine.csv"
    csv.write_text("\n".join(rows), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "plm_core", "train", "--backbone", "glove-6b-50d", "--mode", "frozen",
                          "--data", str(csv), "--per-class", "5", "--json"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert REQUIRED <= set(summary)
    assert summary["n_train"] == 10 and summary["n_test"] == 6 and summary["mode"] == "frozen"
    assert summary["trainable_params"] == 51 * 2 and summary["test_accuracy"] >= 0.5
    assert summary["data"] == "mine.csv" and summary["run_id"] >= 1


@pytest.mark.slow
def test_cli_minilm_discriminative_prints_json(capsys):
    code = main(["train", "--backbone", "minilm-l6", "--mode", "discriminative", "--data", "movie-snippets",
                 "--n", "16", "--epochs", "1", "--test-limit", "32", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads(out)
    assert REQUIRED <= set(summary) and len(summary["history"]) == 1
    assert summary["n_train"] == 16 and summary["n_test"] == 32
    assert summary["trainable_params"] < summary["total_params"]  # the unused pooler stays out
