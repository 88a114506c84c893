"""The group plan: the one way an optimizer is built, for transfer runs and pretraining alike.

A model is cut into named groups (`NamedGroup`); a plan (`GroupPlan`) says per group whether it learns, which
part of it, its rate, from which step that rate holds, and its weight decay. `build_optimizer` turns the plans
into an optimizer whose param groups keep those names and rates; `set_rates` applies a schedule's multiplier at
every step. Transfer strategies (`plm_core.transfer.groups.plan_groups`) and pretraining
(`plm_core.pretrain.train.pretrain_plans`) both only write plans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
    n_params: int = 0  # filled from params when there are any
    note: str = ""  # "unused": never on the forward path (pooler, layers above the read one); "dropped": left out
    param_names: list[str] = field(default_factory=list)  # parameter names in the model (BitFit, LoRA pick by name)

    def __post_init__(self) -> None:
        if self.params:
            self.n_params = sum(p.numel() for p in self.params)

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

    @property
    def train_params(self) -> list[nn.Parameter]:
        """The parameters the optimizer gets (empty when the group is frozen at this epoch)."""
        if not self.trainable:
            return []
        return list(self.group.params) if self.chosen is None else list(self.chosen)


def apply_trainability(plans: Iterable[GroupPlan]) -> None:
    """Set requires_grad to match the plan (only ever on a private copy, never on a shared model)."""
    for plan in plans:
        chosen = {id(p) for p in plan.train_params}
        for p in plan.group.params:
            p.requires_grad_(id(p) in chosen)


def build_optimizer(plans: Sequence[GroupPlan], weight_decay: float = 0.0, kind: OptimizerKind = "adamw",
                    betas: tuple[float, float] = (0.9, 0.999), fused: bool = True,
                    max_iter: int = 20) -> torch.optim.Optimizer:
    """The optimizer over the plans' trainable parameters; each param group keeps its name, rate and schedule.

    adamw: the transfer runs and the transformers' pretraining (fused CPU kernel where asked: about twice as fast;
    the pretraining recipe keeps the per-tensor loop it was trained with); sgd: word2vec's plain SGD; lbfgs:
    the frozen probe's full-batch solve (one param group: L-BFGS has no per-group options).
    """
    held = [p for p in plans if p.train_params]
    if kind == "lbfgs":
        params = [q for p in held for q in p.train_params]
        lbfgs = torch.optim.LBFGS(params, lr=1.0, max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")
        lbfgs.param_groups[0]["name"] = "+".join(p.group.name for p in held)
        return lbfgs
    groups = [{"params": p.train_params, "lr": p.lr, "initial_lr": p.lr, "name": p.group.name, "lr_from": p.lr_from,
               "lr_before": p.lr if p.lr_before is None else p.lr_before,
               **({} if p.weight_decay is None else {"weight_decay": p.weight_decay})} for p in held]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=held[0].lr if held else 0.0)
    if fused:
        try:
            return torch.optim.AdamW(groups, weight_decay=weight_decay, betas=betas, fused=True)
        except (RuntimeError, TypeError, ValueError):
            pass
    return torch.optim.AdamW(groups, weight_decay=weight_decay, betas=betas)


def probe_plans(groups: Sequence[NamedGroup]) -> list[GroupPlan]:
    """The frozen probe's plan: the new parts (head, scalar mix) learn, the body is never in the optimizer."""
    return [GroupPlan(g, True, 1.0) for g in groups if g.origin == "new" and g.params]


def set_rates(optimizer: torch.optim.Optimizer, step: int, multiplier: float) -> float:
    """Every group's lr = its planned rate at `step` (0-based) x the schedule's multiplier; the largest lr now."""
    for group in optimizer.param_groups:
        rate = group["initial_lr"] if step >= group.get("lr_from", 0) else group["lr_before"]
        group["lr"] = rate * multiplier
    return max(g["lr"] for g in optimizer.param_groups)

