"""The plan of a transfer run: the model cut into named groups (embeddings, each layer, head) and what the strategy
does with each, at every epoch and every step.

Freezing is an operation on these groups (fastai style): a strategy decides, per group, whether it is trainable and
with which learning rate. `plan_run` makes the whole plan once (the config checked against the backbone, the
backbone and max length resolved, per-epoch group plans, the rate table of every step) and hands it to the trainer,
which builds its optimizer from it and applies it (`plm_core.training.optim`); every table the UI shows is read back
from that optimizer.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from torch import nn

from plm_core.backbones.base import Backbone
from plm_core.backbones.capabilities import Trainable, require
from plm_core.training.callbacks import Callback, StopSignal
from plm_core.training.optim import GroupInfo, group_table, relative_drift, snapshot
from plm_core.training.plan import GroupPlan, NamedGroup, RateTable, numel, rate_table
from plm_core.training.schedules import lr_multiplier
from plm_core.transfer.config import MAX_LR, TrainConfig, token_pooling, validate_config
from plm_core.transfer.lengths import FALLBACK, LengthReport, choose_max_length, length_report, token_lengths
from plm_core.transfer.split import Split
from plm_core.transfer.strategies import (
    GroupSetting,
    apply_edits,
    check_settings,
    lora_ranks,
    preset_settings,
)

if TYPE_CHECKING:
    import torch

    from plm_core.training.generators import RunGenerators
    from plm_core.transfer.trainer import TransferTrainer

__all__ = ["GroupInfo", "group_table", "relative_drift", "snapshot"]  # read back from the optimizer by the trainer

LAYER_RE = re.compile(r"(?:^|\.)(?:layer|layers|h|block)\.(\d+)\.")
EMBED_HINTS = ("embed", "wte", "wpe", "shared")


def layer_index(param_name: str) -> int | None:
    match = LAYER_RE.search("." + param_name)
    return int(match.group(1)) if match else None


def body_groups(body: nn.Module, n_layers: int, origin: str = "pretrained") -> list[NamedGroup]:
    """Split a transformer body into embeddings, layer.0 .. layer.{L-1} (final norm joins the top layer)."""
    buckets: dict[str, list[nn.Parameter]] = {"embeddings": []}
    buckets.update({f"layer.{i}": [] for i in range(n_layers)})
    buckets["pooler"] = []
    names: dict[str, list[str]] = {key: [] for key in buckets}
    for name, param in body.named_parameters():
        idx = layer_index(name)
        if idx is not None and idx < n_layers:
            key = f"layer.{idx}"
        elif "pooler" in name:
            key = "pooler"  # BERT's [CLS] pooler: we pool ourselves, so it is unused
        elif any(h in name for h in EMBED_HINTS):
            key = "embeddings"
        else:
            key = f"layer.{n_layers - 1}"  # final norm sits on top of the last layer
        buckets[key].append(param)
        names[key].append(name)
    groups = [NamedGroup("embeddings", buckets["embeddings"], origin, 0, numel(buckets["embeddings"]),
                         param_names=names["embeddings"])]
    groups += [NamedGroup(f"layer.{i}", buckets[f"layer.{i}"], origin, i + 1, numel(buckets[f"layer.{i}"]),
                          param_names=names[f"layer.{i}"]) for i in range(n_layers)]
    if buckets["pooler"]:
        groups.append(NamedGroup("pooler", buckets["pooler"], origin, n_layers + 1, numel(buckets["pooler"]),
                                 note="unused", param_names=names["pooler"]))
    return groups


def mark_unused(groups: Sequence[NamedGroup], read_state: int | None) -> None:
    """Groups above the hidden state that is read never reach the loss: mark them unused."""
    if read_state is None:
        return
    for g in groups:
        if g.origin != "new" and g.depth > read_state and not g.note:
            g.note = "unused"


def strategy_settings(names: Sequence[str], config: TrainConfig, n_layers: int) -> list[GroupSetting]:
    """The config's strategy preset for these named groups, with the table's (`config.strategy.groups`) edits on
    top."""
    settings = preset_settings(config.preset, names, n_layers, config)
    settings = apply_edits(settings, config.strategy.groups) if config.strategy.groups else settings
    check_settings(settings, MAX_LR)
    return settings


BITFIT_HINTS = ("bias", "norm", "ln_")  # BitFit: biases, and the LayerNorm weights next to them


def is_bitfit_param(name: str) -> bool:
    low = name.lower()
    return any(h in low for h in BITFIT_HINTS)


def is_lora_param(name: str) -> bool:
    return "lora_" in name


def chosen_params(group: NamedGroup, setting: GroupSetting) -> list[nn.Parameter] | None:
    """The part of a group that learns: LoRA adapters, BitFit's biases/norms, or None (all of it)."""
    if setting.lora_rank > 0:
        return [p for n, p in group.named() if is_lora_param(n)]
    if group.origin != "new":
        base = [(n, p) for n, p in group.named() if not is_lora_param(n)]
        if setting.bias_only:
            return [p for n, p in base if is_bitfit_param(n)]
        if len(base) != len(group.params):  # adapters on a group trained in full: the adapters stay at zero
            return [p for _, p in base]
    return None


