"""Freezing strategies as presets over named groups: one `GroupSetting` per group, editable as a table.

A strategy decides, for every named group (embeddings, layer.0 .. layer.{L-1}, pooler, mix, head):
trainable or frozen, its learning rate, for layer groups a LoRA rank, BitFit's biases-only switch, and
when it trains (gradual unfreezing, chain-thaw). The five modes of old are presets; `--groups` edits
apply on top of a preset:

    layer.0-2:frozen,head:x10,layer.3-5:lora=8,embeddings:bitfit,layer.1:@3,layer.2:lr=5e-5

Pure data, no torch: the optimizer is built from these settings in `plm_core.transfer.groups`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from plm_core.errors import PLMError

if TYPE_CHECKING:
    from plm_core.transfer.config import TrainConfig

STRATEGIES: tuple[str, ...] = (
    "frozen", "finetune", "discriminative", "gradual", "chain_thaw", "freeze_bottom", "embeddings_frozen",
    "top_k", "bitfit", "lora", "scratch",
)
STRATEGY_MODE: dict[str, str] = {  # which training path a strategy takes (feature cache / pretrained / random twin)
    "frozen": "frozen", "scratch": "scratch", "discriminative": "discriminative", "gradual": "gradual",
}  # every other strategy trains end-to-end from the pretrained start ("finetune")
ADAPTER_LR_FACTOR = 10.0  # BitFit biases and LoRA adapters learn at 10 x lr_body (1e-3 with the default 1e-4)
NEW_GROUPS = ("mix", "head")


@dataclass(frozen=True)
class GroupSetting:
    """What a strategy decides for one named group (one row of the editable table)."""

    name: str  # "embeddings", "layer.3", "pooler", "mix", "head"
    trainable: bool = True
    lr: float = 1e-4  # absolute learning rate of this group
    lora_rank: int = 0  # > 0 (layer groups): LoRA adapters of this rank on the attention projections, base frozen
    bias_only: bool = False  # BitFit: only the group's biases and LayerNorm weights learn
    unfreeze_epoch: int | None = None  # joins the optimizer at this epoch (gradual unfreezing)
    thaw_epochs: tuple[int, ...] = ()  # chain-thaw: the only epochs it trains in (empty: no restriction)

    def active(self, epoch: int) -> bool:
        """Whether the group learns at `epoch` (1-based)."""
        if not self.trainable:
            return False
        if self.unfreeze_epoch is not None and epoch < self.unfreeze_epoch:
            return False
        return not self.thaw_epochs or epoch in self.thaw_epochs


def strategy_mode(strategy: str) -> str:
    return STRATEGY_MODE.get(strategy, "finetune")


def group_names(n_layers: int, pooler: bool = False, mix: bool = False) -> list[str]:
    """Bottom to top: embeddings, layer.0 .. layer.{L-1}, pooler (if any), mix (if any), head."""
    names = ["embeddings"] + [f"layer.{i}" for i in range(n_layers)]
    return names + (["pooler"] if pooler else []) + (["mix"] if mix else []) + ["head"]


def depth_of(name: str, n_layers: int) -> int:
    """0 = embeddings, l + 1 = layer.l, L + 1 = pooler / mix / head."""
    if name == "embeddings":
        return 0
    if name.startswith("layer."):
        return int(name.split(".")[1]) + 1
    return n_layers + 1


Preset = Callable[[str, int, "TrainConfig"], GroupSetting]


def _discriminative_lr(name: str, n_layers: int, p: TrainConfig) -> float:
    o = p.optim
    return o.lr_head if name in NEW_GROUPS else o.lr_body * o.layer_decay ** (n_layers - depth_of(name, n_layers))


def _base_lr(name: str, p: TrainConfig) -> float:
    """The head's rate for the new groups (head, scalar mix), the body's for the rest."""
    return p.optim.lr_head if name in NEW_GROUPS else p.optim.lr_body


def _finetune(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    return GroupSetting(name, True, p.optim.lr_body)  # one learning rate for everything (head included)


def _frozen(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    return GroupSetting(name, name in NEW_GROUPS, p.optim.lr_head)


def _discriminative(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    return GroupSetting(name, True, _discriminative_lr(name, n_layers, p))


def _gradual(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    """ULMFiT: the head at epoch 1, the top layer at 2, ..., the embeddings at L + 2."""
    when = 1 if name in NEW_GROUPS else n_layers - depth_of(name, n_layers) + 2
    return GroupSetting(name, True, _discriminative_lr(name, n_layers, p), unfreeze_epoch=when)


def chain_thaw_phase(epoch: int, n_phases: int, epochs: int) -> int:
    """Phase index (0 .. n_phases - 1) of `epoch`: the phases spread evenly over the epochs, last = all."""
    if epochs <= 1:
        return n_phases - 1
    return round((epoch - 1) * (n_phases - 1) / (epochs - 1))


def _chain_thaw(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    """Felbo et al. 2017: the head alone, then one body group at a time bottom to top, then everything.

    Phases: 0 = head, 1 = embeddings, ..., L + 1 = top layer, L + 2 = all; spread over the epochs.
    """
    n_phases = n_layers + 3
    phase_of = {e: chain_thaw_phase(e, n_phases, p.optim.epochs) for e in range(1, p.optim.epochs + 1)}
    own = 0 if name in NEW_GROUPS else depth_of(name, n_layers) + 1
    epochs = tuple(e for e, ph in phase_of.items() if ph in (own, n_phases - 1))
    return GroupSetting(name, bool(epochs), _base_lr(name, p), thaw_epochs=epochs)


def _freeze_bottom(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    frozen = depth_of(name, n_layers) <= p.strategy.k and name not in NEW_GROUPS  # embeddings + the bottom k layers
    return GroupSetting(name, not frozen, _base_lr(name, p))


def _embeddings_frozen(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    return GroupSetting(name, name != "embeddings", _base_lr(name, p))


def _top_k(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    depth = depth_of(name, n_layers)
    keep = name in NEW_GROUPS or (name.startswith("layer.") and depth > n_layers - p.strategy.k)
    return GroupSetting(name, keep, _base_lr(name, p))


def _bitfit(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    """Ben Zaken et al. 2022: only biases (and LayerNorm) in the body, plus the new head."""
    if name in NEW_GROUPS:
        return GroupSetting(name, True, p.optim.lr_head)
    return GroupSetting(name, True, p.optim.lr_body * ADAPTER_LR_FACTOR, bias_only=True)


def _lora(name: str, n_layers: int, p: TrainConfig) -> GroupSetting:
    """Hu et al. 2021: rank-r adapters on every layer's attention projections; the base stays frozen."""
    if name in NEW_GROUPS:
        return GroupSetting(name, True, p.optim.lr_head)
    if name.startswith("layer."):
        return GroupSetting(name, True, p.optim.lr_body * ADAPTER_LR_FACTOR, lora_rank=p.strategy.lora_rank)
    return GroupSetting(name, False, p.optim.lr_body)


