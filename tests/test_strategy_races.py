"""Honest comparisons and data-driven lengths: races over seeds (mean ± sd, seed noise), max_length auto,
the CLI's --strategy / --groups / --seeds, SetFit as a job kind."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from plm_core.backbones.tiny import tiny_random_backbone
from plm_core.cli import main
from plm_core.transfer import TrainConfig, split_from_frames, train
from plm_core.transfer.api import TrainResult
from plm_core.transfer.lengths import choose_max_length, length_report
from plm_core.transfer.race import run_race, seed_table

pytestmark = pytest.mark.usefixtures("private_stores")

WORDS = "the film was a long slow and thoughtful story about two brothers who travel far".split()


@pytest.fixture(scope="module")
def encoder():
    return tiny_random_backbone("encoder", seed=1)


def long_frames(n: int = 40) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Texts of 5 .. 200 words (a long tail), two labels."""
    rng = np.random.default_rng(0)
    sizes = np.concatenate([rng.integers(5, 60, n - 4), [120, 150, 180, 200]])
    texts = [" ".join(rng.choice(WORDS, int(s))) + (" good" if i % 2 else " bad") for i, s in enumerate(sizes)]
    df = pd.DataFrame({"text": texts, "label": ["pos" if i % 2 else "neg" for i in range(n)]})
    return df.iloc[: n - 10], df.iloc[n - 10 :]


def test_auto_max_length_covers_95_percent_and_reports_the_cut(encoder):
    train_df, test_df = long_frames()
    result = train(TrainConfig.of(backbone="tiny", strategy="frozen", epochs=1), train_df, test_df, backbone=encoder)
    lengths = result.lengths
    assert lengths["auto"] and result.config["max_length"] == lengths["max_length"]
    assert lengths["covered"] >= 0.95 and lengths["max_length"] % 8 == 0
    assert lengths["cut"] >= 1 and lengths["n"] == len(train_df) + len(test_df)
    assert any(key == "transfer.length_cut" for key, _ in result.notices)
    fixed = train(TrainConfig.of(backbone="tiny", strategy="frozen", epochs=1, max_length=16), train_df, test_df,
                  backbone=encoder)
    assert not fixed.lengths["auto"] and fixed.lengths["covered"] < 0.5  # 64-style fixed lengths cut most


def test_choose_max_length_is_capped_by_model_and_budget():
    lengths = list(range(1, 101))  # 95th percentile ~ 95.05 -> 96
    assert choose_max_length(lengths, limit=512, budget=256) == 96
    assert choose_max_length(lengths, limit=64, budget=256) == 64
    assert choose_max_length(lengths, limit=512, budget=40) == 40
    report = length_report(lengths, [200], 96, True, 256, 512)
    assert report.cut == 5 and report.covered == pytest.approx(0.96)


def fake(acc: float, trainable: int = 10) -> TrainResult:
    return TrainResult(acc, acc, [], [], [], trainable, 1000, 1.0, 10.0, None, None, [])


def test_seed_table_means_sds_and_the_noise_note():
    labels = ["a"] * 3 + ["b"] * 3 + ["c"] * 3
    accs = [0.80, 0.82, 0.84, 0.79, 0.81, 0.83, 0.60, 0.61, 0.62]
    table = seed_table(labels, [fake(a) for a in accs]).set_index("strategy")
    assert table.loc["a", "accuracy_mean"] == pytest.approx(0.82)
    assert table.loc["a", "accuracy_sd"] == pytest.approx(np.std([0.80, 0.82, 0.84], ddof=1))
    assert table.loc["a", "best"] and not table.loc["a", "within_noise"]
    assert table.loc["b", "within_noise"] and not table.loc["c", "within_noise"]
    one = seed_table(["a", "b"], [fake(0.8), fake(0.79)])
    assert not one["within_noise"].any()  # one seed: no interval, so no claim either way