def plan_groups(groups: Sequence[NamedGroup], settings: Sequence[GroupSetting], epoch: int = 1) -> list[GroupPlan]:
    """The strategy's settings (`strategy_settings`, decided once per run) at this epoch: per group, trainable or
    not, which part, its learning rate."""
    plans = []
    for g, s in zip(groups, settings, strict=False):
        trainable = s.active(epoch) and g.note != "unused" and bool(g.params)
        plans.append(GroupPlan(g, trainable, float(s.lr), s.unfreeze_epoch, chosen=chosen_params(g, s),
                               lora_rank=s.lora_rank, bias_only=s.bias_only))
    return plans


def surgery_frame(rows: Sequence[GroupInfo]) -> pd.DataFrame:
    """The head-surgery table as a DataFrame (one row per group, plus nothing else)."""
    return pd.DataFrame([r.as_row() for r in rows],
                        columns=["name", "origin", "status", "trainable", "lr", "n_params", "unfreeze_epoch"])


# ---- the backbone a run reads or trains ---------------------------------------------------------------

def random_twin(backbone: Any, seed: int, generator: torch.Generator | None = None) -> Any:
    """The same architecture with fresh random weights (a new object: the original is untouched).

    The weights come from `generator` (default: a torch generator seeded with `seed`), never from the
    process-wide RNG, so a twin built beside another run is the twin built alone.
    """
    from plm_core.backbones.hf import HFBackbone
    from plm_core.training.generators import init_transformer, run_generators

    model = type(backbone.model)._from_config(backbone.model.config, attn_implementation="eager")
    init_transformer(model, generator if generator is not None else run_generators(seed).torch)
    return HFBackbone(backbone.spec, model.eval(), backbone.tokenizer, backbone.head, random_init=True)


def resolve_backbone(config: TrainConfig, backbone: Backbone | None,
                     gens: RunGenerators | None = None) -> tuple[Backbone, bool]:
    """The backbone to read or train, and whether it is private (safe to train in place). A scratch run's random
    weights come from `gens` (the run's generators: the trainer then draws its head from the same stream)."""
    from plm_core.backbones import load_backbone

    scratch = config.mode == "scratch"
    if backbone is None:
        loaded = load_backbone(config.backbone, random_init=scratch, seed=config.data.seed)
        if scratch and loaded.spec.can("trainable"):
            from plm_core.training.generators import init_transformer, run_generators

            gens = gens or run_generators(config.data.seed)
            init_transformer(require(loaded, "trainable").model, gens.torch)  # the run's draws, not the loader's
        return loaded, True
    if scratch and backbone.spec.can("trainable"):
        from plm_core.training.generators import run_generators

        gens = gens or run_generators(config.data.seed)
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
    if backbone.spec.can("trainable"):
        origin = "random" if backbone.random_init else "pretrained"
        body = require(backbone, "trainable")
        return body_groups(body.body, body.n_layers, origin) + dropped_groups(body, origin)
    return static_groups(backbone)


def resolve_max_length(config: TrainConfig, split: Split,
                       backbone: Backbone) -> tuple[TrainConfig, LengthReport | None]:
    """max_length 0 (auto) -> cover 95% of the training texts, capped by the model and the CPU budget;
    with a tokenizer, count the texts the chosen length cuts."""
    if not backbone.spec.can("trainable"):
        return (config.with_(max_length=FALLBACK) if config.data.max_length == 0 else config), None
    body = require(backbone, "trainable")
    train_lengths = token_lengths(body.tokenizer, split.train["text"].tolist())
    test_lengths = token_lengths(body.tokenizer, split.test["text"].tolist())
    auto = config.data.max_length == 0
    chosen = choose_max_length(train_lengths, body.max_length, config.data.length_budget) if auto \
        else min(config.data.max_length, body.max_length)
    report = length_report(train_lengths, test_lengths, chosen, auto, config.data.length_budget, body.max_length)
    return config.with_(max_length=chosen), report


