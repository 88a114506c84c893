"""A race: 2-5 configurations on the identical split and seed, one after the other."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone
from plm_core.errors import PLMError
from plm_core.figures import sample_sd
from plm_core.training.callbacks import StopSignal
from plm_core.transfer.api import TrainResult
from plm_core.transfer.config import Mode, TrainConfig
from plm_core.transfer.split import Split

MIN_RACERS, MAX_RACERS = 2, 5
MAX_SEEDS = 5


def check_race(configs: Sequence[TrainConfig]) -> None:
    if not (MIN_RACERS <= len(configs) <= MAX_RACERS):
        raise PLMError("transfer.err.race_size", n=len(configs), low=MIN_RACERS, high=MAX_RACERS)
    if len({c.data.seed for c in configs}) > 1:
        raise PLMError("transfer.err.race_seed")


def race_configs(base: TrainConfig, modes: Sequence[Mode]) -> list[TrainConfig]:
    """The same settings in several modes (the classic race: frozen vs finetune vs ... vs scratch)."""
    return [base.with_(mode=m) for m in modes]


def unique_labels(configs: Sequence[TrainConfig]) -> list[str]:
    """Legend names: the mode, plus what differs from the first config when modes repeat."""
    labels = []
    for c in configs:
        label: str = c.strategy_label
        if sum(o.strategy_label == c.strategy_label for o in configs) > 1:
            label += f" ({c.strategy.pooling}, {c.strategy.head}, L{c.strategy.layer})"
        labels.append(label)
    return labels


@dataclass
class RaceResult:
    labels: list[str]  # one per run (a racer's label repeats once per seed)
    results: list[TrainResult]

    def seed_table(self) -> pd.DataFrame:
        """One row per racer: mean ± sd over its seeds, and whether it is within seed noise of the best."""
        return seed_table(self.labels, self.results)


def seed_variants(config: TrainConfig, seeds: int) -> list[TrainConfig]:
    """The racer with seeds seed, seed + 1, ..., seed + n - 1 (same split: only training randomness varies)."""
    return [config.with_(seed=config.data.seed + i) for i in range(max(int(seeds), 1))]


def check_seeds(seeds: int) -> None:
    if not (1 <= int(seeds) <= MAX_SEEDS):
        raise PLMError("transfer.err.race_seeds", n=seeds, high=MAX_SEEDS)


def seed_table(labels: Sequence[str], results: Sequence[TrainResult]) -> pd.DataFrame:
    """Aggregate runs by racer label: accuracy mean ± sd (sample sd; 0 for one seed), macro-F1 mean,
    trainable share, mean seconds, peak memory; `within_noise` when the racer's mean ± sd interval
    overlaps the best racer's (only said with 2 or more seeds)."""
    rows = []
    for label in dict.fromkeys(labels):
        runs = [r for lab, r in zip(labels, results, strict=False) if lab == label]
        acc = np.array([r.test_accuracy for r in runs], dtype=float)
        rows.append({
            "strategy": label, "seeds": len(runs), "accuracy_mean": float(acc.mean()),
            "accuracy_sd": sample_sd(acc),
            "macro_f1_mean": float(np.mean([r.test_macro_f1 for r in runs])),
            "trainable_params": runs[0].trainable_params, "total_params": runs[0].total_params,
            "trainable_share": runs[0].trainable_params / max(runs[0].total_params, 1),
            "seconds_mean": float(np.mean([r.train_seconds for r in runs])),
            "peak_memory_mb": float(max(r.peak_memory_mb for r in runs)),
        })
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    best = frame.iloc[int(frame["accuracy_mean"].to_numpy().argmax())]
    lo, hi = frame["accuracy_mean"] - frame["accuracy_sd"], frame["accuracy_mean"] + frame["accuracy_sd"]
    overlap = (lo <= best["accuracy_mean"] + best["accuracy_sd"]) & (hi >= best["accuracy_mean"] - best["accuracy_sd"])
    frame["within_noise"] = overlap & (frame["strategy"] != best["strategy"]) & (frame["seeds"] > 1)
    frame["best"] = frame["strategy"] == best["strategy"]
    return frame


def run_race(configs: Sequence[TrainConfig], split: Split, backbone: Backbone | None = None,
             stop: StopSignal | None = None, seeds: int = 1) -> RaceResult:
    """Every config on the same examples, each over `seeds` seeds, through the Transfer job's own loop
    (`run_transfer`, as the lab and the CLI run it) in this process; stops early when `stop` is set."""
    from plm_core.jobs.model import JobContext
    from plm_core.transfer.jobs import TransferJob, run_transfer

    loader = None if backbone is None else (lambda name, random_init=False: backbone)
    ctx = JobContext(lambda event: None, stop, loader)
    state = run_transfer(TransferJob(tuple(configs), split=split, race=True, seeds=seeds), ctx)
    done = [r for r in state.runs if r.result is not None]
    return RaceResult([r.racer for r in done], [r.result for r in done if r.result is not None])
