"""The objective matrix: which pretraining objective transfers best.

    five tiny checkpoints (MLM, CLM, span corruption, biLM, skip-gram) and their random-init twins
      x {frozen (features + linear head), fine-tune (everything trainable; the twin = from scratch)}
      x {movie snippets, Wikipedia topics} x seeds
    -> one test accuracy per cell and seed -> mean +- sd per (model, init) x (setting, data)

Every cell is one `plm_core.transfer.train` run on the split the seed draws (the same split for a
checkpoint and its twin), and keeps its per-text test predictions: the summary carries a paired bootstrap
95 % CI of each cell and of each gain over the twin, and flags cells whose CI reaches the majority-class
rate ("at chance": not a finding). Bodies that cannot be trained (the biLM, the skip-gram table) have no
fine-tune cells: the matrix says so instead of inventing a number. The checkpoints did NOT get equal
budgets: `budget_rows` reads each one's tokens seen, steps and wall time from its model card.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

TINY_MODELS: tuple[str, ...] = ("tiny-bert-mlm", "tiny-gpt-clm", "tiny-t5-span", "tiny-elmo-bilm", "tiny-sgns")
SETTINGS: tuple[str, ...] = ("frozen", "finetune")
MATRIX_DATA: tuple[str, ...] = ("movie-snippets", "wiki-topics")
INITS: tuple[str, ...] = ("pretrained", "random")


@dataclass(frozen=True)
class MatrixJob:
    """The whole grid (or a corner of it, for tests): what to run and on how much data."""

    models: tuple[str, ...] = TINY_MODELS
    settings: tuple[str, ...] = SETTINGS
    data: tuple[str, ...] = MATRIX_DATA
    seeds: int = 3  # seeds seed, seed + 1, ...: each draws its own training split and initialisation
    n: int = 512  # training examples per run
    test_limit: int = 500  # first examples of each set's fixed test set
    epochs: int = 3  # fine-tune epochs
    seed: int = 0


@dataclass
class MatrixCell:
    """One run: a model (or its twin) in one setting, on one data set, with one seed."""

    model: str
    init: str  # "pretrained" | "random"
    setting: str  # "frozen" | "finetune"
    data: str
    seed: int
    accuracy: float
    macro_f1: float
    seconds: float
    predictions: list[int] = field(default_factory=list, repr=False)  # per test text (class index)
    truth: list[int] = field(default_factory=list, repr=False)


@dataclass
class MatrixResult:
    job: MatrixJob
    cells: list[MatrixCell] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (model, setting) that cannot be run
    seconds: float = 0.0

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame([cell_row(c) for c in self.cells])

    def summary(self) -> pd.DataFrame:
        return with_intervals(summarize_cells(self.frame()), self.cells)


def cell_row(cell: MatrixCell) -> dict[str, Any]:
    """A cell without its per-text predictions (what tables and the runs store keep)."""
    return {k: v for k, v in asdict(cell).items() if k not in ("predictions", "truth")}


def objective_of(model: str) -> str:
    """'tiny-bert-mlm' -> 'mlm' (the last part of the name)."""
    return model.rsplit("-", 1)[-1]


def can_finetune(model: str) -> bool:
    from plm_core.backbones import get_spec

    return get_spec(model).can("trainable")


def plan(job: MatrixJob) -> tuple[list[tuple[str, str, str, str, int]], list[tuple[str, str]]]:
    """Every (model, init, setting, data, seed) to run, and the (model, setting) pairs that cannot run."""
    runs: list[tuple[str, str, str, str, int]] = []
    skipped: list[tuple[str, str]] = []
    for model in job.models:
        for setting in job.settings:
            if setting == "finetune" and not can_finetune(model):
                skipped.append((model, setting))
                continue
            for data in job.data:
                for s in range(job.seed, job.seed + job.seeds):
                    runs.extend((model, init, setting, data, s) for init in INITS)
    return runs, skipped


def run_cell(job: MatrixJob, model: str, init: str, setting: str, data: str, seed: int) -> MatrixCell:
    """One transfer run of the grid (the twin: frozen random features, or fine-tuning from scratch)."""
    from plm_core.backbones import get_spec, load_backbone
    from plm_core.data import get_dataset
    from plm_core.evidence.cards_transfer import KeepPredictions, in_split_order
    from plm_core.transfer import TrainConfig, train
    from plm_core.transfer.config import default_pooling
    from plm_core.transfer.split import make_split

    split = make_split(get_dataset(data), n=job.n, seed=seed, test_limit=job.test_limit)
    frozen = setting == "frozen"
    mode = "frozen" if frozen else ("finetune" if init == "pretrained" else "scratch")
    backbone = load_backbone(model, random_init=frozen and init == "random", seed=seed)
    # each model read the way the Transfer lab reads it by default (GPT: last token; ELMo, T5: the scalar mix)
    config = TrainConfig.of(backbone=model, mode=mode, seed=seed, epochs=job.epochs,
                         pooling=default_pooling(get_spec(model)))
    start = time.perf_counter()
    keep = KeepPredictions()
    result = train(config, split.train, split.test, backbone=backbone, callbacks=[keep])
    predictions = [] if keep.predictions is None else in_split_order(keep.predictions, result.labels, split).tolist()
    return MatrixCell(model, init, setting, data, seed, float(result.test_accuracy), float(result.test_macro_f1),
                      time.perf_counter() - start, predictions, split.encode(split.test["label"]).tolist())


def run_matrix(job: MatrixJob, on_cell: Callable[[MatrixCell, int, int], None] | None = None,
               should_stop: Callable[[], bool] | None = None, keep_predictions: bool = True) -> MatrixResult:
    """Run the grid cell by cell; `on_cell(cell, done, total)` after each."""
    runs, skipped = plan(job)
    result = MatrixResult(job, skipped=skipped)
    start = time.perf_counter()
    for i, run in enumerate(runs):
        if should_stop and should_stop():
            break
        cell = run_cell(job, *run)
        if not keep_predictions:
            cell.predictions, cell.truth = [], []
        result.cells.append(cell)
        if on_cell:
            on_cell(cell, i + 1, len(runs))
    result.seconds = time.perf_counter() - start
    return result


def summarize_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean and sd of the accuracy per (model, init, setting, data); the gain of pretrained over its twin."""
    cols = ["model", "init", "setting", "data"]
    if frame.empty:
        return pd.DataFrame(columns=[*cols, "mean", "sd", "n", "gain"])
    from plm_core.figures import sample_sd

    out = frame.groupby(cols, sort=False)["accuracy"].agg(mean="mean", sd=sample_sd, n="count").reset_index()
    twin = out[out["init"] == "random"].set_index(["model", "setting", "data"])["mean"]
    out["gain"] = [row["mean"] - twin.get((row["model"], row["setting"], row["data"]), np.nan)
                   for _, row in out.iterrows()]
    return out