# ---- the plan of one run ----------------------------------------------------------------------------

def new_names(config: TrainConfig) -> list[str]:
    """The groups the trainer adds on top of the body: the scalar mix (pooling "mix"), then the head."""
    return (["mix"] if config.strategy.pooling == "mix" else []) + ["head"]


def end_to_end_parts(config: TrainConfig, work: Trainable, origin: str,
                     state: int | None) -> tuple[list[NamedGroup], list[GroupSetting], int]:
    """The body's named groups (what is dropped included), the strategy's setting for every group, body and new
    (decided once), and the LoRA projections adapted (`work` must be a private copy then: adapters change it)."""
    groups = body_groups(work.body, work.n_layers, origin) + dropped_groups(work, origin)
    mark_unused(groups, state)
    settings = strategy_settings([g.name for g in groups] + new_names(config), config, work.n_layers)
    ranks = lora_ranks(settings)
    if not ranks:
        return groups, settings, 0
    from plm_core.transfer.lora import attach_lora

    adapted = attach_lora(work.body, ranks, config.data.seed)
    groups = body_groups(work.body, work.n_layers, origin) + dropped_groups(work, origin)  # the adapters joined
    mark_unused(groups, state)
    return groups, settings, adapted


def epoch_plans(groups: Sequence[NamedGroup], settings: Sequence[GroupSetting], epochs: int) -> list[list[GroupPlan]]:
    """The body groups' plans at epoch 1 .. `epochs` (index epoch - 1)."""
    return [plan_groups(groups, settings, epoch) for epoch in range(1, epochs + 1)]


def step_rates(settings: Sequence[GroupSetting], config: TrainConfig, steps_per_epoch: int) -> RateTable:
    """Every group's rate at every optimizer step of the run: its setting's rate x the schedule's multiplier."""
    o = config.optim
    total = o.epochs * steps_per_epoch
    factor = lr_multiplier(o.schedule, total, o.warmup)
    named = [GroupPlan(NamedGroup(s.name, [], "new", 0), True, float(s.lr)) for s in settings]
    return rate_table(named, [float(factor(step)) for step in range(total)])


@dataclass
class RunPlan:
    """One run, planned: the trainer that carries it out, and what its result repeats (plain data)."""

    trainer: TransferTrainer
    config: dict[str, Any]  # the flat settings with the max length resolved (TrainConfig.as_dict)
    frozen: bool  # the body never enters an optimizer
    labels: list[str]
    n_train: int
    n_test: int
    started: float  # perf_counter when the run's own work started (after loading)
    lora: bool = False  # adapters were attached: merge them before the final score
    lengths: dict[str, Any] = field(default_factory=dict)  # LengthReport.as_dict, or {}
    notices: list[tuple[str, dict]] = field(default_factory=list)
    timings: dict[str, Any] = field(default_factory=dict)


def plan_run(config: TrainConfig, split: Split, labels: tuple[np.ndarray, np.ndarray], backbone: Backbone | None,
             callbacks: Sequence[Callback] = (), stop: StopSignal | None = None) -> RunPlan:
    """The one plan of a run: the config checked against the backbone (once, before anything is loaded), the
    backbone and max length resolved, every group's plan per epoch and every step's rates, and the trainer given
    all of it. `labels`: the split's (train, test) labels as class indices of `split.labels`."""
    from plm_core.backbones import get_spec

    start = time.perf_counter()
    validate_config(config, get_spec(config.backbone) if backbone is None else backbone.spec)
    gens = None
    if config.mode == "scratch":
        from plm_core.training.generators import run_generators

        gens = run_generators(config.data.seed)  # the twin's weights, then the head, from one stream
    work, private = resolve_backbone(config, backbone, gens)
    load_seconds = time.perf_counter() - start if backbone is None else 0.0
    config, lengths = resolve_max_length(config, split, work)
    notices = [("transfer.length_cut", {"cut": lengths.cut, "n": lengths.n, "max_length": lengths.max_length})] \
        if lengths is not None and lengths.cut else []
    settings, frozen = config.as_dict(), config.mode == "frozen"  # what the result repeats, decided here
    shown = lengths.as_dict() if lengths is not None else {}
    start = time.perf_counter()
    if frozen:
        trainer, timings = _frozen_plan(config, split, labels, work, callbacks, stop)
    else:
        trainer, timings = _end_to_end_plan(config, split, labels, work, private, callbacks, stop, gens)
    return RunPlan(trainer, settings, frozen, list(split.labels), len(split.train), len(split.test), start,
                   bool(timings.get("lora_projections")), shown, notices, timings | {"load_seconds": load_seconds})


