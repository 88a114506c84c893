"""`train()`: one transfer run from a config and two DataFrames to a `TrainResult` (no Streamlit).

Safety: the backbone passed in (often the app's shared cached model) is never changed. Frozen mode
only reads it under inference_mode(); the other modes train on `HFBackbone.copy()` or, for `scratch`,
on a freshly built random twin.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from plm_core.backbones.base import Backbone
from plm_core.backbones.capabilities import Trainable, require
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.generators import RunGenerators, init_module, init_transformer, run_generators
from plm_core.training.plan import NamedGroup, build_optimizer, probe_plans
from plm_core.transfer.config import MODES, TrainConfig, token_pooling, validate_config
from plm_core.transfer.features import extract_layer_features, is_hf
from plm_core.transfer.groups import (
    GroupInfo,
    body_groups,
    group_table,
    head_groups,
    mark_unused,
    plan_groups,
    relative_drift,
    snapshot,
    strategy_settings,
    surgery_frame,
)
from plm_core.transfer.lengths import FALLBACK, LengthReport, choose_max_length, length_report, token_lengths
from plm_core.transfer.lora import attach_lora
from plm_core.transfer.split import Split, split_from_frames
from plm_core.transfer.strategies import GroupSetting, lora_ranks
from plm_core.transfer.trainer import EndToEndTrainer, FeatureTrainer, TransferTrainer

if TYPE_CHECKING:
    import torch


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


# ---- backbones ------------------------------------------------------------------------------------

def random_twin(backbone: Any, seed: int, generator: torch.Generator | None = None) -> Any:
    """The same architecture with fresh random weights (a new object: the original is untouched).

    The weights come from `generator` (default: a torch generator seeded with `seed`), never from the
    process-wide RNG, so a twin built beside another run is the twin built alone.
    """
    from plm_core.backbones.hf import HFBackbone

    model = type(backbone.model)._from_config(backbone.model.config, attn_implementation="eager")
    init_transformer(model, generator if generator is not None else run_generators(seed).torch)
    return HFBackbone(backbone.spec, model.eval(), backbone.tokenizer, backbone.head, random_init=True)


def resolve_backbone(config: TrainConfig, backbone: Backbone | None,
                     gens: RunGenerators | None = None) -> tuple[Backbone, bool]:
    """The backbone to read or train, and whether it is private (safe to train in place)."""
    from plm_core.backbones import load_backbone

    gens = gens or run_generators(config.data.seed)
    scratch = config.mode == "scratch"
    if backbone is None:
        loaded = load_backbone(config.backbone, random_init=scratch, seed=config.data.seed)
        if scratch and is_hf(loaded):
            init_transformer(require(loaded, "trainable").model, gens.torch)  # the run's draws, not the loader's
        return loaded, True
    if scratch and is_hf(backbone):
        return random_twin(backbone, config.data.seed, gens.torch), True
    return backbone, False


def n_states(backbone: Backbone) -> int:
    return 1 if backbone.spec.family in ("static", "sentence") else backbone.n_layers + 1


def read_state(config: TrainConfig, backbone: Backbone) -> int | None:
    """Index of the hidden state the head reads (None for the scalar mix: it reads all of them)."""
    if config.strategy.pooling == "mix":
        return None
    return config.strategy.layer % n_states(backbone)


def static_groups(backbone: Backbone) -> list[NamedGroup]:
    """A body outside the trainer's reach (GloVe table, USE encoder, the biLM) as one frozen group."""
    vectors = require(backbone, "word_vectors").vectors if backbone.spec.can("word_vectors") else None
    size = int(np.prod(vectors.shape)) if vectors is not None else int(backbone.spec.params)
    origin = "random" if backbone.random_init else "pretrained"
    name = "vectors" if vectors is not None else ("encoder" if backbone.spec.family == "sentence" else "body")
    return [NamedGroup(name, [], origin, 0, n_params=size)]


