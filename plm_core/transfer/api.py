"""`train()`: one transfer run from a config and two DataFrames to a `TrainResult` (no Streamlit).

Safety: the backbone passed in (often the app's shared cached model) is never changed. Frozen mode
only reads it under inference_mode(); the other modes train on `HFBackbone.copy()` or, for `scratch`,
on a freshly built random twin.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from plm_core.backbones.base import Backbone
from plm_core.backbones.capabilities import require
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.optim import GroupInfo, build_optimizer, group_table, probe_plans
from plm_core.transfer.config import MODES, TrainConfig, token_pooling, validate_config
from plm_core.transfer.features import is_hf
from plm_core.transfer.groups import (
    RunPlan,
    end_to_end_parts,
    frozen_body_groups,
    mark_unused,
    n_states,
    plan_groups,
    plan_run,
    random_twin,
    read_state,
    strategy_settings,
    surgery_frame,
)
from plm_core.transfer.split import split_from_frames
from plm_core.transfer.trainer import end_to_end_model, new_groups

SUMMARY_CONFIG = ("backbone", "mode", "data", "strategy", "groups", "schedule", "pooling", "layer", "head", "seed",
                  "epochs", "max_length")  # the settings the CLI's JSON repeats, then the result's own fields:
SUMMARY_RESULT = ("n_train", "n_test", "labels", "test_accuracy", "test_macro_f1", "trainable_params", "total_params",
                  "stop_reason", "layer_weights", "mix_gamma", "drift", "confusion", "history", "param_groups",
                  "timings", "lengths")


@dataclass
class TrainResult:
    """What a run produced: scores, curves, the head-surgery table, timings and memory."""

    test_accuracy: float
    test_macro_f1: float
    confusion: list[list[int]]  # rows: true label, columns: predicted label, in `labels` order
    labels: list[str]
    history: list[dict]  # per epoch: train/test loss and accuracy, test macro-F1, seconds, trainable params
    trainable_params: int  # held by the optimizer at the end
    total_params: int  # body + new head
    train_seconds: float  # wall time of the whole run (features included, model loading excluded)
    peak_memory_mb: float  # peak resident memory of the process during the run
    layer_weights: list[float] | None  # softmax(lambda) of the ELMo scalar mix, bottom to top
    drift: dict[str, float] | None  # group -> ||W - W0|| / ||W0||
    param_groups: list[dict]  # the head-surgery table (GroupInfo rows)
    mix_gamma: float | None = None  # gamma of the scalar mix
    config: dict = field(default_factory=dict)
    n_train: int = 0
    n_test: int = 0
    steps: list[dict] = field(default_factory=list)  # per optimizer step: step, epoch, loss
    stop_reason: str = ""  # "" (finished), "user" (stop button) or "nan" (diverged)
    notices: list[tuple[str, dict]] = field(default_factory=list)  # (message key, params) to show
    timings: dict[str, Any] = field(default_factory=dict)  # extract/fit/evaluate seconds, cache hit
    optimizer_builds: int = 0  # how often the optimizer was (re)built
    lengths: dict = field(default_factory=dict)  # LengthReport: the max_length used, coverage, texts cut

    def summary(self) -> dict[str, Any]:
        """The CLI's JSON object."""
        mine = asdict(self)
        return {k: self.config.get(k) for k in SUMMARY_CONFIG} | {k: mine[k] for k in SUMMARY_RESULT} | {
            "train_seconds": round(self.train_seconds, 3), "peak_memory_mb": round(self.peak_memory_mb, 1)}

    def surgery(self) -> pd.DataFrame:
        return surgery_frame([GroupInfo(**row) for row in self.param_groups])


# ---- a run: plan, trainer, result ------------------------------------------------------------------