def test_a_race_over_seeds_runs_every_strategy_per_seed(encoder):
    train_df, test_df = long_frames()
    split = split_from_frames(train_df, test_df)
    base = TrainConfig.of(backbone="tiny", epochs=1, batch_size=8, max_length=16, lr_body=1e-3)
    configs = [base.with_(strategy="frozen"), base.with_(strategy="bitfit"), base.with_(strategy="lora", lora_rank=2)]
    race = run_race(configs, split, encoder, seeds=2)
    assert race.labels == ["frozen"] * 2 + ["bitfit"] * 2 + ["lora r=2"] * 2
    assert [r.config["seed"] for r in race.results] == [0, 1] * 3
    table = race.seed_table()
    assert list(table["strategy"]) == ["frozen", "bitfit", "lora r=2"] and set(table["seeds"]) == {2}
    shares = table.set_index("strategy")["trainable_share"]
    assert shares["lora r=2"] < shares["bitfit"] or shares["lora r=2"] < 0.5


def test_cli_strategy_groups_and_length_report(tmp_path, capsys):
    rows = ["text,label"] + [f"{' '.join(['a lovely warm film'] * (1 + i % 9))} {i},pos" for i in range(20)] + \
           [f"{' '.join(['a dull cold film'] * (1 + i % 9))} {i},neg" for i in range(20)]
    csv = tmp_path / "long.csv"
    csv.write_text("\n".join(rows), encoding="utf-8")
    code = main(["train", "--backbone", "tiny-bert-mlm", "--strategy", "lora", "--lora-rank", "2",
                 "--groups", "head:x2", "--data", str(csv), "--n", "24", "--epochs", "1", "--schedule", "cosine",
                 "--json", "--no-save"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 0 and summary["strategy"] == "lora" and summary["groups"] == "head:x2"
    assert summary["schedule"] == "cosine" and summary["lengths"]["covered"] >= 0.95
    rows = {r["name"]: r for r in summary["param_groups"]}
    assert rows["layer.0"]["lora_rank"] == 2 and rows["layer.0"]["status"] == "partial"
    code = main(["race", "--backbone", "tiny-bert-mlm", "--strategies", "frozen,bitfit", "--seeds", "2",
                 "--data", str(csv), "--n", "24", "--epochs", "1", "--json", "--no-save"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and len(out["runs"]) == 4 and [r["seeds"] for r in out["strategies"]] == [2, 2]


@pytest.mark.slow
def test_setfit_job_makes_pairs_and_maps(encoder, private_stores):
    from plm_core.jobs import compute
    from plm_core.transfer.setfit import SetFitConfig, SetFitJob

    pos = ["a good and lovely film", "great acting, a joy", "wonderful, moving and funny", "superb and warm"]
    neg = ["a bad and dull film", "terrible acting, a bore", "awful, tedious and long", "boring and cold"]
    df = pd.DataFrame({"text": pos + neg, "label": ["pos"] * 4 + ["neg"] * 4})
    job = SetFitJob(SetFitConfig(backbone="tiny-bert-mlm", num_iterations=2, batch_size=4, max_length=16),
                    split=split_from_frames(df, df))
    result = compute("setfit", job)
    assert result.n_pairs == 2 * 2 * len(df) and 0 < result.n_positive < result.n_pairs
    kinds = {p["kind"] for p in result.pairs}
    assert kinds == {"positive", "negative"}
    for p in result.pairs:
        assert (p["label_a"] == p["label_b"]) == (p["kind"] == "positive")
    assert len(result.map_before) == len(result.map_after) == 2 * len(df)
    assert result.map_before != result.map_after  # the encoder moved
    assert 0.0 <= result.test_accuracy <= 1.0 and result.steps
    from plm_core.runs import RunStore
    from plm_core.transfer.setfit import store_setfit

    (run_id,) = store_setfit(job, result)  # the store hook the service runs after the result is shown
    stored = RunStore().get(run_id)
    assert stored["kind"] == "setfit" and stored["config"]["mode"] == "setfit"
    assert stored["config"]["per_class"] == 8 and stored["metrics"]["test_accuracy"] == result.test_accuracy
    assert stored["metrics"]["n_pairs"] == result.n_pairs and stored["curves"]["labels"] == result.labels