def _frozen_plan(config: TrainConfig, split: Split, labels: tuple[np.ndarray, np.ndarray], backbone: Backbone,
                 callbacks: Sequence[Callback], stop: StopSignal | None) -> tuple[TransferTrainer, dict]:
    from plm_core.transfer.trainer import FeatureTrainer

    groups = frozen_body_groups(backbone)
    mark_unused(groups, read_state(config, backbone))
    trainer = FeatureTrainer.extracting(config, backbone, split, labels, token_pooling(config, backbone.spec.family),
                                        groups, callbacks, stop)
    return trainer, trainer.timings


def _end_to_end_plan(config: TrainConfig, split: Split, labels: tuple[np.ndarray, np.ndarray], backbone: Backbone,
                     private: bool, callbacks: Sequence[Callback], stop: StopSignal | None,
                     gens: RunGenerators | None) -> tuple[TransferTrainer, dict]:
    from plm_core.transfer.trainer import EndToEndPlan, EndToEndTrainer, NewGroupPlan

    t0 = time.perf_counter()
    trainable = require(backbone, "trainable")
    work = trainable if private else trainable.copy()
    limit = min(config.data.max_length, work.max_length)
    train_ids = work.tokenizer(split.train["text"].tolist(), truncation=True, max_length=limit)["input_ids"]
    test_ids = work.tokenizer(split.test["text"].tolist(), truncation=True, max_length=limit)["input_ids"]
    origin = "random" if work.random_init else "pretrained"
    groups, settings, adapted = end_to_end_parts(config, work, origin, read_state(config, backbone))
    epochs = config.optim.epochs
    new = [NewGroupPlan(s.name, float(s.lr), tuple(s.active(e) for e in range(1, epochs + 1)), s.unfreeze_epoch,
                        s.lora_rank, s.bias_only) for s in settings[len(groups):]]
    original = None if private or adapted else trainable  # drift against the untouched original, no second copy
    reference = None if original is None else {
        g.name: [p.detach() for p in g.params] for g in body_groups(original.body, original.n_layers)}
    plan = EndToEndPlan(work, groups, epoch_plans(groups, settings, epochs), new,
                        step_rates(settings, config, math.ceil(len(train_ids) / config.optim.batch_size)),
                        token_pooling(config, work.spec.family), reference)
    trainer = EndToEndTrainer(plan, train_ids, labels[0], test_ids, labels[1], work.tokenizer.pad_token_id, config,
                              len(split.labels), callbacks, stop, gens)
    return trainer, {"prepare_seconds": time.perf_counter() - t0, "lora_projections": adapted}


# ---- the runs of a job ------------------------------------------------------------------------------

TRAIN_COST = 3  # a training example costs about 3 forward passes (forward + backward)


def estimated_cost(config: TrainConfig, n_train: int, n_test: int) -> float:
    """Rough work of a run in forward passes over one example (to weight the progress bar)."""
    if config.mode == "frozen":
        return float(n_train + n_test)
    return float(config.optim.epochs * (TRAIN_COST * n_train + n_test))


@dataclass(frozen=True)
class JobRun:
    """One run of a Transfer job: its racer, its label, its config (its seed variant), its share of the work."""

    racer: str
    label: str
    config: TrainConfig
    cost: float  # estimated_cost
    frozen: bool  # feature extraction first, then one solve


def job_runs(configs: Sequence[TrainConfig], seeds: int, race: bool, n_train: int, n_test: int) -> list[JobRun]:
    """Every run of a Transfer job, planned: a race checked, each racer once per seed."""
    from plm_core.transfer.race import check_race, check_seeds, seed_variants, unique_labels

    if race:
        check_race(configs)
    check_seeds(seeds)
    out = []
    for racer, config in zip(unique_labels(configs), configs, strict=False):
        for variant in seed_variants(config, seeds):
            label = f"{racer} · seed {variant.data.seed}" if seeds > 1 else racer
            out.append(JobRun(racer, label, variant, estimated_cost(variant, n_train, n_test),
                              variant.mode == "frozen"))
    return out