def with_intervals(summary: pd.DataFrame, cells: Sequence[MatrixCell]) -> pd.DataFrame:
    """The summary with, per row, the paired bootstrap 95 % CI of its accuracy (low, high) and of its gain over
    the twin (gain_low, gain_high), the majority-class rate of its test texts (chance) and whether the CI
    reaches it (at_chance). Cells stored without predictions keep NaN there."""
    from plm_core.evidence.stats import Arm, paired_ci

    out = summary.copy()
    for col in ("low", "high", "gain_low", "gain_high", "chance"):
        out[col] = np.nan
    out["at_chance"] = False
    arms: dict[tuple[str, str, str, str], Arm] = {}
    for key in {(c.model, c.init, c.setting, c.data) for c in cells if c.predictions}:
        group = sorted((c for c in cells if (c.model, c.init, c.setting, c.data) == key), key=lambda c: c.seed)
        arms[key] = Arm(np.array([c.predictions for c in group]), np.array(group[0].truth), f"{key[2]}|{key[3]}")
    for i, r in out.iterrows():
        key = (r["model"], r["init"], r["setting"], r["data"])
        if key not in arms:
            continue
        arm = arms[key]
        _, low, high = paired_ci({"a": arm}, {"a": 1.0}, scale=1.0)
        chance = float(np.bincount(arm.truth).max() / len(arm.truth))
        out.loc[i, ["low", "high", "chance"]] = [low, high, chance]
        out.loc[i, "at_chance"] = bool(low <= chance)
        twin = (r["model"], "random", r["setting"], r["data"])
        if r["init"] == "pretrained" and twin in arms:
            _, gl, gh = paired_ci({"a": arm, "b": arms[twin]}, {"a": 1.0, "b": -1.0}, scale=1.0)
            out.loc[i, ["gain_low", "gain_high"]] = [gl, gh]
    return out


