"""The objective matrix: its plan, summary and heatmap table on fixed cells, storage in the runs store, and
a tiny corner of the grid run for real."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from plm_core.evidence.matrix import (
    MatrixCell,
    MatrixJob,
    MatrixResult,
    best_objective,
    heatmap_table,
    latest_matrix,
    plan,
    run_matrix,
    store_matrix,
    summarize_cells,
)


def cells() -> list[MatrixCell]:
    rows = []
    for seed, (a, b) in enumerate([(0.60, 0.50), (0.62, 0.52)]):
        rows += [MatrixCell("tiny-gpt-clm", "pretrained", "frozen", "movie-snippets", seed, a, a, 1.0),
                 MatrixCell("tiny-gpt-clm", "random", "frozen", "movie-snippets", seed, b, b, 1.0),
                 MatrixCell("tiny-bert-mlm", "pretrained", "frozen", "movie-snippets", seed, a - 0.05, a, 1.0),
                 MatrixCell("tiny-bert-mlm", "random", "frozen", "movie-snippets", seed, b, b, 1.0)]
    return rows


def test_plan_skips_fine_tuning_of_bodies_that_cannot_train() -> None:
    runs, skipped = plan(MatrixJob(seeds=3))
    assert set(skipped) == {("tiny-elmo-bilm", "finetune"), ("tiny-sgns", "finetune")}
    assert len(runs) == (5 * 2 + 3 * 2) * 2 * 3  # (frozen: 5 models, fine-tune: 3) x 2 data x 2 inits x 3 seeds
    assert ("tiny-bert-mlm", "random", "finetune", "wiki-topics", 2) in runs


def test_summary_mean_sd_and_gain_over_the_twin() -> None:
    summary = summarize_cells(pd.DataFrame([vars(c) for c in cells()]))
    gpt = summary[(summary["model"] == "tiny-gpt-clm") & (summary["init"] == "pretrained")].iloc[0]
    assert gpt["mean"] == pytest.approx(0.61) and gpt["sd"] == pytest.approx(np.std([0.6, 0.62], ddof=1))
    assert gpt["gain"] == pytest.approx(0.10) and gpt["n"] == 2
    assert best_objective(summary) == {"frozen · movie-snippets": "tiny-gpt-clm"}
    rows, cols, means, _ = heatmap_table(summary)
    assert rows[0] == "tiny-gpt-clm · pretrained" and cols == ["frozen · movie-snippets"]
    assert means[rows.index("tiny-bert-mlm · pretrained"), 0] == pytest.approx(0.56)


def test_stored_matrix_is_the_one_read_back(private_stores) -> None:
    assert latest_matrix() is None
    result = MatrixResult(MatrixJob(seeds=2), cells(), seconds=3.0)
    [run_id] = store_matrix(result.job, result)
    record, summary = latest_matrix()
    assert record["id"] == run_id and record["metrics"]["n_cells"] == 8
    assert len(summary) == 4 and set(summary["model"]) == {"tiny-gpt-clm", "tiny-bert-mlm"}
    gpt = summary[(summary["model"] == "tiny-gpt-clm") & (summary["init"] == "pretrained")].iloc[0]
    assert gpt["mean"] == pytest.approx(0.61) and gpt["gain"] == pytest.approx(0.10)


def test_a_stored_matrix_knows_when_a_checkpoint_changed(private_stores, monkeypatch) -> None:
    from plm_core.evidence import matrix
    from plm_core.pretrain import checkpoints

    result = MatrixResult(MatrixJob(seeds=2), cells(), seconds=3.0)
    store_matrix(result.job, result)
    record, _ = latest_matrix()
    shipped = checkpoints.card_fingerprints()
    assert record["metrics"]["checkpoints"] == {m: shipped[m] for m in result.job.models}
    assert matrix.stale_models(record) == []
    retrained = dict(shipped, **{"tiny-gpt-clm": "0" * 12})  # the GPT checkpoint retrained since
    monkeypatch.setattr(checkpoints, "card_fingerprints", lambda: retrained)
    assert matrix.stale_models(record) == ["tiny-gpt-clm"]
    del record["metrics"]["checkpoints"]  # a matrix stored before fingerprints: it cannot tell
    assert sorted(matrix.stale_models(record)) == ["tiny-bert-mlm", "tiny-gpt-clm"]


@pytest.mark.slow
def test_a_corner_of_the_grid_runs(private_stores, one_torch_thread) -> None:
    job = MatrixJob(models=("tiny-gpt-clm", "tiny-sgns"), data=("movie-snippets",), seeds=1, n=48,
                    test_limit=40, epochs=1)
    seen = []
    result = run_matrix(job, lambda cell, done, total: seen.append((done, total)))
    assert seen[-1] == (6, 6)  # gpt: frozen + fine-tune, sgns: frozen only; x 2 inits
    assert result.skipped == [("tiny-sgns", "finetune")]
    assert all(0.0 <= c.accuracy <= 1.0 for c in result.cells)
    twin = [c for c in result.cells if c.init == "random" and c.setting == "finetune"]
    assert len(twin) == 1  # fine-tuning the twin = training from scratch


def cells_with_predictions(pre_acc: float, twin_acc: float, seeds: int = 3, n: int = 200) -> list[MatrixCell]:
    """Fixed per-text predictions: the checkpoint right on pre_acc of the texts, its twin on twin_acc."""
    truth = np.arange(n) % 2
    rows = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        for init, acc in (("pretrained", pre_acc), ("random", twin_acc)):
            right = rng.random(n) < acc
            pred = np.where(right, truth, 1 - truth)
            rows.append(MatrixCell("tiny-gpt-clm", init, "finetune", "movie-snippets", seed, float(right.mean()),
                                   float(right.mean()), 1.0, pred.tolist(), truth.tolist()))
    return rows


def test_summary_carries_cis_and_flags_cells_at_chance() -> None:
    from plm_core.evidence.matrix import heatmap_texts

    clear = MatrixResult(MatrixJob(seeds=3), cells_with_predictions(0.75, 0.55)).summary()
    pre = clear[clear["init"] == "pretrained"].iloc[0]
    assert pre["low"] < pre["mean"] < pre["high"] and pre["chance"] == pytest.approx(0.5)
    assert not pre["at_chance"] and 0 < pre["gain_low"] < pre["gain"] < pre["gain_high"]
    assert best_objective(clear) == {"finetune · movie-snippets": "tiny-gpt-clm"}
    text = heatmap_texts(clear, "n/a", "≈ chance")
    assert text[0][0].startswith(f"{pre['mean']:.3f} [")
    chance = MatrixResult(MatrixJob(seeds=3), cells_with_predictions(0.51, 0.49)).summary()
    assert chance["at_chance"].all()
    assert best_objective(chance) == {}  # fine-tune cells at chance are no finding
    assert heatmap_texts(chance, "n/a", "≈ chance")[0][0].startswith("≈ chance")
    noisy = MatrixResult(MatrixJob(seeds=3), cells_with_predictions(0.60, 0.58)).summary()
    assert not noisy["at_chance"].any() and best_objective(noisy) == {}  # a gain inside the noise names no winner


def test_budgets_come_from_the_model_cards() -> None:
    from plm_core.evidence.matrix import budget_rows, budget_text

    rows = {r["model"]: r for r in budget_rows(("tiny-bert-mlm", "tiny-gpt-clm"))}
    assert rows["tiny-bert-mlm"]["tokens_seen"] == 59_520_000 and rows["tiny-gpt-clm"]["tokens_seen"] == 12_480_000
    assert rows["tiny-bert-mlm"]["wall_time_s"] == 2587
    assert "59.5M" in budget_text(("tiny-bert-mlm",), "en") and "59.5M" in budget_text(("tiny-bert-mlm",), "ko")
