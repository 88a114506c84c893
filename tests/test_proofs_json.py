"""Every `--json` command of `python -m plm_core` prints one clean JSON object (or list) on stdout, on tiny settings:
whatever the run logs goes to stderr. (`proof NAME --json` for every card: tests/test_proofs.py.)"""

from __future__ import annotations

import json

import pytest

COMMANDS = {
    "backbones": ["backbones", "--json"],
    "datasets": ["datasets", "--json"],
    "proof-list": ["proof", "list", "--json"],
    "train": ["train", "--backbone", "tiny-gpt-clm", "--data", "movie-snippets", "--mode", "finetune", "--n", "24",
              "--test-limit", "20", "--epochs", "1", "--threads", "1", "--no-save", "--json"],
    "race": ["race", "--backbone", "tiny-gpt-clm", "--data", "movie-snippets", "--modes", "frozen,scratch", "--n", "24",
             "--test-limit", "20", "--epochs", "1", "--threads", "1", "--no-save", "--json"],
    "fewshot": ["fewshot", "--methods", "frozen", "--backbone", "frozen=tiny-gpt-clm", "--data", "movie-snippets",
                "--shots", "2", "--seeds", "1", "--test-limit", "20", "--no-save", "--json"],
    "domain-fit": ["domain", "fit", "--backbone", "tiny-bert-mlm", "--data", "movie-snippets", "--n-texts", "20",
                   "--json"],
}


@pytest.mark.slow
@pytest.mark.parametrize("name", list(COMMANDS))
def test_json_command_prints_one_object(name: str, private_stores, capsys, one_torch_thread) -> None:
    from plm_core.cli import main

    assert main(COMMANDS[name]) in (0, None)
    out = capsys.readouterr().out
    parsed = json.loads(out)  # the whole of stdout is one JSON value
    assert isinstance(parsed, dict | list) and parsed


@pytest.mark.slow
def test_matrix_json_is_one_object_with_cis_and_budgets(private_stores, capsys, one_torch_thread, monkeypatch) -> None:
    from plm_core.cli import main
    from plm_core.evidence import matrix

    monkeypatch.setattr(matrix, "TINY_MODELS", ("tiny-gpt-clm", "tiny-sgns"))
    monkeypatch.setattr(matrix.MatrixJob, "__init__", _small_job_init(matrix.MatrixJob.__init__))
    assert main(["matrix", "--seeds", "2", "--n", "24", "--test-limit", "20", "--epochs", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {b["model"] for b in out["budgets"]} == {"tiny-gpt-clm", "tiny-sgns"}
    assert all(b["tokens_seen"] > 0 for b in out["budgets"])
    row = next(r for r in out["summary"] if r["model"] == "tiny-gpt-clm" and r["init"] == "pretrained")
    assert row["low"] <= row["mean"] <= row["high"] and row["gain_low"] is not None
    assert "predictions" not in out["cells"][0]  # per-text predictions stay out of the JSON and the store


def _small_job_init(init):  # the CLI builds MatrixJob(seeds=..., ...) with every model: keep the corner
    def small(self, *args, **kwargs):
        kwargs.setdefault("models", ("tiny-gpt-clm", "tiny-sgns"))
        kwargs.setdefault("data", ("movie-snippets",))
        init(self, *args, **kwargs)
    return small
