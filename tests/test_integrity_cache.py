"""Verified caches: `prepare` records size + sha256, finds a truncated model and rebuilds it; loaders name the fix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from safetensors.torch import save_file

from plm_core import prepare
from plm_core.errors import PLMError


def fake_convert(out: Path) -> None:
    """Stands in for the SmolLM2 conversion: a tiny safetensors model folder."""
    out.mkdir(parents=True)
    save_file({"w": torch.arange(4096, dtype=torch.float32).reshape(64, 64)}, str(out / "model.safetensors"))
    (out / "config.json").write_text(json.dumps({"model_type": "llama"}), encoding="utf-8")


def fake_data(out: Path) -> None:
    out.write_text("1\t2.5\ta fine film\n", encoding="utf-8")


@pytest.fixture()
def fake_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PLM_LAB_CACHE", str(tmp_path / "cache"))
    model, data = tmp_path / "cache" / "models" / "fake", tmp_path / "cache" / "data" / "fake.txt"
    data.parent.mkdir(parents=True)
    calls: list[str] = []

    def counted(fn, name):
        def run(out: Path) -> None:
            calls.append(name)
            fn(out)
        return run

    monkeypatch.setattr(prepare, "steps", lambda: [("fake model", model, counted(fake_convert, "model")),
                                                   ("fake data", data, counted(fake_data, "data"))])
    return model, data, calls


def truncate(path: Path, keep: int) -> None:
    path.write_bytes(path.read_bytes()[:keep])


def test_prepare_records_and_then_verifies(fake_cache) -> None:
    model, data, calls = fake_cache
    log: list[str] = []
    prepare.prepare_all(log.append)
    assert calls == ["model", "data"]
    manifest = json.loads((model / prepare.FOLDER_MANIFEST).read_text())["files"]
    assert set(manifest) == {"model.safetensors", "config.json"}
    assert manifest["model.safetensors"]["size"] == (model / "model.safetensors").stat().st_size
    assert len(manifest["model.safetensors"]["sha256"]) == 64
    log.clear()
    prepare.prepare_all(log.append)
    assert calls == ["model", "data"] and all(line.startswith("ok") and "verified" in line for line in log)


def test_prepare_repairs_a_truncated_model(fake_cache) -> None:
    model, _, calls = fake_cache
    prepare.prepare_all(lambda _: None)
    good = (model / "model.safetensors").read_bytes()
    truncate(model / "model.safetensors", 1000)
    log: list[str] = []
    prepare.prepare_all(log.append)
    assert calls == ["model", "data", "model"]
    assert any(line.startswith("fix") and "model.safetensors" in line for line in log)
    assert (model / "model.safetensors").read_bytes() == good
    assert prepare.check_target(model) is None


def test_prepare_repairs_a_same_size_corruption_by_checksum(fake_cache) -> None:
    _, data, calls = fake_cache
    prepare.prepare_all(lambda _: None)
    data.write_text("1\t2.5\ta vile film\n", encoding="utf-8")  # same size, other bytes
    prepare.prepare_all(lambda _: None)
    assert calls == ["model", "data", "data"] and "fine" in data.read_text()


def test_a_truncated_cache_without_manifest_is_rebuilt(fake_cache) -> None:
    """Caches prepared before manifests existed: the safetensors header tells the truncation."""
    model, _, calls = fake_cache
    fake_convert(model)
    truncate(model / "model.safetensors", 1000)
    prepare.prepare_all(lambda _: None)
    assert calls == ["model", "data"] and prepare.check_target(model) is None


def test_loader_names_the_repair_command(tmp_path, monkeypatch) -> None:
    from plm_core.backbones import load_backbone

    folder = tmp_path / "smollm"
    fake_convert(folder)
    prepare.record_manifest(folder)
    truncate(folder / "model.safetensors", 1000)
    monkeypatch.setenv("PLM_LAB_SMOLLM_DIR", str(folder))
    with pytest.raises(PLMError) as err:
        load_backbone("smollm2-135m")
    assert err.value.key == "prepare.err.damaged"
    assert "python -m plm_core prepare" in str(err.value) and "model.safetensors" in str(err.value)
    assert "python -m plm_core prepare" in err.value.message("ko")


def test_loader_names_the_repair_command_without_manifest(tmp_path, monkeypatch) -> None:
    from plm_core.backbones import load_backbone

    folder = tmp_path / "smollm"
    fake_convert(folder)
    truncate(folder / "model.safetensors", 1000)
    monkeypatch.setenv("PLM_LAB_SMOLLM_DIR", str(folder))
    with pytest.raises(PLMError) as err:
        load_backbone("smollm2-135m")
    assert err.value.key == "prepare.err.damaged" and "python -m plm_core prepare" in str(err.value)


def test_a_damaged_data_file_names_the_repair_command(tmp_path, monkeypatch) -> None:
    from plm_core.data import wiki_summaries

    monkeypatch.setenv("PLM_LAB_CACHE", str(tmp_path))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "summaries_en-us.json").write_text('{"A": {"title": "A", "ext', encoding="utf-8")
    with pytest.raises(PLMError) as err:
        wiki_summaries()
    assert err.value.key == "prepare.err.damaged" and "python -m plm_core prepare" in str(err.value)
