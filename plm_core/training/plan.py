"""The group plan: the one way an optimizer is built, for transfer runs and pretraining alike.

A model is cut into named groups (`NamedGroup`); a plan (`GroupPlan`) says per group whether it learns, which
part of it, its rate, from which step that rate holds, and its weight decay. `rate_table` computes, up front, every
group's rate at every optimizer step (the planned rate x the schedule's multiplier): plain data the trainer applies
itself (`plm_core.training.optim.apply_rates`), so no step calls back into the plan. The trainer builds its
optimizer from the plans (`plm_core.training.optim.build_optimizer`). Transfer strategies
(`plm_core.transfer.groups.plan_run`) and pretraining (`plm_core.pretrain.train.pretrain_plans`) only write plans.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import torch
from torch import nn

OptimizerKind = Literal["adamw", "sgd", "lbfgs"]


@dataclass
class NamedGroup:
    """One named slice of the model: its parameters, where they come from and how deep they sit."""

    name: str  # "embeddings", "layer.0" ... "layer.{L-1}", "mix", "head", "pooler"; pretraining: "matrices" ...
    params: list[nn.Parameter]  # empty for bodies that are not torch modules (GloVe, USE)
    origin: str  # "pretrained" | "random" (scratch twin, pretraining) | "new" (head, mix)
    depth: int  # 0 = embeddings, l = layer l-1 (so hidden state l), L+1 = head
    n_params: int = 0  # sum of the parameters' sizes (given where the group is cut: `numel`)
    note: str = ""  # "unused": never on the forward path (pooler, layers above the read one); "dropped": left out
    param_names: list[str] = field(default_factory=list)  # parameter names in the model (BitFit, LoRA pick by name)

    def named(self) -> list[tuple[str, nn.Parameter]]:
        names = self.param_names if len(self.param_names) == len(self.params) else [""] * len(self.params)
        return list(zip(names, self.params, strict=False))


@dataclass
class GroupPlan:
    """What the optimizer does with one group: trainable or not, which part, its rate and schedule."""

    group: NamedGroup
    trainable: bool
    lr: float  # the group's rate; the schedule multiplies it at every step
    unfreeze_epoch: int | None = None  # gradual unfreezing: the epoch it joins (the table shows it)
    chosen: list[nn.Parameter] | None = None  # the part that learns (BitFit, LoRA); None = every parameter
    lora_rank: int = 0
    bias_only: bool = False
    weight_decay: float | None = None  # None: the optimizer's own (build_optimizer's weight_decay)
    lr_from: int = 0  # `lr` holds from this optimizer step on; before it the group learns at `lr_before`
    lr_before: float | None = None


def numel(params: Sequence[nn.Parameter]) -> int:
    """How many numbers a group holds (its `n_params`)."""
    return sum(p.numel() for p in params)


@dataclass(frozen=True)
class RateTable:
    """Every named group's learning rate at every optimizer step, computed once by the plan (plain data)."""

    names: tuple[str, ...]  # the groups' names, the columns
    rates: tuple[tuple[float, ...], ...]  # (steps, groups): rates[step][names.index(name)]


def rate_table(plans: Sequence[GroupPlan], multipliers: Sequence[float]) -> RateTable:
    """Each group's planned rate at step s (`lr`, or `lr_before` before `lr_from`) x the schedule's multiplier."""
    before = [p.lr if p.lr_before is None else p.lr_before for p in plans]
    rows = tuple(tuple((p.lr if step >= p.lr_from else low) * m for p, low in zip(plans, before, strict=True))
                 for step, m in enumerate(multipliers))
    return RateTable(tuple(p.group.name for p in plans), rows)


def set_rates(optimizer: torch.optim.Optimizer, step: int, multiplier: float) -> float:
    """Every group's lr = its planned rate at `step` (0-based) x the schedule's multiplier; the largest lr now.

    One step of the rule `rate_table` computes for a whole run up front (trainers apply the table); the check that
    the pretraining optimizer matches the one the checkpoints were trained with compares against it."""
    for group in optimizer.param_groups:
        rate = group["initial_lr"] if step >= group.get("lr_from", 0) else group["lr_before"]
        group["lr"] = rate * multiplier
    return max(g["lr"] for g in optimizer.param_groups)