def budget_rows(models: Sequence[str]) -> list[dict[str, Any]]:
    """Each tiny checkpoint's pretraining budget, read from its model card (assets/checkpoints/<name>/)."""
    from plm_core.pretrain.checkpoints import all_cards

    cards = {str(card.get("name", obj)): card for obj, card in all_cards().items()}  # by checkpoint name
    return [{"model": m, "objective": cards[m].get("objective", objective_of(m)),
             "tokens_seen": int(cards[m].get("tokens_seen", 0)), "steps": int(cards[m].get("steps", 0)),
             "wall_time_s": round(float(cards[m].get("wall_time_s", 0.0))), "params": int(cards[m].get("params", 0))}
            for m in models if m in cards]


def budget_text(models: Sequence[str], lang: str) -> str:
    """The budgets sentence, computed from the model cards (never written by hand), in `lang`."""
    from plm_core.i18n import t

    items = [t("proofs.budget_item", lang, model=b["model"], tokens=f"{b['tokens_seen'] / 1e6:.1f}",
               steps=f"{b['steps']:,}", seconds=f"{b['wall_time_s']:,}") for b in budget_rows(models)]
    return t("proofs.budgets", lang, budgets="; ".join(items))


def heatmap_table(summary: pd.DataFrame) -> tuple[list[str], list[str], np.ndarray, np.ndarray]:
    """(row labels 'model · init', column labels 'setting · data', means (R, C), sds (R, C)); NaN = not run."""
    rows = [f"{m} · {i}" for m in dict.fromkeys(summary["model"]) for i in INITS]
    cols = [f"{s} · {d}" for s in dict.fromkeys(summary["setting"]) for d in dict.fromkeys(summary["data"])]
    means = np.full((len(rows), len(cols)), np.nan)
    sds = np.full_like(means, np.nan)
    for _, r in summary.iterrows():
        i, j = rows.index(f"{r['model']} · {r['init']}"), cols.index(f"{r['setting']} · {r['data']}")
        means[i, j], sds[i, j] = r["mean"], r["sd"]
    return rows, cols, means, sds


def heatmap_texts(summary: pd.DataFrame, na: str, chance: str) -> list[list[str]]:
    """Cell texts in heatmap_table's layout: 'mean [low, high]' (the 95 % CI), '<chance> mean' where the CI reaches
    the majority-class rate, 'mean ± sd' for a matrix stored without CIs (the sd only over >= 2 seeds), or `na`."""
    rows, cols, _, _ = heatmap_table(summary)
    text = [[na] * len(cols) for _ in rows]
    for _, r in summary.iterrows():
        i, j = rows.index(f"{r['model']} · {r['init']}"), cols.index(f"{r['setting']} · {r['data']}")
        low, high = r.get("low"), r.get("high")
        if low is not None and high is not None and not (pd.isna(low) or pd.isna(high)):
            text[i][j] = f"{chance} {r['mean']:.3f}" if bool(r.get("at_chance")) else \
                f"{r['mean']:.3f} [{low:.3f}, {high:.3f}]"
        elif int(r["n"]) >= 2:
            text[i][j] = f"{r['mean']:.3f} ± {r['sd']:.3f}"
        else:
            text[i][j] = f"{r['mean']:.3f}"
    return text