def train(config: TrainConfig, train_df: pd.DataFrame, test_df: pd.DataFrame, backbone: Backbone | None = None,
          callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> TrainResult:
    """Train a classifier on `train_df` in `config.mode`, score it on `test_df` (columns text, label).

    The plan checks the config once (`plm_core.transfer.groups.plan_run`), the trainer carries it out, the result
    is read from the trainer. Every random draw comes from the run's own generators (seeded with config.data.seed),
    so runs started at once in one process give the numbers each gives alone. Process-wide settings (torch
    threads, the global seed dropout uses) are left alone: a process that owns the run sets them with
    `plm_core.training.own_process(config.data.seed, config.data.threads)` before calling this.
    """
    split = split_from_frames(train_df, test_df)
    if backbone is not None and backbone.spec.name != config.backbone:
        config = config.with_(backbone=backbone.spec.name)
    labels = (split.encode(split.train["label"]), split.encode(split.test["label"]))
    plan = plan_run(config, split, labels, backbone, callbacks, stop)
    plan.trainer.fit()
    return result_of(plan)


def result_of(plan: RunPlan) -> TrainResult:
    """The result of a planned run whose trainer has finished (LoRA: adapters merged, the held-out score retaken)."""
    trainer = plan.trainer
    if plan.lora:
        from plm_core.transfer.lora import merge_lora

        if merge_lora(trainer.model.body) and trainer.last_eval is not None:  # type: ignore[arg-type]  # a TransferClassifier
            trainer.last_eval = trainer.evaluate()
    ev, out, nan = trainer.last_eval, trainer.final, float("nan")
    return TrainResult(
        test_accuracy=ev.accuracy if ev else nan, test_macro_f1=ev.macro_f1 if ev else nan,
        confusion=ev.confusion if ev else [], labels=plan.labels, history=trainer.history,
        trainable_params=out.trainable_params,
        total_params=sum(g.n_params for g in trainer.groups if g.note != "dropped"),
        train_seconds=time.perf_counter() - plan.started, peak_memory_mb=trainer.memory.peak,
        layer_weights=out.layer_weights, mix_gamma=out.mix_gamma, drift=out.drift or None, param_groups=out.table,
        config=plan.config, n_train=plan.n_train, n_test=plan.n_test, steps=trainer.steps,
        stop_reason=trainer.stop_reason, notices=trainer.notices + plan.notices,
        timings=plan.timings | {"fit_seconds": trainer.fit_seconds}, optimizer_builds=trainer.optimizer_builds,
        lengths=plan.lengths,
    )


# ---- inspecting the surgery before training ---------------------------------------------------------

def param_groups(backbone: Backbone, mode: str | None, config: TrainConfig | None = None, epoch: int = 1,
                 n_classes: int = 2) -> list[GroupInfo]:
    """The head-surgery rows the strategy would give at `epoch`, read from the optimizer it would build with a new
    head over the shared parameters (neither they nor their requires_grad flags change; LoRA previews on a copy)."""
    config = config or TrainConfig.of(backbone=backbone.spec.name)
    config = config.with_(mode=mode) if mode is not None and config.preset in MODES else config
    validate_config(config, backbone.spec)
    if config.mode == "frozen" or not is_hf(backbone):
        from plm_core.transfer.modules import FeatureClassifier

        groups = frozen_body_groups(backbone)
        mark_unused(groups, read_state(config, backbone))
        mix = n_states(backbone) if config.strategy.pooling == "mix" else 0
        groups += new_groups(FeatureClassifier(backbone.hidden_size, n_classes, config.strategy.head, mix,
                                               config.strategy.mlp_hidden), backbone.n_layers)
        settings = strategy_settings([g.name for g in groups], config, backbone.n_layers)
        plans = plan_groups(groups, settings, epoch)
        return group_table(groups, build_optimizer(probe_plans(groups), kind="lbfgs"), plans)
    work = require(backbone, "trainable")
    work = work.copy() if config.strategy.adapters else work
    origin = "random" if config.mode == "scratch" or backbone.random_init else "pretrained"
    body, settings, _ = end_to_end_parts(config, work, origin, read_state(config, backbone))
    model = end_to_end_model(config, work, n_classes, token_pooling(config, work.spec.family))
    groups = body + new_groups(model, work.n_layers)
    plans = plan_groups(groups, settings, epoch)
    return group_table(groups, build_optimizer(plans, config.optim.weight_decay), plans)


def describe_head_surgery(backbone: Backbone, config: TrainConfig, epoch: int = 1, n_classes: int = 2) -> pd.DataFrame:
    """Which parameters are pretrained, which are new, which are frozen; each group's lr and size."""
    return surgery_frame(param_groups(backbone, None, config, epoch, n_classes=n_classes))


__all__ = ["TrainResult", "train", "result_of", "param_groups", "describe_head_surgery", "random_twin", "asdict"]
