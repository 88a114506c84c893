"""A race: 2-5 configurations on the identical split and seed, one after the other."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from plm_core.backbones.base import Backbone
from plm_core.errors import PLMError
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.transfer.api import TrainResult, train
from plm_core.transfer.config import Mode, TrainConfig
from plm_core.transfer.split import Split

MIN_RACERS, MAX_RACERS = 2, 5


def check_race(configs: Sequence[TrainConfig]) -> None:
    if not (MIN_RACERS <= len(configs) <= MAX_RACERS):
        raise PLMError("transfer.err.race_size", n=len(configs), low=MIN_RACERS, high=MAX_RACERS)
    if len({c.seed for c in configs}) > 1:
        raise PLMError("transfer.err.race_seed")


def race_configs(base: TrainConfig, modes: Sequence[Mode]) -> list[TrainConfig]:
    """The same settings in several modes (the classic race: frozen vs finetune vs ... vs scratch)."""
    return [base.with_(mode=m) for m in modes]


def unique_labels(configs: Sequence[TrainConfig]) -> list[str]:
    """Legend names: the mode, plus what differs from the first config when modes repeat."""
    labels = []
    for c in configs:
        label: str = c.mode
        if sum(o.mode == c.mode for o in configs) > 1:
            label += f" ({c.pooling}, {c.head}, L{c.layer})"
        labels.append(label)
    return labels


@dataclass
class RaceResult:
    labels: list[str]
    results: list[TrainResult]

    def table(self) -> pd.DataFrame:
        """One row per racer: scores, trainable share, time and memory."""
        return comparison_table(self.labels, self.results)


def comparison_table(labels: Sequence[str], results: Sequence[TrainResult]) -> pd.DataFrame:
    rows = []
    for label, r in zip(labels, results, strict=False):
        rows.append({
            "run": label, "test_accuracy": r.test_accuracy, "test_macro_f1": r.test_macro_f1,
            "trainable_params": r.trainable_params, "total_params": r.total_params,
            "trainable_share": r.trainable_params / max(r.total_params, 1), "train_seconds": r.train_seconds,
            "peak_memory_mb": r.peak_memory_mb, "epochs_done": len(r.history), "stop_reason": r.stop_reason,
        })
    return pd.DataFrame(rows)


def run_race(configs: Sequence[TrainConfig], split: Split, backbone: Backbone | None = None,
             callbacks: Sequence[Callback] = (), stop: StopSignal | None = None,
             on_result: Callable[[int, TrainResult], None] | None = None) -> RaceResult:
    """Train every config on the same examples with the same seed; stops early when `stop` is set."""
    check_race(configs)
    results = []
    for i, config in enumerate(configs):
        if stop is not None and stop.is_set():
            break
        result = train(config, split.train, split.test, backbone, callbacks, stop)
        results.append(result)
        if on_result:
            on_result(i, result)
    return RaceResult(unique_labels(configs)[: len(results)], results)
