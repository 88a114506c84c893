"""A TrainResult as a runs-store record (config, metrics, curves, timings)."""

from __future__ import annotations

from typing import Any

from plm_core.transfer.api import TrainResult

METRIC_KEYS = ("test_accuracy", "test_macro_f1", "trainable_params", "total_params", "n_train", "n_test",
               "peak_memory_mb", "stop_reason", "mix_gamma", "optimizer_builds")


def run_record(result: TrainResult, data: dict[str, Any]) -> dict[str, dict]:
    """`data` describes the examples: {"data": name, "n": N or None, "per_class": K or None, "test_limit": ...}."""
    config = {**result.config, **data}
    metrics = {k: getattr(result, k) for k in METRIC_KEYS}
    curves = {
        "history": result.history, "steps": result.steps, "confusion": result.confusion, "labels": result.labels,
        "layer_weights": result.layer_weights, "drift": result.drift, "param_groups": result.param_groups,
    }
    timings = {**result.timings, "train_seconds": result.train_seconds}
    return {"config": config, "metrics": metrics, "curves": curves, "timings": timings}


def save_result(store: Any, result: TrainResult, data: dict[str, Any], kind: str = "transfer") -> int:
    """Store one run (`store`: a RunStore, a database path, or None for the default); returns its id.

    Any failure to open or write the database raises `plm_core.runs.RunNotSaved` (a PLMError whose
    message says "not saved: <reason>, copy or export the result"); the result itself is untouched.
    """
    from plm_core.runs import save_run

    return save_run(kind, **run_record(result, data), store=store)


def summary_with_data(result: TrainResult, data: dict[str, Any]) -> dict[str, Any]:
    """The CLI's JSON: the result summary with the data description merged in."""
    out = result.summary()
    out.update({k: v for k, v in data.items()})
    return out
