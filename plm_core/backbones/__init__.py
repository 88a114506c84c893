"""Backbones: the registry of pretrained models and the common interface they share."""

from plm_core.backbones.base import (
    FAMILIES,
    POOLINGS,
    Attentions,
    Backbone,
    BackboneSpec,
    HiddenStates,
    Tokenized,
    pool,
)
from plm_core.backbones.registry import get_spec, load_backbone, register_loader, specs

__all__ = [
    "FAMILIES", "POOLINGS", "Attentions", "Backbone", "BackboneSpec", "HiddenStates", "Tokenized", "pool",
    "get_spec", "load_backbone", "register_loader", "specs",
]