def best_objective(summary: pd.DataFrame) -> dict[str, str]:
    """(setting · data) -> the pretrained model with the largest gain over its own twin (with CIs: among the gains
    whose CI is above 0, in columns not at chance)."""
    out = {}
    pre = summary[summary["init"] == "pretrained"].dropna(subset=["gain"])
    if "at_chance" in pre:  # a column where both a checkpoint and its twin sit at chance shows no finding
        twin_chance = summary[summary["init"] == "random"].set_index(["model", "setting", "data"])["at_chance"]
        keep = [not (bool(r["at_chance"]) and bool(twin_chance.get((r["model"], r["setting"], r["data"]), False)))
                for _, r in pre.iterrows()]
        pre = pre[keep]
    if "gain_low" in pre:  # with CIs: only a gain over the twin beyond noise (its CI above 0) is named
        pre = pre[pre["gain_low"].isna() | (pre["gain_low"].astype(float) > 0)]
    for (setting, data), group in pre.groupby(["setting", "data"], sort=False):
        best = group.sort_values("gain", ascending=False).iloc[0]
        out[f"{setting} · {data}"] = str(best["model"])
    return out


def matrix_json(result: MatrixResult) -> dict[str, Any]:
    """The CLI's JSON: the job, each cell, the summary, the best objective per column."""
    summary = result.summary()
    return {"job": asdict(result.job), "seconds": round(result.seconds, 1),
            "skipped": [list(s) for s in result.skipped], "budgets": budget_rows(result.job.models),
            "summary": summary.round(4).replace({np.nan: None}).to_dict(orient="records"),
            "best": best_objective(summary), "cells": [cell_row(c) for c in result.cells]}


def run_matrix_job(job: MatrixJob, ctx: Any) -> MatrixResult:
    """The job kind `matrix`: cells arrive one by one as the job's items."""
    def on_cell(cell: MatrixCell, done: int, total: int) -> None:
        ctx.emit(cell)
        ctx.update(fraction=done / max(total, 1), current=f"{cell.model} {cell.init} {cell.setting} {cell.data}")

    return run_matrix(job, on_cell, ctx.should_stop)


def summary_lines(summary: pd.DataFrame, columns: Sequence[str] | None = None) -> list[str]:
    """A Markdown table: one row per model and init, one column per setting · data (mean +- sd)."""
    rows, cols, means, sds = heatmap_table(summary)
    cols_shown = list(columns or cols)
    lines = ["| model | " + " | ".join(cols_shown) + " |", "|---|" + "---|" * len(cols_shown)]
    for i, row in enumerate(rows):
        cells = [f"{means[i, cols.index(c)]:.3f} ± {sds[i, cols.index(c)]:.3f}"
                 if not np.isnan(means[i, cols.index(c)]) else "n/a" for c in cols_shown]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def store_matrix(job: MatrixJob, result: MatrixResult) -> list[int]:
    """Save the finished matrix in the runs store (kind "matrix"): the Pretraining page draws the latest."""
    from plm_core.runs import RunStore

    if not result.cells:
        return []
    from plm_core.pretrain.checkpoints import card_fingerprints

    data = matrix_json(result)
    used = {name: fp for name, fp in card_fingerprints().items() if name in job.models}
    run_id = RunStore().save("matrix", data["job"], {"best": data["best"], "n_cells": len(result.cells),
                                                     "checkpoints": used},
                             {"summary": data["summary"], "cells": data["cells"], "skipped": data["skipped"]},
                             {"seconds": data["seconds"]})
    return [run_id]


def latest_matrix(store: Any = None) -> tuple[dict, pd.DataFrame] | None:
    """(the run's record, its summary frame) of the newest stored matrix, or None."""
    from plm_core.runs import RunStore

    store = store or RunStore()
    runs = store.list("matrix")
    if runs.empty:
        return None
    record = store.get(int(runs["id"].iloc[0]))
    return record, pd.DataFrame(record["curves"]["summary"])


def stale_models(record: dict) -> list[str]:
    """The models of a stored matrix whose shipped checkpoint has changed since (every model of a matrix stored
    before checkpoints were fingerprinted: it cannot tell)."""
    from plm_core.pretrain.checkpoints import card_fingerprints

    models = list(dict.fromkeys(c["model"] for c in record["curves"]["cells"]))
    used = record["metrics"].get("checkpoints")
    now = card_fingerprints()
    if used is None:
        return [m for m in models if m in now]
    return [m for m in models if m in now and used.get(m) != now[m]]