PRESETS: dict[str, Preset] = {
    "frozen": _frozen, "finetune": _finetune, "scratch": _finetune, "discriminative": _discriminative,
    "gradual": _gradual, "chain_thaw": _chain_thaw, "freeze_bottom": _freeze_bottom,
    "embeddings_frozen": _embeddings_frozen, "top_k": _top_k, "bitfit": _bitfit, "lora": _lora,
}


def preset_settings(strategy: str, names: Sequence[str], n_layers: int, params: TrainConfig) -> list[GroupSetting]:
    """The preset's setting for every named group, from the config's rates, epochs, k and LoRA rank."""
    if strategy not in PRESETS:
        raise PLMError("transfer.err.bad_strategy", strategy=strategy, choices=", ".join(STRATEGIES))
    return [PRESETS[strategy](name, n_layers, params) for name in names]


# ---- edits on top of a preset: the table / --groups -------------------------------------------------

_RANGE_RE = re.compile(r"^layer\.(\d+)(?:-(\d+))?$")


def expand_names(selector: str, names: Sequence[str]) -> list[str]:
    """'layer.0-2' -> layer.0, layer.1, layer.2; 'layers' -> every layer; 'body' -> embeddings + layers."""
    selector = selector.strip()
    layers = [n for n in names if n.startswith("layer.")]
    if selector == "layers":
        return layers
    if selector == "body":
        return ["embeddings", *layers]
    match = _RANGE_RE.match(selector)
    if match:
        lo = int(match.group(1))
        hi = int(match.group(2)) if match.group(2) else lo
        wanted = [f"layer.{i}" for i in range(lo, hi + 1)]
        if not all(w in names for w in wanted):
            raise PLMError("transfer.err.bad_group", group=selector, choices=", ".join(names))
        return wanted
    if selector not in names:
        raise PLMError("transfer.err.bad_group", group=selector, choices=", ".join(names))
    return [selector]


