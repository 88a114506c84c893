"""Named parameter groups (embeddings, each layer, head) and what each mode does with them.

Freezing is an operation on these groups (fastai style): a mode decides, per group, whether it is
trainable and with which learning rate; the optimizer is then built from the trainable groups only,
and every table the UI shows is read back from that optimizer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd
import torch
from torch import nn

from plm_core.training.plan import GroupPlan, NamedGroup
from plm_core.transfer.config import MAX_LR, TrainConfig
from plm_core.transfer.strategies import (
    GroupSetting,
    apply_edits,
    check_settings,
    preset_settings,
)

LAYER_RE = re.compile(r"(?:^|\.)(?:layer|layers|h|block)\.(\d+)\.")
EMBED_HINTS = ("embed", "wte", "wpe", "shared")


@dataclass
class GroupInfo:
    """One row of the head-surgery table, read from the optimizer."""

    name: str
    n_params: int
    trainable: bool  # True iff the optimizer holds this group's parameters (all, or the chosen part)
    lr: float | None  # the optimizer's learning rate for it (None when frozen)
    origin: str  # "pretrained" | "random" | "new"
    status: str  # "trainable" | "partial" (BitFit / LoRA: a part) | "frozen" | "unused" | "dropped"
    unfreeze_epoch: int | None = None  # gradual unfreezing: the epoch it joins the optimizer
    n_trainable: int | None = None  # parameters of this group the optimizer holds
    lora_rank: int = 0  # LoRA adapters' rank on this group (0 = none)
    bias_only: bool = False  # BitFit: only biases / LayerNorm

    def as_row(self) -> dict[str, Any]:
        return asdict(self)


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
    groups = [NamedGroup("embeddings", buckets["embeddings"], origin, 0, param_names=names["embeddings"])]
    groups += [NamedGroup(f"layer.{i}", buckets[f"layer.{i}"], origin, i + 1, param_names=names[f"layer.{i}"])
               for i in range(n_layers)]
    if buckets["pooler"]:
        groups.append(NamedGroup("pooler", buckets["pooler"], origin, n_layers + 1, note="unused",
                                 param_names=names["pooler"]))
    return groups


def head_groups(model: nn.Module, n_layers: int) -> list[NamedGroup]:
    """The new parts: the scalar mix (if any) and the classification head."""
    groups = []
    mix = getattr(model, "mix", None)
    if mix is not None:
        groups.append(NamedGroup("mix", list(mix.parameters()), "new", n_layers + 1))
    groups.append(NamedGroup("head", list(model.get_submodule("head").parameters()), "new", n_layers + 1))
    return groups


def mark_unused(groups: Sequence[NamedGroup], read_state: int | None) -> None:
    """Groups above the hidden state that is read never reach the loss: mark them unused."""
    if read_state is None:
        return
    for g in groups:
        if g.origin != "new" and g.depth > read_state and not g.note:
            g.note = "unused"


def strategy_settings(groups: Sequence[NamedGroup], config: TrainConfig, n_layers: int) -> list[GroupSetting]:
    """The config's strategy preset for these groups, with the table's (`config.strategy.groups`) edits on top."""
    settings = preset_settings(config.preset, [g.name for g in groups], n_layers, config)
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


def group_table(groups: Sequence[NamedGroup], optimizer: torch.optim.Optimizer | None,
                plans: Sequence[GroupPlan] = ()) -> list[GroupInfo]:
    """Read every group's state back from the optimizer: trainable iff the optimizer holds (its part of) it.

    The learning rate shown is the group's base rate (`initial_lr`), not the schedule's value of the moment;
    none for L-BFGS (frozen mode: its line search picks each step).
    """
    held: dict[int, float | None] = {}
    line_search = isinstance(optimizer, torch.optim.LBFGS)
    if optimizer is not None:
        for og in optimizer.param_groups:
            held.update({id(p): None if line_search else float(og.get("initial_lr", og["lr"])) for p in og["params"]})
    by_name = {p.group.name: p for p in plans}
    rows = []
    for g in groups:
        lrs = {lr for p in g.params if (lr := held.get(id(p))) is not None}
        n_held = sum(p.numel() for p in g.params if id(p) in held)
        trainable = bool(g.params) and all(id(p) in held for p in g.params)
        plan = by_name.get(g.name)
        if trainable:
            status = "trainable"
        elif n_held:
            status = "partial"
        else:
            status = g.note if g.note in ("unused", "dropped") else "frozen"
        rows.append(GroupInfo(g.name, g.n_params, trainable or bool(n_held), max(lrs) if lrs else None, g.origin,
                              status, plan.unfreeze_epoch if plan else None, n_held,
                              plan.lora_rank if plan else 0, plan.bias_only if plan else False))
    return rows


def surgery_frame(rows: Sequence[GroupInfo]) -> pd.DataFrame:
    """The head-surgery table as a DataFrame (one row per group, plus nothing else)."""
    return pd.DataFrame([r.as_row() for r in rows],
                        columns=["name", "origin", "status", "trainable", "lr", "n_params", "unfreeze_epoch"])


def snapshot(groups: Sequence[NamedGroup]) -> dict[str, list[torch.Tensor]]:
    """Detached copies of every group's parameters (the reference for weight drift)."""
    return {g.name: [p.detach().clone() for p in g.params] for g in groups}


def relative_drift(groups: Sequence[NamedGroup], reference: dict[str, list[torch.Tensor]]) -> dict[str, float]:
    """||W - W0|| / ||W0|| per group (Frobenius norm over all the group's tensors)."""
    out: dict[str, float] = {}
    for g in groups:
        ref = reference.get(g.name)
        if not g.params or ref is None or g.name == "mix":  # the mix starts at zero: see its layer weights
            continue
        with torch.no_grad():
            diff = sum(float((p.detach() - r).double().pow(2).sum()) for p, r in zip(g.params, ref, strict=True))
            base = sum(float(r.double().pow(2).sum()) for r in ref)
        out[g.name] = (diff ** 0.5) / max(base ** 0.5, 1e-12)
    return out
