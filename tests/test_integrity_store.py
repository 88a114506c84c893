"""A failed store never loses a result: RunNotSaved with a clear reason; the CLI prints the JSON, then exits 3."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest

from plm_core.cli import main
from plm_core.errors import PLMError
from plm_core.i18n import t
from plm_core.runs import EXIT_NOT_SAVED, RunNotSaved, RunStore, save_run

RECORD = dict(config={"backbone": "x"}, metrics={"test_accuracy": 0.5}, curves={}, timings={"train_seconds": 1.0})


def directory_db(tmp_path: Path) -> Path:
    path = tmp_path / "runs.sqlite"
    path.mkdir()
    return path


def corrupt_db(tmp_path: Path) -> Path:
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"this is not a database at all\n" * 200)
    return path


def under_a_file(tmp_path: Path) -> Path:
    (tmp_path / "plain").write_text("I am a file")
    return tmp_path / "plain" / "runs.sqlite"


@pytest.mark.parametrize("make, reason", [(directory_db, "directory"), (corrupt_db, "corrupt"),
                                          (under_a_file, "parent_file")])
def test_bad_database_is_run_not_saved(tmp_path, make, reason) -> None:
    path = make(tmp_path)
    with pytest.raises(RunNotSaved) as info:
        save_run("transfer", **RECORD, store=path)
    err = info.value
    assert isinstance(err, PLMError) and err.reason == reason and err.key == f"runs.err.not_saved.{reason}"
    assert str(path) in str(err) and "copy or export" in str(err)
    assert "저장하지 못했습니다" in err.message("ko")


def test_read_only_database_is_run_not_saved(tmp_path, monkeypatch) -> None:
    """A real read-only SQLite connection (query_only works for root too, where chmod does not)."""
    store = RunStore(tmp_path / "runs.sqlite")
    real = sqlite3.connect

    def read_only(*args, **kwargs):
        conn = real(*args, **kwargs)
        conn.execute("PRAGMA query_only=1")
        return conn

    monkeypatch.setattr(sqlite3, "connect", read_only)
    with pytest.raises(RunNotSaved) as info:
        store.save("transfer", **RECORD)
    assert info.value.reason == "readonly" and "read-only" in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0444")
def test_chmod_read_only_database_is_run_not_saved(tmp_path) -> None:
    path = tmp_path / "runs.sqlite"
    RunStore(path)
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(RunNotSaved):
            save_run("transfer", **RECORD, store=path)
    finally:
        tmp_path.chmod(0o755)


def test_full_disk_is_run_not_saved(tmp_path, monkeypatch) -> None:
    """SQLite's own "database or disk is full", from a page limit at the current size."""
    store = RunStore(tmp_path / "runs.sqlite")
    real = sqlite3.connect

    def full(*args, **kwargs):
        conn = real(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count={pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", full)
    with pytest.raises(RunNotSaved) as info:
        store.save("transfer", **{**RECORD, "curves": {"big": "x" * 100_000}})
    assert info.value.reason == "disk_full" and "full" in str(info.value)


def test_every_not_saved_message_exists_in_both_languages() -> None:
    from plm_core.runs import NOT_SAVED_REASONS

    for reason in NOT_SAVED_REASONS:
        key = f"runs.err.not_saved.{reason}"
        for lang in ("en", "ko"):
            assert t(key, lang, path="p", detail="d") != key


def test_a_good_database_still_saves(tmp_path) -> None:
    run_id = save_run("transfer", **RECORD, store=tmp_path / "runs.sqlite")
    assert RunStore(tmp_path / "runs.sqlite").get(run_id)["metrics"]["test_accuracy"] == 0.5


@pytest.fixture()
def mini_csv(tmp_path) -> str:
    rows = ["text,label"] + [f"a lovely warm film number {i},pos" for i in range(15)] + \
           [f"a dull cold film number {i},neg" for i in range(15)]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("make", [directory_db, corrupt_db])
def test_train_json_prints_the_result_then_exits_3(tmp_path, monkeypatch, capsys, mini_csv, make) -> None:
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(make(tmp_path)))
    monkeypatch.setenv("PLM_LAB_FEATURES_DIR", str(tmp_path / "features"))
    code = main(["train", "--backbone", "tiny-bert-mlm", "--mode", "frozen", "--data", mini_csv, "--per-class", "5",
                 "--epochs", "1", "--json"])
    out, err = capsys.readouterr()
    assert code == EXIT_NOT_SAVED
    summary = json.loads(out)
    assert summary["n_train"] == 10 and summary["test_accuracy"] >= 0.5 and summary["run_id"] is None
    assert "Not saved" in summary["not_saved"]
    assert "Not saved" in err and "copy or export" in err and "Traceback" not in err


def test_fewshot_json_prints_the_result_then_exits_3(tmp_path, monkeypatch, capsys, mini_csv) -> None:
    from plm_core.backbones.tiny import tiny_random_backbone

    models = {"minilm-l6": tiny_random_backbone("encoder")}
    monkeypatch.setattr("plm_core.backbones.load_backbone", lambda name, **kw: models[name])
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(directory_db(tmp_path)))
    code = main(["fewshot", "--data", mini_csv, "--methods", "similarity", "--shots", "0", "--seeds", "1",
                 "--test-limit", "6", "--json", "--quiet"])
    out, err = capsys.readouterr()
    assert code == EXIT_NOT_SAVED
    payload = json.loads(out)
    assert payload["run_id"] is None and "similarity" in payload["methods"] and "Not saved" in payload["not_saved"]
    assert "folder" in err and "Traceback" not in err


def test_race_json_prints_every_racer_then_exits_3(tmp_path, monkeypatch, capsys, mini_csv) -> None:
    monkeypatch.setenv("PLM_LAB_RUNS_DB", str(under_a_file(tmp_path)))
    monkeypatch.setenv("PLM_LAB_FEATURES_DIR", str(tmp_path / "features"))
    code = main(["race", "--backbone", "tiny-bert-mlm", "--modes", "frozen,scratch", "--data", mini_csv,
                 "--per-class", "4", "--epochs", "1", "--json"])
    out, err = capsys.readouterr()
    assert code == EXIT_NOT_SAVED
    runs = json.loads(out)["runs"]
    assert [r["mode"] for r in runs] == ["frozen", "scratch"] and all(r["run_id"] is None for r in runs)
    assert "is a file" in err and "Traceback" not in err