def apply_op(setting: GroupSetting, op: str) -> GroupSetting:
    """One edit: frozen | train | bitfit | lora=R | lr=X | xM (multiply the lr) | @E (unfreeze at epoch E)."""
    op = op.strip()
    try:
        if op == "frozen":
            return replace(setting, trainable=False)
        if op == "train":
            return replace(setting, trainable=True, thaw_epochs=())
        if op == "bitfit":
            return replace(setting, trainable=True, bias_only=True)
        if op.startswith("lora="):
            return replace(setting, trainable=True, lora_rank=int(op[5:]))
        if op.startswith("lr="):
            return replace(setting, lr=float(op[3:]))
        if op.startswith("x"):
            return replace(setting, lr=setting.lr * float(op[1:]))
        if op.startswith("@"):
            return replace(setting, unfreeze_epoch=int(op[1:]))
    except ValueError:
        pass
    raise PLMError("transfer.err.bad_group_op", op=op)


def apply_edits(settings: Sequence[GroupSetting], edits: str) -> list[GroupSetting]:
    """Apply a `--groups` string ('sel:op+op,sel:op') to the preset's settings."""
    by_name = {s.name: s for s in settings}
    names = list(by_name)
    for part in filter(None, (p.strip() for p in edits.split(","))):
        selector, _, ops = part.partition(":")
        if not ops:
            raise PLMError("transfer.err.bad_group_op", op=part)
        for name in expand_names(selector, names):
            for op in ops.split("+"):
                by_name[name] = apply_op(by_name[name], op)
    return [by_name[n] for n in names]


def format_edits(preset: Sequence[GroupSetting], edited: Sequence[GroupSetting]) -> str:
    """The `--groups` string that turns `preset` into `edited` (what the UI table sends)."""
    parts = []
    for old, new in zip(preset, edited, strict=False):
        ops = []
        if new.trainable != old.trainable:
            ops.append("train" if new.trainable else "frozen")
        if new.bias_only and not old.bias_only:
            ops.append("bitfit")
        if new.lora_rank != old.lora_rank:
            ops.append(f"lora={int(new.lora_rank)}")
        if abs(new.lr - old.lr) > 1e-12 * max(old.lr, 1e-12):
            ops.append(f"lr={new.lr:g}")
        if new.unfreeze_epoch != old.unfreeze_epoch and new.unfreeze_epoch is not None:
            ops.append(f"@{int(new.unfreeze_epoch)}")
        if ops:
            parts.append(f"{new.name}:{'+'.join(ops)}")
    return ",".join(parts)


def check_settings(settings: Sequence[GroupSetting], max_lr: float) -> None:
    """Ranks and learning rates that cannot work, said in words."""
    for s in settings:
        if s.lora_rank < 0 or s.lora_rank > 256:
            raise PLMError("transfer.err.bad_lora_rank", group=s.name, rank=s.lora_rank)
        if s.lora_rank and not s.name.startswith("layer."):
            raise PLMError("transfer.err.lora_not_layer", group=s.name)
        if s.trainable and not (0 < s.lr <= max_lr):
            raise PLMError("transfer.err.bad_lr", name=s.name, value=s.lr, high=max_lr)


def lora_ranks(settings: Sequence[GroupSetting]) -> dict[int, int]:
    """Layer index -> LoRA rank, for the layers that get adapters."""
    return {int(s.name.split(".")[1]): s.lora_rank for s in settings if s.lora_rank > 0 and s.name.startswith("layer.")}