def dropped_groups(backbone: Trainable, origin: str) -> list[NamedGroup]:
    """What the classifier leaves out of the pretrained model: an untied LM head, a T5 decoder."""
    body = {id(p) for p in backbone.body.parameters()}
    extra = sum(p.numel() for p in backbone.model.parameters() if id(p) not in body)
    if not extra and not backbone.spec.head:
        return []
    if not extra:  # e.g. SmolLM2: its LM head is tied to the input embeddings; the row says it is left out
        return [NamedGroup("lm_head (tied)", [], origin, backbone.n_layers + 2, n_params=0, note="dropped")]
    name = "decoder + lm_head" if backbone.spec.family == "encoder-decoder" else "lm_head"
    return [NamedGroup(name, [], origin, backbone.n_layers + 2, n_params=extra, note="dropped")]


def frozen_body_groups(backbone: Backbone) -> list[NamedGroup]:
    if is_hf(backbone):
        origin = "random" if backbone.random_init else "pretrained"
        body = require(backbone, "trainable")
        return body_groups(body.body, body.n_layers, origin) + dropped_groups(body, origin)
    return static_groups(backbone)


# ---- the two kinds of run -------------------------------------------------------------------------

def _frozen_run(config: TrainConfig, split: Split, backbone: Backbone, callbacks: Sequence[Callback],
                stop: StopSignal | None) -> tuple[TransferTrainer, list[NamedGroup], dict]:
    pooling = token_pooling(config, backbone.spec.family)
    t0 = time.perf_counter()
    X_tr, hit_tr = extract_layer_features(backbone, split.train["text"].tolist(), pooling, config.data.max_length,
                                          "train", progress=relay(callbacks, "extract_train"))
    X_te, hit_te = extract_layer_features(backbone, split.test["text"].tolist(), pooling, config.data.max_length,
                                          "test", progress=relay(callbacks, "extract_test"))
    timings = {"extract_seconds": time.perf_counter() - t0, "cache_hit": bool(hit_tr and hit_te)}
    if config.strategy.pooling != "mix":
        X_tr, X_te = X_tr[:, config.strategy.layer], X_te[:, config.strategy.layer]  # (N, H)
    groups = frozen_body_groups(backbone)
    mark_unused(groups, read_state(config, backbone))
    trainer = FeatureTrainer(config, X_tr, split.encode(split.train["label"]), X_te, split.encode(split.test["label"]),
                             len(split.labels), groups, backbone.n_layers, callbacks, stop)
    return trainer, trainer.groups, timings


def _end_to_end_run(config: TrainConfig, split: Split, backbone: Backbone, private: bool,
                    callbacks: Sequence[Callback], stop: StopSignal | None,
                    gens: RunGenerators) -> tuple[TransferTrainer, list[NamedGroup], dict]:

    t0 = time.perf_counter()
    trainable = require(backbone, "trainable")
    work = trainable if private else trainable.copy()
    limit = min(config.data.max_length, work.max_length)
    tok = work.tokenizer
    train_ids = tok(split.train["text"].tolist(), truncation=True, max_length=limit)["input_ids"]
    test_ids = tok(split.test["text"].tolist(), truncation=True, max_length=limit)["input_ids"]
    origin = "random" if work.random_init else "pretrained"
    model, groups, settings, adapted = end_to_end_setup(config, work, len(split.labels), origin,
                                                        read_state(config, backbone))
    init_module(model.head, gens.torch)  # only the new head: the body keeps its weights
    trainer = EndToEndTrainer(model, groups, settings, train_ids, split.encode(split.train["label"]),
                              test_ids, split.encode(split.test["label"]), tok.pad_token_id, config,
                              len(split.labels), callbacks, stop, rng=gens.numpy)
    return trainer, groups, {"prepare_seconds": time.perf_counter() - t0, "lora_projections": adapted}


def end_to_end_model(config: TrainConfig, work: Trainable, n_classes: int) -> Any:
    """The body with a fresh head on top (a TransferClassifier), pooling and reading what the strategy says."""
    from plm_core.transfer.modules import TransferClassifier

    s = config.strategy
    return TransferClassifier(work.body, work.hidden_size, n_classes, s.head, s.pooling, s.layer,
                              token_pooling(config, work.spec.family), work.n_layers + 1, s.mlp_hidden, s.dropout)


