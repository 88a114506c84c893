"""The trainer's side of a group plan: it sets trainability, builds its optimizer from the plans, applies the plan's
rate table at every step, and reads back what the optimizer holds (the head-surgery table, the weights' drift).

The plan (`plm_core.training.plan`) is data; everything here runs inside the trainer, so a training step never calls
back into the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn

from plm_core.training.plan import GroupPlan, NamedGroup, OptimizerKind, RateTable


def train_params(plan: GroupPlan) -> list[nn.Parameter]:
    """The parameters of a planned group the optimizer gets (empty when the group is frozen at this epoch)."""
    if not plan.trainable:
        return []
    return list(plan.group.params) if plan.chosen is None else list(plan.chosen)


def probe_plans(groups: Sequence[NamedGroup]) -> list[GroupPlan]:
    """The frozen probe's fixed plan, made where its head is: the new parts (head, scalar mix) learn, the body is
    never in the optimizer."""
    return [GroupPlan(g, True, 1.0) for g in groups if g.origin == "new" and g.params]


def apply_trainability(plans: Iterable[GroupPlan]) -> None:
    """Set requires_grad to match the plan (only ever on a private copy, never on a shared model)."""
    for plan in plans:
        chosen = {id(p) for p in train_params(plan)}
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
    held = [p for p in plans if train_params(p)]
    if kind == "lbfgs":
        params = [q for p in held for q in train_params(p)]
        lbfgs = torch.optim.LBFGS(params, lr=1.0, max_iter=max_iter, history_size=20, line_search_fn="strong_wolfe")
        lbfgs.param_groups[0]["name"] = "+".join(p.group.name for p in held)
        return lbfgs
    groups = [{"params": train_params(p), "lr": p.lr, "initial_lr": p.lr, "name": p.group.name, "lr_from": p.lr_from,
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


def apply_rates(optimizer: torch.optim.Optimizer, table: RateTable, step: int) -> float:
    """Every param group's lr = the table's rate for its name at `step` (0-based); the largest lr now."""
    row = table.rates[step]
    for group in optimizer.param_groups:
        group["lr"] = row[table.names.index(group["name"])]
    return max(g["lr"] for g in optimizer.param_groups)


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
