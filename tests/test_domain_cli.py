"""`python -m plm_core domain fit|compare`: one JSON object with the fit numbers; a bad CSV is a clear error."""

from __future__ import annotations

import json

from plm_core.cli import main


def write_csv(path, header: str, n: int) -> str:
    path.write_text(header + "\n" + "\n".join(f"the film number {i} was good" for i in range(n)), encoding="utf-8")
    return str(path)


def test_fit_prints_the_numbers_as_json(tmp_path, capsys, one_torch_thread, private_stores) -> None:
    csv = write_csv(tmp_path / "films.csv", "text", 30)
    assert main(["domain", "fit", "--backbone", "tiny-bert-mlm", "--data", csv, "--n-texts", "6", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["backbone"] == "tiny-bert-mlm" and out["reference"] == "own" and out["perplexity_kind"] == "pseudo"
    target, reference = out["fit"]
    assert target["side"] == "target" and target["texts"] == 6 and target["perplexity"] > 1
    assert reference["side"] == "reference" and 0 <= out["overlap"]["in_corpus"] <= 1


def test_a_csv_without_a_text_column_is_an_error(tmp_path, capsys) -> None:
    csv = write_csv(tmp_path / "films.csv", "review", 30)
    assert main(["domain", "fit", "--data", csv, "--json"]) == 2
    assert "text" in capsys.readouterr().err