def end_to_end_setup(config: TrainConfig, work: Trainable, n_classes: int, origin: str,
                     state: int | None) -> tuple[Any, list[NamedGroup], list[GroupSetting], int]:
    """The model, its groups, the strategy's setting per group (the plan, decided once) and the LoRA projections
    adapted where it puts adapters (`work` must be a private copy then: adapters change its modules)."""
    model = end_to_end_model(config, work, n_classes)
    groups = end_to_end_groups(work, model, origin, state)
    settings = strategy_settings(groups, config, work.n_layers)
    adapted = attach_lora(work.body, lora_ranks(settings), config.data.seed) if lora_ranks(settings) else 0
    return model, end_to_end_groups(work, model, origin, state) if adapted else groups, settings, adapted


def end_to_end_groups(work: Trainable, model: Any, origin: str, state: int | None) -> list[NamedGroup]:
    """Embeddings, layers, the pooler, what is dropped, then the new mix / head."""
    groups = body_groups(work.body, work.n_layers, origin) + dropped_groups(work, origin)
    mark_unused(groups, state)
    return groups + head_groups(model, work.n_layers)


def merge_and_score(trainer: TransferTrainer, groups: list[NamedGroup], reference: dict) -> dict[str, float]:
    """LoRA runs: the drift (adapters included), then the adapters merged into W for inference and the
    held-out score taken from the merged model."""
    from plm_core.transfer.lora import merge_lora

    drift = relative_drift(groups, reference)
    if merge_lora(trainer.model.body) and trainer.last_eval is not None:  # type: ignore[arg-type]  # a TransferClassifier
        trainer.last_eval = trainer.evaluate()
    return drift


def drift_reference(groups: list[NamedGroup], original: Any) -> dict:
    """The weights drift is measured against: the untouched original body when we trained a copy of it
    (no second copy in memory: 0.5 GB for SmolLM2), else a snapshot taken now."""
    if original is None:
        return snapshot(groups)
    untouched = {g.name: [p.detach() for p in g.params] for g in body_groups(original.body, original.n_layers)}
    return untouched | snapshot([g for g in groups if g.origin == "new"])


def relay(callbacks: Sequence[Callback], phase: str) -> Callable[[int, int], None]:
    """Feature-extraction progress (done, total) -> `on_phase` callbacks."""
    def report(done: int, total: int) -> None:
        for cb in callbacks:
            cb.on_phase(None, phase, done, total)
    return report


