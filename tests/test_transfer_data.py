"""Features cache, probe, batching, metrics, splits and the runs store (fast; tiny models only)."""

from __future__ import annotations

import json
import multiprocessing as mp
import sqlite3
import threading

import numpy as np
import pandas as pd
import pytest
import torch

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.data import SampleSet, get_dataset
from plm_core.errors import PLMError
from plm_core.runs import RunStore
from plm_core.transfer import TrainConfig, extract_features, extract_layer_features, fit_probe, make_split, train
from plm_core.transfer.modules import pool_tokens
from plm_core.transfer.trainer import bucket_batches, classification_metrics, collate

TEXTS = ["a short one", "a much longer text with quite a few more words in it", "mid length text here", "x"]


pytestmark = pytest.mark.usefixtures("private_stores")  # runs store + feature cache in tmp_path


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=3)


# ---- features ---------------------------------------------------------------------------------------

def test_features_match_the_backbone_and_are_cached(encoder):
    first, hit = extract_layer_features(encoder, TEXTS, "mean", 32)
    assert not hit and first.shape == (4, encoder.n_layers + 1, 12)
    again, hit = extract_layer_features(encoder, TEXTS, "mean", 32)
    assert hit and np.array_equal(first, again)
    reference = encoder.embed(TEXTS, pooling="mean", layer=-1, max_length=32)  # the backbone's own path
    np.testing.assert_allclose(first[:, -1], reference, atol=1e-5)
    top = extract_features(encoder, TEXTS, "mean", layer=-1, max_length=32)
    assert top.shape == (4, 12) and np.array_equal(top, first[:, -1])
    assert extract_features(encoder, TEXTS, "mean", layer="all", max_length=32).shape == first.shape


def test_cache_key_separates_weights_pooling_and_length(encoder):
    base, _ = extract_layer_features(encoder, TEXTS, "mean", 32)
    other = tiny_random_backbone("encoder", seed=4)  # same name, other weights
    feats, hit = extract_layer_features(other, TEXTS, "mean", 32)
    assert not hit and not np.allclose(feats, base)
    assert not extract_layer_features(encoder, TEXTS, "first", 32)[1]
    assert not extract_layer_features(encoder, TEXTS, "mean", 8)[1]
    assert not extract_layer_features(encoder, TEXTS[::-1], "mean", 32)[1]


def test_second_frozen_run_reuses_features(encoder):
    df = pd.DataFrame({"text": TEXTS * 4, "label": ["a", "b"] * 8})
    cfg = TrainConfig.of(backbone="tiny", mode="frozen", epochs=1, max_length=32)
    first = train(cfg, df, df, backbone=encoder)
    second = train(cfg.with_(layer=0, pooling="mean"), df, df, backbone=encoder)  # other layer, same file
    assert first.timings["cache_hit"] is False and second.timings["cache_hit"] is True


def test_last_token_pooling_reads_the_last_real_token():
    states = torch.arange(2 * 4 * 3, dtype=torch.float32).reshape(2, 4, 3)  # (B, T, H)
    mask = torch.tensor([[1, 1, 0, 0], [1, 1, 1, 1]])
    last = pool_tokens(states, mask, "last")
    assert torch.equal(last[0], states[0, 1]) and torch.equal(last[1], states[1, 3])
    mean = pool_tokens(states, mask, "mean")
    assert torch.allclose(mean[0], states[0, :2].mean(0))
    stacked = pool_tokens(torch.stack([states, states * 2]), mask, "last")  # (L+1, B, H)
    assert torch.equal(stacked[1], last * 2)


def test_fit_probe_is_right():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 1000)
    X = rng.normal(size=(1000, 384)).astype(np.float32)
    X[:, :4] += 3.0 * y[:, None]  # four informative dimensions among 384
    y = np.where(y == 1, "pos", "neg")
    acc, f1, pred = fit_probe(X[:800], y[:800], X[800:], y[800:])  # its speed: bench/transfer.py
    assert acc > 0.9 and f1 > 0.9 and pred.shape == (200,)


# ---- batching and metrics -----------------------------------------------------------------------------

def test_bucketed_batches_cover_everything_once_with_little_padding():
    lengths = list(np.random.default_rng(0).integers(3, 60, size=300))
    batches = bucket_batches(lengths, 16, np.random.default_rng(1))
    flat = np.concatenate(batches)
    assert sorted(flat.tolist()) == list(range(300))
    padded = sum(len(b) * max(lengths[i] for i in b) for b in batches)
    naive = sum(len(b) * max(lengths[i] for i in b) for b in np.array_split(np.arange(300), 19))
    assert padded < 0.8 * naive
    assert [b.tolist() for b in batches] == [b.tolist() for b in bucket_batches(lengths, 16, np.random.default_rng(1))]


def test_collate_pads_to_the_longest_in_the_batch():
    ids, mask = collate([[5, 6, 7], [8]], pad_id=0)
    assert ids.tolist() == [[5, 6, 7], [8, 0, 0]] and mask.tolist() == [[1, 1, 1], [1, 0, 0]]


