"""Backbones: the registry of pretrained models, the common interface they share and their capabilities."""

from plm_core.backbones.base import (
    FAMILIES,
    POOLINGS,
    Attentions,
    Backbone,
    BackboneSpec,
    HiddenStates,
    PieceRun,
    Pooling,
    Ranked,
    Tokenized,
    pad_batch,
    pool,
)
from plm_core.backbones.capabilities import CAPABILITIES, Capability, backbones_with, require
from plm_core.backbones.registry import get_spec, load_backbone, register_loader, specs

__all__ = [
    "CAPABILITIES", "FAMILIES", "POOLINGS", "Attentions", "Backbone", "BackboneSpec", "Capability", "HiddenStates",
    "PieceRun", "Pooling", "Ranked", "Tokenized", "backbones_with", "get_spec", "load_backbone", "pad_batch", "pool",
    "register_loader", "require", "specs",
]