def train(config: TrainConfig, train_df: pd.DataFrame, test_df: pd.DataFrame, backbone: Backbone | None = None,
          callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> TrainResult:
    """Train a classifier on `train_df` in `config.mode`, score it on `test_df` (columns text, label).

    Every random draw comes from the run's own generators (seeded with config.data.seed), so runs started
    at once in one process give the numbers each gives alone. Process-wide settings (torch threads,
    the global seed dropout uses) are left alone: a process that owns the run sets them with
    `plm_core.training.own_process(config.data.seed, config.data.threads)` before calling this.
    """
    validate_config(config)
    if backbone is None:
        from plm_core.backbones import get_spec

        validate_config(config, get_spec(config.backbone))  # before loading anything
    split = split_from_frames(train_df, test_df)
    if backbone is not None and backbone.spec.name != config.backbone:
        config = config.with_(backbone=backbone.spec.name)
    return _train(config, split, backbone, callbacks, stop)


def _train(config: TrainConfig, split: Split, backbone: Backbone | None, callbacks: Sequence[Callback],
           stop: StopSignal | None) -> TrainResult:
    start = time.perf_counter()
    gens = run_generators(config.data.seed)
    work, private = resolve_backbone(config, backbone, gens)
    load_seconds = time.perf_counter() - start if backbone is None else 0.0
    validate_config(config, work.spec)
    config, lengths = resolve_max_length(config, split, work)
    start = time.perf_counter()
    if config.mode == "frozen":
        trainer, groups, timings = _frozen_run(config, split, work, callbacks, stop)
        reference = snapshot([g for g in groups if g.origin == "new"])
    else:
        trainer, groups, timings = _end_to_end_run(config, split, work, private, callbacks, stop, gens)
        lora = bool(timings.get("lora_projections"))
        reference = drift_reference(groups, None if private or lora else work)  # adapters: compare to a snapshot
    fit_start = time.perf_counter()
    trainer.fit()
    timings.update({"fit_seconds": time.perf_counter() - fit_start, "load_seconds": load_seconds})
    drift = merge_and_score(trainer, groups, reference) if timings.get("lora_projections") else None
    result = build_result(config, split, trainer, groups, reference, time.perf_counter() - start, timings, drift)
    if lengths is not None:
        result.lengths = lengths.as_dict()
        if lengths.cut:
            result.notices.append(("transfer.length_cut", {"cut": lengths.cut, "n": lengths.n,
                                                           "max_length": lengths.max_length}))
    return result


def resolve_max_length(config: TrainConfig, split: Split,
                       backbone: Backbone) -> tuple[TrainConfig, LengthReport | None]:
    """max_length 0 (auto) -> cover 95% of the training texts, capped by the model and the CPU budget;
    with a tokenizer, count the texts the chosen length cuts."""
    if not is_hf(backbone):
        return (config.with_(max_length=FALLBACK) if config.data.max_length == 0 else config), None
    body = require(backbone, "trainable")
    train_lengths = token_lengths(body.tokenizer, split.train["text"].tolist())
    test_lengths = token_lengths(body.tokenizer, split.test["text"].tolist())
    auto = config.data.max_length == 0
    chosen = choose_max_length(train_lengths, body.max_length, config.data.length_budget) if auto \
        else min(config.data.max_length, body.max_length)
    report = length_report(train_lengths, test_lengths, chosen, auto, config.data.length_budget, body.max_length)
    return config.with_(max_length=chosen), report


def build_result(config: TrainConfig, split: Split, trainer: TransferTrainer, groups: list[NamedGroup],
                 reference: dict, seconds: float, timings: dict, drift: dict | None = None) -> TrainResult:
    ev = trainer.last_eval
    drift = relative_drift(groups, reference) if drift is None else drift
    if config.mode == "frozen":  # the body never entered an optimizer: it cannot have moved
        drift = {g.name: 0.0 for g in groups if g.origin != "new" and g.params} | drift
    mix = getattr(trainer.model, "mix", None)
    table = trainer.surgery()
    nan = float("nan")
    return TrainResult(
        test_accuracy=ev.accuracy if ev else nan, test_macro_f1=ev.macro_f1 if ev else nan,
        confusion=ev.confusion if ev else [], labels=split.labels, history=trainer.history,
        trainable_params=trainer.trainable_params(),
        total_params=sum(g.n_params for g in groups if g.note != "dropped"),
        train_seconds=seconds, peak_memory_mb=trainer.memory.peak,
        layer_weights=mix.layer_weights() if mix is not None else None,
        mix_gamma=float(mix.gamma.detach()) if mix is not None else None,
        drift=drift or None, param_groups=[r.as_row() for r in table], config=config.as_dict(),
        n_train=len(split.train), n_test=len(split.test), steps=trainer.steps, stop_reason=trainer.stop_reason,
        notices=trainer.notices, timings=timings, optimizer_builds=trainer.optimizer_builds,
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
        groups += head_groups(FeatureClassifier(backbone.hidden_size, n_classes, config.strategy.head, mix,
                                                config.strategy.mlp_hidden), backbone.n_layers)
        plans = plan_groups(groups, strategy_settings(groups, config, backbone.n_layers), epoch)
        return group_table(groups, build_optimizer(probe_plans(groups), kind="lbfgs"), plans)
    work = require(backbone, "trainable")
    work = work.copy() if config.strategy.adapters else work
    origin = "random" if config.mode == "scratch" or backbone.random_init else "pretrained"
    _, groups, settings, _ = end_to_end_setup(config, work, n_classes, origin, read_state(config, backbone))
    plans = plan_groups(groups, settings, epoch)
    return group_table(groups, build_optimizer(plans, config.optim.weight_decay), plans)


def describe_head_surgery(backbone: Backbone, config: TrainConfig, epoch: int = 1, n_classes: int = 2) -> pd.DataFrame:
    """Which parameters are pretrained, which are new, which are frozen; each group's lr and size."""
    return surgery_frame(param_groups(backbone, None, config, epoch, n_classes=n_classes))


__all__ = ["TrainResult", "train", "param_groups", "describe_head_surgery", "random_twin", "asdict"]