def test_metrics_match_sklearn():
    from sklearn.metrics import confusion_matrix, f1_score

    rng = np.random.default_rng(0)
    y, p = rng.integers(0, 4, 200), rng.integers(0, 4, 200)
    m = classification_metrics(y, p, 4)
    assert m["macro_f1"] == pytest.approx(f1_score(y, p, average="macro"))
    assert m["confusion"] == confusion_matrix(y, p, labels=range(4)).tolist()


# ---- splits ---------------------------------------------------------------------------------------------

def small_set() -> SampleSet:
    pool = pd.DataFrame({"text": [f"t{i}" for i in range(40)], "label": ["a", "b"] * 20})
    test = pd.DataFrame({"text": [f"u{i}" for i in range(10)], "label": ["a"] * 5 + ["b"] * 5})
    from plm_core.data import DatasetInfo

    info = DatasetInfo("toy", "toy", "classification", "en", "", "", "", "", 0.2)
    return SampleSet(info, pool, test)


def test_make_split_n_k_and_test_limit():
    ds = small_set()
    s = make_split(ds, n=10, seed=1, test_limit=4)
    assert len(s.train) == 10 and len(s.test) == 4 and s.labels == ["a", "b"]
    assert make_split(ds, n=10, seed=1).train.equals(s.train)
    s = make_split(ds, per_class=3, seed=1)
    assert s.train["label"].value_counts().to_dict() == {"a": 3, "b": 3} and len(s.test) == 10
    limited = make_split(ds, n=10, test_limit=6).test
    assert set(limited["label"]) == {"a", "b"}  # a fixed shuffle, not the label-grouped file order
    assert limited.equals(make_split(ds, n=20, seed=9, test_limit=6).test)  # same for every run


@pytest.mark.parametrize("kw, key", [
    (dict(n=1), "transfer.err.too_few_examples"),
    (dict(per_class=100), "data.err.too_few_per_class"),
    (dict(n=1000), "data.err.n_too_large"),
    (dict(n=5, per_class=2), "transfer.err.n_or_k"),
    (dict(), "transfer.err.n_or_k"),
    (dict(n=10, test_limit=0), "transfer.err.bad_test_limit"),
])
def test_bad_split_settings(kw, key):
    with pytest.raises(PLMError) as info:
        make_split(small_set(), **kw)
    assert info.value.key == key


def test_movie_snippets_split_is_balanced_enough():
    s = make_split(get_dataset("movie-snippets"), n=256, seed=0, test_limit=200)
    counts = s.test["label"].value_counts()
    assert counts.min() > 60 and len(s.train) == 256


# ---- runs store ---------------------------------------------------------------------------------------------

def test_runs_store_roundtrip(tmp_path):
    store = RunStore(tmp_path / "r.sqlite")
    run_id = store.save("transfer", {"backbone": "b", "mode": "frozen"}, {"test_accuracy": 0.8, "bad": float("nan")},
                        {"history": [{"epoch": 1, "loss": np.float32(0.5)}]}, {"train_seconds": 1.5})
    row = store.get(run_id)
    from plm_core import __version__

    assert row["app_version"] == __version__ and row["created_at"]
    assert row["metrics"] == {"test_accuracy": 0.8, "bad": None}
    assert row["curves"]["history"][0]["loss"] == 0.5
    table = store.list("transfer")
    assert table.loc[0, "backbone"] == "b" and table.loc[0, "test_accuracy"] == 0.8
    assert store.list("fewshot").empty
    assert json.loads(store.export_json([run_id]))[0]["config"]["mode"] == "frozen"
    assert "test_accuracy" in store.export_csv([run_id]).splitlines()[0]
    assert RunStore(tmp_path / "r.sqlite").count() == 1  # survives a new store object (a restart)
    assert store.delete([run_id]) == 1 and store.count() == 0
    with pytest.raises(PLMError):
        store.get(run_id)
    with sqlite3.connect(tmp_path / "r.sqlite") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def _write_many(path: str, worker: int, n: int) -> None:
    store = RunStore(path)
    for i in range(n):
        store.save("transfer", {"worker": worker, "i": i}, {"test_accuracy": i / n}, {"history": [1] * 50}, {})


def test_runs_store_survives_concurrent_writers(tmp_path):
    path = str(tmp_path / "busy.sqlite")
    RunStore(path)
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(path, w, 25)) for w in range(3)]
    threads = [threading.Thread(target=_write_many, args=(path, 10 + w, 25)) for w in range(3)]
    for job in procs + threads:
        job.start()
    for job in procs + threads:
        job.join(timeout=120)
    assert all(p.exitcode == 0 for p in procs)
    store = RunStore(path)
    table = store.list()
    assert len(table) == 150
    assert table.groupby("worker")["i"].nunique().to_dict() == {w: 25 for w in (0, 1, 2, 10, 11, 12)}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
